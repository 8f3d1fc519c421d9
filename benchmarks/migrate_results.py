"""Bring every stored results.json to the current schema (`kd_nb.protocol.SCHEMA`), once: the fields older versions of
kd_nb did not write get the values those versions meant (one comparison, "distilled"; the tutorial's student; MNIST's
28x28x1 images), and the schema is recorded. A file already at the schema is left as it is.

    python benchmarks/migrate_results.py [benchmarks/results]
"""
import json, sys
from pathlib import Path

from kd_nb.protocol import SCHEMA

def migrated(results:dict) -> dict:
    "One results.json's content at `SCHEMA`."
    if results.get("schema") == SCHEMA: return results
    if "comparisons" not in results: results["comparisons"] = {"distilled": results.pop("comparison")}   # before --methods
    results["config"].setdefault("student", "tutorial")              # before --student
    results["dataset"].setdefault("input_shape", [28, 28, 1])        # before other data than MNIST
    return {"schema": SCHEMA, **results}

if __name__ == "__main__":
    for path in sorted(Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results").rglob("results.json")):
        before = json.loads(path.read_text())
        after = migrated(before)
        if after is not before: path.write_text(json.dumps(after, indent=1)); print(f"{path}: migrated to schema {SCHEMA}")
