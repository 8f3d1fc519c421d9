"A run killed at every write of its end loses no epoch; damaged, truncated, zeroed and missing checkpoints and epoch files are named in one line and redone."
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

TINY = ["--n-train", "200", "--teacher", "tutorial", "--teacher-epochs", "1", "--student-epochs", "2", "--seeds", "1",
        "--alpha", "0.5", "--temperature", "4", "--precision", "float32", "--no-deploy"]
TARGET = "distilled-seed0"   # the run the kills and the damage hit: the distilled student, 2 epochs
APART = TINY + ["--scratch-epochs", "3"]   # budgets that differ: the two students train one after the other, not together

# Runs kd_experiment, killing itself (SIGKILL: no clean-up) right after the write named by argv[1] of the TARGET run.
KILLING = """
import os, signal, sys
from pathlib import Path
from kd_nb import arms, cli, runs
point, target, after_epoch = sys.argv[1], sys.argv[2], int(sys.argv[3])
kill = lambda: os.kill(os.getpid(), signal.SIGKILL)
if point == "checkpoint":       # after the checkpoint of epoch `after_epoch`
    saved = runs.EpochCheckpoint.on_epoch_end
    def on_epoch_end(self, epoch, logs=None):
        saved(self, epoch, logs)
        if target in Path(self.checkpoint.path).name and epoch + 1 == after_epoch: kill()
    runs.EpochCheckpoint.on_epoch_end = on_epoch_end
elif point == "epochs":         # after the run's per-epoch weights
    saved = arms.save_epoch_weights
    def save_epoch_weights(path, *args):
        saved(path, *args)
        if target in path.name: kill()
    arms.save_epoch_weights = save_epoch_weights
else:                           # after the run's .keras model or its .json record (before the checkpoint is removed)
    saved = runs.write_atomic
    def write_atomic(path, write):
        saved(path, write)
        if Path(path).name == f"{target}.{point}": kill()
    runs.write_atomic = write_atomic
sys.exit(cli.kd_experiment(sys.argv[4:]))
"""


UNBUFFERED = {**os.environ, "PYTHONUNBUFFERED": "1"}   # what a killed run printed is kept


def run(out, args=TINY):
    return subprocess.run([sys.executable, "-c", "import sys; from kd_nb.cli import kd_experiment; sys.exit(kd_experiment())",
                           *args, "--out", str(out)], capture_output=True, text=True, timeout=300)


def killed(out, point, target, after_epoch=2, args=TINY) -> str: # what the run printed before it was killed
    result = subprocess.run([sys.executable, "-c", KILLING, point, target, str(after_epoch), *args, "--out", str(out)],
                            capture_output=True, text=True, timeout=300, env=UNBUFFERED)
    assert result.returncode == -9, result.stderr[-2000:]
    return result.stdout


def accuracies(out) -> dict:
    return {k: m["test_accuracy"] for k, m in json.loads((out / "results.json").read_text())["models"].items()}


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    "One uninterrupted run (its two students trained together): what every interrupted run must end as."
    out = tmp_path_factory.mktemp("finished")
    result = run(out)
    assert result.returncode == 0, result.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def finished_apart(tmp_path_factory):
    "One uninterrupted run of students trained one after the other: what every damaged run must end as."
    out = tmp_path_factory.mktemp("finished_apart")
    result = run(out, APART)
    assert result.returncode == 0, result.stderr[-2000:]
    return out


def test_kill_at_every_write_of_a_run_end_loses_no_epoch(tmp_path, finished):
    "Killed after the last epoch's checkpoint, then (resumed) after the epoch weights, after the model, after the record: each start resumes with nothing lost."
    killed(tmp_path, "checkpoint", TARGET)
    for point in ("epochs", "keras", "json"):
        printed = killed(tmp_path, point, TARGET)
        assert f"[resume] {TARGET}-partial.npz: epochs 1-2 restored" in printed, printed[-3000:]   # the two epochs, not trained again
    again = run(tmp_path)
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"{TARGET}: reusing the run saved" in again.stdout, again.stdout[-3000:]
    assert accuracies(tmp_path) == accuracies(finished)
    assert not list((tmp_path / "students").glob("*-partial.npz*"))   # the checkpoint is gone once the record is written


def damage(path, how):
    "Truncate, zero the arrays of (its fingerprint untouched), or delete `path`."
    if how == "truncated": path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    elif how == "zeroed":
        with np.load(path) as saved: arrays = {k: np.zeros_like(saved[k]) if saved[k].dtype.kind == "f" else saved[k] for k in saved.files}
        np.savez(path, **arrays)
    else: path.unlink()


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory):
    "A run killed after the first of the scratch student's three epochs: the distilled run finished, the scratch run's checkpoint and one kept epoch file."
    out = tmp_path_factory.mktemp("interrupted")
    killed(out, "checkpoint", "scratch-seed0", after_epoch=1, args=APART)
    return out


@pytest.mark.parametrize("checkpoint_file, checkpoint_how, epochs_how", [("partial.npz", "truncated", "zeroed"),
                                                                          ("partial.npz", "zeroed", "missing"),
                                                                          ("partial.npz-epoch1.npz", "missing", "truncated")])
def test_damaged_checkpoint_and_epoch_file_are_one_line_each_and_redone(tmp_path, finished_apart, interrupted, checkpoint_file, checkpoint_how, epochs_how):
    shutil.copytree(interrupted, tmp_path, dirs_exist_ok=True)
    damage(tmp_path / "students" / f"scratch-seed0-{checkpoint_file}", checkpoint_how)
    damage(tmp_path / "students" / f"{TARGET}-epochs.npz", epochs_how)
    again = run(tmp_path, APART)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr[-2000:]
    about_checkpoint = [l for l in again.stdout.splitlines() if "scratch-seed0-partial.npz" in l]
    about_epochs = [l for l in again.stdout.splitlines() if f"{TARGET}-epochs.npz" in l]
    assert len(about_checkpoint) == 1 and "training this run from its first epoch" in about_checkpoint[0], again.stdout[-3000:]
    assert len(about_epochs) == 1 and f"training {TARGET} again" in about_epochs[0], again.stdout[-3000:]
    assert "restored" not in again.stdout   # nothing damaged is put back
    assert accuracies(tmp_path) == accuracies(finished_apart)
