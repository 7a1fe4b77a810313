from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .audit import who
from .forms import offer_fields_add
from .models import (
    Actor,
    ActorAlias,
    Candidate,
    Country,
    CountryGroup,
    DatePrecision,
    Dispute,
    Evidence,
    ExtractionEvaluation,
    PositionChange,
    ReviewStatus,
    Stance,
    Subscription,
    Topic,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "iso2", "slug"]
    search_fields = ["name", "iso2"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CountryGroup)
class CountryGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "member_count", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "description", "members__name"]
    fields = ["name", "slug", "order", "description", "members"]
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
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "role", "speaks_for_government", "needs_review"]
    list_filter = ["needs_review", "kind", "speaks_for_government", "country"]
    list_editable = ["role", "speaks_for_government"]
    actions = ["merge_actors", "confirm_actors"]
    search_fields = ["name", "role", "aliases__alias"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ActorAliasInline]

    @admin.action(description="Confirm selected proposed actors", permissions=["change"])
    def confirm_actors(self, request, queryset):
        for actor in queryset.filter(needs_review=True):
            actor.needs_review = False
            actor.save(update_fields=["needs_review"])
        self.message_user(request, "Confirmed.", messages.SUCCESS)

    @admin.action(description="Merge selected actors into one…", permissions=["change"])
    def merge_actors(self, request, queryset):
        actors = list(queryset.select_related("country").annotate(stance_total=Count("stances")))
        if len(actors) < 2:
            self.message_user(request, "Select at least two actors to merge.", messages.ERROR)
            return None
        survivor_id = request.POST.get("survivor")
        if request.POST.get("confirm") and survivor_id:
            survivor = next((a for a in actors if str(a.pk) == survivor_id), None)
            if survivor is None:
                self.message_user(request, "Choose the actor to keep.", messages.ERROR)
                return None
            services.actors_merge(survivor=survivor, duplicates=actors, user=request.user)
            self.message_user(
                request, f"Merged {len(actors) - 1} actor(s) into {survivor}.", messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/stances/actor/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge actors",
                "actors": actors,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    # Whether an actor speaks for the government decides which stances make the official
    # line: an edit or a deletion here can move a country's position, as a review does.

    def _watched(self, request, actor_ids):
        pairs = services.actor_stance_pairs(actor_ids)
        return services.positions_watched(pairs, user=request.user)

    def save_model(self, request, obj, form, change) -> None:
        with self._watched(request, [obj.pk] if obj.pk else []):
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        with self._watched(request, [obj.pk]):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        with self._watched(request, list(queryset.values_list("pk", flat=True))):
            super().delete_queryset(request, queryset)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


def _review_stamped(obj, form, user) -> None:
    """A status set by hand in the admin says who decided it and when (a reviewed stance or
    evidence must, by constraint); set back to proposed, it awaits review again."""
    if "status" not in form.changed_data:
        return
    if obj.status == ReviewStatus.PROPOSED:  # the same value for evidence
        obj.reviewed_by, obj.reviewed_at = None, None
    else:
        obj.reviewed_by, obj.reviewed_at = user, timezone.now()


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ["article"]
    fields = ["article", "sentence", "start", "end", "kind", "status"]


class StanceAdminForm(forms.ModelForm):
    class Meta:
        model = Stance
        fields = [
            "topic", "country", "actor", "position", "statement_date", "date_precision",
            "summary", "contributions", "conditions", "size", "status", "rejection_reason",
            "confidence", "extractor_version",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Checkboxes of the topic's vocabulary (the stance's, or the default topic's for a
        # new one): Stance.clean() refuses any other code.
        topic = self.instance.topic if self.instance.topic_id else Topic.objects.filter(
            slug=settings.DEFAULT_TOPIC
        ).first()
        offer_fields_add(self, topic)
        self.fields["size"].required = False

    def clean(self) -> dict:
        """A date typed with no precision is the exact day; a precision needs a date."""
        cleaned = super().clean()
        date, precision = cleaned.get("statement_date"), cleaned.get("date_precision")
        if date and precision == DatePrecision.UNKNOWN:
            cleaned["date_precision"] = DatePrecision.DAY
        elif date is None and precision and precision != DatePrecision.UNKNOWN:
            self.add_error("statement_date", "Give the date, or set the precision to “Unknown”.")
        reason = (cleaned.get("rejection_reason") or "").strip()
        if cleaned.get("status") == ReviewStatus.REJECTED and not reason:
            self.add_error("rejection_reason", "A rejection needs a reason: say what is wrong.")
        elif cleaned.get("status") != ReviewStatus.REJECTED:
            cleaned["rejection_reason"] = ""
        return cleaned


@admin.register(Stance)
class StanceAdmin(SimpleHistoryAdmin):
    form = StanceAdminForm
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
        if obj.extractor_version:
            return f"extractor {obj.extractor_version}"
        return who(obj.created_by)

    def _watched(self, request, obj):
        # An edit here can move a country's current position as a review does: record it.
        pairs = {(obj.topic_id, obj.country_id)}
        if obj.pk:
            pairs |= set(Stance.objects.filter(pk=obj.pk).values_list("topic_id", "country_id"))
        return services.positions_watched(pairs, user=request.user)

    # Saving one of these with the stance approved or rejected is a review by the user.
    REVIEWED_FIELDS = {
        "status", "position", "country", "actor", "statement_date", "contributions",
        "conditions", "size",
    }

    def save_model(self, request, obj, form, change) -> None:
        was = Stance.objects.filter(pk=obj.pk).values_list("status", "reviewed_at").first()
        obj._was = was or (ReviewStatus.PROPOSED, None)
        # Typed in here, the stance is the user's, not an extractor's.
        if not obj.extractor_version and obj.created_by_id is None:
            obj.created_by = request.user
        if obj.status == ReviewStatus.PROPOSED:
            obj.reviewed_by, obj.reviewed_at = None, None
        elif obj.reviewed_at is None or self.REVIEWED_FIELDS & set(form.changed_data):
            obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()
        with self._watched(request, obj):
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        for inline_form in formset.forms:
            if inline_form.has_changed():
                _review_stamped(inline_form.instance, inline_form, request.user)
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change) -> None:
        # The stance's evidence awaiting review follows a change of its status, once the
        # inline evidence is saved.
        super().save_related(request, form, formsets, change)
        form.instance.evidence_follow(was=form.instance._was, user=request.user)

    def delete_model(self, request, obj) -> None:
        with self._watched(request, obj):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        pairs = set(queryset.values_list("topic_id", "country_id").distinct())
        with services.positions_watched(pairs, user=request.user):
            super().delete_queryset(request, queryset)


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["short_sentence", "stance", "article", "kind", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["sentence", "article__title"]
    list_select_related = ["stance__country", "stance__actor", "article"]
    autocomplete_fields = ["stance", "article"]
    fields = ["stance", "article", "sentence", "start", "end", "kind", "status", "reviewed_by",
              "reviewed_at", "created_at"]
    readonly_fields = ["reviewed_by", "reviewed_at", "created_at"]

    @admin.display(description="sentence")
    def short_sentence(self, obj) -> str:
        return obj.sentence[:100]

    def save_model(self, request, obj, form, change) -> None:
        _review_stamped(obj, form, request.user)
        super().save_model(request, obj, form, change)


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ["country", "topic", "status", "created_at", "resolved_by", "resolved_at"]
    list_filter = ["status", "topic"]
    search_fields = ["country__name", "note"]
    list_select_related = ["country", "topic", "resolved_by"]
    filter_horizontal = ["stances"]
    readonly_fields = ["resolved_by", "resolved_at", "created_at"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """Placed or dismissed in the review queue ("Needs a position"), where placing one records
    the stance, its evidence and any change of position; here they are only read."""

    list_display = [
        "country",
        "short_sentence",
        "actor_name",
        "status",
        "reviewed_by",
        "created_at",
    ]
    list_filter = ["status", "extractor_version", "country"]
    search_fields = ["sentence", "actor_name", "article__title"]
    list_select_related = ["country", "reviewed_by"]
    date_hierarchy = "created_at"

    @admin.display(description="sentence")
    def short_sentence(self, obj) -> str:
        return obj.sentence[:100]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PositionChange)
class PositionChangeAdmin(admin.ModelAdmin):
    """Recorded by the review services; read-only, as a log should be."""

    list_display = ["country", "topic", "previous_position", "position", "recorded_at"]
    list_filter = ["topic", "position"]
    list_select_related = ["country", "topic"]
    date_hierarchy = "recorded_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "topic", "country", "created_at", "notified_until"]
    list_select_related = ["user", "topic", "country"]
    autocomplete_fields = ["country"]


@admin.register(ExtractionEvaluation)
class ExtractionEvaluationAdmin(admin.ModelAdmin):
    list_display = ["recorded_at", "extractor_version", "corpus", "description"]
    list_filter = ["corpus", "extractor_version"]
