"""The outline: parts, sections, items, letters, bullets, appendices — each node knows where it sits."""

from __future__ import annotations

from pathlib import Path

from pipeline.model.doctext import DocText
from pipeline.model.pages import PageText
from pipeline.structure.outline import OutlineNode, node_text, own_text_end, parse_outline
from tests.conftest import vnplan_extract

PLAN = """KẾ HOẠCH
Phát triển kinh tế số tỉnh năm 2027
A. KẾT QUẢ NĂM 2026
I. ĐÁNH GIÁ CHUNG
Năm 2026, toàn tỉnh hoàn thành 12 nhiệm vụ.
B. NHIỆM VỤ NĂM 2027
I. MỤC TIÊU
1. Mục tiêu chung
Phát triển hạ tầng số đồng bộ.
II. NHIỆM VỤ CỤ THỂ
1. Hạ tầng số
1.1. Mở rộng mạng 5G
a) Phủ sóng các khu công nghiệp
- Nội dung: lắp đặt 40 trạm phát sóng
+ ưu tiên vùng biên giới
- Thời gian thực hiện: Quý III/2027
b) Phủ sóng các xã vùng cao
đ) Đo kiểm chất lượng
2. Dữ liệu số
| STT | Nhiệm vụ | Cơ quan chủ trì |
| 1. | Lập danh mục dữ liệu | Sở Tài chính |
III. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ: chủ trì theo dõi.
PHỤ LỤC 01
Danh mục chỉ tiêu
"""


def _outline(text: str) -> tuple[DocText, list[OutlineNode]]:
    doc = DocText([PageText(number=1, origin="plain", raw=text, text=text)])
    return doc, parse_outline(doc)


def test_every_kind_of_heading_is_found_in_order() -> None:
    _, nodes = _outline(PLAN)
    assert [(n.kind, n.marker) for n in nodes] == [
        ("part", "A"),
        ("section", "I"),
        ("part", "B"),
        ("section", "I"),
        ("item", "1"),
        ("section", "II"),
        ("item", "1"),
        ("item", "1.1"),
        ("letter", "a"),
        ("bullet", "-"),
        ("subbullet", "+"),
        ("bullet", "-"),
        ("letter", "b"),
        ("letter", "đ"),
        ("item", "2"),
        ("section", "III"),
        ("item", "1"),
        ("appendix", "PHỤ LỤC 01"),
    ]


def test_each_node_knows_its_parent_and_level() -> None:
    _, nodes = _outline(PLAN)
    letter_a = next(n for n in nodes if n.marker == "a")
    chain = []
    node: OutlineNode | None = letter_a
    while node is not None:
        chain.append(node.marker)
        node = nodes[node.parent] if node.parent is not None else None
    assert chain == ["a", "1.1", "1", "II", "B"]
    assert letter_a.level == 4
    assert nodes[-1].parent is None  # an appendix stands at the top


def test_extents_cover_children_and_stop_at_the_next_sibling() -> None:
    doc, nodes = _outline(PLAN)
    i = next(i for i, n in enumerate(nodes) if n.marker == "a")
    text = node_text(doc, nodes[i])
    assert "40 trạm" in text and "Quý III/2027" in text and "vùng cao" not in text
    assert own_text_end(nodes, i) == nodes[i].end  # bullets belong to the letter's own text
    item_11 = next(i for i, n in enumerate(nodes) if n.marker == "1.1")
    assert own_text_end(nodes, item_11) == nodes[i].start


def test_titles_stop_at_a_colon() -> None:
    _, nodes = _outline(PLAN)
    org = next(n for n in nodes if n.kind == "item" and n.title.startswith("Sở"))
    assert org.title == "Sở Khoa học và Công nghệ"


def test_table_rows_and_numbers_in_prose_are_not_headings() -> None:
    _, nodes = _outline(PLAN)
    assert all(n.title != "|" for n in nodes)
    _, prose = _outline("Kinh phí năm 2026 là 12,5 tỷ đồng.\n2026 - 2030 là giai đoạn chuyển đổi.\n")
    assert prose == []


def test_pages_joined_keep_one_outline() -> None:
    first = "I. NHIỆM VỤ\n1. Hạ tầng số\nXây dựng trung tâm dữ liệu"
    second = "2. Dữ liệu số\nII. TỔ CHỨC THỰC HIỆN"
    doc = DocText(
        [
            PageText(number=1, origin="native", raw=first, text=first),
            PageText(number=2, origin="native", raw=second, text=second),
        ]
    )
    nodes = parse_outline(doc)
    assert [(n.marker, n.level) for n in nodes] == [("I", 0), ("1", 1), ("2", 1), ("II", 0)]
    assert doc.span(nodes[2].start, nodes[2].end).page == 2


def test_empty_document_has_no_outline() -> None:
    assert parse_outline(DocText([PageText(number=1, origin="plain", raw="", text="")])) == []


def test_slash_markers_and_phan_muc_headings() -> None:
    text = (
        "Phần I. MỤC TIÊU\nMục 1. Mục tiêu chung\n1/ Phổ cập kỹ năng số cho người dân.\n"
        "Phần II. TỔ CHỨC THỰC HIỆN\n1/ Sở Nội vụ: rà soát biên chế.\na/ Năm đầu: 10 lớp;\n"
        "b/ Năm sau: 12 lớp.\n2/ Sở Y tế: số hóa hồ sơ.\n"
    )
    _, nodes = _outline(text)
    assert [(n.kind, n.marker, n.level) for n in nodes] == [
        ("part", "Phần I", 0),
        ("section", "1", 1),
        ("item", "1", 2),
        ("part", "Phần II", 0),
        ("item", "1", 1),
        ("letter", "a", 2),
        ("letter", "b", 2),
        ("item", "2", 1),
    ]
    assert nodes[4].title == "Sở Nội vụ"


def test_dates_and_document_numbers_with_a_slash_are_not_markers() -> None:
    _, nodes = _outline("1/2027 là tháng khởi động.\n3/QĐ-UBND ngày 5/1/2027 đã ban hành.\n12/ 2027\n")
    assert nodes == []


def test_a_first_section_numeral_read_as_one_letter_still_opens_section_one() -> None:
    # OCR of a bold `I.` as `L` (its dot swallowed); a later `L ...` line is prose, not a section
    text = "KẾ HOẠCH\nL MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nNội dung.\nII. NHIỆM VỤ\nL CÁC XÃ VÙNG CAO\n"
    _, nodes = _outline(text)
    assert [(n.kind, n.marker, n.title) for n in nodes if n.kind == "section"] == [
        ("section", "I", "MỤC ĐÍCH, YÊU CẦU"),
        ("section", "II", "NHIỆM VỤ"),
    ]
    _, nodes = _outline("KẾ HOẠCH\nL Sở Tài chính chủ trì\nI. MỤC TIÊU\n")
    assert [n.marker for n in nodes if n.kind == "section"] == ["I"]


def test_a_plan_whose_first_numeral_ocr_misread_keeps_its_goals(tmp_path: Path) -> None:
    plan = (
        "ỦY BAN NHÂN DÂN\nTỈNH BÌNH NGUYÊN\nSố: 21/KH-UBND\nBình Nguyên, ngày 3 tháng 4 năm 2026\n"
        "KẾ HOẠCH\nPhát triển thương mại điện tử giai đoạn 2026 - 2030\n"
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 2 tháng 1 năm 2026 của Ủy ban nhân dân tỉnh;\n"
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n"
        "L MỤC TIÊU\n1. Mục tiêu cụ thể đến năm 2030\n"
        "a) Có ít nhất 45 hợp tác xã bán hàng trên sàn thương mại điện tử.\n"
        "b) 80% hộ kinh doanh thanh toán không dùng tiền mặt.\n"
        "II. NHIỆM VỤ\n1. Sở Công Thương tổ chức tập huấn cho hợp tác xã.\n"
    )
    found = vnplan_extract(tmp_path / "plan.txt", plan)
    assert sorted((t["value"], t["unit"]) for t in found["targets"]) == [(45, "hợp tác xã"), (80, "%")]
    assert found["legal_basis"] and all("MỤC TIÊU" not in b.get("title", "") for b in found["legal_basis"])
