"""The Anki note types of studyapp: one per question type, with fixed ids and fields.

Students' collections keep these note types. Anki matches a note type by id and its fields by name
and position: renaming, adding, removing or reordering a field makes Anki file the next import
under a copy of the note type and treat every existing note as conflicting, never updating it
again. A new layout therefore needs a new note type (a new id and a ``v2`` name), never an edit of
an id or a field list here. Templates and ``anki.css`` may change, with a new ``MODEL_STAMP``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import genanki

# Modification time of every note type (seconds since the epoch). Raise it to the current time
# whenever a template or anki.css changes, or students who already have the note types keep the
# old ones; tests/test_export_anki.py pins it together with a digest of the templates.
MODEL_STAMP = 1795382400  # 2026-11-22

TAIL_FIELDS = ("Explanation", "Passage", "Source", "Question ID")

_TAIL = (
    '{{#Explanation}}<div class="explain">{{Explanation}}</div>{{/Explanation}}\n'
    '{{#Passage}}<blockquote class="passage">{{Passage}}'
    '<span class="source">{{Source}}</span></blockquote>{{/Passage}}\n'
    '<div class="reference">{{Question ID}}</div>'
)


def _side(side: str, *parts: str) -> str:
    return f'<div class="studyapp {side}">\n' + "\n".join(parts) + "\n</div>"


_PROMPT = '<div class="prompt">{{Question}}</div>'
_RULE = '<hr id="answer">'


@dataclass(frozen=True)
class NoteType:
    """A note type as students' Anki stores it.

    ``id``, ``fields`` and the template name are fixed for good once a deck has been shipped (see
    the module docstring); ``front`` and ``back`` may change, with a new ``MODEL_STAMP``.
    """

    id: int
    name: str
    fields: tuple[str, ...]
    front: str
    back: str
    cloze: bool = False

    def model(self, css: str) -> genanki.Model:
        return genanki.Model(
            self.id,
            self.name,
            fields=[{"name": name} for name in self.fields],
            templates=[
                {"name": "Cloze" if self.cloze else "Card", "qfmt": self.front, "afmt": self.back}
            ],
            css=css,
            model_type=genanki.Model.CLOZE if self.cloze else genanki.Model.FRONT_BACK,
            sort_field_index=0,
        )


def _choice_type(model_id: int, name: str, instruction: str) -> NoteType:
    return NoteType(
        model_id,
        name,
        ("Question", "Choices", "Answer", *TAIL_FIELDS),
        _side("front", _PROMPT, f'<div class="instruction">{instruction}</div>', "{{Choices}}"),
        _side("back", _PROMPT, "{{Choices}}", _RULE, '<div class="answer">{{Answer}}</div>', _TAIL),
    )


# Never change an id, a name's version or a field list here: see the module docstring.
NOTE_TYPES: dict[str, NoteType] = {
    "choice": _choice_type(1852528701, "studyapp Choice v1", "Choose one."),
    "multi": _choice_type(1663242645, "studyapp Multi v1", "Choose all that apply."),
    "truefalse": NoteType(
        1700614828,
        "studyapp True/False v1",
        ("Question", "Answer", *TAIL_FIELDS),
        _side("front", _PROMPT, '<div class="instruction">True or false?</div>'),
        _side("back", _PROMPT, _RULE, '<div class="answer">{{Answer}}</div>', _TAIL),
    ),
    "cloze": NoteType(
        1671015450,
        "studyapp Cloze v1",
        ("Text", *TAIL_FIELDS),
        _side("front", '<div class="prompt">{{cloze:Text}}</div>'),
        _side("back", '<div class="prompt">{{cloze:Text}}</div>', _RULE, _TAIL),
        cloze=True,
    ),
    "answer": NoteType(
        1381865461,
        "studyapp Answer v1",
        ("Question", "Answer", "Accepted", *TAIL_FIELDS),
        _side("front", _PROMPT, "{{type:Answer}}"),
        _side(
            "back",
            _PROMPT,
            _RULE,
            "{{type:Answer}}",
            '{{#Accepted}}<div class="accepted">Also accepted: {{Accepted}}</div>{{/Accepted}}',
            _TAIL,
        ),
    ),
    "card": NoteType(
        1476174207,
        "studyapp Card v1",
        ("Question", "Answer", *TAIL_FIELDS),
        _side("front", _PROMPT),
        _side("back", _PROMPT, _RULE, '<div class="answer">{{Answer}}</div>', _TAIL),
    ),
}


@cache
def card_css() -> str:
    """The styling shared by every note type (anki.css, shipped beside this module)."""
    return resources.files(__package__).joinpath("anki.css").read_text(encoding="utf-8")


def model_digest() -> str:
    """A hash of everything the note types hold, to notice a change that needs a new MODEL_STAMP."""
    blob = repr(sorted((k, nt) for k, nt in NOTE_TYPES.items())) + card_css()
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
