"""Compare two dataset folders `vnplan ingest` wrote: documents (apart from `processed_at`) and Parquet tables.

    .venv/bin/python bench/compare_datasets.py BEFORE AFTER

Used to show a change that must not alter outputs (a refactoring) leaves every document and table as it
was: run `vnplan ingest samples/ --out BEFORE` on the old checkout, the same with AFTER on the new one.
Prints one row per document and per table; exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

VOLATILE = {"processed_at"}


def _without_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_volatile(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_without_volatile(v) for v in value]
    return value


def compare_documents(before: Path, after: Path) -> list[tuple[str, str]]:
    names = sorted(
        {p.name for p in (before / "documents").glob("*.json")} | {p.name for p in (after / "documents").glob("*.json")}
    )
    rows = []
    for name in names:
        a, b = before / "documents" / name, after / "documents" / name
        if not (a.exists() and b.exists()):
            rows.append((name, "only in " + ("after" if b.exists() else "before")))
            continue
        x = _without_volatile(json.loads(a.read_text("utf-8")))
        y = _without_volatile(json.loads(b.read_text("utf-8")))
        differing = sorted(k for k in x.keys() | y.keys() if x.get(k) != y.get(k))
        rows.append((name, "identical" if not differing else "differs in " + ", ".join(differing)))
    return rows


def compare_tables(before: Path, after: Path) -> list[tuple[str, str]]:
    rows = []
    for table in sorted((before / "tables").glob("*.parquet")):
        other = after / "tables" / table.name
        if not other.exists():
            rows.append((table.name, "only in before"))
            continue
        x, y = (pd.read_parquet(p) for p in (table, other))
        x, y = (df.drop(columns=[c for c in df.columns if c in VOLATILE]) for df in (x, y))
        try:
            pd.testing.assert_frame_equal(x.sort_index(axis=1), y.sort_index(axis=1))
            rows.append((table.name, f"identical ({len(x)} rows)"))
        except AssertionError as difference:
            rows.append((table.name, "differs: " + " ".join(str(difference).split())[:160]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args()
    rows = compare_documents(args.before, args.after) + compare_tables(args.before, args.after)
    print("| file | before vs after |\n|---|---|")
    for name, verdict in rows:
        print(f"| {name} | {verdict} |")
    sys.exit(0 if all(v.startswith("identical") for _, v in rows) else 1)


if __name__ == "__main__":
    main()
