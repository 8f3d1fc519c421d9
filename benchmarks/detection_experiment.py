"""The detection experiment on digit canvases: a CenterNet-style teacher, scratch and distilled students over seeds.

python benchmarks/detection_experiment.py --out benchmarks/results/detection/embedded
Writes results.json and results.md in --out (runs are saved there, so a rerun resumes), and command.txt.
"""
import argparse
import sys
from pathlib import Path

from kd_nb.data import load_dataset
from kd_nb.detection_data import digit_detection_task
from kd_nb.detection_experiment import DETECTION_ARMS, DetectionConfig, run_detection_experiment

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--out", default="benchmarks/results/detection/embedded", help="the output folder")
parser.add_argument("--dataset", default="embedded", help="the digits' source (kd_nb.data.load_dataset)")
parser.add_argument("--n-train", type=int, default=2000, help="training canvases")
parser.add_argument("--n-val", type=int, default=400, help="validation canvases")
parser.add_argument("--n-test", type=int, default=1000, help="test canvases")
parser.add_argument("--epochs", type=int, default=DetectionConfig.epochs, help="every student's epochs")
parser.add_argument("--teacher-epochs", type=int, default=DetectionConfig.teacher_epochs, help="the teacher's epochs")
parser.add_argument("--seeds", type=int, default=3, help="seeds 0, 1, ...")
parser.add_argument("--arms", default=",".join(DetectionConfig.arms), help=f"of {', '.join(DETECTION_ARMS)}")
parser.add_argument("--temperature", type=float, default=DetectionConfig.temperature, help="the class map's T")
args = parser.parse_args()

out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
(out / "command.txt").write_text("python " + " ".join(sys.argv) + "\n")
(x_train, y_train), (x_test, y_test) = load_dataset(args.dataset, verbose=False)
task = digit_detection_task(x_train, y_train, x_test, y_test, n_train=args.n_train, n_val=args.n_val,
                            n_test=args.n_test)
config = DetectionConfig(epochs=args.epochs, teacher_epochs=args.teacher_epochs, seeds=tuple(range(args.seeds)),
                         arms=tuple(args.arms.split(",")), temperature=args.temperature)
results = run_detection_experiment(task, out, config, say=lambda s: print(s, flush=True))
print((out / "results.md").read_text())
