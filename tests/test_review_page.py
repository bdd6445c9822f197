"""The review page and review sheets: what a person reviewing extraction sees, and gold made from their marks."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pipeline.dataset.writer import Dataset, ManifestEntry
from pipeline.model.contract import PageRecord, PlanDocument, TextFile
from pipeline.model.errors import InputFileError, OutputError
from pipeline.review.page import write_review_page
from pipeline.review.score import f1, review_folder, score_document
from pipeline.review.sheet import documents_without_gold, import_sheet, read_sheet, write_review_sheet
from tests.conftest import headless_chromium

PAGE_1 = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
Số: 52/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lào Cai, ngày 06 tháng 02 năm 2026
KẾ HOẠCH
Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2026
Căn cứ Quyết định số 569/QĐ-TTg ngày 11/5/2022 của Thủ tướng Chính phủ ban hành Chiến lược phát triển khoa \
học, công nghệ và đổi mới sáng tạo đến năm 2030;
Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, \
đổi mới sáng tạo và chuyển đổi số quốc gia, Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện năm 2026 như sau:
I. MỤC TIÊU
1. Đến năm 2030, tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt trên 30%.
2. Năm 2026 hỗ trợ ít nhất 15 doanh nghiệp ứng dụng công nghệ số vào sản xuất, kinh doanh.
3. Số đơn đăng ký sáng chế tăng 10% so với giai đoạn 2021 - 2025.
II. KINH PHÍ
Tổng kinh phí thực hiện năm 2026 là 12,5 tỷ đồng, trong đó: sự nghiệp khoa học và công nghệ 9.000 triệu đồng; \
ngân sách trung ương hỗ trợ 3.500 triệu đồng."""

PAGE_2 = """III. NHIỆM VỤ
| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |
| 1 | Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh | Sở Khoa học và Công nghệ | Sở Tài chính | Quý II/2026 |
| 2 | Tổ chức Hội chợ công nghệ và thiết bị tỉnh Lào Cai | Sở Công Thương | Sở KH&CN | Hằng năm |
| 3 | Triển khai nền tảng số dùng chung của tỉnh | Sở Khoa học và Công nghệ | UBND cấp xã | Năm 2026 |
| 4 | Đào tạo kỹ năng số cho cán bộ, công chức cấp xã | Sở Nội vụ | | Thường xuyên |
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Giàng Thị Dung"""

PAGES = {1: PAGE_1, 2: PAGE_2}
KHCN, CT, TC = "Sở Khoa học và Công nghệ", "Sở Công Thương", "Sở Tài chính"


def span(page: int, needle: str) -> dict[str, int]:
    start = PAGES[page].index(needle)
    return {"page": page, "start": start, "end": start + len(needle)}


def extracted_plan() -> dict[str, Any]:
    """What an extractor made of the two pages, with the mistakes extractors make."""
    return {
        "metadata": {
            "province": "Lào Cai",
            "doc_type": "Kế hoạch",
            "doc_number": "52/KH-UBND",
            "issued_date": "2026-02-06",
            "issuer": "Ủy ban nhân dân tỉnh Lào Cai",
            "title": "Phát triển khoa học, công nghệ, đổi mới sáng tạo",  # cut short
            "signer_name": "Giàng Thị Dung",
            "signer_title": "Phó Chủ tịch",
        },
        "legal_basis": [
            {
                "number": "569/QĐ-TTg",
                "date": "2022-05-11",
                "issuer": "Thủ tướng Chính phủ",
                "text": "Quyết định số 569/QĐ-TTg ngày 11/5/2022",
                "span": span(1, "Quyết định số 569/QĐ-TTg"),
            },
            {
                "number": "57-NQ/TW",
                "date": "2024-12-22",
                "issuer": "Bộ Chính trị",
                "text": "Nghị quyết số 57-NQ/TW ngày 22/12/2024",
                "span": span(1, "Nghị quyết số 57-NQ/TW"),
            },
        ],
        "budgets": [
            {
                "text": "12,5 tỷ đồng",
                "amount_vnd": 12_500_000_000,
                "year": 2026,
                "role": "total",
                "source": None,
                "span": span(1, "12,5 tỷ đồng"),
            },
            {
                "text": "9.000 triệu đồng",
                "amount_vnd": 9_000_000_000,
                "year": 2026,
                "role": "component",
                "source": "Sự nghiệp khoa học và công nghệ",
                "span": span(1, "9.000 triệu đồng"),
            },
            {
                "text": "3.500 triệu đồng",
                "amount_vnd": 350_000_000,
                "year": 2026,
                "role": "component",  # ×10 off
                "source": "Ngân sách trung ương hỗ trợ",
                "span": span(1, "3.500 triệu đồng"),
            },
        ],
        "targets": [
            {
                "text": "Đến năm 2030, tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt trên 30%.",
                "indicator": "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo",
                "comparator": ">",
                "value": 30,
                "unit": "%",
                "year": 2030,
                "baseline": None,
                "span": span(1, "tỷ lệ doanh nghiệp có hoạt động"),
            },
            {
                "text": "Năm 2026 hỗ trợ ít nhất 15 doanh nghiệp ứng dụng công nghệ số vào sản xuất, kinh doanh.",
                "indicator": "Doanh nghiệp được hỗ trợ ứng dụng công nghệ số",
                "comparator": ">=",
                "value": 15,
                "unit": "doanh nghiệp",
                "year": None,
                "baseline": None,
                "span": span(1, "ít nhất 15 doanh nghiệp"),
            },
        ],
        "tasks": [
            {
                "id": "1",
                "text": "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh",
                "lead_agency": KHCN,
                "cooperating_agencies": [TC],
                "output": None,
                "span": span(2, "| 1 | Xây dựng cơ sở dữ liệu"),
                "deadline": {"text": "Quý II/2026", "start": "2026-04-01", "end": "2026-06-30", "recurrence": None},
            },
            {
                "id": "2",
                "text": "Tổ chức Hội chợ công nghệ và thiết bị tỉnh Lào Cai",
                "lead_agency": CT,
                "cooperating_agencies": [KHCN],
                "output": None,
                "span": span(2, "| 2 | Tổ chức Hội chợ"),
                "deadline": {"text": "Năm 2026", "start": "2026-01-01", "end": "2026-12-31", "recurrence": None},
            },
            {
                "id": "3",
                "text": "Triển khai nền tảng số dùng chung của tỉnh",
                "lead_agency": KHCN,
                "cooperating_agencies": ["Ủy ban nhân dân cấp xã"],
                "output": None,
                "span": span(2, "| 3 | Triển khai nền tảng số"),
                "deadline": {"text": "Năm 2026", "start": "2026-01-01", "end": "2026-12-31", "recurrence": None},
            },
        ],
        "agencies": [{"name": n, "aliases": [], "roles": ["lead"]} for n in (KHCN, CT, TC, "Ủy ban nhân dân cấp xã")],
    }


GOLD: dict[str, Any] = {
    "doc": "laocai_kh52_2026.pdf",
    "metadata": {
        "province": "Lào Cai",
        "doc_type": "Kế hoạch",
        "doc_number": "52/KH-UBND",
        "issued_date": "2026-02-06",
        "issuer": "Ủy ban nhân dân tỉnh Lào Cai",
        "title": "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2026",
        "signer_name": "Giàng Thị Dung",
        "signer_title": "Phó Chủ tịch",
    },
    "legal_basis": [
        {"number": "569/QĐ-TTg", "date": "2022-05-11", "issuer": "Thủ tướng Chính phủ"},
        {"number": "57-NQ/TW", "date": "2024-12-22", "issuer": "Bộ Chính trị"},
    ],
    "budgets": [
        {"text": "12,5 tỷ đồng", "amount_vnd": 12_500_000_000, "year": 2026, "role": "total", "source": None},
        {
            "text": "9.000 triệu đồng",
            "amount_vnd": 9_000_000_000,
            "year": 2026,
            "role": "component",
            "source": "Sự nghiệp khoa học và công nghệ",
        },
        {
            "text": "3.500 triệu đồng",
            "amount_vnd": 3_500_000_000,
            "year": 2026,
            "role": "component",
            "source": "Ngân sách trung ương hỗ trợ",
        },
    ],
    "targets": [
        {
            "text": "tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt trên 30%",
            "indicator": "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo",
            "comparator": ">",
            "value": 30,
            "unit": "%",
            "year": 2030,
            "baseline": None,
        },
        {
            "text": "hỗ trợ ít nhất 15 doanh nghiệp ứng dụng công nghệ số",
            "indicator": "Doanh nghiệp được hỗ trợ ứng dụng công nghệ số",
            "comparator": ">=",
            "value": 15,
            "unit": "doanh nghiệp",
            "year": 2026,
            "baseline": None,
        },
        {
            "text": "Số đơn đăng ký sáng chế tăng 10% so với giai đoạn 2021 - 2025",
            "indicator": "Số đơn đăng ký sáng chế",
            "comparator": ">=",
            "value": 10,
            "unit": "%",
            "year": None,
            "baseline": "giai đoạn 2021 - 2025",
        },
    ],
    "tasks": [
        {
            "id": "1",
            "text": "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh",
            "lead_agency": KHCN,
            "cooperating_agencies": [TC],
            "deadline_text": "Quý II/2026",
            "deadline_start": "2026-04-01",
            "deadline_end": "2026-06-30",
            "recurrence": None,
            "output": None,
        },
        {
            "id": "2",
            "text": "Tổ chức Hội chợ công nghệ và thiết bị tỉnh Lào Cai",
            "lead_agency": CT,
            "cooperating_agencies": [KHCN],
            "deadline_text": "Hằng năm",
            "deadline_start": None,
            "deadline_end": None,
            "recurrence": "annual",
            "output": None,
        },
        {
            "id": "3",
            "text": "Triển khai nền tảng số dùng chung của tỉnh",
            "lead_agency": KHCN,
            "cooperating_agencies": ["Ủy ban nhân dân cấp xã"],
            "deadline_text": "Năm 2026",
            "deadline_start": "2026-01-01",
            "deadline_end": "2026-12-31",
            "recurrence": None,
            "output": None,
        },
        {
            "id": "4",
            "text": "Đào tạo kỹ năng số cho cán bộ, công chức cấp xã",
            "lead_agency": "Sở Nội vụ",
            "cooperating_agencies": [],
            "deadline_text": "Thường xuyên",
            "deadline_start": None,
            "deadline_end": None,
            "recurrence": "continuous",
            "output": None,
        },
    ],
    "agencies": [KHCN, CT, TC, "Ủy ban nhân dân cấp xã", "Sở Nội vụ"],
}


def plan_document(doc_id: str, source: str, content: dict[str, Any]) -> PlanDocument:
    return PlanDocument.model_validate(
        {
            "doc_id": doc_id,
            "source": {
                "path": f"samples/{source}",
                "sha256": doc_id * 4,
                "media_type": "application/pdf",
                "pages": 2,
                "text_origin": "native",
                "diacritics_restored": False,
            },
            "pipeline": {"version": "0.1.0", "processed_at": "2026-02-10T08:00:00+00:00"},
            **content,
        }
    )


def write_dataset(root: Path, docs: list[tuple[str, str, dict[str, Any]]]) -> Path:
    """A dataset folder written by the project's writer: (doc_id, source name, content) per document."""
    dataset = Dataset(root)
    entries = []
    for doc_id, source, content in docs:
        text = TextFile(
            doc_id=doc_id, pages=[PageRecord(page=n, origin="native", raw=t, text=t) for n, t in PAGES.items()]
        )
        dataset.write_document(plan_document(doc_id, source, content), text)
        entries.append(
            ManifestEntry(
                path=f"samples/{source}", sha256=doc_id * 4, doc_id=doc_id, pipeline_version="0.1.0", status="ok"
            )
        )
    dataset.commit(entries)
    return root


@pytest.fixture()
def reviewed(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(dataset, gold folder, review folder): one document with gold, one without, review written."""
    other = extracted_plan()
    other["metadata"] = {**other["metadata"], "province": "Lai Châu"}
    data = write_dataset(
        tmp_path / "out",
        [
            ("a1b2c3d4e5f60718", "laocai_kh52_2026.pdf", extracted_plan()),
            ("99aa88bb77cc66dd", "laichau_kh10_2026.pdf", other),
        ],
    )
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "laocai_kh52_2026.gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), "utf-8")
    return data, gold_dir, tmp_path / "review"


def make_page(data: Path, gold_dir: Path, review_dir: Path) -> Path:
    report = review_folder(gold_dir, data, review_dir)
    sheets = write_review_sheet(data, review_dir / "sheets", documents_without_gold(data, gold_dir))
    return write_review_page(report, data, gold_dir, review_dir, sheets)


def test_page_shows_gold_and_extracted_side_by_side_with_marked_sources(reviewed: tuple[Path, Path, Path]) -> None:
    page = make_page(*reviewed).read_text("utf-8")
    summary = page[page.index('<table class="summary"') : page.index("</table>")]
    assert "laocai_kh52_2026.pdf" in summary and "laichau_kh10_2026.pdf" not in summary
    assert f"{f1(2, 3, 3):.2f}" in summary  # budgets: one amount ×10 off
    # The wrong amount is shown as extracted, with its own source text highlighted, beside the gold amount.
    wrong = re.search(r'<tr class="bad extra">.*?</tr>', page, re.S)
    assert wrong and "350.000.000 đ" in wrong.group(0) and "<mark>3.500 triệu đồng</mark>" in wrong.group(0)
    missed = re.search(r'<tr class="bad missing">.*?3.500.000.000 đ.*?</tr>', page, re.S)
    assert missed, "the gold amount nobody extracted is listed as missed"
    # The task paired but with the wrong deadline window: its deadline is marked as the difference.
    differs = re.search(r'<tr class="bad wrong">.*?</tr>', page, re.S)
    assert differs and "Hội chợ" in differs.group(0) and 'class="kv diff"><span class="k">deadline' in differs.group(0)
    assert "Đào tạo kỹ năng số" in page and "✗ missed" in page  # task 4 was not extracted
    # Values are escaped: an abbreviation with & in the page text must not break the HTML.
    assert "Sở KH&amp;CN" in page and "Sở KH&CN" not in page
    # The document without gold is listed, with a link to its review sheet.
    assert "Documents without gold (1)" in page and 'href="sheets/laichau_kh10_2026.sheet.html"' in page


def test_page_is_self_contained(reviewed: tuple[Path, Path, Path]) -> None:
    page = make_page(*reviewed).read_text("utf-8")
    assert not re.search(r"https?://|<link|@import|url\(|\bsrc=", page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_folder_of_records_without_page_text_says_snippets_are_unavailable(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    doc = plan_document("a1b2c3d4e5f60718", "laocai_kh52_2026.pdf", extracted_plan())
    (docs / "laocai_kh52_2026.pdf.json").write_text(doc.model_dump_json(), "utf-8")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "laocai_kh52_2026.gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), "utf-8")
    page = write_review_page(review_folder(gold_dir, docs, tmp_path / "r"), docs, gold_dir, tmp_path / "r")
    text = page.read_text("utf-8")
    assert "snippets unavailable" in text and "<mark>" not in text
    assert "350.000.000 đ" in text  # the values are still compared


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium (make system-deps)")
def test_page_renders_in_a_real_browser(reviewed: tuple[Path, Path, Path], tmp_path: Path) -> None:
    page = make_page(*reviewed)
    dom = headless_chromium(tmp_path, "--dump-dom", f"{page.as_uri()}?only=mismatches")
    assert re.search(r'<table class="summary" id="summary">.*<tbody><tr>', dom, re.S)
    assert "<mark>12,5 tỷ đồng</mark>" in dom and dom.count("<mark>") >= 8
    assert re.search(r'<body class="only-bad">', dom), "the inline script ran and applied the filter"
    shot = tmp_path / "review.png"
    headless_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,1000", page.as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 1000)
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 50, "a rendered page, not a blank one"
    # The score cells are painted: the green of a perfect score and the red of a poor one are on screen.
    pixels = {c for _, c in colours}
    assert (0xC8, 0xE6, 0xC9) in pixels and (0xF8, 0xC9, 0xC4) in pixels


def _mark(rows: list[dict[str, str]], field: str, item: str, attribute: str, correct: str, corrected: str = "") -> None:
    row = next(r for r in rows if (r["field"], r["item"], r["attribute"]) == (field, item, attribute))
    row["correct"], row["corrected_value"] = correct, corrected


def _save(rows: list[dict[str, str]], path: Path, delimiter: str = ",") -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), "utf-8-sig")


def _mark_items_right(rows: list[dict[str, str]]) -> None:
    """A reviewer's first pass: every metadata row and every item's deciding row marked right."""
    firsts = {(r["field"], r["item"]) for r in rows if r["field"] != "metadata"}
    for r in rows:
        if r["field"] == "metadata" or (r["field"], r["item"]) in firsts:
            r["correct"] = "y"
            firsts.discard((r["field"], r["item"]))


def test_sheet_lists_every_value_with_its_source(reviewed: tuple[Path, Path, Path]) -> None:
    data, _, review_dir = reviewed
    paths = write_review_sheet(data, review_dir, ["99aa88bb77cc66dd"])
    assert [p.name for p in paths] == ["laichau_kh10_2026.sheet.csv", "laichau_kh10_2026.sheet.html"]
    raw = paths[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so spreadsheets read the accents right
    rows = read_sheet(paths[0])
    plan = extracted_plan()
    expected = 8 + sum(
        n * len(plan[f]) for f, n in (("legal_basis", 3), ("budgets", 5), ("targets", 7), ("tasks", 9), ("agencies", 1))
    )
    assert len(rows) == expected
    amount = next(r for r in rows if r["field"] == "budgets" and r["attribute"] == "amount_vnd" and r["item"] == "3")
    assert amount["value"] == "350.000.000" and "⟦3.500 triệu đồng⟧" in amount["snippet"] and amount["page"] == "1"
    lead = next(r for r in rows if r["field"] == "tasks" and r["item"] == "2" and r["attribute"] == "lead_agency")
    assert "⟦Sở Công Thương⟧" in lead["snippet"]  # the attribute highlighted inside its task's row
    sheet_html = paths[1].read_text("utf-8")
    assert "<mark>3.500 triệu đồng</mark>" in sheet_html and "laichau_kh10_2026.sheet.csv" in sheet_html


def test_marked_sheet_becomes_gold_that_scores_as_marked(reviewed: tuple[Path, Path, Path]) -> None:
    data, _, review_dir = reviewed
    csv_path = write_review_sheet(data, review_dir, ["99aa88bb77cc66dd"])[0]
    rows = read_sheet(csv_path)
    _mark_items_right(rows)
    _mark(rows, "metadata", "", "title", "n", "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số")
    _mark(rows, "budgets", "3", "amount_vnd", "n", "3.500 triệu đồng")  # corrected, in the document's words
    _mark(rows, "targets", "2", "year", "n", "2026")
    _mark(rows, "tasks", "2", "deadline_text", "n", "Hằng năm")
    _mark(rows, "tasks", "2", "deadline_start", "n")
    _mark(rows, "tasks", "2", "deadline_end", "n")
    _mark(rows, "tasks", "2", "recurrence", "n", "annual")
    _mark(rows, "tasks", "3", "text", "n")  # not a task: dropped
    _mark(rows, "tasks", "1", "lead_agency", "n", "Sở Thông tin và Truyền thông")
    rows.append(
        {
            **rows[-1],
            "field": "tasks",
            "item": "new1",
            "attribute": "text",
            "value": "",
            "snippet": "",
            "correct": "",
            "corrected_value": "Đào tạo kỹ năng số cho cán bộ, công chức cấp xã",
        }
    )
    rows.append({**rows[-1], "attribute": "lead_agency", "corrected_value": "Sở Nội vụ"})
    rows.append({**rows[-1], "attribute": "recurrence", "corrected_value": "continuous"})
    _save(rows, csv_path, delimiter=";")  # as a spreadsheet in a Vietnamese locale saves it

    gold_path = import_sheet(csv_path, data, review_dir / "gold")
    assert gold_path.name == "laichau_kh10_2026.gold.json"
    gold = json.loads(gold_path.read_text("utf-8"))
    assert gold["doc"] == "laichau_kh10_2026.pdf" and gold["metadata"]["province"] == "Lai Châu"
    assert [b["amount_vnd"] for b in gold["budgets"]] == [12_500_000_000, 9_000_000_000, 3_500_000_000]
    assert [t["text"][:12] for t in gold["tasks"]] == ["Xây dựng cơ ", "Tổ chức Hội ", "Đào tạo kỹ n"]
    assert gold["tasks"][1]["deadline_start"] is None and gold["tasks"][1]["recurrence"] == "annual"
    assert gold["tasks"][2]["cooperating_agencies"] == [] and gold["tasks"][2]["deadline_end"] is None
    # Agencies named in tasks are agencies of the plan, as the contract says.
    assert {"Sở Thông tin và Truyền thông", "Sở Nội vụ"} <= set(gold["agencies"])

    pred = json.loads((data / "documents" / "99aa88bb77cc66dd.json").read_text("utf-8"))
    scores = score_document(pred, gold)
    assert scores["metadata"].score == pytest.approx(7 / 8)
    assert scores["legal_basis"].score == 1.0
    assert scores["budgets"].score == pytest.approx(f1(2, 3, 3))
    assert scores["targets"].score == pytest.approx(f1(1, 2, 2))
    # Task 1 has another lead now, task 2 another deadline, task 3 is gone, a new task came: 0 right.
    assert scores["tasks"].tp == 0 and (scores["tasks"].n_pred, scores["tasks"].n_gold) == (3, 3)
    assert scores["agencies"].score == pytest.approx(f1(4, 4, 6))


def test_import_refuses_unreviewed_items_bad_values_and_overwriting(reviewed: tuple[Path, Path, Path]) -> None:
    data, _, review_dir = reviewed
    csv_path = write_review_sheet(data, review_dir, ["99aa88bb77cc66dd"])[0]
    original = read_sheet(csv_path)
    rows = copy.deepcopy(original)
    _save(rows, csv_path)
    with pytest.raises(InputFileError, match="metadata rows must be marked"):
        import_sheet(csv_path, data, review_dir)

    rows = copy.deepcopy(original)
    _mark_items_right(rows)
    _mark(rows, "budgets", "2", "amount_vnd", "", "")
    _save(rows, csv_path)
    with pytest.raises(InputFileError, match="first row of budgets item 2 decides it"):
        import_sheet(csv_path, data, review_dir)

    rows = copy.deepcopy(original)
    _mark_items_right(rows)
    _mark(rows, "tasks", "1", "deadline_end", "n", "30/6/2026")
    _save(rows, csv_path)
    with pytest.raises(InputFileError, match=r"line \d+: deadline_end must be a date"):
        import_sheet(csv_path, data, review_dir)

    rows = copy.deepcopy(original)
    _mark_items_right(rows)  # everything right: gold is the extraction itself
    _save(rows, csv_path)
    gold_fields = ("metadata", "legal_basis", "budgets", "targets", "tasks", "agencies")
    first = import_sheet(csv_path, data, review_dir)
    gold = json.loads(first.read_text("utf-8"))
    assert gold["budgets"][2]["amount_vnd"] == 350_000_000  # kept as extracted
    pred = json.loads((data / "documents" / "99aa88bb77cc66dd.json").read_text("utf-8"))
    assert {f: s.score for f, s in score_document(pred, gold).items()} == dict.fromkeys(gold_fields, 1.0)
    with pytest.raises(OutputError, match="exists"):
        import_sheet(csv_path, data, review_dir)


def test_rerunning_the_review_keeps_a_sheet_being_marked(reviewed: tuple[Path, Path, Path]) -> None:
    data, gold_dir, review_dir = reviewed
    make_page(data, gold_dir, review_dir)
    csv_path = review_dir / "sheets" / "laichau_kh10_2026.sheet.csv"
    rows = read_sheet(csv_path)
    _mark(rows, "metadata", "", "province", "y")
    _save(rows, csv_path)
    marked = csv_path.read_bytes()
    make_page(data, gold_dir, review_dir)
    assert csv_path.read_bytes() == marked
