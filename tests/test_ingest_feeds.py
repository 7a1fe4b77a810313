"""RSS and Atom feeds: polled on their interval, only new entries fetched, validators used,
bad feeds recorded with a reason."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from ingest import services, tasks
from ingest.models import Article, Feed, FeedEntry, IngestRun, ItemStatus
from tests.webserver import article_html

TEXT = [
    "A government spokesman said on Monday that the cabinet had agreed to offer two transport "
    "aircraft and a field hospital to the multinational force planned for after a ceasefire.",
    "The offer stops short of combat troops, which the coalition partners in parliament have "
    "ruled out, but officials said it could be expanded if the mission received a mandate.",
]


def rss(server, *names: str) -> str:
    items = "".join(
        f"<item><title>Story {n}</title><link>{server.url('/story/' + n)}</link>"
        f"<guid>urn:story:{n}</guid></item>"
        for n in names
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>'
        f"<link>{server.url('/')}</link>{items}</channel></rss>"
    )


def serve_stories(server, *names: str) -> None:
    for n in names:
        server.add(f"/story/{n}", article_html(f"Story {n} headline", [f"({n})", *TEXT]))


def poll(feed: Feed) -> IngestRun | None:
    run = services.feed_poll(feed_id=feed.pk, force=True)
    return services.run_execute(run_id=run.pk) if run else None


@pytest.mark.django_db
def test_a_poll_picks_up_only_new_entries(web):
    serve_stories(web, "1", "2", "3")
    web.add("/feed", rss(web, "1", "2"), content_type="application/rss+xml")
    feed = services.feed_register(url=web.url("/feed"))
    first = poll(feed)
    assert (first.total, first.new_count, first.feed) == (2, 2, feed)
    web.add("/feed", rss(web, "3", "2", "1"), content_type="application/rss+xml")
    second = poll(feed)
    assert (second.total, second.new_count) == (1, 1)
    assert web.hits("/story/1") == 1 and web.hits("/story/3") == 1
    assert poll(feed) is None
    assert Article.objects.count() == 3
    entry = FeedEntry.objects.get(entry_id="urn:story:3")
    assert entry.article.title == "Story 3 headline"
    feed.refresh_from_db()
    assert feed.title == "Test Wire" and feed.last_error == "" and feed.last_polled_at


@pytest.mark.django_db
def test_an_unchanged_feed_is_not_downloaded_again(web):
    serve_stories(web, "1")
    body = rss(web, "1").encode()

    def conditional(headers):
        if headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Mon, 08 Sep 2025 10:00:00 GMT"}, body

    web.add("/feed", content_type="application/rss+xml", handler=conditional)
    feed = services.feed_register(url=web.url("/feed"))
    assert poll(feed).new_count == 1
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified) == ('"v1"', "Mon, 08 Sep 2025 10:00:00 GMT")
    assert poll(feed) is None
    assert web.requests[-1][1]["if-none-match"] == '"v1"'
    assert web.requests[-1][1]["if-modified-since"] == "Mon, 08 Sep 2025 10:00:00 GMT"


@pytest.mark.django_db
def test_an_atom_feed_works_too(web):
    serve_stories(web, "a")
    web.add(
        "/atom",
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Atom Wire</title><id>urn:feed</id><updated>2025-09-08T10:00:00Z</updated>"
        f'<entry><title>A</title><id>urn:a</id><link href="{web.url("/story/a")}"/>'
        "<updated>2025-09-08T10:00:00Z</updated></entry></feed>",
        content_type="application/atom+xml",
    )
    run = poll(services.feed_register(url=web.url("/atom")))
    assert run.new_count == 1


@pytest.mark.django_db
def test_a_feed_that_is_not_xml_fails_with_a_reason(web):
    web.add("/feed", "just some words, no feed here", content_type="text/plain")
    feed = services.feed_register(url=web.url("/feed"))
    run = services.feed_poll(feed_id=feed.pk, force=True)
    (item,) = run.items.all()
    assert run.status == "failed" and item.status == ItemStatus.FAILED
    assert "is not an RSS or Atom feed" in item.error
    feed.refresh_from_db()
    assert feed.last_error == item.error


@pytest.mark.django_db
def test_an_unreachable_feed_fails_with_a_reason(web):
    feed = services.feed_register(url=web.url("/missing"))
    run = services.feed_poll(feed_id=feed.pk, force=True)
    assert "404" in run.items.get().error


@pytest.mark.django_db
def test_a_feed_with_ten_thousand_entries_is_taken_in_bounded_steps(web, settings):
    settings.INGEST_FEED_MAX_ENTRIES = 5
    names = [str(n) for n in range(10_000)]
    web.add("/feed", rss(web, *names), content_type="application/rss+xml",
            headers={"ETag": '"big"'})
    feed = services.feed_register(url=web.url("/feed"))
    first = services.feed_poll(feed_id=feed.pk, force=True)
    assert first.total == 5
    assert list(first.items.values_list("source", flat=True)) == [
        web.url(f"/story/{n}") for n in range(5)
    ]
    feed.refresh_from_db()
    assert feed.etag == ""  # more entries wait: the next poll must not be "not modified"
    second = services.feed_poll(feed_id=feed.pk, force=True)
    assert second.items.first().source == web.url("/story/5")
    assert FeedEntry.objects.filter(feed=feed).count() == 10


@pytest.mark.django_db
def test_feeds_are_due_by_their_own_interval():
    now = timezone.now()
    fresh = Feed.objects.create(url="https://a.example/feed", poll_interval=60,
                                last_polled_at=now - dt.timedelta(minutes=10))
    stale = Feed.objects.create(url="https://b.example/feed", poll_interval=5,
                                last_polled_at=now - dt.timedelta(minutes=10))
    never = Feed.objects.create(url="https://c.example/feed")
    Feed.objects.create(url="https://d.example/feed", active=False)
    assert set(services.feeds_due()) == {stale.pk, never.pk}
    assert services.feed_poll(feed_id=fresh.pk) is None  # a redelivered task does nothing


def test_celery_beat_asks_for_due_feeds_every_minute():
    schedule = django_settings.CELERY_BEAT_SCHEDULE["ingest-feeds-poll-due"]
    assert schedule["task"] == tasks.feeds_poll_due.name
    assert schedule["schedule"] == 60.0


@pytest.mark.django_db
def test_the_command_registers_and_polls_a_feed(web):
    serve_stories(web, "1")
    web.add("/feed", rss(web, "1"), content_type="application/rss+xml")
    out = StringIO()
    call_command("ingest", "--feed", web.url("/feed"), "--sync", stdout=out, stderr=StringIO())
    assert "1 new, 0 duplicates, 0 failed" in out.getvalue()
    assert Feed.objects.get().url == web.url("/feed")
    out = StringIO()
    call_command("ingest", "--feed", web.url("/feed"), "--sync", stdout=out, stderr=StringIO())
    assert "no new entries" in out.getvalue()


@pytest.mark.django_db
def test_the_beat_task_polls_due_feeds_and_ingests_their_entries(
    web, django_capture_on_commit_callbacks
):
    serve_stories(web, "1")
    web.add("/feed", rss(web, "1"), content_type="application/rss+xml")
    feed = services.feed_register(url=web.url("/feed"))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.feeds_poll_due.delay()
    run = IngestRun.objects.get(feed=feed)
    assert (run.status, run.new_count) == ("done", 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.feeds_poll_due.delay().get() == 0  # polled a moment ago: not due
