"""Accuracy: run the real CLI over a document set and score it against its gold.

    .venv/bin/python bench/accuracy.py samples     # samples/ vs samples/gold → bench/results/samples.md
    .venv/bin/python bench/accuracy.py heldout     # heldout/docs vs heldout/gold → bench/results/heldout.md
    options: [--work DIR] [--out FILE] [--workers N]

Steps, as a user runs them: `vnplan ingest <docs> --out <work>/dataset`, then
`vnplan review --gold <gold> --docs <work>/dataset --out <work>/review`. Prints the review table
and, per document and field, what was missed (in gold, not extracted or paired wrong) and what was extra,
read from the review's report.json; writes the same to --out with the date and the command.
The held-out documents were written without looking at the extractors (heldout/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from bench.restore_bench import Score, score_lines  # noqa: E402
from heldout.make_heldout import STRIPPED, text_layer  # noqa: E402
from pipeline.review.score import render_table  # noqa: E402

DOCS = ROOT / "heldout" / "docs"


class DocumentSet(NamedTuple):
    docs: str
    gold: str
    results: str
    about: str


SETS = {
    "samples": DocumentSet(
        "samples",
        "samples/gold",
        "bench/results/samples.md",
        "The samples: seeds 000–003 as born-digital PDFs and scans, 001 diacritic-stripped, and seed 004 as "
        "the English-OCR'd text it came as, each scored against its gold in samples/gold.",
    ),
    "heldout": DocumentSet(
        "heldout/docs",
        "heldout/gold",
        "bench/results/heldout.md",
        "Four plan documents written for this test without reading the extractors (heldout/README.md): "
        "born-digital PDFs, one scan (`.scan.pdf`, OCR) and one diacritic-stripped text (`.stripped.txt`), "
        "each scored against its gold in heldout/gold.",
    ),
    "heldout2": DocumentSet(
        "heldout2/docs",
        "heldout2/gold",
        "bench/results/heldout2.md",
        "A second held-out set (heldout2/README.md): four new plans (Thái Nguyên, Cần Thơ, Hà Tĩnh, Lâm Đồng) "
        "drawn by their own generator, plus a scan (`.scan.pdf`), a bilevel TIFF and a diacritic-stripped text.",
    ),
    "real": DocumentSet(
        "samples/real/docs",
        "samples/real/gold",
        "bench/results/real.md",
        "The real development set (samples/real/README.md): plans published by Vietnamese public bodies, kept as "
        "published (PDF, scan, Word, the text a web converter produced), each scored against its gold.",
    ),
}
SHOWN_PER_FIELD = 12  # misses listed per document and field; the rest are counted


def vnplan(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI as `python -m pipeline ...` from the repository root; stop on failure."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"heldout: vnplan {' '.join(args[:1])} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc


def restoration_accuracy(stripped: Path, accented: str) -> tuple[float, int]:
    """Syllable accuracy of `vnplan restore` on a stripped text against the accented text it was made
    from (the same lines, pages separated by form feeds); returns (accuracy, syllables)."""
    with stripped.open("rb") as source:
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        proc = subprocess.run(
            [sys.executable, "-m", "pipeline", "restore"],
            stdin=source,
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=True,
        )
    restored = proc.stdout.decode("utf-8").replace("\f", "\n").split("\n")
    reference = accented.replace("\f", "\n").split("\n")
    if len(restored) != len(reference):
        raise SystemExit(f"{stripped.name}: restore changed the line count ({len(reference)} → {len(restored)})")
    score = Score()
    score_lines(reference, restored, score)
    return (score.correct / score.syllables if score.syllables else 0.0), score.syllables


def failed_documents(dataset: Path) -> list[str]:
    documents = json.loads((dataset / "manifest.json").read_text("utf-8"))["documents"]
    return [f"{Path(e['path']).name}: {e.get('message') or e['status']}" for e in documents if e["status"] != "ok"]


def _short(item: Any, width: int = 110) -> str:
    text = json.dumps(item, ensure_ascii=False) if not isinstance(item, str) else item
    return text if len(text) <= width else text[: width - 1] + "…"


def _describe(field: str, item: Any) -> str:
    """One line for a missed or extra item, shaped by field."""
    if field == "tasks" and isinstance(item, dict) and "lead_ok" in item:
        wrong = [w for w, ok in (("lead", item["lead_ok"]), ("deadline", item["deadline_ok"])) if not ok]
        return (
            f"paired gold {item['gold_id']} ↔ pred {item['pred_id']} ({item['similarity']}), wrong "
            f"{'+'.join(wrong)}: lead {item['gold_lead']!r} vs {item['pred_lead']!r}; "
            f"deadline {item['gold_deadline']} vs {item['pred_deadline']}"
        )
    if field == "metadata" and isinstance(item, dict):
        return f"{item['field']}: gold {item['gold']!r} vs pred {item['pred']!r}"
    if isinstance(item, dict):
        return _short({k: v for k, v in item.items() if v is not None})
    if isinstance(item, list):
        return _short(item)
    return _short(str(item))


def misses_report(report: dict[str, Any]) -> str:
    """Markdown: per document, per field below 1.0, the missed and the extra items."""
    lines: list[str] = []
    for row in report["documents"]:
        lines.append(f"\n### {row['doc']}\n")
        for field, score in row["scores"].items():
            if score["score"] >= 1.0:
                continue
            lines.append(
                f"- **{field}** {score['score']:.2f} (tp {score['tp']}, pred {score['pred']}, gold {score['gold']})"
            )
            for label, items in (("missed", score["missing"]), ("extra", score["extra"])):
                described = sorted(_describe(field, item) for item in items)  # a stable order run to run
                for text in described[:SHOWN_PER_FIELD]:
                    lines.append(f"  - {label}: {text}")
                if len(items) > SHOWN_PER_FIELD:
                    lines.append(f"  - … {len(items) - SHOWN_PER_FIELD} more {label}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("set", choices=sorted(SETS), help="which documents and gold")
    parser.add_argument("--work", type=Path, default=None, help="where the dataset and review go (default: temp)")
    parser.add_argument("--out", type=Path, default=None, help="markdown results file")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    chosen = SETS[args.set]
    docs, gold = ROOT / chosen.docs, ROOT / chosen.gold
    args.out = args.out or ROOT / chosen.results

    work = args.work or Path(tempfile.mkdtemp(prefix="vnplan-heldout-"))
    dataset, review = work / "dataset", work / "review"
    started = time.perf_counter()
    vnplan("ingest", str(docs), "--out", str(dataset), "--workers", str(args.workers))
    ingest_seconds = time.perf_counter() - started
    vnplan("review", "--gold", str(gold), "--docs", str(dataset), "--out", str(review))
    report = json.loads((review / "report.json").read_text("utf-8"))

    table = render_table(report)
    restoration = ""
    if args.set == "heldout":
        accuracy, syllables = restoration_accuracy(
            DOCS / f"{STRIPPED}.stripped.txt", text_layer(DOCS / f"{STRIPPED}.pdf")
        )
        restoration = (
            f"Diacritic restoration (`vnplan restore` on {STRIPPED}.stripped.txt vs the accented text "
            f"layer): {accuracy:.2%} of {syllables} syllables."
        )
    failed = failed_documents(dataset)
    misses = misses_report(report)
    print(table)
    print("\n" + restoration)
    if failed:
        print("\nfailed documents: " + "; ".join(failed))
    print(f"\ningest {ingest_seconds:.0f} s; report: {review / 'report.json'}")

    command = (
        f"vnplan ingest {chosen.docs} --out <work>/dataset && "
        f"vnplan review --gold {chosen.gold} --docs <work>/dataset --out <work>/review"
    )
    text = (
        f"# Accuracy review: {args.set}\n\n"
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. Reproduce: `.venv/bin/python bench/accuracy.py {args.set}` "
        f"(runs `{command}`).\n\n"
        f"{chosen.about}\n\n"
        f"{table}\n\n{restoration}\n\n"
        + (f"Failed documents: {'; '.join(failed)}\n\n" if failed else "")
        + f"Ingest took {ingest_seconds:.0f} s.\n\n## What was missed\n{misses}\n"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
