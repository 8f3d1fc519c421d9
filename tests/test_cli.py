"kd_experiment end to end on bad input: a one-line error and exit status 2, never a traceback."
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from kd_nb.testing import lock_holder

from kd_nb.commands import START_NOISE

RUN = "import sys; from kd_nb.commands import {command}; sys.exit({command}())"   # what the console script runs


def run_command(command, *args):
    return subprocess.run([sys.executable, "-c", RUN.format(command=command), *args], capture_output=True,
                          text=True, timeout=300)


def kd_experiment(*args): return run_command("kd_experiment", *args)


def error_lines(result, command="kd_experiment"):
    "Lines of the command's own output that name it, and tracebacks."
    return [l for l in (result.stdout + result.stderr).splitlines() if l.startswith(command) or "Traceback" in l]


def test_commands_keep_tensorflow_start_up_lines_out():
    "The command's output starts with its own lines: TensorFlow's oneDNN, CUDA and cuInit lines are held back."
    result = kd_experiment("--seeds", "0")
    assert result.returncode == 2 and result.stderr.splitlines()[0].startswith("usage: kd_experiment"), result.stderr[:2000]
    assert [l for l in result.stderr.splitlines() if START_NOISE.match(l)] == []


@pytest.fixture
def bad_files(tmp_path):
    (tmp_path / "text.npz").write_text("not an archive")
    np.savez(tmp_path / "no_labels.npz", x_train=np.zeros((4, 28, 28), np.uint8), x_test=np.zeros((2, 28, 28), np.uint8))
    np.savez(tmp_path / "bad_labels.npz", x_train=np.zeros((60, 28, 28), np.uint8), y_train=np.r_[np.arange(59) % 10, 12],
             x_test=np.zeros((2, 28, 28), np.uint8), y_test=np.array([0, 1]))
    np.savez(tmp_path / "wrong_shape.npz", x_train=np.zeros((4, 4, 4, 3), np.uint8), y_train=np.arange(4),
             x_test=np.zeros((2, 4, 4, 3), np.uint8), y_test=np.arange(2))
    np.savez(tmp_path / "float_255.npz", x_train=np.full((60, 28, 28), 200.0, np.float32), y_train=np.arange(60) % 10,
             x_test=np.zeros((10, 28, 28), np.float32), y_test=np.arange(10))
    np.savez(tmp_path / "tiny.npz", x_train=np.zeros((40, 28, 28), np.uint8), y_train=np.arange(40) % 10,
             x_test=np.zeros((10, 28, 28), np.uint8), y_test=np.arange(10))
    (tmp_path / "one_class" / "cat").mkdir(parents=True)
    (tmp_path / "no_header.csv").write_text("1,2,0\n3,4,1\n")
    return tmp_path


@pytest.mark.parametrize("name, message", [("missing.npz", "no such file"), ("text.npz", "not an .npz archive"),
                                           ("float_255.npz", "x_train has float pixels in [200, 200]; float images must be in [0, 1]"),
                                           ("tiny.npz", "class 0 has 4 training image(s); a validation split of 0.1 needs at least 6"),
                                           ("no_labels.npz", "missing key(s) y_train, y_test"),
                                           ("bad_labels.npz", "none of 10, 11"), ("wrong_shape.npz", "images of 4x4 pixels"),
                                           ("one_class", "a directory with 1 class subfolder(s); expected one subfolder of images per class"),
                                           ("no_header.csv", "the table needs a header row")])
def test_bad_dataset_is_one_line(bad_files, name, message):
    result = kd_experiment("--dataset", str(bad_files / name), "--out", str(bad_files / "out"))
    assert result.returncode == 2
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith(f"kd_experiment: error: {bad_files / name}: ") and message in lines[0], lines
    assert not (bad_files / "out").exists()                                  # a run that fails before training leaves no folder


@pytest.mark.parametrize("args, message", [(["--seeds", "0"], "seeds"), (["--alpha", "1.5"], "alpha"),
                                           (["--temperature", "0"], "temperature"), (["--methods", "kd,nope"], "method must be one of"),
                                           (["--methods", "kd,kd"], "distinct method names")])
def test_bad_option_is_one_line(args, message):
    result = kd_experiment(*args)
    assert result.returncode == 2
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("kd_experiment: error:") and message in lines[0], lines


@pytest.mark.parametrize("args, message", [(["--alphas", "0.1,x"], "--alphas must be comma-separated numbers, got '0.1,x'"),
                                           (["--alphas", "0.1,2"], "alpha"), (["--temperatures", "0,4"], "temperature"),
                                           (["--teacher-epochs", "0"], "teacher_epochs"),
                                           (["--methods", "dkd", "--views", "4"], "kd_sweep does not use --methods, --views"),
                                           (["--augment"], "kd_sweep does not use --augment"),
                                           (["--strategy", "multiworker"], "multiworker needs TF_CONFIG")])
def test_bad_sweep_option_is_one_line(args, message):
    result = run_command("kd_sweep", *args)
    assert result.returncode == 2
    lines = error_lines(result, "kd_sweep")
    assert len(lines) == 1 and lines[0].startswith("kd_sweep: error:") and message in lines[0], lines


def test_bad_out_is_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    for out, message in [(tmp_path / "file", "is a file, not a folder"), (tmp_path / "file" / "sub", "a parent of this path is a file")]:
        result = kd_experiment("--n-train", "200", "--out", str(out))
        lines = error_lines(result)
        assert result.returncode == 2 and len(lines) == 1 and message in lines[0], lines
    assert (tmp_path / "file").read_text() == "x"


def test_second_run_into_a_busy_out_stops_at_once(tmp_path):
    holder = lock_holder(tmp_path / ".kd_experiment.lock")                  # a live run holds --out
    try:
        result = kd_experiment("--n-train", "200", "--out", str(tmp_path))
        lines = error_lines(result)
        assert result.returncode == 2 and len(lines) == 1 and f"in use by another run (process {holder.pid} holds" in lines[0], lines
        assert sorted(p.name for p in tmp_path.iterdir()) == [".kd_experiment.lock"]   # nothing written
    finally: holder.kill(); holder.wait()


def test_diverging_training_stops_and_is_not_saved(tmp_path):
    result = kd_experiment("--n-train", "200", "--teacher", "tutorial", "--teacher-epochs", "1", "--learning-rate", "1e30",
                           "--seeds", "1", "--no-deploy", "--out", str(tmp_path))
    lines = error_lines(result)
    assert result.returncode == 2 and len(lines) == 1 and "the loss became" in lines[0] and "learning rate too high" in lines[0], lines
    assert not list(tmp_path.glob("teacher*.json")) and not (tmp_path / ".kd_experiment.lock").exists()


def learnable(shape:tuple, n_classes:int, per_class:int, seed:int=0) -> dict:
    "A Keras-layout data set any model learns in a few epochs: each class a fixed random pattern, plus noise (floats in [0, 1])."
    rng = np.random.default_rng(seed)
    patterns = rng.random((n_classes,) + shape)
    def split(n):
        y = np.arange(n * n_classes) % n_classes
        return np.clip(0.7 * patterns[y] + 0.3 * rng.random((len(y),) + shape), 0, 1).astype(np.float32), y
    (x_train, y_train), (x_test, y_test) = split(per_class), split(2)
    return dict(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


@pytest.mark.parametrize("shape, n_classes, deploy", [((8, 8), 2, False), ((28, 28, 1), 5, False), ((32, 32, 3), 10, False), ((40,), 100, True)])
def test_any_shape_and_classes_run_end_to_end(tmp_path, shape, n_classes, deploy):
    "kd_experiment on images of any size and channels, or vectors, with any number of classes: the models are built for the data."
    np.savez(tmp_path / "mine.npz", **learnable(shape, n_classes, per_class=max(10, 200 // n_classes)))
    result = kd_experiment("--dataset", str(tmp_path / "mine.npz"), "--teacher-epochs", "3", "--student-epochs", "2", "--seeds", "1",
                           "--alpha", "0.5", "--temperature", "4", *([] if deploy else ["--no-deploy"]), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["dataset"]["n_classes"] == n_classes and tuple(results["dataset"]["input_shape"]) == (shape + (1,) if len(shape) == 2 else shape)
    assert results["config"]["student"] == ("mlp" if len(shape) == 1 else "tutorial")
    assert results["teacher"]["val_accuracy"] > 1.5 / n_classes, results["teacher"]
    if deploy: assert results["latency_ratios"], results["latency_ratios"]   # exported to LiteRT and timed


def test_teacher_at_chance_stops_before_the_students(tmp_path):
    np.savez(tmp_path / "blank.npz", x_train=np.zeros((600, 28, 28), np.uint8), y_train=np.arange(600) % 10,   # nothing to learn:
             x_test=np.zeros((100, 28, 28), np.uint8), y_test=np.arange(100) % 10)                          # every image is black
    result = kd_experiment("--dataset", str(tmp_path / "blank.npz"), "--teacher", "tutorial", "--teacher-epochs", "1",
                           "--seeds", "1", "--no-deploy", "--out", str(tmp_path / "out"))
    lines = error_lines(result)
    assert result.returncode == 2 and len(lines) == 1 and "the teacher is at chance" in lines[0] and "--teacher bn" in lines[0], lines
    assert not (tmp_path / "out" / "students").exists()


def test_full_disk_is_one_line(tmp_path):
    "A write that fails for lack of space (simulated: every atomic write raises ENOSPC) names the file and the cause."
    code = ("import errno, sys; from kd_nb import cli, results, runs, tuning\n"
            "def full(path, *args, **kwargs): raise OSError(errno.ENOSPC, 'No space left on device', str(path))\n"
            "runs.write_atomic = runs.save_arrays = results.write_atomic = tuning.write_atomic = full\n"
            "sys.exit(cli.kd_experiment())")
    result = subprocess.run([sys.executable, "-c", code, "--n-train", "200", "--teacher", "tutorial", "--teacher-epochs", "1",
                             "--seeds", "1", "--no-deploy", "--out", str(tmp_path)], capture_output=True, text=True, timeout=300)
    lines = error_lines(result)
    assert result.returncode == 2 and len(lines) == 1 and "No space left on device (free some space" in lines[0] and str(tmp_path) in lines[0], lines


def test_bfloat16_run_completes(tmp_path):
    "The other precision, forced: what --precision auto picks on a CPU with native bfloat16 runs end to end (emulated here if need be)."
    result = kd_experiment("--n-train", "300", "--teacher", "tutorial", "--teacher-epochs", "2", "--student-epochs", "2", "--seeds", "1",
                           "--alpha", "0.5", "--temperature", "4", "--precision", "bfloat16", "--no-deploy", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["precision"]["name"] == "bfloat16"
    assert all(0.2 < m["test_accuracy_mean"] <= 1 for m in results["models"].values()), results["models"]


def quiet_output(result) -> list:
    "The lines of a command's output that a person should not see: TensorFlow's warnings and C++ log lines, and lines over 200 characters."
    noise = re.compile(r"^(WARNING:tensorflow|INFO:|[EWI]0000 )")
    return [l[:120] for l in (result.stdout + result.stderr).splitlines() if noise.match(l) or len(l) > 200]


def write_image_folder(folder, n_per_class:int=30, side:int=12):
    "Two classes of learnable RGB PNGs in Keras's class-subfolder layout (cat/, dog/)."
    import tensorflow as tf
    arrays = learnable((side, side, 3), 2, n_per_class)
    for i, (x, y) in enumerate(zip(arrays["x_train"], arrays["y_train"])):
        path = folder / ("cat", "dog")[y] / f"{i}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(tf.io.encode_png(np.round(255 * x).astype(np.uint8)).numpy())


@pytest.mark.parametrize("kind", ["folder", "csv"])
def test_folder_and_table_run_end_to_end(tmp_path, kind):
    "kd_experiment --dataset DIR/ (one subfolder of images per class) and --dataset FILE.csv, on tiny generated data; the output stays readable."
    if kind == "folder": write_image_folder(tmp_path / "photos", n_per_class=100); data = tmp_path / "photos"
    else:
        arrays = learnable((8,), 3, 60)
        rows = [",".join(f"{v:.4f}" for v in x) + f",{('ant', 'bee', 'cow')[y]}" for x, y in zip(arrays["x_train"], arrays["y_train"])]
        (tmp_path / "table.csv").write_text(",".join(f"f{i}" for i in range(8)) + ",species\n" + "\n".join(rows) + "\n")
        data = tmp_path / "table.csv"
    result = kd_experiment("--dataset", str(data), *([] if kind == "folder" else ["--label-column", "species"]), "--teacher-epochs", "3",
                           "--student-epochs", "2", "--seeds", "1", "--alpha", "0.5", "--temperature", "4", "--val-fraction", "0.2", "--no-deploy",
                           "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert results["dataset"]["n_classes"] == (2 if kind == "folder" else 3)
    assert tuple(results["dataset"]["input_shape"]) == ((12, 12, 3) if kind == "folder" else (8,))
    assert (tmp_path / "out" / "results.md").read_text().startswith(f"# Distillation on {data.name}")
    assert quiet_output(result) == [], quiet_output(result)


def test_teacher_that_rescales_its_input_is_never_fed_the_wrong_scale(tmp_path):
    "A teacher with Rescaling(1/255), trained on 0..255 pixels: the run stops in one line naming --inputs raw, and runs with it."
    import keras
    arrays = learnable((8, 8), 3, 60)
    arrays = {k: (np.round(255 * v).astype(np.uint8) if k.startswith("x") else v) for k, v in arrays.items()}
    np.savez(tmp_path / "mine.npz", **arrays)
    keras.utils.set_random_seed(0)
    teacher = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Rescaling(1 / 255), keras.layers.Flatten(), keras.layers.Dense(3)])
    teacher.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    teacher.fit(arrays["x_train"][..., None].astype(np.float32), arrays["y_train"], epochs=30, verbose=0)   # the raw pixels
    teacher.save(tmp_path / "teacher.keras")
    args = ("--dataset", str(tmp_path / "mine.npz"), "--teacher", str(tmp_path / "teacher.keras"), "--student", "mlp", "--student-epochs", "2",
            "--seeds", "1", "--alpha", "0.5", "--temperature", "4", "--no-deploy", "--out", str(tmp_path / "out"))
    result = kd_experiment(*args)
    lines = error_lines(result)
    assert result.returncode == 2 and len(lines) == 1 and "expects pixels on 0..255" in lines[0] and lines[0].endswith("pass --inputs raw"), lines
    assert not (tmp_path / "out").exists()                                   # a failed start leaves no folder behind
    result = kd_experiment(*args, "--inputs", "raw")
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads((tmp_path / "out" / "results.json").read_text())["config"]["inputs"] == "raw"
