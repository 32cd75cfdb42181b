"""The fetch fence against disguised addresses, with a real aiohttp server on 127.0.0.1.

yarl (aiohttp's URL parser) reads `１２７.０.０.１`, `127。0。0。1` and `①②⑦.⓪.⓪.①` as 127.0.0.1,
and aiohttp connects to an IP literal without asking the resolver; so each spelling here
is fetched for real and must be refused before the server sees a request.

No traffic leaves the machine: `net` (used by every test) stands between aiohttp and its
sockets. It answers the few test names itself (other names but localhost fail to resolve,
so nothing asks a DNS server), lets connections to loopback through, turns one stand-in public
address into 127.0.0.1 (so a "public" site can be served here), and refuses and records
any other address before a socket is opened.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import aiohttp
import aiohttp.connector
import pytest
from aiohttp import web

from localweb import serve

import index.catalog.fetch as sources
from index.catalog.fetch import FetchPolicy, Fetcher, SourceError
from index.catalog.sources import read_url

PUBLIC_STAND_IN = "93.184.216.34"  # a global address; connections to it are served by the local server
FAKE_DNS = {  # names answered here, as a DNS server (or systemd-resolved, for *.localhost) would
    "news.example.com": PUBLIC_STAND_IN,
    "loopback.example": "127.0.0.1",
    "intranet.example": "10.20.30.40",
    "localhost.": "127.0.0.1",
    "app.localhost": "127.0.0.1",
}

ARTICLE = """<!doctype html><html><head><title>Harbour bridge reopens - Port News</title></head>
<body><nav>Home | Sport</nav><main><article><h1>Harbour bridge reopens</h1>
<p>The harbour bridge reopened on Monday after eight months of repairs, the city engineer said.</p>
<p>Cars will pay a toll of two euros, while cyclists and pedestrians will cross for free.</p>
<p>"The bridge is safe for another fifty years," said Marta Zielinska, who led the repairs.</p>
</article></main></body></html>"""


class Net:
    def __init__(self) -> None:
        self.elsewhere: list[str] = []  # addresses a connection was attempted to that are not on this machine
        self.connected: list[str] = []  # addresses actually connected to, as the guard saw them


@pytest.fixture(autouse=True)
def net(monkeypatch) -> Net:
    n = Net()
    real_getaddrinfo = asyncio.base_events.BaseEventLoop.getaddrinfo
    real_start = aiohttp.connector.aiohappyeyeballs.start_connection

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name in FAKE_DNS:
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (FAKE_DNS[name], port))]
        if name != "localhost":  # from the hosts file; anything else only if numeric
            flags |= socket.AI_NUMERICHOST  # (0x7f.1 and 2130706433 are): never a DNS query
        return await real_getaddrinfo(self, host, port, family=family, type=type, proto=proto, flags=flags)

    async def start_connection(addr_infos, *, socket_factory=None, **kwargs):
        real_of = {}
        routed = []
        refused: list[OSError] = []
        for info in addr_infos:
            ip = info[4][0]
            if ip == PUBLIC_STAND_IN:
                local = (socket.AF_INET, info[1], info[2], info[3], ("127.0.0.1", info[4][1]))
            elif ipaddress.ip_address(ip.split("%", 1)[0]).is_loopback:
                local = info
            else:  # let the guard refuse it (making a socket sends nothing); if it does not, we do
                if socket_factory is not None:
                    try:
                        socket_factory(info).close()
                    except OSError as exc:
                        refused.append(exc)
                        continue
                n.elsewhere.append(ip)
                continue
            real_of[local] = info
            routed.append(local)
        if not routed:
            raise refused[0] if refused else OSError(111, "test network: no route off this machine")

        def factory(local_info):  # the guard (if any) sees the address as resolved, not as rerouted
            info = real_of[local_info]
            sock = socket_factory(info) if socket_factory else socket.socket(local_info[0], local_info[1], local_info[2])
            n.connected.append(info[4][0])
            return sock

        return await real_start(routed, socket_factory=factory, **kwargs)

    monkeypatch.setattr(asyncio.base_events.BaseEventLoop, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(aiohttp.connector.aiohappyeyeballs, "start_connection", start_connection)
    yield n
    assert n.elsewhere == [], f"a connection was attempted off this machine: {n.elsewhere}"


class Site:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path)
        if request.path == "/to":  # a redirect to wherever ?where= says, unchanged
            return web.Response(status=302, headers={"Location": request.query["where"]})
        return web.Response(text=ARTICLE, content_type="text/html")

    def articles(self) -> int:
        return sum(1 for p in self.requests if p != "/to")


@pytest.fixture
async def site():
    s = Site()
    app = web.Application()
    app.router.add_get("/{tail:.*}", s.handle)
    async with serve(app) as base:
        s.port = int(base.rsplit(":", 1)[1])
        yield s


def one_line_refusal(message: str, host: str | None = None) -> bool:
    return "\n" not in message and message.startswith("refused to fetch from " + (host or ""))


# Spellings that yarl/aiohttp turn into 127.0.0.1 (or ::1) but `urlsplit` and `ipaddress` do not.
UNICODE_LOOPBACK = [
    "１２７.０.０.１",  # fullwidth digits
    "127。0。0。1",  # ideographic full stops
    "127．0．0．1",  # fullwidth full stops
    "①②⑦.⓪.⓪.①",  # circled digits
    "①②⑦.0.0.1",
    "１２７.0.0.1",
]

# Other spellings getaddrinfo or aiohttp accept for this machine.
OTHER_LOOPBACK = [
    "2130706433",  # decimal
    "0x7f.1",  # hex
    "0x7f000001",
    "0177.0.0.1",  # octal
    "127.1",  # short form
    "127.0.0.1.",  # trailing dot
    "[::1]",
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:7f00:1]",
    "[::127.0.0.1]",  # IPv4-compatible (deprecated)
    "[fe80::1%25lo]",  # link-local with a zone
    "localhost",
    "localhost.",
    "LOCALHOST",
    "ｌｏｃａｌｈｏｓｔ",
    "app.localhost",
    "loopback.example",  # an ordinary name whose DNS answer is 127.0.0.1
]


@pytest.mark.parametrize("host", UNICODE_LOOPBACK)
async def test_unicode_spellings_of_loopback_are_refused_before_any_request(site, host):
    async with Fetcher(FetchPolicy(timeout=3)) as f:
        with pytest.raises(SourceError) as err:
            await f.fetch(f"http://{host}:{site.port}/article")
    assert one_line_refusal(str(err.value), "127.0.0.1: a loopback address"), str(err.value)
    assert site.requests == []


async def test_every_other_spelling_of_this_machine_is_refused_before_any_request(site):
    got = {}
    async with Fetcher(FetchPolicy(timeout=3)) as f:
        for host in OTHER_LOOPBACK:
            try:
                await f.fetch(f"http://{host}:{site.port}/article")
            except SourceError as exc:
                got[host] = str(exc)
            else:
                got[host] = "FETCHED"
    wrong = {h: m for h, m in got.items() if not one_line_refusal(m)}
    assert wrong == {}, wrong
    assert site.requests == []


async def test_a_name_resolving_to_a_private_address_is_refused_without_showing_the_address(net):
    async with Fetcher(FetchPolicy(timeout=3)) as f:
        with pytest.raises(SourceError) as err:
            await f.fetch("http://intranet.example/wiki")
    # Which internal address a name has is not for the moderator to learn (this machine's own could be).
    assert str(err.value) == "refused to fetch from intranet.example: it resolves to a private address (set ALLOW_PRIVATE_SOURCES=true to allow)"
    assert net.connected == []


@pytest.mark.parametrize("target", [
    "http://127。0。0。1:{port}/article",
    "http://１２７.０.０.１:{port}/article",
    "//①②⑦.⓪.⓪.①:{port}/article",  # scheme-relative
    "http://[::ffff:127.0.0.1]:{port}/article",
    "http://2130706433:{port}/article",
    "http://ｌｏｃａｌｈｏｓｔ:{port}/article",
    "http://１６９.２５４.１６９.２５４/latest/meta-data/",  # cloud metadata
])
async def test_a_public_looking_redirect_to_a_disguised_address_is_refused(site, net, target):
    start = f"http://news.example.com:{site.port}/to"
    location = target.format(port=site.port)
    async with Fetcher(FetchPolicy(timeout=3)) as f:
        # The stand-in public site works: a plain redirect on it is followed ...
        page = await f.fetch(start + "?where=/harbour-bridge")
        assert page.final_url == f"http://news.example.com:{site.port}/harbour-bridge" and b"Harbour bridge" in page.body
        # ... and one to a disguised address of this machine (or the cloud metadata service) is not.
        with pytest.raises(SourceError) as err:
            await f.fetch(start + "?where=" + location)
    message = str(err.value)
    assert one_line_refusal(message) and message.endswith(f"(a redirect from {start}?where={location})"), message
    assert site.requests == ["/to", "/harbour-bridge", "/to"]  # the redirect target never
    assert set(net.connected) == {PUBLIC_STAND_IN}


async def test_the_connector_refuses_a_literal_address_even_when_check_url_is_skipped(site, net):
    async with Fetcher(FetchPolicy(timeout=3)) as f:  # the session directly: no check_url at all
        with pytest.raises(aiohttp.ClientConnectorError) as err:
            async with f._session.get(f"{site.base}/article"):
                pass
    assert isinstance(err.value.os_error, sources.BlockedAddress)
    assert "a loopback address" in str(err.value.os_error)
    assert site.requests == [] and net.connected == []


async def test_the_socket_check_refuses_a_name_even_when_the_resolver_lets_it_through(site, net, monkeypatch):
    from aiohttp.resolver import ThreadedResolver

    # As if the resolver's check had a hole, or the DNS answer changed after it: the addresses
    # are checked again when each socket is opened.
    monkeypatch.setattr(sources, "_guarded_resolver", lambda policy: ThreadedResolver())
    async with Fetcher(FetchPolicy(timeout=3)) as f:
        for name in ("localhost", "loopback.example", "intranet.example"):
            url = f"http://{name}:{site.port}/article"
            with pytest.raises(aiohttp.ClientConnectorError) as err:
                async with f._session.get(url):
                    pass
            assert isinstance(err.value.os_error, sources.BlockedAddress) or "it connects to" in str(err.value.os_error)
    assert site.requests == [] and net.connected == []


async def test_with_private_allowed_a_plain_loopback_page_is_fetched_but_link_local_never(site, net):
    policy = FetchPolicy(allow_private=True, timeout=3)
    async with Fetcher(policy) as f:
        result = await read_url(f, f"{site.base}/harbour-bridge", "harbour-bridge")
        [loaded] = result.loaded
        assert "toll of two euros" in loaded.article.text and loaded.article.meta.title == "Harbour bridge reopens"
        for url in ("http://１６９.２５４.１６９.２５４/latest/meta-data/",
                    "http://169。254。169。254/latest/meta-data/",
                    "http://[::ffff:169.254.169.254]/latest/meta-data/",
                    f"http://[fe80::1%25lo]:{site.port}/article",
                    f"{site.base}/to?where=http://169%E3%80%82254%E3%80%82169%E3%80%82254/latest/meta-data/"):
            with pytest.raises(SourceError, match=r"^refused to fetch from [^ ]+: (a link-local address|IPv6 addresses with a zone)"):
                await f.fetch(url)
        with pytest.raises(aiohttp.ClientConnectorError) as err:  # and at connect time, without check_url
            async with f._session.get("http://169.254.169.254/latest/meta-data/"):
                pass
        assert "a link-local address" in str(err.value.os_error)
    assert site.requests == ["/harbour-bridge", "/to"]
    assert set(net.connected) == {"127.0.0.1"}
