"""HTML for documents with their quoted passages highlighted, built from escaped parts.

Bank and document text is data: every piece goes through ``markupsafe.escape`` and only the
``<mark>`` and anchor tags we add are markup.

Quotes may overlap or nest. Merging them into one highlight would hide which words each question
quotes, so the text is cut at every span boundary into elementary segments: each covered segment is
its own ``<mark data-q="...">`` listing the ids of the questions that quote it, and each question's
anchor (``#q-<question id>``) sits exactly where its own passage starts. The reading page's script
(``static/js/passage-target.js``) outlines the segments of the question in the URL's fragment;
without it the fragment still scrolls to the right word.

No-break spaces (U+00A0), which text pasted from the web often carries between ordinary words, are
shown as plain spaces: kept, they glue words into long unbreakable runs that leave ragged lines on
a phone. This is display only: the documents and quote matching keep the characters as they are.

The review feedback shows a quote in its own sentences only (``passage_in_sentences``): some
readings put most questions on one long paragraph, and the whole of it shown after one card
would answer the next ones. The paragraph is still there, for the page to fold away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

from ..documents import Block, Document
from ..model import Bank
from ..sentences import sentence_spans, sentences_around

Span = tuple[int, int, str]  # (start, end, question id), offsets into one block's text
NO_BREAK_SPACE = "\u00a0"
ELLIPSIS = "…"


def display_text(text: str) -> str:
    """``text`` as shown on a page: each no-break space a plain one (the length is unchanged, so
    offsets into the original still hold)."""
    return text.replace(NO_BREAK_SPACE, " ")


@dataclass(frozen=True)
class RenderedBlock:
    kind: str
    html: Markup


def _spans_by_block(doc: Document, quotes: Iterable[tuple[str, str]]) -> dict[int, list[Span]]:
    out: dict[int, list[Span]] = {}
    for qid, quote in quotes:
        found = doc.locate(quote)
        if found is not None:
            block, start, end = found
            out.setdefault(block, []).append((start, end, qid))
    return out


def _anchor(qid: str) -> Markup:
    return Markup('<span class="anchor" id="q-{}"></span>').format(qid)


def highlight(text: str, spans: Iterable[Span], *, anchors: bool = True) -> Markup:
    """``text`` with each (start, end, id) span highlighted, overlapping spans cut into segments.

    With ``anchors`` each segment's ``data-q`` lists (space-separated) the ids of the spans that
    cover it, and an empty ``<span class="anchor" id="q-<id>">`` stands at each span's start.
    Without, the segments are plain ``<mark class="passage">`` (the feedback's single passage).
    Ids are bank ids (lowercase letters, digits, hyphens), so a space separates them safely.
    """
    spans = sorted(spans)
    text = display_text(text)
    if not spans:
        return escape(text)
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    parts: list[Markup] = []
    waiting = 0  # index of the first span whose anchor is not written yet
    for a, b in pairwise(cuts):
        while anchors and waiting < len(spans) and spans[waiting][0] <= a:
            parts.append(_anchor(spans[waiting][2]))
            waiting += 1
        covering = [qid for s, e, qid in spans if s <= a and b <= e]
        if not covering:
            parts.append(escape(text[a:b]))
        elif anchors:
            parts.append(
                Markup('<mark class="passage" data-q="{}">{}</mark>').format(
                    " ".join(covering), text[a:b]
                )
            )
        else:
            parts.append(Markup('<mark class="passage">{}</mark>').format(text[a:b]))
    if anchors:  # an empty span at the very end of the text still gets its anchor
        parts.extend(_anchor(qid) for _, _, qid in spans[waiting:])
    return Markup("").join(parts)


def render_document(bank: Bank) -> list[RenderedBlock]:
    """The bank's document as blocks, each quoted passage highlighted and anchored."""
    doc = bank.document
    spans = _spans_by_block(doc, ((q.id, q.quote) for q in bank.live_questions))
    return [
        RenderedBlock(block.kind, highlight(block.text, spans.get(i, [])))
        for i, block in enumerate(doc.blocks)
    ]


def passage_in_paragraph(doc: Document, quote: str) -> tuple[Block | None, Markup]:
    """The paragraph holding ``quote``, with the quote highlighted (no anchors)."""
    found = doc.locate(quote)
    if found is None:
        return None, escape(display_text(quote))
    index, start, end = found
    block = doc.blocks[index]
    return block, highlight(block.text, [(start, end, "")], anchors=False)


@dataclass(frozen=True)
class FocusedPassage:
    """A quote in its own sentences, for the review feedback.

    ``html`` is the sentences holding the quote, the quote highlighted, with an ellipsis where
    the paragraph goes on before or after them; ``paragraph`` is the whole paragraph highlighted
    the same way, or None when ``html`` already shows all of it.
    """

    html: Markup
    paragraph: Markup | None = None


def passage_in_sentences(doc: Document, quote: str) -> FocusedPassage:
    """``quote`` highlighted in the sentence(s) of its paragraph that it touches."""
    block, whole = passage_in_paragraph(doc, quote)
    found = doc.locate(quote)
    if block is None or found is None:
        return FocusedPassage(whole)
    _, start, end = found
    spans = sentence_spans(block.text)
    if not spans:
        return FocusedPassage(whole)
    first, last = sentences_around(block.text, start, end)
    before = first > spans[0][0]
    after = last < spans[-1][1]
    if not (before or after):
        return FocusedPassage(whole)
    shown = highlight(block.text[first:last], [(start - first, end - first, "")], anchors=False)
    return FocusedPassage(
        Markup("").join(
            [
                Markup(ELLIPSIS + " ") if before else Markup(""),
                shown,
                Markup(" " + ELLIPSIS) if after else Markup(""),
            ]
        ),
        whole,
    )
