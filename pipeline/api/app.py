"""The read-only HTTP API over one output folder (`vnplan serve`): the FastAPI app factory.

Documents and their page text are served from their JSON files (one file per request); lists and
records are queried from the Parquet tables (pipeline.api.query); the change feed merges the
manifest and changes.jsonl (pipeline.api.changes). Nothing is ever written.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError

from pipeline.api.changes import CURSOR_PATTERN, BadCursor, ChangeFeed, Position
from pipeline.api.problems import PROBLEM_MEDIA_TYPE, ApiProblem, install_problem_handlers
from pipeline.api.query import (
    Selection,
    Tables,
    agency_selection,
    dated_record_selection,
    document_selection,
    task_selection,
)
from pipeline.api.records import agency_record, budget_record, document_summary, target_record, task_record
from pipeline.api.schemas import (
    DOC_ID_PATTERN,
    AgencyRecord,
    BudgetRecord,
    Change,
    ChangePage,
    DocumentSummary,
    Page,
    Problem,
    TargetRecord,
    TaskRecord,
)
from pipeline.dataset.writer import Dataset
from pipeline.model.contract import PlanDocument, TextFile
from pipeline.model.errors import InputFileError
from pipeline.model.version import __version__
from pipeline.report import ReportSite

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
MAX_OFFSET = 10**9
_DOC_ID = re.compile(DOC_ID_PATTERN)

# Query parameters shared by several endpoints.
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size (at most {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="records to skip")]
Province = Annotated[
    str | None, Query(min_length=1, max_length=100, description="province name; accents and case are ignored")
]
DocIdFilter = Annotated[str | None, Query(pattern=DOC_ID_PATTERN, description="records of this document only")]
AgencyFilter = Annotated[
    str | None,
    Query(min_length=1, max_length=200, description="part of an agency name or alias; accents and case ignored"),
]


def _error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem} for code in codes}


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def reject_unknown_parameters(request: Request) -> None:
    """A misspelt filter (`?provnce=`) must not silently return everything: 400 instead."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        accepted = ", ".join(sorted(known)) or "none"
        raise ApiProblem(400, f"unknown query parameter {unknown[0][:50]!r} (accepted: {accepted})")


_BEARER = HTTPBearer(auto_error=False, description="the token given to `vnplan serve --token`")


class BearerAuth:
    """The dependency that asks every data request for the server's token."""

    def __init__(self, token: str) -> None:
        self.expected = token.encode("utf-8")

    async def __call__(self, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]) -> None:
        given = credentials.credentials.encode("utf-8") if credentials else b""
        if not (given and hmac.compare_digest(given, self.expected)):  # constant time: no timing oracle
            raise ApiProblem(
                401,
                "a valid bearer token is required (Authorization: Bearer <token>)",
                headers={"WWW-Authenticate": 'Bearer realm="vnplan"'},
            )


def _problem_media_types(app: FastAPI) -> None:
    """Error responses are documented as application/problem+json, which is what they are."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            for operations in schema.get("paths", {}).values():
                for operation in operations.values():
                    for code, response in operation.get("responses", {}).items():
                        content = response.get("content", {})
                        if code[0] in "45" and "application/json" in content:
                            response["content"] = {PROBLEM_MEDIA_TYPE: content["application/json"]}
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def _page(request: Request, items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    following = None
    if offset + len(items) < total:
        url = request.url.include_query_params(offset=offset + limit, limit=limit)
        following = f"{url.path}?{url.query}"
    return {"items": items, "total": total, "limit": limit, "offset": offset, "next": following}


def create_app(out: Path | str, *, token: str | None = None) -> FastAPI:
    """The API over output folder `out`; with `token`, every data endpoint wants that bearer token."""
    root = Path(out)
    if not root.is_dir():
        raise InputFileError(f"{root}: not a dataset folder (run `vnplan ingest --out {root}` first)")
    if token is not None and not token.strip():
        raise InputFileError("--token must not be empty")
    dataset = Dataset(root)
    tables = Tables(root)
    feed = ChangeFeed(root, tables)

    guards = [Depends(reject_unknown_parameters)]
    errors = [400, 422, 503]
    if token is not None:
        guards.insert(0, Depends(BearerAuth(token)))
        errors.append(401)
    app = FastAPI(
        title="vnplan dataset API",
        version=__version__,
        description="Read-only access to a vnplan output folder: plan documents, their page text, "
        "targets, budgets, tasks and agencies, and a change feed for incremental sync. "
        "Errors are RFC 9457 problem details.",
        docs_url=None,
        redoc_url=None,  # their pages load scripts from a CDN; the API runs offline
        dependencies=guards,
        responses=_error_responses(*errors),
    )
    app.state.tables = tables
    install_problem_handlers(app)
    _problem_media_types(app)

    def stored(path_of: Callable[[str], Path], doc_id: str, model: type[BaseModel], what: str) -> Response:
        # The id is checked before it touches a path: `../`, `%2F`, NUL and friends are simply not found.
        if not _DOC_ID.fullmatch(doc_id):
            raise ApiProblem(404, "no such document (a doc_id is 16 lowercase hex characters)")
        try:
            data = path_of(doc_id).read_bytes()
        except FileNotFoundError:
            raise ApiProblem(404, f"no {what} {doc_id}") from None
        try:  # checked against the contract, then sent as stored (re-encoding would only cost time)
            model.model_validate_json(data)
        except ValidationError:
            raise ApiProblem(500, f"stored file of document {doc_id} does not match the contract") from None
        return Response(data, media_type="application/json")

    def listing(
        request: Request,
        table: str,
        selection: Selection,
        limit: int,
        offset: int,
        convert: Callable[[dict[str, Any]], Any],
    ) -> dict[str, Any]:
        rows, total = tables.page(table, selection, limit, offset)
        return _page(request, [convert(r) for r in rows], total, limit, offset)

    @app.get("/documents", response_model=Page[DocumentSummary], tags=["documents"])
    def list_documents(
        request: Request,
        province: Province = None,
        doc_type: Annotated[
            str | None, Query(min_length=1, max_length=100, description="e.g. Kế hoạch; accents and case are ignored")
        ] = None,
        year: Annotated[int | None, Query(ge=1900, le=2200, description="year of issue")] = None,
        issued_from: Annotated[date | None, Query(description="issued on or after (YYYY-MM-DD)")] = None,
        issued_to: Annotated[date | None, Query(description="issued on or before (YYYY-MM-DD)")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Documents without their records, in manifest order."""
        selection = document_selection(
            province=province, doc_type=doc_type, year=year, issued_from=issued_from, issued_to=issued_to
        )
        return listing(request, "documents", selection, limit, offset, document_summary)

    doc_errors = _error_responses(404, 500)

    @app.get("/documents/{doc_id}", response_model=PlanDocument, responses=doc_errors, tags=["documents"])
    async def get_document(doc_id: str) -> Response:
        """One document as the contract's PlanDocument."""
        return stored(dataset.document_path, doc_id, PlanDocument, "document")

    @app.get("/documents/{doc_id}/text", response_model=TextFile, responses=doc_errors, tags=["documents"])
    async def get_document_text(doc_id: str) -> Response:
        """Its pages: raw (as read) and text (normalized; spans point here)."""
        return stored(dataset.text_path, doc_id, TextFile, "page text for document")

    @app.get("/targets", response_model=Page[TargetRecord], tags=["records"])
    def list_targets(
        request: Request,
        doc_id: DocIdFilter = None,
        province: Province = None,
        year: Annotated[int | None, Query(ge=1900, le=2200, description="the target's year")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Targets of every document, each with its doc_id."""
        selection = dated_record_selection(doc_id=doc_id, province=province, year=year)
        return listing(request, "targets", selection, limit, offset, target_record)

    @app.get("/budgets", response_model=Page[BudgetRecord], tags=["records"])
    def list_budgets(
        request: Request,
        doc_id: DocIdFilter = None,
        province: Province = None,
        year: Annotated[int | None, Query(ge=1900, le=2200, description="the budget's year")] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Budget amounts of every document, each with its doc_id."""
        selection = dated_record_selection(doc_id=doc_id, province=province, year=year)
        return listing(request, "budgets", selection, limit, offset, budget_record)

    @app.get("/tasks", response_model=Page[TaskRecord], tags=["records"])
    def list_tasks(
        request: Request,
        doc_id: DocIdFilter = None,
        province: Province = None,
        year: Annotated[
            int | None, Query(ge=1900, le=2200, description="the deadline window overlaps this year")
        ] = None,
        agency: AgencyFilter = None,
        deadline_before: Annotated[
            date | None, Query(description="the deadline window ends on or before this day (YYYY-MM-DD)")
        ] = None,
        deadline_after: Annotated[
            date | None,
            Query(
                description="the deadline window is still open on this day (YYYY-MM-DD); open-ended and "
                "recurring windows always are"
            ),
        ] = None,
        recurrence: Annotated[
            Literal["annual", "continuous", "none"] | None, Query(description="`none`: one-off deadlines")
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Tasks of every document, each with its doc_id; `agency` matches the lead or a cooperating agency."""
        selection = task_selection(
            doc_id=doc_id,
            province=province,
            year=year,
            agency=agency,
            deadline_before=deadline_before,
            deadline_after=deadline_after,
            recurrence=recurrence,
        )
        return listing(request, "tasks", selection, limit, offset, task_record)

    @app.get("/agencies", response_model=Page[AgencyRecord], tags=["records"])
    def list_agencies(
        request: Request,
        doc_id: DocIdFilter = None,
        province: Province = None,
        year: Annotated[int | None, Query(ge=1900, le=2200, description="year of issue of the document")] = None,
        agency: AgencyFilter = None,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Agencies named by every document, each with its doc_id; `agency` matches a name or an alias."""
        selection = agency_selection(doc_id=doc_id, province=province, year=year, agency=agency)
        return listing(request, "agencies", selection, limit, offset, agency_record)

    @app.get("/changes", response_model=ChangePage, tags=["sync"])
    def list_changes(
        since: Annotated[
            datetime | None, Query(description="changes strictly after this time (ISO 8601; no zone means UTC)")
        ] = None,
        cursor: Annotated[
            str | None, Query(pattern=CURSOR_PATTERN, description="the next_cursor of a previous answer")
        ] = None,
        limit: Limit = DEFAULT_LIMIT,
    ) -> ChangePage:
        """Documents added, reprocessed or removed, oldest first: sync by following next_cursor."""
        # Given both, the later of the two positions is where the answer starts.
        try:
            starts = [Position.from_cursor(cursor)] if cursor is not None else []
            if since is not None:
                starts.append(Position.after_time(since))
        except BadCursor:
            raise ApiProblem(400, "malformed cursor (pass next_cursor exactly as received)") from None
        except OverflowError:  # a zone offset pushed year 1 or 9999 out of range
            raise ApiProblem(422, "since is out of range") from None
        start = max(starts) if starts else None
        events, more = feed.after(start, limit)
        last = events[-1].position if events else start
        return ChangePage(
            items=[
                Change.model_validate(
                    {"doc_id": e.doc_id, "path": e.path, "change": e.change, "at": e.at, "fields": e.fields, **e.extra}
                )
                for e in events
            ],
            next_cursor=last.cursor() if last else None,
            has_more=more,
        )

    _report_routes(app, root, tables)
    return app


def _report_routes(app: FastAPI, root: Path, tables: Tables) -> None:
    """The overview page of `vnplan report`, built from the tables the API holds (HTML, not in the schema)."""
    site = ReportSite(root)
    html_type = "text/html; charset=utf-8"

    @app.get("/report", include_in_schema=False)
    async def report_folder() -> RedirectResponse:
        return RedirectResponse("report/", status_code=308)  # the page's links are relative to the folder

    @app.get("/report/", include_in_schema=False)
    @app.get("/report/index.html", include_in_schema=False)
    def report_page(
        as_of: Annotated[
            date | None, Query(description="the day the next 90 days of deadlines count from (default today)")
        ] = None,
    ) -> Response:
        snapshot = tables.snapshot()
        return Response(site.index(snapshot.stamps, snapshot.tables, as_of or date.today()), media_type=html_type)

    @app.get("/report/van-ban/{name}", include_in_schema=False)
    def report_document(name: str) -> Response:
        doc_id = name.removesuffix(".html")
        page = site.document(doc_id) if _DOC_ID.fullmatch(doc_id) else None
        if page is None:
            raise ApiProblem(404, "no such document page")
        return Response(page, media_type=html_type)
