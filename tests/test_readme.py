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
