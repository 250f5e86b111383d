"""How common an English word is, from wordfreq's word list (shipped in its wheel)."""

from __future__ import annotations

import math
from functools import cache


@cache
def word_frequencies() -> dict[str, float]:
    """English word frequencies, read once (about 0.1 s)."""
    import wordfreq

    return wordfreq.get_frequency_dict("en", wordlist="large")


def zipf(word: str) -> float:
    """A word's Zipf frequency: 7 for "the", 3 for a rare word, 0 for an unknown one."""
    freq = word_frequencies().get(word.casefold().replace("’", "'"), 0.0)
    return math.log10(freq) + 9 if freq > 0 else 0.0
