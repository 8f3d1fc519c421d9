"""Fit and fidelity of the small-data benchmark's students (`benchmarks/small_digits.py`): why distillation does not pay there.

For each run folder (students saved at their last epoch) and each seed: the accuracy of the distilled and the scratch student
on the training and the validation split, and their top-1 agreement with the teacher (Stanton et al. 2021's fidelity),
beside the teacher's own accuracy. Never the test set.

    python benchmarks/small_digits_fidelity.py RUN_DIR [RUN_DIR ...]
"""
import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

from kd_nb.commands import tensorflow_started
tensorflow_started()
import keras
from kd_nb.data import task_from_arrays
from kd_nb.training import logits_of

digits = load_digits()
images, labels = (digits.images / 16).astype(np.float32), digits.target
task = task_from_arrays(images[:1500], labels[:1500], images[1500:], labels[1500:], "sklearn digits")   # as the benchmark makes it
print("| run | model | train accuracy (%) | validation accuracy (%) | agreement with the teacher, train (%) | agreement, validation (%) |")
print("|---|---|---:|---:|---:|---:|")
for run in map(Path, sys.argv[1:]):
    teacher = keras.saving.load_model(run / "given-teacher.keras", compile=False)
    answers = {split: logits_of(teacher, getattr(task, split)[0]).argmax(1) for split in ("train", "val")}
    acc = lambda pred, split: 100 * np.mean(pred == getattr(task, split)[1])
    print(f"| {run.name} | teacher | {acc(answers['train'], 'train'):.2f} | {acc(answers['val'], 'val'):.2f} | 100 | 100 |")
    for arm in ("scratch", "distilled"):
        rows = []
        for path in sorted((run / "students").glob(f"{arm}-seed*.keras")):
            student = keras.saving.load_model(path, compile=False)
            pred = {s: logits_of(student, getattr(task, s)[0]).argmax(1) for s in ("train", "val")}
            rows.append([acc(pred["train"], "train"), acc(pred["val"], "val"),
                         100 * np.mean(pred["train"] == answers["train"]), 100 * np.mean(pred["val"] == answers["val"])])
        m, s = np.mean(rows, 0), np.std(rows, 0, ddof=1)
        print(f"| {run.name} | {arm} (n={len(rows)}) | " + " | ".join(f"{a:.2f} ± {b:.2f}" for a, b in zip(m, s)) + " |")
