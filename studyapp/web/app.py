"""Assemble the Flask app: configuration, instance folder, banks, store, blueprints.

``build_app`` only builds: it reads configuration, creates the instance folder and its secret key
on first start, migrates the database, loads the banks and registers the blueprints. It opens no
network connection and never prompts, so tests and every server worker can call it freely.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from ..config import load_settings, questions_dir, templates_dir
from ..database import WriteLock
from ..last_good import LastGood
from ..model import Bank
from ..registry import BankRegistry
from ..scheduler import SchedulerSettings, StudyScheduler
from ..store import Store, migrate
from . import (
    account,
    assets,
    auth,
    decks,
    errors,
    instructor,
    practice,
    progress,
    reading,
    reports,
    security,
    study,
    times,
)

log = logging.getLogger("studyapp.banks")


class StudyApp:
    """Per-app state, kept in ``app.extensions["studyapp"]`` (no module-level globals)."""

    def __init__(self, config: Mapping[str, Any], static_folder: Path) -> None:
        self.config = config
        self.database = Path(config["DATABASE"])
        self.scheduler = StudyScheduler(SchedulerSettings.from_config(config))
        self._local = threading.local()
        self.lock = WriteLock(self.database, float(config["BUSY_TIMEOUT"]))
        self.registry = BankRegistry(
            Path(config["QUESTIONS"]),
            interval=float(config["BANK_RELOAD_INTERVAL"]),
            on_change=self._sync,
            on_remove=self._retire,
            last_good=LastGood(Path(config["LAST_GOOD_BANKS"])),
        )
        self.assets = assets.AssetTable(static_folder)
        # Navigation entries areas add in their init_app: dicts of label, endpoint, prefix (the
        # endpoint prefix that marks the entry current) and optionally role ("instructor").
        self.nav: list[dict[str, str]] = []
        self.throttle = auth.LoginThrottle(
            int(config["LOGIN_ATTEMPTS"]), float(config["LOGIN_WINDOW_SECONDS"])
        )

    def thread_store(self) -> Store:
        """This thread's store, opened once and kept: a server thread serves request after
        request, and opening SQLite (with its pragmas) costs more than most queries."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = self.open_store()
        return store

    def open_store(self) -> Store:
        return Store.open(
            self.database,
            synchronous=str(self.config["SYNCHRONOUS"]),
            busy_timeout=float(self.config["BUSY_TIMEOUT"]),
            lock=self.lock,
            scheduler=self.scheduler,
        )

    def _retire(self, bank_ids: list[str]) -> None:
        """Retire banks whose files were deleted: their cards leave every queue, history stays."""
        with self.open_store() as store:
            for bank_id in bank_ids:
                store.retire_bank(bank_id, datetime.now(UTC))

    def retire_missing(self) -> None:
        """At start: retire recorded banks that went while the server was down: their file was
        deleted, or now serves another id (the ``id:`` was changed). A bank whose file fails to
        load stays recorded: fixing the file brings it back with its schedules."""
        in_service = self.registry.snapshot.banks
        serving = {Path(b.path).resolve(): b.id for b in in_service.values()}
        with self.open_store() as store:
            gone = [
                bank_id
                for bank_id, path in store.recorded_banks().items()
                if bank_id not in in_service
                and (not Path(path).exists() or Path(path).resolve() in serving)
            ]
        if gone:
            self._retire(gone)

    def _sync(self, banks: list[Bank]) -> None:
        """Record changed banks in the store (new cards, retired ones) as they come into service.

        An edit that retired a studied question and added one on its passage is logged as a
        likely rename (``renames``): the instructor pages show it too, but the log is where an
        instructor watching the server after a save looks first.
        """
        with self.open_store() as store:
            for bank in banks:
                report = store.sync_bank(bank, datetime.now(UTC))
                if not (report.retired and report.added):
                    continue
                for r in store.likely_renames(bank.id):
                    if r.old_id in report.retired and r.new_id in report.added:
                        log.warning(
                            "bank %s: question %r looks like %r renamed; %d student(s) had"
                            " studied %r, and their progress stays with that id. If it is a"
                            " rename, change the id back to %r.",
                            bank.id,
                            r.new_id,
                            r.old_id,
                            r.students,
                            r.old_id,
                            r.old_id,
                        )


def _instance_path(config: Mapping[str, Any] | None) -> str | None:
    chosen = (config or {}).get("INSTANCE_PATH") or os.environ.get("STUDYAPP_INSTANCE")
    return str(Path(chosen).resolve()) if chosen else None


def _secret_key(instance: Path) -> str:
    """The instance's secret key, generated on first start and kept (there is no "dev" key)."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def build_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        "studyapp",
        template_folder=str(templates_dir()),
        static_folder=str(Path(__file__).resolve().parent.parent / "static"),
        instance_path=_instance_path(config),
        instance_relative_config=True,
    )
    load_settings(app.config)
    if config:
        app.config.from_mapping(config)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
    app.config["DATABASE"] = str(app.config["DATABASE"] or instance / "studyapp.sqlite3")
    app.config["QUESTIONS"] = str(questions_dir(app.config["QUESTIONS"]))
    app.config["LAST_GOOD_BANKS"] = str(
        app.config["LAST_GOOD_BANKS"] or instance / "banks-last-good"
    )
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=64 * 1024,
        # A CSRF token lives as long as the session: a timed practice test may run for hours,
        # and its last autosave must not be refused for an expired token.
        WTF_CSRF_TIME_LIMIT=None,
    )
    # app.logger is the "studyapp" logger, with Flask's handler (the server's error stream):
    # the modules' loggers (studyapp.registry, ...) report through it.
    app.logger.setLevel(logging.INFO)

    proxies = int(app.config["PROXIES"])
    if proxies:
        # The client's address (for the sign-in limit) and scheme, as the proxies pass them on.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    state = StudyApp(app.config, Path(app.static_folder or ""))
    migrate(state.database, busy_timeout=float(app.config["BUSY_TIMEOUT"]), lock=state.lock)
    app.extensions["studyapp"] = state
    state.registry.refresh(force=True)
    state.retire_missing()

    CSRFProtect(app)
    auth.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    assets.init_app(app)
    times.init_app(app)
    app.jinja_env.globals["extra_nav"] = lambda: state.nav
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(study.bp)
    app.register_blueprint(reading.bp)
    app.register_blueprint(practice.bp)
    app.register_blueprint(progress.bp)
    app.register_blueprint(decks.bp)
    practice.init_app(app)
    progress.init_app(app)
    decks.init_app(app)
    app.register_blueprint(instructor.bp)
    app.register_blueprint(reports.bp)
    instructor.init_app(app)
    reports.init_app(app)
    return app
