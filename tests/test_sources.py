"""Source strings, the fetch fence (schemes, hosts, addresses) and turning pages into articles.

No network: the resolver test resolves "localhost" (from the hosts file) and is refused
before any connection is made. Fetching from a real server, and the disguised spellings of
this machine's addresses, are in test_fetch_guard.py.
"""

from __future__ import annotations

import pytest

from index.models import ArticleMeta
from index.catalog.fetch import FetchPolicy, Fetched, Fetcher, SourceError, address_allowed, check_url, host_allowed
from index.catalog.sources import content_hash, page_to_article, split_sources, url_article_id


def test_split_sources():
    assert split_sources(" articles/ , https://example.com/a ,,b.txt ") == ["articles/", "https://example.com/a", "b.txt"]
    assert split_sources(["a", " ", "b"]) == ["a", "b"]
    assert split_sources(None) == [] and split_sources("") == []


@pytest.mark.parametrize("url,expected", [
    ("https://news.example.com/world/2025/03/trump-putin-talks.html", "trump-putin-talks"),
    ("https://news.example.com/", "news-example-com"),
    ("http://127.0.0.1:8080/news/Bridge_Reopens?x=1", "bridge-reopens"),
])
def test_url_article_id(url, expected):
    assert url_article_id(url) == expected


@pytest.mark.parametrize("ip,private_ok,allowed", [
    ("93.184.216.34", False, True),
    ("2606:4700::1111", False, True),
    ("127.0.0.1", False, False),
    ("127.0.0.1", True, True),
    ("10.1.2.3", False, False),
    ("192.168.1.10", True, True),
    ("::1", False, False),
    ("::ffff:127.0.0.1", False, False),  # IPv4-mapped loopback
    ("169.254.169.254", True, False),  # cloud metadata: never, even with private allowed
    ("fe80::1", True, False),
    ("0.0.0.0", True, False),
    ("224.0.0.1", True, False),
    ("0.1.2.3", True, False),  # "this network": never a server
    ("::ffff:169.254.169.254", True, False),
    ("fe80::1%eth0", True, False),
    ("64:ff9b::5db8:d822", False, True),  # NAT64 of a public address: judged by the IPv4 address inside
    ("64:ff9b::7f00:1", False, False),
    ("64:ff9b::a9fe:a9fe", True, False),
    ("2002:7f00:1::", False, False),  # 6to4 of 127.0.0.1
    ("2002:a9fe:a9fe::", True, False),
    ("fec0::1", False, False),  # site-local
    ("not an address", True, False),
])
def test_address_allowed(ip, private_ok, allowed):
    assert address_allowed(ip, private_ok) is allowed


def test_check_url_refuses_what_is_not_plain_public_http():
    public = FetchPolicy()
    assert check_url("https://news.example.com/a", public) == "news.example.com"
    for url, why in [
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.com/a.txt", "only http and https"),
        ("gopher://example.com/", "only http and https"),
        ("http:///nohost", "no host"),
        ("http://user:pw@example.com/", "credentials"),
        ("http://127.0.0.1:8000/a", "loopback"),
        ("http://[::1]/a", "loopback"),
        ("http://10.0.0.5/a", "private address"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://example.com:99999/", "not a valid URL"),
    ]:
        with pytest.raises(SourceError, match=why):
            check_url(url, public)
    assert check_url("http://127.0.0.1:8000/a", FetchPolicy(allow_private=True)) == "127.0.0.1"


def test_allowed_hosts():
    assert host_allowed("news.example.com", [".example.com"]) and host_allowed("example.com", [".example.com"])
    assert not host_allowed("evil-example.com", [".example.com"])
    assert host_allowed("EXAMPLE.org.", ["example.org"]) and not host_allowed("www.example.org", ["example.org"])
    with pytest.raises(SourceError, match="not in the allowed source hosts"):
        check_url("https://other.example.net/", FetchPolicy(allowed_hosts=("example.org",)))


@pytest.mark.parametrize("url,host", [
    ("http://ＮＥＷＳ.Example.com/a", "news.example.com"),  # fullwidth letters: IDNA maps them, as aiohttp does
    ("http://bücher.de/", "xn--bcher-kva.de"),
    ("http://[2606:4700:0:0::1111]/", "2606:4700::1111"),
    ("http://ｌｏｃａｌｈｏｓｔ:8000/", "localhost"),  # a name: refused when it resolves (to 127.0.0.1)
])
def test_check_url_gives_the_host_as_aiohttp_will_connect_to_it(url, host):
    assert check_url(url, FetchPolicy()) == host


@pytest.mark.parametrize("url,why", [
    ("http://１２７.０.０.１/", "refused to fetch from 127.0.0.1: a loopback address"),
    ("http://10。0。0。5/", "refused to fetch from 10.0.0.5: a private address"),
    ("http://１６９.２５４.１６９.２５４/latest/meta-data/", "refused to fetch from 169.254.169.254: a link-local address"),
    ("http://2130706433/", r"refused to fetch from 2130706433: an IPv4 address not written as four decimal numbers \(it is 127.0.0.1\)"),
    ("http://0x5db8d822/", "not written as four decimal numbers"),  # even a public one: aiohttp would not take it either
    ("http://999.1.1.1/", "not a valid IPv4 address"),
    ("http://[fe80::1%25eth0]/", "with a zone"),
    ("http://exa mple.com/", "not a valid host name"),
    ("http://%31%32%37.0.0.1/", "not a valid host name"),
    ("http://a\u200bb.com/", "not a valid URL"),
    ("http://ex\u0007ample.com/", "not a valid"),
])
def test_check_url_refuses_disguised_and_odd_hosts_in_one_line(url, why):
    with pytest.raises(SourceError, match=why) as err:
        check_url(url, FetchPolicy())
    assert "\n" not in str(err.value) and str(err.value).isprintable()


def test_allowed_hosts_are_compared_as_aiohttp_spells_them():
    assert check_url("http://bücher.de/x", FetchPolicy(allowed_hosts=("BÜCHER.de",))) == "xn--bcher-kva.de"
    assert check_url("http://news.ｅｘａｍｐｌｅ.org/", FetchPolicy(allowed_hosts=(".example.org",))) == "news.example.org"
    assert check_url("http://[::1]:8000/", FetchPolicy(allow_private=True, allowed_hosts=("[::1]",))) == "::1"
    with pytest.raises(SourceError, match="not in the allowed source hosts"):
        check_url("http://１２７.０.０.１/", FetchPolicy(allow_private=True, allowed_hosts=("localhost",)))


async def test_a_name_resolving_to_loopback_is_refused_before_connecting():
    async with Fetcher(FetchPolicy(timeout=2)) as f:
        with pytest.raises(SourceError, match="resolves to 127.0.0.1"):
            await f.fetch("http://localhost:9/article")


HTML = b"""<!doctype html><html><head><title>Budget vote delayed - City News</title>
<meta name="author" content="Ewa Nowak"><meta property="article:published_time" content="2024-11-02T08:00:00Z"></head>
<body><header>Menu: Home, Politics, Sport</header><main><article><h1>Budget vote delayed</h1>
<p>The city council postponed the budget vote until December because two councillors were ill on Thursday.</p>
<p>The budget includes 40 million euros for new trams and a new bridge over the river, the treasurer said.</p>
<p>"We will not rush a decision of this size," said Adam Lis, the chairman of the budget committee, after the session.</p>
</article></main><footer>Cookies | Privacy</footer></body></html>"""


def page(body: bytes, ctype: str, charset: str | None = None) -> Fetched:
    return Fetched("https://citynews.example/budget-vote", "https://citynews.example/budget-vote", ctype, charset, body)


def test_html_main_text_and_metadata():
    a = page_to_article(page(HTML, "text/html"), "budget-vote")
    assert a.id == "budget-vote"
    assert a.meta.title == "Budget vote delayed" and a.meta.author == "Ewa Nowak" and a.meta.published == "2024-11-02"
    assert a.meta.url == "https://citynews.example/budget-vote"
    assert "postponed the budget vote until December" in a.text and '"We will not rush a decision of this size,"' in a.text
    assert "Menu" not in a.text and "Cookies" not in a.text
    for s in a.sentences:  # the article's own words, with offsets into its text
        assert a.text[s.start:s.end] in HTML.decode()


def test_plain_text_passes_through_verbatim():
    body = "Line one of the news, with “curly quotes” and Łódź.\nLine two says the vote is in December.\n".encode()
    a = page_to_article(page(body, "text/plain", "utf-8"), "plain")
    assert a.text == body.decode() and len(a.paragraphs) == 2


@pytest.mark.parametrize("body,ctype,why", [
    (b"", "text/html", "empty page"),
    (b"  \n ", "text/plain", "empty page"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", "not a text page"),
    (b"%PDF-1.7 some text", "application/pdf", "not a text page \\(content type application/pdf\\)"),
    (b"text with a \x00 in it", "text/plain", "not a text page"),
    (b"\xff\xfe\xfa not utf-8", "text/plain", "not UTF-8"),
    (b"<html><body><nav>Home</nav></body></html>", "text/html", "no article text"),
])
def test_pages_that_are_not_articles(body, ctype, why):
    with pytest.raises(SourceError, match=why):
        page_to_article(page(body, ctype), "x")


def test_content_hash_covers_text_and_shown_metadata_not_the_id():
    m = ArticleMeta(id="a", title="T")
    assert content_hash("x", m) == content_hash("x", m.model_copy(update={"id": "b"}))
    assert content_hash("x", m) != content_hash("y", m)
    assert content_hash("x", m) != content_hash("x", m.model_copy(update={"title": "T2"}))


def test_a_saved_web_page_in_a_folder_is_read_like_a_fetched_one(tmp_path):
    from index.corpus import Corpus, load_articles

    (tmp_path / "budget-vote.html").write_bytes(HTML.replace(b"<meta property", b"<meta name=x><meta property"))
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")  # not an article
    [a] = load_articles([tmp_path])
    assert a.id == "budget-vote" and a.meta.title == "Budget vote delayed" and a.meta.author == "Ewa Nowak"
    assert "Menu" not in a.text and "Cookies" not in a.text and "<p>" not in a.text
    c = Corpus.build([a])
    assert "40 million euros" in c.ask("How much is in the budget for trams?").answer.text
    assert c.ask("What did Adam Lis say?").answer.speaker.name == "Adam Lis"
    # its author is in the page's metadata, not in the text: say so instead of guessing
    who = c.ask("Who wrote the article?")
    assert who.answered and who.answer is None and who.page_fact.value == "Ewa Nowak" and who.page_fact.field == "author"


def test_a_sidecar_overrides_what_a_saved_page_says_and_a_menu_page_is_refused(tmp_path):
    from index.text.article import ArticleError, load_article

    (tmp_path / "vote.html").write_bytes(HTML)
    (tmp_path / "vote.json").write_text('{"title": "Our title", "source": "City News"}', encoding="utf-8")
    a = load_article(tmp_path / "vote.html")
    assert (a.meta.title, a.meta.source, a.meta.author) == ("Our title", "City News", "Ewa Nowak")
    (tmp_path / "menu.html").write_bytes(b"<html><body><nav>Home</nav></body></html>")
    with pytest.raises(ArticleError, match="no article text"):
        load_article(tmp_path / "menu.html")


def test_a_date_is_taken_from_the_markup_never_guessed_from_a_copyright_line():
    body = HTML.replace(b'<meta property="article:published_time" content="2024-11-02T08:00:00Z">', b"").replace(
        b"Cookies | Privacy", b"Copyright 2026 City News")
    assert page_to_article(page(body, "text/html"), "budget-vote").meta.published is None
