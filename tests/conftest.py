"""Fixtures shared by every test: an isolated environment, a fixed clock, bank factories."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studyapp.config import packaged_questions

REPO = Path(__file__).resolve().parent.parent
SHARED_DOCUMENTS = REPO.parent / "shared" / "documents"

SAMPLE_DOCUMENT = """\
---
title: A Sample Reading
author: Test Author
outlet: Test Outlet
published: 2021-02-02
---

The Terminal High Altitude Area Defense (THAAD) system was deployed in South Korea in 2017.

Beijing answered with a barrage of economic coercive measures, such as business closures and
travel bans. Support for closer ties with China fell by 19 percent.

## A heading

- Chung Eui-yong met Wang Yi in Xiamen.
- Suh Hoon met Jake Sullivan in Annapolis.
"""


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keep every STUDYAPP_* setting of the machine out of tests; state lives in tmp_path."""
    import os

    for key in list(os.environ):
        if key.startswith("STUDYAPP_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("STUDYAPP_INSTANCE", str(tmp_path / "instance"))


@pytest.fixture
def clock() -> datetime:
    """A fixed, timezone-aware UTC 'now' (FSRS needs aware UTC datetimes)."""
    return datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def shipped_questions() -> Path:
    return packaged_questions()


BankFactory = Callable[..., Path]


@pytest.fixture
def make_bank(tmp_path: Path) -> BankFactory:
    """Write a bank (YAML text, dedented) and its document into a folder; return the bank path.

    The YAML's questions are appended under a standard header unless ``header=False``.
    """

    def make(
        questions_yaml: str,
        *,
        name: str = "sample",
        document: str = SAMPLE_DOCUMENT,
        header: bool = True,
        folder: Path | None = None,
    ) -> Path:
        root = folder or tmp_path / "questions"
        root.mkdir(parents=True, exist_ok=True)
        (root / f"{name}.txt").write_text(document, encoding="utf-8")
        body = textwrap.dedent(questions_yaml)
        if header:
            body = (
                f"id: {name}\ntitle: A Sample Reading\ndocument: {name}.txt\nquestions:\n"
                + textwrap.indent(body, "  ")
            )
        path = root / f"{name}.yaml"
        path.write_text(body, encoding="utf-8")
        return path

    return make
