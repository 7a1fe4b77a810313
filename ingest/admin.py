"""The admin of the ingest app. Each action that changes something asks for its own
permission: the admin offers it only to users who hold it, and the action checks again, so
a view-only curator can neither see nor post it."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services, tasks
from .models import Article, Feed, FeedEntry, IngestItem, IngestRun, Outlet

EXTRACT_PERMISSION = "ingest.extract_article"
RESUME_PERMISSION = "ingest.resume_ingestrun"


def _permission_require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(f"This action needs the {permission} permission.")


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "created_at"]
    search_fields = ["name", "domain"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published", "status", "language", "note", "ingested_at"]
    list_filter = ["status", "language", "outlet"]
    search_fields = ["title", "url", "text"]
    list_select_related = ["outlet"]
    date_hierarchy = "ingested_at"
    readonly_fields = ["content_hash", "ingested_at"]
    autocomplete_fields = ["outlet"]
    filter_horizontal = ["near_duplicates"]
    actions = ["extract_again"]

    @admin.display(description="note", ordering="status_detail")
    def note(self, article: Article) -> str:
        # Why nothing was extracted (the language), or why extraction failed.
        detail = article.status_detail
        return detail if len(detail) <= 120 else detail[:119] + "…"

    def has_extract_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(EXTRACT_PERMISSION)

    @admin.action(
        description="Propose stances from the selected articles again", permissions=["extract"]
    )
    def extract_again(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        _permission_require(request, EXTRACT_PERMISSION)
        # Recording the same claims twice adds nothing, so this is safe to repeat.
        proposed = sum(
            services.article_extract(article_id=pk) for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(request, f"{proposed} new stance(s) proposed.")


class FeedEntryInline(admin.TabularInline):
    model = FeedEntry
    extra = 0
    fields = ["entry_id", "url", "article", "seen_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outlet", "poll_interval", "active", "last_polled_at", "last_error"]
    list_filter = ["active"]
    search_fields = ["url", "title"]
    readonly_fields = ["etag", "last_modified", "last_polled_at", "last_error"]
    actions = ["poll_now"]

    @admin.action(description="Poll the selected feeds now", permissions=["change"])
    def poll_now(self, request: HttpRequest, queryset: QuerySet[Feed]) -> None:
        _permission_require(request, "ingest.change_feed")
        for feed in queryset:
            tasks.feed_poll.delay(feed.pk, force=True)
        self.message_user(request, f"Polling {queryset.count()} feed(s); new entries start runs.")


class IngestItemInline(admin.TabularInline):
    model = IngestItem
    extra = 0
    fields = ["seq", "kind", "source", "status", "article", "error", "stances_proposed"]
    readonly_fields = fields
    can_delete = False
    max_num = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[IngestItem]:
        return super().get_queryset(request).select_related("article").defer("payload")


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "source",
        "label",
        "status",
        "total",
        "new_count",
        "duplicate_count",
        "failed_count",
        "stances_proposed",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "source"]
    search_fields = ["label", "items__source"]
    inlines = [IngestItemInline]
    actions = ["resume"]

    def has_resume_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(RESUME_PERMISSION)

    @admin.action(
        description="Resume the selected runs (send their pending items again)",
        permissions=["resume"],
    )
    def resume(self, request: HttpRequest, queryset: QuerySet[IngestRun]) -> None:
        _permission_require(request, RESUME_PERMISSION)
        runs = list(queryset.unfinished().values_list("pk", flat=True))
        for run_id in runs:
            tasks.run_start.delay(run_id)
        self.message_user(request, f"Resumed {len(runs)} unfinished run(s).")

    def view_on_site(self, obj: IngestRun) -> str:
        from django.urls import reverse

        return reverse("ingest:run", args=[obj.pk])
