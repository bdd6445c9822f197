"""The Prefect server vnplan starts for a first run, alone: its CPU seconds until `/api/health` answers and
until the first request a run makes (`/api/admin/version`, where FastAPI builds its routes) is answered.

    .venv/bin/python bench/server_start.py [--rounds 6] [--before CHECKOUT]

Each round starts the server the way `vnplan ingest` does (`prefect_server.TemporaryServer` of the checkout,
its code first on PYTHONPATH, the same interpreter), asks those two questions and stops it. With `--before`,
the two checkouts alternate within each round. CPU seconds are the server process's own (/proc), which move
less with the machine's load than wall seconds; the table gives the minimum and the median of the rounds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import os, time, urllib.request
from pipeline.run import prefect_env, prefect_server
prefect_env.configure()
server = prefect_server.TemporaryServer()
start = time.monotonic()
server.start()
stat = f"/proc/{server._process.pid}/stat"
def cpu():
    fields = open(stat).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
server.wait_ready(180)
health_wall, health_cpu = time.monotonic() - start, cpu()
urllib.request.urlopen(server.api_url + "/admin/version", timeout=60).read()
first_wall, first_cpu = time.monotonic() - start, cpu()
server.stop()
print(health_wall, health_cpu, first_wall, first_cpu)
"""
COLUMNS = ("health wall s", "health CPU s", "first answer wall s", "first answer CPU s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--before", type=Path, help="another checkout, alternating with this one")
    args = parser.parse_args()
    checkouts = {"after": ROOT} if args.before is None else {"before": args.before.resolve(), "after": ROOT}
    base = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    samples: dict[str, list[list[float]]] = {name: [] for name in checkouts}
    load_before = os.getloadavg()[0]
    for i in range(args.rounds):
        for name, checkout in list(checkouts.items())[:: 1 if i % 2 == 0 else -1]:
            run = subprocess.run(
                [sys.executable, "-c", PROBE],
                env=dict(base, PYTHONPATH=str(checkout), OMP_THREAD_LIMIT="1"),
                capture_output=True,
                text=True,
                cwd=tempfile.gettempdir(),
                timeout=600,
            )
            if run.returncode != 0:
                raise SystemExit(f"bench: the server of {checkout} failed: {run.stderr[-1500:]}")
            samples[name].append([float(x) for x in run.stdout.split()])
    print(
        f"# Prefect server start (bench/server_start.py)\n\n{os.cpu_count()} cores, load average "
        f"{load_before:.1f} → {os.getloadavg()[0]:.1f}; {args.rounds} rounds; min / median\n"
    )
    print("| checkout | " + " | ".join(COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for name, rows in samples.items():
        cells = [f"{min(col):.2f} / {statistics.median(col):.2f}" for col in zip(*rows, strict=True)]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
