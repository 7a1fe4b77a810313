"""Ingesting files: the corpus format, plain text and HTML; dedup by URL and text; near-
duplicates linked; every bad input recorded with its reason while the batch goes on."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ingest import services
from ingest.models import Article, IngestRun, ItemStatus
from tests.factories import make_article
from tests.webserver import article_html

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "seeds"

WIRE = (
    "Ministers from eleven countries met in a provincial capital on Thursday to discuss a "
    "multinational force that would patrol the line of contact after a ceasefire. The host "
    "government said the force would need air cover, a clear command structure and a mandate "
    "that parliaments could approve. Two delegations said they were ready to contribute "
    "engineers and logistics units, while a third said it would only help with training "
    "outside the country. Officials expect a further meeting next month, when the defence "
    "chiefs are due to present detailed plans for rotation, supply and medical support.\n\n"
    "Diplomats cautioned that no country would deploy before a ceasefire held for several "
    "weeks, and that the size of each contribution depended on votes at home. One minister "
    "said public opinion had shifted in favour of the mission over the summer, while another "
    "warned that budgets were already stretched by earlier commitments to air defence."
)


def corpus_file(url="unknown", title="unknown", published="unknown", outlet="unknown", body=WIRE):
    return (
        f"url: {url}\ntitle: {title}\npublished: {published}\noutlet: {outlet}\n---\n{body}\n"
    ).encode()


def ingest(tmp_path: Path, files: dict[str, bytes]) -> IngestRun:
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    run = services.run_create(
        inputs=services.inputs_from_args([str(tmp_path / n) for n in files]), source="test"
    )
    return services.run_execute(run_id=run.pk)


def outcome(run: IngestRun) -> dict[str, tuple[str, str]]:
    return {Path(i.source).name: (i.status, i.error) for i in run.items.all()}


@pytest.mark.django_db
@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds is not beside the project")
def test_ingesting_the_seeds_twice_keeps_five_articles_and_reports_five_duplicates():
    first, second = StringIO(), StringIO()
    call_command("ingest", str(SEEDS), "--sync", stdout=first, stderr=StringIO())
    call_command("ingest", str(SEEDS), "--sync", stdout=second, stderr=StringIO())
    assert Article.objects.count() == 5
    assert "5 new, 0 duplicates, 0 failed" in first.getvalue()
    assert "0 new, 5 duplicates, 0 failed" in second.getvalue()
    assert all(a.title and a.text for a in Article.objects.all())


@pytest.mark.django_db
def test_a_corpus_file_keeps_its_header_values(tmp_path):
    run = ingest(tmp_path, {"a.txt": corpus_file(
        url="https://News.Example.org/world/1?utm_source=feed", title="Force plans discussed",
        published="2025-09-04", outlet="Example News",
    )})
    assert run.new_count == 1
    article = Article.objects.get()
    assert article.title == "Force plans discussed"
    assert article.published.isoformat() == "2025-09-04"
    assert article.outlet.name == "Example News"
    assert article.url == "https://news.example.org/world/1"
    assert article.text == WIRE


@pytest.mark.django_db
def test_unknown_header_values_are_derived_from_the_text(tmp_path):
    body = (
        "World News\n\nCoalition weighs a reassurance force\n\n"
        "By A. Writer · September 6, 2025\n\n" + WIRE
    )
    ingest(tmp_path, {"a.txt": corpus_file(body=body)})
    article = Article.objects.get()
    assert article.title == "Coalition weighs a reassurance force"
    assert article.published.isoformat() == "2025-09-06"
    assert article.outlet is None


@pytest.mark.django_db
def test_plain_text_and_html_files_are_ingested(tmp_path):
    html = article_html("Engineers offered for the force", [WIRE[:300], WIRE[300:]])
    run = ingest(tmp_path, {"plain.txt": ("Talks on a force\n\n" + WIRE).encode(),
                            "page.html": html.encode()})
    assert run.new_count == 2
    titles = set(Article.objects.values_list("title", flat=True))
    assert titles == {"Talks on a force", "Engineers offered for the force"}


@pytest.mark.django_db
def test_the_same_text_again_is_a_duplicate_even_retyped(tmp_path):
    make_article(WIRE)
    retyped = WIRE.replace("a ceasefire", "a  ceasefire").upper()
    run = ingest(tmp_path, {"copy.txt": corpus_file(body=retyped, title="Other headline")})
    assert (run.new_count, run.duplicate_count) == (0, 1)
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_the_same_canonical_url_is_a_duplicate(tmp_path):
    make_article("Some earlier text of the page.", url="https://example.org/story")
    run = ingest(tmp_path, {"a.txt": corpus_file(url="HTTPS://EXAMPLE.org/story#comments")})
    assert run.duplicate_count == 1


@pytest.mark.django_db
def test_one_wire_story_in_two_outlets_is_kept_twice_and_linked(tmp_path):
    other = WIRE.replace("on Thursday", "on Thursday, officials said,") + " Reporting by staff."
    run = ingest(tmp_path, {
        "a.txt": corpus_file(outlet="Daily One", body=WIRE),
        "b.txt": corpus_file(outlet="Evening Two", body="LONDON (Wire) - " + other),
        "c.txt": corpus_file(outlet="Daily One", body="An unrelated report about fisheries "
                             "quotas and the price of herring in northern ports. " * 5),
    })
    assert run.new_count == 3
    a, b, c = (Article.objects.get(outlet__name=n, text__contains=t) for n, t in
               [("Daily One", "Ministers"), ("Evening Two", "LONDON"), ("Daily One", "herring")])
    assert list(a.near_duplicates.all()) == [b]
    assert list(b.near_duplicates.all()) == [a]
    assert c.near_duplicates.count() == 0


@pytest.mark.django_db
def test_each_bad_file_fails_with_its_reason_and_the_batch_goes_on(tmp_path, settings):
    settings.INGEST_MAX_BYTES = 20_000
    kept = make_article("An article stored before the batch, which must not change.")
    run = ingest(tmp_path, {
        "empty.txt": b"",
        "blank.txt": b"  \n\n ",
        "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "latin1.txt": "Le ministre a déclaré que la France était prête.".encode("latin-1") * 3,
        "nav.html": b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "huge.txt": b"word " * 10_000,
        "header-only.txt": corpus_file(body=""),
        "bad-date.txt": corpus_file(published="next Tuesday"),
        "good.txt": corpus_file(title="The good one"),
    })
    reasons = outcome(run)
    assert reasons["empty.txt"] == (ItemStatus.FAILED, "The file is empty.")
    assert reasons["blank.txt"] == (ItemStatus.FAILED, "The file is empty.")
    assert "binary" in reasons["image.txt"][1]
    assert "not UTF-8" in reasons["latin1.txt"][1]
    assert "No article text found" in reasons["nav.html"][1]
    assert "the limit is" in reasons["huge.txt"][1]
    assert "no article text" in reasons["header-only.txt"][1]
    assert "published is not an ISO date" in reasons["bad-date.txt"][1]
    assert reasons["good.txt"] == (ItemStatus.NEW, "")
    assert (run.status, run.new_count, run.failed_count) == ("done", 1, 8)
    kept_after = Article.objects.get(pk=kept.pk)
    assert (kept_after.text, kept_after.title) == (kept.text, kept.title)


@pytest.mark.django_db
def test_a_missing_path_and_a_foreign_scheme_are_recorded():
    run = services.run_create(
        inputs=services.inputs_from_args(["/no/such/file.txt", "gopher://example.org/"]),
        source="test",
    )
    assert run.status == "failed"
    errors = list(run.items.values_list("error", flat=True))
    assert errors[0] == "No such file or folder: /no/such/file.txt"
    assert "Only http and https" in errors[1]


@pytest.mark.django_db
def test_processing_an_item_twice_changes_nothing(tmp_path):
    (tmp_path / "a.txt").write_bytes(corpus_file())
    run = services.run_create(inputs=services.inputs_from_args([str(tmp_path)]), source="test")
    (item_id,), _ = services.run_start(run_id=run.pk)
    services.item_process(item_id=item_id)
    services.item_process(item_id=item_id)
    run.refresh_from_db()
    assert (run.total, run.new_count, run.duplicate_count, run.status) == (1, 1, 0, "done")
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_the_command_prints_failures_and_fails_when_nothing_could_be_ingested(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = StringIO()
    with pytest.raises(CommandError, match="Nothing could be ingested"):
        call_command("ingest", str(tmp_path / "empty.txt"), stdout=out, stderr=StringIO())
    assert "failed: " in out.getvalue() and "The file is empty." in out.getvalue()


@pytest.mark.django_db
def test_a_run_that_stopped_moving_is_sent_again(tmp_path):
    import datetime as dt

    from django.utils import timezone

    from ingest import tasks

    (tmp_path / "a.txt").write_bytes(corpus_file())
    stuck = services.run_create(inputs=services.inputs_from_args([str(tmp_path)]), source="t")
    fresh = services.run_create(inputs=services.inputs_from_args([str(tmp_path)]), source="t")
    IngestRun.objects.filter(pk=stuck.pk).update(
        progressed_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert tasks.runs_resume.delay().get() == 1  # eager: the stuck run is processed here
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, stuck.new_count) == ("done", 1)
    assert fresh.status == "queued"
    # A run that is sent again counts as moved: not sent at every beat while it waits.
    IngestRun.objects.filter(pk=fresh.pk).update(
        progressed_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert services.runs_resume() == [fresh.pk]
    assert services.runs_resume() == []


@pytest.mark.django_db
def test_a_utf16_file_with_its_byte_order_mark_is_read(tmp_path):
    run = ingest(tmp_path, {"u16.txt": corpus_file(title="Wide text").decode().encode("utf-16")})
    assert run.new_count == 1
    assert Article.objects.get().title == "Wide text"


@pytest.mark.django_db
def test_each_new_article_goes_to_the_extractor_and_the_run_counts_its_proposals(
    tmp_path, monkeypatch, topic
):
    """The real extractor runs on each new article, with its published date; duplicates are
    not extracted again."""
    import datetime as dt

    from ingest import extraction

    seen = []
    real_analyse = extraction.analyse

    def analyse(text, published):  # a spy: the real extractor does the work
        seen.append(published)
        return real_analyse(text, published)

    monkeypatch.setattr(extraction, "analyse", analyse)
    body = (
        "France is ready to send troops to Ukraine as part of a reassurance force once a "
        "ceasefire is agreed, President Emmanuel Macron said on Thursday."
    )
    run = ingest(tmp_path, {"a.txt": corpus_file(published="2025-09-04", body=body),
                            "b.txt": corpus_file(published="2025-09-04", body=body)})
    assert (run.new_count, run.duplicate_count, run.stances_proposed) == (1, 1, 1)
    assert seen == [dt.date(2025, 9, 4)]
    article = Article.objects.get()
    assert article.status == "extracted"
    assert article.evidence.get().stance.extractor_version == extraction.EXTRACTOR_VERSION


def test_the_command_says_when_the_broker_is_down(tmp_path):
    """With REDIS_URL pointing at nothing, `manage.py ingest` stops at once with the reason."""
    import socket
    import subprocess
    import sys

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    article = tmp_path / "a.txt"
    article.write_text("Ministers met on Friday.", encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(article), "--worker-timeout", "1"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1
    assert "The Celery broker does not answer" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.django_db
def test_a_failed_extraction_is_a_failed_item_on_the_run_and_its_page(
    tmp_path, monkeypatch, client, curator
):
    """The article is stored (and marked failed, so "extract again" can retry it), but the
    run counts the item failed, with the reason, and not as a new article."""
    from django.urls import reverse

    from ingest import extraction

    real_analyse = extraction.analyse

    def analyse(text, published):
        if "herring" in text:
            raise RuntimeError("the rules tripped on herring")
        return real_analyse(text, published)

    monkeypatch.setattr(extraction, "analyse", analyse)
    herring = "An unrelated report about fisheries quotas and the price of herring. " * 5
    run = ingest(tmp_path, {"a.txt": corpus_file(title="Fine"),
                            "b.txt": corpus_file(title="Fish", body=herring)})
    assert (run.status, run.new_count, run.failed_count) == ("done", 1, 1)
    item = run.items.get(source__endswith="b.txt")
    assert item.status == ItemStatus.FAILED
    assert item.error.startswith("Stored, but extraction failed: ")
    assert "the rules tripped on herring" in item.error
    assert item.article.status == "failed"
    client.force_login(curator)
    page = client.get(reverse("ingest:run", args=[run.pk])).content.decode()
    assert "the rules tripped on herring" in page and "<dd>1</dd>" in page


@pytest.mark.django_db
def test_a_database_error_in_a_task_is_retried_with_backoff_and_the_item_done(
    tmp_path, monkeypatch
):
    """A worker runs the task again after a countdown (in-process, `apply` runs the retry at
    once); the item is neither failed nor lost on the way."""
    from django.db import OperationalError

    from ingest import tasks

    (tmp_path / "a.txt").write_bytes(corpus_file())
    run = services.run_create(inputs=services.inputs_from_args([str(tmp_path)]), source="t")
    (item_id,), _ = services.run_start(run_id=run.pk)
    real = services.item_process
    failures = iter([OperationalError("server closed the connection unexpectedly")])

    def flaky(**kwargs):
        if exc := next(failures, None):
            raise exc
        return real(**kwargs)

    monkeypatch.setattr(services, "item_process", flaky)
    assert tasks.ingest_item.apply((item_id,), throw=False).state == "SUCCESS"
    run.refresh_from_db()
    assert (run.status, run.new_count, run.failed_count) == ("done", 1, 0)


def test_database_errors_are_retried_by_every_ingest_task_with_bounded_backoff():
    """Past the bound a task fails and its item stays pending, for beat's resume (the fault
    tests drop PostgreSQL connections under real workers)."""
    from django.db import InterfaceError, OperationalError

    from ingest import tasks

    for task in (tasks.run_start, tasks.ingest_item, tasks.runs_resume, tasks.feed_poll,
                 tasks.feeds_poll_due):
        assert set(task.autoretry_for) == {OperationalError, InterfaceError}, task.name
        assert 3 <= task.max_retries <= 10 and task.retry_jitter, task.name
        # The longest countdown stays well inside the visibility timeout.
        assert task.retry_backoff and task.retry_backoff_max <= 60, task.name
