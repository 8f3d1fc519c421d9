"""Peak memory of one training epoch (10 batches of 64) of the registered `bn` teacher on vectors of D features.

The bn teacher convolves along a vector (Conv1D), so its activations grow with D; this measurement sets
`MAX_CONV_FEATURES` in `kd_nb.models`. Run: python benchmarks/vector_teacher_memory.py  (one process per D)."""
import resource, subprocess, sys
import numpy as np

def peak_gb(d:int) -> float:
    from kd_nb.models import bn_teacher
    from kd_nb.training import compile_classifier
    model = compile_classifier(bn_teacher(0, (d,), 10))
    x, y = np.random.default_rng(0).random((640, d), dtype=np.float32), np.arange(640) % 10
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20

if __name__ == "__main__":
    if len(sys.argv) > 1: print(f"{int(sys.argv[1]):>6} features: peak RSS {peak_gb(int(sys.argv[1])):.2f} GB"); sys.exit()
    for d in (784, 4096, 8192, 20000):   # a fresh process each: peak RSS never goes down
        out = subprocess.run([sys.executable, __file__, str(d)], capture_output=True, text=True, env={"TF_CPP_MIN_LOG_LEVEL": "3", **__import__("os").environ})
        print(out.stdout.strip() or out.stderr.strip().splitlines()[-1], flush=True)
