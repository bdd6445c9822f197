"""The sample kit: born-digital plan PDFs read back exactly, scans carry only an image, seeds rejoin."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from samples.make_samples import Line, drop_page_furniture, group_lines, strip_diacritics, to_block
from samples.render import (
    Footnote,
    HeaderBlock,
    Heading,
    Para,
    PlanLayout,
    Signature,
    TableBlock,
    Title,
    footnote_ref,
    image_of_page,
    make_scan,
    render_plan_pdf,
)

BODY = (
    "Đến năm 2030, tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt 40% trong tổng số doanh "
    "nghiệp; phấn đấu đầu tư 2% ngân sách của tỉnh cho hoạt động khoa học, công nghệ."
)
ROWS = (
    ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"),
    ("1", "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh", "Sở Khoa học và Công nghệ", "Quý II/2026"),
    ("2", "Đào tạo nhân lực chuyển đổi số cấp xã", "Ủy ban nhân dân cấp xã", "Hằng năm"),
)


def small_plan(paragraphs: int = 3) -> PlanLayout:
    return PlanLayout(
        header=HeaderBlock(("ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"), "Số: 52/KH-UBND", "Lào Cai, ngày 06 tháng 02 năm 2026"),
        blocks=[
            Title("KẾ HOẠCH", ("Thực hiện Nghị quyết số 57-NQ/TW năm 2026",)),
            Heading("I. MỤC ĐÍCH, YÊU CẦU", 1),
            *[Para(BODY) for _ in range(paragraphs)],
            TableBlock(ROWS, caption="Phụ lục: DANH MỤC NHIỆM VỤ"),
            Signature(
                ("- Bộ Khoa học và Công nghệ;", "- Lưu: VT."),
                ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
                "Giàng Thị Dung",
            ),
        ],
    )


def page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf))]
    finally:
        pdf.close()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_text_layer_reads_back_the_vietnamese_exactly(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    assert render_plan_pdf(small_plan(), out) == 1
    text = page_texts(out)[0]
    assert unicodedata.is_normalized("NFC", text)
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÀO CAI",
        "Số: 52/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lào Cai, ngày 06 tháng 02 năm 2026",
        "KẾ HOẠCH",
        "Thực hiện Nghị quyết số 57-NQ/TW năm 2026",
        BODY,
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
        "Giàng Thị Dung",
    ):
        assert expected in flat(text), expected
    # header block: the issuer and the motto share a line, the number comes under the issuer
    lines = [flat(x) for x in text.splitlines()]
    assert any("ỦY BAN NHÂN DÂN" in x and "CỘNG HÒA" in x for x in lines) or (
        lines.index("ỦY BAN NHÂN DÂN") < lines.index("Số: 52/KH-UBND")
    )


def test_table_is_ruled_with_its_header_row_on_one_line(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    render_plan_pdf(small_plan(), out)
    text = page_texts(out)[0]
    lines = [flat(x) for x in text.splitlines()]
    assert any(x.startswith("STT Nhiệm vụ Cơ quan chủ trì") for x in lines), lines
    for cell in ("Sở Khoa học và Công nghệ", "Quý II/2026", "Ủy ban nhân dân cấp xã", "Hằng năm"):
        assert cell in flat(text)
    # the row numbers never break ("ST" / "T") and rows keep their order
    assert flat(text).index("Quý II/2026") < flat(text).index("Hằng năm")
    pdf = pdfium.PdfDocument(str(out))
    paths = list(pdf[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]))
    pdf.close()
    assert len(paths) >= 4 + 3  # grid lines of a 4-column, 3-row table at the least


def test_same_layout_gives_same_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_plan_pdf(small_plan(), a)
    render_plan_pdf(small_plan(), b)
    assert a.read_bytes() == b.read_bytes()


def test_footnote_is_printed_on_the_page_of_its_mark(tmp_path: Path) -> None:
    note = Footnote("1", "Ứng dụng tiến bộ khoa học và công nghệ phát triển đàn dê thịt tại tỉnh Lào Cai.")
    marked = Para(
        f"Quản lý 04 dự án{footnote_ref('1')} thuộc Chương trình nông thôn, miền núi.", markup=True, notes=(note,)
    )
    layout = small_plan(paragraphs=30)
    layout.blocks.insert(20, marked)
    out = tmp_path / "fn.pdf"
    assert render_plan_pdf(layout, out) >= 2
    pages = [flat(t) for t in page_texts(out)]
    where = [i for i, t in enumerate(pages) if "Quản lý 04 dự án1 thuộc" in t]
    assert where and note.text in pages[where[0]]
    # the note is the last text of its page: it sits below the body, not over it
    assert pages[where[0]].rstrip().endswith(note.text)


def test_scan_is_image_only_at_the_requested_resolution(tmp_path: Path) -> None:
    born, scan = tmp_path / "plan.pdf", tmp_path / "plan.scan.pdf"
    render_plan_pdf(small_plan(), born)
    assert make_scan(born, scan, dpi=200, rotate=0.7, seed=3) == 1
    pdf = pdfium.PdfDocument(str(scan))
    try:
        page = pdf[0]
        assert page.get_textpage().get_text_bounded().strip() == ""
        images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        assert len(images) == 1
        assert tuple(images[0].get_px_size()) == (1654, 2339)  # A4 at 200 dpi
        assert images[0].get_filters() == ["DCTDecode"]  # JPEG, as a scanner writes it
        width, height = page.get_size()
        assert width == pytest.approx(595.3, abs=0.5) and height == pytest.approx(841.9, abs=0.5)
    finally:
        pdf.close()
    again = tmp_path / "again.scan.pdf"
    make_scan(born, again, dpi=200, rotate=0.7, seed=3)
    assert again.read_bytes() == scan.read_bytes()


def test_image_of_page_writes_a_scanned_looking_png(tmp_path: Path) -> None:
    from PIL import Image

    born, png = tmp_path / "plan.pdf", tmp_path / "page.png"
    render_plan_pdf(small_plan(), born)
    assert image_of_page(born, png, dpi=100) == (827, 1170)  # A4 at 100 dpi, rounded up
    with Image.open(png) as img:
        assert img.mode == "L" and img.size == (827, 1170)
        lo, hi = img.getextrema()
        assert lo < 100 < 200 < hi <= 255  # ink and paper, both greyed like a scan


def seed_lines(text: str) -> list[Line]:
    return [
        Line(r.strip(), i, 0 if r.strip() else len(r), r.startswith(" ") and bool(r.strip()))
        for i, r in enumerate(text.split("\n"))
    ]


def test_hard_wraps_are_rejoined_into_paragraphs_and_headings() -> None:
    wrapped = "\n".join(
        [
            "1. Lĩnh vực Tiêu chuẩn Đo lường Chất lượng ",
            "",
            "Ban hành đầy đủ, kịp thời các văn bản phục vụ công tác quản lý Tiêu chuẩn ",
            "Đo lường Chất lượng ở địa phương, góp phần nâng cao hiệu lực quản lý kinh tế ",
            "",
            "- xã hội, nâng cao nhận thức của người dân và doanh nghiệp trên địa bàn tỉnh ",
            "Lào Cai. ",
            "",
            "12",
            "",
            "- Sở hữu trí tuệ: Chỉ đạo và ban hành nhiều văn bản hướng dẫn, đôn đốc các ",
            "tổ chức, cá nhân thủ tục cấp quyền sử dụng chỉ dẫn địa lý. ",
            "II. TÌNH HÌNH THỰC HIỆN CHÍNH SÁCH VỀ KH&CN VÀ ĐỔI MỚI ",
            "",
            "SÁNG TẠO ",
        ]
    )
    body, notes = drop_page_furniture(seed_lines(wrapped))
    assert notes == []
    blocks = [to_block(c) for c in group_lines(body)]
    kinds = [(type(b).__name__, getattr(b, "level", None)) for b in blocks]
    assert kinds == [("Heading", 2), ("Para", None), ("Para", None), ("Heading", 1)]
    assert "quản lý kinh tế - xã hội, nâng cao" in blocks[1].text
    assert blocks[1].text.endswith("trên địa bàn tỉnh Lào Cai.")  # the page number "12" is gone
    assert blocks[3].text == "II. TÌNH HÌNH THỰC HIỆN CHÍNH SÁCH VỀ KH&amp;CN VÀ ĐỔI MỚI SÁNG TẠO"


def test_strip_diacritics_keeps_letters_and_lines() -> None:
    assert strip_diacritics("Đổi mới sáng tạo\nỦy ban nhân dân tỉnh Lào Cai") == (
        "Doi moi sang tao\nUy ban nhan dan tinh Lao Cai"
    )
