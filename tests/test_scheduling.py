"""How a batch is scheduled: biggest documents first, one document on the CPU at a time per process
while another waits for OCR, OCR workers started early when a batch looks scanned, and the pages of
a batch's scans read on every core with document workers."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from pipeline.compute.cpu_turn import cpu_turn, waiting
from pipeline.read.ingest import looks_scanned
from pipeline.run.batch import largest_first
from tests.conftest import PLAN_PARAGRAPHS, draw_plan_pdf, image_only_pdf, render_pages, vnplan_extract


def test_biggest_files_go_first_and_missing_ones_last(tmp_path: Path) -> None:
    sizes = {"a.pdf": 10, "b.pdf": 3000, "c.txt": 200}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    files = [tmp_path / "gone.pdf", *(tmp_path / n for n in sizes)]
    assert [p.name for p in largest_first(files)] == ["b.pdf", "c.txt", "a.pdf", "gone.pdf"]


def test_only_one_thread_computes_but_a_waiting_one_lets_the_other_in() -> None:
    inside = 0
    most_inside = 0
    lock = threading.Lock()
    other_ran_while_waiting = threading.Event()

    def compute(seconds: float) -> None:
        nonlocal inside, most_inside
        with lock:
            inside += 1
            most_inside = max(most_inside, inside)
        time.sleep(seconds)
        with lock:
            inside -= 1

    def first() -> None:
        with cpu_turn():
            compute(0.05)
            with waiting():  # e.g. its pages are being OCR'd by worker processes
                assert other_ran_while_waiting.wait(5)
            compute(0.05)

    def second() -> None:
        time.sleep(0.02)
        with cpu_turn(), cpu_turn():  # re-entrant
            compute(0.05)
        other_ran_while_waiting.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert other_ran_while_waiting.is_set()
    assert most_inside == 1  # never two documents computing at once


def test_a_batch_with_a_scan_looks_scanned_and_a_born_digital_one_does_not(tmp_path: Path) -> None:
    born = draw_plan_pdf(tmp_path / "born.pdf", [PLAN_PARAGRAPHS[:3]])
    scan = image_only_pdf(render_pages(born, 100), tmp_path / "scan.pdf", dpi=100)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    assert not looks_scanned([tmp_path / "broken.pdf", born])
    assert looks_scanned([born, tmp_path / "broken.pdf", scan])
    assert looks_scanned([born, tmp_path / "page.png"])  # images are scans by their kind


def test_pages_read_ahead_are_taken_by_ingestion_and_give_the_same_text(tmp_path: Path) -> None:
    from pipeline.read import ingest

    born = draw_plan_pdf(tmp_path / "born.pdf", [PLAN_PARAGRAPHS[:3], PLAN_PARAGRAPHS[3:6]])
    scan = image_only_pdf(render_pages(born, 200), tmp_path / "scan.pdf", dpi=200)
    expected = [p.text for p in ingest.read_pages(scan, ocr_workers=2)]
    with ingest.run_ocr_workers(2) as run_workers:
        assert ingest.read_ahead(scan, run_workers) == 2
        assert ingest.read_ahead(born, run_workers) == 0  # a text layer: nothing to OCR
        assert run_workers.pages_ahead == 2
        assert [p.text for p in ingest.read_pages(scan, ocr_workers=2)] == expected
        assert run_workers.pages_ahead == 0  # taken, not OCR'd twice


def test_a_run_keeps_no_worker_processes_after_it_ends(tmp_path: Path) -> None:
    """The OCR processes belong to the run: once it ends none is left (a long-lived caller, such as a
    service calling ingest again and again, does not gather idle processes)."""
    import multiprocessing

    from pipeline import ingest as run_ingest

    (tmp_path / "in").mkdir()
    born = draw_plan_pdf(tmp_path / "in" / "born.pdf", [PLAN_PARAGRAPHS[:3]])
    image_only_pdf(render_pages(born, 200), tmp_path / "in" / "scan.pdf", dpi=200)
    summary = run_ingest([tmp_path / "in"], tmp_path / "out")
    assert summary["ok"] + summary["failed"] == 2
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not multiprocessing.active_children()


@pytest.mark.slow
def test_a_scan_left_alone_in_a_two_worker_batch_is_read_on_every_core_and_no_more(tmp_path: Path) -> None:
    """`vnplan ingest --workers 2`: the pages of a scan are read side by side even when it is the only
    document being processed (before, a document's pages went one at a time in its worker, the other
    core idle), never more at once than there are cores, and the record is the one `extract` makes."""
    from pipeline.run import prefect_env

    born = draw_plan_pdf(tmp_path / "born.pdf", [PLAN_PARAGRAPHS[:3], PLAN_PARAGRAPHS[3:6], PLAN_PARAGRAPHS[:2]])
    (tmp_path / "in").mkdir()
    scan = image_only_pdf(render_pages(born, 200), tmp_path / "in" / "scan.pdf", dpi=200)
    out = tmp_path / "out"
    with prefect_env.shared_api():
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "ingest", str(tmp_path / "in"), "--out", str(out), "--workers", "2"],
            env=dict(os.environ, OMP_THREAD_LIMIT="1"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        most = 0
        cli = psutil.Process(proc.pid)
        while proc.poll() is None:
            with contextlib.suppress(psutil.NoSuchProcess):
                reading = [p for p in cli.children(recursive=True) if _reads_a_page(p)]
                most = max(most, len(reading))
            time.sleep(0.05)
        _, stderr = proc.communicate()
    assert proc.returncode == 0, stderr[-2000:]
    assert most == min(3, os.cpu_count() or 1)  # 3 pages
    stored = json.loads(next((out / "documents").glob("*.json")).read_text("utf-8"))
    extracted = vnplan_extract(scan)
    for record in (stored, extracted):
        record["pipeline"].pop("processed_at")
        record["source"].pop("path")
    assert stored == extracted


def _reads_a_page(process: psutil.Process) -> bool:
    try:
        return process.name().startswith("tesseract") and "--psm" in process.cmdline()
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return False
