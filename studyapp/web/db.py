"""The store for a request: the serving thread's own connection, kept between requests."""

from __future__ import annotations

from flask import current_app

from ..store import Store


def get_store() -> Store:
    return current_app.extensions["studyapp"].thread_store()
