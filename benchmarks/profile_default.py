"""Where the default `kd_experiment`'s seconds go: its stages, the students' seconds per epoch, and their arithmetic rate
against this machine's measured matrix-multiply peak.

Runs `run_experiment` on the default settings into a fresh folder (nothing reused), timing each stage of the protocol by
wrapping the functions `run_experiment` calls; then reads every run's record (its training seconds and epochs) and counts
the students' floating-point operations per training step from their layers (3x the forward pass: forward, and a backward
pass of about twice its cost).

    python benchmarks/profile_default.py [kd_experiment options ...] > benchmarks/results/profile_default/profile.md   # progress on stderr

With `--out DIR` the run is made in DIR (new or empty) and kept there; without it, in a temporary folder.
"""
import contextlib
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import keras
import tensorflow as tf

from kd_nb import experiment, run_start
from kd_nb.cli import config_from_args, experiment_parser
from kd_nb.models import student_builder
from kd_nb.precision import machine_info

STAGES = [(run_start, "experiment_data", "data: load, check, split"), (run_start, "check_methods_apply", "methods checked on the task's models"),
          (run_start, "measured_precision", "precision: bfloat16 timed against float32 (once per machine, then read)"),
          (run_start, "train_teachers", "teacher: train (and measure its batch-norm statistics)"),
          (experiment, "choose_kd_setting", "alpha and T chosen on validation (seed-0 students)"),
          (experiment, "student_runs", "students: every arm, every seed"), (experiment, "at_chosen_epochs", "students read at the chosen epoch"),
          (experiment, "deployment_reports", "LiteRT export and latency"), (experiment, "write_results", "results.json, tables, plots")]


def timed(module, name:str, seconds:dict, label:str):
    "Wrap `module.name` so that each call adds its wall seconds to `seconds[label]`."
    original = getattr(module, name)
    def run(*args, **kwargs):
        start = time.perf_counter()
        try: return original(*args, **kwargs)
        finally: seconds[label] = seconds.get(label, 0.0) + time.perf_counter() - start
    setattr(module, name, run)


def forward_flops(model:keras.Model) -> float: # multiply-adds x 2 of one example's forward pass
    "Floating-point operations of one example's forward pass through the conv and dense layers of `model`."
    total = 0.0
    for layer in model.layers:
        out = layer.output.shape
        if isinstance(layer, keras.layers.Conv2D):
            k = np.prod(layer.kernel_size) * layer.input.shape[-1]
            total += 2.0 * k * np.prod(out[1:])
        elif isinstance(layer, keras.layers.Conv1D):
            total += 2.0 * layer.kernel_size[0] * layer.input.shape[-1] * np.prod(out[1:])
        elif isinstance(layer, keras.layers.Dense):
            total += 2.0 * layer.input.shape[-1] * out[-1]
    return total


def matmul_peak(n:int=1024, repeats:int=20) -> float: # GFLOP/s
    "The best rate of an n x n float32 matrix product here, over `repeats` timed runs after a warm-up."
    a, b = tf.random.normal((n, n)), tf.random.normal((n, n))
    product = tf.function(lambda: tf.matmul(a, b))
    product().numpy()
    best = min(timed_once(product) for _ in range(repeats))
    return 2.0 * n ** 3 / best / 1e9


def timed_once(f) -> float:
    start = time.perf_counter(); f().numpy(); return time.perf_counter() - start


if __name__ == "__main__":
    given = experiment_parser().parse_args(sys.argv[1:]).out   # --out DIR: run into DIR (new or empty) and keep the run there
    if given and Path(given).exists() and any(Path(given).iterdir()): sys.exit(f"{given} is not empty: the profile times a fresh run")
    with (contextlib.nullcontext(given) if given else tempfile.TemporaryDirectory()) as tmp:
        cfg = config_from_args(experiment_parser().parse_args([*sys.argv[1:], "--out", tmp]))
        seconds = {}
        for module, name, label in STAGES: timed(module, name, seconds, label)
        start = time.perf_counter()
        with contextlib.redirect_stdout(sys.stderr): results = experiment.run_experiment(cfg)   # the run's progress apart from the report
        wall = time.perf_counter() - start
        tuning = [json.loads(p.read_text()) for p in sorted((Path(tmp) / "tuning").rglob("*-seed*.json"))]
        records = [json.loads(p.read_text()) for p in sorted((Path(tmp) / "students").glob("*-seed*.json"))
                   if not (tuning and p.name == "distilled-seed0.json")]   # with tuning, that run is the chosen candidate's, copied
    runs = records + tuning
    student_epochs = sum(len(r["history"]["val_accuracy"]) for r in runs)
    student_seconds = sum(r["train_seconds"] for r in runs)
    n_train = results["dataset"]["n_train"]
    shape, classes = tuple(results["dataset"].get("input_shape", (28, 28, 1))), results["dataset"].get("n_classes", 10)
    step_flops = 3 * forward_flops(student_builder(results["config"]["student"], shape, classes)(name="student"))
    per_epoch = student_seconds / student_epochs
    rate = step_flops * n_train / per_epoch / 1e9
    peak = matmul_peak()
    machine = machine_info()
    print(f"# Where the run's seconds go\n\n`python benchmarks/profile_default.py {' '.join(sys.argv[1:])}` on {machine['cpu']} "
          f"({machine['cpu_count']} cores), TensorFlow {tf.__version__}, Keras {keras.__version__}, precision {results['precision']['name']}; "
          f"{platform.platform()}.\n")
    print("| stage | seconds | share of the run |\n|---|---:|---:|")
    for label, s in seconds.items(): print(f"| {label} | {s:.1f} | {100 * s / wall:.0f}% |")
    print(f"| the whole run | {wall:.1f} | 100% |\n")
    print(f"Students: {len(runs)} runs ({len(tuning)} of them choosing alpha and T), {student_epochs} epochs of {n_train:,} images in "
          f"{student_seconds:.1f} s of training: {per_epoch:.2f} s per student-epoch, {n_train / per_epoch:,.0f} images per second. "
          f"A training step costs about {step_flops / 1e6:.2f} MFLOP per image (3x the forward pass), so the students run at "
          f"{rate:.1f} GFLOP/s, {100 * rate / peak:.0f}% of this machine's measured float32 matrix-product peak ({peak:.0f} GFLOP/s, "
          f"1024 x 1024, best of 20).")
