"""Bank text as HTML, shared by the exporters.

Bank values are plain text (an instructor's ``<b>`` is shown as typed), while Anki fields and
Moodle question texts are HTML. Every bank value goes through ``text_html`` before it is placed in
markup we build, and only in element content, never in an attribute.
"""

from __future__ import annotations

import html

from ..model import Bank


def text_html(text: str) -> str:
    """Escape plain bank text for HTML element content, keeping its line breaks.

    Quotes are left as typed: they are harmless in element content and an Anki type-in answer is
    compared with the field as the student reads it.
    """
    if "&" not in text and "<" not in text and ">" not in text and "\n" not in text:
        return text  # most bank text: skip the copies html.escape makes
    return html.escape(text, quote=False).replace("\n", "<br>")


def citation_html(bank: Bank) -> str:
    """The reading's title, author, outlet and date, as a reference line under a passage."""
    meta = bank.document.meta
    parts = [f"<cite>{text_html(bank.title)}</cite>"]
    parts += [text_html(meta[key]) for key in ("author", "outlet", "published") if meta.get(key)]
    return ", ".join(parts)
