"""DKD's beta chosen on validation, then compared with KD and scratch on the methods run's own students.

DKD (Zhao et al. 2022) weighs its non-target-class part by beta; the methods run (`kd_experiment --methods
kd,dkd,...`) used the authors' CIFAR-100 setting, beta = 8. Here, with the same teacher, budget, batches and initial
weights as that run (its folder is `--out`; the teacher, its cached logits and the finished students are reused), each
beta is an arm of the protocol (`--methods dkd:beta=2`: `student_runs` trains it, or reuses it, as kd_experiment would):

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
from dataclasses import replace

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
from kd_nb.arms import student_runs, students_key
from kd_nb.config import ExperimentConfig
from kd_nb.protocol import arm_name
from kd_nb.results import compare_students, mean_std
from kd_nb.selection import at_epoch, best_on_validation, chosen_epochs, validation_score
from kd_nb.run_start import run_folder, start_run

BETAS = (0.5, 1.0, 2.0, 4.0, 8.0)
RUN_BETA = 8.0   # the methods run's `dkd` arm


def dkd_method(beta:float) -> str: return "dkd" if beta == RUN_BETA else f"dkd:beta={beta:g}" # the method of the arm with this beta


def protocol_runs(run, key, methods, seeds, scratch) -> dict:
    "The protocol's runs of `methods` (and scratch), trained or reused as `kd_experiment` trains its arms: arm name -> records."
    return student_runs(replace(run, cfg=replace(run.cfg, methods=tuple(methods), seeds=seeds)), key, scratch=scratch)


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
    start = time.perf_counter()
    cfg = ExperimentConfig(dataset=args.dataset, student_epochs=args.student_epochs, alpha=0.5, temperature=4.0, tune=False, out=args.out)
    with run_folder(cfg) as (strategy, out):
        run = start_run(cfg, strategy, out)
        results = beta_runs(run, args, start, argv)
    print(markdown(results))


def beta_runs(run, args, start:float, argv) -> dict:
    "The betas chosen on validation (seed 0), then the protocol's arms over the seeds, written to the run's folder."
    cfg, data, out = run.cfg, run.data, run.out
    key = students_key(run)
    betas = [float(b) for b in args.betas.split(",")]
    seed0 = protocol_runs(run, key, [dkd_method(b) for b in betas], 1, scratch=False)
    seed0 = {beta: seed0[arm_name(dkd_method(beta))][0] for beta in betas}
    chosen = best_on_validation(seed0)
    candidates = [{"beta": beta, "val_accuracy": validation_score(r)[0], "val_loss": -validation_score(r)[1]} for beta, r in seed0.items()]
    print(f"[chosen on validation] beta = {chosen:g}", flush=True)
    methods = ["kd", dkd_method(RUN_BETA)] + ([dkd_method(chosen)] if chosen != RUN_BETA else [])
    trained = protocol_runs(run, key, methods, args.seeds, scratch=True)
    runs = {"scratch": trained["scratch"], "KD": trained["distilled"], f"DKD, beta = {RUN_BETA:g} (the run's)": trained["dkd"]}
    if chosen != RUN_BETA: runs[f"DKD, beta = {chosen:g} (chosen on validation)"] = trained[arm_name(dkd_method(chosen))]
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
    results = {"command": " ".join(["python", "benchmarks/dkd_beta.py", *(sys.argv[1:] if argv is None else argv)]), "dataset": data.name,
               "seeds": args.seeds, "student_epochs": args.student_epochs, "alpha": cfg.alpha, "temperature": cfg.temperature,
               "candidates": candidates, "chosen_beta": chosen, "epoch": epoch, "arms": arms, "wall_seconds": time.perf_counter() - start}
    (out / "dkd_beta.json").write_text(json.dumps(results, indent=1))
    (out / "dkd_beta.md").write_text(markdown(results))
    return results


if __name__ == "__main__":
    main()
