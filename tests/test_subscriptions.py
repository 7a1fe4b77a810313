"""Signed-in readers watch countries or topics; others' subscriptions are out of reach."""

import pytest

from stances.models import Subscription

pytestmark = pytest.mark.django_db

URL = "/subscriptions/"


def test_anonymous_readers_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/subscriptions/")
    assert client.get("/accounts/login/").status_code == 200


def test_a_reader_signs_in_and_watches_a_country(client, outsider):
    response = client.post(
        "/accounts/login/",
        {"username": "outsider", "password": "pw-outsider-123", "next": URL},
    )
    assert response["Location"] == URL
    response = client.post(
        URL,
        {
            "topic": "ukraine-troop-deployment",
            "country": "de",
            "next": "/t/ukraine-troop-deployment/de/",
        },
    )
    assert response["Location"] == "/t/ukraine-troop-deployment/de/"
    client.post(URL, {"topic": "ukraine-troop-deployment", "country": "de"})
    sub = Subscription.objects.get()
    assert (sub.user, sub.country.iso2) == (outsider, "DE")
    html = client.get(URL).content.decode()
    assert "Germany" in html and "no e-mail address" in html


def test_watching_a_whole_topic(client, outsider):
    client.force_login(outsider)
    client.post(URL, {"topic": "ukraine-troop-deployment", "country": ""})
    assert Subscription.objects.get().country is None
    assert "every country" in client.get(URL).content.decode()


def test_bad_input_is_a_400_with_the_form(client, outsider):
    client.force_login(outsider)
    response = client.post(URL, {"topic": "nope", "country": "zz"})
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_an_offsite_next_is_ignored(client, outsider):
    client.force_login(outsider)
    response = client.post(
        URL, {"topic": "ukraine-troop-deployment", "country": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == URL


def test_only_the_owner_can_stop_a_subscription(client, outsider, curator, topic):
    mine = Subscription.objects.create(user=curator, topic=topic)
    client.force_login(outsider)
    assert client.post(f"/subscriptions/{mine.pk}/delete/").status_code == 404
    assert Subscription.objects.filter(pk=mine.pk).exists()
    client.force_login(curator)
    assert client.post(f"/subscriptions/{mine.pk}/delete/").status_code == 302
    assert not Subscription.objects.exists()


def test_subscription_page_query_budget(client, outsider, topic, django_assert_max_num_queries):
    for iso2 in ("DE", "FR", "PL"):
        Subscription.objects.create(user=outsider, topic=topic, country_id=_country(iso2))
    client.force_login(outsider)
    # Session, user, permissions (2), subscriptions, and the form's topics and countries.
    with django_assert_max_num_queries(7):
        assert client.get(URL).status_code == 200


def _country(iso2: str) -> int:
    from stances.models import Country

    return Country.objects.get(iso2=iso2).pk
