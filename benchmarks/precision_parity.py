"""Accuracy parity of float32 and bfloat16 training: the same experiment (3 seeds) run in each precision, side by side,
with the test accuracies (mean ± std over seeds) and the wall time of each. On a CPU without native bfloat16 the
bfloat16 run is emulated and slow, so the default is a reduced experiment (2,000 training images, short budgets).

    python benchmarks/precision_parity.py --out benchmarks/results/precision
    python benchmarks/precision_parity.py --n-train 0 --teacher-epochs 12 --student-epochs 30   # the default experiment
"""
import argparse
import json
import os
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
from kd_nb.experiment import run_experiment
from kd_nb.config import ExperimentConfig
from kd_nb.precision import choose_precision


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", default="embedded")
    p.add_argument("--n-train", type=int, default=2000, help="training images (0: all)")
    p.add_argument("--teacher-epochs", type=int, default=6)
    p.add_argument("--student-epochs", type=int, default=10)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--out", default="precision_parity")
    args = p.parse_args()
    auto = choose_precision("auto")
    rows = ["| precision | teacher test accuracy (%) | distilled (%) | scratch (%) | wall time |", "|---|---:|---:|---:|---:|"]
    runs = {}
    for precision in ("float32", "bfloat16"):
        cfg = replace(ExperimentConfig(), dataset=args.dataset, n_train=args.n_train or None, teacher_epochs=args.teacher_epochs,
                      student_epochs=args.student_epochs, seeds=args.seeds, precision=precision, deploy=False,
                      tune=False,   # alpha 0.5, T 4 for both precisions, as the committed run
                      out=str(Path(args.out) / precision))
        start = time.perf_counter()
        results = run_experiment(cfg)
        runs[precision] = {"results": results, "wall_seconds": time.perf_counter() - start}
        m = results["models"]
        cell = lambda k: f"{100 * m[k]['test_accuracy_mean']:.2f} ± {100 * m[k]['test_accuracy_std']:.2f}"
        rows.append(f"| {precision} | {100 * m['teacher']['test_accuracy_mean']:.2f} | {cell('distilled')} | {cell('scratch')} | "
                    f"{runs[precision]['wall_seconds']:.0f} s |")
    table = "\n".join(rows) + (f"\n\n{args.n_train or 'all'} training images of {args.dataset}, teacher {args.teacher_epochs} epochs, "
                               f"students {args.student_epochs} epochs, {args.seeds} seeds; `auto` chooses {auto.name} here ({auto.reason}).\n")
    print("\n" + table)
    Path(args.out, "parity.md").write_text(table)
    Path(args.out, "parity.json").write_text(json.dumps({k: {"wall_seconds": v["wall_seconds"], "models": v["results"]["models"]}
                                                         for k, v in runs.items()}, indent=1))


if __name__ == "__main__":
    main()
