"""Legal basis: documents cited in the preamble, with number, date and issuer."""

from __future__ import annotations

from extractors import legal_basis, metadata
from extractors.context import Context
from pipeline.model.doctext import DocText
from pipeline.model.pages import PageText


def _ctx(text: str) -> Context:
    doc = DocText([PageText(number=1, origin="plain", raw=text, text=text)])
    meta = metadata.extract(doc)
    return Context(doc=doc, metadata=meta, plan_year=metadata.plan_year(doc, meta))


HEADER = """ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
Số: 305/KH-UBND
Bắc Ninh, ngày 02 tháng 7 năm 2025
KẾ HOẠCH
Triển khai Nghị quyết số 57-NQ/TW về khoa học, công nghệ năm 2025

"""


def test_numbers_dates_and_issuers_of_the_cited_documents() -> None:
    text = (
        HEADER
        + """Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo ngày 27 tháng 6 năm 2025;
Căn cứ Nghị định số 267/2025/NĐ-CP ngày 14/10/2025 của Chính phủ quy định chi tiết
một số điều của Luật; Quyết định số 1588/QĐ-TTg ngày 09 tháng 12 năm 2024 của Thủ tướng
Chính phủ phê duyệt Đề án;
Thực hiện Kế hoạch số 12-KH/TU ngày 20/3/2025 của Tỉnh ủy Bắc Ninh; Văn bản số 1450/BKHCN-KHTC
ngày 05/5/2025 của Bộ Khoa học và Công nghệ; Quyết định số 88/QĐ-UBND ngày 17/01/2025 của UBND tỉnh,
Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện như sau:

I. MỤC ĐÍCH, YÊU CẦU
Thực hiện Quyết định số 999/QĐ-UBND ngày 01/02/2025 về hỗ trợ doanh nghiệp.
"""
    )
    found = legal_basis.extract(_ctx(text))
    got = {(b.number, b.date, b.issuer) for b in found}
    assert got == {
        ("267/2025/NĐ-CP", "2025-10-14", "Chính phủ"),
        ("1588/QĐ-TTg", "2024-12-09", "Thủ tướng Chính phủ"),
        ("12-KH/TU", "2025-03-20", "Tỉnh ủy Bắc Ninh"),
        ("1450/BKHCN-KHTC", "2025-05-05", "Bộ Khoa học và Công nghệ"),
        ("88/QĐ-UBND", "2025-01-17", "Ủy ban nhân dân tỉnh Bắc Ninh"),
    }
    # Neither the plan's own number (header) nor a document cited in the body is a basis.
    assert not {"305/KH-UBND", "999/QĐ-UBND"} & {b.number for b in found}


def test_each_record_points_at_its_citation() -> None:
    text = HEADER + "Căn cứ Quyết định số 1588/QĐ-TTg ngày 09/12/2024 của Thủ tướng Chính phủ;\n\nI. MỤC TIÊU\n"
    ctx = _ctx(text)
    (basis,) = legal_basis.extract(ctx)
    assert ctx.doc.span_text(basis.span) == basis.text
    assert basis.text.startswith("Quyết định số 1588/QĐ-TTg")
    assert basis.text.endswith("Thủ tướng Chính phủ")


def test_ocr_spacing_and_repeated_citation() -> None:
    # A scan: `số` read as `s6`, a space inside the number, the same resolution named again.
    text = (
        HEADER
        + """Can cu Nghi quyet s6 57- NQ/TW ngay 22/12/2024 cua Bo Chinh tri ve dot pha phat trien
(sau day goi la Nghi quyet 57-NQ/TW); Ke hoach so 44/KH- UBND ngay 03/02/2026 cua UBND tinh;

I. MUC DICH, YEU CAU
"""
    )
    numbers = [b.number for b in legal_basis.extract(_ctx(text))]
    assert numbers == ["57-NQ/TW", "44/KH-UBND"]


def test_no_preamble_no_basis() -> None:
    text = HEADER + "I. MỤC ĐÍCH\nNâng cao chất lượng quản lý theo Quyết định số 5/QĐ-UBND ngày 01/01/2025.\n"
    assert legal_basis.extract(_ctx(text)) == []


def test_undated_citation_keeps_its_number() -> None:
    text = HEADER + "Thực hiện Chỉ thị số 07-CT/TU của Ban Thường vụ Tỉnh ủy về chuyển đổi số;\n\nI. MỤC TIÊU\n"
    (basis,) = legal_basis.extract(_ctx(text))
    assert (basis.number, basis.date, basis.issuer) == ("07-CT/TU", None, "Ban Thường vụ Tỉnh ủy")


def test_number_cut_by_a_line_break_is_one_citation() -> None:
    text = (
        HEADER
        + """Căn cứ Quyết định số 2021/QĐ
ngày 05/11/2024 của Thủ tướng Chính phủ (Quyết định số 2021/QĐ-TTg);

I. MỤC TIÊU
"""
    )
    assert [b.number for b in legal_basis.extract(_ctx(text))] == ["2021/QĐ-TTg"]


def test_own_number_is_not_a_basis_even_without_a_title() -> None:
    text = "Số: 77/KH-UBND\nCăn cứ Quyết định số 645/QĐ-TTg ngày 15/5/2020 của Thủ tướng Chính phủ;\n\nI. MỤC TIÊU\n"
    assert [b.number for b in legal_basis.extract(_ctx(text))] == ["645/QĐ-TTg"]


def test_law_issuer_from_its_code_and_proposal_is_not_a_basis() -> None:
    text = (
        HEADER
        + """Căn cứ Luật Giao dịch điện tử số 20/2023/QH15 ngày 22/6/2023;
Theo đề nghị của Sở Khoa học và Công nghệ tại Tờ trình số 15/TTr-SKHCN ngày 10/01/2026.

I. MỤC TIÊU
"""
    )
    found = legal_basis.extract(_ctx(text))
    assert [(b.number, b.date, b.issuer) for b in found] == [("20/2023/QH15", "2023-06-22", "Quốc hội")]


def test_ocr_eth_in_a_number() -> None:
    text = HEADER + "Thực hiện Đề án số 06-ÐA/TU ngày 11/12/2025 của Tỉnh ủy Bắc Ninh;\n\nI. MỤC TIÊU\n"
    assert [b.number for b in legal_basis.extract(_ctx(text))] == ["06-ĐA/TU"]


def test_proposals_are_not_bases_however_worded() -> None:
    text = (
        HEADER
        + """Căn cứ Quyết định số 1131/QĐ-TTg ngày 12/10/2025 của Thủ tướng Chính phủ;
Xét đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 208/TTr-STC ngày 03/3/2026 và Văn bản số
19/STC-NS ngày 04/3/2026;
Xét Tờ trình số 31/TTr-SNV ngày 05/3/2026 của Sở Nội vụ.

I. MỤC TIÊU
"""
    )
    assert [b.number for b in legal_basis.extract(_ctx(text))] == ["1131/QĐ-TTg"]


def test_codes_read_without_diacritics_come_back_canonical() -> None:
    # A diacritic-stripped text layer: `NĐ`, `QĐ`, `HĐND`, `BCĐ` print as plain D, `TTg`/`CTr` in capitals.
    text = (
        HEADER
        + """Can cu Nghi dinh so 73/2019/ND-CP ngay 05/9/2019 cua Chinh phu;
Can cu Quyet dinh so 942/QD-TTG ngay 15/6/2021 cua Thu tuong Chinh phu;
Thuc hien Nghi quyet so 11/NQ-HDND ngay 08/7/2025 cua HDND tinh, Chuong trinh so 24-CTR/TU ngay
02/4/2025 cua Tinh uy va Ke hoach so 3/KH-BCD ngay 09/5/2025 cua Ban Chi dao;

I. MUC TIEU
"""
    )
    assert [b.number for b in legal_basis.extract(_ctx(text))] == [
        "73/2019/NĐ-CP",
        "942/QĐ-TTg",
        "11/NQ-HĐND",
        "24-CTr/TU",
        "3/KH-BCĐ",
    ]


def test_stripped_code_of_a_body_carrying_out_a_de_an_gets_its_d_back() -> None:
    from normalizers.numbers import canonical_doc_number

    assert canonical_doc_number("15/TCTTKDA") == "15/TCTTKĐA"
    # A code not in the list keeps its letters: `QLDA` is Quản lý dự án, no Đ.
    assert canonical_doc_number("15/BQLDA") == "15/BQLDA"
    text = HEADER + "Căn cứ Kế hoạch số 15/KH-TCTTKDA ngay 20/3/2025 cua To cong tac;\n\nI. MỤC TIÊU\n"
    assert [b.number for b in legal_basis.extract(_ctx(text))] == ["15/KH-TCTTKĐA"]


def test_numbers_split_by_a_hyphen_at_a_line_end_a_stray_space_or_a_fraction_slash() -> None:
    text = (
        HEADER
        + """Căn cứ Chỉ thị số 31-
CT/TU ngày 04/3/2025 của Tỉnh ủy về rừng phòng hộ; Nghị quyết số 64/NQ -CP ngày 12/5/2025 của Chính phủ;
Căn cứ Quy chế ban hành kèm theo Quyết định số 31 7\u2044QĐ-SNN ngày 02/01/2025 của Sở Nông nghiệp;
I. MỤC ĐÍCH
"""
    )
    assert [b.number for b in legal_basis.extract(_ctx(text))] == ["31-CT/TU", "64/NQ-CP", "317/QĐ-SNN"]


def test_a_basis_paragraph_right_under_the_title() -> None:
    text = """ỦY BAN NHÂN DÂN TỈNH YÊN BÁI
KẾ HOẠCH
Bảo tồn giống chè Shan tuyết năm 2026
Tiếp tục thực hiện Nghị quyết số 12/NQ-HĐND ngày 10/7/2024 của Hội đồng nhân dân tỉnh, Ủy ban nhân dân tỉnh
ban hành Kế hoạch như sau:
I. MỤC ĐÍCH
Giữ các vườn chè cổ. Thực hiện Quyết định số 88/QĐ-UBND trong phần nội dung thì không là căn cứ.
"""
    assert [b.number for b in legal_basis.extract(_ctx(text))] == ["12/NQ-HĐND"]


def test_proposals_and_the_decision_a_plan_is_attached_to_are_not_bases() -> None:
    text = """THỦ TƯỚNG CHÍNH PHỦ
Số: 615/QĐ-TTg
QUYẾT ĐỊNH
Ban hành Kế hoạch phát triển nghề muối bền vững
Căn cứ Chỉ thị số 19-CT/TW ngày 05/6/2025 của Ban Bí thư về nghề muối;
Theo đề nghị của Bộ trưởng Bộ Nông nghiệp và Môi trường tại các văn bản số 52/TTr-BNNMT ngày 10/01/2026,
số 930/BNNMT-KTHT ngày 03 tháng 02 năm 2026 về hoàn thiện dự thảo và số 1204/BC-BNNMT ngày 20/02/2026;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển nghề muối bền vững.
KẾ HOẠCH
Phát triển nghề muối bền vững
(Kèm theo Quyết định số 615/QĐ-TTg ngày 02 tháng 3 năm 2026 của Thủ tướng Chính phủ)
I. MỤC TIÊU
"""
    assert [b.number for b in legal_basis.extract(_ctx(text))] == ["19-CT/TW"]


def test_an_article_cited_inside_a_basis_clause_stays_a_basis() -> None:
    text = (
        HEADER
        + """Căn cứ khoản 2 Điều 5 Nghị định số 45/2024/NĐ-CP ngày 02/4/2024 của Chính phủ; Điều 7 Thông tư
số 09/2025/TT-BTC ngày 15/01/2025 của Bộ Tài chính;
I. MỤC ĐÍCH
"""
    )
    assert [b.number for b in legal_basis.extract(_ctx(text))] == ["45/2024/NĐ-CP", "09/2025/TT-BTC"]
