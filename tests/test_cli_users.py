"""The account commands: list, password and role, through the real command and the real app.

Each test runs ``studyapp user ...`` with click's runner against a SQLite file in ``tmp_path``
(the autouse fixture points ``STUDYAPP_INSTANCE`` there), then checks what an instructor or a
student would see: the command's output, a sign-in through the real form, an instructor page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner, Result
from werkzeug.security import generate_password_hash

from studyapp.cli import main

from .conftest import sign_in

OLD = "correct horse"
NEW = "battery staple"


def _invoke(*args: str, input: str | None = None, env: dict | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, env=env)


@pytest.fixture
def accounts(app, clock):
    """Make accounts with the password OLD: ``accounts(name, role, timezone)``."""

    def add(name: str, role: str = "student", timezone: str = "UTC"):
        with app.extensions["studyapp"].open_store() as store:
            return store.create_user(name, generate_password_hash(OLD), role, timezone, now=clock)

    return add


def _stored(app, name: str):
    with app.extensions["studyapp"].open_store() as store:
        return store.user_by_name(name)


def _users(app, role: str | None = None):
    with app.extensions["studyapp"].open_store() as store:
        return store.users(role)


def _signs_in(app, name: str, password: str) -> bool:
    """Whether the sign-in form takes the password; it answers 400 and says so when not."""
    response = sign_in(app.test_client(), name, password)
    if response.status_code == 302:
        return True
    assert response.status_code == 400
    assert "Wrong name or password." in response.get_data(as_text=True)
    return False


# --- user password ------------------------------------------------------------------------------


def test_user_password_replaces_the_password_sign_in_takes(app, accounts):
    accounts("ann")
    result = _invoke("user", "password", "ann", input=f"{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert "Set a new password for student 'ann'." in result.output
    assert NEW not in result.output  # the prompt hides what is typed
    assert not _signs_in(app, "ann", OLD)
    assert _signs_in(app, "ann", NEW)


def test_user_password_signs_out_every_device_signed_in_to_the_account(app, accounts):
    """A reset for a compromised account must end the sessions already signed in."""
    accounts("ann")
    browser = app.test_client()
    assert sign_in(browser, "ann", OLD).status_code == 302
    assert browser.get("/").status_code == 200
    assert _invoke("user", "password", "ann", input=f"{NEW}\n{NEW}\n").exit_code == 0
    response = browser.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_user_password_finds_the_name_as_sign_in_does_and_reads_the_variable(app, accounts):
    accounts("ann")
    result = _invoke("user", "password", "ANN", env={"STUDYAPP_NEW_PASSWORD": NEW})
    assert result.exit_code == 0, result.output
    assert "New password" not in result.output  # nothing asked
    assert _signs_in(app, "ann", NEW)


def test_user_password_asks_again_for_a_password_the_sign_up_form_refuses(app, accounts):
    accounts("ann")
    result = _invoke("user", "password", "ann", input=f"short\n{NEW}\n{NEW}\n")
    assert result.exit_code == 0, result.output
    assert "Error: use at least 8 characters" in result.output
    assert _signs_in(app, "ann", NEW)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Invalid value for --password: use at least 8 characters"),
        ("p" * 257, "Invalid value for --password: use at most 256 characters"),
    ],
    ids=["short", "long"],
)
def test_user_password_refuses_what_the_sign_up_form_refuses(app, accounts, password, message):
    before = accounts("ann").password_hash
    result = _invoke("user", "password", "ann", "--password", password)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert _stored(app, "ann").password_hash == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bob", "no account named 'bob': 'studyapp user list' shows the accounts"),
        ("anm", "no account named 'anm': did you mean 'ann'?"),
    ],
)
def test_user_password_names_an_unknown_account_before_asking(accounts, name, message):
    accounts("ann")
    result = _invoke("user", "password", name, input=f"{NEW}\n{NEW}\n")
    assert result.exit_code == 1
    assert message in result.output
    assert "New password" not in result.output and "Traceback" not in result.output


# --- user role ----------------------------------------------------------------------------------


def test_user_role_lets_a_student_open_the_instructor_pages(app, accounts):
    accounts("ann")
    client = app.test_client()
    assert sign_in(client, "ann", OLD).status_code == 302
    assert client.get("/instructor/").status_code == 403
    result = _invoke("user", "role", "Ann", "instructor")
    assert result.exit_code == 0, result.output
    assert "'ann' was a student and is now an instructor." in result.output
    assert _stored(app, "ann").role == "instructor"
    assert client.get("/instructor/").status_code == 200  # without signing in again


def test_user_role_demotes_an_instructor_while_another_remains(app, accounts):
    accounts("iris", "instructor")
    accounts("ida", "instructor")
    client = app.test_client()
    assert sign_in(client, "iris", OLD).status_code == 302
    assert client.get("/instructor/").status_code == 200
    result = _invoke("user", "role", "iris", "student")
    assert result.exit_code == 0, result.output
    assert "'iris' was an instructor and is now a student." in result.output
    assert client.get("/instructor/").status_code == 403
    assert [u.name for u in _users(app, "instructor")] == ["ida"]


def test_demoting_the_last_instructor_is_refused_and_changes_nothing(app, accounts):
    accounts("iris", "instructor")
    accounts("ann")
    result = _invoke("user", "role", "IRIS", "student")
    assert result.exit_code == 1
    assert "'iris' is the last instructor" in result.output
    assert "nobody could open the instructor pages" in result.output
    assert "Make another account an instructor first" in result.output
    assert "Traceback" not in result.output
    assert _stored(app, "iris").role == "instructor"
    client = app.test_client()
    assert sign_in(client, "iris", OLD).status_code == 302
    assert client.get("/instructor/").status_code == 200


def test_user_role_to_the_role_held_changes_nothing(app, accounts):
    accounts("ann")
    result = _invoke("user", "role", "ann", "student")
    assert result.exit_code == 0
    assert "'ann' is already a student; nothing changed." in result.output


def test_user_role_refuses_an_unknown_account_and_an_unknown_role(app, accounts):
    accounts("ann")
    unknown = _invoke("user", "role", "bob", "instructor")
    assert unknown.exit_code == 1
    assert "no account named 'bob'" in unknown.output
    bad_role = _invoke("user", "role", "ann", "admin")
    assert bad_role.exit_code == 2
    assert "'admin' is not one of 'student', 'instructor'" in bad_role.output
    assert "Traceback" not in unknown.output + bad_role.output
    assert _stored(app, "ann").role == "student"


def test_the_role_choices_are_the_stores():
    from studyapp import cli_users, store

    assert cli_users.ROLES == store.ROLES


# --- user list ----------------------------------------------------------------------------------


def _rows(output: str) -> dict[str, list[str]]:
    """The table's rows by account name, cells split on the runs of spaces between columns."""
    import re

    lines = output.split("\n\n")[0].splitlines()  # the summary follows a blank line
    return {cells[0]: cells for cells in (re.split(r" {2,}", line) for line in lines)}


def test_user_list_shows_every_account(app, accounts, clock):
    iris = accounts("iris", "instructor", "Asia/Seoul")
    accounts("ann")
    with app.extensions["studyapp"].open_store() as store:
        store.touch_user(iris.id, clock + timedelta(hours=2))
    result = _invoke("user", "list")
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert rows["Name"] == ["Name", "Role", "Time zone", "Created (UTC)", "Last seen (UTC)"]
    assert rows["ann"] == ["ann", "student", "UTC", "2026-03-02 09:30", "never"]
    assert rows["iris"] == [
        "iris",
        "instructor",
        "Asia/Seoul",
        "2026-03-02 09:30",
        "2026-03-02 11:30",
    ]
    assert "2 accounts (1 student, 1 instructor) in " in result.output


def test_user_list_filters_by_role(accounts):
    accounts("iris", "instructor")
    accounts("ann")
    accounts("bob")
    students = _invoke("user", "list", "--role", "student")
    assert students.exit_code == 0, students.output
    assert set(_rows(students.output)) == {"Name", "ann", "bob"}
    assert "2 accounts (2 students) in " in students.output
    instructors = _invoke("user", "list", "--role", "instructor")
    assert set(_rows(instructors.output)) == {"Name", "iris"}


def test_user_list_says_so_when_there_are_no_accounts(accounts):
    empty = _invoke("user", "list")
    assert empty.exit_code == 0
    assert empty.output.startswith("No accounts in ")
    assert "add one with 'studyapp user add NAME'" in empty.output
    accounts("ann")
    none = _invoke("user", "list", "--role", "instructor")
    assert none.exit_code == 0
    assert none.output.startswith("No instructor accounts in ") and "ann" not in none.output


def test_user_list_lines_up_names_of_wide_characters(accounts):
    from unicodedata import east_asian_width

    accounts("김민수")  # user add takes such names; each character takes two columns
    accounts("ann")
    lines = _invoke("user", "list").output.splitlines()[1:3]
    starts = {
        sum(2 if east_asian_width(c) in "WF" else 1 for c in line[: line.index("student")])
        for line in lines
    }
    assert len(starts) == 1, lines
