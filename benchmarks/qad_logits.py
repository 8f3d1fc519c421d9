"""Where the logits of a run's integer students sit against the range of their int8 quantizer.

For each student trained through quantization (`qad`, `qat`) of a `kd_experiment --quantize int8` run, every seed at
the run's chosen epoch: the range of its logits before their quantizer, on the run's training inputs; the quantizer's
range and its rounding step (range / 255); the share of logits outside the range. For the float distilled student, the
range of its logits. This is how QAD's logits were found running away when their quantizer passed no gradient outside
its range (`kd_nb.quantization`, "The logits: a gradient that passes").

    python benchmarks/qad_logits.py RUN_FOLDER    # writes RUN_FOLDER/qad_logits.json and prints a Markdown table
"""
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras
import numpy as np

from kd_nb.config import ExperimentConfig
from kd_nb.data import experiment_data
from kd_nb.models import student_builder
from kd_nb.quantization import fake_quantized
from kd_nb.runs import epochs_file, load_epoch_weights


def logits_report(run:Path) -> dict:
    "Per arm and seed: the logits' range on the training inputs, and for an integer arm its quantizer's range."
    results = json.loads((run / "results.json").read_text())
    cfg = results["config"]
    data = experiment_data(ExperimentConfig(dataset=cfg["dataset"], n_train=cfg["n_train"],
                                            val_fraction=cfg["val_fraction"]))
    x = np.asarray(data.train[0], np.float32)
    build = student_builder(cfg["student"], tuple(results["dataset"]["input_shape"]), results["dataset"]["n_classes"])
    report = {}
    for arm in ("distilled", "qad", "qat"):
        for seed, epoch in enumerate(results["models"][arm]["best_epoch"]):
            record = json.loads((run / "students" / f"{arm}-seed{seed}.json").read_text())
            weights = load_epoch_weights(epochs_file(run / "students" / f"{arm}-seed{seed}"), epoch, record["key"])
            model = fake_quantized(build(name=arm)) if arm != "distilled" else build(name=arm)
            model.set_weights(weights)
            before = keras.Model(model.inputs, model.layers[-2].output) if arm != "distilled" else model
            z = np.asarray(before.predict(x, batch_size=512, verbose=0))
            row = {"epoch": epoch, "logits": [float(z.min()), float(z.max())]}
            if arm != "distilled":
                q = model.layers[-1]
                low, high = float(q.low), float(q.high)
                row.update(range=[low, high], step=(high - low) / 255, outside=float(np.mean((z < low) | (z > high))))
            report[f"{arm}-seed{seed}"] = row
    return report


def markdown(report:dict) -> str:
    rows = ["| student | epoch | logits on the training inputs | quantizer's range | step | outside the range |",
            "|---|---:|---|---|---:|---:|"]
    for name, r in report.items():
        q = ("", "", "") if "range" not in r else (f"[{r['range'][0]:.1f}, {r['range'][1]:.1f}]", f"{r['step']:.3f}",
                                                   f"{100 * r['outside']:.2f}%")
        rows.append(f"| {name} | {r['epoch']} | [{r['logits'][0]:.1f}, {r['logits'][1]:.1f}] | " + " | ".join(q) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    run = Path(sys.argv[1])
    report = logits_report(run)
    (run / "qad_logits.json").write_text(json.dumps(report, indent=1))
    print(markdown(report))
