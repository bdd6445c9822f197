"""`vnplan ingest|reprocess --dask-address` as users run them: a `dask scheduler` and `dask worker`
processes (nannies, two worker processes each) started as separate programs on loopback, then the
`vnplan` command itself, reporting to a Prefect server the user keeps (`prefect server start`) or
to its own temporary one; and what goes wrong on a cluster: a worker killed mid-document (once,
every time), the scheduler gone mid-run, workers that cannot see the shared folder."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import psutil
import pytest
from PIL import Image

from bench.dask_programs import LOOPBACK, START_TIMEOUT_S, Cluster, Program, program, user_env
from tests.conftest import PLAN_PARAGRAPHS, TABLE_ROWS, draw_plan_pdf
from tests.test_flows import PLAN_TXT

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Site:
    """What the user keeps running: the Dask cluster and a Prefect server."""

    cluster: Cluster
    prefect_api: str


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`prefect server start` on a loopback port (its own home and database), booting while the
    cluster starts."""
    home = tmp_path_factory.mktemp("prefect-home")
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port = int(sock.getsockname()[1])
    server = Program(
        [program("prefect"), "server", "start", "--host", LOOPBACK, "--port", str(port)],
        home / "server.log",
        user_env(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false"),
    )
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    url = f"http://{LOOPBACK}:{port}/api"
    try:
        cluster.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(f"{url}/health"):
            assert server.process.poll() is None and time.monotonic() < deadline, server.output()[-3000:]
            time.sleep(0.3)
        yield Site(cluster, url)
    finally:
        cluster.stop()
        server.stop()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False


def _vnplan(*args: str, prefect_api: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The `vnplan` command; with `prefect_api`, reporting to that server (`PREFECT_API_URL`)."""
    env = user_env(PREFECT_API_URL=prefect_api) if prefect_api else user_env()
    return subprocess.run([program("vnplan"), *args], capture_output=True, text=True, timeout=timeout, env=env)


def _manifest(out: Path) -> dict[str, dict]:
    return {Path(e["path"]).name: e for e in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}


def _assert_whole(out: Path, names: list[str]) -> None:
    """Every document ok, one whole record each, nothing half-written."""
    manifest = _manifest(out)
    assert sorted(manifest) == sorted(names)
    assert all(e["status"] == "ok" for e in manifest.values()), manifest
    assert (out / "errors.jsonl").read_text("utf-8") == ""
    assert sorted(p.stem for p in (out / "documents").glob("*.json")) == sorted(e["doc_id"] for e in manifest.values())
    for path in (out / "documents").glob("*.json"):
        json.loads(path.read_text("utf-8"))
    assert not list(out.rglob("*.tmp"))
    assert len(pd.read_parquet(out / "tables" / "documents.parquet")) == len(names)


def _summary(stderr: str) -> tuple[int, int, int, Path]:
    """(documents, ok, failed, output folder) from the run's summary line (pages of scans alone,
    with no plan header, may be counted apart as not a plan)."""
    found = re.search(r"^(\d+) documents: (\d+) ok(?: \(\d+ not a plan\))?, (\d+) failed → (.+)$", stderr, re.M)
    assert found, stderr
    return int(found[1]), int(found[2]), int(found[3]), Path(found[4])


def _plans(folder: Path) -> list[str]:
    """Three distinct plans: two texts and a born-digital PDF with a table."""
    folder.mkdir(parents=True)
    for i in range(2):
        (folder / f"plan_{i}.txt").write_text(PLAN_TXT.replace("17/KH", f"{30 + i}/KH"), "utf-8")
    draw_plan_pdf(folder / "born_digital.pdf", [[*PLAN_PARAGRAPHS[:6], TABLE_ROWS]])
    return sorted(p.name for p in folder.iterdir())


def _scans(folder: Path, scan_page: Image.Image, count: int = 3) -> list[str]:
    """`count` distinct scans (one pixel differs), each seconds of OCR, and two texts."""
    folder.mkdir(parents=True)
    for i in range(count):
        page = scan_page.copy()
        page.putpixel((i, 0), 128)
        page.save(folder / f"scan_{i}.png")
    for i in range(2):
        (folder / f"plan_{i}.txt").write_text(PLAN_TXT.replace("17/KH", f"{40 + i}/KH"), "utf-8")
    return sorted(p.name for p in folder.iterdir())


def _ocring_worker(cluster: Cluster) -> psutil.Process | None:
    """A worker process of the cluster that is OCR-ing a page right now (a tesseract under it)."""
    for worker in cluster.worker_processes():
        try:
            if any(p.name().startswith("tesseract") for p in worker.children(recursive=True)):
                return worker
        except psutil.NoSuchProcess:
            continue
    return None


def _wait_for_ocr(cluster: Cluster, run: subprocess.Popen[str], timeout: float = 240) -> psutil.Process:
    deadline = time.monotonic() + timeout
    while run.poll() is None and time.monotonic() < deadline:
        worker = _ocring_worker(cluster)
        if worker is not None:
            return worker
        time.sleep(0.05)
    run.kill()
    raise AssertionError(f"no worker was ever caught OCR-ing: {run.communicate()[1][-3000:]}")


def _api(url: str, path: str, body: dict) -> list[dict]:
    request = urllib.request.Request(
        f"{url}{path}", data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def _flow_runs(url: str, flow: str, out: Path) -> list[dict]:
    """The runs of the flow `flow` into the dataset folder `out` that the Prefect server at `url` has."""
    runs = _api(url, "/flow_runs/filter", {"flows": {"name": {"any_": [flow]}}})
    return [run for run in runs if run["parameters"].get("out") == str(out)]


def test_the_readme_recipe_with_a_kept_prefect_server(site: Site, tmp_path: Path) -> None:
    cluster, kept_prefect = site.cluster, site.prefect_api
    inbox, out = tmp_path / "inbox", tmp_path / "dataset"
    names = _plans(inbox)
    (inbox / "random.pdf").write_bytes(os.urandom(2048))

    run = _vnplan("ingest", str(inbox), "--out", str(out), "--dask-address", cluster.address, prefect_api=kept_prefect)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines()[-2:] == [
        f"4 documents: 3 ok, 1 failed → {out}",
        f"see {out / 'errors.jsonl'}",
    ]
    manifest = _manifest(out)
    assert {n for n, e in manifest.items() if e["status"] == "ok"} == set(names)
    assert manifest["random.pdf"]["error"] == "CorruptFileError"
    for name in names:
        doc = json.loads((out / "documents" / f"{manifest[name]['doc_id']}.json").read_text("utf-8"))
        assert doc["doc_id"] == manifest[name]["doc_id"] and doc["metadata"]["title"]
    assert len(pd.read_parquet(out / "tables" / "documents.parquet")) == 3

    # The run is in the user's Prefect server, with one task run per document.
    [flow_run] = _flow_runs(kept_prefect, "vnplan-ingest", out)
    assert flow_run["state_type"] == "COMPLETED"
    tasks = _api(kept_prefect, "/task_runs/filter", {"flow_runs": {"id": {"any_": [flow_run["id"]]}}})
    assert sorted(Path(t["name"]).name for t in tasks) == sorted([*names, "random.pdf"])
    assert all(t["state_type"] == "COMPLETED" for t in tasks)


def test_reprocess_on_the_cluster(site: Site, tmp_path: Path) -> None:
    cluster, kept_prefect = site.cluster, site.prefect_api
    inbox, out = tmp_path / "inbox", tmp_path / "dataset"
    names = _plans(inbox)
    assert (
        _vnplan(
            "ingest", str(inbox), "--out", str(out), "--dask-address", cluster.address, prefect_api=kept_prefect
        ).returncode
        == 0
    )
    manifest = _manifest(out)
    stale = manifest["born_digital.pdf"]["doc_id"]
    record = out / "documents" / f"{stale}.json"
    current = json.loads(record.read_text("utf-8"))
    aged = json.loads(record.read_text("utf-8"))
    aged["pipeline"].update(version="0.0.1", fingerprint="0.0.1+000000000000")
    aged["metadata"]["title"] = "Tiêu đề cũ"
    record.write_text(json.dumps(aged, ensure_ascii=False), "utf-8")

    run = _vnplan("reprocess", "--out", str(out), "--dask-address", cluster.address, prefect_api=kept_prefect)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines()[-1] == f"1 documents: 1 ok, 0 failed → {out}"
    redone = json.loads(record.read_text("utf-8"))
    assert redone["pipeline"]["fingerprint"] == current["pipeline"]["fingerprint"]
    assert redone["metadata"]["title"] == current["metadata"]["title"] != "Tiêu đề cũ"
    kept = json.loads((out / "history" / stale / "0.0.1+000000000000.json").read_text("utf-8"))
    assert kept["metadata"]["title"] == "Tiêu đề cũ"
    changes = [json.loads(line) for line in (out / "changes.jsonl").read_text("utf-8").splitlines()]
    assert [c["doc_id"] for c in changes if c["change"] == "reprocessed"] == [stale]
    _assert_whole(out, names)
    assert [r["state_type"] for r in _flow_runs(kept_prefect, "vnplan-reprocess", out)] == ["COMPLETED"]


def test_a_worker_killed_mid_document_is_replaced_and_its_document_recorded(
    site: Site, scan_page: Image.Image, tmp_path: Path
) -> None:
    cluster = site.cluster  # (vnplan starts its temporary Prefect server, as without PREFECT_API_URL)
    inbox, out = tmp_path / "inbox", tmp_path / "dataset"
    names = _scans(inbox, scan_page)
    before = {p.pid for p in cluster.worker_processes()}
    run = subprocess.Popen(
        [program("vnplan"), "ingest", str(inbox), "--out", str(out), "--dask-address", cluster.address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=user_env(),
    )
    try:
        victim = _wait_for_ocr(cluster, run)
        victim.kill()  # SIGKILL: what the OOM killer does
        _, stderr = run.communicate(timeout=300)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert _summary(stderr) == (len(names), len(names), 0, out)
    _assert_whole(out, names)  # the document it held went to another worker
    assert victim.pid in before and not victim.is_running()
    deadline = time.monotonic() + 60  # and its nanny started a new worker process in its place
    while len(cluster.worker_processes()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(cluster.worker_processes()) == 2


def test_a_document_whose_workers_die_each_time_is_worker_lost_and_a_rerun_completes(
    site: Site, scan_page: Image.Image, tmp_path: Path
) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "dataset"
    names = _scans(inbox, scan_page, count=1)
    # The scheduler gives a task up after its second worker dies with it (3 by default: the same, later).
    cluster = Cluster(tmp_path / "cluster", scheduler_env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"})
    try:
        cluster.start()
        argv = [program("vnplan"), "ingest", str(inbox), "--out", str(out), "--dask-address", cluster.address]
        env = user_env(PREFECT_API_URL=site.prefect_api)
        run = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        killed: set[int] = set()
        try:
            deadline = time.monotonic() + 240
            while run.poll() is None and time.monotonic() < deadline:  # every worker caught OCR-ing dies
                victim = _ocring_worker(cluster)
                if victim is not None and victim.pid not in killed:
                    victim.kill()
                    killed.add(victim.pid)
                time.sleep(0.05)
            _, stderr = run.communicate(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
        assert len(killed) >= 2
        assert run.returncode == 0, stderr
        assert "Traceback" not in stderr
        manifest = _manifest(out)
        assert sorted(manifest) == names
        lost = manifest["scan_0.png"]
        assert lost["status"] == "failed" and lost["error"] == "WorkerLost"
        assert "died each time the cluster tried it" in lost["message"] and "run again" in lost["message"]
        # (a text document queued on a worker at those moments may share its fate; the others are in)
        assert all(e["status"] == "ok" or e["error"] == "WorkerLost" for e in manifest.values()), manifest

        rerun = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)
        assert rerun.returncode == 0, rerun.stderr
        _assert_whole(out, names)
    finally:
        cluster.stop()


def test_the_scheduler_gone_mid_run_is_one_line_nothing_recorded_and_a_rerun_completes(
    site: Site, scan_page: Image.Image, tmp_path: Path
) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "dataset"
    names = _scans(inbox, scan_page)
    cluster = Cluster(tmp_path / "cluster")
    try:
        cluster.start()
        argv = [program("vnplan"), "ingest", str(inbox), "--out", str(out), "--dask-address", cluster.address]
        env = user_env(PREFECT_API_URL=site.prefect_api)
        run = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            _wait_for_ocr(cluster, run)
            cluster.scheduler.stop(signal.SIGKILL)
            started = time.monotonic()
            _, stderr = run.communicate(timeout=120)
            stopped_after = time.monotonic() - started
        finally:
            if run.poll() is None:
                run.kill()
        assert run.returncode == 15, stderr
        assert stderr.strip().count("\n") == 0, stderr
        assert stderr.startswith(f"vnplan: lost the Dask scheduler at {cluster.address}")
        assert "run the command again" in stderr
        assert stopped_after < 60  # the documents still to go fail at once, they do not wait for it
        # Nothing recorded: no manifest, no error records, no tables; no half-written file.
        assert not (out / "manifest.json").exists() and not (out / "errors.jsonl").exists()
        assert not (out / "tables").exists()
        assert not list(out.rglob("*.tmp"))
        for path in out.rglob("*.json"):
            json.loads(path.read_text("utf-8"))
        [failed] = _flow_runs(site.prefect_api, "vnplan-ingest", out)  # the user's Prefect server says so too
        assert failed["state_type"] == "FAILED" and failed["state"]["message"].startswith("lost the Dask scheduler")

        # The user starts the cluster again (same address) and runs the same command: it completes.
        cluster.stop()
        cluster = Cluster(tmp_path / "cluster-again", port=cluster.port)
        cluster.start()
        rerun = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)
        assert rerun.returncode == 0, rerun.stderr
        assert _summary(rerun.stderr) == (len(names), len(names), 0, out)
        _assert_whole(out, names)
    finally:
        cluster.stop()


def test_a_scheduler_without_workers_is_one_line_not_a_hang(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "dataset"
    _plans(inbox)
    cluster = Cluster(tmp_path / "cluster", nworkers=0)  # the scheduler alone
    try:
        cluster.start()
        run = subprocess.run(
            [program("vnplan"), "ingest", str(inbox), "--out", str(out), "--dask-address", cluster.address],
            capture_output=True,
            text=True,
            timeout=120,
            env=user_env(VNPLAN_DASK_WAIT_FOR_WORKERS_S="2"),
        )
    finally:
        cluster.stop()
    assert run.returncode == 15, run.stderr
    assert run.stderr.strip().count("\n") == 0 and "Traceback" not in run.stderr
    assert f"the Dask scheduler at {cluster.address} has no workers (waited 2 s)" in run.stderr
    assert not out.exists()


@pytest.fixture
def mount_namespaces() -> None:
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a mount namespace here (`unshare --mount`: {probe.stderr.decode().strip()})")


@pytest.mark.parametrize("unmounted", ["shared", "dataset"])
def test_workers_that_cannot_see_the_shared_folder_give_one_error_per_document(
    mount_namespaces: None, site: Site, tmp_path: Path, unmounted: str
) -> None:
    # The documents and the dataset live under `shared`; the workers run in a mount namespace where an
    # empty tmpfs covers that folder (or only the dataset in it), like a worker machine on which the
    # share is not mounted (or another disk is, at that path).
    shared = tmp_path / "share"
    inbox, out = shared / "inbox", shared / "dataset"
    names = _plans(inbox)
    out.mkdir()
    hidden = shared if unmounted == "shared" else out
    hide = (
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-c",
        'mount -t tmpfs vnplan-test-unmounted "$0" && exec "$@"',
        str(hidden),
    )
    cluster = Cluster(tmp_path / "cluster", worker_prefix=hide)
    try:
        cluster.start()
        run = _vnplan(
            "ingest",
            str(inbox),
            "--out",
            str(out),
            "--dask-address",
            cluster.address,
            prefect_api=site.prefect_api,
            timeout=240,
        )
    finally:
        cluster.stop()
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert f"3 documents: 0 ok, 3 failed → {out}" in run.stderr
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert sorted(Path(e["path"]).name for e in errors) == names
    for error in errors:
        if unmounted == "shared":
            assert error["error"] == "InputFileError"
            assert f"{error['path']} is not visible on the Dask worker tcp://{LOOPBACK}:" in error["message"]
        else:  # the worker read the document and wrote its record, on a disk of its own
            assert error["error"] == "OutputError"
            assert f"wrote its record into a folder {out} that this machine does not see" in error["message"]
        assert "at the same paths" in error["message"]
    assert not (out / "documents").exists() or not any((out / "documents").iterdir())
