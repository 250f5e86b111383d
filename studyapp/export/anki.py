"""Anki packages (.apkg) from question banks, written with genanki.

A student imports a deck, studies it for weeks, then imports the next export after an instructor
edited the bank. Everything here serves that second import:

- A note's guid is ``genanki.guid_for(bank id, question id)``, so the new export updates the note
  the student already has (keeping its cards and review history) instead of adding a duplicate.
  A cloze number N is always card N of its note.
- Each question type has its own note type with a fixed id and a fixed list of fields, which
  must never change (``anki_notetypes``).
- Anki updates an existing note only when the incoming note's modification time is newer than its
  own. A note that did not change keeps the time it had in the previous export (read back from the
  packages about to be replaced); a new or edited note gets the time its bank or document file was
  last modified, and always more than the previous time. The same banks exported twice give the
  same bytes: note and card ids count up from the newest note's time, and the zip entries carry a
  fixed date.
- Note types carry ``MODEL_STAMP`` as their modification time, so a template or CSS change reaches
  students exactly when that constant is raised.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import genanki

from ..model import Bank, Question
from .anki_notetypes import MODEL_STAMP, NOTE_TYPES, card_css
from .markup import citation_html, text_html

# Zip entries get this date instead of the time of writing, so equal packages are equal bytes.
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)
_FIELD_SEP = "\x1f"


@dataclass(frozen=True)
class Stamp:
    """What an earlier package said about a note: its modification time and a content digest."""

    mod: int
    digest: str


class _Note(genanki.Note):
    """A note with its own modification time (genanki gives every note the package's)."""

    def __init__(self, *, mod: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def _digest(model_id: int, flds: str, tags: Iterable[str]) -> str:
    blob = f"{model_id}\x1e{flds}\x1e{' '.join(tags)}"
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _stable_id(*parts: str) -> int:
    """A deck id derived from names, in the range genanki recommends for hand-picked ids."""
    h = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(h[:4], "big") % (1 << 30)


def deck_name(bank: Bank, course_title: str | None) -> str:
    """``<Course>::<Reading title>``, or the reading title alone when there is no course."""
    title = bank.title.replace("::", ":")
    return f"{course_title.replace('::', ':')}::{title}" if course_title else title


def source_mod(bank: Bank) -> int:
    """When the bank file or its document last changed, in whole seconds since the epoch."""
    try:
        return int(max(bank.path.stat().st_mtime, bank.document.path.stat().st_mtime))
    except OSError:  # moved since it was loaded: anything now is newer than what students have
        return int(time.time())


def _letter(index: int) -> str:
    out, n = "", index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _choices(bank: Bank, q: Question) -> tuple[str, str]:
    """The lettered options (right ones classed ``correct``) and the answer line.

    The bank lists the right options first, so they are put in an order drawn from a hash of the
    question's ids: every export gives the same letters, and a new distractor reorders only the
    question it belongs to.
    """
    options = q.options
    keys = hashlib.shake_128(f"{bank.id}/{q.id}".encode()).digest(4 * len(options))
    order = sorted(range(len(options)), key=lambda i: keys[4 * i : 4 * i + 4])
    right = set(q.correct_options)
    items: list[str] = []
    answers: list[str] = []
    for letter, i in enumerate(order):
        text = text_html(options[i])
        if options[i] in right:
            items.append(f'<li class="correct">{text}</li>')
            answers.append(f"{_letter(letter)}. {text}")
        else:
            items.append(f"<li>{text}</li>")
    return f'<ol class="choices" type="A">{"".join(items)}</ol>', "<br>".join(answers)


def note_fields(bank: Bank, q: Question, citation: str | None = None) -> list[str]:
    """The note's field values (HTML), in the order of ``NOTE_TYPES[q.type].fields``.

    ``citation`` is the bank's ``citation_html``, when the caller has it already.
    """
    tail = [
        text_html(q.explain),
        text_html(q.quote),
        citation_html(bank) if citation is None else citation,
        f"{bank.id}/{q.id}",
    ]
    if q.type == "cloze":
        return [text_html(q.text), *tail]
    prompt = text_html(q.prompt)
    if q.type in ("choice", "multi"):
        return [prompt, *_choices(bank, q), *tail]
    if q.type == "truefalse":
        return [prompt, "True" if q.answer == "true" else "False", *tail]
    if q.type == "answer":
        return [prompt, text_html(q.answer), "; ".join(map(text_html, q.accept)), *tail]
    return [prompt, text_html(q.answer), *tail]


def note_tags(bank: Bank, q: Question) -> list[str]:
    """The bank id and the question's tags; Anki splits tags on spaces, so those become ``_``."""
    tags = [bank.id, *("_".join(t.split()) for t in q.tags)]
    return list(dict.fromkeys(t for t in tags if t))


def _build_deck(
    bank: Bank,
    course_title: str | None,
    models: Mapping[str, genanki.Model],
    previous: Mapping[str, Stamp],
) -> genanki.Deck:
    deck = genanki.Deck(_stable_id("deck", bank.id), deck_name(bank, course_title))
    deck.description = citation = citation_html(bank)
    changed = source_mod(bank)
    for position, q in enumerate(bank.live_questions, start=1):
        model_id = NOTE_TYPES[q.type].id
        fields = note_fields(bank, q, citation)
        tags = note_tags(bank, q)
        guid = genanki.guid_for(bank.id, q.id)
        prior = previous.get(guid)
        if prior is None:
            mod = changed
        elif prior.digest == _digest(model_id, _FIELD_SEP.join(fields), tags):
            mod = prior.mod
        else:
            mod = max(changed, prior.mod + 1)
        # Every card of a note is due at the question's position: new cards follow the bank.
        deck.add_note(
            _Note(model=models[q.type], fields=fields, tags=tags, guid=guid, due=position, mod=mod)
        )
    return deck


def _course_deck(course_title: str) -> genanki.Deck:
    return genanki.Deck(_stable_id("course", course_title), course_title.replace("::", ":"))


def build_decks(
    banks: Sequence[Bank],
    *,
    course_title: str | None = None,
    previous: Mapping[str, Stamp] | None = None,
) -> list[genanki.Deck]:
    """One deck per bank, holding its live (non-draft) questions in bank order.

    ``previous`` maps note guids to what an earlier export said about them (``read_stamps``):
    unchanged notes keep their time from it, so importing again leaves them alone.
    """
    css = card_css()
    models = {qtype: nt.model(css) for qtype, nt in NOTE_TYPES.items()}
    return [_build_deck(bank, course_title, models, previous or {}) for bank in banks]


def build_package(
    banks: Sequence[Bank],
    *,
    course_title: str | None = None,
    previous: Mapping[str, Stamp] | None = None,
) -> genanki.Package:
    """A package of the banks' decks, as subdecks of ``course_title`` when it is given.

    Write it with ``package_bytes`` rather than genanki's ``write_to_file``, which stamps the
    note types and ids with the current time.
    """
    decks = build_decks(banks, course_title=course_title, previous=previous)
    return _package(decks, course_title)


def _package(decks: list[genanki.Deck], course_title: str | None) -> genanki.Package:
    if course_title:
        decks = [_course_deck(course_title), *decks]
    return genanki.Package(decks)


def package_bytes(package: genanki.Package) -> bytes:
    """The .apkg file of a package: the same package always gives the same bytes."""
    notes = [note for deck in package.decks for note in deck.notes]
    # Ids are millisecond times in Anki; starting at the newest note's time keeps them plausible
    # ("Added" in the browser) and deterministic. Anki renumbers any that collide on import.
    first_id = max((getattr(n, "mod", MODEL_STAMP) for n in notes), default=MODEL_STAMP) * 1000
    db = sqlite3.connect(":memory:")
    try:
        package.write_to_db(db.cursor(), MODEL_STAMP, itertools.count(first_id))
        db.commit()
        collection = db.serialize()
    finally:
        db.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            # The fastest level: a third of the size of stored, at little cost over it.
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return out.getvalue()


def write_package(
    banks: Sequence[Bank],
    dest: Path | BinaryIO,
    *,
    course_title: str | None = None,
    previous: Mapping[str, Stamp] | None = None,
) -> None:
    """Write one package of ``banks`` to a path (replaced atomically) or a binary file object.

    For a download, pass the package served last time to ``read_stamps`` as ``previous``, so
    that students re-importing an unchanged question see it left alone.
    """
    data = package_bytes(build_package(banks, course_title=course_title, previous=previous))
    if isinstance(dest, Path):
        replace_file(dest, data)
    else:
        dest.write(data)


def replace_file(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a reader never sees half a package."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def read_stamps(paths: Iterable[Path]) -> dict[str, Stamp]:
    """Each note's modification time and content digest in earlier packages, by guid.

    Missing or unreadable files are skipped. A guid found in several packages keeps its newest
    entry, which is the version students may already have.
    """
    stamps: dict[str, Stamp] = {}
    for path in paths:
        try:
            with zipfile.ZipFile(path) as z:
                data = z.read("collection.anki2")
        except (OSError, KeyError, zipfile.BadZipFile):
            continue
        db = sqlite3.connect(":memory:")
        try:
            db.deserialize(data)
            rows = db.execute("SELECT guid, mid, mod, flds, tags FROM notes").fetchall()
        except sqlite3.DatabaseError:
            continue
        finally:
            db.close()
        for guid, mid, mod, flds, tags in rows:
            if guid not in stamps or stamps[guid].mod < mod:
                stamps[guid] = Stamp(mod, _digest(mid, flds, tags.split()))
    return stamps


def course_filename(course_title: str, banks: Sequence[Bank]) -> str:
    """The course package's file name: the title as a slug, kept clear of the banks' names."""
    slug = re.sub(r"[^a-z0-9]+", "-", course_title.lower()).strip("-") or "course"
    if slug in {b.id for b in banks}:
        slug += "-course"
    return f"{slug}.apkg"


def write_decks(
    banks: Sequence[Bank],
    out_dir: Path,
    *,
    course_title: str,
    course_package: bool = True,
    progress: Callable[[int], None] | None = None,
) -> list[Path]:
    """Write ``<bank id>.apkg`` for each bank and, unless told not to, the course package.

    Every reading's deck is a subdeck of ``course_title`` in both, so a student who imports one
    reading and later the whole course keeps one deck per reading. Banks without live questions
    get no package. The packages being replaced tell which notes are unchanged (see the module
    docstring). ``progress`` is called with the number of notes written after each package.
    Returns the paths written, the course package last.
    """
    banks = [b for b in banks if b.live_questions]
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [out_dir / f"{b.id}.apkg" for b in banks]
    course_path = out_dir / course_filename(course_title, banks)
    previous = read_stamps([*targets, course_path])
    decks = build_decks(banks, course_title=course_title, previous=previous)
    written: list[Path] = []
    for deck, path in zip(decks, targets, strict=True):
        replace_file(path, package_bytes(_package([deck], course_title)))
        written.append(path)
        if progress:
            progress(len(deck.notes))
    if course_package and banks:
        replace_file(course_path, package_bytes(_package(decks, course_title)))
        written.append(course_path)
        if progress:
            progress(sum(len(d.notes) for d in decks))
    return written
