"""`qiaopi`: the commands mirror what curators and operators do."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from sqlalchemy.exc import OperationalError

from archive.catalogue.models import Role
from archive.catalogue.users import AccountError, add_user
from archive.cli import exits
from archive.cli.knowledge import knowledge_app
from archive.context import Archive
from archive.settings import Settings, load_settings

app = typer.Typer(
    name="qiaopi",
    help="Qiaopi Archive: ingest, catalogue, OCR, search and serve qiaopi letters.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
users_app = typer.Typer(help="Curator accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(knowledge_app)
export_app = typer.Typer(help="Exports for kiosks and static hosting.", no_args_is_help=True)
app.add_typer(export_app, name="export")

err = Console(stderr=True)


class _State:
    data_dir: Path | None = None


def fail(message: str, code: int) -> NoReturn:
    """Print a one-line reason and exit with `code`."""
    err.print(f"[bold red]qiaopi: error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def settings() -> Settings:
    """Settings from QIAOPI_* variables, with the --data-dir option on top."""
    try:
        return load_settings(os.environ, data_dir=_State.data_dir)
    except ValueError as exc:
        fail(f"bad configuration: {exc}", exits.USAGE)


def open_archive() -> Archive:
    """The configured archive, or exit 69 naming the backend that is unreachable."""
    config = settings()
    try:
        return Archive.open(config)
    except OperationalError as exc:
        fail(f"cannot reach the catalogue database: {exc.orig}", exits.UNAVAILABLE)
    except (ValueError, OSError) as exc:
        fail(f"cannot open the archive: {exc}", exits.UNAVAILABLE)


@app.callback()
def main(
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Home of the embedded defaults (overrides QIAOPI_DATA_DIR)."),
    ] = None,
) -> None:
    """Qiaopi Archive."""
    _State.data_dir = data_dir


def progress(*, transfer: bool = False) -> Progress:
    """A Rich progress bar on stderr (stdout stays clean for --json)."""
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    if transfer:
        columns.append(TransferSpeedColumn())
    return Progress(*columns, TimeRemainingColumn(), console=err, transient=True)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Folders (or files) of scans.")],
    collection: Annotated[
        str | None, typer.Option(help="Put every item in this collection.")
    ] = None,
    metadata: Annotated[
        Path | None, typer.Option(help="CSV of item metadata, one row per folder.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per item on stdout.")
    ] = False,
) -> None:
    """Ingest scans: every folder of JPEG/PNG/TIFF files becomes an item with ordered pages."""
    from archive.ingest.run import IngestRefused, ItemOutcome
    from archive.ingest.run import ingest as run_ingest

    archive = open_archive()
    with progress() as bar:
        verify_task = bar.add_task("Verifying scans", total=None)
        store_task = bar.add_task("Storing items", total=None, visible=False)

        def on_verified(done: int, total: int) -> None:
            bar.update(verify_task, completed=done, total=total)

        def on_item(outcome: ItemOutcome) -> None:
            bar.update(store_task, advance=1, visible=True)
            if as_json:
                print(json.dumps({"id": outcome.identifier, **_outcome(outcome)}), flush=True)

        try:
            report = run_ingest(
                archive,
                paths,
                metadata=metadata,
                collection=collection,
                on_verified=on_verified,
                on_item=on_item,
            )
        except IngestRefused as exc:
            bar.stop()
            for problem in exc.problems:
                err.print(f"  {problem}", highlight=False, soft_wrap=True)
            fail(
                f"ingest refused ({len(exc.problems)} problem(s) above); nothing was stored",
                exits.DATA_ERROR,
            )
    created = sum(o.status == "created" for o in report.outcomes)
    mb = report.bytes_stored / 1e6
    seconds = max(report.seconds, 1e-9)
    err.print(
        f"Ingested {len(report.outcomes)} item(s): {created} new, "
        f"{len(report.outcomes) - created} already there; {report.new_pages} new page(s), "
        f"{mb:.1f} MB in {report.seconds:.1f} s "
        f"({report.new_pages / seconds:.1f} pages/s, {mb / seconds:.1f} MB/s)",
        highlight=False,
    )


def _outcome(outcome: object) -> dict[str, object]:
    fields = ("status", "pages", "new_pages", "matched_pages")
    return {name: getattr(outcome, name) for name in fields}


@app.command()
def work(
    retry_failed: Annotated[
        bool, typer.Option(help="Queue failed jobs again before running.")
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (one per core is sensible).")
    ] = 1,
) -> None:
    """Run queued jobs (OCR, indexing, derivatives) until none is left."""
    from archive.jobs.queue import retry_failed as retry

    archive = open_archive()
    if retry_failed:
        err.print(f"Queued {retry(archive.catalogue)} failed job(s) again.")
    done, failed = run_jobs(archive, workers=workers)
    err.print(f"Jobs: {done} done, {failed} failed.")
    if failed:
        raise typer.Exit(exits.FAILURE)


def run_jobs(
    archive: Archive, *, workers: int = 1, kinds: list[str] | None = None
) -> tuple[int, int]:
    """Run queued jobs with a progress bar: in this process, or in `workers` processes."""
    import time

    from archive.jobs.queue import counts
    from archive.jobs.worker import WorkerPool, run_until_empty

    def totals() -> tuple[int, int, int]:
        found = [c for kind, c in counts(archive.catalogue).items() if not kinds or kind in kinds]
        queued, done, failed = (
            sum(c.get(s, 0) for c in found) for s in ("queued", "done", "failed")
        )
        return queued, done, failed

    queued, done_before, failed_before = totals()
    with progress() as bar:
        task = bar.add_task("Running jobs", total=queued or None)
        if workers == 1:

            def on_job(kind: str, target: str, error: str | None) -> None:
                bar.advance(task)
                if error:
                    err.print(f"  {kind} {target} failed: {error}", highlight=False)

            return run_until_empty(archive, kinds=kinds, on_job=on_job)
        pool = WorkerPool(archive.settings, workers, once=True)
        pool.start()
        while pool.alive():
            _, done_now, failed_now = totals()
            bar.update(task, completed=done_now - done_before + failed_now - failed_before)
            time.sleep(0.5)
        pool.join()
    _, done_after, failed_after = totals()
    return done_after - done_before, failed_after - failed_before


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    http_workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="HTTP processes (default: QIAOPI_HTTP_WORKERS, 1)."),
    ] = None,
    access_log: Annotated[
        bool,
        typer.Option(help="Log every request (turn off when a proxy in front already does)."),
    ] = True,
    get: Annotated[
        str | None, typer.Option(help="Answer one GET for this path in-process, print it, exit.")
    ] = None,
) -> None:
    """Serve the web pages, the API and IIIF; a worker pool runs queued jobs meanwhile."""
    from archive.api.app import create_app

    archive = open_archive()
    if get is not None:
        from fastapi.testclient import TestClient

        with TestClient(create_app(archive.settings, archive=archive)) as client:
            response = client.get(get)
        print(response.text)
        raise typer.Exit(exits.OK if response.status_code < 400 else exits.FAILURE)
    import uvicorn

    processes = http_workers or archive.settings.http_workers
    err.print(f"Qiaopi Archive on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    if processes == 1:
        uvicorn.run(
            create_app(archive.settings, archive=archive, workers=True),
            host=host,
            port=port,
            access_log=access_log,
        )
        return
    from archive.jobs.worker import WorkerPool

    # Several HTTP processes share the catalogue, the blobs and the session key (made now, so
    # they do not race to create it); one job pool here serves them all.
    archive.settings.session_secret()
    if _State.data_dir is not None:
        os.environ["QIAOPI_DATA_DIR"] = str(_State.data_dir)
    pool = WorkerPool(archive.settings, archive.settings.workers)
    pool.start()
    try:
        uvicorn.run(
            "archive.api.app:app_from_environment",
            factory=True,
            workers=processes,
            host=host,
            port=port,
            access_log=access_log,
        )
    finally:
        pool.stop()


@app.command()
def fixity() -> None:
    """Re-read every master and report missing or changed files (exit 1 if any)."""
    from archive.fixity import audit, page_count

    archive = open_archive()
    problems = 0
    with progress() as bar:
        task = bar.add_task("Checking masters", total=page_count(archive))
        for problem in audit(archive, on_page=lambda _size: bar.advance(task)):
            problems += 1
            err.print(
                f"  {problem.problem.upper()}: page {problem.page} of item {problem.item} "
                f"(sha256 {problem.sha256})",
                highlight=False,
            )
    if problems:
        fail(f"fixity audit found {problems} problem(s)", exits.FAILURE)
    err.print("Fixity audit: every master matches its recorded sha256.")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", -exclusion, OR, field:value.')],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per hit on stdout.")
    ] = False,
    size: Annotated[int, typer.Option(help="How many hits (per search with --all).")] = 20,
    every: Annotated[
        bool, typer.Option("--all", help="Every hit, however many: paged through by cursor.")
    ] = False,
) -> None:
    """Search published items from the terminal."""
    from archive.search_service import build_request, response_json
    from search import CURSOR_START, BackendUnavailable, QueryError

    archive = open_archive()
    base = archive.settings.public_url.rstrip("/")
    cursor = CURSOR_START if every else None
    first = True
    while True:
        try:
            wanted = build_request(query, filters={}, size=size, cursor=cursor)
            # Facets are not printed, so not counted.
            response = archive.search.search(dataclasses.replace(wanted, facets=()))
        except QueryError as exc:
            fail(str(exc), exits.USAGE)
        except BackendUnavailable as exc:
            fail(str(exc), exits.UNAVAILABLE)
        if first and not as_json:
            err.print(f"{response.total} item(s) found", highlight=False)
        first = False
        for hit in response_json(response, base)["hits"]:
            if as_json:
                print(json.dumps(hit, ensure_ascii=False))
            else:
                title = hit["titles"].get("zh-Hant") or hit["titles"].get("en") or ""
                print(f"{hit['id']}\t{hit['date']}\t{title}")
        cursor = response.next_cursor
        if cursor is None:
            return


@app.command()
def reindex() -> None:
    """Rebuild the search index from the catalogue and swap it in (no downtime)."""
    from archive.search_service import published_count
    from archive.search_service import reindex as run_reindex

    archive = open_archive()
    with progress() as bar:
        task = bar.add_task("Indexing items", total=published_count(archive))
        count = run_reindex(archive, on_document=lambda: bar.advance(task))
    err.print(f"Indexed {count} published item(s).")


@app.command("ocr")
def ocr_command(
    collection: Annotated[
        str | None, typer.Option(help="Only the pages of this collection (slug or title).")
    ] = None,
    engine: Annotated[str | None, typer.Option(help="OCR engine name (default: the best).")] = None,
    redo: Annotated[bool, typer.Option(help="Recognise pages that already have text.")] = False,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (one per core is sensible).")
    ] = 1,
) -> None:
    """Queue OCR for pages and run it now (failed pages keep their reason; retry later)."""
    from archive.ocr_service import UnknownCollectionError, queue_pages

    archive = open_archive()
    if engine:
        archive.settings = archive.settings.model_copy(update={"ocr_engine": engine})
    try:
        queued = queue_pages(archive, collection=collection, redo=redo)
    except UnknownCollectionError as exc:
        fail(str(exc), exits.NO_INPUT)
    done, failed = run_jobs(archive, workers=workers)
    err.print(f"OCR: {queued} page(s) queued; jobs {done} done, {failed} failed.")
    if failed:
        raise typer.Exit(exits.FAILURE)


@app.command()
def derive() -> None:
    """Build missing image pyramids and pre-cut tiles for every page (existing ones are kept)."""
    from sqlalchemy import select

    from archive.catalogue.models import Page
    from archive.jobs.queue import enqueue
    from archive.steps.derive import KIND

    archive = open_archive()
    with archive.catalogue.session() as session:
        pages = session.scalars(select(Page.public_id)).all()
        for page_id in pages:
            enqueue(session, KIND, page_id, redo=True)
    done, failed = run_jobs(archive, kinds=[KIND])
    err.print(f"Derivatives: {done} page(s) built, {failed} failed.")
    if failed:
        raise typer.Exit(exits.FAILURE)


@app.command()
def recognize(
    image: Annotated[Path, typer.Argument(help="A scan (JPEG, PNG, TIFF).")],
    engine: Annotated[str | None, typer.Option(help="OCR engine name (default: the best).")] = None,
    output: Annotated[
        str, typer.Option("--format", help="text, page (PAGE-XML), alto or hocr.")
    ] = "text",
) -> None:
    """OCR one image file and print the result; no catalogue needed."""
    import ocr

    writers: dict[str, Callable[[ocr.PageResult], str | bytes]] = {
        "text": ocr.to_text,
        "page": ocr.to_page_xml,
        "alto": ocr.to_alto,
        "hocr": ocr.to_hocr,
    }
    if output not in writers:
        fail(f"unknown format {output!r}: use {', '.join(writers)}", exits.USAGE)
    if engine is not None and engine not in ocr.engines():
        fail(f"unknown engine {engine!r}: use {', '.join(ocr.engines())}", exits.USAGE)
    if not image.is_file():
        fail(f"{image}: no such file", exits.NO_INPUT)
    try:
        result = ocr.recognize(ocr.open_image(image), engine, image_name=image.name)
    except ocr.OcrError as exc:
        fail(str(exc), exits.DATA_ERROR)
    written = writers[output](result)
    sys.stdout.write(written.decode("utf-8") if isinstance(written, bytes) else written)
    if output == "text":
        sys.stdout.write("\n")


@app.command()
def samples(
    out: Annotated[Path, typer.Argument(help="An empty (or new) folder to write the corpus into.")],
    items: Annotated[int, typer.Option(min=1, max=100_000, help="How many items.")] = 24,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed writes the same files.")
    ] = 0,
) -> None:
    """Write a synthetic sample corpus: scans, items.csv and OCR ground truth."""
    from archive.samples import MissingFontError, SampleCorpusError, generate_corpus

    with progress() as bar:
        task = bar.add_task("Writing sample items", total=items)
        try:
            summary = generate_corpus(
                out, items, seed, progress=lambda done, _total: bar.update(task, completed=done)
            )
        except (SampleCorpusError, MissingFontError) as exc:
            bar.stop()
            fail(str(exc), exits.DATA_ERROR)
    err.print(
        f"Wrote {summary.items} items ({summary.pages} pages) to {summary.items_dir}; "
        f"metadata: {summary.csv_path}"
    )


@export_app.command("static")
def export_static(
    out: Annotated[Path, typer.Argument(help="A new or empty folder to write into.")],
    collection: Annotated[str, typer.Option(help="The collection to export (slug or title).")],
    base_url: Annotated[
        str, typer.Option(help="Where OUT will be served from, e.g. http://kiosk.local:8080.")
    ] = "http://127.0.0.1:8080",
) -> None:
    """Write level-0 IIIF tiles, manifests, a collection and a viewer page to OUT/."""
    from archive.export_static import ExportError
    from archive.export_static import export_static as run_export

    archive = open_archive()
    with progress() as bar:
        task = bar.add_task("Exporting images", total=None)
        try:
            summary = run_export(
                archive,
                collection,
                out,
                base_url=base_url,
                on_image=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except ExportError as exc:
            bar.stop()
            fail(str(exc), exits.DATA_ERROR)
    err.print(
        f"Exported {summary.items} item(s), {summary.images} image(s) to {summary.out_dir}; "
        f"serve it at {base_url} (e.g. python -m http.server)"
    )


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="The sign-in name.")],
    role: Annotated[Role, typer.Option(help="curator or admin.")] = Role.curator,
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input (for scripts).")
    ] = False,
) -> None:
    """Create a curator account (the password is asked for, or read from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    archive = open_archive()
    try:
        with archive.catalogue.session() as session:
            add_user(session, username, password, role=role, actor="cli")
    except AccountError as exc:
        fail(str(exc), exits.DATA_ERROR)
    err.print(f"Created {role.value} {username!r}.")
