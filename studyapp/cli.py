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
