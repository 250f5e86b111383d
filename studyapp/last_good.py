"""Copies of each bank file and its document as they last loaded cleanly, kept on disk.

The registry keeps a bank's last good version in service while its file fails the checker, but
only in memory: a server restarted while an instructor's edit is broken would otherwise start
without that reading, and every student would lose it until the file is fixed. So each bank that
loads is copied, with its document, into a folder of the instance (``banks-last-good``), and at
start a file that fails is served from its copy instead. The copy is checked again as it is
loaded, so a copy that no longer passes (a checker grown stricter) is never served.

One folder per bank file, named after it, holding the YAML and the document under the name the
YAML gives it, so the copy loads exactly as the original did (same text, same digest).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .banks import load_bank
from .model import Bank

log = logging.getLogger("studyapp.banks")


class LastGood:
    """The folder of last good copies: ``save`` after a clean load, ``restore`` at start."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _home(self, bank_file: Path) -> Path:
        return self.folder / bank_file.name

    def save(self, bank: Bank, source: str) -> None:
        """Keep ``source`` (the bank file's text as loaded) and the bank's document.

        The document is copied from disk; one edited since the load makes a copy that may not
        load, and a copy that does not load is never served. Failing to write is logged, not
        raised: the copies are a fallback, and serving must go on without them.
        """
        home = self._home(bank.path)
        try:
            document = bank.document.path.relative_to(bank.path.parent)
        except ValueError:
            document = None
        if document is None or ".." in document.parts:
            log.info("no last good copy of %s: its document is outside its folder", bank.path)
            return
        try:
            home.mkdir(parents=True, exist_ok=True)
            _write(home / document, bank.document.path.read_bytes())
            _write(home / bank.path.name, source.encode("utf-8"))
        except OSError as exc:
            log.warning("could not keep a last good copy of %s: %s", bank.path, exc)

    def restore(self, bank_file: Path) -> Bank | None:
        """The bank last loaded from ``bank_file``, read from its copy, or None.

        The bank keeps the original's path, so instructors' edits (an accepted answer) still go
        to the file in the questions folder, never to the copy.
        """
        copy = self._home(bank_file) / bank_file.name
        if not copy.is_file():
            return None
        result = load_bank(copy)
        if result.bank is None:
            return None
        return dataclasses.replace(result.bank, path=bank_file)

    def forget(self, keep: set[str]) -> None:
        """Drop the copies of bank files other than those named in ``keep`` (deleted files)."""
        if not self.folder.is_dir():
            return
        for home in self.folder.iterdir():
            if home.is_dir() and home.name not in keep:
                shutil.rmtree(home, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    """Write atomically: each server worker keeps copies, and a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
