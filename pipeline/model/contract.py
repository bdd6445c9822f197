"""The dataset contract (docs/CONTRACT.md) as pydantic v2 models.

These models are the single source of truth in code; `vnplan schema` prints their JSON Schema.
Fields may be added, never renamed or dropped (a change is a new SCHEMA_VERSION).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1.0"] = "1.0"

TextOrigin = Literal["native", "ocr", "plain", "mixed"]
PageOrigin = Literal["native", "ocr", "plain", "font_tables"]
Comparator = Literal["=", ">", ">=", "<", "<="]
Recurrence = Literal["annual", "continuous"]
BudgetRole = Literal["total", "component"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Where a value came from: offsets into the normalized text of one page."""

    page: int = Field(ge=1, description="1-based page number")
    start: int = Field(ge=0, description="offset of the first character in the page's normalized text")
    end: int = Field(ge=0, description="offset one past the last character")


class Source(_Model):
    path: str
    sha256: str
    media_type: str
    pages: int
    text_origin: TextOrigin
    diacritics_restored: bool


class PipelineInfo(_Model):
    version: str
    fingerprint: str | None = Field(None, description="version + digest of the trained models used")
    processed_at: str = Field(description="ISO 8601 timestamp, UTC")


class Metadata(_Model):
    province: str | None = None
    doc_type: str | None = None
    doc_number: str | None = Field(None, description="as printed, e.g. 52/KH-UBND; null when left blank")
    issued_date: str | None = Field(None, description="YYYY-MM-DD, or YYYY-MM when only the month is known")
    issuer: str | None = None
    title: str | None = None
    signer_name: str | None = None
    signer_title: str | None = None


class LegalBasis(_Model):
    number: str
    date: str | None = None
    issuer: str | None = None
    text: str
    span: Span


class Budget(_Model):
    text: str
    amount_vnd: int = Field(description="integer amount in đồng")
    year: int | None = None
    role: BudgetRole
    source: str | None = None
    span: Span


class Target(_Model):
    text: str
    indicator: str | None = None
    comparator: Comparator
    value: float | int
    unit: str | None = None
    year: int | None = None
    baseline: str | None = None
    span: Span


class Deadline(_Model):
    text: str
    start: str | None = None
    end: str | None = None
    recurrence: Recurrence | None = None


class Task(_Model):
    id: str | None = None
    text: str
    lead_agency: str | None = None
    cooperating_agencies: list[str] = Field(default_factory=list)
    deadline: Deadline | None = None
    output: str | None = None
    span: Span


class Agency(_Model):
    name: str = Field(description="full canonical name")
    aliases: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)


class Warning(_Model):
    code: str
    message: str
    span: Span | None = None


class Records(_Model):
    """What the extractors find in one document: the records a PlanDocument is built from."""

    metadata: Metadata
    legal_basis: list[LegalBasis] = Field(default_factory=list)
    budgets: list[Budget] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)


# The record lists of a document, in contract order: the dataset's tables, review, API and report
# iterate these rather than spelling them again.
RECORD_LISTS: tuple[str, ...] = ("legal_basis", "budgets", "targets", "tasks", "agencies")
# The metadata fields, in contract order (scored one by one; the API's and the review's columns).
METADATA_FIELDS: tuple[str, ...] = tuple(Metadata.model_fields)
assert set(RECORD_LISTS) == set(Records.model_fields) - {"metadata", "warnings"}


class PlanDocument(_Model):
    schema_version: Literal["1.0"] = SCHEMA_VERSION
    doc_id: str = Field(description="first 16 hex chars of the source file's sha256")
    source: Source
    pipeline: PipelineInfo
    metadata: Metadata
    legal_basis: list[LegalBasis] = Field(default_factory=list)
    budgets: list[Budget] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    agencies: list[Agency] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)


class PageRecord(_Model):
    """One page of `text/<doc_id>.json`: raw = as read, text = normalized (spans point here)."""

    page: int
    origin: PageOrigin
    raw: str
    text: str


class TextFile(_Model):
    doc_id: str
    pages: list[PageRecord]
