"""Word (.docx) and markdown inputs, read through the `vnplan` command as a user runs it.

The documents are drawn here: a .docx written with python-docx (Word's automatic numbering defined
in its numbering.xml, a table with merged cells and a repeated header row, a running header and
footer), and markdown as a web-to-markdown converter leaves a page (pipe-cell blocks, `**bold**`,
lines hard-wrapped at 80 characters). The text is invented for the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

ROOT = Path(__file__).resolve().parent.parent


def vnplan(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


# --- drawing a Word file ---------------------------------------------------------------------------

_ABSTRACT = """<w:abstractNum {ns} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>"""


def _numbered(document: docx.document.Document, text: str, level: int, num_id: int = 90) -> None:
    paragraph = document.add_paragraph(text)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _merge_down(cell_top: docx.table._Cell, cell_bottom: docx.table._Cell) -> None:
    cell_top.merge(cell_bottom)


def _repeat_header(row: docx.table._Row) -> None:
    row._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))


def draw_plan_docx(path: Path) -> None:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_ABSTRACT.format(ns=nsdecls("w"))))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    section = document.sections[0]
    section.header.paragraphs[0].text = "Bản dự thảo lưu hành nội bộ"
    section.footer.paragraphs[0].text = "Trang chân 7"

    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH BẮC SƠN"
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    header.cell(1, 0).text = "Số: 45/KH-UBND"
    header.cell(1, 1).text = "Bắc Sơn, ngày 12 tháng 3 năm 2026"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Phát triển thư viện số cấp xã giai đoạn 2026 - 2028")
    document.add_paragraph("Căn cứ Quyết định số 88/QĐ-TTg ngày 05/01/2026 của Thủ tướng Chính phủ;")
    _numbered(document, "MỤC TIÊU", 0)
    _numbered(document, "Mục tiêu cụ thể", 1)
    _numbered(document, "Đến năm 2028, 90% xã có thư viện số.", 2)
    _numbered(document, "Mỗi xã có ít nhất 02 điểm đọc sách.", 2)
    _numbered(document, "Điểm đọc mở cửa cả ngày nghỉ.", 3)
    _numbered(document, "TỔ CHỨC THỰC HIỆN", 0)
    _numbered(document, "Sở Văn hóa và Thể thao", 1)
    _numbered(document, "Chủ trì xây dựng kho sách điện tử dùng chung, hoàn thành trong năm 2026.", 2)
    document.add_paragraph("Phụ lục")
    table = document.add_table(rows=4, cols=4)
    for col, title in enumerate(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"]):
        table.cell(0, col).text = title
    _repeat_header(table.rows[0])
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Số hóa tài liệu địa chí"
    table.cell(1, 2).text = "Sở Văn hóa và Thể thao"
    table.cell(1, 3).text = "Quý II/2027"
    table.cell(2, 0).text = "2"
    table.cell(2, 1).text = "Tập huấn cán bộ thư viện xã"
    table.cell(2, 2).text = "Sở Nội vụ"
    table.cell(2, 3).text = "Năm 2026"
    _merge_down(table.cell(2, 1), table.cell(3, 1))  # one duty, two leads below each other
    table.cell(3, 0).text = "3"
    table.cell(3, 2).text = "Ủy ban nhân dân các xã"
    table.cell(3, 3).text = "Năm 2027"
    document.save(str(path))


# --- Word ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "ke_hoach.docx"
    draw_plan_docx(path)
    return path


def test_docx_text_shows_numbering_tables_and_no_running_header(plan_docx: Path) -> None:
    proc = vnplan("text", str(plan_docx))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    # the two-column header block is read column by column, as the page reads
    assert lines[:6] == ["ỦY BAN NHÂN DÂN", "TỈNH BẮC SƠN", "Số: 45/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc", "Bắc Sơn, ngày 12 tháng 3 năm 2026"]
    # Word's automatic numbering, as Word displays it; counters restart under a new parent
    for shown in ["I. MỤC TIÊU", "1. Mục tiêu cụ thể", "a) Đến năm 2028, 90% xã có thư viện số.",
                  "b) Mỗi xã có ít nhất 02 điểm đọc sách.", "- Điểm đọc mở cửa cả ngày nghỉ.",
                  "II. TỔ CHỨC THỰC HIỆN", "1. Sở Văn hóa và Thể thao",
                  "a) Chủ trì xây dựng kho sách điện tử dùng chung, hoàn thành trong năm 2026."]:
        assert shown in lines
    rows = [line for line in lines if line.startswith("|")]
    assert rows == [
        "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |",
        "| 1 | Số hóa tài liệu địa chí | Sở Văn hóa và Thể thao | Quý II/2027 |",
        "| 2 | Tập huấn cán bộ thư viện xã | Sở Nội vụ | Năm 2026 |",
        "| 3 | | Ủy ban nhân dân các xã | Năm 2027 |",  # the merged cell's text stands once
    ]
    assert "nội bộ" not in proc.stdout and "Trang chân" not in proc.stdout


def test_docx_extract_record(plan_docx: Path) -> None:
    proc = vnplan("extract", str(plan_docx))
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["source"]["media_type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert record["source"]["text_origin"] == "native"
    assert record["metadata"]["doc_number"] == "45/KH-UBND"
    assert record["metadata"]["issued_date"] == "2026-03-12"
    assert [b["number"] for b in record["legal_basis"]] == ["88/QĐ-TTg"]
    tasks = {t["text"]: t for t in record["tasks"]}
    assert "Số hóa tài liệu địa chí" in tasks
    assert tasks["Số hóa tài liệu địa chí"]["lead_agency"] == "Sở Văn hóa và Thể thao"
    # every span points at its own text in the text `vnplan text` prints
    text = vnplan("text", str(plan_docx)).stdout.split("\f\n")
    for task in record["tasks"]:
        span = task["span"]
        assert task["text"][:20] in text[span["page"] - 1][span["start"]:span["end"]]


# --- markdown --------------------------------------------------------------------------------------

CONVERTED_MD = """|
**ỦY BAN NHÂN
DÂN**
TỈNH BẮC SƠN
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 45/KH-UBND
|
*Bắc Sơn, ngày
12 tháng 3 năm 2026*
|


**KẾ HOẠCH**

PHÁT TRIỂN THƯ VIỆN SỐ CẤP XÃ
GIAI ĐOẠN 2026 - 2028

Căn cứ Quyết định số
88/QĐ-TTg ngày 05/01/2026 của Thủ tướng Chính phủ về phát triển văn hóa đọc trong
cộng đồng;

**I. MỤC
TIÊU**

- Đến năm 2028, 90% xã có
thư viện số được kết nối với thư viện tỉnh và mở cửa cả ngày nghỉ cuối tuần theo
quy định.

|
**STT**
|
**Nhiệm vụ**
|
**Cơ quan chủ trì**
|
**Thời gian**
|
|
**I. SỐ HÓA**
|
|
1
|
Số hóa tài liệu
địa chí
|
Thư viện tỉnh
|
Quý II/2027
|
|
2
|
Tập huấn cán bộ
|
|
Năm 2026
|
"""


def test_markdown_converter_text(tmp_path: Path) -> None:
    path = tmp_path / "ke_hoach.md"
    path.write_text(CONVERTED_MD, encoding="utf-8")
    proc = vnplan("text", str(path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:6] == ["ỦY BAN NHÂN DÂN", "TỈNH BẮC SƠN", "Số: 45/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc", "Bắc Sơn, ngày 12 tháng 3 năm 2026"]
    assert "Căn cứ Quyết định số 88/QĐ-TTg ngày 05/01/2026 của Thủ tướng Chính phủ về phát triển văn hóa đọc " \
           "trong cộng đồng;" in lines
    assert "I. MỤC TIÊU" in lines
    assert "- Đến năm 2028, 90% xã có thư viện số được kết nối với thư viện tỉnh và mở cửa cả ngày nghỉ cuối tuần " \
           "theo quy định." in lines
    assert "*" not in proc.stdout
    assert [line for line in lines if line.startswith("|")] == [
        "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |",
        "| I. SỐ HÓA | | | |",  # a group heading spanning the table
        "| 1 | Số hóa tài liệu địa chí | Thư viện tỉnh | Quý II/2027 |",
        "| 2 | Tập huấn cán bộ | | Năm 2026 |",  # an empty cell
    ]
    record = json.loads(vnplan("extract", str(path)).stdout)
    assert record["source"]["media_type"] == "text/markdown"
    assert record["source"]["text_origin"] == "plain"
    assert record["metadata"]["doc_number"] == "45/KH-UBND"


def test_folder_walk_finds_word_and_web_documents(tmp_path: Path) -> None:
    from pipeline.batch import collect_inputs

    for name in ["a.docx", "b.md", "c.html", "d.htm", "e.doc", "f.txt", "notes.odt"]:
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in collect_inputs([tmp_path])] == ["a.docx", "b.md", "c.html", "d.htm", "e.doc", "f.txt",
                                                             "notes.odt"]
