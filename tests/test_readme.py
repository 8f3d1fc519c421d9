"README.md is generated from nbs/index.ipynb (nbdev's rule); it must be in sync."
from pathlib import Path

from kd_nb.docs import readme_text

ROOT = Path(__file__).resolve().parents[1]


def test_readme_is_generated_from_index():
    committed = (ROOT / "README.md").read_text(encoding="utf-8")
    assert committed == readme_text(), "README.md is out of date with nbs/index.ipynb: run `kd_docs`"


def test_readme_has_the_two_quick_start_commands():
    from tests.readme_commands import quick_start_commands
    main_job, tests = quick_start_commands(ROOT / "README.md")
    assert main_job.startswith("pip install -e .") and "[dev]" in tests and "nbdev_test" in tests and "pytest tests" in tests


def test_readme_numbers_agree_with_their_runs():
    "The numbers the README quotes from the default run and the tutorial's recipe are those runs' (results.json), computed here anew."
    import json, re
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    run = lambda name: json.loads((ROOT / "benchmarks" / "results" / name / "results.json").read_text())
    default, tutorial = run("embedded_default"), run("embedded_tutorial")
    t, d, s = (default["models"][k] for k in ("teacher", "distilled", "scratch"))
    pct = lambda x: f"{100 * x:.2f}"
    assert f"scores **{pct(d['test_accuracy_mean'])}%** on the test images against {pct(s['test_accuracy_mean'])}%" in readme
    assert f"({pct(t['test_accuracy_mean'])}% for the teacher; {len(d['test_accuracy'])} seeds each)" in readme
    for results in (default, tutorial):
        difference = 100 * results["comparisons"]["distilled"]["accuracy_difference"]
        assert f"Distilled minus scratch: {difference:+.2f} points of test accuracy" in readme, difference
        for m in results["models"].values():   # mean ± std over seeds; a single run (the teacher) alone
            assert f"| {pct(m['test_accuracy_mean'])}" + (f" ± {100 * m['test_accuracy_std']:.2f} |" if len(m["test_accuracy"]) > 1 else " |") in readme
    assert re.search(r"The run took (\d+) s", readme).group(1) == f"{default['wall_seconds']:.0f}"
    student = (d["latency_us"]["litert"]["median"] + s["latency_us"]["litert"]["median"]) / 2   # one network: one latency
    smaller, faster = map(int, re.search(r"The student is (\d+)x smaller and (\d+)x faster", readme).groups())
    assert (smaller, faster) == (round(t["params"] / d["params"]), round(t["latency_us"]["litert"]["median"] / student))
    assert f"| {student:,.1f} µs |" in readme and len(re.findall(r"\d+x faster", readme)) == 1   # one speed-up, one latency per network
    gap = 100 * (t["test_accuracy_mean"] - s["test_accuracy_mean"])
    assert f"distillation buys back {100 * (d['test_accuracy_mean'] - s['test_accuracy_mean']):.2f} of the {gap:.2f} points" in readme
