"""`vnplan`: the command line, thin over the public API (pipeline.convert_file, pipeline.ingest,
pipeline.reprocess) and the review, report, API and restorer entries."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from pipeline.compute import ctrl_c
from pipeline.model.errors import ExitCode, VnplanError
from pipeline.run import prefect_env

prefect_env.configure()

app = typer.Typer(
    name="vnplan",
    help="Vietnamese provincial plan documents (Kế hoạch) → a normalized dataset.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _fail(message: str, code: int = ExitCode.bad_args) -> typer.Exit:
    typer.echo(f"vnplan: {' '.join(message.split())}", err=True)
    return typer.Exit(code=int(code))


@app.command()
def extract(
    file: Annotated[
        Path, typer.Argument(help="a plan document: PDF, image (PNG/JPEG/TIFF), Word (.docx/.doc), HTML, .md or .txt")
    ],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="write the JSON here (else stdout)")] = None,
) -> None:
    """One document → PlanDocument JSON."""
    from extractors.plan_check import NOT_A_PLAN
    from pipeline.convert import convert_file
    from pipeline.dataset.atomic import atomic_write_text

    try:
        result = convert_file(file)
    except VnplanError as exc:
        raise _fail(exc.message, exc.exit_code) from None
    for warning in result.document.warnings:
        if warning.code == NOT_A_PLAN:
            typer.echo(f"vnplan: warning: {file.name}: {warning.message}", err=True)
    data = result.document.model_dump_json(indent=2) + "\n"
    if out is None:
        sys.stdout.write(data)
    else:
        try:
            atomic_write_text(out, data, only_if_changed=False)
        except OSError as exc:
            raise _fail(f"cannot write {out}: {exc.strerror or exc}", ExitCode.output_error) from None


@app.command()
def text(file: Annotated[Path, typer.Argument(help="a plan document")]) -> None:
    """Its normalized page text, pages separated by a form feed."""
    from pipeline.convert import convert_file

    try:
        result = convert_file(file)
    except VnplanError as exc:
        raise _fail(exc.message, exc.exit_code) from None
    sys.stdout.write("\f".join(p.text for p in result.pages))
    sys.stdout.write("\n")


@app.command()
def restore() -> None:
    """Restore diacritics, stdin → stdout: same lines, same tokens, only letters change."""
    from normalizers.restore import restore_text

    data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    sys.stdout.write(restore_text(data))


@app.command("train-restorer")
def train_restorer(
    corpus: Annotated[list[Path], typer.Option("--corpus", help="accented text (.txt or .txt.xz); repeat")],
    out: Annotated[Path | None, typer.Option("--out", help="model folder (default: packaged)")] = None,
    extra: Annotated[list[Path] | None, typer.Option("--extra", help="more accented text to learn")] = None,
    vie_channel: Annotated[
        bool,
        typer.Option("--vie-channel", help="learn only the Tesseract `vie` channel (renders and OCRs corpus lines)"),
    ] = False,
    lines: Annotated[int, typer.Option("--lines", help="corpus lines to render for --vie-channel")] = 2500,
    names: Annotated[
        bool, typer.Option("--names", help="learn only the name model (names printed without marks, signer lines)")
    ] = False,
) -> None:
    """Train the diacritic restorer's language model from an accented corpus (or, with
    --vie-channel, the post-OCR correction's channel; with --names, the name model).

    The committed model was trained on a public-domain corpus of Vietnamese legal text (23 M syllables:
    official gazette, laws, decrees, as .txt.xz files); normalizers/restore/model/MODEL.md records the
    files, their checksums and the command. Any accented Vietnamese text in that form will do."""
    from normalizers.restore import train, train_names, train_vie_channel

    missing = [str(p) for p in [*corpus, *(extra or [])] if not p.exists()]
    if missing:
        raise _fail(f"no such corpus file: {', '.join(missing)}", ExitCode.input_file)
    if vie_channel:
        path = train_vie_channel(list(corpus), out, lines=lines)
    elif names:
        path = train_names(list(corpus), out)
    else:
        path = train(list(corpus), out, list(extra or []))
    typer.echo(f"model written to {path}")


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files and folders of plan documents")],
    out: Annotated[Path, typer.Option("--out", help="the dataset folder")],
    workers: Annotated[int, typer.Option("--workers", min=1, help="documents processed in parallel")] = 1,
    dask_address: Annotated[str | None, typer.Option("--dask-address", help="run on an existing Dask cluster")] = None,
) -> None:
    """Batch flow (Prefect) over files and folders into the dataset folder."""
    from pipeline.run import runs

    summary = _with_progress(
        "ingest", lambda report: runs.ingest(paths, out, workers=workers, dask_address=dask_address, on_progress=report)
    )
    _print_summary(summary, out)


@app.command()
def reprocess(
    out: Annotated[Path, typer.Option("--out", help="the dataset folder")],
    only: Annotated[list[str] | None, typer.Option("--only", help="a doc_id or file name; repeat")] = None,
    since: Annotated[str | None, typer.Option("--since", help="only records processed before this ISO date")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="documents processed in parallel")] = 1,
    dask_address: Annotated[str | None, typer.Option("--dask-address", help="run on an existing Dask cluster")] = None,
) -> None:
    """Re-run stored documents whose pipeline version (or models) changed."""
    from pipeline.run import runs

    summary = _with_progress(
        "reprocess",
        lambda report: runs.reprocess(
            out, only=only, since=since, workers=workers, dask_address=dask_address, on_progress=report
        ),
    )
    _print_summary(summary, out)


def _print_summary(summary: dict, out: Path) -> None:
    not_plans = summary.get("not_a_plan", 0)
    apart = f" ({not_plans} not a plan)" if not_plans else ""
    typer.echo(
        f"{summary['documents']} documents: {summary['ok']} ok{apart}, {summary['failed']} failed → {out}", err=True
    )
    if not_plans:
        typer.echo(f"not plans (warning not_a_plan): see {out / 'manifest.json'}", err=True)
    if summary["failed"]:
        typer.echo(f"see {out / 'errors.jsonl'}", err=True)


def _with_progress(label: str, run: Callable[[Callable[[str, object], None]], dict]) -> dict:
    """`run(report)` with a progress bar on a terminal fed by `report`; a VnplanError is one line."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline.dataset.writer import ManifestEntry

    bar = Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        transient=False,
        disable=not sys.stderr.isatty(),
        console=Console(stderr=True),
    )  # the bar and its notes: stderr, like every message
    tasks: list = []  # the bar's one task, once the run says how many documents

    def on_event(event: str, payload: object) -> None:
        if event == "start" and isinstance(payload, int):
            tasks.append(bar.add_task("", total=payload))
        elif event == "done" and tasks and isinstance(payload, ManifestEntry):
            bar.update(tasks[0], advance=1, description=Path(payload.path).name)
            if payload.status == "failed":
                bar.console.print(f"[red]failed[/red] {payload.message}", soft_wrap=True)
        elif event == "retry":
            bar.console.print(f"[yellow]retrying[/yellow] {payload}", soft_wrap=True)

    try:
        with bar:
            return run(on_event)
    except VnplanError as exc:
        raise _fail(exc.message, exc.exit_code) from None


@app.command()
def review(
    gold: Annotated[
        Path,
        typer.Option("--gold", help="folder of <stem>.gold.json (with --import-sheet: where the new gold file goes)"),
    ],
    docs: Annotated[Path, typer.Option("--docs", help="PlanDocument JSON files, or a dataset folder")],
    out: Annotated[Path | None, typer.Option("--out", help="where report.json, review/ and sheets go")] = None,
    sheet: Annotated[
        Path | None,
        typer.Option("--import-sheet", help="a marked review sheet (CSV): write it as <stem>.gold.json in --gold"),
    ] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="with --import-sheet: replace that gold file")] = False,
) -> None:
    """Accuracy review against gold: a table, report.json, the review page review/index.html and review
    sheets for documents without gold; or, with --import-sheet, a marked sheet turned into gold."""
    from pipeline.review.page import write_review_page
    from pipeline.review.score import render_table, review_folder
    from pipeline.review.sheet import documents_without_gold, import_sheet, write_review_sheet

    if not docs.is_dir():
        raise _fail(f"--docs {docs}: not a folder", ExitCode.input_file)
    try:
        if sheet is not None:
            typer.echo(f"gold written: {import_sheet(sheet, docs, gold, overwrite=overwrite)}")
            return
        if out is None:
            raise _fail("--out is required (where the review goes)", ExitCode.bad_args)
        if not gold.is_dir():
            raise _fail(f"--gold {gold}: not a folder", ExitCode.input_file)
        report = review_folder(gold, docs, out)
        page_dir = out / "review"
        sheets = write_review_sheet(docs, page_dir / "sheets", documents_without_gold(docs, gold))
        page = write_review_page(report, docs, gold, page_dir, sheets)
    except VnplanError as exc:
        raise _fail(exc.message, exc.exit_code) from None
    typer.echo(render_table(report))
    typer.echo(f"review page: {page} ({len(sheets) // 2} review sheet(s) in {page_dir / 'sheets'})", err=True)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="the dataset folder; the report goes to DIR/report/")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="date the next 90 days of deadlines count from (YYYY-MM-DD; default today)"),
    ] = None,
) -> None:
    """The dataset as one page of charts and timelines: DIR/report/index.html (no server, no network)."""
    from datetime import date

    from pipeline.report import write_report

    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise _fail(f"--as-of {as_of!r}: not a date (YYYY-MM-DD)", ExitCode.bad_args) from None
    try:
        page = write_report(out, day)
    except VnplanError as exc:
        raise _fail(exc.message, exc.exit_code) from None
    typer.echo(f"report: {page}", err=True)


@app.command()
def serve(
    out: Annotated[Path, typer.Option("--out", help="the output folder to serve (read-only)")],
    host: Annotated[
        str, typer.Option(help="address to listen on; the default answers this machine only")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port (0: any free port)")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(envvar="VNPLAN_API_TOKEN", help="require `Authorization: Bearer TOKEN` on data requests"),
    ] = None,
) -> None:
    """Read-only HTTP API over an output folder (documents, records, change feed; /openapi.json)."""
    from pipeline.api import serve as serve_api

    try:
        serve_api(out, host=host, port=port, token=token)
    except VnplanError as exc:
        raise _fail(exc.message, exc.exit_code) from None


server_app = typer.Typer(
    help="The local Prefect server vnplan's runs report to (kept between runs).", no_args_is_help=True
)
app.add_typer(server_app, name="server")


@server_app.command("start")
def server_start(
    idle_minutes: Annotated[
        float, typer.Option("--idle-minutes", min=0, help="stop after this long without runs (0: only when told)")
    ] = 0,
    ui: Annotated[bool, typer.Option("--ui/--no-ui", help="serve Prefect's UI, which shows every run")] = True,
) -> None:
    """Start the server (or find the running one); later `vnplan ingest` runs report to it at once."""
    from pipeline.run import prefect_server

    prefect_env.configure()
    try:
        kept = prefect_server.start_kept_server(idle_minutes * 60, prefect_env.startup_timeout(), ui=ui)
    except VnplanError as exc:
        raise _fail(exc.message, exc.exit_code) from None
    typer.echo(_describe_server(kept))


@server_app.command("stop")
def server_stop() -> None:
    """Stop the kept server (it first lets the runs using it finish)."""
    from pipeline.run import prefect_server

    try:
        stopped = prefect_server.stop_kept_server()
    except VnplanError as exc:
        raise _fail(exc.message, exc.exit_code) from None
    typer.echo(f"stopped the Prefect server at {stopped.api_url}" if stopped else "no Prefect server was running")


@server_app.command("status")
def server_status() -> None:
    """Whether the kept server runs (exit status 0) or not (1), its address and idle time."""
    from pipeline.run import prefect_server

    try:
        folder = prefect_server.state_dir()
        kept = prefect_server.kept_server(folder)
    except VnplanError as exc:
        raise _fail(exc.message, exc.exit_code) from None
    if kept is None:
        typer.echo(f"no Prefect server running (state: {folder})")
        raise typer.Exit(code=1)
    typer.echo(_describe_server(kept))


def _describe_server(kept: object) -> str:
    import time

    from pipeline.run.prefect_server import KeptServer

    assert isinstance(kept, KeptServer)
    idle = "until `vnplan server stop`" if kept.idle_seconds <= 0 else f"{kept.idle_seconds / 60:g} min idle"
    used = f", last run {time.time() - kept.last_used:.0f} s ago" if kept.last_used else ""
    ui = f"; UI http://127.0.0.1:{kept.port}/" if kept.ui else ""
    return (
        f"Prefect server at {kept.api_url} (pid {kept.pid}, up {time.time() - kept.started:.0f} s, "
        f"stops after {idle}{used}){ui}"
    )


@app.command()
def schema() -> None:
    """JSON Schema of PlanDocument."""
    from pipeline.model.contract import PlanDocument

    typer.echo(json.dumps(PlanDocument.model_json_schema(), ensure_ascii=False, indent=2))


def main() -> None:
    """The `vnplan` command (console entry point and `python -m pipeline`)."""
    try:
        _main()
    except BaseException as exc:
        if not isinstance(exc, KeyboardInterrupt) and not ctrl_c.seen():
            raise
        # Ctrl-C, also one that became another exception or none on its way (pipeline/compute/ctrl_c.py):
        # one line, no traceback; the run's processes got the same signal and stop with it.
        typer.echo("vnplan: interrupted", err=True)
        raise SystemExit(130) from None
    finally:
        # Everything is written and closed by now. Freezing the heap spares the interpreter's last
        # garbage collections a walk over Prefect's, pandas' and the models' objects: 0.4 s of every
        # exit, where a batch of scans spends ~1 s beyond its OCR.
        gc.freeze()
    if ctrl_c.seen():
        typer.echo("vnplan: interrupted", err=True)
        raise SystemExit(130)


def _main() -> None:
    """The command (see main); a run installs the Ctrl-C it remembers first thing."""
    if sys.argv[1:] == ["restore"]:
        # The restorer in a pipe has no options to parse: typer's parsing of them would build
        # pydantic type adapters for every command's options first, a third of a one-line run.
        restore()
    elif sys.argv[1:2] in (["ingest"], ["reprocess"]) and "--help" not in sys.argv:
        # A run's Prefect server boots for seconds: it is started first, before the options are
        # parsed and the pipeline loads (a run stopped by bad options or input stops it again).
        # The run loads Prefect, pandas and the pipeline with the garbage collector off, which
        # it switches on when its flow starts (runs._run).
        # A one-worker ingest of a plan or two computes them in a process of its own, started
        # here too (pipeline.run.documents_ahead); stopped on the way out if the run did not take it.
        # With local workers, the fork server they come from starts loading the pipeline here too.
        from pipeline.run import documents_ahead, workers_early

        ctrl_c.install()
        gc.disable()
        with prefect_env.server_started_early():
            try:
                workers_early.start_early(sys.argv[2:])
                if sys.argv[1] == "ingest":
                    documents_ahead.start_early(sys.argv[2:], server_booting=prefect_env.server_booting())
                app(prog_name="vnplan")
            finally:
                documents_ahead.stop_early()
                workers_early.stop_early()
    else:
        app(prog_name="vnplan")
