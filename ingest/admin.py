from django.contrib import admin

from .models import Article, Feed, FeedEntry, IngestItem, IngestRun, Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "created_at"]
    search_fields = ["name", "domain"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published", "status", "language", "ingested_at"]
    list_filter = ["status", "language", "outlet"]
    search_fields = ["title", "url", "text"]
    list_select_related = ["outlet"]
    date_hierarchy = "ingested_at"
    readonly_fields = ["content_hash", "ingested_at"]
    autocomplete_fields = ["outlet"]
    filter_horizontal = ["near_duplicates"]


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


class IngestItemInline(admin.TabularInline):
    model = IngestItem
    extra = 0
    fields = ["seq", "kind", "source", "status", "article", "error", "stances_proposed"]
    readonly_fields = fields
    can_delete = False


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
