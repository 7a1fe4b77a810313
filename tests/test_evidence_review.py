"""Evidence has a review state: it is decided with its stance while the stance is proposed,
and on its own once the stance is approved (a new report of a statement on record)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from stances import services
from stances.models import Evidence, EvidenceStatus, Stance
from stances.summaries import data_version

from .factories import make_article, make_evidence, make_stance

pytestmark = pytest.mark.django_db

TIMELINE = "/t/ukraine-troop-deployment/de/"


def statuses(stance: Stance) -> list[str]:
    return list(stance.evidence.order_by("pk").values_list("status", flat=True))


def test_approving_a_proposed_stance_accepts_its_evidence(curator):
    stance = make_stance("DE", "hedge", status="proposed")
    make_evidence(stance, "A second report of the same statement.")
    assert statuses(stance) == ["proposed", "proposed"]

    services.stances_review(stance_ids=[stance.pk], approve=True, user=curator)

    stance.refresh_from_db()
    evidence = list(stance.evidence.all())
    assert [e.status for e in evidence] == ["accepted", "accepted"]
    assert {(e.reviewed_by, e.reviewed_at) for e in evidence} == {
        (curator, stance.reviewed_at)
    }


def test_rejecting_a_proposed_stance_rejects_its_evidence(curator):
    stance = make_stance("DE", "hedge", status="proposed")
    services.stances_review(stance_ids=[stance.pk], approve=False, user=curator,
                            reason="not what the article says")
    assert statuses(stance) == ["rejected"]


def test_a_new_report_of_an_approved_stance_waits_for_a_curator(client, curator):
    stance = make_stance("DE", "hedge", sentence="Berlin will decide in due course.")
    new = make_evidence(stance, "Berlin repeated it would decide in due course.")
    assert new.status == "proposed"
    # Reviewing or correcting the stance again does not accept it unseen.
    services.stance_correct(stance=stance, user=curator, changes={"position": "hedge"})
    new.refresh_from_db()
    assert new.status == "proposed"
    html = client.get(TIMELINE).content.decode()
    assert "Berlin will decide" in html and "Berlin repeated" not in html
    assert '<span class="sources">1 source</span>' in html


def test_a_correction_approves_the_stance_and_accepts_its_evidence(curator):
    stance = make_stance("DE", "hedge", status="proposed")
    services.stance_correct(stance=stance, user=curator, changes={"position": "pledge"})
    assert statuses(stance) == ["accepted"]


def test_evidence_rejected_with_its_stance_comes_back_when_the_stance_does(client, curator):
    stance = make_stance("DE", "hedge", status="proposed", sentence="Berlin hedges again.")
    proposed = stance.history.earliest()
    services.stances_review(stance_ids=[stance.pk], approve=False, user=curator,
                            reason="not what the article says")
    assert statuses(stance) == ["rejected"]

    services.history_revert(record=proposed, user=curator)
    assert statuses(stance) == ["proposed"], "awaits review again, with its stance"
    services.stances_review(stance_ids=[stance.pk], approve=True, user=curator)

    assert statuses(stance) == ["accepted"]
    assert "Berlin hedges again." in client.get(TIMELINE).content.decode()


def test_a_source_rejected_on_its_own_stays_rejected(curator):
    stance = make_stance("DE", "hedge")
    wrong = make_evidence(stance, "A sentence about something else.")
    services.evidence_review(evidence=wrong, accept=False, user=curator)
    approved = stance.history.latest()
    services.stances_review(stance_ids=[stance.pk], approve=False, user=curator,
                            reason="not what the article says")
    services.history_revert(record=approved, user=curator)
    stance.refresh_from_db()
    assert stance.status == "approved"
    assert statuses(stance) == ["accepted", "rejected"]


def test_placing_a_candidate_accepts_its_sentence(curator):
    from .factories import make_candidate

    candidate = make_candidate("PL")
    stance = services.candidate_accept(candidate=candidate, position="hedge", user=curator)
    evidence = stance.evidence.get()
    assert (evidence.status, evidence.reviewed_by) == ("accepted", curator)


def test_a_decision_says_who_and_when_by_constraint():
    stance = make_stance("DE", "hedge")
    article = make_article("Some sentence here.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(
            stance=stance, article=article, sentence="Some", start=0, end=4, status="accepted"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(
            stance=stance, article=article, sentence="Some", start=0, end=4, status="maybe"
        )


def test_accepting_a_source_changes_the_cached_pages(client, curator):
    stance = make_stance("DE", "hedge", sentence="Berlin will decide in due course.")
    new = make_evidence(stance, "Berlin repeated it would decide in due course.")
    before = client.get(TIMELINE).content.decode()  # now cached for this state of the data
    assert "Berlin repeated" not in before
    version = data_version()

    services.evidence_review(evidence=new, accept=True, user=curator)

    assert data_version() != version
    after = client.get(TIMELINE).content.decode()
    assert "Berlin repeated" in after and '<span class="sources">2 sources</span>' in after
    overview = client.get("/t/ukraine-troop-deployment/").content.decode()
    row = overview[overview.index(">Germany</a>") :]
    assert "<td>2</td>" in row[: row.index("</tr>")]


def test_admin_status_change_is_stamped_and_the_evidence_follows(admin_client, admin_user):
    stance = make_stance("NL", "hedge", status="proposed", date=dt.date(2025, 9, 4))
    url = reverse("admin:stances_stance_change", args=[stance.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    evidence = stance.evidence.get()
    data.update(
        {
            "topic": stance.topic_id,
            "country": stance.country_id,
            "status": "approved",
            "statement_date": "2025-09-04",
            "evidence-TOTAL_FORMS": "1",
            "evidence-INITIAL_FORMS": "1",
            "evidence-0-id": evidence.pk,
            "evidence-0-stance": stance.pk,
            "evidence-0-article": evidence.article_id,
            "evidence-0-sentence": evidence.sentence,
            "evidence-0-start": evidence.start,
            "evidence-0-end": evidence.end,
            "evidence-0-kind": evidence.kind,
            "evidence-0-status": "proposed",
        }
    )
    data.pop("actor", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stance.refresh_from_db()
    assert (stance.status, stance.reviewed_by) == ("approved", admin_user)
    evidence.refresh_from_db()
    assert (evidence.status, evidence.reviewed_by) == (EvidenceStatus.ACCEPTED, admin_user)


def test_curators_see_sources_awaiting_review_when_they_ask(client, curator):
    stance = make_stance("DE", "hedge", sentence="Berlin will decide in due course.")
    make_evidence(stance, "Berlin repeated it would decide in due course.")
    client.force_login(curator)
    assert "Berlin repeated" not in client.get(TIMELINE).content.decode()
    asked = client.get(TIMELINE + "?unreviewed=1").content.decode()
    assert "Berlin repeated" in asked and "source awaiting review</em>" in asked
    permalink = client.get(f"/stances/{stance.pk}/").content.decode()
    assert "Berlin repeated" in permalink


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_accepts_the_evidence_readers_already_saw():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    executor = MigrationExecutor(connection)
    executor.migrate([("stances", "0008_candidates")])
    old = executor.loader.project_state([("stances", "0008_candidates")]).apps
    Article = old.get_model("ingest", "Article")
    Stance = old.get_model("stances", "Stance")
    Evidence = old.get_model("stances", "Evidence")
    Topic = old.get_model("stances", "Topic")
    Country = old.get_model("stances", "Country")
    article = Article.objects.create(text="One. Two. Three.", content_hash="x" * 64)
    reviewed = timezone.now() - dt.timedelta(days=2)
    base = {
        "topic": Topic.objects.get(slug="ukraine-troop-deployment"),
        "country": Country.objects.get(iso2="DE"),
        "position": "hedge",
        "extractor_version": "old",
    }
    approved = Stance.objects.create(**base, status="approved", reviewed_at=reviewed)
    proposed = Stance.objects.create(**base)
    rejected = Stance.objects.create(**base, status="rejected", reviewed_at=reviewed)
    for n, stance in enumerate((approved, proposed, rejected)):
        Evidence.objects.create(stance=stance, article=article, sentence="x", start=n, end=n + 1)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from stances.models import Evidence as Now

    rows = {e.stance_id: e for e in Now.objects.all()}
    assert rows[approved.pk].status == "accepted"
    assert rows[approved.pk].reviewed_at >= reviewed
    assert rows[proposed.pk].status == "proposed" and rows[proposed.pk].reviewed_at is None
    assert rows[rejected.pk].status == "proposed"
