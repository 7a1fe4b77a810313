"""From article text to proposed stance claims.

For each sentence: mentions of countries (names, demonyms, capitals, groups) and actors
(known, introduced with a nationality and a role, surnames of people named earlier,
pronouns), who speaks (quotes attributed before or after, "according to"), and the cues of
data/cues.toml. A country gets a claim from a sentence when the sentence is about the topic
and the country either holds the stance in it (subject, list member, "by Moscow") or, when no
country is named as holder, speaks it (the speaker's country).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .dates import explicit_date, statement_date
from .gazetteer import Gazetteer, alternation, gazetteer, normalise, word_starts
from .offers import offer_kinds, stated_size
from .sentences import Sentence, sentences

EXTRACTOR_VERSION = "1.3.0"


@dataclass(frozen=True)
class Claim:
    """One proposed stance with its evidence; the attributes of stances.services.ClaimLike."""

    country: str
    position: str
    actor: str | None
    actor_role: str | None
    actor_country: str | None
    actor_speaks_for_government: bool | None
    date: dt.date | None
    date_precision: str
    sentence: str
    start: int
    end: int
    quote: bool
    confidence: float
    # What the country offers and on what conditions (data/offers.toml), and the size as
    # the sentence states it.
    contributions: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    size: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A sentence on the topic that names countries for which the rules decided no position:
    it goes to a curator ("needs a position") instead of being dropped."""

    countries: tuple[str, ...]
    actor: str | None
    date: dt.date | None
    date_precision: str
    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Extraction:
    claims: list[Claim]
    candidates: list[Candidate]


@dataclass(frozen=True)
class ActorRef:
    name: str
    role: str | None
    country: str | None
    official: bool | None
    kind: str  # person, body
    start: int
    end: int


@dataclass(frozen=True)
class CountryMention:
    start: int
    end: int
    countries: tuple[str, ...]
    holder: bool


@dataclass
class _Article:
    """What the extractor remembers while reading one article."""

    surnames: dict[str, ActorRef]
    last_person: ActorRef | None = None
    anchor: dt.date | None = None
    # The previous sentence's positions, and its refusals (country -> claim indexes): a
    # refusal followed by another contribution ("He added that Poland would instead provide
    # logistical support") is a hedge.
    previous_positions: list[str] = field(default_factory=list)
    # The previous sentence, for an official introduced without a nationality ("Moscow
    # dismissed it. '...,' Deputy Foreign Minister Alexander Grushko said.").
    previous_sentence: str = ""
    refusals: dict[str, list[int]] = field(default_factory=dict)
    # (country, actor or None) that offer a contribution short of troops somewhere in the
    # article (logistics, training, air support...), with the kinds offered.
    offers: dict[tuple[str, str | None], tuple[str, ...]] = field(default_factory=dict)
    # Claims of the sentence before (indexes): a sentence that continues it ("This would
    # include a naval vessel and staff officers") adds what it offers to them.
    last_claims: list[int] = field(default_factory=list)


_HOST_VOICES = frozenset({"officials", "official", "government", "authorities", "leader",
                          "leaders", "president", "diplomats", "parliament", "side"})
_CONTRIBUTIONS = ("other_contribution", "contribution_with_refusal")
_WITH_SUBJECT = re.compile(
    r"(?:[,\s]+(?:and\s+|or\s+)?(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)*"
    r"\s+(?:also\s+|all\s+|both\s+|now\s+|already\s+)?[a-z]+ing\b"
)
_JOINER = re.compile(r"(?<![\w])(?:and|or|as well as|along with|together with|alongside|like|"
                     r"joined|joins)(?![\w])")
_COMMA_WORD = re.compile(r"\s*,\s*([\w'-]+)")
# "foresees Britain and France deploying troops": the countries do the deploying.
_DOING_SUBJECT = re.compile(
    r"(?:[,\s]+(?:and\s+|or\s+)?(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)*\s+"
    r"(?:deploying|sending|committing|contributing|providing|leading|dispatching)\b"
)
# Characters read on either side of a mention or cue: enough for a phrase, and what keeps
# the work per mention constant in a sentence of any length.
_WINDOW = 160
_DIGIT = re.compile(r"\d")
_LEADING_CONCESSION = re.compile(r"(?:though|although|while|whereas|even though)\s[^,]{8,},\s+",
                                 re.IGNORECASE)
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "both": 2}
_ANAPHOR = re.compile(
    r"(?<![\w])(?:[Tt]hese|[Tt]hose|[Tt]he|(?P<both>[Bb]oth))\s+"
    r"(?:(?P<count>two|three|four|five)\s+)?"
    r"(?:countries|nations|governments|states|capitals)(?![\w])"
)
_SOURCE_BEFORE = re.compile(
    r"(?<![\w])(?:according to|referring to|citing|quoting|if|unless)(?:\s+the)?$",
    re.IGNORECASE)
_LEADING_QUESTION = re.compile(r"(?:when\s+)?asked\s[^,]{4,},\s+", re.IGNORECASE)
_THAT = re.compile(r"(?<![\w])that\s+")
_QUESTION = re.compile(r"\?[\"')\]]*\s*$")
_CLAUSE_BREAK = re.compile(
    r";\s+|,[\"']?\s+(?:while|whereas|even as|whilst)\s+|\s+but that\s+"
    # "The government rejected the idea, but the Christian Democrats support it": a second
    # voice (a clause without its own country or actor stays with the one before).
    r"|,\s+but\s+(?=(?:the\s+)?[A-Z])"
    # "was open to the idea, saying that ... should participate": a second statement.
    r"|,\s+(?:saying|adding|stressing|noting|arguing)(?:\s+that)?\s+"
    r"|\s+-\s+(?=[a-z])(?!said|says|told|added|stated)"
)
_CAPITALISED = re.compile(r"(?<![\w'-])[A-ZÀ-ÖØ-Þ][\w'-]+")
_PRONOUN = re.compile(r"(?<![\w'])(?:[Hh]e|[Ss]he)(?![\w'])")
_WORD_BEFORE = re.compile(r"([\w'.]+)\s*$")
# Between a nationality and the name it introduces: "French President, ", "Kremlin
# spokesperson ", "UK Defence Secretary ".
# "by <intro>" or "by <intro Name> and <intro>": the mention names an agent.
_AGENT_BEFORE = re.compile(
    r"(?<![\w])by\s+(?:the\s+)?(?:[\w'.-]+\s+){0,5}?(?:and\s+)?(?:the\s+)?$"
)
_INTRO_GAP = re.compile(
    r"(?:'s)?[\s,]*(?:(?:[A-Z][\w'-]*|spokes\w+|leader|minister|secretary|chief|official|head|"
    r"of|the|foreign|defen[cs]e|prime|deputy|vice)[\s,]+){1,5}"
)
_WORD_AFTER = re.compile(r"^\s*([\w'-]+)")
_ROLE_AFTER_BODY = re.compile(
    r"\s+(?:[a-z-]+\s+)?(?:spokes\w+|official|officials|aide|aides|press|adviser|source|"
    r"sources|chief|[A-Z])"
)


def extract(text: str, published: dt.date | None = None) -> list[Claim]:
    return analyse(text, published).claims


def analyse(text: str, published: dt.date | None = None) -> Extraction:
    """Claims, and the candidates: sentences on the topic naming a country the claims miss."""
    g = gazetteer()
    norm = normalise(text)
    lowered = norm.lower()
    # Topic phrases and known actors are found in one scan of the article each, then handed
    # to the sentences they fall in.
    topic_at = g.cues["topic"].starts(lowered)
    actor_at = [(m.start(), m.end(), m.group()) for m in word_starts(g.actor_re, norm)]
    next_topic = next_actor = 0
    spans = list(sentences(text))
    state = _Article(surnames={})
    claims: list[Claim] = []
    candidates: list[Candidate] = []
    seen: set[tuple[int, str, str]] = set()
    inside_quote = False
    since_topic = 99  # sentences since the last one on the topic
    paragraph = -1
    for index, sentence in enumerate(spans):
        if sentence.paragraph != paragraph:
            # The topic carries over a paragraph break (one-line paragraphs are common);
            # quotes and agreement ("echoed") do not.
            paragraph, inside_quote = sentence.paragraph, False
            state.previous_positions = []
        sn = norm[sentence.start : sentence.end]
        quoted, inside_after = _quoted(sn, inside_quote)
        while next_actor < len(actor_at) and actor_at[next_actor][0] < sentence.start:
            next_actor += 1
        known = []
        while next_actor < len(actor_at) and actor_at[next_actor][1] <= sentence.end:
            a, b, alias = actor_at[next_actor]
            known.append((a - sentence.start, b - sentence.start, alias))
            next_actor += 1
        actors = _actors(sn, g, state, known)
        lower = lowered[sentence.start : sentence.end]
        while next_topic < len(topic_at) and topic_at[next_topic] < sentence.start:
            next_topic += 1
        topic_here = next_topic < len(topic_at) and topic_at[next_topic] < sentence.end
        topic_carried = since_topic <= 1
        refusals: dict[str, list[int]] = {}
        positions: list[str] = []
        if topic_here or topic_carried:
            found, mentions = _sentence_claims(
                g, state, text, norm, spans, index, sentence, sn, lower, quoted, actors,
                published, topic_here=topic_here, started_inside=inside_quote,
            )
            if topic_here and (candidate := _candidate(
                g, state, text, sn, sentence, mentions, actors, found, published
            )):
                candidates.append(candidate)
            for claim in found:
                if claim.position == "hedge" and claim.country in state.refusals:
                    for i in state.refusals.pop(claim.country):
                        # The same speaker, an unattributed refusal, or one government.
                        if claim.actor == claims[i].actor or claims[i].actor is None \
                                or _same_government(claim, claims[i]):
                            claims[i] = replace(
                                claims[i], position="hedge", conditions=claim.conditions,
                                contributions=tuple(k for k in claim.contributions
                                                    if k != "ground"))
                key = (claim.start, claim.country, claim.position)
                if key not in seen:
                    seen.add(key)
                    if claim.position == "rejection":
                        refusals.setdefault(claim.country, []).append(len(claims))
                    claims.append(claim)
                    positions.append(claim.position)
        if positions:
            state.last_claims = list(range(len(claims) - len(positions), len(claims)))
        elif state.last_claims and _CONTINUES.match(sn):
            _continue_offers(g, claims, state.last_claims, text[sentence.start : sentence.end])
            state.last_claims = []
        else:
            state.last_claims = []
        state.refusals = refusals
        state.previous_positions = positions
        _remember(state, sn, quoted, actors, published)
        inside_quote = inside_after
        since_topic = 0 if topic_here else since_topic + 1
    return Extraction(_reconciled(claims, state.offers, g), candidates)


_CONTINUES = re.compile(r"(?:This|That|It|These|They|Such|The (?:contribution|offer|package)"
                        r"|Its|Their)\b")


def _continue_offers(g: Gazetteer, claims: list[Claim], indexes: list[int], text: str) -> None:
    """The sentence after a claim continues it: what it offers and on what conditions are
    the claim's too (the union, as the gold scores a claim over its rows)."""
    contributions, conditions = offer_kinds(g, text, refuses_troops=False,
                                            force_by_default=False)
    size = stated_size(g, text)
    for i in indexes:
        claim = claims[i]
        if not _offers_anything(g, claim.country, claim.position):
            continue
        claims[i] = replace(
            claim,
            contributions=tuple(dict.fromkeys(claim.contributions + contributions)),
            conditions=tuple(dict.fromkeys(claim.conditions + conditions)),
            size=claim.size or size,
        )


def _reconciled(claims: list[Claim], offers: dict[tuple[str, str | None], tuple[str, ...]],
                g: Gazetteer) -> list[Claim]:
    """A refusal of troops and, elsewhere in the article, another contribution from the same
    voice make one hedge (the rule of the gold: "no boots on the ground" in the headline,
    "we are responsible for logistics" further down)."""
    offering = {country for country, _ in offers}
    out = []
    for claim in claims:
        if claim.position == "rejection" and claim.country in offering and (
                claim.actor is None or (claim.country, claim.actor) in offers
                or (claim.country, None) in offers):
            kinds = offers.get((claim.country, claim.actor)) or offers.get(
                (claim.country, None)) or next(
                v for (c, _), v in offers.items() if c == claim.country)
            claim = replace(claim, position="hedge", contributions=kinds)
        out.append(claim)
    return out


def _candidate(g, state, text, sn, sentence, mentions, actors, found, published):
    """The countries this sentence names (as holders, or as any other mention but the host's
    place) or speaks for, that none of its claims covers."""
    named = [c for m in mentions if m.holder or g.host not in m.countries for c in m.countries]
    named += [a.country for a in actors if a.country]
    covered = {c.country for c in found}
    countries = tuple(c for c in dict.fromkeys(named) if c not in covered)
    if not countries:
        return None
    date, precision = statement_date(sn, published, state.anchor)
    speaker = next((a.name for a in actors), None)
    return Candidate(countries, speaker, date, precision, text[sentence.start : sentence.end],
                     sentence.start, sentence.end)


def _same_government(a: Claim, b: Claim) -> bool:
    """Two officials of one government speak for it together ("Vance said no troops ...;
    Rubio added intelligence and a backstop")."""
    return bool(
        a.actor_speaks_for_government and b.actor_speaks_for_government
        and a.actor_country == b.actor_country == a.country
    )


def _quoted(sn: str, inside: bool) -> tuple[list[tuple[int, int]], bool]:
    """Spans of the sentence inside quotation marks, and whether a quote is still open."""
    regions = []
    start = 0 if inside else None
    i = sn.find('"')
    while i >= 0:
        if start is None:
            start = i
        else:
            regions.append((start, i + 1))
            start = None
        i = sn.find('"', i + 1)
    if start is not None:
        regions.append((start, len(sn)))
    return regions, start is not None


def _outside(pos: int, quoted: list[tuple[int, int]]) -> bool:
    return not any(a <= pos < b for a, b in quoted)


def _actors(sn: str, g: Gazetteer, state: _Article, known_at=None) -> list[ActorRef]:
    """Actors named in the sentence, in order; people introduced with a role are learnt.
    `known_at` are the gazetteer's actors already found in the sentence (start, end, alias)."""
    found: list[ActorRef] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(ref: ActorRef) -> None:
        found.append(ref)
        taken.append((ref.start, ref.end))
        if ref.kind == "person" and " " in ref.name:
            state.surnames[ref.name.split()[-1]] = ref

    if _has_role_word(sn):
        for match in word_starts(g.intro_re, sn):
            a, b = match.span("name")
            name = match.group("name")
            if name.endswith(("'s", "’s")):
                # "Chancellor Olaf Scholz's government": the person, not the possessive.
                name, b = name[:-2], b - 2
            # "Secretary General Mark Rutte": the name is the known tail, or what follows
            # the words of the title.
            words = name.split()
            known = next((g.actors[" ".join(words[i:])] for i in range(len(words) - 1)
                          if " ".join(words[i:]) in g.actors), None)
            if known:
                add(_ref(known, b - len(known.name) if sn[a:b].endswith(known.name) else a, b))
                continue
            while len(words) > 2 and _ROLE_HINT.fullmatch(words[0]):
                a += len(words.pop(0)) + 1
            name = " ".join(words)
            nat = match.group("nat")
            iso2 = g.countries[nat][0] if nat else None
            role = match.group("role") or match.group("title")
            official = role.lower() in g.official_roles
            if iso2 is None and official:
                iso2 = _subject_country(g, state.previous_sentence)
            add(ActorRef(name, role, iso2, role.lower() in g.official_roles, "person", a, b))
        for match in g.appositive_re.finditer(sn):
            a, b = match.span("name")
            name = match.group("name")
            if not free(a, b) or g.actors.get(name) or name.split()[0] in g.countries:
                continue
            nat = match.group("nat")
            iso2 = g.countries[nat][0] if nat else None
            role = match.group("role")
            official = role.lower() in g.official_roles
            if iso2 is None and official:
                iso2 = _subject_country(g, state.previous_sentence)
            add(ActorRef(name, role, iso2, role.lower() in g.official_roles, "person", a, b))
    if known_at is None:
        known_at = [(m.start(), m.end(), m.group()) for m in word_starts(g.actor_re, sn)]
    for a, b, alias in known_at:
        if not free(a, b):
            continue
        entry = g.actors[alias]
        if entry.kind == "body" and _ROLE_AFTER_BODY.match(sn, b):
            continue  # "Kremlin spokesperson Dmitry Peskov": the person speaks
        add(_ref(entry, a, b))
    if state.surnames and any(name in sn for name in state.surnames):
        for match in _CAPITALISED.finditer(sn):
            word = match.group().removesuffix("'s").rstrip("'")
            ref = state.surnames.get(word)
            if ref and free(match.start(), match.end()):
                found.append(
                    ActorRef(ref.name, ref.role, ref.country, ref.official, ref.kind,
                             match.start(), match.end())
                )
                taken.append(match.span())
    found.sort(key=lambda r: r.start)
    return found


_ROLE_HINT = re.compile(alternation(
    w for word in ["President", "Minister", "Chancellor", "Secretary", "Spokes", "Ambassador",
                   "King", "Queen", "Envoy", "Premier", "Senator", "MP", "Leader", "General",
                   "Governor", "Chair", "Co-chair", "Head", "Chief", "Adviser", "Advisor",
                   "Deputy", "Official", "Director", "Commander", "Analyst", "Lawmaker",
                   "Member", "Aide", "PM"]
    for w in (word, word.lower())
))


def _has_role_word(sn: str) -> bool:
    return _ROLE_HINT.search(sn) is not None


def _ref(entry, start: int, end: int) -> ActorRef:
    return ActorRef(entry.name, entry.role, entry.country, entry.official, entry.kind,
                    start, end)


def _remember(state: _Article, sn: str, quoted, actors: list[ActorRef], published) -> None:
    state.previous_sentence = sn
    people = [a for a in actors if a.kind == "person"]
    outside = [a for a in people if _outside(a.start, quoted)]
    if outside:
        state.last_person = outside[0]
    elif people and not quoted:
        state.last_person = people[0]
    if _DIGIT.search(sn) and (found := explicit_date(sn, published)):
        state.anchor = found


def _subject_country(g: Gazetteer, sn: str) -> str | None:
    """The one country a sentence names as holder, if it names exactly one."""
    held = {c for m in _countries(sn, g) if m.holder for c in m.countries}
    return held.pop() if len(held) == 1 else None


def _countries(sn: str, g: Gazetteer) -> list[CountryMention]:
    mentions: list[CountryMention] = []
    groups = any(word in sn for word in g.group_words)
    for match in word_starts(g.group_re, sn) if groups else ():
        if match.group("adjs"):
            words = re.split(r"\s*(?:,|and|&)\s*", match.group("adjs"))
            members = tuple(m for w in words for m in g.group_of[w.lower()].members)
        else:
            members = g.group_of[match.group("name").lower()].members
        if match.group("force"):
            # "Nordic troops": the members' forces, whoever the phrase is the object of.
            holder = not _SOURCE_BEFORE.search(sn, max(0, match.start() - _WINDOW),
                                               match.start())
        else:
            holder = _holder(sn, match.start(), match.end(), "group", g, mentions)
        mentions.append(CountryMention(match.start(), match.end(), members, holder))
    group_spans = [(m.start, m.end) for m in mentions]
    for match in word_starts(g.country_re, sn, "_."):
        a, b = match.span()
        if group_spans and any(x <= a < y for x, y in group_spans):
            continue
        iso2, kind = g.countries[match.group()]
        holder = _holder(sn, a, b, kind, g, mentions)
        if kind == "demonym" and iso2 == g.host and holder:
            # "Ukrainian officials" speak for the host; "Ukrainian forces" are its own.
            following = _WORD_AFTER.match(sn, b)
            holder = bool(following) and following.group(1).lower() in _HOST_VOICES
        mentions.append(CountryMention(a, b, (iso2,), holder))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _holder(sn: str, a: int, b: int, kind: str, g: Gazetteer, before) -> bool:
    """Does the mention name who holds a stance, rather than a place, a target or a thing
    of the country? A list ("France, Germany and Italy") shares its first member's role.
    Only a window of text on either side is read: the cost of a mention stays the same
    however long the sentence (a crafted one lists hundreds of countries)."""
    head = sn[max(0, a - _WINDOW) : a].rstrip()
    if head.lower().endswith(" the") or head.lower() == "the":
        head = head[:-3].rstrip()
    if head.lower().endswith((" other", " fellow")) and kind == "group":
        # "Estonia and the other Baltic states": the list goes on.
        head = head[: head.rfind(" ")].rstrip()
        if head.lower().endswith(" the"):
            head = head[:-3].rstrip()
    if head.endswith((",", " and", " or", ",and", ",or", " with", " like", " alongside",
                      " joined", " joins")) \
            or head in ("and", "or"):
        previous = next((m for m in reversed(before) if m.end <= a), None)
        if previous and _LIST_JOIN.fullmatch(sn, previous.end, a):
            ahead = sn[max(0, previous.start - _WINDOW) : previous.start].rstrip()
            # "troops to Ukraine and France will lead ...": a new clause's subject, not
            # the list's next member (but "only Britain, France and Estonia have ..." is
            # one list).
            new_clause = not previous.holder and _CLAUSE_VERB.match(sn, b) and not \
                ahead.endswith((",", " and", " or"))
            # "Besides Britain and France, the Netherlands has ...": "and" closed the list.
            closed = ahead.endswith((" and", " or")) and not _JOINER.search(sn, previous.end, a)
            if not new_clause and not closed:
                return previous.holder
    tail = sn[b : b + _WINDOW]
    possessive = tail.startswith(("'s", "' "))
    if possessive:
        tail = tail[2:]
    following = _WORD_AFTER.match(tail)
    nxt = following.group(1).lower() if following else ""
    if kind == "demonym" and _SOURCE_BEFORE.search(head):
        return False  # "according to British officials", "if Finnish soldiers ..."
    if nxt == "-led" and not possessive:
        return True  # "a British-led force", "the US-led mission": the country leads it
    if kind == "demonym":
        # "German troops" anywhere in the sentence: the troops say whose they are; in "the
        # French and British positions" (or "a Franco-British force") the noun comes after
        # the last demonym.
        def demonym(word: str) -> bool:
            return g.countries.get(word.lstrip("-"), ("", ""))[1] == "demonym"

        while True:
            if following and (nxt in ("and", "or") or demonym(following.group(1))):
                tail = tail[following.end():]
            elif (listed := _COMMA_WORD.match(tail)) and demonym(listed.group(1)):
                # "British, French and Danish troops"
                tail = tail[listed.start(1):]
            else:
                break
            following = _WORD_AFTER.match(tail)
            nxt = following.group(1).lower() if following else ""
        return nxt in g.holder_nouns
    if kind == "name" and not possessive and nxt in g.force_nouns:
        return True  # "Bulgaria troops", "UK forces": the troops say whose they are
    if kind == "name" and not possessive and nxt in g.object_nouns:
        return False  # "including US support": a thing of the country
    if possessive and nxt in _OWN_ACT:
        return True  # "welcomed Belgium's decision to send troops": the decision is Belgium's
    if _PRAISED_FOR.match(sn, b) and _PRAISE_BEFORE.search(head):
        return True  # "thanked Britain and France for their readiness to ..."
    match = _WORD_BEFORE.search(head)
    before = match.group(1).lower() if match and head[-1:].isalnum() else None
    # "..., with Britain, France and the Netherlands confirming they would deploy": the
    # countries are the subject of the -ing clause.
    after = sn[b : b + _WINDOW]
    with_subject = (before == "with" and _WITH_SUBJECT.match(after) is not None) or (
        _DOING_SUBJECT.match(after) is not None)
    # "Troops from Britain and France would ...": whose troops they are.
    troops_from = before == "from" and _TROOPS_FROM.search(head) is not None
    # "For Slovakia, sending troops is a red line", "... is a red line for Slovakia": whose
    # red line it is.
    for_whom = before == "for" and (
        (_FOR_OPENING.fullmatch(head) is not None and sn.startswith(",", b))
        or _LIMIT_FOR.search(head) is not None)
    if before is not None and before not in g.subject_openers and not with_subject \
            and not troops_from and not for_whom:
        return False
    if (possessive or kind == "group") and nxt in g.object_nouns and not (
            possessive and before is None and nxt in _OWN_PART):
        # "Portugal's participation will be limited to ...": opening the sentence, the
        # country's own part is its stance.
        return False
    return not (kind == "capital" and nxt in g.place_nouns)


# Between two members of a list: "and", "or", or "along with", "like", "alongside" ("Italy,
# like Poland, will not ...": both hold); "Finland joined Sweden in ...": both.
_LIST_JOIN = re.compile(r"[\s,]*(?:(?:and|or|along with|together with|alongside|like|"
                        r"as well as|joined|joins)\s*)?(?:the\s+)?")
_TROOPS_FROM = re.compile(
    r"(?:troops|forces|soldiers|contingents|personnel|peacekeepers|units)\s+from$"
    r"|troop\s+(?:pledges|offers|contributions)(?:\s+[\w']+){0,3}?\s+(?:come|came)\s+from$"
    # "Troops for the mission would come from the UK": where the troops come from.
    r"|(?:troops|forces|soldiers|contingents|personnel|peacekeepers)(?:\s+[\w']+){0,5}?"
    r"\s+(?:come|came|comes|coming)\s+from$", re.IGNORECASE)
_FOR_OPENING = re.compile(r"(?:.*[.;:!?\"]\s*)?for", re.IGNORECASE | re.DOTALL)
_LIMIT_FOR = re.compile(r"(?:red lines?|not an option|no option|out of the question|off the table|"
                        r"non-starter|no-go)\s+for$", re.IGNORECASE)
# What a country does, after its possessive, wherever the phrase stands.
_OWN_ACT = frozenset({"decision", "offer", "pledge", "commitment", "readiness", "willingness",
                      "intention", "promise"})
_PRAISE = r"(?:thank\w*|prais\w*|commend\w*|welcom\w*|hail\w*|laud\w*|applaud\w*)"
_PRAISE_BEFORE = re.compile(r"(?<![\w])" + _PRAISE + r"$", re.IGNORECASE)
_PRAISE_ANY = re.compile(r"(?<![\w])" + _PRAISE + r"\s+(?:the\s+)?[A-Z]")
_PRAISED_FOR = re.compile(
    r"(?:'s)?(?:(?:,\s*|\s+and\s+|\s+or\s+)(?:the\s+)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)*"
    r"\s+for\s+(?:its|their|his|her)\s+(?:readiness|willingness|commitment|decision|pledge|"
    r"offer|intention|plans?|contribution|participation|promise)")
_OWN_PART = frozenset({"participation", "involvement", "contribution", "role"})
_CLAUSE_VERB = re.compile(
    r"\s+(?:will|would|has|have|had|is|are|was|were|could|can|may|might|should|must|"
    r"said|says|plans|intends|wants|also)\b")


def _unless_introducing(m: CountryMention, sn: str, actors) -> CountryMention:
    """"French President Emmanuel Macron": the nationality introduces the speaker, whose
    country applies when the sentence names no other holder. After "by" the people are the
    agents ("chaired by UK Prime Minister Keir Starmer and French President Emmanuel
    Macron"): each one's country holds."""
    if m.holder and not _AGENT_BEFORE.search(sn, max(0, m.start - _WINDOW), m.start):
        for actor in actors:
            if actor.start >= m.end and _INTRO_GAP.fullmatch(sn, m.end, actor.start):
                return CountryMention(m.start, m.end, m.countries, False)
    return m


def _clauses(sn: str) -> list[tuple[int, int]]:
    # "Asked whether Japan would join ..., Hayashi said": the question states nothing.
    asked = _LEADING_QUESTION.match(sn)
    cuts = [asked.end() if asked else 0]
    # "Though Berlin has ruled out troops, German officials said ...": two voices.
    if not asked and (lead := _LEADING_CONCESSION.match(sn)) is not None:
        cuts.append(lead.end())
    for match in _CLAUSE_BREAK.finditer(sn, cuts[0]):
        cuts.append(match.end())
    cuts.append(len(sn))
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1)]


def _speaker(
    a: int, b: int, actors, quoted, sn: str, state: _Article, lookahead
) -> ActorRef | None:
    for actor in actors:
        if a <= actor.start < b and _outside(actor.start, quoted):
            return actor
    for match in _PRONOUN.finditer(sn, a, b):
        if _outside(match.start(), quoted):
            return state.last_person
    if all(not _outside(p, quoted) for p in (a, max(a, b - 2))):
        return lookahead()
    return None


def _sentence_claims(
    g, state, text, norm, spans, index, sentence: Sentence, sn, lower, quoted, actors,
    published, *, topic_here: bool, started_inside: bool,
):
    mentions = [_unless_introducing(m, sn, actors) for m in _countries(sn, g)]
    if not (mentions or actors or quoted or started_inside or _PRONOUN.search(sn)):
        return [], mentions  # nobody to hold a stance: the common case, decided cheaply
    if _QUESTION.search(sn):
        return [], mentions  # a question asks, it does not state: a curator decides
    lookahead_cache: list[ActorRef | None] = []

    def lookahead() -> ActorRef | None:
        """The speaker a quote is attributed to after it ends, in a later sentence."""
        if not lookahead_cache:
            lookahead_cache.append(_attribution_after(g, norm, spans, index, state))
        return lookahead_cache[0]

    clauses = _clauses(sn)
    # A clause with neither a country nor an actor of its own continues the one before.
    merged: list[tuple[int, int]] = []
    foreign_subject: set[int] = set()
    for a, b in clauses:
        other = a > 0 and _opens_with(g, "other_subjects", lower[a:b])
        own = other or any(a <= m.start < b for m in mentions) or any(
            a <= x.start < b for x in actors)
        if other:
            foreign_subject.add(len(merged))
        if merged and not own:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))

    found = []
    previous_speaker = None
    # A refusal in one clause and a contribution in another ("ruled out deploying troops,
    # ..., while stressing that Rome supports security guarantees") still make a hedge.
    holders_of = [
        {c for m in mentions if a <= m.start < b and m.holder for c in m.countries}
        for a, b in merged
    ]
    for clause_index, (a, b) in enumerate(merged):
        if clause_index in foreign_subject and not holders_of[clause_index]:
            continue
        flags = _Flags(g, lower[a:b])
        speaker = _speaker(a, b, actors, quoted, sn, state, lookahead) or previous_speaker
        previous_speaker = clause_speaker = speaker
        voices: dict[str, ActorRef] = {}
        holders = [c for m in mentions if a <= m.start < b and m.holder for c in m.countries]
        if holders and speaker and speaker.country == g.host and g.host not in holders \
                and _PRAISE_ANY.search(sn, a, b):
            # "Zelensky welcomed Belgium's decision to send troops": the host welcomes it.
            holders.append(g.host)
        if not holders and (anaphor := _ANAPHOR.search(sn, a, b)):
            # "These three countries had expressed reservations": the ones just named (the
            # last three, when the sentence before also named a speaker's nationality).
            holders = list(dict.fromkeys(
                c for m in _countries(state.previous_sentence, g) if m.holder
                for c in m.countries))
            count = _NUMBER_WORDS.get((anaphor.group("count") or anaphor.group("both")
                                        or "").lower())
            if count and len(holders) > count:
                holders = holders[-count:]
        if not holders:
            if speaker is None or speaker.country is None or _partitive_subject(g, lower[a:b]) \
                    or _reports_other_subject(g, lower[a:b]):
                continue
            holders = [speaker.country]
            # "Macron and Starmer said they would send troops": both speak.
            for co in _co_speakers(sn, speaker, actors, b):
                if co.country and co.country not in holders:
                    holders.append(co.country)
                    voices[co.country] = co
        scoped = _holder_scopes(g, sn, lower, a, b, mentions)
        for iso2 in dict.fromkeys(holders):
            own = scoped.get(iso2, flags)
            speaker = voices.pop(iso2, None) or clause_speaker
            position = _position(iso2, own, g, topic_here=topic_here)
            if ellipsis := _elliptical(g, sn, lower, iso2, a, b, mentions):
                position = ellipsis
            if position is None and topic_here and iso2 != g.host and any(
                    iso2 in m.countries and a <= m.start < b and sn.startswith("-led", m.end)
                    for m in mentions):
                # "A British-led force": leading the force (a monitoring mission led is
                # support short of troops).
                position = "hedge" if own["other_contribution"] else "pledge"
            refers_back = False
            if position is None and _PROFORM_HINT.search(own.clause) and own["proform"] \
                    and state.previous_sentence:
                position = _proform_position(g, iso2, own, state.previous_sentence)
                refers_back = True
            if position == "rejection" and iso2 not in g.opposing:
                # A refusal in one clause and a contribution in another about the same
                # country ("ruled out deploying troops, ..., while stressing that Rome
                # supports security guarantees") still make a hedge.
                others = " ".join(
                    lower[x:y] for i, (x, y) in enumerate(merged)
                    if i != clause_index and holders_of[i] <= {iso2}
                )
                if others and any(g.cues[n].search(others) for n in _CONTRIBUTIONS):
                    position = "hedge"
            if iso2 in state.refusals and flags["other_contribution"] and iso2 != g.host:
                position = "hedge"
            if position is None and flags["echo"] and state.previous_positions:
                position = state.previous_positions[-1]
            if position != "rejection" and flags["other_contribution"] and iso2 != g.host \
                    and iso2 not in g.opposing:
                # Even where it makes no claim of its own ("we are responsible for
                # logistics," he said), an offer turns the same voice's refusal into a hedge.
                offered, _ = offer_kinds(g, text[sentence.start : sentence.end],
                                         refuses_troops=True, force_by_default=False)
                voice = (iso2, speaker.name if speaker else None)
                state.offers[voice] = tuple(dict.fromkeys(state.offers.get(voice, ()) + offered))
            if position is None:
                continue
            refuses_troops = position == "hedge" and (own["refusal"] or (
                own["pledge"] and own.negated("pledge"))) and not own["open_door"]
            found.append((iso2, position, speaker, bool(speaker and speaker.country == iso2),
                          refuses_troops, refers_back))
    for iso2, position in _excepted(g, sn, lower, mentions):
        if iso2 not in {f[0] for f in found} and iso2 != g.host and iso2 not in g.opposing:
            found.append((iso2, position, previous_speaker, False, False, False))
    if not found:
        return [], mentions

    date, precision = statement_date(sn, published, state.anchor)
    original = text[sentence.start : sentence.end]
    is_quote = bool(quoted) or started_inside
    official = g.unnamed_official_re.search(sn)
    claims = []
    for iso2, position, speaker, own_country, refuses_troops, refers_back in found:
        contributions: tuple[str, ...] = ()
        conditions: tuple[str, ...] = ()
        size = None
        if _offers_anything(g, iso2, position):
            contributions, conditions = offer_kinds(
                g, original, refuses_troops=refuses_troops,
                force_by_default=not refers_back and (
                    _names_force(g, original) or _idea_of_force(g, sn, state)))
            size = stated_size(g, original)
            if refers_back and not contributions:
                # "The UK and France said they would do so": what the sentence before offers.
                contributions, before = offer_kinds(g, state.previous_sentence,
                                                    refuses_troops=refuses_troops)
                conditions = tuple(dict.fromkeys(conditions + before))
        if speaker is None and official and iso2 in g.demonym_of:
            speaker = ActorRef(f"{g.demonym_of[iso2]} {official.group('role').lower()}",
                               official.group("role").lower(), iso2, True, "body", 0, 0)
        confidence = 0.55 + 0.2 * topic_here + 0.1 * (speaker is not None) + 0.1 * own_country
        claims.append(
            Claim(
                country=iso2,
                position=position,
                actor=speaker.name if speaker else None,
                actor_role=speaker.role if speaker else None,
                actor_country=speaker.country if speaker else None,
                actor_speaks_for_government=speaker.official if speaker else None,
                date=date,
                date_precision=precision,
                sentence=original,
                start=sentence.start,
                end=sentence.end,
                quote=is_quote,
                confidence=round(min(confidence, 0.95), 2),
                contributions=contributions,
                conditions=conditions,
                size=size,
            )
        )
    return claims, mentions


def _names_force(g: Gazetteer, sentence: str) -> bool:
    """A claim that names no contribution offers the force itself only where the sentence
    names a force ("ready to contribute to security guarantees" names none)."""
    return _force_named(sentence)


@lru_cache(maxsize=1024)
def _force_named(sentence: str) -> bool:
    """Cached: the claims of one sentence (a list of countries) ask for the same sentence."""
    return gazetteer().cues["force_noun"].search(sentence.lower()) is not None


def _idea_of_force(g: Gazetteer, sn: str, state: _Article) -> bool:
    """"Australia might consider the idea": the idea is the force the sentence before named."""
    return _IDEA.search(sn) is not None and _names_force(g, state.previous_sentence)


_IDEA = re.compile(r"\b(?:the|this|that|such an?)\s+(?:idea|proposal|plan|discussion|debate|"
                   r"initiative|option|step)\b", re.IGNORECASE)
# "Apart from Britain and France, no country has committed troops": the countries excepted
# did what no other did; so in "no country other than Britain and France has offered troops".
_EXCEPT = r"(?:apart from|aside from|except(?:\s+for)?|besides|save for|other than|but)"
_NONE = (r"(?:no|none\s+of\s+the)\s+(?:other\s+)?(?:[\w-]+\s+)?(?:country|countries|state|"
         r"states|nation|nations|ally|allies|member|members|government|governments|partner|"
         r"partners)\b|(?:nobody|no one|none)\b")
_EXCEPT_FIRST = re.compile(r"(?:^|[,;:]\s*|\s-\s)" + _EXCEPT.replace("|but", "") + r"\s+",
                           re.IGNORECASE)
_NONE_AFTER = re.compile(r",\s*(?:" + _NONE + r")\s*", re.IGNORECASE)
_NONE_FIRST = re.compile(r"(?<![\w'])(?:" + _NONE + r")\s*,?\s*" + _EXCEPT + r"\s+", re.IGNORECASE)
_OPEN_QUESTION = re.compile(r"\b(?:whether|if)\b")
_LIST_ONLY = re.compile(r"(?:[\s,]*(?:and|or|as well as)?\s*(?:the\s+)?)", re.IGNORECASE)


def _excepted(g: Gazetteer, sn: str, lower: str, mentions) -> list[tuple[str, str]]:
    """The countries excepted from "no country": the position of what no other did."""
    if "no" not in lower or not any(x in lower for x in ("apart", "aside", "except", "besides",
                                                         "save for", "other than", "but")):
        return []
    for opening in (_EXCEPT_FIRST, _NONE_FIRST):
        for match in opening.finditer(sn):
            listed = []
            end = match.end()
            for m in mentions:
                if m.start < end:
                    continue
                if not _LIST_ONLY.fullmatch(sn, end, m.start):
                    break
                listed.append(m)
                end = m.end
            if not listed:
                continue
            if opening is _EXCEPT_FIRST:
                quantifier = _NONE_AFTER.match(sn, end)
                if quantifier is None:
                    continue
                end = quantifier.end()
            clause = next(((x, y) for x, y in _clauses(sn) if x <= end < y), (end, len(sn)))
            predicate = lower[end : clause[1]]
            position = _position("", _Flags(g, predicate), g, topic_here=True)
            if position is None or _OPEN_QUESTION.search(predicate):
                continue  # "no country has said whether it will send troops": still open
            return [(c, position) for m in listed for c in m.countries]
    return []


# Between two people who speak together: "Macron and Starmer", "French President Emmanuel
# Macron and British Prime Minister Keir Starmer", "Macron, Starmer and Merz".
_CO_SPEAKER = re.compile(r"(?:'s)?\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:[A-Z][\w.'-]*\s+){0,5}$")


def _co_speakers(sn: str, speaker: ActorRef, actors, end: int) -> list[ActorRef]:
    """The people named with the speaker as one subject, before the clause's verb."""
    joined, last = [], speaker
    for actor in actors:
        if actor.start <= last.start or actor.start >= end:
            continue
        if not _CO_SPEAKER.fullmatch(sn, last.end, actor.start):
            break
        joined.append(actor)
        last = actor
    if any(last.start < actor.start < end for actor in actors):
        return []  # "Macron, Starmer and Merz met, and Merz ruled out ...": another subject
    return joined


_PROFORM_HINT = re.compile(r"do so|the same|suit|likewise")
# A clause that ends on its auxiliary ("..., but Italy will not.", "while Spain said it would
# not"): the act is the one the sentence named before it.
_ELLIPSIS = re.compile(
    r"(?:,\s*(?:however|though|for (?:its|their) part),)?\s+"
    r"(?:(?:has\s+)?(?:said|says|added|insisted|made clear|signalled|signaled|indicated)"
    r"(?:\s+that)?\s+(?:it|they|she|he)\s+)?"
    r"(?:will|would|is|are|was|were|does|do|did|has|have|had|could|can|should|might|may)"
    r"(?P<neg>\s+not|n't|\s+never)?(?:\s+(?:do\s+so|either|too))?\s*(?:[.;,)!?]|$|\s-)",
    re.IGNORECASE)


def _elliptical(g: Gazetteer, sn: str, lower: str, iso2: str, a: int, b: int,
                mentions) -> str | None:
    """"Britain will deploy soldiers, but Italy will not": Italy refuses what Britain
    pledges; "Germany will not send troops, but France will": France does it."""
    if iso2 == g.host or iso2 in g.opposing:
        return None
    for m in mentions:
        if iso2 not in m.countries or not (a <= m.start < b) or m.start == 0:
            continue
        ellipsis = _ELLIPSIS.match(sn, m.end)
        if ellipsis is None:
            continue
        before = _position("", _Flags(g, lower[: m.start]), g, topic_here=True)
        if before is None:
            return None
        if ellipsis.group("neg"):
            return "rejection"
        return "pledge" if before == "rejection" else before
    return None


def _proform_position(g: Gazetteer, iso2: str, own: _Flags, previous: str) -> str | None:
    """"Not all countries are willing to send troops. The UK and France confirmed they
    would do so": the act is the sentence before's; "would not do so" refuses it."""
    before = _position(iso2, _Flags(g, previous.lower()), g, topic_here=True)
    if before is None:
        return None
    if own.negated("proform"):
        return "hedge" if own["hedge"] and before != "rejection" else (
            "pledge" if before == "rejection" else "rejection")
    return "hedge" if own["hedge"] else before


def _offers_anything(g: Gazetteer, iso2: str, position: str) -> bool:
    """A rejection offers nothing; nor do the host (it calls for the force) and the
    opposing countries."""
    return position != "rejection" and iso2 != g.host and iso2 not in g.opposing


# Between two members of one set: list words, or the rest of a person's introduction ("UK
# Prime Minister Keir Starmer and French President ...").
_BY_AGENT = re.compile(r"(?:[\w'-]+\s+)?by\s+(?:the\s+)?$")
_LIST_GLUE = re.compile(
    # "Denmark (which trained pilots), Norway and Sweden": a parenthesis inside the list.
    r"-|\s*\([^()]{0,160}\)[\s,]*(?:(?:and|or)\s+)?(?:the\s+)?|(?:[\s,]*(?:[A-Z][\w'.-]*\s+){1,5}?(?=and\s|or\s))?"
    r"[\s,]*(?:(?:and|or|as well as|nor|along with|together with|alongside|like|joined|joins)"
    r"\s+)?(?:the\s+)?"
)


def _holder_scopes(g, sn: str, lower: str, a: int, b: int, mentions) -> dict[str, _Flags]:
    """With two sets of holders in one clause, each gets the words up to the next set:
    "Ankara shifted its position after Moscow insisted it would not allow NATO troops" is
    Moscow's refusal, not Ankara's. The words between two sets go to both ("a coalition
    launched by the UK and France")."""
    runs: list[list[CountryMention]] = []
    for m in mentions:
        if not (a <= m.start < b and m.holder):
            continue
        if runs and _LIST_GLUE.fullmatch(sn, runs[-1][-1].end, m.start):
            runs[-1].append(m)
        else:
            runs.append([m])
    if len(runs) < 2:
        return {}
    scopes: dict[str, _Flags] = {}
    # A country named in two sets ("Washington will not ..., though the United States may
    # ...") keeps the whole clause.
    seen = [c for run in runs for m in run for c in m.countries]
    twice = {c for c in seen if seen.count(c) > 1}
    for i, run in enumerate(runs):
        start = a if i == 0 else runs[i - 1][-1].end
        end = b
        if i + 1 < len(runs):
            end = runs[i + 1][0].start
            # "... involved in talks on a coalition launched by the UK": the launching is
            # the next set's.
            if agent := _BY_AGENT.search(sn, start, end):
                end = agent.start()
        flags = _Flags(g, lower[start:end])
        for m in run:
            for iso2 in m.countries:
                # Russia and its allies oppose other countries' troops, which are named in
                # their statements: they keep the whole clause.
                if iso2 not in twice and iso2 not in g.opposing:
                    scopes[iso2] = flags
    return scopes


def _opens_with(g: Gazetteer, name: str, clause: str) -> bool:
    match = g.cues[name].search(clause)
    return match is not None and len(clause[: match.start()].split()) <= 1


def _reports_other_subject(g: Gazetteer, clause: str) -> bool:
    """"Merz said that Europe was not discussing ...": the speaker reports what others do,
    which is not his country's stance."""
    for match in _THAT.finditer(clause):
        if _opens_with(g, "other_subjects", clause[match.end():]) or _opens_with(
                g, "partitive", clause[match.end():]):
            return True
    return False


def _partitive_subject(g: Gazetteer, clause: str) -> bool:
    """Does an unnamed part of a group ("some states") hold the stance? Only as a subject:
    "called on other allies to follow" leaves the speaker's own stance standing."""
    match = g.cues["partitive"].search(clause)
    if match is None:
        return False
    head = clause[: match.start()].rstrip()
    before = _WORD_BEFORE.search(head)
    return not head[-1:].isalnum() or not before or before.group(1) in g.subject_openers


_CONTRAST = re.compile(
    r"(?<![\w'])(?:but|instead|only|however|rather|though|although|yet|while|whereas)(?![\w'])"
)
_DEPLOYING = re.compile(r"(?<![\w'])(?:deploy\w*|sending|send|participation|involvement|"
                        r"contribution|mission|presence)(?![\w'])")
_RELATIVE = re.compile(r",\s*(?:which|who)\b[^,]*$")
_NEGATOR = re.compile(r"(?<![\w'])(?:not|never|no|without|nor|neither|cannot)(?![\w'])|n't\b")
_UNSAID = re.compile(r"\s+(?:yet\s+)?(?:say|said|specif\w*|disclos\w*|reveal\w*|confirm\w*|"
                     r"know|knowing|clear|clarif\w*|doubt|question)\b")
_WORDS_AFTER = re.compile(r"(?:[\s,]+[\w'.-]+){0,5}")
_NEGATION_REACH = re.compile(r"(?:[\w'.-]+[\s,]+){0,4}$")


class _Flags:
    """Which cues a clause has, each searched only when a decision needs it."""

    def __init__(self, g: Gazetteer, clause: str):
        # Quotation marks inside a phrase ('a "coalition of the willing"') do not break it;
        # one character for one keeps the offsets.
        self.g, self.clause = g, clause.replace('"', " ")
        if "not only" in self.clause:
            # "is not only ready to send troops but also to lead": no negation.
            self.clause = self.clause.replace("not only", "        ")
        if " not to" in self.clause or "hesitat" in self.clause:
            # "It would be a mistake not to send troops": for sending, read as "ready to".
            for m in g.cues["double_negation"].finditer(self.clause):
                self.clause = (self.clause[: m.start()] + "ready".ljust(m.end() - m.start() - 3)
                               + " to" + self.clause[m.end() :])
        self.found: dict[str, bool] = {}
        self.matches: dict[str, re.Match | None] = {}

    def match(self, name: str) -> re.Match | None:
        if name not in self.matches:
            self.matches[name] = self.g.cues[name].search(self.clause)
            if name == "refusal" and self.matches[name] is None and "red line" in self.clause:
                self.matches[name] = self.g.cues["red_line"].search(self.clause)
        return self.matches[name]

    def __getitem__(self, name: str) -> bool:
        if name not in self.found:
            self.found[name] = self.match(name) is not None
        return self.found[name]

    def offered_besides(self, name: str, refusal: re.Match | None) -> bool:
        """Is the contribution offered besides the refusal rather than refused with it?
        Before the refusal ("guarantees without troops") or after a contrast ("no troops,
        but logistics") count; "refused to provide cover or other support" does not."""
        if not self[name]:
            return False
        for match in self.g.cues[name].finditer(self.clause):
            if refusal is None or match.end() <= refusal.start():
                return True
            if match.start() >= refusal.end() and _CONTRAST.search(
                    self.clause, refusal.end(), match.start()):
                return True
            if match.start() >= refusal.end() and "," in self.clause[refusal.end():match.start()] \
                    and _RELATIVE.search(self.clause[: refusal.start()]):
                # "Iceland, which has no armed forces, will contribute civilian experts": the
                # refusal is the relative clause's, the offer the sentence's own.
                return True
        return False

    def past_refusal(self) -> bool:
        """"Sweden, which had ruled out sending troops, now says it is ready to deploy them":
        the refusal is the relative clause's, the pledge after it the sentence's own."""
        refusal = self.match("refusal")
        if refusal is None or not _RELATIVE.search(self.clause[: refusal.start()]):
            return False
        close = self.clause.find(",", refusal.end())
        if close < 0:
            return False
        main = self.clause[close:]
        # An offer short of troops in the main clause makes a hedge with the refusal instead
        # ("Iceland, which has no armed forces, will contribute civilian experts").
        return self.g.cues["pledge"].search(main) is not None and not any(
            self.g.cues[n].search(main) for n in ("refusal", *_CONTRIBUTIONS))

    def apart(self, name: str, other: re.Match | None) -> bool:
        """Does the cue occur apart from the other phrase? "Not considering sending" is a
        refusal, not a refusal and a consideration; in "rejected the possibility of its
        participation" the possibility is what is rejected."""
        if not self[name]:
            return False
        if other is None:
            return True
        # Apart from every refusal in the clause ("is not among them, and is not considering
        # sending"), not only the first.
        others = [other]
        if other.re is self.g.cues["refusal"].pattern:
            others = list(self.g.cues["refusal"].finditer(self.clause)) or [other]
        return any(all(m.end() <= o.start() or m.start() >= o.end() for o in others)
                   for m in self.g.cues[name].finditer(self.clause))

    def within(self, name: str, other: str) -> bool:
        """Does the phrase hold the other cue ("troops ready to deploy")?"""
        match = self.match(name)
        return match is not None and self.g.cues[other].search(match.group()) is not None

    def followed_by(self, name: str, other: str, words: int = 5) -> bool:
        """Is the phrase's object the other cue ("ready to contribute to security
        guarantees")?"""
        match = self.match(name)
        if match is None or not self[other]:
            return False
        after = _WORDS_AFTER.match(self.clause, match.end())
        window = self.clause[match.end() : after.end() if after else match.end()]
        return self.g.cues[other].search(window) is not None

    def deploying_before(self, name: str) -> bool:
        """Is a deployment named in the few words before the phrase ("a Polish deployment
        cannot be excluded"; not "the risk to its troops cannot be excluded")?"""
        match = self.match(name)
        if match is None:
            return False
        reach = _NEGATION_REACH.search(self.clause, max(0, match.start() - _WINDOW),
                                       match.start())
        window = self.clause[reach.start() if reach else match.start() : match.start()]
        return _DEPLOYING.search(window) is not None

    def negated(self, name: str) -> bool:
        """Is the cue's phrase negated: a negator inside it ("soldiers will not be on the
        ground") or in the few words before it ("did not give any promises to send")?"""
        match = self.match(name)
        if match is None:
            return False
        reach = _NEGATION_REACH.search(self.clause, max(0, match.start() - _WINDOW),
                                       match.start())
        window = self.clause[reach.start() if reach else match.start() : match.end()]
        # "has not said whether troops would be sent" leaves the question open: a negated
        # saying is no refusal.
        return any(not _UNSAID.match(window, n.end()) for n in _NEGATOR.finditer(window))


def _position(iso2: str, flags: _Flags, g: Gazetteer, *, topic_here: bool):
    if iso2 == g.host:
        # Calling for or welcoming the force itself, not any demand ("we must agree on peace").
        return "pledge" if flags["host"] and flags["force_word"] and not flags["refusal"] \
            else None
    if iso2 in g.opposing:
        return "rejection" if flags["foreign_force"] or flags["threat"] else None
    # A negated commitment is a refusal ("did not give any promises to send troops").
    if (flags["refusal"] or (flags["pledge"] and flags.negated("pledge"))) \
            and not flags.past_refusal():
        # Not ruling out ("never ruled out", "does not exclude") holds a refusal's words.
        if flags["open_door"]:
            return "hedge"
        refusal = flags.match("refusal") or flags.match("pledge")
        if flags.apart("hedge", refusal) or any(
                flags.offered_besides(n, refusal) for n in _CONTRIBUTIONS):
            return "hedge"
        return "rejection"
    if flags["hedge"]:
        return "hedge"
    if flags["pledge"] and flags["history"]:
        return None
    if flags["pledge"]:
        # Jets and air policing, or forces kept outside Ukraine: support short of troops;
        # so is "ready to contribute to security guarantees" with no force named.
        # Troops are what is pledged when the pledge names them ("ready to send troops"),
        # not when the clause mentions someone's ground forces elsewhere.
        ground = flags["ground"] and (flags.within("pledge", "ground")
                                      or flags.followed_by("pledge", "ground"))
        if flags["outside"] or (flags["other_contribution"] and not ground) or (
                flags.followed_by("pledge", "guarantee") and not flags["force_noun"]):
            return "hedge"
        return "pledge"
    if flags["open_door"] and (flags.followed_by("open_door", "force_noun")
                               or flags.deploying_before("open_door")):
        return "hedge"  # "has no objection to sending troops" (not "the risk cannot be excluded")
    if flags["other_contribution"] and topic_here:
        return "hedge"
    return None


def _attribution_after(g, norm: str, spans, index: int, state: _Article) -> ActorRef | None:
    """A quote running over several sentences names its speaker where it ends:
    '"... in the thousands. And that is a fact," Zelenskyy said.'"""
    paragraph = spans[index].paragraph
    for later in spans[index + 1 : index + 4]:
        if later.paragraph != paragraph:
            break
        sn = norm[later.start : later.end]
        close = sn.find('"')
        if close < 0:
            continue
        rest = sn[close + 1 :]
        for actor in _actors(rest, g, state):
            return actor
        if _PRONOUN.search(rest):
            return state.last_person
        return None
    return None
