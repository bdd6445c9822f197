"""The fixed cost of small runs: one plan through `vnplan ingest` against `vnplan extract` of it, with no
Prefect server running before (a first run) and with vnplan's kept server up (later runs); `vnplan
restore` of one line; `vnplan restore` of ~40 k words against pyvi's `add_accents`, start-up included.

    .venv/bin/python bench/startup.py [--rounds 3] [--out bench/results/startup.md] [--before CHECKOUT]
        [--later-only | --restore-only]

Every figure is the median of alternating rounds in one run (the machine is shared); CPU seconds
(user + system of the process tree) are printed beside wall seconds, as they move less with load.
With `--before CHECKOUT` every row runs for that checkout too (its code first on PYTHONPATH, the
same interpreter), the two in turn within each round, and the table shows them side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from normalizers.restore.syllables import fold  # noqa: E402

PLAN = ROOT / "samples" / "laocai_khcn_2023_000.pdf"
SEEDS = ROOT / "samples" / "seeds"
RESULTS = ROOT / "bench" / "results" / "startup.md"
VNPLAN = [sys.executable, "-m", "pipeline"]


def timed(command: list[str], *, env: dict[str, str], stdin: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command's process tree); stops the bench on failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(stdin or os.devnull, "rb") as source:
        proc = subprocess.run(
            command, env=env, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tempfile.gettempdir()
        )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command[2:4])} failed ({proc.returncode}): {proc.stderr[-1500:]!r}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def kept_server_cpu(keeper_pid: int) -> float:
    """CPU seconds the keeper and its Prefect server (a detached process tree) used so far."""
    import psutil

    try:
        keeper = psutil.Process(keeper_pid)
        total = 0.0
        for process in [keeper, *keeper.children(recursive=True)]:
            times = process.cpu_times()
            total += times.user + times.system
        return total
    except psutil.Error:
        return float("nan")


def median_pair(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def words_file(work: Path, words: int) -> Path:
    """The seeds' text without diacritics, repeated to `words` words."""
    text = fold("\n".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*_00[0-3].txt"))))
    parts, count = [], 0
    while count < words:
        parts.append(text)
        count += len(text.split())
    path = work / f"stripped-{words}.txt"
    path.write_text("\n".join(parts), "utf-8")
    return path


def checkout_env(base: dict[str, str], checkout: Path) -> dict[str, str]:
    return dict(base, PYTHONPATH=str(checkout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout (e.g. `git archive main | tar -x -C DIR`): every row is run for it too, "
        "alternating with this one, and printed side by side",
    )
    parser.add_argument(
        "--later-only",
        action="store_true",
        help="only `extract` and later runs (kept server up): more rounds of the two rows in the same time",
    )
    parser.add_argument(
        "--restore-only",
        action="store_true",
        help="only the `vnplan restore` rows and pyvi: no ingest, no Prefect server",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vnplan-startup-"))
    base = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    base.update(OMP_THREAD_LIMIT="1")
    checkouts = {"after": ROOT} if args.before is None else {"before": args.before.resolve(), "after": ROOT}
    one_line, long_text = work / "one-line.txt", words_file(work, 40_000)
    one_line.write_text("Thuc hien Nghi quyet so 57-NQ/TW cua Bo Chinh tri\n", "utf-8")
    # pyvi line by line, as bench/restore_bench.py runs it (it raises KeyError on some lines: kept as is)
    pyvi = [
        sys.executable,
        "-c",
        "import sys\nfrom pyvi import ViUtils\nfor line in sys.stdin:\n"
        "    try:\n        sys.stdout.write(ViUtils.add_accents(line.rstrip('\\n')) + '\\n')\n"
        "    except Exception:\n        sys.stdout.write(line)\n",
    ]
    rows: dict[tuple[str, str], list[tuple[float, float]]] = {}
    answered: dict[str, list[float]] = {}
    server_cpu: dict[str, list[float]] = {}  # the first run's server (a detached process): not in the CPU column

    def sample(label: str, name: str, run: Callable[[], tuple[float, float]]) -> None:
        rows.setdefault((label, name), []).append(run())

    def in_turn(i: int) -> list[tuple[str, Path]]:
        """The checkouts, their order swapped every round."""
        items = list(checkouts.items())
        return items if i % 2 == 0 else items[::-1]

    load_before = os.getloadavg()[0]
    kept = {
        name: dict(checkout_env(base, c), VNPLAN_STATE_DIR=str(work / f"kept-{name}")) for name, c in checkouts.items()
    }
    for env in kept.values() if not args.restore_only else ():
        timed([*VNPLAN, "server", "start", "--no-ui", "--idle-minutes", "30"], env=env)
    try:
        for i in range(
            0 if args.restore_only else args.rounds
        ):  # alternating, so that load changes hit every row alike
            for name, checkout in in_turn(i):
                env = checkout_env(base, checkout)
                first = dict(env, VNPLAN_STATE_DIR=str(work / f"first-{name}-{i}"))
                sample(
                    EXTRACT,
                    name,
                    lambda env=env: timed([*VNPLAN, "extract", str(PLAN), "-o", str(work / "x.json")], env=env),
                )
                if not args.later_only:
                    started = time.time()
                    sample(
                        FIRST,
                        name,
                        lambda first=first, i=i, name=name: timed(
                            [*VNPLAN, "ingest", str(PLAN), "--out", str(work / f"first-{name}-{i}")], env=first
                        ),
                    )
                    # when the server the run started answered (its keeper's record), seconds from the run's start
                    record = json.loads((Path(first["VNPLAN_STATE_DIR"]) / "prefect-server.json").read_text("utf-8"))
                    answered.setdefault(name, []).append(record["started"] - started)
                    server_cpu.setdefault(name, []).append(kept_server_cpu(record["pid"]))
                    timed([*VNPLAN, "server", "stop"], env=first)
                sample(
                    LATER,
                    name,
                    lambda i=i, name=name: timed(
                        [*VNPLAN, "ingest", str(PLAN), "--out", str(work / f"later-{name}-{i}")], env=kept[name]
                    ),
                )
    finally:
        for env in kept.values() if not args.restore_only else ():
            timed([*VNPLAN, "server", "stop"], env=env)
    # Restoration apart, with no Prefect server left working through the runs' events beside it.
    for i in range(0 if args.later_only else args.rounds):
        for name, checkout in in_turn(i):
            env = checkout_env(base, checkout)
            sample(ONE_LINE, name, lambda env=env: timed([*VNPLAN, "restore"], env=env, stdin=one_line))
            sample(LONG, name, lambda env=env: timed([*VNPLAN, "restore"], env=env, stdin=long_text))
        sample(PYVI, "after", lambda: timed(pyvi, env=base, stdin=long_text))
    load_after = os.getloadavg()[0]

    med = {key: median_pair(samples) for key, samples in rows.items()}
    heading = (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average {load_before:.1f} → "
        f"{load_after:.1f}; median of {args.rounds} alternating rounds; plan: {PLAN.name}; "
        f"40 k words: {len(long_text.read_text('utf-8').split()):,} words of the seeds, stripped."
    )
    lines = ["# Start-up and small runs (bench/startup.py)\n", heading]
    if args.before is not None:
        lines[-1] += f" Before: {args.before}; after: this checkout, the two alternating within each round."
    lines.append("")
    names = list(checkouts)
    lines += [
        "| run | " + " | ".join(f"{n} wall s | {n} CPU s | {n} compared" for n in names) + " | target |",
        "|---|" + "---|---|---|" * len(names) + "---|",
    ]
    for label in (EXTRACT, FIRST, LATER, ONE_LINE, LONG, PYVI):
        if not any((label, name) in med for name in names):
            continue  # a row this run left out (--later-only, --restore-only)
        cells = []
        for name in names:
            if (label, name) not in med:
                cells.append(" |  | ")
                continue
            wall, cpu = med[(label, name)]
            cells.append(f"{wall:.2f} | {cpu:.2f} | {compared(med, label, name)}")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {BARS.get(label, '')} |")
    if answered:
        lines.append(
            "\nFirst runs: their Prefect server answered "
            + "; ".join(f"{n} {statistics.median(answered[n]):.2f} s" for n in names)
            + " after the run started (median); the rest of the run's wall time came after. "
            + "The server's own CPU by the run's end (not in the CPU column): "
            + "; ".join(f"{n} {statistics.median(server_cpu[n]):.2f} s" for n in names)
            + " (median)."
        )
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    shutil.rmtree(work, ignore_errors=True)


EXTRACT = "extract"
FIRST = "ingest, no server before (first run)"
LATER = "ingest, kept server up (later runs)"
ONE_LINE = "restore, one line"
LONG = "restore, 40 k words"
PYVI = "pyvi add_accents, 40 k words"
BARS = {FIRST: "≤ extract + 1.5 s", LATER: "≤ extract + 1.5 s", ONE_LINE: "≤ 0.5 s", LONG: "≥ 3×"}


def compared(med: dict[tuple[str, str], tuple[float, float]], label: str, name: str) -> str:
    if label in (FIRST, LATER):
        return f"extract + {med[(label, name)][0] - med[(EXTRACT, name)][0]:.2f} s"
    if label == LONG:
        return f"pyvi / vnplan = {med[(PYVI, 'after')][0] / med[(LONG, name)][0]:.2f}×"
    return ""


if __name__ == "__main__":
    main()
