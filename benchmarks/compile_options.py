"""Which Keras compile options pay for training on this CPU? Seconds per epoch with an option off and on, side by side.

    --option xla                  `jit_compile=True` (XLA) against Keras's CPU default, off
    --option steps_per_execution  16 training steps per call of the compiled function against 1 (Keras's default)

For the tutorial's student (scratch and distilled from cached logits, each with the experiment's per-epoch evaluation
on the validation and test splits) and for the BatchNorm teacher, alternating the option off and on round by round,
each model compiled once and warmed up with one epoch first. Both variants start from the same weights and see the
same batches, so the script also reports the largest difference of their weights at the end.

    python benchmarks/compile_options.py --option xla                   # embedded MNIST subset, batch 64, 3 rounds of 3 epochs
    python benchmarks/compile_options.py --option xla --rounds 2 --epochs 3 --out benchmarks/results/compile_options
    python benchmarks/compile_options.py --option steps_per_execution --rounds 2 --epochs 3 --out benchmarks/results/compile_options
"""
import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import keras

from kd_nb.data import to_dataset
from kd_nb.distiller import Distiller
from kd_nb.data import experiment_data
from kd_nb.config import ExperimentConfig
from kd_nb.training import EpochAccuracy
from kd_nb.models import bn_teacher, tutorial_student
from kd_nb.terms import distillation_targets, method_terms

OPTIONS = {"xla": ({"jit_compile": False}, {"jit_compile": True}),   # (off, on) compile arguments
           "steps_per_execution": ({"steps_per_execution": 1}, {"steps_per_execution": 16})}


def trainer(kind, **compile_args):
    "A compiled model of `kind` ('scratch', 'distilled' or 'teacher'), and the model the per-epoch evaluation measures."
    if kind == "teacher": model = net = bn_teacher(seed=0)
    else: net = tutorial_student(seed=0, name=kind)
    if kind == "distilled":
        model = Distiller(net, bn_teacher(seed=1), terms=method_terms("kd", net, None, 0.5, 4.0))
        model.compile(optimizer=keras.optimizers.Adam(1e-3), **compile_args)
    else:
        model = model if kind == "teacher" else net
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"], **compile_args)
    return model, net


def max_weight_difference(a, b) -> float:
    "The largest absolute difference between two models' weights."
    return max(float(np.max(np.abs(u - v))) for u, v in zip(a.get_weights(), b.get_weights()))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--option", choices=sorted(OPTIONS), default="xla")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=3, help="epochs timed per round")
    p.add_argument("--out", default=None)
    args = p.parse_args()
    data = experiment_data(ExperimentConfig())
    x, y = data.train
    logits = np.random.default_rng(0).normal(size=(len(y), 10)).astype("float32")   # the timing does not depend on their values
    results = {}
    for kind in ("scratch", "distilled", "teacher"):
        models = {state: trainer(kind, **OPTIONS[args.option][on]) for on, state in enumerate(("off", "on"))}
        batches = {state: to_dataset(x, distillation_targets(y, logits) if kind == "distilled" else y, 64, seed=0) for state in models}
        seconds = {state: [] for state in models}
        for state, (model, net) in models.items(): model.fit(batches[state], epochs=1, verbose=0)   # compile and warm up
        for _ in range(args.rounds):
            for state, (model, net) in models.items():
                track = EpochAccuracy(net, {"val": data.val, "test": data.test})
                start = time.perf_counter()
                model.fit(batches[state], epochs=args.epochs, verbose=0, callbacks=[track])
                seconds[state].append((time.perf_counter() - start) / args.epochs)
        off, on = statistics.median(seconds["off"]), statistics.median(seconds["on"])
        diff = max_weight_difference(models["off"][1], models["on"][1])
        results[kind] = {"seconds_per_epoch_off": off, "seconds_per_epoch_on": on, "speedup_on": off / on, "max_weight_difference": diff}
        print(f"{kind:9s}  s/epoch {args.option} off {off:.3f}  on {on:.3f}  speed-up {off / on:.2f}x  "
              f"largest weight difference {diff:.1e}", flush=True)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, f"{args.option}.json"), "w") as f:
            json.dump({"command": " ".join(["python", *sys.argv]), "option": args.option, "off_on": OPTIONS[args.option],
                       "rounds": args.rounds, "epochs_per_round": args.epochs, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
