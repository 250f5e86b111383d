"""Word PyYAML's syntax errors for instructors: where to fix them, and how.

libyaml reports an error where it gave up, which is often the line after the mistake, and in
parser terms ("could not find expected ':'"). ``_syntax_problem`` moves the position back to the
line to fix where it can, and the hints name the usual causes: a value with ': ' or ' #' left
unquoted, a key indented too deep, a missing '- ' or colon, a tab.

A key indented one space off is the commonest of them, and libyaml words it worst; the
``yaml_indent`` module names the indentation such a key ought to have.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from .bank_keys import BANK_KEYS, COMMON_KEYS, TYPE_KEYS
from .yaml_indent import misaligned_key
from .yaml_nodes import _TRAILING_COMMENT, _Walker


def _syntax_problem(w: _Walker, exc: yaml.MarkedYAMLError) -> None:
    """Report a YAML syntax error where the instructor has to fix it, in plain words."""
    problem = exc.problem or ""
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        # libyaml notices the missing ':' only on the next line; the key started on this one.
        mark = exc.context_mark
        line = w.lines[mark.line] if mark.line < len(w.lines) else ""
        w.problem(
            mark,
            "yaml-syntax",
            "YAML syntax: this line has no ': ' after its key",
            _colon_hint(line),
        )
        return
    mark = exc.problem_mark or exc.context_mark
    assert mark is not None
    misaligned = misaligned_key(w.lines, mark.line, tab="tab" in problem or "'\\t'" in problem)
    if misaligned is not None:
        line, column, message, hint = misaligned
        w.problem(yaml.Mark(w.path, 0, line, column, None, None), "yaml-syntax", message, hint)
        return
    message = f"YAML syntax: {problem}"
    if exc.context:
        message += f" ({exc.context}"
        if exc.context_mark is not None and exc.context_mark.line != mark.line:
            message += f" on line {exc.context_mark.line + 1}"
        message += ")"
    w.problem(mark, "yaml-syntax", message, _syntax_hint(exc, w.lines))


def _colon_hint(line: str) -> str:
    """How to mend a line that YAML could not split into key and value."""
    glued = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):(\S.*)", line)
    if glued:
        return f"put a space after the colon: '{glued[1]}: {glued[2].rstrip()}'"
    known = set(COMMON_KEYS) | {k for keys in TYPE_KEYS.values() for k in keys} | set(BANK_KEYS)
    spaced = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w-]*)\s+(\S.*)", line)
    if spaced and spaced[1] in known:
        return f"add the colon after the key: '{spaced[1]}: {spaced[2].rstrip()}'"
    return (
        "write 'key: value'; if this line continues the value above, indent it more than that "
        "value's key, or put the whole value in quotes on one line"
    )


def _syntax_hint(exc: yaml.MarkedYAMLError, lines: Sequence[str]) -> str | None:
    """A plain-words hint for the YAML errors instructors meet most."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    assert mark is not None
    if "expected ',' or" in problem and exc.context_mark is not None:
        span = lines[exc.context_mark.line : mark.line + 1]
        if any(_TRAILING_COMMENT.search(line) for line in span):
            return "a ' #' inside [...] starts a YAML comment: put that item in quotes"
    if "mapping values are not allowed" in problem:
        before = lines[mark.line][: mark.column] if mark.line < len(lines) else ""
        key = re.fullmatch(r"\s+([A-Za-z_][\w-]*)", before)
        if key:
            # A 'key' that starts its own line yet belongs to a value: it is indented too deep.
            return (
                f"'{key[1]}:' is indented more than the key above it, so YAML reads it as part "
                "of that key's value: line it up with the other keys"
            )
        return "a value containing ': ' must be put in quotes"
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "expected '-' indicator" in problem:
        return "each item of a list (a question, a distractor) starts with '- ': add it here"
    return None
