"""The extractor on short sentences written for these tests: exactly which claims come out."""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing

import pytest

from ingest.extraction import EXTRACTOR_VERSION, Claim, extract


def claims(text: str, published: dt.date | None = None) -> set[tuple[str, str]]:
    return {(c.country, c.position) for c in extract(text, published)}


def one(text: str, published: dt.date | None = None) -> Claim:
    found = extract(text, published)
    assert len(found) == 1, found
    return found[0]


# --- positions -----------------------------------------------------------------------------


def test_it_reads_a_negated_deployment_as_a_rejection():
    assert claims("Greece will not send troops to Ukraine.") == {("GR", "rejection")}
    assert claims("Slovakia's Robert Fico said Bratislava would never send a single soldier.") \
        == {("SK", "rejection")}


def test_it_reads_a_refusal_with_another_contribution_as_a_hedge():
    assert claims("Poland will not send soldiers but may serve as a logistics hub.") == {
        ("PL", "hedge")
    }
    assert claims(
        "The United States ruled out ground troops but may provide air support to the force."
    ) == {("US", "hedge")}


def test_a_contribution_in_the_next_sentence_turns_the_refusal_into_a_hedge():
    text = (
        "Romanian President Nicusor Dan said Romanian troops would not go to Ukraine.\n"
        "Instead, he said, Romania would host a logistics hub for the mission."
    )
    assert claims(text) == {("RO", "hedge")}


def test_it_reads_conditions_and_indecision_as_hedges():
    assert claims("Italy would send troops only if the United Nations mandates the mission.") \
        == {("IT", "hedge")}
    # The country in the condition is not the one taking the stance.
    assert claims("Canada could join the force if Washington provides a backstop.") == {
        ("CA", "hedge")
    }
    assert claims("Berlin remains undecided on sending troops.") == {("DE", "hedge")}
    assert claims("A decision on troops will be made in due course, Vienna said.") == {
        ("AT", "hedge")
    }


def test_it_reads_readiness_and_commitments_as_pledges():
    assert claims("The Netherlands committed a battalion to the reassurance force.") == {
        ("NL", "pledge")
    }
    assert claims("Britain and France will lead the multinational force.") == {
        ("GB", "pledge"), ("FR", "pledge")
    }


def test_every_member_of_a_list_gets_the_claim_and_the_destination_does_not():
    assert claims("Spain, Portugal and Belgium are ready to send troops to Ukraine.") == {
        ("ES", "pledge"), ("PT", "pledge"), ("BE", "pledge")
    }


def test_named_groups_expand_to_their_members():
    assert claims("The Baltic states have pledged to deploy troops.") == {
        ("EE", "pledge"), ("LV", "pledge"), ("LT", "pledge")
    }
    assert claims("Nordic and Baltic countries offered troops for the mission.") == {
        (c, "pledge") for c in ["DK", "FI", "IS", "NO", "SE", "EE", "LV", "LT"]
    }


def test_an_unnamed_group_yields_no_country():
    assert claims("Twenty countries have committed troops to the mission.") == set()
    assert claims(
        "French President Emmanuel Macron said some countries would train Ukrainian forces "
        "from outside rather than deploy troops."
    ) == set()


def test_a_speaker_announcing_a_counted_group_speaks_for_their_own_country():
    claim = one("Emmanuel Macron announced that 26 countries had agreed to contribute troops.")
    assert (claim.country, claim.position, claim.actor) == ("FR", "pledge", "Emmanuel Macron")


# --- who speaks ----------------------------------------------------------------------------


def test_reported_speech_is_attributed_to_the_speaker():
    claim = one("Keir Starmer said Britain was prepared to deploy troops to Ukraine.")
    assert (claim.country, claim.position, claim.actor) == ("GB", "pledge", "Keir Starmer")
    assert claim.actor_country == "GB"
    assert claim.actor_speaks_for_government is True
    assert claim.quote is False


def test_a_quote_attributed_after_it_ends_belongs_to_that_speaker():
    claim = one('"We are ready to send a brigade," Norwegian Prime Minister Jonas Gahr Støre said.')
    assert (claim.country, claim.position, claim.actor) == ("NO", "pledge", "Jonas Gahr Støre")
    assert claim.quote is True


def test_a_quote_over_two_sentences_is_attributed_where_it_closes():
    found = extract('"We will send troops. That much is settled," Alexander Stubb said.')
    assert [(c.country, c.position, c.actor, c.sentence) for c in found] == [
        ("FI", "pledge", "Alexander Stubb", '"We will send troops.')
    ]


def test_a_pronoun_refers_back_to_the_last_named_person():
    text = (
        "Vladimir Putin spoke at a forum in Vladivostok. "
        "He declared that any foreign troops in Ukraine would be legitimate targets."
    )
    claim = one(text)
    assert (claim.country, claim.position, claim.actor) == ("RU", "rejection", "Vladimir Putin")


def test_a_surname_refers_back_to_a_person_introduced_earlier():
    text = (
        "The plan was criticised by Ivan Petrov, an adviser to the governor.\n"
        "Petrov warned that Western troops would be seen by Russia as a provocation."
    )
    claim = one(text)
    assert (claim.country, claim.position, claim.actor) == ("RU", "rejection", "Ivan Petrov")


def test_demonyms_and_capitals_name_countries():
    assert claims("Friedrich Merz rejected the idea of sending German troops.") == {
        ("DE", "rejection")
    }
    assert claims("Moscow warned that any European troops in Ukraine would be a target.") == {
        ("RU", "rejection")
    }
    # A capital that names a meeting place is not a government.
    assert claims("Leaders met at a Paris summit to discuss troops for Ukraine.") == set()


def test_a_new_person_with_a_role_and_a_nationality_is_proposed_as_an_actor():
    claim = one("Croatian Prime Minister Andrej Plenković said Croatia would not send troops.")
    assert (claim.country, claim.position) == ("HR", "rejection")
    assert claim.actor == "Andrej Plenković"
    assert claim.actor_role == "Prime Minister"
    assert claim.actor_country == "HR"
    assert claim.actor_speaks_for_government is True


def test_an_unnamed_spokesperson_is_named_after_the_country():
    claim = one(
        "Germany's position is that a decision on troops will be made in due course, "
        "according to a government spokesperson."
    )
    assert (claim.country, claim.position) == ("DE", "hedge")
    assert claim.actor == "German government spokesperson"


def test_the_host_pledges_by_welcoming_the_force_and_opponents_only_reject():
    assert claims("Volodymyr Zelenskyy welcomed the pledge of troops.") == {("UA", "pledge")}
    assert claims("Ukrainian forces were trained by instructors abroad.") == set()
    # Russia preparing its own troops is no stance on foreign troops in Ukraine.
    assert claims("Moscow said its forces were ready to advance.") == set()


def test_agreement_with_the_sentence_before_takes_its_position():
    text = "Russia warned against any foreign troops in Ukraine. Belarus echoed the warning."
    assert claims(text) == {("RU", "rejection"), ("BY", "rejection")}


def test_international_bodies_are_not_countries():
    assert claims("NATO is ready to deploy troops, Mark Rutte said.") == set()


# --- dates -----------------------------------------------------------------------------------


def test_an_explicit_date_is_the_statement_date():
    claim = one("On September 5, 2025, Denmark said it was ready to send troops.")
    assert (claim.date, claim.date_precision) == (dt.date(2025, 9, 5), "day")
    claim = one("Denmark said on Sept. 5th that it was ready to send troops.", dt.date(2025, 9, 8))
    assert (claim.date, claim.date_precision) == (dt.date(2025, 9, 5), "day")


def test_relative_dates_are_resolved_against_the_publication_date():
    saturday = dt.date(2025, 9, 6)
    claim = one("On Friday, Denmark said it was ready to send troops.", saturday)
    assert (claim.date, claim.date_precision) == (dt.date(2025, 9, 5), "day")
    claim = one("Denmark said last month it was ready to send troops.", saturday)
    assert (claim.date, claim.date_precision) == (dt.date(2025, 8, 1), "approximate")
    text = (
        "The summit opened on September 4, 2025. "
        "A day after, Denmark said it was ready to send troops."
    )
    claim = one(text, saturday)
    assert (claim.date, claim.date_precision) == (dt.date(2025, 9, 5), "day")


def test_without_a_stated_date_the_publication_date_is_approximate_or_unknown():
    claim = one("Denmark is ready to send troops.", dt.date(2025, 9, 6))
    assert (claim.date, claim.date_precision) == (dt.date(2025, 9, 6), "approximate")
    claim = one("Denmark is ready to send troops.")
    assert (claim.date, claim.date_precision) == (None, "unknown")
    claim = one("On Friday, Denmark said it was ready to send troops.")
    assert (claim.date, claim.date_precision) == (None, "unknown")


# --- the contract -----------------------------------------------------------------------------


def test_evidence_offsets_point_at_the_sentence_in_the_article():
    text = (
        "Headline about the war\n\n"
        "Officials met in Rome. Poland will not send soldiers but may serve as a “logistics "
        "hub.” Spain, Portugal and Belgium are ready to send troops."
    )
    found = extract(text)
    assert len(found) == 4
    for claim in found:
        assert text[claim.start : claim.end] == claim.sentence
        assert 0 < claim.confidence <= 1


def test_claim_has_exactly_the_attributes_the_recorder_expects():
    from stances.models import DatePrecision
    from stances.services import ClaimLike

    assert {f.name for f in dataclasses.fields(Claim)} == set(typing.get_type_hints(ClaimLike))
    assert {"day", "approximate", "unknown"} == {p.value for p in DatePrecision}
    with pytest.raises(dataclasses.FrozenInstanceError):
        one("Greece will not send troops.").country = "FR"  # type: ignore[misc]
    assert EXTRACTOR_VERSION.count(".") == 2


def test_an_article_without_a_stance_yields_nothing():
    text = (
        "Germany's economy grew in the third quarter while French exports of wine fell.\n"
        "Ukraine's grain harvest was larger than expected, and Polish farmers protested in "
        "Warsaw. Russian oil revenues dropped. The United States raised interest rates."
    )
    assert extract(text, dt.date(2025, 9, 6)) == []


def test_a_long_unrelated_article_yields_nothing():
    paragraph = (
        "Norway raised gas output on Monday and France restarted two reactors, while "
        "Germany's industry ministry said production rose and Italian bond yields fell. "
        "Analysts in London and Washington expect prices to ease before the winter, "
        "according to the central bank of Sweden.\n"
    )
    assert extract(paragraph * 400) == []
    # No sentence ends at all: one enormous sentence must not make the patterns blow up.
    assert extract(("the markets in Paris and Rome were calm and " * 2000).strip()) == []


def test_a_contribution_about_another_country_does_not_soften_a_refusal():
    text = "South Korea said it had no plans to send troops, while Japan pledged financial aid."
    assert claims(text) == {("KR", "rejection")}
    text = "Italy ruled out deploying troops, while stressing that Rome supports guarantees."
    assert claims(text) == {("IT", "hedge")}


def test_refusals_and_conditions_in_other_words():
    assert claims('Bulgaria would "under no circumstances" send soldiers.') == {
        ("BG", "rejection")
    }
    assert claims("Hungarian soldiers will never set foot in Ukraine.") == {("HU", "rejection")}
    assert claims("Irish troops could serve only in a UN-mandated peacekeeping mission.") == {
        ("IE", "hedge")
    }
    assert claims("Among the contributors were Lithuania and Estonia, which pledged troops.") \
        == {("LT", "pledge"), ("EE", "pledge")}


def test_an_official_without_a_nationality_speaks_for_the_country_just_named():
    text = (
        'Moscow dismissed the plan on Friday. "Any European contingent in Ukraine is '
        'unacceptable to us," Deputy Foreign Minister Alexander Grushko said.'
    )
    found = extract(text)
    assert [(c.country, c.position, c.actor, c.actor_country) for c in found] == [
        ("RU", "rejection", "Alexander Grushko", "RU")
    ]


def test_air_only_or_outside_contributions_are_hedges_even_when_offered():
    assert claims("Belgium will provide fighter jets and air policing from bases outside "
                  "Ukraine.") == {("BE", "hedge")}
    assert claims("Canada will send a frigate and 100 trainers to western Ukraine.") == {
        ("CA", "pledge")
    }


def test_coordinated_demonyms_share_the_noun_after_them():
    assert claims("The French and British governments stand ready to put troops in Ukraine.") \
        == {("FR", "pledge"), ("GB", "pledge")}


def test_wavering_and_not_yet_are_hedges_and_an_army_needed_at_home_a_rejection():
    assert claims("Spain has wavered on sending troops.") == {("ES", "hedge")}
    assert claims('"German soldiers in Ukraine would be a big step, and we are not there yet," '
                  "an official said.") == {
        ("DE", "hedge")
    }
    assert claims("Poland insists its army is needed at home, not in a Ukraine force.") == {
        ("PL", "rejection")
    }


def test_countries_with_an_ing_clause_hold_it_and_medical_staff_is_short_of_troops():
    text = (
        "The coalition met on Monday, with Britain and the Netherlands confirming they "
        "would deploy ground troops."
    )
    assert claims(text) == {("GB", "pledge"), ("NL", "pledge")}
    assert claims("Belgium would send 300 soldiers, while Luxembourg will contribute medical "
                  "staff to the force.") == {("BE", "pledge"), ("LU", "hedge")}
    assert claims("Moldova said it had no plans to join the force.") == {("MD", "rejection")}
