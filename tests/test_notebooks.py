"""The stored outputs of the notebooks are the lesson: no machine or temporary paths, no Markdown tables printed as raw
text, no warnings the code could avoid. They are what the docs site and a reader opening a notebook see."""
import json
import re

import pytest
from nbdev.config import get_config

NBS = get_config().path("nbs_path")
NOTEBOOKS = sorted(NBS.glob("*.ipynb"))
PATH = re.compile(r"(?<![\w.])(/tmp/|/root/|/home/|/work/|/private/var/|[A-Za-z]:\\Users\\)|site-packages")   # a folder of one machine
RAW_TABLE = re.compile(r"^\|.*\|\s*\n\|[-:| ]+\|\s*$", re.M)   # a header row and its separator, as text
WARNING = re.compile(r"^\S+\.py:\d+: \w*Warning: ", re.M)   # Python's warnings as `warnings` prints them


def _texts(cell):
    "(kind, text) of each output of a code cell: streams and plain text as printed; Markdown, HTML as rendered sources."
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream": yield o["name"], "".join(o["text"])
        elif o["output_type"] == "error": yield "error", "\n".join(o.get("traceback", []))
        data = o.get("data", {})
        for kind, value in data.items():
            if kind == "text/plain" and "text/markdown" in data: continue   # a notebook shows the Markdown; text/plain is the terminal's copy
            if kind.startswith("text/") or kind.endswith("json"): yield kind, value if isinstance(value, str) else "".join(value) if isinstance(value, list) else json.dumps(value)


def _outputs(pattern, kinds=None):
    "`notebook cell: text` for every stored output (of `kinds`) where `pattern` matches."
    found = []
    for path in NOTEBOOKS:
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            for kind, text in _texts(cell):
                m = (kinds is None or kind in kinds) and pattern.search(text)
                if m: found.append(f"{path.name} cell {i} ({kind}): …{text[max(0, m.start() - 60):m.end() + 60]}…")
    return found


def test_there_are_notebooks_with_outputs():
    assert len(NOTEBOOKS) > 30 and sum(bool(c.get("outputs")) for p in NOTEBOOKS for c in json.loads(p.read_text())["cells"]) > 100


def test_no_machine_or_temporary_paths_in_outputs():
    assert _outputs(PATH) == []


def test_no_markdown_tables_printed_as_text():
    "A table is displayed (`show_markdown`, `IPython.display.Markdown`), never printed: printed, the page shows its pipes."
    assert _outputs(RAW_TABLE, kinds={"stdout", "stderr", "text/plain"}) == []


def test_no_python_warnings_in_outputs():
    assert _outputs(WARNING, kinds={"stdout", "stderr"}) == []


@pytest.mark.parametrize("text", ["written to /tmp/tmpab12/: results.json", "/work/venv/lib/python3.11/site-packages/keras/x.py",
                                  "saved in /root/.cache/kd_nb"])
def test_path_pattern_finds_machine_paths(text): assert PATH.search(text)


@pytest.mark.parametrize("text", ["written to ./: results.json", "cache/teacher-logits-1a2b.npz", "https://keras.io/examples/vision/x/"])
def test_path_pattern_spares_relative_paths(text): assert not PATH.search(text)


def test_raw_table_pattern():
    assert RAW_TABLE.search("| a | b |\n|---|---:|\n| 1 | 2 |") and not RAW_TABLE.search("| a |")
