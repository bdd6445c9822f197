"""PDFs whose TrueType fonts are embedded without ToUnicode: the text is decoded through the fonts'
own tables (cmap, glyph names), through the `vnplan` command, without OCR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2
import pytest

from normalizers.unicode_text import text_layer_problem
from samples.unmapped_fonts import unmapped_font_pdf

# Invented for this test.
PARAGRAPHS = [
    "# ỦY BAN NHÂN DÂN TỈNH HƯNG TÂY",
    "# KẾ HOẠCH Thực hiện chuyển đổi số trong hoạt động kiểm định chất lượng nông sản năm 2028",
    "Để đẩy mạnh việc ứng dụng công nghệ số trong kiểm định, bảo đảm truy xuất nguồn gốc sản phẩm và "
    "nâng cao năng lực của đội ngũ cán bộ, Ủy ban nhân dân tỉnh ban hành Kế hoạch tổ chức thực hiện như sau.",
    "# I. MỤC ĐÍCH, YÊU CẦU",
    "1. Phối hợp chặt chẽ giữa các sở, ngành và địa phương; phát huy vai trò của người đứng đầu; "
    "xử lý dứt điểm những tồn tại, hạn chế đã được chỉ ra trong đợt kiểm tra năm trước.",
    "2. Phấn đấu 95% hồ sơ kiểm định được tiếp nhận trực tuyến; giảm ít nhất 30% thời gian chờ đợi "
    "của tổ chức, cá nhân; không để xảy ra tình trạng chậm trễ, gây phiền hà cho người dân.",
    "# II. NHIỆM VỤ VÀ GIẢI PHÁP",
    "Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Khoa học và Công nghệ xây dựng cơ sở dữ liệu "
    "chung về kết quả kiểm nghiệm; hoàn thành trước ngày 15 tháng 9 năm 2028. Ủy ban nhân dân các xã, "
    "phường hướng dẫn hộ sản xuất cập nhật thông tin vùng trồng, bảo đảm đầy đủ, chính xác và kịp thời.",
]


def _words(text: str) -> list[str]:
    return text.replace("#", " ").split()


def _word_share(expected: list[str], got: list[str]) -> float:
    """Share of expected words found in order (longest common subsequence)."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(a=expected, b=got, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)


def _vnplan(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # Only the Python environment on PATH: an OCR call would fail for want of the tesseract binary.
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    vnplan = Path(sys.executable).parent / "vnplan"
    return subprocess.run([str(vnplan), *args], capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)


@pytest.mark.parametrize(
    ("body", "heading", "drop_cmap"),
    [
        ("Tinos-Regular.ttf", "Tinos-Bold.ttf", ()),
        # The heading font keeps only its glyph names (no Unicode cmap left to read backwards).
        ("LiberationSerif-Regular.ttf", "DejaVuSerif-Bold.ttf", ("DejaVuSerif-Bold.ttf",)),
    ],
)
def test_pdf_without_tounicode_is_decoded_through_its_fonts(
    tmp_path: Path, body: str, heading: str, drop_cmap: tuple[str, ...]
) -> None:
    pdf = unmapped_font_pdf(PARAGRAPHS, tmp_path / "plan.pdf", body=body, heading=heading, drop_cmap=drop_cmap)
    with pypdfium2.PdfDocument(pdf) as doc:  # the text layer as a plain reader sees it is garbage
        assert text_layer_problem(doc[0].get_textpage().get_text_range()) is not None

    run = _vnplan("text", str(pdf), tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    expected = _words(" ".join(PARAGRAPHS))
    assert _word_share(expected, run.stdout.split()) >= 0.995


def test_decoded_text_origin_and_warning(tmp_path: Path) -> None:
    pdf = unmapped_font_pdf(PARAGRAPHS, tmp_path / "plan.pdf")
    run = _vnplan("extract", str(pdf), tmp_path=tmp_path)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["source"]["text_origin"] == "native"  # the document's own text layer (the contract's values)
    assert any(w["code"] == "text_layer_decoded_from_fonts" for w in document["warnings"])
    assert document["metadata"]["title"] == (
        "Thực hiện chuyển đổi số trong hoạt động kiểm định chất lượng nông sản năm 2028"
    )
