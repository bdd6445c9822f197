"""`vnplan report` on the API load test's 5,000 generated documents: time to write, time to open in Chromium.

    .venv/bin/python bench/report_bench.py                 # makes /tmp/vnplan-report-5k first
    .venv/bin/python bench/report_bench.py --data DIR      # an existing dataset folder

Writing is `vnplan report --out DIR` as a user runs it (process start included). Opening is headless
Chromium loading report/index.html from disk: the page notes, in `data-ready-ms`, the milliseconds from
navigation start until every chart is drawn. On a shared machine that wall time mostly measures the
wait for a core, so the CPU time Chromium spends on the page (its processes' CPU time, less that of a
run on an empty page) is printed beside it, with the load average.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))
AS_OF = "2026-01-15"


def chromium(url: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of Chromium's processes, dumped DOM) of one headless run on `url`."""
    with tempfile.TemporaryDirectory() as profile:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        done = subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
                f"--user-data-dir={profile}",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        wall = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/vnplan-report-5k"))
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--opens", type=int, default=3, help="Chromium runs (the median is printed)")
    args = parser.parse_args(argv)
    if not (args.data / "manifest.json").exists():
        from bench.make_dataset import make_dataset  # (the repository's, on the path above)

        began = time.perf_counter()
        make_dataset(args.data, args.n)
        print(f"made {args.n} documents in {args.data} ({time.perf_counter() - began:.1f} s)", file=sys.stderr)
    vnplan = shutil.which("vnplan", path=str(Path(sys.executable).parent)) or "vnplan"

    shutil.rmtree(args.data / "report", ignore_errors=True)  # written from scratch, as the first time
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run([vnplan, "report", "--out", str(args.data), "--as-of", AS_OF], check=True, cwd=ROOT)
    write_s = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    write_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    index = args.data / "report" / "index.html"
    pages = list((args.data / "report" / "van-ban").iterdir())

    blank = args.data / "report" / ".blank.html"
    blank.write_text("<!DOCTYPE html><html><body>blank</body></html>", "utf-8")
    empty = [chromium(blank.as_uri())[:2] for _ in range(args.opens)]
    blank.unlink()
    runs = []
    for _ in range(args.opens):
        wall, cpu, dom = chromium(index.as_uri())
        ready = re.search(r'data-ready-ms="(\d+)"', dom)
        documents = re.search(r'data-documents="(\d+)"', dom)
        assert ready and documents, "the page did not finish drawing"
        runs.append((wall, cpu, int(ready.group(1)) / 1000, int(documents.group(1))))
    median = statistics.median

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average at the end (1 / 5 / 15 min, {os.cpu_count()} cores): {load}")
    print(f"| measure ({runs[0][3]:,} documents) | result | target |")
    print("|---|---|---|")
    print(
        f"| `vnplan report` (write index.html + {len(pages):,} document pages), wall clock | {write_s:.1f} s | < 30 s |"
    )
    print(f"| `vnplan report`, CPU time of the process | {write_cpu:.1f} s | |")
    print(f"| index.html size | {index.stat().st_size / 1e6:.1f} MB (plotly.js 4.8 MB of it) | |")
    print(
        f"| open in headless Chromium: navigation → every chart drawn, wall clock (median of {args.opens}) | "
        f"{median(r[2] for r in runs):.2f} s | < 3 s |"
    )
    print(
        f"| CPU time of Chromium's processes: the page − an empty page (median of {args.opens}) | "
        f"{median(r[1] for r in runs) - median(e[1] for e in empty):.2f} s | |"
    )
    print(
        f"| whole Chromium run, wall clock: on the page / on an empty page (browser start included) | "
        f"{median(r[0] for r in runs):.2f} s / {median(e[0] for e in empty):.2f} s | |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
