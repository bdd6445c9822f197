"""How a batch is scheduled: biggest documents first, one document on the CPU at a time per process
while another waits for OCR, and OCR workers started early when a batch looks scanned."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from pipeline.compute.cpu_turn import cpu_turn, waiting
from pipeline.read.ingest import looks_scanned
from pipeline.run.batch import largest_first
from tests.conftest import PLAN_PARAGRAPHS, draw_plan_pdf, image_only_pdf, render_pages


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
    assert ingest.read_ahead(scan, workers=2) == 2
    assert ingest.read_ahead(born, workers=2) == 0  # a text layer: nothing to OCR
    assert len(ingest._ahead) == 2
    assert [p.text for p in ingest.read_pages(scan, ocr_workers=2)] == expected
    assert not ingest._ahead  # taken, not OCR'd twice
