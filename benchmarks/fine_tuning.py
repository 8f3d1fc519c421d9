"""Distillation vs fine-tuning on the embedded MNIST: task A (digits), task B (inverted digits, 300 labels + 3,300 unlabelled).

Rows (3 seeds where training is involved; each run keeps its best epoch on task B's validation split):
the task-A teacher on task B as it is; the teacher fine-tuned on task B's 300 labels (all layers, Adam, 20 epochs, learning rate 1e-4 or 1e-3 chosen on validation);
the small student trained on the 300 labels (30 epochs); the small student distilled from the fine-tuned teacher on
all 3,600 task-B training images with the soft labels alone (T = 4, 30 epochs). The task-A teacher is the reference
experiment's (benchmarks/results/embedded/teacher.keras, trained again if missing). Results: fine_tuning.{json,md}.

    python benchmarks/fine_tuning.py
"""
import argparse
import json
import os
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import keras
from kd_nb.cache import teacher_logits
from kd_nb.data import stratified_split, to_dataset
from kd_nb.data import experiment_data
from kd_nb.config import ExperimentConfig
from kd_nb.protocol import task_settings
from kd_nb.results import mean_std
from kd_nb.targets import training_batches
from kd_nb.teachers import train_teachers
from kd_nb.training import evaluate_classifier, train_model
from kd_nb.fine_tuning import inverted
from kd_nb.models import tutorial_student
from kd_nb.precision import choose_precision
from kd_nb.terms import distillation_targets, method_terms


def fine_tuned(teacher, labelled, cfg, seed, rates=(1e-4, 1e-3), epochs=20):
    "The teacher fine-tuned (all layers) at the learning rate of `rates` with the best validation accuracy, and its record."
    best = None
    for lr in rates:
        tuned = keras.models.clone_model(teacher); tuned.set_weights(teacher.get_weights())
        ft_cfg = replace(cfg, learning_rate=lr)
        rec = train_model(tuned, labelled, epochs, ft_cfg, training_batches(labelled, ft_cfg, seed), seed, track_test=False,
                          evaluate_test=False)
        print(f"seed {seed}: fine-tuning at learning rate {lr}: validation {100 * rec['val_accuracy']:.2f}%", flush=True)
        if best is None or rec["val_accuracy"] > best[1]["val_accuracy"]: best = (tuned, {**rec, "learning_rate": lr})
    tuned, rec = best
    return tuned, {**rec, "test_accuracy": evaluate_classifier(tuned, *labelled.test)["accuracy"]}   # the test set once, for the chosen one


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--labels", type=int, default=300, help="labelled task-B training images")
    p.add_argument("--out", default="benchmarks/results/embedded/fine_tuning")
    args = p.parse_args(argv)
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    cfg = ExperimentConfig(student_epochs=30)   # the budget its results were run with
    data = experiment_data(cfg)
    cfg = task_settings(cfg, data)   # the shifts and the student for these images
    teacher, _ = train_teachers(data, cfg, Path("benchmarks/results/embedded"), choose_precision("float32"))
    task_b = replace(data, **{k: (inverted(getattr(data, k)[0]), getattr(data, k)[1]) for k in ("train", "val", "test")})
    _, few = stratified_split(task_b.train[1], args.labels / len(task_b.train[1]), seed=0)
    labelled = replace(task_b, train=(task_b.train[0][few], task_b.train[1][few]))
    start = time.perf_counter()
    rows = {"task-A teacher, as it is": [evaluate_classifier(teacher, *task_b.val)["accuracy"],
                                          evaluate_classifier(teacher, *task_b.test)["accuracy"]]}
    runs = {"teacher fine-tuned on the 300 labels": [], "student trained on the 300 labels": [],
            "student distilled from the fine-tuned teacher (3,600 images, no labels)": []}
    for seed in range(args.seeds):
        tuned, rec = fine_tuned(teacher, labelled, cfg, seed)
        runs["teacher fine-tuned on the 300 labels"].append(rec)
        student = tutorial_student(seed=seed)
        runs["student trained on the 300 labels"].append(
            train_model(student, labelled, cfg.student_epochs, cfg, training_batches(labelled, cfg, seed), seed, track_test=False))
        student = tutorial_student(seed=seed)
        logits = teacher_logits(tuned, task_b.train[0], verbose=False)
        unlabelled = np.argmax(logits, axis=1)   # placeholders: the soft-label term never reads them
        batches = to_dataset(task_b.train[0], distillation_targets(unlabelled, logits), cfg.batch_size, seed=seed)
        terms = method_terms("soft_labels_only", student, tuned, cfg.alpha, cfg.temperature)
        runs["student distilled from the fine-tuned teacher (3,600 images, no labels)"].append(
            train_model(student, task_b, cfg.student_epochs, cfg, batches, seed, tuned, track_test=False, terms=terms))
        print(f"seed {seed}: " + "; ".join(f"{k}: {100 * v[-1]['test_accuracy']:.2f}%" for k, v in runs.items()), flush=True)
    table = ["| model | params | labels used | validation accuracy (%) | test accuracy (%) |", "|---|---:|---:|---:|---:|",
             f"| task-A teacher, as it is | {teacher.count_params():,} | 0 of task B | {100 * rows['task-A teacher, as it is'][0]:.2f} | "
             f"{100 * rows['task-A teacher, as it is'][1]:.2f} |"]
    for name, rs in runs.items():
        (vm, vs), (tm, ts) = (mean_std([100 * r[k] for r in rs]) for k in ("val_accuracy", "test_accuracy"))
        params = teacher.count_params() if name.startswith("teacher") else tutorial_student().count_params()
        used = f"{args.labels}" if "300 labels" in name else f"0 (teacher's {args.labels})"
        table.append(f"| {name} | {params:,} | {used} | {vm:.2f} ± {vs:.2f} | {tm:.2f} ± {ts:.2f} |")
    note = (f"\n\nTask B: embedded MNIST with inverted intensities; {args.labels} labelled training images (stratified), "
            f"{len(task_b.train[1]):,} training images in all; {args.seeds} seeds; best epoch on task B's validation split; "
            f"fine-tuning learning rate chosen on validation per seed: "
            f"{', '.join(str(r['learning_rate']) for r in runs['teacher fine-tuned on the 300 labels'])}.\n")
    (out / "fine_tuning.md").write_text("\n".join(table) + note)
    (out / "fine_tuning.json").write_text(json.dumps({k: [{m: r[m] for m in ("best_epoch", "val_accuracy", "test_accuracy", "learning_rate") if m in r} for r in rs]
                                                      for k, rs in runs.items()} | {"teacher_as_is": rows["task-A teacher, as it is"],
                                                      "wall_seconds": time.perf_counter() - start}, indent=1))
    print((out / "fine_tuning.md").read_text())


if __name__ == "__main__":
    main()
