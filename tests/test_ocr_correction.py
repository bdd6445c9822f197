"""Post-OCR correction of Tesseract `vie` output: stacked marks lost or swapped by the OCR are put
back where the learned channel and the syllable LM agree; correct text is left alone."""

from __future__ import annotations

import io
import lzma
import os
import pathlib
import subprocess
import sys
from difflib import SequenceMatcher

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from normalizers.restore import correct_ocr_page
from samples.unmapped_fonts import font_path

# Invented for these tests.
PLAN = [
    "KẾ HOẠCH",
    "Tổ chức kiểm tra việc chuyển đổi số trong các cơ quan nhà nước năm 2028",
    "Để đẩy mạnh phát triển sản phẩm chủ lực, Ủy ban nhân dân tỉnh ban hành kế hoạch",
    "tổ chức thực hiện như sau. Sở Công Thương chủ trì, phối hợp với các sở, ngành kiểm",
    "soát chất lượng, tổng hợp kết quả, báo cáo trước ngày 15 tháng 11 năm 2028; xử lý",
    "dứt điểm những tồn tại đã được chỉ ra, bảo đảm an toàn phòng chống cháy nổ và",
    "chuyển giao công nghệ cho hợp tác xã, hộ kinh doanh ở vùng sâu, vùng xa.",
]


def _word_share(reference: list[str], got: list[str]) -> float:
    blocks = SequenceMatcher(a=reference, b=got, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(reference)


def test_marks_the_ocr_lost_are_put_back_in_context() -> None:
    ocr = "Sở Công Thương tô chức kiêm tra việc chuyên đôi số, đây mạnh sản phâm chủ lực"
    corrected, changed = correct_ocr_page(ocr)
    assert changed
    assert corrected == "Sở Công Thương tổ chức kiểm tra việc chuyển đổi số, đẩy mạnh sản phẩm chủ lực"


def test_a_page_cut_mid_sentence_is_not_read_as_a_sentence_end() -> None:
    # A page's last line often stops mid-sentence: the word read there must not be pulled towards
    # words that end sentences; what its left context wants decides, as anywhere else.
    page = "\n".join(
        [
            "Văn phòng Ủy ban nhân dân tỉnh theo dõi, đôn đốc các sở thực hiện, tông",
            "hợp kết quả; Sở Khoa học và Công nghệ tăng cường kiểm tra việc châm",
        ]
    )
    # Pages, each ending where the next one goes on; a wrapped line inside a page joins the next.
    assert correct_ocr_page("Sở Tài chính hướng dẫn các cơ quan, tô")[0].endswith("cơ quan, tổ")
    first, last = correct_ocr_page(page)[0].splitlines()
    assert first.endswith("thực hiện, tổng")
    assert last.endswith("kiểm tra việc chấm")
    assert correct_ocr_page("hỗ trợ doanh nghiệp đổi mới sáng tạo, chuyên")[0].endswith("sáng tạo, chuyển")
    # A sentence that does end keeps its ending as read.
    assert correct_ocr_page("Các sở báo cáo kết quả cho Ủy ban nhân dân tỉnh.") == (
        "Các sở báo cáo kết quả cho Ủy ban nhân dân tỉnh.",
        False,
    )


def test_correct_accented_text_is_left_alone() -> None:
    text = "\n".join(PLAN) + "\nCán bộ chuyên môn đề nghị tô màu bản đồ, cô giáo soạn bộ đề thi mẫu."
    assert correct_ocr_page(text) == (text, False)


def test_a_lone_symbol_read_for_a_letter_becomes_the_word_the_context_wants() -> None:
    # Tesseract writes `\\` for a Times `y` it cannot read; typed signs standing alone stay.
    corrected, changed = correct_ocr_page("Sở Y tế mua thẻ bảo hiểm \\ tế cho hộ nghèo - tổng giá 5 € / người")
    assert changed
    assert corrected == "Sở Y tế mua thẻ bảo hiểm y tế cho hộ nghèo - tổng giá 5 € / người"


def test_misread_item_letters_follow_the_run_of_a_lettered_list() -> None:
    ocr = "\n".join(
        [
            "c) Rà soát quy hoạch;",
            "d) Lập dự toán;",
            "©) Tô chức nghiệm thu;",
            "8) Báo cáo kết quả;",
            "g) Lưu hồ sơ:",
            "1) Số liệu tháng;",
            "2) Số liệu năm.",
        ]
    )
    corrected, _ = correct_ocr_page(ocr)
    assert corrected.split("\n") == [
        "c) Rà soát quy hoạch;",
        "d) Lập dự toán;",
        "đ) Tổ chức nghiệm thu;",
        "e) Báo cáo kết quả;",
        "g) Lưu hồ sơ:",
        "1) Số liệu tháng;",
        "2) Số liệu năm.",
    ]


def test_lines_tokens_and_non_words_are_kept() -> None:
    ocr = "Số: 52/KH-UBND  ngày 05/3/2028\n\n| 1 | Kiêm tra | Sở Tài chính |\nUBND các xã tô chức tuyên truyền"
    corrected, _ = correct_ocr_page(ocr)
    assert [line.split() for line in corrected.split("\n")][:2] == [line.split() for line in ocr.split("\n")][:2]
    assert corrected.split("\n")[2] == "| 1 | Kiểm tra | Sở Tài chính |"
    assert corrected.endswith("UBND các xã tổ chức tuyên truyền")


def _scan(lines: list[str], dpi: int) -> Image.Image:
    """The lines typeset in Tinos (Times New Roman's metric twin) at 13 pt, printed and scanned:
    a 1° skew, slight blur, JPEG."""
    size = round(13 / 72 * dpi)
    font = ImageFont.truetype(str(font_path("Tinos-Regular.ttf")), size)
    page = Image.new("L", (round(8.27 * dpi), round(5 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(lines):
        draw.text((dpi, dpi // 2 + i * size * 1.5), line, font=font, fill=0)
    page = page.rotate(1.0, resample=Image.Resampling.BILINEAR, fillcolor=255).filter(ImageFilter.GaussianBlur(0.5))
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=70)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def test_scanned_plan_through_vnplan_text_keeps_its_marks(tmp_path: pathlib.Path) -> None:
    image = _scan(PLAN, 200)
    pdf = tmp_path / "scan.pdf"
    image.convert("RGB").save(pdf, "PDF", resolution=200.0)
    png = tmp_path / "scan.png"
    image.save(png, dpi=(200, 200))
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    bare = subprocess.run(
        ["tesseract", str(png), "-", "-l", "vie", "--dpi", "200"], capture_output=True, text=True, env=env, check=True
    ).stdout
    run = subprocess.run(
        [str(pathlib.Path(sys.executable).parent / "vnplan"), "text", str(pdf)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    reference = " ".join(PLAN).split()
    ours, tesseract = _word_share(reference, run.stdout.split()), _word_share(reference, bare.split())
    assert ours >= 0.98
    assert ours >= tesseract


def test_train_restorer_learns_the_vie_channel(tmp_path: pathlib.Path) -> None:
    doc = "\n".join(PLAN[1:]) + "\n"
    corpus = tmp_path / "tiny.txt.xz"
    with lzma.open(corpus, "wt", encoding="utf-8") as fh:
        fh.write((doc + "\f\n") * 4)
    run = subprocess.run(
        [
            str(pathlib.Path(sys.executable).parent / "vnplan"),
            "train-restorer",
            "--corpus",
            str(corpus),
            "--vie-channel",
            "--lines",
            "12",
            "--out",
            str(tmp_path / "model"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    import json

    counts = json.loads((tmp_path / "model" / "vie_channel.json").read_text(encoding="utf-8"))
    record = json.loads((tmp_path / "model" / "vie_channel.train.json").read_text(encoding="utf-8"))
    assert record["token_pairs"] > 50
    assert sum(counts["ổ"].values()) > 0 and sum(counts["ư"].values()) > 0
