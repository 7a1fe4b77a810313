"""The extractor's language knowledge, read once from the TOML files in `data/` and
compiled into regular expressions. Nothing here knows a particular article."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry

DATA = Path(__file__).parent / "data"

# Curly quotes, apostrophes and dashes become their plain forms, one character for one, so
# offsets into the normalised text are offsets into the article.
_NORMALISE = (("“", '"'), ("”", '"'), ("„", '"'), ("«", '"'), ("»", '"'), ("‘", "'"),
              ("’", "'"), ("—", "-"), ("–", "-"), ("\u2010", "-"), ("\u2011", "-"),
              ("\u2012", "-"), ("\u2015", "-"), ("\u00a0", " "), ("\u2009", " "), ("\u202f", " "))


def normalise(text: str) -> str:
    # str.replace per character is several times faster than str.translate with a table.
    for old, new in _NORMALISE:
        if old in text:
            text = text.replace(old, new)
    return text


# pycountry names that are ordinary words or first names far more often than countries.
_AMBIGUOUS = frozenset({"Jordan", "Georgia", "Chad", "Guinea", "Niger", "Dominica", "Jersey",
                        "Guernsey"})


@dataclass(frozen=True)
class ActorEntry:
    name: str
    role: str | None
    country: str | None
    official: bool
    kind: str  # "person" or "body"


@dataclass(frozen=True)
class Group:
    members: tuple[str, ...]


@dataclass
class Gazetteer:
    countries: dict[str, tuple[str, str]]  # surface form -> (iso2, kind)
    country_re: re.Pattern
    demonym_of: dict[str, str]  # iso2 -> first demonym
    actors: dict[str, ActorEntry]  # alias -> actor
    actor_re: re.Pattern
    group_re: re.Pattern
    group_of: dict[str, Group]  # lowercased adjective or name -> group
    group_words: tuple[str, ...]  # any group mention contains one of these
    cues: dict[str, Cue]
    host: str
    opposing: frozenset[str]
    subject_openers: frozenset[str]
    holder_nouns: frozenset[str]
    force_nouns: frozenset[str]
    object_nouns: frozenset[str]
    place_nouns: frozenset[str]
    reporting_verbs: frozenset[str]
    pronouns: frozenset[str]
    intro_re: re.Pattern  # "[<nationality>] <role> <Name Name>"
    appositive_re: re.Pattern  # "<Name Name>, <role> ..."
    official_roles: frozenset[str]
    unnamed_official_re: re.Pattern
    abbreviations: frozenset[str]
    # data/offers.toml: what is offered and on what conditions, kind -> phrases.
    contributions: dict[str, Cue] = field(default_factory=dict)
    conditions: dict[str, Cue] = field(default_factory=dict)
    size_re: re.Pattern | None = None
    extra: dict = field(default_factory=dict)


def word_starts(pattern: re.Pattern, text: str, before: str = "_") -> Iterator[re.Match]:
    """Matches of `pattern` that start a word. The boundary is checked here, not in the
    pattern: a leading lookbehind costs the regex engine its first-character scan, which
    makes these long alternations of names many times slower."""
    for match in pattern.finditer(text):
        start = match.start()
        if start == 0 or not (text[start - 1].isalnum() or text[start - 1] in before):
            yield match


def alternation(words) -> str:
    """A regex matching any of the words, longest first, factored as a trie: a flat
    alternation of hundreds of names makes the engine try each one at every position."""
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Longest first: the optional end comes after every longer continuation.
    return f"(?:{body})?" if ends else body


def _phrase_body(phrase: str, classes: dict[str, str]) -> str:
    """One phrase of the cue syntax (see data/cues.toml) as a regular expression."""
    parts = []
    for token in phrase.split():
        if token.startswith("~"):
            parts.append(("gap", r"(?:[\w'.,-]+\s+){0,%d}".replace("%d", str(int(token[1:])))))
            continue
        options = []
        for option in token.split("|"):
            if option.startswith("{") and option.endswith("}"):
                options.append(f"(?:{classes[option[1:-1]]})")
            elif option.endswith("*"):
                options.append(re.escape(option[:-1]) + r"[\w'-]*")
            else:
                options.append(re.escape(option))
        parts.append(("word", "(?:" + "|".join(options) + ")"))
    out = ""
    for i, (kind, rx) in enumerate(parts):
        if kind == "gap":
            out += rx
        else:
            out += rx + (r"\s+" if i + 1 < len(parts) and parts[i + 1][0] == "word" else "")
            if i + 1 < len(parts) and parts[i + 1][0] == "gap":
                out += r"\s+"
    return out


_GLUED = ("n'", "'")


def _grouped(phrases: list[str], classes: dict[str, str]) -> str:
    """The phrases as one alternation, those that open with the same word grouped behind
    it ("not ~3 {send}", "not ~2 take part" -> "not(?:...|...)"): the engine tries the
    opening word once per position instead of once per phrase."""
    groups: dict[str, list[str]] = {}
    for phrase in phrases:
        phrase = phrase.lower()
        first = phrase.split()[0]
        head = _phrase_body(first, classes)
        body = _phrase_body(phrase, classes)
        if not body.startswith(head):
            head = body
        groups.setdefault(head, []).append(body[len(head):] + r"(?![\w])")
    return "|".join(
        head + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for head, rests in groups.items()
    )


class Cue:
    """A list of phrases, searched in lower-cased text. The word boundary before a phrase is
    checked on each hit rather than in the pattern: a pattern that starts with a lookbehind
    loses the regex engine's first-character scan and runs ten times slower."""

    def __init__(self, phrases: list[str], classes: dict[str, str]):
        # A phrase that may start inside a word: "n't" in "don't".
        glued = [p for p in phrases if any(o.startswith(_GLUED)
                                           for o in p.split()[0].split("|"))]
        self.pattern = re.compile(_grouped(phrases, classes))
        self.glued = bool(glued)

    def starts(self, lower: str) -> list[int]:
        """Where the phrases occur in a whole text (one scan instead of one per sentence)."""
        return [
            m.start() for m in self.pattern.finditer(lower)
            if m.start() == 0 or not (lower[m.start() - 1].isalnum()
                                      or lower[m.start() - 1] in "_'")
        ]

    def search(self, lower: str) -> re.Match | None:
        # The hot path: a plain loop, not next(self.finditer()), which costs a generator.
        for match in self.pattern.finditer(lower):
            start = match.start()
            if start == 0 or not (lower[start - 1].isalnum() or lower[start - 1] in "_'"):
                return match
            if self.glued and lower.startswith(_GLUED, start):
                return match
        return None

    def finditer(self, lower: str) -> Iterator[re.Match]:
        for match in self.pattern.finditer(lower):
            start = match.start()
            at_word = start == 0 or not (lower[start - 1].isalnum() or lower[start - 1] in "_'")
            if at_word or (self.glued and lower.startswith(_GLUED, start)):
                yield match


@cache
def gazetteer() -> Gazetteer:
    countries_data = tomllib.loads((DATA / "countries.toml").read_text(encoding="utf-8"))
    actors_data = tomllib.loads((DATA / "actors.toml").read_text(encoding="utf-8"))
    groups_data = tomllib.loads((DATA / "groups.toml").read_text(encoding="utf-8"))
    cues_data = tomllib.loads((DATA / "cues.toml").read_text(encoding="utf-8"))
    offers_data = tomllib.loads((DATA / "offers.toml").read_text(encoding="utf-8"))

    countries: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name and "," not in name and "(" not in name and name not in _AMBIGUOUS:
                countries[name] = (c.alpha_2, "name")
    demonym_of: dict[str, str] = {}
    for iso2, entry in countries_data.items():
        for name in entry.get("names", []):
            countries[name] = (iso2, "name")
        for i, demonym in enumerate(entry.get("demonyms", [])):
            countries.setdefault(demonym, (iso2, "demonym"))
            if i == 0:
                demonym_of[iso2] = demonym
        for capital in entry.get("capitals", []):
            countries[capital] = (iso2, "capital")
    country_re = re.compile(
        r"(" + alternation(countries) + r")(?![\w])(?!\.\w)"
    )

    actors: dict[str, ActorEntry] = {}
    for row in actors_data.get("actor", []):
        entry = ActorEntry(
            name=row["name"],
            role=row.get("role"),
            country=row.get("country"),
            official=bool(row.get("official", False)),
            kind=row.get("kind", "person"),
        )
        for alias in [row["name"], *row.get("aliases", [])]:
            actors[alias] = entry
    actor_re = re.compile(r"(" + alternation(actors) + r")(?![\w])")

    group_of: dict[str, Group] = {}
    adjectives, names = [], []
    for row in groups_data.get("group", {}).values():
        group = Group(members=tuple(row["members"]))
        for adjective in row.get("adjectives", []):
            group_of[adjective.lower()] = group
            adjectives.append(adjective)
        for name in row.get("names", []):
            group_of[name.lower()] = group
            names.append(name)
    adj = alternation(adjectives)
    # "the Baltics" also opens a sentence: "The Baltics".
    name_forms = alternation(names + [n[0].upper() + n[1:] for n in names])
    group_re = re.compile(
        rf"(?:(?P<adjs>(?:{adj})(?:\s*(?:,|and|&)\s*(?:{adj}))*)\s+"
        rf"(?:{alternation(groups_data.get('nouns', []))}|"
        rf"(?P<force>{alternation(groups_data.get('force_nouns', []))}))|(?P<name>{name_forms}))"
        r"(?![\w])"
    )

    classes = {
        name: "|".join(_phrase_body(p.lower(), {}) for p in phrases)
        for name, phrases in cues_data["classes"].items()
    }
    cues = {name: Cue(phrases, classes) for name, phrases in cues_data["cues"].items()}
    grammar = cues_data["grammar"]

    nationality = alternation(
        [f for f, (_, kind) in countries.items() if kind in ("demonym", "name")]
    )
    roles = grammar["official_roles"] + grammar["other_roles"]
    # Spelt out in each case rather than matched case-insensitively: a case-insensitive
    # alternation at the start of a pattern is tried at every position of the text.
    role_alt = alternation(
        {form for r in roles for form in (r, r.lower(), r[0].upper() + r[1:], r.title())}
    )
    name_word = r"[A-ZÀ-ÖØ-Þ][\w'-]+"
    person = rf"{name_word}(?:\s+{name_word}){{1,2}}"
    # A title before a name without a nationality is capitalised ("Defence Minister Richard
    # Marles", "Opposition leader Kemi Badenoch"); with one it may not be ("Belgium's defence
    # minister Theo Francken"). Both branches start with a capital, which keeps this fast.
    titles = alternation({form for r in roles for form in (r[0].upper() + r[1:], r.title())})
    intro_re = re.compile(
        rf"(?:(?P<nat>{nationality})(?:'s)?\s+(?P<role>{role_alt})|(?P<title>{titles}))"
        rf"\s*,?\s+(?P<name>{person})"
    )
    appositive_re = re.compile(
        rf"(?<![\w])(?P<name>{person}),\s+(?:the\s+|an?\s+)?(?:(?P<nat>{nationality})(?:'s)?\s+)?"
        rf"(?P<role>{role_alt}|co-chairman|chairman|chairwoman|head|chief|leader|adviser|"
        rf"advisor|aide|deputy|director|secretary|official|member)(?![\w])"
    )
    return Gazetteer(
        countries=countries,
        country_re=country_re,
        demonym_of=demonym_of,
        actors=actors,
        actor_re=actor_re,
        group_re=group_re,
        group_of=group_of,
        group_words=tuple({w.split()[-1] for w in adjectives + names}),
        cues=cues,
        host=cues_data["topic"]["host"],
        opposing=frozenset(cues_data["topic"]["opposing"]),
        subject_openers=frozenset(grammar["subject_openers"]),
        holder_nouns=frozenset(grammar["holder_nouns"]),
        force_nouns=frozenset(grammar["force_nouns"]),
        object_nouns=frozenset(grammar["object_nouns"]),
        place_nouns=frozenset(grammar["place_nouns"]),
        reporting_verbs=frozenset(grammar["reporting_verbs"]),
        pronouns=frozenset(grammar["person_pronouns"]),
        intro_re=intro_re,
        appositive_re=appositive_re,
        official_roles=frozenset(r.lower() for r in grammar["official_roles"]),
        unnamed_official_re=re.compile(
            r"(?<![\w])(?:a|the|an)\s+(?P<role>" + alternation(grammar["unnamed_officials"])
            + r")(?![\w])",
            re.IGNORECASE,
        ),
        abbreviations=frozenset(grammar["abbreviations"]),
        contributions={k: Cue(v, classes) for k, v in offers_data["contributions"].items()},
        conditions={k: Cue(v, classes) for k, v in offers_data["conditions"].items()},
        size_re=_size_pattern(offers_data["size"]),
    )


_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|"
                 "thirty|forty|fifty|hundred|hundreds|thousand|thousands|dozens?")


def _size_pattern(data: dict) -> re.Pattern:
    """"up to 30,000 troops", "several hundred soldiers", "a 70-person headquarters", "a
    company-sized unit", "a brigade": a number of people or one unit, in lower case."""
    lead = alternation(data["numbers"])
    units = alternation(data["units"])
    formations = alternation(data["formations"])
    amount = rf"(?:\d[\d,.]*|(?:{_NUMBER_WORDS})(?:[\s-]+(?:{_NUMBER_WORDS}))*)"
    return re.compile(
        rf"(?<![\w])(?:(?:{lead})\s+)?{amount}(?:\s+of)?\s+(?:[a-z-]+\s+)?(?:{units})(?![\w])"
        rf"|(?<![\w])an?\s+\d+-(?:person|strong|member)\s+[a-z]+"
        rf"|(?<![\w])(?:an?|one)\s+(?:[a-z-]+\s+)?(?:{formations})(?:\s+of\s+(?:{units}))?(?![\w])"
    )
