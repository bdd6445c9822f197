"""The Prefect ingest flow end to end: real files, real Prefect server, real Parquet, real Dask."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from pipeline.run import prefect_env
from tests.conftest import PLAN_PARAGRAPHS, TABLE_ROWS, draw_plan_pdf

pytestmark = pytest.mark.slow

PLAN_TXT = """ỦY BAN NHÂN DÂN TỈNH YÊN BÁI
Số: 17/KH-UBND
Yên Bái, ngày 15 tháng 3 năm 2025
KẾ HOẠCH
Ứng dụng khoa học và công nghệ trong nông nghiệp năm 2025
Căn cứ Quyết định số 569/QĐ-TTg ngày 11/5/2022 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh ban hành
Kế hoạch như sau:
I. MỤC TIÊU
Đến năm 2025, có ít nhất 05 doanh nghiệp ứng dụng công nghệ cao trong sản xuất nông nghiệp.
"""


@pytest.fixture(scope="module")
def prefect_api() -> Iterator[str | None]:
    """One temporary Prefect server for the module; CLI subprocesses inherit PREFECT_API_URL."""
    with prefect_env.shared_api() as url:
        yield url


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    (folder / "yenbai_2025.txt").write_text(PLAN_TXT, "utf-8")
    (folder / "other_2025.txt").write_text(PLAN_TXT.replace("17/KH-UBND", "18/KH-UBND"), "utf-8")
    draw_plan_pdf(folder / "born_digital.pdf", [[*PLAN_PARAGRAPHS[:6], TABLE_ROWS]])
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "random.pdf").write_bytes(os.urandom(4096))
    (folder / "letter.docx").write_bytes(b"PK\x03\x04" + os.urandom(200))
    (folder / "notes.csv").write_text("not,a,document", "utf-8")  # a kind that is not read
    hidden = folder / "gold"
    hidden.mkdir()
    (hidden / ".vnplanignore").write_text("", "utf-8")
    (hidden / "reference.txt").write_text(PLAN_TXT, "utf-8")
    return folder


def _vnplan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=600)


def _snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".vnplan.lock"
    }


def test_ingest_writes_the_dataset_and_a_second_run_changes_nothing(
    prefect_api: str | None, inbox: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run = _vnplan("ingest", str(inbox), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr

    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["documents"]
    by_name = {Path(e["path"]).name: e for e in manifest}
    assert set(by_name) == {
        "yenbai_2025.txt",
        "other_2025.txt",
        "born_digital.pdf",
        "empty.pdf",
        "random.pdf",
        "letter.docx",
    }
    assert {n for n, e in by_name.items() if e["status"] == "ok"} == {
        "yenbai_2025.txt",
        "other_2025.txt",
        "born_digital.pdf",
    }
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert sorted(Path(e["path"]).name for e in errors) == ["empty.pdf", "letter.docx", "random.pdf"]
    for error in errors:
        assert error["stage"] and error["error"] and error["message"] and "\n" not in error["message"]

    docs = pd.read_parquet(out / "tables" / "documents.parquet")
    assert len(docs) == 3 and docs["doc_id"].is_unique
    row = docs.set_index("path").loc[str(inbox / "yenbai_2025.txt")]
    assert row["text_origin"] == "plain"
    for entry in manifest:
        if entry["status"] == "ok":
            doc = json.loads((out / "documents" / f"{entry['doc_id']}.json").read_text("utf-8"))
            assert doc["doc_id"] == entry["doc_id"] == entry["sha256"][:16]
            text = json.loads((out / "text" / f"{entry['doc_id']}.json").read_text("utf-8"))
            assert len(text["pages"]) == doc["source"]["pages"]

    before = _snapshot(out)
    again = _vnplan("ingest", str(inbox), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert _snapshot(out) == before


def test_the_tables_read_back_alike_from_parquet_and_csv(prefect_api: str | None, inbox: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from pipeline.dataset.writer import TABLE_SCHEMAS

    out = tmp_path / "out"
    run = _vnplan("ingest", str(inbox / "yenbai_2025.txt"), str(inbox / "born_digital.pdf"), "--out", str(out))
    assert run.returncode == 0, run.stderr
    filled = set()
    for name, schema in TABLE_SCHEMAS.items():
        parquet = pq.read_table(out / "tables" / f"{name}.parquet")
        assert parquet.schema.remove_metadata() == schema, name  # the contract's columns and types
        assert len(pd.read_parquet(out / "tables" / f"{name}.parquet")) == parquet.num_rows
        csv = pd.read_csv(out / "tables" / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(csv.columns) == schema.names and len(csv) == parquet.num_rows, name
        for parquet_row, csv_row in zip(parquet.to_pylist(), csv.to_dict("records"), strict=True):
            for column in schema.names:
                value, cell = parquet_row[column], csv_row[column]
                if value is None:
                    assert cell == "", (name, column, cell)
                elif isinstance(value, list):
                    assert cell == "; ".join(value), (name, column)
                elif isinstance(value, bool) or not isinstance(value, int | float):
                    assert cell == str(value), (name, column)
                elif isinstance(value, int):
                    assert cell == str(value), (name, column, cell)  # a year is 2030, also beside a gap
                else:
                    assert float(cell) == value, (name, column, cell)
        if parquet.num_rows:
            filled.add(name)
    assert {"documents", "tasks", "agencies"} <= filled  # rows were compared, not only headers


def test_a_year_column_with_an_empty_cell_reads_as_years_in_csv(prefect_api: str | None, tmp_path: Path) -> None:
    # One target names its year, the other none: spreadsheet users must see 2027, not 2027.0.
    plan = tmp_path / "plan.txt"
    plan.write_text(
        "ỦY BAN NHÂN DÂN\nTỈNH BÌNH NGUYÊN\nSố: 33/KH-UBND\nKẾ HOẠCH\nChuyển đổi số trong hợp tác xã\n"
        "I. MỤC TIÊU\n1. Đến năm 2027, 60% hợp tác xã sử dụng hóa đơn điện tử.\n"
        "2. Có ít nhất 40 hợp tác xã bán hàng trực tuyến.\n"
        "II. TỔ CHỨC THỰC HIỆN\n1. Sở Công Thương chủ trì, hướng dẫn hợp tác xã.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run = _vnplan("ingest", str(plan), "--out", str(out))
    assert run.returncode == 0, run.stderr
    targets = pd.read_csv(out / "tables" / "targets.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert sorted(targets["year"]) == ["", "2027"]


def test_ingest_on_a_dask_cluster(prefect_api: str | None, inbox: Path, tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    from pipeline import ingest as run_ingest

    out = tmp_path / "dask-out"
    # The workers only run the pipeline: Prefect stays with the flow, so a Prefect API they cannot
    # reach changes nothing.
    nowhere = {"PREFECT_API_URL": "http://127.0.0.1:9/api"}
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, env=nowhere
    ) as cluster:
        summary = run_ingest(
            [inbox / "yenbai_2025.txt", inbox / "other_2025.txt", inbox / "random.pdf"],
            out,
            dask_address=cluster.scheduler_address,
        )
    assert summary == {"documents": 3, "ok": 2, "failed": 1, "not_a_plan": 0}
    assert len(pd.read_parquet(out / "tables" / "documents.parquet")) == 2


def test_an_unreachable_dask_scheduler_is_one_line_and_writes_nothing(inbox: Path, tmp_path: Path) -> None:
    env = dict(os.environ, DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT="1s")
    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "ingest",
            str(inbox / "yenbai_2025.txt"),
            "--out",
            str(out),
            "--dask-address",
            "tcp://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert run.returncode == 15
    assert run.stderr.strip().count("\n") == 0 and "Traceback" not in run.stderr
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in run.stderr
    assert not out.exists()


def test_ingest_reports_a_missing_path_in_one_line(tmp_path: Path) -> None:
    run = _vnplan("ingest", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert run.returncode != 0
    assert run.stderr.strip().count("\n") == 0 and "nowhere" in run.stderr


def test_a_prefect_server_that_does_not_start_is_one_line_and_writes_nothing(inbox: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}  # the CLI starts its own server
    env["VNPLAN_STATE_DIR"] = str(tmp_path / "state")  # none running there yet
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "1"
    out = tmp_path / "out"
    # A database that never answers keeps the server from starting, however fast it boots otherwise:
    # a loopback socket that accepts connections and says nothing.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = f"postgresql+asyncpg://vnplan:x@127.0.0.1:{port}/prefect"
        run = subprocess.run(
            [sys.executable, "-m", "pipeline", "ingest", str(inbox / "yenbai_2025.txt"), "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )
    assert run.returncode == 15
    assert run.stderr.strip().count("\n") == 0 and "Traceback" not in run.stderr
    assert "Prefect server did not answer within 1 s" in run.stderr
    assert not out.exists() or not any(out.rglob("*.json"))


def _age_record(out: Path, doc_id: str, **metadata: str | None) -> None:
    """Make a stored record look as if an older pipeline had written it (and extracted otherwise)."""
    path = out / "documents" / f"{doc_id}.json"
    doc = json.loads(path.read_text("utf-8"))
    doc["pipeline"]["version"] = "0.0.1"
    doc["pipeline"]["fingerprint"] = "0.0.1+000000000000"
    doc["metadata"].update(metadata)
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def test_reprocess_reruns_exactly_the_stale_documents(prefect_api: str | None, inbox: Path, tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("yenbai_2025.txt", "other_2025.txt"):
        (sources / name).write_bytes((inbox / name).read_bytes())
    (sources / "gone.txt").write_text(PLAN_TXT.replace("17/KH-UBND", "99/KH-UBND"), "utf-8")
    out = tmp_path / "out"
    assert _vnplan("ingest", str(sources), "--out", str(out)).returncode == 0
    manifest = {Path(e["path"]).name: e for e in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}
    stale, fresh, gone = (manifest[n]["doc_id"] for n in ("yenbai_2025.txt", "other_2025.txt", "gone.txt"))
    current = json.loads((out / "documents" / f"{fresh}.json").read_text("utf-8"))["pipeline"]
    _age_record(out, stale, title="Tiêu đề cũ")
    _age_record(out, gone)
    (sources / "gone.txt").unlink()
    fresh_before = (out / "documents" / f"{fresh}.json").read_bytes()

    run = _vnplan("reprocess", "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "2 documents: 1 ok, 1 failed" in run.stderr

    assert (out / "documents" / f"{fresh}.json").read_bytes() == fresh_before  # untouched
    redone = json.loads((out / "documents" / f"{stale}.json").read_text("utf-8"))
    assert redone["pipeline"]["fingerprint"] == current["fingerprint"]
    assert redone["metadata"]["title"] != "Tiêu đề cũ"
    old = json.loads((out / "history" / stale / "0.0.1+000000000000.json").read_text("utf-8"))
    assert old["metadata"]["title"] == "Tiêu đề cũ"
    changes = [json.loads(line) for line in (out / "changes.jsonl").read_text("utf-8").splitlines()]
    reprocessed = [c for c in changes if c["change"] == "reprocessed"]
    assert [c["doc_id"] for c in reprocessed] == [stale]
    assert reprocessed[0]["fields"]["metadata"]["title"]["old"] == "Tiêu đề cũ"
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert [(Path(e["path"]).name, e["error"]) for e in errors] == [("gone.txt", "SourceMissing")]
    assert (out / "documents" / f"{gone}.json").exists()  # the stored record is kept

    (sources / "gone.txt").write_text(PLAN_TXT.replace("17/KH-UBND", "99/KH-UBND"), "utf-8")
    assert _vnplan("reprocess", "--out", str(out)).returncode == 0  # the source is back: it runs
    before = _snapshot(out)
    again = _vnplan("reprocess", "--out", str(out))
    assert again.returncode == 0 and "0 documents" in again.stderr
    assert _snapshot(out) == before


def _records(out: Path) -> dict[str, dict]:
    """The stored records, without the time they were made."""
    records = {}
    for path in (out / "documents").glob("*.json"):
        doc = json.loads(path.read_text("utf-8"))
        doc["pipeline"].pop("processed_at")
        records[path.stem] = doc
    return records


def test_two_worker_processes_write_what_one_writes_and_reprocess_with_them(
    prefect_api: str | None, inbox: Path, tmp_path: Path
) -> None:
    from pipeline import ingest as run_ingest
    from pipeline import reprocess as run_reprocess

    one, two = tmp_path / "one", tmp_path / "two"
    assert (
        run_ingest([inbox], one, workers=1)
        == run_ingest([inbox], two, workers=2)
        == {"documents": 6, "ok": 3, "failed": 3, "not_a_plan": 0}
    )
    assert _records(two) == _records(one)
    assert (two / "errors.jsonl").read_text("utf-8") == (one / "errors.jsonl").read_text("utf-8")

    manifest = {Path(e["path"]).name: e for e in json.loads((two / "manifest.json").read_text("utf-8"))["documents"]}
    stale = manifest["born_digital.pdf"]["doc_id"]
    _age_record(two, stale, title="Tiêu đề cũ")
    assert run_reprocess(two, workers=2) == {"documents": 1, "ok": 1, "failed": 0, "not_a_plan": 0}
    assert _records(two) == _records(one)
    assert (
        json.loads((two / "history" / stale / "0.0.1+000000000000.json").read_text("utf-8"))["metadata"]["title"]
        == "Tiêu đề cũ"
    )
    changes = [json.loads(line) for line in (two / "changes.jsonl").read_text("utf-8").splitlines()]
    assert [c["doc_id"] for c in changes if c["change"] == "reprocessed"] == [stale]


def test_a_folder_skipped_in_walks_is_read_when_named_itself(
    prefect_api: str | None, inbox: Path, tmp_path: Path
) -> None:
    # `.vnplanignore` keeps a folder out of a walk from above (gold beside the documents); naming it is asking for it
    out = tmp_path / "out"
    run = _vnplan("ingest", str(inbox / "gold"), "--out", str(out))
    assert run.returncode == 0, run.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [Path(d["path"]).name for d in manifest["documents"]] == ["reference.txt"]
