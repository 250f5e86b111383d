"""Sentence boundaries in a paragraph of a reading, so the feedback can show a quote's own
sentence instead of its whole paragraph (which may hold the answers to the next cards).

A rule, not a language model: a sentence ends at ``.``, ``?`` or ``!`` (with any closing quote
marks or brackets after it) followed by whitespace and a capital letter or an opening quote.
A period closing an abbreviation the readings use ("U.S.", "D.C.", an initial such as "B.",
"Mr.", "No.") ends no sentence. So "Washington, D.C. Chung ..." stays one sentence: joining two
sentences only shows a little more text, while a wrong cut would show too little.
"""

from __future__ import annotations

import re

# The end of a sentence: its mark and closing quotes/brackets, then the space before the next.
_BOUNDARY = re.compile(r"[.?!]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z])")
# The word a period may close: initials and initialisms ("B.", "U.S.") or a title before a name.
_ABBREVIATION = re.compile(
    r"(?:[A-Za-z]\.)*[A-Za-z]|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|No|Nos|Gen|Lt|Col|Capt|Gov|Sen|Rep"
    r"|Amb|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_OPENERS = "\"'“‘(["


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of each sentence of ``text``, in order.

    The whitespace between two sentences belongs to neither; the first starts and the last ends
    at the text's first and last non-space character.
    """
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _BOUNDARY.finditer(text):
        if m.group() == "." and _ABBREVIATION.fullmatch(_word_before(text, start, m.start())):
            continue
        end = m.end()
        spans.append((start, end))
        start = end + len(text[end:]) - len(text[end:].lstrip())
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def sentences_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentences of ``text`` that ``text[start:end]`` touches, widened to the
    span itself where it runs past them: what the review feedback shows of a quote's paragraph.
    """
    spans = sentence_spans(text)
    touched = [(a, b) for a, b in spans if a < end and start < b] or [(start, end)]
    return min(touched[0][0], start), max(touched[-1][1], end)


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (see ``sentence_spans``)."""
    return [text[a:b] for a, b in sentence_spans(text)]


def _word_before(text: str, start: int, end: int) -> str:
    """The word of ``text[start:end]`` that ends at ``end``, without opening quotes."""
    words = text[start:end].split()
    return words[-1].lstrip(_OPENERS) if words else ""
