"""The Celery app. Settings come from Django's settings module (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("stance_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.healthcheck")
def healthcheck() -> dict[str, object]:
    """Prove a worker reaches the broker and the database: returns what it sees."""
    from django.db import connection

    from stances.models import Country

    return {"database": connection.vendor, "countries": Country.objects.count()}
