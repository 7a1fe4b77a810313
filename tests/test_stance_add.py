"""Adding a stance from a sentence of an article: only curators who may add stances; the
article page lists its sentences; the form starts from what the extractor reads in the
sentence; saving records an approved stance with its evidence, as a review would. The
"needs a position" cards open the same form, and saving there places the candidate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from stances.models import Candidate, Evidence, PositionChange, Stance

from .factories import make_actor, make_article, make_candidate
from .forms_as_browsers import submitted

pytestmark = pytest.mark.django_db

TEXT = (
    "World News\n\n"
    "Berlin, 3 September 2025. Leaders met in Paris.\n"
    "A day later, Chancellor Friedrich Merz said Germany was ready to send troops to "
    "Ukraine once a ceasefire holds. Poland said nothing."
)
SENTENCE = (
    "A day later, Chancellor Friedrich Merz said Germany was ready to send troops to "
    "Ukraine once a ceasefire holds."
)
START = TEXT.index(SENTENCE)
END = START + len(SENTENCE)
TIMELINE = "/t/ukraine-troop-deployment/de/"


@pytest.fixture
def article():
    return make_article(TEXT, title="Berlin ready", published=dt.date(2025, 9, 5))


@pytest.fixture
def merz():
    return make_actor("Friedrich Merz", "DE", role="Chancellor")


def _add_url(article, start=START, end=END) -> str:
    return reverse("review:stance_add", args=[article.pk]) + f"?start={start}&end={end}"


@pytest.fixture
def view_only(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pw-viewer-123", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_stance", "change_stance", "view_article"])
    )
    return user


# --- Who may ------------------------------------------------------------------------------


def test_anonymous_users_go_to_login_and_others_are_refused(client, outsider, view_only, article):
    candidate = make_candidate("DE")
    urls = [_add_url(article), reverse("review:candidate_form", args=[candidate.pk])]
    for url in urls:
        assert client.get(url)["Location"].startswith("/accounts/login/")
        assert client.post(url, {})["Location"].startswith("/accounts/login/")
    for user in (outsider, view_only):  # view_only reviews but may not add stances
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403
            assert client.post(url, {"position": "pledge"}).status_code == 403
    assert not Stance.objects.exists()


def test_only_curators_who_may_add_see_the_sentences(client, curator, view_only, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Add stance from this sentence" not in page and "sentences.js" not in page
    client.force_login(view_only)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Add stance from this sentence" not in page
    client.force_login(curator)
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count("Add stance from this sentence") == 5  # headline, 3 sentences, Poland
    link = reverse("review:stance_add", args=[article.pk]) + f"?start={START}&amp;end={END}"
    assert f'<a href="{link}">Add stance from this sentence</a>' in page
    assert f'<li data-start="{START}" data-end="{END}">' in page
    assert "js/sentences.js" in page


def test_the_article_page_for_curators_costs_a_few_queries(
    client, curator, article, django_assert_max_num_queries
):
    client.force_login(curator)
    with django_assert_max_num_queries(7):  # + the data version of the "Cite as" line
        client.get(article.get_absolute_url())


def test_the_article_text_is_rendered_as_stored(client, article, curator):
    """Offsets of a selection in the page are offsets in the article: no <br> stands for
    a line break, CSS keeps them."""
    client.force_login(curator)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "World News\n\nBerlin, 3 September 2025." in html and "<br>" not in html


# --- The form -----------------------------------------------------------------------------


def test_the_form_starts_from_what_the_extractor_reads(
    client, curator, article, merz, django_assert_max_num_queries
):
    make_actor("Emmanuel Macron", "FR")
    client.force_login(curator)
    with django_assert_max_num_queries(11):  # +1: the topic, for its vocabulary
        html = client.get(_add_url(article)).content.decode()
    assert f"<mark id=\"chosen-sentence\">{SENTENCE}</mark>" in html
    data = submitted(html, "stance-add")
    assert (data["start"], data["end"], data["sentence"]) == (str(START), str(END), SENTENCE)
    assert data["country"] == "DE" and data["actor"] == str(merz.pk)
    # "A day later" counts from the date stated before: 3 September.
    assert (data["statement_date"], data["date_precision"]) == ("2025-09-04", "day")
    assert data["kind"] == "reported" and "position" not in data  # the curator chooses
    named = html.index('<optgroup label="Named in the sentence">')
    assert named < html.index('<option value="DE" selected>Germany</option>')
    assert html.index('<option value="DE" selected>') < html.index('<optgroup label="Other')


def test_a_selection_snaps_to_its_sentence(client, curator, article):
    client.force_login(curator)
    inside = START + SENTENCE.index("Merz")
    html = client.get(_add_url(article, inside, inside + 4)).content.decode()
    data = submitted(html, "stance-add")
    assert (data["start"], data["end"], data["sentence"]) == (str(START), str(END), SENTENCE)


def test_offsets_outside_the_text_send_back_to_the_article(client, curator, article):
    client.force_login(curator)
    response = client.get(_add_url(article, 5000, 5010), follow=True)
    assert "Choose a sentence of the article" in response.content.decode()


def test_saving_records_an_approved_stance_with_its_evidence(client, curator, article, merz):
    client.force_login(curator)
    data = submitted(client.get(_add_url(article)).content.decode(), "stance-add")
    data["position"] = "pledge"
    response = client.post(reverse("review:stance_add", args=[article.pk]), data)
    stance = Stance.objects.get()
    assert response["Location"] == stance.get_absolute_url()
    assert (stance.status, stance.created_by, stance.reviewed_by) == ("approved", curator, curator)
    assert (stance.position, stance.country.iso2, stance.actor) == ("pledge", "DE", merz)
    assert (stance.statement_date, stance.date_precision) == (dt.date(2025, 9, 4), "day")
    evidence = stance.evidence.get()
    assert (evidence.sentence, evidence.start, evidence.end) == (SENTENCE, START, END)
    assert PositionChange.objects.get().position == "pledge"  # recorded as a review does
    client.logout()
    assert SENTENCE in client.get(TIMELINE).content.decode()
    permalink = client.get(stance.get_absolute_url()).content.decode()
    assert "reviewed by curator on" in permalink and "Added by curator" in permalink


def test_a_sentence_that_is_not_the_text_at_its_offsets_is_refused(client, curator, article):
    client.force_login(curator)
    data = submitted(client.get(_add_url(article)).content.decode(), "stance-add")
    data.update(position="pledge", start="0", end="10")
    response = client.post(reverse("review:stance_add", args=[article.pk]), data)
    assert response.status_code == 400
    assert "those offsets hold “World News”" in response.content.decode()
    assert not Stance.objects.exists() and not Evidence.objects.exists()


def test_a_line_break_sent_back_as_crlf_is_the_same_sentence(client, curator):
    wrapped = "Chancellor Merz said Germany was ready\nto send troops to Ukraine."
    article = make_article(f"Intro.\n\n{wrapped}")
    start = article.text.index(wrapped)
    client.force_login(curator)
    data = submitted(
        client.get(_add_url(article, start, start + len(wrapped))).content.decode(), "stance-add"
    )
    assert data["sentence"] == wrapped
    data.update(position="pledge", sentence=wrapped.replace("\n", "\r\n"))
    response = client.post(reverse("review:stance_add", args=[article.pk]), data)
    assert response.status_code == 302
    assert Evidence.objects.get().sentence == wrapped


def test_a_country_or_actor_not_offered_is_refused(client, curator, article):
    client.force_login(curator)
    data = submitted(client.get(_add_url(article)).content.decode(), "stance-add")
    data.update(position="pledge", country="XX", actor="99999")
    response = client.post(reverse("review:stance_add", args=[article.pk]), data)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Stance.objects.exists()


def test_a_precision_without_a_date_is_refused(client, curator, article):
    client.force_login(curator)
    data = submitted(client.get(_add_url(article)).content.decode(), "stance-add")
    data.update(position="hedge", statement_date="", date_precision="day")
    response = client.post(reverse("review:stance_add", args=[article.pk]), data)
    assert response.status_code == 400
    assert "Give the date, or set the precision to" in response.content.decode()
    data.update(date_precision="unknown")
    assert client.post(reverse("review:stance_add", args=[article.pk]), data).status_code == 302
    assert (Stance.objects.get().statement_date, Stance.objects.get().date_precision) == (
        None,
        "unknown",
    )


# --- From a candidate ----------------------------------------------------------------------


def test_a_candidate_card_opens_the_full_form_prefilled(client, curator, article, merz):
    candidate = make_candidate(
        "DE", SENTENCE, article=article, actor="Friedrich Merz", date=dt.date(2025, 9, 4)
    )
    client.force_login(curator)
    queue = client.get(reverse("review:candidates")).content.decode()
    form_url = reverse("review:candidate_form", args=[candidate.pk])
    assert f'<a href="{form_url}?next=/review/candidates/" data-key="f">' in queue
    html = client.get(form_url + "?next=/review/candidates/").content.decode()
    data = submitted(html, "stance-add")
    assert (data["sentence"], data["country"], data["actor"]) == (SENTENCE, "DE", str(merz.pk))
    assert (data["statement_date"], data["next"]) == ("2025-09-04", "/review/candidates/")


def test_saving_the_full_form_places_the_candidate(client, curator, article, merz):
    candidate = make_candidate("PL", SENTENCE, article=article, date=None)
    client.force_login(curator)
    url = reverse("review:candidate_form", args=[candidate.pk])
    data = submitted(client.get(url + "?next=/review/candidates/").content.decode(), "stance-add")
    # The extractor placed the sentence under Poland; it is Germany's, with Merz speaking.
    data.update(position="pledge", country="DE", actor=str(merz.pk))
    response = client.post(url, data)
    assert response["Location"] == "/review/candidates/"
    candidate.refresh_from_db()
    stance = Stance.objects.get()
    assert (candidate.status, candidate.stance, candidate.reviewed_by) == (
        "accepted",
        stance,
        curator,
    )
    assert (stance.country.iso2, stance.actor, stance.status) == ("DE", merz, "approved")
    assert "Needs a position (0)" in client.get(reverse("review:candidates")).content.decode()


def test_a_candidate_decided_meanwhile_is_not_placed_twice(client, curator, article):
    candidate = make_candidate("DE", SENTENCE, article=article)
    client.force_login(curator)
    url = reverse("review:candidate_form", args=[candidate.pk])
    data = submitted(client.get(url).content.decode(), "stance-add")
    data["position"] = "hedge"
    Candidate.objects.filter(pk=candidate.pk).update(status="dismissed", reviewed_at=timezone.now())
    response = client.post(url, data, follow=True)
    assert "already dismissed" in response.content.decode()
    assert not Stance.objects.exists()


def test_the_candidate_form_costs_a_fixed_number_of_queries(
    client, curator, article, merz, django_assert_max_num_queries
):
    candidate = make_candidate("DE", SENTENCE, article=article, actor="Friedrich Merz")
    client.force_login(curator)
    url = reverse("review:candidate_form", args=[candidate.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        client.get(url)
