"""Celery tasks of the stances app: thin, take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="stances.digests_send_all")
def digests_send_all() -> int:
    """Celery beat, daily: one digest task per subscriber, so one bad address or a slow
    mail server holds up nobody else."""
    users = services.subscribers()
    for user_id in users:
        digest_send.delay(user_id)
    return len(users)


@shared_task(
    name="stances.digest_send",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def digest_send(user_id: int) -> bool:
    return services.digest_send(user_id=user_id)
