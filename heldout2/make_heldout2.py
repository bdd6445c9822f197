# ruff: noqa: E501  (the documents' prose is kept one paragraph a line, as written)
"""Second held-out set: four plan documents written without reading the extractors (heldout2/README.md).

Rendered by a generator of its own, independent of samples/render.py: reportlab platypus with DejaVu
Serif Condensed / Sans / Serif / Sans Condensed, other margins and sizes, the header block as a borderless
two-column table or as canvas text, a landscape appendix, footers "Trang x/y". Also a scan (rasterized,
rotated, noisy, JPEG, image-only PDF), a multi-page TIFF and a diacritic-stripped text. Deterministic.

    .venv/bin/python heldout2/make_heldout2.py             # (re)write heldout2/docs/
    .venv/bin/python heldout2/make_heldout2.py --check     # gold strings must occur in the documents
    .venv/bin/python heldout2/make_heldout2.py --restore   # `vnplan restore` on the stripped text, scored
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
GOLD = HERE / "gold"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

SCAN_STEM = "thainguyen_taisantritue_2021_m1"
TIFF_STEM = "lamdong_khoinghiep_2026_m4"
STRIPPED_STEM = "hatinh_dean06_2023_m3"

# family name → (regular, bold, italic, bold italic) file names
FAMILIES = {
    "DVSerifCond": (
        "DejaVuSerifCondensed",
        "DejaVuSerifCondensed-Bold",
        "DejaVuSerifCondensed-Italic",
        "DejaVuSerifCondensed-BoldItalic",
    ),
    "DVSans": ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"),
    "DVSerif": ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic"),
    "DVSansCond": (
        "DejaVuSansCondensed",
        "DejaVuSansCondensed-Bold",
        "DejaVuSansCondensed-Oblique",
        "DejaVuSansCondensed-BoldOblique",
    ),
}


def register_fonts() -> None:
    for family, files in FAMILIES.items():
        names = [family, f"{family}-B", f"{family}-I", f"{family}-BI"]
        for name, file in zip(names, files, strict=True):
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / f"{file}.ttf")))
        pdfmetrics.registerFontFamily(family, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3])


# --- Documents ---------------------------------------------------------------------------------------
# Body markup, one paragraph a line: "## " bold heading, "### " bold-italic heading, "@t:key" a table,
# anything else a justified paragraph.


@dataclass(frozen=True)
class Layout:
    family: str
    size: float
    leading: float
    margins: tuple[float, float, float, float]  # left, right, top, bottom (points)
    header: str  # "table" | "canvas"
    footer_align: str  # "center" | "right"


@dataclass(frozen=True)
class TableSpec:
    header: list[str]
    widths: list[float]  # fractions of the frame width
    rows: list[list[str]]  # a row ["§", label, text] is a group heading spanning the columns
    size: float = 9.0


@dataclass(frozen=True)
class Plan:
    stem: str
    issuer: list[str]
    number: str
    place_date: str
    title: list[str]
    preamble: list[str]
    body: str
    tables: dict[str, TableSpec]
    recipients: list[str]
    signer: list[str]  # capitalised title lines, then the name ("" for none)
    layout: Layout
    appendix: tuple[list[str], str, bool] | None = None  # (title lines, table key, landscape)
    extra: dict[str, Any] = field(default_factory=dict)


M1 = Plan(
    stem="thainguyen_taisantritue_2021_m1",
    issuer=["ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"],
    number="Số: 148/KH-UBND",
    place_date="Thái Nguyên, ngày 16 tháng 9 năm 2021",
    title=[
        "Thực hiện Chương trình phát triển tài sản trí tuệ đến năm 2030",
        "trên địa bàn tỉnh Thái Nguyên giai đoạn 2021 - 2025",
    ],
    preamble=[
        "Căn cứ Luật Sở hữu trí tuệ số 50/2005/QH11 ngày 29 tháng 11 năm 2005; Luật số 36/2009/QH12 ngày 19 "
        "tháng 6 năm 2009 sửa đổi, bổ sung một số điều của Luật Sở hữu trí tuệ;",
        "Căn cứ Nghị định số 103/2006/NĐ-CP ngày 22 tháng 9 năm 2006 của Chính phủ quy định chi tiết và hướng "
        "dẫn thi hành một số điều của Luật Sở hữu trí tuệ về sở hữu công nghiệp;",
        "Căn cứ Quyết định số 1068/QĐ-TTg ngày 22 tháng 8 năm 2019 của Thủ tướng Chính phủ phê duyệt Chiến lược "
        "sở hữu trí tuệ đến năm 2030; Quyết định số 2205/QĐ-TTg ngày 24 tháng 12 năm 2020 của Thủ tướng Chính "
        "phủ phê duyệt Chương trình phát triển tài sản trí tuệ đến năm 2030;",
        "Căn cứ Thông tư số 03/2021/TT-BKHCN ngày 26 tháng 3 năm 2021 của Bộ trưởng Bộ Khoa học và Công nghệ "
        "quy định quản lý Chương trình phát triển tài sản trí tuệ đến năm 2030;",
        "Xét đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số 62/TTr-SKHCN ngày 30 tháng 8 năm "
        "2021, Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện Chương trình phát triển tài sản trí tuệ đến năm "
        "2030 trên địa bàn tỉnh giai đoạn 2021 - 2025 như sau:",
    ],
    body="""
## I. MỤC TIÊU
### 1. Mục tiêu chung
Nâng cao nhận thức và năng lực của tổ chức, cá nhân trên địa bàn tỉnh trong việc tạo lập, xác lập, khai thác, quản lý và bảo vệ tài sản trí tuệ; phát triển tài sản trí tuệ thành nguồn lực quan trọng góp phần nâng cao năng lực cạnh tranh của sản phẩm, doanh nghiệp và nền kinh tế của tỉnh, trọng tâm là sản phẩm chè, nông sản đặc sản và sản phẩm công nghiệp hỗ trợ.
### 2. Mục tiêu cụ thể đến năm 2025
a) Số lượng đơn đăng ký sáng chế, giải pháp hữu ích của tổ chức, cá nhân trên địa bàn tỉnh tăng 20% so với giai đoạn 2016 - 2020.
b) Có ít nhất 15 sản phẩm chủ lực, đặc sản của tỉnh được bảo hộ dưới dạng nhãn hiệu tập thể, nhãn hiệu chứng nhận hoặc chỉ dẫn địa lý.
c) Không dưới 60% sản phẩm OCOP đạt từ 3 sao trở lên được hỗ trợ xác lập quyền sở hữu công nghiệp.
d) Tối thiểu 50 doanh nghiệp, hợp tác xã được tập huấn, hướng dẫn về quản trị tài sản trí tuệ.
đ) Số vụ việc xâm phạm quyền sở hữu trí tuệ đối với sản phẩm chè Thái Nguyên giảm 15% so với năm 2020.
### 3. Định hướng đến năm 2030
Đến năm 2030, 100% sản phẩm chủ lực cấp tỉnh được bảo hộ quyền sở hữu trí tuệ; số văn bằng bảo hộ sáng chế cấp cho tổ chức, cá nhân trên địa bàn tỉnh đạt trên 40 văn bằng.
## II. NHIỆM VỤ VÀ GIẢI PHÁP
### 1. Nâng cao nhận thức về vai trò của tài sản trí tuệ
Đa dạng hóa hình thức tuyên truyền, phổ biến pháp luật về sở hữu trí tuệ; lồng ghép nội dung sở hữu trí tuệ vào các chương trình khuyến công, khuyến nông, xây dựng nông thôn mới và Chương trình Mỗi xã một sản phẩm.
### 2. Hỗ trợ tạo lập, xác lập và khai thác tài sản trí tuệ
Ưu tiên hỗ trợ xác lập quyền đối với nhãn hiệu, chỉ dẫn địa lý cho sản phẩm chè và các nông sản đặc sản; khuyến khích khai thác thông tin sáng chế, thương mại hóa kết quả nghiên cứu của các trường đại học, viện nghiên cứu trên địa bàn.
### 3. Tăng cường bảo vệ quyền sở hữu trí tuệ
Phối hợp chặt chẽ giữa các lực lượng chức năng trong kiểm tra, xử lý hành vi xâm phạm quyền sở hữu trí tuệ, nhất là đối với sản phẩm mang nhãn hiệu, chỉ dẫn địa lý của tỉnh.
Các nhiệm vụ cụ thể, cơ quan chủ trì, cơ quan phối hợp và thời gian thực hiện tại Phụ lục kèm theo Kế hoạch này.
## III. KINH PHÍ THỰC HIỆN
Tổng kinh phí dự kiến thực hiện Kế hoạch giai đoạn 2021 - 2025 là 12.750 triệu đồng, trong đó:
- Ngân sách sự nghiệp khoa học và công nghệ của tỉnh: 9.250 triệu đồng;
- Ngân sách trung ương hỗ trợ thông qua các dự án thuộc Chương trình phát triển tài sản trí tuệ: 2.500 triệu đồng;
- Vốn đối ứng của doanh nghiệp, hợp tác xã và các nguồn hợp pháp khác: 1.000 triệu đồng.
## IV. TỔ CHỨC THỰC HIỆN
### 1. Sở Khoa học và Công nghệ
Là cơ quan thường trực, chủ trì, phối hợp với các sở, ban, ngành, UBND các huyện, thị xã, thành phố tổ chức triển khai Kế hoạch; hướng dẫn các tổ chức, cá nhân xây dựng và đề xuất dự án thuộc Chương trình phát triển tài sản trí tuệ; tổng hợp, báo cáo Ủy ban nhân dân tỉnh và Bộ Khoa học và Công nghệ kết quả thực hiện trước ngày 15 tháng 12 hằng năm.
### 2. Sở Tài chính
Chủ trì, phối hợp với Sở Khoa học và Công nghệ, Sở KH&ĐT tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí thực hiện Kế hoạch theo quy định của Luật Ngân sách nhà nước.
### 3. Sở Nông nghiệp và Phát triển nông thôn
Phối hợp với Sở Khoa học và Công nghệ lựa chọn sản phẩm nông nghiệp chủ lực, đặc sản để hỗ trợ đăng ký bảo hộ; lồng ghép hoạt động phát triển tài sản trí tuệ với Chương trình Mỗi xã một sản phẩm (OCOP) của tỉnh.
### 4. Sở Công Thương
Chủ trì hướng dẫn doanh nghiệp công nghiệp nông thôn, doanh nghiệp xuất khẩu xây dựng và bảo vệ nhãn hiệu; phối hợp với Cục Quản lý thị trường tỉnh và Công an tỉnh kiểm soát hàng giả, hàng xâm phạm quyền sở hữu trí tuệ trên thị trường.
### 5. UBND các huyện, thị xã, thành phố
Căn cứ Kế hoạch này, chỉ đạo các phòng chuyên môn rà soát, đề xuất sản phẩm đặc thù của địa phương cần hỗ trợ bảo hộ; báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 30 tháng 11 hằng năm.
Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị kịp thời phản ánh về Sở Khoa học và Công nghệ để tổng hợp, báo cáo Ủy ban nhân dân tỉnh xem xét, điều chỉnh cho phù hợp./.
""",
    tables={
        "tasks": TableSpec(
            header=["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Sản phẩm"],
            widths=[0.06, 0.32, 0.13, 0.19, 0.13, 0.17],
            rows=[
                ["§", "I", "Nâng cao nhận thức, năng lực về sở hữu trí tuệ"],
                [
                    "1",
                    "Tổ chức hội nghị, lớp tập huấn phổ biến kiến thức về sở hữu trí tuệ cho doanh nghiệp, "
                    "hợp tác xã, hộ sản xuất",
                    "Sở KH&CN",
                    "Sở Công Thương, Liên minh HTX tỉnh",
                    "Hằng năm từ 2022",
                    "Hội nghị, lớp tập huấn",
                ],
                [
                    "2",
                    'Xây dựng chuyên mục "Sở hữu trí tuệ và phát triển" trên Báo Thái Nguyên và Đài PT-TH tỉnh',
                    "Sở KH&CN",
                    "Báo Thái Nguyên, Đài PT-TH tỉnh",
                    "Quý III/2022",
                    "Chuyên mục định kỳ hằng tháng",
                ],
                [
                    "3",
                    "Lồng ghép nội dung sở hữu trí tuệ vào chương trình đào tạo tại các trường đại học, cao "
                    "đẳng trên địa bàn",
                    "Đại học Thái Nguyên",
                    "Sở GD&ĐT, Sở LĐ-TB&XH",
                    "2022 - 2023",
                    "Học phần, chuyên đề về sở hữu trí tuệ",
                ],
                ["§", "II", "Hỗ trợ xác lập, khai thác, quản lý tài sản trí tuệ"],
                [
                    "4",
                    "Hỗ trợ đăng ký bảo hộ nhãn hiệu chứng nhận cho sản phẩm chè của các vùng chè đặc sản "
                    "Tân Cương, La Bằng, Trại Cài",
                    "Sở KH&CN",
                    "UBND thành phố Thái Nguyên, UBND huyện Đại Từ, UBND huyện Đồng Hỷ",
                    "Tháng 3/2022 - Tháng 12/2023",
                    "Giấy chứng nhận đăng ký nhãn hiệu",
                ],
                [
                    "5",
                    'Xây dựng hồ sơ đăng ký và quy chế quản lý chỉ dẫn địa lý "Thái Nguyên" cho sản phẩm chè',
                    "Sở KH&CN",
                    "Sở NN&PTNT, Hiệp hội Chè Thái Nguyên",
                    "Năm 2024",
                    "Hồ sơ đăng ký chỉ dẫn địa lý; Quy chế quản lý",
                ],
                [
                    "6",
                    "Hỗ trợ doanh nghiệp khai thác thông tin sáng chế phục vụ đổi mới công nghệ",
                    "Sở KH&CN",
                    "Sở Công Thương, BQL các KCN tỉnh",
                    "6 tháng cuối năm 2022",
                    "Báo cáo khai thác thông tin sáng chế",
                ],
                [
                    "7",
                    "Hỗ trợ đăng ký bảo hộ sáng chế, giải pháp hữu ích cho kết quả nghiên cứu của các trường "
                    "đại học, viện nghiên cứu",
                    "Đại học Thái Nguyên",
                    "Sở KH&CN",
                    "Từ năm 2022 trở đi",
                    "Đơn đăng ký được chấp nhận hợp lệ",
                ],
                ["§", "III", "Bảo vệ quyền sở hữu trí tuệ"],
                [
                    "8",
                    "Kiểm tra, xử lý hành vi xâm phạm quyền sở hữu công nghiệp đối với sản phẩm mang nhãn "
                    "hiệu, chỉ dẫn địa lý của tỉnh",
                    "Sở KH&CN",
                    "Công an tỉnh, Cục Quản lý thị trường tỉnh",
                    "Thường xuyên",
                    "Báo cáo kết quả kiểm tra",
                ],
                [
                    "9",
                    "Xây dựng cơ sở dữ liệu tài sản trí tuệ của tỉnh, tích hợp trên Cổng thông tin điện tử tỉnh",
                    "Sở TT&TT",
                    "Sở KH&CN",
                    "Quý IV/2022 – Quý II/2023",
                    "Cơ sở dữ liệu tài sản trí tuệ",
                ],
                ["§", "IV", "Theo dõi, đánh giá"],
                [
                    "10",
                    "Sơ kết 03 năm thực hiện Kế hoạch",
                    "Sở KH&CN",
                    "Các sở, ban, ngành; UBND các huyện, thị xã, thành phố",
                    "Tháng 11/2023",
                    "Báo cáo sơ kết",
                ],
                [
                    "11",
                    "Tổng kết thực hiện Kế hoạch giai đoạn 2021 - 2025, đề xuất nhiệm vụ giai đoạn 2026 - 2030",
                    "Sở KH&CN",
                    "Sở KH&ĐT, Sở Tài chính",
                    "Quý IV/2025",
                    "Báo cáo tổng kết",
                ],
            ],
        ),
    },
    recipients=[
        "- Bộ Khoa học và Công nghệ (b/c);",
        "- Cục Sở hữu trí tuệ;",
        "- TT Tỉnh ủy, TT HĐND tỉnh;",
        "- Chủ tịch, các PCT UBND tỉnh;",
        "- Như mục IV;",
        "- Lưu: VT, KGVX.",
    ],
    signer=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Thanh Hải"],
    layout=Layout("DVSerifCond", 12.5, 16.5, (3 * cm, 2 * cm, 2 * cm, 2.2 * cm), "table", "center"),
    appendix=(
        [
            "Phụ lục",
            "NHIỆM VỤ CỤ THỂ THỰC HIỆN CHƯƠNG TRÌNH PHÁT TRIỂN TÀI SẢN TRÍ TUỆ GIAI ĐOẠN 2021 - 2025",
            "(Kèm theo Kế hoạch số 148/KH-UBND ngày 16/9/2021 của UBND tỉnh Thái Nguyên)",
        ],
        "tasks",
        False,
    ),
)

M2 = Plan(
    stem="cantho_ai_2025_m2",
    issuer=["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ"],
    number="Số:        /KH-UBND",
    place_date="Cần Thơ, ngày       tháng 10 năm 2025",
    title=[
        "Ứng dụng trí tuệ nhân tạo trong hoạt động của cơ quan nhà nước",
        "và phát triển kinh tế số thành phố Cần Thơ giai đoạn 2025 - 2027",
    ],
    preamble=[
        "Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo số 93/2025/QH15 ngày 27 tháng 6 năm 2025;",
        "Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển khoa "
        "học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;",
        "Căn cứ Quyết định số 127/QĐ-TTg ngày 26 tháng 01 năm 2021 của Thủ tướng Chính phủ ban hành Chiến lược "
        "quốc gia về nghiên cứu, phát triển và ứng dụng trí tuệ nhân tạo đến năm 2030;",
        "Căn cứ Chỉ thị số 07/CT-TTg ngày 14 tháng 3 năm 2025 của Thủ tướng Chính phủ về đẩy mạnh ứng dụng trí "
        "tuệ nhân tạo trong hoạt động của cơ quan hành chính nhà nước;",
        "Căn cứ Công văn số 3346/BKHCN-CNS ngày 02 tháng 9 năm 2025 của Bộ Khoa học và Công nghệ về việc hướng "
        "dẫn triển khai ứng dụng trí tuệ nhân tạo tại địa phương;",
        "Thực hiện Chương trình hành động số 12-CTr/TU ngày 15 tháng 8 năm 2025 của Ban Thường vụ Thành ủy Cần "
        "Thơ về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số;",
        "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số 215/TTr-SKHCN ngày 29 tháng 9 năm "
        "2025, Ủy ban nhân dân thành phố ban hành Kế hoạch như sau:",
    ],
    body="""
## Phần I. MỤC ĐÍCH, YÊU CẦU
1/ Cụ thể hóa các nhiệm vụ ứng dụng trí tuệ nhân tạo (AI) theo Nghị quyết số 57-NQ/TW của Bộ Chính trị phù hợp với điều kiện của thành phố Cần Thơ sau sắp xếp đơn vị hành chính; xác định rõ nhiệm vụ, lộ trình và trách nhiệm của từng cơ quan, đơn vị.
2/ Ứng dụng AI phải bảo đảm an toàn thông tin, bảo vệ dữ liệu cá nhân, lấy người dân và doanh nghiệp làm trung tâm; ưu tiên sử dụng nền tảng, sản phẩm AI do doanh nghiệp Việt Nam phát triển.
## Phần II. MỤC TIÊU
### Mục 1. Mục tiêu chung
Đưa AI trở thành công cụ hỗ trợ thiết yếu trong chỉ đạo, điều hành và cung cấp dịch vụ công của các cơ quan nhà nước thành phố; hình thành hệ sinh thái doanh nghiệp ứng dụng AI, góp phần phát triển kinh tế số vùng Đồng bằng sông Cửu Long.
### Mục 2. Chỉ tiêu cụ thể
a/ Các chỉ tiêu theo từng năm:
@t:targets
b/ Đến hết năm 2027, thời gian xử lý hồ sơ thủ tục hành chính trực tuyến giảm ít nhất 20% so với năm 2024.
c/ Tỷ lệ lỗi nhận dạng văn bản tiếng Việt của hệ thống số hóa hồ sơ, tài liệu dưới 3% vào năm 2026.
d/ Đến năm 2027, tỷ lệ ý kiến đánh giá không hài lòng đối với nội dung trả lời tự động của chatbot không quá 5%.
đ/ Đến năm 2027, hình thành ít nhất 02 sản phẩm AI mang thương hiệu "Make in Cần Thơ" được ứng dụng rộng rãi.
## Phần III. NHIỆM VỤ, GIẢI PHÁP
### Mục 1. Hoàn thiện hạ tầng dữ liệu phục vụ AI
Chuẩn hóa, làm sạch và kết nối các cơ sở dữ liệu chuyên ngành của thành phố; ưu tiên dữ liệu văn bản hành chính, dữ liệu đất đai, dữ liệu nông nghiệp và dữ liệu giao thông.
### Mục 2. Ứng dụng AI trong cơ quan nhà nước
Triển khai trợ lý ảo, chatbot, camera AI theo lộ trình; mỗi ứng dụng phải được đánh giá an toàn thông tin trước khi đưa vào vận hành.
### Mục 3. Phát triển doanh nghiệp và nhân lực AI
Hỗ trợ doanh nghiệp nhỏ và vừa ứng dụng AI; đặt hàng nhiệm vụ khoa học và công nghệ về AI; đào tạo, bồi dưỡng nhân lực số cho khu vực công. Danh mục nhiệm vụ cụ thể tại Phụ lục kèm theo.
## Phần IV. KINH PHÍ THỰC HIỆN
1/ Tổng kinh phí dự kiến giai đoạn 2025 - 2027 là 48,6 tỷ đồng, gồm:
a/ Ngân sách thành phố: 32,4 tỷ đồng, trong đó kinh phí đào tạo, bồi dưỡng nhân lực AI cho khu vực công là 1.850 triệu đồng;
b/ Nguồn xã hội hóa và các nguồn huy động hợp pháp khác: 16,2 tỷ đồng.
2/ Kinh phí được bố trí trong dự toán ngân sách của các cơ quan, đơn vị theo phân cấp ngân sách hiện hành.
## Phần V. TỔ CHỨC THỰC HIỆN
1/ Sở Khoa học và Công nghệ: Là cơ quan thường trực giúp Ủy ban nhân dân thành phố theo dõi, đôn đốc triển khai Kế hoạch; hướng dẫn kỹ thuật, bảo đảm kết nối các ứng dụng AI với Nền tảng tích hợp, chia sẻ dữ liệu của thành phố; tổng hợp, báo cáo kết quả thực hiện trước ngày 05 tháng 12 hằng năm.
2/ Sở Tài chính: Chủ trì, phối hợp với Sở Khoa học và Công nghệ tham mưu bố trí kinh phí thực hiện Kế hoạch theo phân cấp ngân sách hiện hành; hướng dẫn thanh toán, quyết toán kinh phí theo quy định.
3/ Sở Nội vụ: Đưa nội dung bồi dưỡng kỹ năng ứng dụng AI vào kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức; gắn kết quả ứng dụng AI với đánh giá, xếp loại cơ quan, đơn vị.
4/ Công an thành phố: Chủ trì bảo đảm an ninh mạng, bảo vệ dữ liệu cá nhân trong quá trình triển khai các ứng dụng AI; phối hợp với Sở Khoa học và Công nghệ kiểm tra an toàn thông tin các hệ thống trước khi đưa vào vận hành.
5/ Các trường đại học, cao đẳng trên địa bàn thành phố: Phối hợp với Sở Khoa học và Công nghệ đào tạo nhân lực AI, chuyển giao kết quả nghiên cứu cho doanh nghiệp và cơ quan nhà nước.
6/ UBND cấp xã: Triển khai các ứng dụng AI dùng chung do thành phố cung cấp; cập nhật, chuẩn hóa dữ liệu thuộc phạm vi quản lý; báo cáo kết quả về Sở Khoa học và Công nghệ trước ngày 30 tháng 11 hằng năm./.
""",
    tables={
        "targets": TableSpec(
            header=["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025", "Năm 2026", "Năm 2027"],
            widths=[0.07, 0.49, 0.14, 0.10, 0.10, 0.10],
            rows=[
                [
                    "1",
                    "Tỷ lệ cơ quan chuyên môn thuộc UBND thành phố sử dụng trợ lý ảo AI hỗ trợ xử lý công việc",
                    "%",
                    "30",
                    "60",
                    "100",
                ],
                [
                    "2",
                    "Số hệ thống thông tin, nền tảng số của thành phố có tích hợp chức năng AI",
                    "hệ thống",
                    "3",
                    "6",
                    "10",
                ],
                ["3", "Tỷ lệ thủ tục hành chính được hỗ trợ trả lời tự động bằng chatbot", "%", "≥ 50", "≥ 70", "≥ 90"],
                [
                    "4",
                    "Số doanh nghiệp được hỗ trợ ứng dụng AI trong sản xuất, kinh doanh",
                    "doanh nghiệp",
                    "20",
                    "50",
                    "100",
                ],
                [
                    "5",
                    "Số lượt cán bộ, công chức, viên chức được bồi dưỡng kỹ năng sử dụng AI",
                    "lượt người",
                    "500",
                    "1.500",
                    "3.000",
                ],
            ],
            size=9.5,
        ),
        "tasks": TableSpec(
            header=[
                "TT",
                "Tên nhiệm vụ",
                "Thời gian hoàn thành",
                "Đơn vị chủ trì",
                "Đơn vị phối hợp",
                "Kết quả, sản phẩm",
            ],
            widths=[0.05, 0.30, 0.12, 0.15, 0.20, 0.18],
            rows=[
                ["§", "A", "NHIỆM VỤ TRONG CƠ QUAN NHÀ NƯỚC"],
                [
                    "1",
                    "Xây dựng kho dữ liệu văn bản hành chính dùng chung phục vụ huấn luyện, tinh chỉnh mô hình AI",
                    "Quý IV/2025",
                    "Sở KH&CN",
                    "Văn phòng UBND thành phố, Sở Nội vụ",
                    "Kho dữ liệu được đưa vào vận hành",
                ],
                [
                    "2",
                    "Triển khai trợ lý ảo hỗ trợ cán bộ, công chức soạn thảo, tra cứu văn bản",
                    "Q1/2026 – Q3/2026",
                    "Văn phòng UBND thành phố",
                    "Sở KH&CN",
                    "Trợ lý ảo dùng chung cho các cơ quan nhà nước",
                ],
                [
                    "3",
                    "Triển khai chatbot trả lời tự động về thủ tục hành chính trên Cổng dịch vụ công thành phố",
                    "Tháng 6/2026",
                    "Trung tâm Phục vụ hành chính công thành phố",
                    "Sở KH&CN, UBND cấp xã",
                    "Chatbot được tích hợp trên Cổng dịch vụ công",
                ],
                [
                    "4",
                    "Ứng dụng camera AI giám sát giao thông, an ninh trật tự tại các nút giao trọng điểm",
                    "2026 - 2027",
                    "Công an thành phố",
                    "Sở Xây dựng, UBND cấp xã",
                    "Hệ thống camera AI kết nối Trung tâm giám sát, điều hành đô thị thông minh",
                ],
                [
                    "5",
                    "Tổng kết, đánh giá kết quả thực hiện Kế hoạch; đề xuất nhiệm vụ giai đoạn tiếp theo",
                    "Tháng 11 - 12/2027",
                    "Sở KH&CN",
                    "Các sở, ban, ngành; UBND cấp xã",
                    "Báo cáo tổng kết",
                ],
                ["§", "B", "NHIỆM VỤ HỖ TRỢ DOANH NGHIỆP, PHÁT TRIỂN NHÂN LỰC"],
                [
                    "6",
                    "Hỗ trợ doanh nghiệp nhỏ và vừa ứng dụng AI trong sản xuất, kinh doanh, truy xuất nguồn gốc "
                    "nông sản",
                    "Hằng năm",
                    "Sở KH&CN",
                    "Sở Công Thương, Sở Nông nghiệp và Môi trường, Hiệp hội Doanh nghiệp thành phố",
                    "Doanh nghiệp được hỗ trợ theo chỉ tiêu từng năm",
                ],
                [
                    "7",
                    "Đào tạo, bồi dưỡng kỹ năng ứng dụng AI cho cán bộ, công chức, viên chức",
                    "Hằng năm từ 2025",
                    "Sở Nội vụ",
                    "Sở KH&CN, Trường Chính trị thành phố",
                    "Lớp bồi dưỡng",
                ],
                [
                    "8",
                    "Đặt hàng nhiệm vụ khoa học và công nghệ về AI xử lý tiếng Việt, phương ngữ Nam Bộ",
                    "2025 - 2027",
                    "Sở KH&CN",
                    "Trường Đại học Cần Thơ, các trường đại học, cao đẳng trên địa bàn",
                    "Mô hình, bộ dữ liệu được công bố",
                ],
                [
                    "9",
                    "Bảo đảm an toàn thông tin, an ninh mạng cho các hệ thống ứng dụng AI",
                    "Thường xuyên",
                    "Công an thành phố",
                    "Sở KH&CN",
                    "Báo cáo đánh giá an toàn thông tin",
                ],
            ],
            size=9.5,
        ),
    },
    recipients=[
        "- Bộ Khoa học và Công nghệ;",
        "- TT Thành ủy, TT HĐND thành phố;",
        "- CT, các PCT UBND thành phố;",
        "- Các sở, ban, ngành thành phố;",
        "- UBND các xã, phường;",
        "- Lưu: VT, KT.",
    ],
    signer=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trương Minh Tuấn"],
    layout=Layout("DVSans", 10.5, 14.5, (2.5 * cm, 2.5 * cm, 2.5 * cm, 2.5 * cm), "table", "right"),
    appendix=(
        [
            "Phụ lục",
            "DANH MỤC NHIỆM VỤ ỨNG DỤNG TRÍ TUỆ NHÂN TẠO GIAI ĐOẠN 2025 - 2027",
            "(Kèm theo Kế hoạch số       /KH-UBND ngày      tháng 10 năm 2025 của UBND thành phố Cần Thơ)",
        ],
        "tasks",
        True,
    ),
)

M3 = Plan(
    stem="hatinh_dean06_2023_m3",
    issuer=["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"],
    number="Số: 35/KH-UBND",
    place_date="Hà Tĩnh, ngày 08 tháng 02 năm 2023",
    title=[
        "Triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử",
        "phục vụ chuyển đổi số quốc gia (Đề án 06) trên địa bàn tỉnh Hà Tĩnh năm 2023",
    ],
    preamble=[
        "Thực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ phê duyệt Đề án phát triển "
        "ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn "
        "2022 - 2025, tầm nhìn đến năm 2030 (sau đây gọi là Đề án 06); Nghị định số 59/2022/NĐ-CP ngày "
        "05/9/2022 của Chính phủ quy định về định danh và xác thực điện tử; Kế hoạch số 208/KH-UBND ngày "
        "10/6/2022 của UBND tỉnh triển khai Đề án 06 trên địa bàn tỉnh giai đoạn 2022 - 2025;",
        "Thực hiện Công văn số 12/TCTTKĐA ngày 30/01/2023 của Tổ công tác triển khai Đề án 06 của Chính phủ về "
        "nhiệm vụ trọng tâm năm 2023;",
        "Xét đề nghị của Giám đốc Công an tỉnh tại Tờ trình số 41/TTr-CAT-PC06 ngày 01/02/2023, Ủy ban nhân dân "
        "tỉnh ban hành Kế hoạch triển khai Đề án 06 năm 2023 như sau:",
    ],
    body="""
## 1. MỤC ĐÍCH, YÊU CẦU
1.1. Tiếp tục triển khai quyết liệt, hiệu quả Đề án 06 trên địa bàn tỉnh; phát huy vai trò của Cơ sở dữ liệu quốc gia về dân cư trong giải quyết thủ tục hành chính, phát triển kinh tế - xã hội và bảo đảm an ninh, trật tự.
1.2. Xác định rõ nhiệm vụ, thời hạn hoàn thành và trách nhiệm của người đứng đầu các cơ quan, đơn vị, địa phương.
## 2. CHỈ TIÊU NĂM 2023
+ 100% công dân từ đủ 14 tuổi trở lên thuộc diện cấp được cấp thẻ Căn cước công dân gắn chip điện tử.
+ Tỷ lệ công dân từ đủ 14 tuổi trở lên kích hoạt tài khoản định danh điện tử mức độ 2 đạt trên 60%.
+ Tối thiểu 80% hồ sơ thủ tục hành chính thuộc 25 dịch vụ công thiết yếu được tiếp nhận, giải quyết trực tuyến toàn trình.
+ Tỷ lệ hồ sơ phải yêu cầu người dân cung cấp lại giấy tờ đã có trong Cơ sở dữ liệu quốc gia về dân cư không quá 5%.
+ Thời gian giải quyết thủ tục đăng ký thường trú giảm ít nhất 30% so với năm 2022.
+ 100% cơ sở khám bệnh, chữa bệnh có kết nối thông tuyến bảo hiểm y tế chấp nhận thẻ Căn cước công dân gắn chip thay thẻ bảo hiểm y tế.
+ Có ít nhất 150.000 người hưởng chính sách an sinh xã hội được chi trả qua tài khoản ngân hàng, ví điện tử.
## 3. NHIỆM VỤ CỤ THỂ
### 3.1. Công an tỉnh
+ Chủ trì, phối hợp với UBND cấp huyện tổ chức cấp thẻ Căn cước công dân gắn chip lưu động tại các xã vùng sâu, vùng xa, cấp tại nhà cho người già yếu, bệnh tật. Thời gian hoàn thành: trước ngày 30/6/2023.
+ Chủ trì, phối hợp với Sở Thông tin và Truyền thông hướng dẫn người dân cài đặt, kích hoạt tài khoản định danh điện tử mức độ 2 trên ứng dụng VNeID. Thời gian thực hiện: Quý I - Quý II/2023.
+ Rà soát, làm sạch dữ liệu dân cư, bảo đảm dữ liệu "đúng, đủ, sạch, sống" theo Thông tư số 59/2021/TT-BCA của Bộ Công an. Thời gian thực hiện: thường xuyên.
### 3.2. Sở Thông tin và Truyền thông
+ Chủ trì nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính tỉnh, kết nối, khai thác Cơ sở dữ liệu quốc gia về dân cư qua Nền tảng tích hợp, chia sẻ dữ liệu của tỉnh (LGSP). Hoàn thành trong tháng 4/2023.
+ Phối hợp với Đài PT-TH Hà Tĩnh, Báo Hà Tĩnh xây dựng chuyên trang, chuyên mục tuyên truyền về lợi ích của Đề án 06 và ứng dụng VNeID. Thời gian thực hiện: thường xuyên.
### 3.3. Văn phòng UBND tỉnh
Chủ trì rà soát, tái cấu trúc quy trình, cắt giảm thành phần hồ sơ của 25 dịch vụ công thiết yếu theo Đề án 06; hoàn thành trong 6 tháng đầu năm 2023.
### 3.4. Sở Y tế
Chủ trì, phối hợp với Bảo hiểm xã hội tỉnh chỉ đạo các cơ sở khám bệnh, chữa bệnh triển khai khám chữa bệnh bằng thẻ Căn cước công dân gắn chip; hoàn thành trong Quý III/2023.
### 3.5. Sở LĐ-TB&XH
Chủ trì, phối hợp với Ngân hàng Nhà nước chi nhánh tỉnh Hà Tĩnh triển khai chi trả chính sách an sinh xã hội không dùng tiền mặt. Thời gian thực hiện: năm 2023.
### 3.6. Sở Tư pháp
Chủ trì số hóa, chuẩn hóa dữ liệu hộ tịch điện tử, kết nối với Cơ sở dữ liệu quốc gia về dân cư; thời gian thực hiện từ tháng 3/2023 đến tháng 9/2023.
### 3.7. Bảo hiểm xã hội tỉnh
Phối hợp với Công an tỉnh đối soát, đồng bộ dữ liệu người tham gia bảo hiểm xã hội, bảo hiểm y tế với Cơ sở dữ liệu quốc gia về dân cư; hoàn thành trong Quý II/2023.
### 3.8. UBND cấp huyện
Chỉ đạo bộ phận tiếp nhận và trả kết quả cấp huyện, cấp xã khai thác, sử dụng thông tin công dân trên ứng dụng VNeID thay cho yêu cầu xuất trình giấy tờ; báo cáo kết quả thực hiện về Công an tỉnh trước ngày 25/11/2023.
## 4. KINH PHÍ THỰC HIỆN
Kinh phí thực hiện Kế hoạch được bố trí từ nguồn ngân sách nhà nước theo phân cấp hiện hành, lồng ghép trong các chương trình, dự án về chuyển đổi số và các nguồn hợp pháp khác.
## 5. TỔ CHỨC THỰC HIỆN
5.1. Các sở, ban, ngành, UBND cấp huyện căn cứ nhiệm vụ được giao xây dựng kế hoạch chi tiết, tổ chức thực hiện; định kỳ báo cáo kết quả về Công an tỉnh.
5.2. Giao Công an tỉnh (Cơ quan Thường trực Tổ công tác triển khai Đề án 06 tỉnh) theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch; tổng hợp, báo cáo UBND tỉnh và Tổ công tác triển khai Đề án 06 của Chính phủ trước ngày 15/12/2023./.
""",
    tables={},
    recipients=[
        "- Tổ công tác Đề án 06 Chính phủ;",
        "- Bộ Công an;",
        "- TT Tỉnh ủy, TT HĐND tỉnh;",
        "- Các sở, ban, ngành, đoàn thể cấp tỉnh;",
        "- UBND các huyện, thành phố, thị xã;",
        "- Lưu: VT, NC.",
    ],
    signer=["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", ""],
    layout=Layout("DVSerif", 11.5, 15.5, (2.2 * cm, 2.2 * cm, 1.8 * cm, 2.0 * cm), "table", "center"),
)

M4 = Plan(
    stem="lamdong_khoinghiep_2026_m4",
    issuer=["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"],
    number="Số: 27/KH-UBND",
    place_date="Lâm Đồng, ngày       tháng       năm 2026",
    title=["Hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Lâm Đồng năm 2026"],
    preamble=[
        "Căn cứ Luật Hỗ trợ doanh nghiệp nhỏ và vừa số 04/2017/QH14 ngày 12/6/2017;",
        "Căn cứ Nghị định số 80/2021/NĐ-CP ngày 26/8/2021 của Chính phủ quy định chi tiết và hướng dẫn thi hành "
        "một số điều của Luật Hỗ trợ doanh nghiệp nhỏ và vừa;",
        'Căn cứ Quyết định số 844/QĐ-TTg ngày 18/5/2016 của Thủ tướng Chính phủ phê duyệt Đề án "Hỗ trợ hệ sinh '
        'thái khởi nghiệp đổi mới sáng tạo quốc gia đến năm 2025"; Quyết định số 1581/QĐ-TTg ngày 24/12/2025 của '
        "Thủ tướng Chính phủ phê duyệt Đề án hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo quốc gia giai "
        "đoạn 2026 - 2030;",
        "Căn cứ Thông tư số 45/2019/TT-BTC ngày 19/7/2019 của Bộ Tài chính quy định quản lý tài chính thực hiện "
        "Đề án hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo quốc gia;",
        "Căn cứ Nghị quyết số 25/2025/NQ-HĐND ngày 10/12/2025 của Hội đồng nhân dân tỉnh Lâm Đồng quy định chính "
        "sách hỗ trợ khởi nghiệp đổi mới sáng tạo trên địa bàn tỉnh;",
        "Theo đề nghị của Sở Khoa học và Công nghệ tại Tờ trình số 18/TTr-SKHCN ngày 09/01/2026, Ủy ban nhân dân "
        "tỉnh ban hành Kế hoạch hỗ trợ hệ sinh thái khởi nghiệp đổi mới sáng tạo tỉnh Lâm Đồng năm 2026 như sau:",
    ],
    body="""
## I. MỤC ĐÍCH, YÊU CẦU
1. Tiếp tục hoàn thiện hệ sinh thái khởi nghiệp đổi mới sáng tạo của tỉnh Lâm Đồng sau hợp nhất, kết nối các không gian khởi nghiệp tại Đà Lạt, Phan Thiết và Gia Nghĩa; phát huy tiềm năng du lịch, nông nghiệp công nghệ cao và năng lượng tái tạo.
2. Các hoạt động hỗ trợ phải thiết thực, đúng đối tượng, công khai, minh bạch; huy động sự tham gia của doanh nghiệp, nhà đầu tư và các trường đại học.
## II. CHỈ TIÊU NĂM 2026
- Hỗ trợ tối thiểu 30 dự án khởi nghiệp đổi mới sáng tạo; trong đó dưới 10% dự án được hỗ trợ phải dừng, hủy bỏ do không đáp ứng yêu cầu.
- Có ít nhất 05 doanh nghiệp khởi nghiệp đổi mới sáng tạo gọi được vốn từ nhà đầu tư thiên thần, quỹ đầu tư mạo hiểm.
- Tổ chức không dưới 12 sự kiện kết nối, trình diễn, giới thiệu sản phẩm khởi nghiệp.
- Số ý tưởng, dự án tham gia Cuộc thi Khởi nghiệp đổi mới sáng tạo tỉnh đạt từ 150 ý tưởng, dự án trở lên.
- Số doanh nghiệp khởi nghiệp đổi mới sáng tạo trên địa bàn tỉnh tăng 25% so với năm 2025.
- Thời gian thẩm định, phê duyệt hồ sơ đề nghị hỗ trợ giảm 30% so với năm 2025.
## III. NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN
@t:tasks
## IV. KINH PHÍ
Tổng kinh phí thực hiện Kế hoạch năm 2026 là 7.050.000.000 đồng (Bằng chữ: Bảy tỷ, không trăm năm mươi triệu đồng), trong đó:
- Ngân sách sự nghiệp khoa học và công nghệ tỉnh: 5,55 tỷ đồng;
- Nguồn xã hội hóa, tài trợ của doanh nghiệp và tổ chức: 1.500 triệu đồng.
## V. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ chủ trì, hướng dẫn các cơ quan, đơn vị triển khai Kế hoạch; tổng hợp, báo cáo Ủy ban nhân dân tỉnh và Bộ Khoa học và Công nghệ kết quả thực hiện trước ngày 10/12/2026.
2. Sở Tài chính thẩm định, tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí thực hiện Kế hoạch theo quy định.
3. UBND cấp xã phối hợp với Sở KH&CN phát hiện, giới thiệu ý tưởng, dự án khởi nghiệp của địa phương tham gia Cuộc thi Khởi nghiệp đổi mới sáng tạo tỉnh.
4. Đề nghị Tỉnh Đoàn phối hợp vận động đoàn viên, thanh niên tham gia các hoạt động khởi nghiệp đổi mới sáng tạo./.
""",
    tables={
        "tasks": TableSpec(
            header=[
                "TT",
                "Nội dung nhiệm vụ",
                "Đơn vị thực hiện",
                "Đơn vị phối hợp",
                "Thời gian",
                "Kinh phí (triệu đồng)",
            ],
            widths=[0.05, 0.35, 0.16, 0.20, 0.13, 0.11],
            rows=[
                [
                    "1",
                    "Tổ chức Cuộc thi Khởi nghiệp đổi mới sáng tạo tỉnh Lâm Đồng năm 2026",
                    "Sở KH&CN",
                    "Tỉnh Đoàn, Hội Doanh nhân trẻ tỉnh",
                    "Tháng 5 - 9/2026",
                    "850",
                ],
                [
                    "2",
                    "Tổ chức Ngày hội khởi nghiệp đổi mới sáng tạo và Techfest Lâm Đồng 2026 tại Đà Lạt, Phan "
                    "Thiết và Gia Nghĩa",
                    "Sở KH&CN",
                    "Sở VHTT&DL",
                    "Quý IV/2026",
                    "1.200",
                ],
                [
                    "3",
                    "Ươm tạo, tư vấn, hỗ trợ hoàn thiện sản phẩm mẫu cho các dự án khởi nghiệp",
                    "Trung tâm Hỗ trợ khởi nghiệp ĐMST tỉnh",
                    "Trường Đại học Đà Lạt, các trường đại học, cao đẳng trên địa bàn",
                    "Năm 2026",
                    "2.350",
                ],
                [
                    "4",
                    "Đào tạo, tập huấn kiến thức khởi nghiệp cho học sinh, sinh viên",
                    "Sở GD&ĐT",
                    "Tỉnh Đoàn",
                    "Hằng năm từ 2026",
                    "420",
                ],
                [
                    "5",
                    "Kết nối dự án khởi nghiệp với quỹ đầu tư, nhà đầu tư thiên thần",
                    "Sở Tài chính",
                    "Sở KH&CN, Hiệp hội Doanh nghiệp tỉnh",
                    "6 tháng cuối năm 2026",
                    "300",
                ],
                [
                    "6",
                    "Xây dựng không gian làm việc chung cho khởi nghiệp tại khu công nghiệp Lộc Sơn",
                    "BQL các KCN tỉnh",
                    "Sở KH&CN",
                    "Q2/2026 – Q4/2026",
                    "1.500",
                ],
                [
                    "7",
                    "Tuyên truyền về hệ sinh thái khởi nghiệp trên Báo Lâm Đồng và Đài PT-TH Lâm Đồng",
                    "Báo Lâm Đồng",
                    "Đài PT-TH Lâm Đồng, Sở KH&CN",
                    "Thường xuyên",
                    "180",
                ],
                [
                    "8",
                    "Khảo sát, đánh giá chỉ số hệ sinh thái khởi nghiệp đổi mới sáng tạo cấp tỉnh",
                    "Sở KH&CN",
                    "Sở Tài chính",
                    "Tháng 11/2026",
                    "250",
                ],
                ["", "Tổng cộng", "", "", "", "7.050"],
            ],
            size=9.0,
        ),
    },
    recipients=[
        "- Bộ Khoa học và Công nghệ;",
        "- TT Tỉnh ủy, TT HĐND tỉnh;",
        "- CT, các PCT UBND tỉnh;",
        "- Như mục V;",
        "- Lưu: VT, KGVX.",
    ],
    signer=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Võ Ngọc Hiệp"],
    layout=Layout("DVSansCond", 11.0, 15.0, (2.8 * cm, 1.8 * cm, 2.0 * cm, 2.0 * cm), "canvas", "right"),
)

PLANS = [M1, M2, M3, M4]


# --- Rendering ---------------------------------------------------------------------------------------


def styles(layout: Layout) -> dict[str, ParagraphStyle]:
    f, s, lead = layout.family, layout.size, layout.leading
    return {
        "p": ParagraphStyle(
            "p", fontName=f, fontSize=s, leading=lead, alignment=TA_JUSTIFY, firstLineIndent=0.9 * cm, spaceAfter=3
        ),
        "h2": ParagraphStyle("h2", fontName=f"{f}-B", fontSize=s, leading=lead, spaceBefore=5, spaceAfter=3),
        "h3": ParagraphStyle("h3", fontName=f"{f}-BI", fontSize=s, leading=lead, spaceAfter=2, leftIndent=0.5 * cm),
        "center_b": ParagraphStyle("cb", fontName=f"{f}-B", fontSize=s, leading=lead, alignment=TA_CENTER),
        "center": ParagraphStyle("c", fontName=f, fontSize=s, leading=lead, alignment=TA_CENTER),
        "center_i": ParagraphStyle("ci", fontName=f"{f}-I", fontSize=s - 0.5, leading=lead, alignment=TA_CENTER),
        "kh": ParagraphStyle(
            "kh", fontName=f"{f}-B", fontSize=s + 2.5, leading=lead + 4, alignment=TA_CENTER, spaceBefore=14
        ),
        "title": ParagraphStyle("t", fontName=f"{f}-B", fontSize=s + 0.5, leading=lead + 1, alignment=TA_CENTER),
        "small": ParagraphStyle("sm", fontName=f, fontSize=s - 2.5, leading=s, alignment=TA_LEFT),
        "small_bi": ParagraphStyle("smbi", fontName=f"{f}-BI", fontSize=s - 1.5, leading=s + 1),
    }


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_table(spec: TableSpec, layout: Layout, width: float) -> Table:
    """A ruled table; header repeated on continuation pages; '§' rows span all columns."""
    f = layout.family
    head = ParagraphStyle("th", fontName=f"{f}-B", fontSize=spec.size, leading=spec.size + 2.5, alignment=TA_CENTER)
    body = ParagraphStyle("td", fontName=f, fontSize=spec.size, leading=spec.size + 2.5)
    group = ParagraphStyle("tg", fontName=f"{f}-B", fontSize=spec.size, leading=spec.size + 2.5)
    data: list[list[Any]] = [[Paragraph(esc(h), head) for h in spec.header]]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    n = len(spec.header)
    for row in spec.rows:
        r = len(data)
        if row[0] == "§":
            data.append([Paragraph(esc(row[1]), group), Paragraph(esc(row[2]), group)] + [""] * (n - 2))
            commands.append(("SPAN", (1, r), (-1, r)))
        else:
            data.append([Paragraph(esc(c), body) for c in row])
    widths = [w * width for w in spec.widths]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(commands))
    return table


def header_table(plan: Plan, st: dict[str, ParagraphStyle], width: float) -> Table:
    """The national header as a borderless two-column table."""
    left = [
        Paragraph(esc(plan.issuer[0]), st["center"]),
        Paragraph(esc(plan.issuer[1]), st["center_b"]),
        Paragraph("―――――", st["center"]),
    ]
    right = [
        Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st["center_b"]),
        Paragraph("Độc lập - Tự do - Hạnh phúc", st["center_b"]),
        Paragraph("―――――――――", st["center"]),
    ]
    data = [[left, right], [Paragraph(esc(plan.number), st["center"]), Paragraph(esc(plan.place_date), st["center_i"])]]
    table = Table(data, colWidths=[0.38 * width, 0.62 * width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def draw_canvas_header(plan: Plan, canv: rl_canvas.Canvas, layout: Layout) -> None:
    """The national header drawn as positioned canvas text (first page only)."""
    width, height = canv._pagesize
    left_x = layout.margins[0] + 3.2 * cm
    right_x = width - layout.margins[1] - 5.6 * cm
    top = height - layout.margins[2] - 0.3 * cm
    f, s = layout.family, layout.size
    canv.setFont(f"{f}-B", s)
    canv.drawCentredString(left_x, top, plan.issuer[0])
    canv.drawCentredString(left_x, top - 14, plan.issuer[1])
    canv.drawCentredString(right_x, top, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    canv.drawCentredString(right_x, top - 14, "Độc lập - Tự do - Hạnh phúc")
    canv.setLineWidth(0.6)
    canv.line(left_x - 1.2 * cm, top - 19, left_x + 1.2 * cm, top - 19)
    canv.line(right_x - 2.6 * cm, top - 19, right_x + 2.6 * cm, top - 19)
    canv.setFont(f, s)
    canv.drawCentredString(left_x, top - 38, plan.number)
    canv.setFont(f"{f}-I", s)
    canv.drawCentredString(right_x, top - 38, plan.place_date)


def numbered_canvas(layout: Layout) -> type[rl_canvas.Canvas]:
    """A canvas that writes 'Trang x/y' on every page once the page count is known."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width, _ = self._pagesize
                self.setFont(layout.family, 9)
                label = f"Trang {self._pageNumber}/{total}"
                if layout.footer_align == "center":
                    self.drawCentredString(width / 2, 1.0 * cm, label)
                else:
                    self.drawRightString(width - layout.margins[1], 1.0 * cm, label)
                super().showPage()
            super().save()

    return NumberedCanvas


def story(plan: Plan, width_portrait: float, width_landscape: float) -> list[Any]:
    st = styles(plan.layout)
    flow: list[Any] = []
    if plan.layout.header == "table":
        flow.append(header_table(plan, st, width_portrait))
    else:
        flow.append(Spacer(1, 2.0 * cm))
    flow.append(Paragraph("KẾ HOẠCH", st["kh"]))
    flow.extend(Paragraph(esc(line), st["title"]) for line in plan.title)
    flow.append(Paragraph("―――――――", st["center"]))
    flow.append(Spacer(1, 6))
    flow.extend(Paragraph(esc(line), st["p"]) for line in plan.preamble)
    for line in plan.body.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("@t:"):
            flow.append(Spacer(1, 3))
            flow.append(cell_table(plan.tables[line[3:]], plan.layout, width_portrait))
            flow.append(Spacer(1, 5))
        elif line.startswith("### "):
            flow.append(Paragraph(esc(line[4:]), st["h3"]))
        elif line.startswith("## "):
            flow.append(Paragraph(esc(line[3:]), st["h2"]))
        else:
            flow.append(Paragraph(esc(line), st["p"]))
    flow.append(Spacer(1, 10))
    flow.append(signature_block(plan, st, width_portrait))
    if plan.appendix:
        lines, key, wide = plan.appendix
        if wide:
            flow.append(NextPageTemplate("landscape"))
        flow.append(PageBreak())
        flow.append(Paragraph(esc(lines[0]), st["center_b"]))
        flow.append(Paragraph(esc(lines[1]), st["center_b"]))
        flow.append(Paragraph(esc(lines[2]), st["center_i"]))
        flow.append(Spacer(1, 8))
        flow.append(cell_table(plan.tables[key], plan.layout, width_landscape if wide else width_portrait))
    return flow


def signature_block(plan: Plan, st: dict[str, ParagraphStyle], width: float) -> KeepTogether:
    left: list[Any] = [Paragraph("Nơi nhận:", st["small_bi"])]
    left += [Paragraph(esc(r), st["small"]) for r in plan.recipients]
    *titles, name = plan.signer
    right: list[Any] = [Paragraph(esc(t), st["center_b"]) for t in titles]
    right.append(Spacer(1, 2.2 * cm))
    if name:
        right.append(Paragraph(esc(name), st["center_b"]))
    table = Table([[left, right]], colWidths=[0.5 * width, 0.5 * width])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([table])


def render_pdf(plan: Plan, path: Path) -> None:
    layout = plan.layout
    left, right, top, bottom = layout.margins
    portrait, wide = A4, landscape(A4)
    doc = BaseDocTemplate(
        str(path),
        pagesize=portrait,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=plan.stem,
        author="vnplan heldout2",
        invariant=1,
    )
    frame_p = Frame(left, bottom, portrait[0] - left - right, portrait[1] - top - bottom, id="p")
    frame_l = Frame(1.8 * cm, 1.8 * cm, wide[0] - 3.6 * cm, wide[1] - 3.6 * cm, id="l")

    def first_page(canv: rl_canvas.Canvas, _doc: Any) -> None:
        if layout.header == "canvas":
            draw_canvas_header(plan, canv, layout)

    templates = [
        PageTemplate("first", [frame_p], onPage=first_page, pagesize=portrait, autoNextPageTemplate="portrait"),
        PageTemplate("portrait", [frame_p], pagesize=portrait),
        PageTemplate("landscape", [frame_l], pagesize=wide),
    ]
    doc.addPageTemplates(templates)
    doc.build(story(plan, frame_p._width, frame_l._width), canvasmaker=numbered_canvas(layout))


# --- Other renditions --------------------------------------------------------------------------------


def degraded_pages(pdf: Path, dpi: int, angle_seed: int) -> list[Image.Image]:
    """Grayscale rasters of every page, slightly rotated, with sensor noise (seeded: deterministic)."""
    rng = np.random.RandomState(angle_seed)
    document = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            angle = float(rng.uniform(-0.8, 0.8))
            image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            pixels = np.asarray(image, dtype=np.float32)
            pixels = pixels * 0.93 + 10 + rng.normal(0, 6, pixels.shape)
            pages.append(Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L"))
    finally:
        document.close()
    return pages


def render_scan(pdf: Path, out: Path, dpi: int = 240) -> None:
    """Image-only PDF: each page a JPEG of the degraded raster, placed full-page."""
    pages = degraded_pages(pdf, dpi, angle_seed=11)
    canv = rl_canvas.Canvas(str(out), pagesize=A4, invariant=1)
    for image in pages:
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=72)
        jpeg.seek(0)
        w, h = image.size
        size = (w * 72 / dpi, h * 72 / dpi)
        canv.setPageSize(size)
        canv.drawImage(ImageReader(jpeg), 0, 0, width=size[0], height=size[1])
        canv.showPage()
    canv.save()


def render_tiff(pdf: Path, out: Path, dpi: int = 200) -> None:
    """Multi-page bilevel TIFF (CCITT G4), as an office scanner's 'document' mode writes it."""
    pages = [
        page.point(lambda v: 255 if v > 150 else 0).convert("1") for page in degraded_pages(pdf, dpi, angle_seed=23)
    ]
    pages[0].save(out, format="TIFF", save_all=True, append_images=pages[1:], compression="group4", dpi=(dpi, dpi))


def text_layer(pdf: Path) -> str:
    """The PDF's text layer, pages separated by a form feed, lines by newlines."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        pages = []
        for index in range(len(document)):
            text = document[index].get_textpage().get_text_range()
            pages.append(text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n"))
    finally:
        document.close()
    return "\f".join(pages) + "\n"


def strip_diacritics(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def build() -> None:
    register_fonts()
    DOCS.mkdir(parents=True, exist_ok=True)
    for plan in PLANS:
        pdf = DOCS / f"{plan.stem}.pdf"
        render_pdf(plan, pdf)
        print(f"{pdf.relative_to(ROOT)}: {len(pdfium.PdfDocument(str(pdf)))} pages")
    render_scan(DOCS / f"{SCAN_STEM}.pdf", DOCS / f"{SCAN_STEM}.scan.pdf")
    render_tiff(DOCS / f"{TIFF_STEM}.pdf", DOCS / f"{TIFF_STEM}.tiff")
    (DOCS / f"{STRIPPED_STEM}.stripped.txt").write_text(
        strip_diacritics(text_layer(DOCS / f"{STRIPPED_STEM}.pdf")), encoding="utf-8"
    )


# --- Checks ------------------------------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def source_text(plan: Plan) -> str:
    """Everything the document says, as one string (table rows as their cells joined by ' | ')."""
    parts = [*plan.issuer, plan.number, plan.place_date, *plan.title, *plan.preamble, plan.body]
    for spec in plan.tables.values():
        parts += [" | ".join(row) for row in spec.rows]
    parts += plan.signer
    return _flat("\n".join(parts))


def check() -> int:
    """Every verbatim string of the gold (target and budget texts, task texts) occurs in its document."""
    problems = 0
    for plan in PLANS:
        gold = json.loads((GOLD / f"{plan.stem}.gold.json").read_text("utf-8"))
        text = source_text(plan)
        pieces = [t["text"] for t in gold["targets"]] + [b["text"] for b in gold["budgets"]]
        pieces += [t["text"] for t in gold["tasks"]]
        for piece in pieces:
            if _flat(piece) not in text:
                problems += 1
                print(f"{plan.stem}: not in the document: {piece[:90]!r}")
        for number in (b["number"] for b in gold["legal_basis"]):
            if number not in text:
                problems += 1
                print(f"{plan.stem}: legal basis number not in the document: {number}")
        named = {t["lead_agency"] for t in gold["tasks"]} | {
            a for t in gold["tasks"] for a in t["cooperating_agencies"]
        }
        if missing := named - set(gold["agencies"]):
            problems += 1
            print(f"{plan.stem}: task agencies missing from agencies: {sorted(missing)}")
    print("gold check:", "ok" if not problems else f"{problems} problems")
    return problems


def restore_score() -> None:
    """Syllable accuracy of `vnplan restore` on the stripped text against the accented text layer."""
    sys.path.insert(0, str(ROOT))
    from bench.accuracy import restoration_accuracy

    stripped = DOCS / f"{STRIPPED_STEM}.stripped.txt"
    accuracy, syllables = restoration_accuracy(stripped, text_layer(DOCS / f"{STRIPPED_STEM}.pdf"))
    print(f"{stripped.name}: {round(accuracy * syllables)}/{syllables} syllables restored ({accuracy:.2%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="check the gold against the document texts")
    parser.add_argument("--restore", action="store_true", help="score `vnplan restore` on the stripped text")
    args = parser.parse_args()
    if args.check:
        raise SystemExit(1 if check() else 0)
    if args.restore:
        restore_score()
        return
    build()


if __name__ == "__main__":
    main()
