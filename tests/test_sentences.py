"""Sentence splitting for the feedback's passage, and the quote shown in its own sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.documents import parse_document
from studyapp.sentences import sentence_spans, split_sentences
from studyapp.web.passages import passage_in_paragraph, passage_in_sentences

PARAGRAPH = (
    "The continued presence of U.S. troops angered Beijing. Mr. Moon visited Dr. Kim in"
    " Washington. Was it “destroying” the relationship? China said no! “We disagree,” he said."
)


def test_abbreviations_and_initials_end_no_sentence():
    assert split_sentences(PARAGRAPH) == [
        "The continued presence of U.S. troops angered Beijing.",
        "Mr. Moon visited Dr. Kim in Washington.",
        "Was it “destroying” the relationship?",
        "China said no!",
        "“We disagree,” he said.",
    ]


@pytest.mark.parametrize(
    "text, sentences",
    [
        ("Seoul said no.", ["Seoul said no."]),
        ("  Leading and trailing space.  ", ["Leading and trailing space."]),
        ("Jason B. Bartlett wrote it. It ran.", ["Jason B. Bartlett wrote it.", "It ran."]),
        ("A No. 1 priority. Then 19 percent fell.", ["A No. 1 priority.", "Then 19 percent fell."]),
        ("He said “no.” Then he left.", ["He said “no.”", "Then he left."]),
        # Lower case after a period is no new sentence (a number neither).
        ("It rose 3.5 percent. e.g. this.", ["It rose 3.5 percent. e.g. this."]),
    ],
)
def test_sentence_boundaries(text, sentences):
    assert split_sentences(text) == sentences


def test_spans_leave_the_space_between_sentences_out():
    text = "One.  Two."
    assert sentence_spans(text) == [(0, 4), (6, 10)]


def document(tmp_path: Path, paragraph: str):
    return parse_document(tmp_path / "d.txt", f"Before.\n\n{paragraph}\n")


def test_a_quote_is_shown_in_its_own_sentence_with_ellipses(tmp_path):
    doc = document(tmp_path, PARAGRAPH)
    shown = passage_in_sentences(doc, "visited Dr. Kim")
    assert shown.html == (
        '… Mr. Moon <mark class="passage">visited Dr. Kim</mark> in Washington. …'
    )
    assert shown.paragraph == passage_in_paragraph(doc, "visited Dr. Kim")[1]


def test_a_quote_across_sentences_shows_each_of_them(tmp_path):
    doc = document(tmp_path, PARAGRAPH)
    shown = passage_in_sentences(doc, "Beijing. Mr. Moon")
    assert str(shown.html).startswith("The continued presence of U.S. troops angered ")
    assert str(shown.html).endswith("in Washington. …")
    assert "relationship" not in shown.html


@pytest.mark.parametrize(
    "paragraph, quote",
    [
        ("Seoul and Beijing met in Xiamen.", "Beijing met"),  # one sentence
        ("Seoul met. Beijing met.", "Seoul met. Beijing met."),  # the whole paragraph
    ],
)
def test_a_quote_that_shows_the_whole_paragraph_has_no_fold(tmp_path, paragraph, quote):
    doc = document(tmp_path, paragraph)
    shown = passage_in_sentences(doc, quote)
    assert shown.paragraph is None
    assert shown.html == passage_in_paragraph(doc, quote)[1]
    assert "…" not in shown.html


def test_the_excerpt_is_escaped(tmp_path):
    doc = document(tmp_path, "First one. If a < b then <script>alert(1)</script> runs. Last.")
    shown = passage_in_sentences(doc, "<script>alert(1)</script>")
    assert "<script>" not in shown.html and "<script>" not in str(shown.paragraph)
    assert shown.html == (
        '… If a &lt; b then <mark class="passage">&lt;script&gt;alert(1)&lt;/script&gt;</mark>'
        " runs. …"
    )
