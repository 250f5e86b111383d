"""Names in a sentence, typed as people, organisations and places by the words around them.

A name is a run of capitalised words separated by spaces only, split where a title ends ("Foreign
Minister | Wang Yi"), where "and" joins two names ("China | Russia") and after an adjective
("Chinese | President"). Its kind comes from itself and its neighbours (see ``lexicon``) and then
from the whole document: a name typed once is typed everywhere, a person's surname alone is that
person, and a name listed with people is a person.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import lexicon as lx
from .words import zipf

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W_]+(?:[-+&][^\W_]+)*")
_CONNECTORS = frozenset({"of", "for", "on", "and", "the", "&", "de", "du", "von", "van", "al"})
_TITLE_WORDS = frozenset(
    """Foreign Prime Vice Deputy Defense Defence Finance Trade National Security Chief Senior
    Former Acting Interior Home Unification Executive Assistant General Supreme State
    Economic""".split()
)
_IGNORE = frozenset("PhD Ph.D I Mr Mrs Ms Dr Internet Web OK".split())
# Words that are a name only with another ("North Korea"); alone, "the North" is a direction.
DIRECTIONS = frozenset("North South East West Northern Southern Eastern Western Central".split())
_EVENT_TAILS = frozenset("War Revolution Crisis Olympics Games Uprising Incident Accord".split())
_PLACE_TAILS = frozenset(
    """Peninsula Sea Strait Ocean River Province Island Islands Mountains Mountain City Valley
    Bay Gulf Asia Europe Africa America East Coast Border Zone Canal Lake Desert""".split()
)
_PLACE_BEFORE = frozenset("in visited visiting visit to from across throughout near".split())


@dataclass
class Name:
    """A capitalised run in one sentence, before the document-wide typing."""

    sentence: int
    start: int
    end: int
    text: str
    kind: str | None = None
    sub: str = ""
    votes: Counter[str] = field(default_factory=Counter)


def _tokens(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _TOKEN.finditer(text):
        out.append((m.start(), m.end(), m.group(0)))
    return out


def _is_cap(token: str) -> bool:
    return token[:1].isupper() or (token[:1].isdigit() and any(c.isupper() for c in token))


def _acronym(token: str) -> bool:
    letters = token.replace(".", "").replace("-", "")
    strong = sum(c.isupper() or c.isdigit() for c in letters)
    return len(letters) >= 2 and letters[0].isupper() and strong >= max(2, len(letters) - 2)


def _capitalised_runs(text: str, sentence: int, mid_caps: set[str]) -> list[Name]:
    """Runs of capitalised tokens separated only by spaces, split at roles and adjectives."""
    toks = _tokens(text)
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for i, (s, e, tok) in enumerate(toks):
        gap = text[current[-1][1] : s] if current else ""
        possessive = text[e : e + 2] in ("’s", "'s") or text[e : e + 1] in ("’", "'")
        joinable = not current or gap == " "
        # The first word of a sentence, of a quotation or after a colon is capitalised anyway.
        sentence_start = s == 0 or bool(re.search(r"(?:^|[“\"‘(:])[\s“\"‘'(]*$", text[:s]))
        if _is_cap(tok) and tok not in _IGNORE:
            next_cap = i + 1 < len(toks) and _is_cap(toks[i + 1][2]) and text[e : e + 1] == " "
            if sentence_start and _common_word(tok, mid_caps, next_cap):
                if current:
                    runs.append(current)
                current = []
                continue
            if not joinable:
                runs.append(current)
                current = []
            current.append((s, e, tok))
            if possessive or (tok.endswith(".") and "." in tok[:-1]):
                # A possessive ends a name; so does an abbreviation ("Washington, D.C. Chung").
                runs.append(current)
                current = []
        elif current and tok in _CONNECTORS and gap == " " and text[e : e + 1] == " ":
            current.append((s, e, tok))
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    names: list[Name] = []
    for run in runs:
        for part in _split_run(run):
            while part and part[-1][2] in _CONNECTORS:
                part = part[:-1]
            while part and part[0][2] in _CONNECTORS | {"The"}:
                part = part[1:]
            if part:
                start, end = part[0][0], part[-1][1]
                names.append(Name(sentence, start, end, text[start:end]))
    return names


def _common_word(token: str, mid_caps: set[str], next_cap: bool) -> bool:
    """A sentence's first word is a name only if the document capitalises it elsewhere too, it
    is rare as an ordinary English word ("Pyongyang"), or a less common word begins a run of
    capitalised words ("Zhang Jun, China's ambassador", but not "Despite UN sanctions")."""
    if token in mid_caps or token.casefold() in lx.COUNTRY_BY_NAME or _acronym(token):
        return False
    frequency = zipf(token)
    return frequency >= (4.5 if next_cap else 3.0)


def _split_run(run: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Split a capitalised run at connectors that join two names ("China and Russia"), at
    titles ("Foreign Minister | Wang Yi") and at adjectives ("Chinese | Foreign Minister")."""
    # Connectors stay inside only where an organisation's name needs them.
    parts: list[list[tuple[int, int, str]]] = [[]]
    for i, tok in enumerate(run):
        w = tok[2]
        if w in _CONNECTORS:
            left = [t for _, _, t in parts[-1]]
            right = []
            for _, _, t in run[i + 1 :]:
                if t in _CONNECTORS:
                    if t == "the":
                        continue
                    break
                right.append(t)
            keep = (w in {"of", "for", "on", "the", "de", "du", "von", "van", "al"}) and any(
                t in lx.ORG_HEAD for t in left
            )
            keep = keep or (
                w in {"and", "&"} and bool(right) and right[-1] in lx.ORG_TAIL and len(right) <= 2
            )
            keep = keep or (w == "of" and bool(right) and right[-1] in lx.ORG_TAIL)
            if keep:
                parts[-1].append(tok)
            else:
                parts.append([])
            continue
        parts[-1].append(tok)
    out: list[list[tuple[int, int, str]]] = []
    for part in parts:
        out.extend(_split_titles(part))
    return [p for p in out if p]


def _split_titles(part: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    roles = [i for i, (_, _, t) in enumerate(part) if t.casefold() in lx.ROLE_WORDS]
    if not roles or any(t in lx.ORG_TAIL for _, _, t in part[roles[-1] + 1 :]):
        return [_drop_adjectives(part)]
    r = roles[-1]
    first = roles[0]
    while first > 0 and part[first - 1][2] in _TITLE_WORDS:
        first -= 1
    before, after = part[:first], part[r + 1 :]
    out = []
    if before:
        out.append(_drop_adjectives(before))
    if after:
        out.append(after)
    return out


def _drop_adjectives(part: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """An adjective before a name ("Chinese", "South Korean") describes it and is not part of
    it, unless the whole is one name ("Korean Peninsula", "Korean War")."""
    full = " ".join(t for _, _, t in part)
    if not part or full in lx.REGIONS or part[-1][2] in lx.ORG_TAIL | _PLACE_TAILS | _EVENT_TAILS:
        return part
    while part and (
        part[0][2] in lx.ADJECTIVES
        or (len(part) > 1 and " ".join(t for _, _, t in part[:2]) in lx.ADJECTIVES)
    ):
        if len(part) > 1 and " ".join(t for _, _, t in part[:2]) in lx.ADJECTIVES:
            part = part[2:]
        else:
            part = part[1:]
    if part and " ".join(t for _, _, t in part) in lx.ADJECTIVES:
        return []
    return part


def _local_kind(text: str, name: Name) -> tuple[str | None, str]:
    """Type a name from itself and the words next to it; None when nothing tells."""
    words = name.text.split()
    last = words[-1]
    before = text[: name.start].rstrip(" ,")
    prev_words = re.findall(r"[\w’'-]+", before)[-3:]
    prev = prev_words[-1].casefold() if prev_words else ""
    after = text[name.end :]
    nxt = re.match(r"\W*?([\w-]+)", after)
    next_word = nxt.group(1).casefold() if nxt and not after.startswith(("’", "'")) else ""
    if any(ch in name.text for ch in "-") and _compound(name.text):
        return None, "compound"
    folded = name.text.casefold()
    country = lx.COUNTRY_BY_NAME.get(folded)
    if country is not None:
        return "place", "capital" if name.text in lx.CAPITALS else "country"
    if name.text in lx.REGIONS:
        return "place", "region"
    if name.text in lx.CITIES:
        return "place", "city"
    if (len(words) > 1 and last in lx.ORG_TAIL) or (
        len(words) > 2 and any(w in lx.ORG_HEAD for w in words)
    ):
        return "organisation", lx.organisation_sort(words)
    if len(words) > 1 and last in _PLACE_TAILS:
        return "place", "region"
    if len(words) > 1 and last in _EVENT_TAILS:
        return "name", "event"
    if len(words) > 2 and re.match(r" \([A-Z][A-Z0-9-]+\)", after):
        return "term", "expansion"  # "Terminal High Altitude Area Defense (THAAD)"
    if len(words) == 1 and _acronym(name.text):
        return "acronym", "acronym"
    if re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+-[a-z]+\b", name.text):
        return "person", "person"  # Korean names: "Chung Eui-yong", "Moon Jae-in"
    if prev in lx.ROLE_WORDS or (before.endswith(",") and prev in lx.ROLE_WORDS):
        return "person", "person"
    if after.startswith(", ") and any(
        w.casefold() in lx.ROLE_WORDS for w in re.findall(r"[\w-]+", after[2:])[:5]
    ):
        return "person", "person"  # "Andrei Lankov, a professor of Korean studies"
    if next_word in lx.GOVERNMENT_WORDS:
        # "the Kim government", "the Abe leadership": a person, but a garbled text says "the
        # Yunnan government" too, so this alone does not make a name a safe distractor.
        return "person", "person-weak"
    if next_word in lx.AFTER_PERSON or prev in lx.BEFORE_PERSON:
        return "person", "person"
    if " ".join(prev_words[-2:]).casefold() == "according to":
        return "person", "person"
    if re.match(r",\s(?:" + "|".join(c.name for c in lx.COUNTRIES) + r")\b(?![’'])", after):
        return "place", "city"  # "Xiamen, China"
    if prev in _PLACE_BEFORE and len(words) <= 2:
        return "place", "city"
    return None, ""


def _compound(text: str) -> bool:
    """A hyphenated compound of names ("US-ROK", "Sino-US", "Xi-Park"): an adjective."""
    for token in text.split():
        if "-" not in token:
            continue
        parts = token.split("-")
        if all(p[:1].isupper() for p in parts if p):
            return True
        if parts[0].casefold() in lx.COMPOUND_PREFIXES:
            return True
    return False


def find_names(texts: Sequence[str], taken: Sequence[Sequence[tuple[int, int]]]) -> list[Name]:
    """The names of every sentence (skipping the ``taken`` spans), typed across the document."""
    mid_caps: set[str] = set()
    for text in texts:
        tokens = _tokens(text)
        for (_, prev_end, prev), (start, _, tok) in zip(tokens, tokens[1:], strict=False):
            # Count a word that starts a name mid-sentence ("with Beijing"), not one inside a
            # longer name ("Marine Research"), which says nothing of the word alone.
            inside = _is_cap(prev) and text[prev_end:start] == " "
            if _is_cap(tok) and not inside and not re.search(r"[.!?:“\"]\s*$", text[:start]):
                mid_caps.add(tok)
    names: list[Name] = []
    for i, text in enumerate(texts):
        for name in _capitalised_runs(text, i, mid_caps):
            if any(name.start < e and s < name.end for s, e in taken[i]):
                continue
            name.kind, name.sub = _local_kind(text, name)
            names.append(name)
    _type_lists(names, texts)
    _type_across_document(names)
    return names


def _type_lists(names: list[Name], texts: Sequence[str]) -> None:
    """A name listed with people is a person ("Suh Hoon, Jake Sullivan and Shigeru Kitamura")."""
    for a, b in zip(names, names[1:], strict=False):
        if a.sentence != b.sentence or texts[a.sentence][a.end : b.start] not in LIST_GAPS:
            continue
        if a.kind == "person" and b.kind is None:
            b.kind, b.sub = "person", "person"
        elif b.kind == "person" and a.kind is None:
            a.kind, a.sub = "person", "person"


LIST_GAPS = (", ", " and ", ", and ")


def _type_across_document(names: list[Name]) -> None:
    """Give a name the kind it has elsewhere in the document; a person's surname or given
    name on its own ("Xi", "Lankov") is that person."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    subs: dict[tuple[str, str], str] = {}
    for n in names:
        if n.kind:
            votes[n.text][n.kind] += 1
            if subs.get((n.text, n.kind)) != "person":  # strong evidence wins
                subs[(n.text, n.kind)] = n.sub
    person_parts: set[str] = set()
    for text, counter in votes.items():
        if counter.most_common(1)[0][0] == "person":
            for part in re.split(r"[\s]", text):
                if part[:1].isupper() and part not in lx.ADJECTIVES:
                    person_parts.add(part)
    for n in names:
        if n.sub == "compound":
            continue
        if n.text in votes:
            kind = votes[n.text].most_common(1)[0][0]
            if n.kind is None or (n.kind != kind and votes[n.text][kind] > 1):
                n.kind, n.sub = kind, subs[(n.text, kind)]
        elif n.kind is None and n.text in person_parts:
            n.kind, n.sub = "person", "person"
        elif n.kind is None and n.text.split()[-1] in person_parts:
            n.kind, n.sub = "person", "person"
