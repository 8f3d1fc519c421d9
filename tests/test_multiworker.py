"kd_experiment --strategy multiworker on a two-worker cluster on 127.0.0.1: both workers finish, in lock step, with one machine's students."
import json
import subprocess
import sys

from kd_nb.testing import loopback_cluster

KD_EXPERIMENT = [sys.executable, "-c", "import sys; from kd_nb.cli import kd_experiment; sys.exit(kd_experiment())"]
# float32 pinned: the claim below (the same global batches give the same numbers) is exact in float32; in bfloat16 (what
# --precision auto picks on a CPU with native bfloat16) two workers' reductions round differently
TINY = ["--n-train", "400", "--teacher-epochs", "2", "--student-epochs", "3", "--seeds", "2", "--methods", "kd,mean_teacher",
        "--no-deploy", "--precision", "float32"]


def test_two_workers_match_one_machine(tmp_path):
    ran = loopback_cluster([*KD_EXPERIMENT, "--strategy", "multiworker", *TINY, "--out", str(tmp_path / "cluster")], workers=2, timeout=400)
    assert [status for status, _ in ran] == [0, 0], "\n".join(output[-3000:] for _, output in ran)
    chief, other = (json.loads((tmp_path / "cluster" / sub / "results.json").read_text())["models"] for sub in ("", "worker-1"))
    for name in chief:   # the workers trained the same models: the same accuracies, to the last digit
        assert chief[name]["test_accuracy"] == other[name]["test_accuracy"], name
    one = subprocess.run([*KD_EXPERIMENT, *TINY, "--out", str(tmp_path / "one")], capture_output=True, text=True, timeout=400)
    assert one.returncode == 0, one.stderr[-3000:]
    alone = json.loads((tmp_path / "one" / "results.json").read_text())["models"]
    # students from cached logits see the same global batches as on one machine: the same accuracies (the teacher's
    # dropout draws differ between one process and two, so the distilled arm's targets differ slightly; scratch does not depend on them)
    assert chief["scratch"]["test_accuracy"] == alone["scratch"]["test_accuracy"]
