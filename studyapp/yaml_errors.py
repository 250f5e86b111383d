"""Word PyYAML's syntax errors for instructors: where to fix them, and how.

libyaml reports an error where it gave up, which is often the line after the mistake, or the end
of the file, and in parser terms ("could not find expected ':'"). ``_syntax_problem`` moves the
position back to the line to fix where it can, and the hints name the usual causes: a value with
': ' or ' #' left unquoted, a key indented too deep, a missing '- ' or colon, a tab, a quote
never closed, an apostrophe that closes a single-quoted text early, a value that starts with a
quoted word or a '[' and goes on after it, a list item's '- ' one space left of the items above.

Some of those mistakes show only in what libyaml read before it gave up: a quote left open reads
the lines after it as its text, a list item's first key without its colon reads the keys below
it as words of one value. For those the file is scanned again into tokens (``_scalars``), which
say where each value YAML read starts and ends.

A key indented one space off is the commonest of them, and libyaml words it worst; the
``yaml_indent`` module names the indentation such a key ought to have.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from .bank_keys import BANK_KEYS, COMMON_KEYS, TYPE_KEYS
from .yaml_indent import _LOADER, misaligned_item, misaligned_key, tab_after_dash, tab_in_indent
from .yaml_nodes import _BAD_ITEM, _TRAILING_COMMENT, _double_quoted, _shortened, _Walker

_KNOWN_KEYS = set(COMMON_KEYS) | {k for keys in TYPE_KEYS.values() for k in keys} | set(BANK_KEYS)
# (0-based line, 0-based column, message, hint): a problem placed where it is to be fixed.
_Located = tuple[int, int, str, str]
# What comes before a key's value on its line: indentation, any '- ', the key and its colon.
_KEY_BEFORE_VALUE = re.compile(r"[ ]*(?:-[ ]+)*[A-Za-z_][\w-]*[ ]*:[ ]+")
_ITEM_PREFIX = re.compile(r"[ ]*(?:-[ ]+)*")
# Where a value starts: after a key and its colon, or after a list item's '- '.
_VALUE_START = re.compile(r"[ ]*(?:-[ ]+)*(?:[A-Za-z_][\w-]*[ ]*:[ ]+)?")
# A line that holds a key: the continuation lines of a quoted text have none.
_KEY_AHEAD = re.compile(r"[ ]*(?:-[ ]+)*[A-Za-z_][\w-]*[ ]*:(?:[ ]|$)")
# What stands before a '- ' written on its key's line: indentation, any '- ', the key, ': '.
_KEY_BEFORE_DASH = re.compile(r"[ ]*(?:-[ ]+)*(?P<key>[A-Za-z_][\w-]*)[ ]*:[ ]+")
# The keys whose value is a list (of texts, or the bank's questions): an item on a line of its
# own is what they want.
_LIST_KEYS = frozenset(
    key
    for keys in (BANK_KEYS, COMMON_KEYS, *TYPE_KEYS.values())
    for key, kind in keys.items()
    if kind in ("list", "questions")
)


def _syntax_problem(w: _Walker, exc: yaml.MarkedYAMLError) -> None:
    """Report a YAML syntax error where the instructor has to fix it, in plain words."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    assert mark is not None
    tab = "tab" in problem or "'\\t'" in problem or _char_at(w.lines, mark) == "\t"
    located = (
        _unclosed_quote(w.lines, exc)
        or _quote_closed_inside_a_word(w.lines, exc)
        or _text_after_quoted(w.lines, exc)
        or _text_after_flow(w.lines, exc)
        or _bad_list_marker(w.lines, exc)
        or _item_after_key(w.lines, exc)
        or _colon_missing(w.lines, exc)
        or (tab_after_dash(w.lines, mark.line) if tab else None)
        or misaligned_key(w.lines, mark.line, tab=tab)
        or (None if tab else misaligned_item(w.lines, mark.line))
        or (tab_in_indent(w.lines, mark.line) if tab else None)
    )
    if located is not None:
        line, column, message, hint = located
        w.problem(yaml.Mark(w.path, 0, line, column, None, None), "yaml-syntax", message, hint)
        return
    message = f"YAML syntax: {problem}"
    if exc.context:
        message += f" ({exc.context}"
        if exc.context_mark is not None and exc.context_mark.line != mark.line:
            message += f" on line {exc.context_mark.line + 1}"
        message += ")"
    w.problem(mark, "yaml-syntax", message, _syntax_hint(exc, w.lines))


def _char_at(lines: Sequence[str], mark: yaml.Mark) -> str:
    line = lines[mark.line] if mark.line < len(lines) else ""
    return line[mark.column] if mark.column < len(line) else ""


def _scalars(lines: Sequence[str]) -> list[yaml.ScalarToken]:
    """The values (scalar tokens) YAML reads from the text, up to where it gives up."""
    found: list[yaml.ScalarToken] = []
    try:
        for token in yaml.scan("\n".join(lines), Loader=_LOADER):
            if isinstance(token, yaml.ScalarToken):
                found.append(token)
    except yaml.YAMLError:
        pass
    return found


def _last_scalar_before(lines: Sequence[str], mark: yaml.Mark) -> yaml.ScalarToken | None:
    """The last value YAML started to read before ``mark``: the one the error cut short."""
    before = [
        t
        for t in _scalars(lines)
        if (t.start_mark.line, t.start_mark.column) < (mark.line, mark.column)
    ]
    return before[-1] if before else None


def _unclosed_quote(lines: Sequence[str], exc: yaml.MarkedYAMLError) -> _Located | None:
    """A quote opened and never closed, placed where it opens.

    libyaml reads on from an open quote to the next quote mark of the same kind, taking the
    lines between as text: with none it stops at the end of the file ("found unexpected end of
    stream"), else where the text after that later quote makes no sense, often many lines down.
    In the second case the quoted value it read holds whole key lines (``answer: ...``, ``- id:
    ...``) no deeper than the key the quote opened on, which no text an instructor meant does.
    """
    problem = exc.problem or ""
    start = exc.context_mark
    if exc.context == "while scanning a quoted scalar" and "end of stream" in problem:
        assert start is not None
        quote = _char_at(lines, start)
        message = (
            f"YAML syntax: the {quote} that opens this value is never closed, so YAML reads "
            "the rest of the file as part of it"
        )
        return start.line, start.column, message, _closing_hint(lines, start, quote)
    mark = exc.problem_mark
    token = _last_scalar_before(lines, mark) if mark is not None else None
    if token is None or token.style not in ('"', "'"):
        return None
    start, end = token.start_mark, token.end_mark
    depth = _content_column(lines[start.line])
    swallowed = [
        n
        for n in range(start.line + 1, min(end.line + 1, len(lines)))
        if _KEY_AHEAD.match(lines[n]) and _content_column(lines[n]) <= depth
    ]
    if not swallowed:
        return None
    quote = token.style
    message = (
        f"YAML syntax: the {quote} that opens this value is never closed on its line, so YAML "
        f"reads the lines below, up to the next {quote} (line {end.line + 1}), as part of it"
    )
    return start.line, start.column, message, _closing_hint(lines, start, quote)


def _quote_closed_inside_a_word(lines: Sequence[str], exc: yaml.MarkedYAMLError) -> _Located | None:
    """A quoted value closed early by a quote mark inside its text, placed at that mark.

    ``prompt: 'What was Seoul's view?'``: the apostrophe closes the text, and libyaml gives up
    at the ``s`` after it ("did not find expected key"). The tell is a closing quote with a
    letter right after it, which no value ends with; a double-quoted text quoting a word in
    double quotes (``"the "three noes" policy"``) ends the same way.
    """
    mark = exc.problem_mark
    token = _last_scalar_before(lines, mark) if mark is not None else None
    if token is None or token.style not in ('"', "'"):
        return None
    end = token.end_mark
    line = lines[end.line] if end.line < len(lines) else ""
    closing = end.column - 1
    if (
        not line[end.column : end.column + 1].isalnum()
        or line[closing : closing + 1] != token.style
    ):
        return None
    quote = token.style
    word = re.search(r"[\w-]*$", line[:closing])
    after = re.match(r"[\w-]*", line[end.column :])
    written = f"{word[0] if word else ''}{quote}{after[0] if after else ''}"
    start = token.start_mark
    opened = f"column {start.column + 1}"
    if start.line != end.line:
        opened = f"line {start.line + 1}, {opened}"
    message = (
        f"YAML syntax: the {quote} in {written} closes the text that the {quote} at {opened} "
        "opened, so YAML cannot read what follows it"
    )
    if quote == "'":
        hint = (
            f"inside single quotes write an apostrophe twice ({written.replace(quote, quote * 2)}),"
            " or put the whole text in double quotes"
        )
    else:
        hint = (
            f'inside double quotes write each quote mark of the text as \\" ({written.replace(quote, chr(92) + quote)}),'
            " or put the whole text in single quotes"
        )
    return end.line, closing, message, hint


def _text_after_quoted(lines: Sequence[str], exc: yaml.MarkedYAMLError) -> _Located | None:
    """A value that starts with a quoted text and goes on after it, placed at the opening quote.

    ``prompt: "BTS" is a group from which country?``: YAML reads the value as the quoted "BTS"
    and gives up at ``is`` ("did not find expected key"); ``prompt: "Fill in": which ...``
    reads "Fill in" as a key and gives up at its colon ("mapping values are not allowed"), whose
    usual hint, to quote a value holding ': ', says nothing to a value already in quotes. The
    fix of both is to quote the whole text with the other kind of quote mark. (A quote mark
    with a letter right after it is ``_quote_closed_inside_a_word``'s case, tried first.)
    """
    mark = exc.problem_mark
    token = _last_scalar_before(lines, mark) if mark is not None else None
    if mark is None or token is None or token.style not in ('"', "'"):
        return None
    start, end = token.start_mark, token.end_mark
    if end.line != mark.line or mark.column < end.column or end.line >= len(lines):
        return None
    line = lines[end.line]
    rest = line[end.column :].rstrip()
    before = lines[start.line][: start.column]
    if not rest.strip() or rest.lstrip().startswith("#") or not _VALUE_START.fullmatch(before):
        return None
    quote = token.style
    written = line[start.column : end.column]
    message = (
        f"YAML syntax: the value is read as the quoted {written} alone, so YAML cannot read the "
        "rest of the line"
    )
    other = "double" if quote == "'" else "single"
    if start.line != end.line:
        return start.line, start.column, message, f"put the whole text in {other} quotes"
    text = written + rest
    requoted = _double_quoted(text) if quote == "'" else "'" + text.replace("'", "''") + "'"
    hint = f"put the whole text in {other} quotes: {before.lstrip()}{requoted}"
    return start.line, start.column, message, hint


def _text_after_flow(lines: Sequence[str], exc: yaml.MarkedYAMLError) -> _Located | None:
    """A value that starts with '[' (or '{') and goes on after the closing bracket.

    ``prompt: [Fill in] Which K-pop group ...``: YAML reads ``[Fill in]`` as a list and gives
    up at the word after it ("did not find expected key"). The text meant is the whole line,
    to be quoted. Only a bracket closed on its own line is placed; one never closed is
    libyaml's own message.
    """
    mark = exc.problem_mark
    if mark is None or mark.line >= len(lines) or "expected key" not in (exc.problem or ""):
        return None
    line = lines[mark.line]
    value = _VALUE_START.match(line)
    opened = value.end() if value else 0
    if line[opened : opened + 1] not in ("[", "{"):
        return None
    closed = _flow_end(lines, mark.line, opened)
    if closed is None or closed > mark.column:
        return None
    rest = line[closed:].rstrip()
    if not rest.strip() or rest.lstrip().startswith("#"):
        return None
    written = line[opened:closed]
    kind = "a list" if written.startswith("[") else "a mapping"
    message = (
        f"YAML syntax: a value that starts with '{written[0]}' is read as {kind}, {written}, so "
        "YAML cannot read the rest of the line"
    )
    hint = f"put the whole text in quotes: {line[:opened].lstrip()}{_double_quoted(line[opened:].rstrip())}"
    return mark.line, opened, message, hint


def _flow_end(lines: Sequence[str], line: int, column: int) -> int | None:
    """The column just after the bracket that closes the flow list (or mapping) opening at
    (``line``, ``column``), when it closes on that line."""
    depth = 0
    try:
        for token in yaml.scan("\n".join(lines), Loader=_LOADER):
            at = token.start_mark
            if (at.line, at.column) < (line, column):
                continue
            if at.line > line:
                return None
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                depth += 1
            elif depth == 0:
                return None  # something else starts the value: not the bracket we looked at
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
                depth -= 1
                if depth == 0:
                    return token.end_mark.column
    except yaml.YAMLError:
        pass
    return None


def _closing_hint(lines: Sequence[str], start: yaml.Mark, quote: str) -> str:
    """Where the closing quote goes: written out when the quote opens a key's one-line value.

    A quote anywhere else (before a key, in a list) may as well be a slip of the finger.
    """
    line = lines[start.line]
    before, text = line[: start.column], line[start.column :].rstrip()
    below = next((n for n in lines[start.line + 1 :] if n.strip()), "")
    continues = len(below) - len(below.lstrip(" ")) > _content_column(line)
    if _KEY_BEFORE_VALUE.fullmatch(before) and quote not in text[1:] and not continues:
        return f"add the closing {quote} at the end of the text: {before.lstrip()}{text}{quote}"
    if _KEY_BEFORE_VALUE.fullmatch(before):
        return f"add the closing {quote} where the text ends"
    return f"add the closing {quote} where the text ends, or delete this one if it is a slip"


def _content_column(line: str) -> int:
    """Where a line's content starts after its indentation and any '- ': a key's column."""
    prefix = _ITEM_PREFIX.match(line)
    return prefix.end() if prefix else 0


def _bad_list_marker(lines: Sequence[str], exc: yaml.MarkedYAMLError) -> _Located | None:
    """A list item written ``-A recall`` (no space after the '-') or ``* A recall`` (a bullet).

    YAML starts an item only at a '-' with a space after it. ``-A recall`` is plain text, and
    below other items libyaml takes it for a key without its colon ("could not find expected
    ':'"), whose hint to add a colon is wrong; ``*`` starts an alias ("while scanning an
    alias"), and a bullet pasted from a word processor ('•', '+') is text like ``-A``. libyaml
    marks the line's first character, where the item starts, as the place it gave up or the
    start of what it was reading. (A whole list written so is no syntax error: it reads as one
    text, which ``_Walker.strings`` reports.)
    """
    for mark in (exc.context_mark, exc.problem_mark):
        if mark is None or mark.line >= len(lines):
            continue
        line = lines[mark.line].rstrip()
        if line[: mark.column].strip(" "):
            continue  # not where the line's text starts
        match = _BAD_ITEM.fullmatch(line, mark.column)
        if match is None:
            continue
        item = _shortened(match["glued"] or match["bulleted"])
        if match["glued"]:
            message = "YAML syntax: this list item has no space after its '-', so YAML does not "
            message += "read it as an item"
            return mark.line, mark.column, message, f"put a space after the '-': '- {item}'"
        message = (
            f"YAML syntax: this line starts with '{match['bullet']}', but YAML lists use '- ' "
            "for each item"
        )
        return mark.line, mark.column, message, f"start each item with '- ' instead: '- {item}'"
    return None


def _item_after_key(lines: Sequence[str], exc: yaml.MarkedYAMLError) -> _Located | None:
    """A '- ' list item on the line of its key, ``answer: - BTS``, placed at the '-'.

    libyaml says "block sequence entries are not allowed in this context": a block list's
    items start on lines of their own. For a list key the fix is to move the item down; for a
    text key the dash is most often a slip, or an item where no list belongs.
    """
    mark = exc.problem_mark
    if mark is None or "sequence entries are not allowed" not in (exc.problem or ""):
        return None
    line = lines[mark.line] if mark.line < len(lines) else ""
    before = _KEY_BEFORE_DASH.fullmatch(line[: mark.column])
    if before is None or line[mark.column : mark.column + 1] != "-":
        return None
    key = before["key"]
    item = _shortened(line[mark.column + 1 :].strip())
    message = f"YAML syntax: a '- ' list item cannot start on the same line as '{key}:'"
    if key in _LIST_KEYS:
        hint = (
            f"put the item on a line of its own below '{key}:', indented more than it: '- {item}'"
        )
        if ": " not in item:  # a question ('- id: ...') has no short [...] form to offer
            hint += f" (or write '{key}: [{item}]')"
    else:
        hint = (
            f"write the text without the dash, '{key}: {item}', or put the item on a line of "
            f"its own below '{key}:'"
        )
    return mark.line, mark.column, message, hint


def _colon_missing(lines: Sequence[str], exc: yaml.MarkedYAMLError) -> _Located | None:
    """A key written without its colon, placed on the key's line.

    Inside a question libyaml notices the missing ':' only on the next line, and says so
    ("could not find expected ':'"), with the key's line as its context. A list item's first key
    (``- id x``) it takes for the start of a text that runs on into the keys below it, and
    complains at the first ': ' it meets there ("mapping values are not allowed"): the text it
    was reading started on the line to fix.
    """
    problem = exc.problem or ""
    message = "YAML syntax: this line has no ': ' after its key"
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        mark = exc.context_mark
        line = lines[mark.line] if mark.line < len(lines) else ""
        return mark.line, mark.column, message, _colon_hint(line)
    if "mapping values are not allowed" not in problem or exc.problem_mark is None:
        return None
    token = _last_scalar_before(lines, exc.problem_mark)
    if token is None or not token.plain or token.start_mark.line == exc.problem_mark.line:
        return None
    start = token.start_mark
    line = lines[start.line]
    words = re.match(r"([A-Za-z_][\w-]*)[ \t]+\S", line[start.column :])
    if not re.fullmatch(r"[ ]*-[ ]+", line[: start.column]) or words is None:
        return None
    if words[1] not in _KNOWN_KEYS:
        return None  # a text item ('- A naval blockade') with a key indented under it
    return start.line, start.column, message, _colon_hint(line)


def _colon_hint(line: str) -> str:
    """How to mend a line that YAML could not split into key and value."""
    glued = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):(\S.*)", line)
    if glued:
        return f"put a space after the colon: '{glued[1]}: {glued[2].rstrip()}'"
    spaced = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w-]*)\s+(\S.*)", line)
    if spaced and spaced[1] in _KNOWN_KEYS:
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
