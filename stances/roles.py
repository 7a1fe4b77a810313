"""Who may do what. Readers need nothing (unless READ_REQUIRES_LOGIN); curators review and
edit stances, evidence, actors and disputes; admins (superusers) manage everything else."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

CURATORS = "Curators"
# app_label.codename of what curators may do; the group is kept in step at every migrate.
CURATOR_PERMISSIONS = [
    f"stances.{verb}_{model}"
    for model in ("stance", "evidence", "actor", "actoralias", "dispute")
    for verb in ("view", "change", "add")
] + ["stances.view_country", "stances.view_topic", "ingest.view_article", "ingest.view_outlet"]
# Curators ingest from the ingest page, watch runs and manage feeds.
CURATOR_PERMISSIONS += [
    "ingest.view_ingestrun",
    "ingest.view_feed",
    "ingest.add_feed",
    "ingest.change_feed",
]
REVIEW_PERMISSION = "stances.change_stance"


def is_curator(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)


def curator_required(view: Callable) -> Callable:
    """Anonymous users go to the login page; signed-in users who may not curate get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_curator(request.user):
            raise PermissionDenied("Curators only.")
        return view(request, *args, **kwargs)

    return wrapper


def curators_group_ensure(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _ = Group.objects.get_or_create(name=CURATORS)
    wanted = Q(pk__in=[])
    for dotted in CURATOR_PERMISSIONS:
        app_label, codename = dotted.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(wanted))
