"""The foot of a scanned plan's pages: the closing block (Nơi nhận | signature) read column by column,
and footnotes moved after the body.

A plan typed in Tinos (Times New Roman's metric twin) is drawn here, two A4 pages with invented text:
page 1 ends in a footnote (a short rule, small type) in the middle of a sentence that runs on to
page 2; page 2 closes with the recipients list on the left and, on the right, the signer's title,
a round red seal over it, a pen signature whose stroke runs left into the list, and the name.
The pages are scanned in colour (turned, blurred, JPEG) into an image-only PDF and read by `vnplan`
with real Tesseract."""

from __future__ import annotations

import io
import pathlib

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from samples.unmapped_fonts import font_path
from tests.conftest import vnplan_extract, vnplan_run

DPI = 200
HEADER = [
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("TỈNH ĐIỆN BIÊN", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 86/KH-UBND", "Điện Biên, ngày 14 tháng 3 năm 2029"),
]
TITLE = ["KẾ HOẠCH", "Bảo tồn rừng đầu nguồn năm 2029"]
PAGE_ONE = [
    "Thực hiện Nghị quyết số 31/NQ-HĐND ngày 05/01/2029 của Hội đồng nhân dân tỉnh,",
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch bảo tồn rừng đầu nguồn như sau:",
    "I. MỤC TIÊU",
    "Giữ vững độ che phủ rừng trên 45% và trồng mới 300 ha rừng phòng hộ¹.",
    "II. NHIỆM VỤ",
    "1. Sở Nông nghiệp và Môi trường chủ trì rà soát ranh giới các khu rừng",
    "đặc dụng, cập nhật bản đồ hiện trạng rừng trong quý II/2029; hướng dẫn các xã",
]
NOTE = [
    "¹ Chỉ tiêu giao tại Quyết định số 92/QĐ-UBND ngày 08/01/2029 của Ủy ban nhân dân",
    "tỉnh về giao chỉ tiêu phát triển lâm nghiệp giai đoạn 2026 - 2030.",
]
PAGE_TWO = [
    "vùng cao lập tổ bảo vệ rừng của cộng đồng dân cư thôn bản.",
    "2. Công an tỉnh phối hợp kiểm tra, xử lý các hành vi khai thác rừng trái phép.",
    "III. TỔ CHỨC THỰC HIỆN",
    "Các sở, ngành và Ủy ban nhân dân các huyện triển khai thực hiện Kế hoạch này./.",
]
RECIPIENTS = [
    "Nơi nhận:",
    "- Bộ Nông nghiệp và Môi trường (b/c);",
    "- Thường trực Tỉnh ủy (b/c);",
    "- Chủ tịch, các PCT UBND tỉnh;",
    "- Các sở, ban, ngành tỉnh;",
    "- UBND các huyện, thị xã (t/h);",
    "- Lưu: VT, KT.",
]
SIGN = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
SIGNER = "Lò Văn Thắng"
RED = (215, 30, 40)


def _font(name: str, points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), round(points / 72 * DPI))


def _scanned(page: Image.Image, ink: Image.Image, angle: float) -> Image.Image:
    """Ink laid over the print (black under a seal stays black), then scanned: turned, blurred, JPEG."""
    page = ImageChops.multiply(page, ink)
    page = page.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor="white").filter(
        ImageFilter.GaussianBlur(0.5)
    )
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=80)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _blank() -> tuple[Image.Image, Image.Image]:
    size = (round(8.27 * DPI), round(11.69 * DPI))
    return Image.new("RGB", size, "white"), Image.new("RGB", size, "white")


def _page_one() -> Image.Image:
    page, ink = _blank()
    draw = ImageDraw.Draw(page)
    regular, bold, small = _font("Tinos-Regular.ttf", 13), _font("Tinos-Bold.ttf", 13), _font("Tinos-Regular.ttf", 10)
    step = round(13 / 72 * DPI * 1.5)
    y = DPI // 2
    for left, right in HEADER:
        draw.text((DPI * 0.6, y), left, font=bold, fill="black")
        draw.text((DPI * 3.6, y), right, font=bold, fill="black")
        y += step
    y += step
    for line in TITLE:
        draw.text(((page.width - draw.textlength(line, font=bold)) / 2, y), line, font=bold, fill="black")
        y += step
    y += step
    for line in PAGE_ONE:
        draw.text((DPI * 0.8, y), line, font=regular, fill="black")
        y += step
    # The footnote at the foot of the page: a short rule, then small type.
    y = round(DPI * 10.2)
    draw.line([(DPI * 0.8, y), (DPI * 2.8, y)], fill="black", width=2)
    y += DPI // 12
    for line in NOTE:
        draw.text((DPI * 0.8, y), line, font=small, fill="black")
        y += round(10 / 72 * DPI * 1.3)
    return _scanned(page, ink, 0.4)


def _page_two(underlined: bool = False, body: list[str] = PAGE_TWO, angle: float = -0.3) -> Image.Image:
    """The last page; `underlined`: its `Nơi nhận:` underlined by a rule as long as a footnote's."""
    page, ink = _blank()
    draw = ImageDraw.Draw(page)
    regular, bold = _font("Tinos-Regular.ttf", 13), _font("Tinos-Bold.ttf", 13)
    # Recipients in small type (10 pt under an underlined heading: smaller than the body, as a note's)
    list_font, list_head = _font("Tinos-Regular.ttf", 10 if underlined else 11), _font("Tinos-BoldItalic.ttf", 12)
    step = round(13 / 72 * DPI * 1.5)
    y = DPI // 2
    for line in body:
        draw.text((DPI * 0.8, y), line, font=regular, fill="black")
        y += step
    y += step
    block_top = round(DPI * 7) if underlined else y  # a footnote is looked for in a page's lower half
    # The recipients on the left, in small type, close to the signer's column.
    list_step = round(11 / 72 * DPI * 1.35)
    for k, line in enumerate(RECIPIENTS):
        draw.text((DPI * 0.8, block_top + k * list_step), line, font=list_head if k == 0 else list_font, fill="black")
    if underlined:
        under = block_top + round(12 / 72 * DPI * 1.2)
        draw.line([(DPI * 0.8, under), (DPI * 1.8, under)], fill="black", width=2)
    axis = DPI * 5.6  # the signer's column, set centred on this axis
    for k, line in enumerate(SIGN):
        draw.text((axis - draw.textlength(line, font=bold) / 2, block_top + k * step), line, font=bold, fill="black")
    name_y = block_top + 6 * step
    draw.text((axis - draw.textlength(SIGNER, font=bold) / 2, name_y), SIGNER, font=bold, fill="black")
    # The seal over the title, the signature across it and out into the list's column.
    pen = ImageDraw.Draw(ink)
    cx, cy, r = axis - DPI * 0.45, block_top + 2.6 * step, DPI * 0.75
    pen.ellipse((cx - r, cy - r, cx + r, cy + r), outline=RED, width=5)
    pen.ellipse((cx - r * 0.72, cy - r * 0.72, cx + r * 0.72, cy + r * 0.72), outline=RED, width=3)
    seal_font = _font("Tinos-Bold.ttf", 10)
    for k, word in enumerate(("TỈNH ĐIỆN BIÊN", "ỦY BAN NHÂN DÂN")):
        pen.text(
            (cx - pen.textlength(word, font=seal_font) / 2, cy - r * 0.35 + k * r * 0.4), word, font=seal_font, fill=RED
        )
    stroke_y = block_top + 4.3 * step
    pen.line(
        [(DPI * 3.2, stroke_y + step * 0.4), (axis - DPI * 0.3, stroke_y - step * 0.3), (axis + DPI * 0.5, stroke_y)],
        fill=(20, 20, 60),
        width=5,
    )
    return _scanned(page, ink, angle)


@pytest.fixture(scope="module")
def scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[pathlib.Path, list[str]]:
    """The scanned PDF and its pages as `vnplan text` prints them."""
    pdf = tmp_path_factory.mktemp("foot") / "closing-block-scan.pdf"
    first, second = _page_one(), _page_two()
    first.save(pdf, "PDF", resolution=float(DPI), save_all=True, append_images=[second])
    return pdf, vnplan_run("text", pdf).split("\f")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_the_recipients_and_the_signature_are_read_column_by_column(scan: tuple[pathlib.Path, list[str]]) -> None:
    pdf, pages = scan
    lines = _lines(pages[-1])
    # Every recipient on a line of its own, in order, none with the signer's words woven in.
    found = [next((k for k, line in enumerate(lines) if line.startswith(r[:12])), -1) for r in RECIPIENTS[1:]]
    assert -1 not in found and found == sorted(found), lines
    for k in found:
        assert not any(word in lines[k] for word in ("CHỦ TỊCH", "ỦY BAN", SIGNER)), lines[k]
    # The signer's column after the whole list, its lines whole and in order.
    head = next(k for k, line in enumerate(lines) if "ỦY BAN NHÂN DÂN" in line)
    assert max(found) < head < lines.index("PHÓ CHỦ TỊCH") < lines.index(SIGNER), lines

    document = vnplan_extract(pdf)
    assert document["metadata"]["signer_name"] == SIGNER
    assert document["metadata"]["signer_title"] == "Phó Chủ tịch"
    assert all("ĐIỆN BIÊN" not in line for line in lines), "the seal's text stays out of the page"


def test_a_footnote_goes_after_the_body(scan: tuple[pathlib.Path, list[str]]) -> None:
    _, pages = scan
    assert "Quyết định số 92/QĐ-UBND" not in pages[0]  # not between the page's body and the next page's
    assert pages[0].rstrip().endswith("hướng dẫn các xã")
    last = _lines(pages[-1])
    assert last[-1].startswith("1 Chỉ tiêu giao tại Quyết định số 92/QĐ-UBND"), last
    assert last[-1].endswith("giai đoạn 2026 - 2030."), "the note's two lines are one paragraph"
    assert last.index(SIGNER) < len(last) - 1  # after the signature, where a Word file's notes are read


def test_an_underlined_heading_over_small_type_is_no_footnote(tmp_path: pathlib.Path) -> None:
    """A short rule with smaller type under it is a footnote's only when it stands clear of the words:
    under `Nơi nhận:` it is the heading's underline, and the recipients stay where they are."""
    pdf = tmp_path / "underlined.pdf"
    _page_two(underlined=True).save(pdf, "PDF", resolution=float(DPI))
    lines = _lines(vnplan_run("text", pdf))
    assert lines[-1] == SIGNER, lines  # nothing moved after the signature
    assert lines.index("- Các sở, ban, ngành tỉnh;") < lines.index("PHÓ CHỦ TỊCH"), lines


def test_a_tilted_last_body_line_stays_whole_above_the_closing_block(tmp_path: pathlib.Path) -> None:
    """On a page scanned a degree askew, the body's last line, long and ending right above the block,
    drifts a third of a line's height from one end to the other: it is still the body's line, not a
    line of the block's columns to be cut in two and read with them."""
    closing = "Các sở, ngành chủ động đề xuất nhiệm vụ; phối hợp với Sở Tài chính triển khai Kế hoạch này./."
    pdf = tmp_path / "tilted.pdf"
    _page_two(body=[*PAGE_TWO[:3], closing], angle=1.0).save(pdf, "PDF", resolution=float(DPI))
    lines = _lines(vnplan_run("text", pdf))
    assert closing in lines, lines
    assert lines.index(closing) < lines.index(RECIPIENTS[0]), lines
    assert lines[-1] == SIGNER, lines
