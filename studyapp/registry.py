"""The banks in service, reloaded when their files change, keeping the last good version.

The server holds one registry per process. ``refresh`` is cheap when nothing changed (one
``stat`` per bank file and per document, at most once per interval), so every worker calls it on
each request and picks up an instructor's edit without a restart. A file that fails the checker
leaves its last good bank in service, if it ever loaded; its problems are logged once, exactly as
``studyapp check`` prints them, and kept for the instructor pages. With a ``LastGood`` folder,
the last good version also outlives a restart.

Once means once per server, not once per process: ``studyapp serve`` loads the banks (and logs
their failures) before it forks its workers, and each worker builds its own registry after the
fork. A worker builds it inside ``logged_elsewhere`` with the command's failures, so that it does
not log them a second (and third...) time.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .banks import LoadResult, bank_paths, load_banks
from .last_good import LastGood
from .model import Bank
from .problems import Problem, render, sort_problems, source_lines

log = logging.getLogger("studyapp.banks")

Signature = dict[Path, tuple[int, int]]

KEPT = "the last good version stays in service"
NOT_KEPT = "the reading is not in service until the errors are fixed"


@dataclass
class Failure:
    """A bank file whose latest version did not load.

    ``when`` is when this failing content was first seen: saving another bank, or reloading
    for any other reason, neither logs it again nor moves it. ``kept`` says whether a last good
    version of the bank stays in service (there is none for a file broken since start-up, or a
    new file that never loaded).
    """

    path: Path
    problems: list[Problem]
    rendered: str
    when: float
    kept: bool = False
    source: str = ""


@dataclass
class Snapshot:
    """An immutable view of what is in service, safe to use for a whole request."""

    banks: dict[str, Bank] = field(default_factory=dict)
    failures: dict[Path, Failure] = field(default_factory=dict)
    loaded_at: dict[str, float] = field(default_factory=dict)
    version: int = 0

    def bank(self, bank_id: str) -> Bank | None:
        return self.banks.get(bank_id)

    def last_good(self, failure: Failure) -> Bank | None:
        """The last good version of a failing file's bank, when it is the one in service."""
        if not failure.kept:
            return None
        return next((b for b in self.banks.values() if b.path == failure.path), None)

    @property
    def ordered(self) -> list[Bank]:
        """Banks in order of publication, then file name: the course reads them in time order."""
        return sorted(self.banks.values(), key=lambda b: (b.published, b.path.name))

    @property
    def for_students(self) -> list[Bank]:
        """The readings students see, in course order: those with a question that is not a
        draft (a bank fresh from ``studyapp derive`` is the instructor's alone)."""
        return [b for b in self.ordered if b.live_questions]


# Failures another process has logged already, by bank file; set by ``logged_elsewhere``. A
# context variable rather than an argument: the worker's registry is made inside the app factory.
_LOGGED_ELSEWHERE: ContextVar[Mapping[Path, Failure]] = ContextVar("studyapp_logged_elsewhere")


@contextmanager
def logged_elsewhere(failures: Mapping[Path, Failure]) -> Iterator[None]:
    """Within the block, a registry takes ``failures`` as logged already, as if it had logged
    them itself: a failure with the same text and problems keeps its first-seen time and is
    not logged again; anything else about the file is new and is logged."""
    token = _LOGGED_ELSEWHERE.set(failures)
    try:
        yield
    finally:
        _LOGGED_ELSEWHERE.reset(token)


def _signature(paths: list[Path], documents: Mapping[Path, Path]) -> Signature:
    """A cheap fingerprint of the bank files and of the document each one names.

    A bank names its document freely (``reading.md``, ``Notes.TXT``), so the registry watches the
    file the bank was read with, not a name guessed from the bank's. A missing file is left out,
    so that its appearing counts as a change.
    """
    sig: Signature = {}
    for p in paths:
        for f in (p, documents.get(p)):
            if f is None:
                continue
            try:
                st = f.stat()
            except OSError:
                continue
            sig[f] = (st.st_mtime_ns, st.st_size)
    return sig


def _document_path(result: LoadResult) -> Path | None:
    """The document a bank file names, also when the bank failed to load.

    A bank may fail because of its document (a quote not found, a missing file), and fixing the
    document must bring it back, so a failed file's ``document:`` is read from its YAML nodes.
    Composing, not loading: constructing values can raise on text the checker reports (a date
    such as ``2021-02-30`` is a ValueError), and nothing may stop the reload.
    """
    if result.bank is not None:
        return result.bank.document.path
    try:
        root = yaml.compose(result.source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:  # the first 'document', as the loader reads it
        if isinstance(key, yaml.ScalarNode) and key.value == "document":
            if isinstance(value, yaml.ScalarNode) and value.value.strip():
                return result.path.parent / value.value.strip()
            return None
    return None


class BankRegistry:
    """Loads the banks of a folder and reloads them when their files change."""

    def __init__(
        self,
        folder: Path,
        *,
        interval: float = 1.0,
        on_change: Callable[[list[Bank]], None] | None = None,
        on_remove: Callable[[list[str]], None] | None = None,
        last_good: LastGood | None = None,
    ) -> None:
        self.folder = folder
        self.last_good = last_good
        self.interval = interval
        self.on_change = on_change
        self.on_remove = on_remove
        self._lock = threading.Lock()
        self._snapshot = Snapshot()
        self._signature: Signature = {}
        self._documents: dict[Path, Path] = {}  # bank file -> the document it names
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
            signature = _signature(paths, self._documents)
            if signature == self._signature and not force:
                return self._snapshot
            self._snapshot = self._reload(paths)
            # Only now: had the reload failed, the next look must try again. A document first
            # named in this reload is not in ``signature``, so the next look loads once more
            # rather than trust a stat taken after the document was read.
            self._signature = signature
            return self._snapshot

    def _reload(self, paths: list[Path]) -> Snapshot:
        """Load every file; tell the store what changed and which bank ids left service."""
        old = self._snapshot
        now = time.time()
        results = load_banks(paths, self._display)
        self._documents = {r.path: d for r in results if (d := _document_path(r)) is not None}
        banks = {r.bank.id: r.bank for r in results if r.bank is not None}
        changed = [b for b in banks.values() if not _unchanged(old, b)]
        loaded_at = {
            b.id: old.loaded_at.get(b.id, now) if _unchanged(old, b) else now
            for b in banks.values()
        }
        self._keep(results, changed, paths)
        failures: dict[Path, Failure] = {}
        for r in results:
            if r.bank is not None:
                continue
            # The copy on disk first: it is the last good version any worker loaded. A worker
            # that had no request between a good save and a broken one never saw the good one,
            # and serving its own older version would let two workers show two versions.
            kept = self._restore(r.path, banks) or _last_good(old, r.path, banks)
            if kept is not None:
                banks[kept.id] = kept
                loaded_at[kept.id] = old.loaded_at.get(kept.id, now)
            previous = old.failures.get(r.path) or _LOGGED_ELSEWHERE.get({}).get(r.path)
            failures[r.path] = self._failure(r, previous, kept is not None)
        self._announce(old, changed)
        # A bank id that no loaded file provides any more (its file deleted, or its ``id:``
        # changed) leaves service for good; a file that fails keeps its last good bank above.
        gone = [bank_id for bank_id in old.banks if bank_id not in banks]
        for bank_id in gone:
            log.warning(
                "bank %s (%s) left service: no bank file names it any more (deleted, moved or"
                " its id changed); students' cards wait with their schedules until a file names"
                " it again",
                bank_id,
                self._display(old.banks[bank_id].path),
            )
        if gone and self.on_remove is not None:
            self.on_remove(gone)
        return Snapshot(banks, failures, loaded_at, old.version + 1)

    def _keep(self, results: list[LoadResult], changed: list[Bank], paths: list[Path]) -> None:
        """Copy the banks that loaded anew to the last good folder; drop deleted files' copies."""
        if self.last_good is None:
            return
        fresh = {b.path for b in changed}
        for r in results:
            if r.bank is not None and r.path in fresh:
                self.last_good.save(r.bank, r.source)
        self.last_good.forget({p.name for p in paths})

    def _restore(self, path: Path, banks: Mapping[str, Bank]) -> Bank | None:
        """A failing file's bank from its last good copy, shared by the server's workers,
        unless another file now serves its id."""
        if self.last_good is None:
            return None
        bank = self.last_good.restore(path)
        if bank is None or bank.id in banks:
            return None
        return bank

    def _announce(self, old: Snapshot, changed: list[Bank]) -> None:
        """Log the banks that were edited in service and hand every changed bank to the store."""
        for bank in changed:
            if bank.id in old.banks:  # each server worker says so (process id)
                log.info("bank %s reloaded in process %d", self._display(bank.path), os.getpid())
        if changed and self.on_change is not None:
            self.on_change(changed)

    def _failure(self, r: LoadResult, previous: Failure | None, kept: bool) -> Failure:
        """The failure of a file, logged only when its failing content is new.

        The same text with the same problems is the failure already logged (a reload caused by
        another bank's edit): it keeps its first-seen time and is not logged again.
        """
        problems = sort_problems(r.problems)  # as ``studyapp check`` orders them
        rendered = render(problems, "full", {self._display(r.path): source_lines(r.source)})
        if (
            previous is not None
            and previous.source == r.source
            and previous.rendered == rendered
            and previous.kept == kept
        ):
            return previous
        log.error(
            "bank %s failed to load; %s:\n%s",
            self._display(r.path),
            KEPT if kept else NOT_KEPT,
            rendered,
        )
        return Failure(r.path, problems, rendered, time.time(), kept, r.source)

    def _display(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)


def _unchanged(old: Snapshot, bank: Bank) -> bool:
    previous = old.banks.get(bank.id)
    return previous is not None and previous.digest == bank.digest


def _last_good(old: Snapshot, path: Path, banks: Mapping[str, Bank]) -> Bank | None:
    """The bank last loaded from ``path``, unless another file now serves its id."""
    return next((b for b in old.banks.values() if b.path == path and b.id not in banks), None)
