"""Cards, the things a student remembers, and how a changed bank changes them.

A question yields one card per cloze number (``c1``, ``c2``, ...) and one card for every other
type. A card is named by (bank id, question id, card number), which survives edits, reordering
and reformatting of the YAML, so a schedule follows the question rather than its text or place.

``plan_sync`` compares a loaded bank with what the store recorded last time and says what to
change; it is pure so that the bank-change rules can be read (and tested) apart from the SQL:

- a question edited in place keeps its cards, and so its schedule;
- a removed question retires its cards (their history is kept; they are never shown);
- a cloze that gains a deletion gains a card; one that loses a deletion retires that card;
- a draft gets no cards; a question turned back into a draft keeps its cards, hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Bank, Question


@dataclass(frozen=True, order=True)
class CardKey:
    """A card's stable name; ``str(key)`` is its URL form, ``bank-id/question-id/1``."""

    bank_id: str
    question_id: str
    number: int = 1

    def __str__(self) -> str:
        return f"{self.bank_id}/{self.question_id}/{self.number}"

    @classmethod
    def parse(cls, text: str) -> CardKey:
        """Read the URL form back; raises ValueError for anything else."""
        parts = text.strip("/").split("/")
        if len(parts) != 3 or not parts[0] or not parts[1] or not parts[2].isdigit():
            raise ValueError(f"not a card key (bank/question/number): {text!r}")
        return cls(parts[0], parts[1], int(parts[2]))


def card_keys(question: Question) -> list[CardKey]:
    """The cards a question yields, in number order."""
    return [CardKey(question.bank_id, question.id, n) for n in question.card_numbers]


def bank_card_keys(bank: Bank, *, drafts: bool = False) -> list[CardKey]:
    """Every card of a bank in question order; drafts' cards only when asked for."""
    questions = bank.questions if drafts else bank.live_questions
    return [key for q in questions for key in card_keys(q)]


@dataclass(frozen=True)
class StoredQuestion:
    """What the store recorded about a question when its bank was last synced."""

    position: int
    type: str
    content_hash: str
    draft: bool
    retired: bool
    paragraph: int | None = None  # see ``Bank.paragraph_of``
    quote_hash: str | None = None  # see ``Question.quote_hash``


@dataclass
class SyncPlan:
    """The changes that bring the store in line with a loaded bank.

    ``upsert`` holds every question whose stored row must be written (new, edited, moved,
    drafted, restored, or its passage now in another paragraph of an edited document, or
    recorded before the store kept paragraphs and passages); the
    name lists say why, for the report.
    """

    upsert: list[tuple[int, Question]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    new_cards: list[CardKey] = field(default_factory=list)
    retire_cards: list[CardKey] = field(default_factory=list)
    restore_cards: list[CardKey] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.upsert or self.retired or self.new_cards or self.retire_cards)


def plan_sync(
    bank: Bank, questions: dict[str, StoredQuestion], cards: dict[CardKey, bool]
) -> SyncPlan:
    """Compare ``bank`` with the stored ``questions`` (by id) and ``cards`` (key -> retired)."""
    plan = SyncPlan()
    by_question: dict[str, list[tuple[CardKey, bool]]] = {}
    for key, retired in cards.items():
        by_question.setdefault(key.question_id, []).append((key, retired))
    seen: set[str] = set()
    for position, q in enumerate(bank.questions):
        seen.add(q.id)
        old = questions.get(q.id)
        if old is None:
            plan.added.append(q.id)
        elif old.retired:
            plan.restored.append(q.id)
        elif old.content_hash != q.content_hash:
            plan.edited.append(q.id)
        stored = StoredQuestion(
            position, q.type, q.content_hash, q.draft, False, bank.paragraph_of(q), q.quote_hash
        )
        if old != stored:
            plan.upsert.append((position, q))
        wanted = set(q.card_numbers)
        for n in sorted(wanted):
            key = CardKey(bank.id, q.id, n)
            if key not in cards:
                if not q.draft:
                    plan.new_cards.append(key)
            elif cards[key]:
                plan.restore_cards.append(key)
        for key, retired in by_question.get(q.id, ()):
            if key.number not in wanted and not retired:
                plan.retire_cards.append(key)
    for qid, old in questions.items():
        if qid not in seen and not old.retired:
            plan.retired.append(qid)
            plan.retire_cards.extend(
                key for key, retired in by_question.get(qid, ()) if not retired
            )
    plan.retire_cards.sort()
    return plan
