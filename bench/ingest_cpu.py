"""Where the CPU of one `vnplan ingest` goes, process by process: the command's own process (the flow, its
Prefect task runs), its workers (and the fork server they come from), and the kept Prefect server.

    .venv/bin/python bench/ingest_cpu.py FOLDER [--workers 2] [--rounds 2] [--before CHECKOUT]

Starts a kept Prefect server of its own (`vnplan server start`, a state folder under the work folder),
then runs `vnplan ingest FOLDER --workers N` into a fresh folder per run, this checkout's code and, with
`--before`, another checkout's in alternating rounds (its code first on PYTHONPATH). Every 20 ms it reads
the CPU seconds of each process of the run's tree (psutil), so a process's figure is its last reading
(up to 20 ms short); the server's is its CPU over the run. Prints one row per run: wall, the command
process's CPU in all and per document, and in three phases (until the first record is written, while
the documents run, from the last record to the end), the other processes' CPU, and the wall time from
the last record written to the command's end (the run's tail). CPU seconds are the steadier figure on
a shared machine; wall times move with the load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def _tree_cpu(process: psutil.Process) -> float:
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
            total += times.user + times.system
        except psutil.Error:
            continue
    return total


def one_run(checkout: Path, folder: Path, workers: int, out: Path, env: dict[str, str], server: psutil.Process) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    env = dict(env, PYTHONPATH=str(checkout))
    server_before = _tree_cpu(server)
    start = time.time()
    command = [sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out), "--workers", str(workers)]
    proc = subprocess.Popen(command, env=env, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(proc.pid)
    last: dict[int, float] = {}
    series: list[tuple[float, float]] = []  # (seconds since start, the command process's CPU)
    while proc.poll() is None:
        try:
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            processes = []
        for each in processes:
            try:
                times = each.cpu_times()
                last[each.pid] = times.user + times.system
            except psutil.Error:
                continue
        series.append((time.time() - start, last.get(proc.pid, 0.0)))
        time.sleep(0.02)
    wall = time.time() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"ingest failed ({proc.returncode}): {stderr[-1000:]}")
    written = [os.path.getmtime(p) - start for p in (out / "documents").glob("*.json")]

    def cpu_at(moment: float) -> float:
        return max((cpu for at, cpu in series if at <= moment), default=0.0)

    command_cpu = last.get(proc.pid, 0.0)
    first, final = min(written), max(written)
    return {
        "wall": wall,
        "documents": len(written),
        "command": command_cpu,
        "until_first": cpu_at(first),
        "documents_phase": cpu_at(final) - cpu_at(first),
        "after_last": command_cpu - cpu_at(final),
        "others": sum(cpu for pid, cpu in last.items() if pid != proc.pid),
        "server": _tree_cpu(server) - server_before,
        "tail": wall - final,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--before", type=Path, help="another checkout, run alternately with this one")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="vnplan-ingest-cpu-"))
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "VNPLAN_PREFECT_IDLE_MINUTES")}
    env.update(OMP_THREAD_LIMIT="1", VNPLAN_STATE_DIR=str(work / "state"))
    start = [sys.executable, "-m", "pipeline", "server", "start", "--no-ui", "--idle-minutes", "60"]
    subprocess.run(start, env=dict(env, PYTHONPATH=str(ROOT)), cwd=ROOT, check=True, capture_output=True)
    record = json.loads((work / "state" / "prefect-server.json").read_text("utf-8"))
    server = psutil.Process(int(record["pid"]))
    sides = [("this", ROOT)] + ([("before", args.before.resolve())] if args.before else [])
    print(
        "| run | code | wall s | command CPU s | per document ms | until first record | while documents run"
        " | after last record | workers & fork server CPU s | Prefect server CPU s | tail after last record s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    try:
        for i in range(args.rounds):
            for name, checkout in sides if i % 2 == 0 else sides[::-1]:
                r = one_run(checkout, args.folder, args.workers, work / "out", env, server)
                print(
                    f"| {i + 1} | {name} | {r['wall']:.1f} | {r['command']:.2f} | "
                    f"{1000 * r['command'] / max(1, r['documents']):.1f} | {r['until_first']:.2f} | "
                    f"{r['documents_phase']:.2f} | {r['after_last']:.2f} | {r['others']:.2f} | {r['server']:.2f} | "
                    f"{r['tail']:.2f} |",
                    flush=True,
                )
    finally:
        subprocess.run(
            [sys.executable, "-m", "pipeline", "server", "stop"], env=dict(env, PYTHONPATH=str(ROOT)), cwd=ROOT
        )
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
