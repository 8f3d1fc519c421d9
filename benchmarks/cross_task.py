"""Cross-task distillation on the embedded MNIST: hints from a teacher of another task (digit pairs) vs none vs same task.

Arms (3 seeds, the default student recipe: 30 epochs, cosine schedule, each run's best validation epoch):
scratch (labels only); hints from a 5-class teacher trained on digit pairs {0,1}, {2,3}, ... (labels + FitNets hint);
hints from the 10-class teacher; KD from the 10-class teacher. Both teachers are the BN teacher, trained the same way
(12 epochs, shifts of up to 2 px). Results: cross_task.json and cross_task.md in --out.

    python benchmarks/cross_task.py
"""
import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
from kd_nb.cache import teacher_logits
from kd_nb.cross_task import coarse_labels
from kd_nb.data import experiment_data, relabelled
from kd_nb.config import ExperimentConfig
from kd_nb.protocol import task_settings
from kd_nb.results import mean_std
from kd_nb.runs import cached_run
from kd_nb.targets import shift_batches, training_batches
from kd_nb.training import train_model
from kd_nb.models import bn_teacher, tutorial_student
from kd_nb.terms import method_terms

ARMS = {"scratch": None, "hints, digit-pair teacher": ("hints", "coarse"), "hints, same-task teacher": ("hints", "same"),
        "KD, same-task teacher": ("kd", "same")}


def trained_teacher(data, cfg, out, n_classes, name):
    "The BN teacher trained on `data` (labels as given), saved and reused at out/name."
    def train():
        teacher = bn_teacher(seed=0, n_classes=n_classes, name=name)
        batches = shift_batches(*data.train, cfg.teacher_shift, cfg.batch_size, seed=0)
        return teacher, train_model(teacher, data, cfg.teacher_epochs, cfg, batches, seed=0, track_test=False)
    return cached_run(out / name, {"data": data.fingerprint, "classes": n_classes, "epochs": cfg.teacher_epochs}, train)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--out", default="benchmarks/results/embedded/cross_task")
    args = p.parse_args(argv)
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    cfg = ExperimentConfig(student_epochs=30)   # the budget its results were run with
    data = experiment_data(cfg)
    cfg = task_settings(cfg, data)   # the shifts and the student for these images
    coarse = relabelled(data, coarse_labels)
    start = time.perf_counter()
    teachers = {"coarse": trained_teacher(coarse, cfg, out, 5, "pairs_teacher"), "same": trained_teacher(data, cfg, out, 10, "teacher")}
    print({k: f"val {100 * r['val_accuracy']:.2f}%" for k, (_, r) in teachers.items()}, "(the pair teacher on its own 5-class task)", flush=True)
    logits = {"train": teacher_logits(teachers["same"][0], data.train[0], verbose=False)}
    runs = {arm: [] for arm in ARMS}
    for seed in range(args.seeds):
        for arm, spec in ARMS.items():
            student = tutorial_student(seed=seed, name="student")
            if spec is None:
                rec = train_model(student, data, cfg.student_epochs, cfg, training_batches(data, cfg, seed), seed, track_test=False)
            else:
                method, which = spec
                teacher = teachers[which][0]
                terms = method_terms(method, student, teacher, cfg.alpha, cfg.temperature)
                batches = training_batches(data, cfg, seed, logits=logits if method == "kd" else None)
                rec = train_model(student, data, cfg.student_epochs, cfg, batches, seed, teacher, track_test=False, terms=terms)
            runs[arm].append({k: rec[k] for k in ("best_epoch", "val_accuracy", "test_accuracy", "train_seconds")})
            print(f"seed {seed} {arm}: val {100 * rec['val_accuracy']:.2f}%, test {100 * rec['test_accuracy']:.2f}%", flush=True)
    rows = ["| student | validation accuracy (%) | test accuracy (%) | per seed (test) | s / run |", "|---|---:|---:|---|---:|"]
    for arm, rs in runs.items():
        (vm, vs), (tm, ts) = (mean_std([100 * r[k] for r in rs]) for k in ("val_accuracy", "test_accuracy"))
        per_seed = ", ".join(f"{100 * r['test_accuracy']:.2f}" for r in rs)
        rows.append(f"| {arm} | {vm:.2f} ± {vs:.2f} | {tm:.2f} ± {ts:.2f} | {per_seed} | {sum(r['train_seconds'] for r in rs) / len(rs):.0f} |")
    teacher_line = (f"\n\nTeachers (validation accuracy on their own task): digit pairs {100 * teachers['coarse'][1]['val_accuracy']:.2f}% "
                    f"(5 classes), same task {100 * teachers['same'][1]['val_accuracy']:.2f}% (10 classes). {args.seeds} seeds; "
                    f"{cfg.student_epochs} epochs, best validation epoch of each run; hint: the student's last feature map (7 x 7 x 32) "
                    "through a 1 x 1 convolution to the teacher's last 7 x 7 map (64 channels).\n")
    (out / "cross_task.md").write_text("\n".join(rows) + teacher_line)
    (out / "cross_task.json").write_text(json.dumps({"runs": runs, "wall_seconds": time.perf_counter() - start,
                                                      "teachers_val_accuracy": {k: r["val_accuracy"] for k, (_, r) in teachers.items()}}, indent=1))
    print((out / "cross_task.md").read_text())


if __name__ == "__main__":
    main()
