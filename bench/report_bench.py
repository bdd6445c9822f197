"""`vnplan report` on the API load test's 5,000 generated documents: time to write, time to open in Chromium.

    .venv/bin/python bench/report_bench.py                 # makes /tmp/vnplan-report-5k first
    .venv/bin/python bench/report_bench.py --data DIR      # an existing dataset folder

Writing is `vnplan report --out DIR` as a user runs it (process start included). Opening is headless
Chromium loading report/index.html from disk: the page notes, in `data-ready-ms`, the milliseconds from
navigation start until every chart is drawn; the wall time of the whole Chromium run (its own start
included) and of a run on an empty page are printed beside it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-01-15"


def chromium(url: str) -> tuple[float, str]:
    """(wall seconds, dumped DOM) of one headless Chromium run on `url`."""
    with tempfile.TemporaryDirectory() as profile:
        began = time.perf_counter()
        done = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
             "--dump-dom", url], capture_output=True, text=True, timeout=300, check=True)
        return time.perf_counter() - began, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/vnplan-report-5k"))
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--opens", type=int, default=3, help="Chromium runs (the median is printed)")
    args = parser.parse_args(argv)
    if not (args.data / "manifest.json").exists():
        from bench.make_dataset import make_dataset

        began = time.perf_counter()
        make_dataset(args.data, args.n)
        print(f"made {args.n} documents in {args.data} ({time.perf_counter() - began:.1f} s)", file=sys.stderr)
    vnplan = shutil.which("vnplan", path=str(Path(sys.executable).parent)) or "vnplan"

    began = time.perf_counter()
    subprocess.run([vnplan, "report", "--out", str(args.data), "--as-of", AS_OF], check=True, cwd=ROOT)
    write_s = time.perf_counter() - began
    index = args.data / "report" / "index.html"
    pages = list((args.data / "report" / "van-ban").iterdir())

    blank = args.data / "report" / ".blank.html"
    blank.write_text("<!DOCTYPE html><html><body>blank</body></html>", "utf-8")
    blank_s = statistics.median(chromium(blank.as_uri())[0] for _ in range(args.opens))
    blank.unlink()
    runs = []
    for _ in range(args.opens):
        wall, dom = chromium(index.as_uri())
        ready = re.search(r'data-ready-ms="(\d+)"', dom)
        documents = re.search(r'data-documents="(\d+)"', dom)
        assert ready and documents, "the page did not finish drawing"
        runs.append((wall, int(ready.group(1)) / 1000, int(documents.group(1))))
    wall_s = statistics.median(r[0] for r in runs)
    ready_s = statistics.median(r[1] for r in runs)

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average at the end (1 / 5 / 15 min, {os.cpu_count()} cores): {load}")
    print(f"| measure ({runs[0][2]:,} documents) | result | target |")
    print("|---|---|---|")
    print(f"| `vnplan report` (write index.html + {len(pages):,} document pages) | {write_s:.1f} s | < 30 s |")
    print(f"| index.html size | {index.stat().st_size / 1e6:.1f} MB (plotly.js 4.8 MB of it) | |")
    print(f"| open in headless Chromium: navigation → every chart drawn (median of {args.opens}) | "
          f"{ready_s:.2f} s | < 3 s |")
    print(f"| whole Chromium run on the page / on an empty page (browser start included) | "
          f"{wall_s:.2f} s / {blank_s:.2f} s | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
