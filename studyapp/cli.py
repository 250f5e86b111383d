"""The ``studyapp`` command: check banks, export decks, derive drafts, manage users, serve.

A click group built on Flask's ``FlaskGroup`` so that commands which need the app (users, the
database, serving) get it from the factory, and commands which do not (check, export) stay fast.
A user mistake ends in ``click.ClickException`` with what to do, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup

from . import create_app
from .banks import bank_paths, load_banks
from .config import questions_dir
from .problems import FORMATS, render, sort_problems, summary

QUESTIONS_OPTION = click.option(
    "--questions",
    "questions",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="STUDYAPP_QUESTIONS",
    help="Folder of question banks (default: ./questions, else the shipped banks).",
)


@click.group(
    cls=FlaskGroup, create_app=create_app, add_version_option=False, add_default_commands=False
)
def main() -> None:
    """studyapp: question banks grounded in their readings, reviewed with FSRS."""


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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
    files: list[Path] = []
    for p in paths or (questions_dir(questions),):
        if p.is_dir():
            found = bank_paths(p)
            if not found and paths:
                raise click.UsageError(f"no bank (*.yaml) in {p}")
            files.extend(found)
        else:
            files.append(p)
    if not files:
        raise click.ClickException(f"no bank (*.yaml) in {questions_dir(questions)}")
    problems = []
    sources: dict[str, list[str]] = {}
    n_questions = 0
    for result in load_banks(files, _display):
        problems.extend(result.problems)
        sources[_display(result.path)] = result.source.splitlines()
        n_questions += result.questions
    problems = sort_problems(problems)
    if fmt == "json":
        click.echo(render(problems, "json"))
    else:
        if problems:
            click.echo(render(problems, fmt, sources))
            click.echo()
        click.echo(summary(problems, len(files), n_questions))
    sys.exit(1 if problems else 0)


def _app(questions: Path | None = None):
    """Build the app the way the server does (instance folder, STUDYAPP_* settings)."""
    return create_app({"QUESTIONS": str(questions)} if questions else None)


@main.command("serve", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--threads", default=8, show_default=True, type=int, help="Worker threads of the server."
)
@QUESTIONS_OPTION
def serve_command(host: str, port: int, threads: int, questions: Path | None) -> None:
    """Serve studyapp with the waitress WSGI server (not Flask's development server)."""
    from waitress import serve

    app = _app(questions)
    state = app.extensions["studyapp"]
    snapshot = state.registry.snapshot
    click.echo(f"Instance folder: {app.instance_path}")
    click.echo(f"Database:        {state.database}")
    n = sum(len(b.live_questions) for b in snapshot.banks.values())
    click.echo(
        f"Banks:           {len(snapshot.banks)} from {state.registry.folder} ({n} questions)"
    )
    for failure in snapshot.failures.values():
        click.echo(f"Bank not loaded: {failure.path} (see the log above)", err=True)
    signup = (
        "create an account on the sign-in page"
        if app.config["SIGNUP_OPEN"]
        else ("sign-up is closed: add accounts with 'studyapp user add NAME'")
    )
    click.echo(f"Serving on http://{host}:{port}/ ({signup}). Press Ctrl+C to stop.")
    serve(app, host=host, port=port, threads=threads, ident="studyapp")


@main.group("user")
def user_group() -> None:
    """Manage accounts."""


@user_group.command("add", with_appcontext=False)
@click.argument("name")
@click.option("--instructor", is_flag=True, help="Give the account the instructor role.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="STUDYAPP_NEW_PASSWORD",
    help="The password (prompted for when not given; or set STUDYAPP_NEW_PASSWORD).",
)
@click.option("--timezone", default="UTC", show_default=True, help="The account's time zone.")
def user_add_command(name: str, instructor: bool, password: str, timezone: str) -> None:
    """Create an account (a student unless --instructor)."""
    from werkzeug.security import generate_password_hash

    from .store import UserExists

    if len(password) < 8:
        raise click.BadParameter("use at least 8 characters", param_hint="--password")
    app = _app()
    role = "instructor" if instructor else "student"
    with app.extensions["studyapp"].open_store() as store:
        try:
            user = store.create_user(name, generate_password_hash(password), role, timezone)
        except UserExists:
            raise click.ClickException(f"an account named '{name}' already exists") from None
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Created {role} '{user.name}' in {app.extensions['studyapp'].database}.")


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
