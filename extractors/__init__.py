"""Extractors: one module per kind of record. `extract_all` runs them in dependency order.

Metadata comes first (the plan's year and issuer inform the rest), then tables, and every record
module gets one Context: `legal_basis`, `budgets`, `targets`, `tasks` expose `extract(ctx)`;
`agencies.extract(ctx, tasks)` gathers the agencies the tasks name. A record module not written yet
is skipped, so the pipeline runs end to end while the extractors land one by one.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType

from extractors.context import Context
from pipeline.doctext import DocText
from pipeline.models import Agency, Budget, LegalBasis, Metadata, Target, Task, Warning
from pipeline.structure import build_structure


@dataclass
class Extraction:
    metadata: Metadata
    legal_basis: list[LegalBasis] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


def _module(name: str) -> ModuleType | None:
    """extractors.<name>, or None while it does not exist yet (a missing dependency still raises)."""
    try:
        return importlib.import_module(f"extractors.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"extractors.{name}":
            return None
        raise


def extract_all(doc: DocText) -> Extraction:
    metadata_module = _module("metadata")
    meta = metadata_module.extract(doc) if metadata_module else Metadata()
    plan_year_of = getattr(metadata_module, "plan_year", None)
    plan_year = plan_year_of(doc, meta) if plan_year_of else None
    structure = build_structure(doc)
    ctx = Context(doc=doc, metadata=meta, plan_year=plan_year, tables=structure.tables, structure=structure)
    result = Extraction(metadata=meta)
    for name in ("legal_basis", "budgets", "targets", "tasks"):
        module = _module(name)
        if module is not None:
            setattr(result, name, module.extract(ctx))
    agencies_module = _module("agencies")
    if agencies_module is not None:
        agencies_module.merge_local_committees(result.tasks)
        agencies_module.place_names(result.tasks, meta)
        result.agencies = agencies_module.extract(ctx, result.tasks)
    from extractors.plan_check import check

    not_a_plan = check(ctx, result)
    result.warnings = ctx.warnings + ([not_a_plan] if not_a_plan else [])
    return result
