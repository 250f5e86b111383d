"""Fixtures shared by every test: an isolated environment, a fixed clock, bank factories."""

from __future__ import annotations

import re
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


# --- the web app ------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


@pytest.fixture
def app_config(tmp_path: Path) -> dict:
    """Settings for a test app: instance, database and banks in tmp_path; fuzz off."""
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "QUESTIONS": str(packaged_questions()),
        "ENABLE_FUZZING": False,
        "BANK_RELOAD_INTERVAL": 0,
        "SYNCHRONOUS": "NORMAL",
    }


@pytest.fixture
def app(app_config: dict):
    from studyapp import create_app

    return create_app(app_config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def sign_up(client, name: str, password: str = "correct horse") -> None:
    """Create an account through the real sign-up form, CSRF token included."""
    page = client.get("/signup")
    response = client.post(
        "/signup",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "name": name,
            "password": password,
            "confirm": password,
            "timezone": "UTC",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def sign_in(client, name: str, password: str = "correct horse"):
    page = client.get("/login")
    return client.post(
        "/login",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "name": name,
            "password": password,
        },
    )


@pytest.fixture
def as_student(client):
    sign_up(client, "ann")
    return client


@pytest.fixture
def as_instructor(app, client):
    from werkzeug.security import generate_password_hash

    with app.extensions["studyapp"].open_store() as store:
        store.create_user("iris", generate_password_hash("correct horse"), "instructor")
    assert sign_in(client, "iris").status_code == 302
    return client
