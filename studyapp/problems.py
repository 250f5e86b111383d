"""Problems found in a question bank, and how to print them.

A problem has a stable kebab-case code and a 1-based position, like a compiler diagnostic, so an
instructor can jump to it and a test can pin it. The printed forms follow ruff and yamllint:
``full`` shows the offending line with a caret and a help line, ``concise`` one line per problem,
``json`` a list for editors and CI.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

FORMATS = ("full", "concise", "json")

# Every problem code, with what it means; questions/README.md documents each one.
CODES: dict[str, str] = {
    "yaml-syntax": "the file is not valid YAML",
    "not-utf8": "the file is not UTF-8 text",
    "unreadable": "the file cannot be read",
    "duplicate-key": "a key appears twice in one mapping",
    "unknown-key": "a key the format does not have",
    "missing-key": "a required key is absent",
    "wrong-type": "a value of the wrong kind (text, list, true/false)",
    "empty-value": "a required value is empty",
    "invalid-id": "an id with characters other than a-z, 0-9 and hyphens",
    "unknown-type": "a question type the format does not have",
    "duplicate-id": "two questions share an id",
    "answer-in-distractors": "a right answer is also listed as a distractor",
    "duplicate-option": "the same option twice",
    "cloze-no-deletion": "a cloze that hides nothing",
    "cloze-malformed": "a cloze deletion that is not {{cN::text}}",
    "accept-repeats-answer": "an accept form that repeats the answer or another form",
    "accept-no-deletion": "a cloze accept key whose number is not a deletion of the text",
    "quote-not-found": "a quote that is not verbatim in the document",
    "quote-across-paragraphs": "a quote that runs across a paragraph break of the document",
    "document-missing": "the bank's document cannot be found or read",
    "duplicate-bank-id": "two bank files share a bank id",
    "comment-in-value": "an unquoted text value cut short by ' #', which YAML reads as a comment",
    "dash-in-value": "a '- ' line that YAML joins to the unquoted text above it",
    "comma-in-item": "a number's comma in a [...] list, which YAML reads as two items",
    "quote-ambiguous": "a quote found at more than one place in the document",
    "cloze-not-in-quote": "a cloze deletion whose hidden text is not in the question's quote",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a bank file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str | None = None
    severity: str = "error"

    def headline(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}[{self.code}] {self.message}"


_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# Shown lines print control characters (a stray form feed, say) as one visible mark, so a terminal
# neither acts on them nor hides what the caret points at.
_VISIBLE = {c: "\ufffd" for c in [*range(0x20), 0x7F] if c != 0x09}


def source_lines(text: str) -> list[str]:
    """Split text into lines where YAML does (not ``str.splitlines``, which also breaks at form
    feeds and other characters YAML reads as text), so problem lines point at the right one."""
    return _LINE_BREAK.split(text)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems by file and position, dropping exact repeats."""
    return sorted(set(problems))


def render_full(problem: Problem, source_lines: Sequence[str] | None) -> str:
    """Render a problem with its source line, a caret under the column and a help line."""
    out = [problem.headline()]
    if source_lines and 1 <= problem.line <= len(source_lines):
        text = source_lines[problem.line - 1].rstrip("\n").translate(_VISIBLE)
        gutter = len(str(problem.line))
        pad = " " * gutter
        caret_col = max(problem.col, 1)
        out.append(f"{pad} |")
        out.append(f"{problem.line} | {text}")
        out.append(f"{pad} | {' ' * (caret_col - 1)}^")
        if problem.hint:
            out.append(f"{pad} = help: {problem.hint}")
    elif problem.hint:
        out.append(f"  = help: {problem.hint}")
    return "\n".join(out)


def render(
    problems: Sequence[Problem],
    fmt: str = "full",
    sources: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """Render problems in one of FORMATS; ``sources`` maps a path to its lines for ``full``."""
    if fmt == "json":
        return json.dumps([asdict(p) for p in problems], indent=2, ensure_ascii=False)
    if fmt == "concise":
        return "\n".join(p.headline() for p in problems)
    sources = sources or {}
    return "\n\n".join(render_full(p, sources.get(p.path)) for p in problems)


def summary(problems: Sequence[Problem], banks: int, questions: int, loaded: int) -> str:
    """One closing line: what was checked, how many problems were found, how many banks loaded.

    ``loaded`` counts the banks free of problems, the ones the server would take: a bank with a
    problem is checked but not loaded, and the line says so rather than call every bank loaded.
    """
    checked = f"{questions} question{'s' if questions != 1 else ''}"
    if not problems:
        return f"All clean: {banks} bank{'s' if banks != 1 else ''}, {checked} checked."
    files = len({p.path for p in problems})
    n = len(problems)
    return (
        f"Found {n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''} "
        f"({checked} checked; {_loaded(loaded, banks)})."
    )


def _loaded(loaded: int, banks: int) -> str:
    """``4 of 5 banks loaded``, in words for the cases where numbers read badly."""
    if banks == 1:
        return "the bank was loaded" if loaded else "the bank was not loaded"
    if loaded == 0:
        return f"none of the {banks} banks loaded"
    if loaded == banks:
        return f"all {banks} banks loaded"
    return f"{loaded} of {banks} banks loaded"
