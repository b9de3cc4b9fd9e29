"""Stage 6, events: partnerships and stated targets as n-ary Event nodes.

A **Partnership** starts where stage 5 found a `partnersWith` statement. Later sentences that
talk about it again ("The agreement focuses on ...", "this collaboration") or restate it with
the same partners add to the same event. Its attributes come from those sentences:

* fields (`focuses`): Technology names after a field cue (`data/event_field_cues.txt`:
  "focuses on", "across", "covering", "development in" ...) or right before the partnership
  noun ("an AI partnership"); where no lexicon names one, a bare noun phrase that reads like a
  field ("to work together on optical communications", "their Open RAN partnership";
  `relations.field_phrase`);
* `duration_years` from "five-year", "5-year", "10 years", "decade-long";
* `initiative_count` from "more than 100 initiatives", "100 projects";
* `announced_on` from a date in the first statement or a neighbouring sentence: "2025-04-16"
  when the year is known (from the date itself or the article's date), else "--04-16".

A **Goal** is a stated target with a percentage: "reduce X by 60 percent by 2029",
"a 60% reduction in X", "growth of 25% in X", "grow X 25%", or a multiplier ("halve X",
"double X by 2028"). The change is signed (`data/goal_words.json`), the
target year comes from "by 2029", the metric is the noun phrase the change applies to, the
agent the organisation that states it. A sentence with no target word and no target year is
a past result, not a goal. One Goal per (agent, metric, year) in an article.

>>> import spacy
>>> from spacy.tokens import Span
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer")
>>> doc = nlp("Acme plans to cut its water use by 30% by 2030.")
>>> acme = Span(doc, 0, 1, label="Company"); acme._.kg_entity = "Acme"
>>> doc.ents = [acme]
>>> [(e.type, e.agent, e.metric, e.change_percent, e.target_year) for e in find_events(doc)]
[('Goal', 'Acme', 'water use', -30.0, 2030)]
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc

from ..model import Event, Evidence, Relation
from .names import name_heads
from .relations import (
    DATA_DIR, ORG_TYPES, Candidate, DocView, PhraseTable, Sentence, _evidence_bounds, _lines, analysed,
    _not_fields, field_mention, field_mention_span, norm, phrase_tokens,
)

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-five": 25, "thirty": 30, "fifty": 50, "hundred": 100,
    "a hundred": 100, "a dozen": 12, "dozen": 12, "two dozen": 24,
}
_NUM = r"(\d{1,3}(?:,\d{3})*|\d+|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True)) + r")"
_DURATION = re.compile(
    r"(?<![\w-])(?:(?P<num>\d{1,2}|" + "|".join(k for k in _NUMBER_WORDS if " " not in k and _NUMBER_WORDS[k] <= 30)
    + r")[\s\-\u2010\u2011\u2012\u2013]{1,2}(?:years?|yr)\b(?![\s\-\u2011]*old)|(?P<decade>decade)[\s\-\u2011]*long)",
    re.IGNORECASE,
)
_DURATION_BAD_BEFORE = re.compile(r"(?:past|last|previous|recent|first|over the past|ago|for the past)\s*$", re.I)
_INITIATIVES = re.compile(
    r"(?:(?:more than|over|at least|nearly|almost|about|around|some|up to|roughly|approximately)\s+)?"
    + _NUM + r"\s+(?:[\w\u2011\-.]+\s+){0,3}?"
    r"(initiatives|projects|use cases|use-cases|programs|programmes|pilots|joint projects|applications|solutions"
    r"|workstreams|work streams|products|services|proofs of concept|schemes|missions|trials|studies)\b",
    re.IGNORECASE,
)
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"], 1)}
_MONTH_RE = (r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?"
             r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE_MDY = re.compile(r"\b" + _MONTH_RE + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?")
_DATE_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r"\b\.?(?:,?\s+(\d{4})\b)?")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_YEAR = re.compile(r"^(?:19|20)\d{2}$")


# --------------------------------------------------------------------------------------------
# data


@dataclass
class EventResources:
    anaphora: PhraseTable
    anaphora_nouns: PhraseTable
    field_cues: PhraseTable
    event_nouns: frozenset[str]
    signs: PhraseTable
    multipliers: PhraseTable  # the multiplier words of `signs` alone ("halve", "double")
    target_words: PhraseTable
    past_words: PhraseTable
    year_preps: PhraseTable
    metric_stop: frozenset[str]
    percent_words: PhraseTable
    hedges_ignored: frozenset[str]


_GENERIC_PREPS = frozenset({"on", "in", "for", "into", "around"})
_WEAK_FIELD_CUES = frozenset({"across", "including", "includes", "include", "as", "spanning", "spans", "span", "covers",
                              "cover", "covering", "for", "into", "around", "in", "from", "involving", "targeting", "at",
                              "to"})
_DEFINITE = ("the", "this", "that", "its", "their", "these", "such", "our")


@lru_cache(maxsize=1)
def event_resources() -> EventResources:
    nouns: list[str] = []
    phrases: list[str] = []
    target = nouns
    for line in _lines("event_nouns.txt"):
        if line == "[phrases]":
            target = phrases
            continue
        target.append(line)
    anaphora = PhraseTable([(f"{det} {noun}", noun) for det in _DEFINITE for noun in nouns]
                           + [(p, p) for p in phrases])
    goal = json.loads((DATA_DIR / "goal_words.json").read_text(encoding="utf-8"))
    signs = PhraseTable(
        [(w, ("verb", -1)) for w in goal["decrease_verbs"]] + [(w, ("verb", 1)) for w in goal["increase_verbs"]]
        + [(w, ("noun", -1)) for w in goal["decrease_nouns"]] + [(w, ("noun", 1)) for w in goal["increase_nouns"]]
        + [(w, ("mult", v)) for w, v in goal["multipliers"].items()]
    )
    return EventResources(
        anaphora=anaphora,
        anaphora_nouns=PhraseTable((n, n) for n in nouns),
        field_cues=PhraseTable((c, c) for c in _lines("event_field_cues.txt")),
        event_nouns=frozenset(phrase_tokens(n)[-1] for n in nouns),
        signs=signs,
        multipliers=PhraseTable((w, w) for w in goal["multipliers"]),
        target_words=PhraseTable((w, w) for w in goal["target_words"]),
        past_words=PhraseTable((w, w) for w in goal["past_words"]),
        year_preps=PhraseTable((w, w) for w in goal["year_preps"]),
        metric_stop=frozenset(norm(w) for w in goal["metric_stop"]),
        percent_words=PhraseTable((w, w) for w in goal["percent_words"]),
        hedges_ignored=frozenset(norm(w) for w in goal.get("hedges_ignored", ())),
    )


# --------------------------------------------------------------------------------------------
# partnerships


@dataclass
class _Partnership:
    participants: list[str]
    statements: list[int] = field(default_factory=list)  # sentence indices
    sentences: list[int] = field(default_factory=list)  # statements and continuations, in order


def _same(a: set[str], b: set[str]) -> bool:
    return a <= b or b <= a


def _partnerships(view: DocView, cands: list[tuple[Sentence, Candidate]], res: EventResources) -> list[_Partnership]:
    index = {id(s): k for k, s in enumerate(view.sentences)}
    stated: dict[int, list[str]] = {}
    former: set[int] = set()
    for s, c in cands:
        k = index[id(s)]
        if c.predicate == "partnersWith":
            names = stated.setdefault(k, [])
            for label in (c.subject.label, c.object.label):
                if label not in names:
                    names.append(label)
        elif c.predicate == "formerPartnerOf":
            former.add(k)
    events: list[_Partnership] = []
    last: _Partnership | None = None
    for k, s in enumerate(view.sentences):
        if k in stated:
            names = stated[k]
            target = next((e for e in reversed(events) if _same(set(e.participants), set(names))), None)
            if target is None:
                target = _Partnership(list(names))
                events.append(target)
            else:
                target.participants.extend(n for n in names if n not in target.participants)
            target.statements.append(k)
            target.sentences.append(k)
            last = target
        elif last is not None and k not in former and _continues(s, res):
            last.sentences.append(k)
    return events


_FIELD_OPENERS = frozenset({"the", "a", "an", "its", "their", "our", "this", "that", "'s", "his", "her"})


def _field_before(s: Sentence, i: int):
    """A field phrase between a determiner or possessor and the partnership noun at token i."""
    norms = s.norms
    a = i
    while a > s.start and i - a < 3 and not s.skip[a - 1] and norms[a - 1] not in _FIELD_OPENERS \
            and (s.t.alpha[a - 1] or norms[a - 1] == "-"):
        a -= 1
    if a == i or a <= s.start or norms[a - 1] not in _FIELD_OPENERS:
        return None
    words = [norms[k] for k in range(a, i) if norms[k] != "-"]
    texts = [s.t.text[k] for k in range(a, i)]
    acronym = any(t.isupper() and len(t) >= 2 for t in texts)
    if any(w in _not_fields() or w in ("year", "years", "month", "week", "day", "new", "joint", "long", "multi", "global")
           for w in words):
        return None
    if not acronym and (len(words) < 2 and not (words[-1].endswith(("ics", "tech", "ware")) or len(words[-1]) > 7
                                                  and words[-1].endswith(("ing", "ity", "ogy")))):
        return None
    if not acronym and any(t[:1].isupper() for t in texts):
        return None
    if any(t in name_heads() for t in texts if t[:1].isupper()):
        return None  # "their CFM International joint venture": a name, not a field
    return field_mention_span(s, a, i)


def _continues(s: Sentence, res: EventResources) -> bool:
    return next(res.anaphora.match(s.norms, s.start, s.end), None) is not None


def _fields(s: Sentence, res: EventResources, partner_words: frozenset[str]) -> list[str]:
    norms = s.norms
    tech = [g for g in s.groups if g.cls == "TECH"]
    cue_ends: list[int] = []
    strong: list[int] = []  # cues strong enough to make a field of a phrase no lexicon holds
    for i, j, _ in res.field_cues.match(norms, s.start, s.end):
        if j - i == 1 and norms[i] in _GENERIC_PREPS:
            prev = s.prev_word(i)
            if prev not in partner_words and prev not in res.event_nouns and prev not in ("together", "jointly"):
                continue
        cue_ends.append(j)
        if norms[j - 1] not in _WEAK_FIELD_CUES:
            strong.append(j)
    out: list[str] = []
    # a field no lexicon holds, right after a cue: "to work together on optical communications",
    # "an alliance to develop ammonia-fuelled engines" (not after "across", "including": lists of
    # things more often than fields)
    for j in strong:
        k = s.next_index(j)
        if any(g.start == k for g in tech):
            continue
        m = field_mention(s, k)
        if m is not None and m.label not in out:
            out.append(m.label)
    # "their Open RAN partnership", "a robotics alliance": a field named right before the noun
    for i, j, _ in res.anaphora_nouns.match(norms, s.start, s.end):
        m = _field_before(s, i)
        if m is not None and m.label not in out:
            out.append(m.label)
    if not tech:
        return out
    for g in tech:
        ok = False
        for j in cue_ends:
            if j <= g.start:
                gap = s.gap(j, g.start)
                if len(gap) <= 3 and not any(w in (",", ";", ".") for w in gap) and not any(
                    w in ("'s", "'", "its", "their") for w in gap
                ):
                    ok = True
                    break
        if not ok:
            # "an AI partnership", "a cloud and AI alliance"
            k = s.next_index(g.stop)
            if k < s.end and (norms[k] in partner_words or norms[k] in res.event_nouns) and not g.poss:
                ok = True
        if ok:
            for m in g.members:
                if m.type == "Technology" and m.label not in out:
                    out.append(m.label)
    return out


_DURATION_WORDS = re.compile(r"year|yr|decade", re.IGNORECASE)  # what every duration holds, quick to look for
_DIGIT = re.compile(r"\d")  # what every date holds


def _duration(text: str) -> int | None:
    if not _DURATION_WORDS.search(text):
        return None
    for m in _DURATION.finditer(text):
        if _DURATION_BAD_BEFORE.search(text[:m.start()]):
            continue
        if m.group("decade"):
            return 10
        raw = m.group("num").lower()
        value = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if value and 0 < value <= 50:
            return value
    return None


_INITIATIVE_NOUNS = re.compile(
    r"initiatives|projects|use.cases|programs|programmes|pilots|applications|solutions|work.?streams|products"
    r"|services|proofs of concept|schemes|missions|trials|studies", re.IGNORECASE)


def _initiatives(text: str) -> int | None:
    if not _INITIATIVE_NOUNS.search(text):  # (the full pattern is slow to scan; most sentences name none)
        return None
    for m in _INITIATIVES.finditer(text):
        raw = m.group(1).lower().replace(",", "")
        value = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw)
        if value and not (1900 <= value <= 2100):
            return value
    return None


def _article_year(doc: Doc) -> int | None:
    article = doc._.kg_article
    date = getattr(article, "date", None) if article is not None else None
    if date and re.match(r"^\d{4}", str(date)):
        return int(str(date)[:4])
    return None


def _date(text: str, year: int | None) -> str | None:
    found: list[tuple[int, int, int, int | None]] = []  # position, month, day, year
    if not _DIGIT.search(text):
        return None
    for m in _DATE_ISO.finditer(text):
        found.append((m.start(), int(m.group(2)), int(m.group(3)), int(m.group(1))))
    for m in _DATE_MDY.finditer(text):
        found.append((m.start(), _month(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None))
    for m in _DATE_DMY.finditer(text):
        found.append((m.start(), _month(m.group(2)), int(m.group(1)), int(m.group(3)) if m.group(3) else None))
    for _, month, day, y in sorted(found):
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        y = y or year
        return f"{y:04d}-{month:02d}-{day:02d}" if y else f"--{month:02d}-{day:02d}"
    return None


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    for full, number in _MONTHS.items():
        if full.startswith(name[:3]):
            return number
    return 0


def _partnership_events(view: DocView, cands: list[tuple[Sentence, Candidate]], res: EventResources) -> list[Event]:
    from .relations import resources

    partner_words = resources().partner_words
    year = _article_year(view.doc)
    out = []
    sents = view.sentences
    for ev in _partnerships(view, cands, res):
        ordered = ev.statements + [k for k in ev.sentences if k not in ev.statements]
        focuses: list[str] = []
        for k in sorted(ev.sentences):
            for label in _fields(sents[k], res, partner_words):
                if label not in focuses:
                    focuses.append(label)
        duration = next((d for k in ordered if (d := _duration(sents[k].text)) is not None), None)
        count = next((c for k in ordered if (c := _initiatives(sents[k].text)) is not None), None)
        first = ev.statements[0]
        near = [first] + [k for k in (first + 1, first - 1) if 0 <= k < len(sents)] + ordered
        announced = next((d for k in near if (d := _date(sents[k].text, year)) is not None), None)
        text, start, end = _evidence_bounds(sents[first])
        out.append(Event(
            type="Partnership", evidence=Evidence(text, start, end, "event.partnership", 0.8),
            participants=tuple(ev.participants), focuses=tuple(focuses), duration_years=duration,
            initiative_count=count, announced_on=announced,
        ))
    return out


# --------------------------------------------------------------------------------------------
# goals


@dataclass
class _Goal:
    agent: str
    metric: str
    change: float
    year: int | None
    sentence: Sentence
    rule: str
    confidence: float

    def completeness(self) -> int:
        return sum(x is not None for x in (self.metric, self.change, self.year))


def _percents(s: Sentence, res: EventResources) -> list[tuple[int, int, float]]:
    """(first token, token after, value) of each "60 percent" / "60%" in the sentence."""
    norms = s.norms
    out = []
    pw = {i: (i, j) for i, j, _ in res.percent_words.match(norms, s.start, s.end)}
    if not pw:
        return out
    # the number is a token whose next word (skipped tokens aside) is the percent word: look back from it
    for k in pw:
        i = k - 1
        while i >= s.start and not s.skip[k]:
            if s.t.num[i] and any(ch.isdigit() for ch in norms[i]):
                try:
                    out.append((i, pw[k][1], float(norms[i].replace(",", ""))))
                except ValueError:
                    pass
            if not s.skip[i]:
                break
            i -= 1
    out.sort()
    return out


def _metric(s: Sentence, a: int, b: int, res: EventResources) -> tuple[str | None, int, int]:
    """The metric noun phrase in tokens [a, b): determiners and possessors dropped."""
    norms = s.norms
    toks = [k for k in range(a, b) if not s.skip[k]]
    # stop at the first stop word
    for x, k in enumerate(toks):
        if norms[k] in res.metric_stop or norms[k] in (",", ";", ".", "(", ")"):
            toks = toks[:x]
            break
    # drop a leading possessor ("the automotive group's data center footprint"), but keep the
    # head of an "of" phrase ("energy consumption of its European radio network")
    for x in range(len(toks)):
        if norms[toks[x]] == "of":
            break
        if norms[toks[x]] in ("'s", "'", "its", "their", "our", "his", "her"):
            toks = toks[x + 1:]
            break
    while toks and (norms[toks[0]] in ("the", "a", "an", "this", "that", "these", "those", "overall", "total",
                                          "of", "in", "more", "than", "some", "its", "their") or s.t.num[toks[0]]):
        toks = toks[1:]
    if not toks or len(toks) > 7:
        return None, a, b
    text = s.t.doc_text[s.t.idx[toks[0]]:s.t.end_char(toks[-1])]
    return text, toks[0], toks[-1] + 1


def _target_year(s: Sentence, res: EventResources, after: int, others: tuple[int, ...] = ()) -> int | None:
    """The year after "by"/"until"... following the change at `after` (or before it, when no other
    change lies between: "By 2030, X aims to cut ...")."""
    norms = s.norms
    years = []
    for i, j, _ in res.year_preps.match(norms, s.start, s.end):
        k = s.next_index(j)
        if k < s.end and _YEAR.match(norms[k]):
            if i >= after and any(after < o < i for o in others):
                continue  # belongs to a later change
            if i < after and any(i < o < after for o in others):
                continue  # belongs to an earlier change
            years.append((i < after, abs(i - after), int(norms[k])))
    if not years:
        return None
    years.sort()  # years after the change first, nearest first
    return years[0][2]


def _agent(view: DocView, s: Sentence, k: int, metric_span: tuple[int, int], anchor: int) -> tuple[str | None, float]:
    orgs = [m for m in s.mentions if m.type in ORG_TYPES]
    # the possessor of the metric: "its data centre footprint", "the group's emissions"
    for m in orgs:
        if m.poss and metric_span[0] - 4 <= m.start < metric_span[1]:
            return m.label, 0.8
    before = [m for m in orgs if m.end <= anchor and not m.poss]
    if before:
        subj = [m for m in before if s.prev_word(m.start) not in ("with", "of", "for", "to", "from", "by", "at",
                                                                     "like", "than", "according")]
        pick = (subj or before)[0] if subj else before[-1]
        return pick.label, 0.75
    if orgs:
        return orgs[0].label, 0.6
    if k > 0:
        prev = [m for m in view.sentences[k - 1].mentions if m.type in ORG_TYPES]
        if prev:
            return prev[0].label, 0.5
    return None, 0.0


def _hedged(s: Sentence, a: int, b: int, res: EventResources) -> bool:
    cs, _ = s.clause(a)
    for c in s.cues:
        if c.kind == "hedge" and cs <= c.start < b:
            phrase = " ".join(s.norms[c.start:c.end])
            if phrase not in res.hedges_ignored:
                return True
    return False


def _goals_in(view: DocView, k: int, s: Sentence, res: EventResources) -> list[_Goal]:
    norms = s.norms
    out: list[_Goal] = []
    percents = _percents(s, res)
    if not percents and next(res.multipliers.match(norms, s.start, s.end), None) is None:
        return out  # no change stated (most sentences): no need to look for the sign words
    signs = list(res.signs.match(norms, s.start, s.end))
    if not percents and not any(q[0] == "mult" for _, _, p in signs for q in p):
        return out
    has_target = next(res.target_words.match(norms, s.start, s.end), None) is not None
    for n, e, value in percents:
        cs, ce = s.clause(n)
        goal = None
        # noun form: "a 60% reduction in X"
        k2 = s.next_index(e)
        noun = next(((i, j, p) for i, j, p in signs if i == k2 and p[0][0] == "noun"), None)
        if noun is not None:
            i, j, p = noun
            sign = p[0][1]
            m = s.next_index(j)
            if m < s.end and norms[m] in ("in", "of", "to"):
                metric, ma, mb = _metric(s, m + 1, min(ce, m + 12), res)
                if metric:
                    goal = (metric, ma, mb, sign * value, n, "event.goal.noun")
        if goal is None:
            # noun first: "growth of 25% in specialty premiums", "a reduction of 40% in emissions"
            b = s.prev_word_index(n)
            while b > cs and norms[b] in ("than", "more", "least", "at", "about", "around", "some", "nearly", "up"):
                b = s.prev_word_index(b)
            if b > cs and norms[b] == "of":
                head = next(((i, j, p) for i, j, p in signs if j == b and p[0][0] == "noun"), None)
                m = s.next_index(e)
                if head is not None and m < s.end and norms[m] in ("in", "of", "for"):
                    metric, ma, mb = _metric(s, m + 1, min(ce, m + 12), res)
                    if metric:
                        goal = (metric, ma, mb, head[2][0][1] * value, n, "event.goal.noun")
        if goal is None:
            # verb form: "reduce X by 60 percent", "grow X 25%"
            before_num = s.prev_word(n)
            qualifiers = ("more", "than", "over", "least", "at", "nearly", "almost", "about", "around", "up",
                          "some", "roughly", "approximately", "by", "an", "additional", "another")
            q = n
            while q > cs and norms[q - 1] in qualifiers or (q > cs and s.skip[q - 1]):
                q -= 1
            if before_num == "to" or (q > s.start and norms[q - 1] == "to"):
                continue  # "raise the share to 80%" is a level, not a change
            verb = None
            for i, j, p in signs:
                if p[0][0] == "verb" and cs <= i and j <= q and q - j <= 12:
                    verb = (i, j, p[0][1])
            if verb is not None:
                i, j, sign = verb
                metric, ma, mb = _metric(s, j, q, res)
                if metric is None:
                    metric, ma, mb = _metric_before(s, i, res)
                if metric:
                    goal = (metric, ma, mb, sign * value, i, "event.goal.verb")
        if goal is None:
            continue
        metric, ma, mb, change, anchor, rule = goal
        year = _target_year(s, res, n, tuple(p[0] for p in percents if p[0] != n))
        if year is None and not has_target:
            continue
        if year is None and next(res.past_words.match(norms, cs, ce), None) is not None:
            continue
        if _hedged(s, anchor, e, res):
            continue
        agent, conf = _agent(view, s, k, (ma, mb), anchor)
        if agent is None:
            continue
        out.append(_Goal(agent, metric, change, year, s, rule, conf))
    # "halve its emissions by 2030", "double its revenue by 2028"
    for i, j, p in signs:
        mult = next((q for q in p if q[0] == "mult"), None)
        if mult is None:
            continue
        p = [mult]
        cs, ce = s.clause(i)
        metric, ma, mb = _metric(s, j, min(ce, j + 10), res)
        year = _target_year(s, res, i)
        if not metric or year is None or _hedged(s, i, j, res):
            continue
        agent, conf = _agent(view, s, k, (ma, mb), i)
        if agent is not None:
            out.append(_Goal(agent, metric, float(p[0][1]), year, s, "event.goal.multiplier", conf - 0.1))
    return out


def _metric_before(s: Sentence, i: int, res: EventResources) -> tuple[str | None, int, int]:
    """'revenue to grow 25%': the noun phrase before an intransitive change verb."""
    norms = s.norms
    k = i - 1
    while k >= s.start and (s.skip[k] or norms[k] in ("to", "will", "should", "would", "could", "can", "must",
                                                        "is", "are", "expected", "set", "forecast", "projected")):
        k -= 1
    end = k + 1
    while k >= s.start and not s.skip[k] and s.t.alpha[k] and s.t.lower[k] \
            and norms[k] not in res.metric_stop and norms[k] not in ("the", "its", "their", "a", "an") and end - k <= 4:
        k -= 1
    return _metric(s, k + 1, end, res) if end > k + 1 else (None, i, i)


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", text.lower().replace("centre", "center")))


def _goal_events(view: DocView, res: EventResources) -> list[Event]:
    kept: list[_Goal] = []
    for k, s in enumerate(view.sentences):
        for g in _goals_in(view, k, s, res):
            same = None
            for other in kept:
                wa, wb = _words(g.metric), _words(other.metric)
                close = wa and wb and len(wa & wb) / len(wa | wb) >= 0.5
                if other.agent == g.agent and close and (other.year is None or g.year is None or other.year == g.year):
                    same = other
                    break
            if same is None:
                kept.append(g)
            elif g.completeness() > same.completeness():
                kept[kept.index(same)] = g
    out = []
    for g in kept:
        text, start, end = _evidence_bounds(g.sentence)
        out.append(Event(
            type="Goal", evidence=Evidence(text, start, end, g.rule, round(g.confidence, 3)),
            agent=g.agent, metric=g.metric, change_percent=float(g.change), target_year=g.year,
        ))
    return out


# --------------------------------------------------------------------------------------------
# the stage


def find_events(doc: Doc, relations: list[Relation] | None = None) -> list[Event]:
    """Partnership and Goal events stated in `doc` (see the module docstring).

    `relations` is accepted for symmetry with the pipeline; the partnership statements are
    read from stage 5's candidates, which are cached on the Doc.
    """
    del relations
    res = event_resources()
    view, cands = analysed(doc)
    return _partnership_events(view, cands, res) + _goal_events(view, res)
