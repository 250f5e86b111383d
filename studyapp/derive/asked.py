"""Leave out what a bank already asks: drafts whose answer lies in a passage it quotes.

Every question in a bank quotes the passage that proves it, so a fact inside a quoted passage is
one the bank already tests, whatever the question's type or wording. A draft answer is matched by
its place in the document, not by its words: "Beijing" in a quoted clause is asked, "Beijing" in
another sentence is another fact (matching the words alone would leave out nearly every draft of
the shipped readings, since their names recur in many quotes). Places are compared with case,
quote marks and whitespace folded, so a quote typed with straight quotes or other capitals still
counts. A cloze loses only its asked gaps; a choice or true/false pair asks one fact and goes
with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..documents import Document, normalize
from .build import Draft, build_cloze, quote_for
from .candidates import Candidate
from .segment import Sentence

Span = tuple[int, int]


def fold(text: str) -> str:
    """``normalize`` with case folded too, keeping the length of the normalized text (a letter
    whose lower case is longer, as "İ", stays as it is) so offsets carry over."""
    return "".join(ch if len(low := ch.lower()) != 1 else low for ch in normalize(text))


def quoted_spans(body: str, quotes: Iterable[str]) -> list[Span]:
    """Where each quote stands in the folded ``body``: every place, since the checker accepts
    any. A quote not in the document (a broken bank) marks nothing."""
    spans: list[Span] = []
    for quote in quotes:
        q = fold(quote)
        if not q:
            continue
        at = body.find(q)
        while at >= 0:
            spans.append((at, at + len(q)))
            at = body.find(q, at + 1)
    return spans


def place(body: str, sentence: Sentence, c: Candidate, quote: str) -> Span | None:
    """Where candidate ``c`` of ``sentence`` stands in the folded ``body``, found through
    ``quote`` (a verbatim passage holding it); None when it cannot be told."""
    q = fold(quote)
    start = body.find(q)
    if start < 0:
        return None
    # The quote is the sentence or a markup-free run of it, so it sits in the sentence's text
    # and the candidate's offset carries over; otherwise take its first place in the quote.
    i = fold(sentence.text).find(q)
    if 0 <= i <= c.start and c.end <= i + len(q):
        at = start + c.start - i
    else:
        at = q.find(fold(c.text))
        if at < 0:
            return None
        at += start
    end = at + len(c.text)
    return (at, end) if body[at:end] == fold(c.text) else None


def leave_out_asked(
    drafts: Sequence[Draft],
    sentences: Sequence[Sentence],
    document: Document,
    quotes: Iterable[str],
) -> list[Draft]:
    """``drafts`` of ``document`` (whose ``sentences`` they index) without what the passages
    ``quotes`` already hold.

    A cloze that keeps some gaps is built again from them (renumbered c1, c2, ... in reading
    order, its id, tag and quote from its first gap); one that keeps none is left out.
    """
    folded = fold(document.body)
    spans = quoted_spans(folded, quotes)
    if not spans:
        return list(drafts)

    def found(quote: str) -> bool:
        return document.find_quote(quote) >= 0

    def asked(sentence: Sentence, c: Candidate) -> bool:
        where = place(folded, sentence, c, quote_for(sentence, c, found))
        return where is not None and any(s <= where[0] and where[1] <= e for s, e in spans)

    out: list[Draft] = []
    for d in drafts:
        sentence = sentences[d.sentence]
        left = [c for c in d.asks if not asked(sentence, c)]
        if len(left) == len(d.asks):
            out.append(d)
        elif left and d.type == "cloze":
            rebuilt = build_cloze(sentence, left, found)
            if rebuilt is not None:
                out.append(rebuilt)
    return out
