"""DKD's beta chosen on validation, then compared with KD and scratch on the methods run's own students.

DKD (Zhao et al. 2022) weighs its non-target-class part by beta; the methods run (`kd_experiment --methods
kd,dkd,...`) used the authors' CIFAR-100 setting, beta = 8. Here, with the same teacher, budget, batches and initial
weights as that run (its folder is `--out`; the teacher, its cached logits and the finished students are reused):

1. one DKD student per beta on seed 0; beta = 8 is the run's own `dkd` arm; the beta whose run reaches the highest
   validation accuracy (ties: the lower validation loss) is chosen, as `kd_experiment` chooses alpha and T;
2. the chosen beta on the other seeds;
3. the run's scratch, KD and beta = 8 students and the chosen DKD read at one epoch chosen on validation over the four
   (the experiment's rule), their test accuracy read once, as mean ± std over seeds and paired differences to scratch.

    python benchmarks/dkd_beta.py --out benchmarks/results/embedded --student-epochs 60
    python benchmarks/dkd_beta.py --dataset ../shared/data/mnist.npz --out benchmarks/results/full_mnist --student-epochs 30
"""
import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
from kd_nb.cache import teacher_logits
from kd_nb.dkd import DecoupledKD
from kd_nb.arms import students_key
from kd_nb.data import experiment_data
from kd_nb.protocol import ExperimentConfig
from kd_nb.results import compare_students, mean_std
from kd_nb.runs import cached_record, read_record
from kd_nb.selection import at_epoch, best_on_validation, chosen_epochs, validation_score
from kd_nb.targets import training_batches
from kd_nb.teachers import train_teachers
from kd_nb.training import train_model
from kd_nb.models import seed_student
from kd_nb.precision import choose_precision, precision_policy
from kd_nb.terms import HardLabels

BETAS = (0.5, 1.0, 2.0, 4.0, 8.0)
RUN_BETA = 8.0   # the methods run's `dkd` arm


def dkd_run(data, cfg, teacher, logits, beta, seed, precision) -> dict:
    "One DKD student (cross-entropy + TCKD + beta NCKD at the run's T), trained as the experiment trains its arms."
    with precision_policy(precision): student = seed_student(seed=seed, name="dkd")
    terms = [HardLabels(1.0), DecoupledKD(1.0, alpha=1.0, beta=beta, temperature=cfg.temperature)]
    batches = training_batches(data, cfg, seed, logits=logits)
    return train_model(student, data, cfg.student_epochs, cfg, batches, seed, teacher, restore_best=False, terms=terms)


def saved_arm(out, key, kind, seed) -> dict:
    "A student the methods run saved, checked to belong to these settings."
    record = read_record(out / "students" / f"{kind}-seed{seed}.json", {**key, "seed": seed, "kind": kind})
    if record is None: raise SystemExit(f"{out}/students/{kind}-seed{seed}.json is missing or from other settings: run the methods command first")
    return record


def markdown(results) -> str:
    "The choice of beta on validation, and the four students at the common epoch."
    rows = ["| beta | best validation accuracy, seed 0 (%) | lowest validation loss, seed 0 |", "|---:|---:|---:|"]
    rows += [f"| {c['beta']:g}{' (chosen)' if c['beta'] == results['chosen_beta'] else ''} | {100 * c['val_accuracy']:.2f} | {c['val_loss']:.4f} |"
             for c in results["candidates"]]
    table = ["| student | test accuracy (%) | minus scratch (points) | per seed |", "|---|---:|---:|---|"]
    for name, m in results["arms"].items():
        c = m.get("comparison")
        diff = "" if c is None else (f"{100 * c['accuracy_difference']:+.2f} ({sum(d > 0 for d in c['per_seed'])} of {len(c['per_seed'])} seeds ahead"
                                     f"{'; more than twice the spread' if c['larger_than_twice_spread'] else ''})")
        table.append(f"| {name} | {m['mean']:.2f} ± {m['std']:.2f} | {diff} | {', '.join(f'{v:.2f}' for v in m['per_seed'])} |")
    return ("\n".join(rows) + "\n\n" + "\n".join(table) +
            f"\n\n{results['dataset']}; {results['seeds']} seeds; {results['student_epochs']} epochs, read at epoch {results['epoch']} "
            f"(chosen on validation over the four students); alpha = {results['alpha']}, T = {results['temperature']:g} for KD; "
            f"DKD: cross-entropy + TCKD + beta NCKD at T = {results['temperature']:g}. {results['wall_seconds']:.0f} s.\n")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dataset", default="embedded")
    p.add_argument("--out", default="benchmarks/results/embedded", help="the methods run's folder")
    p.add_argument("--student-epochs", type=int, default=60, help="the methods run's budget")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--betas", default=",".join(f"{b:g}" for b in BETAS))
    args = p.parse_args(argv)
    out, start = Path(args.out), time.perf_counter()
    cfg = ExperimentConfig(dataset=args.dataset, student_epochs=args.student_epochs, alpha=0.5, temperature=4.0, tune=False, out=args.out)
    data, precision = experiment_data(cfg), choose_precision(cfg.precision)
    teacher, _ = train_teachers(data, cfg, out, precision)
    logits = {"train": teacher_logits(teacher, data["train"][0], cache_dir=out / "cache")}
    key = students_key(cfg, data, teacher, precision)
    def dkd(beta, seed):
        if beta == RUN_BETA: return saved_arm(out, key, "dkd", seed)
        print(f"[DKD, beta = {beta:g}, seed {seed + 1}]", flush=True)
        return cached_record(out / "dkd_beta" / f"beta{beta:g}-seed{seed}.json", {**key, "seed": seed, "kind": "dkd", "beta": beta},
                             lambda: dkd_run(data, cfg, teacher, logits, beta, seed, precision))
    seed0 = {beta: dkd(beta, 0) for beta in (float(b) for b in args.betas.split(","))}
    chosen = best_on_validation(seed0)
    candidates = [{"beta": beta, "val_accuracy": validation_score(r)[0], "val_loss": -validation_score(r)[1]} for beta, r in seed0.items()]
    print(f"[chosen on validation] beta = {chosen:g}", flush=True)
    runs = {"scratch": [saved_arm(out, key, "scratch", s) for s in range(args.seeds)],
            "KD": [saved_arm(out, key, "distilled", s) for s in range(args.seeds)],
            f"DKD, beta = {RUN_BETA:g} (the run's)": [dkd(RUN_BETA, s) for s in range(args.seeds)]}
    if chosen != RUN_BETA: runs[f"DKD, beta = {chosen:g} (chosen on validation)"] = [dkd(chosen, s) for s in range(args.seeds)]
    epoch = next(iter(chosen_epochs(runs, cfg.select).values()))
    read = {name: [at_epoch(r, epoch) for r in rs] for name, rs in runs.items()}
    summaries = {}
    for name, rs in read.items():
        accs = [r["test_accuracy"] for r in rs]
        mean, std = mean_std(accs)
        summaries[name] = {"test_accuracy": accs, "test_accuracy_mean": mean, "test_accuracy_std": std}
    arms = {name: {"mean": 100 * m["test_accuracy_mean"], "std": 100 * m["test_accuracy_std"], "per_seed": [100 * a for a in m["test_accuracy"]],
                   **({} if name == "scratch" else {"comparison": compare_students(m, summaries["scratch"])})}
            for name, m in summaries.items()}
    results = {"command": " ".join(["python", "benchmarks/dkd_beta.py", *(sys.argv[1:] if argv is None else argv)]), "dataset": data["name"],
               "seeds": args.seeds, "student_epochs": args.student_epochs, "alpha": cfg.alpha, "temperature": cfg.temperature,
               "candidates": candidates, "chosen_beta": chosen, "epoch": epoch, "arms": arms, "wall_seconds": time.perf_counter() - start}
    (out / "dkd_beta.json").write_text(json.dumps(results, indent=1))
    (out / "dkd_beta.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
