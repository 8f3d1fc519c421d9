"""What holds the tutorial's student far below the machine's matmul peak: each of its weighted layers' forward and
backward pass timed alone at the training batch (64), as GFLOP/s against the float32 matrix-product peak measured in the
same run, beside the whole training step (`train_on_batch`) and a matrix product of the same FLOPs as one step.

    python benchmarks/student_ops.py > benchmarks/results/student_ops/student_ops.md
"""
import time

import numpy as np
import keras
import tensorflow as tf

from kd_nb.precision import machine_info
from kd_nb.models import tutorial_student
from kd_nb.training import compile_classifier
from profile_default import forward_flops, matmul_peak   # benchmarks/ is on the path of a script run from it


def seconds(f, repeats:int=30) -> float: # median seconds of f() after a warm-up
    f()
    times = []
    for _ in range(repeats):
        start = time.perf_counter(); f(); times.append(time.perf_counter() - start)
    return float(np.median(times))


def layer_step(layer, x):
    "A compiled forward and backward pass of `layer` alone on `x` (gradients of its weights and its input)."
    x = tf.constant(x)
    @tf.function
    def step():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
            loss = tf.reduce_sum(y)
        grads = tape.gradient(loss, [x, *layer.trainable_weights])
        return loss, grads[0]
    return lambda: [t.numpy() for t in step()]


if __name__ == "__main__":
    batch, rng = 64, np.random.default_rng(0)
    student = tutorial_student(seed=0)
    peak = matmul_peak()
    rows = []
    for layer in student.layers:
        if not layer.trainable_weights: continue
        flops = 3 * forward_flops(keras.Sequential([keras.Input(layer.input.shape[1:]), layer.__class__.from_config(layer.get_config())])) * batch
        x = rng.random((batch, *layer.input.shape[1:]), dtype=np.float32)
        s = seconds(layer_step(layer, x))
        rows.append((f"{type(layer).__name__} {tuple(layer.input.shape[1:])} -> {tuple(layer.output.shape[1:])}", flops, s))
    model = compile_classifier(tutorial_student(seed=0))
    x, y = rng.random((batch, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, batch)
    step_flops = 3 * forward_flops(student) * batch
    train = seconds(lambda: model.train_on_batch(x, y))
    n = int(round((step_flops / 2) ** (1 / 3)))
    a, b = tf.random.normal((n, n)), tf.random.normal((n, n))
    product = tf.function(lambda: tf.matmul(a, b))
    same_flops = seconds(lambda: product().numpy())
    machine = machine_info()
    print("| pass (batch 64, forward and backward) | MFLOP | ms | GFLOP/s | share of the matmul peak |\n|---|---:|---:|---:|---:|")
    for name, flops, s in rows: print(f"| {name} | {flops / 1e6:.1f} | {1e3 * s:.2f} | {flops / s / 1e9:.1f} | {100 * flops / s / 1e9 / peak:.0f}% |")
    print(f"| the whole training step (`train_on_batch`: every layer, the loss, Adam) | {step_flops / 1e6:.1f} | {1e3 * train:.2f} | "
          f"{step_flops / train / 1e9:.1f} | {100 * step_flops / train / 1e9 / peak:.0f}% |")
    print(f"| a {n} x {n} matrix product (about the step's FLOPs) | {2 * n ** 3 / 1e6:.1f} | {1e3 * same_flops:.2f} | "
          f"{2 * n ** 3 / same_flops / 1e9:.1f} | {100 * 2 * n ** 3 / same_flops / 1e9 / peak:.0f}% |\n")
    print(f"Medians of 30 after a warm-up; float32; {machine['cpu']} ({machine['cpu_count']} cores), TensorFlow {tf.__version__}, "
          f"Keras {keras.__version__}; matmul peak {peak:.0f} GFLOP/s (1024 x 1024, best of 20), measured in the same run.")
