"""Distil a character-level language model on the Python standard library's source (issue 38's probe, run with the
project's own code on a CPU): a causal Transformer teacher trained on the whole training split, students that see only
a small share of it (the usual situation: the teacher has read far more text than the student's training set holds),
trained from scratch and distilled by forward KL, reverse KL and GKD's JSD, with the same windows, batches and steps.
Each student's epoch is chosen on validation bits per character; the test split is read once per student.

    python benchmarks/lm_distill.py --out /tmp/lm_distill > benchmarks/results/lm_distill/results.md
"""
import argparse
import contextlib
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import keras
import tensorflow as tf
from keras import ops

from kd_nb.deploy import compiled_runner, latency_stats, time_calls
from kd_nb.cache import expand_top_k, top_k_bytes, top_k_outputs
from kd_nb.config import ExperimentConfig
from kd_nb.language_models import bits_per_symbol, causal_transformer, gru_language_model, small_transformer
from kd_nb.lm_experiment import save_vocabulary, train_language_model
from kd_nb.precision import machine_info
from kd_nb.terms import SoftLabels, distillation_targets
from kd_nb.text import CharVocabulary, next_symbol_windows, stdlib_corpus

STUDENTS = {"transformer": small_transformer, "gru": gru_language_model}
# arm -> the Distiller's terms (None: trained on the next symbols alone); alpha 0 and T 1, as in the probe
ARMS = {"scratch": None,
        "forward KL": lambda: [SoftLabels(1.0, temperature=1.0)],
        "reverse KL": lambda: [SoftLabels(1.0, temperature=1.0, beta=1.0)],
        "GKD JSD (beta 0.5)": lambda: [SoftLabels(1.0, temperature=1.0, beta=0.5)]}
# forward KL from a cache of the teacher's k most likely symbols per position and the tail's mass (`top_k_outputs`)
TOP_K = {f"top-{k} forward KL": k for k in (1, 4, 16)}
ARMS.update({arm: ARMS["forward KL"] for arm in TOP_K})
CE = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def log(*a): print(*a, flush=True, file=__import__("sys").stderr)


def position_kl(teacher, model, window):
    "KL(teacher || model) in bits at every position of one window: where the student departs from its teacher."
    log_p, log_q = (np.asarray(ops.log_softmax(m(window[None], training=False)[0], axis=-1), np.float64) for m in (teacher, model))
    return ((np.exp(log_p) * (log_p - log_q)).sum(-1) / math.log(2)).tolist()


def sample(model, vocabulary, prompt, n=240, seed=0):
    "`n` symbols sampled from `model` (temperature 1) after the window `prompt`, one forward pass each."
    rng, window, out = np.random.default_rng(seed), np.array(prompt), []
    step = tf.function(lambda w: model(w, training=False)[0, -1], jit_compile=False)
    for _ in range(n):
        logits = np.asarray(step(window[None]), np.float64)
        p = np.exp(logits - logits.max()); p /= p.sum()
        out.append(int(rng.choice(len(p), p=p))); window = np.r_[window[1:], out[-1]]
    return vocabulary.decode(out)


def latency_ms(model, window, repeats=200):
    "Batch-1 latency of one generated symbol (a forward pass over the context), compiled Keras, median in ms."
    return latency_stats(time_calls(compiled_runner(model, window[None]), repeats))["median"] / 1000


def train(model, teacher, x, targets, val, epochs, batch, lr, seed, terms):
    "Train `model` (distilled if `terms`); the epoch of best validation bits/char kept. -> (its bits, epoch, curve, s)"
    recipe = ExperimentConfig(batch_size=batch, learning_rate=lr)   # cosine schedule, the best validation epoch kept
    with contextlib.redirect_stdout(sys.stderr):   # progress lines to stderr: stdout is the results table
        r = train_language_model(model, lambda epoch: (x, targets), len(x), val, epochs, recipe, seed, model.name,
                                 None if terms is None else terms(), teacher)
    return r["val"], r["epoch"], r["curve"], r["seconds"]


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
    p.add_argument("--tag", default=None, help="results_<tag>.json (default: the students)")
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
        teacher.save(teacher_path); save_vocabulary(teacher_path, vocabulary)   # kd_experiment --teacher reads both
        (out / "teacher.json").write_text(json.dumps({"seconds": teacher_seconds}))
    n = a.student_chars // a.context
    x, y = x_all[:n], y_all[:n]
    teacher_logits = teacher.predict(x, batch_size=256, verbose=0)
    cached = distillation_targets(y, teacher_logits)
    def targets_for(arm):   # the next symbols, the teacher's full logits, or its top-k put back
        if ARMS[arm] is None: return y
        if arm not in TOP_K: return cached
        return distillation_targets(y, expand_top_k(*top_k_outputs(teacher_logits, TOP_K[arm]), V))
    prompt = test[0][0]
    rows = {"teacher": {"params": teacher.count_params(), "val": [bits_per_symbol(teacher, *val)],
                        "test": [bits_per_symbol(teacher, *test)], "seconds": teacher_seconds,
                        "latency_ms": latency_ms(teacher, prompt), "sample": sample(teacher, vocabulary, prompt)}}
    extras = {"prompt": vocabulary.decode(prompt), "prompt_next": vocabulary.decode(test[1][0])}
    for student in a.students.split(","):
        for arm in a.arms.split(","):
            name = f"{student}, {arm}"
            for seed in range(a.seeds):
                model = STUDENTS[student](seed=100 + seed, input_shape=(a.context,), n_classes=V)
                targets = targets_for(arm)
                bits, epoch, curve, seconds = train(model, teacher, x, targets, val, a.student_epochs, a.batch, 3e-3, seed, ARMS[arm])
                r = rows.setdefault(name, {"params": model.count_params(), "val": [], "test": [], "epochs": [], "curves": [], "seconds": [],
                                           "bytes_per_position": None if ARMS[arm] is None else top_k_bytes(TOP_K.get(arm), V)})
                r["val"].append(bits); r["epochs"].append(epoch); r["curves"].append(curve); r["seconds"].append(seconds)
                r["test"].append(bits_per_symbol(model, *test))
                if seed == 0:   # the seed-0 student: where it departs from the teacher, a sample, its latency
                    r.update(position_kl=position_kl(teacher, model, prompt), sample=sample(model, vocabulary, prompt),
                             latency_ms=latency_ms(model, prompt))
                    model.save(out / f"{student}-{arm.replace(' ', '_').replace('(', '').replace(')', '')}-seed0.keras")
                log(f"[{name} seed {seed}] validation {bits:.3f} (epoch {epoch}), test {r['test'][-1]:.3f}, {seconds:.0f} s")
            (out / f"results_{a.tag or a.students.replace(',', '_')}.json").write_text(json.dumps({"args": vars(a), "corpus": corpus.details, "fingerprint": corpus.fingerprint,
                                                          "symbols": V, "rows": rows, **extras, "machine": machine_info()}, indent=1))
    print(f"# Distilling a character-level language model: the standard library's source\n\n`python benchmarks/lm_distill.py "
          f"{' '.join(f'--{k.replace(chr(95), chr(45))} {v}' for k, v in vars(a).items())}`; Python {corpus.details['python']} "
          f"standard library ({corpus.details['files']} files by split, fingerprint {corpus.fingerprint}), {V} symbols; "
          f"{machine_info()}.\n\nBits per character (lower is better), mean ± standard deviation over seeds; the epoch chosen "
          f"on validation; the test split read once per model.\n")
    print("| model | params | validation bits/char | test bits/char | epochs chosen | train time / run | ms / generated symbol |\n"
          "|---|---:|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        v, t = np.array(r["val"]), np.array(r["test"])
        spread = lambda z: f"{z.mean():.3f} ± {z.std(ddof=1):.3f}" if len(z) > 1 else f"{z.mean():.3f}"
        secs = np.mean(r["seconds"]) if isinstance(r["seconds"], list) else r["seconds"]
        print(f"| {name} | {r['params']:,} | {spread(v)} | {spread(t)} | {', '.join(map(str, r.get('epochs', ['-'])))} | {secs:.0f} s | {r.get('latency_ms', float('nan')):.2f} |")
    print()
    for student in (s for s in a.students.split(",") if f"{s}, scratch" in rows):
        scratch = np.array(rows[f"{student}, scratch"]["test"])
        for arm in a.arms.split(","):
            if arm == "scratch" or f"{student}, {arm}" not in rows: continue
            d = np.array(rows[f"{student}, {arm}"]["test"])
            gap, spread = scratch.mean() - d.mean(), max(scratch.std(ddof=1), d.std(ddof=1)) if len(d) > 1 else float("nan")
            print(f"- {student}, {arm}: scratch minus distilled {gap:+.3f} bits/char on test (positive: distillation "
                  f"better; per seed {', '.join(f'{s - e:+.3f}' for s, e in zip(scratch, d))}); "
                  f"{'more' if gap > 2 * spread else 'not more'} than twice the spread ({spread:.3f})")


if __name__ == "__main__":
    main()
