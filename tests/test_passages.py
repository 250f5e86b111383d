"""Highlighted passages in the reading view: each question's anchor and highlight are its own.

Quotes overlap in the shipped banks, so the reading cuts highlights into segments at every span
boundary; a link to ``#q-<id>`` must land on the first word of that question's quote, and the
segments listing that id must hold exactly the quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from studyapp.banks import bank_paths, load_banks
from studyapp.config import packaged_questions
from studyapp.documents import normalize, parse_document
from studyapp.web.passages import highlight, passage_in_paragraph, render_document


@dataclass
class ReadBack:
    """A highlighted block read back as a browser would: its text, anchors and segments."""

    text: str = ""
    anchors: dict[str, int] = field(default_factory=dict)  # question id -> offset in text
    segments: list[tuple[int, int, tuple[str, ...]]] = field(default_factory=list)

    def passage(self, qid: str) -> tuple[int, int, str]:
        """The (start, end, text) the segments of ``qid`` cover; they must be contiguous."""
        mine = [(s, e) for s, e, ids in self.segments if qid in ids]
        assert mine, f"no segment lists {qid}"
        for (_, end), (start, _) in zip(mine, mine[1:], strict=False):
            assert end == start, f"the segments of {qid} have a gap at {end}-{start}"
        return mine[0][0], mine[-1][1], self.text[mine[0][0] : mine[-1][1]]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = ReadBack()
        self.open: tuple[int, tuple[str, ...]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "span" and a.get("class") == "anchor":
            self.out.anchors[(a["id"] or "").removeprefix("q-")] = len(self.out.text)
        elif tag == "mark":
            assert self.open is None, "a mark inside a mark"
            self.open = (len(self.out.text), tuple((a.get("data-q") or "").split()))
        else:
            raise AssertionError(f"unexpected tag <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            assert self.open is not None
            start, ids = self.open
            self.out.segments.append((start, len(self.out.text), ids))
            self.open = None

    def handle_data(self, data: str) -> None:
        self.out.text += data


def read_back(html: str) -> ReadBack:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.out


def a(qid: str) -> str:
    return f'<span class="anchor" id="q-{qid}"></span>'


def m(ids: str, text: str) -> str:
    return f'<mark class="passage" data-q="{ids}">{text}</mark>'


TEXT = "The quick brown fox jumps over the lazy dog"


def test_overlapping_passages_are_cut_into_segments_with_each_anchor_at_its_own_start():
    # "quick brown fox" and "brown fox jumps"
    html = highlight(TEXT, [(4, 19, "one"), (10, 25, "two")])
    assert html == (
        "The "
        + a("one")
        + m("one", "quick ")
        + a("two")
        + m("one two", "brown fox")
        + m("two", " jumps")
        + " over the lazy dog"
    )


def test_nested_passage_is_a_segment_inside_the_outer_one():
    # "quick brown fox jumps" holds "brown"
    html = highlight(TEXT, [(10, 15, "inner"), (4, 25, "outer")])
    assert html == (
        "The "
        + a("outer")
        + m("outer", "quick ")
        + a("inner")
        + m("outer inner", "brown")
        + m("outer", " fox jumps")
        + " over the lazy dog"
    )


def test_identical_passages_share_one_segment_and_both_anchors():
    html = highlight(TEXT, [(16, 19, "b"), (16, 19, "a")])
    assert (
        html == "The quick brown " + a("a") + a("b") + m("a b", "fox") + " jumps over the lazy dog"
    )


def test_adjacent_passages_stay_separate():
    html = highlight(TEXT, [(4, 10, "first"), (10, 15, "second")])
    assert html == (
        "The "
        + a("first")
        + m("first", "quick ")
        + a("second")
        + m("second", "brown")
        + " fox jumps over the lazy dog"
    )


def test_text_and_ids_are_escaped_in_the_reading_and_the_feedback(tmp_path):
    text = "if a < b && c > d then <script>alert(1)</script> & done"
    lt, start = text.index("a <"), text.index("<script>")
    html = highlight(text, [(lt, lt + 10, "x"), (start, start + 8, 'y"><b>')])
    assert "<script>" not in html and "<b>" not in html
    assert "a &lt; b &amp;&amp; c" in html and "&lt;script&gt;" in html
    assert 'id="q-y&#34;&gt;&lt;b&gt;"' in html
    back = read_back(str(html))
    assert back.text == text
    assert back.passage("x") == (lt, lt + 10, "a < b && c")
    assert back.anchors == {"x": lt, 'y"><b>': start}
    # The feedback's passage stays one plain mark (no anchor, no ids) in its escaped paragraph.
    doc = parse_document(tmp_path / "d.txt", f"Before.\n\n{text}\n")
    block, feedback = passage_in_paragraph(doc, "a < b && c")
    assert block is not None and block.text == text
    assert feedback == highlight(text, [(lt, lt + 10, "")], anchors=False)
    assert feedback.startswith('if <mark class="passage">a &lt; b &amp;&amp; c</mark> &gt; d')


def test_no_break_spaces_are_shown_as_plain_spaces_and_passages_stay_in_place(tmp_path):
    text = "Tension rose.\u00a0 Seoul\u00a0and Beijing met\u00a0in Xiamen."
    start = text.index("Seoul")
    end = text.index("\u00a0in Xiamen")
    html = str(highlight(text, [(start, end, "met")]))
    assert "\u00a0" not in html and "&nbsp;" not in html
    back = read_back(html)
    assert back.text == "Tension rose.  Seoul and Beijing met in Xiamen."
    assert back.passage("met") == (start, end, "Seoul and Beijing met")
    # The feedback's paragraph too; the document and the quote keep their no-break spaces.
    doc = parse_document(tmp_path / "d.txt", f"Before.\n\n{text}\n")
    block, feedback = passage_in_paragraph(doc, "Seoul and Beijing met")
    assert block is not None and "\u00a0" in block.text
    assert "\u00a0" not in feedback
    assert '<mark class="passage">Seoul and Beijing met</mark>' in feedback


def test_shipped_documents_with_no_break_spaces_read_without_them():
    for bank in BANKS:
        if any("\u00a0" in block.text for block in bank.document.blocks):
            for block in render_document(bank):
                assert "\u00a0" not in block.html, bank.id


@pytest.mark.parametrize(
    "spans",
    [
        [(4, 19, "one"), (10, 25, "two"), (16, 43, "three")],
        [(0, 43, "all"), (4, 9, "quick"), (4, 15, "quick-brown"), (40, 43, "dog")],
        [(10, 15, "x"), (10, 15, "y"), (10, 19, "z"), (4, 10, "w")],
    ],
    ids=["chain", "nested-at-one-start", "identical-and-adjacent"],
)
def test_every_anchor_is_at_its_own_start_and_its_segments_hold_its_passage(spans):
    back = read_back(str(highlight(TEXT, spans)))
    assert back.text == TEXT
    for start, end, qid in spans:
        assert back.anchors[qid] == start
        assert back.passage(qid) == (start, end, TEXT[start:end])
    # Each segment lists exactly the passages that cover it.
    for s, e, ids in back.segments:
        assert set(ids) == {qid for qs, qe, qid in spans if qs <= s and e <= qe}


# -- The shipped banks --------------------------------------------------------------------------

BANKS = [r.bank for r in load_banks(bank_paths(packaged_questions())) if r.bank]


def _overlapping(bank) -> list[str]:
    """Ids of live questions whose located passage overlaps another's in the same block."""
    spans = [(q.id, bank.document.locate(q.quote)) for q in bank.live_questions]
    found = [(qid, loc) for qid, loc in spans if loc is not None]
    return [
        qid
        for qid, (b, s, e) in found
        if any(o != qid and ob == b and os < e and s < oe for o, (ob, os, oe) in found)
    ]


def test_every_shipped_question_links_to_exactly_its_own_passage():
    """Over every live question of the shipped banks, which hold overlapping quotes."""
    assert sum(len(_overlapping(bank)) for bank in BANKS) >= 10  # else this tests little
    misplaced, wrong = [], []
    for bank in BANKS:
        blocks = [read_back(str(block.html)) for block in render_document(bank)]
        # Shown with plain spaces for no-break ones (display_text), which keeps every offset.
        shown = [block.text.replace("\u00a0", " ") for block in bank.document.blocks]
        assert [b.text for b in blocks] == shown
        for q in bank.live_questions:
            located = bank.document.locate(q.quote)
            assert located is not None, f"{q.id}: quote not in one block"
            index, start, end = located
            back = blocks[index]
            if back.anchors.get(q.id) != start:
                misplaced.append(q.id)
            mine = [(s, e) for s, e, ids in back.segments if q.id in ids]
            if not mine or (mine[0][0], mine[-1][1]) != (start, end):
                wrong.append(q.id)
            else:
                assert normalize(back.passage(q.id)[2]) == normalize(q.quote)
    assert misplaced == [], f"{len(misplaced)} anchors are not at their passage"
    assert wrong == [], f"{len(wrong)} highlights are not their passage"
