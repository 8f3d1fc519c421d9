"""Why the scratch student writes more known words than its teacher: calibration, read from a `kd_experiment` text run.

For the teacher and each arm's seed-0 student of a run folder (`kd_experiment --dataset stdlib ... --out RUN`): the
cross-entropy on the test windows against the mean entropy of the model's own next-symbol distributions there (a
calibrated model's two agree; an overconfident one's entropy is lower), and the writing quality of samples drawn at
temperature 1 (the run's measure) and 0.5, on the run's prompts.

    python benchmarks/lm_calibration.py --run /tmp/lm_exp > benchmarks/results/lm_experiment/calibration.json
"""
import argparse
import json
from pathlib import Path

import numpy as np
import keras

from kd_nb.generation import generate
from kd_nb.language_models import bits_per_symbol
from kd_nb.lm_experiment import SAMPLE_LENGTH, arm_file, prompts_of, run_file, text_task, writing_quality
from kd_nb.precision import machine_info
from kd_nb.training import logits_of


def entropy_bits(model, x, batch_size=256) -> float:
    "The mean entropy, in bits, of the model's next-symbol distributions at every position of the windows `x`."
    total = 0.0
    for i in range(0, len(x), batch_size):
        z = logits_of(model, x[i : i + batch_size]).astype(np.float64)
        z -= z.max(-1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(-1, keepdims=True))
        total -= (np.exp(log_p) * log_p).sum() / np.log(2)
    return total / (x.shape[0] * x.shape[1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--run", default="/tmp/lm_exp", help="the folder of a kd_experiment text run")
    a = p.parse_args()
    run = Path(a.run)
    results = json.loads((run / "results.json").read_text())
    cfg, recipe = results["config"], results["recipe"]
    task = text_task(cfg["dataset"], cfg["n_train"])
    words, (index, _) = task.words, prompts_of(task.test)
    teacher = keras.models.load_model(cfg["teacher"] if cfg["teacher"].endswith(".keras") else run / "teacher.keras")
    models = {"teacher": teacher}
    for arm in results["arms"]:   # the run's seed-0 students (named as the run named them: arm-seed0, or with the recipe)
        named = [run / "students" / f"{run_file(arm, 0, recipe['alpha'], recipe['temperature'])}.keras",
                 run / "students" / f"{arm_file(arm)}-seed0.keras"]
        models[arm] = keras.models.load_model(next(f for f in named if f.is_file()))
    rows = {}
    for name, model in models.items():
        rows[name] = {"cross_entropy": bits_per_symbol(model, *task.test), "entropy": entropy_bits(model, task.test[0])}
        for t in (1.0, 0.5):
            samples = [task.vocabulary.decode(s) for s in generate(model, task.test[0][index], SAMPLE_LENGTH, 0, t)]
            rows[name][f"T{t:g}"] = {**writing_quality(samples, words), "sample": samples[3]}
    out = {"run": str(run), "rows": rows, "machine": machine_info()}
    (run / "calibration.json").write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
