"""The package's layout, measured on kd_nb/: how high its imports stack, and where a run's strategy is resolved."""
import ast
import functools
import re
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "kd_nb"
MAX_FLOORS = 11   # the longest chain of `from .x import` between modules, the module itself included


def imports() -> dict: # module -> the kd_nb modules it imports
    "Each module's imports of other kd_nb modules, read from its source."
    edges = {}
    for path in PACKAGE.glob("*.py"):
        if path.name.startswith("_"): continue
        source = path.read_text()
        found = (set(re.findall(r"^\s*from (?:\.|kd_nb\.)(\w+) import", source, re.M))
                 | set(re.findall(r"^\s*from (?:\.|kd_nb) import (\w+)", source, re.M)))
        edges[path.stem] = found - {path.stem}
    return edges


def longest_chain(edges:dict) -> list: # the modules of the highest stack of imports, top first
    @functools.cache
    def chain(module):
        below = [chain(d) for d in edges.get(module, ())]
        return (module, *max(below, key=len, default=()))
    return list(max((chain(m) for m in edges), key=len))


def test_import_floors():
    chain = longest_chain(imports())
    assert len(chain) <= MAX_FLOORS, f"{len(chain)} floors: {' → '.join(chain)}"


def test_longest_chain_is_measured():   # the measure itself, on a made-up package
    assert longest_chain({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"c"}}) == ["a", "b", "c"]


def calls_of(name:str) -> dict: # module -> how many calls of `name` its code makes
    "Calls of the function `name` in each module's code (not its comments or strings)."
    def count(tree): return sum(isinstance(n, ast.Call) and getattr(n.func, "id", None) == name for n in ast.walk(tree))
    counts = {p.stem: count(ast.parse(p.read_text())) for p in PACKAGE.glob("*.py") if not p.name.startswith("_")}
    return {m: n for m, n in counts.items() if n}


# a run's start, and the commands' entry (before TensorFlow runs anything else)
def test_strategy_resolved_in_two_places():
    assert calls_of("strategy_for") == {"run_start": 1, "cli": 1}


LINE_LIMIT = 120


def generated_by_nbdev(line:str) -> bool: # a line nbdev writes itself, whatever the notebook's cells
    "Whether `line` of a module is one that nbdev writes itself."
    # nbdev 2.4.14 wraps `__all__`'s names at 120 columns, then puts `__all__ = ` before the first of them
    return line.startswith("__all__ = [")


# the export cells and the notebooks' summaries (the modules' docstrings) fit 120 columns; nbdev's `__all__` is not
def test_lines_fit_120_columns():
    long = [f"{p.name}:{n}: {len(line)} columns" for p in sorted(PACKAGE.glob("*.py")) if not p.name.startswith("_")
            for n, line in enumerate(p.read_text().splitlines(), 1)
            if len(line) > LINE_LIMIT and not generated_by_nbdev(line)]
    assert not long, ("lines over 120 columns (wrap the export cell: a comment above, a string split, a statement "
                      "reformatted):\n" + "\n".join(long))
