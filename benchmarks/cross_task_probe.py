"""Why the detection teacher's hint does not help the presence classifier: what its features know, on validation.

python benchmarks/cross_task_probe.py --run benchmarks/results/detection/embedded
Reads the run's saved models (runs/*.keras, teacher.keras: made by `kd_detection --out RUN`), on the run's validation
canvases only, and writes cross_task_probe.json in RUN:
- the detector's own answer: is a 7 among its detections (a class-7 heatmap peak of at least 0.3)?
- a linear probe (logistic regression, fitted on the training canvases) on the teacher's `neck` features, max-pooled;
- the same probe on each classifier's own `features` map (scratch and hints, per seed), and the classifiers' accuracy.
"""
import argparse
import json
import sys
from pathlib import Path

import keras
import numpy as np
from sklearn.linear_model import LogisticRegression

from kd_nb.data import load_dataset
from kd_nb.detection_data import digit_detection_task
from kd_nb.detection_experiment import SHOWN_SCORE, presence_labels
from kd_nb.detectors import detect

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--run", default="benchmarks/results/detection/embedded", help="the kd_detection output folder")
args = parser.parse_args()
run = Path(args.run)
results = json.loads((run / "results.json").read_text())
(x_train, y_train), (x_test, y_test) = load_dataset("embedded", verbose=False)
task = digit_detection_task(x_train, y_train, x_test, y_test, n_train=results["task"]["train"],
                            n_val=results["task"]["val"], n_test=results["task"]["test"])
assert task.fingerprint == results["task"]["fingerprint"], "not the run's canvases"
labels = {split: presence_labels(getattr(task, split)) for split in ("train", "val")}

def pooled(model, layer, split): # (N, channels): the layer's map, max-pooled over the grid
    features = keras.Model(model.inputs, model.get_layer(layer).output)
    return features.predict(getattr(task, split).images, batch_size=256, verbose=0).max(axis=(1, 2))

def probe(model, layer): # validation accuracy of a logistic regression on the pooled layer, fitted on train
    fitted = LogisticRegression(max_iter=5000).fit(pooled(model, layer, "train"), labels["train"])
    return float(fitted.score(pooled(model, layer, "val"), labels["val"]))

teacher = keras.saving.load_model(run / "teacher.keras")
found = detect(teacher, task.val.images, min_score=SHOWN_SCORE)
report = {"majority": float(max(labels["val"].mean(), 1 - labels["val"].mean())),
          "detector_answer": float(np.mean([int(7 in d["classes"]) for d in found] == labels["val"])),
          "teacher_neck_probe": probe(teacher, "neck"), "classifiers": {}}
for arm in ("scratch", "hints"):
    report["classifiers"][arm] = []
    for seed in range(results["config"]["seeds"]):
        model = keras.saving.load_model(run / "runs" / f"cross_task-{arm}-seed{seed}.keras")
        accuracy = float(np.mean(model.predict(task.val.images, verbose=0).argmax(-1) == labels["val"]))
        report["classifiers"][arm].append({"val_accuracy": accuracy, "features_probe": probe(model, "features")})
(run / "cross_task_probe.json").write_text(json.dumps(report, indent=1))
(run / "cross_task_probe_command.txt").write_text("python " + " ".join(sys.argv) + "\n")
print(json.dumps(report, indent=1))
