"""studyapp: a quiz and flashcard study app whose every question is grounded in its reading."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: defaults, instance config.py, STUDYAPP_* variables, then ``config``."""
    from .web.app import build_app

    return build_app(config)
