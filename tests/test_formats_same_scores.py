"""The same plan as .txt, .docx and .html scores the same: the format must not change what is found.

For every real plan of the development set that has a table (samples/real), the test writes its
reference text (samples/real/text/<doc>.txt: one paragraph per line, table rows with ` | ` between
cells) three ways: a text file (tables as the pipeline's pipe rows), a Word file drawn with
python-docx (paragraphs, and every table a real Word table with a repeated header row) and a plain
HTML page (<p> and <table>). `vnplan ingest` reads each folder and `vnplan review` scores each
against samples/real/gold; every field's score of the .docx and of the .html is within 0.05 of the
.txt's, document by document.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "samples" / "real"
TOLERANCE = 0.05
FIELDS = ("metadata", "legal_basis", "budgets", "targets", "tasks", "agencies")

Block = str | list[list[str]]  # a paragraph, or a table's rows of cells


def vnplan(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def reference_blocks(path: Path) -> list[Block]:
    """The reference text's paragraphs; runs of ` | ` lines become tables."""
    blocks: list[Block] = []
    for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
        line = " ".join(paragraph.split())
        if not line:
            continue
        if " | " in f" {line} ":
            # Cells between `|`; an empty cell is `| |`, so split on the bar, not on ` | `.
            row = line.strip().removeprefix("|").removesuffix("|")
            cells = [cell.strip() for cell in row.split("|")]
            if blocks and isinstance(blocks[-1], list):
                blocks[-1].append(cells)
            else:
                blocks.append([cells])
        else:
            blocks.append(line)
    for block in blocks:
        if isinstance(block, list):
            width = max(len(row) for row in block)
            for row in block:
                row.extend([""] * (width - len(row)))
    return blocks


def documents_with_tables() -> list[str]:
    return sorted(
        p.stem for p in (REAL / "text").glob("*.txt") if any(isinstance(b, list) for b in reference_blocks(p))
    )


def write_txt(blocks: list[Block], path: Path) -> None:
    parts = []
    for block in blocks:
        if isinstance(block, str):
            parts.append(block)
        else:
            parts.append("\n".join("| " + " | ".join(row) + " |" for row in block))
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def write_docx(blocks: list[Block], path: Path) -> None:
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=len(block[0]))
        table.style = "Table Grid"
        for r, row in enumerate(block):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    document.save(str(path))


def write_html(blocks: list[Block], path: Path) -> None:
    body = []
    for block in blocks:
        if isinstance(block, str):
            body.append(f"<p>{html.escape(block)}</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in block)
            body.append(f'<table border="1">{rows}</table>')
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>plan</title></head><body>\n'
        + "\n".join(body)
        + "\n</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")


@pytest.mark.skipif(not (REAL / "text").is_dir(), reason="the real development set is not in this checkout")
def test_txt_docx_html_score_alike(tmp_path: Path) -> None:
    names = documents_with_tables()
    assert len(names) >= 5  # the development set's plans with an appendix or other table
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in names:
        shutil.copy(REAL / "gold" / f"{name}.gold.json", gold)
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for kind, write in (("txt", write_txt), ("docx", write_docx), ("html", write_html)):
        folder = tmp_path / kind
        folder.mkdir()
        for name in names:
            write(reference_blocks(REAL / "text" / f"{name}.txt"), folder / f"{name}.{kind}")
        vnplan("ingest", str(folder), "--out", str(tmp_path / f"out-{kind}"))
        vnplan(
            "review",
            "--gold",
            str(gold),
            "--docs",
            str(tmp_path / f"out-{kind}"),
            "--out",
            str(tmp_path / f"review-{kind}"),
        )
        report = json.loads((tmp_path / f"review-{kind}" / "report.json").read_text(encoding="utf-8"))
        scores[kind] = {Path(d["doc"]).stem: {f: d["scores"][f]["score"] for f in FIELDS} for d in report["documents"]}
        assert sorted(scores[kind]) == names, kind
    differences = [
        f"{name} {field}: txt {scores['txt'][name][field]:.2f}, {kind} {scores[kind][name][field]:.2f}"
        for kind in ("docx", "html")
        for name in names
        for field in FIELDS
        if abs(scores[kind][name][field] - scores["txt"][name][field]) > TOLERANCE
    ]
    assert not differences, "\n".join(differences)
