"""The ingest workflow: inputs become an ingest run of items; each item is read or fetched,
turned into a document, deduplicated, stored as an article, linked to its near-duplicates
and handed to stance extraction. Feeds are polled into runs of their new entries.

Each item's outcome is written once, in one transaction with the article it stored and the
run's counters, so a task that dies half-way and runs again neither loses nor doubles work.
An item whose tries keep dying (a worker lost, a time limit passed) fails after a few.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import feedparser
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .documents import (
    EMPTY_FILE,
    Document,
    Rejected,
    document_from_file,
    document_from_html,
    outlet_from_url,
    size_refusal,
)
from .fetch import FEED_TYPES, PAGE_TYPES, FetchError, FetchTransient, check_scheme, fetch
from .models import (
    Article,
    ArticleStatus,
    Feed,
    FeedEntry,
    IngestItem,
    IngestRun,
    ItemKind,
    ItemStatus,
    Outlet,
    RunStatus,
)
from .storage import upload_delete, upload_keep, upload_read
from .text import bits_apart, content_hash, text_simhash, url_canonical

log = logging.getLogger(__name__)

FILE_SUFFIXES = frozenset({".txt", ".html", ".htm"})
# Feed ids are unbounded strings; longer ones are hashed to fit the column.
ENTRY_ID_MAX = 2000
URL_MAX = 2000
# A dropped or restarting database: passing, so tasks retry them (ingest.tasks); never the
# outcome of an item.
DATABASE_ERRORS = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class ItemInput:
    kind: str
    source: str
    # The content: a file waiting in the upload storage (its name), or small bytes.
    upload: str = ""
    payload: bytes | None = None
    # Set when the input is already known to fail (missing file, too large).
    error: str = ""
    feed_entry_id: int | None = None


# --- Inputs -------------------------------------------------------------------------------


def is_url(value: str) -> bool:
    return "://" in value[:20]


def input_from_url(url: str) -> ItemInput:
    url = url.strip()
    try:
        check_scheme(url)
    except FetchError as exc:
        return ItemInput(ItemKind.URL, url, error=exc.reason)
    return ItemInput(ItemKind.URL, url)


def _file_refusal(size: int) -> str | None:
    if refusal := size_refusal(size):
        return refusal
    return EMPTY_FILE if size == 0 else None


def input_from_upload(upload: UploadedFile) -> ItemInput:
    """An uploaded file, moved to the upload storage for the worker; one too large or empty
    is recorded as failed without being kept."""
    if refusal := _file_refusal(upload.size):
        return ItemInput(ItemKind.FILE, upload.name, error=refusal)
    return ItemInput(ItemKind.FILE, upload.name, upload=upload_keep(upload))


def input_from_path(path: Path) -> ItemInput:
    """A file named on the command line, copied in chunks to the upload storage (the worker
    may be on another machine); its size is checked before anything is read."""
    if refusal := _file_refusal(path.stat().st_size):
        return ItemInput(ItemKind.FILE, str(path), error=refusal)
    with path.open("rb") as file:
        return ItemInput(ItemKind.FILE, str(path), upload=upload_keep(File(file)))


def inputs_from_args(args: Iterable[str]) -> list[ItemInput]:
    """Command-line arguments: URLs, files, and folders (their .txt and .html files)."""
    inputs: list[ItemInput] = []
    for arg in args:
        if is_url(arg):
            inputs.append(input_from_url(arg))
            continue
        path = Path(arg)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in FILE_SUFFIXES)
        elif path.is_file():
            files = [path]
        else:
            inputs.append(ItemInput(ItemKind.FILE, arg, error=f"No such file or folder: {arg}"))
            continue
        inputs.extend(input_from_path(file) for file in files)
    return inputs


# --- Runs ---------------------------------------------------------------------------------


def run_create(
    *,
    inputs: list[ItemInput],
    source: str,
    label: str = "",
    started_by=None,
    feed: Feed | None = None,
) -> IngestRun:
    """Record a run and its items; inputs known to fail are recorded failed at once. Should
    that fail, the files the inputs keep in the upload storage are deleted."""
    now = timezone.now()
    try:
        return _run_create(
            inputs=inputs, source=source, label=label, started_by=started_by, feed=feed, now=now
        )
    except BaseException:
        for i in inputs:
            upload_delete(i.upload)
        raise


def _run_create(
    *,
    inputs: list[ItemInput],
    source: str,
    label: str,
    started_by,
    feed: Feed | None,
    now: dt.datetime,
) -> IngestRun:
    with transaction.atomic():
        run = IngestRun.objects.create(
            source=source,
            label=label[:300],
            started_by=started_by,
            feed=feed,
            total=len(inputs),
            failed_count=sum(1 for i in inputs if i.error),
        )
        IngestItem.objects.bulk_create(
            IngestItem(
                run=run,
                seq=seq,
                kind=i.kind,
                source=i.source,
                upload=i.upload,
                payload=i.payload,
                feed_entry_id=i.feed_entry_id,
                status=ItemStatus.FAILED if i.error else ItemStatus.PENDING,
                error=i.error,
                finished_at=now if i.error else None,
            )
            for seq, i in enumerate(inputs, start=1)
        )
        if run.processed >= run.total:
            _run_finish(run)
            run.save()
    return run


def run_enqueue(run: IngestRun) -> None:
    """Hand the run to the workers once the transaction that made it is committed."""
    from . import tasks

    if not run.finished:
        transaction.on_commit(lambda: tasks.run_start.delay(run.pk))


def run_start(*, run_id: int) -> tuple[list[int], list[int]]:
    """Mark the run running; the ids of its items still to do (all of them, or after a lost
    worker, the rest: sending one twice is harmless), as (files, URLs)."""
    now = timezone.now()
    IngestRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, progressed_at=now
    )
    pending = list(IngestItem.objects.filter(run_id=run_id).pending().values_list("pk", "kind"))
    files = [pk for pk, kind in pending if kind != ItemKind.URL]
    urls = [pk for pk, kind in pending if kind == ItemKind.URL]
    return files, urls


def run_execute(*, run_id: int, progress: Callable[[IngestItem], None] | None = None) -> IngestRun:
    """Process a run in this process, item by item (`manage.py ingest --sync`)."""
    files, urls = run_start(run_id=run_id)
    for item_id in files + urls:
        item_process(item_id=item_id)
        if progress:
            progress(IngestItem.objects.get(pk=item_id))
    return IngestRun.objects.get(pk=run_id)


def runs_resume() -> list[int]:
    """Ids of unfinished runs that stopped moving: their messages were lost. Each is marked
    as moved now, so a run still waiting is sent again once per stall period, not at every
    beat (sending an item twice is harmless, but it fills the queue)."""
    now = timezone.now()
    since = now - dt.timedelta(minutes=settings.INGEST_STALL_MINUTES)
    stalled = list(IngestRun.objects.stalled(since=since).values_list("pk", flat=True))
    IngestRun.objects.filter(pk__in=stalled).update(progressed_at=now)
    return stalled


def _run_finish(run: IngestRun) -> None:
    now = timezone.now()
    run.started_at = run.started_at or now
    run.finished_at = now
    if run.total and run.failed_count == run.total:
        run.status = RunStatus.FAILED
        run.error = (
            "The only item failed." if run.total == 1 else f"All {run.total} items failed."
        )
    else:
        run.status = RunStatus.DONE


def _run_count(run_id: int, status: str, stances: int) -> None:
    run = IngestRun.objects.select_for_update().get(pk=run_id)
    counter = {
        ItemStatus.NEW: "new_count",
        ItemStatus.DUPLICATE: "duplicate_count",
        ItemStatus.FAILED: "failed_count",
    }[status]
    setattr(run, counter, getattr(run, counter) + 1)
    run.stances_proposed += stances
    run.progressed_at = timezone.now()
    if run.status == RunStatus.QUEUED:
        run.status = RunStatus.RUNNING
        run.started_at = run.progressed_at
    if run.processed >= run.total:
        _run_finish(run)
    run.save()


# --- Items --------------------------------------------------------------------------------


def item_process(*, item_id: int, last_attempt: bool = True, attempts: int = 1) -> None:
    """Read or fetch one item and record its outcome. Returns quietly when the item is gone
    or already done. A passing network failure is raised for a retry unless `last_attempt`;
    `attempts` counts the tries so far, this one included. A database error is raised, for
    the task to retry: it says nothing about the item.

    Each try is counted until it ends; a try that never ends (its worker killed, or the task
    stopped at the hard time limit) stays counted, and once INGEST_ITEM_MAX_LOST_TRIES of
    them are counted the item fails with that reason instead of being tried forever."""
    item = IngestItem.objects.filter(pk=item_id).first()
    if item is None or item.status != ItemStatus.PENDING:
        return
    if item.tries_lost >= settings.INGEST_ITEM_MAX_LOST_TRIES:
        _item_record(item_id, error=_lost_tries_reason(item.tries_lost))
        return
    IngestItem.objects.filter(pk=item_id).update(tries_lost=F("tries_lost") + 1)
    try:
        _item_work(item, last_attempt=last_attempt, attempts=attempts)
    except Exception:
        _try_end(item_id)
        raise
    # Not on SystemExit: a process terminated at the hard time limit exits through it.
    _try_end(item_id)


def _item_work(item: IngestItem, *, last_attempt: bool, attempts: int) -> None:
    item_id = item.pk
    try:
        existing, document = _read_item(item)
    except FetchTransient as exc:
        if not last_attempt:
            raise
        tried = f" (gave up after {attempts} tries)" if attempts > 1 else ""
        _item_record(item_id, error=exc.reason + tried)
    except (Rejected, FetchError) as exc:
        _item_record(item_id, error=exc.reason)
    except DATABASE_ERRORS:
        raise
    except SoftTimeLimitExceeded:
        _item_record(item_id, error=f"Reading this input {_past_time_limit()}")
    except Exception as exc:
        # A bug or a pathological input must cost one item, not the batch.
        log.exception("ingest item %s failed", item_id)
        _item_record(item_id, error=f"Unexpected error while reading this input: {exc!r}")
    else:
        _item_record(item_id, existing=existing, document=document)


def _past_time_limit() -> str:
    return f"took longer than the time limit ({settings.CELERY_TASK_SOFT_TIME_LIMIT} s)."


def _lost_tries_reason(tries: int) -> str:
    return (
        f"Given up after {tries} tries that never ended: each time the worker was lost or "
        f"the task was stopped at its hard time limit ({settings.CELERY_TASK_TIME_LIMIT} s)."
    )


def _try_end(item_id: int) -> None:
    """This try ended (whatever its outcome): it is not a lost one. After a dropped database
    connection the first attempt fails; one more on a new connection."""
    for attempt in range(2):
        try:
            IngestItem.objects.filter(pk=item_id, tries_lost__gt=0).update(
                tries_lost=F("tries_lost") - 1
            )
            return
        except DATABASE_ERRORS:
            if attempt or connection.in_atomic_block:
                log.warning("could not count the end of a try of ingest item %s", item_id)
                return
            connection.close()


def _read_item(item: IngestItem) -> tuple[Article | None, Document | None]:
    if item.kind == ItemKind.URL:
        url = url_canonical(item.source)
        if existing := Article.objects.filter(url=url).first():
            return existing, None
        page = fetch(item.source, accept=PAGE_TYPES)
        if page.content_type == "text/plain":
            document = document_from_file(name=url, data=page.content)
            return None, replace(document, url=url)
        final = url_canonical(page.url)
        if final != url and (existing := Article.objects.filter(url=final).first()):
            return existing, None
        return None, document_from_html(page.content, url=final, charset=page.charset)
    return None, document_from_file(name=item.source, data=_item_content(item))


def _item_content(item: IngestItem) -> bytes:
    if not item.upload:
        return bytes(item.payload or b"")
    try:
        # One byte over the limit is enough to refuse it by its size.
        return upload_read(item.upload.name, settings.INGEST_MAX_BYTES + 1)
    except FileNotFoundError:
        raise Rejected(
            "The uploaded file is not in INGEST_UPLOAD_DIR on this worker: that folder must "
            "be shared by the web process and the workers."
        ) from None


def _item_record(
    item_id: int,
    *,
    error: str = "",
    existing: Article | None = None,
    document: Document | None = None,
) -> None:
    with transaction.atomic():
        item = IngestItem.objects.select_for_update().defer("payload").filter(pk=item_id).first()
        if item is None or item.status != ItemStatus.PENDING:
            return
        stances = 0
        if error:
            item.status, item.error = ItemStatus.FAILED, error[:2000]
        else:
            created = False
            if existing is None:
                existing, created = article_store(document=document)
            item.article = existing
            item.status = ItemStatus.NEW if created else ItemStatus.DUPLICATE
            if created:
                stances, failure = _article_extract(existing)
                if failure:
                    # Stored (and marked failed, for "extract again"), but not a success.
                    item.status = ItemStatus.FAILED
                    item.error = f"Stored, but extraction failed: {failure}"[:2000]
            if item.feed_entry_id:
                FeedEntry.objects.filter(pk=item.feed_entry_id).update(article=existing)
        item.stances_proposed = stances
        item.finished_at = timezone.now()
        item.payload = None
        if done_with := item.upload.name:
            # The article keeps the text; the file is not needed any more.
            transaction.on_commit(lambda: upload_delete(done_with))
            item.upload = ""
        item.save()
        _run_count(item.run_id, item.status, stances)


# --- Articles -----------------------------------------------------------------------------


def _article_existing(*, url: str, digest: str) -> Article | None:
    same = Q(content_hash=digest) | Q(url=url) if url else Q(content_hash=digest)
    return Article.objects.filter(same).order_by("pk").first()


def article_store(*, document: Document) -> tuple[Article, bool]:
    """The article for this document: the one already stored under its canonical URL or its
    text's hash, or a new one linked to its near-duplicates. Returns (article, created)."""
    url = url_canonical(document.url) if document.url else ""
    if len(url) > URL_MAX:
        url = ""  # a truncated URL would name another page; the text hash still dedups
    digest = content_hash(document.text)
    if existing := _article_existing(url=url, digest=digest):
        return existing, False
    article = Article(
        url=url,
        content_hash=digest,
        title=document.title or "Untitled",
        outlet=_outlet_for(document.outlet, url),
        published=document.published,
        text=document.text,
        language=document.language,
    )
    article.simhash = text_simhash(document.text)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Another worker stored the same story a moment ago.
        if existing := _article_existing(url=url, digest=digest):
            return existing, False
        raise
    _near_duplicates_link(article)
    return article, True


def _outlet_for(name: str | None, url: str) -> Outlet | None:
    domain = outlet_from_url(url) or ""
    name = (name or "").strip()[:200] or domain
    if not name:
        return None
    for _ in range(2):
        if domain and (found := Outlet.objects.filter(domain=domain).first()):
            return found
        if found := Outlet.objects.filter(name__iexact=name).first():
            return found
        try:
            with transaction.atomic():
                return Outlet.objects.create(name=name, domain=domain)
        except IntegrityError:
            continue  # created meanwhile by another worker: look again
    return Outlet.objects.filter(Q(name__iexact=name) | Q(domain=domain, domain__gt="")).first()


def _near_duplicates_link(article: Article) -> None:
    value = article.simhash
    if value is None:
        return
    fields = [f"simhash_{i}" for i in range(8)]
    same_byte = Q()
    for name in fields:
        same_byte |= Q(**{name: getattr(article, name)})
    close = [
        pk
        for pk, *parts in Article.objects.filter(same_byte)
        .exclude(pk=article.pk)
        .values_list("pk", *fields)
        if bits_apart(int.from_bytes(bytes(parts), "big"), value)
        <= settings.INGEST_NEAR_DUPLICATE_BITS
    ]
    if close:
        article.near_duplicates.add(*close)


def article_extract(*, article_id: int) -> int:
    """Propose stances from a stored article, and keep the sentences on the topic the rules
    could not place for a curator ("needs a position"); returns how many new stances were
    proposed. What was found but not kept is said in the article's status detail.

    An article in a language extraction does not read (English only) proposes nothing: it is
    extracted all the same (not failed: nothing went wrong), with its detected language and
    a note for curators that says why nothing was extracted."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    return _article_extract(article)[0]


def _article_extract(article: Article) -> tuple[int, str]:
    """(stances proposed, why extraction failed: empty when it did not)."""
    from stances.services import candidates_record, claims_record

    from .extraction import EXTRACTOR_VERSION, analyse
    from .extraction.language import UNDETERMINED, detect_language, is_read, not_read_note

    # A prefix keeps the evidence offsets valid; past it, a "story" is not news but a
    # flood, and reading it all would hold a worker for minutes.
    text = article.text[: settings.EXTRACTION_MAX_CHARS]
    proposed, detail = 0, ""
    try:
        language = detect_language(text)
        if is_read(language):
            with transaction.atomic():
                found = analyse(text, article.published)
                result = claims_record(
                    article=article, claims=found.claims, extractor_version=EXTRACTOR_VERSION
                )
                kept = candidates_record(
                    article=article, candidates=found.candidates,
                    extractor_version=EXTRACTOR_VERSION,
                )
            proposed = len(result.created)
            detail = " ".join(part for part in (result.detail, kept.detail) if part)
        else:
            detail = not_read_note(language)
    except DATABASE_ERRORS:
        raise
    except Exception as exc:
        if isinstance(exc, SoftTimeLimitExceeded):
            reason = f"Extraction {_past_time_limit()}"
        else:
            log.exception("extraction failed for article %s", article.pk)
            reason = repr(exc)
        article.status, article.status_detail = ArticleStatus.FAILED, reason[:2000]
        article.save(update_fields=["status", "status_detail"])
        return 0, article.status_detail
    # Undetermined (too short to tell) keeps the language the source declared, if any.
    if language != UNDETERMINED:
        article.language = language
    article.status, article.status_detail = ArticleStatus.EXTRACTED, detail[:2000]
    article.save(update_fields=["language", "status", "status_detail"])
    return proposed, ""


# --- Feeds --------------------------------------------------------------------------------


def feeds_due(*, now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return [
        feed.pk
        for feed in Feed.objects.filter(active=True).only("pk", "poll_interval", "last_polled_at")
        if feed.last_polled_at is None
        or feed.last_polled_at + dt.timedelta(minutes=feed.poll_interval) <= now
    ]


def feed_register(*, url: str, poll_interval: int = 60) -> Feed:
    feed, _ = Feed.objects.get_or_create(
        url=url.strip(), defaults={"poll_interval": poll_interval}
    )
    return feed


def _entry_id(entry) -> str:
    raw = entry.get("id") or entry.get("link") or entry.get("title", "") + entry.get("summary", "")
    if len(raw) > ENTRY_ID_MAX:
        return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()
    return raw


def _feed_failed(feed: Feed, reason: str) -> IngestRun:
    Feed.objects.filter(pk=feed.pk).update(last_polled_at=timezone.now(), last_error=reason)
    return run_create(
        inputs=[ItemInput(ItemKind.FEED, feed.url, error=reason)],
        source="feed",
        label=f"Feed {feed}",
        feed=feed,
    )


def feed_poll(*, feed_id: int, force: bool = False, started_by=None) -> IngestRun | None:
    """Fetch a feed (conditionally, with its ETag and Last-Modified) and start a run of the
    entries never seen before. None when nothing is new or the feed is not due. A feed that
    fails makes a failed run, so curators see why."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None or (not force and feed_id not in feeds_due()):
        return None
    conditional = {}
    if feed.etag:
        conditional["If-None-Match"] = feed.etag
    if feed.last_modified:
        conditional["If-Modified-Since"] = feed.last_modified
    try:
        answer = fetch(feed.url, accept=FEED_TYPES, headers=conditional)
    except FetchError as exc:
        return _feed_failed(feed, exc.reason)
    if answer.not_modified:
        Feed.objects.filter(pk=feed.pk).update(last_polled_at=timezone.now(), last_error="")
        return None
    parsed = feedparser.parse(
        answer.content, response_headers={"content-type": answer.content_type}
    )
    # An empty body parses to a result without even a version key.
    if not parsed.get("version") and not parsed.get("entries"):
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        return _feed_failed(feed, f"{feed.url} is not an RSS or Atom feed{detail}.")
    entries: dict[str, str] = {}
    for entry in parsed.entries:
        entries.setdefault(_entry_id(entry), (entry.get("link") or "").strip())
    with transaction.atomic():
        feed = Feed.objects.select_for_update().get(pk=feed.pk)
        seen: set[str] = set()
        ids = list(entries)
        for start in range(0, len(ids), 500):
            seen.update(
                FeedEntry.objects.filter(feed=feed, entry_id__in=ids[start : start + 500])
                .values_list("entry_id", flat=True)
            )
        new = [entry_id for entry_id in ids if entry_id not in seen]
        taken = new[: settings.INGEST_FEED_MAX_ENTRIES]
        created = FeedEntry.objects.bulk_create(
            FeedEntry(feed=feed, entry_id=entry_id, url=entries[entry_id][:2000])
            for entry_id in taken
        )
        # Left-over entries are fetched next time: forget the validators so that the next
        # poll is not answered "not modified".
        more = len(new) > len(taken)
        feed.etag = "" if more else answer.headers.get("etag", "")[:500]
        feed.last_modified = "" if more else answer.headers.get("last-modified", "")[:100]
        feed.title = feed.title or (parsed.feed.get("title") or "")[:300]
        feed.last_polled_at = timezone.now()
        feed.last_error = ""
        feed.save()
        inputs = [
            ItemInput(ItemKind.URL, entry.url, feed_entry_id=entry.pk)
            if entry.url
            else ItemInput(ItemKind.URL, entry.entry_id[:300], error="The feed entry has no link.")
            for entry in _with_pks(feed, created)
        ]
        if not inputs:
            return None
        run = run_create(
            inputs=inputs, source="feed", label=f"Feed {feed}", feed=feed, started_by=started_by
        )
    return run


def _with_pks(feed: Feed, entries: list[FeedEntry]) -> list[FeedEntry]:
    """bulk_create sets primary keys on PostgreSQL and SQLite; look them up otherwise."""
    if all(entry.pk for entry in entries):
        return entries
    by_id = FeedEntry.objects.filter(feed=feed).in_bulk(
        [e.entry_id for e in entries], field_name="entry_id"
    )
    return [by_id[e.entry_id] for e in entries]
