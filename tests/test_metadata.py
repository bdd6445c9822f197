"""Metadata from the header and signature blocks, on invented plans laid out the usual ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import metadata
from pipeline.model.doctext import DocText
from pipeline.model.pages import PageText
from tests.conftest import draw_plan_pdf


def _doc(*pages: str) -> DocText:
    return DocText([PageText(number=i + 1, origin="plain", raw=t, text=t) for i, t in enumerate(pages)])


BODY = """
Căn cứ Quyết định số 1131/QĐ-TTg ngày 12/9/2023 của Thủ tướng Chính phủ; Ủy ban nhân dân tỉnh
ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao năng lực nghiên cứu của các tổ chức khoa học trên địa bàn tỉnh./.

Nơi nhận:
- Bộ Khoa học và Công nghệ;
- Lưu: VT, KT.
"""

TWO_COLUMNS = (
    """ỦY BAN NHÂN DÂN
TỈNH ĐIỆN BIÊN

Số: 118/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Điện Biên, ngày 14 tháng 3 năm 2025

KẾ HOẠCH
Ứng dụng trí tuệ nhân tạo trong
quản lý nhà nước năm 2025
"""
    + BODY
    + """
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH



Lò Văn Minh
"""
)


def test_two_column_header_read_left_column_first() -> None:
    meta = metadata.extract(_doc(TWO_COLUMNS))
    assert meta.province == "Điện Biên"
    assert meta.doc_type == "Kế hoạch"
    assert meta.doc_number == "118/KH-UBND"
    assert meta.issued_date == "2025-03-14"
    assert meta.issuer == "Ủy ban nhân dân tỉnh Điện Biên"
    assert meta.title == "Ứng dụng trí tuệ nhân tạo trong quản lý nhà nước năm 2025"
    assert meta.signer_title == "Chủ tịch"
    assert meta.signer_name == "Lò Văn Minh"


def test_interleaved_ocr_header_without_accents() -> None:
    text = (
        """UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM
TINH HA GIANG Doc lap - Tu do - Hanh phuc
So: 27 /KH-UBND Ha Giang, ngay 09 thang 01 nam 2026
KE HOACH
Phat trien kinh te so nam 2026
"""
        + BODY
        + """
TM. UY BAN NHAN DAN
KT. CHU TICH
PHO CHU TICH
Nguyen Van Son
"""
    )
    meta = metadata.extract(_doc(text))
    assert meta.province == "Hà Giang"  # the gazetteer gives the accented name
    assert meta.doc_number == "27/KH-UBND"
    assert meta.issued_date == "2026-01-09"
    assert meta.issuer == "Ủy ban nhân dân tỉnh Hà Giang"
    assert meta.doc_type == "Kế hoạch"
    assert meta.signer_title == "Phó Chủ tịch"
    assert meta.signer_name == "Nguyen Van Son"


def test_blank_number_and_day_left_for_the_signer() -> None:
    text = TWO_COLUMNS.replace("Số: 118/KH-UBND", "Số:        /KH-UBND").replace("ngày 14 tháng 3", "ngày      tháng 3")
    meta = metadata.extract(_doc(text))
    assert meta.doc_number is None
    assert meta.issued_date == "2025-03"


def test_no_header_province_and_issuer_from_the_text() -> None:
    text = """KẾ HOẠCH
Chuyển đổi số trong giáo dục
năm 2024

Thực hiện Văn bản số 210/BKHCN-KHTC ngày 05/02/2024 của Bộ Khoa học và Công nghệ,
UBND tỉnh Quảng Trị ban hành kế hoạch như sau:

I. MỤC TIÊU
Đến năm 2024 có 80% trường học dùng học bạ số./.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
"""
    meta = metadata.extract(_doc(text))
    assert meta.province == "Quảng Trị"
    assert meta.issuer == "Ủy ban nhân dân tỉnh Quảng Trị"
    assert meta.title == "Chuyển đổi số trong giáo dục năm 2024"
    assert meta.doc_number is None
    assert meta.issued_date is None
    assert meta.signer_title == "Phó Chủ tịch"
    assert meta.signer_name is None  # a signature without a name stays unnamed
    assert metadata.plan_year(_doc(text), meta) == 2024


def test_name_beside_the_recipients_list() -> None:
    # A scan reads the recipients (left) and the name (right) into one line.
    text = (
        TWO_COLUMNS.split("TM. ỦY BAN")[0]
        + """KT. CHỦ TỊCH
- Như trên; PHÓ CHỦ TỊCH
- Sở Tài chính;
- Lưu: VT, KT; TRẦN QUỐC BẢO
"""
    )
    meta = metadata.extract(_doc(text))
    assert meta.signer_title == "Phó Chủ tịch"
    assert meta.signer_name == "Trần Quốc Bảo"


def test_city_issuer_and_horizon_title() -> None:
    text = TWO_COLUMNS.replace("TỈNH ĐIỆN BIÊN", "THÀNH PHỐ CẦN THƠ").replace("Điện Biên, ngày", "Cần Thơ, ngày")
    text = text.replace("quản lý nhà nước năm 2025", "quản lý nhà nước đến năm 2030")
    meta = metadata.extract(_doc(text))
    assert meta.province == "Cần Thơ"
    assert meta.issuer == "Ủy ban nhân dân thành phố Cần Thơ"
    # `đến năm 2030` is a horizon; the plan is dated 2025.
    assert metadata.plan_year(_doc(text), meta) == 2025


def test_text_without_any_header_or_signature() -> None:
    meta = metadata.extract(_doc("Một đoạn văn bản không có tiêu đề, số hiệu hay chữ ký nào cả."))
    assert meta.model_dump() == {k: None for k in meta.model_dump()}


@pytest.mark.slow
def test_born_digital_pdf_through_ingest_and_repair(tmp_path: Path) -> None:
    from normalizers.text_repair import normalize_pages
    from pipeline.read.ingest import read_pages

    pdf = draw_plan_pdf(
        tmp_path / "plan.pdf",
        [
            [
                "ỦY BAN NHÂN DÂN TỈNH YÊN BÁI",
                "Số: 64/KH-UBND",
                "Yên Bái, ngày 21 tháng 5 năm 2026",
                "KẾ HOẠCH",
                "Phát triển thị trường khoa học và công nghệ năm 2026",
                "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị, Ủy ban nhân dân tỉnh ban hành "
                "Kế hoạch như sau:",
                "I. MỤC TIÊU",
                "Có 15 doanh nghiệp khoa học và công nghệ được chứng nhận./.",
                "TM. ỦY BAN NHÂN DÂN",
                "CHỦ TỊCH",
                "Hoàng Minh Đức",
            ]
        ],
        page_numbers=False,
    )
    doc = DocText(normalize_pages(read_pages(pdf)))
    meta = metadata.extract(doc)
    assert meta.doc_number == "64/KH-UBND"
    assert meta.issued_date == "2026-05-21"
    assert meta.issuer == "Ủy ban nhân dân tỉnh Yên Bái"
    assert meta.title == "Phát triển thị trường khoa học và công nghệ năm 2026"
    assert meta.signer_name == "Hoàng Minh Đức"


def test_department_as_issuer() -> None:
    text = TWO_COLUMNS.replace("ỦY BAN NHÂN DÂN\nTỈNH ĐIỆN BIÊN", "UBND TỈNH ĐIỆN BIÊN\nSỞ KHOA HỌC VÀ CÔNG NGHỆ")
    meta = metadata.extract(_doc(text))
    assert meta.province == "Điện Biên"
    assert meta.issuer == "Sở Khoa học và Công nghệ"


def test_title_in_capitals_on_the_type_line_and_date_without_place() -> None:
    text = """ỦY BAN NHÂN DÂN TỈNH GIA LAI
Số: 9/KH-UBND
ngày 03 tháng 4 năm 2025
KẾ HOẠCH PHÁT TRIỂN THƯƠNG MẠI ĐIỆN TỬ NĂM 2025
Căn cứ Quyết định số 645/QĐ-TTg ngày 15/5/2020 của Thủ tướng Chính phủ;

I. MỤC TIÊU
"""
    meta = metadata.extract(_doc(text))
    assert meta.doc_type == "Kế hoạch"
    assert meta.title == "PHÁT TRIỂN THƯƠNG MẠI ĐIỆN TỬ NĂM 2025"
    assert meta.issued_date == "2025-04-03"
    assert meta.province == "Gia Lai"


def test_ocr_eth_in_the_title() -> None:
    text = TWO_COLUMNS.replace(
        "Ứng dụng trí tuệ nhân tạo trong", "Thực hiện Đề án số 09-ÐA/TU và Nghị quyết 05-ĐÐA/TU về"
    )
    meta = metadata.extract(_doc(text))
    assert meta.title == "Thực hiện Đề án số 09-ĐA/TU và Nghị quyết 05-ĐA/TU về quản lý nhà nước năm 2025"


def test_type_heading_in_sentence_case() -> None:
    text = "Số: 31/KH-UBND\nTây Ninh, ngày 08 tháng 9 năm 2025\nKế hoạch\nSố hóa hồ sơ lưu trữ năm 2025\n" + BODY
    meta = metadata.extract(_doc(text))
    assert meta.doc_type == "Kế hoạch"
    assert meta.title == "Số hóa hồ sơ lưu trữ năm 2025"
    assert meta.doc_number == "31/KH-UBND"
    assert meta.province == "Tây Ninh"


def test_own_number_of_a_steering_committee_without_diacritics() -> None:
    text = (
        """UY BAN NHAN DAN TINH KON TUM
BAN CHI DAO CHUYEN DOI SO
So: 14/KH-BCD Kon Tum, ngay 21 thang 4 nam 2025
KE HOACH
Chuyen doi so nam 2025
"""
        + BODY
    )
    assert metadata.extract(_doc(text)).doc_number == "14/KH-BCĐ"


def test_header_lines_run_together_and_a_rule_under_the_title() -> None:
    # Text whose header lines came out as one line, and a separator rule printed under the title.
    text = (
        """ỦY BAN NHÂN DÂN
TỈNH KON TUM
Số: 203/KH-UBND Kon Tum, ngày 21 tháng 11 năm 2024 KẾ HOẠCH
Phát triển du lịch thông minh tỉnh Kon Tum năm 2025 ―――――――
"""
        + BODY
        + """
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
A Pơ Lang
"""
    )
    meta = metadata.extract(_doc(text))
    assert meta.doc_type == "Kế hoạch"
    assert meta.doc_number == "203/KH-UBND"
    assert meta.issued_date == "2024-11-21"
    assert meta.title == "Phát triển du lịch thông minh tỉnh Kon Tum năm 2025"


def test_scanned_signature_that_lost_the_deputy_line() -> None:
    # OCR dropped `PHÓ CHỦ TỊCH` and left noise; the name sits below the recipients list.
    text = (
        TWO_COLUMNS.split("TM. ỦY BAN")[0]
        + """KT. CHU TỊCH
:
- Như trên;
- Lưu: VT, KT.
' Đinh Thị Ngọc Lan.
"""
    )
    meta = metadata.extract(_doc(text))
    assert meta.signer_title == "Phó Chủ tịch"
    assert meta.signer_name == "Đinh Thị Ngọc Lan"


def test_province_in_the_title_spelled_as_the_gazetteer_spells_it() -> None:
    # Diacritics restored into the wrong tone on the province's name.
    text = TWO_COLUMNS.replace("quản lý nhà nước năm 2025", "quản lý nhà nước tỉnh Điện Biến năm 2025")
    assert metadata.extract(_doc(text)).title == (
        "Ứng dụng trí tuệ nhân tạo trong quản lý nhà nước tỉnh Điện Biên năm 2025"
    )


@pytest.mark.parametrize(
    ("header", "closing", "expected"),
    [
        # an inspection team under a department, a number filled in by hand with stray spaces
        (
            "SỞ XÂY DỰNG TỈNH GIA LAI\nĐOÀN KIỂM TRA LIÊN NGÀNH\nSố:  08 /KH-ĐKT",
            "TRƯỞNG ĐOÀN\n\nPhan Thị Mận",
            ("08/KH-ĐKT", "Đoàn Kiểm tra liên ngành", "Trưởng đoàn", "Phan Thị Mận"),
        ),
        # a steering committee's plan signed for its head
        (
            "UBND TỈNH BẮC KẠN\nBAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ\nSố: 12/KH-BCĐ",
            "KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN THƯỜNG TRỰC\n\nLý Văn Sình",
            ("12/KH-BCĐ", "Ban Chỉ đạo chuyển đổi số", "Phó Trưởng ban Thường trực", "Lý Văn Sình"),
        ),
        # a commune committee, signed by order (TL.) of its chairman
        (
            "ỦY BAN NHÂN DÂN\nXÃ NẬM XE\nSố: 31/KH-UBND",
            "TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nSùng A Dình",
            ("31/KH-UBND", "Ủy ban nhân dân xã Nậm Xe", "Chánh Văn phòng", "Sùng A Dình"),
        ),
    ],
)
def test_issuers_numbers_and_signers_of_every_level(header: str, closing: str, expected: tuple) -> None:
    text = (
        f"{header}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        f"ngày 03 tháng 02 năm 2027\n\nKẾ HOẠCH\nRà soát hồ sơ năm 2027\n{BODY}{closing}\n"
    )
    meta = metadata.extract(_doc(text))
    assert (meta.doc_number, meta.issuer, meta.signer_title, meta.signer_name) == expected
    assert meta.doc_type == "Kế hoạch" and meta.issued_date == "2027-02-03"
