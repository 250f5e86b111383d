"""The running server's bank registry: the files it watches, what it logs, what it retires.

Each test serves banks from a folder in tmp_path through the real app and its real SQLite file,
edits the files as an instructor would, and looks again (``BANK_RELOAD_INTERVAL`` is 0).
"""

from __future__ import annotations

import os
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

from studyapp.cards import CardKey
from studyapp.cli import main
from studyapp.registry import KEPT, NOT_KEPT
from studyapp.stats import RetentionFigure

from .conftest import SAMPLE_DOCUMENT, sign_in, sign_up
from .instructor_seed import review, student

BANK = """\
id: {id}
title: A Sample Reading
document: {document}
questions:
  - id: year
    type: choice
    prompt: In which year was THAAD deployed in South Korea?
    answer: "2017"
    distractors: ["2016", "2018"]
    quote: was deployed in South Korea in 2017
  - id: fell
    type: answer
    prompt: By how much did support for closer ties with China fall?
    answer: 19 percent
    quote: Support for closer ties with China fell by 19 percent
"""


def bank(bank_id: str = "sample", document: str = "sample.txt") -> str:
    return BANK.format(id=bank_id, document=document)


def save(path: Path, text: str) -> None:
    """Write as an editor saves, moving the mtime a second on so a coarse clock sees it too."""
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A questions folder serving the ``sample`` bank, its document named as usual."""
    root = tmp_path / "questions"
    root.mkdir()
    save(root / "sample.txt", SAMPLE_DOCUMENT)
    save(root / "sample.yaml", bank())
    return root


def serve(app_config: dict, folder: Path):
    from studyapp import create_app

    return create_app(app_config | {"QUESTIONS": str(folder)})


def instructor(app):
    """A client signed in as an instructor through the real form."""
    with app.extensions["studyapp"].open_store() as store:
        store.create_user("iris", generate_password_hash("correct horse"), "instructor")
    client = app.test_client()
    assert sign_in(client, "iris").status_code == 302
    return client


def failure_logs(caplog: pytest.LogCaptureFixture, name: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "studyapp.banks" and f"{name} failed to load" in r.getMessage()
    ]


# --- bug: a document not named <bank>.txt was never watched -----------------------------------


@pytest.mark.parametrize("document", ["reading.txt", "sample.md", "SAMPLE.TXT"])
def test_an_edit_of_the_document_a_bank_names_is_picked_up(app_config, folder, document):
    (folder / "sample.txt").unlink()
    save(folder / document, SAMPLE_DOCUMENT)
    save(folder / "sample.yaml", bank(document=document))
    registry = serve(app_config, folder).extensions["studyapp"].registry
    assert registry.refresh().bank("sample") is not None

    save(folder / document, SAMPLE_DOCUMENT.replace("in 2017.", "in 2016."))
    snap = registry.refresh()
    assert list(snap.failures) == [folder / "sample.yaml"]
    assert f"error[quote-not-found] question 'year': quote is not in {document}" in (
        snap.failures[folder / "sample.yaml"].rendered
    )

    # The bank is now failing; fixing its document alone must bring the edit into service.
    save(folder / document, SAMPLE_DOCUMENT.replace("in 2017.", "in 2017, at Seongju."))
    snap = registry.refresh()
    assert not snap.failures
    assert "at Seongju" in snap.bank("sample").document.body


def test_a_bank_waiting_for_its_document_loads_when_the_document_appears(app_config, folder):
    # The bank fails, so the registry learns its document's name from the YAML itself; a value
    # PyYAML could not construct (no 30 February) must not stop that.
    day = "  - id: day\n    type: answer\n    prompt: Which day?\n    answer: 2021-02-30\n"
    save(folder / "sample.yaml", bank(document="notes.md") + day + "    quote: in Annapolis\n")
    registry = serve(app_config, folder).extensions["studyapp"].registry
    failure = registry.refresh().failures[folder / "sample.yaml"]
    assert "error[document-missing] bank: document 'notes.md'" in failure.rendered

    save(folder / "notes.md", SAMPLE_DOCUMENT)
    snap = registry.refresh()
    assert not snap.failures and snap.bank("sample").document.path == folder / "notes.md"


# --- bug: "the last good version stays in service" when there is none -------------------------


def test_a_bank_broken_since_start_is_said_to_be_out_of_service(app_config, folder, caplog):
    save(folder / "sample.yaml", bank().replace("type: answer", "type: answr"))
    app = serve(app_config, folder)
    (message,) = failure_logs(caplog, "sample.yaml")
    assert NOT_KEPT in message and KEPT not in message

    html = instructor(app).get("/instructor/banks").get_data(as_text=True)
    assert "No bank is in service." in html
    assert "the reading is not in service until the errors are fixed" in html
    assert "The last good version stays in service" not in html


def test_only_a_bank_that_loaded_before_keeps_its_last_good_version(app_config, folder, caplog):
    app = serve(app_config, folder)
    registry = app.extensions["studyapp"].registry
    save(folder / "sample.yaml", bank().replace("type: answer", "type: answr"))
    save(folder / "new.txt", SAMPLE_DOCUMENT)
    save(folder / "new.yaml", bank("new", "new.txt").replace("type: choice", "type: choise"))
    snap = registry.refresh()
    assert list(snap.banks) == ["sample"]
    (kept,) = failure_logs(caplog, "sample.yaml")
    (never,) = failure_logs(caplog, "new.yaml")
    assert KEPT in kept and NOT_KEPT in never

    html = instructor(app).get("/instructor/banks").get_data(as_text=True)
    failed = html.split("Edits that failed to load")[1]
    said = dict(
        re.findall(r'questions/(\w+)\.yaml</code>.*?<p class="small">(.*?)</p>', failed, re.S)
    )
    assert said["sample"].startswith("The last good version stays in service")
    assert "the reading is not in service until the errors are fixed" in said["new"]


# --- bug: a restart while a bank was broken took its reading away --------------------------------


def test_a_bank_broken_while_the_server_was_down_keeps_its_last_good_version(
    app_config, folder, caplog
):
    """The last good version outlives a restart: the reading stays open for students, the
    failure is reported as kept, and a later fix replaces it as any edit does."""
    serve(app_config, folder)  # the bank loads, and its copy is kept
    save(folder / "sample.yaml", bank().replace("type: answer", "type: answr"))
    save(folder / "sample.txt", SAMPLE_DOCUMENT.replace("in 2017.", "in 2016."))

    app = serve(app_config, folder)  # the restart
    snap = app.extensions["studyapp"].registry.snapshot
    served = snap.bank("sample")
    assert served is not None and [q.id for q in served.questions] == ["year", "fell"]
    assert "in 2017." in served.document.body  # the document as it was, too
    assert served.path == folder / "sample.yaml"  # edits (an accepted answer) go to the file
    assert snap.failures[folder / "sample.yaml"].kept
    (message,) = failure_logs(caplog, "sample.yaml")
    assert KEPT in message
    client = app.test_client()
    sign_up(client, "ann")
    assert client.get("/reading/sample").status_code == 200
    assert "sample" in [b.id for b in snap.ordered]

    save(folder / "sample.yaml", bank().replace("In which year", "In what year"))
    save(folder / "sample.txt", SAMPLE_DOCUMENT)
    snap = app.extensions["studyapp"].registry.refresh()
    assert not snap.failures
    assert snap.bank("sample").question("year").prompt.startswith("In what year")

    save(folder / "sample.yaml", bank().replace("type: choice", "type: choise"))
    again = serve(app_config, folder).extensions["studyapp"].registry.snapshot
    assert again.bank("sample").question("year").prompt.startswith("In what year")


def test_every_worker_serves_the_same_last_good_version(app_config, folder):
    """Two server workers: a good edit that only one of them loads (no request reached the
    other) and then a broken one. Both then serve the good edit, the last good version on disk,
    not each its own: a student would otherwise see the question change from page to page."""
    first, second = serve(app_config, folder), serve(app_config, folder)
    save(folder / "sample.yaml", bank().replace("In which year", "In what year"))
    first.extensions["studyapp"].registry.refresh(force=True)
    save(folder / "sample.yaml", bank().replace("type: answer", "type: answr"))
    for app in (first, second):
        snap = app.extensions["studyapp"].registry.refresh(force=True)
        assert snap.failures[folder / "sample.yaml"].kept
        assert snap.bank("sample").question("year").prompt.startswith("In what year")


def test_a_deleted_bank_file_does_not_come_back_from_its_copy(app_config, folder):
    serve(app_config, folder)
    (folder / "sample.yaml").unlink()
    serve(app_config, folder)
    save(folder / "sample.yaml", bank().replace("type: answer", "type: answr"))
    snap = serve(app_config, folder).extensions["studyapp"].registry.snapshot
    assert snap.bank("sample") is None and not snap.failures[folder / "sample.yaml"].kept


# --- bug: problems logged unsorted, and again on every other bank's save ------------------------


def test_a_failure_is_logged_as_studyapp_check_prints_it(app_config, folder, caplog):
    app = serve(app_config, folder)
    registry = app.extensions["studyapp"].registry
    # The unknown type (line 12) is found while reading, the quote (line 10) when checking.
    broken = bank().replace("in South Korea in 2017", "in South Korea in 2018")
    save(folder / "sample.yaml", broken.replace("type: answer", "type: answr"))
    failure = registry.refresh().failures[folder / "sample.yaml"]
    assert [(p.line, p.code) for p in failure.problems] == [
        (10, "quote-not-found"),
        (12, "unknown-type"),
    ]
    checked = app.test_cli_runner().invoke(main, ["check", str(folder / "sample.yaml")])
    assert failure.rendered in checked.output
    (message,) = failure_logs(caplog, "sample.yaml")
    assert message.endswith(failure.rendered)


def test_a_failure_is_logged_once_and_keeps_its_first_seen_time(app_config, folder, caplog):
    save(folder / "other.txt", SAMPLE_DOCUMENT)
    save(folder / "other.yaml", bank("other", "other.txt"))
    registry = serve(app_config, folder).extensions["studyapp"].registry
    broken = bank().replace("type: answer", "type: answr")
    save(folder / "sample.yaml", broken)
    first = registry.refresh().failures[folder / "sample.yaml"]

    for i in range(3):
        save(folder / "other.yaml", bank("other", "other.txt") + f"# edit {i}\n")
        snap = registry.refresh()
        assert snap.bank("other").path.read_text().endswith(f"# edit {i}\n")
    assert len(failure_logs(caplog, "sample.yaml")) == 1
    assert snap.failures[folder / "sample.yaml"].when == first.when

    save(folder / "sample.yaml", broken.replace("type: choice", "type: choise"))
    registry.refresh()
    assert len(failure_logs(caplog, "sample.yaml")) == 2


def test_a_server_worker_logs_only_the_failures_the_serve_command_did_not(
    app_config, folder, caplog
):
    """``studyapp serve`` builds the app, logging each failure, then forks workers that build
    their own: theirs must not log those failures again, but must log one that is new."""
    from studyapp.registry import logged_elsewhere

    save(folder / "other.txt", SAMPLE_DOCUMENT)
    save(folder / "other.yaml", bank("other", "other.txt").replace("type: answer", "type: answr"))
    save(folder / "sample.yaml", bank().replace("type: answer", "type: answr"))
    command = serve(app_config, folder).extensions["studyapp"].registry.snapshot
    assert len(failure_logs(caplog, "sample.yaml")) == len(failure_logs(caplog, "other.yaml")) == 1

    # Edited between the command's load and the worker's.
    save(folder / "other.yaml", bank("other", "other.txt").replace("type: choice", "type: chice"))
    with logged_elsewhere(command.failures):
        worker = serve(app_config, folder).extensions["studyapp"].registry.snapshot
    assert len(failure_logs(caplog, "sample.yaml")) == 1
    assert len(failure_logs(caplog, "other.yaml")) == 2
    sample = folder / "sample.yaml"
    assert worker.failures[sample].when == command.failures[sample].when

    serve(app_config, folder)  # outside the block, a registry logs what it finds
    assert len(failure_logs(caplog, "sample.yaml")) == 2


# --- bug: a bank whose id changes in place left its old id alive --------------------------------


def test_changing_a_bank_id_in_place_retires_the_old_id(app_config, folder):
    app = serve(app_config, folder)
    now = datetime.now(UTC)
    with app.extensions["studyapp"].open_store() as store:
        review(store, student(store, "ana", now), CardKey("sample", "year", 1), "2016", False, now)
    save(folder / "sample.yaml", bank("sample-two"))
    assert list(app.extensions["studyapp"].registry.refresh().banks) == ["sample-two"]

    with sqlite3.connect(app.extensions["studyapp"].database) as db:
        banks = dict(db.execute("SELECT id, retired FROM banks").fetchall())
        live = dict(
            db.execute("SELECT bank_id, count(*) FROM cards WHERE retired = 0 GROUP BY bank_id")
        )
    assert banks == {"sample": 1, "sample-two": 0}
    assert live == {"sample-two": 2}
    with app.extensions["studyapp"].open_store() as store:
        assert store.class_cards_due(now + timedelta(days=1)) == {}


def test_class_progress_counts_no_bank_whose_id_was_changed(app_config, folder):
    app = serve(app_config, folder)
    now = datetime.now(UTC)
    with app.extensions["studyapp"].open_store() as store:
        ana = student(store, "ana", now)
        review(store, ana, CardKey("sample", "year", 1), "2016", False, now - timedelta(hours=1))
    client = instructor(app)
    figures = re.findall(
        r'<span class="big">([^<]+)</span>', client.get("/instructor/progress").text
    )
    assert figures[:3] == ["1", "1", "1"]

    save(folder / "sample.yaml", bank("sample-two"))
    figures = re.findall(
        r'<span class="big">([^<]+)</span>', client.get("/instructor/progress").text
    )
    assert figures[:3] == ["0", "0", "0"]  # active students, reviews in 14 days, cards due


def test_class_queries_leave_out_retired_banks(app_config, folder):
    save(folder / "other.txt", SAMPLE_DOCUMENT)
    save(folder / "other.yaml", bank("other", "other.txt"))
    app = serve(app_config, folder)
    start = datetime.now(UTC) - timedelta(days=3)
    later = start + timedelta(days=2)
    with app.extensions["studyapp"].open_store() as store:
        ana, bo = student(store, "ana", start), student(store, "bo", start)
        for sid, bank_id in ((ana, "other"), (bo, "sample")):
            key = CardKey(bank_id, "year", 1)
            store.record_answer(
                sid,
                key,
                token=f"{sid}",
                answer="2017",
                correct=True,
                rating=4,
                duration_ms=1,
                now=start,
            )  # Easy on a new card: straight to review, so the next answer counts for retention
            review(store, sid, key, "2016", False, later)
        store.retire_bank("other", later)
        now = later + timedelta(hours=1)
        assert store.active_students(now - timedelta(days=7)) == (1, {"sample": 1})
        assert list(store.class_answers_per_day(now)[1]) == ["sample"]
        assert store.class_cards_due(now + timedelta(days=30)) == {"sample": 1}
        assert store.retention_by_student(now) == {bo: {"sample": RetentionFigure(0, 1)}}
        last = {s.name: s.last_active for s in store.student_activity()}
        answers = store.answer_counts()
    assert last["ana"] is None and last["bo"] == later
    assert ana not in answers and answers[bo].reviews == 2


# --- a renamed id: students' progress stays with the old id, and the instructor is told ---------


def test_a_renamed_id_is_logged_and_shown_on_bank_health_until_put_back(app_config, folder, caplog):
    app = serve(app_config, folder)
    registry = app.extensions["studyapp"].registry
    registry.refresh()
    now = datetime.now(UTC)
    fell = CardKey("sample", "fell", 1)
    with app.extensions["studyapp"].open_store() as store:
        review(store, student(store, "ann", now), fell, "19 percent", True, now)
    iris = instructor(app)
    assert "look renamed" not in iris.get("/instructor/banks").get_data(as_text=True)

    caplog.set_level("WARNING", logger="studyapp.banks")
    save(folder / "sample.yaml", bank().replace("id: fell", "id: support-fell"))
    registry.refresh()
    (logged,) = [r.getMessage() for r in caplog.records if "renamed" in r.getMessage()]
    assert "'support-fell' looks like 'fell' renamed" in logged
    assert "1 student(s) had studied 'fell'" in logged
    response = iris.get("/instructor/banks")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[page.find("<h1") :][:300]
    assert "Questions that look renamed" in page
    assert "<code>support-fell</code> is <code>fell</code> with only its id changed" in page
    assert "1 student had studied <code>fell</code>" in page
    renames = page[page.index('<ul class="renames">') :]
    assert (
        'href="/instructor/banks/sample.yaml#L11"><code>questions/sample.yaml:11</code>'
        in (renames[: renames.index("</ul>")])
    )  # the new id's line, linked

    save(folder / "sample.yaml", bank())  # the id put back
    registry.refresh()
    with app.extensions["studyapp"].open_store() as store:
        assert store.card_state(store.user_by_name("ann").id, fell).card is not None
    assert "look renamed" not in iris.get("/instructor/banks").get_data(as_text=True)


def test_a_studied_reading_whose_file_goes_is_logged_and_shown_on_bank_health(
    app_config, folder, caplog
):
    """Deleting (or moving) a bank file takes its reading out of service at the next look:
    the log says so, and Bank health names the reading and how many students it leaves, until
    the file is back."""
    app = serve(app_config, folder)
    registry = app.extensions["studyapp"].registry
    registry.refresh()
    now = datetime.now(UTC)
    with app.extensions["studyapp"].open_store() as store:
        review(store, student(store, "ann", now), CardKey("sample", "fell", 1), "19", True, now)
    iris = instructor(app)
    assert "Readings out of service" not in iris.get("/instructor/banks").get_data(as_text=True)

    caplog.set_level("WARNING")
    text = (folder / "sample.yaml").read_text()
    (folder / "sample.yaml").unlink()
    registry.refresh()
    (logged,) = [r.getMessage() for r in caplog.records if "left service" in r.getMessage()]
    assert logged.startswith("bank sample (") and "sample.yaml) left service" in logged
    page = iris.get("/instructor/banks").get_data(as_text=True)
    assert "Readings out of service" in page
    assert "<code>sample</code> (A Sample Reading)" in page
    assert "1 student had studied it." in page

    save(folder / "sample.yaml", text)
    registry.refresh()
    assert "Readings out of service" not in iris.get("/instructor/banks").get_data(as_text=True)
