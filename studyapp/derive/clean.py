"""Step 1, clean: split a document's body into blocks and set page furniture aside.

A document saved from the web still carries what the page put around the article: datelines,
bylines, subscribe prompts, share requests, related-article lists, copyright notes, the author's
bio. None of it is study material. Each block keeps its exact text and offset in the body, because
questions quote the body verbatim; cleaning only decides which blocks are the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH}\s+\d{{4}})\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+")
_HEADING = re.compile(r"^#{1,6}[ \t]+")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_WORDS = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*")
# A sentence's end: its stop, then any closing quotes or markup (a garbled text may close a
# quotation with an opening mark, as in 'the past. “').
SENTENCE_END = re.compile(r"[.!?][\"'“”’)\]*_]*\s*$|[.!?]\s+[\"'“”’][\"'“”’)\]*_]*\s*$")

# Phrases that only page furniture uses: prompts to act on the page, notices about the page.
FURNITURE_PHRASE = re.compile(
    r"subscribe|\bsign(?:ing)? ?up\b|mailing list|newsletter|register to receive|stay informed|"
    r"become a member|share (?:this|buttons?|on)\b|share buttons|forward this article|"
    r"cross-?post|comment on .*(?:articles?|facebook|page)|leave a (?:reply|comment)|"
    r"your email address|read the full (?:article|story)|read more\b|continue reading|"
    r"click here|view all\b|related (?:posts|articles|stories|content|reading|coverage)|"
    r"you may also like|recommended for you|most popular|copyright|©|all rights reserved|"
    r"disclaimer|terms of (?:use|service)|privacy policy|cookies?\b|featured image|"
    r"(?:image|photo|picture)s? (?:from|by|credit|courtesy)|creative commons|edited by|"
    r"original source of this article|media inquiries|translate website|drop[ -]down menu|"
    r"home ?page|follow us\b|advertisement|sponsored content|^search\b|total index|"
    r"placeholder when|all global research articles|articles by:|^tags?:|^topics?:|^region:|"
    r"^theme:|^categor(?:y|ies):|^filed under|^posted (?:in|on|by)|print this|email this|"
    r"return to (?:the )?|download (?:the )?pdf|\bwww\.|https?://|\S+@\S+\.\w{2,}",
    re.IGNORECASE,
)
# A heading after which the rest of the page lists other articles, never this one.
_RELATED_HEADING = re.compile(
    r"^(?:related(?: posts| articles| stories| content| reading)?|read (?:more|next)|"
    r"more (?:from|on|in) .*|you may also like|recommended|popular .*|further reading|"
    r"see also|latest (?:news|articles|posts))\s*:?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|author|authors|written by|posted by|words by)\b:?\s", re.IGNORECASE)
# "Seoul – ", "WASHINGTON (AP) — ": a dateline run into the first sentence of the story.
_DATELINE_PREFIX = re.compile(
    r"^[A-Z][A-Za-z.]+(?:[ ,]+[A-Z][A-Za-z.]+){0,3}(?:,? \([A-Za-z]+\))?[ \t]+[–—-]{1,2}[ \t]+"
    r"(?=[A-Z“\"0-9])"
)
# "Implications: ", "What Happened: ": a run-in label before the first sentence of a block.
_LABEL_PREFIX = re.compile(r"^[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}:[ \t]+(?=[A-Z“\"])")
_BIO = re.compile(
    r"^(?:[A-Z][\w.’'-]*\s){1,3}(?:[A-Z][\w.’'-]*)?,?\s*(?:is|was|,)\s(?:(?:a|an|the)\s)?"
    r"(?:[\w-]+,?\s){0,5}(?:PhD|Ph\.D\.|professor|fellow|candidate|researcher|director|editor|"
    r"analyst|journalist|correspondent|writer|author|lecturer|scholar|student|adviser|"
    r"consultant|contributor)",
)


@dataclass(frozen=True)
class Block:
    """A paragraph, bullet or heading of the body, verbatim, with its offset in the body.

    ``kind`` is "p" or "li" for article text, "h" for a heading or any line that is not a
    sentence (titles, link lines), and "furniture" for what the page put around the article;
    ``why`` says which rule set a block aside.
    """

    kind: str
    text: str
    start: int
    why: str = ""

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def split_blocks(body: str) -> list[Block]:
    """Cut the body into paragraphs (blank-line separated), bullets and headings."""
    blocks: list[Block] = []
    lines = body.splitlines(keepends=True)
    offset = 0
    current: list[tuple[int, str]] = []  # (offset, line) of the block being read
    current_kind = "p"

    def flush() -> None:
        nonlocal current
        if current:
            first_start = current[0][0]
            last_start, last = current[-1]
            end = last_start + len(last.rstrip("\r\n"))
            text = body[first_start:end]
            lead = len(text) - len(text.lstrip())
            text = text.strip()
            if text:
                kind = current_kind
                if kind == "p" and _heading_like(text):
                    kind = "h"
                blocks.append(Block(kind, text, first_start + lead))
        current = []

    for line in lines:
        start = offset
        offset += len(line)
        stripped = line.strip()
        if not stripped:
            flush()
            current_kind = "p"
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if heading:
            flush()
            current_kind = "h"
            current = [(start + heading.end(), line[heading.end() :])]
            flush()
            current_kind = "p"
            continue
        if bullet and not (current_kind == "p" and current and _starts_lower(line[bullet.end() :])):
            flush()
            current_kind = "li"
            current = [(start + bullet.end(), line[bullet.end() :])]
            continue
        if current_kind == "li" and current and line[:1] not in " \t":
            flush()
            current_kind = "p"
        current.append((start, line))
    flush()
    return blocks


def _heading_like(text: str) -> bool:
    """A single short line that does not end a sentence: a heading, a title or a link line."""
    return "\n" not in text and not SENTENCE_END.search(text) and len(_WORDS.findall(text)) <= 20


def _starts_lower(text: str) -> bool:
    return text[:1].islower()


def furniture_reason(text: str) -> str | None:
    """Why a block is page furniture, or None when it may be article text."""
    if not _WORDS.search(text):
        return "no words"
    plain = _LINK.sub(r"\1", text)
    words = _WORDS.findall(plain)
    if _BYLINE.match(plain) and len(words) <= 10:
        return "byline"
    if _DATE.search(plain) and len(_WORDS.findall(_DATE.sub(" ", plain))) <= 6:
        return "dateline"
    if re.search(r"(?:\.\.\.|…)\s*$", text):
        return "teaser"
    linked = sum(len(m.group(0)) for m in _LINK.finditer(text))
    if linked and linked >= 0.4 * len(text):
        return "link list"
    m = FURNITURE_PHRASE.search(plain)
    if m is not None:
        return f"furniture phrase '{m.group(0).strip()}'"
    return None


def _sentence_count(text: str) -> int:
    return max(1, len(re.findall(r"[.!?][\"'”’]?\s+(?=[A-Z“\"])", text)) + 1)


def classify(blocks: list[Block]) -> list[Block]:
    """Mark the furniture among ``blocks``; article blocks keep their kind."""
    out: list[Block] = []
    related = False
    for block in blocks:
        if related:
            out.append(replace(block, kind="furniture", why="after a related-articles heading"))
            continue
        if block.kind == "h" and _RELATED_HEADING.match(_LINK.sub(r"\1", block.text)):
            related = True
            out.append(replace(block, kind="furniture", why="related-articles heading"))
            continue
        why = furniture_reason(block.text)
        # A long article paragraph may mention a newsletter or a copyright in passing: only a
        # short block, or one that opens with the phrase, is furniture as a whole.
        if why and why.startswith("furniture phrase") and block.kind != "h":
            phrase = FURNITURE_PHRASE.search(_LINK.sub(r"\1", block.text))
            assert phrase is not None
            if _sentence_count(block.text) > 3 and phrase.start() > 120:
                why = None
        if why:
            out.append(replace(block, kind="furniture", why=why))
        else:
            out.append(block)
    # A paragraph cut in two by a stray blank line: its first half ends without a stop and looks
    # like a heading, but the next block carries on in lower case.
    for i in range(len(out) - 1):
        if out[i].kind == "h" and out[i + 1].kind in ("p", "li") and out[i + 1].text[:1].islower():
            out[i] = replace(out[i], kind="p")
    _mark_trailing_bio(out)
    _trim_first_paragraph(out)
    return out


def _mark_trailing_bio(blocks: list[Block]) -> None:
    """An author's bio closes many pages: a paragraph among the last furniture that reads like
    one ("X is a PhD candidate", "X, PhD in History, research fellow") is furniture too."""
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if block.kind in ("furniture", "h"):
            continue
        if block.kind == "p" and _BIO.match(_LINK.sub(r"\1", block.text)):
            blocks[i] = replace(block, kind="furniture", why="author's bio")
            continue
        break


def _trim_first_paragraph(blocks: list[Block]) -> None:
    """Drop a dateline run into the story's first sentence and run-in labels ("Context: ")."""
    first = True
    for i, block in enumerate(blocks):
        if block.kind not in ("p", "li"):
            continue
        m = _DATELINE_PREFIX.match(block.text) if first else None
        first = False
        if m is None:
            m = _LABEL_PREFIX.match(block.text)
        if m is not None:
            blocks[i] = replace(block, text=block.text[m.end() :], start=block.start + m.end())


def clean(body: str) -> list[Block]:
    """The article's blocks (paragraphs, bullets, headings) in order, furniture left out."""
    return [b for b in classify(split_blocks(body)) if b.kind != "furniture"]


def find_title(body: str) -> str | None:
    """The document's title line, for a document without a ``---`` header.

    A Markdown ``# `` heading wins; otherwise the heading-like line before the article that a
    byline or dateline follows, else the first such line.
    """
    for line in body.splitlines():
        if re.match(r"^#[ \t]+\S", line):
            return _LINK.sub(r"\1", line[1:]).strip().strip("*_ ")
    blocks = classify(split_blocks(body))
    candidates: list[int] = []
    for i, block in enumerate(blocks):
        if block.kind in ("p", "li"):
            break
        if block.kind == "h" and _title_like(block.text):
            candidates.append(i)
    for i in candidates:
        following = blocks[i + 1 : i + 3]
        if any(b.why in ("byline", "dateline") for b in following):
            return _plain_title(blocks[i].text)
    return _plain_title(blocks[candidates[0]].text) if candidates else None


def _title_like(text: str) -> bool:
    words = _WORDS.findall(_LINK.sub(r"\1", text))
    return 3 <= len(words) <= 25 and text[:1].isupper() and "\n" not in text


def _plain_title(text: str) -> str:
    return re.sub(r"\s+", " ", _LINK.sub(r"\1", text).replace("**", "")).strip()
