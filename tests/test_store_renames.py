"""Renamed question ids: found in the store, and undone by putting the old id back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studyapp.banks import load_bank
from studyapp.cards import CardKey
from studyapp.model import Bank
from studyapp.store import Store, migrate

from .test_store import BANK, EXACT


@pytest.fixture
def load(make_bank):
    def load(questions: str = BANK) -> Bank:
        result = load_bank(make_bank(questions))
        assert result.bank is not None, result.problems
        return result.bank

    return load


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "study.sqlite3"
    migrate(path)
    with Store.open(path, scheduler=EXACT) as s:
        yield s


def study(store: Store, student: int, key: CardKey, now: datetime) -> None:
    store.record_answer(
        student,
        key,
        token=f"{student}{key}{now}",
        answer="19 percent",
        correct=True,
        rating=3,
        duration_ms=800,
        now=now,
    )


def test_an_id_changed_alone_is_reported_with_the_students_it_costs(
    store: Store, load, clock: datetime
) -> None:
    store.sync_bank(load(), clock)
    ana = store.create_user("ana", "h", now=clock).id
    bo = store.create_user("bo", "h", now=clock).id
    teacher = store.create_user("teacher", "h", role="instructor", now=clock).id
    for who in (ana, bo, teacher):
        study(store, who, CardKey("sample", "fell", 1), clock)
    edit = clock + timedelta(days=2)
    store.sync_bank(load(BANK.replace("id: fell", "id: support-fell")), edit)
    [rename] = store.likely_renames()
    assert (rename.bank_id, rename.old_id, rename.new_id) == ("sample", "fell", "support-fell")
    assert rename.same_question and rename.when == edit
    assert rename.students == 2  # the instructor who tried it is not a student
    assert store.likely_renames("sample") == [rename]
    assert store.likely_renames("other") == []


def test_a_renamed_and_reworded_question_is_found_by_its_passage(
    store: Store, load, clock: datetime
) -> None:
    store.sync_bank(load(), clock)
    ana = store.create_user("ana", "h", now=clock).id
    study(store, ana, CardKey("sample", "met", 1), clock)
    edited = BANK.replace("id: met", "id: xiamen-meeting").replace(
        "Whom did Chung Eui-yong meet", "Which minister did Chung Eui-yong meet"
    )
    store.sync_bank(load(edited), clock + timedelta(days=1))
    [rename] = store.likely_renames()
    assert (rename.old_id, rename.new_id, rename.same_question) == (
        "met",
        "xiamen-meeting",
        False,
    )


def test_a_question_replaced_on_another_passage_or_never_studied_is_not_a_rename(
    store: Store, load, clock: datetime
) -> None:
    store.sync_bank(load(), clock)
    ana = store.create_user("ana", "h", now=clock).id
    study(store, ana, CardKey("sample", "met", 1), clock)
    # "fell" renamed, but no student had studied it: nothing to lose, nothing to say.
    store.sync_bank(load(BANK.replace("id: fell", "id: support")), clock + timedelta(1))
    assert store.likely_renames() == []
    # "met" removed and a question on another passage added: a replacement, not a rename.
    replaced = BANK.replace("id: fell", "id: support").replace(
        "quote: Chung Eui-yong met Wang Yi in Xiamen.",
        "quote: Support for closer ties with China fell",
    )
    replaced = replaced.replace("id: met", "id: partner")
    store.sync_bank(load(replaced), clock + timedelta(2))
    assert store.likely_renames() == []


def test_putting_the_old_id_back_restores_the_schedule_and_ends_the_report(
    store: Store, load, clock: datetime
) -> None:
    store.sync_bank(load(), clock)
    ana = store.create_user("ana", "h", now=clock).id
    fell = CardKey("sample", "fell", 1)
    study(store, ana, fell, clock)
    before = store.card_state(ana, fell)
    store.sync_bank(load(BANK.replace("id: fell", "id: support-fell")), clock + timedelta(1))
    assert store.likely_renames()
    report = store.sync_bank(load(), clock + timedelta(2))
    assert report.restored == ("fell",)
    assert store.card_state(ana, fell) == before  # the schedule comes back as it was
    assert store.likely_renames() == []
