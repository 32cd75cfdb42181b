"""index.text.article and index.corpus loading: paragraph kinds, offsets, sidecars and readable load errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.text.article import ArticleError, load_article, parse_article
from index.corpus import load_articles
from index.models import Article, ArticleMeta

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "articles" / "trump-putin-alaska.txt"
SHARED = Path(__file__).resolve().parents[2] / "shared"

# An invented article with every paragraph kind a news layout has.
LAYOUT = (
    "Ferry strike ends after two weeks\n"                                       # 1 heading
    "Port Wren, 3 May. The ferry strike ended on Sunday after the crews accepted an offer.\n"  # 2 body
    "- Crews will get a 6 percent raise.\n"                                      # 3 bullet
    "- Night sailings return on Monday.\n"                                       # 4 bullet
    "Dr. hab. Ewa Nowak : - The strike cost the island dearly. Shops ran out of bread.\n"  # 5 interview
    "\"Nobody wins a strike like this.\"\n"                                      # 6 pull quote
    "Dr. hab. Ewa Nowak, economist at the University of Gdańsk\n"                # 7 name line
    "\"We are glad it is over,\" said Marek Wiśniewski, a ferry captain.\n"      # 8 body
    "Anna Reporter\n"                                                            # 9 byline
)
KINDS = ["heading", "body", "bullet", "bullet", "interview", "pull_quote", "name_line", "body", "byline"]


def parse(text: str, **meta) -> Article:
    return parse_article(text, ArticleMeta(id="t", **meta))


def para_text(a: Article, number: int) -> str:
    p = a.paragraph(number)
    return a.text[p.start:p.end]


def check_offsets(a: Article) -> None:
    """Paragraphs are trimmed lines in order; every sentence lies inside its paragraph."""
    assert [p.number for p in a.paragraphs] == list(range(1, len(a.paragraphs) + 1))
    prev = 0
    for p in a.paragraphs:
        assert prev <= p.start < p.end <= len(a.text)
        t = a.text[p.start:p.end]
        assert t == t.strip() and "\n" not in t and "\r" not in t
        prev = p.end
    assert [s.number for s in a.sentences] == list(range(len(a.sentences)))
    for s in a.sentences:
        p = a.paragraph(s.paragraph)
        assert p.start <= s.start < s.end <= p.end
        assert a.text[s.start:s.end].strip() == a.text[s.start:s.end]
    assert sorted(a.sentences, key=lambda s: s.start) == a.sentences


def test_paragraph_kinds_of_a_news_layout():
    a = parse(LAYOUT)
    assert [p.kind for p in a.paragraphs] == KINDS
    check_offsets(a)


LONG_LEAD = ("The regional ferry operator said on Monday that the crossing between Gdynia and Hel will stop for the "
             "whole winter season while the harbour is dredged, and that tickets will be refunded.")


@pytest.mark.parametrize(("first", "second", "kind"), [
    ("Cash for opponent pours in as FL congresswoman struggles.", LONG_LEAD, "heading"),  # a headline with a full stop
    ("Poll: Wealthy Voters Abandon Republican Party.", LONG_LEAD, "heading"),
    ("The ferry strike ended on Sunday.", "Crews will get a raise.", "body"),  # a short lead, not a headline
    ("Poll: Wealthy Voters Abandon Republican Party.", "A poll shows that Americans in households making over "
     "$100,000 have left the Republican party this year.", "heading"),  # 1.5 times as long and 15 words are enough
    ("The ferry stopped. The crews went home.", LONG_LEAD, "body"),  # two sentences: a paragraph
    ("- Ferries stop for the winter.", LONG_LEAD, "bullet"),
])
def test_a_first_line_is_the_headline_when_a_much_longer_paragraph_follows(first, second, kind):
    assert parse(f"{first}\n\n{second}\n").paragraphs[0].kind == kind


def test_with_the_pages_title_known_the_first_line_is_the_headline_only_when_it_is_the_title():
    first = "The ferry strike ended on Sunday."
    assert parse(f"{first}\n\n{LONG_LEAD}\n", title="Ferry strike over").paragraphs[0].kind == "body"  # the lead
    assert parse(f"Ferry strike over.\n\n{LONG_LEAD}\n", title="Ferry strike over").paragraphs[0].kind == "heading"


def test_the_text_is_kept_exactly_as_given():
    a = parse(LAYOUT)
    assert a.text == LAYOUT
    assert para_text(a, 1) == "Ferry strike ends after two weeks"
    assert para_text(a, 9) == "Anna Reporter"


def test_the_byline_becomes_the_author_unless_the_sidecar_names_one():
    assert parse(LAYOUT).meta.author == "Anna Reporter"
    assert parse(LAYOUT, author="Desk Editor").meta.author == "Desk Editor"


def test_a_last_line_with_a_title_or_a_description_is_not_a_byline():
    a = parse("The ferry strike ended on Sunday.\nDr. Anna Reporter\n")
    assert a.paragraphs[-1].kind != "byline" and a.meta.author is None
    b = parse("The ferry strike ended on Sunday.\nAnna Reporter, economist at the University of Gdańsk\n")
    assert b.paragraphs[-1].kind != "byline"


def test_headings_name_lines_and_bylines_are_one_sentence_each():
    a = parse(LAYOUT)
    for number in (1, 7, 9):
        (only,) = a.sentences_of(number)
        p = a.paragraph(number)
        assert (only.start, only.end) == (p.start, p.end)
    # "Dr. hab. Ewa Nowak, economist ..." is not cut after "Dr." or "hab.".
    assert a.text[a.sentences_of(7)[0].start:a.sentences_of(7)[0].end].startswith("Dr. hab. Ewa Nowak,")


def test_interview_and_bullet_sentences_start_after_the_speaker_and_the_marker():
    a = parse(LAYOUT)
    assert [a.text[s.start:s.end] for s in a.sentences_of(5)] == ["The strike cost the island dearly.", "Shops ran out of bread."]
    assert [a.text[s.start:s.end] for s in a.sentences_of(3)] == ["Crews will get a 6 percent raise."]


def test_body_paragraphs_are_split_into_sentences():
    a = parse(LAYOUT)
    assert [a.text[s.start:s.end] for s in a.sentences_of(2)] == [
        "Port Wren, 3 May.",
        "The ferry strike ended on Sunday after the crews accepted an offer.",
    ]


def test_crlf_and_blank_lines_keep_offsets_verbatim():
    text = "Ferry strike ends\r\n\r\n  The strike ended on Sunday. Crews are back.  \r\n\r\nAnna Reporter\r\n"
    a = parse(text)
    check_offsets(a)
    assert [para_text(a, n) for n in (1, 2, 3)] == ["Ferry strike ends", "The strike ended on Sunday. Crews are back.", "Anna Reporter"]
    assert a.paragraphs[-1].kind == "byline"


def test_load_article_reads_utf8_strips_a_bom_and_reads_the_sidecar(tmp_path):
    path = tmp_path / "ferry-strike.txt"
    path.write_bytes("\ufeff".encode() + LAYOUT.encode("utf-8"))
    (tmp_path / "ferry-strike.json").write_text(json.dumps({"title": "Ferry strike ends", "id": "ignored", "bogus": 1}))
    a = load_article(path)
    assert a.id == "ferry-strike"
    assert a.meta.title == "Ferry strike ends"
    assert a.text == LAYOUT  # the BOM is encoding, not text
    assert "Gdańsk" in a.text
    check_offsets(a)


def test_without_a_sidecar_title_the_headline_is_the_title(tmp_path):
    """Not the file's name: the first line, when it is a heading; a sidecar's title wins; no heading, no title."""
    path = tmp_path / "ferry-strike-2024.txt"
    path.write_text(LAYOUT, encoding="utf-8")
    assert load_article(path).meta.title == "Ferry strike ends after two weeks"
    (tmp_path / "ferry-strike-2024.json").write_text(json.dumps({"title": "Strike over"}))
    assert load_article(path).meta.title == "Strike over"
    assert parse("# Ferry strike ends\nThe ferry strike ended on Sunday after the crews accepted an offer.\n").meta.title == "Ferry strike ends"
    body = parse("The ferry strike ended on Sunday after the crews accepted an offer.\nIt lasted two weeks.\n")
    assert body.paragraphs[0].kind == "body" and body.meta.title is None
    qa = parse("Q: How bad is the drought?\nA: It is the worst since 1951, the institute said.\n")
    assert qa.paragraphs[0].kind == "heading" and qa.meta.title is None  # an interview's question is no headline


def test_a_broken_sidecar_loses_only_the_metadata(tmp_path):
    path = tmp_path / "strike.txt"
    path.write_text(LAYOUT, encoding="utf-8")
    (tmp_path / "strike.json").write_text("{not json")
    a = load_article(path)
    assert a.meta.title == "Ferry strike ends after two weeks" and a.text == LAYOUT  # the headline, as with no sidecar


def _assert_readable(exc: ArticleError, *needles: str) -> None:
    msg = str(exc)
    assert msg and "\n" not in msg and "Traceback" not in msg
    for n in needles:
        assert n in msg


def test_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(ArticleError) as info:
        load_article(path)
    _assert_readable(info.value, "not found", "nope.txt")


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    with pytest.raises(ArticleError) as info:
        load_article(path)
    _assert_readable(info.value, "image.txt", "not a text file")


def test_invalid_utf8(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("The ferry left Gdańsk on Sunday.\n".encode("cp1250"))
    with pytest.raises(ArticleError) as info:
        load_article(path)
    _assert_readable(info.value, "latin1.txt", "UTF-8")


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n", "\ufeff\n".encode()])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError) as info:
        load_article(path)
    _assert_readable(info.value, "empty", "no text")


def test_a_file_of_punctuation_has_no_sentences(tmp_path):
    path = tmp_path / "dots.txt"
    path.write_bytes(b"...\n!!!\n")
    with pytest.raises(ArticleError) as info:
        load_article(path)
    _assert_readable(info.value, "dots", "no sentences")


def test_a_file_of_separators_has_no_sentences(tmp_path):
    path = tmp_path / "rules.txt"
    path.write_bytes(b"---\n***\n")
    with pytest.raises(ArticleError):
        load_article(path)


def test_a_directory_is_not_an_article(tmp_path):
    with pytest.raises(ArticleError) as info:
        load_article(tmp_path)
    _assert_readable(info.value)


def test_article_error_is_a_value_error():
    assert issubclass(ArticleError, ValueError)


def test_load_articles_expands_folders_in_name_order_and_refuses_duplicate_ids(tmp_path):
    (tmp_path / "b.txt").write_text("The ferry strike ended on Sunday.\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("The lighthouse will be rebuilt.\n", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y\n", encoding="utf-8")
    assert [a.id for a in load_articles([tmp_path])] == ["a", "b"]

    other = tmp_path / "other"
    other.mkdir()
    (other / "b.txt").write_text("Another article with the same name.\n", encoding="utf-8")
    with pytest.raises(ArticleError) as info:
        load_articles([tmp_path / "b.txt", other / "b.txt"])
    _assert_readable(info.value, "'b'")


def test_load_articles_of_an_empty_folder(tmp_path):
    with pytest.raises(ArticleError) as info:
        load_articles([tmp_path])
    _assert_readable(info.value, "no article files")


# -- the shipped article: generic invariants only ------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Article:
    return load_article(SHIPPED)


def test_shipped_article_structure(shipped):
    assert len(shipped.paragraphs) > 30
    assert shipped.paragraphs[-1].kind == "byline"
    assert shipped.meta.author == para_text(shipped, len(shipped.paragraphs))
    assert len(shipped.sentences) > len(shipped.paragraphs)
    check_offsets(shipped)


def test_shipped_article_is_the_seed():
    seed = SHARED / "seed" / "article.txt"
    if not SHARED.exists():
        pytest.skip(f"{SHARED} does not exist: no seed article to compare with")
    assert seed.exists(), f"{seed} is missing"
    assert SHIPPED.read_bytes() == seed.read_bytes()


WIRE = (
    "City approves plan to replace aging bridge\n"
    "By JANE MORROW Associated Press\n"
    "PORTLAND, Ore. (AP) — The city council voted 4-1 on Wednesday to replace the Riverside Bridge.\n"
    "By noon, the crowd outside had gone home.\n"
)


def test_a_by_line_over_the_story_is_the_byline():
    a = parse(WIRE)
    assert [p.kind for p in a.paragraphs] == ["heading", "byline", "body", "body"]
    assert a.meta.author == "Jane Morrow"
    assert parse("Headline here\nBy Jane Morrow, Reuters\nThe council met.\n").meta.author == "Jane Morrow"
    assert parse("By the end of the day the crowd had gone\nThe council met.\n").paragraphs[0].kind != "byline"
