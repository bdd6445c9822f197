"""Small batches as users run them (issue 16): whole `vnplan ingest` runs, the command a user types.

- scans: five scanned plans (21 pages, bench/corpus.plan_scans) through `vnplan ingest --workers 2`
  against the bare `tesseract -l vie` CLI on the same page images in two processes;
- many small plans: 80 born-digital plans of 4–7 pages (bench/corpus.small_documents) through
  `vnplan ingest`, 2 workers against 1.

Each with vnplan's Prefect server kept up between runs (a user's later runs; the server is started
once before the rounds with `vnplan server start`), and as a first run (no server before: the run
starts one, which is stopped again after it). The sides alternate within rounds and swap order
every round; each ratio is the median round's, and every round is listed. CPU seconds are those of
the command's process tree (the processes it waited for) plus, for kept-server runs, the kept
server's CPU over the run.

    .venv/bin/python bench/run.py --sections small [--only scans|short] [--before CHECKOUT] [--out FILE]

`--only` runs one of the two comparisons. `--before CHECKOUT` adds that checkout's `vnplan ingest`
(its code first on PYTHONPATH, with the same kept server, and as its own first run) to every round of
both comparisons, alternating with this checkout's runs.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench import corpus
from bench.corpus import BenchDoc

VNPLAN = [sys.executable, "-m", "pipeline"]
SCAN_BAR = 1.15  # vnplan ingest --workers 2 / bare tesseract ×2, at most
SCALING_BAR = 1.7  # 2 workers / 1 worker throughput, at least


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # the command's process tree, plus the kept server's CPU during the run


def base_env() -> dict[str, str]:
    """The user's environment without a Prefect API of their own, vnplan's kept server on (bench/run.py
    switches it off for its other rows)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "VNPLAN_PREFECT_IDLE_MINUTES")}
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def _tree_cpu(pid: int) -> float:
    """CPU seconds so far of a live process and its descendants."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue
    return total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str], server_pid: int | None = None, cwd: Path | None = None) -> Timing:
    """Run a command to its end (in `cwd`); stops the bench when it fails."""
    cpu_before, server_before = _children_cpu(), _tree_cpu(server_pid) if server_pid else 0.0
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    server = (_tree_cpu(server_pid) - server_before) if server_pid else 0.0
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command[2:5])} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return Timing(wall, _children_cpu() - cpu_before + server)


def with_code(env: dict[str, str], checkout: Path | None) -> dict[str, str]:
    """`env` with `checkout`'s code first on PYTHONPATH (None: this checkout's, as it is). `python -m`
    puts its working directory before PYTHONPATH: run the command in `checkout` too."""
    if checkout is None:
        return env
    return dict(env, PYTHONPATH=os.pathsep.join([str(checkout), *filter(None, [env.get("PYTHONPATH", "")])]))


class Runs:
    """`vnplan ingest` runs into fresh output folders, with the kept server or as first runs."""

    def __init__(self, work: Path) -> None:
        shutil.rmtree(work, ignore_errors=True)  # an earlier bench's output folders would make runs skip
        self.work = work
        self.env = base_env()
        self.kept = dict(self.env, VNPLAN_STATE_DIR=str(work / "kept-state"))
        self.count = 0
        self.server_pid: int | None = None

    def __enter__(self) -> Runs:
        import json

        timed([*VNPLAN, "server", "start", "--no-ui", "--idle-minutes", "60"], self.kept)
        record = json.loads((Path(self.kept["VNPLAN_STATE_DIR"]) / "prefect-server.json").read_text("utf-8"))
        self.server_pid = int(record["pid"])
        return self

    def __exit__(self, *_: object) -> None:
        timed([*VNPLAN, "server", "stop"], self.kept)

    def ingest(self, folder: Path, workers: int, *, first: bool, code: Path | None = None) -> Timing:
        """One run; `code`: another checkout's vnplan (with_code)."""
        from bench.run import check_all_ok

        self.count += 1
        out = self.work / f"out-{self.count:03d}"
        command = [*VNPLAN, "ingest", str(folder), "--out", str(out), "--workers", str(workers)]
        if first:  # no server before: the run starts vnplan's server, stopped again after it
            env = with_code(dict(self.env, VNPLAN_STATE_DIR=str(self.work / f"first-state-{self.count:03d}")), code)
            try:
                timing = timed(command, env, cwd=code)
            finally:
                subprocess.run([*VNPLAN, "server", "stop"], env=env, capture_output=True)
        else:
            timing = timed(command, with_code(self.kept, code), self.server_pid, cwd=code)
        check_all_ok(out)
        return timing


def tesseract_timing(images: list[tuple[Path, int]]) -> Timing:
    from bench.run import tesseract_seconds

    before = _children_cpu()
    wall = tesseract_seconds(images)
    return Timing(wall, _children_cpu() - before)


def median_round(ratios: list[float]) -> int:
    return sorted(range(len(ratios)), key=ratios.__getitem__)[len(ratios) // 2]


@dataclass(frozen=True)
class Result:
    """The rows of one comparison: per round (label -> timing), and the ratio each round gives."""

    title: str
    rounds: list[dict[str, Timing]]

    def ratios(self, ratio: Callable[[dict[str, Timing]], float]) -> list[float]:
        return [ratio(r) for r in self.rounds]

    def table(self, labels: list[str], ratio_cols: dict[str, Callable[[dict[str, Timing]], float]]) -> list[str]:
        head = " | ".join(f"{label} wall s | CPU s" for label in labels)
        lines = [
            f"{self.title}:",
            "",
            f"| round | {head} | " + " | ".join(ratio_cols) + " |",
            "|---|" + "---|---|" * len(labels) + "---|" * len(ratio_cols),
        ]
        for i, r in enumerate(self.rounds, 1):
            cells = " | ".join(f"{r[label].wall:.1f} | {r[label].cpu:.1f}" for label in labels)
            ratios = " | ".join(f"{fn(r):.2f}×" for fn in ratio_cols.values())
            lines.append(f"| {i} | {cells} | {ratios} |")
        med = " | ".join(
            f"{statistics.median(r[label].wall for r in self.rounds):.1f} | "
            f"{statistics.median(r[label].cpu for r in self.rounds):.1f}"
            for label in labels
        )
        ratios = " | ".join(f"{statistics.median(self.ratios(fn)):.2f}×" for fn in ratio_cols.values())
        lines.append(f"| median of each column | {med} | {ratios} |")
        return [*lines, ""]


def scan_rounds(
    runs: Runs, scans: list[BenchDoc], images: list[tuple[Path, int]], rounds: int, before: Path | None = None
) -> Result:
    """Per round: vnplan (kept server), bare tesseract ×2, vnplan (first run), and with `before` that
    checkout's two runs beside this one's; the order turns every round."""
    folder = scans[0].path.parent
    steps: list[tuple[str, Callable[[], Timing]]] = [
        ("vnplan, kept server", lambda: runs.ingest(folder, 2, first=False)),
        ("tesseract ×2", lambda: tesseract_timing(images)),
        ("vnplan, first run", lambda: runs.ingest(folder, 2, first=True)),
    ]
    if before is not None:
        steps.insert(1, ("before, kept server", lambda: runs.ingest(folder, 2, first=False, code=before)))
        steps.insert(3, ("before, first run", lambda: runs.ingest(folder, 2, first=True, code=before)))
    result = Result(f"Scans, {len(scans)} plans, {corpus_pages(scans)} pages, `vnplan ingest --workers 2`", [])
    for i in range(rounds):
        result.rounds.append(_round(steps if i % 2 == 0 else steps[::-1]))
    return result


def scaling_rounds(runs: Runs, docs: list[BenchDoc], rounds: int, before: Path | None = None) -> Result:
    """Per round: 1 worker and 2 workers (kept server), then 2 and 1 as first runs; the order turns
    every round (1, 2, 2, 1, ...). With `before`, that checkout's runs follow each of this one's in
    mirrored order (1, 2 | 2, 1 before, then first runs 2, 1 | 1, 2 before, all reversed next round)."""
    folder = docs[0].path.parent
    kept: list[tuple[str, Callable[[], Timing]]] = [
        ("1 worker, kept server", lambda: runs.ingest(folder, 1, first=False)),
        ("2 workers, kept server", lambda: runs.ingest(folder, 2, first=False)),
    ]
    first: list[tuple[str, Callable[[], Timing]]] = [
        ("2 workers, first run", lambda: runs.ingest(folder, 2, first=True)),
        ("1 worker, first run", lambda: runs.ingest(folder, 1, first=True)),
    ]
    if before is not None:
        kept += [
            ("before, 2 workers, kept server", lambda: runs.ingest(folder, 2, first=False, code=before)),
            ("before, 1 worker, kept server", lambda: runs.ingest(folder, 1, first=False, code=before)),
        ]
        first += [
            ("before, 1 worker, first run", lambda: runs.ingest(folder, 1, first=True, code=before)),
            ("before, 2 workers, first run", lambda: runs.ingest(folder, 2, first=True, code=before)),
        ]
    result = Result(f"Small born-digital plans, {len(docs)} plans, {corpus_pages(docs)} pages, `vnplan ingest`", [])
    for i in range(rounds):
        result.rounds.append(_round(kept + first if i % 2 == 0 else kept[::-1] + first[::-1]))
    return result


def _round(steps: list[tuple[str, Callable[[], Timing]]]) -> dict[str, Timing]:
    timings = {}
    for label, step in steps:
        timings[label] = step()
        print(f"    {label}: {timings[label].wall:.1f} s wall, {timings[label].cpu:.1f} s CPU", flush=True)
    return timings


def corpus_pages(docs: list[BenchDoc]) -> int:
    return sum(d.pages for d in docs)


def measure(
    work: Path,
    scans: list[BenchDoc],
    small: list[BenchDoc],
    rounds: int,
    only: str | None = None,
    before: Path | None = None,
) -> tuple[Result | None, Result | None, list[str]]:
    """Both comparisons (`only`: "scans" or "short"), the kept server up for both; (scan result,
    scaling result, printed tables). `before`: another checkout's runs beside this one's."""
    work.mkdir(parents=True, exist_ok=True)
    scan = scaling = None
    tables: list[str] = []
    with Runs(work / "runs-small") as runs:
        if only in (None, "scans"):
            images = corpus.page_images(scans, work / "images-plan-scans")
            scan = scan_rounds(runs, scans, images, rounds, before)
        if only in (None, "short"):
            scaling = scaling_rounds(runs, small, rounds, before)
    if scan is not None:
        sides = ["vnplan, kept server", "tesseract ×2", "vnplan, first run"]
        ratios: dict[str, Callable[[dict[str, Timing]], float]] = {
            "kept / tesseract": lambda r: r["vnplan, kept server"].wall / r["tesseract ×2"].wall,
            "first / tesseract": lambda r: r["vnplan, first run"].wall / r["tesseract ×2"].wall,
        }
        if before is not None:
            sides[1:1] = ["before, kept server"]
            sides.append("before, first run")
            ratios["before kept / tesseract"] = lambda r: r["before, kept server"].wall / r["tesseract ×2"].wall
            ratios["before first / tesseract"] = lambda r: r["before, first run"].wall / r["tesseract ×2"].wall
        tables += scan.table(sides, ratios)
    if scaling is not None:
        sides = ["1 worker, kept server", "2 workers, kept server", "1 worker, first run", "2 workers, first run"]
        scaling_ratios: dict[str, Callable[[dict[str, Timing]], float]] = {
            "kept: 1 / 2 workers": lambda r: r["1 worker, kept server"].wall / r["2 workers, kept server"].wall,
            "first: 1 / 2 workers": lambda r: r["1 worker, first run"].wall / r["2 workers, first run"].wall,
        }
        if before is not None:
            sides += [f"before, {side}" for side in sides]
            scaling_ratios["before kept: 1 / 2 workers"] = lambda r: (
                r["before, 1 worker, kept server"].wall / r["before, 2 workers, kept server"].wall
            )
            scaling_ratios["before first: 1 / 2 workers"] = lambda r: (
                r["before, 1 worker, first run"].wall / r["before, 2 workers, first run"].wall
            )
        tables += scaling.table(sides, scaling_ratios)
    return scan, scaling, tables
