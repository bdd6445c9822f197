"""Scoring against gold, as the contract's scoring section says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.review.score import f1, render_table, review_folder, score_document

GOLD = {
    "metadata": {
        "province": "Lào Cai",
        "doc_type": "Kế hoạch",
        "doc_number": None,
        "issued_date": "2024-04",
        "issuer": "Ủy ban nhân dân tỉnh Lào Cai",
        "title": "Thực hiện Chiến lược",
        "signer_name": "Nguyễn Văn A",
        "signer_title": "Phó Chủ tịch",
    },
    "legal_basis": [{"number": "569/QĐ-TTg"}, {"number": "57-NQ/TW"}],
    "budgets": [{"amount_vnd": 12_500_000_000}],
    "targets": [{"value": 30, "unit": "%", "year": 2030}, {"value": 5, "unit": "doanh nghiệp", "year": 2026}],
    "tasks": [
        {
            "id": "1",
            "text": "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh",
            "lead_agency": "Sở Khoa học và Công nghệ",
            "deadline_start": "2026-04-01",
            "deadline_end": "2026-06-30",
            "recurrence": None,
        },
        {
            "id": "2",
            "text": "Tổ chức hội chợ công nghệ và thiết bị hằng năm",
            "lead_agency": "Sở Công Thương",
            "deadline_start": None,
            "deadline_end": None,
            "recurrence": "annual",
        },
    ],
    "agencies": ["Sở Khoa học và Công nghệ", "Sở Công Thương"],
}


def test_perfect_prediction_scores_one_everywhere() -> None:
    pred = json.loads(json.dumps(GOLD))
    pred["agencies"] = [{"name": n, "aliases": [], "roles": []} for n in GOLD["agencies"]]
    for task in pred["tasks"]:  # the contract's shape: a Deadline object
        task["deadline"] = {
            "text": "x",
            "start": task.pop("deadline_start"),
            "end": task.pop("deadline_end"),
            "recurrence": task.pop("recurrence"),
        }
    scores = score_document(pred, GOLD)
    assert {k: v.score for k, v in scores.items()} == dict.fromkeys(scores, 1.0)


def test_scores_count_mismatches() -> None:
    pred = {
        "metadata": {**GOLD["metadata"], "doc_number": "52/KH-UBND", "issuer": "ủy ban  nhân dân tỉnh lào cai"},
        "legal_basis": [{"number": "569/QĐ-TTg"}, {"number": "57- NQ/TW"}, {"number": "1/QĐ-UBND"}],
        "budgets": [],
        "targets": [{"value": 30.0, "unit": "%", "year": 2030}, {"value": 5, "unit": "doanh nghiệp", "year": None}],
        "tasks": [
            {
                "text": "Xây dựng cơ sở dữ liệu khoa học và công nghệ tỉnh",
                "lead_agency": "Sở Khoa học và Công nghệ",
                "deadline": {"start": "2026-04-01", "end": "2026-06-30", "recurrence": None},
            },
            {
                "text": "Tổ chức hội chợ công nghệ, thiết bị",
                "lead_agency": "Sở Công Thương",
                "deadline": {"start": "2026-01-01", "end": "2026-12-31", "recurrence": None},
            },
            {"text": "Một việc hoàn toàn khác không có trong kế hoạch gốc", "lead_agency": None},
        ],
        "agencies": [{"name": "sở khoa học và công nghệ"}],
    }
    s = score_document(pred, GOLD)
    assert s["metadata"].score == pytest.approx(7 / 8)  # case and spaces don't count, the number does
    assert s["legal_basis"].score == pytest.approx(f1(2, 3, 2))
    assert s["budgets"].score == 0.0
    assert s["targets"].score == pytest.approx(0.5)
    assert s["tasks"].tp == 1 and s["tasks"].score == pytest.approx(f1(1, 3, 2))
    assert s["agencies"].score == pytest.approx(f1(1, 1, 2))


def test_empty_lists_on_both_sides_are_right() -> None:
    gold = {**GOLD, "budgets": []}
    assert score_document({"budgets": []}, gold)["budgets"].score == 1.0
    assert score_document({"budgets": [{"amount_vnd": 1}]}, gold)["budgets"].score == 0.0


def test_review_command_pairs_gold_stems_with_documents(tmp_path: Path) -> None:
    gold_dir, docs_dir = tmp_path / "gold", tmp_path / "docs"
    gold_dir.mkdir()
    docs_dir.mkdir()
    (gold_dir / "plan_a.gold.json").write_text(json.dumps(GOLD), "utf-8")
    (docs_dir / "plan_a.pdf.json").write_text(json.dumps(GOLD), "utf-8")
    (docs_dir / "plan_a.scan.pdf.json").write_text(json.dumps({**GOLD, "budgets": []}), "utf-8")
    (docs_dir / "other.json").write_text(json.dumps(GOLD), "utf-8")
    report = review_folder(gold_dir, docs_dir, tmp_path / "out")
    assert [r["doc"] for r in report["documents"]] == ["plan_a.pdf.json", "plan_a.scan.pdf.json"]
    assert report["summary"]["budgets"] == 0.5
    assert json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))["summary"] == report["summary"]
    assert "| plan_a.scan.pdf.json | 1.00 | 1.00 | 0.00 |" in render_table(report)

    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "review",
            "--gold",
            str(gold_dir),
            "--docs",
            str(docs_dir),
            "--out",
            str(tmp_path / "out2"),
        ],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
    assert "| **mean** |" in cli.stdout
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "review",
            "--gold",
            str(tmp_path / "nope"),
            "--docs",
            str(docs_dir),
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert missing.returncode != 0 and missing.stderr.count("\n") == 1 and "Traceback" not in missing.stderr
