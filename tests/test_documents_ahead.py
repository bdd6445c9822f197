"""A one-worker `vnplan ingest` of a few plans computes them in a process of its own while the command
loads Prefect (pipeline.run.documents_ahead). Through the command a user types: it records what
`vnplan extract` gives, a file changed after it was read ahead is read again, and no process of the
run outlives it, also when it is stopped with Ctrl-C."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import PLAN_PARAGRAPHS, ROOT, draw_plan_pdf, vnplan_extract, vnplan_run

pytestmark = pytest.mark.slow

PLAN = """ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
Số: 31/KH-UBND
Hà Giang, ngày 4 tháng 2 năm 2026
KẾ HOẠCH
{title}
I. MỤC TIÊU
Đến năm 2027, có ít nhất 12 xã hoàn thành các tiêu chí về {title_lower}.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường chủ trì, hướng dẫn các xã triển khai, hoàn thành trong Quý III/2026.
"""


def _plan(title: str) -> str:
    return PLAN.format(title=title, title_lower=title.lower())


def _ingest(inbox: Path, out: Path, ahead: str = "1") -> subprocess.Popen[str]:
    """`vnplan ingest INBOX --out OUT` (one worker), in a session of its own (Ctrl-C goes to the group).
    `ahead`: VNPLAN_DOCUMENTS_AHEAD (by default the path runs only when the machine has a core to
    spare, which a test machine running other tests may not)."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--out", str(out)],
        cwd=ROOT,
        env=dict(os.environ, OMP_THREAD_LIMIT="1", VNPLAN_DOCUMENTS_AHEAD=ahead),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _computing_process(run: subprocess.Popen[str], timeout: float = 120) -> psutil.Process:
    """The process the run spawned to compute its documents (not the Prefect server it may start)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and run.poll() is None:
        for child in psutil.Process(run.pid).children():
            try:
                if "multiprocessing.spawn" in " ".join(child.cmdline()):
                    return child
            except psutil.NoSuchProcess:
                continue
        time.sleep(0.01)
    raise AssertionError("the run never started a process computing its documents")


def _gone(process: psutil.Process, timeout: float = 10) -> bool:
    try:
        process.wait(timeout=timeout)
    except psutil.TimeoutExpired:
        return False
    return True


def _manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text("utf-8"))["documents"]


def _without_time(record: dict) -> dict:
    """The record apart from when it was made."""
    return dict(record, pipeline={k: v for k, v in record["pipeline"].items() if k != "processed_at"})


@pytest.fixture(scope="module", autouse=True)
def _server_up() -> None:
    """Later runs (the session's kept server up): the run's only children are its own workers."""
    vnplan_run("server", "start", "--no-ui")


def test_a_one_worker_run_of_two_plans_records_what_extract_gives_and_leaves_no_process(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "hagiang_nuoc_sach_2026.txt").write_text(_plan("Cấp nước sạch nông thôn năm 2026"), "utf-8")
    draw_plan_pdf(inbox / "hagiang_khcn_2026.pdf", [PLAN_PARAGRAPHS])
    out = tmp_path / "out"
    run = _ingest(inbox, out)
    worker = _computing_process(run)
    _, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    assert "2 documents: 2 ok, 0 failed" in stderr
    assert _gone(worker)

    entries = _manifest(out)
    assert sorted(Path(e["path"]).name for e in entries if e["status"] == "ok") == [
        "hagiang_khcn_2026.pdf",
        "hagiang_nuoc_sach_2026.txt",
    ]
    # every record written is the manifest's, and is what `vnplan extract` makes of the file
    assert sorted(p.stem for p in (out / "documents").glob("*.json")) == sorted(e["doc_id"] for e in entries)
    assert sorted(p.stem for p in (out / "text").glob("*.json")) == sorted(e["doc_id"] for e in entries)
    for entry in entries:
        record = json.loads((out / "documents" / f"{entry['doc_id']}.json").read_text("utf-8"))
        assert _without_time(record) == _without_time(vnplan_extract(Path(entry["path"])))
    changes = [json.loads(line) for line in (out / "changes.jsonl").read_text("utf-8").splitlines()]
    assert sorted(c["change"] for c in changes) == ["added", "added"]

    again = _ingest(inbox, out)  # nothing new: nothing computed ahead, nothing recorded twice
    _, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr
    assert len((out / "changes.jsonl").read_text("utf-8").splitlines()) == 2

    # the same batch computed in the command's own process (VNPLAN_DOCUMENTS_AHEAD=0): the same records
    here = _ingest(inbox, tmp_path / "here", ahead="0")
    with pytest.raises(AssertionError, match="never started"):
        _computing_process(here)
    _, stderr = here.communicate(timeout=600)
    assert here.returncode == 0, stderr
    assert [(e["doc_id"], e["sha256"], e["status"]) for e in _manifest(tmp_path / "here")] == [
        (e["doc_id"], e["sha256"], e["status"]) for e in entries
    ]
    for entry in entries:
        for folder in ("documents", "text"):
            kept = json.loads((out / folder / f"{entry['doc_id']}.json").read_text("utf-8"))
            made_here = json.loads((tmp_path / "here" / folder / f"{entry['doc_id']}.json").read_text("utf-8"))
            if folder == "documents":
                kept, made_here = _without_time(kept), _without_time(made_here)
            assert kept == made_here


def _idle(*processes: psutil.Process, timeout: float = 120) -> None:
    """Wait until each of `processes` has worked and then stays almost off the CPU (under a tenth of a
    core over half a second)."""
    deadline = time.monotonic() + timeout
    history: list[tuple[float, list[float]]] = []
    while time.monotonic() < deadline:
        now = time.monotonic()
        try:
            used = [sum(process.cpu_times()[:2]) for process in processes]
        except psutil.NoSuchProcess:
            return  # one ended: the run went on past what the caller waits for (it checks what happened)
        history = [(t, u) for t, u in history if now - t <= 0.5] + [(now, used)]
        then, before = history[0]
        if now - then >= 0.45 and all(u > 0.5 and u - b < 0.05 for u, b in zip(used, before, strict=True)):
            return
        time.sleep(0.05)
    raise AssertionError("the run never settled")


def test_a_file_changed_after_it_was_read_ahead_is_read_again(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    plan = inbox / "hagiang_duong_2026.txt"
    plan.write_text(_plan("Bê tông hóa đường giao thông nông thôn năm 2026"), "utf-8")
    out = tmp_path / "out"
    # A first run (a state folder of its own): its flow starts only once the server it starts answers,
    # seconds after the plan was computed ahead (the server's database is new: it is made first); the
    # user saves another version in between.
    state = tmp_path / "state"
    run = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--out", str(out)],
        cwd=ROOT,
        env=dict(
            os.environ,
            OMP_THREAD_LIMIT="1",
            VNPLAN_STATE_DIR=str(state),
            VNPLAN_DOCUMENTS_AHEAD="1",
            PREFECT_HOME=str(tmp_path / "prefect"),
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # the command waiting for its server (its documents handed out), the plan computed
        _idle(psutil.Process(run.pid), _computing_process(run))
        answered = (state / "prefect-server.json").exists()
        plan.write_text(_plan("Kiên cố hóa kênh mương nội đồng năm 2026"), "utf-8")
        _, stderr = run.communicate(timeout=600)
    finally:
        subprocess.run(
            [sys.executable, "-m", "pipeline", "server", "stop"], env=dict(os.environ, VNPLAN_STATE_DIR=str(state))
        )
    assert run.returncode == 0, stderr
    if answered:
        pytest.skip("the server answered before the plan was computed ahead: the flow may have read the first version")

    [entry] = _manifest(out)
    assert entry["sha256"] == hashlib.sha256(plan.read_bytes()).hexdigest()
    record = json.dumps(
        json.loads((out / "documents" / f"{entry['doc_id']}.json").read_text("utf-8")), ensure_ascii=False
    )
    assert "Kiên cố hóa kênh mương" in record
    assert "Bê tông hóa đường" not in record
    # nothing of the version computed ahead was written
    assert [p.stem for p in (out / "documents").glob("*.json")] == [entry["doc_id"]]


@pytest.mark.parametrize("after", [0.0, 0.3, 0.6, 0.9, 1.2, 1.5, 2.0])
def test_ctrl_c_stops_the_run_and_its_worker_and_writes_nothing(tmp_path: Path, after: float) -> None:
    # Ctrl-C as the process starts, while the command loads, and while its flow runs (where a
    # KeyboardInterrupt met pydantic's serializer and came out as a failed document or a traceback).
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    draw_plan_pdf(inbox / "hagiang_khcn_2026.pdf", [PLAN_PARAGRAPHS] * 6)
    out = tmp_path / "out"
    run = _ingest(inbox, out)
    worker = _computing_process(run)
    time.sleep(after)
    if run.poll() is not None:
        pytest.skip(f"the run ended within {after} s of starting its process: nothing left to interrupt")
    sent = time.time()
    os.killpg(run.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole foreground group
    _, stderr = run.communicate(timeout=120)
    assert run.returncode != 0, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    if (out / "manifest.json").exists() and (out / "manifest.json").stat().st_mtime < sent:
        pytest.skip(f"the run had committed its batch within {after} s (it was exiting): nothing left to stop")
    assert _gone(worker)
    assert not (out / "manifest.json").exists() or _manifest(out) == []
    assert not list(out.rglob("documents/*.json"))


def _children_seen(run: subprocess.Popen[str]) -> tuple[list[psutil.Process], str]:
    """Every process the run started while it ran, and its error output."""
    seen: dict[int, psutil.Process] = {}
    while run.poll() is None:
        try:
            for child in psutil.Process(run.pid).children(recursive=True):
                seen.setdefault(child.pid, child)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.01)
    _, stderr = run.communicate(timeout=600)
    return list(seen.values()), stderr


@pytest.mark.parametrize("batch", ["no documents", "three plans"])
def test_a_run_that_does_not_compute_ahead_stops_the_process_started_for_it(tmp_path: Path, batch: str) -> None:
    # `vnplan ingest` starts the process first thing, before it knows its batch: a run stopped by its
    # input, and a batch too big to go ahead (three new plans), stop it again.
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    if batch == "three plans":
        for title in ("Cấp nước sạch nông thôn", "Chợ nông thôn", "Nhà văn hóa thôn"):
            (inbox / f"{title.split()[0].lower()}_{len(title)}.txt").write_text(_plan(f"{title} năm 2026"), "utf-8")
    run = _ingest(inbox, tmp_path / "out")
    children, stderr = _children_seen(run)
    if batch == "no documents":
        assert run.returncode != 0 and len(stderr.strip().splitlines()) == 1, stderr  # one line, no traceback
    else:
        assert run.returncode == 0, stderr
        assert "3 documents: 3 ok, 0 failed" in stderr
    assert children, "the run started no process"
    assert all(_gone(child) for child in children)
