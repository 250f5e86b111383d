"""Where a misindented key of a bank file belongs, in words an instructor can act on.

A key indented one space off is the commonest YAML mistake in a hand-edited bank, and libyaml
words it worst: one space too few reads as "did not find expected '-' indicator" (whose literal
fix, adding a '- ', makes the file worse), one too many as "mapping values are not allowed" or
"did not find expected key". ``misaligned_key`` therefore looks at the text itself, compares the
key with the keys YAML had already read above it, and names the indentation both ought to share.

A tab is the other indentation mistake: an editor shows it as spaces, YAML refuses it before a
key, before a '- ' and between a '- ' and the item, and libyaml words the last "found character
that cannot start any token". ``tab_after_dash`` and ``tab_in_indent`` say where the tab is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import yaml

from .bank_keys import BANK_KEYS, COMMON_KEYS, DELETION_KEY, TYPE_KEYS

# The loader banks.py composes with; the re-parse below must see the same events up to the error.
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_QUESTION_KEYS = frozenset(COMMON_KEYS) | {k for keys in TYPE_KEYS.values() for k in keys}
# A list item's '- ' with the blanks after it, and the item; a tab among those blanks is an error.
_DASH_GAP = re.compile(r"(?P<lead> *)-(?P<gap>[ \t]+)(?P<item>.*)")
# What stands before the first key or text of a list item on its line: indentation and a '- '.
_DASH_BEFORE = re.compile(r"( *)-[ ]+")
_TAB_MESSAGE = "YAML syntax: this line is indented with a tab, and YAML allows only spaces"
# A line that holds a block-mapping key: its indentation, an optional '- ', the key and its colon.
_KEY_LINE = re.compile(
    r"(?P<lead>[ \t]*)(?P<dash>-[ ]+)?(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)"
)


@dataclass
class _Mapping:
    """A block mapping YAML read before it gave up: its keys, and where it sits in the file.

    ``within`` is the key whose value holds it (``questions`` for a question, ``accept`` for a
    cloze's forms, None for the bank itself); ``outer`` the mapping around it. ``dash`` is kept
    for a list item, so a question whose '- ' moved can be compared with the one above.
    """

    within: str | None
    outer: _Mapping | None
    in_list: bool = False
    keys: list[tuple[str, int, int]] = field(default_factory=list)  # (key, line, column), 0-based
    dash: int | None = None  # the column of its '- ', for an item of a block list

    @property
    def indent(self) -> int:
        """The column all keys of a block mapping share (YAML requires it)."""
        return self.keys[0][2]

    def fits(self, key: str) -> bool:
        """Whether ``key`` is one the bank format puts in this mapping (unknown kinds: any)."""
        if self.within is None:
            return key in BANK_KEYS
        if self.within == "questions":
            return key in _QUESTION_KEYS
        if self.within == "accept":
            return DELETION_KEY.match(key) is not None
        return True


@dataclass
class _Frame:
    """An open collection while replaying parser events: a mapping (with whether a key comes
    next) or a list (``mapping`` None), the key whose value it is, and the mapping around it."""

    mapping: _Mapping | None
    within: str | None
    outer: _Mapping | None = None
    expect_key: bool = True


def _node_events(lines: Sequence[str], stack: list) -> Iterator[yaml.NodeEvent]:
    """The node events libyaml reads from ``lines`` before it gives up, if it does (the error
    ends them quietly: the walkers look at what was read before it). A collection's end pops
    its frame off ``stack``, which the caller pushes at the collection's start."""
    try:
        for event in yaml.parse("\n".join(lines), Loader=_LOADER):
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
            elif isinstance(event, yaml.NodeEvent):
                yield event
    except yaml.YAMLError:
        return


def _mappings_read(lines: Sequence[str]) -> list[_Mapping]:
    """The block mappings, with their keys, that the parser got through before the error.

    These are the keys YAML really read as keys, so a "key: value" line inside a long text or a
    ``>`` block is never taken for one. Flow mappings (``{c1: [...]}``) are left out: their keys
    have no indentation to compare.
    """
    found: list[_Mapping] = []
    stack: list[_Frame] = []
    for event in _node_events(lines, stack):
        within, outer, is_key = None, None, False
        if stack:
            top = stack[-1]
            outer = top.mapping or top.outer
            within = top.within
            if top.mapping is not None:
                is_key = top.expect_key
                if not is_key and top.mapping.keys:
                    within = top.mapping.keys[-1][0]
                top.expect_key = not top.expect_key
                if is_key and isinstance(event, yaml.ScalarEvent):
                    _add_key(top.mapping, event.value, event.start_mark, lines)
        if isinstance(event, yaml.MappingStartEvent):
            in_list = bool(stack) and stack[-1].mapping is None
            mapping = None if event.flow_style else _Mapping(within, outer, in_list)
            if mapping is not None:
                found.append(mapping)
            stack.append(_Frame(mapping, within, outer))
        elif isinstance(event, yaml.SequenceStartEvent):
            stack.append(_Frame(None, within, outer))
        if is_key and not isinstance(event, yaml.ScalarEvent):
            break  # a complex key: nothing a bank has, and no clear block to compare
    return found


def _add_key(mapping: _Mapping, key: str, mark: yaml.Mark, lines: Sequence[str]) -> None:
    """Record a key; the first key of a list item also gives the column of the item's '- '."""
    if not mapping.keys and mapping.in_list and mark.line < len(lines):
        dash = _DASH_BEFORE.fullmatch(lines[mark.line][: mark.column])
        mapping.dash = len(dash[1]) if dash else None
    mapping.keys.append((key, mark.line, mark.column))


def misaligned_key(
    lines: Sequence[str], at: int, *, tab: bool = False
) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) when a key on line ``at`` is indented unlike its mapping.

    The mapping it belongs to is found from the keys YAML read above it: the mapping of the
    nearest key above, or one around it, whichever takes such a key (a question key, a bank key,
    a cloze deletion) at the nearest indentation. A key that mapping already has, at the
    indentation of the question's '- ' or less, is a new question that lost its '- ': None, so
    the caller keeps that advice. When the mapping has a single key and the lines from ``at`` on
    agree with each other, the lone key is the odd one out (`` id:`` on the first line of a
    bank, ``-  id:``): it is the one reported. ``tab`` says YAML stopped at a tab: a key line
    indented with one is told how many spaces to use instead.
    """
    line = lines[at] if at < len(lines) else ""
    match = _KEY_LINE.match(line)
    if match is None or ("\t" in match["lead"]) != tab:
        return None
    key, indent = match["key"], len(match["lead"])
    mappings = _mappings_read(lines)
    above = [(k, m) for m in mappings for k in m.keys if k[1] < at]
    if not above or any(k[1] == at for m in mappings for k in m.keys):
        return None  # nothing to compare with, or YAML did read this key: the trouble is elsewhere
    chain: list[_Mapping] = []
    inner: _Mapping | None = max(above, key=lambda km: km[0][1:])[1]
    while inner is not None:
        if inner.keys:
            chain.append(inner)
        inner = inner.outer
    if match["dash"]:
        if tab:
            return _tab_dash(at, match["lead"].index("\t"), chain)
        return _misaligned_dash(at, indent, chain)
    candidates = [m for m in chain if m.fits(key)] or chain
    if tab:
        return _tab_key(at, match["lead"].index("\t"), key, candidates[0])
    block = min(candidates, key=lambda m: (abs(m.indent - indent), chain.index(m)))
    if block.indent == indent:
        return None
    names = [k[0] for k in block.keys]
    if key in names and block.within == "questions" and indent < block.indent:
        return None  # a second 'id' (or 'type') out at the '- ': a question without its dash
    below = _keys_below(lines, at, indent)
    if len(names) == 1 and len(below) > 1:
        lone, lone_line, lone_col = block.keys[0]
        gap = lone_col - block.dash - 1 if block.dash is not None else 0
        if gap > 1 and block.dash is not None and block.dash + 2 == indent:
            message = (
                f"YAML syntax: there are {gap} spaces between '-' and '{lone}', so '{lone}' does "
                f"not line up with the keys below it ({_listed(below)})"
            )
            return lone_line, lone_col, message, f"write '- {lone}:', with one space after the '-'"
        message = (
            f"YAML syntax: '{lone}' is indented {_spaces(lone_col)}, but the keys below it "
            f"({_listed(below)}) are {_at(indent)}"
        )
        return lone_line, lone_col, message, _line_up(lone, below[0], indent)
    nearest = names[-1]
    keys_are = "keys above it" if len(names) > 1 else "key above it"
    verb = "are" if len(names) > 1 else "is"
    message = (
        f"YAML syntax: '{key}' is indented {_spaces(indent)}, but the {keys_are} "
        f"({_listed(names)}) {verb} {_at(block.indent)}"
    )
    hint = _line_up(key, nearest, block.indent)
    if indent > block.indent and not any(m.fits(key) for m in chain):
        # Not a key the format has: perhaps a line of text that holds ': ', not a key at all.
        hint += "; if this line continues the text above, put that whole text in quotes"
    return at, indent, message, hint


def _misaligned_dash(
    at: int, dash: int, chain: Sequence[_Mapping]
) -> tuple[int, int, str, str] | None:
    """The message for a question (or other list item) whose '- ' is not under the one above.

    YAML reads a '- ' one space off as the start of something new, and says "did not find
    expected key"; the fix is to line the '- ' up with the previous item's.
    """
    item = next((m for m in chain if m.dash is not None), None)
    if item is None or item.dash == dash:
        return None
    noun = "question" if item.within == "questions" else "item"
    return _dash_off(at, dash, noun, item.keys[0][1], item.dash)


@dataclass
class _TextList:
    """A block list YAML read before it gave up, for an item of text whose '- ' moved.

    ``dash`` is the column of its items' '- '; ``last`` the (first, last) 0-based lines of its
    last item when that item is a text (None when it is a mapping or a list).
    """

    dash: int | None = None
    last: tuple[int, int] | None = None


def _text_lists_read(lines: Sequence[str]) -> list[_TextList]:
    """The block lists the parser got through before the error, with their last text item."""
    found: list[_TextList] = []
    stack: list[_TextList | None] = []
    for event in _node_events(lines, stack):
        top = stack[-1] if stack else None
        if top is not None:
            top.last = None
            if isinstance(event, yaml.ScalarEvent):
                start, end = event.start_mark, event.end_mark
                top.last = (start.line, end.line)
                dash = _DASH_BEFORE.fullmatch(lines[start.line][: start.column])
                if top.dash is None and dash is not None:
                    top.dash = len(dash[1])
        if isinstance(event, yaml.SequenceStartEvent) and not event.flow_style:
            stack.append(_TextList())
            found.append(stack[-1])
        elif isinstance(event, yaml.CollectionStartEvent):
            stack.append(None)
    return found


def misaligned_item(lines: Sequence[str], at: int) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) when the text item on line ``at`` has its '- ' out of line.

    A '- ' one space short of the items above it (``- A`` then `` - B`` one column left) ends
    their list, and libyaml words it "did not find expected key". (One space too deep is no
    syntax error: YAML joins the line to the item above, which the loader reports as
    ``dash-in-value``.) The list is the one whose last item, a text, ends right above the line.
    """
    line = lines[at] if at < len(lines) else ""
    match = _DASH_GAP.fullmatch(line)
    if match is None or "\t" in line or _KEY_LINE.match(line) or not match["item"].strip():
        return None
    dash = len(match["lead"])
    written = [n for n in range(at) if lines[n].strip() and not lines[n].lstrip().startswith("#")]
    above = [t for t in _text_lists_read(lines) if t.last is not None and t.dash is not None]
    if not written or not above:
        return None
    item = max(above, key=lambda t: t.last or (0, 0))
    assert item.last is not None and item.dash is not None
    if item.last[1] != written[-1] or item.dash == dash:
        return None  # not right below that list's last item, or lined up with it
    return _dash_off(at, dash, "item", item.last[0], item.dash)


def _dash_off(
    at: int, dash: int, noun: str, above_line: int, above_dash: int
) -> tuple[int, int, str, str]:
    """The message for a list item's '- ' not lined up with the one of the item above, which
    is on ``above_line`` (0-based) at column ``above_dash``."""
    message = (
        f"YAML syntax: this {noun}'s '- ' is indented {_spaces(dash)}, but the '- ' of the "
        f"{noun} above (line {above_line + 1}) is {_at(above_dash)}"
    )
    if above_dash == 0:
        return at, dash, message, "start the '- ' at the left margin, like the one above"
    return at, dash, message, f"line the '- ' up with the one above ({_spaces(above_dash)})"


def _tab_key(at: int, column: int, key: str, block: _Mapping) -> tuple[int, int, str, str]:
    """The message for a key indented with a tab, with how many spaces its mapping uses.

    An editor shows a tab as some number of columns, YAML refuses it in indentation: saying how
    many spaces the keys above use is the whole fix.
    """
    nearest = block.keys[-1][0]
    if block.indent == 0:
        hint = f"remove the tab: '{key}' starts at the left margin, like '{nearest}' above it"
    else:
        hint = f"indent '{key}' with {_spaces(block.indent)}, like '{nearest}' above it"
    return at, column, _TAB_MESSAGE, hint


def _tab_dash(at: int, column: int, chain: Sequence[_Mapping]) -> tuple[int, int, str, str]:
    """The message for a list item whose '- ' is indented with a tab, with the spaces to use."""
    item = next((m for m in chain if m.dash is not None), None)
    if item is None or item.dash is None:
        return at, column, _TAB_MESSAGE, "indent the '- ' with spaces, not a tab"
    above = f"the '- ' on line {item.keys[0][1] + 1}"
    if item.dash == 0:
        hint = f"remove the tab: start the '- ' at the left margin, like {above}"
    else:
        hint = f"indent the '- ' with {_spaces(item.dash)}, like {above}"
    return at, column, _TAB_MESSAGE, hint


def tab_after_dash(lines: Sequence[str], at: int) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) when a tab stands between a list item's '-' and its text.

    ``-<tab>id: a`` looks right in an editor, but YAML refuses a tab before a key or an unquoted
    text there; the fix is one space.
    """
    line = lines[at] if at < len(lines) else ""
    match = _DASH_GAP.fullmatch(line)
    if match is None or "\t" not in match["gap"]:
        return None
    column = match.end("lead") + 1 + match["gap"].index("\t")
    message = "YAML syntax: this list item has a tab after its '-', and YAML allows only spaces"
    item = match["item"].rstrip()
    if not item:
        return at, column, message, "delete the tab after the '-'"
    shown = item if len(item) <= 40 else item[:37].rsplit(" ", 1)[0] + " ..."
    return at, column, message, f"put one space after the '-', not a tab: '- {shown}'"


def tab_in_indent(lines: Sequence[str], at: int) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) for a tab among the blanks a line starts with.

    For the lines ``misaligned_key`` cannot place (a line of text, a list item that is not a
    key): the message still says what is wrong and where, without the spaces to use.
    """
    line = lines[at] if at < len(lines) else ""
    lead = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" not in lead:
        return None
    return at, lead.index("\t"), _TAB_MESSAGE, "indent with spaces, not a tab"


def _keys_below(lines: Sequence[str], at: int, indent: int) -> list[str]:
    """The keys at ``indent`` from line ``at`` down, until the text leaves that indentation.

    Deeper lines (values, list items) are stepped over; a shallower line or a '- ' ends the run.
    Used to tell whether the key on line ``at`` or the lone key above it is the one out of line.
    """
    keys: list[str] = []
    for line in lines[at:]:
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(line) - len(stripped)
        if depth > indent:
            continue
        match = _KEY_LINE.match(line)
        if depth < indent or match is None or match["dash"]:
            break
        keys.append(match["key"])
    return keys


def _listed(names: Sequence[str]) -> str:
    """Up to three keys, quoted, then '...': enough to recognise the mapping."""
    shown = ", ".join(f"'{name}'" for name in names[:3])
    return shown + ", ..." if len(names) > 3 else shown


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _at(indent: int) -> str:
    return "at the left margin" if indent == 0 else f"at {indent}"


def _line_up(key: str, other: str, indent: int) -> str:
    """The fix: move ``key`` to the indentation ``other`` has."""
    if indent == 0:
        return f"start '{key}' at the left margin, like '{other}'"
    return f"line it up with '{other}' ({_spaces(indent)})"
