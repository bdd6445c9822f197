"""Shared fixtures: real PDFs drawn with reportlab (DejaVu Serif) and scans rendered from them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from PIL import Image

from samples import render

# The Prefect server vnplan keeps between runs (pipeline.run.prefect_server) is kept for this
# test session only: its own state folder, stopped when the session ends.
os.environ["VNPLAN_STATE_DIR"] = tempfile.mkdtemp(prefix="vnplan-test-state-")


@pytest.fixture(scope="session", autouse=True)
def _kept_prefect_server_stopped_at_the_end() -> Iterator[None]:
    yield
    from pipeline.run import prefect_server

    prefect_server.stop_kept_server()


# A plan-like body: headings, outline items and paragraphs long enough to wrap.
PLAN_PARAGRAPHS: list[str] = [
    "KẾ HOẠCH",
    "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số năm 2026",
    "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia, Ủy ban nhân dân tỉnh ban hành Kế hoạch "
    "thực hiện năm 2026 như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "- Cụ thể hóa và tổ chức thực hiện có hiệu quả các mục tiêu, nhiệm vụ và giải pháp chủ yếu về phát "
    "triển khoa học, công nghệ trong phạm vi quản lý nhà nước của Ủy ban nhân dân tỉnh.",
    "- Nâng cao nhận thức của cấp ủy, người đứng đầu các cấp, các ngành, doanh nghiệp và người dân về "
    "vị trí, vai trò của đổi mới sáng tạo trong thúc đẩy tăng trưởng kinh tế - xã hội của tỉnh.",
    "2. Yêu cầu",
    "a) Xác định rõ nhiệm vụ, trách nhiệm của từng sở, ngành, Ủy ban nhân dân cấp xã; đề cao vai trò "
    "người đứng đầu trong lồng ghép và sử dụng hiệu quả các nguồn lực thực hiện.",
]


ROOT = Path(__file__).resolve().parent.parent


def vnplan_run(*args: str | Path, timeout: int = 600) -> str:
    """`vnplan ARGS` as a user runs it (the package's `python -m pipeline`), its standard output; a
    failing command fails the test with its error output."""
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", *map(str, args)],
        cwd=ROOT,
        env=dict(os.environ, OMP_THREAD_LIMIT="1"),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def vnplan_extract(path: Path, text: str | None = None) -> dict:
    """`vnplan extract PATH` read as JSON; with `text`, the file is written first (an invented plan)."""
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return json.loads(vnplan_run("extract", path))


def headless_chromium(profiles: Path, *args: str, timeout: int = 180) -> str:
    """Debian's chromium, headless, with a fresh profile under `profiles` and no network chatter; its
    standard output (the DOM with --dump-dom)."""
    profile = profiles / f"chromium-profile-{time.monotonic_ns()}"
    return subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    ).stdout


def draw_plan_pdf(
    path: Path,
    pages: Sequence[Sequence[str | list[list[str]]]],
    *,
    header: str | None = None,
    page_numbers: bool = True,
    font_size: float = 13,
    encrypt: str | None = None,
) -> Path:
    """A born-digital plan PDF (samples.render): each page a list of paragraphs; a list of rows is a
    ruled table with its first row as header. `header` is a running header on every page."""
    blocks: list[render.Block] = []
    for i, page in enumerate(pages):
        if i:
            blocks.append(render.PageBreak())
        for item in page:
            if isinstance(item, str):
                blocks.append(render.Para(item))
            else:
                blocks.append(render.TableBlock(rows=tuple(tuple(row) for row in item), font_size=font_size - 2))
    layout = render.PlanLayout(
        blocks=blocks,
        page_numbers="bottom" if page_numbers else None,
        font_size=font_size,
        running_header=header,
        encrypt=encrypt,
    )
    render.render_plan_pdf(layout, path)
    return path


def render_pages(pdf_path: Path, dpi: int = 200) -> list[Image.Image]:
    """Rasterize every page, as a scanner would deliver it (grayscale)."""
    return render.rendered_pages(pdf_path, dpi)


def image_only_pdf(images: Sequence[Image.Image], path: Path, dpi: int = 200) -> Path:
    """A scanned PDF: one image per page, no text layer."""
    first, *rest = [im.convert("RGB") for im in images]
    first.save(path, "PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return path


@pytest.fixture(scope="session")
def plan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two born-digital pages with a running header and page numbers."""
    path = tmp_path_factory.mktemp("pdf") / "plan.pdf"
    return draw_plan_pdf(path, [PLAN_PARAGRAPHS, PLAN_PARAGRAPHS[3:]], header="Ủy ban nhân dân tỉnh - Kế hoạch 2026")


TABLE_ROWS: list[list[str]] = [
    ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
    ["1", "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh", "Sở Khoa học và Công nghệ", "Quý II/2026"],
    ["2", "Triển khai nền tảng số dùng chung | kết nối liên thông", "Sở Thông tin và Truyền thông", "Năm 2026"],
]


@pytest.fixture(scope="session")
def table_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "table.pdf"
    return draw_plan_pdf(path, [[PLAN_PARAGRAPHS[4], PLAN_PARAGRAPHS[5], TABLE_ROWS, PLAN_PARAGRAPHS[6]]])


@pytest.fixture(scope="session")
def scan_page(tmp_path_factory: pytest.TempPathFactory) -> Image.Image:
    """One short page (large type, so OCR stays fast) rendered to a 200 dpi grayscale image."""
    path = tmp_path_factory.mktemp("scan") / "short.pdf"
    draw_plan_pdf(path, [PLAN_PARAGRAPHS[3:6]], page_numbers=False, font_size=14)
    image = render_pages(path, dpi=200)[0]
    # Crop the empty lower half: less to OCR, same content.
    return image.crop((0, 0, image.width, image.height // 2))


MakePdf = Callable[..., Path]
