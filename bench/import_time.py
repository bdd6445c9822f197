"""Start-up cost of the CLI and of an OCR worker process: `python -X importtime` of the modules each
imports first, median of alternating rounds, for this checkout and optionally another one beside it.

    .venv/bin/python bench/import_time.py [--rounds 15] [--other PATH_TO_OTHER_CHECKOUT [MODULE MODULE]]

A spawned OCR worker imports the module holding its job function (pickled by reference); the CLI imports
`pipeline.cli`. Each figure is the importtime total of what `import MODULE` loads (after the interpreter's own
start-up) and the wall
time of the whole interpreter run, both in ms; rounds alternate between the checkouts (the machine is
shared and noisy), so the two columns are comparable.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP_LEVEL = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", re.M)


def one_run(checkout: Path, module: str) -> tuple[float, float]:
    """(importtime total ms of the top-level imports, wall ms of the interpreter) for `import module`."""
    env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONDONTWRITEBYTECODE="1")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        env=env,
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = (time.perf_counter() - started) * 1000
    # top-level entries (the name follows "| " directly; nested ones are indented) after `site`, the last
    # import of the interpreter's own start-up: what `import module` costs
    entries = [(int(m.group(1)), m.group(2)) for m in TOP_LEVEL.finditer(done.stderr)]
    after_site = next((i + 1 for i, (_, name) in enumerate(entries) if name == "site"), 0)
    total = sum(micros for micros, _ in entries[after_site:])
    return total / 1000, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--other", type=Path, help="another checkout (e.g. a worktree of an older commit)")
    parser.add_argument(
        "--other-modules",
        nargs=2,
        default=["pipeline.cli", "pipeline.ingest"],
        metavar=("CLI", "OCR_WORKER"),
        help="the two modules under their names in the other checkout",
    )
    args = parser.parse_args()
    subjects = {"CLI": "pipeline.cli", "OCR worker": "pipeline.read.ingest"}
    checkouts = [("this", ROOT, list(subjects.values()))]
    if args.other:
        checkouts.append(("other", args.other.resolve(), args.other_modules))
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(args.rounds):
        for label, checkout, modules in checkouts:
            for subject, module in zip(subjects, modules, strict=True):
                results.setdefault((label, subject), []).append(one_run(checkout, module))
    print(
        f"| start-up ({args.rounds} alternating rounds, median) | "
        + " | ".join(f"{label}: imports ms | {label}: wall ms" for label, _, _ in checkouts)
        + " |"
    )
    print("|---|" + "---|---|" * len(checkouts))
    for subject in subjects:
        cells = []
        for label, _, _ in checkouts:
            runs = results[(label, subject)]
            cells += [f"{statistics.median(r[0] for r in runs):.0f}", f"{statistics.median(r[1] for r in runs):.0f}"]
        print(f"| {subject} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
