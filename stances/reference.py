"""Reference data the tracker starts with: countries, country groups and the first topic.

Loaded by data migrations; later changes come as new migrations or through the admin.
"""

from __future__ import annotations

import pycountry
from django.utils.text import slugify

# ISO 3166-1 lists dependent territories and uninhabited areas alongside states. These are
# not sovereign (they never speak for themselves on troop deployments), so they are skipped.
NON_SOVEREIGN = frozenset(
    """
    AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY
    MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT
    """.split()
)

# pycountry's names are ISO's formal ones ("Korea, Republic of"); analysts expect these.
NAME_OVERRIDES = {
    "BO": "Bolivia",
    "BN": "Brunei",
    "CD": "DR Congo",
    "CG": "Republic of the Congo",
    "CZ": "Czechia",
    "FM": "Micronesia",
    "IR": "Iran",
    "KP": "North Korea",
    "KR": "South Korea",
    "LA": "Laos",
    "MD": "Moldova",
    "PS": "Palestine",
    "RU": "Russia",
    "SY": "Syria",
    "TW": "Taiwan",
    "TZ": "Tanzania",
    "VA": "Vatican City",
    "VE": "Venezuela",
    "VN": "Vietnam",
}


def sovereign_countries() -> list[tuple[str, str, str]]:
    """(iso2, display name, slug) for every sovereign country pycountry knows."""
    rows = []
    for country in pycountry.countries:
        if country.alpha_2 in NON_SOVEREIGN:
            continue
        name = NAME_OVERRIDES.get(country.alpha_2) or getattr(country, "common_name", None)
        name = name or country.name
        rows.append((country.alpha_2, name, slugify(name)))
    return rows


EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
NATO = (
    "AL BE BG CA HR CZ DK EE FI FR DE GR HU IS IT LV LT LU ME NL MK NO PL PT RO SK SI ES SE "
    "TR GB US"
)

GROUPS: dict[str, str] = {
    "Baltic states": "EE LV LT",
    "Nordic countries": "DK FI IS NO SE",
    "European Union": EU,
    "NATO": NATO,
    "G7": "CA FR DE IT JP GB US",
    "Visegrád Group": "CZ HU PL SK",
    "Weimar Triangle": "FR DE PL",
    "Benelux": "BE NL LU",
}

# The groups readers filter the overview by: (name, order, members, description). Names
# already loaded by 0002 keep their slugs; membership as of the date each description gives.
COALITION = (
    "GB FR DE IT PL ES NL DK NO SE FI EE LV LT BE CZ PT RO HR BG GR SI IE IS LU CA AU NZ "
    "JP TR UA"
)
GROUP_SEEDS: list[tuple[str, int, str, str]] = [
    ("European Union", 10, EU,
     "The 27 member states of the European Union since Croatia joined on 1 July 2013 "
     "(european-union.europa.eu), as of 2025."),
    ("NATO", 20, NATO,
     "The 32 members of the North Atlantic Treaty Organization since Sweden joined on "
     "7 March 2024 (nato.int), as of 2025."),
    ("Coalition of the willing", 30, COALITION,
     "The countries reported in 2025 as taking part in the UK- and France-led planning of "
     "a reassurance force for Ukraine after a ceasefire (the meetings in London, Paris and "
     "online from March 2025). There is no official list: membership is as reported in "
     "the press and governments' statements, and curated here; curators correct it."),
    ("G7", 40, GROUPS["G7"],
     "The Group of Seven: Canada, France, Germany, Italy, Japan, the United Kingdom and the "
     "United States (the EU takes part but is not a member), as of 2025."),
    ("Nordic countries", 50, GROUPS["Nordic countries"],
     "The five sovereign Nordic states of the Nordic Council (norden.org); the Faroe "
     "Islands, Greenland and Åland are not sovereign and not tracked. As of 2025."),
    ("Baltic states", 60, GROUPS["Baltic states"],
     "Estonia, Latvia and Lithuania, as articles name them together. As of 2025."),
]

TOPIC = {
    "slug": "ukraine-troop-deployment",
    "title": "Foreign troops in Ukraine as a security guarantee",
    "description": (
        "Whether a country is ready to deploy forces to Ukraine as a security guarantee: the "
        'post-ceasefire "reassurance force" of the coalition of the willing.'
    ),
    "pledge_definition": (
        "Commits or declares itself ready to send troops or forces (land, sea, air), leads "
        "the force, or, for Ukraine as host, calls for and welcomes the deployment."
    ),
    "hedge_definition": (
        "Undecided, sets conditions, or offers support only short of troops in Ukraine: "
        "training or equipping from outside, a logistics hub, air support or monitoring "
        'without ground troops, a decision "in due course". A refusal of ground troops '
        "paired with another contribution is a hedge."
    ),
    "rejection_definition": (
        "Refuses to send its own troops, or (Russia and its allies) rejects or threatens any "
        "foreign troops in Ukraine."
    ),
}


# What a country offers, and on what conditions: the topic's vocabularies, as the corpus
# annotates them (../shared/corpus/README.md). Stored on the topic by migration 0011.
CONTRIBUTION_KINDS = [
    {"code": "ground", "label": "Ground troops",
     "definition": "Troops or peacekeepers on the ground in Ukraine."},
    {"code": "air", "label": "Air power",
     "definition": "Air power: air policing, air cover, jets, air support."},
    {"code": "naval", "label": "Naval",
     "definition": "Ships, Black Sea security, maritime demining."},
    {"code": "air_defence", "label": "Air defence",
     "definition": "Air or missile defence, protecting the airspace."},
    {"code": "training", "label": "Training",
     "definition": "Training Ukrainian forces, inside or outside Ukraine."},
    {"code": "logistics", "label": "Logistics",
     "definition": "A hub, transit, bases or supply on its own territory."},
    {"code": "intelligence", "label": "Intelligence",
     "definition": "Intelligence, surveillance, monitoring, observers."},
    {"code": "command", "label": "Command",
     "definition": "Headquarters, command, planning or leading the coalition."},
    {"code": "other", "label": "Other",
     "definition": "Anything else explicitly offered: equipment, funding, land demining."},
]
CONDITION_KINDS = [
    {"code": "ceasefire", "label": "After a ceasefire",
     "definition": "Only after a ceasefire or peace deal."},
    {"code": "us_backstop", "label": "US backstop",
     "definition": "US support or a US guarantee."},
    {"code": "un_mandate", "label": "UN mandate", "definition": "A UN mandate."},
    {"code": "parliament", "label": "Parliament",
     "definition": "A vote or approval at home."},
    {"code": "mandate", "label": "Clear mandate",
     "definition": "A clear mission, mandate or rules of engagement."},
    {"code": "allies", "label": "Allies take part",
     "definition": "Others taking part."},
    {"code": "other", "label": "Other condition",
     "definition": "Any other condition, as stated."},
]
