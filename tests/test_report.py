"""`vnplan report`: the overview page, as a user gets it — real `vnplan ingest`, then `vnplan report`, then
headless Chromium; and `vnplan serve` answering /report."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pandas as pd
import pytest
from PIL import Image

from pipeline.report.aggregate import build_report_data, indicator_key, read_tables, unit_family
from pipeline.report.numbers import format_number, format_vnd
from pipeline.report.sources import sentence_around
from tests.conftest import draw_plan_pdf, headless_chromium

ROOT = Path(__file__).resolve().parents[1]
VNPLAN = str(Path(sys.executable).parent / "vnplan")
AS_OF = "2026-04-15"
needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")

# An invented Lào Cai plan of 2027: one target repeats an indicator of the 2024 sample plan (with another
# value), one task falls due in the 90 days after AS_OF, one duty is yearly, and it has a budget.
INVENTED_PLAN = [
    "ỦY BAN NHÂN DÂN",
    "TỈNH LÀO CAI",
    "Số: 18/KH-UBND",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Lào Cai, ngày 20 tháng 01 năm 2027",
    "KẾ HOẠCH",
    "Thử nghiệm bản đồ số các điểm du lịch cộng đồng năm 2027",
    "I. MỤC TIÊU",
    "1. Mục tiêu chung",
    "Đưa thông tin các điểm du lịch cộng đồng lên bản đồ số của tỉnh.",
    "2. Mục tiêu cụ thể",
    "a) Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt 35% vào năm 2030.",
    "b) Đến năm 2027, tỷ lệ điểm du lịch cộng đồng có bản đồ số đạt 60%.",
    "II. KINH PHÍ",
    "Tổng kinh phí thực hiện là 2.400 triệu đồng từ ngân sách tỉnh.",
    "III. NHIỆM VỤ",
    [
        ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
        ["1", "Khảo sát các điểm du lịch cộng đồng", "Sở Văn hóa, Thể thao và Du lịch", "Sở Tài chính", "Quý II/2026"],
        ["2", "Cập nhật dữ liệu bản đồ số", "Sở Văn hóa, Thể thao và Du lịch", "", "Hằng năm"],
    ],
    "Nơi nhận:",
    "- Như trên;",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "Nguyễn Văn A",
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [VNPLAN, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    )


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples (born-digital, stripped and OCR'd text) and the whole real development set, ingested
    by `vnplan ingest`, plus the invented plan; then `vnplan report`."""
    inbox = tmp_path_factory.mktemp("inbox")
    for path in sorted((ROOT / "samples").glob("*")):
        if path.suffix in {".pdf", ".txt"} and ".scan." not in path.name:
            shutil.copy(path, inbox / path.name)
    for path in sorted((ROOT / "samples" / "real" / "docs").iterdir()):  # PDFs, Word files, web-page copies
        shutil.copy(path, inbox / path.name)
    draw_plan_pdf(inbox / "laocai_dulich_2027.pdf", [INVENTED_PLAN])
    out = tmp_path_factory.mktemp("dataset")
    ingest = _run("ingest", str(inbox), "--out", str(out))
    assert ingest.returncode == 0, ingest.stderr
    report = _run("report", "--out", str(out), "--as-of", AS_OF)
    assert report.returncode == 0, report.stderr
    assert f"report: {out / 'report' / 'index.html'}" in report.stderr
    return out


def _charts(dom: str) -> dict[str, tuple[int, str]]:
    """Each chart's plotted value count (as the page counted it) and its rendered markup."""
    found = {}
    for match in re.finditer(r'<div class="chart[^"]*" id="(chart-[a-z-]+)"[^>]*data-points="(\d+)"', dom):
        ends = [i for i in (dom.find('<div class="chart', match.end()), dom.find("<script", match.end())) if i > 0]
        found[match.group(1)] = (int(match.group(2)), dom[match.start() : min(ends)])
    return found


def _table_rows(dom: str, list_id: str) -> list[str]:
    block = re.search(rf'id="{list_id}"[^>]*>(.*?)</table>', dom, re.S)
    return re.findall(r"<tr><td>.*?</tr>", block.group(1), re.S) if block else []


@needs_chromium
def test_every_chart_is_drawn_with_data(dataset: Path, tmp_path: Path) -> None:
    dom = headless_chromium(tmp_path, "--dump-dom", (dataset / "report" / "index.html").as_uri())
    docs = pd.read_parquet(dataset / "tables" / "documents.parquet")
    assert f'data-documents="{len(docs)}"' in dom and "data-ready-ms" in dom, "the page's script ran to the end"
    charts = _charts(dom)
    expected = {
        "chart-targets-province",
        "chart-targets-unit",
        "chart-targets-compare",
        "chart-deadlines-agency",
        "chart-deadlines-province",
        "chart-agencies",
        "chart-budgets-plan",
        "chart-budgets-source",
        "chart-quality",
    }
    assert set(charts) == expected
    for name, (points, markup) in charts.items():
        assert points > 0, f"{name} has no data"
        # plotly drew marks: bars and markers are `point` paths, a heat map is an image.
        assert re.search(r'class="point"|<image ', markup), f"{name} drew nothing"
        assert "Không có dữ liệu" not in markup and "Không có chỉ tiêu" not in markup, name
    # Vietnamese labels, Vietnamese numbers: the budget total in tỷ đồng with a decimal comma.
    assert "Mục tiêu, chỉ tiêu" in dom and "Cơ quan chủ trì và phối hợp" in dom
    budgets = pd.read_parquet(dataset / "tables" / "budgets.parquet")
    assert budgets["amount_vnd"].sum() > 0
    # Due in the 90 days after AS_OF: the invented plan's Quý II/2026 survey, not its yearly duty.
    due = _table_rows(dom, "list-due")
    assert any("Khảo sát các điểm du lịch cộng đồng" in row and "30/06/2026" in row for row in due)
    assert not any("Cập nhật dữ liệu bản đồ số" in row for row in due)
    recurring = _table_rows(dom, "list-recurring")
    tasks = pd.read_parquet(dataset / "tables" / "tasks.parquet")
    yearly = tasks[tasks["text"].str.startswith("Cập nhật dữ liệu bản đồ số")]["recurrence"].tolist()
    # the page lists the first 100 recurring duties of the whole set; the invented plan's may lie beyond them
    assert any("Cập nhật dữ liệu bản đồ số" in row and "hằng năm" in row for row in recurring) or (
        len(recurring) == 100 and yearly == ["annual"]
    )
    # Quality: the stripped text had its diacritics restored, and it is listed for the reader.
    quality = "".join(_table_rows(dom, "list-quality"))
    assert "laocai_chienluoc_2030_001.stripped.txt" in quality


@needs_chromium
def test_a_filter_changes_what_is_shown(dataset: Path, tmp_path: Path) -> None:
    index = (dataset / "report" / "index.html").as_uri()
    docs = pd.read_parquet(dataset / "tables" / "documents.parquet")
    province = "Lai Châu"
    mine = set(docs.loc[docs["province"] == province, "doc_id"])
    assert 0 < len(mine) < len(docs)
    everything = headless_chromium(tmp_path, "--dump-dom", index)
    filtered = headless_chromium(tmp_path, "--dump-dom", f"{index}#tinh={province}")
    assert f'data-documents="{len(mine)}"' in filtered

    # Fewer targets counted and listed, and every listed target is one of that province's plans.
    def count(dom: str, kpi: str = "targets") -> int:
        return int(re.search(rf'id="kpi-{kpi}">([\d.]+)<', dom).group(1).replace(".", ""))

    targets = pd.read_parquet(dataset / "tables" / "targets.parquet")
    tasks = pd.read_parquet(dataset / "tables" / "tasks.parquet")
    assert count(everything) == len(targets) and count(everything, "tasks") == len(tasks)
    assert count(filtered) == int(targets["doc_id"].isin(mine).sum()) < len(targets)
    assert count(filtered, "tasks") == int(tasks["doc_id"].isin(mine).sum()) < len(tasks)
    rows = _table_rows(filtered, "list-targets")
    listed = {doc for row in rows for doc in re.findall(r"van-ban/([0-9a-f]{16})", row)}
    assert listed and listed <= mine
    assert _charts(filtered)["chart-quality"][0] <= _charts(everything)["chart-quality"][0]
    assert _charts(filtered)["chart-deadlines-agency"][0] < _charts(everything)["chart-deadlines-agency"][0]


@needs_chromium
def test_a_target_links_to_its_source_sentence(dataset: Path, tmp_path: Path) -> None:
    dom = headless_chromium(tmp_path, "--dump-dom", (dataset / "report" / "index.html").as_uri())
    link = re.search(r'href="(van-ban/([0-9a-f]{16})\.html)#muc-tieu-(\d+)"', dom)
    assert link, "the target list links to document pages"
    href, doc_id, k = link.group(1), link.group(2), int(link.group(3))
    target = json.loads((dataset / "documents" / f"{doc_id}.json").read_text("utf-8"))["targets"][k - 1]
    text = json.loads((dataset / "text" / f"{doc_id}.json").read_text("utf-8"))
    pages = {p["page"]: p["text"] for p in text["pages"]}
    span = target["span"]
    marked = pages[span["page"]][span["start"] : span["end"]].strip()
    page = headless_chromium(tmp_path, "--dump-dom", f"{(dataset / 'report' / href).as_uri()}#muc-tieu-{k}")
    section = re.search(rf'<section class="rec" id="muc-tieu-{k}">(.*?)</section>', page, re.S)
    assert section, "the link's anchor is the target's section"
    assert f"<mark>{html.escape(marked, quote=False)}</mark>" in section.group(1)
    before, _, after = sentence_around(pages[span["page"]], span["start"], span["end"])
    for part in (before.lstrip("…"), after.rstrip("…")):  # the sentence around the mark
        assert html.escape(part, quote=False) in section.group(1)


@needs_chromium
def test_screenshot_shows_painted_charts(dataset: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    headless_chromium(
        tmp_path,
        f"--screenshot={shot}",
        "--window-size=1400,1800",
        "--hide-scrollbars",
        (dataset / "report" / "index.html").as_uri(),
    )
    image = Image.open(shot).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20) or []}
    assert len(colours) > 200, "charts painted, not a blank page"
    assert (0x1F, 0x3A, 0x5F) in colours, "the header and the lead-agency bars are painted in the page's blue"


def test_page_is_self_contained(dataset: Path) -> None:
    page = (dataset / "report" / "index.html").read_text("utf-8")
    assert "default-src 'none'" in page
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import", page), "nothing loaded from elsewhere"
    doc_page = next((dataset / "report" / "van-ban").iterdir()).read_text("utf-8")
    assert not re.search(r"https?://|<script|<link", doc_page)


@contextlib.contextmanager
def _serving(dataset: Path, *options: str) -> Iterator[str]:
    """`vnplan serve` on a free loopback port; yields its base URL."""
    process = subprocess.Popen(
        [VNPLAN, "serve", "--out", str(dataset), "--port", "0", *options], cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    try:
        line = process.stderr.readline()
        match = re.search(r"at (http://127\.0\.0\.1:\d+)", line)
        assert match, line
        url = match.group(1)
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server never answered"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture()
def served(dataset: Path) -> Iterator[str]:
    with _serving(dataset) as url:
        yield url


def test_serve_answers_the_same_report_at_report(dataset: Path, served: str) -> None:
    with httpx.Client(base_url=served, timeout=60) as client:
        moved = client.get("/report")
        assert moved.status_code == 308 and moved.headers["location"] == "report/"
        page = client.get("/report/", params={"as_of": AS_OF})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.content == (dataset / "report" / "index.html").read_bytes()
        doc_page = next((dataset / "report" / "van-ban").iterdir())
        served_doc = client.get(f"/report/van-ban/{doc_page.name}")
        assert served_doc.status_code == 200 and served_doc.content == doc_page.read_bytes()
        assert client.get("/report/van-ban/..%2Fmanifest.json").status_code == 404
        assert client.get("/report/", params={"as_of": "tomorrow"}).status_code == 422


def test_with_a_token_report_asks_for_it_like_every_route(dataset: Path) -> None:
    with _serving(dataset, "--token", "report-secret") as url:
        assert httpx.get(f"{url}/report/", timeout=60).status_code == 401
        assert (
            httpx.get(
                f"{url}/report/van-ban/{next((dataset / 'report' / 'van-ban').iterdir()).name}", timeout=60
            ).status_code
            == 401
        )
        allowed = httpx.get(f"{url}/report/", headers={"Authorization": "Bearer report-secret"}, timeout=60)
        assert allowed.status_code == 200 and b"report-data" in allowed.content


def test_bad_folder_and_bad_date_are_one_line_errors(tmp_path: Path) -> None:
    missing = _run("report", "--out", str(tmp_path))
    assert missing.returncode == 3 and missing.stderr.count("\n") == 1
    assert "not a vnplan dataset folder" in missing.stderr
    assert not (tmp_path / "report").exists()
    bad = _run("report", "--out", str(tmp_path), "--as-of", "01/03/2026")
    assert bad.returncode == 2 and "not a date" in bad.stderr


# -- the aggregation's rules, on invented values ------------------------------------------------------


def test_unit_families_and_indicator_keys() -> None:
    assert [unit_family(u) for u in ("%", "doanh nghiệp", "tỷ đồng", "triệu đồng/năm", None, "người/vạn dân")] == [
        0,
        1,
        2,
        2,
        3,
        1,
    ]
    assert indicator_key("Tỷ lệ hồ sơ  trực tuyến.") == indicator_key("tỷ lệ hồ sơ trực tuyến")
    assert indicator_key("Tỷ lệ hồ sơ trực tuyến") != indicator_key("Tỷ lệ hồ sơ trực tiếp")
    # The value, a leading count and a horizon are not part of what is measured.
    assert indicator_key("Đến năm 2030, tỷ lệ hộ dùng điện đạt trên 98%") == indicator_key("Tỷ lệ hộ dùng điện")
    assert indicator_key("12 hợp tác xã được hỗ trợ tăng 5% so với năm 2020") == "hợp tác xã được hỗ trợ"


def test_numbers_are_written_the_vietnamese_way() -> None:
    assert format_vnd(12_500_000_000) == "12,5 tỷ đồng (12.500.000.000 đồng)"
    assert format_vnd(350_000_000) == "350 triệu đồng (350.000.000 đồng)"
    assert format_number(1234.5) == "1.234,5" and format_number(30.0) == "30"


def test_sentence_is_cut_at_its_ends_not_inside_numbers() -> None:
    text = "Mục tiêu chung.\n1. Năm 2026 đạt 9.000 doanh nghiệp; hỗ trợ 12,5 tỷ đồng. Câu sau."
    start = text.index("9.000")
    before, marked, after = sentence_around(text, start, start + len("9.000 doanh nghiệp"))
    assert (before, marked, after) == ("1. Năm 2026 đạt ", "9.000 doanh nghiệp", ";")


def test_matched_indicators_and_due_window(dataset: Path) -> None:
    data = build_report_data(read_tables(dataset), date.fromisoformat(AS_OF))
    words, docs, targets = data["words"], data["documents"], data["targets"]
    assert data["compare"], "the invented 2027 plan repeats an indicator of the 2024 sample plan"
    for series in data["compare"]:
        rows = series["rows"]
        provinces = {docs["province"][targets["doc"][r]] for r in rows}
        keys = {indicator_key(words[targets["indicator"][r]]) for r in rows}
        years = {docs["year"][targets["doc"][r]] for r in rows}
        assert len(provinces) == 1 and keys == {indicator_key(words[series["name"]])} and len(years) >= 2
    assert all(AS_OF <= end <= data["due_to"] for end in data["due"]["end"])


@needs_chromium
def test_bench_prints_its_table_on_a_small_dataset(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "bench/report_bench.py", "--data", str(tmp_path / "data"), "--n", "20", "--opens", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=True,
    ).stdout
    assert "| measure (20 documents) | result | target |" in out
    assert re.search(r"write index.html \+ 20 document pages\), wall clock \| \d+\.\d s \|", out)
    assert re.search(r"every chart drawn, wall clock .*\| \d+\.\d\d s \| < 3 s \|", out)


def test_a_second_report_over_the_same_dataset_changes_no_file(dataset: Path) -> None:
    files = sorted((dataset / "report").rglob("*"))
    before = {f: f.stat().st_mtime_ns for f in files}
    again = _run("report", "--out", str(dataset), "--as-of", AS_OF)
    assert again.returncode == 0, again.stderr
    assert sorted((dataset / "report").rglob("*")) == files
    assert {f: f.stat().st_mtime_ns for f in files} == before
