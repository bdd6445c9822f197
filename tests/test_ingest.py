"""Ingestion on real files: born-digital PDFs (with a ruled table), scans, images, text, bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytesseract
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from normalizers.deadlines import parse_deadline
from normalizers.text_repair import normalize_pages
from normalizers.unicode_text import text_layer_problem
from pipeline.model.doctext import DocText
from pipeline.model.errors import (
    CorruptFileError,
    EncryptedPdfError,
    InputFileError,
    NoContentError,
    OcrError,
    VnplanError,
)
from pipeline.read.engines import tesseract
from pipeline.read.ingest import media_type, read_pages
from pipeline.structure.document import find_tables
from samples import render
from tests.conftest import PLAN_PARAGRAPHS, TABLE_ROWS, draw_plan_pdf, image_only_pdf, render_pages

# --- born-digital ---------------------------------------------------------------------------------


def test_born_digital_pdf_reads_text_layer(plan_pdf: Path) -> None:
    pages = read_pages(plan_pdf)
    assert media_type(plan_pdf) == "application/pdf"
    assert [p.number for p in pages] == [1, 2]
    assert all(p.origin == "native" for p in pages)
    assert "Nghị quyết số 57-NQ/TW" in pages[0].text
    assert "I. MỤC ĐÍCH, YÊU CẦU" in pages[1].text
    assert pages[0].width == pytest.approx(595.3, abs=1)


def test_ruled_table_becomes_pipe_rows_in_place(table_pdf: Path) -> None:
    (page,) = read_pages(table_pdf)
    lines = page.text.split("\n")
    row = "| 1 | Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh | Sở Khoa học và Công nghệ | Quý II/2026 |"
    assert row in lines
    # A `|` inside a cell is written as `¦` so the row keeps four cells.
    assert "| 2 | Triển khai nền tảng số dùng chung ¦ kết nối liên thông |" in page.text
    header = lines.index("| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |")
    assert lines[header - 1] == "" and lines[header + 3] == ""
    # The table sits between the paragraph drawn before it and the one drawn after it.
    assert page.text.index("Cụ thể hóa") < page.text.index("| TT |") < page.text.index("Nâng cao nhận thức")
    assert any(w.text == "Quý" for w in page.words)

    # Through repair, the structure parser reads back a 3x4 table with exact cell spans.
    doc = DocText(normalize_pages([page]))
    (table,) = find_tables(doc)
    assert [len(r) for r in table.rows] == [4, 4, 4]
    assert [c.text for c in table.rows[1]] == TABLE_ROWS[1]
    cell = table.rows[2][2]
    assert doc.text[cell.start : cell.end] == "Sở Thông tin và Truyền thông"


def test_pdf_is_recognised_by_content_not_name(plan_pdf: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "plan.bin"
    renamed.write_bytes(plan_pdf.read_bytes())
    assert media_type(renamed) == "application/pdf"
    assert "KẾ HOẠCH" in read_pages(renamed)[0].text


def test_legacy_and_unmapped_text_layers_are_rejected() -> None:
    tcvn3 = "Uû ban nh©n d©n tØnh Lµo Cai ban hµnh kÕ ho¹ch ph¸t triÓn khoa häc c«ng nghÖ n¨m 2023"
    vni = "UÛy ban nhaân daân tænh Laøo Cai ban haønh keá hoaïch phaùt trieån khoa hoïc coâng ngheä"
    assert text_layer_problem(tcvn3) is not None
    assert text_layer_problem(vni) is not None
    assert text_layer_problem("(cid:12)(cid:7)(cid:9) (cid:3)(cid:44) " * 5) is not None
    assert text_layer_problem(" ".join(PLAN_PARAGRAPHS)) is None
    assert text_layer_problem("Cu the hoa va to chuc thuc hien cac muc tieu nhiem vu " * 5) is not None


@pytest.mark.slow
def test_garbage_text_layer_is_ocr_d(tmp_path: Path) -> None:
    """A page whose text layer is TCVN3 font bytes is rendered and OCR'd instead."""
    render.register_fonts()
    path = tmp_path / "tcvn3.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont(render.SERIF, 16)
    for i, line in enumerate(["Uû ban nh©n d©n tØnh ban hµnh kÕ ho¹ch", "ph¸t triÓn khoa häc vµ c«ng nghÖ"]):
        canvas.drawString(72, 760 - 24 * i, line)
    canvas.save()
    (page,) = read_pages(path)
    assert page.origin == "ocr"
    assert page.words and all(w.conf is not None for w in page.words)


# --- scans and images -----------------------------------------------------------------------------


@pytest.mark.slow
def test_scanned_pdf_is_ocr_d_with_word_boxes(scan_page: Image.Image, tmp_path: Path) -> None:
    pdf = image_only_pdf([scan_page], tmp_path / "scan.pdf", dpi=200)
    (page,) = read_pages(pdf)
    assert page.origin == "ocr"
    assert "MỤC ĐÍCH" in page.text and "Mục đích" in page.text
    assert "Cụ thể hóa" in page.text
    word = next(w for w in page.words if w.text == "Mục")
    # Boxes are in PDF points: the word sits in the upper part of an A4-wide page.
    assert 0 < word.x0 < word.x1 < 595 and 0 < word.top < word.bottom < 421
    assert word.conf is not None and word.conf > 50


@pytest.mark.slow
@pytest.mark.parametrize(
    ("suffix", "fmt", "mime"),
    [
        (".png", "PNG", "image/png"),
        (".jpg", "JPEG", "image/jpeg"),
    ],
)
def test_image_files_are_ocr_d(scan_page: Image.Image, tmp_path: Path, suffix: str, fmt: str, mime: str) -> None:
    path = tmp_path / f"page{suffix}"
    scan_page.save(path, fmt, dpi=(200, 200))
    assert media_type(path) == mime
    (page,) = read_pages(path)
    assert page.origin == "ocr" and "Mục đích" in page.text
    assert page.width == scan_page.width  # image pages keep pixel coordinates


@pytest.mark.slow
def test_multipage_tiff_gives_one_page_per_frame(scan_page: Image.Image, tmp_path: Path) -> None:
    path = tmp_path / "scan.tiff"
    second = scan_page.crop((0, 0, scan_page.width, 300))  # the two heading lines only
    scan_page.save(path, "TIFF", save_all=True, append_images=[second], dpi=(200, 200))
    assert media_type(path) == "image/tiff"
    pages = read_pages(path, ocr_workers=2)
    assert [p.number for p in pages] == [1, 2]
    assert "Cụ thể hóa" in pages[0].text and "Cụ thể hóa" not in pages[1].text
    assert "MỤC ĐÍCH" in pages[1].text


@pytest.mark.slow
@pytest.mark.parametrize("skew", [0.0, 2.0])
def test_scanned_ruled_table_is_rebuilt_as_pipe_rows(table_pdf: Path, tmp_path: Path, skew: float) -> None:
    image = render_pages(table_pdf, dpi=200)[0]
    image = image.crop((0, 0, image.width, image.height // 2))
    image = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)  # a crooked scan
    path = tmp_path / "table.png"
    image.save(path, dpi=(200, 200))
    (page,) = read_pages(path)
    rows = [ln for ln in page.text.split("\n") if ln.startswith("|")]
    assert len(rows) == 3
    assert all(row.count("|") == 5 for row in rows)  # four cells each
    assert rows[1].startswith("| 1 | Xây dựng cơ sở dữ liệu khoa học")
    # OCR may read the roman II as 11; the deadline read from the cell is the same quarter.
    read, drawn = parse_deadline(rows[1].split("|")[-2]), parse_deadline("Quý II/2026")
    assert read is not None and drawn is not None and (read.start, read.end) == (drawn.start, drawn.end)
    assert page.text.index("Cụ thể hóa") < page.text.index("| TT |")


@pytest.mark.slow
def test_scanned_two_column_header_reads_column_by_column(tmp_path: Path) -> None:
    """Tesseract merges side-by-side header lines; each column comes back as its own lines, in order."""
    render.register_fonts()
    pdf = tmp_path / "header.pdf"
    canvas = Canvas(str(pdf), pagesize=A4)
    canvas.setFont(render.SERIF, 13)
    for y, left, right in [
        (790, "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        (772, "TỈNH LÀO CAI", "Độc lập - Tự do - Hạnh phúc"),
        (748, "Số: 52/KH-UBND", "Lào Cai, ngày 06 tháng 02 năm 2026"),
    ]:
        canvas.drawCentredString(140, y, left)
        canvas.drawCentredString(400, y, right)
    canvas.save()
    image = render_pages(pdf, dpi=200)[0]
    path = tmp_path / "header.png"
    image.crop((0, 0, image.width, 400)).save(path, dpi=(200, 200))
    lines = [ln for ln in read_pages(path)[0].text.split("\n") if ln]
    # Left column, then right column (OCR may still misread a letter, so compare loosely).
    assert len(lines) == 6
    assert lines[0] == "ỦY BAN NHÂN DÂN" and "LÀO CAI" in lines[1] and lines[2] == "Số: 52/KH-UBND"
    assert lines[3].startswith("CỘNG HÒA") and "Tự do" in lines[4] and lines[5].startswith("Lào Cai, ngày")


# --- plain text -----------------------------------------------------------------------------------


def test_text_file_pages_split_on_form_feeds(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text("KẾ HOẠCH\r\nPhát triển khoa học\fTrang hai\n\f", encoding="utf-8")
    pages = read_pages(path)
    assert media_type(path) == "text/plain"
    assert [(p.number, p.origin, p.text) for p in pages] == [
        (1, "plain", "KẾ HOẠCH\nPhát triển khoa học"),
        (2, "plain", "Trang hai\n"),
    ]


def test_text_file_encodings(tmp_path: Path) -> None:
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("Kế hoạch số 52".encode("utf-16"))
    assert read_pages(utf16)[0].text == "Kế hoạch số 52"
    # Windows-1258 writes tones as combining marks: "Kê" + acute, "hoa" + dot below.
    legacy = tmp_path / "cp1258.txt"
    legacy.write_bytes("Kê\u0301 hoa\u0323ch phát triê\u0309n".encode("cp1258"))
    (page,) = normalize_pages(read_pages(legacy))
    assert page.text == "Kế hoạch phát triển"


# --- bad input ------------------------------------------------------------------------------------


def _one_line(exc: VnplanError, name: str) -> None:
    assert "\n" not in exc.message and name in exc.message


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as missing:
        read_pages(tmp_path / "nope.pdf")
    _one_line(missing.value, "nope.pdf")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty") as err:
        read_pages(empty)
    _one_line(err.value, "empty.pdf")


def test_truncated_and_random_pdfs(plan_pdf: Path, tmp_path: Path) -> None:
    data = plan_pdf.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) * 6 // 10])
    with pytest.raises(CorruptFileError) as err:
        read_pages(truncated)
    _one_line(err.value, "truncated.pdf")
    noise = tmp_path / "noise.pdf"
    noise.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(CorruptFileError):
        read_pages(noise)
    fake_png = tmp_path / "fake.png"
    fake_png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    with pytest.raises(CorruptFileError):
        read_pages(fake_png)


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = draw_plan_pdf(tmp_path / "locked.pdf", [PLAN_PARAGRAPHS[:2]], encrypt="secret")
    with pytest.raises(EncryptedPdfError) as err:
        read_pages(path)
    _one_line(err.value, "locked.pdf")


def test_broken_docx_is_corrupt_whatever_its_name(tmp_path: Path) -> None:
    """A zip that claims to be a Word document but holds no readable one (Word files themselves are
    read: tests/test_formats.py)."""
    for name in ("plan.docx", "plan.pdf"):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document/>")
        with pytest.raises(CorruptFileError) as err:
            read_pages(path)
        _one_line(err.value, name)


def test_pdf_without_text_or_images(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.rect(100, 100, 200, 300)
    canvas.showPage()
    canvas.line(50, 50, 500, 50)
    canvas.save()
    with pytest.raises(NoContentError) as err:
        read_pages(path)
    _one_line(err.value, "blank.pdf")


def test_missing_tesseract_is_an_ocr_error(
    scan_page: Image.Image, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "page.png"
    scan_page.save(path)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    tesseract.check_available.cache_clear()
    try:
        with pytest.raises(OcrError, match="not installed"):
            read_pages(path)
    finally:
        tesseract.check_available.cache_clear()


@pytest.mark.parametrize("mode", ["L", "RGB", "1"])
def test_a_scans_page_image_is_decoded_as_pdfium_renders_it(mode: str, scan_page: Image.Image, tmp_path: Path) -> None:
    """JPEG pages skip pdfium's render pass (their bitmap is the picture as is); other images, such
    as 1-bit scans, still go through it. Either way the pixels are those the render pass gives."""
    import numpy as np
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from pipeline.read.engines import pdfium

    path = tmp_path / f"scan-{mode}.pdf"
    scan_page.convert(mode).save(path, "PDF", resolution=200.0)
    doc = pypdfium2.PdfDocument(path)
    page = doc[0]
    (image,) = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
    assert pdfium._plain_photo(image) == (mode != "1")  # PIL writes L and RGB as JPEG
    found = pdfium.sole_image(page, 150)
    assert found is not None and round(found[1]) == 200
    rendered = image.get_bitmap(render=True).to_pil().convert("L")
    assert found[0].mode == ("RGB" if mode == "RGB" else "L")  # colour kept: stamps are told by it
    assert np.array_equal(np.asarray(found[0].convert("L")), np.asarray(rendered))
