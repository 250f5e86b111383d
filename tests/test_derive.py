"""``studyapp derive`` end to end: a fixture reading with page furniture (not one of the shipped
readings) becomes a draft bank that passes the checker, and an existing bank is only added to."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyapp import cloze
from studyapp.banks import load_bank
from studyapp.cli import main
from studyapp.derive import analyse, derive_drafts, derive_file
from studyapp.derive.score import informative
from studyapp.documents import load_document

FIXTURE = Path(__file__).parent / "data" / "derive-fixture.txt"
# Words that only the fixture's page furniture uses.
FURNITURE_WORDS = (
    "Subscribe",
    "newsletter",
    "Lindqvist",
    "Facebook",
    "share",
    "Related",
    "Esbjerg",
    "Nordic Science Wire",
    "rights reserved",
    "Home |",
    "March 3, 2024",
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A questions folder holding the fixture reading and no bank yet."""
    root = tmp_path / "questions"
    root.mkdir()
    shutil.copy(FIXTURE, root / "nordic.txt")
    return root


def derive(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["derive", *args], catch_exceptions=False)
    return result.exit_code, result.output


def test_derived_bank_passes_the_checker_and_is_all_drafts(folder: Path) -> None:
    code, output = derive(str(folder / "nordic.txt"), "--questions", str(folder))
    assert code == 0, output
    bank_path = folder / "nordic.yaml"
    result = load_bank(bank_path)
    assert result.problems == []
    assert result.bank is not None
    questions = result.bank.questions
    assert output.strip() == f"Wrote {len(questions)} drafts to {bank_path} (a new bank)."
    assert len(questions) >= 10
    assert all(q.draft for q in questions)
    assert result.bank.live_questions == ()
    assert {q.type for q in questions} >= {"cloze", "choice", "truefalse"}


def test_title_and_document_come_from_a_reading_without_a_header(folder: Path) -> None:
    derive(str(folder / "nordic.txt"), "--questions", str(folder))
    bank = load_bank(folder / "nordic.yaml").bank
    assert bank is not None
    assert bank.title == "Nordic Neighbours Agree to Share Their Baltic Sea Data"
    assert bank.document.name == "nordic.txt"
    assert bank.id == "nordic"


def test_no_question_comes_from_page_furniture(folder: Path) -> None:
    derive(str(folder / "nordic.txt"), "--questions", str(folder))
    bank = load_bank(folder / "nordic.yaml").bank
    assert bank is not None
    for q in bank.questions:
        shown = " ".join([q.text, q.prompt, q.answer, *q.distractors, q.quote])
        for word in FURNITURE_WORDS:
            assert word not in shown, (q.id, word)
        assert "STOCKHOLM" not in q.quote  # the dateline run into the first sentence


def test_every_informative_sentence_gets_a_draft_in_reading_order() -> None:
    document = load_document(FIXTURE)
    sentences, scored = analyse(document)
    drafts = derive_drafts(document)
    wanted = {s.index for s, c in zip(sentences, scored, strict=True) if informative(s, c)}
    assert len(wanted) >= 8
    assert {d.sentence for d in drafts} == wanted
    order = [d.sentence for d in drafts]
    assert order == sorted(order)


def test_derive_is_deterministic(folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "again"
    shutil.copytree(folder, other)
    derive(str(folder / "nordic.txt"), "--questions", str(folder))
    derive(str(other / "nordic.txt"), "--questions", str(other))
    assert (folder / "nordic.yaml").read_bytes() == (other / "nordic.yaml").read_bytes()


def test_distractors_are_never_right_by_the_document() -> None:
    document = load_document(FIXTURE)
    for d in derive_drafts(document):
        for wrong in d.distractors:
            assert wrong not in d.quote
        if d.type == "truefalse" and d.answer == "false":
            assert document.find_quote(d.prompt) < 0


def test_existing_bank_keeps_its_text_and_ids(folder: Path) -> None:
    bank_path = folder / "nordic.yaml"
    original = (
        "# Reviewed by hand: keep this comment.\n"
        "id: nordic\n"
        "title: Nordic data pact\n"
        "document: nordic.txt\n"
        "questions:\n"
        "  - id: virtanen\n"
        "    type: truefalse\n"
        "    prompt: Mikael Virtanen will lead the new office.\n"
        "    answer: true\n"
        "    quote: led by Professor Mikael Virtanen\n"
    )
    bank_path.write_text(original, encoding="utf-8")
    code, output = derive(str(folder / "nordic.txt"), "--questions", str(folder))
    assert code == 0, output
    text = bank_path.read_text(encoding="utf-8")
    assert text.startswith(original)
    result = load_bank(bank_path)
    assert result.problems == []
    assert result.bank is not None
    ids = [q.id for q in result.bank.questions]
    assert ids[0] == "virtanen" and ids.count("virtanen") == 1
    assert len(ids) == len(set(ids))
    assert not result.bank.questions[0].draft
    added = len(ids) - 1
    assert output.strip() == f"Wrote {added} drafts to {bank_path}; kept its 1 question untouched."


def test_running_derive_twice_adds_nothing_the_second_time(folder: Path) -> None:
    derive(str(folder / "nordic.txt"), "--questions", str(folder))
    first = (folder / "nordic.yaml").read_bytes()
    code, output = derive(str(folder / "nordic.txt"), "--questions", str(folder))
    assert code == 0
    assert (folder / "nordic.yaml").read_bytes() == first
    assert output.startswith("Wrote 0 drafts to")


def test_out_option_writes_elsewhere_and_names_the_document(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere" / "draft.yaml"
    code, output = derive(str(folder / "nordic.txt"), "--out", str(out), "--questions", str(folder))
    assert code == 0, output
    result = load_bank(out)
    assert result.problems == []
    assert result.bank is not None and result.bank.document.path.name == "nordic.txt"


@pytest.mark.parametrize(
    ("bank_text", "message"),
    [
        ("questions: [\n", "not valid YAML"),
        ("- a list\n", "is not a bank"),
        ("id: x\ntitle: t\ndocument: other.txt\nquestions:\n", "bank of 'other.txt'"),
        ("id: x\nquestions: [{id: a}]\n", "flow, list"),
    ],
)
def test_a_bank_derive_cannot_add_to_is_an_error_not_a_traceback(
    folder: Path, bank_text: str, message: str
) -> None:
    (folder / "nordic.yaml").write_text(bank_text, encoding="utf-8")
    result = CliRunner().invoke(main, ["derive", str(folder / "nordic.txt")])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert (folder / "nordic.yaml").read_text(encoding="utf-8") == bank_text


@pytest.mark.parametrize(
    ("bank_bytes", "reason"),
    [
        (b'questions:\n  - id: a\n    prompt: "Who?\n    answer: Xi\n', "it is not valid YAML"),
        (b"questions:\n  - id: a\n    prompt: Caf\xe9?\n", "it is not UTF-8 text"),
    ],
    ids=["yaml-syntax", "not-utf8"],
)
def test_a_bank_derive_cannot_read_gets_the_checkers_located_message(
    folder: Path, monkeypatch: pytest.MonkeyPatch, bank_bytes: bytes, reason: str
) -> None:
    """Not "(ScannerError)", nor the document blamed for the bank's bytes: the file, line,
    caret and help `studyapp check` prints for it."""
    (folder / "nordic.yaml").write_bytes(bank_bytes)
    monkeypatch.chdir(folder.parent)
    result = CliRunner().invoke(main, ["derive", "questions/nordic.txt"])
    checked = CliRunner().invoke(main, ["check", "questions/nordic.yaml"])
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: cannot add drafts to questions/nordic.yaml: {reason}, so nothing was written."
    )
    problem = checked.output.split("\n\n")[0]
    assert problem.startswith("questions/nordic.yaml:3:")
    assert problem in result.output
    assert "Error" not in result.output.split("\n", 1)[1]
    assert (folder / "nordic.yaml").read_bytes() == bank_bytes


def test_user_mistakes_give_messages(folder: Path) -> None:
    missing = CliRunner().invoke(main, ["derive", str(folder / "missing.txt")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    (folder / "latin1.txt").write_bytes("Caf\xe9 in Seoul.\n".encode("latin-1"))
    latin = CliRunner().invoke(main, ["derive", str(folder / "latin1.txt")])
    assert latin.exit_code == 1 and "not UTF-8" in latin.output
    (folder / "x.yaml").write_text("id: x\n", encoding="utf-8")
    itself = CliRunner().invoke(main, ["derive", str(folder / "x.yaml")])
    assert itself.exit_code == 2 and "the bank itself" in itself.output


def test_every_option_has_help() -> None:
    result = CliRunner().invoke(main, ["derive", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--questions"):
        line = next(line for line in result.output.splitlines() if option in line)
        assert len(line.split(option, 1)[1].strip()) > 10


WEEK1 = (
    "id: {bank_id}\n"
    "title: Week one\n"
    "document: week1.txt\n"
    "questions:\n"
    "  - id: virtanen\n"
    "    type: truefalse\n"
    "    prompt: Mikael Virtanen will lead the new office.\n"
    "    answer: true\n"
    "    quote: {quote}\n"
)


@pytest.mark.parametrize(
    "quote",
    ["led by Professor Mikael Virtanen", "a quote the reading does not have"],
    ids=["clean", "with-problems"],
)
def test_derive_refuses_a_new_bank_whose_id_another_bank_has(folder: Path, quote: str) -> None:
    # The instructor saves next week's reading under a name whose id week1.yaml already uses.
    shutil.copy(FIXTURE, folder / "week1.txt")
    week1 = folder / "week1.yaml"
    week1.write_text(WEEK1.format(bank_id="nordic", quote=quote), encoding="utf-8")
    result = CliRunner().invoke(main, ["derive", str(folder / "nordic.txt")])
    assert result.exit_code == 1
    assert f"its bank id 'nordic' (from the file name) is already the id of {week1}" in (
        result.output
    )
    assert "Nothing was written" in result.output and "--out" in result.output
    assert "Traceback" not in result.output
    assert not (folder / "nordic.yaml").exists()


def test_derive_checks_the_questions_folder_when_writing_elsewhere(
    folder: Path, tmp_path: Path
) -> None:
    shutil.copy(FIXTURE, folder / "week1.txt")
    (folder / "week1.yaml").write_text(
        WEEK1.format(bank_id="draft", quote="led by Professor Mikael Virtanen"), encoding="utf-8"
    )
    out = tmp_path / "elsewhere" / "draft.yaml"
    taken = derive(str(folder / "nordic.txt"), "--out", str(out), "--questions", str(folder))
    assert taken[0] == 1 and "is already the id of" in taken[1]
    assert not out.exists()


def test_derive_under_another_name_gives_the_bank_a_free_id(folder: Path) -> None:
    shutil.copy(FIXTURE, folder / "week1.txt")
    (folder / "week1.yaml").write_text(
        WEEK1.format(bank_id="nordic", quote="led by Professor Mikael Virtanen"), encoding="utf-8"
    )
    out = folder / "week2.yaml"
    code, output = derive(str(folder / "nordic.txt"), "--out", str(out), "--questions", str(folder))
    assert code == 0, output
    bank = load_bank(out).bank
    assert bank is not None and bank.id == "week2" and bank.document.name == "nordic.txt"


# What the bank already asks ---------------------------------------------------------------------

NORDIC = "id: nordic\ntitle: Nordic data pact\ndocument: nordic.txt\nquestions:\n"


def test_derive_asks_nothing_a_quoted_passage_already_holds(folder: Path) -> None:
    # A card and a true/false statement (any type counts), one quote typed with curly quotes
    # where the reading has straight ones.
    bank_path = folder / "nordic.yaml"
    bank_path.write_text(
        NORDIC + "  - id: trend\n"
        "    type: card\n"
        "    prompt: How did Virtanen describe the trend?\n"
        "    answer: Alarming\n"
        "    quote: Virtanen called the trend “alarming”\n"
        "  - id: oxygen\n"
        "    type: truefalse\n"
        "    prompt: Oxygen in the deep basins fell by 18 percent between 2010 and 2020.\n"
        "    answer: true\n"
        "    quote: fell by 18 percent between 2010 and 2020\n",
        encoding="utf-8",
    )
    code, output = derive(str(folder / "nordic.txt"), "--questions", str(folder))
    assert code == 0, output
    result = load_bank(bank_path)
    assert result.problems == [] and result.bank is not None
    drafts = [q for q in result.bank.questions if q.draft]
    asked = {d.answer for q in drafts if q.type == "cloze" for d in cloze.parse(q.text)[0]}
    asked |= {q.answer for q in drafts if q.type == "choice"}
    assert asked.isdisjoint({"Virtanen", "alarming", "18 percent", "2010", "2020"})
    # What the quotes leave out is still asked: the institute, and Denmark in the pair.
    assert "Finnish Environment Institute" in asked
    assert [q.answer for q in drafts if q.prompt.endswith("larger than Denmark.")] == ["true"]
    assert output.strip() == (
        f"Wrote {len(drafts)} drafts to {bank_path}; kept its 2 questions untouched; "
        "left out 2 drafts its questions already ask."
    )


def test_a_cloze_loses_only_the_gap_the_bank_asks(folder: Path) -> None:
    bank_path = folder / "nordic.yaml"
    bank_path.write_text(
        NORDIC + "  - id: office\n"
        "    type: cloze\n"
        "    text: The agreement creates the {{c1::Joint Baltic Monitoring Office}}.\n"
        "    quote: The agreement creates the Joint Baltic Monitoring Office\n",
        encoding="utf-8",
    )
    derive(str(folder / "nordic.txt"), "--questions", str(folder))
    bank = load_bank(bank_path).bank
    assert bank is not None
    (office,) = [q for q in bank.questions if q.draft and "Turku" in q.text]
    assert office.text == (
        "The agreement creates the Joint Baltic Monitoring Office (JBMO), which will be based "
        "in Turku and led by Professor {{c1::Mikael Virtanen}} of the University of Helsinki."
    )
    assert office.id == "mikael-virtanen"


def test_running_derive_again_after_editing_a_draft_adds_nothing(folder: Path) -> None:
    bank_path = folder / "nordic.yaml"
    bank_path.write_text(
        NORDIC + "  - id: critics\n"
        "    type: choice\n"
        "    prompt: Where were the critics of the pact?\n"
        "    answer: Norway\n"
        "    distractors: [Sweden, Finland]\n"
        "    quote: Critics in Norway argued\n",
        encoding="utf-8",
    )
    derive(str(folder / "nordic.txt"), "--questions", str(folder))
    # The instructor rewords a draft (a hint) and keeps it: its passage is still asked.
    first = bank_path.read_text(encoding="utf-8")
    edited = first.replace("{{c1::March 1, 2024}}", "{{c1::March 1, 2024::a date}}")
    assert edited != first
    bank_path.write_text(edited, encoding="utf-8")
    code, output = derive(str(folder / "nordic.txt"), "--questions", str(folder))
    assert code == 0, output
    assert bank_path.read_text(encoding="utf-8") == edited
    assert output.startswith(f"Wrote 0 drafts to {bank_path};")
    assert "its questions already ask." in output


def test_a_new_bank_gets_every_draft(folder: Path) -> None:
    # Another bank of the same reading quotes a passage: only the bank written to counts.
    shutil.copy(FIXTURE, folder / "week1.txt")
    (folder / "week1.yaml").write_text(
        WEEK1.format(bank_id="week1", quote="led by Professor Mikael Virtanen"), encoding="utf-8"
    )
    out = folder / "nordic.yaml"
    result = derive_file(folder / "nordic.txt", out, folder)
    bank = load_bank(out).bank
    assert bank is not None
    assert (result.created, result.left_out) == (True, 0)
    assert result.written == len(bank.questions) == len(derive_drafts(load_document(FIXTURE)))
    assert any("{{c2::Mikael Virtanen}}" in q.text for q in bank.questions)
