"""The typed objects a loaded bank is made of: banks, questions and their cards.

These are plain frozen dataclasses with no I/O, shared by the checker, the store, the web views and
the exporters. Every question carries a content hash so that the store can tell an edited question
from an unchanged one while its id (and so its schedule) stays the same.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from . import cloze
from .documents import Document, normalize

QUESTION_TYPES = ("choice", "multi", "truefalse", "cloze", "answer", "card")
# Types whose answer is typed by the student and graded by fuzzy matching.
TYPED = ("cloze", "answer")
# Types the student grades themself.
SELF_GRADED = ("card",)


@dataclass(frozen=True)
class Question:
    """One question of a bank, as the instructor wrote it.

    ``answer`` is the text of the right option (choice), the expected answer (answer, card), or
    ``"true"``/``"false"`` (truefalse); cloze questions keep their answers inside ``text``.
    The other forms a typed answer may take are ``accept`` on an answer question and
    ``cloze_accept`` on a cloze: (number, forms) pairs in ascending number order, one per ``cN``
    key of its ``accept`` mapping. ``accepted`` reads either, so graders need not tell them apart.
    ``pos`` maps a field path (``"quote"``, ``"distractors[1]"``) to its (line, column) in the file.
    """

    bank_id: str
    id: str
    type: str
    prompt: str = ""
    answer: str = ""
    answers: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    cloze_accept: tuple[tuple[int, tuple[str, ...]], ...] = ()
    text: str = ""
    quote: str = ""
    explain: str = ""
    tags: tuple[str, ...] = ()
    draft: bool = False
    line: int = 0
    pos: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, hash=False)

    @property
    def content_hash(self) -> str:
        """A short hash of everything a student sees; unchanged by moving the question."""
        payload = {
            "type": self.type,
            "prompt": self.prompt,
            "answer": self.answer,
            "answers": list(self.answers),
            "distractors": list(self.distractors),
            "accept": list(self.accept),
            "text": self.text,
            "quote": self.quote,
            "explain": self.explain,
            "tags": list(self.tags),
        }
        if self.cloze_accept:  # only then: every other question keeps the hash it had before
            payload["accept"] = self._accept_mapping()
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    @property
    def quote_hash(self) -> str:
        """A short hash of the quoted passage (spacing and quote marks folded), "" without one.

        Kept by the store beside ``content_hash``: a question added by the same edit that
        removed another with the same passage is most likely that question renamed
        (``renames``), even if its wording changed too.
        """
        if not self.quote:
            return ""
        return hashlib.sha256(normalize(self.quote).encode()).hexdigest()[:16]

    @property
    def card_numbers(self) -> list[int]:
        """One card per cloze number; one card (number 1) for every other type."""
        if self.type == "cloze":
            return cloze.numbers(self.text)
        return [1]

    @property
    def correct_options(self) -> tuple[str, ...]:
        """The right options of a choice, multi or truefalse question."""
        if self.type == "multi":
            return self.answers
        return (self.answer,)

    @property
    def options(self) -> tuple[str, ...]:
        """All options of a choice or multi question in bank order (unshuffled)."""
        if self.type == "truefalse":
            return ("true", "false")
        return self.correct_options + self.distractors

    @property
    def display(self) -> str:
        """The question's front as one line of text, for lists and logs."""
        return cloze.plain(self.text) if self.type == "cloze" else self.prompt

    def to_dict(self) -> dict[str, object]:
        """The question as bank YAML holds it, keys in the documented order, empty keys left out."""
        out: dict[str, object] = {"id": self.id, "type": self.type}
        if self.type == "cloze":
            out["text"] = self.text
        else:
            out["prompt"] = self.prompt
        if self.type == "truefalse":
            out["answer"] = self.answer == "true"
        elif self.type == "multi":
            out["answers"] = list(self.answers)
        elif self.type != "cloze":
            out["answer"] = self.answer
        if self.distractors:
            out["distractors"] = list(self.distractors)
        if self.accept:
            out["accept"] = list(self.accept)
        elif self.cloze_accept:
            out["accept"] = self._accept_mapping()
        out["quote"] = self.quote
        if self.explain:
            out["explain"] = self.explain
        if self.tags:
            out["tags"] = list(self.tags)
        if self.draft:
            out["draft"] = True
        return out

    def _accept_mapping(self) -> dict[str, list[str]]:
        """A cloze's accepted forms as its bank writes them: ``{"c1": ["Moon Jae-in"]}``."""
        return {f"c{n}": list(forms) for n, forms in self.cloze_accept}

    def accepted(self, card: int = 1) -> tuple[str, ...]:
        """The other forms a typed answer to ``card`` may take besides ``expected(card)``.

        For a cloze, the forms listed for that number apply to each of its deletions.
        """
        if self.type == "cloze":
            return next((forms for n, forms in self.cloze_accept if n == card), ())
        return self.accept

    def expected(self, card: int = 1) -> list[str]:
        """What a typed answer to ``card`` must match (cloze: the deletions of that number)."""
        if self.type == "cloze":
            return cloze.answers_for(self.text, card)
        return [self.answer]


@dataclass(frozen=True)
class Bank:
    """A bank loaded from ``path``, with its document and its questions in file order."""

    id: str
    title: str
    path: Path
    document: Document
    questions: tuple[Question, ...]
    digest: str  # hash of the bank file and its document, to tell when either changed

    @cached_property
    def live_questions(self) -> tuple[Question, ...]:
        """Questions students see: everything but drafts (kept: every request lists the
        readings that have some)."""
        return tuple(q for q in self.questions if not q.draft)

    def paragraph_of(self, question: Question) -> int | None:
        """The document block that ``question`` quotes (``Document.locate``), None if its quote
        is not found within one block.

        The feedback shows this whole block, so it tells the study queue which questions one
        answer's feedback may give away.
        """
        found = self.document.locate(question.quote) if question.quote else None
        return found[0] if found else None

    def question(self, question_id: str) -> Question | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    @property
    def author(self) -> str:
        return self.document.meta.get("author", "")

    @property
    def published(self) -> str:
        return self.document.meta.get("published", "")

    @property
    def citation(self) -> str:
        """Title, author and date, as a reference line under a passage."""
        parts = [self.title]
        if self.author:
            parts.append(self.author)
        if self.document.meta.get("outlet"):
            parts.append(self.document.meta["outlet"])
        if self.published:
            parts.append(self.published)
        return ", ".join(parts)
