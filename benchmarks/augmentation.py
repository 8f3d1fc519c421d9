"""Consistent augmentation three ways, side by side: accuracy and seconds per epoch of the distilled student (and of the
scratch student on the same images) with (a) no augmentation, teacher logits cached; (b) online consistent augmentation:
random whole-pixel shifts, the teacher run on every augmented batch; (c) a view bank: k shifted views per image with
the teacher's logits computed once, a random view drawn per epoch. Same teacher, recipe, budget and seeds for all.

    python benchmarks/augmentation.py --out benchmarks/results/embedded      # reuses the teacher of the run in --out
"""
import argparse
import json
import os
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

from kd_nb.cache import add_teacher_logits, bank_batches, shifted, teacher_logits, view_bank
from kd_nb.data import experiment_data
from kd_nb.config import ExperimentConfig
from kd_nb.protocol import task_settings
from kd_nb.results import mean_std
from kd_nb.targets import training_batches
from kd_nb.teachers import train_teachers
from kd_nb.training import train_model
from kd_nb.models import tutorial_student
from kd_nb.precision import choose_precision


def online_shift_batches(x, y, max_shift, batch_size, seed, teacher=None):
    "Batches of randomly shifted images (a new shift per image and epoch), with the teacher's logits on them if given."
    rng = tf.random.Generator.from_seed(seed)
    def shift(image, label):
        return shifted(image, rng.uniform((2,), -max_shift, max_shift + 1, tf.int32), max_shift), label
    ds = (tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
            .map(shift).batch(batch_size))
    return add_teacher_logits(ds, teacher) if teacher is not None else ds.prefetch(tf.data.AUTOTUNE)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", default="embedded")
    p.add_argument("--out", default="kd_results", help="the experiment's output directory (its teacher is reused)")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--views", type=int, default=8)
    p.add_argument("--max-shift", type=int, default=2)
    args = p.parse_args()
    cfg = replace(ExperimentConfig(), dataset=args.dataset, out=args.out, student_epochs=30)   # the budget its results were run with
    data, precision = experiment_data(cfg), choose_precision(cfg.precision)
    cfg = task_settings(cfg, data)   # the shifts and the student for these images
    teacher, _ = train_teachers(data, cfg, Path(args.out), precision)
    x, y = data.train
    logits = {"train": teacher_logits(teacher, x, cache_dir=Path(args.out) / "cache")}
    start = time.perf_counter()
    bank = view_bank(teacher, x, args.views, args.max_shift, cache_dir=Path(args.out) / "cache")
    bank_seconds = time.perf_counter() - start
    ways = {"(a) no augmentation, cached logits": lambda seed, distill: training_batches(data, cfg, seed, logits=logits if distill else None),
            "(b) online consistent augmentation": lambda seed, distill: online_shift_batches(x, y, args.max_shift, cfg.batch_size, seed,
                                                                                           teacher if distill else None),
            f"(c) view bank, {args.views} views": lambda seed, distill: bank_batches(x, y, bank, cfg.batch_size, seed, with_logits=distill)}
    results = {}
    for way, batches in ways.items():
        for kind in ("distilled", "scratch"):
            runs = []
            for seed in range(args.seeds):
                print(f"[{way}, {kind}, seed {seed + 1}/{args.seeds}]", flush=True)
                student = tutorial_student(seed=seed, name=kind)
                runs.append(train_model(student, data, cfg.student_epochs, cfg, batches(seed, kind == "distilled"), seed,
                                        teacher if kind == "distilled" else None, track_test=False, restore_best=False))
            acc = mean_std([r["test_accuracy"] for r in runs])
            final = "distillation_loss" if kind == "distilled" else "accuracy"     # how well it fits its training targets
            results[f"{way}|{kind}"] = {"test_accuracy": [r["test_accuracy"] for r in runs], "mean": acc[0], "std": acc[1],
                                        "seconds_per_epoch": float(np.median([r["train_seconds"] / cfg.student_epochs for r in runs])),
                                        f"final_train_{final}": float(np.mean([r["history"][final][-1] for r in runs]))}
    rows = ["| students' training images | distilled: test accuracy (%) | scratch: test accuracy (%) | distilled: s / epoch | "
            "one-time teacher cost | distilled: last-epoch soft loss on its training batches | scratch: last-epoch training accuracy (%) |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for way in ways:
        d, s = results[f"{way}|distilled"], results[f"{way}|scratch"]
        once = "logits: 1 pass" if way.startswith("(a)") else "none (every batch)" if way.startswith("(b)") else f"{bank_seconds:.1f} s ({args.views} passes)"
        rows.append(f"| {way} | {100 * d['mean']:.2f} ± {100 * d['std']:.2f} | {100 * s['mean']:.2f} ± {100 * s['std']:.2f} | "
                    f"{d['seconds_per_epoch']:.2f} | {once} | {d['final_train_distillation_loss']:.3f} | {100 * s['final_train_accuracy']:.2f} |")
    table = "\n".join(rows) + (f"\n\n{len(y):,} training images, {args.seeds} seeds, {cfg.student_epochs} epochs ({cfg.schedule} learning rate, "
                               f"last epoch), alpha = {cfg.alpha}, T = {cfg.temperature}, shifts up to {args.max_shift} px, {os.cpu_count()} CPU cores.\n")
    print("\n" + table)
    Path(args.out, "augmentation.json").write_text(json.dumps({"results": results, "bank_seconds": bank_seconds, "table": table}, indent=1))
    Path(args.out, "augmentation.md").write_text(table)


if __name__ == "__main__":
    main()
