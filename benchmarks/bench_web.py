"""The real server under load: the review loop beside a bare route, and a class of 500 students.

Starts ``studyapp serve`` (gunicorn, the same settings as ``make run``) on 127.0.0.1 with a fresh
instance folder, and measures in one run:

1. 50 signed-in students doing the review loop (open a card, answer it, fetch the feedback the
   answer redirects to, rate it: four requests a card, each counted) as fast as they can, beside
   the same 50 clients fetching ``/healthz``, a route that returns a short string;
2. 500 students each answering a card every three seconds for 30 seconds.

Prints requests per second, the ratio of the two rates, p50/p95/p99 latency and errors. Aims:
zero errors; the review loop at half the bare route's rate or better; p99 under 50 ms for the class.

    .venv/bin/python benchmarks/bench_web.py [--seconds 10] [--class-seconds 30]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.security import generate_password_hash

from studyapp import create_app
from studyapp.web.auth import SessionUser

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(card|token|shown_at|seen)" value="([^"]*)"')
OPTION = re.compile(r'name="option" value="([0-9a-f]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One student's keep-alive connection with their session cookie."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.cookie = cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.latencies: list[float] = []
        self.errors = 0
        self.requests = 0
        self.location: str | None = None  # where the last response redirected to

    def request(self, method: str, path: str, body: dict | None = None) -> str:
        headers = {"Cookie": f"session={self.cookie}"}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.location = None
        start = time.perf_counter()
        try:
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
            text = response.read().decode()
            status = response.status
            self.location = response.getheader("Location")
            cookie = response.getheader("Set-Cookie")
            if cookie and cookie.startswith("session="):
                self.cookie = cookie.split(";", 1)[0].split("=", 1)[1]
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            status, text = 0, ""
        self.latencies.append(time.perf_counter() - start)
        self.requests += 1
        if not 200 <= status < 400:
            self.errors += 1
        return text

    def review_once(self) -> None:
        page = self.request("GET", "/review")
        fields = dict(HIDDEN.findall(page))
        csrf = CSRF.search(page)
        if "card" not in fields or csrf is None:
            return  # nothing left to study (or an error, already counted)
        form = fields | {"csrf_token": csrf.group(1)}
        options = OPTION.findall(page)
        if options:
            form["option"] = options[0]
        else:
            form["answer"] = "x"
            form["blank"] = "x"
        self.request("POST", "/review/answer", form)
        # The answer post redirects (303) to /review, which shows the feedback: a browser then
        # fetches it, and so does this client.
        feedback = self.request("GET", self.location or "/review")
        rating = re.search(r'name="rating" value="(\d)"', feedback)
        self.request("POST", "/review/rate", form | {"rating": rating.group(1) if rating else "1"})


def listening_sockets(port: int) -> int:
    """How many sockets listen on ``port`` (each server worker has its own: SO_REUSEPORT)."""
    n = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                n += state == "0A" and int(local.rsplit(":", 1)[1], 16) == port
    return n


def wait_until_listening(port: int, workers: int, server: subprocess.Popen) -> None:
    """Start the clients only once every worker listens: connections made while only the first
    one does would all stay with it, and the run would measure one worker."""
    deadline = time.monotonic() + 60
    while listening_sockets(port) < workers:
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the server did not start {workers} workers; see its log")
        time.sleep(0.1)
    socket.create_connection(("127.0.0.1", port), 30).close()


def percentiles(values: list[float]) -> str:
    if not values:
        return "no requests"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"p50 {q[49] * 1000:6.1f} ms  p95 {q[94] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms"


def run_clients(clients: list[Client], work, seconds: float) -> float:
    stop = time.monotonic() + seconds

    def loop(client: Client) -> None:
        while time.monotonic() < stop:
            work(client)

    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--class-size", type=int, default=500)
    parser.add_argument("--class-seconds", type=float, default=30)
    parser.add_argument("--class-every", type=float, default=3)
    parser.add_argument(
        "--server-threads",
        type=int,
        default=None,
        help="studyapp serve --threads (default: its own)",
    )
    parser.add_argument(
        "--server-workers",
        type=int,
        default=None,
        help="studyapp serve --workers (default: its own, one per core)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="studyapp-bench-"))
    env = os.environ | {
        "STUDYAPP_INSTANCE": str(tmp / "instance"),
        "STUDYAPP_NEW_CARDS_PER_DAY": "100000",
    }
    os.environ.update(env)
    app = create_app()
    state = app.extensions["studyapp"]
    password = generate_password_hash("benchmark password")
    n_users = max(args.clients, args.class_size)
    with state.open_store() as store:
        users = [store.create_user(f"student{i}", password) for i in range(n_users)]
    # Sessions are minted with the instance's own key rather than by n_users sign-ins, each of
    # which would spend a deliberately slow password hash before the measurement even starts.
    serializer = app.session_interface.get_signing_serializer(app)
    cookies = [
        serializer.dumps({"_user_id": SessionUser(u).get_id(), "_fresh": True}) for u in users
    ]

    port = free_port()
    log = open(tmp / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("studyapp")), "serve", "--port", str(port)]
        + (["--threads", str(args.server_threads)] if args.server_threads else [])
        + (["--workers", str(args.server_workers)] if args.server_workers else []),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        workers = args.server_workers or len(os.sched_getaffinity(0))
        wait_until_listening(port, workers, server)
        print(
            f"server: studyapp serve on 127.0.0.1:{port}, {workers} workers, "
            f"{os.cpu_count()} cores, instance {tmp}"
        )

        bare = [Client(port, cookies[i]) for i in range(args.clients)]
        took = run_clients(bare, lambda c: c.request("GET", "/healthz"), args.seconds)
        bare_rate = sum(c.requests for c in bare) / took
        bare_lat = [x for c in bare for x in c.latencies]
        bare_err = sum(c.errors for c in bare)

        loop = [Client(port, cookies[i]) for i in range(args.clients)]
        took = run_clients(loop, Client.review_once, args.seconds)
        loop_rate = sum(c.requests for c in loop) / took
        loop_lat = [x for c in loop for x in c.latencies]
        loop_err = sum(c.errors for c in loop)

        print(f"\n1. {args.clients} concurrent clients, {args.seconds:.0f} s each")
        print(f"   bare route  {bare_rate:8.0f} req/s  {percentiles(bare_lat)}  errors {bare_err}")
        print(f"   review loop {loop_rate:8.0f} req/s  {percentiles(loop_lat)}  errors {loop_err}")
        print(f"   ratio review/bare: {loop_rate / bare_rate:.2f}  (aim: >= 0.50)")

        klass = [Client(port, cookies[i]) for i in range(args.class_size)]
        stop = time.monotonic() + args.class_seconds

        def student(c: Client, offset: float) -> None:
            time.sleep(offset)
            while time.monotonic() < stop:
                began = time.monotonic()
                c.review_once()
                time.sleep(max(0.0, args.class_every - (time.monotonic() - began)))

        threads = [
            threading.Thread(target=student, args=(c, i * args.class_every / args.class_size))
            for i, c in enumerate(klass)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        lat = [x for c in klass for x in c.latencies]
        answers = sum(c.requests for c in klass) // 4  # requests per card: see review_once
        print(
            f"\n2. a class of {args.class_size}, one answer each every {args.class_every:.0f} s for {args.class_seconds:.0f} s"
        )
        print(
            f"   {answers} answers, {len(lat)} requests  {percentiles(lat)}  errors {sum(c.errors for c in klass)}"
        )
        print("   aim: p99 < 50 ms, no errors")
    finally:
        server.terminate()
        server.wait(10)
        log.close()


if __name__ == "__main__":
    main()
