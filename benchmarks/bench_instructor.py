"""The instructor pages over a class's history, beside a bare route, in one process.

Builds an app on the shipped banks in a temporary instance folder, creates ``--students``
students who each answer every question of every reading ``--passes`` times in the review loop
(through ``Store.record_answer``) and finish one practice test, then signs an instructor in through
the real form and times with Flask's test client, in the same run:

- baseline: ``GET /healthz``, a route that returns a short string;
- the overview, one reading's item table and one question's page (item analysis over every
  answer to the reading, three bases on the question page);
- class progress overall (every reading, every student's retention) and its CSV;
- the claims page, and the course's Moodle XML download (built from the banks each time).

Prints each figure as milliseconds per request and as a ratio to the baseline. Run:
``.venv/bin/python benchmarks/bench_instructor.py [--students 100] [--passes 2] [--rounds 10]``.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from timing import timed
from werkzeug.security import generate_password_hash

from studyapp import create_app
from studyapp.cards import CardKey
from studyapp.config import packaged_questions
from studyapp.model import Question

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
READING = "beijing-calibrates"


def answer_for(q: Question, number: int, right: bool) -> str:
    if q.type in ("choice", "truefalse"):
        return q.answer if right else (q.distractors[0] if q.distractors else "false")
    if q.type == "multi":
        return " · ".join(q.answers) if right else q.answers[0]
    if q.type == "cloze":
        return " · ".join(q.expected(number)) if right else "not it"
    return q.answer if right else "not it"


def seed(app, students: int, passes: int) -> int:
    state = app.extensions["studyapp"]
    banks = state.registry.snapshot.ordered
    rng = random.Random(0)
    start = datetime.now(UTC) - timedelta(days=30)
    answers = 0
    with state.open_store() as store:
        for s in range(students):
            sid = store.create_user(f"student{s:04d}", "not a hash", now=start).id
            skill = rng.random()
            for p in range(passes):
                at = start + timedelta(days=p * 10 + rng.random())
                for bank in banks:
                    for q in bank.live_questions:
                        for n in q.card_numbers:
                            right = rng.random() < 0.3 + 0.6 * skill
                            at += timedelta(seconds=20)
                            store.record_answer(
                                sid,
                                CardKey(bank.id, q.id, n),
                                token=f"{sid}:{bank.id}:{q.id}:{n}:{p}",
                                answer="" if q.type == "card" else answer_for(q, n, right),
                                correct=None if q.type == "card" else right,
                                rating=3 if right else 1,
                                duration_ms=4000,
                                now=at,
                                claim=right is False and q.type == "answer" and rng.random() < 0.05,
                            )
                            answers += 1
            reading = state.registry.snapshot.bank(READING)
            picked = [q for q in reading.live_questions if q.type != "card"][:10]
            attempt = store.create_attempt(sid, [(READING, q.id) for q in picked], at)
            for q in picked:
                right = rng.random() < 0.3 + 0.6 * skill
                store.save_response(
                    attempt.id, sid, READING, q.id, answer_for(q, 1, right), at, correct=right
                )
            store.finish_attempt(attempt.id, sid, at)
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100, help="students in the class")
    parser.add_argument("--passes", type=int, default=2, help="answers per card per student")
    parser.add_argument("--rounds", type=int, default=10, help="requests timed per figure")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-instructor-"))
    try:
        app = create_app(
            {
                "INSTANCE_PATH": str(folder / "instance"),
                "QUESTIONS": str(packaged_questions()),
                "SYNCHRONOUS": "OFF",
                "ENABLE_FUZZING": False,
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
            }
        )
        begin = time.perf_counter()
        answers = seed(app, args.students, args.passes)
        took = time.perf_counter() - begin
        print(f"history: {args.students} students, {answers} answers, seeded in {took:.1f} s")
        with app.extensions["studyapp"].open_store() as store:
            store.create_user("iris", generate_password_hash("correct horse"), "instructor")
        client = app.test_client()
        login = client.post("/login", data={"name": "iris", "password": "correct horse"})
        assert login.status_code == 302, login.status_code

        def get(url: str) -> Callable[[], object]:
            def fetch() -> object:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            return fetch

        print(f"{'':<44} {'median':>11} {'vs /healthz':>10}")
        base = timed("GET /healthz", get("/healthz"), args.rounds * 5, None)
        for label, url in [
            ("overview", "/instructor/"),
            (f"item table ({READING})", f"/instructor/items/{READING}"),
            ("question page (three bases)", f"/instructor/items/{READING}/joint-dialogue"),
            ("class progress, all readings", "/instructor/progress"),
            ("class progress CSV", "/instructor/progress.csv"),
            ("claims", "/instructor/claims"),
            ("Moodle XML, whole course", "/instructor/export/course.xml"),
        ]:
            timed(label, get(url), args.rounds, base)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
