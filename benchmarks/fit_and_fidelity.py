"""How well a run's students fit their training data and match their teacher: why distillation pays on one data set and not another.

For a finished `kd_experiment` folder: every student (each arm, each seed) at the epoch the run chose on validation, and its
teacher, measured on the training split and on the validation split (never the test set):

- accuracy on each split: a student far better on training than on validation overfits (data is its limit);
  one about as good on both underfits (its architecture is the limit);
- agreement with the teacher (top-1, Stanton et al. 2021's "fidelity"): how much of the teacher's function the student took on;
- headroom on validation: the share of examples the teacher gets right and the scratch student wrong, the most a teacher's
  answers could add.

    python benchmarks/fit_and_fidelity.py RUN_DIR [RUN_DIR ...] > benchmarks/results/fit_and_fidelity/fit_and_fidelity.md
"""
import json
import sys
from dataclasses import fields
from pathlib import Path

import numpy as np

from kd_nb.data import experiment_data
from kd_nb.models import load_model_file, student_builder
from kd_nb.config import ExperimentConfig
from kd_nb.runs import epochs_file, load_epoch_weights
from kd_nb.selection import chosen_epochs
from kd_nb.training import logits_of


def run_config(results:dict) -> ExperimentConfig:
    "The settings a results.json records, as an `ExperimentConfig` (settings added since are at their default)."
    known = {f.name for f in fields(ExperimentConfig)}
    return ExperimentConfig(**{k: tuple(v) if k == "methods" else v for k, v in results["config"].items() if k in known})


def answers(model, x) -> np.ndarray: return logits_of(model, x).argmax(axis=1) # a model's top-1 answers on `x`


def measure(run:Path) -> tuple: # (results, rows (arm, seed, train acc., val acc., agreement train, agreement val), teacher's (train, val) accuracy, headroom)
    "Every student of the run at its chosen epoch, with its teacher, on the training and validation splits."
    results = json.loads((run / "results.json").read_text())
    cfg = run_config(results)
    data = experiment_data(cfg)
    teacher = load_model_file(run / "teacher.keras")
    taught = {split: answers(teacher, getattr(data, split)[0]) for split in ("train", "val")}
    records = {}
    for path in sorted((run / "students").glob("*-seed*.json")):
        arm, seed = path.stem.rsplit("-seed", 1)
        records.setdefault(arm, {})[int(seed)] = json.loads(path.read_text())
    records = {arm: [by_seed[s] for s in sorted(by_seed)] for arm, by_seed in records.items()}
    epochs = chosen_epochs(records, cfg.select)
    build = student_builder(results["config"].get("student", "tutorial"), data.input_shape, data.n_classes)
    rows, headroom = [], []
    for arm, recs in records.items():
        for seed, record in enumerate(recs):
            student = build(name=arm)
            student.set_weights(load_epoch_weights(epochs_file(run / "students" / f"{arm}-seed{seed}"), epochs[arm], record["key"]))
            said = {split: answers(student, getattr(data, split)[0]) for split in ("train", "val")}
            rows.append((arm, seed, *(np.mean(said[s] == getattr(data, s)[1]) for s in ("train", "val")),
                         *(np.mean(said[s] == taught[s]) for s in ("train", "val"))))
            if arm == "scratch": headroom.append(np.mean((taught["val"] == data.val[1]) & (said["val"] != data.val[1])))
    teacher_fit = tuple(np.mean(taught[s] == getattr(data, s)[1]) for s in ("train", "val"))
    return results, rows, teacher_fit, float(np.mean(headroom))


if __name__ == "__main__":
    for run in map(Path, sys.argv[1:]):
        results, rows, (teacher_train, teacher_val), headroom = measure(run)
        print(f"\n### {Path(results['dataset']['name']).name}, {results['dataset']['n_train']:,} training inputs (`{run.name}`)\n")
        print(f"Teacher: {100 * teacher_train:.2f}% on training, {100 * teacher_val:.2f}% on validation. Headroom on validation "
              f"(teacher right, scratch student wrong; mean over seeds): {100 * headroom:.2f}%.\n")
        print("| student | training accuracy | validation accuracy | train − validation | agreement with the teacher, training | agreement, validation |")
        print("|---|---:|---:|---:|---:|---:|")
        for arm in dict.fromkeys(r[0] for r in rows):
            vals = np.array([r[2:] for r in rows if r[0] == arm])
            m = vals.mean(axis=0)
            print(f"| {arm} (mean of {len(vals)} seeds) | {100 * m[0]:.2f} | {100 * m[1]:.2f} | {100 * (m[0] - m[1]):+.2f} | {100 * m[2]:.2f} | {100 * m[3]:.2f} |")
