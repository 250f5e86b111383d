"""What `studyapp check` says about the mistakes an instructor user test found it let through or
worded badly: a list item joined to the one above, a number split by its comma, a quote found in
several places, a cloze fact its quote contradicts, a quoted word with text after it.

Each case is a small bank written to tmp_path, with the exact line, column, message and hint the
instructor should see.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studyapp.banks import load_bank

CARD = "- id: a\n  type: card\n  prompt: Who?\n  answer: Xi\n  quote: in 2017\n"
# Under the bank header, indented by two: '- id' on line 5, the distractors on lines 10 to 12.
CHOICE = (
    "- id: c\n  type: choice\n  prompt: Which?\n  answer: A wave\n  distractors:\n"
    "    - A naval blockade\n    - A recall\n    - A ban\n  quote: in 2017\n"
)
ANSWER = (
    "- id: n\n  type: answer\n  prompt: How many?\n  answer: half a million\n"
    "  accept: [Bangtan Boys, 500,000 fans]\n  quote: in 2017\n"
)


def located(path: Path) -> list[tuple[int, int, str, str, str | None]]:
    return [(p.line, p.col, p.code, p.message, p.hint) for p in sorted(load_bank(path).problems)]


# --- a '- ' item indented deeper than the items above -------------------------------------


def test_item_one_space_deeper_is_joined_to_the_item_above(make_bank):
    path = make_bank(CHOICE.replace("    - A recall", "     - A recall"))
    assert located(path) == [
        (
            11,
            8,
            "dash-in-value",
            "question 'c': this '- ' item is indented 1 space deeper than the '- ' above it "
            "(line 10), so YAML joins it to the item above as one text, "
            "'A naval blockade - A recall'",
            "line its '- ' up with the '- ' above (6 spaces)",
        )
    ]
    assert load_bank(path).bank is None


def test_item_two_spaces_deeper_says_how_many(make_bank):
    path = make_bank(CHOICE.replace("    - A recall", "      - A recall"))
    ((line, col, code, message, _),) = located(path)
    assert (line, col, code) == (11, 9, "dash-in-value")
    assert "indented 2 spaces deeper" in message


def test_dash_line_in_a_text_value_is_reported(make_bank):
    path = make_bank(CARD.replace("answer: Xi", "answer: Xi, for\n    - economic reasons"))
    assert located(path) == [
        (
            9,
            7,
            "dash-in-value",
            "question 'a': this line starts with '- ', but YAML reads it as more of the text of "
            "'answer' above, which is 'Xi, for - economic reasons'",
            "if the '- ' belongs to the text, put the whole text in quotes; a list item cannot "
            "follow text under 'answer:'",
        )
    ]


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param('"Xi, for\n    - economic reasons"', id="in-quotes"),
        pytest.param(">\n    Xi, for\n    - economic reasons", id="folded-block"),
        pytest.param("Xi, for\n    economic - and other - reasons", id="dash-inside-a-line"),
    ],
)
def test_dash_in_quotes_a_block_or_inside_a_line_is_text(make_bank, answer):
    assert located(make_bank(CARD.replace("answer: Xi", f"answer: {answer}"))) == []


def test_item_one_space_short_is_told_to_line_up(make_bank):
    # libyaml: "did not find expected key", at the '- ' that ends the list too early.
    path = make_bank(CHOICE.replace("    - A recall", "   - A recall"))
    assert located(path) == [
        (
            11,
            6,
            "yaml-syntax",
            "YAML syntax: this item's '- ' is indented 5 spaces, but the '- ' of the item above "
            "(line 10) is at 6",
            "line the '- ' up with the one above (6 spaces)",
        )
    ]


# --- a comma inside an item of a [...] list -------------------------------------------------


def test_thousands_comma_in_a_flow_list_splits_the_item(make_bank):
    assert located(make_bank(ANSWER)) == [
        (
            9,
            28,
            "comma-in-item",
            "question 'n': the comma in \"500,000 fans\" ends an item of the [...] list, so YAML "
            "reads two items of 'accept', '500' and '000 fans'",
            'put that item in quotes: "500,000 fans"',
        )
    ]


def test_number_with_two_commas_is_named_once_as_written(make_bank):
    path = make_bank(ANSWER.replace("500,000 fans", "over 1,000,000"))
    # The two '000' items are also a form listed twice: what YAML read is checked as usual.
    ((line, col, code, message, hint),) = [p for p in located(path) if p[2] == "comma-in-item"]
    assert (line, col, code) == (9, 28, "comma-in-item")
    assert message == (
        "question 'n': the comma in \"over 1,000,000\" ends an item of the [...] list, so YAML "
        "reads 3 items of 'accept', 'over 1', '000' and '000'"
    )
    assert hint == 'put that item in quotes: "over 1,000,000"'


def test_comma_in_a_cloze_accept_list_is_reported(make_bank):
    cloze = (
        "- id: z\n  type: cloze\n  text: THAAD came in {{c1::2017}}.\n"
        "  accept:\n    c1: [2,017]\n  quote: in 2017\n"
    )
    ((_, _, code, message, _),) = located(make_bank(cloze))
    assert code == "comma-in-item"
    assert message.startswith("question 'z' in 'accept': the comma in \"2,017\"")


@pytest.mark.parametrize(
    "accept",
    [
        pytest.param('[Bangtan Boys, "500,000 fans"]', id="quoted"),
        pytest.param("[Seoul, Washington, D.C.]", id="comma-and-space"),
        pytest.param("[thaad,economy]", id="words-without-spaces"),
        pytest.param("[100,200,300]", id="numbers-without-spaces"),
        pytest.param("[2016,2018]", id="four-digits-after"),
        pytest.param("\n    - 500,000 fans", id="block-list"),
    ],
)
def test_commas_that_may_separate_items_are_left_alone(make_bank, accept):
    path = make_bank(ANSWER.replace("[Bangtan Boys, 500,000 fans]", accept))
    assert [p for p in located(path) if p[2] == "comma-in-item"] == []


def test_a_group_of_zeros_is_never_a_number_of_its_own(make_bank):
    path = make_bank(ANSWER.replace("[Bangtan Boys, 500,000 fans]", "[500,000]"))
    assert [p[2] for p in located(path)] == ["comma-in-item"]


# --- a quote found at more than one place ----------------------------------------------------


def test_quote_found_twice_names_the_lines_of_the_document(make_bank):
    # SAMPLE_DOCUMENT: the bullets on lines 15 and 16 both have " met ".
    path = make_bank(CARD.replace("quote: in 2017", "quote: met"))
    assert located(path) == [
        (
            9,
            12,
            "quote-ambiguous",
            "question 'a': quote is found twice in sample.txt, on lines 15 and 16: students are "
            "shown the first as the source",
            "lengthen the quote until it names one passage",
        )
    ]
    assert load_bank(path).bank is None


def test_quote_found_many_times_counts_them_and_folds_like_quote_matching(make_bank):
    document = (
        '---\ntitle: T\n---\n\nThe “deal” was signed.\n\nThe "deal"\nwas not kept. The '
        "“deal”   was lost.\n"
    )
    path = make_bank(CARD.replace("quote: in 2017", "quote: 'The \"deal\" was'"), document=document)
    ((_, _, code, message, _),) = located(path)
    assert code == "quote-ambiguous"
    assert message == (
        "question 'a': quote is found 3 times in sample.txt, on lines 5, 7 and 8: students are "
        "shown the first as the source"
    )


def test_quote_found_once_passes(make_bank):
    path = make_bank(CARD.replace("quote: in 2017", "quote: Suh Hoon met"))
    assert located(path) == []


# --- a cloze whose hidden text is not in its quote -------------------------------------------

GAP_DOCUMENT = "---\ntitle: T\n---\n\nThe talks ended in eight months, at Kukmin University.\n"


def cloze(text: str, quote: str, accept: str = "") -> str:
    return f"- id: z\n  type: cloze\n  text: {text}\n{accept}  quote: {quote}\n"


def test_cloze_fact_the_quote_words_otherwise_is_reported(make_bank):
    question = cloze("The talks ended in {{c1::nine months}}.", "The talks ended in eight months")
    assert located(make_bank(question, document=GAP_DOCUMENT)) == [
        (
            7,
            30,
            "cloze-not-in-quote",
            "question 'z': hidden text 'nine months' (c1) is not in the quote, which quotes the "
            "words around it",
            "check the hidden text against the reading; if the quote words it otherwise, add the "
            "quote's wording to 'accept' under c1",
        )
    ]


def test_cloze_fact_with_accept_forms_not_in_the_quote_says_so(make_bank):
    question = cloze(
        "The talks ended in {{c1::nine months}}.",
        "The talks ended in eight months",
        "  accept:\n    c1: [nine whole months]\n",
    )
    ((_, _, code, message, _),) = located(make_bank(question, document=GAP_DOCUMENT))
    assert code == "cloze-not-in-quote"
    assert message == (
        "question 'z': hidden text 'nine months' (c1) is not in the quote, nor is any of its "
        "accept forms, which quotes the words around it"
    )


@pytest.mark.parametrize(
    "text, quote, accept",
    [
        pytest.param(
            "The talks ended at {{c1::Kookmin University}}.",
            "at Kukmin University",
            "  accept:\n    c1: [Kukmin University]\n",
            id="an-accept-form-is-in-the-quote",
        ),
        pytest.param(
            "The talks ended in {{c1::EIGHT   months}}.",
            "The talks ended in eight months",
            "",
            id="case-and-spacing-ignored",
        ),
        pytest.param(
            "The talks ended in {{c1::nine months}}.",
            "The talks ended in",
            "",
            id="quote-stops-before-the-deletion",
        ),
        pytest.param(
            "'{{c1::The talks}} ended in {{c2::eight months}}.'",
            "ended in eight months",
            "",
            id="deletion-before-the-quote",
        ),
    ],
)
def test_cloze_facts_the_quote_does_not_contradict_pass(make_bank, text, quote, accept):
    path = make_bank(cloze(text, quote, accept), document=GAP_DOCUMENT)
    assert located(path) == []


def test_shipped_lankov_question_passes_on_its_accept_form(shipped_questions):
    result = load_bank(shipped_questions / "biden-visit-2022.yaml")
    assert result.problems == []
    (lankov,) = [q for q in result.bank.questions if q.id == "lankov-kookmin"]  # type: ignore[union-attr]
    assert "Kookmin University" in lankov.text and "Kukmin University" in lankov.quote


# --- a quoted word (or a [...]) with text after it ----------------------------------------

TEXT_AFTER = (
    "YAML syntax: the value is read as the quoted {} alone, so YAML cannot read the rest of the "
    "line"
)


@pytest.mark.parametrize(
    "line, expected",
    [
        pytest.param(
            'prompt: "BTS" is a group from which country?',
            (
                7,
                13,
                TEXT_AFTER.format('"BTS"'),
                "put the whole text in single quotes: "
                "prompt: '\"BTS\" is a group from which country?'",
            ),
            id="double-quoted-word",
        ),
        pytest.param(
            "prompt: 'BTS' is Seoul's group?",
            (
                7,
                13,
                TEXT_AFTER.format("'BTS'"),
                "put the whole text in double quotes: prompt: \"'BTS' is Seoul's group?\"",
            ),
            id="single-quoted-word",
        ),
        pytest.param(
            'prompt: "BTS" is Seoul\'s group?',
            (
                7,
                13,
                TEXT_AFTER.format('"BTS"'),
                "put the whole text in single quotes: prompt: '\"BTS\" is Seoul''s group?'",
            ),
            id="apostrophe-doubled-in-the-fix",
        ),
        pytest.param(
            'prompt: "Fill in": which country?',
            (
                7,
                13,
                TEXT_AFTER.format('"Fill in"'),
                "put the whole text in single quotes: prompt: '\"Fill in\": which country?'",
            ),
            id="quoted-then-colon",
        ),
        pytest.param(
            "prompt: [Fill in] Which K-pop group?",
            (
                7,
                13,
                "YAML syntax: a value that starts with '[' is read as a list, [Fill in], so YAML "
                "cannot read the rest of the line",
                'put the whole text in quotes: prompt: "[Fill in] Which K-pop group?"',
            ),
            id="bracket",
        ),
        pytest.param(
            "prompt: {Fill in} Which K-pop group?",
            (
                7,
                13,
                "YAML syntax: a value that starts with '{' is read as a mapping, {Fill in}, so "
                "YAML cannot read the rest of the line",
                'put the whole text in quotes: prompt: "{Fill in} Which K-pop group?"',
            ),
            id="brace",
        ),
    ],
)
def test_text_after_a_quoted_or_bracketed_start_is_told_to_quote_it_whole(
    make_bank, line, expected
):
    row, col, message, hint = expected
    path = make_bank(CARD.replace("prompt: Who?", line))
    assert located(path) == [(row, col, "yaml-syntax", message, hint)]


def test_quoted_word_with_text_after_it_in_a_list_item(make_bank):
    path = make_bank(CHOICE.replace("- A recall", '- "BTS" fans'))
    assert located(path) == [
        (
            11,
            9,
            "yaml-syntax",
            TEXT_AFTER.format('"BTS"'),
            "put the whole text in single quotes: - '\"BTS\" fans'",
        )
    ]


def test_bracketed_text_alone_is_told_it_is_a_list(make_bank):
    path = make_bank(CARD.replace("prompt: Who?", "prompt: [Fill in]"))
    assert located(path) == [
        (
            7,
            13,
            "wrong-type",
            "question 'a': 'prompt' should be text, not a list",
            "a value that starts with '[' is read as a list; if it is text, put it in quotes: "
            'prompt: "[Fill in]"',
        )
    ]


# --- cheap hints ----------------------------------------------------------------------------


def test_deletion_in_single_braces_is_told_to_use_two(make_bank):
    question = "- id: z\n  type: cloze\n  text: In {c1::eight months}.\n  quote: in 2017\n"
    assert located(make_bank(question)) == [
        (
            7,
            11,
            "cloze-no-deletion",
            "question 'z': cloze text hides nothing",
            "a deletion is written with two braces: {{c1::eight months}}",
        )
    ]


def test_choice_with_a_list_of_answers_is_told_about_multi(make_bank):
    path = make_bank(CHOICE.replace("answer: A wave", "answer: [A wave, A ban]"))
    assert located(path) == [
        (
            8,
            13,
            "wrong-type",
            "question 'c': 'answer' should be text, not a list",
            "several right answers make it a multi question: write 'type: multi' and rename "
            "'answer:' to 'answers:'",
        )
    ]


def test_invalid_id_hint_never_suggests_an_id_in_use(make_bank):
    taken = CARD.replace("id: a", "id: xi-signals-audience")
    also = CARD.replace("id: a", "id: xi-signals-audience-2")
    path = make_bank(taken + also + CARD.replace("id: a", "id: Xi-Signals-Audience"))
    assert located(path) == [
        (
            15,
            9,
            "invalid-id",
            "question 'Xi-Signals-Audience': id 'Xi-Signals-Audience' may hold only lowercase "
            "letters, digits and hyphens",
            "try 'xi-signals-audience-3' ('xi-signals-audience' is the id of the question on "
            "line 5)",
        )
    ]


def test_invalid_id_hint_suggests_the_free_slug(make_bank):
    path = make_bank(CARD.replace("id: a", "id: Xi-Signals-Audience"))
    ((_, _, code, _, hint),) = located(path)
    assert (code, hint) == ("invalid-id", "try 'xi-signals-audience'")


# --- text with ': ' in a list item ----------------------------------------------------------


@pytest.mark.parametrize(
    "bank, line, col, key",
    [
        (
            CHOICE.replace("    - A recall", "    - Japan: the Japanese government"),
            11,
            9,
            "distractors[2]",
        ),
        (ANSWER.replace("[Bangtan Boys,", "[Korean name: Bangtan Sonyeondan,"), 9, 14, "accept[1]"),
    ],
)
def test_an_item_with_a_colon_is_told_to_be_quoted(make_bank, bank, line, col, key):
    """Not the hint about lines indented under a key: the item is on one line."""
    ((at_line, at_col, code, message, hint),) = [
        p for p in located(make_bank(bank)) if p[2] == "wrong-type"
    ]
    assert (at_line, at_col, code) == (line, col, "wrong-type")
    assert f"'{key}' should be text, not a mapping" in message
    assert hint is not None and "has ': ' in it" in hint and "put the whole text in quotes" in hint
    assert "indented" not in hint


def test_lines_indented_under_a_key_still_get_the_indentation_hint(make_bank):
    bank = CARD.replace("  prompt: Who?\n", "  prompt:\n      who: met whom\n      when: in 2017\n")
    hints = [hint for *_, hint in located(make_bank(bank))]
    assert any(h and "indented more than it" in h for h in hints)


# --- tags written without brackets ---------------------------------------------------------


def test_tags_with_commas_but_no_brackets_are_told_to_use_a_list(make_bank):
    # YAML reads 'thaad, economy' as one text: one tag, the Anki tag 'thaad,_economy'.
    path = make_bank(CARD + "  tags: thaad, economy ,coercion\n")
    assert located(path) == [
        (
            10,
            11,
            "wrong-type",
            "question 'a': 'tags' is one text, 'thaad, economy ,coercion', not a list of tags",
            "put the tags in brackets to make them a list: tags: [thaad, economy, coercion]",
        )
    ]
    assert load_bank(path).bank is None


@pytest.mark.parametrize("tags", ["thaad", "[thaad, economy]", "\n    - thaad\n    - economy"])
def test_one_tag_or_a_list_of_tags_passes(make_bank, tags):
    assert located(make_bank(CARD + f"  tags: {tags}\n")) == []


# --- a quote that starts or ends inside a word ---------------------------------------------


@pytest.mark.parametrize(
    "quote, col, message, hint",
    [
        pytest.param(
            "arrage of economic coercive measures",
            12,
            "quote starts in the middle of a word: it begins 'arrage' where the document has "
            "'barrage'",
            "quote whole words: start it with 'barrage'",
            id="start",
        ),
        pytest.param(
            "deployed in South Ko",
            31,
            "quote ends in the middle of a word: it ends 'Ko' where the document has 'Korea'",
            "quote whole words: end it with 'Korea'",
            id="end",
        ),
        pytest.param(
            "arrage of econ",
            12,
            "quote starts and ends in the middle of a word: it begins 'arrage' where the "
            "document has 'barrage' and ends 'econ' where the document has 'economic'",
            "quote whole words: start it with 'barrage' and end it with 'economic'",
            id="both",
        ),
        pytest.param(
            "eploye",
            12,
            "quote is only part of the word 'deployed' in the document",
            "quote whole words: 'deployed'",
            id="inside-one-word",
        ),
    ],
)
def test_quote_cut_inside_a_word_shows_the_whole_word(make_bank, quote, col, message, hint):
    path = make_bank(CARD.replace("quote: in 2017", f"quote: {quote}"))
    assert located(path) == [(9, col, "quote-not-found", f"question 'a': {message}", hint)]


@pytest.mark.parametrize(
    "quote",
    [
        "(THAAD) system",  # punctuation is no word
        "South Korea in 2017.",
        "Eui-yong met Wang Yi",  # a hyphen ends a word
        "Support for closer ties with China fell by 19 percent",
    ],
)
def test_quote_of_whole_words_passes(make_bank, quote):
    assert located(make_bank(CARD.replace("quote: in 2017", f'quote: "{quote}"'))) == []


@pytest.mark.parametrize(
    "quote",
    [
        "the Foreign Policy",  # a footnote mark after the word is no letter of it
        "中国外交部",  # Chinese sets no spaces between words
        "한국",  # Korean particles join their noun: "한국은"
    ],
)
def test_quote_in_a_script_without_spaces_or_before_a_footnote_passes(make_bank, quote):
    document = (
        "---\ntitle: T\n---\nSee the Foreign Policy¹ essay. 中国外交部发言人说. 한국은 말했다.\n"
    )
    path = make_bank(CARD.replace("quote: in 2017", f"quote: {quote}"), document=document)
    assert located(path) == []


# --- where a quote not in the document parts from it -----------------------------------------


@pytest.mark.parametrize(
    "quote, col, said",
    [
        pytest.param(
            "economic coercive measures, such as shop closures and travel bans",
            48,
            "it matches the document up to 'economic coercive measures, such as', then the "
            "document has 'business' where the quote has 'shop'",
            id="changed",
        ),
        pytest.param(
            "Support for ties with China fell by 19 percent",
            24,
            "it matches the document up to 'Support for', then the document has 'closer', "
            "which the quote leaves out",
            id="left-out",
        ),
        pytest.param(
            "Support for much closer ties with China fell",
            24,
            "it matches the document up to 'Support for', then the quote has 'much', which "
            "the document does not",
            id="added",
        ),
        pytest.param(
            "Beijng answered with a barrage of economic",
            12,
            "at its first word the document has 'Beijing' where the quote has 'Beijng'",
            id="first-word",
        ),
        pytest.param(
            "The Terminal High Altitude Area Defense (THAAD) system was placed in South Korea",
            71,
            "it matches the document up to '... Altitude Area Defense (THAAD) system was', then "
            "the "
            "document has 'deployed' where the quote has 'placed'",
            id="long-match-shortened",
        ),
    ],
)
def test_quote_not_found_points_at_its_first_differing_word(make_bank, quote, col, said):
    problems = load_bank(make_bank(CARD.replace("quote: in 2017", f"quote: {quote}"))).problems
    assert [(p.line, p.col, p.code, p.message) for p in problems] == [
        (9, col, "quote-not-found", f"question 'a': quote is not in sample.txt: {said}")
    ]
    assert problems[0].hint is not None and problems[0].hint.startswith("closest passage: ")


def test_differing_word_of_a_folded_quote_is_found_on_its_line(make_bank):
    quote = "quote: >\n    Beijing answered with a barrage of\n    economic coercive threats"
    ((line, col, code, message, _),) = located(make_bank(CARD.replace("quote: in 2017", quote)))
    assert (line, col, code) == (11, 25, "quote-not-found")
    assert message.endswith("then the document has 'measures,' where the quote has 'threats'")


def test_quote_with_little_in_common_stays_at_its_key_with_the_closest_passage(make_bank):
    # Two words in common ('met', 'in') are chance, not the passage: no first difference.
    path = make_bank(CARD.replace("quote: in 2017", "quote: Moon met Kishida in Tokyo"))
    ((line, col, code, message, hint),) = located(path)
    assert (line, col, code, message) == (
        9,
        12,
        "quote-not-found",
        "question 'a': quote is not in sample.txt",
    )
    assert hint is not None and hint.startswith("closest passage: ")
