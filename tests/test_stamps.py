"""Red stamps and seals on a colour scan are read apart from the plan's own text: an incoming-mail
stamp beside the title and a round seal over the signature never enter the title or the body;
what the stamp says is kept in a warning. The scan is drawn here (invented text), wrapped in an
image-only PDF and read by `vnplan` with real Tesseract."""

from __future__ import annotations

import io
import json
import os
import pathlib
import subprocess
import sys

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from samples.unmapped_fonts import font_path

DPI = 200
HEADER = [
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("TỈNH HÒA BÌNH", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 57/KH-UBND", "Hòa Bình, ngày 09 tháng 4 năm 2028"),
]
TITLE = ["KẾ HOẠCH", "Phát triển nghề dệt thổ cẩm năm 2028"]
BODY = [
    "Thực hiện Nghị quyết số 12/NQ-HĐND ngày 02/3/2028 của Hội đồng nhân dân tỉnh,",
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch phát triển nghề dệt thổ cẩm như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Duy trì các làng nghề, nâng cao thu nhập cho hộ gia đình vùng cao.",
    "II. NHIỆM VỤ",
    "1. Sở Công Thương chủ trì tổ chức hội chợ sản phẩm thổ cẩm trong quý III/2028.",
    "2. Sở Văn hóa và Thể thao phối hợp quảng bá các mẫu hoa văn truyền thống.",
]
STAMP = ["SỞ NÔNG NGHIỆP", "ĐẾN Số: 4321", "Ngày: 12/5/2028"]
SEAL = "TỈNH HÒA BÌNH"
SIGN = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "", ""]
SIGNER = "Nguyễn Văn Khải"  # stamped in red under the signature, as signers' names often are
RED = (215, 30, 40)


def _font(name: str, points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), round(points / 72 * DPI))


def _scan() -> Image.Image:
    """An A4 page typed in Tinos, then stamped in red and signed, scanned in colour."""
    page = Image.new("RGB", (round(8.27 * DPI), round(11.69 * DPI)), "white")
    draw = ImageDraw.Draw(page)
    regular, bold = _font("Tinos-Regular.ttf", 13), _font("Tinos-Bold.ttf", 13)
    step = round(13 / 72 * DPI * 1.5)
    y = DPI // 2
    for left, right in HEADER:
        draw.text((DPI * 0.6, y), left, font=bold, fill="black")
        draw.text((DPI * 3.6, y), right, font=bold, fill="black")
        y += step
    y += step
    title_top = y
    for line in TITLE:
        width = draw.textlength(line, font=bold)
        draw.text(((page.width - width) / 2, y), line, font=bold, fill="black")
        y += step
    y += step
    for line in BODY:
        draw.text((DPI * 0.8, y), line, font=regular, fill="black")
        y += step
    y += step
    sign_top = y
    for line in SIGN:
        width = draw.textlength(line, font=bold)
        draw.text((DPI * 5.4 - width / 2, y), line, font=bold, fill="black")
        y += step
    # Ink on paper darkens what it lies over: stamp, seal and signature are drawn on a layer of
    # their own and multiplied onto the print (black text under the seal stays black).
    ink = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(ink)
    # The receiving office's stamp, left of the title.
    stamp_font = _font("Tinos-Bold.ttf", 11)
    box = (DPI * 0.4, title_top - step // 2, DPI * 2.7, title_top + 3 * step)
    draw.rectangle(box, outline=RED, width=4)
    for i, line in enumerate(STAMP):
        draw.text((box[0] + DPI * 0.1, box[1] + DPI * 0.08 + i * step * 0.9), line, font=stamp_font, fill=RED)
    # The signer's name, stamped in red: a line of the document's own text.
    name_font = _font("Tinos-Bold.ttf", 16)
    draw.text((DPI * 5.4 - draw.textlength(SIGNER, font=name_font) / 2, y + step), SIGNER, font=name_font, fill=RED)
    # The round seal over the signer's title, a pen signature across it.
    cx, cy, r = DPI * 5.0, sign_top + 2.2 * step, DPI * 0.75
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=RED, width=5)
    draw.ellipse((cx - r * 0.72, cy - r * 0.72, cx + r * 0.72, cy + r * 0.72), outline=RED, width=3)
    seal_font = _font("Tinos-Bold.ttf", 10)
    width = draw.textlength(SEAL, font=seal_font)
    draw.text((cx - width / 2, cy - r * 0.35), SEAL, font=seal_font, fill=RED)
    draw.text((cx - width / 2, cy + r * 0.05), "ỦY BAN", font=seal_font, fill=RED)
    draw.line(
        [(cx - r * 0.3, cy + step * 0.8), (cx + r * 0.6, cy - step * 0.2), (cx + r * 1.4, cy + step * 0.5)],
        fill=(20, 20, 60),
        width=4,
    )
    page = ImageChops.multiply(page, ink)
    page = page.rotate(0.5, resample=Image.Resampling.BILINEAR, fillcolor="white").filter(ImageFilter.GaussianBlur(0.5))
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=80)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _vnplan(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run(
        [str(pathlib.Path(sys.executable).parent / "vnplan"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_red_stamp_and_seal_stay_out_of_title_and_body(tmp_path: pathlib.Path) -> None:
    image = _scan()
    pdf = tmp_path / "stamped-scan.pdf"
    image.save(pdf, "PDF", resolution=float(DPI))
    png = tmp_path / "stamped-scan.png"
    image.save(png, dpi=(DPI, DPI))
    # The stamp is legible: bare Tesseract reads its number, woven into the page.
    bare = subprocess.run(
        ["tesseract", str(png), "-", "-l", "vie", "--dpi", str(DPI)],
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        check=True,
    ).stdout
    assert "4321" in bare

    text = _vnplan("text", str(pdf))
    assert text.returncode == 0, text.stderr
    assert "4321" not in text.stdout and "ĐẾN" not in text.stdout and "NÔNG" not in text.stdout
    lines = [line.strip() for line in text.stdout.splitlines() if line.strip()]
    title = lines.index("KẾ HOẠCH")
    assert lines[title + 1].startswith("Phát triển nghề dệt")  # the title's next line: no stamp between
    # The black print under the seal is kept, and so is the signer's name stamped in red.
    assert "CHỦ TỊCH" in lines and SIGNER in lines

    run = _vnplan("extract", str(pdf))
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    title = document["metadata"]["title"] or ""
    assert "nghề dệt" in title and "4321" not in title and "ĐẾN" not in title
    assert document["metadata"]["doc_number"] == "57/KH-UBND"
    assert document["metadata"]["signer_name"] == SIGNER
    stamps = [w["message"] for w in document["warnings"] if w["code"] == "stamp_text_set_apart"]
    assert any("4321" in message for message in stamps), document["warnings"]


def test_a_grey_scan_is_read_as_before(tmp_path: pathlib.Path) -> None:
    """Without colour there is nothing to tell a stamp by: the page is read whole, as it was."""
    from pipeline.read.stamps import set_apart_stamps

    image = _scan()
    gray, stamps = set_apart_stamps(image.convert("L"), DPI)
    assert stamps == [] and gray.tobytes() == image.convert("L").tobytes()
    _, colour_stamps = set_apart_stamps(image, DPI)
    assert len(colour_stamps) == 2  # the incoming-mail stamp and the seal
