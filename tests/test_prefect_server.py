"""The Prefect server vnplan keeps between runs, through the commands a user types: `vnplan ingest`
starts it when none runs and the next run reuses it; `vnplan server start|stop|status`; it stops by
itself after its idle time; stale records and runs starting at once are handled."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from pipeline.run.document_workers import ocr_processes_per_worker
from tests.conftest import headless_chromium

pytestmark = pytest.mark.slow

PLAN = """ỦY BAN NHÂN DÂN TỈNH YÊN BÁI
Số: 12/KH-UBND
KẾ HOẠCH
Phát triển thư viện số năm 2025
II. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch chủ trì số hóa tài liệu, hoàn thành trong Quý II/2025.
"""


@pytest.fixture()
def state(tmp_path: Path) -> Iterator[Path]:
    """A state folder of this test's own, its server stopped at the end whatever happened."""
    folder = tmp_path / "state"
    yield folder
    _vnplan(folder, "server", "stop")
    for process in _keepers(folder):
        process.kill()


def _env(folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update({"VNPLAN_STATE_DIR": str(folder), "OMP_THREAD_LIMIT": "1", "VNPLAN_PREFECT_IDLE_MINUTES": "15"})
    env.update(extra)
    return env


def _vnplan(folder: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=_env(folder, **extra),
    )


def _keepers(folder: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "pipeline.run.prefect_server" in cmdline and str(folder) in cmdline:
            found.append(process)
    return found


def _record(folder: Path) -> dict:
    return json.loads((folder / "prefect-server.json").read_text("utf-8"))


def _inbox(tmp_path: Path, name: str = "inbox") -> Path:
    inbox = tmp_path / name
    inbox.mkdir(exist_ok=True)
    (inbox / "yenbai_thuvien_2025.txt").write_text(PLAN, "utf-8")
    return inbox


def test_ingest_keeps_its_server_for_the_next_run_and_server_stop_ends_it(state: Path, tmp_path: Path) -> None:
    status = _vnplan(state, "server", "status")
    assert status.returncode == 1 and "no Prefect server running" in status.stdout

    first = _vnplan(state, "ingest", str(_inbox(tmp_path)), "--out", str(tmp_path / "out1"))
    assert first.returncode == 0, first.stderr
    kept = _record(state)
    assert psutil.pid_exists(kept["pid"])
    status = _vnplan(state, "server", "status")
    assert status.returncode == 0 and f"127.0.0.1:{kept['port']}/api" in status.stdout

    second = _vnplan(state, "ingest", str(_inbox(tmp_path)), "--out", str(tmp_path / "out2"))
    assert second.returncode == 0, second.stderr
    assert _record(state) == kept  # the same server answered the second run
    assert len(_keepers(state)) == 1
    assert (tmp_path / "out2" / "manifest.json").exists()

    stop = _vnplan(state, "server", "stop")
    assert stop.returncode == 0 and f"127.0.0.1:{kept['port']}" in stop.stdout
    assert not psutil.pid_exists(kept["pid"]) or psutil.Process(kept["pid"]).status() == psutil.STATUS_ZOMBIE
    assert not (state / "prefect-server.json").exists()
    assert _vnplan(state, "server", "status").returncode == 1


def test_a_kept_server_stops_by_itself_after_its_idle_time(state: Path, tmp_path: Path) -> None:
    run = _vnplan(
        state, "ingest", str(_inbox(tmp_path)), "--out", str(tmp_path / "out"), VNPLAN_PREFECT_IDLE_MINUTES="0.05"
    )  # 3 s
    assert run.returncode == 0, run.stderr
    pid = _record(state)["pid"]
    deadline = time.monotonic() + 60
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not psutil.pid_exists(pid), "the keeper is still running a minute after its 3 s idle time"
    assert not (state / "prefect-server.json").exists()


def test_a_stale_record_is_replaced_and_runs_starting_at_once_share_one_server(state: Path, tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    state.mkdir(parents=True)
    (state / "prefect-server.json").write_text(
        json.dumps({"pid": dead.pid, "port": 9, "idle_seconds": 60, "started": time.time()}), "utf-8"
    )

    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pipeline",
                "ingest",
                str(_inbox(tmp_path, f"in{i}")),
                "--out",
                str(tmp_path / f"out{i}"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(state),
        )
        for i in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    kept = _record(state)
    assert kept["pid"] != dead.pid and psutil.pid_exists(kept["pid"])
    assert len(_keepers(state)) == 1
    for i in range(2):
        assert (tmp_path / f"out{i}" / "tables" / "documents.parquet").exists()


def test_idle_time_zero_gives_a_temporary_server_that_ends_with_the_run(state: Path, tmp_path: Path) -> None:
    run = _vnplan(
        state, "ingest", str(_inbox(tmp_path)), "--out", str(tmp_path / "out"), VNPLAN_PREFECT_IDLE_MINUTES="0"
    )
    assert run.returncode == 0, run.stderr
    assert not (state / "prefect-server.json").exists()
    assert not _keepers(state)
    # The server recorded the run's task run before it stopped, though it writes them in batches
    # (the document's last state came a moment before the server was told to stop).
    assert _vnplan(state, "server", "start").returncode == 0
    url = f"http://127.0.0.1:{_record(state)['port']}/api"
    flow_runs = _flow_runs_into(url, tmp_path / "out")
    assert [r["state_type"] for r in flow_runs] == ["COMPLETED"]
    tasks = _task_runs(url, flow_runs[0]["id"])
    assert [(Path(t["name"]).name, t["state_type"]) for t in tasks] == [("yenbai_thuvien_2025.txt", "COMPLETED")]


def _api(url: str, path: str, body: dict) -> list[dict]:
    request = urllib.request.Request(
        f"{url}/{path}", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _flow_runs_into(url: str, out: Path) -> list[dict]:
    """The flow runs of runs into `out`: Prefect keeps every server's runs in one database (PREFECT_HOME)."""
    recent = _api(url, "flow_runs/filter", {"sort": "EXPECTED_START_TIME_DESC", "limit": 200})
    return [r for r in recent if r["parameters"].get("out") == str(out)]


def _task_runs(url: str, flow_run_id: str) -> list[dict]:
    return _api(url, "task_runs/filter", {"flow_runs": {"id": {"any_": [flow_run_id]}}})


def _completed_task_names(url: str, flow_run_id: str, count: int) -> list[str]:
    """The file names of the flow run's Completed task runs, once there are `count` (or after 60 s):
    task runs reach the server as events, recorded a moment later."""
    deadline = time.monotonic() + 60
    while True:
        done = sorted(Path(t["name"]).name for t in _task_runs(url, flow_run_id) if t["state_type"] == "COMPLETED")
        if len(done) == count or time.monotonic() > deadline:
            return done
        time.sleep(0.5)


def _changes(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "changes.jsonl").read_text("utf-8").splitlines()]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_kept_server_shows_the_runs_flow_run_and_its_task_runs(state: Path, tmp_path: Path, workers: str) -> None:
    # With workers, the first documents go to them before the flow run opens: each still has its task run.
    inbox = _inbox(tmp_path)
    (inbox / "thaibinh_nongthon_2026.txt").write_text(PLAN.replace("thư viện số", "nông thôn mới"), "utf-8")
    run = _vnplan(state, "ingest", str(inbox), "--out", str(tmp_path / "out"), "--workers", workers)
    assert run.returncode == 0, run.stderr
    changes = _changes(tmp_path / "out")
    assert sorted((Path(c["path"]).name, c["change"]) for c in changes) == [
        ("thaibinh_nongthon_2026.txt", "added"),
        ("yenbai_thuvien_2025.txt", "added"),
    ]
    url = f"http://127.0.0.1:{_record(state)['port']}/api"
    flow_runs = _flow_runs_into(url, tmp_path / "out")
    assert [(r["flow_id"] is not None, r["state_type"]) for r in flow_runs] == [(True, "COMPLETED")]
    # the run's parameters as the UI shows them, JSON as they were given
    assert flow_runs[0]["parameters"] == {
        "paths": [str(inbox)],
        "out": str(tmp_path / "out"),
        "ocr_workers": ocr_processes_per_worker(int(workers)),  # the cores shared out among the workers
        "workers": int(workers),
        "dask_address": None,
    }
    done = _completed_task_names(url, flow_runs[0]["id"], 2)
    assert done == ["thaibinh_nongthon_2026.txt", "yenbai_thuvien_2025.txt"]


def test_a_run_stopped_by_its_input_leaves_no_server_behind(state: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    run = _vnplan(state, "ingest", str(empty), "--out", str(tmp_path / "out"))
    assert run.returncode != 0 and "no documents found" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1  # one line, no traceback
    assert _vnplan(state, "server", "status").returncode == 1
    assert not _keepers(state)


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
def test_server_start_serves_prefects_ui_showing_the_runs_flow_run(state: Path, tmp_path: Path) -> None:
    # The UI is the default of `vnplan server start`; Prefect mounts it only on a server that is not
    # ephemeral, and its pages call the API at the address the server gives them (ui-settings).
    started = _vnplan(state, "server", "start")
    assert started.returncode == 0, started.stderr
    base = f"http://127.0.0.1:{_record(state)['port']}"
    with urllib.request.urlopen(f"{base}/ui-settings", timeout=10) as response:
        assert json.loads(response.read())["api_url"] == f"{base}/api"
    run = _vnplan(state, "ingest", str(_inbox(tmp_path)), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    (flow_run,) = _flow_runs_into(f"{base}/api", tmp_path / "out")
    # The flow run's page, as a browser renders it (the UI is a script that reads the API).
    dom = headless_chromium(
        tmp_path, "--virtual-time-budget=20000", "--dump-dom", f"{base}/runs/flow-run/{flow_run['id']}"
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", dom, flags=re.S)))
    assert f"Flow Run: {flow_run['name']}" in text
    assert "vnplan-ingest" in text and "Completed" in text


def test_a_run_in_a_terminal_prints_no_usage_notice_and_queues_no_usage_events(state: Path, tmp_path: Path) -> None:
    """Prefect's client, imported by a command whose output is a terminal, printed a notice that it
    collects anonymous usage data into the run's output and queued usage events for the network.
    vnplan is offline and its output is its own. A new user's Prefect home: the notice shows once per home."""
    import pty

    from prefect._internal.analytics.ci_detection import CI_ENV_VARS  # Prefect stays quiet in CI: not here

    home = tmp_path / "prefect-home"
    env = _env(state, PREFECT_HOME=str(home))
    for name in ("DO_NOT_TRACK", *CI_ENV_VARS):
        env.pop(name, None)
    terminal, command_side = pty.openpty()
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "ingest", str(_inbox(tmp_path)), "--out", str(tmp_path / "out")],
        stdin=subprocess.DEVNULL,
        stdout=command_side,
        stderr=command_side,
        env=env,
    )
    os.close(command_side)
    chunks = []
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # EIO: every writer of the terminal is gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(terminal)
    assert run.wait(timeout=300) == 0
    output = b"".join(chunks).decode("utf-8", "replace")
    assert "1 documents: 1 ok" in output, output[-2000:]
    assert "usage data" not in output and "telemetry" not in output.lower(), output[-2000:]
    telemetry = home / ".sdk_telemetry"
    assert not (telemetry / "notice_shown").exists()


def test_a_first_run_with_workers_records_each_document_once_with_its_task_run(state: Path, tmp_path: Path) -> None:
    """While a first run's Prefect server boots, its workers compute the batch's documents ahead of their
    task runs (more than they hold at once), until the flow's task runs ask for theirs: each document is
    then computed and recorded once, and has its task run, whether it went ahead or not."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    names = [f"plan_{n:02d}.txt" for n in range(12)]
    for n, name in enumerate(names):
        (inbox / name).write_text(PLAN.replace("Số: 12/KH-UBND", f"Số: {n + 1}/KH-UBND"), "utf-8")
    run = _vnplan(state, "ingest", str(inbox), "--out", str(tmp_path / "out"), "--workers", "2")
    assert run.returncode == 0, run.stderr
    changes = _changes(tmp_path / "out")
    assert sorted((Path(c["path"]).name, c["change"]) for c in changes) == [(name, "added") for name in names]
    assert len(list((tmp_path / "out" / "documents").glob("*.json"))) == len(names)
    url = f"http://127.0.0.1:{_record(state)['port']}/api"
    flow_runs = _flow_runs_into(url, tmp_path / "out")
    assert [r["state_type"] for r in flow_runs] == ["COMPLETED"]
    assert _completed_task_names(url, flow_runs[0]["id"], len(names)) == names
