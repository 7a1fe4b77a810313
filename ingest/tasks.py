"""Celery tasks: thin, idempotent wrappers over ingest.services. They take ids, and return
quietly when the row is gone or the work is already done, so a redelivered task is harmless
(the settings acknowledge late and give tasks of a lost worker back to the queue)."""

from __future__ import annotations

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from . import services
from .fetch import FetchTransient

# Files need no network: a few per message spare the per-task overhead (a message, a
# database connection) that would otherwise cost more than reading the file.
FILES_PER_TASK = 10


@shared_task(ignore_result=True)
def run_start(run_id: int) -> int:
    files, urls = services.run_start(run_id=run_id)
    for start in range(0, len(files), FILES_PER_TASK):
        ingest_files.delay(files[start : start + FILES_PER_TASK])
    for item_id in urls:
        ingest_item.delay(item_id)
    return len(files) + len(urls)


@shared_task(ignore_result=True)
def ingest_files(item_ids: list[int]) -> None:
    for item_id in item_ids:
        services.item_process(item_id=item_id)


@shared_task(bind=True, ignore_result=True)
def ingest_item(self, item_id: int) -> None:
    # Only passing network failures are retried, with exponential backoff and jitter, a
    # bounded number of times; the last try records the failure on the item.
    retries = settings.INGEST_FETCH_RETRIES
    attempt = self.request.retries
    while True:
        try:
            services.item_process(
                item_id=item_id, last_attempt=attempt >= retries, attempts=attempt + 1
            )
            return
        except FetchTransient as exc:
            if not self.request.is_eager:
                countdown = get_exponential_backoff_interval(
                    factor=2, retries=attempt, maximum=300, full_jitter=True
                )
                raise self.retry(exc=exc, countdown=countdown, max_retries=retries) from exc
            # Eager (no broker): Celery would raise the Retry here; try again in place.
            attempt += 1


@shared_task(ignore_result=True)
def feed_poll(feed_id: int, force: bool = False) -> int | None:
    run = services.feed_poll(feed_id=feed_id, force=force)
    if run is not None:
        services.run_enqueue(run)
    return run.pk if run else None


@shared_task(ignore_result=True)
def feeds_poll_due() -> int:
    due = services.feeds_due()
    for feed_id in due:
        feed_poll.delay(feed_id)
    return len(due)


@shared_task(ignore_result=True)
def runs_resume() -> int:
    stalled = services.runs_resume()
    for run_id in stalled:
        run_start.delay(run_id)
    return len(stalled)
