"""Response models: the contract's models, plus `doc_id` on flat records, and page envelopes.

Records are the contract's own models (Target, Budget, Task, Agency) with the `doc_id` they came
from, so /openapi.json describes exactly what a PlanDocument holds.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from pipeline.model.contract import Agency, Budget, Metadata, PipelineInfo, Source, Target, Task

DOC_ID_PATTERN = r"^[0-9a-f]{16}$"
_DOC_ID = Field(description="first 16 hex chars of the source file's sha256", pattern=DOC_ID_PATTERN)

Item = TypeVar("Item")


class Problem(BaseModel):
    """An error as RFC 9457 problem details (media type application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = Field(None, description="which parameters were invalid (422 only)")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int = Field(description="records matching the filters, over all pages")
    limit: int
    offset: int
    next: str | None = Field(description="the next page's URL (path and query), null on the last page")


class RecordCounts(BaseModel):
    legal_basis: int
    budgets: int
    targets: int
    tasks: int
    agencies: int
    warnings: int


class DocumentSummary(BaseModel):
    """One row of tables/documents.parquet: a document without its records."""

    doc_id: str = _DOC_ID
    source: Source
    pipeline: PipelineInfo
    metadata: Metadata
    counts: RecordCounts


class TargetRecord(Target):
    doc_id: str = _DOC_ID


class BudgetRecord(Budget):
    doc_id: str = _DOC_ID


class TaskRecord(Task):
    doc_id: str = _DOC_ID


class AgencyRecord(Agency):
    doc_id: str = _DOC_ID


ChangeKind = Literal["added", "reprocessed", "removed"]


class Change(BaseModel):
    """One line of changes.jsonl (or a manifest document the log does not mention, as `added`)."""

    model_config = ConfigDict(populate_by_name=True)

    doc_id: str
    path: str | None
    change: ChangeKind
    at: str = Field(description="ISO 8601 timestamp of the change")
    from_: str | None = Field(None, alias="from", description="pipeline fingerprint (or version) before")
    to: str | None = Field(None, description="pipeline fingerprint after")
    replaced_doc_id: str | None = Field(None, description="the document this one replaced (same path, new bytes)")
    fields: dict[str, Any] = Field(default_factory=dict, description="what changed, as the log recorded it")


class ChangePage(BaseModel):
    items: list[Change]
    next_cursor: str | None = Field(
        description="pass as `cursor` to get the changes after these (null when the feed is empty)"
    )
    has_more: bool
