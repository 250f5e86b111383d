"""Moodle XML quiz questions from question banks, for Moodle's question bank import.

Each reading becomes a question category (``$course$/top/<course>/<reading>``) holding its live
questions, in the structure Moodle's XML format documents and its importer
(``question/format/xml/format.php``) reads:

- ``choice`` -> ``multichoice`` with ``<single>true</single>``: the right option 100%, others 0;
- ``multi`` -> ``multichoice`` with ``<single>false</single>``: each right option +100/|right|%,
  each distractor -100/|wrong|%, which is the partial credit the grader gives
  (``grading.multi_score``). Moodle only takes fractions from its list of grades (1/1 .. 1/10,
  1/20 and their negatives), written to five decimals as Moodle writes them;
- ``truefalse`` -> ``truefalse`` (answers named ``true`` and ``false``, as the importer matches);
- ``answer`` -> ``shortanswer``: the answer and every ``accept`` form at 100%, case ignored. Moodle
  matches exactly apart from case: the grader's forgiveness of typos does not carry over;
- ``cloze`` -> ``cloze`` (embedded answers): every deletion becomes a ``{1:SHORTANSWER:=...}``
  gap, all shown at once (Moodle has no per-number cards), without Anki hints; the ``accept``
  forms of its number follow as further 100% answers (``{1:SHORTANSWER:=Moon~=Moon Jae-in}``),
  case ignored as for ``shortanswer``;
- ``card`` (self-graded) has no Moodle equivalent and is left out; the result says how many.

The explanation is the general feedback, followed by the quoted passage and its citation. Bank
text is plain, so it is HTML-escaped for the HTML fields; ElementTree escapes it for XML.
"""

from __future__ import annotations

import hashlib
import html
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import cloze
from ..model import Bank, Question
from .anki import course_filename, replace_file
from .markup import citation_html, text_html

# Moodle's grade list (question_bank::fraction_options_full), as fractions of the mark.
_MOODLE_FRACTIONS = [1 / n for n in range(1, 11)] + [0.05, 0.0]
# Characters that end or change an answer inside an embedded-answers gap, and their escapes:
# the importer unescapes \} and \# and decodes HTML entities; * is a shortanswer wildcard.
_GAP_ESCAPES = {"}": "\\}", "#": "\\#", "~": "&#126;", "*": "\\*"}


@dataclass(frozen=True)
class Skipped:
    bank_id: str
    question_id: str
    reason: str


@dataclass
class MoodleQuiz:
    """An export: the XML and what was written or left out."""

    xml: bytes
    questions: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def cards_skipped(self) -> int:
        return sum(1 for s in self.skipped if s.reason == CARD_REASON)


CARD_REASON = "self-graded card: no Moodle equivalent"


def percent(fraction: float) -> str:
    """A fraction of the mark as Moodle writes it: ``100``, ``33.33333``, ``-50``."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def moodle_fraction(n: int) -> float | None:
    """1/n if Moodle's grade list has it (n = 1..10 or 20), else None."""
    value = 1 / n
    return value if any(abs(value - f) < 1e-7 for f in _MOODLE_FRACTIONS) else None


def category_path(course_title: str | None, bank: Bank) -> str:
    """``$course$/top/<course>/<reading>``; a ``/`` inside a name is doubled, as Moodle escapes."""
    parts = [p.replace("/", "//") for p in (course_title, bank.title) if p]
    return "/".join(["$course$", "top", *parts])


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = value
    return element


def _value(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _answer(parent: ET.Element, fraction: str, value: str, fmt: str) -> None:
    element = ET.SubElement(parent, "answer", {"fraction": fraction, "format": fmt})
    ET.SubElement(element, "text").text = value


def general_feedback(bank: Bank, q: Question) -> str:
    """The explanation, then the quoted passage and where it comes from."""
    parts = [f"<p>{text_html(q.explain)}</p>"] if q.explain else []
    parts.append(f"<blockquote>{text_html(q.quote)}</blockquote>")
    parts.append(f"<p>Source: {citation_html(bank)}</p>")
    return "".join(parts)


def _ordered(bank: Bank, q: Question) -> list[str]:
    """The options in an order drawn from the ids: the bank lists right ones first, which would
    give them away wherever a quiz does not shuffle."""
    keys = {o: hashlib.sha256(f"{bank.id}/{q.id}/{o}".encode()).digest() for o in q.options}
    return sorted(q.options, key=keys.__getitem__)


def _gap_answer(text: str) -> str:
    escaped = html.escape(text, quote=False)
    return "".join(_GAP_ESCAPES.get(c, c) for c in escaped)


def cloze_text(text: str, accept: Mapping[int, Sequence[str]] | None = None) -> str:
    """Anki cloze text as Moodle embedded answers: ``{{c1::x}}`` -> ``{1:SHORTANSWER:=x}``.

    ``accept`` maps a deletion number to its other forms, each written as one more ``~=form``
    answer of every gap of that number.
    """
    deletions, _ = cloze.parse(text)
    out: list[str] = []
    pos = 0
    for d in deletions:
        # A brace in plain text could read as the start of a gap: write it as an entity.
        out.append(text_html(text[pos : d.start]).replace("{", "&#123;"))
        forms: dict[str, str] = {}  # SHORTANSWER ignores case: one answer per casefolded form
        for form in (d.answer, *(accept or {}).get(d.number, ())):
            forms.setdefault(form.casefold(), form)
        gap = "~".join(f"={_gap_answer(form)}" for form in forms.values())
        out.append(f"{{1:SHORTANSWER:{gap}}}")
        pos = d.end
    out.append(text_html(text[pos:]).replace("{", "&#123;"))
    return f"<p>{''.join(out)}</p>"


def _shortanswer_text(text: str) -> str:
    # The only special character in a shortanswer answer is the * wildcard.
    return text.replace("*", "\\*")


def question_element(bank: Bank, q: Question) -> ET.Element | str:
    """The ``<question>`` element for ``q``, or the reason it has none."""
    if q.type == "card":
        return CARD_REASON
    kind = {"choice": "multichoice", "multi": "multichoice", "answer": "shortanswer"}.get(
        q.type, q.type
    )
    element = ET.Element("question", {"type": kind})
    _text(element, "name", q.id)
    if q.type == "cloze":
        _text(element, "questiontext", cloze_text(q.text, dict(q.cloze_accept)), "html")
    else:
        _text(element, "questiontext", f"<p>{text_html(q.prompt)}</p>", "html")
    _text(element, "generalfeedback", general_feedback(bank, q), "html")
    if q.type != "cloze":  # a cloze question's mark is the sum of its gaps' (Moodle sets it)
        _value(element, "defaultgrade", "1.0000000")
    _value(element, "penalty", "1.0000000" if q.type == "truefalse" else "0.3333333")
    _value(element, "hidden", "0")
    _value(element, "idnumber", q.id)
    if q.type in ("choice", "multi"):
        reason = _multichoice(element, bank, q)
        if reason:
            return reason
    elif q.type == "truefalse":
        for value in ("true", "false"):
            _answer(element, "100" if q.answer == value else "0", value, "moodle_auto_format")
    elif q.type == "answer":
        _value(element, "usecase", "0")
        seen: set[str] = set()
        for form in (q.answer, *q.accept):
            if form.casefold() not in seen:
                seen.add(form.casefold())
                _answer(element, "100", _shortanswer_text(form), "moodle_auto_format")
    tags = list(dict.fromkeys([bank.id, *q.tags]))
    holder = ET.SubElement(element, "tags")
    for tag in tags:
        _text(holder, "tag", tag)
    return element


def _multichoice(element: ET.Element, bank: Bank, q: Question) -> str | None:
    single = q.type == "choice"
    right = set(q.correct_options)
    wrong = [o for o in q.options if o not in right]
    if single:
        up, down = 1.0, 0.0
    else:
        plus, minus = moodle_fraction(len(right)), moodle_fraction(len(wrong))
        if plus is None or minus is None:
            return "more right options or distractors than Moodle's grade list can divide"
        up, down = plus, -minus
    _value(element, "single", "true" if single else "false")
    _value(element, "shuffleanswers", "true")
    _value(element, "answernumbering", "abc")
    _value(element, "showstandardinstruction", "0")
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, tag, "", "html")
    if not single:
        ET.SubElement(element, "shownumcorrect")
    for option in _ordered(bank, q):
        fraction = percent(up if option in right else down)
        _answer(element, fraction, text_html(option), "html")
    return None


def _category(course_title: str | None, bank: Bank) -> ET.Element:
    element = ET.Element("question", {"type": "category"})
    _text(element, "category", category_path(course_title, bank))
    _text(element, "info", f"<p>{citation_html(bank)}</p>", "html")
    return element


def build_quiz(banks: Sequence[Bank], *, course_title: str | None = None) -> MoodleQuiz:
    """One Moodle XML document holding the banks' live questions, a category per bank."""
    root = ET.Element("quiz")
    quiz = MoodleQuiz(b"")
    for bank in banks:
        root.append(_category(course_title, bank))
        for q in bank.live_questions:
            made = question_element(bank, q)
            if isinstance(made, str):
                quiz.skipped.append(Skipped(bank.id, q.id, made))
                continue
            root.append(made)
            quiz.questions += 1
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    quiz.xml = f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()
    return quiz


@dataclass
class Written:
    """What ``write_quiz_files`` wrote: paths (the course file last), questions, what was left out."""

    paths: list[Path]
    questions: int
    skipped: list[Skipped]
    course: Path | None = None

    @property
    def cards_skipped(self) -> int:
        return sum(1 for s in self.skipped if s.reason == CARD_REASON)


def write_quiz_files(
    banks: Sequence[Bank],
    out_dir: Path,
    *,
    course_title: str,
    course_file: bool = True,
) -> Written:
    """Write ``<bank id>.xml`` for each bank and, unless told not to, one file for the course
    (named as the Anki course package is, ``<course-slug>.xml``) holding all of them. Each file
    is replaced whole (a temporary file, then ``os.replace``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = Written([], 0, [])
    for bank in banks:
        quiz = build_quiz([bank], course_title=course_title)
        path = out_dir / f"{bank.id}.xml"
        replace_file(path, quiz.xml)
        written.paths.append(path)
        written.questions += quiz.questions
        written.skipped += quiz.skipped
    if course_file and banks:
        path = out_dir / Path(course_filename(course_title, banks)).with_suffix(".xml")
        replace_file(path, build_quiz(banks, course_title=course_title).xml)
        written.paths.append(path)
        written.course = path
    return written


def summary(written: Written, where: str) -> str:
    """The export command's closing line: what was written where, and what was left out."""
    if written.course is not None:
        n = len(written.paths) - 1
        what = f"{n} reading file{'s' if n != 1 else ''} and the course file {written.course.name}"
    else:
        what = ", ".join(p.name for p in written.paths)
    count = written.questions
    line = f"Wrote {what} ({count} question{'s' if count != 1 else ''}) to {where}/"
    cards = written.cards_skipped
    if cards:
        line += (
            f"; left out {cards} card question{'s' if cards != 1 else ''}"
            " (self-graded flashcards have no Moodle equivalent)"
        )
    for s in written.skipped:
        if s.reason != CARD_REASON:
            line += f"; left out {s.bank_id}/{s.question_id} ({s.reason})"
    return line + "."
