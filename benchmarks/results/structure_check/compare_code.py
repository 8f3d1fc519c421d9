("Compare two package folders module by module: the code (AST) equal, and the comments equal up to how they are "
 "wrapped; the modules' docstrings (the notebooks' summaries, shortened to fit 120 columns) counted apart.")
import ast, io, sys, tokenize
from pathlib import Path
a, b = Path(sys.argv[1]), Path(sys.argv[2])
def comments(text): return " ".join(" ".join(t.string.lstrip("#").split()) for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type == tokenize.COMMENT and not t.string.startswith("# %%"))
def merged(tree):
    "Adjacent `from m import ...` statements of one module as one (a long import line split in two is the same import)."
    body = []
    for node in tree.body:
        if body and isinstance(node, ast.ImportFrom) and isinstance(body[-1], ast.ImportFrom) and (node.module, node.level) == (body[-1].module, body[-1].level):
            body[-1] = ast.ImportFrom(module=node.module, names=body[-1].names + node.names, level=node.level)
        else: body.append(node)
    tree.body = body[1:] if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else body
    return tree
def summary(text): return ast.get_docstring(ast.parse(text))
bad = summaries = 0
for pa in sorted(a.glob("*.py")):
    pb = b / pa.name
    if not pb.exists(): print("missing", pa.name); bad += 1; continue
    if ast.dump(merged(ast.parse(pa.read_text()))) != ast.dump(merged(ast.parse(pb.read_text()))): print("code differs:", pa.name); bad += 1
    if comments(pa.read_text()) != comments(pb.read_text()): print("comments differ:", pa.name); bad += 1
    summaries += summary(pa.read_text()) != summary(pb.read_text())
print("modules differing:", bad, "of", len(list(a.glob("*.py"))), "| docstrings (summaries) changed:", summaries)
