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
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


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
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


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


# The invented plan's two-column header as every format must read it: the left block, then the right.
HEADER_LINES = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH BẮC SƠN",
    "Số: 45/KH-UBND",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Bắc Sơn, ngày 12 tháng 3 năm 2026",
]


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
    assert lines[:6] == HEADER_LINES
    # Word's automatic numbering, as Word displays it; counters restart under a new parent
    for shown in [
        "I. MỤC TIÊU",
        "1. Mục tiêu cụ thể",
        "a) Đến năm 2028, 90% xã có thư viện số.",
        "b) Mỗi xã có ít nhất 02 điểm đọc sách.",
        "- Điểm đọc mở cửa cả ngày nghỉ.",
        "II. TỔ CHỨC THỰC HIỆN",
        "1. Sở Văn hóa và Thể thao",
        "a) Chủ trì xây dựng kho sách điện tử dùng chung, hoàn thành trong năm 2026.",
    ]:
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
        assert task["text"][:20] in text[span["page"] - 1][span["start"] : span["end"]]


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
**A**
|
**SỐ HÓA**
|
|
**I**
|
**Tài liệu địa chí**
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
    assert lines[:6] == HEADER_LINES
    assert (
        "Căn cứ Quyết định số 88/QĐ-TTg ngày 05/01/2026 của Thủ tướng Chính phủ về phát triển văn hóa đọc "
        "trong cộng đồng;" in lines
    )
    assert "I. MỤC TIÊU" in lines
    assert (
        "- Đến năm 2028, 90% xã có thư viện số được kết nối với thư viện tỉnh và mở cửa cả ngày nghỉ cuối tuần "
        "theo quy định." in lines
    )
    assert "*" not in proc.stdout
    assert [line for line in lines if line.startswith("|")] == [
        "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |",
        "| A | SỐ HÓA | | |",  # group headings, each spanning three columns
        "| I | Tài liệu địa chí | | |",
        "| 1 | Số hóa tài liệu địa chí | Thư viện tỉnh | Quý II/2027 |",
        "| 2 | Tập huấn cán bộ | | Năm 2026 |",  # an empty cell
    ]
    record = json.loads(vnplan("extract", str(path)).stdout)
    assert record["source"]["media_type"] == "text/markdown"
    assert record["source"]["text_origin"] == "plain"
    assert record["metadata"]["doc_number"] == "45/KH-UBND"


def test_folder_walk_finds_word_and_web_documents(tmp_path: Path) -> None:
    from pipeline.run.batch import collect_inputs

    for name in ["a.docx", "b.md", "c.html", "d.htm", "e.doc", "f.txt", "notes.odt"]:
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in collect_inputs([tmp_path])] == [
        "a.docx",
        "b.md",
        "c.html",
        "d.htm",
        "e.doc",
        "f.txt",
        "notes.odt",
    ]


# --- HTML ------------------------------------------------------------------------------------------

SAVED_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Kế hoạch 45/KH-UBND - Cổng văn bản</title>
<style>.menu { color: red }</style><script>var menu = "Trang chủ";</script></head>
<body>
<header class="site">Cổng thông tin văn bản pháp luật</header>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/vb">Văn bản mới</a></li></ul></nav>
<table width="100%"><tr><td><div id="noi-dung">
<table><tr><td><p><b>ỦY BAN NHÂN DÂN<br>TỈNH BẮC SƠN</b></p><p>Số: 45/KH-UBND</p></td>
<td><p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b></p>
<p><i>Bắc Sơn, ngày 12 tháng 3 năm 2026</i></p></td></tr></table>
<p align="center"><b>KẾ HOẠCH</b></p>
<p>Phát triển   thư viện số
cấp xã giai đoạn 2026 - 2028</p>
<p>Căn cứ <a href="/l1">Luật Thư viện</a>; <a href="/l2">Nghị định 93/2020/NĐ-CP</a>;
<a href="/l3">Quyết định 88/QĐ-TTg</a>;</p>
<ol type="I"><li>MỤC TIÊU</li></ol>
<ol type="a"><li>Đến năm 2028, 90% xã có thư viện số.</li><li>Mỗi xã có ít nhất 02 điểm đọc sách.</li></ol>
<table border="1"><thead><tr><th>STT</th><th>Nhiệm vụ</th><th>Cơ quan chủ trì</th><th>Thời gian</th></tr></thead>
<tbody><tr><td colspan="4">I. SỐ HÓA</td></tr>
<tr><td>1</td><td rowspan="2">Số hóa tài liệu địa chí</td><td>Sở Văn hóa và Thể thao</td><td>Quý II/2027</td></tr>
<tr><td>2</td><td>Ủy ban nhân dân các xã</td><td>Năm 2027</td></tr></tbody></table>
<div style="display:none">Bài viết liên quan</div>
</div></td></tr></table>
<div class="lien-quan"><b>Văn bản liên quan:</b> <a href="/1">Quyết định 12/QĐ-UBND</a>
<a href="/2">Kế hoạch 7/KH-UBND về thư viện</a> <a href="/3">Công văn 88/UBND-VX</a></div>
<aside>Văn bản cùng lĩnh vực</aside>
<footer>Bản quyền thuộc cổng thông tin</footer>
</body></html>
"""


def test_saved_web_page_text(tmp_path: Path) -> None:
    path = tmp_path / "ke_hoach.htm"
    path.write_text(SAVED_PAGE, encoding="utf-8")
    proc = vnplan("text", str(path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[:6] == HEADER_LINES
    assert "Phát triển thư viện số cấp xã giai đoạn 2026 - 2028" in lines
    assert "Căn cứ Luật Thư viện; Nghị định 93/2020/NĐ-CP; Quyết định 88/QĐ-TTg;" in lines  # links are text
    assert {"I. MỤC TIÊU", "a. Đến năm 2028, 90% xã có thư viện số.", "b. Mỗi xã có ít nhất 02 điểm đọc sách."} <= set(
        lines
    )
    assert [line for line in lines if line.startswith("|")] == [
        "| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |",
        "| I. SỐ HÓA | | | |",
        "| 1 | Số hóa tài liệu địa chí | Sở Văn hóa và Thể thao | Quý II/2027 |",
        "| 2 | | Ủy ban nhân dân các xã | Năm 2027 |",
    ]
    for chrome in (
        "Trang chủ",
        "Văn bản mới",
        "Cổng thông tin",
        "liên quan",
        "12/QĐ-UBND",
        "cùng lĩnh vực",
        "Bản quyền",
        "color",
    ):
        assert chrome not in proc.stdout
    record = json.loads(vnplan("extract", str(path)).stdout)
    assert record["source"]["media_type"] == "text/html"
    assert record["source"]["text_origin"] == "native"
    assert record["metadata"]["doc_number"] == "45/KH-UBND"


# --- legacy Word (.doc) ----------------------------------------------------------------------------


def _soffice() -> str | None:
    from pipeline.read.engines.libreoffice import soffice

    return soffice()


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed (make demo installs it)")
def test_doc_reads_like_the_docx_it_was_saved_from(plan_docx: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    subprocess.run(
        [
            _soffice() or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(plan_docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    doc = tmp_path / "ke_hoach.doc"
    proc = vnplan("text", str(doc))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == vnplan("text", str(plan_docx)).stdout
    record = json.loads(vnplan("extract", str(doc)).stdout)
    assert record["source"]["media_type"] == "application/msword"
    assert record["metadata"]["doc_number"] == "45/KH-UBND"


def test_doc_without_libreoffice_names_the_fix(plan_docx: Path, tmp_path: Path) -> None:
    doc = tmp_path / "cu.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le"))
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=str(ROOT), PATH=str(Path(sys.executable).parent))
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(doc)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 4
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "LibreOffice" in proc.stderr and "libreoffice-writer-nogui" in proc.stderr


# --- bad inputs and documents that are no plan -------------------------------------------------------

NOVEL = """Chương một

Buổi sáng hôm ấy sương mù phủ kín con đường làng. Bà Tư dậy sớm nhóm bếp, nghe tiếng gà gáy
vọng từ bên kia sông. Thằng Út còn ngủ say trên chõng tre, chăn đắp ngang ngực.

Mẹ nó bảo đi chợ sớm kẻo hết cá tươi. Nó lười biếng trở mình, mắt nhắm mắt mở nhìn ra sân, nơi
con chó vàng đang nằm dài sưởi nắng. Gió thổi qua rặng tre nghe xào xạc.

Chương hai

Chiều xuống, cả nhà quây quần bên mâm cơm. Ông nội kể chuyện ngày xưa đi đánh cá ngoài biển,
sóng to gió lớn mà thuyền vẫn về bến. Thằng Út nghe say sưa, quên cả ăn.
"""

PASSWD = """root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
thuy:x:1000:1000:Nguyen Thi Thuy,,,:/home/thuy:/bin/bash
"""


def _bad_inputs(folder: Path, plan_docx: Path) -> dict[str, int]:
    """Broken files of every new kind → the exit code `vnplan extract` gives each."""
    data = plan_docx.read_bytes()
    (folder / "cut.docx").write_bytes(data[: len(data) // 2])
    (folder / "text.docx").write_text("Kế hoạch viết tay, không phải tệp Word.\n", encoding="utf-8")
    (folder / "empty.docx").write_bytes(b"")
    from msoffcrypto.format.ooxml import OOXMLFile

    with plan_docx.open("rb") as source, (folder / "locked.docx").open("wb") as locked:
        OOXMLFile(source).encrypt("mat-khau", locked)
    (folder / "empty.doc").write_bytes(b"")
    (folder / "text.doc").write_text("không phải tệp Word\n", encoding="utf-8")
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.html").write_bytes(bytes(range(256)) * 8)
    (folder / "scripts-only.html").write_text("<html><body><script>var a = 1;</script></body></html>", encoding="utf-8")
    (folder / "empty.md").write_bytes(b"")
    return {
        "cut.docx": 5,
        "text.docx": 5,
        "empty.docx": 3,
        "locked.docx": 6,
        "empty.doc": 3,
        "text.doc": 5,
        "empty.html": 3,
        "binary.html": 5,
        "scripts-only.html": 7,
        "empty.md": 3,
    }


def test_bad_inputs_each_get_one_line(plan_docx: Path, tmp_path: Path) -> None:
    expected = _bad_inputs(tmp_path, plan_docx)
    for name, code in expected.items():
        proc = vnplan("extract", str(tmp_path / name))
        assert proc.returncode == code, (name, proc.stderr)
        assert proc.stdout == ""
        assert len(proc.stderr.strip().splitlines()) == 1 and name in proc.stderr, (name, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_not_a_plan_warning(tmp_path: Path) -> None:
    for name, text in (("truyen.txt", NOVEL), ("passwd", PASSWD)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        proc = vnplan("extract", str(path))
        assert proc.returncode == 0, proc.stderr
        assert [w["code"] for w in json.loads(proc.stdout)["warnings"]] == ["not_a_plan"]
        assert len(proc.stderr.strip().splitlines()) == 1 and "not a plan" in proc.stderr


def test_ingest_reports_bad_files_and_counts_non_plans_apart(plan_docx: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    expected = _bad_inputs(docs, plan_docx)
    (docs / "ke_hoach.docx").write_bytes(plan_docx.read_bytes())
    (docs / "ke_hoach.md").write_text(CONVERTED_MD, encoding="utf-8")
    (docs / "truyen.txt").write_text(NOVEL, encoding="utf-8")
    (docs / "passwd.txt").write_text(PASSWD, encoding="utf-8")
    out = tmp_path / "out"
    proc = vnplan("ingest", str(docs), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(Path(e["path"]).name for e in errors) == sorted(expected)
    assert all("\n" not in e["message"] for e in errors)
    assert "14 documents: 4 ok (2 not a plan), 10 failed" in proc.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["documents"] if isinstance(manifest, dict) and "documents" in manifest else manifest
    flagged = sorted(
        Path(e["path"]).name
        for e in (entries.values() if isinstance(entries, dict) else entries)
        if e.get("not_a_plan")
    )
    assert flagged == ["passwd.txt", "truyen.txt"]


def test_docx_layout_tables_read_as_the_page_reads(tmp_path: Path) -> None:
    """A one-cell table framing a header table, and a header laid out on a grid with spacer columns
    and a `Kính gửi` row below: read block by block, not as data rows."""
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1)
    inner = frame.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "SỞ NỘI VỤ\nSố: 12/TTr-SNV"
    inner.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBắc Sơn, ngày 02 tháng 4 năm 2026"
    document.add_paragraph("TỜ TRÌNH")
    grid = document.add_table(rows=3, cols=5)
    grid.cell(0, 0).text = "BỘ XÂY DỰNG\nSố: 7/BXD-KH"
    grid.cell(0, 2).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 3 tháng 4 năm 2026"
    grid.cell(2, 0).text = "Kính gửi:"
    grid.cell(2, 1).text = "- Các sở;\n- Các ban."
    document.add_paragraph("Nội dung trình.")
    path = tmp_path / "to_trinh.docx"
    document.save(str(path))
    proc = vnplan("text", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "SỞ NỘI VỤ",
        "Số: 12/TTr-SNV",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Bắc Sơn, ngày 02 tháng 4 năm 2026",
        "TỜ TRÌNH",
        "BỘ XÂY DỰNG",
        "Số: 7/BXD-KH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Hà Nội, ngày 3 tháng 4 năm 2026",
        "Kính gửi:",
        "- Các sở;",
        "- Các ban.",
        "Nội dung trình.",
    ]


def test_markdown_without_blank_lines_reads_as_wrapped_text(tmp_path: Path) -> None:
    """Some converters keep no blank line at all (the whole page laid out in one table): cells and
    paragraphs cannot be told apart, so the text is read as hard-wrapped lines."""
    body = "\n".join(
        f"- Nhiệm vụ số {i}: Sở Văn hóa và Thể thao tổ chức kiểm tra các điểm đọc sách\ntại xã "
        f"trong quý {i % 4 + 1} năm 2026."
        for i in range(1, 16)
    )
    page = "\n".join(line for line in CONVERTED_MD.splitlines() if line.strip()) + "\n**II. NHIỆM VỤ**\n" + body
    path = tmp_path / "trang.md"
    path.write_text(page, encoding="utf-8")
    proc = vnplan("text", str(path))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "Số: 45/KH-UBND" in lines
    assert (
        "- Nhiệm vụ số 3: Sở Văn hóa và Thể thao tổ chức kiểm tra các điểm đọc sách tại xã trong quý 4 năm "
        "2026." in lines
    )
    assert not any(line.startswith("|") for line in lines) and "*" not in proc.stdout
