"""The database schema, as numbered sqlite-utils migrations.

Never edit a migration that has shipped: add the next one (``0002_...``). ``apply`` runs the
pending ones at server start and from ``studyapp db migrate``; opening a ``Store`` does not.

Times are stored as ISO 8601 text in UTC with microseconds (``2026-03-02T09:30:00.000000+00:00``),
which sorts in time order and reads well in the ``sqlite3`` shell. Card states are stored as
columns (queried for the study queue and the numbers); the review log keeps them as
``fsrs.Card.to_dict()`` JSON, before and after each answer.

Every index on ``card_state`` and ``review_log`` is one more page written (and synced) per
answer, under the write lock, so they are few: the log is found by card (question statistics;
with the student, replay and an answer's token) and by student and time (the day's reviews, the
heatmap). Card states are found through their primary key (student, card); the study queue
reads all of a student's states, which costs less than an index written on every answer.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("studyapp")

INITIAL = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL DEFAULT 'student' CHECK (role IN ('student', 'instructor')),
    password_hash TEXT NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'UTC',
    created TEXT NOT NULL,
    last_seen TEXT
);
CREATE TABLE banks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    path TEXT NOT NULL,
    digest TEXT NOT NULL,
    first_loaded TEXT NOT NULL,
    loaded TEXT NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE questions (
    bank_id TEXT NOT NULL REFERENCES banks(id),
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    type TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    draft INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    first_loaded TEXT NOT NULL,
    loaded TEXT NOT NULL,
    PRIMARY KEY (bank_id, id)
);
CREATE INDEX questions_order ON questions (bank_id, position);
CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    bank_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    retired INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    UNIQUE (bank_id, question_id, number),
    FOREIGN KEY (bank_id, question_id) REFERENCES questions (bank_id, id)
);
CREATE TABLE schedulers (
    id INTEGER PRIMARY KEY,
    config TEXT NOT NULL UNIQUE
);
CREATE TABLE card_state (
    student_id INTEGER NOT NULL REFERENCES users(id),
    card_id INTEGER NOT NULL REFERENCES cards(id),
    state INTEGER NOT NULL,
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due TEXT NOT NULL,
    last_review TEXT NOT NULL,
    first_review TEXT NOT NULL,
    reps INTEGER NOT NULL,
    lapses INTEGER NOT NULL,
    PRIMARY KEY (student_id, card_id)
) WITHOUT ROWID;
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES users(id),
    settings TEXT NOT NULL DEFAULT '{}',
    started TEXT NOT NULL,
    finished TEXT,
    score REAL,
    max_score REAL
);
CREATE INDEX attempts_student ON attempts (student_id, started);
CREATE TABLE attempt_responses (
    attempt_id INTEGER NOT NULL REFERENCES attempts(id),
    position INTEGER NOT NULL,
    bank_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    answer TEXT,
    correct INTEGER,
    score REAL,
    saved TEXT,
    PRIMARY KEY (attempt_id, bank_id, question_id),
    FOREIGN KEY (bank_id, question_id) REFERENCES questions (bank_id, id)
);
CREATE TABLE review_log (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    student_id INTEGER NOT NULL REFERENCES users(id),
    card_id INTEGER NOT NULL REFERENCES cards(id),
    reviewed TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('review', 'practice')),
    attempt_id INTEGER REFERENCES attempts(id),
    answer TEXT NOT NULL DEFAULT '',
    correct INTEGER,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms INTEGER,
    scheduler_id INTEGER REFERENCES schedulers(id),
    state_before TEXT,
    state_after TEXT
);
CREATE INDEX review_log_card ON review_log (card_id, student_id);
CREATE INDEX review_log_student_time ON review_log (student_id, reviewed);
CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END;
CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END;
CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES users(id),
    review_id INTEGER UNIQUE REFERENCES review_log(id),
    attempt_id INTEGER REFERENCES attempts(id),
    bank_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
    resolved TEXT,
    resolved_by INTEGER REFERENCES users(id),
    UNIQUE (attempt_id, bank_id, question_id),
    FOREIGN KEY (bank_id, question_id) REFERENCES questions (bank_id, id)
);
CREATE INDEX claims_status ON claims (status, created);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES users(id),
    bank_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    category TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    resolved TEXT,
    resolved_by INTEGER REFERENCES users(id),
    response TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (bank_id, question_id) REFERENCES questions (bank_id, id)
);
CREATE INDEX reports_status ON reports (status, created);
CREATE INDEX reports_student ON reports (student_id, created);
"""


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    """Users, banks and questions as loaded, cards, card states, the review log, practice
    attempts, claims and problem reports."""
    for statement in _statements(INITIAL):
        db.execute(statement)


REVIEW_LOG_WITHOUT_TOKEN_INDEX = """
CREATE TABLE review_log_new (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL,
    student_id INTEGER NOT NULL REFERENCES users(id),
    card_id INTEGER NOT NULL REFERENCES cards(id),
    reviewed TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('review', 'practice')),
    attempt_id INTEGER REFERENCES attempts(id),
    answer TEXT NOT NULL DEFAULT '',
    correct INTEGER,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms INTEGER,
    scheduler_id INTEGER REFERENCES schedulers(id),
    state_before TEXT,
    state_after TEXT
);
INSERT INTO review_log_new SELECT id, token, student_id, card_id, reviewed, source, attempt_id,
    answer, correct, rating, duration_ms, scheduler_id, state_before, state_after FROM review_log;
DROP TABLE review_log;
ALTER TABLE review_log_new RENAME TO review_log;
CREATE UNIQUE INDEX review_log_card ON review_log (card_id, student_id, token);
CREATE INDEX review_log_student_time ON review_log (student_id, reviewed);
CREATE TRIGGER review_log_no_update BEFORE UPDATE ON review_log
BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END;
CREATE TRIGGER review_log_no_delete BEFORE DELETE ON review_log
BEGIN SELECT RAISE(ABORT, 'review_log is append-only'); END;
"""


@MIGRATIONS(name="0002_answer_tokens_per_card")
def answer_tokens_per_card(db: Database) -> None:
    """An answer's token is unique per student and card, no longer across the whole log.

    The token only makes a retried submission idempotent, and a retry is always for the same
    student and card, so uniqueness moves into the (card, student) index, which becomes
    (card, student, token) UNIQUE: the database still refuses a second row for one answer,
    and the global token index goes, one B-tree page fewer written and synced per answer.
    The table is rebuilt as SQLite's ALTER TABLE procedure describes (a UNIQUE constraint
    cannot be dropped in place): ``claims`` keeps referring to it by name, and the ids stay.
    """
    for statement in _statements(REVIEW_LOG_WITHOUT_TOKEN_INDEX):
        db.execute(statement)


@MIGRATIONS(name="0003_login_failures")
def login_failures(db: Database) -> None:
    """Sign-in attempts, kept in the database so that every server worker counts the same ones
    (a count in each process's memory would let each worker grant its own tries)."""
    db.execute("CREATE TABLE login_failures (key TEXT NOT NULL, at REAL NOT NULL)")
    db.execute("CREATE INDEX login_failures_key ON login_failures (key, at)")
    db.execute("CREATE INDEX login_failures_at ON login_failures (at)")  # pruning


@MIGRATIONS(name="0004_question_changed")
def question_changed(db: Database) -> None:
    """When each question's current version was first loaded, so that item analysis can tell
    answers to the question as it reads now from answers to an older wording (a distractor
    added last week cannot have been picked a month ago). The history before this migration is
    unknown: the question's first load stands in for it, which counts every answer as before."""
    db.execute("ALTER TABLE questions ADD COLUMN changed TEXT")
    db.execute("UPDATE questions SET changed = first_loaded")


@MIGRATIONS(name="0005_report_seen")
def report_seen(db: Database) -> None:
    """When the student saw the outcome of each problem report, so that the readings page can
    tell them an instructor answered (a report answered and not yet seen has ``seen`` NULL).

    A column on the report rather than one "reports last opened" time per student: it names
    exactly which answers are unread, compares no times written by different requests (and
    clocks), and costs a write only when an unread answer is shown. Resolving a report clears
    it, so a new answer to a report is news again. Reports answered before this migration
    count as unread: whether the student read them is unknown, and one notice too many (gone
    once the reports page is opened) is better than an answer the student never hears of.
    """
    db.execute("ALTER TABLE reports ADD COLUMN seen TEXT")


@MIGRATIONS(name="0006_question_paragraph")
def question_paragraph(db: Database) -> None:
    """Which paragraph of its document each question quotes, so that the study queue can keep
    questions on one paragraph apart: the feedback shows the whole paragraph, which would
    answer the next question on it if that came straight after.

    The paragraph is the document's block index (``Document.locate``), NULL when the quote is
    not found within one block. With it, a hash of the quoted passage (``Question.quote_hash``):
    a question added by the edit that removed one with the same passage is most likely that
    question renamed, and the instructor pages say so (``renames``).

    Existing questions get both at the next load: every bank's digest is cleared so that the
    next sync records them (the sync changes nothing else for a question whose content is
    unchanged).
    """
    db.execute("ALTER TABLE questions ADD COLUMN paragraph INTEGER")
    db.execute("ALTER TABLE questions ADD COLUMN quote_hash TEXT")
    db.execute("UPDATE banks SET digest = ''")


@MIGRATIONS(name="0007_claim_seen")
def claim_seen(db: Database) -> None:
    """When the student saw the outcome of each "I was right" claim (NULL: not yet), so that
    the readings page can tell them an instructor accepted or rejected it, as 0005 does for
    problem reports. Claims decided before this migration count as unseen, for 0005's reason.
    """
    db.execute("ALTER TABLE claims ADD COLUMN seen TEXT")


@MIGRATIONS(name="0008_card_reveals")
def card_reveals(db: Database) -> None:
    """Which cards show another card's answer on their front or feedback (``reveals``), so
    that the study queue can keep the second away from just after the first.

    Cards by id, a row per (card, card it reveals): the queue joins the day's review log on
    the first. Rows are replaced whenever a bank is recorded again; existing banks get theirs
    at the next load, their digests cleared as 0006 does.
    """
    db.execute(
        "CREATE TABLE card_reveals (card_id INTEGER NOT NULL REFERENCES cards(id),"
        " reveals_card_id INTEGER NOT NULL REFERENCES cards(id),"
        " PRIMARY KEY (card_id, reveals_card_id)) WITHOUT ROWID"
    )
    db.execute("UPDATE banks SET digest = ''")


def _statements(script: str) -> list[str]:
    """Split a script on complete statements (triggers hold ``;`` inside BEGIN ... END)."""
    out: list[str] = []
    current = ""
    for line in script.strip().splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


def apply(db: Database, migrations: Migrations = MIGRATIONS) -> list[str]:
    """Apply the pending migrations; return their names.

    Foreign keys are switched off meanwhile, as SQLite advises for schema changes: a migration
    that rebuilds a table (sqlite-utils ``transform``) drops the old one, and with foreign keys
    on that would fail or cascade. The keys are checked before they are switched back on. The
    caller holds the store's write lock, so no answer is written half-way through. Migrations
    must be transactional (no ``VACUUM``).
    """
    pending = [m.name for m in migrations.pending(db)]
    if not pending:
        return []
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        # One transaction around them all (sqlite-utils nests each in a savepoint), so that a
        # broken foreign key found at the end undoes everything.
        db.execute("BEGIN IMMEDIATE")
        try:
            migrations.apply(db)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        db.execute("PRAGMA foreign_keys = ON")
    return pending


def applied(db: Database, migrations: Migrations = MIGRATIONS) -> list[str]:
    """Names of the migrations already applied, in order."""
    return [m.name for m in migrations.applied(db)]
