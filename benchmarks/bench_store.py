"""Answers per second through the store's whole answer path, beside a bare SQLite commit.

Builds, in a temporary folder, a database of 1,000 students and 50,000 cards (50 banks of 1,000
typed-answer questions) with a history of 20 answers per student, then times, in the same run,
with one process and with four:

- baseline: a bare ``BEGIN IMMEDIATE; INSERT; COMMIT`` of one row as large as what an answer
  writes, on a connection with the same pragmas (WAL, the same ``synchronous``, busy timeout),
  with no lock of ours (SQLite's busy handler alone);
- answer: look up the question, grade the typed answer (``studyapp.grading``), then
  ``Store.record_answer``, which reads the card state, schedules it with FSRS and writes state
  and log in one transaction under the write lock. Two answers in three go to a card the
  student has seen, one in three to a new card.

Busy errors are ``database is locked`` (or ``StoreBusy``) reaching the caller. Run:
``.venv/bin/python benchmarks/bench_store.py [--seconds S] [--synchronous FULL]``. The aim is an
answer rate of at least half the bare commit rate, and no busy error.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from studyapp.cards import CardKey
from studyapp.database import StoreBusy, connect
from studyapp.documents import Document
from studyapp.grading import grade_typed
from studyapp.model import Bank, Question
from studyapp.scheduler import SchedulerSettings, StudyScheduler, rating_for
from studyapp.store import Store, migrate

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
STUDENTS = 1000
BANKS = 50
PER_BANK = 1000
HISTORY = 20  # answers per student before timing


def make_bank(index: int) -> Bank:
    bank_id = f"bank-{index:02d}"
    document = Document(Path(f"{bank_id}.txt"), {"title": bank_id}, "", 1)
    questions = tuple(
        Question(bank_id, f"q{i}", "answer", prompt=f"Who met {i}?", answer=f"envoy {i}")
        for i in range(PER_BANK)
    )
    return Bank(bank_id, bank_id, Path(f"{bank_id}.yaml"), document, questions, "v1")


def build(path: Path) -> int:
    """Create the database; return the bytes an answer writes (log row plus state row)."""
    migrate(path)
    scheduler = StudyScheduler(SchedulerSettings())
    with Store.open(path, synchronous="OFF", scheduler=scheduler) as store:
        for b in range(BANKS):
            store.sync_bank(make_bank(b), START)
        with store.write() as conn:
            conn.executemany(
                "INSERT INTO users (name, password_hash, created) VALUES (?, 'h', ?)",
                [(f"student{i}", START.isoformat()) for i in range(STUDENTS)],
            )
        # History through the real answer path would take minutes; write the same rows at once.
        rng = random.Random(0)
        config = scheduler.config_json()
        store.conn.execute("INSERT INTO schedulers (config) VALUES (?)", (config,))
        states, logs = [], []
        for student in range(1, STUDENTS + 1):
            for card_id in rng.sample(range(1, BANKS * PER_BANK + 1), HISTORY):
                card = scheduler.review(scheduler.new_card(card_id, START), 3, START)
                states.append(
                    (
                        student,
                        card_id,
                        card.state.value,
                        card.step,
                        card.stability,
                        card.difficulty,
                        card.due.isoformat(),
                        START.isoformat(),
                        START.isoformat(),
                    )
                )
                logs.append(
                    (
                        f"h{student}-{card_id}",
                        student,
                        card_id,
                        START.isoformat(),
                        json.dumps(card.to_dict()),
                    )
                )
        with store.write() as conn:
            conn.executemany(
                "INSERT INTO card_state (student_id, card_id, state, step, stability, difficulty,"
                " due, last_review, first_review, reps, lapses) VALUES (?,?,?,?,?,?,?,?,?,1,0)",
                states,
            )
            conn.executemany(
                "INSERT INTO review_log (token, student_id, card_id, reviewed, source, answer,"
                " correct, rating, duration_ms, scheduler_id, state_after)"
                " VALUES (?, ?, ?, ?, 'review', 'envoy', 1, 3, 1000, 1, ?)",
                logs,
            )
        row = store.conn.execute(
            "SELECT avg(length(token) + length(reviewed) + length(answer) + length(state_after)"
            " + 80) FROM review_log"
        ).fetchone()
    return int(row[0]) + 120  # the state row: a few numbers and three timestamps


def bare_worker(path: str, synchronous: str, payload: int, seconds: float, sync, out) -> None:
    db = connect(path, synchronous=synchronous)
    conn = db.conn
    blob = "x" * payload
    latencies, busy = [], 0
    end = started(sync) + seconds
    while time.time() < end:
        t0 = time.perf_counter()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO bare (payload) VALUES (?)", (blob,))
            conn.execute("COMMIT")
        except sqlite3.OperationalError:
            busy += 1
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            continue
        latencies.append(time.perf_counter() - t0)
    conn.close()
    out.put((len(latencies), busy, latencies))


def answer_worker(
    path: str, synchronous: str, run_id: str, worker: int, seconds: float, sync, out
) -> None:
    rng = random.Random(worker)
    banks = {f"bank-{b:02d}": make_bank(b) for b in range(BANKS)}
    scheduler = StudyScheduler(SchedulerSettings())
    store = Store.open(path, synchronous=synchronous, scheduler=scheduler)
    seen = {
        s: [
            r[0]
            for r in store.conn.execute(
                "SELECT c.bank_id || '/' || c.question_id || '/' || c.number FROM card_state s"
                " JOIN cards c ON c.id = s.card_id WHERE s.student_id = ?",
                (s,),
            )
        ]
        for s in range(1, STUDENTS + 1)
    }
    latencies, busy, n = [], 0, 0
    end = started(sync) + seconds
    while time.time() < end:
        t0 = time.perf_counter()
        student = rng.randint(1, STUDENTS)
        if rng.random() < 2 / 3:
            key = CardKey.parse(rng.choice(seen[student]))
        else:
            key = CardKey(f"bank-{rng.randrange(BANKS):02d}", f"q{rng.randrange(PER_BANK)}", 1)
        question = banks[key.bank_id].questions[int(key.question_id[1:])]
        given = question.answer if rng.random() < 0.8 else "someone else"
        grade = grade_typed(question.answer, question.accept, given)
        now = START + timedelta(days=3, seconds=n)
        try:
            store.record_answer(
                student,
                key,
                token=f"{run_id}-w{worker}-{n}",
                answer=grade.given,
                correct=grade.correct,
                rating=rating_for(grade.correct),
                duration_ms=4000,
                now=now,
            )
        except (StoreBusy, sqlite3.OperationalError):
            busy += 1
        else:
            latencies.append(time.perf_counter() - t0)
        n += 1
    store.close()
    out.put((len(latencies), busy, latencies))


def started(sync) -> float:
    """Say this process is ready, wait for the others, and return the start time."""
    ready, go = sync
    ready.put(os.getpid())
    go.wait()
    return time.time()


def run(target, args_for, processes: int, seconds: float) -> tuple[float, int, list[float]]:
    ctx = multiprocessing.get_context("spawn")
    out, ready, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [
        ctx.Process(target=target, args=(*args_for(i), seconds, (ready, go), out))
        for i in range(processes)
    ]
    for p in procs:
        p.start()
    for _ in procs:  # the clock runs once every process has started and loaded
        ready.get()
    go.set()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    done = sum(r[0] for r in results)
    busy = sum(r[1] for r in results)
    latencies = sorted(x for r in results for x in r[2])
    return done / seconds, busy, latencies


def pct(latencies: list[float], q: float) -> float:
    if not latencies:
        return float("nan")
    return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="timed seconds per run")
    parser.add_argument("--synchronous", default="FULL", help="PRAGMA synchronous for both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        study = Path(tmp) / "study.sqlite3"
        bare = Path(tmp) / "bare.sqlite3"
        t0 = time.perf_counter()
        payload = build(study)
        with connect(bare) as db:
            db.execute("CREATE TABLE bare (id INTEGER PRIMARY KEY, payload TEXT)")
        print(
            f"store benchmark: {STUDENTS:,} students, {BANKS * PER_BANK:,} cards, "
            f"{STUDENTS * HISTORY:,} answers of history (built in {time.perf_counter() - t0:.1f} s)"
        )
        print(
            f"SQLite {sqlite3.sqlite_version}, synchronous={args.synchronous.upper()}, "
            f"{os.cpu_count()} CPUs, {args.seconds:g} s per run, bare row {payload} bytes"
        )
        print()
        header = (
            f"{'processes':>9}  {'bare/s':>8}  {'answers/s':>9}  {'ratio':>5}  "
            f"{'bare p50/p99 ms':>15}  {'answer p50/p99 ms':>17}  busy errors bare/answer"
        )
        print(header)
        for processes in (1, 4):
            b_rate, b_busy, b_lat = run(
                bare_worker,
                lambda i: (str(bare), args.synchronous, payload),
                processes,
                args.seconds,
            )
            a_rate, a_busy, a_lat = run(
                answer_worker,
                lambda i, p=processes: (str(study), args.synchronous, f"p{p}", i),
                processes,
                args.seconds,
            )
            print(
                f"{processes:>9}  {b_rate:>8,.0f}  {a_rate:>9,.0f}  {a_rate / b_rate:>5.2f}  "
                f"{pct(b_lat, 0.5):>7.2f}/{pct(b_lat, 0.99):<7.2f}  "
                f"{pct(a_lat, 0.5):>8.2f}/{pct(a_lat, 0.99):<8.2f}  {b_busy}/{a_busy}"
            )
        print()
        print("aim: answers/s at least half of bare/s (ratio >= 0.50), no busy error")


if __name__ == "__main__":
    main()
