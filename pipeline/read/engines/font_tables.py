"""fontTools + pdfminer: text layers whose fonts carry no ToUnicode map, decoded through the
embedded fonts' own tables.

A PDF written without ToUnicode (Word exports re-distilled, some print drivers) still embeds the
fonts it draws with, and a font knows which character each of its glyphs is: its Unicode cmap maps
characters to glyphs (read backwards: glyph → character) and its glyph names (`post` table, or an
encoding's Differences) spell characters in the Adobe Glyph List convention (`ohorn`, `uni1EA0`).
pdfminer interprets the page (positions, lines, tables through pdfplumber); this module only
replaces how a glyph code of such a font becomes text:

- CID-keyed TrueType (Type0, Identity-H): code = CID → glyph id (CIDToGIDMap) → glyph name →
  character;
- simple TrueType: code → glyph name through the encoding's Differences, else the font's own
  (3,0) symbol or (1,0) Mac cmap → character.

A glyph the font cannot name stays unmapped (pdfminer writes `(cid:n)`), so the caller's garbage
check still sends such a page to OCR.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any

from fontTools import agl
from fontTools.ttLib import TTFont, TTLibError
from pdfminer.pdffont import PDFCIDFont, PDFFont, PDFSimpleFont
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral

# Names a font tool invents for a glyph that carry no character (`glyph12`, `g7`, `index3`).
_MEANINGLESS_NAME = re.compile(r"^(?:glyph|g|index|gid|cid)\d+$", re.IGNORECASE)


def _unicode_of_glyphs(font: TTFont) -> dict[str, str]:
    """glyph name → the character the font's Unicode cmaps map to it (the lowest code point
    outside the private-use area when several do)."""
    best: dict[str, int] = {}
    for table in font["cmap"].tables if "cmap" in font else []:
        if not table.isUnicode():
            continue
        for code, name in table.cmap.items():
            private = 0xE000 <= code <= 0xF8FF
            rank = code + (0x110000 if private else 0)
            if name not in best or rank < best[name]:
                best[name] = rank
    return {name: chr(rank % 0x110000) for name, rank in best.items() if rank < 0x110000}


def _name_to_text(name: str, by_glyph: Mapping[str, str]) -> str | None:
    """The character(s) a glyph stands for: the font's Unicode cmap, else its AGL name."""
    if name in by_glyph:
        return by_glyph[name]
    if name in (".notdef", "") or _MEANINGLESS_NAME.match(name):
        return None
    text = agl.toUnicode(name)
    if not text or any(0xE000 <= ord(c) <= 0xF8FF for c in text):
        return None
    return unicodedata.normalize("NFC", text)


def _embedded_font(spec: Mapping[str, Any]) -> TTFont | None:
    """The TrueType/OpenType program embedded in a font dictionary, or None."""
    descriptor = resolve1(spec.get("FontDescriptor"))
    if not isinstance(descriptor, dict):
        return None
    for key in ("FontFile2", "FontFile3"):
        stream = resolve1(descriptor.get(key))
        if isinstance(stream, PDFStream):
            try:
                return TTFont(BytesIO(stream.get_data()), lazy=True)
            except (TTLibError, AssertionError, ValueError, KeyError, OSError, EOFError):
                return None  # a bare CFF or Type 1 program: not read here
    return None


def _cid_decoder(spec: Mapping[str, Any], font: TTFont) -> Callable[[int], str | None]:
    glyph_order = font.getGlyphOrder()
    by_glyph = _unicode_of_glyphs(font)
    cid_to_gid = resolve1(spec.get("CIDToGIDMap"))
    table = cid_to_gid.get_data() if isinstance(cid_to_gid, PDFStream) else None

    def decode(cid: int) -> str | None:
        gid = cid
        if table is not None:
            if 2 * cid + 1 >= len(table):
                return None
            gid = table[2 * cid] << 8 | table[2 * cid + 1]
        if gid <= 0 or gid >= len(glyph_order):
            return None
        return _name_to_text(glyph_order[gid], by_glyph)

    return decode


def _differences(spec: Mapping[str, Any]) -> dict[int, str]:
    encoding = resolve1(spec.get("Encoding"))
    names: dict[int, str] = {}
    if isinstance(encoding, dict):
        code = 0
        for item in resolve1(encoding.get("Differences")) or []:
            item = resolve1(item)
            if isinstance(item, int):
                code = item
            elif isinstance(item, PSLiteral):
                names[code] = str(item.name)
                code += 1
    return names


def _simple_decoder(spec: Mapping[str, Any], font: TTFont) -> Callable[[int], str | None]:
    by_glyph = _unicode_of_glyphs(font)
    named = _differences(spec)
    byte_cmaps = [
        (0xF000 if table.platformID == 3 else 0, table.cmap)
        for table in (font["cmap"].tables if "cmap" in font else [])
        if (table.platformID, table.platEncID) in ((3, 0), (1, 0))
    ]

    def decode(code: int) -> str | None:
        if code in named:
            text = _name_to_text(named[code], by_glyph)
            if text is not None:
                return text
        for offset, cmap in byte_cmaps:
            name = cmap.get(offset + code) or cmap.get(code)
            if name is not None:
                return _name_to_text(name, by_glyph)
        return None

    return decode


def _has_unicode_map(spec: Mapping[str, Any]) -> bool:
    return isinstance(resolve1(spec.get("ToUnicode")), PDFStream)


def _patch(font: PDFFont, decode: Callable[[int], str | None]) -> None:
    """Make `font` read its glyph codes through `decode`, keeping pdfminer's own reading for the
    codes the font's tables cannot name."""
    original = font.to_unichr

    def to_unichr(cid: int) -> str:
        text = decode(cid)
        return text if text is not None else original(cid)

    font.to_unichr = to_unichr  # type: ignore[method-assign]


class FontTablesResourceManager(PDFResourceManager):
    """pdfminer's resource manager, whose fonts without a ToUnicode map decode glyph codes
    through their embedded programs. `decoded` names the fonts it decoded that way."""

    def __init__(self) -> None:
        super().__init__(caching=True)
        self.decoded: set[str] = set()

    def get_font(self, objid: object, spec: Mapping[str, Any]) -> PDFFont:
        font = super().get_font(objid, spec)
        if getattr(font, "_vnplan_font_tables", False) or _has_unicode_map(spec):
            return font
        if not isinstance(font, PDFCIDFont | PDFSimpleFont):
            return font
        embedded = _embedded_font(spec)
        if embedded is None:
            return font
        try:
            decode = _cid_decoder(spec, embedded) if isinstance(font, PDFCIDFont) else _simple_decoder(spec, embedded)
        except (TTLibError, AssertionError, ValueError, KeyError, IndexError, EOFError):
            return font  # a damaged font program: leave the font as pdfminer reads it
        _patch(font, decode)
        font._vnplan_font_tables = True  # type: ignore[union-attr]
        self.decoded.add(str(getattr(font, "basefont", "unknown")))
        return font


@contextmanager
def open_decoding(path: Path) -> Iterator[tuple[Any, FontTablesResourceManager]]:
    """A pdfplumber document whose fonts without ToUnicode are decoded through their own tables,
    and its resource manager (whose `decoded` says which fonts were)."""
    from pipeline.read.engines import plumber

    with plumber.open_plumber(path) as pdf:
        manager = FontTablesResourceManager()
        pdf.rsrcmgr = manager
        yield pdf, manager
