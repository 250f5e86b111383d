"""Item analysis: how each question of a bank performs, from every student's answers.

The figures follow Moodle's quiz statistics report (``question/classes/statistics``), adapted to
students who answer different questions a different number of times:

- **facility**: the mean score of the answers, 0..1 (Moodle: average mark over maximum mark). A
  review scores 1 or 0; a practice response its saved score, so a ``multi`` answer with partial
  credit counts partly, as in Moodle.
- **discrimination**: the Pearson correlation, across students, between a student's mean score
  on the question and their mean score on the bank's other questions. Moodle correlates the
  question's mark with the rest of the test (total minus this question) across attempts; on a
  fixed test the mean of the rest is the rest's total divided by a constant, which leaves the
  correlation unchanged, and the mean stays fair when students answered different questions.
  Practice tests alone are compared attempt by attempt, exactly as Moodle does.

Which answers count, as Moodle's "attempts to analyse" asks: **all** of them, or each student's
**first** answer to each question. Spaced repetition brings a missed card back within minutes,
when it is easy to get right, and shows a known card rarely, so over all answers a question's
figures mix how hard it is with how often it was missed; a student's first answer, given before
any feedback on the question, measures the question alone.

A figure is only judged (flagged) when enough students stand behind it: with three answers a
facility of 1.0 says nothing. Flags say why in one line, in the words the page shows.

A distractor nobody picked is judged on the wrong answers, not the students: only a wrong answer
can pick one, so with one wrong answer among six, at most one of three distractors can have been
picked. It is flagged only when, had the wrong answers fallen evenly on the distractors, it
would very likely have been picked: with ``k`` distractors and ``w`` wrong answers the chance
that a given one is missed by all of them is ((k - 1) / k) ** w, and the flag needs it under
``UNPICKED_CHANCE`` (``wrong_answers_needed``).

Reviews are the review loop's answers, one per card rated, as the class progress page counts
them (``stats.AnswerCount``); practice tests are the responses of finished attempts, blanks
included (they score 0), of which the progress page counts only the ones answered.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .feedback import Report
from .grading import fold
from .instructor_queries import ItemAnswer
from .model import Bank, Question

BASES = {
    "both": "Reviews and practice tests",
    "reviews": "Reviews",
    "practice": "Practice tests",
}
COUNTS = {
    "all": "All answers",
    "first": "Each student's first answer",
}
TOO_EASY = 0.9  # facility above this: nearly everyone gets it right
TOO_HARD = 0.3  # facility below this
WEAK = 0.2  # discrimination below this is near zero (Moodle's docs: 0-19% "very weak")
# Below this it is negative in earnest: a figure of -0.01 is noise around zero, and calling it
# "stronger students miss it more" would send an instructor after a key that is fine.
NEGATIVE = -0.1
MIN_STUDENTS = 5  # fewer students than this behind a figure: too little data to judge
UNPICKED_CHANCE = 0.05  # a distractor is called unpicked when missing it by chance is this rare
REPORTERS = 2  # this many students reporting a question flags it
SHOWN_WRONG = 5  # most common wrong typed answers shown
OPTION_SEPARATOR = " · "  # how the grader joins the options picked in one answer
REPORT_LABELS = {
    "wrong-answer": "wrong answer key",
    "unclear": "unclear",
    "typo": "typo",
    "quote": "quote does not fit",
    "other": "other",
}


@dataclass(frozen=True)
class OptionCount:
    text: str
    correct: bool
    picks: int


@dataclass(frozen=True)
class TypedCount:
    text: str  # as the first student typed it; others differed only in case, accents, spacing
    count: int
    students: int


@dataclass(frozen=True)
class Flag:
    code: (
        str  # too-easy, too-hard, negative-discrimination, weak-discrimination, unpicked, reported
    )
    reason: str


@dataclass(frozen=True)
class ItemStats:
    """One question's figures on one basis, with the number of students behind each."""

    question: Question
    answers: int
    students: int
    facility: float | None
    discrimination: float | None
    compared: int  # students (or attempts, on practice alone) the discrimination compares
    unit: str  # "students" or "attempts"
    options: tuple[OptionCount, ...] = ()
    other_picks: int = 0  # picks of options the question no longer has
    wrong_answers: tuple[TypedCount, ...] = ()
    reports: tuple[Report, ...] = ()
    # Answers to the question as it reads now (given since its wording last changed), by how
    # many students, and the distractors none of them picked: an option added last week
    # cannot have been picked a month ago.
    current_answers: int = 0
    current_students: int = 0
    current_wrong: int = 0  # of those, the wrong ones that gave an answer: they could pick one
    distractors: int = 0
    unpicked: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = field(default=())

    @property
    def reporters(self) -> int:
        return len({r.student_id for r in self.reports})

    @property
    def enough_data(self) -> bool:
        return self.students >= MIN_STUDENTS

    @property
    def enough_wrong_answers(self) -> bool:
        """Enough wrong answers to the current wording (by enough students) to call a
        distractor nobody picked unpicked."""
        return (
            self.distractors > 0
            and self.current_students >= MIN_STUDENTS
            and self.current_wrong >= wrong_answers_needed(self.distractors)
        )


def wrong_answers_needed(distractors: int) -> int:
    """The fewest wrong answers after which a distractor nobody picked is flagged: the first
    ``w`` with ((k - 1) / k) ** w below ``UNPICKED_CHANCE`` (5 for two distractors, 8 for three,
    11 for four). Counted exactly rather than with logarithms, so the boundary is the rule's."""
    if distractors < 1:
        raise ValueError("a question without distractors has none to leave unpicked")
    miss = (distractors - 1) / distractors
    wrong = 0
    while miss**wrong >= UNPICKED_CHANCE:
        wrong += 1
    return wrong


def select(answers: Iterable[ItemAnswer], basis: str, count: str = "all") -> list[ItemAnswer]:
    """The answers a basis counts (reviews, practice tests, or both): all of them, or only
    each student's first answer to each question among those."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}, got {basis!r}")
    if count not in COUNTS:
        raise ValueError(f"count must be one of {', '.join(COUNTS)}, got {count!r}")
    source = {"reviews": "review", "practice": "practice"}.get(basis)
    chosen = [a for a in answers if source is None or a.source == source]
    return first_answers(chosen) if count == "first" else chosen


def first_answers(answers: Iterable[ItemAnswer]) -> list[ItemAnswer]:
    """Each student's earliest answer to each question (the first listed wins a tie: the
    answers of one practice test share their time)."""
    first: dict[tuple[int, str], ItemAnswer] = {}
    for a in answers:
        key = (a.student_id, a.question_id)
        if key not in first or a.at < first[key].at:
            first[key] = a
    return list(first.values())


def analyse(
    bank: Bank,
    answers: Iterable[ItemAnswer],
    basis: str = "both",
    reports: Sequence[Report] = (),
    count: str = "all",
    changed: Mapping[str, str] | None = None,
) -> list[ItemStats]:
    """Item statistics for each live question of ``bank``, in bank order, from the answers
    ``basis`` and ``count`` choose (see ``select``).

    ``changed`` gives, per question id, when its current wording was first loaded
    (``Store.question_changes``); only answers since then can show that nobody picks a
    distractor. Without it every answer counts as one to the current wording.

    ``reports`` are the open problem reports on the bank; they are shown and counted whatever
    the basis.
    """
    chosen = select(answers, basis, count)
    by_attempt = basis == "practice"
    by_question: dict[str, list[ItemAnswer]] = defaultdict(list)
    # unit -> question -> [score sum, answers]
    scores: dict[object, dict[str, list[float]]] = defaultdict(dict)
    for a in chosen:
        by_question[a.question_id].append(a)
        unit = ("attempt", a.attempt_id) if by_attempt else ("student", a.student_id)
        cell = scores[unit].setdefault(a.question_id, [0.0, 0])
        cell[0] += a.score
        cell[1] += 1
    open_reports: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        if r.status == "open":
            open_reports[r.question_id].append(r)
    out = []
    for q in bank.live_questions:
        given = by_question.get(q.id, [])
        d, compared = discrimination(scores, q.id)
        options, other = option_counts(q, given)
        since = (changed or {}).get(q.id, "")
        current = [a for a in given if a.at >= since] if since else given
        current_options = option_counts(q, current)[0] if current is not given else options
        stats = ItemStats(
            question=q,
            answers=len(given),
            students=len({a.student_id for a in given}),
            facility=sum(a.score for a in given) / len(given) if given else None,
            discrimination=d,
            compared=compared,
            unit="attempts" if by_attempt else "students",
            options=options,
            other_picks=other,
            wrong_answers=wrong_answers(q, given),
            reports=tuple(open_reports.get(q.id, ())),
            current_answers=len(current),
            current_students=len({a.student_id for a in current}),
            current_wrong=sum(1 for a in current if not a.correct and a.answer),
            distractors=sum(1 for o in options if not o.correct),
            unpicked=tuple(o.text for o in current_options if not o.correct and not o.picks),
        )
        out.append(_with_flags(stats))
    return out


def discrimination(
    scores: dict[object, dict[str, list[float]]], question_id: str
) -> tuple[float | None, int]:
    """Pearson r of each unit's mean score on the question against its mean on the rest, and the
    number of units compared (those that answered the question and at least one other).

    None when fewer than two units compare or either score does not vary (as Moodle leaves the
    index empty when a variance is zero).
    """
    xs: list[float] = []
    ys: list[float] = []
    for per_question in scores.values():
        if question_id not in per_question or len(per_question) < 2:
            continue
        total, n = per_question[question_id]
        rest_total = sum(v[0] for q, v in per_question.items() if q != question_id)
        rest_n = sum(v[1] for q, v in per_question.items() if q != question_id)
        xs.append(total / n)
        ys.append(rest_total / rest_n)
    if len(xs) < 2:
        return None, len(xs)
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx < 1e-12 or syy < 1e-12:
        return None, len(xs)
    return sxy / math.sqrt(sxx * syy), len(xs)


def picked_options(question: Question, answer: str | None) -> list[str] | None:
    """The options an answer picked (the grader joins them with `` · ``); None if it names
    something the question no longer offers."""
    if not answer:
        return []
    options = set(question.options)
    if answer in options:
        return [answer]
    parts = answer.split(OPTION_SEPARATOR)
    if all(p in options for p in parts):
        return parts
    return None


def option_counts(
    question: Question, answers: Sequence[ItemAnswer]
) -> tuple[tuple[OptionCount, ...], int]:
    """How often each option was picked (choice, multi, truefalse), and picks of options gone."""
    if question.type not in ("choice", "multi", "truefalse"):
        return (), 0
    picks: Counter[str] = Counter()
    other = 0
    for a in answers:
        chosen = picked_options(question, a.answer)
        if chosen is None:
            other += 1
        else:
            picks.update(chosen)
    right = set(question.correct_options)
    counts = tuple(OptionCount(o, o in right, picks[o]) for o in question.options)
    return counts, other


def wrong_answers(question: Question, answers: Sequence[ItemAnswer]) -> tuple[TypedCount, ...]:
    """The most common wrong typed answers (answer, cloze), grouped as the grader folds them."""
    if question.type not in ("answer", "cloze"):
        return ()
    counts: Counter[str] = Counter()
    students: dict[str, set[int]] = defaultdict(set)
    shown: dict[str, str] = {}
    for a in answers:
        if a.correct or a.answer is None:
            continue
        key = " ".join(fold(part) for part in a.answer.split(OPTION_SEPARATOR))
        counts[key] += 1
        students[key].add(a.student_id)
        shown.setdefault(key, a.answer.strip())
    return tuple(
        TypedCount(shown[k], n, len(students[k])) for k, n in counts.most_common(SHOWN_WRONG)
    )


def _with_flags(stats: ItemStats) -> ItemStats:
    flags: list[Flag] = []
    f, d = stats.facility, stats.discrimination
    if f is not None and stats.enough_data:
        basis = f"facility {f:.2f} from {stats.answers} answers by {stats.students} students"
        if f > TOO_EASY:
            flags.append(Flag("too-easy", f"Too easy: {basis} (above {TOO_EASY:.1f})."))
        elif f < TOO_HARD:
            flags.append(Flag("too-hard", f"Too hard: {basis} (below {TOO_HARD:.1f})."))
    if d is not None and stats.compared >= MIN_STUDENTS:
        if d < NEGATIVE:
            flags.append(
                Flag(
                    "negative-discrimination",
                    f"Negative discrimination ({d:+.2f}): stronger {stats.unit} miss it more "
                    "often than weaker ones; check the answer key and the wording.",
                )
            )
        elif d < WEAK:
            flags.append(
                Flag(
                    "weak-discrimination",
                    f"Near-zero discrimination ({d:+.2f}): stronger {stats.unit} miss it as "
                    "often as weaker ones; often an ambiguous prompt.",
                )
            )
    if stats.enough_wrong_answers and stats.question.type != "truefalse":
        w = stats.current_wrong
        wrong = f"{w} wrong answer{'' if w == 1 else 's'}"
        since = f"the {wrong} since it last changed"
        among = wrong if stats.current_answers == stats.answers else since
        for text in stats.unpicked:
            flags.append(Flag("unpicked", f"Nobody picked the distractor “{text}” in {among}."))
    if stats.reporters >= REPORTERS:
        kinds = Counter(r.category for r in stats.reports)
        listed = ", ".join(f"{REPORT_LABELS.get(k, k)} ({n})" for k, n in kinds.most_common())
        flags.append(Flag("reported", f"{stats.reporters} students reported a problem: {listed}."))
    return replace(stats, flags=tuple(flags))
