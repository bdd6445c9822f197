"""Where the time of a small batch of scans goes: one `vnplan ingest --workers 2` of the five plan scans
(bench/corpus.plan_scans, 21 pages), its process tree sampled every 50 ms.

Prints, for the run: when the first page reached Tesseract, each process's CPU seconds (the flow's
process, each document worker, the kept Prefect server, Tesseract's page reads and its extra reads of
table cells, closing columns and stamps), and the share of the run during which 0, 1, 2 or more
Tesseract processes were running (a core without one is doing vnplan's own work, or idle).

    .venv/bin/python bench/scan_timeline.py [--first-run] [--workers 2] [--code CHECKOUT] [--out FILE]

With vnplan's Prefect server kept up (started before, stopped after) unless `--first-run`. `--code`:
another checkout's vnplan (its code first on PYTHONPATH), to compare timelines.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus
from bench.small_batches import VNPLAN, base_env, with_code

SAMPLE_S = 0.05


@dataclass
class Seen:
    """One process of the run as sampled: its command (the latest seen: a child is sampled before its
    exec too), parent, first and last sight, CPU seconds at the last sight."""

    cmd: str
    ppid: int
    first: float
    last: float = 0.0
    cpu: float = 0.0
    cpu_at_first: float = 0.0
    samples: list[tuple[float, float]] = field(default_factory=list)


def sample(
    command: list[str], env: dict[str, str], server_pid: int | None, cwd: Path | None = None
) -> tuple[float, dict[int, Seen], int]:
    """Run `command` to its end (in `cwd`); (wall seconds, every process seen, the command's pid)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    seen: dict[int, Seen] = {}
    while proc.poll() is None:
        now = time.perf_counter() - start
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        if server_pid:
            try:
                server = psutil.Process(server_pid)
                procs += [server, *server.children(recursive=True)]
            except psutil.NoSuchProcess:
                pass
        for p in procs:
            try:
                with p.oneshot():
                    cmd, ppid, times = " ".join(p.cmdline()), p.ppid(), p.cpu_times()
            except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                continue
            cpu = times.user + times.system
            entry = seen.setdefault(p.pid, Seen(cmd, ppid, now, cpu_at_first=cpu))
            entry.cmd, entry.last, entry.cpu = cmd or entry.cmd, now, cpu
            entry.samples.append((now, cpu))
        time.sleep(SAMPLE_S)
    wall = time.perf_counter() - start
    _, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"scan_timeline: vnplan ingest failed ({proc.returncode}): {err[-2000:]}")
    return wall, seen, proc.pid


def kind(entry: Seen, server_pids: set[int], root: int, workers: set[int]) -> str:
    cmd = entry.cmd
    if entry.ppid in workers and not cmd.startswith("tesseract"):
        return "workers' children seen only before their exec (Tesseract)"
    if cmd.startswith("tesseract") and "--psm 3" in cmd:
        return "Tesseract, page reads (psm 3)"
    if cmd.startswith("tesseract") and "--psm" in cmd:
        return "Tesseract, cells, closing columns, stamps (psm 6)"
    if cmd.startswith("tesseract"):
        return "Tesseract, --version / --list-langs"
    if entry.ppid in server_pids or "prefect" in cmd:
        return "Prefect server (kept)"
    if "resource_tracker" in cmd:
        return "multiprocessing resource tracker"
    return "document workers" if entry.ppid == root else "other"


def report(wall: float, seen: dict[int, Seen], root: int, server_pid: int | None) -> list[str]:
    server_pids = {server_pid} if server_pid else set()
    server_pids |= {pid for pid, e in seen.items() if e.ppid in server_pids}
    server_pids |= {pid for pid, e in seen.items() if e.ppid in server_pids}
    workers = {pid for pid, e in seen.items() if e.ppid == root and "spawn_main" in e.cmd}
    cpu: dict[str, float] = {}
    count: dict[str, int] = {}
    for pid, entry in seen.items():
        label = kind(entry, server_pids, root, workers) if pid != root else "flow's process (vnplan ingest)"
        spent = entry.cpu - entry.cpu_at_first if pid in server_pids else entry.cpu
        cpu[label] = cpu.get(label, 0.0) + spent
        count[label] = count.get(label, 0) + 1
    reads = sorted((e.first, e.last) for e in seen.values() if e.cmd.startswith("tesseract") and "--psm" in e.cmd)
    first_read = reads[0][0] if reads else float("nan")
    lines = [
        f"wall {wall:.1f} s; first page reached Tesseract at {first_read:.2f} s; load average {os.getloadavg()[0]:.1f}",
        "",
        "| process | count | CPU s |",
        "|---|---|---|",
    ]
    for label in sorted(cpu, key=lambda k: -cpu[k]):
        lines.append(f"| {label} | {count[label]} | {cpu[label]:.1f} |")
    lines.append(f"| all | {sum(count.values())} | {sum(cpu.values()):.1f} |")
    # how many Tesseract reads ran at once, over the run (in SAMPLE_S steps)
    at_once: dict[int, float] = {}
    step = SAMPLE_S
    t = 0.0
    while t < wall:
        running = sum(1 for a, b in reads if a <= t <= b)
        at_once[running] = at_once.get(running, 0.0) + step
        t += step
    lines += ["", "| Tesseract reads running at once | seconds | share of the run |", "|---|---|---|"]
    for n in sorted(at_once):
        lines.append(f"| {n} | {at_once[n]:.1f} | {at_once[n] / wall:.0%} |")
    last_two = max((b for a, b in reads if sum(1 for c, d in reads if c <= b - step and d >= b - step) >= 2), default=0)
    if reads:
        lines.append("")
        lines.append(
            f"Tesseract reads from {first_read:.1f} s to {reads[-1][1] if reads else 0:.1f} s "
            f"(last moment with two at once: {last_two:.1f} s; the run ended at {wall:.1f} s)"
        )
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-run", action="store_true", help="no server before: the run starts one")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--code", type=Path, help="another checkout's vnplan")
    parser.add_argument("--work", type=Path, default=corpus.WORK)
    parser.add_argument("--out", type=Path, help="also write the tables here")
    parser.add_argument("--json", type=Path, help="write every sampled process here")
    args = parser.parse_args(argv)
    scans = corpus.plan_scans(args.work)
    folder = scans[0].path.parent
    with tempfile.TemporaryDirectory(prefix="vnplan-timeline-") as tmp:
        state = Path(tmp) / "state"
        env = with_code(dict(base_env(), VNPLAN_STATE_DIR=str(state)), args.code.resolve() if args.code else None)
        server_pid = None
        if not args.first_run:
            subprocess.run([*VNPLAN, "server", "start", "--no-ui", "--idle-minutes", "30"], env=env, check=True)
            server_pid = int(json.loads((state / "prefect-server.json").read_text("utf-8"))["pid"])
        command = [*VNPLAN, "ingest", str(folder), "--out", str(Path(tmp) / "out"), "--workers", str(args.workers)]
        try:
            wall, seen, root = sample(command, env, server_pid, args.code.resolve() if args.code else None)
        finally:
            subprocess.run([*VNPLAN, "server", "stop"], env=env, capture_output=True)
    lines = [
        f"`vnplan ingest --workers {args.workers}` of {len(scans)} scanned plans "
        f"({sum(d.pages for d in scans)} pages), "
        + ("first run" if args.first_run else "kept server")
        + (f", code of {args.code}" if args.code else ""),
        "",
        *report(wall, seen, root, server_pid),
    ]
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", "utf-8")
    if args.json:
        args.json.write_text(json.dumps({str(k): v.__dict__ for k, v in seen.items()}), "utf-8")


if __name__ == "__main__":
    main()
