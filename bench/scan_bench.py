"""Scan benchmark: how many words of a plan survive printing and scanning, OCR and correction.

Run:  .venv/bin/python bench/scan_bench.py [--pages N] [--dpi 200 300] [--lines 400] [--heldout2]

Prints markdown tables (and writes bench/results/scan.md):

1. Born-digital plans printed and scanned: each page of samples/real/docs/tw_bhyt_kh_hanh_dong_844_2026.pdf
   (a real plan, Word → Công báo) and of the held-out PDFs (heldout/; heldout2/ too with --heldout2) rendered at 200 and
   300 dpi, turned 1°, blurred, JPEG-compressed and wrapped in an image-only PDF. Word accuracy against
   the PDF's own text layer for: bare `tesseract -l vie` on the same page images; vnplan's page text
   (what `vnplan text` prints: read_pages + normalize_pages) without the post-OCR correction ("before")
   and with it ("after"), from the same OCR run.
2. The real scan samples/real/docs/bca_tctlntw_kiem_soat_ma_tuy_2026.pdf against its transcription.
3. The same plans' text typeset into PDFs whose fonts carry no ToUnicode map (Tinos, Liberation Serif,
   DejaVu Serif): word accuracy and how many pages went to OCR.
4. Correct OCR output left alone: held-out corpus lines (documents never trained on) rendered in the
   training faces and read by Tesseract `vie`; of the syllables Tesseract read right, the share the
   correction leaves unchanged, and of those it misread, the share it fixes. The same shares over the
   scanned pages of (1) and (2), against their references.

Word accuracy: reference words (whitespace tokens, NFC, one tone style, edge punctuation stripped,
case kept) found in order in the output (longest common subsequence) / reference words.
"""

from __future__ import annotations

import argparse
import io
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from PIL import Image, ImageFilter  # noqa: E402

from normalizers.restore import correct_ocr_page  # noqa: E402
from normalizers.restore.corpus import clean_document, iter_documents  # noqa: E402
from normalizers.restore.lexer import core_kind, split_token  # noqa: E402
from normalizers.restore.train import is_holdout  # noqa: E402
from normalizers.restore.vie_channel import render_and_read  # noqa: E402
from normalizers.text_repair import normalize_pages  # noqa: E402
from normalizers.tone import normalize_tone_style  # noqa: E402
from pipeline.read.engines import pdfium  # noqa: E402
from pipeline.read.ingest import read_pages  # noqa: E402
from samples.unmapped_fonts import unmapped_font_pdf  # noqa: E402

REAL_PDF = ROOT / "samples/real/docs/tw_bhyt_kh_hanh_dong_844_2026.pdf"
REAL_SCAN = ROOT / "samples/real/docs/bca_tctlntw_kiem_soat_ma_tuy_2026.pdf"
REAL_SCAN_TEXT = ROOT / "samples/real/text/bca_tctlntw_kiem_soat_ma_tuy_2026.txt"
_EDGE = "\"'“”‘’()[]{}.,;:!?…*-–—•"


def words(text: str) -> list[str]:
    text = normalize_tone_style(unicodedata.normalize("NFC", text))
    return [w for w in (t.strip(_EDGE) for t in text.split()) if w]


def matched(reference: list[str], got: list[str]) -> list[tuple[int, int]]:
    """(reference index, output index) of the words the two share in order."""
    pairs = []
    for block in SequenceMatcher(a=reference, b=got, autojunk=False).get_matching_blocks():
        pairs += [(block.a + k, block.b + k) for k in range(block.size)]
    return pairs


def accuracy(reference: list[str], got: list[str]) -> float:
    return len(matched(reference, got)) / max(1, len(reference))


@dataclass
class Tally:
    """Of the output's words that match the reference before correction, how many the correction
    left as they were; of those that did not, how many it made match."""

    right: int = 0
    right_kept: int = 0
    wrong: int = 0
    wrong_fixed: int = 0

    def add(self, reference: list[str], before: list[str], after: list[str]) -> None:
        if len(before) != len(after):
            return  # the correction keeps tokens; a differing count means the texts are not comparable
        pairs = dict((b, a) for a, b in matched(reference, before))
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            if i in pairs:
                self.right += 1
                self.right_kept += a == b
        # Misread words: aligned by the after text instead (a word fixed now matches).
        after_pairs = {b for _, b in matched(reference, after)}
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            if i not in pairs:
                self.wrong += 1
                self.wrong_fixed += i in after_pairs and a != b


@dataclass
class Row:
    name: str
    ref: list[str] = field(default_factory=list)
    tess: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    tess_s: float = 0.0
    vnplan_s: float = 0.0


# -- printing and scanning ---------------------------------------------------------------------
def print_and_scan(page_image: Image.Image, rng: random.Random) -> Image.Image:
    """A rendered page as a sheet fed through a scanner: 1° skew, slight blur, JPEG."""
    img = page_image.rotate(rng.choice((-1.0, 1.0)), resample=Image.Resampling.BILINEAR, expand=False,
                            fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.6 * page_image.info.get("scale", 1.0)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def text_layer(pdf: pathlib.Path, pages: int | None) -> list[str]:
    with pdfium.document(pdf) as doc:
        return [pdfium.page_text(doc[i]) for i in range(min(len(doc), pages or len(doc)))]


def scanned_copy(pdf: pathlib.Path, dpi: int, pages: int | None, out: pathlib.Path) -> list[Image.Image]:
    rng = random.Random(dpi)
    with pdfium.document(pdf) as doc:
        images = [pdfium.render(doc[i], dpi) for i in range(min(len(doc), pages or len(doc)))]
    scans = [print_and_scan(im, rng) for im in images]
    first, *rest = [im.convert("RGB") for im in scans]
    first.save(out, "PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return scans


def bare_tesseract(images: list[Image.Image], dpi: int) -> tuple[str, float]:
    texts = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for k, im in enumerate(images):
            path = pathlib.Path(tmp) / f"p{k}.png"
            im.save(path, dpi=(dpi, dpi))
            run = subprocess.run(["tesseract", str(path), "-", "-l", "vie", "--dpi", str(dpi)],
                                 capture_output=True, text=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
            texts.append(run.stdout)
    return "\n".join(texts), time.perf_counter() - started


def vnplan_texts(path: pathlib.Path) -> tuple[str, str, float, list[str], str]:
    """The page texts `vnplan text` prints, without and with the post-OCR correction (one OCR
    run), the seconds of reading + normalizing, the pages' origins and the text as read."""
    started = time.perf_counter()
    raw = read_pages(path, ocr_workers=1)
    after = normalize_pages(raw)
    seconds = time.perf_counter() - started
    before = normalize_pages(raw, correct_ocr=lambda t: (t, False))
    return ("\n".join(p.text for p in before), "\n".join(p.text for p in after), seconds,
            [p.origin for p in raw], "\n".join(p.text for p in raw))


def scan_rows(pdfs: list[pathlib.Path], dpis: list[int], pages: int | None, tally: Tally) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in pdfs:
            reference = words("\n".join(text_layer(pdf, pages)))
            for dpi in dpis:
                scan = pathlib.Path(tmp) / f"{pdf.stem}.{dpi}.pdf"
                images = scanned_copy(pdf, dpi, pages, scan)
                tess, tess_s = bare_tesseract(images, dpi)
                before, after, vn_s, _, _ = vnplan_texts(scan)
                row = Row(f"{pdf.stem} @ {dpi} dpi", reference, words(tess), words(before), words(after),
                          tess_s, vn_s)
                tally.add(reference, row.before, row.after)
                rows.append(row)
                print(f"  {row.name}: tesseract {accuracy(reference, row.tess):.2%}, "
                      f"vnplan {accuracy(reference, row.before):.2%} → {accuracy(reference, row.after):.2%}",
                      file=sys.stderr, flush=True)
    return rows


def real_scan_row(tally: Tally) -> Row:
    reference = words(REAL_SCAN_TEXT.read_text(encoding="utf-8"))
    with pdfium.document(REAL_SCAN) as doc:
        images = []
        for i in range(len(doc)):
            found = pdfium.sole_image(doc[i], 150)
            images.append(found[0] if found else pdfium.render(doc[i], 300))
        dpi = round(pdfium.sole_image(doc[0], 150)[1]) if pdfium.sole_image(doc[0], 150) else 300
    tess, tess_s = bare_tesseract(images, dpi)
    before, after, vn_s, _, _ = vnplan_texts(REAL_SCAN)
    row = Row(f"{REAL_SCAN.stem} (real scan)", reference, words(tess), words(before), words(after), tess_s, vn_s)
    tally.add(reference, row.before, row.after)
    return row


def unmapped_rows(pdfs: list[pathlib.Path], pages: int | None) -> list[tuple[str, float, float, int, int]]:
    """(name, word accuracy of the text layer as read, of `vnplan text`, pages, pages OCR'd) for
    each plan's text typeset without ToUnicode."""
    faces = [("Tinos-Regular.ttf", "Tinos-Bold.ttf"), ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
             ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf")]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, pdf in enumerate(pdfs):
            paragraphs = [line for line in "\n".join(text_layer(pdf, pages)).splitlines() if line.strip()]
            body, heading = faces[k % len(faces)]
            typeset = unmapped_font_pdf(paragraphs, pathlib.Path(tmp) / f"{pdf.stem}.pdf", body=body, heading=heading)
            _, after, _, origins, read = vnplan_texts(typeset)
            reference = words("\n".join(paragraphs))
            out.append((f"{pdf.stem} ({body.removesuffix('.ttf')})", accuracy(reference, words(read)),
                        accuracy(reference, words(after)), len(origins), origins.count("ocr")))
    return out


def corpus_lines(corpus: pathlib.Path, n: int) -> list[str]:
    """Lines of held-out corpus documents (never trained on), as the training sampled them."""
    lines: list[str] = []
    files = sorted(corpus.glob("*.txt.xz"))
    for path in files:
        for idx, doc in enumerate(iter_documents(path)):
            if not is_holdout(idx):
                continue
            for para in clean_document(doc):
                w = " ".join(para).split()
                lines += [" ".join(w[s:s + 11]) for s in range(0, len(w) - 7, 40) if len(" ".join(w[s:s + 11])) <= 90]
            if len(lines) >= n * (files.index(path) + 1) // len(files):
                break
    random.Random(5).shuffle(lines)
    return lines[:n]


def corpus_tally(corpus: pathlib.Path, n: int) -> tuple[Tally, int, int, int]:
    """Tally of the correction on held-out lines read by Tesseract `vie`: (tally, syllables,
    right before, right after)."""
    truth = corpus_lines(corpus, n)
    ocr = render_and_read(truth, seed=99)
    tally = Tally()
    total = right_before = right_after = 0
    for t_line, o_line in zip(truth, ocr, strict=True):
        if o_line is None:
            continue
        corrected = correct_ocr_page(o_line)[0]
        t_toks, o_toks, c_toks = t_line.split(), o_line.split(), corrected.split()
        if len(t_toks) != len(o_toks):
            continue
        for t, o, c in zip(t_toks, o_toks, c_toks, strict=True):
            if core_kind(split_token(t)[1]) != "syl":
                continue
            total += 1
            tcore, ocore, ccore = (normalize_tone_style(split_token(x)[1]) for x in (t, o, c))
            right_before += ocore == tcore
            right_after += ccore == tcore
            if ocore == tcore:
                tally.right += 1
                tally.right_kept += ccore == ocore
            else:
                tally.wrong += 1
                tally.wrong_fixed += ccore == tcore
    return tally, total, right_before, right_after


def clean_text_unchanged(corpus: pathlib.Path, n_words: int = 90_000) -> tuple[int, int]:
    """(words, words changed) when correct accented text, held-out corpus documents, goes through
    the correction as if it were an OCR'd page."""
    paragraphs: list[str] = []
    files = sorted(corpus.glob("*.txt.xz"))
    for path in files:
        count = 0
        for idx, doc in enumerate(iter_documents(path)):
            if not is_holdout(idx):
                continue
            for para in clean_document(doc):
                paragraphs.append(normalize_tone_style(" ".join(para)))
                count += len(paragraphs[-1].split())
            if count >= n_words // len(files):
                break
    text = "\n".join(paragraphs)
    before, after = text.split(), correct_ocr_page(text)[0].split()
    return len(before), sum(a != b for a, b in zip(before, after, strict=True))


def pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-dir", type=pathlib.Path, required=True,
                        help="the accented corpus (*.txt.xz) whose held-out documents tables 3 and 4 read")
    parser.add_argument("--pages", type=int, default=None, help="first N pages of each PDF (default all)")
    parser.add_argument("--dpi", type=int, nargs="+", default=[200, 300])
    parser.add_argument("--lines", type=int, default=400, help="held-out corpus lines for table 4")
    parser.add_argument("--skip-scans", action="store_true", help="only tables 3 and 4")
    parser.add_argument("--heldout2", action="store_true", help="scan heldout2/'s PDFs too")
    args = parser.parse_args()

    sets = ("heldout", "heldout2") if args.heldout2 else ("heldout",)
    pdfs = [REAL_PDF, *sorted(p for d in sets for p in (ROOT / d / "docs").glob("*.pdf")
                              if not p.name.endswith(".scan.pdf"))]
    out: list[str] = ["# Scan benchmark (bench/scan_bench.py)", ""]
    scan_tally = Tally()
    if not args.skip_scans:
        rows = scan_rows(pdfs, args.dpi, args.pages, scan_tally)
        rows.append(real_scan_row(scan_tally))
        out += ["## Printed and scanned plans: word accuracy", "",
                "| document | words | `tesseract -l vie` | vnplan, no correction | vnplan | tesseract s | vnplan s |",
                "|---|---|---|---|---|---|---|"]
        for r in rows:
            out.append(f"| {r.name} | {len(r.ref)} | {pct(accuracy(r.ref, r.tess))} | {pct(accuracy(r.ref, r.before))} "
                       f"| {pct(accuracy(r.ref, r.after))} | {r.tess_s:.1f} | {r.vnplan_s:.1f} |")
        for label, subset in (("all printed-and-scanned pages", rows[:-1]),):
            ref = sum(len(r.ref) for r in subset)
            out.append(f"| **{label}** | {ref} "
                       f"| {pct(sum(accuracy(r.ref, r.tess) * len(r.ref) for r in subset) / ref)} "
                       f"| {pct(sum(accuracy(r.ref, r.before) * len(r.ref) for r in subset) / ref)} "
                       f"| {pct(sum(accuracy(r.ref, r.after) * len(r.ref) for r in subset) / ref)} "
                       f"| {sum(r.tess_s for r in subset):.1f} | {sum(r.vnplan_s for r in subset):.1f} |")
        out.append("")
    out += ["## PDFs whose fonts carry no ToUnicode map", "",
            "| document (body face) | text as read | `vnplan text` | pages | pages OCR'd |", "|---|---|---|---|---|"]
    for name, read, text, n_pages, n_ocr in unmapped_rows(pdfs, args.pages):
        out.append(f"| {name} | {pct(read)} | {pct(text)} | {n_pages} | {n_ocr} |")
    out.append("")
    n_clean, n_changed = clean_text_unchanged(args.corpus_dir)
    tally, total, rb, ra = corpus_tally(args.corpus_dir, args.lines)
    out += ["## Post-OCR correction: correct output left alone, misreadings fixed", "",
            "| text | syllables / words | right before | right after | correct left unchanged | misread fixed |",
            "|---|---|---|---|---|---|",
            f"| held-out corpus lines, 9 faces, 120–300 dpi, half worn, Tesseract `vie` | {total} | "
            f"{pct(rb / total)} | "
            f"{pct(ra / total)} | {pct(tally.right_kept / max(1, tally.right))} | "
            f"{tally.wrong_fixed}/{tally.wrong} |",
            f"| held-out corpus documents as typed (correct text) | {n_clean} | | | "
            f"{pct(1 - n_changed / n_clean)} | |"]
    if scan_tally.right:
        out.append(f"| scanned pages above (vs their references) | {scan_tally.right + scan_tally.wrong} | | | "
                   f"{pct(scan_tally.right_kept / scan_tally.right)} | {scan_tally.wrong_fixed}/{scan_tally.wrong} |")
    text = "\n".join(out) + "\n"
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "scan.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
