"""A typeface that prints Vietnamese without its marks: a copy of a system font whose accented letters
draw their bare letter's glyph (ộ draws o, Đ draws D).

Set in it, a plan prints as a typist without a Vietnamese keyboard layout would print it, line for line
the same as the accented print in the original font (the glyphs keep their advance widths). The scan
benches and tests print plans in it to measure and test what vnplan reads from such prints.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

from normalizers.restore.syllables import fold
from samples.unmapped_fonts import font_path


def folded_font(name: str, folder: Path) -> Path:
    """A copy of the system font `name` (e.g. Tinos-Regular.ttf) in `folder` whose accented letters
    draw their bare letter (every cmap entry of a character whose fold is another mapped character
    points to that character's glyph), under a face name of its own."""
    out = folder / f"folded-{name}"
    if out.exists():
        return out
    font = TTFont(font_path(name))
    for table in font["cmap"].tables:
        if not table.isUnicode():
            continue
        mapping = table.cmap
        for code in list(mapping):
            bare = fold(chr(code))
            if len(bare) == 1 and bare != chr(code) and ord(bare) in mapping:
                mapping[code] = mapping[ord(bare)]
    for record in font["name"].names:  # reportlab keys embedded faces by name
        if record.nameID in (1, 3, 4, 6):
            record.string = f"{record.toUnicode().replace(' ', '')}Folded"
    folder.mkdir(parents=True, exist_ok=True)
    font.save(out)
    return out
