"""Scans of real plans, two checkouts side by side: `vnplan text` word accuracy and time.

    .venv/bin/python bench/scan_compare.py OTHER_CHECKOUT [--pages 2] [--dpi 200 300] [--real-scans]

The development set's born-digital PDFs (samples/real/docs) are printed and scanned as
bench/scan_bench.py does (its first --pages pages, rendered at each --dpi, turned 1°, blurred,
JPEG). Each scan is then read, in one round, by bare `tesseract -l vie`, by this checkout's
`vnplan text` and by OTHER_CHECKOUT's (the same interpreter and packages, each checkout first on
PYTHONPATH; the two vnplan runs alternate which goes first), so that the machine's load falls on all
alike. Word accuracy is scan_bench's, against the text layer without its page furniture (this
checkout's rule; the real scans: against their transcriptions, also allowing moved blocks). Time is
the CPU seconds of each run's process tree (wall seconds in brackets).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import scan_bench as sb  # noqa: E402


def _timed(cmd: list[str], env: dict[str, str], cwd: pathlib.Path) -> tuple[str, float, float]:
    """(standard output, CPU s of the child tree, wall s)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return run.stdout, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def vnplan_text(checkout: pathlib.Path, scan: pathlib.Path) -> tuple[str, float, float]:
    env = dict(os.environ, PYTHONPATH=str(checkout), OMP_THREAD_LIMIT="1")
    return _timed([sys.executable, "-m", "pipeline", "text", str(scan)], env, checkout)


def tesseract_text(images: list, dpi: int, tmp: pathlib.Path) -> tuple[str, float, float]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    texts, cpu, wall = [], 0.0, 0.0
    for k, image in enumerate(images):
        path = tmp / f"p{k}.png"
        image.save(path, dpi=(dpi, dpi))
        out, c, w = _timed(["tesseract", str(path), "-", "-l", "vie", "--dpi", str(dpi)], env, tmp)
        texts.append(out)
        cpu, wall = cpu + c, wall + w
    return "\n".join(texts), cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("other", type=pathlib.Path)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--dpi", type=int, nargs="+", default=[200, 300])
    parser.add_argument("--real-scans", action="store_true", help="the development set's real scans too, whole")
    args = parser.parse_args()
    other = args.other.resolve()
    born, scans = sb.real_pdfs()
    rows: list[tuple[str, int, list[float], list[float], list[tuple[float, float]]]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = pathlib.Path(tmp_name)
        jobs: list[tuple[str, pathlib.Path, list, int, list[str], bool]] = []
        for pdf in born:
            layer = sb.text_layer(pdf, args.pages)
            body = sb.words(sb.body_text(layer))
            for dpi in args.dpi:
                scan = tmp / f"{pdf.stem}.{dpi}.pdf"
                images = sb.scanned_copy(pdf, dpi, args.pages, scan)
                jobs.append((f"{pdf.stem} @ {dpi} dpi", scan, images, dpi, body, False))
        if args.real_scans:
            for scan in scans:
                reference = sb.words((sb.REAL / "text" / f"{scan.stem}.txt").read_text(encoding="utf-8"))
                images, dpi = sb.scan_images(scan)
                jobs.append((f"{scan.stem} (real scan)", scan, images, dpi, reference, True))
        for n, (name, scan, images, dpi, reference, real) in enumerate(jobs):
            tess, t_cpu, t_wall = tesseract_text(images, dpi, tmp)
            order = [("other", other), ("this", ROOT)] if n % 2 else [("this", ROOT), ("other", other)]
            got = {label: vnplan_text(checkout, scan) for label, checkout in order}
            score = sb.accuracy_moved if real else sb.accuracy
            acc = [score(reference, sb.words(t)) for t in (tess, got["other"][0], got["this"][0])]
            strict = [sb.accuracy(reference, sb.words(t)) for t in (tess, got["other"][0], got["this"][0])]
            times = [(t_cpu, t_wall), got["other"][1:], got["this"][1:]]
            rows.append((name + (" (moved blocks allowed)" if real else ""), len(reference), acc, strict, times))
            print(
                f"  {name}: tesseract {acc[0]:.2%}, other {acc[1]:.2%}, this {acc[2]:.2%}; "
                f"CPU s {t_cpu:.1f} / {times[1][0]:.1f} / {times[2][0]:.1f}",
                file=sys.stderr,
                flush=True,
            )
    out = [
        f"Scans of real plans (first {args.pages} pages), `vnplan text` of OTHER ({other}) and of this checkout",
        "",
        "| document | words | `tesseract -l vie` | other | **this** | CPU s tesseract / other / this (wall) |",
        "|---|---|---|---|---|---|",
    ]
    for name, n_words, acc, strict, times in rows:
        extra = f" (in order: {strict[1]:.2%} / {strict[2]:.2%})" if acc != strict else ""
        out.append(
            f"| {name} | {n_words} | {acc[0]:.2%} | {acc[1]:.2%} | **{acc[2]:.2%}**{extra} | "
            + " / ".join(f"{c:.1f}" for c, _ in times)
            + " ("
            + " / ".join(f"{w:.1f}" for _, w in times)
            + ") |"
        )
    born_rows = [r for r in rows if "real scan" not in r[0]]
    if born_rows:
        total = sum(r[1] for r in born_rows)
        acc = [sum(r[2][k] * r[1] for r in born_rows) / total for k in range(3)]
        cpu = [sum(r[4][k][0] for r in born_rows) for k in range(3)]
        wall = [sum(r[4][k][1] for r in born_rows) for k in range(3)]
        out.append(
            f"| **real born-digital plans, printed and scanned** | {total} | {acc[0]:.2%} | {acc[1]:.2%} "
            f"| **{acc[2]:.2%}** | {cpu[0]:.1f} / {cpu[1]:.1f} / {cpu[2]:.1f} "
            f"({wall[0]:.1f} / {wall[1]:.1f} / {wall[2]:.1f}) |"
        )
        out += [
            "",
            f"CPU over bare Tesseract: other {cpu[1] / cpu[0]:.3f}×, this {cpu[2] / cpu[0]:.3f}× "
            f"(this / other = {cpu[2] / cpu[1]:.3f}); wall: other {wall[1] / wall[0]:.3f}×, "
            f"this {wall[2] / wall[0]:.3f}×.",
        ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
