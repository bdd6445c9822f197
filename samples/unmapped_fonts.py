"""PDFs whose TrueType fonts are embedded without a ToUnicode map, as Word exports re-distilled by
some printers are: each line is drawn with a Type0 (Identity-H) font whose codes are glyph ids, so
a reader without the font's own tables sees codes shifted by a constant (Vietnamese letters land
in Cyrillic and beyond).

`unmapped_font_pdf` lays out paragraphs on A4 pages with the given fonts (regular for body lines,
a second font for headings). `drop_cmap` removes a font's Unicode cmap too, leaving only its glyph
names (`post` table) to say what each glyph is.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# fonts-liberation2 (Liberation 1.x has no Vietnamese letters), fonts-croscore (Tinos), DejaVu.
FONT_DIRS = tuple(Path("/usr/share/fonts/truetype") / d for d in ("liberation2", "croscore", "dejavu"))
_PAGE_W, _PAGE_H = 595.0, 842.0
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" on every font
_MARGIN = 70.0


def font_path(name: str) -> Path:
    """A system TrueType font by file name (e.g. LiberationSerif-Regular.ttf)."""
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(f"font {name} not installed (fonts-liberation2, fonts-croscore, fonts-dejavu-core)")


@dataclass
class _Font:
    program: bytes
    widths: dict[int, int]  # gid → advance in 1/1000 em
    gid: dict[str, int]  # character → glyph id
    base: str


def _prepare(path: Path, text: str, tag: str, drop_cmap: bool) -> _Font:
    font = TTFont(path)
    cmap = font.getBestCmap()
    order = {name: i for i, name in enumerate(font.getGlyphOrder())}
    chars = sorted(set(text) - {"\n"})
    gid = {c: order[cmap[ord(c)]] for c in chars if ord(c) in cmap}
    scale = 1000 / font["head"].unitsPerEm
    widths = {g: round(font["hmtx"][font.getGlyphOrder()[g]][0] * scale) for g in gid.values()}
    options = subset.Options()
    options.retain_gids = True  # codes stay the original glyph ids (Identity-H)
    options.glyph_names = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    if drop_cmap:
        del font["cmap"]
    out = io.BytesIO()
    font.save(out)
    return _Font(out.getvalue(), widths, gid, f"{tag}+{path.stem.replace('-', '')}")


def _hex(text: str, font: _Font) -> str:
    return "".join(f"{font.gid.get(c, 0):04X}" for c in text)


def _width(text: str, font: _Font, size: float) -> float:
    return sum(font.widths.get(font.gid.get(c, 0), 500) for c in text) * size / 1000


def _wrap(paragraph: str, font: _Font, size: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in paragraph.split():
        candidate = f"{line} {word}".strip()
        if line and _width(candidate, font, size) > _PAGE_W - 2 * _MARGIN:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def unmapped_font_pdf(
    paragraphs: Sequence[str],
    out: Path,
    *,
    body: str = "LiberationSerif-Regular.ttf",
    heading: str = "LiberationSerif-Bold.ttf",
    drop_cmap: Sequence[str] = (),
    size: float = 13.0,
) -> Path:
    """Write `paragraphs` (a paragraph starting with '#' is a heading) as a PDF without ToUnicode."""
    texts = [p.removeprefix("#").strip() for p in paragraphs]
    all_text = "".join(texts)
    fonts = {
        "F1": _prepare(font_path(body), all_text, "AAAAAA", body in drop_cmap),
        "F2": _prepare(font_path(heading), all_text, "BAAAAA", heading in drop_cmap),
    }
    # Lay out: (font tag, line) per line, pages of as many lines as fit.
    leading = size * 1.45
    per_page = int((_PAGE_H - 2 * _MARGIN) // leading)
    lines: list[tuple[str, str]] = []
    for raw, text in zip(paragraphs, texts, strict=True):
        tag = "F2" if raw.startswith("#") else "F1"
        lines += [(tag, line) for line in _wrap(text, fonts[tag], size)]
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]

    objects: list[bytes] = []

    def add(body_bytes: bytes) -> int:
        objects.append(body_bytes)
        return len(objects)

    font_refs = {}
    for tag, font in fonts.items():
        data = zlib.compress(font.program)
        file_ref = add(
            b"<< /Length %d /Length1 %d /Filter /FlateDecode >>\nstream\n" % (len(data), len(font.program))
            + data
            + b"\nendstream"
        )
        descriptor = add(
            (
                f"<< /Type /FontDescriptor /FontName /{font.base} /Flags 6 /FontBBox [-600 -300 2000 1000]"
                f" /ItalicAngle 0 /Ascent 891 /Descent -216 /CapHeight 662 /StemV 80"
                f" /FontFile2 {file_ref} 0 R >>"
            ).encode()
        )
        widths = " ".join(f"{g} [{w}]" for g, w in sorted(font.widths.items()))
        cid_font = add(
            (
                f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{font.base}"
                f" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>"
                f" /FontDescriptor {descriptor} 0 R /CIDToGIDMap /Identity /DW 500 /W [{widths}] >>"
            ).encode()
        )
        font_refs[tag] = add(
            (
                f"<< /Type /Font /Subtype /Type0 /BaseFont /{font.base} /Encoding /Identity-H"
                f" /DescendantFonts [{cid_font} 0 R] >>"
            ).encode()
        )
    resources = "<< /Font << " + " ".join(f"/{t} {r} 0 R" for t, r in font_refs.items()) + " >> >>"
    pages_ref = len(objects) + 2 * len(pages) + 1
    page_refs = []
    for page_lines in pages:
        ops = []
        y = _PAGE_H - _MARGIN
        for tag, line in page_lines:
            ops.append(f"BT /{tag} {size} Tf {_MARGIN} {y:.2f} Td <{_hex(line, fonts[tag])}> Tj ET")
            y -= leading
        content = zlib.compress("\n".join(ops).encode())
        content_ref = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream")
        page_refs.append(
            add(
                (
                    f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox [0 0 {_PAGE_W} {_PAGE_H}]"
                    f" /Resources {resources} /Contents {content_ref} 0 R >>"
                ).encode()
            )
        )
    kids = " ".join(f"{r} 0 R" for r in page_refs)
    assert add(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_refs)} >>".encode()) == pages_ref
    catalog = add(f"<< /Type /Catalog /Pages {pages_ref} 0 R >>".encode())

    buf = io.BytesIO()
    buf.write(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body_bytes in enumerate(objects, start=1):
        offsets.append(buf.tell())
        buf.write(b"%d 0 obj\n" % number + body_bytes + b"\nendobj\n")
    xref = buf.tell()
    buf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        buf.write(b"%010d 00000 n \n" % offset)
    buf.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    out = Path(out)
    out.write_bytes(buf.getvalue())
    return out
