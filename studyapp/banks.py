"""Load question banks from YAML into typed objects, reporting every problem with its position.

This is the one loader: ``studyapp check``, the server and the exporters all call ``load_bank``.
It parses with PyYAML's libyaml composer (``yaml.compose`` with ``CSafeLoader``), which keeps a
line and column on every node and, unlike ``yaml.load``, keeps both copies of a duplicated key so
that we can report it. We build questions from the nodes ourselves instead of constructing plain
Python values first: that keeps positions and costs less than PyYAML's own constructor.

Around it: ``yaml_nodes`` reads values out of the nodes, ``bank_source`` decodes the file's bytes,
``yaml_errors`` words syntax errors, and ``bank_keys`` lists the keys each question type takes.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import check
from .bank_keys import (
    BANK_KEYS,
    COMMON_KEYS,
    DELETION_KEY,
    ID_PATTERN,
    OPTIONAL_BY_TYPE,
    REQUIRED_COMMON,
    TYPE_KEYS,
)
from .bank_source import _control_characters, _decode
from .documents import Document, load_document
from .model import QUESTION_TYPES, Bank, Question
from .problems import Problem, source_lines
from .yaml_errors import _syntax_problem
from .yaml_nodes import (
    _NULL,
    _forgot_dash,
    _merged_at,
    _Walker,
    bank_key_hint,
    missing_key_hint,
    twin_key_hint,
)

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same results
    _Loader = yaml.SafeLoader


@dataclass
class LoadResult:
    """What loading one bank file gave: the bank if it is clean, and every problem found."""

    path: Path
    bank: Bank | None
    problems: list[Problem] = field(default_factory=list)
    questions: int = 0
    source: str = ""


def _did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _read_question(
    w: _Walker, bank_id: str, node: yaml.Node, taken: dict[str, int] | None = None
) -> tuple[Question | None, bool]:
    """Read one question, and whether it is complete (fit for the bank).

    ``taken`` maps the ids written in the bank to their lines, so that the id suggested for an
    invalid one is never an id another question already has.

    A question with an id but a key missing, a value unreadable or an unknown type is still
    returned, incomplete, with what could not be read left empty: the checks skip what a
    question lacks, so its other problems (a reused id, a quote not in the document) are
    reported in the same run instead of after the first one is fixed. One without a readable
    id is returned with an empty id (the checks then name it by its line) and is never complete.
    """
    label = f"the question on line {node.start_mark.line + 1}"  # as ``check`` names it
    if not isinstance(node, yaml.MappingNode):
        w.problem(
            node, "wrong-type", f"{label} should be a mapping of keys such as 'id' and 'type'"
        )
        return None, False
    for key_node, value_node in node.value:
        if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
            if value_node.value.strip():
                label = f"question '{value_node.value.strip()}'"
            break
    merged_at = _merged_at(node)
    entries = {key: (key_node, value) for key, key_node, value in w.items(node, label, merged_at)}
    qtype = None
    if "type" in entries:
        type_node = entries["type"][1]
        raw = w.text(type_node, label, "type")
        if raw is not None and raw not in QUESTION_TYPES:
            w.problem(
                type_node,
                "unknown-type",
                f"{label}: type '{raw}' is not one of {', '.join(QUESTION_TYPES)}",
                _did_you_mean(raw, QUESTION_TYPES),
            )
        elif raw is not None:
            qtype = raw
    allowed = dict(COMMON_KEYS) | (TYPE_KEYS[qtype] if qtype else {})
    lines = {key: key_node.start_mark.line + 1 for key, (key_node, _) in entries.items()}
    values: dict[str, object] = {}
    pos: dict[str, tuple[int, int]] = {}
    for key, (key_node, value) in entries.items():
        if key not in allowed:
            if qtype is None and any(key in keys for keys in TYPE_KEYS.values()):
                continue  # cannot judge type-specific keys without a valid type
            owners = [t for t, keys in TYPE_KEYS.items() if key in keys]
            hint = _did_you_mean(key, allowed)
            if owners:
                belongs = f"'{key}' belongs to {' and '.join(owners)} questions"
                hint = f"{belongs}; {hint}" if hint else belongs
            hint = _forgot_dash(key_node, merged_at) or twin_key_hint(key, qtype, lines) or hint
            w.problem(key_node, "unknown-key", f"{label}: unknown key '{key}'", hint)
            continue
        kind = allowed[key]
        pos[key] = _pos(value)
        if kind in ("text", "type"):
            list_hint = None
            if key == "answer" and qtype == "choice":
                list_hint = (
                    "several right answers make it a multi question: write 'type: multi' and "
                    "rename 'answer:' to 'answers:'"
                )
            values[key] = w.text(value, label, key, list_hint)
        elif kind == "id":
            raw = w.text(value, label, key)
            if raw is not None and not ID_PATTERN.match(raw):
                w.problem(
                    value,
                    "invalid-id",
                    f"{label}: id '{raw}' may hold only lowercase letters, digits and hyphens",
                    _id_hint(raw, taken or {}),
                )
                raw = None
            values[key] = raw
        elif kind == "bool":
            values[key] = w.boolean(value, label, key)
        elif kind == "list":
            if isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    pos[f"{key}[{i}]"] = _pos(item)
            values[key] = w.strings(value, label, key)
        elif kind == "forms":
            values[key] = _read_forms(w, value, label, pos)
    required = list(REQUIRED_COMMON)
    if qtype:
        optional = OPTIONAL_BY_TYPE.get(qtype, set())
        required += [k for k in TYPE_KEYS[qtype] if k not in optional]
    missing = [k for k in required if k not in entries]
    for key in missing:
        hint = missing_key_hint(key, qtype, lines)
        w.problem(node, "missing-key", f"{label}: missing '{key}'", hint)
    complete = (
        not missing and qtype is not None and all(values.get(k) is not None for k in required)
    )
    forms = values.get("accept") or ()
    answer = values.get("answer")
    if isinstance(answer, bool):
        answer = "true" if answer else "false"
    question = Question(
        bank_id=bank_id,
        id=str(values.get("id") or ""),
        type=qtype or "",
        prompt=str(values.get("prompt") or ""),
        answer=str(answer or ""),
        answers=tuple(values.get("answers") or ()),  # type: ignore[arg-type]
        distractors=tuple(values.get("distractors") or ()),  # type: ignore[arg-type]
        accept=() if qtype == "cloze" else tuple(forms),  # type: ignore[arg-type]
        cloze_accept=tuple(forms) if qtype == "cloze" else (),  # type: ignore[arg-type]
        text=str(values.get("text") or ""),
        quote=str(values.get("quote") or ""),
        explain=str(values.get("explain") or ""),
        tags=tuple(values.get("tags") or ()),  # type: ignore[arg-type]
        draft=bool(values.get("draft") or False),
        line=node.start_mark.line + 1,
        pos=pos,
    )
    w.values[id(question)] = {
        key: value for key, (_, value) in entries.items() if isinstance(value, yaml.ScalarNode)
    }
    return question, complete


def _read_forms(
    w: _Walker, node: yaml.Node, label: str, pos: dict[str, tuple[int, int]]
) -> tuple[tuple[int, tuple[str, ...]], ...] | None:
    """A cloze's ``accept`` mapping (``c1: [form, ...]``) as (number, forms) pairs by number.

    The shape is judged here, where the nodes are; whether each number is a deletion of the
    text, and whether a form repeats its answer, is for ``check.accept_problems``. Positions go
    into ``pos`` as ``accept.c1`` (the key) and ``accept.c1[0]`` (each form).
    """
    example = "accept: {c1: [another form]}, one key per deletion number"
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        w.problem(node, "empty-value", f"{label}: 'accept' is empty", f"write {example}")
        return None
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        w.problem(
            node,
            "wrong-type",
            f"{label}: a cloze's 'accept' should map deletion numbers to forms, not {kind}",
            f"write {example}",
        )
        return None
    if not node.value:
        w.problem(node, "empty-value", f"{label}: 'accept' is empty", f"write {example}")
        return None
    where = f"{label} in 'accept'"
    out: dict[int, tuple[str, ...]] = {}
    for key, key_node, value in w.items(node, where):
        m = DELETION_KEY.match(key)
        if m is None:
            digits = re.fullmatch(r"[cC]?0*([1-9][0-9]*)", key.strip())
            hint = (
                f"did you mean 'c{digits.group(1)}'?"
                if digits
                else "the keys are the text's deletion numbers: c1 for {{c1::...}}, c2 for ..."
            )
            w.problem(key_node, "unknown-key", f"{where}: '{key}' is not a deletion number", hint)
            continue
        number = int(m.group(1))
        pos[f"accept.{key}"] = _pos(key_node)
        if isinstance(value, yaml.SequenceNode):
            for i, item in enumerate(value.value):
                pos[f"accept.{key}[{i}]"] = _pos(item)
        forms = w.strings(value, where, key)
        if forms is not None:
            out[number] = tuple(forms)
    return tuple(sorted(out.items()))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "question"


def _id_hint(raw: str, taken: dict[str, int]) -> str:
    """The id to try instead of ``raw``: its slug, or a free variant when another question
    has the slug already (suggesting it would only trade this problem for a duplicate id)."""
    slug = _slug(raw)
    if slug not in taken:
        return f"try '{slug}'"
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"try '{slug}-{n}' ('{slug}' is the id of the question on line {taken[slug]})"


def _ids_written(items: Sequence[yaml.Node]) -> dict[str, int]:
    """Each id the questions hold as written, with the 1-based line of its question."""
    ids: dict[str, int] = {}
    for item in items:
        if not isinstance(item, yaml.MappingNode):
            continue
        for key, value in item.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode):
                ids.setdefault(value.value.strip(), item.start_mark.line + 1)
    return ids


def load_bank(path: Path, display: str | None = None) -> LoadResult:
    """Load and check one bank file. The bank is None unless the file is free of problems.

    ``display`` is the path as problems should name it (relative to where the user stands).
    Never raises for a bad file: every failure becomes a located problem.
    """
    shown = display or str(path)
    w = _Walker(shown)
    result = LoadResult(path=path, bank=None)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        w.problem(
            yaml.Mark(shown, 0, 0, 0, None, None), "unreadable", f"cannot read: {exc.strerror}"
        )
        result.problems = w.problems
        return result
    result.source = text = _decode(w, raw)
    w.lines = source_lines(text)
    if w.problems or _control_characters(w):
        result.problems = w.problems
        return result
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        _syntax_problem(w, exc)
        result.problems = w.problems
        return result
    except yaml.YAMLError as exc:
        w.problem(yaml.Mark(shown, 0, 0, 0, None, None), "yaml-syntax", f"YAML syntax: {exc}")
        result.problems = w.problems
        return result
    bank = _read_bank(w, path, root, result)
    result.problems = w.problems
    if bank is not None and not w.problems:
        result.bank = bank
    return result


def _read_bank(w: _Walker, path: Path, root: yaml.Node | None, result: LoadResult) -> Bank | None:
    start = yaml.Mark(w.path, 0, 0, 0, None, None)
    if _is_empty(root):
        # An empty file is a bank emptied by mistake or not yet written, not a wrong kind of value.
        comments = any(line.lstrip().startswith("#") for line in w.lines)
        w.problem(
            start,
            "empty-value",
            f"the file is empty{' (it holds only comments)' if comments else ''}: a bank needs "
            "'id', 'title', 'document' and 'questions'",
            "start from the example bank in questions/README.md",
        )
        return None
    if not isinstance(root, yaml.MappingNode):
        w.problem(
            root.start_mark if root is not None else start,
            "wrong-type",
            "a bank must be a mapping with 'id', 'title', 'document' and 'questions'",
        )
        return None
    entries = {key: (key_node, value) for key, key_node, value in w.items(root, "bank")}
    for key, (key_node, _) in entries.items():
        if key not in BANK_KEYS:
            hint = _did_you_mean(key, BANK_KEYS)
            w.problem(key_node, "unknown-key", f"bank: unknown key '{key}'", hint)
    for key in BANK_KEYS:
        if key not in entries:
            w.problem(root, "missing-key", f"bank: missing '{key}'", bank_key_hint(key, path.stem))
    bank_id = title = None
    if "id" in entries:
        bank_id = w.text(entries["id"][1], "bank", "id")
        if bank_id is not None and not ID_PATTERN.match(bank_id):
            w.problem(
                entries["id"][1],
                "invalid-id",
                f"bank: id '{bank_id}' may hold only lowercase letters, digits and hyphens",
                f"try '{_slug(bank_id)}'",
            )
    if "title" in entries:
        title = w.text(entries["title"][1], "bank", "title")
    document = _read_document(w, path, entries.get("document"))
    questions: list[Question] = []
    checked: list[Question] = []  # the questions above and the incomplete ones
    if "questions" in entries:
        qnode = entries["questions"][1]
        if not isinstance(qnode, yaml.SequenceNode):
            w.problem(qnode, "wrong-type", "bank: 'questions' should be a list of questions")
        else:
            taken = _ids_written(qnode.value)
            for item in qnode.value:
                q, complete = _read_question(w, bank_id or "", item, taken)
                if q is not None:
                    checked.append(q)
                    if complete:
                        questions.append(q)
            result.questions = len(qnode.value)
    for p in check.check_questions(checked, document, w.path, w.locate):
        w.problems.append(p)
    if bank_id is None or title is None or document is None:
        return None
    digest = hashlib.sha256(result.source.encode() + document.body.encode()).hexdigest()[:16]
    return Bank(bank_id, title, path, document, tuple(questions), digest)


def _is_empty(root: yaml.Node | None) -> bool:
    """Whether a file holds no YAML at all: nothing, blank lines, comments or a lone '---'."""
    if root is None:
        return True
    return isinstance(root, yaml.ScalarNode) and root.tag == _NULL and not root.value


def _read_document(
    w: _Walker, path: Path, entry: tuple[yaml.Node, yaml.Node] | None
) -> Document | None:
    if entry is None:
        return None
    node = entry[1]
    name = w.text(node, "bank", "document")
    if name is None:
        return None
    doc_path = path.parent / name
    try:
        return load_document(doc_path)
    except FileNotFoundError:
        near = _did_you_mean(name, [p.name for p in path.parent.glob("*.txt")])
        w.problem(
            node, "document-missing", f"bank: document '{name}' is not in {path.parent}", near
        )
    except UnicodeDecodeError:
        w.problem(node, "document-missing", f"bank: document '{name}' is not UTF-8 text")
    except OSError as exc:
        w.problem(node, "document-missing", f"bank: cannot read document '{name}': {exc.strerror}")
    return None


def load_banks(paths: Sequence[Path], display: Callable[[Path], str] = str) -> list[LoadResult]:
    """Load several bank files; a bank id used by two files is a problem in the second.

    The file named after the id comes first, then the others in name order: the usual second
    file is a copy kept beside the original ("thaad copy.yaml", which sorts before
    "thaad.yaml"), and the copy must not take the reading over and get the original blamed.
    """
    results = [load_bank(p, display(p)) for p in paths]
    loaded = [r for r in results if r.bank is not None]
    first: dict[str, LoadResult] = {}
    for r in sorted(loaded, key=lambda r: r.bank is not None and r.path.stem != r.bank.id):
        assert r.bank is not None
        other = first.setdefault(r.bank.id, r)
        if other is not r:
            m = re.search(r"^id:[ \t]*", r.source, re.MULTILINE)
            line = r.source.count("\n", 0, m.start()) + 1 if m else 1
            col = len(m.group()) + 1 if m else 1
            r.problems.append(
                Problem(
                    display(r.path),
                    line,
                    col,
                    "duplicate-bank-id",
                    f"bank: id '{r.bank.id}' is already the id of {display(other.path)}",
                    "each bank file needs its own id: move a copy out of the questions folder,"
                    " or give this file an id of its own",
                )
            )
            r.bank = None
    return results


def bank_paths(root: Path) -> list[Path]:
    """The bank files of a questions folder, in name order."""
    return sorted(p for p in root.glob("*.yaml") if p.is_file())
