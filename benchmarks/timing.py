"""The timing the page benchmarks share: the median of several rounds, printed beside a baseline
measured in the same run (machines are noisy, so only the ratio means much)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(label: str, fn: Callable[[], object], rounds: int, baseline: float | None) -> float:
    """Run ``fn`` ``rounds`` times; print and return the median in ms, as a ratio of
    ``baseline`` when one is given (None: this is the baseline)."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    ms = statistics.median(samples) * 1000
    ratio = f"{ms / baseline:8.1f}x" if baseline else "  (baseline)"
    print(f"{label:<44} {ms:8.2f} ms {ratio}")
    return ms
