"""Rescore a dataset's stored page texts with the current extractors, without reading the files again.

    .venv/bin/python bench/rescore.py DATASET GOLD [--fields metadata,targets] [--misses] [--tasks]

DATASET is a folder `vnplan ingest` wrote (e.g. the one `bench/accuracy.py real --work W` leaves in W/dataset);
GOLD the folder of <stem>.gold.json. Each document's normalized pages (DATASET/text/<doc_id>.json) are
extracted again and scored as `vnplan review` scores them, so an extractor change is measured in seconds
instead of a new ingest with OCR. The numbers equal `bench/accuracy.py`'s when the reading stages are the
same; confirm final numbers with it.

--tasks prints, per document, how many tasks gold and the extraction hold, how many were paired by text
(token-set ratio ≥ 60), and how many of those pairs fail on the lead, on the deadline or on both.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from extractors import extract_all  # noqa: E402
from pipeline.model.doctext import DocText  # noqa: E402
from pipeline.model.pages import PageText  # noqa: E402
from pipeline.review.score import FieldScore, score_document  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--fields", default="metadata,legal_basis,budgets,targets")
    parser.add_argument("--misses", action="store_true", help="list what was missed and extra")
    parser.add_argument("--tasks", action="store_true", help="per document: tasks gold/pred/paired/failing")
    args = parser.parse_args()
    fields = args.fields.split(",")
    totals: dict[str, list[float]] = {f: [] for f in fields}
    task_rows: list[str] = []
    for entry in json.loads((args.dataset / "manifest.json").read_text("utf-8"))["documents"]:
        name = Path(entry["path"]).name
        golds = [g for g in args.gold.glob("*.gold.json") if name.startswith(g.name[: -len(".gold.json")])]
        if entry.get("status") != "ok" or not golds:
            continue
        record = json.loads((args.dataset / "documents" / f"{entry['doc_id']}.json").read_text("utf-8"))
        restored = record["source"]["diacritics_restored"]
        pages = json.loads((args.dataset / "text" / f"{entry['doc_id']}.json").read_text("utf-8"))["pages"]
        doc = DocText(
            [
                PageText(
                    number=p["page"],
                    origin=p["origin"],
                    raw=p["raw"],
                    text=p["text"],
                    diacritics_restored=restored and p["raw"] != p["text"],
                )
                for p in pages
            ]
        )
        found = extract_all(doc)
        pred = {
            "metadata": found.metadata.model_dump(),
            "tasks": [t.model_dump() for t in found.tasks],
            "agencies": [a.model_dump() for a in found.agencies],
            **{f: [x.model_dump() for x in getattr(found, f)] for f in ("legal_basis", "budgets", "targets")},
        }
        scores = score_document(pred, json.loads(golds[0].read_text("utf-8")))
        print(f"{name[:50]:50}", " ".join(f"{f}={scores[f].score:.2f}" for f in fields))
        if args.tasks:
            task_rows.append(_task_row(name, scores["tasks"]))
        for f in fields:
            totals[f].append(scores[f].score)
            if args.misses:
                for item in scores[f].missing:
                    print("    missed", f, json.dumps(item, ensure_ascii=False)[:160])
                for item in scores[f].extra:
                    print("    extra ", f, json.dumps(item, ensure_ascii=False)[:160])
    print("mean", " ".join(f"{f}={sum(v) / len(v):.3f}" for f, v in totals.items() if v))
    if task_rows:
        print("\n| document | gold | pred | paired | lead wrong | deadline wrong | both | F1 |")
        print("|---|---|---|---|---|---|---|---|")
        print("\n".join(task_rows))


def _task_row(name: str, score: FieldScore) -> str:
    """One markdown row: the tasks of a document, paired by text, and where the pairs fail."""
    wrong = [m for m in score.missing if "lead_ok" in m]
    paired = score.tp + len(wrong)
    lead = sum(not m["lead_ok"] and m["deadline_ok"] for m in wrong)
    deadline = sum(m["lead_ok"] and not m["deadline_ok"] for m in wrong)
    both = sum(not m["lead_ok"] and not m["deadline_ok"] for m in wrong)
    return f"| {name} | {score.n_gold} | {score.n_pred} | {paired} | {lead} | {deadline} | {both} | {score.score:.2f} |"


if __name__ == "__main__":
    main()
