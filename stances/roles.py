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
# Curators place the sentences the extractor could not decide ("needs a position").
CURATOR_PERMISSIONS += ["stances.view_candidate", "stances.change_candidate"]
# Curators ingest from the ingest page, watch runs and manage feeds.
CURATOR_PERMISSIONS += [
    "ingest.view_ingestrun",
    "ingest.view_feed",
    "ingest.add_feed",
    "ingest.change_feed",
    # ... and may extract an article again or resume a run (admin actions of their own).
    "ingest.extract_article",
    "ingest.resume_ingestrun",
]
# Country groups are data readers filter by (NATO, the coalition of the willing): curators
# keep their membership current, and may add or retire a group.
CURATOR_PERMISSIONS += [
    f"stances.{verb}_countrygroup" for verb in ("view", "add", "change", "delete")
]
REVIEW_PERMISSION = "stances.change_stance"


def is_curator(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION)


# Placing a candidate changes it and makes an approved stance with its evidence.
CANDIDATE_PERMISSIONS = ["stances.change_candidate", "stances.add_stance", "stances.add_evidence"]


def may_place_candidates(user) -> bool:
    return is_curator(user) and user.has_perms(CANDIDATE_PERMISSIONS)


# Recording a stance from a sentence makes an approved stance with its evidence.
ADD_PERMISSIONS = ["stances.add_stance", "stances.add_evidence"]


def may_add_stances(user) -> bool:
    return is_curator(user) and user.has_perms(ADD_PERMISSIONS)
# Accepting or rejecting a new source of an approved stance changes the evidence.
SOURCE_PERMISSION = "stances.change_evidence"


def may_review_sources(user) -> bool:
    return is_curator(user) and user.has_perm(SOURCE_PERMISSION)


def _required(allowed: Callable[..., bool], refusal: str) -> Callable[[Callable], Callable]:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Anonymous users go to the login page; signed-in users who may not do it get 403.
curator_required = _required(is_curator, "Curators only.")
candidates_curator_required = _required(
    may_place_candidates, "Curators who may place candidates only."
)
stance_adder_required = _required(may_add_stances, "Curators who may add stances only.")
sources_curator_required = _required(
    may_review_sources, "Curators who may change evidence only."
)


def curators_group_ensure(**kwargs) -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, _ = Group.objects.get_or_create(name=CURATORS)
    wanted = Q(pk__in=[])
    for dotted in CURATOR_PERMISSIONS:
        app_label, codename = dotted.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.add(*Permission.objects.filter(wanted))


def curator_make(
    *, username: str, email: str = "", password: str | None = None, name: str = ""
) -> tuple[object, bool]:
    """A curator account: in the Curators group (and so with its permissions), staff so the
    admin opens. A new account needs a password; an existing one keeps its own unless a new
    one is given. Returns (user, created)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.auth.password_validation import validate_password
    from django.db import transaction

    model = get_user_model()
    user = model.objects.filter(username=username).first()
    created = user is None
    if created and not password:
        raise ValueError("A new curator needs a password.")
    with transaction.atomic():
        if created:
            user = model(username=username)
        if password:
            validate_password(password, user)
            user.set_password(password)
        if email:
            user.email = model.objects.normalize_email(email)
        if name:
            first, _, last = name.strip().partition(" ")
            user.first_name, user.last_name = first, last
        user.is_staff = True
        user.is_active = True
        user.full_clean(exclude=["password"])
        user.save()
        curators_group_ensure()
        user.groups.add(Group.objects.get(name=CURATORS))
    return user, created
