"""Tables from pipe rows: header roles by column vocabulary, tables split across pages joined up."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model.doctext import DocText
from pipeline.model.pages import PageText
from pipeline.structure.document import column_role, find_tables
from tests.conftest import draw_plan_pdf

HEADER = "| STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành | Sản phẩm |"


def _doc(*pages: str) -> DocText:
    return DocText([PageText(number=i + 1, origin="native", raw=p, text=p) for i, p in enumerate(pages)])


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("STT", "stt"),
        ("TT", "stt"),
        ("Nhiệm vụ cụ thể", "task"),
        ("Cơ quan chủ trì", "lead"),
        ("Đơn vị chủ trì thực hiện", "lead"),
        ("Cơ quan phối hợp", "coop"),
        ("Thời gian hoàn thành", "deadline"),
        ("Tiến độ", "deadline"),
        ("Sản phẩm/Kết quả", "output"),
        ("Mục tiêu", "target"),
        ("Mục tiêu năm 2026", "value"),
        ("Cơ quan theo dõi, tổng hợp", "monitor"),
        ("Ghi chú", None),
        ("Co quan chu tri", "lead"),  # diacritics lost
    ],
)
def test_column_roles_from_header_vocabulary(header: str, role: str | None) -> None:
    assert column_role(header) == role


def test_header_row_gives_the_table_its_roles_and_cells_their_offsets() -> None:
    text = (
        "Phụ lục\n" + HEADER + "\n| 1 | Xây dựng kho dữ liệu | Sở KH&CN | Sở Tài chính | Quý II/2027 | Kho dữ liệu |\n"
    )
    doc = _doc(text)
    (table,) = find_tables(doc)
    assert table.kind == "tasks" and table.header_rows == 1
    assert table.roles == {"stt": 0, "task": 1, "lead": 2, "coop": 3, "deadline": 4, "output": 5}
    (row,) = table.body
    lead = table.cell(row, "lead")
    assert lead is not None and doc.text[lead.start : lead.end] == "Sở KH&CN"


def test_a_table_split_across_pages_is_one_table() -> None:
    first = HEADER + "\n| 1 | Nhiệm vụ một | Sở Y tế | | Năm 2027 | Báo cáo |"
    second = "2\n" + HEADER + "\n| 2 | Nhiệm vụ hai | Sở Xây dựng | | Quý I/2027 | Đề án |"
    third = "| 3 | Nhiệm vụ ba | Sở Nội vụ | | Tháng 5/2027 | Quyết định |"
    tables = find_tables(_doc(first, second, third))
    assert len(tables) == 1
    assert [r[0].text for r in tables[0].body] == ["1", "2", "3"]


def test_tables_separated_by_prose_stay_apart() -> None:
    text = (
        HEADER + "\n| 1 | Nhiệm vụ một | Sở Y tế | | Năm 2027 | Báo cáo |\n"
        "Ngoài ra, các sở chủ động bố trí kinh phí.\n"
        "| STT | Mục tiêu | Mục tiêu năm 2027 | Cơ quan chủ trì |\n"
        "| 1 | Tỷ lệ hồ sơ trực tuyến | 80% | Sở Nội vụ |"
    )
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
    from pipeline.read.ingest import read_pages

    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"]]
    rows += [
        [
            str(i),
            f"Triển khai nhiệm vụ chuyển đổi số số {i} tại các xã vùng cao của tỉnh",
            "Sở KH&CN",
            f"Tháng {i % 12 + 1}/2027",
        ]
        for i in range(1, 41)
    ]
    pdf = draw_plan_pdf(tmp_path / "long_table.pdf", [["PHỤ LỤC", rows]])
    doc = DocText(normalize_pages(read_pages(pdf)))
    tables = [t for t in find_tables(doc) if t.kind == "tasks"]
    assert len(doc.pages) >= 2
    assert len(tables) == 1
    assert [r[0].text for r in tables[0].body] == [str(i) for i in range(1, 41)]


# --- tables OCR read row-interleaved (invented rows; OCR damage of the kind Tesseract makes) -------------

INTERLEAVED = """PHU LUC
STT Nhiem vu cu the Co quan chu tri Co quan phoi hop Thoi han hoan thanh San pham
Xay dung co so du lieu dat dai so cua tinh | So Giao duc Cac so, nganh lien quan Ban do so
1. tich hop voi he thong thong tin dia ly | va Dao tao va cac don vi, to chuc co Quy /2027 duoc cong bo
lien quan
To chuc tap huan ky nang so cho can bo | So Noi vu, S6 Tai chinh, Q3/2027 — Tai lieu tap huan
2. cap xa va nguoi dan vung cao | S& Y te | Cong an tinh | va danh sach hoc vien
Q1/2028
Cai tao phong hop truc tuyen cua cac xa Théng Phong hop
3. bien gioi dat chuan ket noi | S0 Xay dung | UBND cap xa, Cong an tinh | 11/2027 duoc nghiem thu
Ra soat thu tuc hanh chinh theo Hang nam tu Bao cao ra soat
4. huong dan cua Bo Noi vu | Van phong UBND tinh | Cac so, nganh 2027
"""


def _recovered_rows(text: str) -> dict[str, dict[str, str]]:
    (table,) = find_tables(_doc(text))
    assert table.kind == "tasks" and table.recovered
    out = {}
    for row in table.body:
        cells = {role: (c.text if (c := table.cell(row, role)) else "") for role in ("lead", "coop", "deadline")}
        out[row[0].text] = cells
    return out


def test_interleaved_rows_get_their_own_lead_not_a_neighbours() -> None:
    rows = _recovered_rows(INTERLEAVED)
    assert list(rows) == ["1", "2", "3", "4"]
    # a wrapped lead cell (`So Giao duc` / `va Dao tao`), a cooperating list read on the line above the
    # row number (`So Noi vu, S6 Tai chinh`), a one-agency cell between rules, an OCR-garbled `Sở` (S0)
    assert [r["lead"] for r in rows.values()] == [
        "Sở Giáo dục và Đào tạo",
        "Sở Y tế",
        "Sở Xây dựng",
        "Văn phòng Ủy ban nhân dân tỉnh",
    ]
    assert rows["2"]["coop"] == "Sở Nội vụ, Sở Tài chính, Công an tỉnh"
    assert rows["3"]["coop"] == "Ủy ban nhân dân cấp xã, Công an tỉnh"
    assert "Bộ" not in rows["4"]["coop"]  # `của Bộ Nội vụ` belongs to the task text


@pytest.mark.parametrize(
    ("number", "window"),
    [
        ("1", ("2027-01-01", "2027-03-31", None)),  # `Quy /2027`: OCR dropped the roman I
        ("2", ("2027-07-01", "2028-03-31", None)),  # `Q3/2027 —` ... `Q1/2028` two lines apart
        ("3", ("2027-11-01", "2027-11-30", None)),  # `Théng` / `11/2027`
        ("4", ("2027-01-01", None, "annual")),  # `Hang nam tu` / `2027`
    ],
)
def test_interleaved_deadline_cells_are_joined_and_repaired(number: str, window: tuple) -> None:
    from normalizers.deadlines import parse_deadline

    deadline = parse_deadline(_recovered_rows(INTERLEAVED)[number]["deadline"], 2027)
    assert deadline is not None and (deadline.start, deadline.end, deadline.recurrence) == window


def test_a_year_inside_the_task_text_is_not_the_deadline() -> None:
    text = (
        "STT Nhiem vu Co quan chu tri Co quan phoi hop Thoi han hoan thanh San pham\n"
        "Xay dung chien luoc du lieu giai doan 2026 - 2030 va tam nhin den nam 2035 | So Tai chinh |\n"
        "1. trinh UBND tinh phe duyet Thuong Chien luoc\n"
        "xuyen\n"
    )
    rows = _recovered_rows(text)
    assert rows["1"]["lead"] == "Sở Tài chính"
    assert rows["1"]["deadline"] == "Thường xuyên"


def test_the_outline_is_parsed_once_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every extractor reads the structure computed once (ctx.structure): none parses the outline again."""
    import extractors
    import extractors.tasks
    import pipeline.structure.document
    import pipeline.structure.outline

    calls: list[int] = []
    real = pipeline.structure.outline.parse_outline

    def counted(doc: DocText) -> list[pipeline.structure.outline.OutlineNode]:
        calls.append(1)
        return real(doc)

    for module in (pipeline.structure.outline, pipeline.structure.document, extractors.tasks):
        monkeypatch.setattr(module, "parse_outline", counted)
    text = (
        "ỦY BAN NHÂN DÂN\nHUYỆN ĐÀO VIÊN\nSố: 41/KH-UBND\n\nKẾ HOẠCH\nTrồng rừng ngập mặn năm 2027\n\n"
        "I. MỤC TIÊU\n1. Mục tiêu cụ thể\n- Trồng mới 35 ha rừng ngập mặn.\n"
        "II. NHIỆM VỤ VÀ GIẢI PHÁP\n1. Phòng Nông nghiệp chủ trì ươm 12.000 cây giống.\n"
        "III. KINH PHÍ\nTổng kinh phí 1.200.000.000 đồng.\n"
        "IV. TỔ CHỨC THỰC HIỆN\n1. Phòng Tài chính - Kế hoạch bố trí kinh phí trước ngày 30/6/2027.\n"
    )
    result = extractors.extract_all(_doc(text))
    assert len(calls) == 1
    assert [(t.value, t.unit) for t in result.targets][:1] == [(35, "ha")]
    assert [b.amount_vnd for b in result.budgets] == [1_200_000_000]
