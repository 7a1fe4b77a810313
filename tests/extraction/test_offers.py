"""What a claim offers and on what conditions (data/offers.toml), on sentences of our own."""

from __future__ import annotations

import pytest

from ingest.extraction import extract


def offers(text: str) -> dict[tuple[str, str], tuple]:
    return {(c.country, c.position): (set(c.contributions), set(c.conditions), c.size)
            for c in extract(text)}


@pytest.mark.parametrize("text, kinds", [
    ("Belgium will make its navy and air force available to the reassurance force.",
     {"naval", "air"}),
    ("Norway is ready to send a battalion of troops to Ukraine.", {"ground"}),
    ("Spain is ready to train Ukrainian soldiers and send instructors to the mission.",
     {"training"}),
    ("Sweden is ready to help with airspace surveillance for the mission.",
     {"intelligence"}),
    ("Denmark will provide air defence systems to protect the mission.", {"air_defence"}),
    ("The Netherlands is ready to take part in the peacekeeping mission.", {"ground"}),
])
def test_the_contributions_a_pledge_or_hedge_names(text, kinds):
    [(contributions, _, _)] = offers(text).values()
    assert contributions == kinds


def test_a_refusal_of_troops_with_an_offer_keeps_the_offer_without_troops():
    assert offers("Poland will not send soldiers but may serve as a logistics hub.") == {
        ("PL", "hedge"): ({"logistics"}, set(), None)}


def test_a_rejection_offers_nothing_and_sets_no_condition():
    assert offers("Hungary will not send troops to Ukraine, even after a ceasefire.") == {
        ("HU", "rejection"): (set(), set(), None)}


def test_the_host_and_the_opposing_countries_offer_nothing():
    found = offers("Russia warned that any foreign troops sent after a ceasefire would be "
                   "legitimate targets.")
    assert found == {("RU", "rejection"): (set(), set(), None)}


def test_leading_the_force_is_command():
    [(contributions, _, _)] = offers(
        "Britain will lead the coalition planning the reassurance force for Ukraine.").values()
    assert "command" in contributions


@pytest.mark.parametrize("text, condition", [
    ("Italy would send peacekeepers only with a UN mandate.", "un_mandate"),
    ("Canada could send troops after a ceasefire is agreed.", "ceasefire"),
    ("Germany would deploy troops only with a US backstop.", "us_backstop"),
    ("Austria could send soldiers if parliament approves the mission.", "parliament"),
    ("Croatia would send troops if allies send troops too.", "allies"),
    ("Greece could deploy troops once there is a clear mandate for the mission.", "mandate"),
])
def test_the_conditions_a_claim_sets(text, condition):
    [(_, conditions, _)] = offers(text).values()
    assert condition in conditions
    # A UN mandate is the UN's, not a mandate of its own.
    if condition == "un_mandate":
        assert "mandate" not in conditions


@pytest.mark.parametrize("text, size", [
    ("Portugal is ready to send up to 200 troops to the mission.", "up to 200 troops"),
    ("Latvia can contribute a company-sized unit to the reassurance force.",
     "a company-sized unit"),
    ("Finland will send several hundred soldiers to the force.", "several hundred soldiers"),
])
def test_the_size_as_the_sentence_words_it(text, size):
    [(_, _, found)] = offers(text).values()
    assert found == size


def test_the_next_sentence_continuing_the_claim_adds_its_offer():
    text = ("Lithuania said it is ready to send troops to the reassurance force.\n"
            "This would include a naval vessel, instructors and staff officers.")
    [(contributions, _, _)] = offers(text).values()
    assert {"ground", "naval", "training", "command"} <= contributions
