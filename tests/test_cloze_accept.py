"""Other accepted forms for cloze deletions (``accept: {c1: [...]}``): how a bank holds them, what
the checker says about them, and how review, practice tests and the exports use them."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from studyapp.banks import load_bank
from studyapp.cli import main
from studyapp.export import anki, moodle
from studyapp.grading import grade_cloze
from studyapp.model import Question

from .conftest import csrf_from, sign_up

DOCUMENT = """\
---
title: Xi and Moon
author: Test Author
published: 2021-02-02
---

While President Xi and President Moon spoke of promoting “high-level exchanges” between their
countries, the Quadrilateral Security Dialogue met without them.
"""
# The question every test starts from. Under the bank header, indented by two, ``- id`` is on
# line 5 and ``accept:`` on line 8.
QUESTION = """\
- id: moon
  type: cloze
  text: 'President Xi and President {{c1::Moon}} spoke of promoting {{c2::high-level exchanges}}.'
{accept}  quote: While President Xi and President Moon spoke of promoting
"""
ACCEPT = "  accept:\n    c1: [Moon Jae-in]\n"


def bank_file(make_bank, accept: str = ACCEPT, more: str = "") -> Path:
    return make_bank(QUESTION.replace("{accept}", accept) + more, document=DOCUMENT)


def problems(path: Path) -> list[tuple[int, int, str, str, str | None]]:
    return [(p.line, p.col, p.code, p.message, p.hint) for p in sorted(load_bank(path).problems)]


# --- the bank format ----------------------------------------------------------------------------


def test_cloze_accept_loads_as_forms_per_deletion_number(make_bank):
    accept = "  accept:\n    c2: [high level exchange, talks at the top]\n    c1: [Moon Jae-in]\n"
    result = load_bank(bank_file(make_bank, accept))
    assert result.problems == []
    (q,) = result.bank.questions
    assert q.cloze_accept == (
        (1, ("Moon Jae-in",)),
        (2, ("high level exchange", "talks at the top")),
    )
    assert q.accepted(1) == ("Moon Jae-in",) and q.accepted(2)[1] == "talks at the top"
    assert q.accept == ()
    assert q.pos["accept.c1"] == (10, 7) and q.pos["accept.c1[0]"] == (10, 12)


def test_accepted_gives_an_answer_questions_accept_list_unchanged():
    q = Question("b", "a", "answer", prompt="Where?", answer="Xiamen", accept=("Amoy",))
    assert q.accepted() == ("Amoy",) and q.accepted(3) == ("Amoy",)
    assert Question("b", "c", "cloze", text="{{c1::Moon}}").accepted(1) == ()


def test_cloze_accept_round_trips_and_counts_as_content(make_bank):
    plain = "- id: plain\n  type: cloze\n  text: '{{c1::Moon}} spoke.'\n  quote: President Moon\n"
    bank = load_bank(bank_file(make_bank, more=plain)).bank
    assert bank is not None
    moon, other = bank.questions
    assert moon.to_dict()["accept"] == {"c1": ["Moon Jae-in"]}
    dumped = yaml.safe_dump([q.to_dict() for q in bank.questions], allow_unicode=True)
    again = load_bank(make_bank(dumped, name="again", document=DOCUMENT)).bank
    assert again is not None
    assert [(q.cloze_accept, q.content_hash) for q in again.questions] == [
        (q.cloze_accept, q.content_hash) for q in bank.questions
    ]
    # Adding a form is an edit; a cloze without forms keeps the hash it always had.
    bare = load_bank(bank_file(make_bank, accept="")).bank
    assert bare.questions[0].content_hash != moon.content_hash
    old_payload = {
        "type": "cloze",
        "prompt": "",
        "answer": "",
        "answers": [],
        "distractors": [],
        "accept": [],
        "text": other.text,
        "quote": other.quote,
        "explain": "",
        "tags": [],
    }
    blob = json.dumps(old_payload, sort_keys=True, ensure_ascii=False).encode()
    assert other.content_hash == hashlib.sha256(blob).hexdigest()[:16]


def test_shipped_banks_accept_the_full_names_and_the_articles_spelling(shipped_questions):
    wanted = {
        ("thaad-and-biden", "high-level-exchanges", 1): "Moon Jae-in",
        ("three-anti-sentiments", "obama-park-cooperation", 1): "Barack Obama",
        ("biden-visit-2022", "lankov-kookmin", 2): "Kukmin University",
        ("beijing-calibrates", "strategy-response", 1): "Joe Biden",
        ("dance-with-both", "belt-and-road", 1): "Belt and Road",
        ("dance-with-both", "unsc-compliance", 1): "United Nations Security Council",
        ("beijing-calibrates", "quad-name", 1): "Quadrilateral Security Dialog",
    }
    for (bank_id, qid, number), form in wanted.items():
        bank = load_bank(shipped_questions / f"{bank_id}.yaml").bank
        assert bank is not None, bank_id
        q = bank.question(qid)
        assert form in q.accepted(number), (qid, number)
        assert grade_cloze(q, number, [form]).correct
        assert not grade_cloze(q, number, ["Park Geun-hye"]).correct


# --- what the checker says ----------------------------------------------------------------------

CASES = {
    "key-not-a-number": (
        "  accept:\n    moon: [Moon Jae-in]\n",
        (
            9,
            7,
            "unknown-key",
            "question 'moon' in 'accept': 'moon' is not a deletion number",
            "the keys are the text's deletion numbers: c1 for {{c1::...}}, c2 for ...",
        ),
    ),
    "key-in-capitals": (
        "  accept:\n    C1: [Moon Jae-in]\n",
        (
            9,
            7,
            "unknown-key",
            "question 'moon' in 'accept': 'C1' is not a deletion number",
            "did you mean 'c1'?",
        ),
    ),
    "number-without-deletion": (
        "  accept:\n    c3: [Moon Jae-in]\n",
        (
            9,
            7,
            "accept-no-deletion",
            "question 'moon': accept key 'c3' names no deletion: the text hides c1 and c2",
            "list the forms under the number of the deletion they answer, or hide that text as "
            "{{c3::...}}",
        ),
    ),
    "form-not-in-a-list": (
        "  accept:\n    c1: Moon Jae-in\n",
        (
            9,
            11,
            "wrong-type",
            "question 'moon' in 'accept': 'c1' should be a list, not a single value",
            "write 'c1: [first, second]' or one '- item' per line",
        ),
    ),
    "empty-form": (
        "  accept:\n    c1:\n      - Moon Jae-in\n      - ''\n",
        (11, 11, "empty-value", "question 'moon' in 'accept': 'c1[2]' is empty", None),
    ),
    "list-of-lists": (
        "  accept:\n    c1: [[Moon Jae-in]]\n",
        (
            9,
            12,
            "wrong-type",
            "question 'moon' in 'accept': 'c1[1]' should be text, not a list",
            None,
        ),
    ),
    "empty-list": (
        "  accept:\n    c1: []\n",
        (9, 11, "empty-value", "question 'moon' in 'accept': 'c1' is an empty list", None),
    ),
    "a-list-like-answer-questions": (
        "  accept: [Moon Jae-in]\n",
        (
            8,
            13,
            "wrong-type",
            "question 'moon': a cloze's 'accept' should map deletion numbers to forms, not a list",
            "write accept: {c1: [another form]}, one key per deletion number",
        ),
    ),
    "nothing-after-accept": (
        "  accept:\n",
        (
            8,
            12,
            "empty-value",
            "question 'moon': 'accept' is empty",
            "write accept: {c1: [another form]}, one key per deletion number",
        ),
    ),
    "number-twice": (
        "  accept:\n    c1: [Moon Jae-in]\n    c1: [President Moon]\n",
        (
            10,
            7,
            "duplicate-key",
            "question 'moon' in 'accept': key 'c1' appears twice (first on line 9)",
            "YAML would silently keep only the last one: remove or rename one of them",
        ),
    ),
    "form-repeats-the-hidden-text": (
        "  accept:\n    c1: [Moon Jae-in, MOON]\n",
        (
            9,
            25,
            "accept-repeats-answer",
            "question 'moon': accept form 'MOON' for c1 is the hidden text itself",
            "list only other forms; the hidden text is always accepted",
        ),
    ),
    "form-listed-twice": (
        "  accept:\n    c2: [talks at the top, 'Talks at the top!']\n",
        (
            9,
            30,
            "accept-repeats-answer",
            "question 'moon': accept form 'Talks at the top!' for c2 is listed twice",
            None,
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_accept_mistake_is_located_and_worded(make_bank, case):
    accept, expected = CASES[case]
    path = bank_file(make_bank, accept)
    assert problems(path) == [expected]
    assert load_bank(path).bank is None


def test_a_repeat_is_judged_by_the_graders_folding(make_bank):
    """A leading article, case and punctuation make no new form: the grader ignores them."""
    quad = (
        "- id: quad\n  type: cloze\n  text: The QUAD is the {{c1::Quadrilateral Security Dialogue}}.\n"
        "  accept:\n    c1: [the Quadrilateral Security Dialogue, Quadrilateral Security Dialog]\n"
        "  quote: the Quadrilateral Security Dialogue\n"
    )
    path = make_bank(quad, document=DOCUMENT)
    assert problems(path) == [
        (
            9,
            12,
            "accept-repeats-answer",
            "question 'quad': accept form 'the Quadrilateral Security Dialogue' for c1 is the "
            "hidden text itself",
            "list only other forms; the hidden text is always accepted",
        )
    ]


def test_forms_of_a_number_are_checked_against_each_of_its_deletions(make_bank):
    twice = (
        "- id: both\n  type: cloze\n  text: '{{c1::Xi}} and {{c1::Moon}} spoke.'\n"
        "  accept:\n    c1: [Xi Jinping, moon]\n  quote: President Xi and President Moon\n"
    )
    ((line, col, code, message, _),) = problems(make_bank(twice, document=DOCUMENT))
    assert (line, col, code) == (9, 24, "accept-repeats-answer")
    assert message == "question 'both': accept form 'moon' for c1 is the hidden text itself"


def test_a_text_with_one_deletion_says_so(make_bank):
    one = (
        "- id: one\n  type: cloze\n  text: '{{c1::Moon}} spoke.'\n"
        "  accept:\n    c2: [Moon Jae-in]\n  quote: President Moon\n"
    )
    ((_, _, code, message, _),) = problems(make_bank(one, document=DOCUMENT))
    assert code == "accept-no-deletion"
    assert message.endswith("names no deletion: the text hides only c1")


def test_check_command_prints_the_accept_problem_like_a_compiler(make_bank):
    path = bank_file(make_bank, "  accept:\n    c3: [Moon Jae-in]\n")
    result = CliRunner().invoke(main, ["check", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        f"{path}:9:7: error[accept-no-deletion] question 'moon': accept key 'c3' names no "
        "deletion: the text hides c1 and c2"
    )
    assert lines[2] == "9 |       c3: [Moon Jae-in]"
    assert lines[3] == "  |       ^"


# --- grading: review and practice tests through the real app -------------------------------------


@pytest.fixture
def app_config(app_config: dict, make_bank, tmp_path: Path) -> dict:
    bank_file(make_bank)
    return app_config | {"QUESTIONS": str(tmp_path / "questions")}


def _front(client) -> dict[str, str]:
    page = client.get("/review").get_data(as_text=True)
    hidden = r'<input type="hidden" name="(card|token|shown_at|csrf_token)" value="([^"]*)"'
    fields = dict(re.findall(hidden, page))
    assert fields.get("card"), page
    return fields


def _card_one(client) -> dict[str, str]:
    """The front of card 1 (Moon), rating card 2 first if it comes up first."""
    for _ in range(2):
        f = _front(client)
        if f["card"] == "sample/moon/1":
            return f
        data = {k: f[k] for k in ("csrf_token", "card", "token")}
        rated = client.post(
            "/review/rate", data=data | {"blank": "high-level exchanges", "rating": "3"}
        )
        assert rated.status_code == 302
    pytest.fail("card sample/moon/1 never came up")


def test_review_takes_an_accepted_form_and_still_refuses_another_name(app, client):
    sign_up(client, "ann")
    f = _card_one(client)
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at")}
    wrong = client.post(
        "/review/answer", data=data | {"blank": "Park Geun-hye"}, follow_redirects=True
    )
    assert wrong.status_code == 200 and "Not quite" in wrong.get_data(as_text=True)
    right = client.post(
        "/review/answer", data=data | {"blank": "moon jae-in"}, follow_redirects=True
    )
    assert right.status_code == 200 and "✓ Right" in right.get_data(as_text=True)
    # The rating grades the answer as it was checked (the last one sent for this showing), not
    # the form's copy: only a right one may be rated Good, and it is logged right.
    rated = client.post("/review/rate", data=data | {"blank": "Moon Jae-in", "rating": "3"})
    assert rated.status_code == 302
    with app.extensions["studyapp"].open_store() as store:
        rows = store.db.execute("SELECT answer, correct FROM review_log").fetchall()
    assert [tuple(r) for r in rows][-1] == ("moon jae-in", 1)


def test_review_says_what_a_misspelt_accepted_form_was_accepted_for(app, client):
    """The note beside a form that passed with a typo is true of a full name ("Moon Jae-in" for
    "Moon"), not only of another spelling."""
    sign_up(client, "ann")
    f = _card_one(client)
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at")}
    page = client.post(
        "/review/answer", data=data | {"blank": "Mooon Jae-in"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "✓ Right (close enough)" in page
    assert '<span class="muted small">(accepted for “Moon”)</span>' in page
    assert "accepted spelling" not in page


def _finish_test(client, name: str, gaps: list[str], bank: str = "sample") -> int:
    """Sign ``name`` up, hand in a test of ``bank``'s one question with ``gaps`` typed; its id."""
    sign_up(client, name)
    page = client.get("/practice/").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "banks": [bank], "count": "10", "layout": "all"}
    started = client.post("/practice/", data=data)
    assert started.status_code == 302, started.get_data(as_text=True)
    attempt_id = int(started.headers["Location"].rsplit("/", 1)[1])
    answer = {"csrf_token": csrf_from(page), "go": "finish", "shown": ["0"], "a0": gaps}
    assert client.post(f"/practice/{attempt_id}", data=answer).status_code == 302
    return attempt_id


def _practice(client, app, name: str, gaps: list[str]) -> float:
    attempt_id = _finish_test(client, name, gaps)
    with app.extensions["studyapp"].open_store() as store:
        done = store.attempt(attempt_id, store.user_by_name(name).id)
    (response,) = done.responses
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    return response.score


def test_practice_test_takes_an_accepted_form_per_gap(app, client):
    assert _practice(client, app, "ann", ["Moon Jae-in", "high-level exchanges"]) == 1.0
    assert _practice(client, app, "bob", ["Park Geun-hye", "high-level exchanges"]) == 0.5
    # The forms of c1 are not forms of c2.
    assert _practice(client, app, "cy", ["Moon", "Moon Jae-in"]) == 0.5


def test_practice_result_says_what_a_misspelt_accepted_form_was_accepted_for(app_config, make_bank):
    from studyapp import create_app

    who = (
        "- id: who\n  type: answer\n  prompt: Who spoke with Xi?\n  answer: Moon\n"
        "  accept: [Moon Jae-in]\n  quote: President Xi and President Moon spoke\n"
    )
    assert load_bank(make_bank(who, name="who", document=DOCUMENT)).problems == []
    client = create_app(app_config).test_client()
    attempt_id = _finish_test(client, "ann", ["Mooon Jae-in"], bank="who")
    page = client.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    assert '<span class="muted small">(accepted for “Moon”)</span>' in page
    assert "accepted spelling" not in page


# --- exports --------------------------------------------------------------------------------------


def _gaps(text: str) -> list[list[str]]:
    """The answers of each SHORTANSWER gap, split and unescaped as Moodle's importer does."""
    out = []
    for m in re.finditer(r"\{1:SHORTANSWER:(.*?)(?<!\\)\}", text):
        answers = re.split(r"(?<!\\)~", m.group(1))
        assert all(a.startswith("=") for a in answers), m.group(0)
        out.append([html.unescape(a[1:]).replace("\\}", "}").replace("\\#", "#") for a in answers])
    return out


def test_moodle_gaps_take_the_forms_of_their_number_at_full_marks(make_bank):
    more = (
        "- id: both\n  type: cloze\n  text: '{{c1::Xi}} and {{c1::Moon}} met in {{c2::2021}}.'\n"
        "  accept:\n    c1: ['A leader~#1 {sic}']\n  quote: President Xi and President Moon\n"
    )
    bank = load_bank(bank_file(make_bank, more=more)).bank
    assert bank is not None
    root = ET.fromstring(moodle.build_quiz([bank], course_title="Course").xml)
    texts = {q.findtext("name/text"): q.findtext("questiontext/text") for q in root}
    assert _gaps(texts["moon"]) == [["Moon", "Moon Jae-in"], ["high-level exchanges"]]
    assert _gaps(texts["both"]) == [
        ["Xi", "A leader~#1 {sic}"],
        ["Moon", "A leader~#1 {sic}"],
        ["2021"],
    ]


def test_moodle_leaves_out_a_form_that_differs_only_in_case():
    assert _gaps(moodle.cloze_text("{{c1::Moon}}", {1: ["MOON", "Moon Jae-in"]})) == [
        ["Moon", "Moon Jae-in"]
    ]


def test_anki_export_keeps_the_cloze_text_as_it_is(make_bank):
    bank = load_bank(bank_file(make_bank)).bank
    assert bank is not None
    raw = anki.package_bytes(anki.build_package([bank], course_title="Course"))
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        data = z.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    (fields,) = db.execute("SELECT flds FROM notes").fetchone()
    db.close()
    assert fields.split("\x1f")[0] == html.escape(bank.questions[0].text, quote=False)
    assert "Moon Jae-in" not in fields


# --- derive -------------------------------------------------------------------------------------


def test_derive_adds_to_a_bank_with_cloze_forms_and_keeps_them(tmp_path):
    folder = tmp_path / "questions"
    folder.mkdir()
    reading = Path(__file__).parent / "data" / "derive-fixture.txt"
    (folder / "nordic.txt").write_text(reading.read_text(encoding="utf-8"), encoding="utf-8")
    original = (
        "id: nordic\ntitle: Nordic data pact\ndocument: nordic.txt\nquestions:\n"
        "  - id: virtanen\n    type: cloze\n"
        "    text: The office is led by Professor {{c1::Mikael Virtanen}}.\n"
        "    quote: led by Professor Mikael Virtanen\n"
        "    accept:\n      c1: [Virtanen, Professor Virtanen]\n"
    )
    (folder / "nordic.yaml").write_text(original, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["derive", str(folder / "nordic.txt"), "--questions", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert (folder / "nordic.yaml").read_text(encoding="utf-8").startswith(original)
    loaded = load_bank(folder / "nordic.yaml")
    assert loaded.problems == [] and len(loaded.bank.questions) > 1
    assert loaded.bank.questions[0].accepted(1) == ("Virtanen", "Professor Virtanen")
