"The README's Quick start commands, as CI runs them."
import sys
from pathlib import Path


def quick_start_commands(readme):
    "The two commands of the README's first ```sh block: (install and run the main job, install dev extras and test)."
    lines = Path(readme).read_text(encoding="utf-8").splitlines()
    start = lines.index("```sh") + 1
    block = lines[start:lines.index("```", start)]
    commands = [l.strip() for l in block if l.strip() and not l.strip().startswith("#")]
    if len(commands) != 2: raise ValueError(f"expected 2 commands in the README's Quick start block, found {commands}")
    return commands


if __name__ == "__main__":   # python tests/readme_commands.py README.md N -> the N-th command (1 or 2)
    print(quick_start_commands(sys.argv[1])[int(sys.argv[2]) - 1])
