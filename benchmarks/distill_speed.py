"""Distillation speed: seconds per epoch of (a) the student alone, (b) online distillation (the teacher runs on every
batch), (c) distillation from cached teacher logits, plus the one-time cost of computing those logits; and of FitNets
(KD + a hint on the BN teacher's last 7 x 7 feature map) with (d) the teacher run on every batch and (e) its logits and
that feature map cached (`teacher_features`).

Each group is measured side by side in one process, alternating its ways for several rounds after a warm-up epoch each,
with the tutorial's student; (a)-(c) with the tutorial's teacher, (d)-(e) with the experiment's BN teacher. Timing does
not depend on the weights, so the teachers are not trained here.
With --experiment it also times the whole default `kd_experiment` run with the teacher online and with cached logits.

    python benchmarks/distill_speed.py                     # embedded MNIST subset (4,000 images), batch 64
    python benchmarks/distill_speed.py --dataset ../shared/data/mnist.npz --batch-size 32 --rounds 2
    python benchmarks/distill_speed.py --experiment
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras

from kd_nb.cache import teacher_features, teacher_logits
from kd_nb.data import load_dataset, to_dataset
from kd_nb.distiller import Distiller
from kd_nb.training import compile_classifier
from kd_nb.fitnets import hint_layers
from kd_nb.models import bn_teacher, tutorial_student, tutorial_teacher
from kd_nb.terms import distillation_targets, method_terms


def epoch_seconds(model, ds):
    "Wall-clock seconds of one training epoch of `model` on `ds`."
    start = time.perf_counter()
    model.fit(ds, epochs=1, shuffle=False, verbose=0)
    return time.perf_counter() - start


def distiller(teacher, seed=0):
    d = Distiller(tutorial_student(seed=seed), teacher)
    d.compile(optimizer="adam", metrics=["accuracy"], alpha=0.1, temperature=10.0)
    return d


def fitnets(teacher):
    "A Distiller with FitNets' terms (KD, alpha 0.5, T 4, and the hint) for a fresh tutorial student."
    student = tutorial_student(seed=0)
    d = Distiller(student, teacher, terms=method_terms("fitnets", student, teacher, 0.5, 4.0))
    d.compile(optimizer="adam")
    return d


def alternate(ways, rounds):
    "Median epoch seconds of each way {name: (model, data set)}, alternating them for `rounds` after a warm-up epoch each."
    for model, ds in ways.values(): epoch_seconds(model, ds)            # warm-up: tracing and first-epoch effects
    times = {k: [] for k in ways}
    for r in range(rounds):
        for k, (model, ds) in ways.items(): times[k].append(epoch_seconds(model, ds))
        print(f"  round {r + 1}/{rounds}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items()), flush=True)
    return {k: statistics.median(v) for k, v in times.items()}


def timed(f):
    "(f(), seconds it took)."
    start = time.perf_counter()
    return f(), time.perf_counter() - start


def time_epochs(x, y, batch_size, rounds):
    "Median epoch seconds of (a), (b), (c), alternating, and the one-time cost of the teacher's logits."
    teacher = tutorial_teacher(seed=0)
    logits, logits_seconds = timed(lambda: teacher_logits(teacher, x, verbose=False))
    return alternate({"a": (compile_classifier(tutorial_student(seed=0)), to_dataset(x, y, batch_size)),
                      "b": (distiller(teacher), to_dataset(x, y, batch_size)),
                      "c": (distiller(teacher), to_dataset(x, distillation_targets(y, logits), batch_size))}, rounds), logits_seconds


def time_hint_epochs(x, y, batch_size, rounds):
    "Median epoch seconds of FitNets (d) online and (e) from cached logits and features, alternating, and the one-time cost of caching them."
    teacher = bn_teacher(seed=0)
    layers = [hint_layers(tutorial_student(seed=0), teacher)[1]]
    targets, cache_seconds = timed(lambda: distillation_targets(y, teacher_logits(teacher, x, verbose=False),
                                                                teacher_features(teacher, x, layers, verbose=False)))
    return alternate({"d": (fitnets(teacher), to_dataset(x, y, batch_size)),
                      "e": (fitnets(teacher), to_dataset(x, targets, batch_size))}, rounds), cache_seconds


def experiment_seconds(mode):
    "Wall-clock seconds of the default kd_experiment run with the teacher in `mode` (fresh output directory)."
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from kd_nb.cli import kd_experiment; sys.exit(kd_experiment())",
                        "--teacher-mode", mode, "--out", out], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dataset", default="embedded", help="as load_dataset: embedded (default), keras, or an .npz path")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--rounds", type=int, default=3, help="measured epochs of each way (after one warm-up epoch)")
    p.add_argument("--epochs", type=int, default=5, help="epochs over which the one-time logits cost is spread in (c)")
    p.add_argument("--experiment", action="store_true", help="also time the whole default kd_experiment, online vs cached")
    args = p.parse_args()

    (x, y), _ = load_dataset(args.dataset)
    print(f"{len(x):,} training images, batch {args.batch_size}, {os.cpu_count()} CPU cores, Keras {keras.__version__}")
    med, logits_s = time_epochs(x, y, args.batch_size, args.rounds)
    a, b, c = med["a"], med["b"], med["c"]
    c_amortized = c + logits_s / args.epochs
    print(f"\nseconds per epoch (median of {args.rounds}):")
    print(f"  (a) student alone                        {a:8.2f} s")
    print(f"  (b) online distillation (teacher/batch)  {b:8.2f} s   (b)/(a) = {b / a:5.1f}x")
    print(f"  (c) cached distillation                  {c:8.2f} s   (c)/(a) = {c / a:5.2f}x   target <= 1.3x: "
          f"{'met' if c / a <= 1.3 else 'NOT met'}")
    print(f"      one-time teacher logits              {logits_s:8.2f} s")
    print(f"      (c) with it spread over {args.epochs} epochs      {c_amortized:8.2f} s   ratio to (a) = {c_amortized / a:5.2f}x")
    hint, cache_s = time_hint_epochs(x, y, args.batch_size, args.rounds)
    d, e = hint["d"], hint["e"]
    print(f"\nFitNets, seconds per epoch (median of {args.rounds}):")
    print(f"  (d) teacher run on every batch           {d:8.2f} s   (d)/(a) = {d / a:5.1f}x")
    print(f"  (e) cached logits and feature map        {e:8.2f} s   (e)/(a) = {e / a:5.2f}x   (d)/(e) = {d / e:5.1f}x")
    print(f"      one-time teacher logits and features {cache_s:8.2f} s")
    if args.experiment:
        online, cached = experiment_seconds("online"), experiment_seconds("cached")
        print(f"\nwhole default kd_experiment: teacher online {online:.0f} s, cached logits {cached:.0f} s "
              f"({online / cached:.1f}x faster)")


if __name__ == "__main__":
    main()
