"""Celery tasks: thin, idempotent wrappers over ingest.services. They take ids, and return
quietly when the row is gone or the work is already done, so a redelivered task is harmless
(the settings acknowledge late and give tasks of a lost worker back to the queue).

One item per task: reading and extracting one article fits the time limits with room to
spare, and a task stopped at the limit costs that item alone. A dropped or restarting
database is retried with exponential backoff and jitter, a bounded number of times; past
that the task fails, the item stays pending, and beat's `runs_resume` sends it again."""

from __future__ import annotations

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings

from . import services
from .fetch import FetchTransient

DATABASE_RETRY = {
    "autoretry_for": services.DATABASE_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 8,
}
# Backoff of a passing network failure, in seconds: well within the visibility timeout.
FETCH_BACKOFF_MAX = 60


@shared_task(ignore_result=True, **DATABASE_RETRY)
def run_start(run_id: int) -> int:
    files, urls = services.run_start(run_id=run_id)
    for item_id in files + urls:
        ingest_item.delay(item_id)
    return len(files) + len(urls)


@shared_task(ignore_result=True)
def ingest_files(item_ids: list[int]) -> None:
    """Messages queued by an earlier version (ten files a task): one task per item now."""
    for item_id in item_ids:
        ingest_item.delay(item_id)


@shared_task(bind=True, ignore_result=True, **DATABASE_RETRY)
def ingest_item(self, item_id: int, fetch_tries: int = 0) -> None:
    # Only passing network failures are retried, with exponential backoff and jitter, a
    # bounded number of times; the last try records the failure on the item. Their count
    # travels in the message, apart from the retries of database errors.
    retries = settings.INGEST_FETCH_RETRIES
    attempt = fetch_tries
    while True:
        try:
            services.item_process(
                item_id=item_id, last_attempt=attempt >= retries, attempts=attempt + 1
            )
            return
        except FetchTransient as exc:
            if not self.request.is_eager:
                countdown = get_exponential_backoff_interval(
                    factor=2, retries=attempt, maximum=FETCH_BACKOFF_MAX, full_jitter=True
                )
                raise self.retry(
                    exc=exc,
                    countdown=countdown,
                    args=(item_id,),
                    kwargs={"fetch_tries": attempt + 1},
                    max_retries=self.max_retries + retries,
                ) from exc
            # Eager (no broker): Celery would raise the Retry here; try again in place.
            attempt += 1


@shared_task(ignore_result=True, **DATABASE_RETRY)
def feed_poll(feed_id: int, force: bool = False) -> int | None:
    run = services.feed_poll(feed_id=feed_id, force=force)
    if run is not None:
        services.run_enqueue(run)
    return run.pk if run else None


@shared_task(ignore_result=True, **DATABASE_RETRY)
def feeds_poll_due() -> int:
    due = services.feeds_due()
    for feed_id in due:
        feed_poll.delay(feed_id)
    return len(due)


@shared_task(ignore_result=True, **DATABASE_RETRY)
def runs_resume() -> int:
    stalled = services.runs_resume()
    for run_id in stalled:
        run_start.delay(run_id)
    return len(stalled)
