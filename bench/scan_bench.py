"""Scan benchmark: how many words of a plan survive printing and scanning, OCR and correction.

Run:  .venv/bin/python bench/scan_bench.py --corpus-dir CORPUS [--pages N] [--dpi 200 300] [--lines 400] [--heldout2]
      [--out bench/results/scan.md]
      .venv/bin/python bench/scan_bench.py --real-scans-only --out FILE   # only the real scans (table 2)

Prints markdown tables (and writes them to --out, by default bench/results/scan.md):

1. Born-digital plans printed and scanned: each page of the development set's born-digital PDFs
   (samples/real/docs: real plans, Word → Công báo, typed in Times New Roman) and of the held-out
   PDFs (heldout/; heldout2/ too with --heldout2) rendered at 200 and 300 dpi, turned 1°, blurred,
   JPEG-compressed and wrapped in an image-only PDF. Word accuracy against the PDF's own text layer,
   with its page furniture (running headers, page numbers) dropped by vnplan's own rule, and against
   the whole text layer, for: bare `tesseract -l vie` on the same page images; vnplan's page text
   (what `vnplan text` prints: read_pages + normalize_pages) without the post-OCR correction
   ("no correction") and with it, from the same OCR run.
2. The development set's real scans (PDFs without a text layer) against their transcriptions; also
   allowing moved blocks (a transcription may place a footnote after the signature).
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
from pipeline.model.pages import RawPage  # noqa: E402
from pipeline.read.engines import pdfium  # noqa: E402
from pipeline.read.ingest import read_pages  # noqa: E402
from samples.unmapped_fonts import unmapped_font_pdf  # noqa: E402

REAL = ROOT / "samples/real"


def has_text_layer(pdf: pathlib.Path) -> bool:
    with pdfium.document(pdf) as doc:
        return any(pdfium.page_text(doc[i]).strip() for i in range(len(doc)))


def real_pdfs() -> tuple[list[pathlib.Path], list[pathlib.Path]]:
    """The development set's PDFs: (born-digital ones, scans with a transcription in text/)."""
    pdfs = sorted((REAL / "docs").glob("*.pdf"))
    born = [p for p in pdfs if has_text_layer(p)]
    scans = [p for p in pdfs if p not in born and (REAL / "text" / f"{p.stem}.txt").exists()]
    return born, scans


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


MOVED_BLOCK = 8  # words in order from which a run found elsewhere counts as a moved block


def accuracy_moved(reference: list[str], got: list[str]) -> float:
    """Word accuracy where a block of at least MOVED_BLOCK words, found in order but elsewhere
    than the in-order alignment put it, counts as found: a transcription may place a page's
    footnote after the signature, where the OCR reads it at the foot of its page."""
    pairs = matched(reference, got)
    ref_used, got_used = {a for a, _ in pairs}, {b for _, b in pairs}
    ref_rest = [w for k, w in enumerate(reference) if k not in ref_used]
    got_rest = [w for k, w in enumerate(got) if k not in got_used]
    blocks = SequenceMatcher(a=ref_rest, b=got_rest, autojunk=False).get_matching_blocks()
    moved = sum(b.size for b in blocks if b.size >= MOVED_BLOCK)
    return (len(pairs) + moved) / max(1, len(reference))


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
    body: list[str] = field(default_factory=list)  # ref without running headers and page numbers
    tess: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    tess_s: float = 0.0
    vnplan_s: float = 0.0


# -- printing and scanning ---------------------------------------------------------------------
def print_and_scan(page_image: Image.Image, rng: random.Random) -> Image.Image:
    """A rendered page as a sheet fed through a scanner: 1° skew, slight blur, JPEG."""
    img = page_image.rotate(rng.choice((-1.0, 1.0)), resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.6 * page_image.info.get("scale", 1.0)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def text_layer(pdf: pathlib.Path, pages: int | None) -> list[str]:
    with pdfium.document(pdf) as doc:
        return [pdfium.page_text(doc[i]) for i in range(min(len(doc), pages or len(doc)))]


def body_text(layer: list[str]) -> str:
    """The text layer without its page furniture (running headers, page numbers), dropped by the
    rule vnplan applies to every document (normalizers.text_repair), so that a scan is not
    counted wrong for leaving out what vnplan leaves out of the born-digital PDF too."""
    pages = [RawPage(k + 1, "native", text) for k, text in enumerate(layer)]
    return "\n".join(p.text for p in normalize_pages(pages, restore=lambda t: (t, False)))


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
            run = subprocess.run(
                ["tesseract", str(path), "-", "-l", "vie", "--dpi", str(dpi)],
                capture_output=True,
                text=True,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            )
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
    return (
        "\n".join(p.text for p in before),
        "\n".join(p.text for p in after),
        seconds,
        [p.origin for p in raw],
        "\n".join(p.text for p in raw),
    )


def scan_rows(pdfs: list[pathlib.Path], dpis: list[int], pages: int | None, tally: Tally) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in pdfs:
            layer = text_layer(pdf, pages)
            reference, body = words("\n".join(layer)), words(body_text(layer))
            for dpi in dpis:
                scan = pathlib.Path(tmp) / f"{pdf.stem}.{dpi}.pdf"
                images = scanned_copy(pdf, dpi, pages, scan)
                tess, tess_s = bare_tesseract(images, dpi)
                before, after, vn_s, _, _ = vnplan_texts(scan)
                row = Row(
                    f"{pdf.stem} @ {dpi} dpi", reference, body, words(tess), words(before), words(after), tess_s, vn_s
                )
                tally.add(body, row.before, row.after)
                rows.append(row)
                print(
                    f"  {row.name}: tesseract {accuracy(body, row.tess):.2%}, "
                    f"vnplan {accuracy(body, row.before):.2%} → {accuracy(body, row.after):.2%} "
                    f"(whole text layer: {accuracy(reference, row.after):.2%})",
                    file=sys.stderr,
                    flush=True,
                )
    return rows


def scan_images(scan: pathlib.Path) -> tuple[list[Image.Image], int]:
    """A scanned PDF's page images and their dpi, as bare Tesseract gets them."""
    with pdfium.document(scan) as doc:
        images = []
        for i in range(len(doc)):
            found = pdfium.sole_image(doc[i], 150)
            images.append(found[0] if found else pdfium.render(doc[i], 300))
        first = pdfium.sole_image(doc[0], 150)
        dpi = round(first[1]) if first else 300
    return images, dpi


def real_scan_row(scan: pathlib.Path, tally: Tally) -> Row:
    reference = words((REAL / "text" / f"{scan.stem}.txt").read_text(encoding="utf-8"))
    images, dpi = scan_images(scan)
    tess, tess_s = bare_tesseract(images, dpi)
    before, after, vn_s, _, _ = vnplan_texts(scan)
    row = Row(
        f"{scan.stem} (real scan, vs transcription)",
        reference,
        reference,
        words(tess),
        words(before),
        words(after),
        tess_s,
        vn_s,
    )
    tally.add(reference, row.before, row.after)
    print(
        f"  {row.name}: tesseract {accuracy(reference, row.tess):.2%}, "
        f"vnplan {accuracy(reference, row.before):.2%} → {accuracy(reference, row.after):.2%}",
        file=sys.stderr,
        flush=True,
    )
    return row


def unmapped_rows(pdfs: list[pathlib.Path], pages: int | None) -> list[tuple[str, float, float, int, int]]:
    """(name, word accuracy of the text layer as read, of `vnplan text`, pages, pages OCR'd) for
    each plan's text typeset without ToUnicode."""
    faces = [
        ("Tinos-Regular.ttf", "Tinos-Bold.ttf"),
        ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
        ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, pdf in enumerate(pdfs):
            paragraphs = [line for line in "\n".join(text_layer(pdf, pages)).splitlines() if line.strip()]
            body, heading = faces[k % len(faces)]
            typeset = unmapped_font_pdf(paragraphs, pathlib.Path(tmp) / f"{pdf.stem}.pdf", body=body, heading=heading)
            _, after, _, origins, read = vnplan_texts(typeset)
            reference = words("\n".join(paragraphs))
            out.append(
                (
                    f"{pdf.stem} ({body.removesuffix('.ttf')})",
                    accuracy(reference, words(read)),
                    accuracy(reference, words(after)),
                    len(origins),
                    origins.count("ocr"),
                )
            )
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
                lines += [
                    " ".join(w[s : s + 11]) for s in range(0, len(w) - 7, 40) if len(" ".join(w[s : s + 11])) <= 90
                ]
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


def _body(row: Row) -> list[str]:
    return row.body


def _whole(row: Row) -> list[str]:
    return row.ref


def pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus-dir",
        type=pathlib.Path,
        help="the accented corpus (*.txt.xz) whose held-out documents tables 3 and 4 read (required but with "
        "--real-scans-only)",
    )
    parser.add_argument("--pages", type=int, default=None, help="first N pages of each PDF (default all)")
    parser.add_argument("--dpi", type=int, nargs="+", default=[200, 300])
    parser.add_argument("--lines", type=int, default=400, help="held-out corpus lines for table 4")
    parser.add_argument("--skip-scans", action="store_true", help="only tables 3 and 4")
    parser.add_argument("--heldout2", action="store_true", help="scan heldout2/'s PDFs too")
    parser.add_argument(
        "--real-scans-only", action="store_true", help="only the development set's real scans (table 2), a few minutes"
    )
    parser.add_argument(
        "--out", type=pathlib.Path, default=ROOT / "bench" / "results" / "scan.md", help="where the tables are written"
    )
    args = parser.parse_args()
    if args.corpus_dir is None and not args.real_scans_only:
        parser.error("--corpus-dir is required (but with --real-scans-only)")

    sets = ("heldout", "heldout2") if args.heldout2 else ("heldout",)
    born, scans = real_pdfs()
    pdfs = [
        *born,
        *sorted(p for d in sets for p in (ROOT / d / "docs").glob("*.pdf") if not p.name.endswith(".scan.pdf")),
    ]
    out: list[str] = ["# Scan benchmark (bench/scan_bench.py)", ""]
    scan_tally = Tally()
    if not args.skip_scans:
        rows = [] if args.real_scans_only else scan_rows(pdfs, args.dpi, args.pages, scan_tally)
        scanned = len(rows)
        rows += [real_scan_row(scan, scan_tally) for scan in scans]
        for title, ref_of in (
            ("against the text layer without running headers and page numbers", _body),
            ("against the whole text layer", _whole),
        ):
            out += [
                f"## Printed and scanned plans: word accuracy {title}",
                "",
                "| document | words | `tesseract -l vie` | vnplan, no correction | vnplan | tesseract s | vnplan s |",
                "|---|---|---|---|---|---|---|",
            ]
            for r in rows:
                ref = ref_of(r)
                out.append(
                    f"| {r.name} | {len(ref)} | {pct(accuracy(ref, r.tess))} | {pct(accuracy(ref, r.before))} "
                    f"| {pct(accuracy(ref, r.after))} | {r.tess_s:.1f} | {r.vnplan_s:.1f} |"
                )
            for label, subset in (
                ("all printed-and-scanned pages", rows[:scanned]),
                (
                    "real born-digital plans, printed and scanned",
                    [r for r in rows[:scanned] if r.name.split(" @ ")[0] in {p.stem for p in born}],
                ),
                ("real scans", rows[scanned:]),
            ):
                total = sum(len(ref_of(r)) for r in subset)
                if not total:
                    continue
                out += [
                    f"| **{label}** | {total} "
                    f"| {pct(sum(accuracy(ref_of(r), r.tess) * len(ref_of(r)) for r in subset) / total)} "
                    f"| {pct(sum(accuracy(ref_of(r), r.before) * len(ref_of(r)) for r in subset) / total)} "
                    f"| {pct(sum(accuracy(ref_of(r), r.after) * len(ref_of(r)) for r in subset) / total)} "
                    f"| {sum(r.tess_s for r in subset):.1f} | {sum(r.vnplan_s for r in subset):.1f} |"
                ]
            out.append("")
        out += [
            "## Real scans: word accuracy allowing moved blocks",
            "",
            f"A block of at least {MOVED_BLOCK} words found in order elsewhere than the in-order alignment puts it "
            "counts as found (a transcription places a page's footnote after the signature; the OCR reads it at the "
            "foot of its page).",
            "",
            "| document | words | `tesseract -l vie` | vnplan, no correction | vnplan |",
            "|---|---|---|---|---|",
        ]
        for r in rows[scanned:]:
            out.append(
                f"| {r.name} | {len(r.ref)} | {pct(accuracy_moved(r.ref, r.tess))} "
                f"| {pct(accuracy_moved(r.ref, r.before))} | {pct(accuracy_moved(r.ref, r.after))} |"
            )
        out.append("")
    if args.real_scans_only:
        _write(out, args.out)
        return
    out += [
        "## PDFs whose fonts carry no ToUnicode map",
        "",
        "| document (body face) | text as read | `vnplan text` | pages | pages OCR'd |",
        "|---|---|---|---|---|",
    ]
    for name, read, text, n_pages, n_ocr in unmapped_rows(pdfs, args.pages):
        out.append(f"| {name} | {pct(read)} | {pct(text)} | {n_pages} | {n_ocr} |")
    out.append("")
    n_clean, n_changed = clean_text_unchanged(args.corpus_dir)
    tally, total, rb, ra = corpus_tally(args.corpus_dir, args.lines)
    out += [
        "## Post-OCR correction: correct output left alone, misreadings fixed",
        "",
        "| text | syllables / words | right before | right after | correct left unchanged | misread fixed |",
        "|---|---|---|---|---|---|",
        f"| held-out corpus lines, 9 faces, 120–300 dpi, half worn, Tesseract `vie` | {total} | "
        f"{pct(rb / total)} | "
        f"{pct(ra / total)} | {pct(tally.right_kept / max(1, tally.right))} | "
        f"{tally.wrong_fixed}/{tally.wrong} |",
        f"| held-out corpus documents as typed (correct text) | {n_clean} | | | {pct(1 - n_changed / n_clean)} | |",
    ]
    if scan_tally.right:
        out.append(
            f"| scanned pages above (vs their references) | {scan_tally.right + scan_tally.wrong} | | | "
            f"{pct(scan_tally.right_kept / scan_tally.right)} | {scan_tally.wrong_fixed}/{scan_tally.wrong} |"
        )
    _write(out, args.out)


def _write(out: list[str], path: pathlib.Path) -> None:
    text = "\n".join(out) + "\n"
    print(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
