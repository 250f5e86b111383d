"""Static asset URLs that carry a hash of the file's content, as datasette's ``static()`` does.

A changed stylesheet or script gets a new URL, so browsers may cache assets for a long time and
still never run an old script against a new page.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, current_app, request, url_for


class AssetTable:
    """Content hashes of the static files, computed once per file per process."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._hashes: dict[str, str] = {}
        self._urls: dict[tuple[str, str], str] = {}

    def version(self, filename: str) -> str:
        if filename not in self._hashes:
            try:
                data = (self.root / filename).read_bytes()
            except OSError:
                data = b""
            self._hashes[filename] = hashlib.sha256(data).hexdigest()[:10]
        return self._hashes[filename]


def static_url(filename: str) -> str:
    """URL of a static file with ``?v=<content hash>``, built once per mount point."""
    table: AssetTable = current_app.extensions["studyapp"].assets
    key = (request.script_root, filename)
    url = table._urls.get(key)
    if url is None:
        url = table._urls[key] = url_for("static", filename=filename, v=table.version(filename))
    return url


def init_app(app: Flask) -> None:
    app.jinja_env.globals["static_url"] = static_url
    app.config.setdefault("SEND_FILE_MAX_AGE_DEFAULT", 3600)
