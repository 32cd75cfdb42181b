"""Fetching an http(s) URL for an article: a door into the machine's network, so it is fenced.

- only http and https; at most MAX_REDIRECTS redirects, each hop checked again;
- an optional allow-list of hosts (exact names, or ".example.com" for a domain and its subdomains);
- the host is read as aiohttp reads it (yarl's parsing and IDNA, so `１２７.０.０.１` is
  127.0.0.1), and the URL object checked is the one requested; IPv4 addresses only as four
  decimal numbers (not 2130706433, 0x7f.1, 127.1); `localhost` is a loopback name;
- every address is checked again when the connection is made: a resolver wrapped around
  aiohttp's refuses a name if any address it resolves to is refused, and the connector's
  socket factory checks the very address each socket is about to connect to, which also
  covers IP literals (aiohttp does not resolve those). Loopback and private addresses are
  refused unless `allow_private`; link-local (cloud metadata), multicast, reserved and
  unspecified addresses are always refused;
- a total timeout and a size cap on the decoded body; no proxies from the environment.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Iterable

SCHEMES = ("http", "https")
TIMEOUT_S = 15.0
MAX_BYTES = 5_000_000  # of decoded body; a news page is ~100-500 kB of HTML
MAX_REDIRECTS = 5
MAX_CONCURRENT_FETCHES = 8
USER_AGENT = "article-qa-bot/0.1 (+moderator-requested article fetch)"


class SourceError(Exception):
    """A source that cannot be read, fetched or used; str() is one line for the moderator."""


class BlockedAddress(OSError):
    """Raised by the resolver when a host resolves to an address we may not connect to."""


@dataclass(frozen=True)
class FetchPolicy:
    allow_private: bool = False
    allowed_hosts: tuple[str, ...] | None = None  # None: any public host
    timeout: float = TIMEOUT_S
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS


# --- address and URL checks -------------------------------------------------------------------
#
# The host is checked as the HTTP client will use it, never as another parser reads it:
# yarl (aiohttp's URL class) maps `１２７.０.０.１`, `127。0。0。1` and `①②⑦.⓪.⓪.①` through
# IDNA/UTS-46 to `127.0.0.1`, and aiohttp connects to an IP literal without asking the
# resolver. So check_url parses with yarl, the fetcher requests the very URL object it
# checked, and the connector checks every address again when it opens the socket.

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_PRIVATE_HINT = " (set ALLOW_PRIVATE_SOURCES=true to allow)"


def _refusal(ip: str, allow_private: bool) -> str | None:
    """Why an address may not be connected to ("a loopback address ..."), or None if it may."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        else:  # addresses that stand for an IPv4 address are judged by it as well
            embedded = [addr.sixtofour, *(addr.teredo or ())]
            if addr in _NAT64:
                embedded.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
            for inner in embedded:
                if inner is not None and (why := _refusal(str(inner), allow_private)):
                    return why
            if addr in _NAT64:
                return None
    if addr.is_link_local:
        return "a link-local address"  # 169.254.169.254 (cloud metadata) is never an article
    if addr.is_loopback:  # before is_reserved, which ::1 is too
        return None if allow_private else "a loopback address" + _PRIVATE_HINT
    if addr.is_multicast or addr.is_unspecified or addr.is_reserved or addr in _THIS_NETWORK:
        return "not a public address"
    if addr.is_global and not (isinstance(addr, ipaddress.IPv6Address) and addr.is_site_local):
        return None
    return None if allow_private else "a private address" + _PRIVATE_HINT


def address_allowed(ip: str, allow_private: bool) -> bool:
    return _refusal(ip, allow_private) is None


def _ascii_host(host: str) -> str:
    """A host name or allow-list entry as aiohttp sends it: IDNA-encoded, lower case, no trailing dot."""
    from yarl import URL

    host = host.strip().lower().strip("[]").rstrip(".")
    try:
        return URL.build(scheme="http", host=host).raw_host or host
    except ValueError:
        return host


def host_allowed(host: str, allowed_hosts: Iterable[str] | None) -> bool:
    if allowed_hosts is None:
        return True
    host = _ascii_host(host)
    for entry in allowed_hosts:
        entry = entry.strip()
        domain = entry.startswith(".")
        entry = _ascii_host(entry[1:] if domain else entry)
        if not entry:
            continue
        if host == entry or (domain and host.endswith("." + entry)):
            return True
    return False


def _shown(text: str, limit: int = 400) -> str:
    """Text for a one-line message: control and other invisible characters escaped, long text cut."""
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _checked_url(url, policy: FetchPolicy):
    """The URL as aiohttp will request it (a yarl URL), if it may be fetched; SourceError otherwise."""
    from yarl import URL

    try:
        parsed = url if isinstance(url, URL) else URL(url)  # a bad port or host raises here
    except (ValueError, TypeError) as exc:
        raise SourceError(_shown(f"not a valid URL: {url} ({exc})")) from None
    scheme = parsed.scheme.lower()
    if scheme not in SCHEMES:
        raise SourceError(_shown(f"only http and https URLs can be fetched, not {scheme or 'no scheme'}: {url}"))
    host = parsed.raw_host  # what the connector connects to: IDNA-encoded, lower case
    if not host:
        raise SourceError(_shown(f"URL has no host: {url}"))
    if parsed.raw_user is not None or parsed.raw_password is not None:
        raise SourceError(_shown(f"URLs with credentials are refused: {scheme}://…@{host}"))
    if not host_allowed(host, policy.allowed_hosts):
        raise SourceError(_shown(f"host {host} is not in the allowed source hosts"))
    refusal = _host_refusal(host, policy)
    if refusal:
        raise SourceError(_shown(f"refused to fetch from {host}: {refusal}"))
    return parsed


def _host_refusal(host: str, policy: FetchPolicy) -> str | None:
    """Why a normalised host may not be fetched from, or None. Names' addresses are checked on connecting."""
    if not host.isascii():
        return "the host is not plain ASCII"
    if ":" in host:  # an IPv6 literal (yarl drops the brackets)
        if "%" in host:
            return "IPv6 addresses with a zone (%) are refused"
        try:
            canonical = str(ipaddress.IPv6Address(host))
        except ValueError:
            return "not a valid IPv6 address"
        return _refusal(canonical, policy.allow_private)
    if not _NAME.fullmatch(host):
        return "not a valid host name"
    labels = host.rstrip(".").split(".")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        # getaddrinfo reads this as an IPv4 address (2130706433, 0x7f.1, 0177.0.0.1, 127.1 are all
        # 127.0.0.1); only the plain dotted-quad spelling is taken.
        try:
            canonical = socket.inet_ntoa(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return "not a valid IPv4 address"
        if host != canonical:
            return f"an IPv4 address not written as four decimal numbers (it is {canonical})"
        return _refusal(host, policy.allow_private)
    return None  # a name (localhost too): what it resolves to is checked on connecting


def check_url(url: str, policy: FetchPolicy) -> str:
    """The URL's host, as it will be connected to, if it may be fetched; SourceError saying why not otherwise."""
    return _checked_url(url, policy).raw_host


class _AddressGuard:
    """The two places a connection is fenced: the resolver, and the socket opened for each address."""

    def __init__(self, policy: FetchPolicy):
        self.policy = policy

    def check_resolved(self, results) -> None:
        for r in results:
            why = _refusal(r["host"], self.policy.allow_private)
            if why:
                # This machine's own address tells nothing; any other might map an internal network.
                shown = f"{r['host']}, " if ipaddress.ip_address(r["host"].split("%", 1)[0]).is_loopback else ""
                raise BlockedAddress(f"it resolves to {shown}{why}")

    def socket_factory(self, addr_info) -> socket.socket:
        """aiohappyeyeballs' socket factory: given the very address about to be connected to."""
        family, type_, proto, _, sockaddr = addr_info
        why = _refusal(str(sockaddr[0]), self.policy.allow_private)
        if why:
            raise BlockedAddress(f"it connects to {why}")
        return socket.socket(family=family, type=type_, proto=proto)


def _guarded_resolver(policy: FetchPolicy):
    from aiohttp.abc import AbstractResolver
    from aiohttp.resolver import ThreadedResolver

    guard = _AddressGuard(policy)

    class GuardedResolver(AbstractResolver):
        """aiohttp's resolver, refusing a host if any address it resolves to is not allowed."""

        def __init__(self) -> None:
            self._inner = ThreadedResolver()

        async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET):
            results = await self._inner.resolve(host, port, family)
            guard.check_resolved(results)
            return results

        async def close(self) -> None:
            await self._inner.close()

    return GuardedResolver()


def _guarded_connector(policy: FetchPolicy):
    """A TCPConnector that checks each address when it opens the socket, whatever the resolver said.

    aiohttp connects to an IP literal without calling the resolver, so the resolver alone is
    not a fence; `socket_factory` is handed the addrinfo that is connected to next, for names
    and literals alike, so nothing reaches a socket unchecked.
    """
    import aiohttp

    return aiohttp.TCPConnector(
        resolver=_guarded_resolver(policy),
        socket_factory=_AddressGuard(policy).socket_factory,
        use_dns_cache=False,
        limit=MAX_CONCURRENT_FETCHES,
    )


# --- fetching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str
    charset: str | None
    body: bytes


class Fetcher:
    """One aiohttp session with the guarded connector; use as `async with Fetcher(policy) as f`."""

    def __init__(self, policy: FetchPolicy):
        self.policy = policy
        self._session = None
        self._limit = asyncio.Semaphore(MAX_CONCURRENT_FETCHES)

    async def __aenter__(self) -> "Fetcher":
        import aiohttp

        self._session = aiohttp.ClientSession(
            connector=_guarded_connector(self.policy),
            timeout=aiohttp.ClientTimeout(total=self.policy.timeout, sock_connect=min(10.0, self.policy.timeout)),
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"},
            trust_env=False,  # no proxies from the environment
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._session is not None:
            await self._session.close()

    async def fetch(self, url: str) -> Fetched:
        """The body of an http(s) URL, following at most max_redirects checked redirects."""
        import aiohttp

        assert self._session is not None, "use Fetcher as an async context manager"
        hop = [url]  # the URLs fetched, the last one now, for messages
        try:
            async with self._limit:
                return await asyncio.wait_for(self._fetch(url, hop), self.policy.timeout)
        except SourceError:
            raise
        except (TimeoutError, asyncio.TimeoutError):
            raise SourceError(_shown(f"timed out after {self.policy.timeout:g} s fetching {hop[-1]}")) from None
        except aiohttp.ClientConnectorError as exc:
            err = exc.os_error
            via = f" (a redirect from {hop[-2]})" if len(hop) > 2 else ""
            if isinstance(err, BlockedAddress):
                raise SourceError(_shown(f"refused to fetch from {exc.host}: {err}{via}")) from None
            if "it connects to " in str(err):  # several addresses refused at once by the socket factory
                raise SourceError(_shown(f"refused to fetch from {exc.host}: it connects to a non-public address{via}")) from None
            raise SourceError(_shown(f"cannot connect to {exc.host}: {err.strerror or err}{via}")) from None
        except aiohttp.ClientError as exc:
            raise SourceError(_shown(f"fetching {hop[-1]} failed: {type(exc).__name__}: {exc}".splitlines()[0])) from None

    async def _fetch(self, url: str, hop: list[str]) -> Fetched:
        from yarl import URL

        current, target = url, _checked_url(url, self.policy)
        for _ in range(self.policy.max_redirects + 1):
            hop.append(current)
            async with self._session.get(target, allow_redirects=False) as resp:  # the URL object checked
                if resp.status in (301, 302, 303, 307, 308):
                    location = resp.headers.get("Location")
                    if not location:
                        raise SourceError(_shown(f"HTTP {resp.status} redirect without a Location from {current}"))
                    try:
                        nxt = target.join(URL(location))
                    except (ValueError, TypeError):
                        raise SourceError(_shown(f"{current} redirects to an invalid URL")) from None
                    try:
                        target = _checked_url(nxt, self.policy)
                    except SourceError as exc:
                        raise SourceError(_shown(f"{exc} (a redirect from {current})")) from None
                    current = str(target)
                    continue
                if resp.status != 200:
                    raise SourceError(_shown(f"HTTP {resp.status} {resp.reason or ''}".rstrip() + f" from {current}"))
                body = await self._read_capped(resp, current)
                return Fetched(url, current, resp.content_type or "", resp.charset, body)
        raise SourceError(_shown(f"more than {self.policy.max_redirects} redirects from {url}"))

    async def _read_capped(self, resp, url: str) -> bytes:
        cap = self.policy.max_bytes
        if resp.content_length is not None and resp.content_length > cap:
            raise SourceError(_shown(f"{url} is {resp.content_length:,} bytes, over the {cap:,}-byte limit"))
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > cap:
                raise SourceError(_shown(f"{url} is over the {cap:,}-byte limit"))
            chunks.append(chunk)
        return b"".join(chunks)
