"""Born-again networks on the embedded MNIST: the tutorial's student teaches a fresh copy of itself.

Generation 0 is the student trained on the labels; generation g is a new student (new initial weights) distilled
from generation g-1 with the default recipe (alpha 0.5, T 4, 30 epochs, cosine schedule). Each run keeps its best
validation epoch (its test accuracy is read once, for the table). Results: born_again.json and born_again.md.

    python benchmarks/born_again.py                    # 3 generations, 3 seeds, embedded data
    python benchmarks/born_again.py --dataset ../shared/data/mnist.npz --out benchmarks/results/full_mnist
"""
import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
from kd_nb.cache import teacher_logits
from kd_nb.data import experiment_data
from kd_nb.config import ExperimentConfig
from kd_nb.results import mean_std
from kd_nb.targets import training_batches
from kd_nb.training import train_model
from kd_nb.models import tutorial_student
from kd_nb.self_distillation import born_again


def chain_for_seed(data, cfg, seed, generations):
    "One born-again chain: the records of generations 0..generations."
    counter = iter(range(generations + 1))
    def make(): return tutorial_student(seed=1000 * seed + next(counter), name="student")   # new initial weights per generation
    def train(model, teacher):
        logits = None if teacher is None else {"train": teacher_logits(teacher, data.train[0], verbose=False)}
        batches = training_batches(data, cfg, seed, logits=logits)
        return train_model(model, data, cfg.student_epochs, cfg, batches, seed, teacher, track_test=False)
    return [{k: r[k] for k in ("generation", "best_epoch", "val_accuracy", "test_accuracy", "train_seconds")}
            for _, r in born_again(make, train, generations)]


def markdown(chains, cfg) -> str:
    "A table: one row per generation, mean ± std over seeds of validation and test accuracy."
    rows = ["| generation | teacher | validation accuracy (%) | test accuracy (%) | per seed (test) |", "|---:|---|---:|---:|---|"]
    for g in range(len(chains[0])):
        val, test = ([100 * c[g][k] for c in chains] for k in ("val_accuracy", "test_accuracy"))
        (vm, vs), (tm, ts) = mean_std(val), mean_std(test)
        rows.append(f"| {g} | {'labels only' if g == 0 else f'generation {g - 1}'} | {vm:.2f} ± {vs:.2f} | {tm:.2f} ± {ts:.2f} | "
                    f"{', '.join(f'{t:.2f}' for t in test)} |")
    return "\n".join(rows) + (f"\n\n{len(chains)} seeds; alpha = {cfg.alpha}, T = {cfg.temperature}, {cfg.student_epochs} epochs, "
                              f"{cfg.schedule} schedule, best validation epoch of each run.\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dataset", default="embedded")
    p.add_argument("--generations", type=int, default=3)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--out", default="benchmarks/results/embedded")
    args = p.parse_args(argv)
    cfg = ExperimentConfig(dataset=args.dataset, student_epochs=30)   # the budget its results were run with
    data = experiment_data(cfg)
    start = time.perf_counter()
    chains = []
    for seed in range(args.seeds):
        chains.append(chain_for_seed(data, cfg, seed, args.generations))
        print(f"seed {seed}: " + ", ".join(f"gen {r['generation']} {100 * r['test_accuracy']:.2f}%" for r in chains[-1]), flush=True)
    out = Path(args.out); out.mkdir(parents=True, exist_ok=True)
    (out / "born_again.json").write_text(json.dumps({"chains": chains, "wall_seconds": time.perf_counter() - start,
                                                      "dataset": data.name}, indent=1))
    (out / "born_again.md").write_text(markdown(chains, cfg))
    print(markdown(chains, cfg))


if __name__ == "__main__":
    main()
