"""Is this a plan at all? A document with no plan header, no plan outline and no record is not.

Decided by what the extractors found, never by the words a text uses: a header (the document type
line, a number such as 12/KH-UBND, or an issuing body), an outline of a plan (sections I., II. or
parts, an appendix, a task or target table) or any record (legal basis, target, budget, task).
A password file or a novel has none of them; a plan missing all three is unreadable as a plan too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.model.contract import Records, Warning

if TYPE_CHECKING:
    from extractors.context import Context

NOT_A_PLAN = "not_a_plan"
_STRUCTURE_KINDS = {"section", "part", "appendix"}


def _has_header(extraction: Records) -> bool:
    meta = extraction.metadata
    return any((meta.doc_type, meta.doc_number, meta.issuer))


def _has_structure(ctx: Context) -> bool:
    if any(table.kind in ("tasks", "targets") for table in ctx.tables):
        return True
    kinds = [node.kind for node in ctx.structure.outline] if ctx.structure else []
    return kinds.count("appendix") >= 1 or sum(k in _STRUCTURE_KINDS for k in kinds) >= 2


def _has_records(extraction: Records) -> bool:
    return any((extraction.legal_basis, extraction.targets, extraction.budgets, extraction.tasks))


def check(ctx: Context, extraction: Records) -> Warning | None:
    """The not_a_plan warning, when the document has no header, outline or record of a plan."""
    if _has_header(extraction) or _has_records(extraction) or _has_structure(ctx):
        return None
    return Warning(
        code=NOT_A_PLAN,
        message="not a plan: no plan header (document type, number, issuer), "
        "no plan outline or task table and no record found",
    )
