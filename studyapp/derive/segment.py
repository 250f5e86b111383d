"""Step 2, segment: cut the article's blocks into sentences a question can quote.

syntok finds the sentence ends (it knows "U.S." and "Dr." do not end one) and gives every token's
offset, so each sentence is an exact slice of the body. A sentence keeps two forms: ``text``, what
a student reads (link and emphasis markup taken out), and ``raw``, the body as it stands, which is
what a quote must match. ``runs`` are the pieces of ``raw`` between markup, each verbatim too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from syntok import segmenter
from syntok.tokenizer import Tokenizer

from .clean import FURNITURE_PHRASE, SENTENCE_END, Block

# Markup a student should not see: images, link brackets and targets, emphasis, code ticks, tags.
_MARKUP = re.compile(
    r"!\[[^\]\n]*\]\([^)\n]*\)"
    r"|\[(?=[^\]\n]*\]\([^)\n]*\))"
    r"|\]\([^)\n]*\)"
    r"|\*\*|__"
    r"|(?<![\w*])\*(?=\S)|(?<=[\w.,;:!?”’\"')])\*(?![\w*])"
    r"|`"
    r"|</?[A-Za-z][^>\n]*>"
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:[-’'][^\W_]+)*")


@dataclass(frozen=True)
class Sentence:
    """One sentence of the article, in reading order."""

    index: int
    text: str
    raw: str
    start: int
    runs: tuple[str, ...]
    paragraph: int

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


def fold(text: str) -> str:
    """Fold runs of whitespace to one space, as the quote matcher does."""
    return _SPACE.sub(" ", text).strip()


def strip_markup(raw: str) -> tuple[str, tuple[str, ...]]:
    """The text without Markdown/HTML markup, and the verbatim markup-free runs of ``raw``."""
    runs: list[str] = []
    pos = 0
    for m in _MARKUP.finditer(raw):
        runs.append(raw[pos : m.start()])
        pos = m.end()
    runs.append(raw[pos:])
    text = fold("".join(runs))
    return text, tuple(r for r in (fold(r) for r in runs) if r)


def passages(blocks: list[Block]) -> Iterator[tuple[int, int]]:
    """(start, end) body spans of the article's paragraphs and bullets.

    A block that ends without a stop and is followed by one that starts in lower case is the same
    paragraph cut by a stray blank line: the two make one span.
    """
    span: tuple[int, int] | None = None
    prev: Block | None = None
    for block in blocks:
        if block.kind not in ("p", "li"):
            if span:
                yield span
            span, prev = None, None
            continue
        continues = (
            prev is not None and not SENTENCE_END.search(prev.text) and block.text[:1].islower()
        )
        if span and continues:
            span = (span[0], block.end)
        else:
            if span:
                yield span
            span = (block.start, block.end)
        prev = block
    if span:
        yield span


def is_sentence(text: str) -> bool:
    """Whether a segment is a whole sentence of prose worth asking about."""
    words = _WORD.findall(text)
    if len(words) < 5:
        return False
    if not SENTENCE_END.search(text) or not re.match(r"[\"“‘'(]?[A-Z0-9]", text):
        return False
    return FURNITURE_PHRASE.search(text) is None


def segment(body: str, blocks: list[Block]) -> list[Sentence]:
    """The sentences of the article blocks of ``body``, in reading order."""
    tokenizer = Tokenizer()
    out: list[Sentence] = []
    for paragraph, (start, end) in enumerate(passages(blocks)):
        chunk = body[start:end]
        for tokens in segmenter.split(iter(tokenizer.tokenize(chunk))):
            if not tokens:
                continue
            s_start = tokens[0].offset
            s_end = tokens[-1].offset + len(tokens[-1].value)
            raw = chunk[s_start:s_end]
            text, runs = strip_markup(raw)
            if not is_sentence(text):
                continue
            out.append(Sentence(len(out), text, fold(raw), start + s_start, runs, paragraph))
    return out
