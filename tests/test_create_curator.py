"""manage.py create_curator: one command gives a new curator an account that reviews,
places candidates, adds stances and opens the admin."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from stances.roles import is_curator, may_add_stances, may_place_candidates

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


def _run(*args, **kwargs) -> str:
    out = StringIO()
    call_command("create_curator", *args, stdout=out, **kwargs)
    return out.getvalue()


def test_it_creates_a_curator_with_the_password_from_the_environment(client, monkeypatch):
    monkeypatch.setenv("CURATOR_PASSWORD", PASSWORD)
    out = _run("ada", "--email", "ada@example.org", "--name", "Ada Lovelace", "--noinput")
    assert "Created curator ada: in Curators, staff." in out
    user = get_user_model().objects.get(username="ada")
    assert user.check_password(PASSWORD) and user.is_staff and not user.is_superuser
    assert (user.email, user.get_full_name()) == ("ada@example.org", "Ada Lovelace")
    assert is_curator(user) and may_place_candidates(user) and may_add_stances(user)
    # What a curator notices: signing in to the admin, then the review queue opens.
    response = client.post(
        reverse("admin:login"),
        {"username": "ada", "password": PASSWORD, "next": reverse("admin:index")},
        follow=True,
    )
    assert response.status_code == 200 and response.context["user"].is_authenticated
    assert client.get(reverse("review:queue")).status_code == 200
    assert client.get(reverse("admin:stances_stance_add")).status_code == 200


def test_it_prompts_for_the_password_twice(monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _run("grace", "--email", "grace@example.org")
    assert get_user_model().objects.get(username="grace").check_password(PASSWORD)


def test_two_different_passwords_make_no_account(monkeypatch):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="The two passwords differ"):
        _run("grace")
    assert not get_user_model().objects.filter(username="grace").exists()


def test_a_weak_password_or_none_is_refused(monkeypatch):
    monkeypatch.setenv("CURATOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short|too common|entirely numeric"):
        _run("weak", "--noinput")
    monkeypatch.delenv("CURATOR_PASSWORD")
    with pytest.raises(CommandError, match="set \\$CURATOR_PASSWORD"):
        _run("nopass", "--noinput")
    assert not get_user_model().objects.filter(username__in=["weak", "nopass"]).exists()


def test_an_existing_user_becomes_a_curator_and_keeps_their_password(
    django_user_model, monkeypatch
):
    monkeypatch.delenv("CURATOR_PASSWORD", raising=False)
    reader = django_user_model.objects.create_user("reader", password="reader-pass-123")
    out = _run("reader", "--noinput")
    assert "Made curator reader (password unchanged)" in out
    reader.refresh_from_db()
    assert reader.check_password("reader-pass-123") and reader.is_staff and is_curator(reader)
    _run("reader", "--noinput")  # again: nothing breaks, nothing doubles
    assert reader.groups.count() == 1
