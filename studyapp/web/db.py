"""The request's store connection, opened on first use and closed at teardown (flaskr's get_db)."""

from __future__ import annotations

from flask import Flask, current_app, g

from ..store import Store


def get_store() -> Store:
    if "store" not in g:
        g.store = current_app.extensions["studyapp"].open_store()
    return g.store


def _close(exc: BaseException | None = None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
