from django.contrib import admin
from django.db.models import Count

from .models import Actor, ActorAlias, Country, CountryGroup, Evidence, Stance, Topic


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "iso2", "slug"]
    search_fields = ["name", "iso2"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CountryGroup)
class CountryGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(ordering="member_total", description="members")
    def member_count(self, obj) -> int:
        return obj.member_total


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "role", "speaks_for_government"]
    list_filter = ["kind", "speaks_for_government", "country"]
    search_fields = ["name", "role", "aliases__alias"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ActorAliasInline]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ["article"]
    fields = ["article", "sentence", "start", "end", "kind"]


@admin.register(Stance)
class StanceAdmin(admin.ModelAdmin):
    list_display = [
        "country",
        "position",
        "actor",
        "statement_date",
        "date_precision",
        "status",
        "confidence",
        "creator",
        "evidence_count",
    ]
    list_filter = ["status", "position", "topic", "date_precision", "extractor_version", "country"]
    search_fields = ["country__name", "actor__name", "summary", "evidence__sentence"]
    list_select_related = ["country", "actor", "created_by"]
    autocomplete_fields = ["country", "actor"]
    date_hierarchy = "statement_date"
    readonly_fields = ["created_at", "updated_at", "reviewed_at", "reviewed_by", "created_by"]
    inlines = [EvidenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(evidence_total=Count("evidence"))

    @admin.display(ordering="evidence_total", description="evidence")
    def evidence_count(self, obj) -> int:
        return obj.evidence_total

    @admin.display(description="created by")
    def creator(self, obj) -> str:
        return obj.extractor_version or str(obj.created_by or "")


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["short_sentence", "stance", "article", "kind"]
    list_filter = ["kind"]
    search_fields = ["sentence", "article__title"]
    list_select_related = ["stance__country", "stance__actor", "article"]
    autocomplete_fields = ["stance", "article"]

    @admin.display(description="sentence")
    def short_sentence(self, obj) -> str:
        return obj.sentence[:100]
