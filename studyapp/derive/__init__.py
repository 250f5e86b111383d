"""Derive a draft question bank from a reading, for an instructor to review.

``studyapp derive questions/<slug>.txt`` runs six steps, each a module of its own with functions
that can be tested alone: ``clean`` (set page furniture aside), ``segment`` (sentences, verbatim),
``candidates`` (what a sentence says worth remembering, typed), ``score`` (how much it is worth),
``build`` (cloze, choice and true/false questions) and ``distractors`` (same-kind wrong options
the document does not make right). ``write`` adds the drafts to a bank file without touching what
is there, and ``asked`` leaves out what its questions already ask. Every question is marked
``draft: true`` and quotes the document verbatim, so ``studyapp check`` passes and students see
nothing until an instructor has removed the flag.

Libraries, and why these. Everything installs from PyPI with the project and works offline:

- syntok (MIT, 25 kB, pure Python) finds sentence ends and reports every token's offset, so a
  sentence is an exact slice of the body and its quote is verbatim. It knows abbreviations ("U.S.",
  "Dr.") and, on the shipped readings, splits as pysbd does while running about six times faster
  (pysbd, last released in 2021, needs its slower span mode to give offsets at all).
- wordfreq (code Apache-2.0, word lists CC-BY-SA 4.0; its English list ships in the wheel, so
  nothing is downloaded) says how common a word is. That tells a rare term worth a cloze
  ("denuclearization") from an everyday word, and a sentence's capitalised first word ("Despite")
  from a name ("Pyongyang"). The wheel is large (57 MB, all its languages) but installs in seconds;
  we read only the English list, once (0.1 s).
- Names are typed by rules over the words around them (``lexicon``): a role before a name, an
  organisation word at its end, a small table of countries and capitals. spaCy would type names
  better, but its English model is not published on PyPI by its authors (only on GitHub releases
  or unofficial mirrors), so it cannot install with the project from the registry; NLTK needs its
  data downloaded at run time. Both would also cost seconds of loading for a few hundred names.

Output is deterministic: no randomness, and ties are broken by a hash of the text.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..banks import LoadResult, bank_paths, load_bank
from ..documents import Document, parse_document
from .asked import leave_out_asked
from .build import Draft, questions_for_sentence
from .candidates import Candidate, find_candidates, numeric_candidates
from .clean import clean, find_title
from .distractors import SWAPPABLE, Alternative, build_pool, pick_distractors, role_of
from .score import score_candidates
from .segment import Sentence, segment
from .write import (
    BankError,
    Existing,
    append_questions,
    assign_ids,
    bank_id_for,
    draft_wording,
    new_bank,
    read_existing,
    render_question,
)

__all__ = [
    "BankError",
    "BankIdTaken",
    "Candidate",
    "DeriveResult",
    "Draft",
    "Sentence",
    "alternatives_from_banks",
    "analyse",
    "derive_drafts",
    "derive_file",
    "pick_distractors",
]


class BankIdTaken(Exception):
    """The new bank's id (from its file name) is already the id of another bank file.

    Two banks with one id cannot both be in service: at the next start the server would keep one
    of them (perhaps the all-draft one) and refuse the other, and students would lose a reading.
    """

    def __init__(self, bank_id: str, other: Path) -> None:
        super().__init__(f"bank id '{bank_id}' is already the id of {other}")
        self.bank_id = bank_id
        self.other = other


@dataclass(frozen=True)
class DeriveResult:
    """What ``derive_file`` did: drafts written, questions already in the bank, and where.

    ``left_out`` counts the drafts not written because the bank already asks them.
    """

    path: Path
    written: int
    kept: int
    created: bool
    left_out: int = 0


def analyse(document: Document) -> tuple[list[Sentence], list[list[Candidate]]]:
    """Clean, segment, find and score: the article's sentences and their scored candidates."""
    sentences = segment(document.body, clean(document.body))
    return sentences, score_candidates(sentences, find_candidates(sentences))


def derive_drafts(document: Document, others: Iterable[Alternative] = ()) -> list[Draft]:
    """Draft questions for ``document``, in reading order; ``others`` widen the distractors."""
    return _sentences_and_drafts(document, others)[1]


def _sentences_and_drafts(
    document: Document, others: Iterable[Alternative]
) -> tuple[list[Sentence], list[Draft]]:
    """The document's sentences and its drafts (whose ``sentence`` indexes the former)."""
    sentences, scored = analyse(document)
    pool = build_pool(sentences, scored, others)

    def found(quote: str) -> bool:
        return document.find_quote(quote) >= 0

    drafts: list[Draft] = []
    asked: Counter[str] = Counter()
    for sentence, candidates in zip(sentences, scored, strict=True):
        drafts.extend(questions_for_sentence(sentence, candidates, pool, found, asked))
    return sentences, [d for d in drafts if found(d.quote)]


def alternatives_from_banks(
    documents: Sequence[Document], options: Iterable[str] = ()
) -> list[Alternative]:
    """Same-kind alternatives from other banks: their documents' candidates, and the choice
    options whose kind can be told (a year, a percentage, a name typed in those documents)."""
    out: list[Alternative] = []
    known: dict[str, tuple[str, str]] = {}
    for doc in documents:
        sentences, scored = analyse(doc)
        for sentence, found in zip(sentences, scored, strict=True):
            for c in found:
                if c.kind in SWAPPABLE and c.sub != "person-weak":
                    out.append(Alternative(c.text, c.kind, c.sub, None, role_of(sentence.text, c)))
                    known.setdefault(c.text, (c.kind, c.sub))
    for option in options:
        typed = numeric_candidates(option)
        if len(typed) == 1 and typed[0].text == option.strip():
            out.append(Alternative(typed[0].text, typed[0].kind, typed[0].sub, None))
        elif option in known:
            out.append(Alternative(option, *known[option], None))
    return out


def _load_banks_in(folder: Path | None, exclude: Path) -> list[LoadResult]:
    """Every bank file in ``folder`` but ``exclude``, loaded (broken ones too)."""
    if folder is None or not folder.is_dir():
        return []
    return [load_bank(p) for p in bank_paths(folder) if p.resolve() != exclude.resolve()]


def _other_banks(
    results: Sequence[LoadResult], document: Document
) -> tuple[list[Document], list[str]]:
    """The documents and choice options of the other banks (never this document's)."""
    documents, options = [], []
    for bank in (r.bank for r in results):
        if bank is None or bank.document.body == document.body:
            continue
        documents.append(bank.document)
        for q in bank.questions:
            if q.type == "choice":
                options.extend([q.answer, *q.distractors])
    return documents, options


def _declared_id(result: LoadResult) -> str | None:
    """The id a bank file declares, read from its text when the bank has problems: once they
    are fixed, that id is taken all the same."""
    if result.bank is not None:
        return result.bank.id
    try:
        data = yaml.safe_load(result.source)
    except yaml.YAMLError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return str(value) if value is not None else None


def _check_id_free(
    bank_id: str, out: Path, folder: Path | None, others: Sequence[LoadResult]
) -> None:
    """Raise BankIdTaken if a bank beside ``out``, or in the questions ``folder`` (whose banks
    are ``others``), already has ``bank_id``."""
    same = folder is not None and folder.resolve() == out.parent.resolve()
    beside = [] if same else _load_banks_in(out.parent, out)
    for result in [*beside, *others]:
        if _declared_id(result) == bank_id:
            raise BankIdTaken(bank_id, result.path)


def derive_file(document_path: Path, out: Path, others_folder: Path | None) -> DeriveResult:
    """Derive drafts from ``document_path`` into the bank ``out`` (created or added to).

    Raises OSError or UnicodeDecodeError for an unreadable document, BankError when the
    existing bank cannot be added to safely and BankIdTaken when a new bank's id is another
    bank's (checked before anything is written).
    """
    text = document_path.read_text(encoding="utf-8")
    document = parse_document(document_path, text)
    others = _load_banks_in(others_folder, out)
    if not out.exists():
        _check_id_free(bank_id_for(out), out, others_folder, others)
    documents, options = _other_banks(others, document)
    alternatives = alternatives_from_banks(documents, options)
    sentences, drafts = _sentences_and_drafts(document, alternatives)
    doc_name = Path(os.path.relpath(document_path.resolve(), out.resolve().parent)).as_posix()
    if out.exists():
        existing = _read_bank_file(out)
        if existing.document is not None and existing.document != doc_name:
            raise BankError(f"it is the bank of '{existing.document}', not of '{doc_name}'")
        new = leave_out_asked(drafts, sentences, document, existing.quotes)
        new = [d for d in new if draft_wording(d) not in existing.wording]
        ids = assign_ids(new, set(existing.ids))
        rendered = [render_question(d, i, existing.indent) for d, i in zip(new, ids, strict=True)]
        if rendered:
            out.write_text(append_questions(existing, rendered), encoding="utf-8")
        left_out = len(drafts) - len(new)
        return DeriveResult(out, len(new), existing.questions, created=False, left_out=left_out)
    if not drafts:
        return DeriveResult(out, 0, 0, created=False)
    title = document.meta.get("title") or find_title(document.body) or _title_from(document_path)
    head = new_bank(bank_id_for(out), title, doc_name, (out.parent / "bank.schema.json").is_file())
    ids = assign_ids(drafts, set())
    body = "\n".join(render_question(d, i) for d, i in zip(drafts, ids, strict=True))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(head + body, encoding="utf-8")
    return DeriveResult(out, len(drafts), 0, created=True)


def _read_bank_file(out: Path) -> Existing:
    """The existing bank at ``out``, studied for adding drafts (``read_existing``).

    A bank that is not UTF-8 or not valid YAML raises a BankError that carries the problems
    the checker finds in it (``load_bank``, the one loader), so derive names the line to fix,
    with the checker's words, instead of "not valid YAML (ScannerError)", or blaming the
    document for the bank's bad bytes.
    """
    try:
        return read_existing(out.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        reason = "it is not UTF-8 text"
    except BankError as exc:
        if not isinstance(exc.__cause__, yaml.YAMLError):
            raise
        reason = str(exc)
    checked = load_bank(out)
    raise BankError(reason, checked.problems, checked.source)


def _title_from(path: Path) -> str:
    return path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or path.name
