"""Students trained together against one by one: the default run's six student runs (3 seeds x the distilled and the
scratch arm, the tutorial's student, the embedded MNIST subset, batch 64, cached teacher logits), each mode timed in
the same process, alternated round by round; the weights of both modes compared.

The teacher logits come from an untrained BN teacher: a training step's cost does not depend on their values. Each
mode prepares its trainings the way a run does (`prepare_training`: compile, batches, tracker with its per-epoch
evaluation of the validation and test splits) and is timed over `fit` alone (`train_seconds`) and over the whole
(preparation and fit).

    python benchmarks/students_together.py --out benchmarks/results/students_together
"""
import argparse
import json
import time
from pathlib import Path

import numpy as np
import keras
import tensorflow as tf

from kd_nb.data import experiment_data
from kd_nb.precision import machine_info
from kd_nb.models import TEACHERS, registered_builder, tutorial_student
from kd_nb.config import ExperimentConfig
from kd_nb.targets import training_batches
from kd_nb.training import fit_training, logits_of, prepare_training, train_together


def trainings(data, cfg, logits, epochs:int, seeds:int) -> tuple: # (names, prepared trainings) of the six runs
    "Each seed's distilled and scratch student, from the seed's initial weights, on the seed's batches."
    names, runs = [], []
    for seed in range(seeds):
        for arm in ("distilled", "scratch"):
            student = tutorial_student(seed=seed, name=arm)
            distilled = arm == "distilled"
            batches = training_batches(data, cfg, seed, logits={"train": logits} if distilled else None)
            runs.append(prepare_training(student, data, epochs, cfg, batches, seed, teacher=TEACHER[0] if distilled else None,
                                         restore_best=False))
            names.append(f"{arm}-seed{seed}")
    return names, runs

TEACHER = []

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=3, help="epochs of every run, per round")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3, help="alternations of the two modes")
    parser.add_argument("--out", type=Path, default=None, help="write students_together.json and .md there")
    args = parser.parse_args()
    cfg = ExperimentConfig()
    data = experiment_data(cfg)
    TEACHER.append(registered_builder("bn", TEACHERS, data.input_shape, data.n_classes)(seed=0, name="teacher"))
    logits = logits_of(TEACHER[0], data.train[0])
    timings = {"alone": [], "together": []}
    fit = {"alone": [], "together": []}
    weights = {}
    for r in range(args.rounds):
        for mode in ("alone", "together"):
            start = time.perf_counter()
            names, runs = trainings(data, cfg, logits, args.epochs, args.seeds)
            records = train_together(runs, names) if mode == "together" else [fit_training(run) for run in runs]
            timings[mode].append(time.perf_counter() - start)
            fit[mode].append(sum(rec["train_seconds"] for rec in records))
            weights[mode] = [run.model.get_weights() for run in runs]
            print(f"round {r + 1}/{args.rounds}: {mode} {timings[mode][-1]:.1f} s (fit {fit[mode][-1]:.1f} s)", flush=True)
    runs_n, images = 2 * args.seeds, len(data.train[1])
    med = {m: float(np.median(v)) for m, v in fit.items()}
    whole = {m: float(np.median(v)) for m, v in timings.items()}
    per_epoch = {m: med[m] / (runs_n * args.epochs) for m in med}
    diff = max(float(np.abs(a - b).max()) for wa, wb in zip(weights["alone"], weights["together"]) for a, b in zip(wa, wb))
    machine = machine_info()
    result = {"command": "python benchmarks/students_together.py" + (f" --out {args.out}" if args.out else ""),
              "machine": machine, "tensorflow": tf.__version__, "keras": keras.__version__, "runs": runs_n, "epochs": args.epochs,
              "train_images": images, "batch_size": cfg.batch_size, "fit_seconds": fit, "whole_seconds": timings,
              "seconds_per_student_epoch": per_epoch, "speedup_fit": med["alone"] / med["together"],
              "speedup_whole": whole["alone"] / whole["together"], "max_weight_difference": diff}
    table = (f"| | one by one | together | ratio |\n|---|---:|---:|---:|\n"
             f"| fit, s (median of {args.rounds}) | {med['alone']:.1f} | {med['together']:.1f} | {result['speedup_fit']:.2f}x |\n"
             f"| whole (prepare and fit), s | {whole['alone']:.1f} | {whole['together']:.1f} | {result['speedup_whole']:.2f}x |\n"
             f"| s per student-epoch | {per_epoch['alone']:.3f} | {per_epoch['together']:.3f} | |\n"
             f"| images per second per student | {images / per_epoch['alone']:,.0f} | {images / per_epoch['together']:,.0f} | |\n\n"
             f"{runs_n} student runs (the tutorial's student, {args.seeds} seeds x distilled and scratch) of {args.epochs} epochs on "
             f"{images:,} images, batch {cfg.batch_size}, float32, each run's validation and test splits evaluated after every epoch; "
             f"{machine['cpu']} ({machine['cpu_count']} cores), TensorFlow {tf.__version__}, Keras {keras.__version__}. "
             f"Largest weight difference between the two modes after training: {diff:.1e}.\n")
    print(table)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "students_together.json").write_text(json.dumps(result, indent=1))
        (args.out / "students_together.md").write_text(table)

if __name__ == "__main__":
    main()
