"""Beyond images: DistilBERT-style distillation of a 2-block Transformer into a 1-block one on the marker task.

Data (synthetic, offline): `kd_nb.sequences.marker_task`, 12 tokens with one marker; the label is the token after it.
4,000 training, 1,000 validation, 2,000 test sequences. Teacher: 2 blocks, width 64, 40 epochs, its best validation
epoch. Students (1 block, width 64; 3 seeds; 20 epochs each, cosine schedule, each run's best validation epoch):
scratch; initialized from the teacher's layers, labels only; KD from random weights; initialized + KD; DistilBERT-style
(initialized from the teacher + KD + hidden-state cosine). Results: beyond_images.json and beyond_images.md in --out.

    python benchmarks/beyond_images.py
"""
import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
from kd_nb.cache import teacher_logits
from kd_nb.data import Task
from kd_nb.config import ExperimentConfig
from kd_nb.results import mean_std
from kd_nb.targets import training_batches
from kd_nb.training import train_model
from kd_nb.sequences import copy_matching_weights, marker_task, transformer_classifier
from kd_nb.terms import method_terms

ARMS = {"scratch": (False, None), "initialized from the teacher, labels only": (True, None),
        "KD (random start)": (False, "kd"), "initialized + KD": (True, "kd"),
        "DistilBERT-style: initialized + KD + cosine": (True, "distilbert")}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--out", default="benchmarks/results/sequences")
    args = p.parse_args(argv)
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    data = Task("markers", marker_task(4000, seed=0), marker_task(1000, seed=1), marker_task(2000, seed=2), n_classes=10, fingerprint="")
    cfg = ExperimentConfig(teacher_epochs=40, student_epochs=20, alpha=0.5, temperature=2.0)
    start = time.perf_counter()
    teacher = transformer_classifier(2, "teacher", seed=0)
    t_rec = train_model(teacher, data, cfg.teacher_epochs, cfg, training_batches(data, cfg, 0), 0, track_test=False)
    print(f"teacher: val {100 * t_rec['val_accuracy']:.2f}%, test {100 * t_rec['test_accuracy']:.2f}% "
          f"({teacher.count_params():,} parameters)", flush=True)
    logits = {"train": teacher_logits(teacher, data.train[0], verbose=False)}
    runs = {arm: [] for arm in ARMS}
    for seed in range(args.seeds):
        for arm, (init, method) in ARMS.items():
            student = transformer_classifier(1, "student", seed=100 + seed)
            if init: copy_matching_weights(student, teacher)
            terms = method_terms(method, student, teacher, cfg.alpha, cfg.temperature) if method else None
            online = method == "distilbert"   # the cosine term reads the teacher's hidden states: the teacher runs on each batch
            batches = training_batches(data, cfg, seed, logits=logits if method and not online else None)
            rec = train_model(student, data, cfg.student_epochs, cfg, batches, seed, teacher if method else None,
                              track_test=False, terms=terms)
            runs[arm].append({k: rec[k] for k in ("best_epoch", "val_accuracy", "test_accuracy", "train_seconds")})
            print(f"seed {seed} {arm}: val {100 * rec['val_accuracy']:.2f}%, test {100 * rec['test_accuracy']:.2f}%", flush=True)
    rows = ["| model | params | validation accuracy (%) | test accuracy (%) | per seed (test) |", "|---|---:|---:|---:|---|",
            f"| teacher (2 blocks) | {teacher.count_params():,} | {100 * t_rec['val_accuracy']:.2f} | {100 * t_rec['test_accuracy']:.2f} | |"]
    params = transformer_classifier(1, "student").count_params()
    for arm, rs in runs.items():
        (vm, vs), (tm, ts) = (mean_std([100 * r[k] for r in rs]) for k in ("val_accuracy", "test_accuracy"))
        per_seed = ", ".join(f"{100 * r['test_accuracy']:.2f}" for r in rs)
        rows.append(f"| student (1 block): {arm} | {params:,} | {vm:.2f} ± {vs:.2f} | {tm:.2f} ± {ts:.2f} | {per_seed} |")
    note = (f"\n\nSynthetic marker task (4,000 / 1,000 / 2,000 sequences); {args.seeds} seeds; students {cfg.student_epochs} epochs, "
            f"teacher {cfg.teacher_epochs}; alpha = {cfg.alpha}, T = {cfg.temperature}; each run's best validation epoch.\n")
    (out / "beyond_images.md").write_text("\n".join(rows) + note)
    (out / "beyond_images.json").write_text(json.dumps({"teacher": {k: t_rec[k] for k in ("val_accuracy", "test_accuracy", "best_epoch")},
                                                         "runs": runs, "wall_seconds": time.perf_counter() - start}, indent=1))
    print((out / "beyond_images.md").read_text())


if __name__ == "__main__":
    main()
