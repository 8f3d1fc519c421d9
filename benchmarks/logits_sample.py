"""Save a sample of real logits for the T^2 page (01_losses): the embedded run's BN teacher and its seed-0 scratch student
on the first 256 validation images. Needs the models saved by `kd_experiment --out benchmarks/results/embedded`."""
import argparse
from pathlib import Path

import keras
import numpy as np

from kd_nb.data import experiment_data

from kd_nb.config import ExperimentConfig


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--run", default="benchmarks/results/embedded")
    p.add_argument("--n", type=int, default=256)
    args = p.parse_args(argv)
    run = Path(args.run)
    x = experiment_data(ExperimentConfig())["val"][0][:args.n]
    teacher = keras.models.load_model(run / "teacher.keras")
    student = keras.models.load_model(run / "students" / "scratch-seed0.keras")
    np.savez(run / "logits_sample.npz", teacher=teacher.predict(x, verbose=0), student=student.predict(x, verbose=0))
    print(f"wrote {run / 'logits_sample.npz'}")


if __name__ == "__main__":
    main()
