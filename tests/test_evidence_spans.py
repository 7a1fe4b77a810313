"""Evidence is the article's own words where its offsets say, on every path that stores it:
extraction, placing a candidate, and the admin's evidence forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ingest.models import Article
from stances.models import Candidate, Evidence, Stance
from stances.services import claims_record

from .factories import make_article, make_candidate, make_stance
from .test_claims_record import Claim

pytestmark = pytest.mark.django_db

TEXT = "World News\n\nChancellor Merz said Germany would decide in due course. More."
SENTENCE = "Chancellor Merz said Germany would decide in due course."


def test_extraction_refuses_a_claim_whose_offsets_hold_other_words():
    article = make_article(TEXT)
    wrong = Claim(country="DE", position="hedge", sentence=SENTENCE, start=0, end=10)
    result = claims_record(article=article, claims=[wrong], extractor_version="t")
    assert not Stance.objects.exists() and not Evidence.objects.exists()
    assert "those offsets hold “World News”" in result.detail
    assert "The sentence stands at 12–68." in result.detail


def test_extraction_keeps_a_claim_whose_offsets_hold_its_sentence():
    article = make_article(TEXT)
    start = TEXT.index(SENTENCE)
    right = Claim(country="DE", position="hedge", sentence=SENTENCE, start=start, end=start + 56)
    claims_record(article=article, claims=[right], extractor_version="t")
    (evidence,) = Evidence.objects.all()
    assert article.text[evidence.start : evidence.end] == evidence.sentence == SENTENCE


def test_placing_a_candidate_whose_article_no_longer_holds_it_is_refused(client, curator):
    candidate = make_candidate("DE", SENTENCE, article=make_article(TEXT))
    Article.objects.filter(pk=candidate.article_id).update(text="Rewritten. " + TEXT)
    client.force_login(curator)
    response = client.post(
        reverse("review:candidate", args=[candidate.pk]), {"action": "hedge"}, follow=True
    )
    assert "those offsets hold" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "open" and not Stance.objects.exists()


def test_placing_through_htmx_says_why_it_was_refused(client, curator):
    candidate = make_candidate("DE", SENTENCE, article=make_article(TEXT))
    Article.objects.filter(pk=candidate.article_id).update(text="Rewritten. " + TEXT)
    client.force_login(curator)
    response = client.post(
        reverse("review:candidate", args=[candidate.pk]),
        {"action": "hedge"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert 'role="alert"' in html and "The sentence stands at" in html
    assert Candidate.objects.get().status == "open"


def _evidence_data(stance, article, start, end, sentence=SENTENCE):
    return {
        "stance": stance.pk,
        "article": article.pk,
        "sentence": sentence,
        "start": start,
        "end": end,
        "kind": "reported",
        "status": "proposed",
    }


def test_the_admin_refuses_evidence_offsets_that_hold_other_words(admin_client):
    article = make_article(TEXT)
    stance = make_stance("DE", "hedge")
    before = Evidence.objects.count()
    response = admin_client.post(
        reverse("admin:stances_evidence_add"), _evidence_data(stance, article, 0, 10)
    )
    assert response.status_code == 200
    assert "those offsets hold “World News”" in response.content.decode()
    assert Evidence.objects.count() == before
    response = admin_client.post(
        reverse("admin:stances_evidence_add"), _evidence_data(stance, article, 12, 68)
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == before + 1


def test_the_admin_refuses_offsets_typed_into_an_existing_evidence(admin_client):
    stance = make_stance("DE", "hedge", article=make_article(TEXT), sentence=SENTENCE)
    evidence = stance.evidence.get()
    response = admin_client.post(
        reverse("admin:stances_evidence_change", args=[evidence.pk]),
        _evidence_data(stance, evidence.article, 0, 56),
    )
    assert response.status_code == 200
    assert "The sentence stands at 12–68." in response.content.decode()
    evidence.refresh_from_db()
    assert (evidence.start, evidence.end) == (12, 68)


def test_the_stance_forms_evidence_inline_refuses_them_too(admin_client):
    stance = make_stance("DE", "hedge", article=make_article(TEXT), sentence=SENTENCE)
    evidence = stance.evidence.get()
    url = reverse("admin:stances_stance_change", args=[stance.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "topic": stance.topic_id,
            "country": stance.country_id,
            "statement_date": stance.statement_date.isoformat(),
            "evidence-TOTAL_FORMS": "1",
            "evidence-INITIAL_FORMS": "1",
            "evidence-0-id": evidence.pk,
            "evidence-0-stance": stance.pk,
            "evidence-0-article": evidence.article_id,
            "evidence-0-sentence": SENTENCE,
            "evidence-0-start": "0",
            "evidence-0-end": "10",
            "evidence-0-kind": "reported",
            "evidence-0-status": "proposed",
        }
    )
    data.pop("actor", None)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "those offsets hold “World News”" in response.content.decode()
    evidence.refresh_from_db()
    assert (evidence.start, evidence.end) == (12, 68)
