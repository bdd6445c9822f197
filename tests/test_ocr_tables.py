"""Tables in scans: ruled grids found on degraded scans and rebuilt from Tesseract words as pipe rows.

Plans with ruled tables are drawn with reportlab (tests.conftest.draw_plan_pdf), turned into scans
by samples.render.make_scan (skew, blur, grey paper, noise, JPEG) and read back through
pipeline.read.ingest.read_pages with real Tesseract. OCR may misread a letter, so cells are compared
with a fuzzy ratio.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from rapidfuzz import fuzz
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from normalizers.text_repair import normalize_pages
from pipeline.model.doctext import DocText
from pipeline.model.errors import OcrError
from pipeline.read.engines import pdfium, tesseract
from pipeline.read.ingest import read_pages
from pipeline.read.ocr_tables import prepare_page
from pipeline.read.rulings import estimate_skew, percentiles
from pipeline.structure.document import find_tables
from samples import render
from samples.render import make_scan
from tests.conftest import PLAN_PARAGRAPHS, draw_plan_pdf, render_pages

FOUR_COLUMNS: list[list[str]] = [
    ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn hoàn thành"],
    [
        "1",
        "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh, kết nối với cơ sở dữ liệu quốc gia",
        "Sở Khoa học và Công nghệ",
        "Quý II/2026",
    ],
    ["2", "Tổ chức tập huấn kỹ năng số cho cán bộ", "Sở Nội vụ", "Tháng 9/2026"],
    ["3", "Rà soát thủ tục hành chính trên môi trường điện tử", "Văn phòng UBND tỉnh", "Hằng năm"],
]

# Another order and width: the deadline before the agencies, a cooperating column, long agency names.
FIVE_COLUMNS: list[list[str]] = [
    ["STT", "Nội dung", "Thời gian thực hiện", "Đơn vị chủ trì", "Đơn vị phối hợp"],
    [
        "1",
        "Phát triển hạ tầng số dùng chung",
        "Năm 2026",
        "Sở Khoa học và Công nghệ",
        "Các sở, ban, ngành; UBND cấp xã",
    ],
    ["2", "Đào tạo nhân lực đổi mới sáng tạo", "Quý IV/2026", "Sở Giáo dục và Đào tạo", "Sở Tài chính"],
]


def _scan(
    tmp_path: Path, pages: list[list[str | list[list[str]]]], *, rotate: float, seed: int, quality: int = 75
) -> Path:
    pdf = draw_plan_pdf(tmp_path / "plan.pdf", pages, page_numbers=False)
    scan = tmp_path / "plan.scan.pdf"
    make_scan(pdf, scan, dpi=200, rotate=rotate, seed=seed, quality=quality)
    return scan


def _scan_images(scan: Path) -> list[tuple[Image.Image, float]]:
    doc = pdfium.open_pdf(scan)
    try:
        found = [pdfium.sole_image(doc[i], 150) for i in range(len(doc))]
    finally:
        doc.close()
    assert all(found)
    return [f for f in found if f]


def _pipe_rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip()[1:-1].split("|")] for line in text.split("\n") if line.startswith("|")]


def _assert_cells_match(got: list[list[str]], expected: list[list[str]]) -> None:
    assert len(got) == len(expected), got
    for got_row, want_row in zip(got, expected, strict=True):
        assert len(got_row) == len(want_row), got_row
        for cell, want in zip(got_row, want_row, strict=True):
            # A lone row number has no neighbours to absorb a misread: `9.` for `9` is allowed.
            same_number = want.isdigit() and cell.rstrip(".") == want
            assert same_number or fuzz.ratio(cell, want) >= 90, (cell, want)


# --- grid detection (no OCR) ----------------------------------------------------------------------


@pytest.mark.parametrize(("rows", "rotate", "seed"), [(FOUR_COLUMNS, 1.0, 3), (FIVE_COLUMNS, 0.5, 8)])
def test_grid_is_found_on_a_skewed_jpeg_scan(tmp_path: Path, rows: list[list[str]], rotate: float, seed: int) -> None:
    scan = _scan(tmp_path, [[PLAN_PARAGRAPHS[4], rows, PLAN_PARAGRAPHS[5]]], rotate=rotate, seed=seed, quality=60)
    ((image, dpi),) = _scan_images(scan)
    layout = prepare_page(image, round(dpi))
    assert abs(layout.skew) >= 0.3  # the page was levelled first
    (grid,) = layout.grids
    assert len(grid.rows) == len(rows)
    assert len(grid.verticals) == len(rows[0]) + 1
    # The cells go to OCR on their own; the page image keeps the prose but not the table.
    assert layout.cells is not None
    assert len(layout.cells.placements) == sum(len(r) for r in rows)


@given(st.lists(st.integers(0, 255), min_size=1, max_size=400), st.lists(st.floats(0, 100), min_size=1, max_size=4))
def test_histogram_percentiles_equal_numpy(values: list[int], qs: list[float]) -> None:
    pixels = np.array(values, dtype=np.uint8)
    assert percentiles(pixels, qs) == pytest.approx([float(np.percentile(pixels, q)) for q in qs], abs=1e-9)


def _runs_one_by_one(mask: np.ndarray, max_gap: int) -> list[tuple[int, int, int]]:
    """What _row_runs finds, the slow way: walk each row, bridging gaps of up to `max_gap`."""
    runs: list[tuple[int, int, int]] = []
    for y, row in enumerate(mask.tolist()):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            if runs and runs[-1][0] == y and start - runs[-1][2] <= max_gap:
                runs[-1] = (y, runs[-1][1], x)
            else:
                runs.append((y, start, x))
    return runs


@given(st.lists(st.lists(st.booleans(), min_size=12, max_size=12), min_size=1, max_size=12), st.integers(0, 3))
def test_row_runs_are_the_runs_of_each_row_with_short_gaps_bridged(rows: list[list[bool]], max_gap: int) -> None:
    from pipeline.read.rulings import _row_runs

    mask = np.array(rows, dtype=bool)
    ys, starts, ends = _row_runs(mask, max_gap)
    assert list(zip(ys.tolist(), starts.tolist(), ends.tolist(), strict=True)) == _runs_one_by_one(mask, max_gap)


@pytest.mark.parametrize("angle", [-2.4, -0.7, 0.0, 1.2])
def test_skew_is_measured_to_a_tenth_of_a_degree(tmp_path: Path, angle: float) -> None:
    pdf = draw_plan_pdf(tmp_path / "plan.pdf", [PLAN_PARAGRAPHS])
    (image,) = render_pages(pdf, 150)
    turned = image.convert("L").rotate(-angle, resample=Image.BILINEAR, fillcolor=255)
    assert estimate_skew(turned) == pytest.approx(angle, abs=0.11)


def test_prose_page_has_no_grid(tmp_path: Path) -> None:
    scan = _scan(tmp_path, [PLAN_PARAGRAPHS], rotate=1.0, seed=5)
    ((image, dpi),) = _scan_images(scan)
    layout = prepare_page(image, round(dpi))
    assert layout.grids == [] and layout.cells is None


# --- tables read back through ingestion (OCR) -----------------------------------------------------


@pytest.mark.slow
def test_scanned_table_with_multiline_cells_becomes_pipe_rows(tmp_path: Path) -> None:
    scan = _scan(tmp_path, [[PLAN_PARAGRAPHS[4], FOUR_COLUMNS, PLAN_PARAGRAPHS[5]]], rotate=1.0, seed=11)
    (page,) = read_pages(scan, ocr_workers=1)
    _assert_cells_match(_pipe_rows(page.text), FOUR_COLUMNS)
    # The table stands between the paragraphs drawn around it, and they are not in it.
    assert page.text.index("Mục đích") < page.text.index("| TT") < page.text.index("Cụ thể hóa")


@pytest.mark.slow
def test_table_continued_on_next_page_is_one_table(tmp_path: Path) -> None:
    body = [
        [str(i), f"Nhiệm vụ số {i} về chuyển đổi số", f"Năm {2020 + i}", "Sở Nội vụ", "Sở Tài chính"]
        for i in range(1, 12)
    ]
    rows = [FIVE_COLUMNS[0], *body]
    scan = _scan(tmp_path, [[*PLAN_PARAGRAPHS, rows]], rotate=0.8, seed=2)
    pages = read_pages(scan, ocr_workers=2)
    assert len(pages) == 2
    first, second = (_pipe_rows(p.text) for p in pages)
    assert len(first) >= 3 and len(second) >= 2  # the header repeated, then the remaining rows
    assert fuzz.ratio(" ".join(second[0]), " ".join(FIVE_COLUMNS[0])) >= 90
    (table,) = find_tables(DocText(normalize_pages(pages)))
    assert table.kind == "tasks" and table.n_cols == 5
    _assert_cells_match([[c.text for c in r] for r in table.rows], rows)


@pytest.mark.slow
def test_borderless_table_with_aligned_columns_becomes_pipe_rows(tmp_path: Path) -> None:
    """Columns drawn without rules: lines whose words start at the same x edges form a table; the
    prose lines around it stay prose."""
    render.register_fonts()
    rows = [
        ["Chỉ tiêu", "Năm 2025", "Năm 2026"],
        ["Tỷ lệ hồ sơ trực tuyến", "45%", "60%"],
        ["Số doanh nghiệp khởi nghiệp", "12", "20"],
        ["Số nhiệm vụ khoa học", "30", "35"],
        ["Tỷ lệ chi cho khoa học", "1,5%", "2%"],
    ]
    pdf = tmp_path / "borderless.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    canvas.setFont(render.SERIF, 12)
    canvas.drawString(60, 800, PLAN_PARAGRAPHS[1])
    for i, row in enumerate(rows):
        for x, cell in zip((60, 330, 450), row, strict=True):
            canvas.drawString(x, 770 - 22 * i, cell)
    canvas.drawString(60, 640, "Các sở, ngành căn cứ nhiệm vụ được giao tổ chức thực hiện.")
    canvas.save()
    image = render_pages(pdf, dpi=200)[0]
    path = tmp_path / "borderless.png"
    image.crop((0, 0, image.width, 650)).save(path, dpi=(200, 200))
    (page,) = read_pages(path)
    _assert_cells_match(_pipe_rows(page.text), rows)
    lines = page.text.split("\n")
    assert fuzz.ratio(lines[0], PLAN_PARAGRAPHS[1]) >= 90 and lines[-1].startswith("Các sở, ngành")


# --- Tesseract failures ---------------------------------------------------------------------------


def test_tesseract_timeout_is_an_ocr_error(monkeypatch: pytest.MonkeyPatch) -> None:
    page = Image.new("L", (1200, 400), 255)
    monkeypatch.setenv(tesseract.TIMEOUT_ENV, "0.001")
    with pytest.raises(OcrError, match=r"longer than 0\.001 s.*VNPLAN_OCR_PAGE_TIMEOUT.*2 attempts"):
        tesseract.recognize(page, dpi=200)


@pytest.mark.parametrize("value", ["soon", "-5"])
def test_bad_timeout_setting_is_an_ocr_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(tesseract.TIMEOUT_ENV, value)
    with pytest.raises(OcrError, match=tesseract.TIMEOUT_ENV):
        tesseract.recognize(Image.new("L", (50, 50), 255), dpi=200)


def _merged_cell_scan(path: Path) -> Path:
    """A scanned table whose last column is one cell over three rows (no rule under its rows), its
    three lines of text across the rules of the rows beside it. Typeset in Tinos, 200 dpi, JPEG."""
    from PIL import ImageDraw, ImageFont

    from samples.unmapped_fonts import font_path

    dpi = 200
    font = ImageFont.truetype(str(font_path("Tinos-Regular.ttf")), round(12 / 72 * dpi))
    page = Image.new("L", (round(8.27 * dpi), round(5 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    xs, ys = [120, 240, 820, 1520], [150, 230, 330, 430, 530]
    for y in (ys[0], ys[1], ys[-1]):
        draw.line([(xs[0], y), (xs[-1], y)], fill=0, width=3)
    for y in ys[2:-1]:
        draw.line([(xs[0], y), (xs[2], y)], fill=0, width=3)  # the merged column has no rule here
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=0, width=3)
    for x, text in zip(xs, MERGED[0], strict=False):
        draw.text((x + 15, ys[0] + 20), text, font=font, fill=0)
    for (number, unit, _), y in zip(MERGED[1:], ys[1:], strict=False):
        draw.text((xs[0] + 15, y + 30), number, font=font, fill=0)
        draw.text((xs[1] + 15, y + 30), unit, font=font, fill=0)
    for k, line in enumerate(MERGED_LINES):
        draw.text((xs[2] + 20, ys[1] + 70 + k * 55), line, font=font, fill=0)
    page = page.rotate(0.4, resample=Image.Resampling.BILINEAR, fillcolor=255)
    page.convert("RGB").save(path, "PDF", resolution=float(dpi), quality=80)
    return path


MERGED_LINES = ["Cán bộ được chọn ngẫu nhiên", "theo danh sách của từng đơn vị", "trên phần mềm quản lý"]
MERGED = [
    ["TT", "Đơn vị tham gia", "Đối tượng"],
    ["1", "Phòng Hành chính", " ".join(MERGED_LINES)],
    ["2", "Phòng Kế hoạch", ""],
    ["3", "Phòng Tài vụ", ""],
]


@pytest.mark.slow
def test_a_cell_merged_over_rows_is_read_whole_in_its_first_row(tmp_path: Path) -> None:
    import subprocess
    import sys

    scan = _merged_cell_scan(tmp_path / "merged.pdf")
    run = subprocess.run(
        [str(Path(sys.executable).parent / "vnplan"), "text", str(scan)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    _assert_cells_match(_pipe_rows(run.stdout), MERGED)
