"""Anki decks to download: one reading's, or the whole course's, from the banks in service.

Packages are built by the exporter (``studyapp.export.anki``) and kept in the instance folder's
``decks/`` until a bank changes. A package's file name carries a digest of what it is built from
(each bank's digest, the course title, the note types' stamp), so an edited bank or document
gives a new name and the next download builds afresh; unchanged packages are read from disk,
with that digest as their ETag.

Students re-import the deck after instructors edit a bank, so a new package is built the way
``studyapp export`` builds one: note guids come from the bank and question ids (an import updates
the note a student has, never adds a second), and the packages served before are read back
(``read_stamps``) and passed as ``previous``, so an unchanged note keeps its modification time and
Anki leaves it alone, while an edited one gets a newer time and is updated. The old file of the
same package is removed only after its successor is written, so its stamps carry forward.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, send_file
from flask_login import login_required

from ..export.anki import build_package, course_filename, package_bytes, read_stamps
from ..export.anki_notetypes import MODEL_STAMP
from ..model import Bank

bp = Blueprint("decks", __name__, url_prefix="/decks")
# Raise when the cached files' layout or content rules change, to build everything afresh.
CACHE_VERSION = 1


def cache_key(banks: Sequence[Bank], course_title: str) -> str:
    """What a package is built from, as a short digest: it changes exactly when the package would."""
    blob = json.dumps(
        [CACHE_VERSION, MODEL_STAMP, course_title, [(b.id, b.digest) for b in banks]],
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


class DeckCache:
    """Built packages in a folder, one file per package and version: ``<name>.<key>.apkg``."""

    def __init__(self, folder: Path, course_title: str) -> None:
        self.folder = folder
        self.course_title = course_title
        self._lock = threading.Lock()

    def package(self, name: str, banks: Sequence[Bank]) -> tuple[bytes, str]:
        """The bytes of package ``name`` of ``banks`` (built if missing) and its cache key.

        Packages are small (a few hundred kilobytes for a course), so they are served from
        memory; reading the file whole also leaves nothing open if another process replaces it.
        """
        key = cache_key(banks, self.course_title)
        path = self.folder / f"{name}.{key}.apkg"
        try:
            return path.read_bytes(), key
        except FileNotFoundError:
            pass
        with self._lock:
            try:
                return path.read_bytes(), key
            except FileNotFoundError:
                return self._build(name, banks, path), key

    def _build(self, name: str, banks: Sequence[Bank], path: Path) -> bytes:
        self.folder.mkdir(parents=True, exist_ok=True)
        # Every package served so far: a note may have reached a student through any of them.
        previous = read_stamps(sorted(self.folder.glob("*.apkg")))
        data = package_bytes(
            build_package(banks, course_title=self.course_title, previous=previous)
        )
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            tmp.write_bytes(data)
            os.replace(tmp, path)  # whole or not at all: another worker may read it any time
        finally:
            tmp.unlink(missing_ok=True)
        for old in self.folder.glob(f"{name}.*.apkg"):
            if old != path:
                old.unlink(missing_ok=True)
        return data


def _cache() -> DeckCache:
    return current_app.extensions["studyapp.decks"]


def _banks():
    return current_app.extensions["studyapp"].registry.refresh()


def _send(data: bytes, key: str, filename: str):
    response = send_file(
        io.BytesIO(data),
        mimetype="application/apkg",
        as_attachment=True,
        download_name=filename,
        etag=key,
        conditional=True,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/reading/<bank_id>.apkg")
@login_required
def reading(bank_id: str):
    bank = _banks().bank(bank_id)
    if bank is None:
        abort(404, "There is no such reading.")
    if not bank.live_questions:
        abort(404, "This reading has no questions yet.")
    data, key = _cache().package(f"reading-{bank.id}", [bank])
    return _send(data, key, f"{bank.id}.apkg")


@bp.route("/course.apkg")
@login_required
def course():
    banks = _banks().for_students
    if not banks:
        abort(404, "No reading has questions yet.")
    cache = _cache()
    data, key = cache.package("course", banks)
    return _send(data, key, course_filename(cache.course_title, banks))


def init_app(app: Flask) -> None:
    app.extensions["studyapp.decks"] = DeckCache(
        Path(app.instance_path) / "decks", str(app.config["COURSE_TITLE"])
    )
