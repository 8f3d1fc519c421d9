"""Distil a character-level language model on the Python standard library's source (issue 38's probe, run with the
project's own code on a CPU): a causal Transformer teacher trained on the whole training split, students that see only
a small share of it (the usual situation: the teacher has read far more text than the student's training set holds),
trained from scratch and distilled by forward KL, reverse KL and GKD's JSD, with the same windows, batches and steps.
Each student's epoch is chosen on validation bits per character; the test split is read once per student.

    python benchmarks/lm_distill.py --out /tmp/lm_distill > benchmarks/results/lm_distill/results.md
"""
import argparse
import json
import math
import platform
import time
from pathlib import Path

import numpy as np
import keras

from kd_nb.distiller import Distiller
from kd_nb.language_models import bits_per_symbol, causal_transformer, gru_language_model, small_transformer
from kd_nb.precision import machine_info
from kd_nb.terms import SoftLabels, distillation_targets
from kd_nb.text import CharVocabulary, next_symbol_windows, stdlib_corpus

STUDENTS = {"transformer": small_transformer, "gru": gru_language_model}
# arm -> the Distiller's terms (None: trained on the next symbols alone); alpha 0 and T 1, as in the probe
ARMS = {"scratch": None,
        "forward KL": lambda: [SoftLabels(1.0, temperature=1.0)],
        "reverse KL": lambda: [SoftLabels(1.0, temperature=1.0, beta=1.0)],
        "GKD JSD (beta 0.5)": lambda: [SoftLabels(1.0, temperature=1.0, beta=0.5)]}
CE = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def log(*a): print(*a, flush=True, file=__import__("sys").stderr)


def train(model, teacher, x, targets, val, epochs, batch, lr, seed, terms):
    "Train `model` (distilled if `terms`); the epoch of best validation bits/char kept. -> (its bits, epoch, curve, s)"
    keras.utils.set_random_seed(seed)
    steps = epochs * math.ceil(len(x) / batch)
    schedule = keras.optimizers.schedules.CosineDecay(lr, steps)
    if terms is None:
        trainer = model; model.compile(optimizer=keras.optimizers.Adam(schedule), loss=CE)
    else:
        trainer = Distiller(model, teacher, terms=terms())   # the teacher is not run: its outputs are cached
        trainer.compile(optimizer=keras.optimizers.Adam(schedule))
    curve, best, start = [], (float("inf"), 0, None), time.perf_counter()
    for epoch in range(1, epochs + 1):
        trainer.fit(x, targets, batch_size=batch, epochs=1, verbose=0, shuffle=True)
        curve.append(bits_per_symbol(model, *val))
        if curve[-1] < best[0]: best = (curve[-1], epoch, model.get_weights())
    model.set_weights(best[2])
    return best[0], best[1], curve, time.perf_counter() - start


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--context", type=int, default=128)
    p.add_argument("--vocabulary", type=int, default=128, help="most symbols (symbol 0 for every other character)")
    p.add_argument("--teacher-epochs", type=float, default=0.5, help="passes over the training split's windows")
    p.add_argument("--student-chars", type=int, default=300_000, help="the students' share of the training split")
    p.add_argument("--student-epochs", type=int, default=20)
    p.add_argument("--students", default="transformer,gru")
    p.add_argument("--arms", default=",".join(ARMS))
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--val-windows", type=int, default=256)
    p.add_argument("--test-windows", type=int, default=1024)
    p.add_argument("--out", default="/tmp/lm_distill")
    a = p.parse_args()
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    corpus = stdlib_corpus()
    vocabulary = CharVocabulary.of(corpus.train, a.vocabulary)
    V = vocabulary.size
    x_all, y_all = next_symbol_windows(vocabulary.encode(corpus.train), a.context)
    val = tuple(v[: a.val_windows] for v in next_symbol_windows(vocabulary.encode(corpus.val), a.context))
    test = tuple(v[: a.test_windows] for v in next_symbol_windows(vocabulary.encode(corpus.test), a.context))
    log(f"corpus {corpus.details}, fingerprint {corpus.fingerprint}; {V} symbols; {len(x_all):,} training windows")

    teacher_path = out / "teacher.keras"
    if teacher_path.exists():
        teacher = keras.models.load_model(teacher_path); teacher_seconds = json.loads((out / "teacher.json").read_text())["seconds"]
    else:
        teacher = causal_transformer(seed=0, input_shape=(a.context,), n_classes=V)
        order = np.random.default_rng(0).permutation(len(x_all))[: int(a.teacher_epochs * len(x_all))]
        chunks = np.array_split(order, 8)   # a validation reading after each eighth
        steps = math.ceil(len(order) / 64)
        teacher.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(1e-3, steps, warmup_target=None)), loss=CE)
        start, best = time.perf_counter(), (float("inf"), None)
        for i, c in enumerate(chunks):
            teacher.fit(x_all[np.sort(c)], y_all[np.sort(c)], batch_size=64, epochs=1, verbose=0, shuffle=True)
            bits = bits_per_symbol(teacher, *val)
            log(f"[teacher] {i + 1}/8: {bits:.3f} bits/char on validation, {time.perf_counter() - start:.0f} s")
            if bits < best[0]: best = (bits, teacher.get_weights())
        teacher.set_weights(best[1]); teacher_seconds = time.perf_counter() - start
        teacher.save(teacher_path); (out / "teacher.json").write_text(json.dumps({"seconds": teacher_seconds}))
    n = a.student_chars // a.context
    x, y = x_all[:n], y_all[:n]
    cached = distillation_targets(y, teacher.predict(x, batch_size=256, verbose=0))
    rows = {"teacher": {"params": teacher.count_params(), "val": [bits_per_symbol(teacher, *val)],
                        "test": [bits_per_symbol(teacher, *test)], "seconds": teacher_seconds}}
    for student in a.students.split(","):
        for arm in a.arms.split(","):
            name = f"{student}, {arm}"
            for seed in range(a.seeds):
                model = STUDENTS[student](seed=100 + seed, input_shape=(a.context,), n_classes=V)
                targets = y if ARMS[arm] is None else cached
                bits, epoch, curve, seconds = train(model, teacher, x, targets, val, a.student_epochs, a.batch, 3e-3, seed, ARMS[arm])
                r = rows.setdefault(name, {"params": model.count_params(), "val": [], "test": [], "epochs": [], "curves": [], "seconds": []})
                r["val"].append(bits); r["epochs"].append(epoch); r["curves"].append(curve); r["seconds"].append(seconds)
                r["test"].append(bits_per_symbol(model, *test))
                log(f"[{name} seed {seed}] validation {bits:.3f} (epoch {epoch}), test {r['test'][-1]:.3f}, {seconds:.0f} s")
            (out / f"results_{a.students.replace(',', '_')}.json").write_text(json.dumps({"args": vars(a), "corpus": corpus.details, "fingerprint": corpus.fingerprint,
                                                          "symbols": V, "rows": rows, "machine": machine_info()}, indent=1))
    print(f"# Distilling a character-level language model: the standard library's source\n\n`python benchmarks/lm_distill.py "
          f"{' '.join(f'--{k.replace(chr(95), chr(45))} {v}' for k, v in vars(a).items())}`; Python {corpus.details['python']} "
          f"standard library ({corpus.details['files']} files by split, fingerprint {corpus.fingerprint}), {V} symbols; "
          f"{machine_info()}.\n\nBits per character (lower is better), mean ± standard deviation over seeds; the epoch chosen "
          f"on validation; the test split read once per model.\n")
    print("| model | params | validation bits/char | test bits/char | epochs chosen | train time / run |\n|---|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        v, t = np.array(r["val"]), np.array(r["test"])
        spread = lambda z: f"{z.mean():.3f} ± {z.std(ddof=1):.3f}" if len(z) > 1 else f"{z.mean():.3f}"
        secs = np.mean(r["seconds"]) if isinstance(r["seconds"], list) else r["seconds"]
        print(f"| {name} | {r['params']:,} | {spread(v)} | {spread(t)} | {', '.join(map(str, r.get('epochs', ['-'])))} | {secs:.0f} s |")
    print()
    for student in a.students.split(","):
        scratch = np.array(rows[f"{student}, scratch"]["test"])
        for arm in a.arms.split(","):
            if arm == "scratch": continue
            d = np.array(rows[f"{student}, {arm}"]["test"])
            gap, spread = scratch.mean() - d.mean(), max(scratch.std(ddof=1), d.std(ddof=1)) if len(d) > 1 else float("nan")
            print(f"- {student}, {arm}: scratch minus distilled {gap:+.3f} bits/char on test (positive: distillation "
                  f"better; per seed {', '.join(f'{s - e:+.3f}' for s, e in zip(scratch, d))}); "
                  f"{'more' if gap > 2 * spread else 'not more'} than twice the spread ({spread:.3f})")


if __name__ == "__main__":
    main()
