"""Configuration defaults and where studyapp finds its banks and templates.

Settings come, in order, from these defaults, the instance folder's ``config.py``, ``STUDYAPP_*``
environment variables and the mapping a test passes to ``create_app``. Values read from the
environment are parsed as JSON where they can be (``STUDYAPP_NEW_CARDS_PER_DAY=30`` is a number).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Config

PACKAGE_DIR = Path(__file__).resolve().parent

DEFAULTS: dict[str, Any] = {
    # Folder of banks (*.yaml) and their documents; None: see questions_dir().
    "QUESTIONS": None,
    # SQLite file; None puts studyapp.sqlite3 in the instance folder.
    "DATABASE": None,
    # Folder of each bank's last good copy, served at start while its file fails the checker;
    # None puts banks-last-good in the instance folder.
    "LAST_GOOD_BANKS": None,
    # PRAGMA synchronous: FULL survives a power cut; NORMAL (in WAL mode) only a crash.
    "SYNCHRONOUS": "FULL",
    # Seconds a writer waits for the database lock before giving up.
    "BUSY_TIMEOUT": 30.0,
    # FSRS: share of reviews the schedule aims to pass, steps in minutes, cap in days.
    "DESIRED_RETENTION": 0.9,
    "LEARNING_STEPS": [1, 10],
    "RELEARNING_STEPS": [10],
    "MAXIMUM_INTERVAL": 36500,
    "ENABLE_FUZZING": True,
    # New cards a student is shown per day, and when their day rolls over.
    "NEW_CARDS_PER_DAY": 20,
    "DAY_STARTS_AT_HOUR": 4,
    "DEFAULT_TIMEZONE": "UTC",
    # Whether anyone may create a student account from the sign-in page.
    "SIGNUP_OPEN": True,
    # Failed sign-ins allowed per account and address within the window, before a 429.
    "LOGIN_ATTEMPTS": 5,
    "LOGIN_WINDOW_SECONDS": 300,
    # Reverse proxies in front of the server that set X-Forwarded-For/-Proto/-Host (0: none).
    "PROXIES": 0,
    # Set true behind HTTPS so cookies are only sent over it.
    "SESSION_COOKIE_SECURE": False,
    # Seconds between checks of the bank files for edits.
    "BANK_RELOAD_INTERVAL": 1.0,
    # Where `studyapp export` writes decks by default.
    "EXPORT_DIR": "export",
    "COURSE_TITLE": "China-South Korea Relations",
}


def packaged_questions() -> Path:
    """The banks shipped with studyapp: in the wheel, or the repository's questions/."""
    inside = PACKAGE_DIR / "_questions"
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / "questions"


def templates_dir() -> Path:
    """The templates folder: in the wheel, or the repository's templates/."""
    inside = PACKAGE_DIR / "_templates"
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / "templates"


def questions_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """Where banks are read from: the given folder, ``$STUDYAPP_QUESTIONS``, ``./questions``
    when it holds banks, else the banks shipped in the package."""
    chosen = value or os.environ.get("STUDYAPP_QUESTIONS")
    if chosen:
        return Path(chosen)
    here = Path.cwd() / "questions"
    if here.is_dir() and any(here.glob("*.yaml")):
        return here
    return packaged_questions()


def read_settings() -> Config:
    """The settings as ``create_app`` reads them: defaults, the instance folder's ``config.py``
    (``STUDYAPP_INSTANCE`` or Flask's instance folder), then ``STUDYAPP_*`` variables.

    For commands that need a setting (``export``: ``EXPORT_DIR``, ``COURSE_TITLE``) but not the
    app: building it would create the instance folder, its secret key and the database. Flask is
    imported here, not at the top, so that modules reading the defaults stay free of it.
    """
    from flask import Config, Flask

    chosen = os.environ.get("STUDYAPP_INSTANCE")
    instance = Path(chosen).resolve() if chosen else Path(Flask("studyapp").instance_path)
    settings = Config(instance)
    load_settings(settings)
    return settings


def load_settings(settings: Config) -> None:
    """Fill ``settings`` (a Flask config rooted at the instance folder) in the one order both
    the app and the commands use: defaults, the instance's ``config.py``, ``STUDYAPP_*``."""
    settings.from_mapping(DEFAULTS)
    settings.from_pyfile("config.py", silent=True)
    settings.from_prefixed_env("STUDYAPP")
