"""Why a full-integer student is or is not faster than its float model: batch-1 latency under LiteRT's three kernel sets.

For a `kd_experiment --quantize int8` run (its folder is the argument), the seed-0 float distilled student and the
seed-0 integer student chosen on validation, timed side by side (alternating rounds, 1 thread, median of `CALLS` calls
per round, the median over rounds) with LiteRT's default kernels (XNNPACK), its built-in optimized kernels alone
(`BUILTIN_WITHOUT_DEFAULT_DELEGATES`) and its reference kernels (`BUILTIN_REF`); the operations of each model, and the
CPU's integer dot-product instructions (VNNI), which make int8 kernels fast on x86.

    python benchmarks/int8_latency.py RUN_FOLDER    # writes RUN_FOLDER/int8_latency.json and prints a Markdown table
"""
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

CALLS, ROUNDS = 1000, 5
KERNELS = {"XNNPACK (default)": OpResolverType.AUTO, "built-in": OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
           "reference": OpResolverType.BUILTIN_REF}


def runner(path:Path, kernels:OpResolverType):
    "A function running the model at `path` on one zero input, and the interpreter."
    interpreter = Interpreter(model_path=str(path), num_threads=1, experimental_op_resolver_type=kernels)
    interpreter.allocate_tensors()
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    x = np.zeros(inp["shape"], inp["dtype"])
    def run():
        interpreter.set_tensor(inp["index"], x); interpreter.invoke(); return interpreter.get_tensor(out["index"])
    return run, interpreter


def median_us(run, calls:int) -> float:
    for _ in range(100): run()   # warm-up
    times = []
    for _ in range(calls):
        start = time.perf_counter(); run(); times.append(time.perf_counter() - start)
    return 1e6 * float(np.median(times))


def cpu_flags() -> dict:
    "The CPU's name and whether it has VNNI or AMX (Linux `lscpu`)."
    text = subprocess.run(["lscpu"], capture_output=True, text=True).stdout if platform.system() == "Linux" else ""
    name = next((l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("Model name")), platform.processor())
    flags = next((l.split(":", 1)[1].split() for l in text.splitlines() if l.startswith("Flags")), [])
    return {"cpu": name, "vnni": sorted(f for f in flags if "vnni" in f), "amx": sorted(f for f in flags if "amx" in f)}


def int8_latency(run:Path) -> dict:
    results = json.loads((run / "results.json").read_text())
    chosen = results["int8"]["chosen"]
    files = {"float": run / "int8" / "distilled-seed0-float.tflite", "int8": run / "int8" / f"{chosen}-seed0.tflite"}
    ops = {k: [op["op_name"] for op in runner(p, OpResolverType.AUTO)[1]._get_ops_details()] for k, p in files.items()}
    medians = {kernels: {k: [] for k in files} for kernels in KERNELS}
    for _ in range(ROUNDS):
        for name, kernels in KERNELS.items():
            calls = CALLS if kernels != OpResolverType.BUILTIN_REF else CALLS // 5
            for k, path in files.items(): medians[name][k].append(median_us(runner(path, kernels)[0], calls))
    return {"chosen": chosen, **cpu_flags(), "ops": ops,
            "latency_us": {n: {k: float(np.median(v)) for k, v in m.items()} for n, m in medians.items()}}


def markdown(report:dict) -> str:
    rows = ["| kernels | float (µs) | int8 (µs) | int8 / float |", "|---|---:|---:|---:|"]
    for name, m in report["latency_us"].items():
        rows.append(f"| {name} | {m['float']:.1f} | {m['int8']:.1f} | {m['int8'] / m['float']:.2f} |")
    return ("\n".join(rows) + f"\n\n{report['cpu']}; VNNI: {', '.join(report['vnni']) or 'none'}; AMX: "
            f"{', '.join(report['amx']) or 'none'}. Operations (float): {', '.join(report['ops']['float'])}; (int8): "
            f"{', '.join(report['ops']['int8'])}.")


if __name__ == "__main__":
    run = Path(sys.argv[1])
    report = int8_latency(run)
    (run / "int8_latency.json").write_text(json.dumps(report, indent=1))
    print(markdown(report))
