"""Extractors: one module per kind of record. `extract_all` runs them in dependency order.

Each record module exposes `extract(ctx: Context) -> list[<record>]`; metadata comes first since
the plan's year and issuer inform the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.doctext import DocText
from pipeline.models import Agency, Budget, LegalBasis, Metadata, Target, Task, Warning


@dataclass
class Extraction:
    metadata: Metadata
    legal_basis: list[LegalBasis] = field(default_factory=list)
    budgets: list[Budget] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


def extract_all(doc: DocText) -> Extraction:
    from extractors import metadata

    meta = metadata.extract(doc)
    return Extraction(metadata=meta)
