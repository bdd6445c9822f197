"""Stress run: ≥ 300 mixed documents through `vnplan ingest`; every good one written, every bad one in
errors.jsonl, and memory flat from the first 100 documents to the last 100.

    .venv/bin/python bench/stress.py [--good 270] [--scans 6] [--out bench/results/stress.md]

Inputs (under the work folder, default /tmp/vnplan-bench): small born-digital plans, 1-page scans,
and broken files of every kind (zero-byte, truncated PDF, random bytes named .pdf, encrypted PDF, a
.docx and a zip named .pdf, an image-only page that is blank), shuffled into one folder with an index
prefix.

Memory: one CLI run on a machine where no Prefect server runs yet (a state folder of its own), the RSS
of its whole process tree (CLI, Prefect server, any OCR workers) sampled every 0.2 s. Each sample is
attributed to the number of records in documents/ at that moment (the flow takes the biggest documents
first, not the inputs' order); the peak while the last 100 records were written must be within 10 % of
the peak until the first 100 were. One run rather than three batches of 100:
batches would each start a fresh process, hiding exactly the growth inside a process this looks for.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from bench import corpus  # noqa: E402
from bench.memory import MB, TreeRss  # noqa: E402
from bench.run import BUSY_LOAD, machine  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "stress.md"
GROWTH_LIMIT = 1.10
WINDOW = 100


@dataclass(frozen=True)
class Input:
    path: Path
    kind: str  # "born-digital", "scan" or the broken kind
    good: bool


def build_inputs(folder: Path, work: Path, good: int, scans: int, bad_rounds: int, seed: int = 11) -> list[Input]:
    """The batch folder: good and bad files shuffled, named `<index>-<kind>.<ext>`."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    items: list[tuple[str, bool, bytes, str]] = []  # kind, good, bytes, suffix
    born = corpus.small_documents(good, work)
    items += [("born-digital", True, d.path.read_bytes(), ".pdf") for d in born]
    items += [("scan", True, d.path.read_bytes(), ".pdf") for d in corpus.scans(scans, 1, work)]
    for i in range(bad_rounds):  # each round: every broken kind, from another valid document
        for name, data in corpus.bad_files(born[i * 7 % len(born)].path, seed=seed + i).items():
            items.append((Path(name).stem, False, data, Path(name).suffix))
    random.Random(seed).shuffle(items)
    inputs = []
    for index, (kind, is_good, data, suffix) in enumerate(items):
        path = folder / f"{index:04d}-{kind}{suffix}"
        path.write_bytes(data)
        inputs.append(Input(path, kind, is_good))
    return inputs


class Progress:
    """How many documents have their record on disk: the batch's position. (Not the index of the last
    one: the flow takes the biggest documents first, not the inputs' order.)"""

    def __init__(self, out: Path) -> None:
        self.documents = out / "documents"
        self.done = 0

    def __call__(self) -> int:
        try:
            names = os.listdir(self.documents)
        except FileNotFoundError:
            return self.done
        self.done = max(self.done, sum(name.endswith(".json") for name in names))
        return self.done


def run_batch(folder: Path, out: Path, inputs: list[Input]) -> tuple[subprocess.CompletedProcess[str], TreeRss, float]:
    # As a user runs it on a machine where no Prefect server runs yet: the CLI starts one (a state folder of
    # its own, so that a server kept by another run is not reused), in the measured process tree.
    state = Path(tempfile.mkdtemp(prefix="vnplan-stress-state-"))
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["VNPLAN_STATE_DIR"] = str(state)
    command = [sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with TreeRss(proc.pid, probe=Progress(out)) as rss:
            stdout, stderr = proc.communicate()
    finally:
        stop = [sys.executable, "-m", "pipeline", "server", "stop"]
        subprocess.run(stop, env=env, cwd=ROOT, capture_output=True, timeout=60)
        shutil.rmtree(state, ignore_errors=True)
    return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr), rss, time.perf_counter() - start


def check(inputs: list[Input], out: Path, done: subprocess.CompletedProcess[str]) -> list[str]:
    """What went wrong, as sentences (empty: every good document written, every bad one reported)."""
    problems: list[str] = []
    if done.returncode != 0:
        problems.append(f"vnplan ingest exited {done.returncode}: {done.stderr[-500:]}")
    if "Traceback" in done.stderr:
        problems.append("a traceback reached the user's terminal")
    manifest = {Path(e["path"]).name: e for e in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}
    errors = {Path(e["path"]).name: e for e in map(json.loads, (out / "errors.jsonl").read_text("utf-8").splitlines())}
    for item in inputs:
        name = item.path.name
        entry = manifest.get(name)
        if entry is None:
            problems.append(f"{name}: not in the manifest")
        elif item.good and (
            entry["status"] != "ok"
            or not (out / "documents" / f"{entry['doc_id']}.json").exists()
            or not (out / "text" / f"{entry['doc_id']}.json").exists()
        ):
            problems.append(f"{name}: good document not written ({entry.get('message')})")
        elif not item.good and name not in errors:
            problems.append(f"{name}: bad document missing from errors.jsonl")
    for name, error in errors.items():
        if not (error.get("stage") and error.get("error") and error.get("message")):
            problems.append(f"{name}: error record without stage, error and message")
    extra = set(errors) - {i.path.name for i in inputs if not i.good}
    problems += [f"{name}: good document reported as an error: {errors[name]['message']}" for name in sorted(extra)]
    return problems


def render(
    inputs: list[Input], out: Path, rss: TreeRss, seconds: float, problems: list[str], load: tuple[float, float]
) -> tuple[str, float]:
    n = len(inputs)
    good = sum(i.good for i in inputs)  # the records the batch writes (a bad document gets an error line)
    first = rss.peak_where(lambda s: s.label is not None and s.label < WINDOW)
    last = rss.peak_where(lambda s: s.label is not None and s.label >= good - WINDOW)
    growth = last / first if first else float("inf")
    kinds = Counter(i.kind for i in inputs)
    error_file = out / "errors.jsonl"
    lines_of_errors = error_file.read_text("utf-8").splitlines() if error_file.exists() else []
    errors = Counter(json.loads(line)["error"] for line in lines_of_errors)
    busy = load[0] > BUSY_LOAD  # at the end the load includes the run's own processes
    lines = [
        "# Stress run",
        "",
        f"Command: `.venv/bin/python bench/stress.py` · {n} documents through `vnplan ingest` (CLI, 1 worker, "
        f"its own Prefect server) in {seconds:.0f} s",
        f"Machine: {machine()}",
        f"Load average (1 min) before the run / at its end (incl. its own processes): {load[0]:.1f} / "
        f"{load[1]:.1f}" + (" — **measured under load**: other jobs shared the cores." if busy else ""),
        "",
        "Inputs: " + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())) + ".",
        "Errors recorded: " + ", ".join(f"{count} {kind}" for kind, count in sorted(errors.items())) + ".",
        "",
        "| check | result |",
        "|---|---|",
        f"| every good document written, every bad one in errors.jsonl | {'yes' if not problems else '**no**'} |",
        f"| peak RSS of the process tree, whole run | {rss.peak / MB:,.0f} MB ({len(rss.samples)} samples) |",
        f"| peak RSS until the first {WINDOW} records were written (incl. server start) | {first / MB:,.0f} MB |",
        f"| peak RSS while the last {WINDOW} of {good} were written (incl. the final commit) | {last / MB:,.0f} MB |",
        f"| last {WINDOW} / first {WINDOW} (limit {GROWTH_LIMIT:.2f}) | {growth:.2f} "
        f"{'yes' if growth <= GROWTH_LIMIT else '**no**'} |",
    ]
    lines += [f"- problem: {p}" for p in problems[:20]]
    return "\n".join(lines) + "\n", growth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--good", type=int, default=270, help="born-digital documents (1–3 pages)")
    parser.add_argument("--scans", type=int, default=6, help="1-page scanned documents (~3 s each)")
    parser.add_argument("--bad-rounds", type=int, default=4, help="rounds of every broken kind (7 files each)")
    parser.add_argument("--work", type=Path, default=corpus.WORK)
    parser.add_argument("--out", type=Path, default=RESULTS, help="markdown file to write ('-': none)")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()[0]
    folder, out = args.work / "stress-inbox", args.work / "stress-out"
    inputs = build_inputs(folder, args.work, args.good, args.scans, args.bad_rounds)
    if out.exists():
        shutil.rmtree(out)
    print(f"stress: {len(inputs)} documents → {out}", flush=True)
    done, rss, seconds = run_batch(folder, out, inputs)
    problems = (
        check(inputs, out, done)
        if (out / "manifest.json").exists()
        else [f"no manifest written (exit {done.returncode}): {done.stderr[-500:]}"]
    )
    text, growth = render(inputs, out, rss, seconds, problems, (load_start, os.getloadavg()[0]))
    print(text)
    if str(args.out) != "-":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, "utf-8")
    if problems or growth > GROWTH_LIMIT:
        print(f"stress: FAILED ({len(problems)} problems, memory growth {growth:.2f})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
