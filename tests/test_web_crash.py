"""A server killed with SIGKILL under load loses no answer it had acknowledged."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.security import generate_password_hash

from studyapp import create_app
from studyapp.config import packaged_questions
from studyapp.web.auth import SessionUser

HIDDEN = re.compile(r'<input type="hidden" name="(card|token|shown_at|csrf_token)" value="([^"]*)"')
OPTION = re.compile(r'name="option" value="(\d+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _student(port: int, cookie: str, acked: list[str], stop: threading.Event) -> None:
    """Review as fast as possible; remember each token the server acknowledged (302)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)

    def call(method, path, body=None):
        nonlocal cookie
        headers = {"Cookie": f"session={cookie}"}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, data, headers)
        response = conn.getresponse()
        text = response.read().decode()
        set_cookie = response.getheader("Set-Cookie")
        if set_cookie and set_cookie.startswith("session="):
            cookie = set_cookie.split(";", 1)[0].split("=", 1)[1]
        if response.status == 303:  # the answer's feedback is a page of its own: fetch it
            return call("GET", response.getheader("Location"))
        return response.status, text

    try:
        while not stop.is_set():
            status, page = call("GET", "/review")
            fields = dict(HIDDEN.findall(page))
            if "card" not in fields:
                return
            options = OPTION.findall(page)
            form = fields | ({"option": options[0]} if options else {"answer": "x", "blank": "x"})
            status, feedback = call("POST", "/review/answer", form)
            rating = re.search(r'name="rating" value="(\d)"', feedback)
            status, _ = call("POST", "/review/rate", form | {"rating": rating.group(1)})
            if status == 302:
                acked.append(fields["token"])
    except (OSError, http.client.HTTPException):
        return  # the server died under us: whatever was acknowledged is in `acked`
    finally:
        conn.close()


def test_sigkill_under_load_loses_no_acknowledged_answer(tmp_path: Path):
    instance = tmp_path / "instance"
    env = os.environ | {
        "STUDYAPP_INSTANCE": str(instance),
        "STUDYAPP_QUESTIONS": str(packaged_questions()),
        "STUDYAPP_NEW_CARDS_PER_DAY": "1000",
    }
    app = create_app({"INSTANCE_PATH": str(instance), "QUESTIONS": str(packaged_questions())})
    with app.extensions["studyapp"].open_store() as store:
        users = [
            store.create_user(f"s{i}", generate_password_hash("pw", "pbkdf2:sha256:1000"))
            for i in range(6)
        ]
    serializer = app.session_interface.get_signing_serializer(app)
    cookies = [
        serializer.dumps({"_user_id": SessionUser(u).get_id(), "_fresh": True}) for u in users
    ]
    database = Path(app.config["DATABASE"])

    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("studyapp")), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the master and every worker
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    acked: list[list[str]] = [[] for _ in cookies]
    stop = threading.Event()
    threads = [
        threading.Thread(target=_student, args=(port, c, acked[i], stop))
        for i, c in enumerate(cookies)
    ]
    for t in threads:
        t.start()
    time.sleep(2.0)
    os.killpg(server.pid, signal.SIGKILL)  # the whole server at once, as a power cut would
    server.wait()
    stop.set()
    for t in threads:
        t.join(10)

    tokens = [t for per in acked for t in per]
    assert len(tokens) > 20, "the load was too light to mean anything"
    conn = sqlite3.connect(database)
    logged = {row[0] for row in conn.execute("SELECT token FROM review_log")}
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [t for t in tokens if t not in logged] == []
    assert len(tokens) == len(set(tokens))
