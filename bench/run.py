"""`make bench`: one run, the same documents, every figure of the pipeline's speed and memory.

    .venv/bin/python bench/run.py [--quick] [--out bench/results/bench.md] [--work /tmp/vnplan-bench]

What is measured (documents from bench/corpus.py: the samples and re-flowed variants of them):
- born-digital: `vnplan ingest` (real CLI, Prefect flow, its own temporary server) pages/s against bare
  pdfplumber `page.extract_text()` over every page of the same files;
- scans: `vnplan ingest` (server already up) against the bare `tesseract` CLI on the same page images
  (lang vie, tsv, OMP_THREAD_LIMIT=1, 2 processes) — the time ratio, median of alternating rounds;
- diacritic restoration: syllables/s of restore_text on stripped text;
- time per stage (the real functions, wrapped with timers while run_document loops over the batch),
  Prefect's overhead per document (the flow vs that loop), the temporary server's start on its own;
- scaling: the flow with 1 vs 2 local workers (median of alternating rounds);
- dask: `vnplan ingest --dask-address` against a `dask scheduler` and a `dask worker --nworkers 2
  --nthreads 1` started as separate programs on loopback (bench/dask_programs.py), beside
  `vnplan ingest --workers 2` (one run each), and what the CLI's warm-up of fresh workers saves;
- peak memory (RSS of the process tree, sampled) of `vnplan ingest` over 100 vs 1,000 small documents;
- small: small batches as users run them, vnplan's Prefect server kept up and as first runs (bench/small_batches.py):
  five scanned plans (21 pages) through `vnplan ingest --workers 2` against bare `tesseract` ×2, and 80
  born-digital plans of 4–7 pages with 2 workers against 1.
Prints markdown tables and writes them to --out (default bench/results/bench.md; none with --quick).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from pipeline.run import prefect_env  # noqa: E402

prefect_env.configure()  # before prefect is imported anywhere

from bench import corpus  # noqa: E402
from bench.corpus import BenchDoc  # noqa: E402
from bench.memory import MB, TreeRss  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "bench.md"
STRIPPED_TEXT = ROOT / "samples" / "laocai_chienluoc_2030_001.stripped.txt"
BUSY_LOAD = 2.5  # a load average above this on 2 cores makes timings unreliable
TESSERACT_PROCESSES = 2


@dataclass(frozen=True)
class Sizes:
    born_digital: Callable[[Path], list[BenchDoc]]
    born_digital_kind: str
    scans: Callable[[Path], list[BenchDoc]]
    scans_kind: str
    small_docs: tuple[int, int]  # memory: the small batch and the large one
    plan_scans: Callable[[Path], list[BenchDoc]]  # small: a few scanned plans
    short_plans: Callable[[Path], list[BenchDoc]]  # small: many short born-digital plans
    rounds: int  # the two sides of the scan and scaling ratios alternate this many times; the median counts


FULL = Sizes(
    lambda work: corpus.born_digital(400, work),
    "the 4 samples and re-flowed variants of them",
    corpus.all_scans,
    "every scan of the samples and held-out sets, whole",
    small_docs=(100, 1000),
    plan_scans=corpus.plan_scans,
    short_plans=lambda work: corpus.small_documents(80, work, pages=(4, 7)),
    rounds=3,
)
QUICK = Sizes(
    lambda work: corpus.small_documents(3, work),
    "small generated documents",
    lambda work: corpus.scans(1, 1, work),
    "one page cut from a sample scan",
    small_docs=(2, 4),
    plan_scans=lambda work: corpus.scans(2, 1, work),
    short_plans=lambda work: corpus.small_documents(3, work),
    rounds=1,
)
SECTIONS = ("baselines", "cli", "flow", "scaling", "dask", "memory", "small")


@dataclass
class Row:
    measure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    stages: list[tuple[str, float, int]] = field(default_factory=list)  # name, seconds, calls
    stage_pages: int = 0
    notes: list[str] = field(default_factory=list)
    facts: dict[str, float] = field(default_factory=dict)  # raw numbers, for tests and the summary
    tables: list[str] = field(default_factory=list)  # lines of further tables (every round of a section)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  {row.measure}: {row.value} {row.baseline} {row.ratio}".rstrip(), flush=True)


# --- running things --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int


def timed_in_process(work: Callable[[], object]) -> Run:
    with TreeRss(os.getpid()) as rss:
        start = time.perf_counter()
        work()
        seconds = time.perf_counter() - start
    return Run(seconds, rss.peak)


def cli_ingest(
    folder: Path,
    out: Path,
    *,
    workers: int = 1,
    own_server: bool,
    dask_address: str | None = None,
    command: list[str] | None = None,
) -> Run:
    """`vnplan ingest folder --out out` as a user runs it; checks that every document came out ok.
    `command`: what stands for `vnplan` (default: this interpreter's `-m pipeline`)."""
    env = dict(os.environ)
    if own_server:
        env.pop("PREFECT_API_URL", None)  # the CLI starts its own temporary server, as on first use
    placement = ["--dask-address", dask_address] if dask_address else ["--workers", str(workers)]
    command = [*(command or [sys.executable, "-m", "pipeline"]), "ingest", str(folder), "--out", str(out), *placement]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with TreeRss(proc.pid) as rss:
        _, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench: vnplan ingest {folder} failed ({proc.returncode}): {stderr[-2000:]}")
    check_all_ok(out)
    return Run(seconds, rss.peak)


def check_all_ok(out: Path) -> None:
    """A benchmark of documents that failed would measure error handling, not the pipeline."""
    documents = json.loads((out / "manifest.json").read_text("utf-8"))["documents"]
    failed = [f"{Path(e['path']).name}: {e['message']}" for e in documents if e["status"] != "ok"]
    if failed:
        raise SystemExit("bench: documents failed: " + "; ".join(failed[:5]))


def fresh(folder: Path) -> Path:
    """An output folder that does not exist yet (a second run into a used one would be skipped)."""
    i = 0
    while (candidate := folder.with_name(f"{folder.name}-{i}")).exists():
        i += 1
    return candidate


def pages_of(docs: list[BenchDoc]) -> int:
    return sum(d.pages for d in docs)


# --- baselines -------------------------------------------------------------------------------------


def pdfplumber_seconds(docs: list[BenchDoc]) -> float:
    """Bare pdfplumber: extract_text() of every page, one process."""
    import pdfplumber

    start = time.perf_counter()
    for doc in docs:
        with pdfplumber.open(doc.path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()  # drop its cached objects, as a careful user would
    return time.perf_counter() - start


def tesseract_seconds(images: list[tuple[Path, int]], processes: int = TESSERACT_PROCESSES) -> float:
    """The bare `tesseract` CLI on each page image (word boxes as tsv, as the pipeline asks for)."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def read(image: tuple[Path, int]) -> None:
        path, dpi = image
        subprocess.run(
            ["tesseract", str(path), "stdout", "-l", "vie", "--psm", "3", "--dpi", str(dpi), "tsv"],
            env=env,
            check=True,
            capture_output=True,
        )

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=processes) as pool:
        list(pool.map(read, images))
    return time.perf_counter() - start


def restoration(report: Report) -> None:
    from normalizers.restore import restore_text

    text = STRIPPED_TEXT.read_text("utf-8")
    syllables = sum(1 for token in text.split() if any(c.isalpha() for c in token))
    start = time.perf_counter()
    restore_text("khoa hoc va cong nghe")  # loads the model
    load = time.perf_counter() - start
    start = time.perf_counter()
    restore_text(text)
    seconds = time.perf_counter() - start
    report.facts["restore_syllables_per_s"] = syllables / seconds
    report.add(
        Row(
            "diacritic restoration (restore_text, stripped sample 001)",
            f"{syllables / seconds:,.0f} syllables/s",
            target=f"{syllables:,} syllables; model load {load:.1f} s once per process",
        )
    )


# --- stage timers ----------------------------------------------------------------------------------


@contextlib.contextmanager
def stage_timers(totals: dict[str, list[float]]) -> Iterator[None]:
    """Wrap the pipeline's stage functions with timers (the real functions still do the work).

    convert_file imports its stages at call time and the extractors are called as `module.extract`,
    so replacing the module attributes for the duration catches every call.
    """
    from normalizers.restore.engine import Engine
    from pipeline.dataset.writer import Dataset

    targets: list[tuple[str, Any, str]] = [
        ("ingest.read_source", importlib.import_module("pipeline.read.ingest"), "read_source"),
        ("  pdfplumber (table pages)", importlib.import_module("pipeline.read.engines.plumber"), "table_page"),
        ("  tesseract (in-process OCR)", importlib.import_module("pipeline.read.engines.tesseract"), "recognize"),
        ("normalize_pages", importlib.import_module("normalizers.text_repair"), "normalize_pages"),
        ("  diacritic restoration", Engine, "restore"),
        ("extract_all", importlib.import_module("extractors"), "extract_all"),
    ]
    for name in ("metadata", "legal_basis", "budgets", "targets", "tasks", "agencies"):
        targets.append((f"  extractors.{name}", importlib.import_module(f"extractors.{name}"), "extract"))
    targets += [
        ("write (Dataset.write_document)", Dataset, "write_document"),
        ("commit (manifest, tables)", Dataset, "commit"),
    ]

    def timer(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                totals.setdefault(label, []).append(time.perf_counter() - start)

        return timed

    for label, _, _ in targets:
        totals.setdefault(label, [])  # the report lists stages in pipeline order
    originals = [(owner, attr, getattr(owner, attr)) for _, owner, attr in targets]
    try:
        for (label, owner, attr), (_, _, fn) in zip(targets, originals, strict=True):
            setattr(owner, attr, timer(label, fn))
        yield
    finally:
        for owner, attr, fn in originals:
            setattr(owner, attr, fn)


def document_loop(docs: list[BenchDoc], out: Path) -> None:
    """What the flow does, without Prefect: run_document per file, one commit."""
    from pipeline.dataset.writer import Dataset
    from pipeline.run.batch import run_document

    entries = [run_document(doc.path, out)[0] for doc in docs]
    Dataset(out).commit(entries)
    check_all_ok(out)


def flow_run(folder: Path, out: Path, *, workers: int = 1, dask_address: str | None = None) -> None:
    from pipeline import ingest as run_ingest

    run_ingest([folder], out, workers=workers, dask_address=dask_address)
    check_all_ok(out)


def steady_pages_per_s(docs: list[BenchDoc], out: Path, workers: int) -> float:
    """Throughput once every worker has finished its first document (start-up and model loads done):
    pages of the documents written after the `workers`-th record, over the time since it was written."""
    from pipeline.convert import doc_id_for, file_sha256
    from pipeline.dataset.writer import Dataset

    dataset = Dataset(out)
    written = sorted((dataset.document_path(doc_id_for(file_sha256(d.path))).stat().st_mtime, d.pages) for d in docs)
    warm_at = written[workers - 1][0]
    later = [pages for _, pages in written[workers:]]
    span = written[-1][0] - warm_at
    return sum(later) / span if later and span > 0 else float("nan")


# --- the sections ----------------------------------------------------------------------------------


def measure(
    sizes: Sizes, work: Path, sections: set[str], only: str | None = None, before: Path | None = None
) -> Report:
    report = Report()
    shutil.rmtree(work / "runs", ignore_errors=True)  # output folders of earlier runs
    runs = work / "runs"
    start = time.perf_counter()
    born = sizes.born_digital(work)
    scans = sizes.scans(work)
    born_folder, scan_folder = born[0].path.parent, scans[0].path.parent
    born_pages, scan_pages = pages_of(born), pages_of(scans)
    report.notes.append(
        f"Documents: {len(born)} born-digital PDFs ({born_pages} pages: {sizes.born_digital_kind}), "
        f"{len(scans)} scanned PDFs ({scan_pages} pages: {sizes.scans_kind}); corpus ready in "
        f"{time.perf_counter() - start:.0f} s."
    )
    print(report.notes[-1], flush=True)

    plumber_s = tesseract_s = None
    images: list[tuple[Path, int]] = []
    if "baselines" in sections:
        plumber_s = pdfplumber_seconds(born)
        report.facts["pdfplumber_pages_per_s"] = born_pages / plumber_s
        report.add(
            Row(
                "baseline: bare pdfplumber extract_text(), born-digital batch, 1 process",
                f"{born_pages / plumber_s:.1f} pages/s",
            )
        )
        images = corpus.page_images(scans, work / f"images-{scan_folder.name}")
        tesseract_s = tesseract_seconds(images)
        report.facts["tesseract_pages_per_s"] = scan_pages / tesseract_s
        report.add(
            Row(
                f"baseline: bare `tesseract` CLI (vie, tsv), {TESSERACT_PROCESSES} processes, scan pages",
                f"{scan_pages / tesseract_s:.2f} pages/s",
            )
        )
        restoration(report)

    if "cli" in sections:
        cli = cli_ingest(born_folder, fresh(runs / "cli-born"), own_server=True)
        rate = born_pages / cli.seconds
        report.facts["cli_born_pages_per_s"] = rate
        if plumber_s:
            ratio = rate / (born_pages / plumber_s)
            report.add(
                Row(
                    f"born-digital, `vnplan ingest` incl. its server start ({born_pages} pages)",
                    f"{rate:.1f} pages/s",
                    f"pdfplumber {born_pages / plumber_s:.1f} pages/s",
                    f"{ratio:.2f}×",
                    "≥ 1.0×",
                    ratio >= 1.0,
                )
            )
        report.facts["cli_born_peak_mb"] = cli.peak_rss / MB
        report.add(Row("peak RSS of that run (process tree: CLI + Prefect server)", f"{cli.peak_rss / MB:,.0f} MB"))

    if {"flow", "scaling"} & sections or ("cli" in sections and "baselines" in sections):
        start = time.perf_counter()
        with prefect_env.shared_api():
            server_s = time.perf_counter() - start
            report.facts["server_start_s"] = server_s
            report.add(
                Row("Prefect temporary server start, on its own", f"{server_s:.1f} s", target="once per `vnplan` run")
            )
            in_server(report, sizes, born, scans, work, sections, tesseract_s, images)

    if "dask" in sections:
        dask_cli(report, sizes, born, work)
    if "memory" in sections:
        memory(report, sizes, work)
    if "small" in sections:
        small(report, sizes, work, only, before)
    return report


def in_server(
    report: Report,
    sizes: Sizes,
    born: list[BenchDoc],
    scans: list[BenchDoc],
    work: Path,
    sections: set[str],
    tesseract_s: float | None,
    images: list[tuple[Path, int]],
) -> None:
    runs = work / "runs"
    born_folder, born_pages = born[0].path.parent, pages_of(born)
    if "cli" in sections and tesseract_s and images:
        scan_rows(report, sizes, scans, images, tesseract_s, runs)

    if "flow" in sections or "scaling" in sections:
        from pipeline.convert import convert_file

        start = time.perf_counter()
        convert_file(born[0].path)  # loads the models once, as each worker does on its first document
        report.facts["first_document_s"] = time.perf_counter() - start
        report.add(
            Row(
                f"first document of the batch, run alone ({born[0].pages} pages; warm-up: imports, lazy loads)",
                f"{report.facts['first_document_s']:.1f} s",
                target="once per process / worker; not in the rows below",
            )
        )
        totals: dict[str, list[float]] = {}
        with stage_timers(totals):
            loop = timed_in_process(lambda: document_loop(born, fresh(runs / "loop")))
        report.stages = [(label, sum(times), len(times)) for label, times in totals.items() if times]
        report.stage_pages = born_pages
        plumber_calls = len(totals["  pdfplumber (table pages)"])
        report.notes.append(
            f"pdfplumber ran on {plumber_calls} of {born_pages} born-digital pages (those where "
            "pdfium saw ruling lines); pdfium read the rest."
        )
        one_out = fresh(runs / "flow-1")
        one = timed_in_process(lambda: flow_run(born_folder, one_out))
        overhead = (one.seconds - loop.seconds) / len(born)
        report.facts["prefect_overhead_per_doc_s"] = overhead
        report.facts["flow1_pages_per_s"] = born_pages / one.seconds
        report.add(
            Row(
                f"born-digital, flow in-process, server up, 1 worker ({born_pages} pages)",
                f"{born_pages / one.seconds:.1f} pages/s",
                f"run_document loop {born_pages / loop.seconds:.1f} pages/s",
                f"{one.seconds - loop.seconds:+.1f} s = {overhead * 1000:+.0f} ms/doc",
                f"Prefect's overhead per document ({len(born)} docs)",
            )
        )

        if "scaling" in sections:
            scaling(report, sizes, born, one, one_out, runs)


def median_round(ratios: list[float]) -> int:
    """The index of the round whose ratio is the median (the upper one of an even count)."""
    return sorted(range(len(ratios)), key=ratios.__getitem__)[len(ratios) // 2]


def scaling(report: Report, sizes: Sizes, born: list[BenchDoc], one: Run, one_out: Path, runs: Path) -> None:
    """1 vs 2 local workers, run alternately `sizes.rounds` times: the machine's other load
    moves single runs by ±20%, the median of side-by-side pairs far less."""
    born_folder, born_pages = born[0].path.parent, pages_of(born)
    whole: list[tuple[float, float]] = []  # (1 worker, 2 workers) seconds
    steady: list[tuple[float, float]] = []  # pages/s once warm
    for round_ in range(sizes.rounds):
        if round_:
            one_out = fresh(runs / "flow-1")
            one = timed_in_process(lambda out=one_out: flow_run(born_folder, out))
        two_out = fresh(runs / "flow-2")
        two = timed_in_process(lambda out=two_out: flow_run(born_folder, out, workers=2))
        whole.append((one.seconds, two.seconds))
        steady.append((steady_pages_per_s(born, one_out, 1), steady_pages_per_s(born, two_out, 2)))
    pick = median_round([b / a for a, b in steady])
    one_s, two_s = whole[pick]
    report.facts["speedup_2_workers_with_startup"] = one_s / two_s
    report.add(
        Row(
            "2 local workers vs 1 (`--workers 2`), whole run incl. worker start-up",
            f"{born_pages / two_s:.1f} pages/s",
            f"1 worker {born_pages / one_s:.1f} pages/s",
            f"{one_s / two_s:.2f}×",
            "the round of the median row below",
        )
    )
    steady_one, steady_two = steady[pick]
    speedup = steady_two / steady_one
    report.facts["speedup_2_workers"] = speedup
    rounds = ", ".join(f"{b / a:.2f}×" for a, b in steady)
    report.add(
        Row(
            f"2 local workers vs 1, throughput once each worker is warm (median of {len(steady)} alternating rounds)",
            f"{steady_two:.1f} pages/s",
            f"1 worker {steady_one:.1f} pages/s",
            f"{speedup:.2f}×",
            f"≥ 1.7× (rounds: {rounds})",
            speedup >= 1.7,
        )
    )


def scan_rows(
    report: Report, sizes: Sizes, scans: list[BenchDoc], images: list[tuple[Path, int]], tesseract_s: float, runs: Path
) -> None:
    """`vnplan ingest` of the scans against bare Tesseract on their page images, alternately, in
    `sizes.rounds` rounds (the first reuses the baseline row's Tesseract time): the median
    round counts, the machine's other load moves single runs by ±10%."""
    scan_pages = pages_of(scans)
    rounds: list[tuple[float, float]] = []  # (vnplan, tesseract) seconds
    for round_ in range(sizes.rounds):
        if round_:
            tesseract_s = tesseract_seconds(images)
        cli = cli_ingest(scans[0].path.parent, fresh(runs / "cli-scans"), own_server=False)
        rounds.append((cli.seconds, tesseract_s))
    vnplan_s, bare_s = rounds[median_round([a / b for a, b in rounds])]
    ratio = vnplan_s / bare_s
    report.facts["scan_time_ratio"] = ratio
    each = ", ".join(f"{a / b:.2f}×" for a, b in rounds)
    report.add(
        Row(
            f"scans, `vnplan ingest`, server up ({scan_pages} pages, {len(scans)} docs; median of "
            f"{len(rounds)} alternating rounds)",
            f"{scan_pages / vnplan_s:.2f} pages/s",
            f"tesseract CLI ×{TESSERACT_PROCESSES} {scan_pages / bare_s:.2f} pages/s",
            f"{ratio:.2f}× the time",
            f"≤ 1.15× (rounds: {each})",
            ratio <= 1.15,
        )
    )


# The CLI with its Dask warm-up switched off (bench only): what the warm-up is worth on fresh workers.
NO_WARM_UP = [
    sys.executable,
    "-c",
    "import sys; import pipeline.run.document_workers as w; "
    "w._warm_dask_workers = lambda client: None; from pipeline.cli import main; "
    "sys.argv[0] = 'vnplan'; main()",
]


def dask_cli(report: Report, sizes: Sizes, docs: list[BenchDoc], work: Path) -> None:
    """`vnplan ingest --dask-address` on a scheduler and a 2-process nanny worker started as separate
    programs (the README's recipe on loopback), against `vnplan ingest --workers 2`: one run each, each
    with its own temporary Prefect server as a user's first run has; on fresh workers (a cluster just
    started: every worker imports the pipeline), then again on the same workers (a cluster kept
    between runs). Then what the CLI's warm-up of the workers is worth on a fresh cluster."""
    from bench.dask_programs import Cluster

    folder, pages, runs = docs[0].path.parent, pages_of(docs), work / "runs"
    local = cli_ingest(folder, fresh(runs / "cli-local-2"), workers=2, own_server=True)
    report.facts["cli_local_2_pages_per_s"] = pages / local.seconds
    start = time.perf_counter()
    with Cluster(work / "dask-cluster") as cluster:
        cluster_s = time.perf_counter() - start
        first = cli_ingest(folder, fresh(runs / "cli-dask"), own_server=True, dask_address=cluster.address)
        again = cli_ingest(folder, fresh(runs / "cli-dask"), own_server=True, dask_address=cluster.address)
    report.facts["dask_cli_vs_local"] = local.seconds / first.seconds
    report.facts["dask_cli_kept_vs_local"] = local.seconds / again.seconds
    local_rate = f"`--workers 2` {pages / local.seconds:.1f} pages/s"
    report.add(
        Row(
            f"`vnplan ingest --dask-address` ({pages} pages): `dask scheduler` + `dask worker --nworkers 2 "
            "--nthreads 1`, fresh workers, incl. the Prefect server start",
            f"{pages / first.seconds:.1f} pages/s",
            local_rate,
            f"{local.seconds / first.seconds:.2f}×",
            f"one run each; cluster start {cluster_s:.1f} s, not counted",
        )
    )
    report.add(
        Row(
            "the same, second run on the same workers (a cluster kept between runs)",
            f"{pages / again.seconds:.1f} pages/s",
            local_rate,
            f"{local.seconds / again.seconds:.2f}×",
        )
    )
    dask_warm_up(report, sizes, work)


def dask_warm_up(report: Report, sizes: Sizes, work: Path) -> None:
    """A short batch on a fresh cluster, with and without the CLI's warm-up of the workers, alternately
    in `sizes.rounds` rounds (a new cluster for every run): the median round counts."""
    from bench.dask_programs import Cluster

    docs = corpus.small_documents(sizes.small_docs[0] // 10 or 2, work)
    runs, pairs = work / "runs", []
    for round_ in range(sizes.rounds):
        seconds = {}
        for label, command in (("with", None), ("without", NO_WARM_UP)):
            with Cluster(work / f"dask-warm-up-{round_}-{label}") as cluster:
                seconds[label] = cli_ingest(
                    docs[0].path.parent,
                    fresh(runs / "cli-dask-warm-up"),
                    own_server=True,
                    dask_address=cluster.address,
                    command=command,
                ).seconds
        pairs.append((seconds["with"], seconds["without"]))
    with_s, without_s = pairs[median_round([b - a for a, b in pairs])]
    report.facts["dask_warm_up_gain_s"] = without_s - with_s
    each = ", ".join(f"{b - a:+.1f} s" for a, b in pairs)
    report.add(
        Row(
            f"the CLI's warm-up of fresh Dask workers, `vnplan ingest` of {len(docs)} small documents "
            f"(median of {len(pairs)} alternating rounds, a new cluster each run)",
            f"{with_s:.1f} s",
            f"without it {without_s:.1f} s",
            f"{without_s - with_s:+.1f} s saved",
            f"rounds: {each}",
        )
    )


def memory(report: Report, sizes: Sizes, work: Path) -> None:
    small, large = sizes.small_docs
    peaks = []
    for count in (small, large):
        docs = corpus.small_documents(count, work)
        run = cli_ingest(docs[0].path.parent, fresh(work / "runs" / f"memory-{count}"), own_server=True)
        peaks.append(run.peak_rss)
        report.add(
            Row(
                f"peak RSS, `vnplan ingest` of {count} small documents ({pages_of(docs)} pages)",
                f"{run.peak_rss / MB:,.0f} MB",
                target=f"{pages_of(docs) / run.seconds:.1f} pages/s, process tree incl. server",
            )
        )
    growth = peaks[1] / peaks[0]
    report.facts["memory_growth"] = growth
    report.add(
        Row(
            f"peak RSS, {large} vs {small} documents",
            f"{peaks[1] / MB:,.0f} MB",
            f"{peaks[0] / MB:,.0f} MB",
            f"{growth:.2f}×",
            "≤ 1.10×",
            growth <= 1.10,
        )
    )


def small(report: Report, sizes: Sizes, work: Path, only: str | None = None, before: Path | None = None) -> None:
    """Small batches as users run them: whole `vnplan ingest` runs with vnplan's kept Prefect server,
    and as first runs (bench/small_batches.py; every round printed below the table). `only`: "scans"
    or "short" (the one comparison); `before`: another checkout's runs beside this one's."""
    from bench import small_batches as sb

    scans, short = sizes.plan_scans(work), sizes.short_plans(work)
    print(f"  small: {len(scans)} scanned plans, {len(short)} short born-digital plans", flush=True)
    scan, scaling, tables = sb.measure(work / "small", scans, short, sizes.rounds, only, before)
    report.tables += tables
    pages = pages_of(scans)
    for label, first in (("vnplan, kept server", False), ("vnplan, first run", True)) if scan else ():
        ratios = scan.ratios(lambda r, label=label: r[label].wall / r["tesseract ×2"].wall)
        pick = scan.rounds[median_round(ratios)]
        ratio = ratios[median_round(ratios)]
        report.facts["small_scans_first_ratio" if first else "small_scans_ratio"] = ratio
        report.add(
            Row(
                f"{len(scans)} scanned plans ({pages} pages), `vnplan ingest --workers 2`, "
                + ("first run (no server before)" if first else "kept server up")
                + f", median of {len(ratios)} alternating rounds",
                f"{pick[label].wall:.1f} s ({pick[label].cpu:.1f} s CPU)",
                f"tesseract CLI ×{TESSERACT_PROCESSES} {pick['tesseract ×2'].wall:.1f} s "
                f"({pick['tesseract ×2'].cpu:.1f} s CPU)",
                f"{ratio:.2f}× the time",
                f"≤ {sb.SCAN_BAR}× (rounds: {', '.join(f'{x:.2f}×' for x in ratios)})",
                ratio <= sb.SCAN_BAR,
            )
        )
    pages = pages_of(short)
    for kind, first in (("kept server", False), ("first run", True)) if scaling else ():
        one_label, two_label = f"1 worker, {kind}", f"2 workers, {kind}"
        ratios = scaling.ratios(lambda r, a=one_label, b=two_label: r[a].wall / r[b].wall)
        pick = scaling.rounds[median_round(ratios)]
        ratio = ratios[median_round(ratios)]
        report.facts["small_scaling_first" if first else "small_scaling"] = ratio
        report.add(
            Row(
                f"{len(short)} short born-digital plans ({pages} pages), whole `vnplan ingest` runs, 2 workers vs 1, "
                + ("first runs (no server before)" if first else "kept server up")
                + f", median of {len(ratios)} alternating rounds",
                f"{pick[two_label].wall:.1f} s ({pick[two_label].cpu:.1f} s CPU)",
                f"1 worker {pick[one_label].wall:.1f} s ({pick[one_label].cpu:.1f} s CPU)",
                f"{ratio:.2f}×",
                f"≥ {sb.SCALING_BAR}× (rounds: {', '.join(f'{x:.2f}×' for x in ratios)})",
                ratio >= sb.SCALING_BAR,
            )
        )


# --- output ----------------------------------------------------------------------------------------


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM; Python {platform.python_version()}, "
        f"{tesseract}, {platform.system()} {platform.release()}"
    )


def render(report: Report, *, load: tuple[float, float], seconds: float, command: str) -> str:
    busy = load[0] > BUSY_LOAD  # at the end the load includes the benchmark's own processes
    lines = [
        "# Pipeline benchmark",
        "",
        f"Command: `{command}` · {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {seconds:.0f} s in all",
        f"Machine: {machine()}",
        f"Load average (1 min) before the run / at its end (incl. its own processes): {load[0]:.1f} / "
        f"{load[1]:.1f}"
        + (" — **measured under load**: other jobs shared the cores, timings are pessimistic." if busy else ""),
        "",
        *report.notes,
        "",
        "| measure | vnplan | baseline | ratio | target / note | met |",
        "|---|---|---|---|---|---|",
    ]
    for r in report.rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.measure} | {r.value} | {r.baseline} | {r.ratio} | {r.target} | {met} |")
    if report.tables:
        lines += ["", *report.tables]
    if report.stages:
        total = sum(s for label, s, _ in report.stages if not label.startswith(" "))
        lines += [
            "",
            f"Time per stage (run_document over the born-digital batch, {report.stage_pages} pages; "
            "indented rows are inside the row above):",
            "",
            "| stage | seconds | share | ms/page | calls |",
            "|---|---|---|---|---|",
        ]
        for label, s, calls in report.stages:
            name = label.strip() if not label.startswith(" ") else f"&nbsp;&nbsp;↳ {label.strip()}"
            lines.append(
                f"| {name} | {s:.2f} | {s / total:.0%} | {1000 * s / max(1, report.stage_pages):.1f} | {calls} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> Report:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny batches: checks the code paths, not speed")
    parser.add_argument("--work", type=Path, default=corpus.WORK, help="generated documents and runs go here")
    parser.add_argument("--out", type=Path, help=f"markdown file to write (default {RESULTS.relative_to(ROOT)})")
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma list of {', '.join(SECTIONS)}")
    parser.add_argument("--rounds", type=int, help="alternating rounds of the ratio rows (default 3; 1 with --quick)")
    parser.add_argument(
        "--only", choices=("scans", "short"), help="small section: only the scanned plans or only the short plans"
    )
    parser.add_argument(
        "--before", type=Path, help="small section: another checkout's runs beside this one's, alternating"
    )
    args = parser.parse_args(argv)
    sections = set(args.sections.split(","))
    unknown = sections - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    out = args.out or (None if args.quick else RESULTS)
    load_start = os.getloadavg()[0]
    start = time.perf_counter()
    # The rows here count a Prefect server start per run (a first run): no server kept between them.
    # (bench/startup.py measures the kept server.)
    kept_before = os.environ.get(prefect_env.IDLE_ENV)
    os.environ[prefect_env.IDLE_ENV] = "0"
    try:
        sizes = QUICK if args.quick else FULL
        report = measure(
            sizes if args.rounds is None else replace(sizes, rounds=args.rounds),
            args.work,
            sections,
            args.only,
            args.before.resolve() if args.before else None,
        )
    finally:
        if kept_before is None:
            os.environ.pop(prefect_env.IDLE_ENV)
        else:
            os.environ[prefect_env.IDLE_ENV] = kept_before
    text = render(
        report,
        load=(load_start, os.getloadavg()[0]),
        seconds=time.perf_counter() - start,
        command=(
            "bench/run.py --quick"
            if args.quick
            else "make bench"
            if sections == set(SECTIONS)
            else f"bench/run.py --sections {args.sections}"
            + (f" --only {args.only}" if args.only else "")
            + (f" --before {args.before}" if args.before else "")
        ),
    )
    print()
    print(text)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, "utf-8")
    return report


if __name__ == "__main__":
    main()
