"""Where the tracker's knowledge comes from: outlets, articles, feeds and ingest runs."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from .storage import upload_delete, uploads


def _choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=253, blank=True, help_text="e.g. reuters.com")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain"], condition=~Q(domain=""), name="outlet_unique_domain"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ArticleStatus(models.TextChoices):
    STORED = "stored", "Stored, not yet extracted"
    EXTRACTED = "extracted", "Extracted"
    FAILED = "failed", "Extraction failed"


class Article(models.Model):
    url = models.URLField(
        "canonical URL", max_length=2000, blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    content_hash = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of the normalised text."
    )
    title = models.CharField(max_length=500)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    published = models.DateField(null=True, blank=True)
    text = models.TextField()
    language = models.CharField(max_length=16, default="en")
    ingested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.STORED
    )
    status_detail = models.TextField(blank=True)
    # One wire story carried by two outlets: both kept, linked, so corroboration counts outlets.
    near_duplicates = models.ManyToManyField("self", symmetrical=True, blank=True)
    # A 64-bit SimHash of the text cut into eight bytes. Two texts within seven differing bits
    # share at least one byte in place (and within ten, almost always), so an indexed lookup
    # per byte finds the candidates without comparing against every article.
    simhash_0 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    simhash_1 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    simhash_2 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    simhash_3 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    simhash_4 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    simhash_5 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    simhash_6 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    simhash_7 = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-published", "-ingested_at"]
        permissions = [("extract_article", "Can propose stances from articles again")]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_unique_url"
            ),
            # A source link readers follow: http or https only ("javascript:" never).
            models.CheckConstraint(
                condition=Q(url="") | Q(url__istartswith="http://")
                | Q(url__istartswith="https://"),
                name="article_url_is_web",
            ),
            _choices_check("status", ArticleStatus, "article_status_valid"),
        ]
        indexes = [
            models.Index(fields=["published"], name="article_published_idx"),
            models.Index(fields=["status", "ingested_at"], name="article_status_idx"),
            *(
                models.Index(fields=[f"simhash_{i}"], name=f"article_simhash_{i}_idx")
                for i in range(8)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stances:article", args=[self.pk])

    @property
    def language_name(self) -> str:
        from .extraction.language import language_name

        return language_name(self.language)

    @property
    def extraction_note(self) -> str:
        """Why extraction proposed nothing from this article (its language), for anyone to
        read. Only an extracted article's detail is such a note; a failure's is a reason for
        curators (it may quote an error), and is not returned."""
        return self.status_detail if self.status == ArticleStatus.EXTRACTED else ""

    @property
    def simhash(self) -> int | None:
        parts = [getattr(self, f"simhash_{i}") for i in range(8)]
        if None in parts:
            return None
        return int.from_bytes(bytes(parts), "big")

    @simhash.setter
    def simhash(self, value: int | None) -> None:
        parts = [None] * 8 if value is None else list(value.to_bytes(8, "big"))
        for i, part in enumerate(parts):
            setattr(self, f"simhash_{i}", part)


class Feed(models.Model):
    """An RSS or Atom feed polled by Celery beat; new entries are fetched as URLs."""

    url = models.URLField(max_length=2000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.SET_NULL, null=True, blank=True, related_name="feeds"
    )
    poll_interval = models.PositiveIntegerField("polling interval (minutes)", default=60)
    active = models.BooleanField(default=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=Q(poll_interval__gte=1), name="feed_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


class FeedEntry(models.Model):
    """An entry id already seen in a feed, so polling skips it without fetching."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="entries")
    entry_id = models.CharField(max_length=2000)
    url = models.URLField(max_length=2000, blank=True)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="feed_entries"
    )
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "feed entries"
        constraints = [
            models.UniqueConstraint(fields=["feed", "entry_id"], name="feedentry_unique_id"),
        ]

    def __str__(self) -> str:
        return self.entry_id


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class IngestRunQuerySet(models.QuerySet):
    def unfinished(self) -> IngestRunQuerySet:
        return self.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])

    def stalled(self, *, since: dt.datetime) -> IngestRunQuerySet:
        """Unfinished runs with pending items that have not moved since `since`."""
        return (
            self.unfinished()
            .filter(progressed_at__lt=since, items__status=ItemStatus.PENDING)
            .distinct()
        )


class IngestRun(models.Model):
    """One batch of inputs: who started it, how far it got, what failed and why."""

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=50, default="web", help_text="web, cli, feed, admin")
    label = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    stances_proposed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    feed = models.ForeignKey(
        Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Moves whenever an item finishes: a run that stops moving has lost its tasks.
    progressed_at = models.DateTimeField(default=timezone.now)

    objects = IngestRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("resume_ingestrun", "Can resume ingest runs")]
        constraints = [
            _choices_check("status", RunStatus, "run_status_valid"),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(started_at__isnull=False),
                name="run_finished_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.get_status_display()})"

    @property
    def processed(self) -> int:
        return self.new_count + self.duplicate_count + self.failed_count

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.processed / self.total))

    @property
    def finished(self) -> bool:
        return self.status in {RunStatus.DONE, RunStatus.FAILED}


class ItemKind(models.TextChoices):
    FILE = "file", "File"
    URL = "url", "URL"
    TEXT = "text", "Pasted text"
    FEED = "feed", "Feed"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    NEW = "new", "New article"
    DUPLICATE = "duplicate", "Duplicate"
    FAILED = "failed", "Failed"


class IngestItemQuerySet(models.QuerySet):
    def pending(self) -> IngestItemQuerySet:
        return self.filter(status=ItemStatus.PENDING)

    def failed(self) -> IngestItemQuerySet:
        return self.filter(status=ItemStatus.FAILED)


class IngestItem(models.Model):
    """One input of a run. Its outcome is written once, so a retried task is harmless."""

    run = models.ForeignKey(IngestRun, on_delete=models.CASCADE, related_name="items")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    source = models.TextField(help_text="The path, URL or name as given.")
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="ingest_items"
    )
    error = models.TextField(blank=True)
    stances_proposed = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    # An uploaded or command-line file waits on disk (INGEST_UPLOAD_DIR, shared by the web
    # process and the workers) until the item is done, then it is deleted.
    upload = models.FileField(
        storage=uploads, max_length=300, blank=True, editable=False, default=""
    )
    # Items queued by earlier versions carry the file in the row: read, cleared once done.
    payload = models.BinaryField(null=True, blank=True, editable=False)
    feed_entry = models.ForeignKey(
        FeedEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    # Tries begun and not (yet) ended: one that never ends lost its worker or hit the hard
    # time limit. Past INGEST_ITEM_MAX_LOST_TRIES the item fails instead of looping.
    tries_lost = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = IngestItemQuerySet.as_manager()

    class Meta:
        ordering = ["run", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["run", "seq"], name="ingestitem_unique_seq"),
            _choices_check("kind", ItemKind, "ingestitem_kind_valid"),
            _choices_check("status", ItemStatus, "ingestitem_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.FAILED) | ~Q(error=""),
                name="ingestitem_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_status_display()})"


@receiver(post_delete, sender=IngestItem)
def _item_upload_delete(sender, instance: IngestItem, **kwargs) -> None:
    """An item deleted before it was done (its run deleted) leaves no file waiting."""
    if name := instance.upload.name:
        transaction.on_commit(lambda: upload_delete(name))
