"""The README's "Distill in ten lines" example over several seeds: distilled against the same student trained alone.

It runs the README's own code block (read from README.md, not copied), with the models' seeds replaced by
`seed` (teacher) and `seed + 1` (both students, which start from the same weights), and prints each seed's accuracies
and the mean difference.

    python benchmarks/readme_example.py              # 5 seeds
    python benchmarks/readme_example.py --seeds 10
"""
import argparse
import contextlib
import io
import os
import re
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_example(readme=README) -> str:
    "The Python code block of the README's 'Distill in ten lines' section."
    section = Path(readme).read_text().split("## Distill in ten lines", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def run(code: str, seed: int) -> dict:
    "Run the example with the teacher seeded `seed` and the students `seed + 1`; its printed accuracies."
    seeded = code.replace("mlp(64, seed=0)", f"mlp(64, seed={seed})").replace("mlp(8, seed=1)", f"mlp(8, seed={seed + 1})")
    assert seeded.count(f"seed={seed + 1})") == 2, "the README example no longer has the expected structure"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed): exec(seeded, {"__name__": "readme_example"})
    return {k.strip(): float(v) for k, v in (line.rsplit(":", 1) for line in printed.getvalue().splitlines() if ":" in line)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--readme", default=README, help="the README to take the example from (default: the project's)")
    args = p.parse_args()
    code = readme_example(args.readme)
    rows = [run(code, seed) for seed in range(args.seeds)]
    for seed, r in enumerate(rows):
        print(f"seed {seed}: " + ", ".join(f"{k} {v:.3f}" for k, v in r.items()))
    d, s = (np.array([r[k] for r in rows]) for k in ("student, distilled", "student, from scratch"))
    print(f"\nover {args.seeds} seeds: distilled {d.mean():.3f} ± {d.std(ddof=1):.3f}, scratch {s.mean():.3f} ± {s.std(ddof=1):.3f}; "
          f"distilled minus scratch {d.mean() - s.mean():+.3f} (per seed: {', '.join(f'{v:+.3f}' for v in d - s)}; "
          f"higher in {int(np.sum(d > s))} of {args.seeds})")


if __name__ == "__main__":
    main()
