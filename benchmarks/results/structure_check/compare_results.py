import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
IGN = {"train_seconds", "wall_seconds", "latency_us", "compiled_batch", "machine", "latency_ratios", "load_average_1min", "reason"}
diffs = []
def walk(x, y, path):
    if isinstance(x, dict):
        if set(x) != set(y): diffs.append((path, "keys", sorted(set(x) ^ set(y))))
        for k in x:
            if k in IGN or k not in y: continue
            walk(x[k], y[k], f"{path}.{k}")
    elif isinstance(x, list):
        if len(x) != len(y): diffs.append((path, "len")); return
        for i, (u, v) in enumerate(zip(x, y)): walk(u, v, f"{path}[{i}]")
    elif x != y: diffs.append((path, x, y))
walk(a, b, "")
print(len(diffs), "differences"); [print(d) for d in diffs[:20]]
