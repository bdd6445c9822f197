"""Printed-and-scanned plans: what the scan path used to lose on real prints, by class.

- the heads of two documents in one file (a decision, then the plan it issues) repeat the issuer
  and the motto at their page tops; they are the documents' own text, not running headers;
- a foreign name written without marks (`Make in Viet Nam`) keeps its spelling;
- digits Tesseract reads as letters inside a number (`ngày 2l tháng`) are digits again;
- item letters read as another letter or a look-alike sign follow the run of the list;
- a marked word Tesseract put in capitals amid lowercase words is lowercase again, also when a
  number follows it or it ends the OCR line.

Every text here is invented for these tests.
"""

from __future__ import annotations

import io
import pathlib

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from normalizers.restore import correct_ocr_page
from normalizers.text_repair import normalize_pages
from pipeline.model.pages import RawPage
from samples.unmapped_fonts import font_path
from tests.conftest import vnplan_run

DPI = 200
RUNNING = "CÔNG BÁO/Số 17/Ngày 09-03-2028"
ISSUER, MOTTO = "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
DECISION = [
    "QUYẾT ĐỊNH",
    "Ban hành Kế hoạch phát triển thương mại điện tử của tỉnh",
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển thương mại",
    "điện tử của tỉnh năm 2028.",
]
PLAN = [
    "KẾ HOẠCH",
    "Phát triển thương mại điện tử của tỉnh năm 2028",
    "I. MỤC TIÊU",
    "Đưa thương hiệu Make in Viet Nam đến với các hợp tác xã của tỉnh.",
]
BODY = [
    "II. NHIỆM VỤ",
    "1. Sở Công Thương chủ trì tổ chức hội chợ hàng nông sản của tỉnh,",
    "báo cáo kết quả trước ngày 21 tháng 11 năm 2028.",
    "2. Các sở, ngành phối hợp tuyên truyền về sàn giao dịch điện tử.",
]


def _page(head: bool, lines: list[str]) -> Image.Image:
    """One A4 page typeset in Tinos (Times New Roman's metric twin) at 13 pt, printed and scanned:
    the running header on top; on a document's first page the issuer and the motto side by side."""
    size = round(13 / 72 * DPI)
    font = ImageFont.truetype(str(font_path("Tinos-Regular.ttf")), size)
    bold = ImageFont.truetype(str(font_path("Tinos-Bold.ttf")), size)
    page = Image.new("L", (round(8.27 * DPI), round(6 * DPI)), 255)
    draw = ImageDraw.Draw(page)
    y = DPI // 2
    draw.text((DPI, y), RUNNING, font=font, fill=0)
    y += 2 * size
    if head:
        draw.text((DPI, y), ISSUER, font=bold, fill=0)
        draw.text((round(3.3 * DPI), y), MOTTO, font=bold, fill=0)
        y += 2 * size
    for line in lines:
        draw.text((DPI, y), line, font=font, fill=0)
        y += round(1.5 * size)
    page = page.rotate(0.5, resample=Image.Resampling.BILINEAR, fillcolor=255).filter(ImageFilter.GaussianBlur(0.5))
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=75)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def test_a_scanned_decision_and_its_plan_keep_both_heads_and_a_foreign_name(tmp_path: pathlib.Path) -> None:
    pages = [_page(True, DECISION), _page(True, PLAN), _page(False, BODY)]
    pdf = tmp_path / "decision-and-plan.pdf"
    pages[0].save(pdf, "PDF", resolution=float(DPI), save_all=True, append_images=pages[1:])
    text = vnplan_run("text", pdf)
    first, second, third = text.split("\f")[:3]
    for head in (first, second):
        assert "ỦY BAN NHÂN DÂN" in head and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head
    assert "CÔNG BÁO" not in text  # the running header still goes
    assert "Make in Viet Nam" in second
    assert "ngày 21 tháng 11 năm 2028" in third


def test_head_lines_of_two_documents_are_not_running_headers() -> None:
    head = f"{ISSUER}\n{MOTTO}\nĐộc lập - Tự do - Hạnh phúc"
    texts = [
        f"{RUNNING}\n{head}\n" + "\n".join(DECISION),
        f"{RUNNING}\n{head}\n" + "\n".join(PLAN),
        f"{RUNNING}\n" + "\n".join(BODY),
        f"{RUNNING}\n" + "\n".join(BODY[1:]),
        f"{RUNNING}\n" + "\n".join(BODY[2:]),
    ]
    pages = normalize_pages([RawPage(k + 1, "native", t) for k, t in enumerate(texts)], restore=lambda t: (t, False))
    assert all(RUNNING not in p.text for p in pages)
    assert all(p.text.startswith(f"{ISSUER}\n{MOTTO}\n") for p in pages[:2])


def test_a_foreign_name_without_marks_keeps_its_spelling() -> None:
    ocr = "Đưa thương hiệu Make in Viet Nam ra thế giới, xây dựng Smart City tai Việt Nam"
    corrected, _ = correct_ocr_page(ocr)
    assert corrected == "Đưa thương hiệu Make in Viet Nam ra thế giới, xây dựng Smart City tại Việt Nam"
    # Without a foreign word beside it, an unmarked syllable in Vietnamese prose is corrected.
    assert correct_ocr_page("kỷ niệm ngày thành lập nước Viet Nam")[0] == "kỷ niệm ngày thành lập nước Việt Nam"


def test_digits_read_as_letters_inside_a_number_are_digits_again() -> None:
    ocr = "báo cáo trước ngày 2l tháng 1I năm 2028, từ ngày l3/O5/2028 (Phụ lục II, mục Il), quý II/2028"
    corrected, _ = correct_ocr_page(ocr)
    assert corrected == (
        "báo cáo trước ngày 21 tháng 11 năm 2028, từ ngày 13/05/2028 (Phụ lục II, mục Il), quý II/2028"
    )


def test_item_letters_read_as_other_letters_or_signs_follow_the_run() -> None:
    ocr = "\n".join(
        [
            "b) Rà soát quy hoạch;",
            "e) Lập dự toán;",
            "d) Tổ chức nghiệm thu;",
            "đ) Tổng kết;",
            "e) Báo cáo;",
            "ø) Lưu hồ sơ;",
            "h) Công khai;",
            "1) Khen thưởng.",
            "a) Nội dung mới;",
        ]
    )
    corrected, _ = correct_ocr_page(ocr)
    assert [line[:2] for line in corrected.split("\n")] == ["b)", "c)", "d)", "đ)", "e)", "g)", "h)", "i)", "a)"]


def test_a_marked_word_read_in_capitals_amid_lowercase_words_is_lowercase_again() -> None:
    ocr = "\n".join(
        [
            "thực hiện Chỉ thị SỐ 15-CT/TW về phát triển công nghệ",
            "SỐ, nâng sức cạnh tranh VỚI Các hợp tác xã của tỉnh.",
            "II. CHUYỂN ĐỔI SỐ",
            "Giao Sở TÀI CHÍNH chủ trì, ông NGUYỄN VĂN TỐ 12 tuổi",
        ]
    )
    corrected, _ = correct_ocr_page(ocr)
    assert corrected.split("\n") == [
        "thực hiện Chỉ thị số 15-CT/TW về phát triển công nghệ",
        "số, nâng sức cạnh tranh với Các hợp tác xã của tỉnh.",
        "II. CHUYỂN ĐỔI SỐ",
        "Giao Sở TÀI CHÍNH chủ trì, ông NGUYỄN VĂN TỐ 12 tuổi",
    ]
