"""What vnplan's Prefect server skips at start, through `vnplan ingest`: the migration check of a
database this Prefect already migrated to head (pipeline.run.prefect_db), and beartype's checks in
py-key-value; the runs are recorded as before."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PLAN = """ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
Số: 31/KH-UBND
KẾ HOẠCH
Số hóa hồ sơ đất đai năm 2025
II. TỔ CHỨC THỰC HIỆN
1. Sở Tài nguyên và Môi trường chủ trì, hoàn thành trong Quý III/2025.
"""
SKIPPED = "no migration check"


def _ingest(tmp_path: Path, name: str) -> subprocess.CompletedProcess[str]:
    """One run with a temporary server of its own, on this test's Prefect database and temporary folder."""
    inbox = tmp_path / f"inbox-{name}"
    inbox.mkdir()
    (inbox / f"hagiang_{name}_2025.txt").write_text(PLAN, "utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect-home"),
        TMPDIR=str(tmp_path / "tmp"),
        VNPLAN_STATE_DIR=str(tmp_path / "state"),
        VNPLAN_PREFECT_IDLE_MINUTES="0",
        OMP_THREAD_LIMIT="1",
    )
    env.pop("PREFECT_API_DATABASE_MIGRATE_ON_START", None)
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )


def _database_revisions(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "prefect-home" / "prefect.db") as connection:
        return sorted(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))


def _flow_runs_into(tmp_path: Path) -> list[str]:
    """The states of the flow runs the database holds (every run here wrote into the same folder)."""
    with sqlite3.connect(tmp_path / "prefect-home" / "prefect.db") as connection:
        return [row[0] for row in connection.execute("SELECT state_type FROM flow_run ORDER BY created")]


def _server_log(tmp_path: Path) -> str:
    return "".join(p.read_text("utf-8", "replace") for p in (tmp_path / "tmp").glob("vnplan-prefect-server-*.log"))


def test_a_database_migrated_once_is_not_checked_again_until_its_revisions_differ(tmp_path: Path) -> None:
    # A new database: the server creates it (migrates it to head) and records the head it reached.
    first = _ingest(tmp_path, "first")
    assert first.returncode == 0, first.stderr
    head = _database_revisions(tmp_path)
    assert head
    (record_file,) = (tmp_path / "tmp").glob("vnplan-prefect-db-heads-*.json")
    record = json.loads(record_file.read_text("utf-8"))
    assert list(record.values()) == [head]
    assert SKIPPED not in _server_log(tmp_path)

    # The next server finds its database at that head: it starts without the check, and the run is recorded.
    second = _ingest(tmp_path, "second")
    assert second.returncode == 0, second.stderr
    assert _server_log(tmp_path).count(SKIPPED) == 1
    assert _flow_runs_into(tmp_path) == ["COMPLETED", "COMPLETED"]

    # Revisions that differ from the record (another Prefect's head, a database older or newer): the
    # server checks and migrates as Prefect does, and the record is what the migration reached.
    record_file.write_text(json.dumps({key: ["0000aaaa0000"] for key in record}), "utf-8")
    third = _ingest(tmp_path, "third")
    assert third.returncode == 0, third.stderr
    assert _server_log(tmp_path).count(SKIPPED) == 1
    assert list(json.loads(record_file.read_text("utf-8")).values()) == [head]
    assert _flow_runs_into(tmp_path) == ["COMPLETED"] * 3


def test_py_key_value_still_has_the_switch_that_turns_beartype_off() -> None:
    # pipeline.run.prefect_server starts its server with PY_KEY_VALUE_DISABLE_BEARTYPE=true (0.2 s of CPU
    # of every start): this fails when py-key-value no longer reads the variable.
    probe = "import key_value.aio as kv; print(kv.disable_beartype)"
    for value, expected in (("true", "True"), ("false", "False")):
        run = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=120,
            env=dict(os.environ, PY_KEY_VALUE_DISABLE_BEARTYPE=value),
        )
        assert run.stdout.strip() == expected, run.stderr
