"""Each step of derive on small hand-made texts: clean, segment, candidates, score, build,
distractors, and the bank writer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from studyapp import cloze
from studyapp.derive import analyse, derive_drafts
from studyapp.derive.asked import leave_out_asked
from studyapp.derive.build import build_cloze, build_truefalse, stand_alone
from studyapp.derive.candidates import find_candidates, numeric_candidates, rare_terms
from studyapp.derive.clean import classify, clean, find_title, furniture_reason, split_blocks
from studyapp.derive.distractors import build_pool, made_up, pick_distractors, same_thing
from studyapp.derive.score import informative, score_candidates
from studyapp.derive.segment import segment, strip_markup
from studyapp.derive.write import append_questions, assign_ids, read_existing, scalar
from studyapp.documents import parse_document


def sentences_of(text: str):
    return segment(text, clean(text))


def candidates_of(text: str) -> dict[str, str]:
    """Candidate text -> kind, for every sentence of ``text``."""
    sentences = sentences_of(text)
    return {c.text: c.kind for found in find_candidates(sentences) for c in found}


# clean ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ("By Maria Lindqvist", "byline"),
        ("March 3, 2024", "dateline"),
        ("Published April 14, 2021", "dateline"),
        ("Subscribe to our Mailing List!", "furniture phrase"),
        ("Please click the share buttons above to forward this story.", "furniture phrase"),
        ("Region: [China](#), [East Asia](#), [USA](#)", "link list"),
        ("The alliance has, for the past six decades, been a core pillar ...", "teaser"),
        ("© 2024 Nordic Science Wire. All rights reserved.", "furniture phrase"),
    ],
)
def test_furniture_is_recognised(block: str, reason: str) -> None:
    assert (furniture_reason(block) or "").startswith(reason)


def test_article_paragraph_is_not_furniture() -> None:
    text = "Sweden and Finland signed an agreement on March 1, 2024 that opens their stations."
    assert furniture_reason(text) is None


def test_blocks_keep_their_exact_text_and_offset() -> None:
    body = "Title line\n\nFirst paragraph, line one\nline two.\n\n- a bullet.\n- another one.\n"
    for block in split_blocks(body):
        assert body[block.start : block.end] == block.text
    assert [b.kind for b in split_blocks(body)] == ["h", "p", "li", "li"]


def test_everything_after_a_related_heading_is_furniture() -> None:
    body = "An article sentence that is long enough.\n\nRelated Posts\n\nAnother story here.\n"
    kinds = [b.kind for b in classify(split_blocks(body))]
    assert kinds == ["p", "furniture", "furniture"]


def test_trailing_author_bio_is_furniture() -> None:
    body = (
        "The article says something about Seoul and Beijing.\n\n"
        "Jane Roe is a PhD candidate in the Political Science Department at GW.\n"
    )
    assert [b.why for b in classify(split_blocks(body))] == ["", "author's bio"]


def test_dateline_run_into_the_first_sentence_is_cut() -> None:
    body = "Seoul – In December 2017, the Council agreed to act.\n"
    (block,) = clean(body)
    assert block.text == "In December 2017, the Council agreed to act."
    assert body[block.start : block.end] == block.text


def test_title_is_the_heading_before_the_byline() -> None:
    body = "Subscribe now!\n\nThe Peninsula\n\nBeijing Calibrates Its Approach\n\nBy Korea View\n\n"
    body += "China raised the idea of joint dialogue with Seoul.\n"
    assert find_title(body) == "Beijing Calibrates Its Approach"
    assert find_title("# A Markdown Title\n\nText of it.\n") == "A Markdown Title"


# segment ----------------------------------------------------------------------------------------


def test_sentences_are_exact_slices_of_the_body() -> None:
    body = "The U.S. side met Dr. Kim in Seoul on Monday. Then they left for Tokyo by train.\n"
    sentences = sentences_of(body)
    assert [s.text for s in sentences] == [
        "The U.S. side met Dr. Kim in Seoul on Monday.",
        "Then they left for Tokyo by train.",
    ]
    for s in sentences:
        assert body[s.start : s.start + len(s.raw)] == s.raw


def test_link_and_emphasis_markup_is_taken_out_of_the_text_only() -> None:
    text, runs = strip_markup("talks with **Wang Yi** are [going well](#).")
    assert text == "talks with Wang Yi are going well."
    assert runs == ("talks with", "Wang Yi", "are", "going well", ".")


def test_paragraph_cut_by_a_stray_blank_line_is_one_sentence() -> None:
    body = "Chung and Wang were going to touch on US policy toward the DPRK\n\nand its actions.\n"
    (sentence,) = sentences_of(body)
    assert (
        sentence.text
        == "Chung and Wang were going to touch on US policy toward the DPRK and its actions."
    )


def test_headings_and_short_lines_are_not_sentences() -> None:
    body = (
        "## What Happened\n\nNorth Korea tests a new missile\n\nA full sentence of the article.\n"
    )
    assert [s.text for s in sentences_of(body)] == ["A full sentence of the article."]


# candidates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("support fell by 19 percent last year", [("19 percent", "percent")]),
        ("more than 90 percent of its trade", [("90 percent", "percent")]),
        ("on April 2-3, 2021, two visits", [("April 2-3, 2021", "date")]),
        ("last in China in November 2017 and", [("November 2017", "date")]),
        ("the collapse of talks in 2019 has", [("2019", "year")]),
        ("the first exchange in eight months", [("eight months", "number")]),
        ("the upcoming seventh nuclear test", [("seventh", "number")]),
        ("more than half a million people", [("half a million", "number")]),
        ("a future 2+2 meeting and COVID-19 cases", []),
    ],
)
def test_numbers_dates_and_years(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.text, c.kind) for c in numeric_candidates(text)] == expected


def test_names_are_typed_by_the_words_around_them() -> None:
    found = candidates_of(
        "On the same day ROK Foreign Minister Chung Eui-yong met Chinese Foreign Minister Wang Yi "
        "in Xiamen, China. Andrei Lankov, a professor at Kookmin University, says so. "
        "Later Wang said the Korean Peninsula and the UN Security Council matter to Beijing."
    )
    assert found["Chung Eui-yong"] == "person"
    assert found["Wang Yi"] == "person"
    assert found["Wang"] == "person"  # the surname alone, typed from the full name
    assert found["Andrei Lankov"] == "person"
    assert found["Kookmin University"] == "organisation"
    assert found["UN Security Council"] == "organisation"
    assert found["Korean Peninsula"] == "place"
    assert found["Xiamen"] == "place"
    assert found["Beijing"] == "place"


def test_never_half_a_name_and_never_a_title_or_adjective() -> None:
    found = candidates_of(
        "Chinese President Xi Jinping met Foreign Minister Chung Eui-yong and the "
        "Belt and Road Initiative was discussed in South Korea."
    )
    assert "Xi Jinping" in found and "Belt and Road Initiative" in found
    assert "South Korea" in found
    for half in ("Xi", "Jinping", "Chung", "Korea", "Chinese", "President", "Foreign Minister"):
        assert half not in found


def test_a_sentence_opening_word_is_not_a_name() -> None:
    found = candidates_of("Despite UN sanctions, Russian companies employ workers from abroad.")
    assert "Despite" not in found and "Despite UN" not in found
    assert found["UN"] == "acronym"


def test_rare_words_are_terms_and_common_words_never_are() -> None:
    text = "the two countries share the common goal of complete denuclearization of it"
    assert [c.text for c in rare_terms(text, [])] == ["denuclearization"]


def test_short_quoted_phrases_are_terms() -> None:
    found = candidates_of('Both spoke of promoting "high-level exchanges" between their countries.')
    assert found["high-level exchanges"] == "term"


# score ------------------------------------------------------------------------------------------


def test_a_name_shown_twice_in_its_sentence_is_not_worth_hiding() -> None:
    sentences = sentences_of("Seoul said that Seoul would never sign the treaty with Japan.")
    (scored,) = score_candidates(sentences, find_candidates(sentences))
    scores = {c.text: c.score for c in scored}
    assert scores["Seoul"] == 0
    assert scores["Japan"] > 0


def test_short_sentences_and_questions_are_not_informative() -> None:
    sentences = sentences_of(
        "Let us start with Japan. What will South Korea do about Japan in 2025? "
        "The treaty with Japan was signed in Tokyo in 2019 by both governments."
    )
    scored = score_candidates(sentences, find_candidates(sentences))
    assert [informative(s, c) for s, c in zip(sentences, scored, strict=True)] == [
        False,
        False,
        True,
    ]


# distractors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("South Korea", "Seoul"),
        ("United States", "US"),
        ("Xi Jinping", "Xi"),
        ("Ahn", "Ahan"),
        ("Terminal High Altitude Area Defense", "THAAD"),
    ],
)
def test_other_names_of_the_answer_are_never_distractors(a: str, b: str) -> None:
    assert same_thing(a, b)


DISTRACTOR_TEXT = (
    "Foreign Minister Chung Eui-yong visited Xiamen in April 2021. "
    "President Moon Jae-in met President Joe Biden in Washington. "
    "The meeting of Suh Hoon and Jake Sullivan took place in Annapolis. "
    "Chinese President Xi Jinping spoke with Wang Yi about the talks. "
    "Later, Emily Horn said the talks in Tokyo went well for everyone."
)


def test_distractors_are_of_the_answers_kind_and_never_in_its_sentence() -> None:
    sentences = sentences_of(DISTRACTOR_TEXT)
    scored = score_candidates(sentences, find_candidates(sentences))
    pool = build_pool(sentences, scored)
    c = next(c for c in scored[0] if c.text == "Chung Eui-yong")
    picked = pick_distractors(pool, sentences[0], c)
    assert len(picked) == 3
    persons = {"Moon Jae-in", "Joe Biden", "Suh Hoon", "Jake Sullivan", "Xi Jinping", "Wang Yi"}
    assert set(picked) <= persons | {"Emily Horn"}
    strict = pick_distractors(pool, sentences[2], scored[2][0], n=5, strict=True)
    assert not {"Moon Jae-in", "Joe Biden", "Xi Jinping", "Wang Yi"} & set(strict)


def test_distractor_the_document_puts_in_the_answers_place_is_refused() -> None:
    sentences = sentences_of(
        "Chinese President Xi Jinping visited Seoul in July. "
        "Years later Chinese President Hu Jintao had visited Seoul too, as the press noted."
    )
    scored = score_candidates(sentences, find_candidates(sentences))
    pool = build_pool(sentences, scored)
    c = next(c for c in scored[0] if c.text == "Xi Jinping")
    assert "Hu Jintao" not in pick_distractors(pool, sentences[0], c)


def test_made_up_numbers_keep_the_unit() -> None:
    sentences = sentences_of("Support fell by 19 percent in eight months of the year 2017.")
    (found,) = find_candidates(sentences)
    by_text = {c.text: c for c in found}
    assert made_up(by_text["19 percent"])[:2] == ["9 percent", "29 percent"]
    assert made_up(by_text["eight months"])[0] == "six months"
    assert "2015" in made_up(by_text["2017"])


# build ------------------------------------------------------------------------------------------


def test_cloze_hides_whole_candidates_in_anki_syntax() -> None:
    sentences = sentences_of("Moreover, support fell by 19 percent after Beijing acted in 2017.")
    (found,) = find_candidates(sentences)
    hidden = [c for c in found if c.text in ("19 percent", "2017")]
    draft = build_cloze(sentences[0], hidden, lambda q: True)
    assert draft is not None
    assert draft.text == "Support fell by {{c1::19 percent}} after Beijing acted in {{c2::2017}}."
    assert cloze.answers_for(draft.text, 1) == ["19 percent"]
    assert draft.quote == sentences[0].raw


def test_truefalse_pair_swaps_exactly_one_fact() -> None:
    sentences = sentences_of("But the treaty was signed in Tokyo in 2019 by both governments.")
    (found,) = find_candidates(sentences)
    year = next(c for c in found if c.text == "2019")
    true, false = build_truefalse(sentences[0], year, "2016", lambda q: True)
    assert true.prompt == "The treaty was signed in Tokyo in 2019 by both governments."
    assert false.prompt == "The treaty was signed in Tokyo in 2016 by both governments."
    assert (true.answer, false.answer) == ("true", "false")


def test_leading_connectives_are_dropped() -> None:
    assert stand_alone("Moreover, the talks failed.")[0] == "The talks failed."
    assert stand_alone("In addition, they met.")[0] == "They met."
    assert stand_alone("Beijing acted.")[0] == "Beijing acted."


# write ------------------------------------------------------------------------------------------


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_scalars_read_back_as_written(value: str) -> None:
    value = value.strip()
    if value:
        assert yaml.safe_load(f"key: {scalar(value)}") == {"key": value}


BANK = """\
# A comment the instructor wrote
id: sample
questions:
  - id: kept
    type: truefalse
    prompt: Seoul is a city.
    answer: true
    quote: Seoul
title: Sample
document: sample.txt
"""


def test_new_questions_go_after_the_last_question_and_nothing_else_changes() -> None:
    existing = read_existing(BANK)
    new = "  - id: added\n    type: truefalse\n"
    out = append_questions(existing, [new])
    head, tail = BANK.split("title: Sample")
    assert out.startswith(head) and out.endswith("title: Sample" + tail)
    assert out == head + "\n" + new + "title: Sample" + tail
    assert existing.ids == {"kept"} and existing.document == "sample.txt"


def test_ids_are_never_reused() -> None:
    from studyapp.derive.build import Draft

    drafts = [Draft("cloze", 0, "Xi Jinping", "q"), Draft("cloze", 1, "Xi Jinping", "q")]
    assert assign_ids(drafts, {"xi-jinping"}) == ["xi-jinping-2", "xi-jinping-3"]


def test_an_empty_flow_list_becomes_a_block_list() -> None:
    out = append_questions(read_existing("id: s\nquestions: []\n"), ["  - id: a\n"])
    assert out == "id: s\nquestions:\n  - id: a\n"


def test_a_bank_that_is_not_a_mapping_is_refused() -> None:
    from studyapp.derive import BankError

    with pytest.raises(BankError):
        read_existing("- just\n- a list\n")


def test_existing_questions_quotes_are_read_drafts_too() -> None:
    draft = "  - id: d\n    type: card\n    quote: Beijing\n    draft: true\n"
    existing = read_existing(BANK.replace("title: Sample\n", draft + "title: Sample\n"))
    assert existing.quotes == ("Seoul", "Beijing")


# asked ------------------------------------------------------------------------------------------

READING = (
    "The new office in Turku is led by Professor Mikael Virtanen of the University of Helsinki.\n\n"
    'Virtanen called the trend "alarming" in a report to the European Commission in 2023.\n'
)


def drafts_asking(quotes: list[str]) -> list[tuple[str, list[str]]]:
    """(type, what it asks) of each draft of READING, without what ``quotes`` hold."""
    document = parse_document(Path("reading.txt"), READING)
    sentences = analyse(document)[0]
    drafts = leave_out_asked(derive_drafts(document), sentences, document, quotes)
    return [(d.type, [c.text for c in d.asks]) for d in drafts]


def test_a_fact_is_asked_where_it_stands_not_wherever_its_words_do() -> None:
    asks = [
        ("cloze", ["Mikael Virtanen", "University of Helsinki"]),
        ("cloze", ["Virtanen", "European Commission"]),
        ("truefalse", ["2023"]),
        ("truefalse", ["2023"]),
    ]
    assert drafts_asking([]) == asks
    # The second sentence's "Virtanen" is not in the quoted passage, though the word is.
    assert drafts_asking(["led by Professor Mikael Virtanen"]) == [
        ("cloze", ["University of Helsinki"]),
        *asks[1:],
    ]


def test_quotes_match_whatever_their_case_quote_marks_and_line_breaks() -> None:
    quote = "VIRTANEN called the trend\n  “alarming” in a report to the European Commission"
    assert drafts_asking([quote]) == [
        ("cloze", ["Mikael Virtanen", "University of Helsinki"]),
        ("truefalse", ["2023"]),
        ("truefalse", ["2023"]),
    ]


def test_a_cloze_that_loses_its_first_gap_is_renumbered() -> None:
    document = parse_document(Path("reading.txt"), READING)
    sentences = analyse(document)[0]
    quotes = ["led by Professor Mikael Virtanen"]
    (kept, *_) = leave_out_asked(derive_drafts(document), sentences, document, quotes)
    assert kept.text == (
        "The new office in Turku is led by Professor Mikael Virtanen of the "
        "{{c1::University of Helsinki}}."
    )
    assert (kept.name, kept.quote) == ("University of Helsinki", sentences[0].raw)
