"""How long ``derive`` takes on a reading of about 5,000 words, against baselines in the same run.

The document is the five shipped readings and the test fixture run together (a long article with
many names). Baselines: reading and segmenting it (work any approach must do) and loading the
written bank with ``load_bank`` (what ``studyapp check`` does with it). Figures are medians of a few
runs, printed as seconds and as ratios to the baselines. Run: ``python benchmarks/bench_derive.py``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from studyapp.banks import load_bank
from studyapp.config import packaged_questions
from studyapp.derive import derive_file
from studyapp.derive.clean import clean
from studyapp.derive.segment import segment
from studyapp.documents import load_document

REPO = Path(__file__).resolve().parent.parent
RUNS = 5


def timed(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def long_reading(folder: Path, words: int = 5000) -> Path:
    """A header and the bodies of the shipped readings and the fixture, to ``words`` words."""
    bodies = [load_document(p).body for p in sorted(packaged_questions().glob("*.txt"))]
    bodies.append((REPO / "tests" / "data" / "derive-fixture.txt").read_text(encoding="utf-8"))
    text = "---\ntitle: Five readings in one\n---\n\n"
    i = 0
    while len(text.split()) < words:
        text += bodies[i % len(bodies)] + "\n\n"
        i += 1
    path = folder / "long.txt"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        doc = long_reading(folder)
        out = folder / "long.yaml"
        others = packaged_questions()
        words = len(doc.read_text(encoding="utf-8").split())

        def run_derive() -> None:
            out.unlink(missing_ok=True)
            derive_file(doc, out, others)

        def read_and_segment() -> None:
            body = load_document(doc).body
            segment(body, clean(body))

        start = time.perf_counter()
        run_derive()  # the first run also reads wordfreq's list and the other banks
        cold = time.perf_counter() - start
        warm = timed(run_derive)
        baseline_segment = timed(read_and_segment)
        baseline_load = timed(lambda: load_bank(out))
        result = load_bank(out)
        drafts = result.questions
        assert not result.problems, result.problems

        print(f"document: {words} words; drafts written: {drafts}")
        print(f"derive (first run, cold): {cold:.2f} s")
        print(f"derive (median of {RUNS}):  {warm:.2f} s")
        print(
            f"baseline read+segment:   {baseline_segment:.3f} s -> derive is "
            f"{warm / baseline_segment:.1f}x"
        )
        print(
            f"baseline load_bank:      {baseline_load:.3f} s -> derive is "
            f"{warm / baseline_load:.1f}x"
        )
        for path in sorted(others.glob("*.txt")):
            target = folder / f"{path.stem}.yaml"
            copy = folder / path.name
            copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")

            def one(copy: Path = copy, target: Path = target) -> None:
                target.unlink(missing_ok=True)
                derive_file(copy, target, others)

            print(
                f"  {path.stem:24} {len(copy.read_text().split()):5} words  {timed(one, 3):.2f} s"
            )


if __name__ == "__main__":
    main()
