"""HTML for documents with their quoted passages highlighted, built from escaped parts.

Bank and document text is data: every piece goes through ``markupsafe.escape`` and only the
``<mark>`` and anchor tags we add are markup. Overlapping quotes are merged into one highlight,
with an anchor (``#q-<question id>``) where each question's passage starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..documents import Block, Document
from ..model import Bank


@dataclass(frozen=True)
class RenderedBlock:
    kind: str
    html: Markup


def _spans_by_block(doc: Document, quotes: Iterable[tuple[str, str]]) -> dict[int, list]:
    out: dict[int, list[tuple[int, int, str]]] = {}
    for qid, quote in quotes:
        found = doc.locate(quote)
        if found is not None:
            block, start, end = found
            out.setdefault(block, []).append((start, end, qid))
    return out


def highlight(text: str, spans: list[tuple[int, int, str]], *, anchors: bool = True) -> Markup:
    """``text`` with each (start, end, id) span wrapped in ``<mark>``; overlaps merge."""
    if not spans:
        return escape(text)
    spans = sorted(spans)
    parts: list[Markup | str] = []
    pos = 0
    i = 0
    while i < len(spans):
        start, end, qid = spans[i]
        ids = [qid]
        j = i + 1
        while j < len(spans) and spans[j][0] < end:
            end = max(end, spans[j][1])
            ids.append(spans[j][2])
            j += 1
        parts.append(escape(text[pos:start]))
        if anchors:
            parts.extend(Markup('<span class="anchor" id="q-{}"></span>').format(x) for x in ids)
        parts.append(Markup('<mark class="passage">{}</mark>').format(text[start:end]))
        pos = end
        i = j
    parts.append(escape(text[pos:]))
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
        return None, escape(quote)
    index, start, end = found
    block = doc.blocks[index]
    return block, highlight(block.text, [(start, end, "")], anchors=False)
