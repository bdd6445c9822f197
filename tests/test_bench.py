"""The benchmark and stress scripts on tiny batches: every code path runs, the tables have their rows.

Speed is not asserted here (a shared machine); that the numbers exist, are sane and are reported is.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import corpus, stress
from bench import run as bench
from bench.memory import MB, TreeRss


def test_tree_rss_counts_a_child_process(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; b = bytearray(300 * 2**20); time.sleep(2)"])
    try:
        with TreeRss(os.getpid(), interval=0.05) as rss:
            time.sleep(1.5)
    finally:
        child.wait()
    assert rss.peak >= 300 * MB


def test_generated_documents_are_distinct_small_plans(tmp_path: Path) -> None:
    docs = corpus.small_documents(6, tmp_path)
    assert len(docs) == 6 and all(1 <= d.pages <= 3 for d in docs)
    assert len({d.path.read_bytes() for d in docs}) == 6  # distinct bytes: distinct doc_ids
    again = corpus.small_documents(6, tmp_path)  # reused, not redrawn
    assert [d.path.stat().st_mtime_ns for d in again] == [d.path.stat().st_mtime_ns for d in docs]


def test_baselines_and_stage_times_on_small_documents(tmp_path: Path) -> None:
    report = bench.main(["--quick", "--sections", "baselines", "--work", str(tmp_path)])
    measures = [r.measure for r in report.rows]
    assert any("pdfplumber" in m for m in measures) and any("tesseract" in m for m in measures)
    assert any("restoration" in m for m in measures)
    assert report.facts["pdfplumber_pages_per_s"] > 0 and report.facts["tesseract_pages_per_s"] > 0
    assert report.facts["restore_syllables_per_s"] > 100

    docs = corpus.small_documents(3, tmp_path)
    totals: dict[str, list[float]] = {}
    with bench.stage_timers(totals):
        bench.document_loop(docs, tmp_path / "out")
    for stage in ("ingest.read_source", "normalize_pages", "extract_all", "write (Dataset.write_document)"):
        assert len(totals[stage]) == len(docs) and all(t > 0 for t in totals[stage]), stage
    assert len(totals["commit (manifest, tables)"]) == 1
    # the wrappers are gone afterwards: the pipeline's own functions are back
    from pipeline.read import ingest

    assert ingest.read_source.__name__ == "read_source"
    report.stages = [(label, sum(t), len(t)) for label, t in totals.items() if t]
    report.stage_pages = sum(d.pages for d in docs)
    table = bench.render(report, load=(0.5, 0.5), seconds=1.0, command="test")
    assert "| ingest.read_source |" in table and "pdfplumber" in table and "measured under load" not in table


@pytest.mark.slow
def test_flow_path_measures_prefect_overhead(tmp_path: Path) -> None:
    # (the scaling and dask sections add process pools and Dask clusters: minutes more, run by `make bench`)
    report = bench.main(["--quick", "--sections", "flow", "--work", str(tmp_path)])
    measures = " / ".join(r.measure for r in report.rows)
    for expected in ("server start", "flow in-process"):
        assert expected in measures
    assert report.facts["server_start_s"] > 0 and "prefect_overhead_per_doc_s" in report.facts
    assert {label for label, _, _ in report.stages} >= {"ingest.read_source", "extract_all"}


def test_short_plans_have_the_pages_asked_for(tmp_path: Path) -> None:
    docs = corpus.small_documents(4, tmp_path, pages=(4, 7))
    assert len(docs) == 4 and all(4 <= d.pages <= 7 for d in docs)
    assert len({d.path.read_bytes() for d in docs}) == 4


@pytest.mark.slow
def test_small_batches_section_prints_its_ratios_and_every_round(tmp_path: Path) -> None:
    report = bench.main(["--quick", "--sections", "small", "--work", str(tmp_path)])
    for fact in ("small_scans_ratio", "small_scans_first_ratio", "small_scaling", "small_scaling_first"):
        assert report.facts[fact] > 0, fact
    rows = [r for r in report.rows if "scanned plans" in r.measure or "short born-digital" in r.measure]
    assert len(rows) == 4 and all("rounds:" in r.target and r.met is not None for r in rows)
    table = bench.render(report, load=(0.5, 0.5), seconds=1.0, command="test")
    assert "| round | vnplan, kept server wall s |" in table and "| 1 worker, kept server wall s |" in table
    assert table.count("| median of each column |") == 2


@pytest.mark.slow
def test_stress_run_reports_every_bad_file(tmp_path: Path) -> None:
    out = tmp_path / "stress.md"
    code = stress.main(["--good", "3", "--scans", "0", "--bad-rounds", "1", "--work", str(tmp_path), "--out", str(out)])
    text = out.read_text("utf-8")
    assert code == 0, text
    assert "| every good document written, every bad one in errors.jsonl | yes |" in text
    assert "EncryptedPdfError" in text and "NoContentError" in text  # the encrypted PDF, the blank scan


def test_scan_accuracy_counts_a_moved_footnote_but_not_scattered_words() -> None:
    from bench import scan_bench

    body = scan_bench.words("Ủy ban nhân dân tỉnh ban hành kế hoạch phát triển thương mại điện tử năm 2028")
    note = scan_bench.words("1 Số liệu năm trước do Cục Thống kê tỉnh cung cấp theo báo cáo.")
    # The transcription has the footnote after the body; the OCR read it first, at the page foot.
    reference, read = body + note, note + body
    assert scan_bench.accuracy(reference, read) < 0.6
    assert scan_bench.accuracy_moved(reference, read) == 1.0
    # Words out of order one by one are not a moved block.
    shuffled = body[::-1]
    assert scan_bench.accuracy_moved(body, shuffled) == scan_bench.accuracy(body, shuffled)
