"""Extractors: one module per kind of record. `extract_all` runs them in dependency order.

Metadata comes first (the plan's year and issuer inform the rest), then the document structure
(outline, sections by role, tables), computed once into the one Context every record module reads:
`legal_basis`, `budgets`, `targets`, `tasks` expose `extract(ctx)`; `agencies.extract(ctx, tasks)`
gathers the agencies the tasks name; `plan_check` says when the whole does not look like a plan.
"""

from __future__ import annotations

from extractors import agencies, budgets, legal_basis, metadata, plan_check, targets, tasks
from extractors.context import Context
from pipeline.model.contract import Records
from pipeline.model.doctext import DocText
from pipeline.structure.document import build_structure


def extract_all(doc: DocText) -> Records:
    meta = metadata.extract(doc)
    structure = build_structure(doc)
    ctx = Context(
        doc=doc, metadata=meta, plan_year=metadata.plan_year(doc, meta), tables=structure.tables, structure=structure
    )
    records = Records(
        metadata=meta,
        legal_basis=legal_basis.extract(ctx),
        budgets=budgets.extract(ctx),
        targets=targets.extract(ctx),
        tasks=tasks.extract(ctx),
    )
    agencies.name_agencies(records.tasks, doc.text, meta)
    records.agencies = agencies.extract(ctx, records.tasks)
    not_a_plan = plan_check.check(ctx, records)
    records.warnings = ctx.warnings + ([not_a_plan] if not_a_plan else [])
    return records
