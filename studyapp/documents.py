"""Reading documents: the header, the article text, and finding verbatim quotes in it.

A document is UTF-8 text with a small header between ``---`` lines (``title: ...`` and so on),
then the article: paragraphs separated by blank lines, ``## `` before a heading and ``- `` before
a bullet. Quotes are matched after folding runs of whitespace and typographic quote marks, so an
instructor may copy a passage across a line break or type straight quotes; nothing else is folded.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'"})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Below this size a plain substring search per quote is cheaper than building a word index.
_INDEX_THRESHOLD = 100_000


def normalize(text: str) -> str:
    """Fold whitespace runs to one space and typographic quotes to straight ones."""
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


@dataclass(frozen=True)
class Block:
    """One block of the article as shown in the reading view."""

    kind: str  # "p", "h2" or "li"
    text: str
    start: int  # offset of ``text`` in Document.body


@dataclass
class Document:
    """A reading: its header fields and its article text."""

    path: Path
    meta: dict[str, str]
    body: str
    body_line: int  # 1-based line of the file where the body starts
    _index: dict[str, list[int]] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def title(self) -> str:
        return self.meta.get("title", self.path.stem)

    @cached_property
    def normalized(self) -> str:
        return normalize(self.body)

    def find_quote(self, quote: str) -> int:
        """Return the offset of ``quote`` in the normalized body, or -1."""
        q = normalize(quote)
        if not q:
            return -1
        text = self.normalized
        words = list(_WORD.finditer(q))
        if len(text) < _INDEX_THRESHOLD or len(words) < 3:
            return text.find(q)
        # Interior words of the quote are whole words of the text too (the first and last may be
        # cut), so the rarest interior word pins the few places where the quote can start.
        index = self._word_index()
        best: list[int] | None = None
        best_offset = 0
        for m in words[1:-1]:
            spots = index.get(m.group())
            if spots is None:
                return -1
            if best is None or len(spots) < len(best):
                best, best_offset = spots, m.start()
        assert best is not None
        for spot in best:
            start = spot - best_offset
            if start >= 0 and text.startswith(q, start):
                return start
        return -1

    def _word_index(self) -> dict[str, list[int]]:
        if self._index is None:
            index: dict[str, list[int]] = {}
            for m in _WORD.finditer(self.normalized):
                index.setdefault(m.group(), []).append(m.start())
            self._index = index
        return self._index

    def closest_passage(self, quote: str) -> str | None:
        """The passage of the body most like ``quote``, for a "did you mean" hint."""
        from rapidfuzz import fuzz

        q = normalize(quote)
        if not q:
            return None
        best_score, best = 0.0, None
        for block in self.blocks:
            para = normalize(block.text)
            al = fuzz.partial_ratio_alignment(q, para)
            if al is not None and al.score > best_score:
                best_score = al.score
                start, end = al.dest_start, al.dest_end
                # Widen to whole words so the hint never starts or ends mid-word.
                while start > 0 and not para[start - 1].isspace():
                    start -= 1
                while end < len(para) and not para[end].isspace():
                    end += 1
                best = para[start:end]
        if best is None or best_score < 50:
            return None
        return best.strip()

    @cached_property
    def blocks(self) -> list[Block]:
        """The article split into paragraphs, headings and bullets, with their offsets."""
        out: list[Block] = []
        for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", self.body):
            chunk, start = m.group(), m.start()
            if chunk.startswith("## "):
                out.append(Block("h2", chunk[3:].strip(), start + 3))
            elif chunk.startswith("- "):
                offset = start
                for line in chunk.split("\n"):
                    if line.startswith("- "):
                        out.append(Block("li", line[2:].strip(), offset + 2))
                    offset += len(line) + 1
            else:
                out.append(Block("p", chunk.strip(), start))
        return out

    def locate(self, quote: str) -> tuple[int, int, int] | None:
        """Return the (block index, start, end) span of ``quote`` within one block, or None.

        The span is in the block's own text, for highlighting; a quote across blocks is not
        located (the reading view could not highlight it, so the checker reports it: see
        ``blocks_spanned``).
        """
        q = normalize(quote)
        if not q:
            return None
        # Each block is a slice of the body, folded alike inside, so the first block holding
        # the quote holds the body's first match: the search starts at the block before it
        # (a block's offset may sit before its stripped text) rather than at the first.
        folded, raw = self._folded_body
        hit = folded.find(q)
        if hit < 0:
            return None
        first = max(0, bisect_right(self._block_starts, raw[hit]) - 2)
        for i in range(first, len(self.blocks)):
            norm, raw_pos = self._folded_blocks[i]
            at = norm.find(q)
            if at >= 0:
                return i, raw_pos[at], raw_pos[at + len(q) - 1] + 1
        return None

    def places(self, quote: str) -> list[int]:
        """The body offset of every place ``quote`` is found within one block, overlapping
        ones too, matched as ``locate`` matches; ``locate`` frames the first of them. (A quote
        found once in the whole body is that one place, checked against the blocks or not:
        only a quote found more than once needs the blocks searched one by one.)"""
        q = normalize(quote)
        found: list[int] = []
        folded = self._folded_body[0]
        hit = folded.find(q) if q else -1
        if hit < 0:
            return found
        if folded.find(q, hit + 1) < 0:
            return [self._folded_body[1][hit]]  # the one match in the whole body
        for block, (norm, raw_pos) in zip(self.blocks, self._folded_blocks, strict=True):
            at = norm.find(q)
            while at >= 0:
                found.append(block.start + raw_pos[at])
                at = norm.find(q, at + 1)
        return found

    def blocks_spanned(self, quote: str) -> list[int]:
        """The indexes of the blocks that the body's first match of ``quote`` runs across.

        Empty when the quote is not in the body. More than one means the quote is verbatim but
        crosses a paragraph break (or a heading or bullet), which ``locate`` cannot frame.
        """
        at = self.find_quote(quote)
        folded, raw_pos = self._folded_body
        length = len(normalize(quote))
        if at < 0 or folded[at : at + length] != self.normalized[at : at + length]:
            return []  # the body folds unlike ``normalize`` here: nothing safe to say
        start, end = raw_pos[at], raw_pos[at + length - 1] + 1
        return [
            i
            for i, block in enumerate(self.blocks)
            if block.start < end and start < block.start + len(block.text)
        ]

    @cached_property
    def _folded_body(self) -> tuple[str, list[int]]:
        """The body folded as quotes are, with the raw offset of every folded character."""
        return _fold_with_positions(self.body)

    def line_of(self, offset: int) -> int:
        """The 1-based line of the document file that holds the body's character ``offset``."""
        return self.body_line + bisect_left(self._newlines, offset)

    @cached_property
    def _newlines(self) -> list[int]:
        return [m.start() for m in re.finditer("\n", self.body)]

    @cached_property
    def _block_starts(self) -> list[int]:
        return [block.start for block in self.blocks]

    @cached_property
    def _folded_blocks(self) -> list[tuple[str, list[int]]]:
        """Each block folded as quotes are, with the raw offset of every folded character."""
        return [_fold_with_positions(block.text) for block in self.blocks]


def _fold_with_positions(raw: str) -> tuple[str, list[int]]:
    """Fold ``raw`` as ``normalize`` does, keeping where each folded character came from."""
    norm_chars: list[str] = []
    raw_pos: list[int] = []
    prev_space = True
    for i, ch in enumerate(raw.translate(_QUOTE_MARKS)):
        if ch.isspace():
            if prev_space:
                continue
            ch = " "
            prev_space = True
        else:
            prev_space = False
        norm_chars.append(ch)
        raw_pos.append(i)
    return "".join(norm_chars), raw_pos


def parse_document(path: Path, text: str) -> Document:
    """Split a document file into its header fields and body.

    A leading byte-order mark (Windows Notepad's "UTF-8 with BOM") is dropped first: left in, it
    hides the opening ``---`` and the whole header would be read as article text.
    """
    text = text.removeprefix("\ufeff")
    meta: dict[str, str] = {}
    body, body_line = text, 1
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            for line in text[4:end].splitlines():
                key, sep, value = line.partition(":")
                if sep:
                    meta[key.strip()] = value.strip()
            body = text[end + 5 :]
            body_line = text[: end + 5].count("\n") + 1
    stripped = body.lstrip("\n")
    body_line += len(body) - len(stripped)
    return Document(path=path, meta=meta, body=stripped, body_line=body_line)


def load_document(path: Path) -> Document:
    """Read and parse a document; raises OSError or UnicodeDecodeError.

    ``utf-8-sig`` reads UTF-8 with or without a byte-order mark.
    """
    return parse_document(path, path.read_text(encoding="utf-8-sig"))
