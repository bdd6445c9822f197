"""Budgets: the money that funds the plan, total vs components, past spending left out."""

from __future__ import annotations

from extractors import budgets, metadata
from extractors.context import Context
from pipeline.doctext import DocText
from pipeline.pages import PageText
from pipeline.structure import find_tables


def _ctx(text: str) -> Context:
    doc = DocText([PageText(number=1, origin="plain", raw=text, text=text)])
    meta = metadata.extract(doc)
    return Context(doc=doc, metadata=meta, plan_year=metadata.plan_year(doc, meta), tables=find_tables(doc))


HEAD = """KẾ HOẠCH
Ứng dụng khoa học và công nghệ năm 2027

Căn cứ Quyết định số 410/QĐ-UBND ngày 03/3/2026 của UBND tỉnh Sơn La về dự toán 9.999 triệu đồng;
Ủy ban nhân dân tỉnh Sơn La ban hành Kế hoạch như sau:

"""


def test_total_and_components_with_sources() -> None:
    text = HEAD + """A. KẾT QUẢ THỰC HIỆN NĂM 2026
Năm 2026 đã giải ngân 14.200 triệu đồng cho 31 nhiệm vụ.

B. KẾ HOẠCH NĂM 2027
I. NHIỆM VỤ
1. Triển khai 12 đề tài cấp tỉnh.
II. KINH PHÍ THỰC HIỆN
Tổng kinh phí dự kiến: 21.750,5 triệu đồng. Trong đó:
- Ngân sách sự nghiệp khoa học tỉnh: 19.250,5 triệu đồng;
- Vốn đối ứng của doanh nghiệp: 2,5 tỷ đồng.
III. TỔ CHỨC THỰC HIỆN
"""
    ctx = _ctx(text)
    found = budgets.extract(ctx)
    assert [(b.amount_vnd, b.role, b.year) for b in found] == [
        (21_750_500_000, "total", 2027), (19_250_500_000, "component", 2027), (2_500_000_000, "component", 2027),
    ]
    assert [b.source for b in found] == [
        "Tổng kinh phí dự kiến", "Ngân sách sự nghiệp khoa học tỉnh", "Vốn đối ứng của doanh nghiệp"]
    for b in found:
        assert ctx.doc.span_text(b.span) == b.text


def test_breakdown_recognised_by_its_sum_and_year_from_the_label() -> None:
    text = HEAD + """I. KINH PHÍ
1. Kinh phí năm 2028: 3.600 triệu đồng
- Nguồn ngân sách tỉnh: 2.400 triệu đồng;
- Nguồn xã hội hóa: 1.200 triệu đồng.
"""
    found = budgets.extract(_ctx(text))
    assert [(b.amount_vnd, b.role, b.year) for b in found] == [
        (3_600_000_000, "total", 2028), (2_400_000_000, "component", 2028), (1_200_000_000, "component", 2028)]


def test_plan_without_amounts_has_no_budget() -> None:
    text = HEAD + """I. KINH PHÍ THỰC HIỆN
Kinh phí thực hiện từ nguồn ngân sách nhà nước theo phân cấp và các nguồn hợp pháp khác; đồng thời
huy động sự tham gia của các đồng chí lãnh đạo và 3 đồng hồ đo kiểm chuẩn.
"""
    assert budgets.extract(_ctx(text)) == []


def test_past_spending_outside_a_review_section_is_left_out() -> None:
    text = HEAD + """I. NHIỆM VỤ
Năm 2026 tỉnh đã bố trí 5.000 triệu đồng cho nền tảng số; năm 2027 dự kiến bố trí 6.500 triệu đồng.
"""
    found = budgets.extract(_ctx(text))
    assert [b.amount_vnd for b in found] == [6_500_000_000]


def test_amounts_in_a_table_column_with_the_unit_in_the_header() -> None:
    text = HEAD + """I. NHIỆM VỤ VÀ KINH PHÍ
Đơn vị tính: triệu đồng
| STT | Nhiệm vụ | Cơ quan chủ trì | Kinh phí |
| 1 | Xây dựng sàn giao dịch công nghệ | Sở Khoa học và Công nghệ | 1.250,5 |
| 2 | Hỗ trợ doanh nghiệp đổi mới công nghệ | Sở Công Thương | 800 |
| | Tổng cộng | | 2.050,5 |
"""
    ctx = _ctx(text)
    found = budgets.extract(ctx)
    assert [(b.amount_vnd, b.role, b.source) for b in found] == [
        (1_250_500_000, "component", "Xây dựng sàn giao dịch công nghệ"),
        (800_000_000, "component", "Hỗ trợ doanh nghiệp đổi mới công nghệ"),
        (2_050_500_000, "total", "Tổng cộng"),
    ]
    assert all(b.year == 2027 for b in found)
    assert ctx.doc.span_text(found[0].span) == "1.250,5"


def test_breakdown_inside_one_sentence() -> None:
    text = HEAD + """I. KINH PHÍ
Tổng kinh phí thực hiện năm 2027 là 150 tỷ đồng, trong đó: ngân sách trung ương 100 tỷ đồng; ngân sách
tỉnh 45,5 tỷ đồng và nguồn xã hội hóa 4,5 tỷ đồng.
"""
    found = budgets.extract(_ctx(text))
    assert [(b.amount_vnd, b.role, b.source) for b in found] == [
        (150_000_000_000, "total", "Tổng kinh phí thực hiện năm 2027"),
        (100_000_000_000, "component", "ngân sách trung ương"),
        (45_500_000_000, "component", "ngân sách tỉnh"),
        (4_500_000_000, "component", "nguồn xã hội hóa"),
    ]


def test_a_total_restated_later_counts_once() -> None:
    text = HEAD + """I. KINH PHÍ
Tổng kinh phí thực hiện: 7.500 triệu đồng.
II. TỔ CHỨC THỰC HIỆN
Sở Tài chính bảo đảm tổng kinh phí 7.500 triệu đồng theo Kế hoạch.
"""
    assert [b.amount_vnd for b in budgets.extract(_ctx(text))] == [7_500_000_000]


def test_empty_or_junk_document_has_no_budget() -> None:
    for text in ("", "\f\n|||\n12% 3 đồng ./. KẾ HOẠCH"):
        assert budgets.extract(_ctx(text)) == []
