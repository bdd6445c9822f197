"""Throughput of two checkouts side by side: `vnplan ingest` of the same documents, alternating rounds.

    .venv/bin/python bench/compare_checkouts.py OTHER_CHECKOUT [--rounds 3] [--workers 1] [FILE ...]

Runs this checkout's and OTHER_CHECKOUT's pipeline (each on PYTHONPATH, the same interpreter and
packages) over the same files (default: the born-digital and scanned PDFs of samples/), a fresh output
folder each time, in alternating rounds so the machine's load falls on both alike; prints wall and CPU
seconds (median) and their ratio. A change that must not cost throughput (a refactoring) shows a ratio
within the rounds' spread.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(checkout: Path, files: list[Path], workers: int, work: Path) -> tuple[float, float]:
    """(wall s, CPU s of the process tree) of one `vnplan ingest` with `checkout` first on the path."""
    out = work / "dataset"
    shutil.rmtree(out, ignore_errors=True)
    inbox = work / "inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir(parents=True)
    for file in files:
        (inbox / file.name).symlink_to(file.resolve())
    env = dict(os.environ, PYTHONPATH=str(checkout), OMP_THREAD_LIMIT="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--out", str(out), "--workers", str(workers)],
        env=env,
        cwd=checkout,
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("other", type=Path)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "samples").glob("*.pdf"))
    checkouts = {"this": ROOT, "other": args.other.resolve()}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
    with tempfile.TemporaryDirectory(prefix="vnplan-compare-") as tmp:
        for round_ in range(args.rounds):
            order = list(checkouts.items()) if round_ % 2 == 0 else list(reversed(checkouts.items()))
            for name, checkout in order:
                results[name].append(run_once(checkout, files, args.workers, Path(tmp) / name))
    print(
        f"`vnplan ingest` of {len(files)} files, --workers {args.workers}, {args.rounds} alternating rounds (median)\n"
    )
    print("| checkout | wall s | CPU s | wall per round |\n|---|---|---|---|")
    medians = {}
    for name, runs in results.items():
        wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        medians[name] = (wall, cpu)
        print(
            f"| {name} ({checkouts[name]}) | {wall:.1f} | {cpu:.1f} | " + ", ".join(f"{r[0]:.1f}" for r in runs) + " |"
        )
    print(
        f"\nthis / other: wall {medians['this'][0] / medians['other'][0]:.3f}, "
        f"CPU {medians['this'][1] / medians['other'][1]:.3f}"
    )


if __name__ == "__main__":
    main()
