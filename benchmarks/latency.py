"""Batch-1 latency of the tutorial's teacher and student: the tutorial's way, compiled Keras, and LiteRT on one thread.

Trains both models briefly (teacher 1 epoch, student 2; latency does not depend on the weights, the accuracy of the
exports does), exports each to LiteRT (float, dynamic-range and full-integer int8, each checked against Keras),
measures everything side by side in this process, prints the table, the ratios and whether each target is met.
Exit status 1 if a target is missed. Takes about a minute on a 2-core CPU.

    python benchmarks/latency.py [--data embedded|keras|PATH.npz] [--out DIR] [--json FILE]
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import keras

from kd_nb.data import load_dataset
from kd_nb.deploy import deployment_report, latency_ratios, latency_table
from kd_nb.precision import machine_info
from kd_nb.models import tutorial_student, tutorial_teacher

EPOCHS = {"teacher": 1, "student": 2}


def train(model, x, y, epochs):
    "Train `model` briefly with Adam and cross-entropy on logits."
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=epochs, batch_size=64, verbose=0)
    return model


def targets(teacher, student):
    "(description, measured value as text, met) for each target of issue 5."
    ratios = latency_ratios(teacher, student)
    checks = [("student LiteRT batch-1 median <= 15 us", f"{student['latency_us']['litert']['median']:.1f} us",
               student["latency_us"]["litert"]["median"] <= 15),
              ("teacher/student LiteRT latency ratio >= 80", f"{ratios['teacher_over_student_litert']:.0f}",
               ratios["teacher_over_student_litert"] >= 80),
              ("student: tutorial-way / LiteRT >= 1000", f"{ratios['tutorial_over_litert_student']:,.0f}",
               ratios["tutorial_over_litert_student"] >= 1000)]
    for r in (teacher, student):
        lite = r["litert"]
        checks.append((f"{r['model']}: float export gives the Keras predictions",
                       f"agreement {lite['float']['agreement']:.4f}, accuracy {100 * lite['float']['accuracy']:.2f}% "
                       f"vs {100 * r['keras_accuracy']:.2f}%", lite["float"]["agreement"] == 1.0))
        diff = 100 * (lite["dynamic"]["accuracy"] - r["keras_accuracy"])
        checks.append((f"{r['model']}: dynamic-range accuracy within 0.5 points", f"{diff:+.2f} points", abs(diff) <= 0.5))
    return checks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="embedded", help="MNIST source for load_dataset (default: the embedded subset)")
    parser.add_argument("--out", help="directory for the .tflite files (default: a temporary directory)")
    parser.add_argument("--json", help="also write the reports, ratios and machine info to this JSON file")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    machine = machine_info()
    print(f"machine: {machine['cpu']}, {machine['cpu_count']} cores, load average {machine['load_average_1min']:.2f}")
    (x_train, y_train), (x_test, y_test) = load_dataset(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out or tmp)
        reports = {}
        for name, model in [("teacher", tutorial_teacher(seed=0)), ("student", tutorial_student(seed=0))]:
            t = time.perf_counter()
            train(model, x_train, y_train, EPOCHS[name])
            reports[name] = deployment_report(model, x_test, y_test, out, quantize=("dynamic", "int8"),
                                              representative_data=x_train[:200])
            print(f"[{name}] trained {EPOCHS[name]} epoch(s), exported and timed in {time.perf_counter() - t:.0f} s")
    print(f"\n{len(x_test):,} test images; LiteRT on {reports['student']['num_threads']} thread, "
          "Keras/TensorFlow on all cores\n")
    print(latency_table(reports))
    ratios = latency_ratios(reports["teacher"], reports["student"])
    print("\nratios of median batch-1 latencies:")
    for key, value in ratios.items(): print(f"  {key:32s} {value:10,.1f}")
    checks = targets(reports["teacher"], reports["student"])
    print("\ntargets:")
    for text, value, met in checks: print(f"  [{'met' if met else 'NOT MET'}] {text}: {value}")
    machine_after = machine_info()["load_average_1min"]
    print(f"\nload average at the end {machine_after:.2f}; total time {time.perf_counter() - start:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, "data": args.data, "reports": reports,
                                               "ratios": ratios, "targets": [list(c) for c in checks]}, indent=1))
    return 0 if all(met for _, _, met in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
