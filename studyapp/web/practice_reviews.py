"""What a finished practice test means for the schedule: its answers count as reviews.

A test is practice too, so its answers inform the schedule, card by card (a cloze question is one
item of a test but one card per cloze number, each judged on its own gaps):

- a card that is due (or new to the student) gets a review, exactly as in the review loop with the
  default rating: Good when right, Again when wrong;
- a card not due yet that was answered wrong gets a review rated Again: the test has shown it is
  forgotten, so it comes back for relearning now rather than at its old due date;
- a card not due yet that was answered right is logged as practice (``source="practice"``) and
  keeps its schedule: the schedule already expected it to be remembered, an early review would
  tell FSRS little, and it would count toward true retention a review that was not due;
- an unanswered question records nothing (running out of time is not forgetting).

Cards met for the first time in a test start their schedule there, and count toward the day's new
cards as they would in a review. Each answer carries a token made of the attempt and the card, so
finishing twice (a double click, a retried request, a timer racing a click) records it once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from ..attempts import Attempt
from ..cards import CardKey
from ..database import CardRetired, NotFound
from ..registry import Snapshot
from ..scheduler import Rating
from ..store import Store
from .practice_grading import BadAnswer, form_values, mark


def review_token(attempt_id: int, key: CardKey) -> str:
    """The review log token of a test's answer to one card (at most 200 characters)."""
    token = f"practice:{attempt_id}:{key}"
    if len(token) > 200:
        token = f"practice:{attempt_id}:" + hashlib.sha256(str(key).encode()).hexdigest()
    return token


def record_reviews(store: Store, snapshot: Snapshot, attempt: Attempt, now: datetime) -> int:
    """Record a finished test's answers for the schedule; return how many were new to the log.

    Answers are marked again against the banks in service, since a cloze answer is stored whole
    and each of its cards needs its own verdict. A question gone from the course is skipped.
    """
    recorded = 0
    for r in attempt.responses:
        bank = snapshot.bank(r.bank_id)
        question = bank.question(r.question_id) if bank else None
        if not r.answer or question is None or question.draft:
            continue
        try:
            marked = mark(question, form_values(question, r.answer))
        except BadAnswer:
            continue
        for number, (right, given) in marked.cards.items():
            key = CardKey(r.bank_id, r.question_id, number)
            try:
                status = store.card_state(attempt.student_id, key)
            except NotFound:
                continue
            # Never before the card's last review (one made in the review loop while the test
            # was open): FSRS counts time forward from it.
            at = (
                max(now, status.card.last_review)
                if status.card and status.card.last_review
                else now
            )
            due = status.card is None or status.card.due <= at
            try:
                result = store.record_answer(
                    attempt.student_id,
                    key,
                    token=review_token(attempt.id, key),
                    answer=given,
                    correct=right,
                    rating=Rating.Good if right else Rating.Again,
                    duration_ms=None,
                    now=at,
                    source="review" if due or not right else "practice",
                    attempt_id=attempt.id,
                )
            except CardRetired:
                continue
            recorded += not result.duplicate
    return recorded
