"""Load test of `vnplan serve` on loopback: wrk against the real server over 5,000 documents.

    .venv/bin/python bench/api_load.py            # writes bench/results/api_load.md

Generates the synthetic dataset into /tmp (reused on later runs; --fresh regenerates), starts
pipeline.api.serve() in a subprocess on a free loopback port, and runs wrk for two scenarios:
a document lookup (GET /documents/{doc_id}, random ids) and a filtered target query (GET /targets
with province and year, random combinations). Reports requests/s and p50/p99 latency; fails (exit
1) when document lookups miss p99 ≤ 50 ms or any request is not 200.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from bench.make_dataset import PROVINCES, make_dataset  # noqa: E402

DATASET = Path(tempfile.gettempdir()) / "vnplan-api-bench"
RESULTS = ROOT / "bench" / "results" / "api_load.md"
P99_BUDGET_MS = 50.0
LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
math.randomseed(%d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


@dataclass
class Result:
    name: str
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    bad: int


def _stamp(n: int) -> str:
    generator = (ROOT / "bench" / "make_dataset.py").read_bytes() + (
        ROOT / "pipeline" / "dataset" / "writer.py"
    ).read_bytes()
    return f"{n} {hashlib.sha256(generator).hexdigest()[:16]}"


def ensure_dataset(root: Path, n: int, fresh: bool) -> tuple[list[str], float | None]:
    """The dataset's doc_ids, and how long generating it took (None when reused)."""
    stamp_file = root / ".bench-stamp"
    if not fresh and stamp_file.exists() and stamp_file.read_text() == _stamp(n):
        took = None
    else:
        shutil.rmtree(root, ignore_errors=True)
        began = time.perf_counter()
        make_dataset(root, n)
        took = time.perf_counter() - began
        stamp_file.write_text(_stamp(n))
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    return [d["doc_id"] for d in manifest["documents"] if d["status"] == "ok"], took


def start_server(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    code = "import sys; from pathlib import Path; from pipeline.api import serve; serve(Path(sys.argv[1]), port=0)"
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(root)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stderr is not None
    line = process.stderr.readline().decode()
    match = re.search(r"at (http://127\.0\.0\.1:\d+)", line)
    if not match:
        process.kill()
        raise SystemExit(f"server did not start: {line}")
    return process, match.group(1)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(name: str, url: str, paths: list[str], seconds: int, connections: int, workdir: Path) -> Result:
    slug = name.replace(" ", "-")
    listing = workdir / f"{slug}.paths"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    script = workdir / f"{slug}.lua"
    script.write_text(LUA % (listing, 1), encoding="utf-8")
    # Warm up (first table load, page cache), then measure.
    subprocess.run(["wrk", "-t1", "-c2", "-d2s", "-s", str(script), url], check=True, capture_output=True)
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)\s*$", out, re.M))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Result(
        name=name,
        requests=int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
        bad=(int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
    )


def target_queries(rng: random.Random) -> list[str]:
    years = [2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2030]
    return [f"/targets?province={quote(rng.choice(PROVINCES))}&year={rng.choice(years)}&limit=100" for _ in range(500)]


def report(
    results: list[Result], n: int, dataset: Path, generated: float | None, seconds: int, connections: int
) -> str:
    lookup = results[0]
    verdict = "met" if lookup.p99_ms <= P99_BUDGET_MS and not any(r.bad for r in results) else "NOT met"
    rows = "\n".join(
        f"| {r.name} | {r.requests} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.bad} |" for r in results
    )
    made = f"generated in {generated:.1f} s" if generated is not None else "reused from an earlier run"
    return f"""# API load test (`vnplan serve`)

Reproduce: `.venv/bin/python bench/api_load.py` (needs `wrk`: `apt-get install -y wrk`).

- Dataset: {n:,} synthetic documents written through the real writer (bench/make_dataset.py) into
  {dataset} ({made}).
- Server: `pipeline.api.serve()` (one uvicorn process, no token) on 127.0.0.1; client: wrk 4.1,
  1 thread, {connections} connections, {seconds} s per scenario after a 2 s warm-up.
- Machine: {platform.machine()}, {os.cpu_count()} cores shared with other work (1-min load average
  {os.getloadavg()[0]:.1f} at the end of the run), Python {platform.python_version()};
  {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.

| scenario | requests | requests/s | p50 ms | p99 ms | non-200 / errors |
|---|---|---|---|---|---|
{rows}

- document lookup: `GET /documents/{{doc_id}}` over random ids of all {n:,} documents (the full
  PlanDocument, validated against the contract on every request).
- filtered targets: `GET /targets?province=…&year=…&limit=100` over random provinces and years
  (pyarrow over tables/targets.parquet held in memory, with the total count).

Budget: document lookup p99 ≤ {P99_BUDGET_MS:.0f} ms — **{verdict}**.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--fresh", action="store_true", help="regenerate the dataset")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--dataset", type=Path, default=DATASET, help="where the generated dataset lives")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench: wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2
    doc_ids, generated = ensure_dataset(args.dataset, args.n, args.fresh)
    if generated is not None:
        print(f"bench: {args.n} documents generated in {generated:.1f} s", file=sys.stderr)
    process, url = start_server(args.dataset)
    try:
        rng = random.Random(0)
        with tempfile.TemporaryDirectory() as tmp:
            lookups = [f"/documents/{d}" for d in rng.sample(doc_ids, min(2000, len(doc_ids)))]
            results = [
                run_wrk("document lookup", url, lookups, args.seconds, args.connections, Path(tmp)),
                run_wrk("filtered targets", url, target_queries(rng), args.seconds, args.connections, Path(tmp)),
            ]
    finally:
        process.terminate()
        process.wait(timeout=10)
    text = report(results, len(doc_ids), args.dataset, generated, args.seconds, args.connections)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0 if "**met**" in text else 1


if __name__ == "__main__":
    raise SystemExit(main())
