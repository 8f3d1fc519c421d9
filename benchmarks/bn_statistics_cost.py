"""What measuring the BatchNorm statistics after every epoch costs: `population_statistics` on the BN teacher (2,048 training
images, the experiment's default) beside one training epoch of that teacher on the embedded data (3,600 images,
batch 64, random shifts), timed alternately in one process, median of 5 each.

    python benchmarks/bn_statistics_cost.py > benchmarks/results/bn_statistics/cost.md
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import time

import numpy as np

from kd_nb.precision import machine_info
from kd_nb.data import experiment_data
from kd_nb.config import ExperimentConfig
from kd_nb.targets import shift_batches
from kd_nb.training import compile_classifier
from kd_nb.models import bn_teacher, population_statistics


def main():
    data = experiment_data(ExperimentConfig())
    x, y = data.train
    teacher = compile_classifier(bn_teacher(seed=0))
    batches = shift_batches(x, y, 2, 64, seed=0)
    teacher.fit(batches, epochs=1, verbose=0); population_statistics(teacher, x)   # warm-up: tracing
    epoch, measure = [], []
    for _ in range(5):
        start = time.perf_counter(); teacher.fit(batches, epochs=1, verbose=0); epoch.append(time.perf_counter() - start)
        start = time.perf_counter(); population_statistics(teacher, x); measure.append(time.perf_counter() - start)
    m = machine_info()
    e, s = np.median(epoch), np.median(measure)
    print(f"Machine: {m['cpu']} ({m['cpu_count']} cores), float32.\n\n"
          f"- one training epoch of the BN teacher (3,600 images): {e:.2f} s (median of 5)\n"
          f"- `population_statistics` (2,048 images, 5 BN layers): {s:.2f} s (median of 5)\n"
          f"- measuring adds {100 * s / e:.0f}% to a teacher epoch on the embedded data")


if __name__ == "__main__":
    main()
