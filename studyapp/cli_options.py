"""What several ``studyapp`` commands share: the ``--questions`` option and how paths are shown.

Kept apart from ``cli`` so that the command modules (``cli_export``) can use them without
importing the group that imports them.
"""

from __future__ import annotations

from pathlib import Path

import click

QUESTIONS_OPTION = click.option(
    "--questions",
    "questions",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="STUDYAPP_QUESTIONS",
    help="Folder of question banks (default: ./questions, else the shipped banks).",
)


def display(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it, as the user typed it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
