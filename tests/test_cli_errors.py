"""Command-line mistakes and settings: exit codes, messages in words, the app's own settings.

Each test runs the real command (click's runner, or a subprocess where the operating system's
answer is the point) on real files in ``tmp_path``.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from studyapp.cli import main
from studyapp.server import PortInUse, _bind_failure

from .conftest import sign_in

QUESTION = """\
- id: fell
  type: answer
  prompt: By how much did support for closer ties with China fall?
  answer: 19 percent
  quote: Support for closer ties with China fell by 19 percent.
"""
STUDYAPP = str(Path(sys.executable).with_name("studyapp"))


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


# --- export reads the settings the app reads ---------------------------------------------------


def test_export_takes_course_title_and_folder_from_the_instance_config(make_bank, tmp_path):
    make_bank(QUESTION)
    instance = Path(os.environ["STUDYAPP_INSTANCE"])
    instance.mkdir()
    decks = tmp_path / "decks"
    (instance / "config.py").write_text(
        f'COURSE_TITLE = "History 210"\nEXPORT_DIR = {str(decks)!r}\n'
    )
    result = _invoke("export", "--questions", str(tmp_path / "questions"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in decks.iterdir()) == ["history-210.apkg", "sample.apkg"]
    with zipfile.ZipFile(decks / "history-210.apkg") as z:
        assert b"History 210::A Sample Reading" in z.read("collection.anki2")
    assert not (tmp_path / "export").exists()
    assert not (instance / "studyapp.sqlite3").exists()  # export needs no database


def test_export_takes_settings_from_studyapp_variables_and_options_win(
    make_bank, tmp_path, monkeypatch
):
    make_bank(QUESTION)
    monkeypatch.setenv("STUDYAPP_COURSE_TITLE", "Korea 101")
    monkeypatch.setenv("STUDYAPP_EXPORT_DIR", str(tmp_path / "from-env"))
    questions = str(tmp_path / "questions")
    assert _invoke("export", "--questions", questions).exit_code == 0
    assert (tmp_path / "from-env" / "korea-101.apkg").is_file()
    out = tmp_path / "chosen"
    result = _invoke("export", "--questions", questions, "--out", str(out), "--course", "Mine")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["mine.apkg", "sample.apkg"]


# --- check: a folder it cannot use means it could not run --------------------------------------


@pytest.mark.parametrize(
    ("make_folder", "message"),
    [
        (lambda p: p, "the questions folder {} does not exist"),
        (lambda p: p.mkdir() or p, "no bank (*.yaml) in {}"),
    ],
    ids=["missing", "empty"],
)
def test_check_could_not_run_without_a_questions_folder_of_banks(tmp_path, make_folder, message):
    folder = make_folder(tmp_path / "questions")
    for args, env in (
        (["check", "--questions", str(folder)], {}),
        (["check"], {"STUDYAPP_QUESTIONS": str(folder)}),
    ):
        result = CliRunner().invoke(main, args, env=env)
        assert result.exit_code == 2, result.output
        assert message.format(folder) in result.output
        assert "error[unreadable]" not in result.output and "Traceback" not in result.output


def test_check_could_not_run_on_an_empty_folder_given_as_a_path(tmp_path):
    result = _invoke("check", str(tmp_path))
    assert result.exit_code == 2
    assert f"no bank (*.yaml) in {tmp_path}" in result.output


# --- user add: the sign-up form's limits -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("Professor " + "x" * 60, "correct horse", "Invalid value for NAME: use at most 64"),
        ("x", "correct horse", "Invalid value for NAME: use at least 2 characters"),
        ("ann", "p" * 257, "Invalid value for --password: use at most 256 characters"),
        ("ann", "short", "Invalid value for --password: use at least 8 characters"),
    ],
    ids=["long-name", "short-name", "long-password", "short-password"],
)
def test_user_add_refuses_what_the_forms_refuse(app_config, name, password, message):
    result = _invoke("user", "add", name, "--password", password)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (Path(app_config["INSTANCE_PATH"]) / "studyapp.sqlite3").exists()


@pytest.mark.parametrize("name", ["a b", "_ann", "ann!", "정민"])
def test_user_add_refuses_the_names_sign_up_refuses(app, name):
    from studyapp.web.auth import NAME_RULE

    from .conftest import csrf_from

    client = app.test_client()
    page = client.get("/signup").get_data(as_text=True)
    form = {"csrf_token": csrf_from(page), "name": name, "timezone": "UTC"}
    password = {"password": "correct horse", "confirm": "correct horse"}
    signup = client.post("/signup", data=form | password)
    assert signup.status_code == 400 and NAME_RULE.message in signup.get_data(as_text=True)

    result = _invoke("user", "add", name, "--password", "correct horse")
    assert result.exit_code == 2, result.output
    error = result.output.splitlines()[-1]
    assert error == (
        f"Error: Invalid value for NAME: {name!r} is not a name sign-up accepts: use letters, "
        "digits, dots, hyphens or underscores, starting with a letter or digit."
    )
    with app.extensions["studyapp"].open_store() as store:
        assert store.users() == []


def test_user_add_accepts_the_longest_name_and_password_sign_in_takes(app_config):
    from studyapp import create_app

    name, password = "n" * 64, "p" * 256
    result = _invoke("user", "add", name, "--password", password)
    assert result.exit_code == 0, result.output
    client = create_app(app_config).test_client()
    assert sign_in(client, name, password).status_code == 302


# --- user add and user password: no terminal to type a password on -----------------------------


@pytest.mark.parametrize("command", ["add", "password"])
def test_a_password_is_not_asked_for_without_a_terminal(app, tmp_path, command):
    """Run from a script, a cron job or ``ssh host cmd``, getpass cannot hide what is typed: it
    warned and read the pipe. The command says how to pass the password instead."""
    if command == "password":
        with app.extensions["studyapp"].open_store() as store:
            store.create_user("ann", "not a hash")
    result = subprocess.run(
        [STUDYAPP, "user", command, "ann"],
        input="correct horse\ncorrect horse\n",
        env=os.environ | {"PYTHONWARNINGS": "default"},
        cwd=tmp_path,
        start_new_session=True,  # no controlling terminal, whoever runs the tests
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Warning" not in result.stderr
    assert result.stderr == (
        "Error: no terminal to type the password on: set STUDYAPP_NEW_PASSWORD (or pass "
        "--password) and run the command again\n"
    )
    assert result.returncode == 1 and result.stdout == ""
    with app.extensions["studyapp"].open_store() as store:
        user = store.user_by_name("ann")
    assert (user.password_hash if user else None) == (
        "not a hash" if command == "password" else None
    )


def test_a_password_is_asked_for_twice_on_a_terminal(app, tmp_path):
    """The other side of the refusal above: on a terminal the password is asked for, hidden."""
    import pty

    main_fd, terminal = pty.openpty()
    try:
        child = subprocess.Popen(
            [STUDYAPP, "user", "add", "ann", "--instructor"],
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            env=os.environ | {"PYTHONWARNINGS": "default"},
            cwd=tmp_path,
            start_new_session=True,
        )
        os.close(terminal)
        seen = _type_on(main_fd, ["correct horse", "correct horse"])
    finally:
        os.close(main_fd)
    assert child.wait(60) == 0, seen
    assert seen.startswith("Password: \r\nRepeat for confirmation: \r\n")
    assert "correct horse" not in seen and "Warning" not in seen
    assert "Created instructor 'ann'" in seen
    assert sign_in(app.test_client(), "ann").status_code == 302


def _type_on(terminal: int, lines: list[str]) -> str:
    """Answer each prompt that appears on ``terminal`` with the next line; return what it showed."""
    import select

    seen = ""
    while True:
        ready, _, _ = select.select([terminal], [], [], 30)
        assert ready, f"the command showed nothing more: {seen!r}"
        try:
            chunk = os.read(terminal, 1024).decode()
        except OSError:  # the command ended and closed the terminal
            return seen
        if not chunk:
            return seen
        seen += chunk
        if lines and seen.endswith(": "):  # a prompt, waiting (an answer ends the line)
            os.write(terminal, (lines.pop(0) + "\n").encode())


# --- serve: the port's range and the real reason a bind fails ----------------------------------


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_serve_refuses_a_port_out_of_range(port):
    result = _invoke("serve", "--port", port)
    assert result.exit_code == 2
    assert f"'--port': {port} is not in the range 1<=x<=65535" in result.output
    assert "Traceback" not in result.output


def test_serve_says_a_port_is_in_use_only_when_it_is():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = _invoke("serve", "--port", str(port))
    assert result.exit_code == 1
    assert f"127.0.0.1:{port} is in use" in result.output
    assert "stop the other server or pass --port" in result.output


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("no.such.host.invalid", "cannot resolve host 'no.such.host.invalid'"),
        ("192.0.2.1", "192.0.2.1 is not an address of this machine"),  # TEST-NET-1
    ],
)
def test_serve_names_a_bad_host_for_what_it_is(host, message):
    result = _invoke("serve", "--host", host, "--port", "5874")
    assert result.exit_code == 1
    assert message in result.output and "pass --host" in result.output
    assert "in use" not in result.output


def test_serve_says_a_low_port_needs_root():
    # Like the browser tests, this fails rather than skips on a machine it cannot test on.
    start = int(Path("/proc/sys/net/ipv4/ip_unprivileged_port_start").read_text())
    assert start > 0, "net.ipv4.ip_unprivileged_port_start is 0: no port is refused here"
    # Root may listen on any port: run the command as 'nobody', as an instructor would run it.
    drop = []
    if os.geteuid() == 0:
        assert shutil.which("setpriv"), "running as root: setpriv (util-linux) drops to 'nobody'"
        drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    result = subprocess.run(
        [*drop, STUDYAPP, "serve", "--port", str(start - 1)],
        env=os.environ | {"STUDYAPP_INSTANCE": "/nonexistent/instance"},
        cwd="/",  # 'nobody' cannot enter tmp_path; the port is refused before any file is used
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert f"permission denied to listen on 127.0.0.1:{start - 1}" in result.stderr
    assert "ports below 1024 need root" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_refused_low_port_is_not_reported_as_in_use():
    """The same wording without the operating system, for any address and port."""
    reason = _bind_failure(PermissionError(errno.EACCES, "Permission denied"), "0.0.0.0", 80)
    assert str(reason) == (
        "permission denied to listen on 0.0.0.0:80 (Permission denied): ports below 1024 need "
        "root: pass --port 1024 or higher (the default is 5000) and put a reverse proxy in "
        "front for port 80 or 443"
    )
    assert not isinstance(reason, PortInUse)
