"""Draw Vietnamese plan documents (Kế hoạch) as PDFs, and make scanned renditions of them.

The layout follows the usual look of a provincial administrative document (Nghị định 30/2020/NĐ-CP):
A4, a two-column header block (issuer and number on the left, the national motto and place/date on the
right), the doc type in bold capitals with its title under it, justified body paragraphs with a first-line
indent, bold outline headings, ruled tables, and the closing block ("Nơi nhận:" left, the signature
right). Text is set in DejaVu Serif, which covers every Vietnamese letter, so the text layer reads back
exactly (NFC).

Public API
----------
A document is a `PlanLayout`: an optional `HeaderBlock` and a list of blocks, each one of `Title`,
`Heading`, `Para`, `TableBlock`, `Signature`, `PageBreak`.

- `render_plan_pdf(layout, out_path) -> int`: write the born-digital PDF, return its page count.
  Byte-stable: the same layout gives the same bytes (reportlab ``invariant=1``).
- `make_scan(pdf_path, out_path, dpi=200, rotate=0.5, seed=0, quality=75) -> int`: rasterize every page,
  degrade it like a flatbed scan (rotation, paper tone, blur, noise, JPEG) and wrap the images in an
  image-only PDF (no text layer). Returns the page count. Deterministic for a given seed.
- `image_of_page(pdf_path, out_path, page=0, dpi=200, rotate=0.5, seed=0) -> tuple[int, int]`: the same
  degradation for one page, saved as PNG, JPEG or TIFF (by the suffix of `out_path`); returns its size.
- `footnote_ref(mark) -> str`: inline markup for a footnote mark inside a `Para` with ``markup=True``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus.flowables import HRFlowable

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SERIF = "VnSerif"
_FONT_FILES = {
    SERIF: "DejaVuSerif.ttf",
    f"{SERIF}-Bold": "DejaVuSerif-Bold.ttf",
    f"{SERIF}-Italic": "DejaVuSerif-Italic.ttf",
    f"{SERIF}-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
}


# ---------------------------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class HeaderBlock:
    """The two-column block above the title. Leave a field empty when the document has none.

    issuer_lines: left column, e.g. ("ỦY BAN NHÂN DÂN", "TỈNH LÀO CAI"); the last line is set in bold.
    number_line: as printed, e.g. "Số: 52/KH-UBND" or "Số:      /KH-UBND" (left blank).
    place_date: as printed, e.g. "Lào Cai, ngày 06 tháng 02 năm 2026" (set in italics).
    national: draw the national motto in the right column.
    """

    issuer_lines: tuple[str, ...] = ()
    number_line: str | None = None
    place_date: str | None = None
    national: bool = True


@dataclass(frozen=True)
class Title:
    """The doc type ("KẾ HOẠCH") and the title lines under it, centred and bold."""

    doc_type: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heading:
    """An outline heading. level 0: part (A.), 1: I., 2: 1., 3: 1.1., 4: a) / a. / other run-in."""

    text: str
    level: int = 2
    markup: bool = False


@dataclass(frozen=True)
class Footnote:
    mark: str
    text: str


@dataclass(frozen=True)
class Para:
    """A body paragraph, justified with a first-line indent.

    text is plain text unless ``markup=True`` (then reportlab mini-markup: <i>, <b>, <super>).
    notes are printed at the foot of the page where the paragraph ends; put `footnote_ref(mark)` into
    the markup where the mark belongs.
    """

    text: str
    italic: bool = False
    bold: bool = False
    markup: bool = False
    notes: tuple[Footnote, ...] = ()


@dataclass(frozen=True)
class TableBlock:
    """A ruled table: `rows` of cell strings, the first `header_rows` set bold and shaded.

    col_weights: relative column widths (default: equal). caption: a bold centred line above.
    """

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1
    col_weights: tuple[float, ...] | None = None
    caption: str | None = None
    font_size: float = 10.0


@dataclass(frozen=True)
class Signature:
    """The closing block: "Nơi nhận:" with its list on the left, the signature on the right.

    authority: e.g. ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"); name: the signer or None.
    """

    recipients: tuple[str, ...] = ()
    authority: tuple[str, ...] = ()
    name: str | None = None


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Title | Heading | Para | TableBlock | Signature | PageBreak


@dataclass
class PlanLayout:
    """A whole document. page_numbers: "top" (centred, from page 2, the official style), "bottom"
    (centred on every page) or None. running_header: a line repeated at the top of every page.
    encrypt: a user password (the PDF then needs it to open)."""

    blocks: list[Block]
    header: HeaderBlock | None = None
    page_numbers: Literal["top", "bottom"] | None = "top"
    font_size: float = 12.5
    pdf_title: str = ""
    margins_mm: tuple[float, float, float, float] = (20, 20, 30, 20)  # top, bottom, left, right
    running_header: str | None = None
    encrypt: str | None = None


# ----------------------------------------------------------------------------------------------- fonts


def register_fonts() -> None:
    """Register DejaVu Serif (regular, bold, italic, bold italic) with reportlab, once."""
    if SERIF in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in _FONT_FILES.items():
        path = FONT_DIR / file
        if not path.is_file():
            raise FileNotFoundError(f"font {path} is missing (Debian package fonts-dejavu-extra)")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(
        SERIF, normal=SERIF, bold=f"{SERIF}-Bold", italic=f"{SERIF}-Italic", boldItalic=f"{SERIF}-BoldItalic"
    )


def footnote_ref(mark: str) -> str:
    """Markup for a superscript footnote mark."""
    return f"<super>{escape(mark)}</super>"


# ---------------------------------------------------------------------------------------------- styles


@dataclass
class _Styles:
    size: float
    body: ParagraphStyle = field(init=False)

    def __post_init__(self) -> None:
        s = self.size
        lead = round(s * 1.32, 1)
        self.body = ParagraphStyle(
            "body",
            fontName=SERIF,
            fontSize=s,
            leading=lead,
            alignment=TA_JUSTIFY,
            firstLineIndent=1 * cm,
            spaceAfter=4,
        )
        self.heading = {
            0: self._derive("h0", bold=True, spaceBefore=6),
            1: self._derive("h1", bold=True, spaceBefore=4),
            2: self._derive("h2", bold=True, spaceBefore=2),
            3: self._derive("h3", bold=True, italic=True),
            4: self._derive("h4", italic=True),
        }
        self.doc_type = ParagraphStyle(
            "doctype", fontName=f"{SERIF}-Bold", fontSize=s + 1.5, leading=lead + 2, alignment=TA_CENTER, spaceBefore=14
        )
        self.title = ParagraphStyle("title", fontName=f"{SERIF}-Bold", fontSize=s, leading=lead, alignment=TA_CENTER)
        self.cell = ParagraphStyle("cell", fontName=SERIF, fontSize=s, leading=lead)
        small = s - 2
        self.head_left = ParagraphStyle("hl", fontName=SERIF, fontSize=small, leading=small * 1.3, alignment=TA_CENTER)
        self.head_right = ParagraphStyle("hr", parent=self.head_left, fontName=f"{SERIF}-Bold", fontSize=small - 0.5)
        self.recipients_title = ParagraphStyle(
            "rt", fontName=f"{SERIF}-BoldItalic", fontSize=small, leading=small * 1.25, alignment=TA_LEFT
        )
        self.recipients = ParagraphStyle("r", fontName=SERIF, fontSize=small - 0.5, leading=(small - 0.5) * 1.25)
        self.sign = ParagraphStyle(
            "sign", fontName=f"{SERIF}-Bold", fontSize=small + 0.5, leading=(small + 0.5) * 1.3, alignment=TA_CENTER
        )
        self.footnote = ParagraphStyle(
            "fn", fontName=SERIF, fontSize=s - 3, leading=(s - 3) * 1.2, alignment=TA_JUSTIFY
        )

    def _derive(self, name: str, *, bold: bool = False, italic: bool = False, **kw: float) -> ParagraphStyle:
        font = SERIF + ("-Bold" if bold else "") + ("Italic" if italic and bold else "-Italic" if italic else "")
        return ParagraphStyle(name, parent=self.body, fontName=font, alignment=TA_LEFT, **kw)

    def cell_style(self, size: float, bold: bool) -> ParagraphStyle:
        return ParagraphStyle(
            f"cell{size}{bold}",
            fontName=f"{SERIF}-Bold" if bold else SERIF,
            fontSize=size,
            leading=size * 1.25,
            alignment=TA_CENTER if bold else TA_LEFT,
        )


# ----------------------------------------------------------------------------------------- flowables


class _FootnoteAnchor(Flowable):
    """Zero-size marker placed after a paragraph with notes; records the page it lands on."""

    def __init__(self, notes: tuple[Footnote, ...], sink: dict[int, list[Footnote]]) -> None:
        super().__init__()
        self.notes = notes
        self.sink = sink
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.sink.setdefault(self.canv.getPageNumber(), []).extend(self.notes)


class _PlanDoc(BaseDocTemplate):
    """Reserves room at the foot of pages that carry footnotes (known from the previous pass)."""

    def __init__(
        self, target: io.BytesIO, layout: PlanLayout, styles: _Styles, reserve: dict[int, float], **kw: object
    ) -> None:
        top, bottom, left, right = (m * mm for m in layout.margins_mm)
        super().__init__(
            target,
            pagesize=A4,
            topMargin=top,
            bottomMargin=bottom,
            leftMargin=left,
            rightMargin=right,
            invariant=1,
            pageCompression=1,
            title=layout.pdf_title,
            author="",
            creator="",
            producer="vnplan samples",
            subject="",
            encrypt=layout.encrypt,
            **kw,
        )
        self.layout = layout
        self.styles = styles
        self.reserve = reserve
        self.placed: dict[int, list[Footnote]] = {}
        frame = Frame(
            left,
            bottom,
            A4[0] - left - right,
            A4[1] - top - bottom,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._page_number, onPageEnd=self._draw_footnotes)])

    def handle_frameBegin(self, resume: int = 0, pageTopFlowables: object = None) -> None:
        super().handle_frameBegin(resume, pageTopFlowables)
        self.frame._bottomPadding = self.reserve.get(self.page, 0.0)
        self.frame._geom()

    def _page_number(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if self.layout.running_header:
            canv.saveState()
            canv.setFont(SERIF, self.styles.size - 2)
            canv.drawCentredString(
                self.leftMargin + self.width / 2, A4[1] - self.topMargin / 2 + 6, self.layout.running_header
            )
            canv.restoreState()
        where = self.layout.page_numbers
        if where is None or (where == "top" and doc.page == 1):
            return
        canv.saveState()
        canv.setFont(SERIF, self.styles.size - 1)
        x = self.leftMargin + self.width / 2
        y = A4[1] - self.topMargin / 2 - 3 if where == "top" else self.bottomMargin / 2
        canv.drawCentredString(x, y, str(doc.page))
        canv.restoreState()

    def footnote_flowables(self, notes: list[Footnote]) -> list[Paragraph]:
        return [Paragraph(f"{footnote_ref(n.mark)} {escape(n.text)}", self.styles.footnote) for n in notes]

    def _draw_footnotes(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        notes = self.placed.get(doc.page)
        if not notes:
            return
        y = self.bottomMargin
        paras = self.footnote_flowables(notes)
        heights = [p.wrap(self.width, A4[1])[1] for p in paras]
        y += sum(heights) + 2 * len(paras)
        canv.saveState()
        canv.setLineWidth(0.5)
        canv.line(self.leftMargin, y + 4, self.leftMargin + 5 * cm, y + 4)
        canv.restoreState()
        for p, h in zip(paras, heights, strict=True):
            y -= h + 2
            p.drawOn(canv, self.leftMargin, y)


def _header_table(h: HeaderBlock, st: _Styles, width: float) -> Table:
    left: list[Flowable] = []
    for i, line in enumerate(h.issuer_lines):
        bold = i == len(h.issuer_lines) - 1
        left.append(Paragraph(f"<b>{escape(line)}</b>" if bold else escape(line), st.head_left))
    if h.issuer_lines:
        left.append(HRFlowable(width="35%", thickness=0.7, color=colors.black, spaceBefore=1, spaceAfter=6))
    if h.number_line:
        # keep the blank of an unnumbered draft visible: runs of spaces become fixed spaces
        left.append(Paragraph(escape(h.number_line).replace("  ", "&nbsp; "), st.head_left))
    right: list[Flowable] = []
    if h.national:
        right.append(Paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st.head_right))
        right.append(
            Paragraph(
                "<b>Độc lập - Tự do - Hạnh phúc</b>",
                ParagraphStyle("motto", parent=st.head_left, fontSize=st.head_left.fontSize + 0.5),
            )
        )
        right.append(HRFlowable(width="62%", thickness=0.7, color=colors.black, spaceBefore=1, spaceAfter=6))
    if h.place_date:
        right.append(Paragraph(f"<i>{escape(h.place_date).replace('  ', '&nbsp; ')}</i>", st.head_left))
    table = Table([[left, right]], colWidths=[width * 0.40, width * 0.60])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _column_widths(t: TableBlock, n_cols: int, width: float) -> list[float]:
    """Widths from the weights (default: mean text length per column), never narrower than the
    longest word of the column, so that no word is broken inside a cell ("ST/T")."""
    columns = [[r[i] if i < len(r) else "" for r in t.rows] for i in range(n_cols)]
    weights = t.col_weights or tuple(min(max(sum(len(c) for c in col) / len(col), 2.0), 60.0) for col in columns)
    floor = [
        max((stringWidth(w, f"{SERIF}-Bold", t.font_size) for c in col for w in c.split()), default=0) + 14
        for col in columns
    ]
    widths = [width * w / sum(weights) for w in weights]
    for _ in range(n_cols):
        short = [i for i in range(n_cols) if widths[i] < floor[i]]
        if not short:
            break
        for i in short:
            widths[i] = floor[i]
        free = [i for i in range(n_cols) if widths[i] > floor[i]]
        excess = sum(widths) - width
        room = sum(widths[i] - floor[i] for i in free)
        for i in free:
            widths[i] -= excess * (widths[i] - floor[i]) / room if room > 0 else 0
    return widths


def _data_table(t: TableBlock, st: _Styles, width: float) -> list[Flowable]:
    n_cols = max(len(r) for r in t.rows)
    widths = _column_widths(t, n_cols, width)
    head, body = st.cell_style(t.font_size, True), st.cell_style(t.font_size, False)
    data = []
    for i, row in enumerate(t.rows):
        style = head if i < t.header_rows else body
        cells = [Paragraph(escape(c), style) for c in row] + [Paragraph("", style)] * (n_cols - len(row))
        data.append(cells)
    table = Table(data, colWidths=widths, repeatRows=t.header_rows, splitByRow=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, t.header_rows - 1), colors.Color(0.92, 0.92, 0.92)),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    out: list[Flowable] = [Spacer(1, 4)]
    if t.caption:
        out.append(Paragraph(f"<b>{escape(t.caption)}</b>", ParagraphStyle("cap", parent=st.title, spaceAfter=4)))
    out += [table, Spacer(1, 6)]
    return out


def _signature_table(s: Signature, st: _Styles, width: float) -> Table:
    left: list[Flowable] = []
    if s.recipients:
        left.append(Paragraph("Nơi nhận:", st.recipients_title))
        left += [Paragraph(escape(r), st.recipients) for r in s.recipients]
    right: list[Flowable] = [Paragraph(escape(a), st.sign) for a in s.authority]
    if s.name:
        right += [Spacer(1, 2.2 * cm), Paragraph(escape(s.name), st.sign)]
    table = Table([[left, right]], colWidths=[width * 0.52, width * 0.48])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _flowables(layout: PlanLayout, st: _Styles, width: float, sink: dict[int, list[Footnote]]) -> list[Flowable]:
    out: list[Flowable] = []
    if layout.header is not None:
        out.append(_header_table(layout.header, st, width))
    for b in layout.blocks:
        if isinstance(b, Title):
            lines = [Paragraph(escape(b.doc_type), st.doc_type)]
            lines += [Paragraph(escape(t), st.title) for t in b.lines]
            lines.append(HRFlowable(width="25%", thickness=0.7, color=colors.black, spaceBefore=7, spaceAfter=12))
            out.append(KeepTogether(lines))
        elif isinstance(b, Heading):
            text = b.text if b.markup else escape(b.text)
            # keep a heading off the foot of a page (keepWithNext would drag whole paragraphs along)
            out.append(CondPageBreak(4 * st.body.leading))
            out.append(Paragraph(text, st.heading[min(max(b.level, 0), 4)]))
        elif isinstance(b, Para):
            text = b.text if b.markup else escape(b.text)
            if b.bold:
                text = f"<b>{text}</b>"
            if b.italic:
                text = f"<i>{text}</i>"
            out.append(Paragraph(text, st.body))
            if b.notes:
                out.append(_FootnoteAnchor(b.notes, sink))
        elif isinstance(b, TableBlock):
            out += _data_table(b, st, width)
        elif isinstance(b, Signature):
            out += [Spacer(1, 8), _signature_table(b, st, width)]
        elif isinstance(b, PageBreak):
            out.append(RLPageBreak())
    return out


def _note_heights(doc: _PlanDoc, placed: dict[int, list[Footnote]]) -> dict[int, float]:
    heights: dict[int, float] = {}
    for page, notes in placed.items():
        heights[page] = sum(p.wrap(doc.width, A4[1])[1] + 2 for p in doc.footnote_flowables(notes)) + 10
    return heights


def render_plan_pdf(layout: PlanLayout, out_path: str | Path) -> int:
    """Draw `layout` as an A4 PDF at `out_path`; return the number of pages.

    Footnotes need room at the foot of the page their paragraph ends on, which is known only after
    laying out, so the document is laid out again until every footnote has room on its page (≤ 6 passes).
    """
    register_fonts()
    st = _Styles(layout.font_size)
    reserve: dict[int, float] = {}
    data = b""
    pages = 0
    for _ in range(6):
        buf = io.BytesIO()
        sink: dict[int, list[Footnote]] = {}
        doc = _PlanDoc(buf, layout, st, reserve)
        doc.placed = sink
        doc.build(_flowables(layout, st, doc.width, sink))
        data, pages = buf.getvalue(), doc.page
        wanted = _note_heights(doc, sink)
        if all(reserve.get(page, 0.0) >= h for page, h in wanted.items()):
            break
        # grow the reservations, never shrink them: a page freed of its note can pull the paragraph
        # back and the two layouts would alternate forever
        reserve = {page: max(h, reserve.get(page, 0.0)) for page, h in (reserve | wanted).items()}
    Path(out_path).write_bytes(data)
    return pages


# ------------------------------------------------------------------------------------------------ scans


def _degrade(page: Image.Image, rng: np.random.Generator, rotate: float) -> Image.Image:
    """Make a clean grayscale rendering look scanned: skew, soft focus, grey paper and ink, noise.

    The noise is scaled by ink coverage, so blank paper stays smooth (as after a scanner's white
    point correction) and costs little JPEG space; the strokes get the grain.
    """
    angle = rotate * rng.uniform(0.8, 1.2) * (1 if rng.random() < 0.5 else -1)
    img = page.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.9, 1.15)))
    a = np.asarray(img, dtype=np.float32) / 255.0
    paper, ink = rng.uniform(222, 238), rng.uniform(45, 70)
    out = ink + (paper - ink) * a
    # uneven illumination: a gentle left-to-right gradient, as under a scanner lid
    w = out.shape[1]
    out += np.linspace(-rng.uniform(0, 5), rng.uniform(0, 5), w, dtype=np.float32)[None, :]
    out += rng.normal(0.0, 4.0, size=out.shape).astype(np.float32) * (1.0 - a)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), mode="L")


def rendered_pages(pdf_path: str | Path, dpi: int) -> list[Image.Image]:
    """Every page rasterized in grayscale, as a scanner would deliver it."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(pdf))]
    finally:
        pdf.close()


def make_scan(
    pdf_path: str | Path, out_path: str | Path, dpi: int = 200, rotate: float = 0.5, seed: int = 0, quality: int = 75
) -> int:
    """Write an image-only PDF that looks like a scan of `pdf_path`; return its page count.

    Each page is rendered at `dpi`, rotated by about ±`rotate` degrees (±20 %, sign drawn per page),
    toned, blurred and noised with a generator seeded by `seed`, JPEG-compressed at `quality` and
    placed full-page (page size = image size at `dpi`, so A4 stays A4). No text layer.
    """
    rng = np.random.default_rng(seed)
    canv = Canvas(str(out_path), invariant=1, pageCompression=1)
    canv.setTitle("")
    canv.setCreator("vnplan samples (scan)")
    count = 0
    use_a85 = rl_config.useA85
    rl_config.useA85 = 0  # embed the JPEG bytes as they are (ASCII85 would add a quarter)
    try:
        for page in rendered_pages(pdf_path, dpi):
            img = _degrade(page, rng, rotate)
            jpeg = io.BytesIO()
            img.save(jpeg, "JPEG", quality=quality, optimize=True, progressive=True)
            jpeg.seek(0)
            w, h = img.width * 72 / dpi, img.height * 72 / dpi
            canv.setPageSize((w, h))
            canv.drawImage(ImageReader(jpeg), 0, 0, width=w, height=h)
            canv.showPage()
            count += 1
        canv.save()
    finally:
        rl_config.useA85 = use_a85
    return count


def image_of_page(
    pdf_path: str | Path, out_path: str | Path, page: int = 0, dpi: int = 200, rotate: float = 0.5, seed: int = 0
) -> tuple[int, int]:
    """Save one scanned-looking page of `pdf_path` as an image (PNG/JPEG/TIFF by suffix); return (w, h)."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        clean = pdf[page].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    img = _degrade(clean, np.random.default_rng(seed), rotate)
    suffix = Path(out_path).suffix.lower()
    if suffix in (".jpg", ".jpeg"):
        img.save(out_path, "JPEG", quality=80, dpi=(dpi, dpi))
    elif suffix in (".tif", ".tiff"):
        img.save(out_path, "TIFF", compression="tiff_deflate", dpi=(dpi, dpi))
    else:
        img.save(out_path, "PNG", dpi=(dpi, dpi))
    return img.width, img.height
