"""How much studyapp's Anki export costs beside bare genanki, on a bank of 10,000 questions.

Generates a bank of mixed question types and its document in a temporary folder, loads it, then
times, in the same run:

- baseline: genanki alone writing the same notes (same note types, same field values, computed
  beforehand) with ``Package.write_to_file``;
- export: ``studyapp.export.anki.write_package`` from the loaded bank (fields, escaping, stamps,
  deterministic writing);
- ``write_decks``, which writes the reading's package and the course package, beside the baseline
  writing both.

Run: ``.venv/bin/python benchmarks/bench_export.py [--questions N] [--repeat R]``. The aim is an
export within 1.5 times the baseline.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import genanki

from studyapp.banks import load_bank
from studyapp.export import anki

TYPES = ("choice", "multi", "truefalse", "cloze", "answer", "card")


def make_bank(folder: Path, n: int) -> Path:
    """Write a bank of ``n`` questions cycling through every type, each quoting its own sentence."""
    sentences = [
        f"In year {1900 + i % 120} delegation {i} met partner {i * 7 % 1000} about topic {i}."
        for i in range(n)
    ]
    header = "---\ntitle: Generated Reading\nauthor: Bench Author\npublished: 2024-01-01\n---\n\n"
    paras = ["\n".join(sentences[i : i + 10]) for i in range(0, n, 10)]
    (folder / "generated.txt").write_text(header + "\n\n".join(paras) + "\n", encoding="utf-8")
    lines = ["id: generated", "title: Generated Reading", "document: generated.txt", "questions:"]
    for i, sentence in enumerate(sentences):
        qtype = TYPES[i % len(TYPES)]
        lines += [f"  - id: q{i}", f"    type: {qtype}"]
        if qtype == "choice":
            lines += [
                f"    prompt: Whom did delegation {i} meet?",
                f"    answer: partner {i * 7 % 1000}",
                "    distractors: [nobody, everyone, a <b>bold</b> envoy]",
            ]
        elif qtype == "multi":
            lines += [
                f"    prompt: What is true of delegation {i}?",
                f"    answers: [it met partner {i * 7 % 1000}, it discussed topic {i}]",
                "    distractors: [it stayed home, it met nobody]",
            ]
        elif qtype == "truefalse":
            lines += [f"    prompt: Delegation {i} discussed topic {i}.", "    answer: true"]
        elif qtype == "cloze":
            lines += [f"    text: Delegation {i} met {{{{c1::partner {i * 7 % 1000}}}}}."]
        else:
            lines += [
                f"    prompt: Which topic did delegation {i} discuss?",
                f"    answer: topic {i}",
            ]
        lines += [
            f'    quote: "{sentence}"',
            f"    explain: The reading says so & more, in sentence {i}.",
            f"    tags: [generated, t{i % 50}]",
        ]
    path = folder / "generated.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        result = load_bank(make_bank(root, args.questions))
        load_time = time.perf_counter() - start
        bank = result.bank
        if bank is None:
            raise SystemExit(f"generated bank did not load: {result.problems[:3]}")
        course = "Bench Course"
        questions = bank.live_questions
        # The baseline's input: studyapp's field values, computed outside the timing.
        rows = [
            (q.type, anki.note_fields(bank, q), anki.note_tags(bank, q), q.id) for q in questions
        ]
        css = anki.card_css()

        def bare(path: Path) -> None:
            models = {t: nt.model(css) for t, nt in anki.NOTE_TYPES.items()}
            deck = genanki.Deck(2_000_000_001, f"{course}::{bank.title}")
            for qtype, fields, tags, qid in rows:
                guid = genanki.guid_for(bank.id, qid)
                deck.add_note(genanki.Note(models[qtype], fields, tags=tags, guid=guid))
            genanki.Package(deck).write_to_file(str(path))

        out = root / "out"
        out.mkdir()
        baseline = best_of(args.repeat, lambda: bare(root / "bare.apkg"))
        export = best_of(
            args.repeat,
            lambda: anki.write_package([bank], out / "one.apkg", course_title=course),
        )
        decks_baseline = best_of(
            args.repeat, lambda: (bare(root / "bare1.apkg"), bare(root / "bare2.apkg"))
        )

        def decks() -> None:
            for p in out.glob("*.apkg"):  # a fresh folder each time: no earlier packages to read
                p.unlink()
            anki.write_decks([bank], out, course_title=course)

        decks_time = best_of(args.repeat, decks)
        # Exporting again over the same packages also reads them back to keep unchanged stamps.
        again = best_of(args.repeat, lambda: anki.write_decks([bank], out, course_title=course))

    cards = sum(len(q.card_numbers) for q in questions)
    print(f"bank: {len(questions)} questions, {cards} cards (loading took {load_time:.2f} s)")
    print(f"bare genanki, one package:       {baseline:.3f} s")
    print(f"studyapp write_package:          {export:.3f} s  ratio {export / baseline:.2f}x")
    print(f"bare genanki, two packages:      {decks_baseline:.3f} s")
    print(
        f"studyapp write_decks (fresh):    {decks_time:.3f} s  "
        f"ratio {decks_time / decks_baseline:.2f}x"
    )
    print(f"studyapp write_decks (re-export): {again:.3f} s  ratio {again / decks_baseline:.2f}x")
    print(f"(best of {args.repeat}, measured in the same run; aim: within 1.5x)")


if __name__ == "__main__":
    main()
