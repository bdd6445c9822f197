"""Scans of plans printed without diacritics, against the same plans printed with them.

Run:  .venv/bin/python bench/stripped_scans.py [--sets heldout heldout2] [--plans STEM ...] [--dpi 200]
      [--work DIR] [--out FILE]

Each plan of the held-out sets (the layouts heldout/make_heldout.py and heldout2/make_heldout2.py draw,
gold in heldout/gold, heldout2/gold) is typeset twice in Tinos, a metric twin of Times New Roman:
once as written, once "printed without diacritics": the same layout set in a copy of the font whose
accented letters draw their bare letter (samples/bare_print.py: ộ draws o, Đ draws D), so the page is the one a typist
without a Vietnamese keyboard layout would print, line for line. Both prints go through the scan
bench's printer and scanner (bench/scan_bench.py `scanned_copy`: 1° skew, slight blur, JPEG) into
image-only PDFs, then through the product as users run it: `vnplan ingest` over the folder of scans,
`vnplan review` against the plans' gold (the contract's scoring). Printed per plan and field: the
accented scan, the stripped scan, the difference; `<<` flags a field where stripped < accented - 0.1
(issue 13: "every field within 0.1 of the same plans' accented scans").
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402

from bench.scan_bench import scanned_copy  # noqa: E402
from samples.bare_print import folded_font  # noqa: E402
from samples.unmapped_fonts import font_path  # noqa: E402

FIELDS = ("metadata", "legal_basis", "budgets", "targets", "tasks", "agencies")
TOLERANCE = 0.1  # issue 13: every field within 0.1 of the accented scan
TINOS = ("Tinos-Regular.ttf", "Tinos-Bold.ttf", "Tinos-Italic.ttf", "Tinos-BoldItalic.ttf")


# -- the two typefaces -------------------------------------------------------------------------------
def register_family(names: tuple[str, str, str, str], files: tuple[pathlib.Path, ...]) -> None:
    """Point reportlab's font names (regular, bold, italic, bold italic) at these files, replacing
    whatever they named before, so a generator that draws with those names draws in this face."""
    for name, file in zip(names, files, strict=True):
        pdfmetrics._fonts.pop(name, None)  # registerFont keeps the face a name already has
        pdfmetrics.registerFont(TTFont(name, str(file)))
    pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3])


def typeface(stripped: bool, folder: pathlib.Path) -> tuple[pathlib.Path, ...]:
    return tuple(folded_font(n, folder) if stripped else font_path(n) for n in TINOS)


# -- the plans, as their generators draw them -------------------------------------------------------------
Draw = Callable[[pathlib.Path, tuple[pathlib.Path, ...]], None]


def heldout_plans() -> Iterator[tuple[str, Draw]]:
    from heldout.make_heldout import LAYOUTS
    from samples import render

    names = (render.SERIF, f"{render.SERIF}-Bold", f"{render.SERIF}-Italic", f"{render.SERIF}-BoldItalic")
    for stem, build in LAYOUTS.items():

        def draw(out: pathlib.Path, files: tuple[pathlib.Path, ...], build: Any = build) -> None:
            register_family(names, files)  # render.register_fonts() keeps a family already registered
            render.render_plan_pdf(build(), out)

        yield stem, draw


def heldout2_plans() -> Iterator[tuple[str, Draw]]:
    from heldout2 import make_heldout2 as h2

    for plan in h2.PLANS:

        def draw(out: pathlib.Path, files: tuple[pathlib.Path, ...], plan: Any = plan) -> None:
            family = plan.layout.family
            register_family((family, f"{family}-B", f"{family}-I", f"{family}-BI"), files)
            h2.render_pdf(plan, out)

        yield plan.stem, draw


SETS: dict[str, tuple[Callable[[], Iterator[tuple[str, Draw]]], str]] = {
    "heldout": (heldout_plans, "heldout/gold"),
    "heldout2": (heldout2_plans, "heldout2/gold"),
}


# -- running the product --------------------------------------------------------------------------
def vnplan(*args: str) -> None:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"vnplan {args[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")


def scores_by_label(report: dict[str, Any]) -> dict[str, dict[str, float]]:
    return {row["doc"]: {f: s["score"] for f, s in row["scores"].items()} for row in report["documents"]}


def table(rows: list[tuple[str, dict[str, float], dict[str, float]]]) -> tuple[str, int]:
    """Markdown: per plan and field 'accented / stripped (difference)', a mean row; and the number of
    fields flagged (stripped below accented by more than TOLERANCE)."""
    lines = [
        "| plan | " + " | ".join(FIELDS) + " |",
        "|---|" + "---|" * len(FIELDS),
    ]
    flagged = 0

    def cell(a: float, s: float) -> str:
        nonlocal flagged
        low = s < a - TOLERANCE - 1e-9
        flagged += low
        return f"{a:.2f} / {s:.2f} ({s - a:+.2f}){' <<' if low else ''}"

    for stem, acc, strip in rows:
        lines.append(f"| {stem} | " + " | ".join(cell(acc.get(f, 0.0), strip.get(f, 0.0)) for f in FIELDS) + " |")
    n = max(1, len(rows))
    means = [(sum(a.get(f, 0.0) for _, a, _ in rows) / n, sum(s.get(f, 0.0) for *_, s in rows) / n) for f in FIELDS]
    lines.append("| **mean** | " + " | ".join(f"**{a:.2f} / {s:.2f} ({s - a:+.2f})**" for a, s in means) + " |")
    return "\n".join(lines), flagged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=sorted(SETS))
    parser.add_argument("--plans", nargs="*", default=None, help="only these plan stems (default all of the sets)")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--work", type=pathlib.Path, default=None, help="where scans, dataset and review go")
    parser.add_argument("--out", type=pathlib.Path, default=None, help="also write the table here (markdown)")
    args = parser.parse_args()

    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="vnplan-stripscan-"))
    docs, gold, fonts = work / "docs", work / "gold", work / "fonts"
    for folder in (docs, gold):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    fonts.mkdir(parents=True, exist_ok=True)
    faces = {False: typeface(False, fonts), True: typeface(True, fonts)}

    stems: list[str] = []
    started = time.perf_counter()
    for set_name in args.sets:
        plans, gold_dir = SETS[set_name]
        for stem, draw in plans():
            if args.plans and stem not in args.plans:
                continue
            shutil.copy(ROOT / gold_dir / f"{stem}.gold.json", gold / f"{stem}.gold.json")
            for label, stripped in (("accented", False), ("stripped", True)):
                printed = work / f"{stem}.{label}.print.pdf"
                draw(printed, faces[stripped])
                scanned_copy(printed, args.dpi, None, docs / f"{stem}.{label}.scan.pdf")
            stems.append(stem)
    drawn = time.perf_counter() - started
    print(f"{len(stems)} plans printed and scanned twice ({drawn:.0f} s); ingesting {docs}", file=sys.stderr)

    dataset, review = work / "dataset", work / "review"
    shutil.rmtree(dataset, ignore_errors=True)
    started = time.perf_counter()
    vnplan("ingest", str(docs), "--out", str(dataset))
    ingest_s = time.perf_counter() - started
    vnplan("review", "--gold", str(gold), "--docs", str(dataset), "--out", str(review))
    scores = scores_by_label(json.loads((review / "report.json").read_text("utf-8")))

    rows = []
    for stem in stems:
        acc = scores.get(f"{stem}.accented.scan.pdf", {})
        strip = scores.get(f"{stem}.stripped.scan.pdf", {})
        rows.append((stem, acc, strip))
    text, flagged = table(rows)
    header = (
        f"# Scans printed without diacritics (bench/stripped_scans.py)\n\n"
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; sets {', '.join(args.sets)}; Tinos, {args.dpi} dpi, "
        f"1° skew, blur, JPEG; `vnplan ingest` {ingest_s:.0f} s for {2 * len(stems)} scans.\n"
        f"Each cell: accented scan / stripped scan (difference); `<<` where stripped < accented - {TOLERANCE}.\n"
    )
    summary = f"\n{flagged} field(s) of {len(rows) * len(FIELDS)} more than {TOLERANCE} below the accented scan."
    print(header + "\n" + text + "\n" + summary)
    print(f"\nreview: {review / 'report.json'}", file=sys.stderr)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(header + "\n" + text + "\n" + summary + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
