"""Assemble the Flask app: configuration, instance folder, banks, blueprints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from ..config import DEFAULTS, templates_dir


def build_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask("studyapp", template_folder=str(templates_dir()), instance_relative_config=True)
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("STUDYAPP")
    if config:
        app.config.from_mapping(config)
    return app
