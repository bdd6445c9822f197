"""Render the seed documents of samples/seeds into realistic sample files in samples/.

For each accented seed (a PDF text extraction: hard wraps, stray blank lines, page numbers, footnotes)
the layout is reconstructed with rules about Vietnamese plan documents, not about any one seed:
- the header block is the text before the doc type line ("KẾ HOẠCH"): issuer lines, "Số: ...",
  the national motto, "<place>, ngày ... năm ...";
- the title is the doc type line and the short lines under it, up to a spacer line or a sentence;
- the closing block starts at "Nơi nhận:" (recipients), then the authority lines in capitals
  ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") and the signer's name, if there is one;
- the body's hard wraps are rejoined into paragraphs: a line opens a new paragraph when it starts with an
  outline marker (A., I., 1., 1.1., a), a.) or a bullet after a finished clause, or when the line before
  it was short; a line starting in lower case always continues; blank lines mean nothing;
- lone numbers between blank lines are the source's page numbers and are dropped; footnotes (a long
  spacer line, then "1  text") are set as real footnotes under their reference.
Nothing is invented: a header field the seed lacks is left out. When the extraction lost the issuer
lines, they are restated from the document's own words (the "TM. <body>" of the signature and the
"<body> tỉnh X ban hành" sentence, or the place of the date line).

Outputs per seed <stem>: <stem>.pdf (born-digital), <stem>.scan.pdf (image-only scan); also
<stem>.stripped.txt for 001 (diacritics removed), the OCR seed 004 copied as is, and gold copies.

Usage: .venv/bin/python samples/make_samples.py [--check]
  --check also measures the share of seed words found in each PDF's text layer and the character
  error rate of Tesseract (vie) on the first page of one scan.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samples.render import (
    Block,
    Footnote,
    HeaderBlock,
    Heading,
    Para,
    PlanLayout,
    Signature,
    Title,
    footnote_ref,
    make_scan,
    render_plan_pdf,
)

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"  # the seed texts the samples are rendered from
GOLD = HERE / "gold"


# Rendering choices per seed, for variety between the samples; nothing here touches the text.
@dataclass(frozen=True)
class SeedStyle:
    page_numbers: Literal["top", "bottom"] = "top"
    font_size: float = 12.5
    rotate: float = 0.5
    scan_seed: int = 0


STYLES: dict[str, SeedStyle] = {
    "laocai_khcn_2023_000": SeedStyle("top", 12.5, 0.6, 0),
    "laocai_chienluoc_2030_001": SeedStyle("top", 12.5, 0.4, 1),
    "laocai_dean06_2021_002": SeedStyle("bottom", 12.0, 0.9, 2),
    "laichau_chienluoc_2030_003": SeedStyle("bottom", 12.5, 0.7, 3),
}
STRIPPED_SEED = "laocai_chienluoc_2030_001"
OCR_SEED = "laocai_nq57_2026_ocr_004"

DOC_TYPE = re.compile(r"^(KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|ĐỀ ÁN|BÁO CÁO|CHỈ THỊ|NGHỊ QUYẾT|KẾ HOẠCH HÀNH ĐỘNG)$")
MOTTO = re.compile(r"^(CỘNG HÒA|CỘNG HOÀ) XÃ HỘI CHỦ NGHĨA VIỆT NAM$|^Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc$")
NUMBER = re.compile(r"^Số\s*:")
PLACE_DATE = re.compile(r"^(?P<place>[^,]{2,40}),\s*ngày\b.*\bnăm\s+\d{4}\s*$")
RECIPIENTS = re.compile(r"^Nơi nhận\s*:")
AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s|^(PHÓ )?CHỦ TỊCH$")
ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"
OUTLINE = re.compile(rf"^(?:[A-ZĐ]\.|{ROMAN}\.|\d{{1,2}}(?:\.\d{{1,2}})*\.|[a-zđ][).])\s")
BULLET = re.compile(r"^(?:[-–+•]|\*+)\s")
PAGE_NUMBER = re.compile(r"^\d{1,3}$")
FOOTNOTE = re.compile(r"^(\d{1,2})\s+(\S.*)$")
FOOTNOTE_RULE = 20  # the footnote separator comes out as a long run of spaces
# a line ending on one of these words cannot end a heading or a paragraph
BINDING_END = re.compile(r"\b(của|và|các|với|về|cho|theo|tại|số|ngày|trong|để|là|được|những)$", re.IGNORECASE)
SENTENCE_BREAK = re.compile(r"[.;:!?] +[A-ZĐÀ-Ỹ]")


@dataclass
class Line:
    text: str  # stripped, NFC
    index: int  # line number in the seed (0-based)
    gap: int  # length of a whitespace-only line (a vertical gap in the source layout), else 0
    page_start: bool  # the extractor starts each new page with a space: a footnote ends there


@dataclass
class Chunk:
    lines: list[Line]
    notes: list[Footnote] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(ln.text for ln in self.lines).split())


def read_seed(path: Path) -> list[Line]:
    raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).split("\n")
    return [
        Line(r.strip(), i, 0 if r.strip() else len(r), r.startswith(" ") and bool(r.strip())) for i, r in enumerate(raw)
    ]


def upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


# ------------------------------------------------------------------------------------ header and title


def split_front(lines: list[Line]) -> tuple[list[Line], int]:
    """Lines before the doc type line, and the doc type line's position."""
    for k, ln in enumerate(lines):
        if DOC_TYPE.match(ln.text):
            return lines[:k], k
    raise ValueError("no doc type line (KẾ HOẠCH, QUYẾT ĐỊNH, ...) in the seed")


def parse_title(lines: list[Line], at: int) -> tuple[Title, int]:
    """The doc type and the title lines under it; returns the title and the first body position."""
    subtitle: list[str] = []
    k = at + 1
    while k < len(lines):
        ln = lines[k]
        if ln.gap and subtitle:
            break
        if ln.text:
            if len(subtitle) >= 4 or OUTLINE.match(ln.text) or ln.text.rstrip().endswith((".", ";", ":")):
                break
            subtitle.append(ln.text)
        k += 1
    # the seed's wraps of the title are the source's line breaks at another width: set it as one line
    return Title(lines[at].text, (" ".join(subtitle),) if subtitle else ()), k


def blank_slots(text: str) -> str:
    """Show an unfilled number or day as the printed blank it is ("Số:      /KH", "ngày      tháng")."""
    text = re.sub(r"(Số:)\s*/", r"\1          /", text)
    return re.sub(r"\b(ngày)\s+(tháng)", r"\1        \2", text)


def parse_header(front: list[Line], body_text: str, authority: tuple[str, ...]) -> HeaderBlock:
    issuer: list[str] = []
    number = place_date = None
    for ln in front:
        t = ln.text
        if not t or MOTTO.match(t):
            continue
        if NUMBER.match(t):
            number = blank_slots(t)
        elif PLACE_DATE.match(t):
            place_date = blank_slots(t)
        elif upper_share(t) > 0.9:
            issuer.append(t)
    if not issuer:
        issuer = restate_issuer(body_text, authority, place_date)
    return HeaderBlock(tuple(issuer), number, place_date)


def restate_issuer(body_text: str, authority: tuple[str, ...], place_date: str | None) -> list[str]:
    """The issuer lines, from the document's own words when the extraction lost the header."""
    body = next((a.split(".", 1)[1].strip() for a in authority if a.startswith("TM.")), None)
    if body is None:
        return []
    m = re.search(
        r"(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (tỉnh|thành phố) ((?:[A-ZĐÀ-Ỹ]\w*\s?)+?) ban hành", body_text
    )
    if m:
        return [body, f"{m.group(1)} {m.group(2).strip()}".upper()]
    place = PLACE_DATE.match(place_date or "")
    return [body, f"TỈNH {place.group('place').upper()}"] if place else [body]


# ---------------------------------------------------------------------------------------- closing


def split_closing(lines: list[Line]) -> tuple[list[Line], Signature]:
    """Body lines, and the closing block (Nơi nhận, authority, signer) from the end of the seed."""
    start = next((k for k, ln in enumerate(lines) if RECIPIENTS.match(ln.text)), None)
    if start is None:
        start = next((k for k, ln in enumerate(lines) if AUTHORITY.match(ln.text) and k > len(lines) * 0.8), len(lines))
    recipients: list[str] = []
    authority: list[str] = []
    after_authority: list[str] = []
    for ln in lines[start:]:
        t = " ".join(ln.text.split())
        if not t or RECIPIENTS.match(t):
            continue
        if AUTHORITY.match(t) or (authority and upper_share(t) > 0.9 and not after_authority):
            authority.append(t)
        elif authority:
            after_authority.append(t)
        elif BULLET.match(t) or not recipients:
            recipients.append(t)
        else:
            recipients[-1] += " " + t
    name = after_authority[-1] if after_authority else None
    return lines[:start], Signature(tuple(recipients), tuple(authority), name)


# ------------------------------------------------------------------------------------------- body


def drop_page_furniture(lines: list[Line]) -> tuple[list[Line], list[tuple[int, Footnote]]]:
    """Remove the source's page numbers and footnote blocks; return the footnotes with their position."""
    kept: list[Line] = []
    notes: list[tuple[int, Footnote]] = []
    k = 0
    while k < len(lines):
        ln = lines[k]
        if PAGE_NUMBER.match(ln.text):
            k += 1
            continue
        nxt = next((x for x in lines[k + 1 :] if x.text), None)
        if ln.gap >= FOOTNOTE_RULE and nxt is not None and FOOTNOTE.match(nxt.text):
            k = lines.index(nxt)
            while k < len(lines) and (m := FOOTNOTE.match(lines[k].text)):
                parts = [m.group(2)]
                k += 1
                # the note runs on until the next page starts (the extractor's leading space) or a new note
                while k < len(lines) and not FOOTNOTE.match(lines[k].text) and not lines[k].page_start:
                    parts.append(lines[k].text)
                    k += 1
                notes.append((len(kept), Footnote(m.group(1), " ".join(" ".join(parts).split()))))
            continue
        kept.append(ln)
        k += 1
    return kept, notes


def typical_width(lines: list[Line]) -> tuple[float, bool]:
    """The wrap width of the source (90th percentile of line lengths) and whether it was hard-wrapped."""
    lengths = sorted(len(ln.text) for ln in lines if ln.text)
    if not lengths:
        return 80.0, True
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    return float(p90), p90 < 140 and statistics.median(lengths) >= 0.6 * p90


def is_heading_start(chunk: Chunk) -> bool:
    t = chunk.text
    return bool(OUTLINE.match(t)) and len(t) < 200 and not t.endswith((".", ";", ","))


def opens_block(chunk: Chunk, line: Line, width: float, wrapped: bool) -> bool:
    """Does `line` start a new paragraph after `chunk`? (The rules of the module docstring.)"""
    prev = chunk.lines[-1].text
    t = line.text
    if OUTLINE.match(t) and not BINDING_END.search(prev):
        return True
    first = t.split()[0]
    if t[0].islower() or BINDING_END.search(prev):
        return False
    if BULLET.match(t):
        return prev.endswith((".", ";", ":", "!", "?", ")")) or len(prev) < 0.8 * width or is_heading_start(chunk)
    if upper_share(chunk.text) > 0.8 and (upper_share(t) > 0.8 or (len(first) > 1 and first.isupper())):
        return False  # a heading in capitals wrapped onto the next line
    if not wrapped:
        return True
    if len(prev) < 0.75 * width:  # a paragraph's first line loses only its indent, ~10 %
        return True
    # a full-width heading line followed by a sentence ("2. Tình hình ... sáng tạo" / "Nhằm tăng cường")
    second = t.split()[1] if len(t.split()) > 1 else ""
    return is_heading_start(chunk) and first[:1].isupper() and first[1:].islower() and second.islower()


def group_lines(lines: list[Line]) -> list[Chunk]:
    width, wrapped = typical_width(lines)
    chunks: list[Chunk] = []
    for ln in lines:
        if not ln.text:
            continue
        if not chunks or opens_block(chunks[-1], ln, width, wrapped):
            chunks.append(Chunk([ln]))
        else:
            chunks[-1].lines.append(ln)
    return chunks


def attach_notes(chunks: list[Chunk], notes: list[tuple[int, Footnote]], lines: list[Line]) -> None:
    """Give each footnote to the nearest chunk before it whose text carries its mark glued to a word."""
    for pos, note in notes:
        before = lines[pos - 1].index if pos else -1
        mark = re.compile(rf"(?<=[^\W\d_]){re.escape(note.mark)}(?=[\s,.;:)]|$)")
        for chunk in reversed(chunks):
            if chunk.lines[0].index <= before and mark.search(chunk.text):
                chunk.notes.append(note)
                break


def inline_markup(text: str, notes: list[Footnote]) -> str:
    """Escape text; *emphasis* (left by some extractors) becomes italics; footnote marks superscript."""
    from xml.sax.saxutils import escape

    out = escape(text)
    out = re.sub(r"^\*{2,}\s+", "* ", out)
    out = re.sub(r"\*{1,3}(?=\S)([^*]+?)(?<=\S)\*{1,3}", r"<i>\1</i>", out)
    for note in notes:
        out = re.sub(rf"(?<=[^\W\d_]){re.escape(note.mark)}(?=[\s,.;:)]|$)", footnote_ref(note.mark), out, count=1)
    return out


def to_block(chunk: Chunk) -> Block:
    text = chunk.text
    markup = inline_markup(text, chunk.notes)
    after_marker = OUTLINE.sub("", text, count=1)
    single_sentence = not SENTENCE_BREAK.search(after_marker) and len(text) <= 200 and not text.endswith((";", ","))
    if re.match(rf"^{ROMAN}\.\s", text) and single_sentence:
        return Heading(markup, 1, markup=True)
    if re.match(r"^[A-ZĐ]\.\s", text) and upper_share(text) > 0.7:
        return Heading(markup, 0, markup=True)
    if re.match(r"^\d{1,2}\.\s", text) and single_sentence:
        return Heading(markup, 2, markup=True)
    if re.match(r"^\d{1,2}(?:\.\d{1,2})+\.?\s", text) and single_sentence:
        return Heading(markup, 3, markup=True)
    if re.match(r"^[a-zđ][).]\s", text) and single_sentence and not text.endswith("."):
        return Heading(markup, 4, markup=True)
    if upper_share(text) > 0.9 and len(text) < 150:
        return Heading(markup, 1, markup=True)
    if text.startswith("*") and text.endswith(":") and len(text) < 120:
        return Para(markup, bold=True, italic=True, markup=True)
    return Para(markup, markup=True, notes=tuple(chunk.notes))


def seed_layout(path: Path, style: SeedStyle) -> PlanLayout:
    lines = read_seed(path)
    front, at = split_front(lines)
    title, body_at = parse_title(lines, at)
    body, signature = split_closing(lines[body_at:])
    body, notes = drop_page_furniture(body)
    chunks = group_lines(body)
    attach_notes(chunks, notes, body)
    body_text = " ".join(c.text for c in chunks)
    header = parse_header(front, body_text, signature.authority)
    blocks: list[Block] = [title, *(to_block(c) for c in chunks), signature]
    return PlanLayout(blocks, header, style.page_numbers, style.font_size, pdf_title=" ".join(title.lines))


# --------------------------------------------------------------------------------------- other outputs


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; đ→d, Đ→D. Line structure is kept."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def pdf_text(path: Path) -> tuple[str, int]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = [pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf))]
    finally:
        pdf.close()
    return "\n".join(pages), len(pages)


def words(text: str) -> Counter[str]:
    text = unicodedata.normalize("NFC", text).replace("*", " ")
    return Counter(w.strip(".,;:()“”\"'…") for w in text.split() if w.strip(".,;:()“”\"'…"))


def word_recovery(seed: Path, pdf: Path) -> float:
    """Share of the seed's words (as a multiset) found in the PDF's text layer."""
    want = words(seed.read_text(encoding="utf-8"))
    have = words(pdf_text(pdf)[0])
    return sum(min(n, have[w]) for w, n in want.items()) / sum(want.values())


def ocr_cer(scan: Path, born_digital: Path, page: int = 0) -> float:
    """Character error rate of Tesseract vie on one scanned page against the born-digital text."""
    import os

    import pypdfium2 as pdfium
    import pytesseract
    from rapidfuzz.distance import Levenshtein

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    pdf = pdfium.PdfDocument(str(scan))
    img = pdf[page].render(scale=200 / 72).to_pil()
    pdf.close()
    got = " ".join(pytesseract.image_to_string(img, lang="vie").split())
    ref_pdf = pdfium.PdfDocument(str(born_digital))
    ref = " ".join(ref_pdf[page].get_textpage().get_text_bounded().split())
    ref_pdf.close()
    return Levenshtein.distance(unicodedata.normalize("NFC", got), ref) / max(len(ref), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="measure text recovery and OCR error")
    args = parser.parse_args()
    seeds, gold = SEEDS, GOLD
    made: list[Path] = []
    for stem, style in STYLES.items():
        seed = seeds / f"{stem}.txt"
        pdf, scan = HERE / f"{stem}.pdf", HERE / f"{stem}.scan.pdf"
        render_plan_pdf(seed_layout(seed, style), pdf)
        make_scan(pdf, scan, dpi=200, rotate=style.rotate, seed=style.scan_seed)
        made += [pdf, scan]
    stripped = HERE / f"{STRIPPED_SEED}.stripped.txt"
    stripped.write_text(
        strip_diacritics((seeds / f"{STRIPPED_SEED}.txt").read_text(encoding="utf-8")), encoding="utf-8"
    )
    ocr_copy = HERE / f"{OCR_SEED}.txt"
    shutil.copyfile(seeds / f"{OCR_SEED}.txt", ocr_copy)
    made += [stripped, ocr_copy]
    (HERE / "gold").mkdir(exist_ok=True)
    for g in sorted(gold.glob("*.gold.json")):
        shutil.copyfile(g, HERE / "gold" / g.name)
        made.append(HERE / "gold" / g.name)
    total = 0
    for path in made:
        size = path.stat().st_size
        total += size
        pages = f"{pdf_text(path)[1]:3d} p" if path.suffix == ".pdf" else "     "
        print(f"{path.relative_to(HERE)!s:48} {pages} {size / 1024:8.0f} KB")
    print(f"{'total':48} {'':5} {total / 1024 / 1024:8.2f} MB")
    if args.check:
        for stem in STYLES:
            share = word_recovery(seeds / f"{stem}.txt", HERE / f"{stem}.pdf")
            print(f"seed words in {stem}.pdf text layer: {share:.2%}")
        stem = STRIPPED_SEED
        print(
            f"Tesseract vie CER, {stem}.scan.pdf page 2: "
            f"{ocr_cer(HERE / f'{stem}.scan.pdf', HERE / f'{stem}.pdf', page=1):.2%}"
        )


if __name__ == "__main__":
    main()
