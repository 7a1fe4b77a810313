"""Fetching pages and feeds for people who may type any address: only public web servers.

The address check runs on the address a socket actually connects to (resolved here, not by
the HTTP library), for the first request and again for every redirect, so neither a DNS
answer that changes between check and connect nor a redirect can reach this machine, the
private network or a cloud metadata service. Sizes and times are bounded.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "text/html",
        "text/plain",
    }
)
# Statuses that say "try again later"; any other 4xx/5xx will not change by retrying.
TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK = 64 * 1024

# Link-local 169.254.169.254 is caught as link-local too; these are named for a clearer reason,
# with the ones that hide in otherwise unremarkable ranges (Alibaba's, AWS's IPv6).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)


class FetchError(Exception):
    """A fetch that did not give a usable answer; `reason` is written for curators."""

    transient = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchRefused(FetchError):
    """Will not work if tried again: refused address, wrong type, too large, 404..."""


class FetchTransient(FetchError):
    """May work later: timeouts, refused connections, 503."""

    transient = True


@dataclass
class Fetched:
    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    charset: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def address_refusal(ip: IPAddress) -> str | None:
    """Why fetching from this address is refused, or None when it is a public address (or one
    the test-only INGEST_FETCH_ALLOW setting names)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for allowed in settings.INGEST_FETCH_ALLOW:
        if ip in ipaddress.ip_network(allowed, strict=False):
            return None
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata service"
    if ip.is_loopback:
        return "this server itself (a loopback address)"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified or ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private network address"
    if not ip.is_global:
        return "an address that is not on the public internet"
    return None


def _refused(host: str, ip: IPAddress, why: str) -> FetchRefused:
    return FetchRefused(
        f"Refused to fetch from {host}: it points to {ip}, {why}. "
        "Only public internet addresses are fetched."
    )


def _guarded_socket(host: str, port: int, timeout, socket_options) -> socket.socket:
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchRefused(f"The host name {host} could not be found.") from exc
    refusal: FetchRefused | None = None
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0])
        if why := address_refusal(ip):
            refusal = _refused(host, ip, why)
            continue
        sock = socket.socket(family, kind, proto)
        try:
            for option in socket_options or ():
                sock.setsockopt(*option)
            if timeout is not None:
                sock.settimeout(timeout)
            sock.connect(sockaddr)
            # The address the socket really reached: the one that counts.
            peer = ipaddress.ip_address(sock.getpeername()[0])
            if why := address_refusal(peer):
                raise _refused(host, peer, why)
            return sock
        except FetchRefused:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            error = exc
    if error is not None:
        raise error
    raise refusal or FetchRefused(f"The host name {host} has no address.")


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        try:
            return _guarded_socket(self._dns_host, self.port, self.timeout, self.socket_options)
        except TimeoutError as exc:
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.") from exc
        except FetchRefused:
            raise
        except OSError as exc:
            raise NewConnectionError(self, f"Failed to connect: {exc}") from exc


class _GuardedHTTPSConnection(_GuardedHTTPConnection, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


def _pool_manager() -> urllib3.PoolManager:
    manager = urllib3.PoolManager(num_pools=8, maxsize=2, retries=False)
    manager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}
    return manager


_manager: urllib3.PoolManager | None = None


def _pools() -> urllib3.PoolManager:
    global _manager
    if _manager is None:
        _manager = _pool_manager()
    return _manager


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in {"http", "https"}:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchRefused(f"Only http and https addresses are fetched, not {shown} ({url}).")
    if not urlsplit(url).hostname:
        raise FetchRefused(f"The address has no host name: {url}")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def fetch(url: str, *, accept: frozenset[str], headers: dict[str, str] | None = None) -> Fetched:
    """GET a page or feed, following at most INGEST_FETCH_MAX_REDIRECTS redirects, each
    checked like the first request. Raises FetchRefused or FetchTransient."""
    limit = settings.INGEST_MAX_BYTES
    deadline = time.monotonic() + settings.INGEST_FETCH_TOTAL_TIMEOUT
    timeout = urllib3.Timeout(
        connect=settings.INGEST_FETCH_CONNECT_TIMEOUT, read=settings.INGEST_FETCH_READ_TIMEOUT
    )
    request_headers = {
        "User-Agent": settings.INGEST_USER_AGENT,
        "Accept-Encoding": "gzip, deflate",
        **(headers or {}),
    }
    current = url
    for _ in range(settings.INGEST_FETCH_MAX_REDIRECTS + 1):
        check_scheme(current)
        try:
            response = _pools().urlopen(
                "GET",
                current,
                headers=request_headers,
                redirect=False,
                retries=False,
                preload_content=False,
                timeout=timeout,
            )
        except FetchRefused:
            raise
        except (ConnectTimeoutError, ReadTimeoutError) as exc:
            raise FetchTransient(
                f"{urlsplit(current).hostname} did not answer in time; it may work later."
            ) from exc
        except SSLError as exc:
            raise FetchRefused(f"The secure connection to {current} failed: {exc}") from exc
        except (NewConnectionError, ProtocolError, HTTPError) as exc:
            raise FetchTransient(
                f"Could not connect to {urlsplit(current).hostname}; it may work later."
            ) from exc
        try:
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused(f"{current} redirects without saying where to.")
                current = urljoin(current, location)
                continue
            return _read(current, response, accept=accept, limit=limit, deadline=deadline)
        finally:
            # Never reused: every request connects afresh, so every hop is checked again.
            response.close()
            response.release_conn()
    raise FetchRefused(
        f"{url} redirects more than {settings.INGEST_FETCH_MAX_REDIRECTS} times; not followed."
    )


def _read(url: str, response, *, accept: frozenset[str], limit: int, deadline: float) -> Fetched:
    headers = {k.lower(): v for k, v in response.headers.items()}
    if response.status == 304:
        return Fetched(url=url, status=304, headers=headers)
    if response.status in TRANSIENT_STATUSES:
        raise FetchTransient(
            f"The server answered {response.status} {response.reason or ''} for {url}; "
            "it may work later."
        )
    if response.status >= 400:
        raise FetchRefused(f"The server answered {response.status} {response.reason or ''} "
                           f"for {url}.")
    raw_type = headers.get("content-type", "")
    content_type = raw_type.split(";")[0].strip().lower()
    if content_type and content_type not in accept:
        response.close()
        raise FetchRefused(f"{url} is {content_type}, not a web page or feed.")
    charset = None
    for param in raw_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        response.close()
        raise FetchRefused(f"{url} is {_mb(int(declared))}; the limit is {_mb(limit)}.")
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.stream(CHUNK, decode_content=True):
            size += len(chunk)
            if size > limit:
                response.close()
                raise FetchRefused(f"{url} is larger than {_mb(limit)}, the limit; not read.")
            if time.monotonic() > deadline:
                response.close()
                raise FetchTransient(
                    f"{url} took longer than {settings.INGEST_FETCH_TOTAL_TIMEOUT:g} s to "
                    "download; it may work later."
                )
            chunks.append(chunk)
    except ReadTimeoutError as exc:
        raise FetchTransient(f"{url} stopped sending data; it may work later.") from exc
    except (ProtocolError, HTTPError) as exc:
        raise FetchTransient(f"The download of {url} broke off; it may work later.") from exc
    return Fetched(
        url=url,
        status=response.status,
        content=b"".join(chunks),
        content_type=content_type,
        charset=charset,
        headers=headers,
    )
