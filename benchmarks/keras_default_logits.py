"""Why keras.distillation's default LogitsDistillation loses: the logits its students learned, beside KD's, on the test set.

Reads a finished `kd_experiment --methods ...,keras_default,keras_fixed` run (its teacher and seed-0 students, at the
saved weights) and prints, for the teacher and each student, how many of an image's ten logits are above 0 and above T,
and the test accuracy. The default loss is `kl_divergence(t/T, s/T)` with both sides clipped to [1e-7, 1]: it is lowered
by raising clip(s/T) towards 1 wherever the teacher's t/T is positive, and has no gradient once s >= T.

    python benchmarks/keras_default_logits.py --run benchmarks/results/embedded_logit_methods
"""
import argparse, json
from pathlib import Path

import numpy as np

from kd_nb.models import load_model_file
from kd_nb.config import ExperimentConfig
from kd_nb.data import experiment_data
from kd_nb.training import logits_of

def logit_counts(logits, T):
    "Mean per image: logits above 0, logits at or above T, and the largest logit."
    return {"above 0": float((logits > 0).sum(1).mean()), "at or above T": float((logits >= T).sum(1).mean()),
            "largest": float(logits.max(1).mean())}

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, required=True, help="the run's folder (results.json, teacher.keras, students/)")
    args = parser.parse_args()
    results = json.loads((args.run / "results.json").read_text())
    T = results["config"]["temperature"]
    data = experiment_data(ExperimentConfig(**{k: v for k, v in results["config"].items() if k in ("dataset", "val_fraction", "n_train")}))
    x, y = data.test
    models = {"teacher": args.run / "teacher.keras", **{arm: args.run / "students" / f"{arm}-seed0.keras" for arm in ("distilled", "keras_fixed", "keras_default")}}
    rows = ["| model | logits above 0 (of 10) | logits at or above T | largest logit | test accuracy (%) |", "|---|---:|---:|---:|---:|"]
    for name, path in models.items():
        logits = logits_of(load_model_file(str(path)), x)
        c = logit_counts(logits, T)
        label = {"teacher": "teacher", "distilled": "KD student", "keras_fixed": "keras.distillation, KLDivergence()",
                 "keras_default": "keras.distillation, default"}[name]
        rows.append(f"| {label} | {c['above 0']:.2f} | {c['at or above T']:.2f} | {c['largest']:.2f} | {100 * np.mean(logits.argmax(1) == y):.2f} |")
    print("\n".join(rows))
    print(f"\nSeed-0 students of `{args.run}` at their last epoch's weights (as saved), on the {len(y):,} test images; T = {T:g}.")

if __name__ == "__main__": main()
