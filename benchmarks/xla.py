"""Is XLA worth turning on for training on a CPU? Seconds per epoch with and without `jit_compile`, side by side.

For the tutorial's student (scratch and distilled from cached logits, each with the experiment's per-epoch evaluation
on the validation and test splits) and for the BatchNorm teacher, alternating XLA off and on round by round, each
model compiled once and warmed up with one epoch first. Keras leaves XLA off on a CPU-only machine; this measures
what turning it on would give here.

    python benchmarks/xla.py                                  # embedded MNIST subset, batch 64, 3 rounds of 3 epochs
    python benchmarks/xla.py --rounds 2 --epochs 3 --out benchmarks/results/xla    # the committed result (3 min here)
    python benchmarks/xla.py --out benchmarks/results/xla     # also writes xla.json there
"""
import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import keras

from kd_nb.data import to_dataset
from kd_nb.distiller import Distiller
from kd_nb.experiment import EpochAccuracy, ExperimentConfig, experiment_data
from kd_nb.models import bn_teacher, seed_student
from kd_nb.terms import distillation_targets, method_terms


def trainer(kind, jit):
    "A compiled model of `kind` ('scratch', 'distilled' or 'teacher'), and the model the per-epoch evaluation measures."
    if kind == "teacher": model = net = bn_teacher(seed=0)
    else: net = seed_student(seed=0, name=kind)
    if kind == "distilled":
        model = Distiller(net, bn_teacher(seed=1), terms=method_terms("kd", net, None, 0.5, 4.0))
        model.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile=jit)
    else:
        model = model if kind == "teacher" else net
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"], jit_compile=jit)
    return model, net


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=3, help="epochs timed per round")
    p.add_argument("--out", default=None)
    args = p.parse_args()
    data = experiment_data(ExperimentConfig())
    x, y = data["train"]
    logits = np.random.default_rng(0).normal(size=(len(y), 10)).astype("float32")   # the timing does not depend on their values
    batches = {"scratch": to_dataset(x, y, 64, seed=0), "teacher": to_dataset(x, y, 64, seed=0),
               "distilled": to_dataset(x, distillation_targets(y, logits), 64, seed=0)}
    results = {}
    for kind in ("scratch", "distilled", "teacher"):
        models = {jit: trainer(kind, jit) for jit in (False, True)}
        seconds = {False: [], True: []}
        for jit, (model, net) in models.items(): model.fit(batches[kind], epochs=1, verbose=0)   # compile and warm up
        for _ in range(args.rounds):
            for jit, (model, net) in models.items():
                track = EpochAccuracy(net, {"val": data["val"], "test": data["test"]})
                start = time.perf_counter()
                model.fit(batches[kind], epochs=args.epochs, verbose=0, callbacks=[track])
                seconds[jit].append((time.perf_counter() - start) / args.epochs)
        off, on = statistics.median(seconds[False]), statistics.median(seconds[True])
        results[kind] = {"seconds_per_epoch_without_xla": off, "seconds_per_epoch_with_xla": on, "xla_speedup": off / on}
        print(f"{kind:9s}  s/epoch without XLA {off:.3f}  with XLA {on:.3f}  speed-up with XLA {off / on:.2f}x", flush=True)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "xla.json"), "w") as f:
            json.dump({"command": " ".join(["python", *sys.argv]), "rounds": args.rounds,
                       "epochs_per_round": args.epochs, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
