"""The banks in service, reloaded when their files change, keeping the last good version.

The server holds one registry per process. ``refresh`` is cheap when nothing changed (one
``stat`` per file, at most once per interval), so every worker calls it on each request and picks up
an instructor's edit without a restart. A file that fails the checker leaves its last good bank in
service; its problems are logged exactly as ``studyapp check`` prints them and kept for the
instructor pages.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .banks import LoadResult, bank_paths, load_banks
from .model import Bank
from .problems import Problem, render, source_lines

log = logging.getLogger("studyapp.banks")


@dataclass
class Failure:
    """A bank file whose latest version did not load."""

    path: Path
    problems: list[Problem]
    rendered: str
    when: float


@dataclass
class Snapshot:
    """An immutable view of what is in service, safe to use for a whole request."""

    banks: dict[str, Bank] = field(default_factory=dict)
    failures: dict[Path, Failure] = field(default_factory=dict)
    loaded_at: dict[str, float] = field(default_factory=dict)
    version: int = 0

    def bank(self, bank_id: str) -> Bank | None:
        return self.banks.get(bank_id)

    @property
    def ordered(self) -> list[Bank]:
        """Banks in order of publication, then file name: the course reads them in time order."""
        return sorted(self.banks.values(), key=lambda b: (b.published, b.path.name))


def _signature(paths: list[Path]) -> dict[Path, tuple[int, int]]:
    """A cheap fingerprint of the bank files and the documents beside them."""
    sig: dict[Path, tuple[int, int]] = {}
    for p in paths:
        for f in (p, *p.parent.glob(p.stem + ".txt")):
            try:
                st = f.stat()
            except OSError:
                continue
            sig[f] = (st.st_mtime_ns, st.st_size)
    return sig


class BankRegistry:
    """Loads the banks of a folder and reloads them when their files change."""

    def __init__(
        self,
        folder: Path,
        *,
        interval: float = 1.0,
        on_change: Callable[[list[Bank]], None] | None = None,
        on_remove: Callable[[list[str]], None] | None = None,
    ) -> None:
        self.folder = folder
        self.interval = interval
        self.on_change = on_change
        self.on_remove = on_remove
        self._lock = threading.Lock()
        self._snapshot = Snapshot()
        self._signature: dict[Path, tuple[int, int]] = {}
        self._checked = 0.0

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def refresh(self, *, force: bool = False) -> Snapshot:
        """Reload if any bank or document changed since the last look; return what is in service."""
        now = time.monotonic()
        if not force and now - self._checked < self.interval:
            return self._snapshot
        with self._lock:
            if not force and now - self._checked < self.interval:
                return self._snapshot
            self._checked = now
            paths = bank_paths(self.folder) if self.folder.is_dir() else []
            signature = _signature(paths)
            if signature == self._signature and not force:
                return self._snapshot
            self._snapshot = self._reload(paths)
            # Only now: had the reload failed, the next look must try again.
            self._signature = signature
            return self._snapshot

    def _reload(self, paths: list[Path]) -> Snapshot:
        old = self._snapshot
        results = load_banks(paths, self._display)
        banks: dict[str, Bank] = {}
        failures: dict[Path, Failure] = {}
        loaded_at: dict[str, float] = {}
        changed: list[Bank] = []
        for r in results:
            if r.bank is not None:
                banks[r.bank.id] = r.bank
                previous = old.banks.get(r.bank.id)
                unchanged = previous is not None and previous.digest == r.bank.digest
                loaded_at[r.bank.id] = old.loaded_at[r.bank.id] if unchanged else time.time()
                if not unchanged:
                    changed.append(r.bank)
                    if previous is not None:  # each server worker says so (process id)
                        log.info(
                            "bank %s reloaded in process %d",
                            self._display(r.path),
                            os.getpid(),
                        )
                continue
            failures[r.path] = self._failure(r)
            kept = next((b for b in old.banks.values() if b.path == r.path), None)
            if kept is not None:
                banks[kept.id] = kept
                loaded_at[kept.id] = old.loaded_at.get(kept.id, time.time())
        if changed and self.on_change is not None:
            self.on_change(changed)
        # A bank whose file is gone (not one that failed to load) leaves service for good.
        gone = [b.id for b in old.banks.values() if b.id not in banks and not b.path.exists()]
        if gone and self.on_remove is not None:
            self.on_remove(gone)
        return Snapshot(banks, failures, loaded_at, old.version + 1)

    def _failure(self, r: LoadResult) -> Failure:
        rendered = render(r.problems, "full", {self._display(r.path): source_lines(r.source)})
        log.error(
            "bank %s failed to load; the last good version stays in service:\n%s",
            self._display(r.path),
            rendered,
        )
        return Failure(r.path, r.problems, rendered, time.time())

    def _display(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)
