"""The checks a bank's questions must pass beyond their shape: one small function per rule.

Each rule takes the questions read from one file and yields located problems; the loader runs them
all, so ``studyapp check``, the server's reload and the exporters see the same verdict.

The questions include incomplete ones, which the bank will not take (a key missing, an unknown
type): their values that could not be read are empty, and each rule skips a question that lacks
what it judges, so an incomplete question gets its other problems reported (a reused id, a quote
not in the document) and no false ones ("hides nothing" for a cloze whose text is missing). Problem
codes are stable and documented in ``questions/README.md``. A rule that finds a fault inside a value
(a cloze deletion in a long folded text) asks the loader's ``locate`` for its exact line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from . import cloze
from .check_quotes import cloze_quote_problems, quote_problems
from .documents import Document
from .grading import fold
from .located import Locate, Rule, fold_option, nowhere, problem_at, question_name
from .model import Question
from .problems import Problem


def duplicate_ids(
    qs: Sequence[Question], doc: Document | None, path: str, locate: Locate = nowhere
) -> Iterator[Problem]:
    seen: dict[str, Question] = {}
    for q in qs:
        if not q.id:
            continue  # reported where it was read: missing or unreadable
        if q.id in seen:
            yield problem_at(
                path,
                q,
                "id",
                "duplicate-id",
                f"id is already used by the question on line {seen[q.id].line}",
                "every question needs its own id; never reuse the id of a removed question",
            )
        else:
            seen[q.id] = q


def option_problems(
    qs: Sequence[Question], doc: Document | None, path: str, locate: Locate = nowhere
) -> Iterator[Problem]:
    for q in qs:
        if q.type not in ("choice", "multi"):
            continue
        right_key = "answers" if q.type == "multi" else "answer"
        right: set[str] = set()
        for i, a in enumerate(q.answers):
            if fold_option(a) in right:
                yield problem_at(
                    path, q, f"answers[{i}]", "duplicate-option", f"answer '{a}' appears twice"
                )
            right.add(fold_option(a))
        if q.type == "choice" and q.answer:
            right.add(fold_option(q.answer))
        seen: set[str] = set()
        for i, d in enumerate(q.distractors):
            folded = fold_option(d)
            if folded in right:
                yield problem_at(
                    path,
                    q,
                    f"distractors[{i}]",
                    "answer-in-distractors",
                    f"distractor '{d}' is also the right answer",
                    f"remove it from 'distractors' or from '{right_key}'",
                )
            elif folded in seen:
                yield problem_at(
                    path,
                    q,
                    f"distractors[{i}]",
                    "duplicate-option",
                    f"distractor '{d}' appears twice",
                )
            seen.add(folded)


def cloze_problems(
    qs: Sequence[Question], doc: Document | None, path: str, locate: Locate = nowhere
) -> Iterator[Problem]:
    for q in qs:
        if q.type != "cloze" or not q.text:
            continue
        deletions, errors = cloze.parse(q.text)
        for err in errors:
            yield _cloze_error(path, q, err, locate)
        if not deletions and not errors:
            single = _SINGLE_BRACES.search(q.text)
            hint = "wrap the fact to remember in {{c1::...}}"
            if single:
                hint = f"a deletion is written with two braces: {{{single[0]}}}"
            yield problem_at(path, q, "text", "cloze-no-deletion", "cloze text hides nothing", hint)
        elif deletions:
            nums = sorted({d.number for d in deletions})
            if nums != list(range(1, len(nums) + 1)):
                yield problem_at(
                    path,
                    q,
                    "text",
                    "cloze-malformed",
                    f"cloze numbers {', '.join(f'c{n}' for n in nums)} skip a number",
                    "number the deletions c1, c2, ... without gaps",
                )


# A deletion written with one brace on each side, ``{c1::eight months}``: Anki hides nothing.
_SINGLE_BRACES = re.compile(r"\{c\d+::[^{}]*\}")


def _cloze_error(path: str, q: Question, err: cloze.ClozeError, locate: Locate) -> Problem:
    """A malformed deletion, placed on the character where it starts.

    When that character cannot be found in the source (escapes in a quoted text), the problem
    stays at ``text:`` and quotes the text around it instead, so it can still be found.
    """
    message = f"{question_name(q)}: {err.message}"
    at = locate(q, "text", err.offset)
    if at is None:
        at = q.pos.get("text", (q.line, 1))
        if f"'{q.text[err.offset : err.offset + 6]}" not in err.message:
            message += f", in '{_fragment(q.text, err.offset)}'"
    return Problem(
        path,
        at[0],
        at[1],
        "cloze-malformed",
        message,
        "a deletion is written {{c1::hidden text}} or {{c1::hidden text::hint}}",
    )


def _fragment(text: str, offset: int, width: int = 30) -> str:
    """The text around ``offset`` on one line, for quoting in a message."""
    start = max(0, offset - width // 2)
    piece = " ".join(text[start : offset + width].split())
    return ("..." if start else "") + piece + ("..." if offset + width < len(text) else "")


def accept_problems(
    qs: Sequence[Question], doc: Document | None, path: str, locate: Locate = nowhere
) -> Iterator[Problem]:
    """Accepted forms that add nothing, and cloze forms listed for a deletion the text lacks.

    A cloze's forms are compared as the grader compares answers (``grading.fold``): one that
    differs from its hidden text only in case, accents, punctuation, a leading article or the
    way a number is written is never needed. An answer question's forms keep the narrower
    ``fold_option`` for now: with the grader's folding, forms that banks and their tests hold today
    ("19%" beside "19 percent") would stop the bank from loading.
    """
    for q in qs:
        if q.type == "answer" and q.answer:
            yield from _repeated_forms(
                path, q, [q.answer], q.accept, "accept", "the answer", folding=fold_option
            )
        elif q.type == "cloze" and q.text and q.cloze_accept:
            hidden: dict[int, list[str]] = {}
            for d in cloze.parse(q.text)[0]:
                hidden.setdefault(d.number, []).append(d.answer)
            for number, forms in q.cloze_accept:
                key = f"c{number}"
                if number in hidden:
                    yield from _repeated_forms(
                        path, q, hidden[number], forms, f"accept.{key}", "the hidden text", key
                    )
                    continue
                has = _hides([f"c{n}" for n in sorted(hidden)])
                yield problem_at(
                    path,
                    q,
                    f"accept.{key}",
                    "accept-no-deletion",
                    f"accept key '{key}' names no deletion: the text hides {has}",
                    f"list the forms under the number of the deletion they answer, or hide "
                    f"that text as {{{{{key}::...}}}}",
                )


def _hides(names: Sequence[str]) -> str:
    """``only c1``, ``c1 and c2``, ``c1, c2 and c3``: the deletions a text has, for a message."""
    if len(names) < 2:
        return f"only {names[0]}" if names else "nothing"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _repeated_forms(
    path: str,
    q: Question,
    answers: Sequence[str],
    forms: Sequence[str],
    key: str,
    what: str,
    number: str = "",
    folding: Callable[[str], str] = fold,
) -> Iterator[Problem]:
    """Forms at ``key[i]`` that fold to one of ``answers`` or to a form before them."""
    right = {folding(a) for a in answers}
    seen = set(right)
    for_number = f" for {number}" if number else ""
    for i, form in enumerate(forms):
        folded = folding(form)
        if folded in right:
            yield problem_at(
                path,
                q,
                f"{key}[{i}]",
                "accept-repeats-answer",
                f"accept form '{form}'{for_number} is {what} itself",
                f"list only other forms; {what} is always accepted",
            )
        elif folded in seen:
            yield problem_at(
                path,
                q,
                f"{key}[{i}]",
                "accept-repeats-answer",
                f"accept form '{form}'{for_number} is listed twice",
            )
        seen.add(folded)


RULES: tuple[Rule, ...] = (
    duplicate_ids,
    option_problems,
    cloze_problems,
    accept_problems,
    quote_problems,
    cloze_quote_problems,
)


def check_questions(
    qs: Sequence[Question], doc: Document | None, path: str, locate: Locate = nowhere
) -> Iterator[Problem]:
    """Run every rule over the questions of one bank file."""
    for rule in RULES:
        yield from rule(qs, doc, path, locate)
