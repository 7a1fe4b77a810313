"""Server-side request forgery: 30+ spellings of addresses the fetcher must never reach.

Each URL goes through the real fetcher. A guard on socket.connect fails the test if any
connection is attempted to an address outside loopback, so no test here can send traffic to
the private network or a metadata service even if the check were broken; loopback forms may
connect (to nothing listening, or to the test's own server) and must still be refused.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest

from ingest.fetch import PAGE_TYPES, FetchRefused, address_refusal, fetch


@pytest.fixture(autouse=True)
def only_loopback_traffic(monkeypatch, settings):
    settings.INGEST_FETCH_ALLOW = []
    settings.INGEST_FETCH_RETRIES = 0
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if not ipaddress.ip_address(host).is_loopback:
            pytest.fail(f"the fetcher tried to connect to {host}", pytrace=False)
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


# The forms by which an attacker writes an address that must not be fetched.
REFUSED_URLS = [
    "http://127.0.0.1/",
    "http://127.0.0.1:8000/admin/",
    "http://localhost/",
    "http://LOCALHOST./",
    "http://127.1/",
    "http://127.0.1/",
    "http://2130706433/",  # decimal 127.0.0.1
    "http://0x7f000001/",  # hex
    "http://0x7f.0x0.0x0.0x1/",
    "http://0177.0.0.1/",  # octal
    "http://017700000001/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",
    "http://0.0.0.0/",
    "http://0/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://2852039166/",  # decimal 169.254.169.254
    "http://0xa9fea9fe/",
    "http://0251.0376.0251.0376/",  # octal 169.254.169.254
    "http://169.254.170.2/v2/credentials",
    "http://100.100.100.200/latest/meta-data/",
    "http://[fd00:ec2::254]/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://0xc0a80101/",  # hex 192.168.1.1
    "http://[fc00::1]/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://198.18.0.1/",  # benchmarking range
    "http://240.0.0.1/",  # reserved
    "http://user:pass@127.0.0.1/",
    "https://127.0.0.1:443/",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_the_fetcher_refuses_the_address_with_a_reason(url):
    with pytest.raises(FetchRefused, match=r"Refused to fetch|could not be found|no address"):
        fetch(url, accept=PAGE_TYPES)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/",
        "gopher://127.0.0.1:6379/_INFO",
        "dict://127.0.0.1:6379/info",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http:///nohost",
    ],
)
def test_other_schemes_are_refused_before_any_lookup(url):
    with pytest.raises(FetchRefused, match="Only http and https|no host name"):
        fetch(url, accept=PAGE_TYPES)


def test_a_public_name_that_resolves_to_a_private_address_is_refused(monkeypatch):
    # DNS is the outside world: answer as a rebinding attacker's name server would.
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(FetchRefused, match="10.1.2.3, a private network address"):
        fetch("http://news.attacker.example/story", accept=PAGE_TYPES)


def test_a_name_with_one_public_and_one_metadata_answer_never_reaches_the_metadata(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("169.254.169.254", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(FetchRefused, match="cloud metadata"):
        fetch("http://metadata.attacker.example/", accept=PAGE_TYPES)


def test_a_redirect_to_a_private_address_is_refused(web, settings):
    settings.INGEST_FETCH_ALLOW = ["127.0.0.1/32"]
    web.redirect("/go", "http://192.168.0.10/admin")
    with pytest.raises(FetchRefused, match="192.168.0.10, a private network address"):
        fetch(web.url("/go"), accept=PAGE_TYPES)


def test_a_redirect_to_the_metadata_service_by_decimal_address_is_refused(web, settings):
    settings.INGEST_FETCH_ALLOW = ["127.0.0.1/32"]
    web.redirect("/go", "http://2852039166/latest/meta-data/")
    with pytest.raises(FetchRefused, match="cloud metadata"):
        fetch(web.url("/go"), accept=PAGE_TYPES)


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888", "93.184.216.34"])
def test_public_addresses_pass_the_check(address):
    assert address_refusal(ipaddress.ip_address(address)) is None
