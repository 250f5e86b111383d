"""The five banks that ship with studyapp: clean, schema-valid, and as full as the course needs."""

from __future__ import annotations

import json
from collections import Counter

import jsonschema
import pytest
import yaml

from studyapp.banks import bank_paths, load_banks
from studyapp.model import QUESTION_TYPES

from .conftest import REPO

QUESTIONS = REPO / "questions"
# The floor of questions per bank (the course plan), beyond which coverage decides.
FLOORS = {
    "thaad-and-biden": 15,
    "beijing-calibrates": 15,
    "dance-with-both": 40,
    "biden-visit-2022": 30,
    "three-anti-sentiments": 28,
}


@pytest.fixture(scope="module")
def results():
    return load_banks(bank_paths(QUESTIONS))


def test_shipped_banks_check_clean(results):
    assert [(p.headline()) for r in results for p in r.problems] == []
    assert {r.bank.id for r in results if r.bank} == set(FLOORS)


@pytest.mark.parametrize("bank_id", sorted(FLOORS))
def test_bank_meets_its_floor_and_type_mix(results, bank_id):
    (bank,) = [r.bank for r in results if r.bank and r.bank.id == bank_id]
    live = bank.live_questions
    assert len(live) >= FLOORS[bank_id]
    types = Counter(q.type for q in live)
    assert set(types) == set(QUESTION_TYPES), types
    # Mostly choice and cloze; every other type present.
    n = len(live)
    assert types["choice"] + types["cloze"] > n / 2, f"{dict(types)} of {n}"
    understanding = sum("understanding" in q.tags for q in live)
    assert understanding >= len(live) / 4, f"{understanding} of {len(live)} test understanding"
    assert all(q.explain for q in live)


@pytest.mark.parametrize("path", bank_paths(QUESTIONS), ids=lambda p: p.stem)
def test_bank_validates_against_the_published_schema(path):
    schema = json.loads((QUESTIONS / "bank.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(
        jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(path.read_text()))
    )
    assert [e.message for e in errors] == []
    assert path.read_text().startswith("# yaml-language-server: $schema=bank.schema.json\n")


def test_schema_flags_a_misspelt_key():
    schema = json.loads((QUESTIONS / "bank.schema.json").read_text())
    bank = {
        "id": "x",
        "title": "t",
        "document": "x.txt",
        "questions": [
            {"id": "a", "type": "card", "prompt": "p", "answer": "a", "quote": "q", "explian": "e"}
        ],
    }
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(bank)]
    assert any("'explian'" in m for m in messages)
