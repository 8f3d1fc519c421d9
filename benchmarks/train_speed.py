"""Training speed in float32 and in bfloat16 (Keras `mixed_bfloat16`), side by side in one process.

Seconds per epoch of the tutorial's teacher and student trained in each precision, alternating precisions round by
round after a warm-up epoch each; batched inference of the teacher in each; the achieved GFLOP/s of the teacher's
training step (the FLOPs of its two convolutions and its dense layer, forward and backward, counted from the layer
shapes) beside the machine's peak measured in the same run with a plain matmul in each precision. It also prints
what `choose_precision("auto")` picks here, and why.

    python benchmarks/train_speed.py                       # embedded MNIST subset (4,000 images), batch 64, 3 rounds
    python benchmarks/train_speed.py --out benchmarks/results/train_speed     # also writes train_speed.json and .md there
"""
import argparse
import json
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras
import tensorflow as tf

from kd_nb.data import load_dataset, to_dataset
from kd_nb.training import compile_classifier
from kd_nb.models import tutorial_student, tutorial_teacher
from kd_nb.precision import choose_precision, precision_policy

POLICIES = {"float32": "float32", "bfloat16": "mixed_bfloat16"}


def layer_flops(model, batch=1):
    "Forward multiply-add FLOPs (2 per multiply-add) of the Conv2D and Dense layers of `model`, per example."
    flops = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            kh, kw, c_in, c_out = layer.kernel.shape
            out_h, out_w = layer.output.shape[1:3]
            flops[layer.name] = 2 * out_h * out_w * c_out * kh * kw * c_in
        elif isinstance(layer, keras.layers.Dense):
            n_in, n_out = layer.kernel.shape
            flops[layer.name] = 2 * n_in * n_out
    return flops


def train_step_flops(model):
    "FLOPs of one training example: forward, plus backward (weight gradients, and input gradients but for the first layer)."
    per_layer = layer_flops(model)
    first = next(iter(per_layer))
    return sum(f * (2 if name == first else 3) for name, f in per_layer.items())


def peak_gflops(dtype, n=2048, repeats=10):
    "GFLOP/s of an n x n matmul in `dtype` (a plain, compiled TensorFlow matmul), best of `repeats`."
    a = tf.cast(tf.random.normal((n, n)), dtype)
    matmul = tf.function(lambda a: tf.matmul(a, a))
    matmul(a).numpy()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter(); matmul(a).numpy(); best = min(best, time.perf_counter() - start)
    return 2 * n ** 3 / best / 1e9


def seconds(fn):
    start = time.perf_counter(); fn(); return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", default="embedded", help="as load_dataset: embedded (default), keras, or an .npz path")
    p.add_argument("--n", type=int, default=4000, help="training images per epoch (default 4,000)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--rounds", type=int, default=3, help="measured epochs of each model and precision, after a warm-up")
    p.add_argument("--out", default=None, help="also write the figures to train_speed.json and train_speed.md in this directory")
    args = p.parse_args()

    auto = choose_precision("auto")
    print(f"choose_precision('auto') here: {auto.name} ({auto.reason})")
    (x, y), _ = load_dataset(args.dataset, verbose=False)
    x, y = x[:args.n], y[:args.n]
    ds = to_dataset(x, y, args.batch_size)
    models = {}
    for precision, policy in POLICIES.items():
        with precision_policy(policy):
            models[("teacher", precision)] = compile_classifier(tutorial_teacher(seed=0))
            models[("student", precision)] = compile_classifier(tutorial_student(seed=0))
    fit = lambda model: model.fit(ds, epochs=1, verbose=0)
    infer = lambda model: model.predict(x, batch_size=512, verbose=0)
    for model in models.values(): fit(model); infer(model)                  # warm-up: tracing, first-epoch effects
    times = {(what, *key): [] for key in models for what in ("train", "infer")}
    for r in range(args.rounds):
        for key, model in models.items():
            times[("train", *key)].append(seconds(lambda: fit(model)))
            if key[0] == "teacher": times[("infer", *key)].append(seconds(lambda: infer(model)))
        print(f"  round {r + 1}/{args.rounds}: " + ", ".join(f"{k[1]} {k[2]} {v[-1]:.2f} s" for k, v in times.items()
                                                              if k[0] == "train"), flush=True)
    med = {k: statistics.median(v) for k, v in times.items() if v}
    peaks = {precision: peak_gflops(tf.float32 if precision == "float32" else tf.bfloat16) for precision in POLICIES}
    step_flops = train_step_flops(models[("teacher", "float32")])
    achieved = {precision: step_flops * len(x) / med[("train", "teacher", precision)] / 1e9 for precision in POLICIES}

    rows = ["| | float32 | bfloat16 (mixed) | float32 / bfloat16 |", "|---|---:|---:|---:|"]
    for label, key in [("teacher, s per training epoch", ("train", "teacher")), ("student, s per training epoch", ("train", "student")),
                       (f"teacher, s to infer {len(x):,} images (batch 512)", ("infer", "teacher"))]:
        f32, bf16 = med[(*key, "float32")], med[(*key, "bfloat16")]
        rows.append(f"| {label} | {f32:.2f} | {bf16:.2f} | {f32 / bf16:.2f}x |")
    rows.append(f"| teacher training, achieved GFLOP/s | {achieved['float32']:.0f} | {achieved['bfloat16']:.0f} | |")
    rows.append(f"| peak: {2048}x{2048} matmul, GFLOP/s | {peaks['float32']:.0f} | {peaks['bfloat16']:.0f} | |")
    table = "\n".join(rows)
    summary = (f"{len(x):,} images, batch {args.batch_size}, median of {args.rounds} epochs after a warm-up, "
               f"{os.cpu_count()} CPU cores; teacher training step: {step_flops / 1e6:.0f} MFLOP per image. "
               f"Teacher training reaches {100 * achieved['float32'] / peaks['float32']:.0f}% of the float32 matmul peak "
               f"and {100 * achieved['bfloat16'] / peaks['bfloat16']:.0f}% of the bfloat16 one. "
               f"`choose_precision('auto')` here: {auto.name} ({auto.reason}).")
    print(f"\n{table}\n\n{summary}")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, "train_speed.md"), "w") as f: f.write(f"{table}\n\n{summary}\n")
        with open(os.path.join(args.out, "train_speed.json"), "w") as f:
            json.dump({"auto": {"name": auto.name, "reason": auto.reason, "bf16_cpu_flags": auto.bf16_cpu_flags},
                       "n": len(x), "batch_size": args.batch_size, "rounds": args.rounds, "cpu_count": os.cpu_count(),
                       "teacher_train_mflop_per_image": step_flops / 1e6, "seconds": {" ".join(k): v for k, v in times.items()},
                       "median_seconds": {" ".join(k): v for k, v in med.items()}, "achieved_gflops": achieved,
                       "peak_gflops": peaks, "table": table}, f, indent=1)


if __name__ == "__main__":
    main()
