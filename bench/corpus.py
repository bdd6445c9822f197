"""Benchmark and stress documents, generated from the samples: born-digital, scanned and broken files.

Born-digital documents are the seed layouts of samples/make_samples.py rendered again with other type
sizes, margins and page numbering (new page breaks, new bytes, the same kind of text); small documents
are 1–3-page windows of those layouts under their header and signature. Scans are the project's
scanned PDFs (samples and held-out sets), or page runs cut from samples/*.scan.pdf. Every set is
written once into its own folder under the work folder (default /tmp/vnplan-bench, never the
repository) and reused while its `.complete` marker is there.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import unescape

import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from pipeline.read.engines.pdfium import sole_image
from pipeline.read.ingest import MIN_NATIVE_DPI
from samples.make_samples import SEEDS, STYLES, seed_layout
from samples.render import (
    SERIF,
    Heading,
    PageBreak,
    Para,
    PlanLayout,
    Signature,
    TableBlock,
    Title,
    register_fonts,
    render_plan_pdf,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
WORK = Path(os.environ.get("VNPLAN_BENCH_DIR", "/tmp/vnplan-bench"))
DONE_MARKER = ".complete"  # dot-named: collect_inputs never picks it up
# Type sizes × margins × page numbering: each one re-flows a seed into different pages.
FONT_SIZES = (11.0, 11.5, 12.0, 12.5, 13.0, 13.5, 14.0)
MARGINS_MM = ((20, 20, 30, 20), (25, 20, 35, 15), (15, 15, 25, 15))
# Appendix table cells (the tasks themselves come from each document's own outline).
LEAD_AGENCIES = (
    "Sở Khoa học và Công nghệ",
    "Sở Tài chính",
    "Sở Nội vụ",
    "Sở Giáo dục và Đào tạo",
    "Sở Công Thương",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Ủy ban nhân dân cấp xã",
)
DEADLINES = ("Năm 2026", "Quý II/2026", "Thường xuyên", "Trước 30/6/2026", "2026-2030")


@dataclass(frozen=True)
class BenchDoc:
    path: Path
    pages: int


def pdf_pages(path: Path) -> int:
    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _cached(folder: Path, make: Callable[[Path], None]) -> list[BenchDoc]:
    """The documents in `folder`, made by `make(folder)` unless a complete earlier run left them."""
    if not (folder / DONE_MARKER).exists():
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
        make(folder)
        (folder / DONE_MARKER).write_text("", "utf-8")
    return [BenchDoc(p, pdf_pages(p)) for p in sorted(folder.glob("*.pdf"))]


def seed_layouts() -> dict[str, PlanLayout]:
    """The four accented seeds' layouts (as the samples were drawn)."""
    seeds = SEEDS
    missing = [stem for stem in STYLES if not (seeds / f"{stem}.txt").is_file()]
    if missing:
        raise SystemExit(f"bench: seed texts missing under {seeds} ({', '.join(missing)})")
    return {stem: seed_layout(seeds / f"{stem}.txt", style) for stem, style in STYLES.items()}


def _styles() -> Iterator[tuple[float, tuple[float, float, float, float], str]]:
    for i in range(len(FONT_SIZES) * len(MARGINS_MM) * 2):
        yield (
            FONT_SIZES[i % len(FONT_SIZES)],
            MARGINS_MM[i // len(FONT_SIZES) % len(MARGINS_MM)],
            "top" if i % 2 else "bottom",
        )


def _plain(text: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", "", text)).split())


def with_task_table(layout: PlanLayout, rows: int = 24) -> PlanLayout:
    """The layout with an appendix after the signature: a ruled table of its own outline items, each
    with a lead agency and a deadline, as plans list their tasks ("Phụ lục ... nhiệm vụ")."""
    items = [_plain(b.text) for b in layout.blocks if isinstance(b, Heading | Para)]
    items = [t if len(t) <= 160 else t[:160].rsplit(" ", 1)[0] + " ..." for t in items if len(t.split()) >= 4]
    table = TableBlock(
        rows=(
            ("TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"),
            *(
                (
                    str(i + 1),
                    item,
                    LEAD_AGENCIES[i % len(LEAD_AGENCIES)],
                    LEAD_AGENCIES[(i + 3) % len(LEAD_AGENCIES)],
                    DEADLINES[i % len(DEADLINES)],
                )
                for i, item in enumerate(items[:rows])
            ),
        ),
        col_weights=(0.5, 5.0, 2.0, 2.0, 1.5),
        font_size=10.0,
    )
    appendix = [PageBreak(), Title("PHỤ LỤC", ("DANH MỤC NHIỆM VỤ TRIỂN KHAI KẾ HOẠCH",)), table]
    return replace(layout, blocks=[*layout.blocks, *appendix])


def born_digital(min_pages: int, work: Path = WORK) -> list[BenchDoc]:
    """The four born-digital samples plus re-flowed variants of them, at least `min_pages` in all;
    every other variant ends with an appendix table of tasks (pages that go through pdfplumber)."""
    folder = work / f"born-digital-{min_pages}"

    def make(folder: Path) -> None:
        pages = 0
        seen: set[bytes] = set()
        for sample in sorted(SAMPLES.glob("*.pdf")):
            if not sample.name.endswith(".scan.pdf"):
                (folder / sample.name).write_bytes(sample.read_bytes())
                seen.add(hashlib.sha256(sample.read_bytes()).digest())
                pages += pdf_pages(sample)
        layouts = seed_layouts()
        for i, (size, margins, numbers) in enumerate(_styles()):
            for stem, layout in layouts.items():
                if pages >= min_pages:
                    return
                variant = replace(layout, font_size=size, margins_mm=margins, page_numbers=numbers)
                if i % 2 == 0:
                    variant = with_task_table(variant)
                path = folder / f"{stem}.v{i:02d}.pdf"
                count = render_plan_pdf(variant, path)
                digest = hashlib.sha256(path.read_bytes()).digest()
                if digest in seen:  # the same style as the sample: same bytes, one document
                    path.unlink()
                    continue
                seen.add(digest)
                pages += count

    return _cached(folder, make)


def small_documents(count: int, work: Path = WORK, seed: int = 7, pages: tuple[int, int] = (1, 3)) -> list[BenchDoc]:
    """`count` distinct plan documents of `pages` (fewest, most) pages each: header, title, a window of a
    seed's body, signature."""
    folder = work / (f"small-{count}" if pages == (1, 3) else f"small-{count}-p{pages[0]}-{pages[1]}")
    # body blocks per window: about 6 to a page of these layouts (a 1–3-page document takes 2–16)
    widths = (2, 16) if pages == (1, 3) else (max(2, 6 * pages[0] - 4), 8 * pages[1])

    def make(folder: Path) -> None:
        rng = random.Random(seed)
        layouts = list(seed_layouts().values())
        seen: set[tuple[int, int, int, float]] = set()
        made = 0
        while made < count:
            which = rng.randrange(len(layouts))
            layout = layouts[which]
            body = [b for b in layout.blocks if not isinstance(b, Title | Signature)]
            width = rng.randint(*widths)
            start = rng.randrange(max(1, len(body) - width))
            size = rng.choice(FONT_SIZES)
            key = (which, start, width, size)
            if key in seen:
                continue
            seen.add(key)
            blocks = [layout.blocks[0], *body[start : start + width], layout.blocks[-1]]
            small = replace(layout, blocks=blocks, font_size=size)
            path = folder / f"doc{made:05d}.pdf"
            if not pages[0] <= render_plan_pdf(small, path) <= pages[1]:  # draw another window instead
                path.unlink()
                continue
            made += 1

    return _cached(folder, make)


def scans(documents: int, pages_each: int, work: Path = WORK) -> list[BenchDoc]:
    """`documents` image-only PDFs of `pages_each` pages, cut from the sample scans in turn."""
    folder = work / f"scans-{documents}x{pages_each}"

    def make(folder: Path) -> None:
        sources = sorted(SAMPLES.glob("*.scan.pdf"))
        for i in range(documents):
            source = pdfium.PdfDocument(sources[i % len(sources)])
            out = pdfium.PdfDocument.new()
            try:
                first = (i // len(sources)) * pages_each % max(1, len(source) - pages_each + 1)
                out.import_pages(source, list(range(first, first + pages_each)))
                out.save(folder / f"scan{i:03d}.pdf")
            finally:
                out.close()
                source.close()

    return _cached(folder, make)


def all_scans(work: Path = WORK) -> list[BenchDoc]:
    """Every scanned PDF the project has, whole: the sample scans and the held-out sets' scans
    (prose pages, and pages with ruled tables that cost a second Tesseract call)."""
    folder = work / "scans-all"
    sources = sorted(
        [
            *SAMPLES.glob("*.scan.pdf"),
            *(ROOT / "heldout" / "docs").glob("*.scan.pdf"),
            *(ROOT / "heldout2" / "docs").glob("*.scan.pdf"),
        ]
    )

    def make(folder: Path) -> None:
        for source in sources:
            (folder / source.name).write_bytes(source.read_bytes())

    return _cached(folder, make)


def plan_scans(work: Path = WORK) -> list[BenchDoc]:
    """Five scanned plans, 21 pages, as a small batch of scans arrives: the development set's two real
    scans (colour, 240 and 300 dpi), the scans of the two held-out sets (grey, 200 and 240 dpi), and a
    real born-digital plan's first five pages printed and scanned at 300 dpi the way bench/scan_bench.py
    does (1° skew, blur, JPEG)."""
    folder = work / "plan-scans"
    real = ROOT / "samples" / "real" / "docs"
    sources = [
        real / "bca_tctlntw_kiem_soat_ma_tuy_2026.pdf",
        real / "hcm_dh_cong_thuong_khao_sat_hai_long_2026.pdf",
        ROOT / "heldout" / "docs" / "quangninh_nq57_2026_h3.scan.pdf",
        ROOT / "heldout2" / "docs" / "thainguyen_taisantritue_2021_m1.scan.pdf",
    ]
    printed = real / "tw_bhyt_kh_hanh_dong_844_2026.pdf"

    def make(folder: Path) -> None:
        from bench.scan_bench import scanned_copy

        for source in sources:
            (folder / source.name).write_bytes(source.read_bytes())
        scanned_copy(printed, 300, 5, folder / f"{printed.stem}.print-scan.pdf")

    return _cached(folder, make)


def page_images(docs: list[BenchDoc], folder: Path) -> list[tuple[Path, int]]:
    """Each scanned page as the pipeline OCRs it (the embedded image, grayscale) in a PNG, with its dpi."""
    folder.mkdir(parents=True, exist_ok=True)
    images: list[tuple[Path, int]] = []
    for doc in docs:
        pdf = pdfium.PdfDocument(doc.path)
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                found = sole_image(page, MIN_NATIVE_DPI)
                page.close()
                if found is None:
                    raise SystemExit(f"bench: {doc.path.name} page {index + 1} is not a single-image scan page")
                image, dpi = found
                path = folder / f"{doc.path.stem}.p{index + 1:03d}.png"
                image.save(path)
                images.append((path, round(dpi)))
        finally:
            pdf.close()
    return images


# --- broken inputs (the stress run) -----------------------------------------------------------------


def _text_pdf(lines: list[str], *, encrypt: str | None = None) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1, encrypt=encrypt)
    canvas.setFont(SERIF, 12)
    for i, line in enumerate(lines):
        canvas.drawString(72, A4[1] - 72 - 18 * i, line)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _blank_scan_pdf() -> bytes:
    """An image-only page that shows nothing: a white A4 picture at 150 dpi."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4, invariant=1)
    blank = Image.new("L", (1240, 1754), 255)
    canvas.drawImage(ImageReader(blank), 0, 0, width=A4[0], height=A4[1])
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _docx_like() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:body>Kế hoạch</w:body></w:document>")
    return buf.getvalue()


def bad_files(valid_pdf: Path, seed: int = 0) -> dict[str, bytes]:
    """One of each kind of broken input, by file name: none of them has a readable plan in it."""
    rng = random.Random(seed)
    data = valid_pdf.read_bytes()
    plan = ["ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "KẾ HOẠCH", "Phát triển khoa học và công nghệ năm 2026"]
    return {
        "empty.pdf": b"",
        "truncated.pdf": data[: len(data) // 2],
        "random.pdf": rng.randbytes(8192),
        "encrypted.pdf": _text_pdf(plan, encrypt="secret-2026"),
        "letter.docx": _docx_like(),
        "letter-named-pdf.pdf": _docx_like(),
        "blank-scan.pdf": _blank_scan_pdf(),
    }
