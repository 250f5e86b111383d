"""The ``studyapp`` command: check banks, export decks, derive drafts, manage users, serve.

A click group built on Flask's ``FlaskGroup`` so that commands which need the app (users, the
database, serving) get it from the factory, and commands which do not (check, export) stay fast.
A user mistake ends in ``click.ClickException`` with what to do, never a traceback.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import FlaskGroup

from . import create_app
from .banks import bank_paths, load_banks
from .cli_export import export_command
from .cli_options import QUESTIONS_OPTION, display
from .cli_users import user_group
from .config import questions_dir
from .problems import FORMATS, render, sort_problems, source_lines, summary

if TYPE_CHECKING:
    from collections.abc import Mapping

    from flask import Flask

    from .derive import BankError
    from .model import Bank
    from .registry import Failure


@click.group(
    cls=FlaskGroup, create_app=create_app, add_version_option=False, add_default_commands=False
)
def main() -> None:
    """studyapp: question banks grounded in their readings, reviewed with FSRS."""


class CouldNotRun(click.ClickException):
    """The command could not do its work at all (exit 2), as opposed to finding problems (1)."""

    exit_code = 2


main.add_command(user_group)
main.add_command(export_command)


@main.command("check", with_appcontext=False)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@QUESTIONS_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="full",
    show_default=True,
    help="full: each problem with its line and a hint; concise: one line each; json: for tools.",
)
def check_command(paths: tuple[Path, ...], questions: Path | None, fmt: str) -> None:
    """Check question banks and print every problem with its file, line and column.

    PATHS are bank files or folders (default: the questions folder). Exits 0 when clean, 1 when
    there are problems, 2 when the check could not run.
    """
    files = _files_to_check(paths, questions)
    problems = []
    sources: dict[str, list[str]] = {}
    n_questions = n_loaded = 0
    for result in load_banks(files, display):
        problems.extend(result.problems)
        sources[display(result.path)] = source_lines(result.source)
        n_questions += result.questions
        n_loaded += result.bank is not None
    problems = sort_problems(problems)
    if fmt == "json":
        click.echo(render(problems, "json"))
    else:
        if problems:
            click.echo(render(problems, fmt, sources))
            click.echo()
        click.echo(summary(problems, len(files), n_questions, n_loaded))
    sys.exit(1 if problems else 0)


def _files_to_check(paths: tuple[Path, ...], questions: Path | None) -> list[Path]:
    """The bank files named by PATHS, else those of the questions folder.

    A folder that is missing or holds no bank means the check could not run (exit 2): reported
    as a problem in a bank, it would read as a broken bank that the instructor cannot find.
    """
    if not paths:
        folder = questions_dir(questions)
        if not folder.is_dir():
            what = "is not a folder" if folder.exists() else "does not exist"
            raise CouldNotRun(
                f"the questions folder {display(folder)} {what}: "
                "pass --questions with the folder that holds the banks"
            )
        paths = (folder,)
    files: list[Path] = []
    for p in paths:
        found = bank_paths(p) if p.is_dir() else [p]
        if not found:
            raise CouldNotRun(f"no bank (*.yaml) in {display(p)}")
        files.extend(found)
    return files


def _app(questions: Path | None = None):
    """Build the app the way the server does (instance folder, STUDYAPP_* settings)."""
    return create_app({"QUESTIONS": str(questions)} if questions else None)


@main.command("serve", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=5000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="Port to listen on (1-65535; below 1024 needs root).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Worker processes (default: one per core; Python runs one thread at a time in each).",
)
@click.option(
    "--threads",
    default=2,
    show_default=True,
    type=click.IntRange(min=1),
    help="Threads per worker: one computes while another waits on the disk; more only queue "
    "on Python's lock (measured: same throughput, longer tails).",
)
@click.option(
    "--connection-limit",
    default=1000,
    show_default=True,
    type=click.IntRange(min=1),
    help="Open connections each worker accepts (a class of browsers keeps many alive).",
)
@QUESTIONS_OPTION
def serve_command(
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    connection_limit: int,
    questions: Path | None,
) -> None:
    """Serve studyapp with gunicorn (not Flask's development server)."""
    from .server import CannotListen, check_port_free, default_workers, serve

    try:
        check_port_free(host, port)  # before building anything, so the message comes first
    except CannotListen as e:
        raise click.ClickException(str(e)) from None

    # Built here first so that the instance folder, its secret key and the migrations exist
    # before the workers start; each worker then builds its own app after the fork.
    app = _app(questions)
    state = app.extensions["studyapp"]
    snapshot = state.registry.snapshot
    workers = workers or default_workers()
    click.echo(f"Instance folder: {app.instance_path}")
    click.echo(f"Database:        {state.database}")
    n = sum(len(b.live_questions) for b in snapshot.banks.values())
    click.echo(
        f"Banks:           {len(snapshot.banks)} from {state.registry.folder} ({n} questions)"
    )
    for failure in snapshot.failures.values():
        click.echo(_failure_line(failure, snapshot.last_good(failure)), err=True)
    signup = (
        "create an account on the sign-in page"
        if app.config["SIGNUP_OPEN"]
        else ("sign-up is closed: add accounts with 'studyapp user add NAME'")
    )
    click.echo(
        f"Server:          gunicorn, {workers} worker{'s' * (workers != 1)}"
        f" of {threads} thread{'s' * (threads != 1)}"
    )
    click.echo(f"Serving on http://{host}:{port}/ ({signup}). Press Ctrl+C to stop.")
    serve(
        lambda: _worker_app(questions, snapshot.failures),
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        connections=connection_limit,
    )


def _failure_line(failure: Failure, served: Bank | None) -> str:
    """The banner's line for a bank file that failed to load: whether readers still get its
    last good version (and how much of it), or nothing until the file is fixed."""
    n = len(failure.problems)
    what = f"{display(failure.path)} ({n} problem{'s' * (n != 1)}, logged above)"
    if served is None:
        return (
            f"Bank not loaded: {what}: no good version to serve, so its reading is out of "
            "service until the file is fixed"
        )
    q = len(served.live_questions)
    return (
        f"Bank has errors: {what}: serving its last good version ({q} question{'s' * (q != 1)})"
        " until the file is fixed"
    )


def _worker_app(questions: Path | None, logged: Mapping[Path, Failure]) -> Flask:
    """A server worker's app: built after the fork, so its registry loads the banks again, but
    the failures the command logged before forking are not logged again by every worker."""
    from .registry import logged_elsewhere

    with logged_elsewhere(logged):
        return _app(questions)


@main.group("db")
def db_group() -> None:
    """Manage the database."""


@db_group.command("migrate", with_appcontext=False)
def db_migrate_command() -> None:
    """Apply pending schema migrations to the database (the server also does at start)."""
    from .store import migrate

    app = _app()
    state = app.extensions["studyapp"]
    applied = migrate(state.database, lock=state.lock)
    click.echo(
        f"Database {state.database} is up to date"
        + (f" (applied {', '.join(applied)})." if applied else ".")
    )


@main.command("publish", with_appcontext=False)
@click.argument("bank", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("ids", nargs=-1, metavar="[QUESTION_ID]...")
def publish_command(bank: Path, ids: tuple[str, ...]) -> None:
    """Publish drafts: delete the 'draft: true' line of each question named, or of every draft.

    BANK is a bank file (questions/<slug>.yaml). Its comments and layout stay; the file is
    rewritten only if it still loads with nothing changed but those questions' drafts, and the
    server shows them to students once it sees the file change.
    """
    from .bank_text import EditError
    from .publish import publish_drafts

    where = display(bank)
    try:
        done = publish_drafts(bank, ids, where)
    except EditError as exc:
        raise click.ClickException(f"{exc}. Nothing was published.") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {where}: {exc.strerror or exc}") from None
    for question_id in done.already:
        click.echo(f"'{question_id}' is not a draft: students already see it.")
    n = len(done.published)
    if n:
        click.echo(
            f"Published {n} question{'s' if n != 1 else ''} in {where}: "
            f"{', '.join(done.published)}."
        )
    elif not done.already:
        click.echo(f"{where} has no drafts to publish.")


@main.command("derive", with_appcontext=False)
@click.argument("document", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bank to write, or to add drafts to (default: the .yaml beside the document).",
)
@QUESTIONS_OPTION
def derive_command(document: Path, out: Path | None, questions: Path | None) -> None:
    """Derive draft questions from a reading into its bank.

    DOCUMENT is the reading (questions/<slug>.txt), plain text or Markdown, with or without the
    '---' header; page furniture in it is left out. Every question written is marked
    'draft: true', so students see none until an instructor has reviewed it and removed the
    flag. An existing bank is added to: its questions and their ids stay as they are. The other
    banks (--questions) supply same-kind distractors.
    """
    from .derive import BankError, BankIdTaken, derive_file

    target = out or document.with_suffix(".yaml")
    if target.resolve() == document.resolve():
        raise click.UsageError("DOCUMENT is the bank itself: give the reading (the .txt file)")
    try:
        result = derive_file(document, target, questions_dir(questions))
    except UnicodeDecodeError:
        raise click.ClickException(
            f"{display(document)} is not UTF-8 text: save it as UTF-8 and try again"
        ) from None
    except BankError as exc:
        raise click.ClickException(_cannot_add(target, exc)) from None
    except BankIdTaken as exc:
        raise click.ClickException(
            f"cannot create {display(target)}: its bank id '{exc.bank_id}' (from the file "
            f"name) is already the id of {display(exc.other)}, and two banks cannot share an "
            "id. Nothing was written. Rename the document to a name of its own, or pass --out "
            "with another bank file name (the id comes from it)."
        ) from None
    except OSError as exc:
        raise click.ClickException(
            f"cannot read or write {exc.filename or display(target)}: {exc.strerror or exc}"
        ) from None
    where = display(target)
    drafts = f"{result.written} draft{'s' if result.written != 1 else ''}"
    if result.created:
        click.echo(f"Wrote {drafts} to {where} (a new bank).")
    elif not target.exists():
        click.echo(f"Wrote no drafts: found no informative sentence in {display(document)}.")
    else:
        kept = f"{result.kept} question{'s' if result.kept != 1 else ''}"
        n = result.left_out
        asked = (
            f"; left out {n} draft{'s' if n != 1 else ''} its questions already ask" if n else ""
        )
        click.echo(f"Wrote {drafts} to {where}; kept its {kept} untouched{asked}.")


def _cannot_add(target: Path, exc: BankError) -> str:
    """Why derive left the bank ``target`` alone: with the checker's problems, printed as
    `studyapp check` prints them, when the bank could not be read at all."""
    where = display(target)
    if not exc.problems:
        return f"cannot add drafts to {where}: {exc} (see `studyapp check`)"
    problems = sort_problems(replace(p, path=where) for p in exc.problems)
    shown = render(problems, "full", {where: source_lines(exc.source)})
    return f"cannot add drafts to {where}: {exc}, so nothing was written. Fix this first:\n{shown}"
