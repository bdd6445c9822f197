"""What every extractor gets: the document text plus what earlier stages learned about it."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.model.contract import Metadata, Warning
from pipeline.model.doctext import DocText
from pipeline.structure.document import DocumentStructure, Table, build_structure


@dataclass
class Context:
    doc: DocText
    metadata: Metadata
    plan_year: int | None = None  # the year the plan is for (title/issue date), default for undated targets
    tables: list[Table] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)  # extractors append what a reviewer should see
    # the outline, tables and parts by role, computed once (pipeline.structure.document.build_structure); extractors
    # read the document's structure here instead of parsing it again
    structure: DocumentStructure | None = None

    def __post_init__(self) -> None:
        if self.structure is None:
            self.structure = build_structure(self.doc)
        if not self.tables:
            self.tables = self.structure.tables
