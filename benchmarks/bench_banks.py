"""Load and validate a 10,000-question bank, beside PyYAML's libyaml parse of the same file.

The aim (issue: foundation) is at most twice the time of ``yaml.load(text, Loader=CSafeLoader)``.
Both are timed in this run, best of several repeats, so the ratio holds on a noisy machine.

    .venv/bin/python benchmarks/bench_banks.py [--questions N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import yaml

from studyapp.banks import load_bank

WORDS = (
    "alliance Beijing Seoul Washington sanctions summit missile treaty minister dialogue trade "
    "peninsula security denuclearization economy coercion partnership visit delegation policy"
).split()


def make_bank(folder: Path, n: int, seed: int = 7) -> Path:
    """Write a document of n sentences and a bank of n mixed questions quoting them."""
    rng = random.Random(seed)
    sentences = []
    for i in range(n):
        words = [rng.choice(WORDS) for _ in range(14)]
        sentences.append(f"In {1990 + i % 35} the {' '.join(words)} number {i} was agreed.")
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, n, 5)]
    (folder / "bench.txt").write_text("---\ntitle: Bench\n---\n\n" + "\n\n".join(paragraphs))
    lines = [
        "# yaml-language-server: $schema=bank.schema.json",
        "id: bench",
        "title: Bench",
        "document: bench.txt",
        "questions:",
    ]
    types = ["choice", "cloze", "truefalse", "answer", "multi", "card"]
    for i, sentence in enumerate(sentences):
        quote = sentence[3:-1]  # "<year> the ... number i was agreed"
        t = types[i % len(types)]
        lines += [f"  - id: q-{i}", f"    type: {t}"]
        if t == "cloze":
            lines.append(f'    text: "In {{{{c1::{1990 + i % 35}}}}} item {i} was agreed."')
        else:
            lines.append(f"    prompt: When was item {i} agreed?")
        if t == "choice":
            lines += [f'    answer: "{1990 + i % 35}"', "    distractors: [1900, 1901, 1902]"]
        elif t == "multi":
            lines += ["    answers: [Seoul, Beijing]", "    distractors: [Tokyo, Moscow]"]
        elif t == "truefalse":
            lines.append("    answer: true")
        elif t == "answer":
            lines += [f'    answer: "{1990 + i % 35}"', f'    accept: ["in {1990 + i % 35}"]']
        elif t == "card":
            lines.append(f'    answer: "In {1990 + i % 35}."')
        lines += [
            f'    quote: "{quote}"',
            "    explain: The bench document says so.",
            "    tags: [bench, generated]",
        ]
    path = folder / "bench.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = make_bank(Path(tmp), args.questions)
        text = path.read_text()
        result = load_bank(path)
        assert result.bank is not None, result.problems[:3]
        assert len(result.bank.questions) == args.questions
        baseline = best_of(args.repeat, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
        ours = best_of(args.repeat, lambda: load_bank(path))
    size = len(text.encode()) / 1e6
    print(f"bank: {args.questions} questions, {size:.1f} MB of YAML (best of {args.repeat})")
    print(f"yaml.load (CSafeLoader):   {baseline * 1000:8.1f} ms")
    print(f"studyapp load_bank:        {ours * 1000:8.1f} ms  (parse + build + every check)")
    print(f"ratio: {ours / baseline:.2f}x  (aim: <= 2.00x)")


if __name__ == "__main__":
    main()
