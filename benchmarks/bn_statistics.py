"""The BatchNorm teacher after short trainings: test accuracy in inference mode with the statistics the experiment keeps, with
Keras's moving averages alone (before the fix), and with batch statistics (`training=True`, as during training).

The teacher is trained as `kd_experiment` trains it (`train_teachers`' recipe: random shifts of 2 px, cosine learning
rate, Adam 1e-3, batch 64, the best validation epoch kept) for 1, 3 and 12 epochs, on the embedded subset (3,600
training images) and on a 1,200-image part of it (1,080 training images). The tracker measures and keeps the weights with the training images'
statistics (`kd_nb.models.statistics_for_inference`); with few steps Keras's moving averages still hold their initial
values. The last column is the same training with the tracker measuring the moving averages as Keras kept them: the
teacher as the experiment kept it before. The training itself is the same in both.

    python benchmarks/bn_statistics.py > benchmarks/results/bn_statistics/bn_statistics.md
"""
import os
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import contextlib
from dataclasses import replace
from unittest import mock

import numpy as np

from kd_nb.precision import machine_info
from kd_nb import training
from kd_nb.data import experiment_data
from kd_nb.config import ExperimentConfig
from kd_nb.targets import shift_batches
from kd_nb.training import train_model
from kd_nb.models import bn_teacher


def batch_statistics_accuracy(model, x, y, batch_size=64) -> float:
    "Top-1 accuracy with each batch's own statistics (training mode, dropout on), batches of mixed classes."
    order = np.random.default_rng(0).permutation(len(y))
    x, y = x[order], y[order]
    return float(np.mean(np.concatenate([np.argmax(model(x[i:i + batch_size], training=True), axis=1)
                                         for i in range(0, len(x), batch_size)]) == y))


def train_teacher(data, epochs, measured=True):
    "The experiment's teacher recipe for `epochs` epochs; `measured=False`: the tracker measures and keeps the moving averages as Keras kept them (before the fix)."
    cfg = replace(ExperimentConfig(), teacher_epochs=epochs)
    teacher = bn_teacher(seed=0)
    run = lambda: train_model(teacher, data, epochs, cfg, batches=shift_batches(*data.train, 2, 64, seed=0), seed=0, track_test=False)
    if measured: return teacher, run()
    with mock.patch.object(training, "statistics_for_inference", lambda *args: contextlib.nullcontext()): return teacher, run()


def main():
    machine = machine_info()
    print(f"# The BatchNorm teacher after short trainings\n\nMachine: {machine['cpu']} ({machine['cpu_count']} cores), float32. "
          "Test accuracy (%) of the epoch kept (best on validation); steps: training steps of the whole run.\n")
    print("| data | epochs | steps | inference, measured statistics (kept) | batch statistics | kept minus batch | inference, moving averages (before) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n_train in (None, 1200):
        data = experiment_data(ExperimentConfig(n_train=n_train))
        for epochs in (1, 3, 12):
            teacher, record = train_teacher(data, epochs)
            batch = batch_statistics_accuracy(teacher, *data.test)
            _, before = train_teacher(data, epochs, measured=False)
            print(f"| {len(data.train[1]):,} training images | {epochs} | {int(teacher.optimizer.iterations)} | "
                  f"{100 * record['test_accuracy']:.2f} | {100 * batch:.2f} | {100 * (record['test_accuracy'] - batch):+.2f} | "
                  f"{100 * before['test_accuracy']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
