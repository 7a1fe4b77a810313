"""Ingesting news pages by URL: extraction, dedup by canonical URL, and safe fetching.

Every request goes to the test's own server on 127.0.0.1; refused addresses are checked with
the address check itself, or are loopback addresses that the test setting does not allow."""

import ipaddress

import pytest

from ingest import services
from ingest.fetch import PAGE_TYPES, FetchRefused, address_refusal, fetch
from ingest.models import Article, IngestRun, ItemStatus
from tests.webserver import article_html

PARAGRAPHS = [
    "The defence minister of a small northern country said on Saturday that her government "
    "was ready to send a company of engineers to a multinational reassurance force.",
    "Speaking after a meeting of the coalition in the capital, she said parliament would vote "
    "on the deployment within weeks, once a ceasefire had been agreed by both sides.",
    "Opposition leaders questioned the cost of the mission and asked for a clearer mandate, "
    "but several said they would support it if allies shared the burden fairly.",
]


def ingest_urls(*urls: str) -> IngestRun:
    run = services.run_create(
        inputs=[services.input_from_url(u) for u in urls], source="test", label="urls"
    )
    return services.run_execute(run_id=run.pk)


def only_item(run: IngestRun):
    (item,) = run.items.all()
    return item


@pytest.mark.django_db
def test_a_page_from_a_local_server_ingests_with_title_text_date_and_outlet(web):
    url = web.add("/news/1", article_html("Engineers offered for reassurance force", PARAGRAPHS))
    run = ingest_urls(url)
    assert (run.status, run.new_count) == ("done", 1)
    article = Article.objects.get()
    assert article.title == "Engineers offered for reassurance force"
    assert "company of engineers" in article.text
    assert "Home" not in article.text and "All rights reserved" not in article.text
    assert article.published.isoformat() == "2025-09-06"
    assert article.outlet.name == "Test Gazette"
    assert article.url == url


@pytest.mark.django_db
def test_the_same_url_with_tracking_parameters_is_a_duplicate_without_fetching_again(web):
    url = web.add("/news/1", article_html("Engineers offered", PARAGRAPHS))
    ingest_urls(url)
    run = ingest_urls(url.replace("127.0.0.1", "127.0.0.1") + "?utm_source=rss&utm_medium=x#top")
    assert (run.new_count, run.duplicate_count) == (0, 1)
    assert only_item(run).article == Article.objects.get()
    assert web.hits("/news/1") == 1


@pytest.mark.django_db
def test_redirects_are_followed_to_the_article(web):
    target = web.add("/final", article_html("Engineers offered", PARAGRAPHS))
    web.redirect("/b", target, 301)
    start = web.redirect("/a", "/b")
    run = ingest_urls(start)
    assert run.new_count == 1
    assert Article.objects.get().url == target


@pytest.mark.django_db
def test_a_redirect_to_an_address_not_allowed_is_refused_before_connecting(web):
    # 127.0.0.2 is loopback, which the test setting (127.0.0.1 only) does not allow.
    start = web.redirect("/a", "http://127.0.0.2:9/secret")
    item = only_item(ingest_urls(start))
    assert item.status == ItemStatus.FAILED
    assert "127.0.0.2" in item.error and "loopback" in item.error
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_more_than_five_redirects_are_refused(web):
    for n in range(7):
        web.redirect(f"/r{n}", f"/r{n + 1}")
    item = only_item(ingest_urls(web.url("/r0")))
    assert "redirects more than 5 times" in item.error


@pytest.mark.django_db
def test_loopback_is_refused_when_the_test_setting_is_off(web, settings):
    settings.INGEST_FETCH_ALLOW = []
    item = only_item(ingest_urls(web.add("/news/1", article_html("x", PARAGRAPHS))))
    assert item.status == ItemStatus.FAILED
    assert "loopback" in item.error and "Only public internet addresses" in item.error
    assert web.requests == []


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "private network"),
        ("172.16.5.4", "private network"),
        ("192.168.0.10", "private network"),
        ("169.254.169.254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("169.254.10.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private network"),
        ("0.0.0.0", "reserved"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not on the public internet"),
        ("fc00::1", "private network"),
    ],
)
def test_the_address_check_refuses_non_public_addresses(address, reason, settings):
    settings.INGEST_FETCH_ALLOW = []
    assert reason in address_refusal(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_the_address_check_lets_public_addresses_through(address, settings):
    settings.INGEST_FETCH_ALLOW = []
    assert address_refusal(ipaddress.ip_address(address)) is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["ftp://example.org/a.txt", "file:///etc/passwd", "javascript:alert(1)"]
)
def test_only_http_and_https_are_fetched(url):
    item = only_item(ingest_urls(url))
    assert item.status == ItemStatus.FAILED
    assert "Only http and https" in item.error


@pytest.mark.django_db
def test_a_slow_server_times_out_with_a_reason(web):
    url = web.add("/slow", article_html("x", PARAGRAPHS), delay=1.5)
    item = only_item(ingest_urls(url))
    assert "did not answer in time" in item.error


@pytest.mark.django_db
def test_a_trickling_server_is_cut_off_by_the_total_time_limit(web, settings):
    settings.INGEST_FETCH_TOTAL_TIMEOUT = 0.5
    url = web.add("/trickle", article_html("x", PARAGRAPHS * 3), trickle=0.05)
    item = only_item(ingest_urls(url))
    assert "took longer than 0.5 s" in item.error


@pytest.mark.django_db
@pytest.mark.parametrize("send_length", [True, False])
def test_an_oversize_response_is_refused(web, settings, send_length):
    settings.INGEST_MAX_BYTES = 10_000
    url = web.add("/big", "<html><body>" + "<p>word </p>" * 5000, send_length=send_length)
    item = only_item(ingest_urls(url))
    assert "the limit" in item.error and "MB" in item.error


@pytest.mark.django_db
def test_a_wrong_content_type_is_refused(web):
    url = web.add("/logo", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, content_type="image/png")
    item = only_item(ingest_urls(url))
    assert "image/png, not a web page" in item.error


@pytest.mark.django_db
def test_a_missing_page_reports_the_servers_answer(web):
    item = only_item(ingest_urls(web.url("/gone")))
    assert "404" in item.error


@pytest.mark.django_db
def test_a_page_without_article_text_is_a_failure_with_a_reason(web):
    url = web.add("/front", "<html><head><title>Front page</title></head><body>"
                  "<nav><a href='/a'>World</a> <a href='/b'>Sport</a></nav></body></html>")
    item = only_item(ingest_urls(url))
    assert "No article text found" in item.error


@pytest.mark.django_db
def test_a_passing_server_error_is_retried_then_succeeds(
    web, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_FETCH_RETRIES = 2
    answers = iter([(503, {}, b"busy"), (503, {}, b"busy")])
    page = article_html("Engineers offered", PARAGRAPHS).encode()
    web.add("/flaky", handler=lambda headers: next(answers, (200, {}, page)))
    run = services.run_create(
        inputs=[services.input_from_url(web.url("/flaky"))], source="test"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.run_enqueue(run)  # eager Celery: the task and its retries run here
    run.refresh_from_db()
    assert (run.status, run.new_count) == ("done", 1)
    assert web.hits("/flaky") == 3


@pytest.mark.django_db
def test_a_server_error_that_persists_fails_after_the_bounded_retries(
    web, settings, django_capture_on_commit_callbacks
):
    settings.INGEST_FETCH_RETRIES = 1
    web.add("/down", b"busy", status=503, content_type="text/plain")
    run = services.run_create(inputs=[services.input_from_url(web.url("/down"))], source="test")
    with django_capture_on_commit_callbacks(execute=True):
        services.run_enqueue(run)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "gave up after 2 tries" in only_item(run).error
    assert web.hits("/down") == 2


def test_a_host_name_resolving_to_a_private_address_is_refused_without_connecting(
    monkeypatch, settings
):
    """DNS is this machine's resolver, so the answer is staged: the name points to the
    private network (as a rebinding attacker would make it), and nothing is connected."""
    import socket

    settings.INGEST_FETCH_ALLOW = ["127.0.0.1/32"]
    monkeypatch.setattr(
        "ingest.fetch.socket.getaddrinfo",
        lambda host, port, *a: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))],
    )

    def no_connect(*args, **kwargs):
        raise AssertionError("a refused address must not be connected to")

    monkeypatch.setattr("ingest.fetch.socket.socket", no_connect)
    with pytest.raises(FetchRefused, match="news.example.org: it points to 10.0.0.7, a private"):
        fetch("http://news.example.org/story", accept=PAGE_TYPES)


def test_a_host_name_that_does_not_resolve_is_refused_with_a_reason(monkeypatch):
    import socket

    def fail(*args):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr("ingest.fetch.socket.getaddrinfo", fail)
    with pytest.raises(FetchRefused, match="could not be found"):
        fetch("http://no-such-host.example/", accept=PAGE_TYPES)


@pytest.mark.django_db
def test_the_size_cap_counts_decompressed_bytes(web, settings):
    import gzip

    settings.INGEST_MAX_BYTES = 100_000
    bomb = gzip.compress(b"<p>" + b"word " * 400_000 + b"</p>")
    assert len(bomb) < settings.INGEST_MAX_BYTES
    url = web.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    item = only_item(ingest_urls(url))
    assert "larger than 0.1 MB" in item.error


@pytest.mark.django_db
def test_a_compressed_page_is_read(web):
    import gzip

    page = gzip.compress(article_html("Engineers offered", PARAGRAPHS).encode())
    run = ingest_urls(web.add("/gz", page, headers={"Content-Encoding": "gzip"}))
    assert run.new_count == 1
