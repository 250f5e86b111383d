"""The check rules for quotes: each question's passage must be a verbatim, unambiguous run of
whole words within one paragraph of its document, and a cloze must hide words of its quote.

When a quote is not found, the problem says where it first differs from the closest passage,
so an instructor sees the one changed word rather than a whole sentence to compare by eye.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

from . import cloze
from .documents import Document, normalize
from .located import Locate, fold_option, nowhere, problem_at, question_name
from .model import Question
from .problems import Problem


def quote_problems(
    qs: Sequence[Question], doc: Document | None, path: str, locate: Locate = nowhere
) -> Iterator[Problem]:
    """Quotes that are not a passage of one paragraph of the document.

    A quote must be verbatim, and within one paragraph (or heading, or bullet): the reading
    view and the feedback frame and highlight a quote inside its paragraph, and cannot show
    one that runs across a paragraph break, though its words are all in the document. That one
    is ``quote-across-paragraphs``, apart from ``quote-not-found``: its fix is to shorten the
    quote, not to correct its words.
    """
    if doc is None:
        return
    for q in qs:
        if not q.quote:
            continue
        found = doc.locate(q.quote)
        if found is not None:
            lines = _quote_lines(doc, q.quote)
            if len(lines) > 1:
                yield _ambiguous(path, q, doc, lines)
            cut = _cut_word(path, q, doc.blocks[found[0]].text, found[1], found[2], locate)
            if cut is not None:
                yield cut
            continue
        spanned = doc.blocks_spanned(q.quote)
        if len(spanned) > 1:
            yield _across_paragraphs(path, q, doc, spanned)
        elif not spanned:
            yield _not_found(path, q, doc, locate)


def _cut_word(
    path: str, q: Question, text: str, start: int, end: int, locate: Locate
) -> Problem | None:
    """A quote that starts or ends inside a word of the document (``text[start:end]``).

    Quotes are matched as text, so "lations" is found in "relations"; but the reading view
    would highlight part of a word, and a quote cut so is almost always a slip of the mouse
    when copying. Reported as ``quote-not-found``: no passage of whole words is the quote.
    """
    starts_inside = 0 < start < end and _in_word(text[start - 1]) and _in_word(text[start])
    ends_inside = start < end < len(text) and _in_word(text[end - 1]) and _in_word(text[end])
    if not (starts_inside or ends_inside):
        return None
    first_start, first_end = _word_at(text, start)
    last_start, last_end = _word_at(text, end - 1)
    first_word, last_word = text[first_start:first_end], text[last_start:last_end]
    if first_start == last_start and starts_inside and ends_inside:
        what = f"quote is only part of the word '{first_word}' in the document"
        hint = f"quote whole words: '{first_word}'"
    else:
        cuts, fixes = [], []
        if starts_inside:
            cuts.append(f"begins '{text[start:first_end]}' where the document has '{first_word}'")
            fixes.append(f"start it with '{first_word}'")
        if ends_inside:
            cuts.append(f"ends '{text[last_start:end]}' where the document has '{last_word}'")
            fixes.append(f"end it with '{last_word}'")
        where = "starts and ends" if len(cuts) == 2 else "starts" if starts_inside else "ends"
        what = f"quote {where} in the middle of a word: it {' and '.join(cuts)}"
        hint = f"quote whole words: {' and '.join(fixes)}"
    offset = 0 if starts_inside else len(q.quote) - 1
    line, col = locate(q, "quote", offset) or q.pos.get("quote", (q.line, 1))
    return Problem(path, line, col, "quote-not-found", f"{question_name(q)}: {what}", hint)


def _word_at(text: str, i: int) -> tuple[int, int]:
    """The (start, end) of the run of letters and digits around ``text[i]``."""
    start, end = i, i + 1
    while start > 0 and _in_word(text[start - 1]):
        start -= 1
    while end < len(text) and _in_word(text[end]):
        end += 1
    return start, end


# Scripts whose words are not set apart by spaces (Chinese, Japanese kana), or whose nouns take
# their particles unspaced (Korean: "한국" is quoted out of "한국은"): no cut there is a slip.
_UNSPACED = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


def _in_word(c: str) -> bool:
    """Whether ``c`` continues a word that a quote must not cut: a letter or digit of a spaced
    script, not a superscript footnote mark ("Policy¹")."""
    return c.isalnum() and unicodedata.category(c) != "No" and not _UNSPACED.match(c)


def _not_found(path: str, q: Question, doc: Document, locate: Locate) -> Problem:
    """A quote that is not in the document, pointed at its first word that differs.

    An instructor compares a long quote with the reading word by word; saying where the two
    part (and placing the caret there) spares that search. When no place in the document
    agrees with enough of the quote to say so (``_first_difference``), the problem stays at
    the key with the closest passage alone.
    """
    closest = doc.closest_passage(q.quote)
    hint = f'closest passage: "{closest}"' if closest else None
    message = f"quote is not in {doc.name}"
    line, col = q.pos.get("quote", (q.line, 1))
    words = normalize(q.quote).split(" ")
    differs = _first_difference(doc.normalized.split(" "), words)
    if differs is not None:
        index, said = differs
        upto = ("... " if index > 6 else "") + " ".join(words[max(0, index - 6) : index])
        if index:
            message += f": it matches the document up to '{upto}', then {said}"
        else:
            message += f": at its first word {said}"
        # normalize() changes only whitespace and quote marks, one for one: the quote's n-th
        # run of non-blanks is its n-th word.
        spans = list(re.finditer(r"\S+", q.quote))
        if index < len(spans):
            line, col = locate(q, "quote", spans[index].start()) or (line, col)
    return Problem(path, line, col, "quote-not-found", f"{question_name(q)}: {message}", hint)


def _first_difference(doc_words: Sequence[str], words: Sequence[str]) -> tuple[int, str] | None:
    """Where the quote ``words`` part from the document ``doc_words``, and how, in words.

    Each place whose word is the quote's first (or ends with it: a quote may begin inside a
    word), or whose next word is the quote's second, is followed until the words differ. The
    quote's words after that are lined up with the document's again, as if one word was
    changed, added or left out, and the place that agrees with most words wins. Returns the
    index of the quote's first differing word and what the document has there, or None when
    no place agrees with at least half of the quote (or three words in a row): then the words
    in common are chance, not the passage meant.
    """
    best: tuple[int, int, str] | None = None  # (words that agree, words in a row, said)
    for j, word in enumerate(doc_words):
        if word.endswith(words[0]):
            run = 1
        elif len(words) > 1 and doc_words[j + 1 : j + 2] == [words[1]]:
            run = 0  # the first word differs, the second agrees: a slip in the first
        else:
            continue
        while run < len(words) and j + run < len(doc_words) and doc_words[j + run] == words[run]:
            run += 1
        if run == len(words):
            continue
        if j + run == len(doc_words):
            found = (run, run, f"the document ends where the quote goes on with '{words[run]}'")
        else:
            have, put = doc_words[j + run], words[run]
            # (words of the quote, words of the document) the difference takes up; on a tie
            # the first reading, a changed word, is the likeliest.
            readings = (
                ((1, 1), f"the document has '{have}' where the quote has '{put}'"),
                ((1, 0), f"the quote has '{put}', which the document does not"),
                ((0, 1), f"the document has '{have}', which the quote leaves out"),
            )
            found = max(
                [
                    (run + _same(words[run + a :], doc_words[j + run + b :]), run, said)
                    for (a, b), said in readings
                ],
                key=lambda reading: reading[0],
            )
        if best is None or found[:2] > best[:2]:
            best = found
    if best is None or best[0] < 2 or (best[0] * 2 < len(words) and best[1] < 3):
        return None
    return best[1], best[2]


def _same(a: Sequence[str], b: Sequence[str]) -> int:
    """How many words two word lists share at the same positions."""
    return sum(x == y for x, y in zip(a, b, strict=False))


def _quote_lines(doc: Document, quote: str) -> list[int]:
    """The document line of every place ``quote`` is found (``Document.places``)."""
    return [doc.line_of(offset) for offset in doc.places(quote)]


def _ambiguous(path: str, q: Question, doc: Document, lines: Sequence[int]) -> Problem:
    """A quote found in several places: the reading view and the feedback show the first."""
    times = "twice" if len(lines) == 2 else f"{len(lines)} times"
    distinct: list[object] = sorted(set(lines))
    if len(distinct) > 6:
        distinct = [*distinct[:5], f"{len(distinct) - 5} more"]
    where = f"line {distinct[0]}" if len(distinct) == 1 else f"lines {_and(distinct)}"
    return problem_at(
        path,
        q,
        "quote",
        "quote-ambiguous",
        f"quote is found {times} in {doc.name}, on {where}: students are shown the first as "
        "the source",
        "lengthen the quote until it names one passage",
    )


def _and(items: Sequence[object]) -> str:
    """``9 and 14``, ``9, 11 and 14``: a few items in words."""
    shown = [str(i) for i in items]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def cloze_quote_problems(
    qs: Sequence[Question], doc: Document | None, path: str, locate: Locate = nowhere
) -> Iterator[Problem]:
    """Cloze deletions whose hidden text is not in the quote that quotes their place.

    The quote is the passage that proves the answer, so where it quotes the sentence around a
    deletion, the hidden text (or one of its accepted forms, where the reading words it
    otherwise: 'Kookmin' hidden, 'Kukmin' quoted) is in it. One that is not is usually a fact
    changed by mistake, ``in {{c1::nine months}}`` against a quote saying "in eight months",
    which students would learn wrong. A quote that stops short of a deletion (it quotes the
    words that lead up to "high-level exchanges", not those words) proves nothing about it
    either way, so a deletion is judged only where the quote reaches its place (see
    ``_quote_reaches``). Compared as quotes are matched (whitespace and quote marks folded),
    ignoring case.
    """
    for q in qs:
        if q.type != "cloze" or not q.text or not q.quote:
            continue
        quote = fold_option(q.quote)
        forms = dict(q.cloze_accept)
        for d in cloze.parse(q.text)[0]:
            accepted = forms.get(d.number, ())
            if any(fold_option(f) in quote for f in (d.answer, *accepted)):
                continue
            before = fold_option(cloze.plain(q.text[: d.start])).split()
            after = fold_option(cloze.plain(q.text[d.end :])).split()
            if not _quote_reaches(quote, before[-3:], after[:3]):
                continue
            nor = ", nor is any of its accept forms" if accepted else ""
            line, col = locate(q, "text", d.start) or q.pos.get("text", (q.line, 1))
            yield Problem(
                path,
                line,
                col,
                "cloze-not-in-quote",
                f"{question_name(q)}: hidden text '{d.answer}' (c{d.number}) is not in the quote{nor}, "
                "which quotes the words around it",
                "check the hidden text against the reading; if the quote words it otherwise, "
                f"add the quote's wording to 'accept' under c{d.number}",
            )


def _quote_reaches(quote: str, before: Sequence[str], after: Sequence[str]) -> bool:
    """Whether the quote quotes the place of a deletion, between the words ``before`` it and
    ``after`` it (up to three each, folded): those before are in the quote with more of it
    after them, or those after with more of it before them. One word ("in", "the") is too
    common to place anything: a side needs two.
    """
    if len(before) >= 2:
        words = " ".join(before)
        at = quote.find(words)
        while at >= 0:
            if quote[at + len(words) :].strip():
                return True
            at = quote.find(words, at + 1)
    if len(after) >= 2:
        at = quote.find(" ".join(after))
        while at >= 0:
            if quote[:at].strip():
                return True
            at = quote.find(" ".join(after), at + 1)
    return False


_BLOCK_NAMES = {"p": "paragraph", "h2": "heading", "li": "bullet"}


def _across_paragraphs(path: str, q: Question, doc: Document, spanned: Sequence[int]) -> Problem:
    """A quote that runs across paragraphs, with the words that start the next one."""
    count = "two" if len(spanned) == 2 else str(len(spanned))
    block = doc.blocks[spanned[1]]
    words = block.text.split()
    opening = " ".join(words[:6]) + (" ..." if len(words) > 6 else "")
    return problem_at(
        path,
        q,
        "quote",
        "quote-across-paragraphs",
        f"quote runs across {count} paragraphs of {doc.name}: quote from one paragraph only",
        f'a new {_BLOCK_NAMES[block.kind]} starts at "{opening}"; the reading view highlights a '
        "quote within one paragraph",
    )
