"""Practice tests, the statistics page and deck downloads, beside a bare route, in one process.

Builds an app on the shipped banks in a temporary instance folder, signs a student in through
the real forms, gives them a long history (``--reviews`` answers spread over half a year, through
``Store.record_answer``), then times with Flask's test client, in the same run:

- baseline: ``GET /healthz``, a route that returns a short string;
- the statistics page (four charts over that history);
- a practice test's autosave (one answer posted as ``static/js/autosave.js`` does);
- finishing a 20-question test (marks, and the reviews the test records);
- a course deck download, cached and built afresh (the cache emptied before each build).

Prints each figure as milliseconds per request and as a ratio to the baseline. Run:
``.venv/bin/python benchmarks/bench_student_pages.py [--reviews 5000] [--rounds 20]``.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from timing import timed

from studyapp import create_app
from studyapp.cards import bank_card_keys
from studyapp.config import packaged_questions

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf(html: str) -> str:
    match = CSRF.search(html)
    assert match
    return match.group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=5000, help="answers in the history")
    parser.add_argument("--rounds", type=int, default=20, help="requests timed per figure")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-student-"))
    try:
        run(folder, args.reviews, args.rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, reviews: int, rounds: int) -> None:
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(folder / "instance"),
            "QUESTIONS": str(packaged_questions()),
            "SYNCHRONOUS": "NORMAL",
            "ENABLE_FUZZING": False,
        }
    )
    client = app.test_client()
    page = client.get("/signup").get_data(as_text=True)
    client.post(
        "/signup",
        data={
            "csrf_token": csrf(page),
            "name": "ann",
            "password": "correct horse",
            "confirm": "correct horse",
            "timezone": "UTC",
        },
    )
    state = app.extensions["studyapp"]
    banks = list(state.registry.snapshot.banks.values())
    keys = [k for b in banks for k in bank_card_keys(b)]
    rng = random.Random(1)
    now = datetime.now(UTC)
    start = time.perf_counter()
    with state.open_store() as store:
        ann = store.user_by_name("ann").id
        moments = sorted(now - timedelta(days=rng.uniform(1, 180)) for _ in range(reviews))
        for i, when in enumerate(moments):
            rating = rng.choice((1, 3, 3, 3, 4))
            store.record_answer(
                ann,
                rng.choice(keys),
                token=f"h{i}",
                answer="",
                correct=rating > 1,
                rating=rating,
                duration_ms=None,
                now=when,
            )
    print(f"history: {reviews} answers on {len(keys)} cards in {time.perf_counter() - start:.1f} s")
    print(f"{'':<44} {'median':>11} {'vs /healthz':>10}")

    base = timed("GET /healthz", lambda: client.get("/healthz"), rounds, None)
    assert client.get("/progress").status_code == 200
    timed("GET /progress (statistics)", lambda: client.get("/progress"), rounds, base)

    def new_test(count: int) -> int:
        page = client.get("/practice/").get_data(as_text=True)
        data = {"csrf_token": csrf(page), "banks": [b.id for b in banks], "count": str(count)}
        response = client.post("/practice/", data=data | {"layout": "all"})
        return int(response.headers["Location"].rsplit("/", 1)[1])

    attempt_id = new_test(20)
    token = csrf(client.get(f"/practice/{attempt_id}").get_data(as_text=True))
    answers = iter(range(10**9))

    def autosave() -> None:
        # Alternate typed text so each post is a change the server writes.
        data = {"csrf_token": token, "shown": "0", "a0": [str(next(answers) % 2)]}
        response = client.post(
            f"/practice/{attempt_id}", data=data, headers={"Accept": "application/json"}
        )
        assert response.status_code == 200 and response.json["saved"] == 1, response.json

    timed("POST autosave (one answer)", autosave, rounds, base)
    timed(
        "GET a 20-question test page", lambda: client.get(f"/practice/{attempt_id}"), rounds, base
    )

    def finish() -> None:
        test = new_test(20)
        with state.open_store() as store:
            attempt = store.attempt(test, ann)
        data: dict[str, object] = {"csrf_token": token, "go": "finish", "shown": []}
        snapshot = state.registry.snapshot
        for r in attempt.responses:
            q = snapshot.bank(r.bank_id).question(r.question_id)
            data["shown"].append(str(r.position))  # type: ignore[union-attr]
            if q.type in ("choice", "multi", "truefalse"):
                data[f"a{r.position}"] = "0"
            else:
                data[f"a{r.position}"] = "something"
        response = client.post(f"/practice/{test}", data=data)
        assert response.headers["Location"].endswith("/result"), response.status_code

    timed("start + finish a 20-question test", finish, max(3, rounds // 4), base)
    timed("GET course deck (cached)", lambda: client.get("/decks/course.apkg"), rounds, base)
    decks = Path(app.instance_path) / "decks"

    def cold() -> None:
        shutil.rmtree(decks, ignore_errors=True)
        client.get("/decks/course.apkg")

    timed("GET course deck (built afresh)", cold, max(3, rounds // 4), base)


if __name__ == "__main__":
    sys.exit(main())
