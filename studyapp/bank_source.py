"""Turn a bank file's bytes into text YAML will accept, reporting what it will not.

PyYAML stops at the first undecodable byte or control character, names it by byte offset, and
says nothing an instructor can act on. We decode and scan every line first, so each bad line gets
its own located problem (``not-utf8``, or ``yaml-syntax`` for a control character) and a hint.
"""

from __future__ import annotations

import codecs
import re

import yaml

from .yaml_nodes import _Walker

# Where YAML breaks lines (see problems.source_lines), in UTF-8 bytes.
_BYTE_BREAK = re.compile(rb"\r\n|[\r\n]|\xc2\x85|\xe2\x80[\xa8\xa9]")
# What YAML accepts as text (YAML 1.1 section 5.1, as PyYAML's reader checks it).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL_NAMES = {
    "\x00": "null",
    "\x07": "bell",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1b": "escape",
    "\x7f": "delete",
}


def _decode(w: _Walker, raw: bytes) -> str:
    """Decode a bank as UTF-8, reporting the first byte that is not UTF-8 on each line.

    ``utf-8-sig`` drops the byte-order mark some Windows editors write. Bad bytes become U+FFFD
    in the text returned, so the report can still show the line; columns count characters.
    The bytes are split where YAML breaks lines, so line numbers match the decoded text's.
    """
    text = raw.decode("utf-8-sig", errors="replace")
    for number, line in enumerate(_BYTE_BREAK.split(raw.removeprefix(codecs.BOM_UTF8))):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            col = len(line[: exc.start].decode("utf-8", errors="replace"))
            w.problem(
                yaml.Mark(w.path, 0, number, col, None, None),
                "not-utf8",
                f"byte 0x{line[exc.start]:02x} is not UTF-8 text",
                "save the file as UTF-8 (most editors offer it under 'Save with encoding')",
            )
    return text


def _control_characters(w: _Walker) -> bool:
    """Report each line's first character that YAML refuses (a form feed pasted from a PDF...).

    PyYAML would stop at the first with its own wording and a byte position; an instructor needs
    the line and column and the name of something they cannot see. Returns whether any was found.
    """
    found = False
    for number, line in enumerate(w.lines):
        m = _NOT_PRINTABLE.search(line)
        if m is None:
            continue
        found = True
        ch = m.group()
        name = _CONTROL_NAMES.get(ch, "control character" if ord(ch) < 0xA0 else "noncharacter")
        what = f"a control character ({name}, U+{ord(ch):04X})"
        if name in ("control character", "noncharacter"):
            what = f"an invisible {name} (U+{ord(ch):04X})"
        w.problem(
            yaml.Mark(w.path, 0, number, m.start(), None, None),
            "yaml-syntax",
            f"{what} is on this line, and YAML does not allow it",
            "delete it (such characters often come with text pasted from a PDF or a word processor)",
        )
    return found
