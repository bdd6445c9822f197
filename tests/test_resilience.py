"""A batch survives a worker killed mid-document: no partial or duplicate records after a re-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from PIL import Image

from pipeline import prefect_env
from tests.test_flows import PLAN_TXT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prefect_api() -> Iterator[str | None]:
    with prefect_env.shared_api() as url:
        yield url


def _busy_worker(cli: psutil.Process) -> psutil.Process | None:
    """A pool worker of the CLI that is OCR-ing right now (it has a tesseract child)."""
    for child in cli.children(recursive=True):
        try:
            if child.name().startswith("tesseract"):
                return child.parent()
        except psutil.NoSuchProcess:
            continue
    return None


def test_killing_a_worker_mid_document_then_rerunning_completes_the_batch(
        prefect_api: str | None, scan_page: Image.Image, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(4):  # distinct scans (one pixel differs), each a few seconds of OCR
        page = scan_page.copy()
        page.putpixel((i, 0), 128)
        page.save(inbox / f"scan_{i}.png")
    for i in range(2):
        (inbox / f"plan_{i}.txt").write_text(PLAN_TXT.replace("17/KH", f"{20 + i}/KH"), "utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--out", str(out), "--workers", "2"]

    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cli = psutil.Process(proc.pid)
    victim = None
    deadline = time.monotonic() + 300
    while victim is None and proc.poll() is None and time.monotonic() < deadline:
        victim = _busy_worker(cli)
        time.sleep(0.05)
    assert victim is not None, "never caught a worker mid-document"
    os.kill(victim.pid, signal.SIGKILL)
    _, stderr = proc.communicate(timeout=300)
    assert "Traceback" not in stderr
    first = {Path(e["path"]).name: e for e in json.loads((out / "manifest.json").read_text("utf-8"))["documents"]}
    assert any(e["status"] == "failed" and e["error"] == "WorkerLost" for e in first.values()), stderr

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))["documents"]
    assert sorted(Path(e["path"]).name for e in manifest) == sorted(p.name for p in inbox.iterdir())
    assert all(e["status"] == "ok" for e in manifest), manifest
    assert (out / "errors.jsonl").read_text("utf-8") == ""
    stored = sorted(p.stem for p in (out / "documents").glob("*.json"))
    assert stored == sorted({e["doc_id"] for e in manifest})  # no duplicate, no orphan record
    for path in (out / "documents").glob("*.json"):
        json.loads(path.read_text("utf-8"))  # every record whole
    assert not list(out.rglob("*.tmp"))
