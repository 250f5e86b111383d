"""``studyapp serve``: several gunicorn workers, each picking up an edited bank by itself."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.security import generate_password_hash

from studyapp import create_app
from studyapp.web.auth import SessionUser

BANK = """\
id: sample
title: Sample reading
document: sample.txt
questions:
  - id: fell
    type: answer
    prompt: {prompt}
    answer: 19 percent
    quote: Support for closer ties with China fell by 19 percent.
"""
DOCUMENT = """\
---
title: Sample reading
---
Support for closer ties with China fell by 19 percent.
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, cookie: str) -> tuple[int, str]:
    """One request on a fresh connection (so that any worker may take it)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": f"session={cookie}", "Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def _workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def _student_cookie(instance: Path, questions: Path) -> str:
    """Create the database in ``instance`` with student ann, and return her session cookie:
    the server started next shares the instance, and so the secret that signs it."""
    app = create_app({"INSTANCE_PATH": str(instance), "QUESTIONS": str(questions)})
    with app.extensions["studyapp"].open_store() as store:
        user = store.create_user("ann", generate_password_hash("pw", "pbkdf2:sha256:1000"))
    return app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": SessionUser(user).get_id()}
    )


def test_two_workers_serve_reload_edited_banks_and_hold_their_port(tmp_path: Path) -> None:
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "sample.txt").write_text(DOCUMENT)
    bank = questions / "sample.yaml"
    bank.write_text(BANK.format(prompt="By how much did support fall?"))
    instance = tmp_path / "instance"
    cookie = _student_cookie(instance, questions)

    port = _free_port()
    log_path = tmp_path / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("studyapp")), "serve", "--port", str(port)]
        + ["--workers", "2", "--questions", str(questions)],
        env=os.environ
        | {"STUDYAPP_INSTANCE": str(instance), "STUDYAPP_BANK_RELOAD_INTERVAL": "0.2"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(_workers(server.pid)) < 2 or _get_or_none(port, cookie) is None:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start two workers"
            time.sleep(0.1)
        workers = _workers(server.pid)
        assert len(workers) == 2

        pages = [_get(port, "/review", cookie) for _ in range(10)]
        assert all(status == 200 for status, _ in pages)
        assert all("By how much did support fall?" in text for _, text in pages)

        time.sleep(0.3)  # a newer modification time than the first load's
        bank.write_text(BANK.format(prompt="How far did support for closer ties fall?"))
        deadline = time.monotonic() + 10
        while True:
            # Each worker reports its own reload (with its process id)...
            reloaded = set(re.findall(r"reloaded in process (\d+)", log_path.read_text()))
            if reloaded == {str(pid) for pid in workers}:
                break
            assert time.monotonic() < deadline, f"only {reloaded} of {workers} reloaded"
            _get(port, "/review", cookie)  # a worker looks at the banks when it serves
            time.sleep(0.05)
        while True:
            # Twenty fresh connections in a row, spread over both workers, all see the edit.
            pages = [_get(port, "/review", cookie) for _ in range(20)]
            if all("How far did support for closer ties fall?" in text for _, text in pages):
                break
            assert time.monotonic() < deadline, "a worker kept serving the old bank"
            time.sleep(0.2)

        # A second server on the same port is refused (the workers' SO_REUSEPORT would otherwise
        # let it share the port), and the first keeps serving.
        second = subprocess.run(
            [str(Path(sys.executable).with_name("studyapp")), "serve", "--port", str(port)],
            env=os.environ | {"STUDYAPP_INSTANCE": str(tmp_path / "other")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert f"127.0.0.1:{port} is in use" in second.stderr
        assert _get(port, "/healthz", cookie)[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)
        log.close()


def _get_or_none(port: int, cookie: str) -> int | None:
    try:
        return _get(port, "/healthz", cookie)[0]
    except OSError:
        return None


def _bank(bank_id: str, prompt: str = "By how much did support fall?") -> str:
    return BANK.format(prompt=prompt).replace("sample", bank_id)


@contextmanager
def _serving(tmp_path: Path, instance: Path, workers: int) -> Iterator[tuple[int, int]]:
    """Run ``studyapp serve`` in ``tmp_path`` on its ``questions`` folder, the log in server.log,
    and yield the master's process id and the port once every worker is up."""
    port = _free_port()
    with (tmp_path / "server.log").open("w") as log:
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("studyapp")), "serve", "--port", str(port)]
            + ["--workers", str(workers), "--questions", "questions"],
            env=os.environ
            | {"STUDYAPP_INSTANCE": str(instance), "STUDYAPP_BANK_RELOAD_INTERVAL": "0.2"},
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 30
            while len(_workers(server.pid)) < workers or _get_or_none(port, "") is None:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "the server did not start its workers"
                time.sleep(0.1)
            yield server.pid, port
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(15)


def test_serve_reports_each_broken_bank_once_and_whether_its_last_good_version_serves(
    tmp_path: Path,
) -> None:
    questions = tmp_path / "questions"
    questions.mkdir()
    for name in ("sample", "kept", "never"):
        (questions / f"{name}.txt").write_text(DOCUMENT)
    (questions / "sample.yaml").write_text(_bank("sample"))
    (questions / "kept.yaml").write_text(_bank("kept"))
    instance = tmp_path / "instance"
    cookie = _student_cookie(instance, questions)
    # kept.yaml loaded once (its copy is kept); never.yaml has never loaded.
    (questions / "kept.yaml").write_text(_bank("kept").replace("type: answer", "type: answr"))
    (questions / "never.yaml").write_text(_bank("never").replace("type: answer", "type: answr"))

    log_path = tmp_path / "server.log"
    with _serving(tmp_path, instance, workers=2) as (master, port):
        # Every worker has built its app (and logged what it would) once it reloads an edit.
        workers = {str(pid) for pid in _workers(master)}
        time.sleep(0.3)  # a newer modification time than the first load's
        (questions / "sample.yaml").write_text(_bank("sample", "How far did support fall?"))
        deadline = time.monotonic() + 10
        while set(re.findall(r"reloaded in process (\d+)", log_path.read_text())) != workers:
            assert time.monotonic() < deadline, log_path.read_text()
            _get(port, "/review", cookie)
            time.sleep(0.05)
    log = log_path.read_text()

    for name in ("kept", "never"):
        assert log.count(f"bank questions/{name}.yaml failed to load") == 1, log
        assert log.count(f"questions/{name}.yaml:6:11: error[unknown-type]") == 1, log
    banner = [line for line in log.splitlines() if line.startswith("Bank")]
    assert banner == [
        "Banks:           2 from questions (2 questions)",
        "Bank has errors: questions/kept.yaml (1 problem, logged above): serving its last good "
        "version (1 question) until the file is fixed",
        "Bank not loaded: questions/never.yaml (1 problem, logged above): no good version to "
        "serve, so its reading is out of service until the file is fixed",
    ]
