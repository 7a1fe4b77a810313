"""Constructions of real news that the first rules got wrong, each on sentences written for
these tests (two or more forms of the same construction, never a corpus sentence)."""

from __future__ import annotations

import pytest

from ingest.extraction import analyse, extract


def claims(text: str) -> set[tuple[str, str]]:
    return {(c.country, c.position) for c in extract(text)}


# --- inverted positions: negation scope -----------------------------------------------------


@pytest.mark.parametrize("text", [
    "Norway did not make any promise to send troops to Ukraine.",
    "The president said Dutch soldiers will not be on the ground in Ukraine.",
    "Oslo gave no pledge to deploy forces to the reassurance mission.",
])
def test_a_negated_commitment_is_a_rejection_not_a_pledge(text):
    found = claims(text)
    assert found and all(position == "rejection" for _, position in found), found


@pytest.mark.parametrize("text", [
    "Belgium has never ruled out taking part in the peacekeeping mission.",
    "Sending Irish troops to Ukraine cannot be ruled out, the minister said in Dublin.",
    "Portugal does not exclude participation in a reassurance force.",
])
def test_not_ruling_out_keeps_the_door_open(text):
    assert ("rejection" not in {p for _, p in claims(text)}) and claims(text), claims(text)
    assert {p for _, p in claims(text)} == {"hedge"}


@pytest.mark.parametrize("text", [
    "The Greek government has excluded Greece's participation in the reassurance force.",
    "Cyprus is firmly against sending troops to Ukraine.",
    "Malta rejected the possibility of its participation in a peacekeeping contingent.",
])
def test_refusal_verbs_whose_object_is_participation(text):
    assert {p for _, p in claims(text)} == {"rejection"}, claims(text)


def test_a_list_is_firmly_against_it():
    text = ("Several leaders discussed a peacekeeping mission for Ukraine. "
            "Slovakia, Hungary and Croatia are firmly against it.")
    assert {("SK", "rejection"), ("HU", "rejection"), ("HR", "rejection")} <= claims(text)


def test_a_contribution_refused_with_the_troops_does_not_make_a_hedge():
    assert claims("Austria refused to provide troops or other support to the mission.") == {
        ("AT", "rejection")}
    # Offered besides, after a contrast, it does.
    assert claims("Austria refused to send troops but offered other support to the mission.") \
        == {("AT", "hedge")}


def test_an_offer_elsewhere_in_the_article_hedges_the_same_voices_refusal():
    text = ("Finnish Prime Minister Petteri Orpo said Finland will not send troops to Ukraine.\n"
            "Orpo said Finland would instead train Ukrainian soldiers and supply equipment.")
    assert claims(text) == {("FI", "hedge")}
    # Another voice's offer does not change a refusal.
    text = ("Finnish Prime Minister Petteri Orpo said Finland will not send troops to Ukraine.\n"
            "Sweden will instead train Ukrainian soldiers for the mission.")
    assert ("FI", "rejection") in claims(text)


# --- pledges in lists, agents, gerunds ------------------------------------------------------


def test_members_named_with_including_after_an_unnamed_group():
    text = ("Several countries, including Denmark and Norway, have expressed intentions to send "
            "their military to Ukraine.")
    assert claims(text) == {("DK", "pledge"), ("NO", "pledge")}


@pytest.mark.parametrize("text", [
    "The coalition of the willing, launched by France and Britain, will send troops to Ukraine.",
    "A summit of the coalition of the willing was chaired by UK Prime Minister Keir Starmer and "
    "French President Emmanuel Macron.",
])
def test_leading_the_coalition_is_a_pledge_of_each_leader(text):
    assert {("GB", "pledge"), ("FR", "pledge")} <= claims(text), claims(text)


def test_countries_doing_the_deploying_are_its_subject():
    text = "The declaration foresees Spain and Italy deploying troops to Ukraine after a truce."
    assert {("ES", "pledge"), ("IT", "pledge")} <= claims(text)


def test_a_country_name_before_troops_holds_the_stance():
    assert claims("The president strongly opposed sending Romania troops to Ukraine.") == {
        ("RO", "rejection")}


# --- hedges ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Lithuania might consider the idea of a peacekeeping mission.",
    "Latvia could provide about 100 troops if an official request were made.",
    "Sending Slovenian troops to Ukraine is an exclusive prerogative of parliament.",
    "Bulgaria offered to serve as a transit point for the reassurance force.",
    "Putting Czech troops on the ground is just a possibility, Prague said.",
])
def test_conditional_and_undecided_language(text):
    assert {p for _, p in claims(text)} == {"hedge"}, claims(text)


def test_a_commitment_to_guarantees_with_no_force_named_is_a_hedge():
    assert claims("Sweden is ready to contribute to security guarantees for Ukraine.") == {
        ("SE", "hedge")}
    assert claims("Sweden is ready to contribute troops to the reassurance force.") == {
        ("SE", "pledge")}


def test_what_is_pledged_decides_whether_it_is_ground_troops():
    # The ground forces named are Ukraine's: the offer is equipment, short of troops.
    assert claims("Germany intends to contribute air defence systems and equipment for "
                  "Ukraine's ground forces to the mission.") == {("DE", "hedge")}


# --- false alarms ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Are Greece and Cyprus ready to send peacekeepers to Ukraine?",
    "Will Spain deploy troops to Ukraine?",
])
def test_questions_state_nothing(text):
    assert claims(text) == set()
    # ... but the sentence still reaches a curator.
    assert analyse(text).candidates


def test_history_is_not_a_pledge():
    assert claims("Over the past fifty years, thousands of Irish soldiers have participated in "
                  "peacekeeping missions abroad.") == set()


def test_a_photo_caption_taking_part_in_an_exercise_is_not_a_pledge():
    assert claims("Polish soldiers take part in a military exercise near Warsaw.") == set()


def test_what_the_speaker_says_europe_does_is_not_his_countrys_stance():
    assert claims("German Chancellor Olaf Scholz said that Europe was not discussing sending "
                  "troops to Ukraine.") == set()


def test_a_question_put_to_the_speaker_is_not_his_answer():
    text = ("Asked whether Japan would join the nations offering security support to Ukraine, "
            "the minister said Japan is not considering sending troops.")
    assert claims(text) == {("JP", "rejection")}


def test_an_outlet_named_financial_is_not_funding():
    assert claims("The Financial Times reported that Washington is not ready to support the "
                  "mission with troops.") == {("US", "rejection")}


def test_two_holders_in_one_clause_each_keep_their_own_words():
    text = ("Ankara changed its line after Moscow insisted it would not allow NATO troops on "
            "Ukrainian soil.")
    assert claims(text) == {("RU", "rejection")}


def test_a_hard_wrapped_sentence_is_read_whole():
    text = ("Chinese\nForeign Ministry spokesman Li Wen on Monday rejected the\n"
            "possibility of the country's participation in a peacekeeping\ncontingent.")
    found = extract(text)
    assert {(c.country, c.position) for c in found} == {("CN", "rejection")}
    # The evidence is the article's own text at its offsets, line breaks included.
    assert found[0].sentence == text[found[0].start:found[0].end]


def test_a_headline_stays_apart_from_the_first_sentence():
    text = ("Poland weighs its options\n"
            "Portugal will send troops to Ukraine, its defence minister said.")
    found = extract(text)
    assert {(c.country, c.position) for c in found} == {("PT", "pledge")}
    assert found[0].sentence.startswith("Portugal")


# --- candidates -----------------------------------------------------------------------------


def test_a_topic_sentence_the_rules_cannot_decide_becomes_a_candidate():
    text = "Estonia's role in the reassurance force was discussed at length in Tallinn."
    result = analyse(text)
    assert result.claims == []
    assert [c.countries for c in result.candidates] == [("EE",)]
    candidate = result.candidates[0]
    assert text[candidate.start:candidate.end] == candidate.sentence


def test_a_country_with_a_claim_in_the_sentence_is_no_candidate():
    result = analyse("Greece will not send troops to Ukraine.")
    assert {c.country for c in result.claims} == {"GR"}
    assert all("GR" not in c.countries for c in result.candidates)
