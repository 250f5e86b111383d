"""Several processes answering at once, and a process killed while answering.

Each worker reports a token only after ``record_answer`` returned (the answer was acknowledged),
so the parent knows exactly which answers must be in the log.
"""

from __future__ import annotations

import multiprocessing
import random
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

from studyapp.cards import CardKey
from studyapp.documents import Document
from studyapp.model import Bank, Question
from studyapp.scheduler import SchedulerSettings, StudyScheduler
from studyapp.store import Store, migrate

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
STUDENTS = 12
QUESTIONS = 8
SPAWN = multiprocessing.get_context("spawn")


def synthetic_bank(bank_id: str, questions: int) -> Bank:
    """A bank built in memory (no YAML): ``questions`` typed-answer questions."""
    document = Document(Path(f"{bank_id}.txt"), {"title": bank_id}, "", 1)
    qs = tuple(
        Question(bank_id, f"q{i}", "answer", prompt=f"Question {i}?", answer=f"answer {i}")
        for i in range(questions)
    )
    return Bank(bank_id, bank_id, Path(f"{bank_id}.yaml"), document, qs, f"digest-{questions}")


def setup_database(path: Path) -> None:
    migrate(path)
    with Store.open(path) as store:
        store.sync_bank(synthetic_bank("load", QUESTIONS), START)
        for i in range(STUDENTS):
            store.create_user(f"student{i}", "h", now=START)


def answer_forever(path: str, worker: int, count: int, out: Connection) -> None:
    """Answer ``count`` times (0: until killed) for random students and cards, which the
    workers share, so that answers to the same card race; send each acknowledged token."""
    rng = random.Random(worker)
    fuzzed = StudyScheduler(SchedulerSettings(enable_fuzzing=True))
    with Store.open(path, scheduler=fuzzed) as store:
        n = 0
        while count == 0 or n < count:
            student = rng.randint(1, STUDENTS)
            key = CardKey("load", f"q{rng.randrange(QUESTIONS)}", 1)
            token = f"w{worker}-{n}"
            try:
                store.record_answer(
                    student,
                    key,
                    token=token,
                    answer="answer",
                    correct=None,
                    rating=rng.choice((1, 2, 3, 3, 3, 4)),
                    duration_ms=1000,
                    now=START + timedelta(minutes=n),
                )
            except Exception as e:  # reported to the parent, which fails the test
                out.send(("error", repr(e)))
                return
            out.send(("ack", token))
            n += 1
    out.send(("done", worker))


def check_database(path: Path, acknowledged: set[str]) -> None:
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        logged = [r[0] for r in store.conn.execute("SELECT token FROM review_log")]
        assert len(logged) == len(set(logged))
        assert acknowledged <= set(logged)
        for student in range(1, STUDENTS + 1):
            for q in range(QUESTIONS):
                key = CardKey("load", f"q{q}", 1)
                status = store.card_state(student, key)
                assert store.replay_card(student, key) == status.card
                assert status.reps == len(
                    [a for a in store.answers(student, key) if a.source == "review"]
                )


def test_four_processes_answering_log_every_answer_once(tmp_path: Path) -> None:
    path = tmp_path / "study.sqlite3"
    setup_database(path)
    pipes, procs = [], []
    for worker in range(4):
        receive, send = SPAWN.Pipe(duplex=False)
        proc = SPAWN.Process(target=answer_forever, args=(str(path), worker, 60, send))
        proc.start()
        send.close()
        pipes.append(receive)
        procs.append(proc)
    acknowledged: set[str] = set()
    errors = []
    for receive in pipes:
        while True:
            kind, value = receive.recv()
            if kind == "ack":
                acknowledged.add(value)
            else:
                if kind == "error":
                    errors.append(value)
                break
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    assert errors == []
    assert len(acknowledged) == 240
    check_database(path, acknowledged)
    with Store.open(path) as store:
        assert store.conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 240


def test_a_killed_process_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    path = tmp_path / "study.sqlite3"
    setup_database(path)
    acknowledged: set[str] = set()
    for round_ in range(3):
        receive, send = SPAWN.Pipe(duplex=False)
        proc = SPAWN.Process(target=answer_forever, args=(str(path), 10 + round_, 0, send))
        proc.start()
        send.close()
        target = len(acknowledged) + 20 + 7 * round_  # kill at a different point each round
        while len(acknowledged) < target:
            kind, value = receive.recv()
            assert kind == "ack", value
            acknowledged.add(value)
        proc.kill()  # SIGKILL, most likely in the middle of an answer
        proc.join(10)
        while receive.poll():
            try:
                kind, value = receive.recv()
            except EOFError:
                break
            acknowledged.add(value)
        check_database(path, acknowledged)
    # The dead writers' locks went with them: writing still works.
    with Store.open(path) as store:
        store.create_user("after", "h", now=START)
