"""Card keys and the plan that brings the store in line with a changed bank."""

from __future__ import annotations

from dataclasses import replace

import pytest

from studyapp.banks import load_bank
from studyapp.cards import CardKey, StoredQuestion, bank_card_keys, card_keys, plan_sync
from studyapp.model import Bank

BANK = """\
- id: deployed
  type: cloze
  text: THAAD was deployed in {{c1::South Korea}} in {{c2::2017}}.
  quote: The Terminal High Altitude Area Defense (THAAD) system was deployed in South Korea in 2017.
- id: fell
  type: choice
  prompt: By how much did support for closer ties with China fall?
  answer: 19 percent
  distractors: [5 percent, 40 percent]
  quote: Support for closer ties with China fell by 19 percent.
- id: met
  type: answer
  prompt: Whom did Chung Eui-yong meet in Xiamen?
  answer: Wang Yi
  quote: Chung Eui-yong met Wang Yi in Xiamen.
  draft: true
"""


def test_card_key_round_trips_through_its_url_form() -> None:
    key = CardKey("thaad-and-biden", "first-call-gap", 2)
    assert str(key) == "thaad-and-biden/first-call-gap/2"
    assert CardKey.parse(str(key)) == key


@pytest.mark.parametrize("text", ["", "a/b", "a/b/c", "a//1", "a/b/1/2", "/b/1"])
def test_card_key_parse_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="not a card key"):
        CardKey.parse(text)


def test_one_card_per_cloze_number_and_one_for_other_types(make_bank) -> None:
    bank = load_bank(make_bank(BANK)).bank
    assert bank is not None
    assert card_keys(bank.questions[0]) == [
        CardKey("sample", "deployed", 1),
        CardKey("sample", "deployed", 2),
    ]
    assert [str(k) for k in bank_card_keys(bank)] == [
        "sample/deployed/1",
        "sample/deployed/2",
        "sample/fell/1",
    ]
    assert len(bank_card_keys(bank, drafts=True)) == 4


def test_first_sync_adds_every_live_card_and_no_draft_card(make_bank) -> None:
    bank = load_bank(make_bank(BANK)).bank
    assert bank is not None
    plan = plan_sync(bank, {}, {})
    assert plan.added == ["deployed", "fell", "met"]
    assert [str(k) for k in plan.new_cards] == [
        "sample/deployed/1",
        "sample/deployed/2",
        "sample/fell/1",
    ]


def as_synced(bank: Bank) -> dict[str, StoredQuestion]:
    """What the store holds for ``bank`` right after syncing it."""
    return {
        q.id: StoredQuestion(
            i, q.type, q.content_hash, q.draft, False, bank.paragraph_of(q), q.quote_hash
        )
        for i, q in enumerate(bank.questions)
    }


def test_nothing_to_do_when_the_store_matches(make_bank) -> None:
    bank = load_bank(make_bank(BANK)).bank
    assert bank is not None
    stored = as_synced(bank)
    cards = {k: False for k in bank_card_keys(bank)}
    assert plan_sync(bank, stored, cards).empty


def test_a_passage_moved_to_another_paragraph_is_written_again(make_bank) -> None:
    """A document edit that moves a quoted passage (a paragraph inserted above it) changes no
    question, but the store's paragraph must follow, or the study queue spaces the wrong ones."""
    bank = load_bank(make_bank(BANK)).bank
    assert bank is not None
    stored = as_synced(bank)
    assert stored["fell"].paragraph is not None
    stored["fell"] = replace(stored["fell"], paragraph=stored["fell"].paragraph + 1)
    plan = plan_sync(bank, stored, {k: False for k in bank_card_keys(bank)})
    assert [q.id for _, q in plan.upsert] == ["fell"]
    assert plan.edited == []  # not an edit: the student's schedule and item history stay
