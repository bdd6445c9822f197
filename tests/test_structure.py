"""Tables from pipe rows: header roles by column vocabulary, tables split across pages joined up."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.doctext import DocText
from pipeline.pages import PageText
from pipeline.structure import column_role, find_tables
from tests.conftest import draw_plan_pdf

HEADER = "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành | Sản phẩm |"


def _doc(*pages: str) -> DocText:
    return DocText([PageText(number=i + 1, origin="native", raw=p, text=p) for i, p in enumerate(pages)])


@pytest.mark.parametrize(("header", "role"), [
    ("STT", "stt"), ("TT", "stt"), ("Nhiệm vụ cụ thể", "task"), ("Cơ quan chủ trì", "lead"),
    ("Đơn vị chủ trì thực hiện", "lead"), ("Cơ quan phối hợp", "coop"), ("Thời gian hoàn thành", "deadline"),
    ("Tiến độ", "deadline"), ("Sản phẩm/Kết quả", "output"), ("Mục tiêu", "target"),
    ("Mục tiêu năm 2026", "value"), ("Cơ quan theo dõi, tổng hợp", "monitor"), ("Ghi chú", None),
    ("Co quan chu tri", "lead"),  # diacritics lost
])
def test_column_roles_from_header_vocabulary(header: str, role: str | None) -> None:
    assert column_role(header) == role


def test_header_row_gives_the_table_its_roles_and_cells_their_offsets() -> None:
    text = ("Phụ lục\n" + HEADER
            + "\n| 1 | Xây dựng kho dữ liệu | Sở KH&CN | Sở Tài chính | Quý II/2027 | Kho dữ liệu |\n")
    doc = _doc(text)
    (table,) = find_tables(doc)
    assert table.kind == "tasks" and table.header_rows == 1
    assert table.roles == {"stt": 0, "task": 1, "lead": 2, "coop": 3, "deadline": 4, "output": 5}
    (row,) = table.body
    lead = table.cell(row, "lead")
    assert lead is not None and doc.text[lead.start:lead.end] == "Sở KH&CN"


def test_a_table_split_across_pages_is_one_table() -> None:
    first = HEADER + "\n| 1 | Nhiệm vụ một | Sở Y tế | | Năm 2027 | Báo cáo |"
    second = "2\n" + HEADER + "\n| 2 | Nhiệm vụ hai | Sở Xây dựng | | Quý I/2027 | Đề án |"
    third = "| 3 | Nhiệm vụ ba | Sở Nội vụ | | Tháng 5/2027 | Quyết định |"
    tables = find_tables(_doc(first, second, third))
    assert len(tables) == 1
    assert [r[0].text for r in tables[0].body] == ["1", "2", "3"]


def test_tables_separated_by_prose_stay_apart() -> None:
    text = (HEADER + "\n| 1 | Nhiệm vụ một | Sở Y tế | | Năm 2027 | Báo cáo |\n"
            "Ngoài ra, các sở chủ động bố trí kinh phí.\n"
            "| STT | Mục tiêu | Mục tiêu năm 2027 | Cơ quan chủ trì |\n"
            "| 1 | Tỷ lệ hồ sơ trực tuyến | 80% | Sở Nội vụ |")
    tables = find_tables(_doc(text))
    assert [t.kind for t in tables] == ["tasks", "targets"]


def test_rows_without_a_header_form_a_table_without_roles() -> None:
    (table,) = find_tables(_doc("| a | b |\n| c | d |"))
    assert table.roles == {} and table.kind == "other" and len(table.rows) == 2


def test_document_without_tables() -> None:
    assert find_tables(_doc("I. MỤC ĐÍCH\nKhông có bảng nào.")) == []


@pytest.mark.slow
def test_born_digital_table_split_across_pages_joins(tmp_path: Path) -> None:
    from normalizers.text_repair import normalize_pages
    from pipeline.ingest import read_pages

    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"]]
    rows += [[str(i), f"Triển khai nhiệm vụ chuyển đổi số số {i} tại các xã vùng cao của tỉnh",
              "Sở KH&CN", f"Tháng {i % 12 + 1}/2027"] for i in range(1, 41)]
    pdf = draw_plan_pdf(tmp_path / "long_table.pdf", [["PHỤ LỤC", rows]])
    doc = DocText(normalize_pages(read_pages(pdf)))
    tables = [t for t in find_tables(doc) if t.kind == "tasks"]
    assert len(doc.pages) >= 2
    assert len(tables) == 1
    assert [r[0].text for r in tables[0].body] == [str(i) for i in range(1, 41)]
