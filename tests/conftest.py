"""Shared fixtures: real PDFs drawn with reportlab (DejaVu Serif) and scans rendered from them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVuSerif"

# A plan-like body: headings, outline items and paragraphs long enough to wrap.
PLAN_PARAGRAPHS: list[str] = [
    "KẾ HOẠCH",
    "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2026",
    "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia, Ủy ban nhân dân tỉnh ban hành Kế hoạch "
    "thực hiện năm 2026 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "- Cụ thể hóa và tổ chức thực hiện có hiệu quả các mục tiêu, nhiệm vụ và giải pháp chủ yếu về phát "
    "triển khoa học, công nghệ trong phạm vi quản lý nhà nước của Ủy ban nhân dân tỉnh.",
    "- Nâng cao nhận thức của cấp ủy, người đứng đầu các cấp, các ngành, doanh nghiệp và người dân về "
    "vị trí, vai trò của đổi mới sáng tạo trong thúc đẩy tăng trưởng kinh tế - xã hội của tỉnh.",
    "2. Yêu cầu",
    "a) Xác định rõ nhiệm vụ, trách nhiệm của từng sở, ngành, Ủy ban nhân dân cấp xã; đề cao vai trò "
    "người đứng đầu trong lồng ghép và sử dụng hiệu quả các nguồn lực thực hiện.",
]


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSerif.ttf")))
        pdfmetrics.registerFont(TTFont(FONT + "-Bold", str(FONT_DIR / "DejaVuSerif-Bold.ttf")))


def draw_plan_pdf(
    path: Path,
    pages: Sequence[Sequence[str | list[list[str]]]],
    *,
    header: str | None = None,
    page_numbers: bool = True,
    font_size: float = 13,
    encrypt: str | None = None,
) -> Path:
    """A born-digital plan PDF: each page a list of paragraphs; a list of rows is a ruled table."""
    _register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=font_size, leading=font_size * 1.35,
                          alignment=4, firstLineIndent=1 * cm)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=font_size - 2, leading=(font_size - 2) * 1.25)

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setFont(FONT, 10)
        if header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 1.2 * cm, header)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 1.2 * cm, str(doc.page))

    story: list = []
    for i, page in enumerate(pages):
        if i:
            story.append(PageBreak())
        for item in page:
            if isinstance(item, str):
                story.append(Paragraph(item, body))
                story.append(Spacer(1, 4))
            else:
                rows = [[Paragraph(c, cell) for c in row] for row in item]
                table = Table(rows, repeatRows=0)
                table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.7, colors.black),
                                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                story.extend([Spacer(1, 6), table, Spacer(1, 6)])
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=3 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm, encrypt=encrypt)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


def render_pages(pdf_path: Path, dpi: int = 200) -> list[Image.Image]:
    """Rasterize every page, as a scanner would deliver it (grayscale)."""
    pdf = pdfium.PdfDocument(pdf_path)
    try:
        return [page.render(scale=dpi / 72).to_pil().convert("L") for page in pdf]
    finally:
        pdf.close()


def image_only_pdf(images: Sequence[Image.Image], path: Path, dpi: int = 200) -> Path:
    """A scanned PDF: one image per page, no text layer."""
    first, *rest = [im.convert("RGB") for im in images]
    first.save(path, "PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return path


@pytest.fixture(scope="session")
def plan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two born-digital pages with a running header and page numbers."""
    path = tmp_path_factory.mktemp("pdf") / "plan.pdf"
    return draw_plan_pdf(path, [PLAN_PARAGRAPHS, PLAN_PARAGRAPHS[3:]],
                         header="Ủy ban nhân dân tỉnh - Kế hoạch 2026")


TABLE_ROWS: list[list[str]] = [
    ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
    ["1", "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh", "Sở Khoa học và Công nghệ", "Quý II/2026"],
    ["2", "Triển khai nền tảng số dùng chung | kết nối liên thông", "Sở Thông tin và Truyền thông",
     "Năm 2026"],
]


@pytest.fixture(scope="session")
def table_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "table.pdf"
    return draw_plan_pdf(path, [[PLAN_PARAGRAPHS[4], PLAN_PARAGRAPHS[5], TABLE_ROWS, PLAN_PARAGRAPHS[6]]])


@pytest.fixture(scope="session")
def scan_page(tmp_path_factory: pytest.TempPathFactory) -> Image.Image:
    """One short page (large type, so OCR stays fast) rendered to a 200 dpi grayscale image."""
    path = tmp_path_factory.mktemp("scan") / "short.pdf"
    draw_plan_pdf(path, [PLAN_PARAGRAPHS[3:6]], page_numbers=False, font_size=14)
    image = render_pages(path, dpi=200)[0]
    # Crop the empty lower half: less to OCR, same content.
    return image.crop((0, 0, image.width, image.height // 2))


MakePdf = Callable[..., Path]
