"""Budgets: the money that funds the plan, total vs components, past spending left out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from extractors import budgets, metadata
from extractors.context import Context
from pipeline.model.doctext import DocText
from pipeline.model.pages import PageText
from pipeline.structure.document import find_tables
from tests.conftest import draw_plan_pdf


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
    text = (
        HEAD
        + """A. KẾT QUẢ THỰC HIỆN NĂM 2026
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
    )
    ctx = _ctx(text)
    found = budgets.extract(ctx)
    assert [(b.amount_vnd, b.role, b.year) for b in found] == [
        (21_750_500_000, "total", 2027),
        (19_250_500_000, "component", 2027),
        (2_500_000_000, "component", 2027),
    ]
    assert [b.source for b in found] == [
        "Tổng kinh phí dự kiến",
        "Ngân sách sự nghiệp khoa học tỉnh",
        "Vốn đối ứng của doanh nghiệp",
    ]
    for b in found:
        assert ctx.doc.span_text(b.span) == b.text


def test_breakdown_recognised_by_its_sum_and_year_from_the_label() -> None:
    text = (
        HEAD
        + """I. KINH PHÍ
1. Kinh phí năm 2028: 3.600 triệu đồng
- Nguồn ngân sách tỉnh: 2.400 triệu đồng;
- Nguồn xã hội hóa: 1.200 triệu đồng.
"""
    )
    found = budgets.extract(_ctx(text))
    assert [(b.amount_vnd, b.role, b.year) for b in found] == [
        (3_600_000_000, "total", 2028),
        (2_400_000_000, "component", 2028),
        (1_200_000_000, "component", 2028),
    ]


def test_plan_without_amounts_has_no_budget() -> None:
    text = (
        HEAD
        + """I. KINH PHÍ THỰC HIỆN
Kinh phí thực hiện từ nguồn ngân sách nhà nước theo phân cấp và các nguồn hợp pháp khác; đồng thời
huy động sự tham gia của các đồng chí lãnh đạo và 3 đồng hồ đo kiểm chuẩn.
"""
    )
    assert budgets.extract(_ctx(text)) == []


def test_past_spending_outside_a_review_section_is_left_out() -> None:
    text = (
        HEAD
        + """I. NHIỆM VỤ
Năm 2026 tỉnh đã bố trí 5.000 triệu đồng cho nền tảng số; năm 2027 dự kiến bố trí 6.500 triệu đồng.
"""
    )
    found = budgets.extract(_ctx(text))
    assert [b.amount_vnd for b in found] == [6_500_000_000]


def test_amounts_in_a_table_column_with_the_unit_in_the_header() -> None:
    text = (
        HEAD
        + """I. NHIỆM VỤ VÀ KINH PHÍ
Đơn vị tính: triệu đồng
| STT | Nhiệm vụ | Cơ quan chủ trì | Kinh phí |
| 1 | Xây dựng sàn giao dịch công nghệ | Sở Khoa học và Công nghệ | 1.250,5 |
| 2 | Hỗ trợ doanh nghiệp đổi mới công nghệ | Sở Công Thương | 800 |
| | Tổng cộng | | 2.050,5 |
"""
    )
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
    text = (
        HEAD
        + """I. KINH PHÍ
Tổng kinh phí thực hiện năm 2027 là 150 tỷ đồng, trong đó: ngân sách trung ương 100 tỷ đồng; ngân sách
tỉnh 45,5 tỷ đồng và nguồn xã hội hóa 4,5 tỷ đồng.
"""
    )
    found = budgets.extract(_ctx(text))
    assert [(b.amount_vnd, b.role, b.source) for b in found] == [
        (150_000_000_000, "total", "Tổng kinh phí thực hiện năm 2027"),
        (100_000_000_000, "component", "ngân sách trung ương"),
        (45_500_000_000, "component", "ngân sách tỉnh"),
        (4_500_000_000, "component", "nguồn xã hội hóa"),
    ]


def test_a_total_restated_later_counts_once() -> None:
    text = (
        HEAD
        + """I. KINH PHÍ
Tổng kinh phí thực hiện: 7.500 triệu đồng.
II. TỔ CHỨC THỰC HIỆN
Sở Tài chính bảo đảm tổng kinh phí 7.500 triệu đồng theo Kế hoạch.
"""
    )
    assert [b.amount_vnd for b in budgets.extract(_ctx(text))] == [7_500_000_000]


def test_empty_or_junk_document_has_no_budget() -> None:
    for text in ("", "\f\n|||\n12% 3 đồng ./. KẾ HOẠCH"):
        assert budgets.extract(_ctx(text)) == []


# ------------------------------------------------------------------ cost tables, rates, ranges


def test_unit_in_a_spanning_header_over_split_columns_and_a_source_column() -> None:
    text = (
        HEAD
        + """I. NHIỆM VỤ VÀ KINH PHÍ
| STT | Nội dung | Nguồn kinh phí | Kinh phí (triệu đồng) | |
| | | | Năm 2027 | Năm 2028 |
| 1 | Lắp đặt trạm đo mưa tự động | Ngân sách tỉnh | 640 | 320,5 |
| 2 | Số hóa bản đồ ngập lụt | Vốn sự nghiệp | 95 | |
"""
    )
    found = budgets.extract(_ctx(text))
    assert [(b.amount_vnd, b.year, b.source) for b in found] == [
        (640_000_000, 2027, "Ngân sách tỉnh"),
        (320_500_000, 2028, "Ngân sách tỉnh"),
        (95_000_000, 2027, "Vốn sự nghiệp"),
    ]


def test_rates_factors_and_ranges() -> None:
    text = (
        HEAD
        + """I. KINH PHÍ
Kinh phí tập huấn theo định mức 180.000 đồng/người/ngày; hỗ trợ tối đa 2 tỷ đồng/năm/hợp tác xã.
Kinh phí hằng năm 900.000.000 đồng/năm x 03 năm.
Huy động từ các doanh nghiệp khoảng 4 - 6 tỷ đồng.
"""
    )
    assert sorted(b.amount_vnd for b in budgets.extract(_ctx(text))) == [900_000_000, 4_000_000_000, 6_000_000_000]


# An invented plan (nothing in it comes from a real document): a preamble with basis and non-basis
# citations, a cost appendix whose amounts carry their unit only in the column header, a total row that
# restates the body's total, a source column, a unit-price column, a rate and a range.
COST_PLAN_PARAGRAPHS = [
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ",
    "Số: 58/KH-UBND",
    "Quảng Trị, ngày 14 tháng 3 năm 2027",
    "KẾ HOẠCH",
    "Phục hồi rạn san hô ven bờ năm 2027",
    "Căn cứ Nghị định số 118/2026/NĐ-CP ngày 03/4/2026 của Chính phủ về bảo tồn đa dạng sinh học biển;",
    "Căn cứ Phương án 0412/PA-UBND ngày 12/01/2027 của Ủy ban nhân dân tỉnh về bảo vệ vùng biển ven bờ;",
    "Theo đề nghị của Sở Nông nghiệp và Môi trường tại các văn bản số 77/TTr-SNNMT ngày 05/02/2027, "
    "số 1045/SNNMT-TS ngày 11/02/2027 về việc lựa chọn vị trí thả giá thể và số 1190/BC-SNNMT ngày "
    "20/02/2027.",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "Phục hồi các rạn san hô bị suy thoái ở vùng biển ven bờ của tỉnh.",
    "II. KINH PHÍ THỰC HIỆN",
    "Tổng kinh phí thực hiện Kế hoạch là 246.000.000 đồng (chi tiết tại Phụ lục). Chi bồi dưỡng thợ lặn "
    "theo định mức 320.000 đồng/người/ngày. Ngoài ra, dự kiến huy động thêm từ 2 - 3 tỷ đồng từ các "
    "doanh nghiệp du lịch biển.",
    "III. TỔ CHỨC THỰC HIỆN",
    "Sở Nông nghiệp và Môi trường chủ trì tổ chức thực hiện Kế hoạch.",
]
COST_APPENDIX_TITLE = ["PHỤ LỤC", "DỰ TOÁN KINH PHÍ PHỤC HỒI RẠN SAN HÔ NĂM 2027"]
COST_TABLE = [
    ["TT", "Nội dung chi", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)", "Nguồn kinh phí"],
    ["1", "Khảo sát hiện trạng rạn san hô", "12", "4.250.000", "51.000.000", "Ngân sách tỉnh"],
    ["2", "Thả giá thể phục hồi san hô", "300", "650.000", "195.000.000", "Vốn xã hội hóa"],
    ["", "Tổng cộng", "", "", "246.000.000", ""],
]


def _vnplan_extract(path: Path) -> dict:
    vnplan = Path(sys.executable).with_name("vnplan")
    run = subprocess.run([str(vnplan), "extract", str(path)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _check_cost_plan(plan: dict) -> None:
    assert sorted(b["amount_vnd"] for b in plan["budgets"]) == [
        51_000_000,
        195_000_000,
        246_000_000,
        2_000_000_000,
        3_000_000_000,
    ]
    by_amount = {b["amount_vnd"]: b for b in plan["budgets"]}
    assert by_amount[51_000_000]["source"] == "Ngân sách tỉnh"
    assert by_amount[195_000_000]["source"] == "Vốn xã hội hóa"
    assert by_amount[246_000_000]["role"] == "total"
    assert [b["number"] for b in plan["legal_basis"]] == ["118/2026/NĐ-CP", "0412/PA-UBND"]


def test_cost_appendix_and_basis_through_the_command_on_text(tmp_path: Path) -> None:
    rows = "\n".join(" | ".join(row).join(("| ", " |")) for row in COST_TABLE)
    path = tmp_path / "ke_hoach_san_ho.txt"
    path.write_text("\n".join(COST_PLAN_PARAGRAPHS + COST_APPENDIX_TITLE) + "\n" + rows + "\n", "utf-8")
    _check_cost_plan(_vnplan_extract(path))


def test_cost_appendix_and_basis_through_the_command_on_a_pdf(tmp_path: Path) -> None:
    path = draw_plan_pdf(tmp_path / "ke_hoach_san_ho.pdf", [COST_PLAN_PARAGRAPHS, [*COST_APPENDIX_TITLE, COST_TABLE]])
    _check_cost_plan(_vnplan_extract(path))


def test_a_target_table_is_not_a_cost_table() -> None:
    text = (
        HEAD
        + """I. MỤC TIÊU
Triển khai đồng bộ các giải pháp; các chỉ tiêu như sau:
| STT | Chỉ tiêu | Đơn vị tính | Giá trị năm 2027 |
| 1 | Diện tích rừng ngập mặn trồng mới | ha | 1.250 |
| 2 | Số hộ nuôi ong được cấp mã vùng | hộ | 3.400 |
"""
    )
    assert budgets.extract(_ctx(text)) == []


def test_amount_columns_split_by_source_under_one_unit() -> None:
    text = (
        HEAD
        + """II. KINH PHÍ
| TT | Hạng mục | Kinh phí (triệu đồng) | | |
| | | Tổng số | Ngân sách trung ương | Vốn đối ứng địa phương |
| 1 | Nạo vét kênh tiêu úng | 1.800 | 1.200 | 600 |
| 2 | Gia cố bờ bao ô trũng | 950 | | 950 |
Nguồn vốn xã hội hóa dự kiến từ 1,5 đến 2 tỷ đồng.
"""
    )
    found = budgets.extract(_ctx(text))
    assert [(b.amount_vnd, b.role, b.source) for b in found] == [
        (1_800_000_000, "total", "Nạo vét kênh tiêu úng"),
        (1_200_000_000, "component", "Ngân sách trung ương"),
        (600_000_000, "component", "Vốn đối ứng địa phương"),
        (950_000_000, "total", "Gia cố bờ bao ô trũng"),
        (950_000_000, "component", "Vốn đối ứng địa phương"),
        (1_500_000_000, "component", "Nguồn vốn xã hội hóa"),
        (2_000_000_000, "component", "Nguồn vốn xã hội hóa"),
    ]


def test_merged_and_shifted_rows_of_a_cost_appendix() -> None:
    text = (
        HEAD
        + """I. KINH PHÍ
Kinh phí chi tiết tại Phụ lục.
PHỤ LỤC
| TT | Nội dung | Số lượng | Đơn giá (đồng) | Thành tiền (đồng) | Ghi chú |
| I | Điều tra nguồn lợi cá suối | 45.600.000 | | | |
| 1 | Thuê thuyền khảo sát | 4 | 2.400.000 | 9.600.000 | |
| Lấy mẫu cá ở vùng thượng nguồn | 12 | 3.000.000 | 36.000.000 | Theo định mức | |
| | 3 | Thuê máy đo dòng chảy | 3 | 400.000 | 1.200.000 |
"""
    )
    found = budgets.extract(_ctx(text))
    assert [(b.amount_vnd, b.source) for b in found] == [
        (45_600_000, "Điều tra nguồn lợi cá suối"),
        (9_600_000, "Thuê thuyền khảo sát"),
        (36_000_000, "Lấy mẫu cá ở vùng thượng nguồn"),
        (1_200_000, "Thuê máy đo dòng chảy"),
    ]
