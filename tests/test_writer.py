"""The dataset writer: the contract's folder, atomic writes, idempotent commits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from pipeline.dataset.atomic import atomic_write_bytes
from pipeline.dataset.writer import Dataset, ManifestEntry, frame
from pipeline.model.contract import (
    Agency,
    Budget,
    Deadline,
    Metadata,
    PageRecord,
    PipelineInfo,
    PlanDocument,
    Source,
    Span,
    Target,
    Task,
    TextFile,
)


def _document(doc_id: str = "0123456789abcdef") -> tuple[PlanDocument, TextFile]:
    text = "Sở Khoa học và Công nghệ chủ trì, hoàn thành trong Quý II/2026. Kinh phí 12,5 tỷ đồng."
    span = Span(page=1, start=0, end=23)
    doc = PlanDocument(
        doc_id=doc_id,
        source=Source(
            path="a.pdf",
            sha256=doc_id * 4,
            media_type="application/pdf",
            pages=1,
            text_origin="native",
            diacritics_restored=False,
        ),
        pipeline=PipelineInfo(version="0.1.0", processed_at="2026-01-01T00:00:00+00:00"),
        metadata=Metadata(province="Lào Cai", doc_number="52/KH-UBND"),
        budgets=[
            Budget(
                text="12,5 tỷ đồng",
                amount_vnd=12_500_000_000,
                year=2026,
                role="total",
                span=Span(page=1, start=74, end=86),
            )
        ],
        targets=[Target(text="trên 30%", comparator=">", value=30, unit="%", year=2030, span=span)],
        tasks=[
            Task(
                id="1",
                text="Xây dựng kế hoạch",
                lead_agency="Sở Khoa học và Công nghệ",
                cooperating_agencies=["Sở Tài chính", "Sở Nội vụ"],
                deadline=Deadline(text="Quý II/2026", start="2026-04-01", end="2026-06-30"),
                span=span,
            )
        ],
        agencies=[Agency(name="Sở Khoa học và Công nghệ", aliases=["Sở KH&CN"], roles=["lead"])],
    )
    return doc, TextFile(doc_id=doc_id, pages=[PageRecord(page=1, origin="native", raw=text, text=text)])


def _entry(doc: PlanDocument) -> ManifestEntry:
    return ManifestEntry(
        path=doc.source.path, sha256=doc.source.sha256, doc_id=doc.doc_id, pipeline_version="0.1.0", status="ok"
    )


def test_commit_writes_the_contract_folder(tmp_path: Path) -> None:
    ds = Dataset(tmp_path)
    doc, text = _document()
    ds.write_document(doc, text)
    bad = ManifestEntry(
        path="bad.pdf",
        sha256=None,
        doc_id=None,
        pipeline_version="0.1.0",
        status="failed",
        stage="ingest",
        error="CorruptFileError",
        message="bad.pdf: not a PDF",
    )
    ds.commit([_entry(doc), bad])

    stored = json.loads((tmp_path / "documents" / f"{doc.doc_id}.json").read_text("utf-8"))
    assert PlanDocument.model_validate(stored) == doc
    pages = json.loads((tmp_path / "text" / f"{doc.doc_id}.json").read_text("utf-8"))["pages"]
    assert pages[0]["text"][0:23] == "Sở Khoa học và Công nghệ"[:23]
    tasks = frame(tmp_path, "tasks")
    assert tasks.loc[0, "doc_id"] == doc.doc_id
    assert list(tasks.loc[0, "cooperating_agencies"]) == ["Sở Tài chính", "Sở Nội vụ"]
    assert tasks.loc[0, "deadline_end"] == "2026-06-30"
    assert frame(tmp_path, "budgets").loc[0, "amount_vnd"] == 12_500_000_000
    for name in ("documents", "legal_basis", "budgets", "targets", "tasks", "agencies"):
        assert (tmp_path / "tables" / f"{name}.parquet").exists()
        raw = (tmp_path / "tables" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # UTF-8 BOM for spreadsheet users
    csv = pd.read_csv(tmp_path / "tables" / "tasks.csv", encoding="utf-8-sig")
    assert csv.loc[0, "cooperating_agencies"] == "Sở Tài chính; Sở Nội vụ"
    assert frame(tmp_path, "legal_basis").empty  # an empty table still has its typed columns
    assert "number" in frame(tmp_path, "legal_basis").columns
    errors = [json.loads(line) for line in (tmp_path / "errors.jsonl").read_text("utf-8").splitlines()]
    assert errors == [
        {
            "path": "bad.pdf",
            "stage": "ingest",
            "error": "CorruptFileError",
            "message": "bad.pdf: not a PDF",
            "sha256": None,
        }
    ]
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert [d["status"] for d in manifest["documents"]] == ["ok", "failed"]


def test_second_commit_of_the_same_input_changes_no_file(tmp_path: Path) -> None:
    ds = Dataset(tmp_path)
    doc, text = _document()
    ds.write_document(doc, text)
    ds.commit([_entry(doc)])
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.rglob("*") if p.is_file()}
    ds.write_document(doc, text)
    ds.commit([_entry(doc)])
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in tmp_path.rglob("*") if p.is_file()}
    assert before == after


def test_commits_merge_with_what_other_runs_recorded(tmp_path: Path) -> None:
    ds = Dataset(tmp_path)
    first, t1 = _document("aaaaaaaaaaaaaaaa")
    second, t2 = _document("bbbbbbbbbbbbbbbb")
    second.source.path = "b.pdf"
    ds.write_document(first, t1)
    ds.commit([_entry(first)])
    ds.write_document(second, t2)
    ds.commit([_entry(second)])
    assert sorted(frame(tmp_path, "documents")["doc_id"]) == ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.json"
    atomic_write_bytes(target, b"old")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new content")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_temp_files_of_killed_writers_are_cleaned_and_live_ones_kept(tmp_path: Path) -> None:
    import subprocess
    import sys

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    ).stdout.strip()
    (tmp_path / "documents").mkdir()
    orphan = tmp_path / "documents" / f".abc.json.{dead}.x1y2.tmp"
    orphan.write_bytes(b'{"half": ')
    live = tmp_path / "documents" / f".def.json.{os.getpid()}.z3.tmp"
    live.write_bytes(b"in progress")
    doc, text = _document()
    ds = Dataset(tmp_path)
    ds.write_document(doc, text)
    ds.commit([_entry(doc)])
    assert not orphan.exists()
    assert live.exists()
