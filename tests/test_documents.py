"""The shipped documents: the article's own text, every sentence kept, no furniture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from studyapp.documents import load_document, normalize, parse_document

from .conftest import REPO, SHARED_DOCUMENTS

FURNITURE: dict[str, list[str]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "furniture.yaml").read_text()
)
SLUGS = sorted(FURNITURE)


def _strip_markup(text: str) -> str:
    """Link markup and bold markers are page formatting, not words of the article."""
    return re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text).replace("**", "")


def _paragraphs(text: str) -> list[str]:
    return [normalize(p) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _sentences(paragraph: str) -> list[str]:
    parts = re.split(r"(?<=[.!?”\"])\s+", paragraph)
    return [s.lstrip("• ") for s in parts if s.strip("• ")]


def _document(slug: str):
    return load_document(REPO / "questions" / f"{slug}.txt")


def test_every_shipped_document_has_a_furniture_list():
    shipped = {p.stem for p in (REPO / "questions").glob("*.txt")}
    assert shipped == set(SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_document_header_names_title_author_and_date(slug):
    meta = _document(slug).meta
    assert {"title", "author", "outlet", "published", "source"} <= set(meta)
    assert (SHARED_DOCUMENTS / meta["source"]).is_file()


@pytest.mark.parametrize("slug", SLUGS)
def test_document_keeps_every_sentence_of_its_article(slug):
    doc = _document(slug)
    source = _strip_markup((SHARED_DOCUMENTS / doc.meta["source"]).read_text(encoding="utf-8"))
    ours = normalize(" ".join(block.text for block in doc.blocks))
    missing = []
    for para in _paragraphs(source):
        bare = para.lstrip("• ").strip()
        if any(bare.startswith(normalize(f)) for f in FURNITURE[slug]):
            continue
        missing += [s for s in _sentences(bare) if s not in ours]
    assert missing == []


@pytest.mark.parametrize("slug", SLUGS)
def test_document_changes_no_sentence_and_adds_no_furniture(slug):
    doc = _document(slug)
    source = normalize(_strip_markup((SHARED_DOCUMENTS / doc.meta["source"]).read_text("utf-8")))
    for block in doc.blocks:
        assert normalize(block.text) in source, block.text
        assert not any(normalize(block.text).startswith(normalize(f)) for f in FURNITURE[slug])


def test_blocks_split_paragraphs_headings_and_bullets():
    doc = parse_document(Path("x.txt"), "---\ntitle: T\n---\n\nOne\ntwo.\n\n## Head\n\n- a\n- b\n")
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("p", "One\ntwo."),
        ("h2", "Head"),
        ("li", "a"),
        ("li", "b"),
    ]
    assert doc.meta == {"title": "T"}
    assert doc.body_line == 5
    assert all(doc.body[b.start : b.start + len(b.text)] == b.text for b in doc.blocks)


def test_locate_maps_a_normalized_quote_back_to_the_raw_text():
    doc = parse_document(Path("x.txt"), "He said “stop  it”\nnow, loudly.\n")
    block, start, end = doc.locate('said "stop it" now')
    assert block == 0
    assert doc.blocks[0].text[start:end] == "said “stop  it”\nnow"


def test_blocks_spanned_by_a_quote_across_a_paragraph_break():
    doc = parse_document(Path("x.txt"), "One fish,\ntwo fish.\n\nRed fish.\n\n- blue\n- fish\n")
    assert doc.blocks_spanned("two fish. Red") == [0, 1]
    assert doc.locate("two fish. Red") is None
    assert doc.blocks_spanned("fish, two") == [0]
    assert doc.blocks_spanned("Red fish. - blue") == [1, 2]
    assert doc.blocks_spanned("green fish") == []


def test_document_saved_with_a_byte_order_mark_keeps_its_header(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbf---\ntitle: T\nauthor: A\n---\n\nOne.\n")
    doc = load_document(path)
    assert doc.meta == {"title": "T", "author": "A"}
    assert [b.text for b in doc.blocks] == ["One."]
    assert parse_document(path, "\ufeff---\ntitle: T\n---\nOne.\n").meta == {"title": "T"}
