"""`vnplan serve`: the real server (pipeline.api.serve in a subprocess) on loopback, called over HTTP.

Datasets are written through the real writer (bench/make_dataset.py). Expected answers are computed
here from the PlanDocument objects, independently of the server's SQL.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from bench.make_dataset import make_dataset
from normalizers.vndates import fold_keep_length
from pipeline.api import ServeError, serve
from pipeline.api.query import Selection, Tables
from pipeline.model.contract import PlanDocument, TextFile
from pipeline.model.errors import InputFileError

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-token-for-tests"
PROBLEM = "application/problem+json"


@dataclass
class Server:
    url: str
    root: Path
    docs: list[PlanDocument]
    process: subprocess.Popen[bytes]

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)


def _start(root: Path, docs: list[PlanDocument], token: str | None = None) -> Iterator[Server]:
    """Run the real `serve()` on an ephemeral loopback port; the port is read from its start line."""
    code = (
        "import sys; from pathlib import Path; from pipeline.api import serve; "
        "serve(Path(sys.argv[1]), host='127.0.0.1', port=0, token=sys.argv[2] or None)"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(root), token or ""],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stderr is not None
    line = process.stderr.readline().decode()
    match = re.search(r"at (http://127\.0\.0\.1:\d+)", line)
    assert match, f"server did not start: {line}{process.stderr.read().decode() if process.poll() else ''}"
    url = match.group(1)
    deadline = time.monotonic() + 20
    while True:  # the line is printed before uvicorn's loop runs: wait until it answers
        try:
            httpx.get(url + "/openapi.json", timeout=1)
            break
        except httpx.TransportError:
            assert time.monotonic() < deadline, "server never answered"
            time.sleep(0.05)
    try:
        yield Server(url, root, docs, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("dataset")
    docs = make_dataset(root, 36, seed=7)
    yield from _start(root, docs)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A token-protected server over a dataset the tests keep writing to."""
    root = tmp_path_factory.mktemp("live")
    docs = make_dataset(root, 4, seed=1)
    yield from _start(root, docs, token=TOKEN)


def _fold(text: str | None) -> str:
    return " ".join(fold_keep_length(text or "").lower().split())


def _all(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a listing, following `next` links."""
    items: list[dict[str, Any]] = []
    response = client.get(path, params=params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["items"])
        if body["next"] is None:
            assert len(items) == body["total"]
            return items
        response = client.get(body["next"])


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


# -- documents ------------------------------------------------------------------------------------


def test_documents_pages_cover_every_document_once(server: Server) -> None:
    with server.client() as client:
        items = _all(client, "/documents", limit=5)
        first = client.get("/documents", params={"limit": 5, "offset": 5}).json()
    assert sorted(i["doc_id"] for i in items) == sorted(d.doc_id for d in server.docs)
    assert len(items) == len({i["doc_id"] for i in items})
    assert first["items"] == items[5:10] and first["total"] == len(server.docs)
    by_id = {d.doc_id: d for d in server.docs}
    for item in items:
        doc = by_id[item["doc_id"]]
        assert item["metadata"] == doc.metadata.model_dump()
        assert item["counts"]["tasks"] == len(doc.tasks)


def test_document_filters(server: Server) -> None:
    docs = server.docs
    province = docs[0].metadata.province
    assert province and province != fold_keep_length(province)  # the test needs an accented name
    with server.client() as client:
        # typed without accents, in capitals: still that province
        got = _all(client, "/documents", province=fold_keep_length(province).upper())
        assert {i["doc_id"] for i in got} == {d.doc_id for d in docs if d.metadata.province == province}
        year = int(docs[1].metadata.issued_date[:4]) if docs[1].metadata.issued_date else 2023
        got = _all(client, "/documents", year=year, doc_type="ke hoach")
        assert {i["doc_id"] for i in got} == {
            d.doc_id
            for d in docs
            if (d.metadata.issued_date or "").startswith(str(year)) and d.metadata.doc_type == "Kế hoạch"
        }
        got = _all(client, "/documents", issued_from="2022-03-01", issued_to="2023-06-30")
        expected = set()
        for d in docs:
            issued = d.metadata.issued_date
            if issued and (
                (len(issued) == 10 and "2022-03-01" <= issued <= "2023-06-30")
                or (len(issued) == 7 and "2022-03" <= issued <= "2023-06")
            ):
                expected.add(d.doc_id)
        assert expected and {i["doc_id"] for i in got} == expected
        assert client.get("/documents", params={"province": "' OR 1=1 --"}).json()["total"] == 0


def test_document_and_text_are_the_contract_files(server: Server) -> None:
    doc = server.docs[3]
    with server.client() as client:
        got = client.get(f"/documents/{doc.doc_id}")
        text = client.get(f"/documents/{doc.doc_id}/text")
    assert got.status_code == 200 and PlanDocument.model_validate(got.json()) == doc
    pages = TextFile.model_validate(text.json()).pages
    task = doc.tasks[0]
    assert pages[task.span.page - 1].text[task.span.start : task.span.end] == task.text


# -- records --------------------------------------------------------------------------------------


def test_targets_and_budgets_by_province_and_year(server: Server) -> None:
    province = server.docs[2].metadata.province
    in_province = [d for d in server.docs if d.metadata.province == province]
    with server.client() as client:
        targets = _all(client, "/targets", province=province, year=2030, limit=3)
        budgets = _all(client, "/budgets", year=2024)
        one_doc = _all(client, "/targets", doc_id=server.docs[5].doc_id)
    expected = [(d.doc_id, t.text, t.value) for d in in_province for t in d.targets if t.year == 2030]
    assert expected and sorted((t["doc_id"], t["text"], t["value"]) for t in targets) == sorted(expected)
    assert sorted((b["doc_id"], b["amount_vnd"]) for b in budgets) == sorted(
        (d.doc_id, b.amount_vnd) for d in server.docs for b in d.budgets if b.year == 2024
    )
    assert [t["text"] for t in one_doc] == [t.text for t in server.docs[5].targets]  # document order


def _task_keys(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((t["doc_id"], t["text"]) for t in items)


def test_task_filters(server: Server) -> None:
    tasks = [(d, t) for d in server.docs for t in d.tasks]
    with server.client() as client:
        # an alias (`Sở KH&CN`) that the document gives the agency, typed without accents
        by_alias = _all(client, "/tasks", agency="so kh&cn", limit=1000)
        before = _all(client, "/tasks", deadline_before="2023-06-30", limit=1000)
        after = _all(client, "/tasks", deadline_after="2026-07-01", limit=1000)
        annual = _all(client, "/tasks", recurrence="annual", limit=1000)
        one_off = _all(client, "/tasks", recurrence="none", limit=1000)
        continuous = _all(client, "/tasks", recurrence="continuous", limit=1000)
        in_2024 = _all(client, "/tasks", year=2024, limit=1000)
    science = "Sở Khoa học và Công nghệ"
    assert _task_keys(by_alias) == sorted(
        (d.doc_id, t.text) for d, t in tasks if science in (t.lead_agency, *t.cooperating_agencies)
    )
    assert _task_keys(before) == sorted(
        (d.doc_id, t.text) for d, t in tasks if t.deadline and t.deadline.end and t.deadline.end <= "2023-06-30"
    )
    assert _task_keys(after) == sorted(
        (d.doc_id, t.text)
        for d, t in tasks
        if t.deadline
        and (
            (t.deadline.end and t.deadline.end >= "2026-07-01")
            or (not t.deadline.end and (t.deadline.start or t.deadline.recurrence))
        )
    )
    assert annual and all(t["deadline"]["recurrence"] == "annual" for t in annual)
    assert len(annual) + len(one_off) + len(continuous) == len(tasks)
    assert _task_keys(in_2024) == sorted(
        (d.doc_id, t.text)
        for d, t in tasks
        if t.deadline
        and (t.deadline.start or t.deadline.end or t.deadline.recurrence)
        and (t.deadline.start or "0000") <= "2024-12-31"
        and (t.deadline.end or "9999") >= "2024-01-01"
    )


def test_agencies_by_name_and_document_year(server: Server) -> None:
    with server.client() as client:
        named = _all(client, "/agencies", agency="UY BAN NHAN DAN", limit=1000)
        year = _all(client, "/agencies", year=2021, limit=1000)
    assert sorted((a["doc_id"], a["name"]) for a in named) == sorted(
        (d.doc_id, a.name) for d in server.docs for a in d.agencies if "ủy ban nhân dân" in a.name.lower()
    )
    assert sorted((a["doc_id"], a["name"]) for a in year) == sorted(
        (d.doc_id, a.name) for d in server.docs for a in d.agencies if (d.metadata.issued_date or "").startswith("2021")
    )


# -- change feed ----------------------------------------------------------------------------------


def test_changes_feed_without_log_lists_manifest_documents_in_time_order(server: Server) -> None:
    with server.client() as client:
        seen: list[dict[str, Any]] = []
        body = client.get("/changes", params={"limit": 4}).json()
        while True:
            seen.extend(body["items"])
            if not body["has_more"]:
                break
            body = client.get("/changes", params={"limit": 4, "cursor": body["next_cursor"]}).json()
        assert client.get("/changes", params={"cursor": body["next_cursor"]}).json()["items"] == []
        late = client.get("/changes", params={"since": "2026-01-20T00:00:00Z", "limit": 1000}).json()["items"]
    assert sorted(c["doc_id"] for c in seen) == sorted(d.doc_id for d in server.docs)
    assert {c["change"] for c in seen} == {"added"}
    assert [c["at"] for c in seen] == sorted(c["at"] for c in seen)
    assert {c["doc_id"] for c in late} == {
        d.doc_id for d in server.docs if d.pipeline.processed_at > "2026-01-20T00:00:00+00:00"
    }


def test_new_ingest_and_change_log_are_served_without_restart(live_server: Server) -> None:
    with live_server.client(TOKEN) as client:
        assert client.get("/documents").json()["total"] == 4
        cursor = client.get("/changes", params={"limit": 1000}).json()["next_cursor"]
        added = make_dataset(live_server.root, 2, seed=1, start=100)  # a second ingest while serving
        listed = {i["doc_id"] for i in _all(client, "/documents")}
        assert {d.doc_id for d in added} <= listed and len(listed) == 6
        assert client.get(f"/documents/{added[0].doc_id}").json()["doc_id"] == added[0].doc_id
        assert client.get("/targets", params={"doc_id": added[1].doc_id}).json()["total"] == len(added[1].targets)

        # The later writer's log: the two new documents, one reprocessed, one removed (a torn last line too).
        gone = live_server.docs[0].doc_id
        log = [
            {"doc_id": added[0].doc_id, "path": "a.pdf", "change": "added", "at": "2027-03-01T10:00:00+00:00"},
            {"doc_id": added[1].doc_id, "path": "b.pdf", "change": "added", "at": "2027-03-01T10:00:00+00:00"},
            {
                "doc_id": live_server.docs[1].doc_id,
                "path": "c.pdf",
                "change": "reprocessed",
                "at": "2027-03-02T09:00:00+07:00",
                "from": "0.1.0+aaaa",
                "to": "0.1.0+bbbb",
                "fields": {"targets": {"added": 1}},
            },
            {"doc_id": gone, "path": "d.pdf", "change": "removed", "at": "2027-03-03T00:00:00Z"},
        ]
        text = "".join(json.dumps(e) + "\n" for e in log) + '{"doc_id": "torn'
        (live_server.root / "changes.jsonl").write_text(text, encoding="utf-8")

        first = client.get("/changes", params={"cursor": cursor, "limit": 1}).json()
        rest = client.get("/changes", params={"cursor": first["next_cursor"], "limit": 10}).json()
        events = first["items"] + rest["items"]
        assert first["has_more"] and not rest["has_more"]
        assert [(e["doc_id"], e["change"]) for e in events] == [(e["doc_id"], e["change"]) for e in log]
        assert events[2]["fields"] == {"targets": {"added": 1}}
        assert (events[2]["from"], events[2]["to"], events[0]["from"]) == ("0.1.0+aaaa", "0.1.0+bbbb", None)
        since = client.get("/changes", params={"since": "2027-03-02T01:00:00Z"}).json()["items"]
        assert [e["change"] for e in since] == ["reprocessed", "removed"]  # 09:00+07:00 is 02:00Z
        both = client.get("/changes", params={"since": "2027-03-02T01:00:00Z", "cursor": first["next_cursor"]}).json()[
            "items"
        ]
        assert both == since  # the later of the two positions wins


def test_token_auth(live_server: Server) -> None:
    doc_id = live_server.docs[2].doc_id
    with live_server.client() as anonymous:
        body = _problem(anonymous.get(f"/documents/{doc_id}"), 401)
        assert "bearer" in body["detail"].lower()
        assert anonymous.get(f"/documents/{doc_id}").headers["www-authenticate"].startswith("Bearer")
        _problem(anonymous.get("/targets", headers={"Authorization": "Bearer wrong"}), 401)
        _problem(anonymous.get("/changes", headers={"Authorization": f"Basic {TOKEN}"}), 401)
        _problem(anonymous.get("/documents/not-an-id"), 401)  # nothing is told before auth
        spec = anonymous.get("/openapi.json").json()  # the schema is public, the data is not
        assert "HTTPBearer" in spec["components"]["securitySchemes"]
    with live_server.client(TOKEN) as client:
        assert client.get(f"/documents/{doc_id}").json()["doc_id"] == doc_id
        assert client.get("/tasks", params={"limit": 1}).status_code == 200


def test_without_token_no_auth_is_asked(server: Server) -> None:
    with server.client() as client:
        assert client.get("/tasks", params={"limit": 1}).status_code == 200
        assert "securitySchemes" not in client.get("/openapi.json").json().get("components", {})


# -- hostile input --------------------------------------------------------------------------------


def _raw_get(url: str, target: str) -> tuple[int, str]:
    """A request line sent as is (HTTP clients normalize `..` away before sending)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "target",
    [
        "/documents/..%2F..%2Fetc%2Fpasswd",
        "/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/documents/../../etc/passwd",
        "/documents/..%5C..%5Cmanifest",
        "/documents/..%2Fmanifest",
        "/documents/%2e%2e/text",
        "/documents/..%252F..%252Fetc%252Fpasswd",
        "/documents/%00",
        "/documents/0123456789ABCDEF",
        "/documents/0123456789abcdeg",
        "/documents/0123456789abcdef0",
        "/documents/{id}%2F..%2F..%2Fmanifest",
        "/documents/{id}%00",
        "/documents/manifest/text",
    ],
)
def test_path_traversal_is_not_found(server: Server, target: str) -> None:
    status, body = _raw_get(server.url, target.replace("{id}", server.docs[0].doc_id))
    assert status == 404, body
    assert json.loads(body)["status"] == 404
    assert "root:" not in body and "schema_version" not in body


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/documents", {"limit": 100_000}, 422, "limit"),
        ("/documents", {"limit": 0}, 422, "limit"),
        ("/targets", {"offset": -1}, 422, "offset"),
        ("/tasks", {"limit": "ten"}, 422, "limit"),
        ("/documents", {"issued_from": "2026-02-30"}, 422, "issued_from"),
        ("/documents", {"issued_to": "31/12/2026"}, 422, "issued_to"),
        ("/tasks", {"deadline_before": "yesterday"}, 422, "deadline_before"),
        ("/tasks", {"recurrence": "weekly"}, 422, "recurrence"),
        ("/changes", {"since": "2026-01-01T25:00"}, 422, "since"),
        ("/changes", {"cursor": "../../etc/passwd"}, 422, "cursor"),
        ("/targets", {"doc_id": "../../etc"}, 422, "doc_id"),
        ("/agencies", {"province": "x" * 5000}, 422, "province"),
        ("/targets", {"year": 99999999999999999999}, 422, "year"),
    ],
)
def test_bad_parameters_are_422_problems(
    server: Server, path: str, params: dict[str, Any], status: int, field: str
) -> None:
    with server.client() as client:
        body = _problem(client.get(path, params=params), status)
    assert [e["loc"] for e in body["errors"]] == [["query", field]]


def test_requests_the_api_cannot_answer_are_problems(server: Server) -> None:
    with server.client() as client:
        assert "provnce" in _problem(client.get("/documents", params={"provnce": "Lào Cai"}), 400)["detail"]
        _problem(client.post("/documents", json={}), 405)
        _problem(client.delete(f"/documents/{server.docs[0].doc_id}"), 405)
        _problem(client.get("/admin"), 404)
        _problem(client.get("/documents/0123456789abcdef"), 404)  # well-formed, not in the dataset


def test_openapi_schemas_are_the_contract_models(server: Server) -> None:
    spec = httpx.get(server.url + "/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert set(schemas["PlanDocument"]["properties"]) == set(PlanDocument.model_json_schema()["properties"])
    ok = spec["paths"]["/documents/{doc_id}"]["get"]["responses"]
    assert ok["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/PlanDocument")
    assert PROBLEM in ok["404"]["content"] and PROBLEM in ok["422"]["content"]
    for path in ("/documents", "/targets", "/budgets", "/tasks", "/agencies", "/changes", "/documents/{doc_id}/text"):
        assert path in spec["paths"]


def test_a_stored_file_that_breaks_the_contract_is_a_500_problem(live_server: Server) -> None:
    broken = "ffffffffffffffff"
    (live_server.root / "documents" / f"{broken}.json").write_text('{"doc_id": "ffffffffffffffff"}', "utf-8")
    with live_server.client(TOKEN) as client:
        body = _problem(client.get(f"/documents/{broken}"), 500)
    assert "contract" in body["detail"] and "Traceback" not in body["detail"]


def test_serve_refuses_what_it_cannot_serve(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not a dataset folder"):
        serve(tmp_path / "missing")
    with pytest.raises(InputFileError, match="token"):
        serve(tmp_path, token="  ")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        with pytest.raises(ServeError, match="cannot listen"):
            serve(tmp_path, port=taken.getsockname()[1])


def test_a_table_from_an_older_writer_is_read_with_nulls_for_new_columns(tmp_path: Path) -> None:
    docs = make_dataset(tmp_path, 2)
    path = tmp_path / "tables" / "targets.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["baseline", "indicator"]), path)
    rows, total = Tables(tmp_path).page("targets", Selection(), 1000, 0)
    assert total == sum(len(d.targets) for d in docs)
    assert [r["text"] for r in rows] == [t.text for d in docs for t in d.targets]
    assert {r["baseline"] for r in rows} == {None}


# -- schemathesis over /openapi.json --------------------------------------------------------------


def _conformance(server: Server, examples: int, headers: dict[str, str] | None = None) -> None:
    """Schemathesis generates requests from /openapi.json; every answer must match the document."""
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers)

        conforms()


def test_openapi_conformance(server: Server) -> None:
    _conformance(server, examples=20)


def test_openapi_conformance_with_token(live_server: Server) -> None:
    _conformance(live_server, examples=5, headers={"Authorization": f"Bearer {TOKEN}"})


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("wrk") is None, reason="the load test needs wrk (apt-get install -y wrk)")
def test_load_script_reports_its_figures(tmp_path: Path) -> None:
    report = tmp_path / "api_load.md"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "api_load.py"),
            "--n",
            "30",
            "--seconds",
            "1",
            "--dataset",
            str(tmp_path / "data"),
            "--out",
            str(report),
        ],
        check=False,
        capture_output=True,
        timeout=120,
    )
    rows = re.findall(
        r"^\| (document lookup|filtered targets) \| (\d+) \| (\d+) \| ([\d.]+) \| ([\d.]+) \| 0 \|$",
        report.read_text("utf-8"),
        re.M,
    )
    assert [r[0] for r in rows] == ["document lookup", "filtered targets"]
    assert all(int(r[1]) > 0 and float(r[3]) <= float(r[4]) for r in rows)  # requests made, p50 ≤ p99
