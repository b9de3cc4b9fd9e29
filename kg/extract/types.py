"""Stage 3, types: give each name the lexicon did not type a vocabulary type, or drop it.

Evidence is scored per type and added up over every mention of the same name in the article
(matched on the name's core: `Foo Corp.` and `Foo's` count for `Foo`):

- inside the name (counted once per spelling): a legal form or head word (`Inc`, `AG`,
  `Motors`, `University`, `News`, `Valley`, a one-word `...bank`: name_heads.tsv), CamelCase
  parts (`NewsTrackerToday` has `News`), a digit inside (`Microsoft 365 Copilot` is a
  product), a known organisation's name in front of other words (`Contoso Studio` is a product
  of Contoso; not `CMA CGM`, `Nasdaq Stockholm`, `Kallio Elevators`), a given name first
  (given_names.txt);
- around it: cue words (cues.tsv: `shares of X`, `X-based`, `according to X`, `the X platform`,
  gapped ones such as `migrating ... to X`; a cue may sit before a possessor, `deploy Foo's X`,
  or around an adverb, `runs entirely on X`), an honorific or a job title before it (`Dr.`,
  `CEO Jane Doe`), a job title after an organisation (`Contoso CEO ...`), `NAME, chief
  executive of ...`, `head of research at X`, an apposition whose noun says what it is
  (`X, the German automaker`, `NAME, a technology sector specialist`, `X, Foo's contract
  manufacturing unit`: descriptors.tsv), that noun just before it (`automaker X`, `start-up
  X`, `robot, X`, `a manufacturer like X`, `vendors, such as X`), the name as modifier of such
  a noun (`the Omniverse platform`), a possessive before organisation nouns (`X's
  shareholders`, `X's chief executive`), an age apposition (`NAME, 52,`), a place before
  `, <known place>-based` (`Santa Clara, California-based`) or after a place a place cue
  introduced (`headquartered in Boulder, Colorado`), a stock listing right after it (`Foo
  (NYSE: FOO)`), the verbs that only organisations do in the relation rules (`X will supply`,
  relation_triggers.json), a name before an owner noun and the owner's name (`Zara owner
  Inditex`, `Zara-owner Inditex`), a list of names closed by an owner's unit noun (`its Weekday
  and Monki brands`; both word lists are rel.subsidiary.parent's and rel.subsidiary.owner's
  triggers), `X ... its` (`British Land dropped its pilot`), `X, whose chief
  executive`, what it is taken on as (`added X as an investor`), what it is said to be after an
  organisation's possessive (`X remains our toughest competitor`, `X was its chief executive`;
  said of every name of a list, `A and B are their main suppliers`); the cue words before the first
  name of a list and after its last speak of every name in it (`A, B, C and D signed`); a
  list of two or more names that signs, forms or enters into an agreement (`A, B and C signed a
  five-year alliance`, `A and B have formed a joint venture`: agreement_subjects.txt) names
  organisations, over a place's head word inside a name (`Hanwha Ocean`), though not over a
  person's full name;
  `the company employs ...` after a comma opens a clause, no apposition;
- a trained pipeline's entity label, when one ran (`--spacy-model`);
- then, for names still open: another name it is the short form of (`Leclerc` after
  `Sophie Leclerc`, `Hon Hai` of `Hon Hai Precision Industry Co`), an acronym of a typed
  name, coordination with typed names (`Contoso, Fabrikam and Microsoft`), a typed
  organisation's name in front (`Contoso Ledger`).

Types group into families (organisation: Company, Organization, MediaOrganization; product:
Product, Platform; Person; Place). The family with the highest score wins when it reaches
THRESHOLD (a tie between families decides nothing); the subtype is the family member with most
evidence (Company, Product by default). A name with weaker organisation evidence (at least 1)
becomes an organisation unless it is a common word; with at least 0.5 when it looks like one
(an acronym, CamelCase, several words); a possessed or deployed name shaped like a product
(`Epic Systems' MyChart`) becomes a product. A one-word name seen only at the start of
sentences needs full evidence (`Hospitals will deploy ...`), unless no dictionary holds it and
the article names it again and again (`Monzo has ... Monzo previously ...`). Anything else is
dropped: precision over guessing.

`doc.user_data["kg.type_scores"]` keeps (start, end) -> score of each typed name, so stage 4
can prefer the best-evidenced form when mentions disagree. With `publish=False` the typed names
go to `doc.user_data["kg.names"]` for stage 4 instead of `doc.ents`.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from .names import (
    K_NAME,
    K_TITLE,
    K_TITLE_BEFORE,
    LEXICON_GROUP,
    MODEL_GROUP,
    TICKER_GROUP,
    Name,
    POSSESSIVES,
    UNTYPED,
    camel_parts,
    common_words,
    core_words,
    doc_info,
    hand_on,
    kind,
    name_heads,
    names_of,
    sectioned,
    squash,
    table,
    title_words,
    trigger_spec,
    word_set,
)

THRESHOLD = 1.5
FAMILY = {
    "Company": "org",
    "Organization": "org",
    "MediaOrganization": "org",
    "Product": "prod",
    "Platform": "prod",
    "Person": "person",
    "Place": "place",
    "Technology": "tech",
}
DEFAULT_SUBTYPE = {"org": "Company", "prod": "Product", "person": "Person", "place": "Place"}
SUBTYPE_ORDER = {"Company": 0, "Organization": 1, "MediaOrganization": 2, "Product": 0, "Platform": 1}
MODEL_HINTS = {
    "ORG": "Company",
    "PERSON": "Person",
    "PER": "Person",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "PRODUCT": "Product",
}
SCORES_KEY = "kg.type_scores"
_APPOSITION_STOP = frozenset(
    ", . ; : ( ) [ ] — – that which who whose with in at on for from of to by as and/or said says".split()
)
_AUX_WORDS = frozenset("will would has have had also already is was has now could can shall".split())
_GENERIC_VERBS = frozenset("""use uses used using make makes made making build builds built building run runs ran running
    base bases based put puts putting take takes took taking get gets got hold holds held have has had own owns owned
    bring brings brought move moves moved moving shift shifts shifted switch switches switched transfer transfers
    transferred commit commits committed create creates created design designs designed produce produces produced
    select selects selected choose chooses chose test tests tested pilot pilots piloted trial trials introduce introduces
    introduced launch launches launched release releases released develop develops developed developing order orders
    ordered buy buys bought sell sells sold source sources sourced license licenses licensed lease leases rent rents
    import imports get obtain obtains store stores host hosts train trains deliver delivers delivered ship ships
    shipped operate operates operated install installs installed implement implements implemented integrate integrates
    integrated embed embeds test trial equip equips equipped harness opt opts port ports bring control controls
    embedded stored hosted trained trialed trialled battle battles battled""".split())


@lru_cache(maxsize=None)
def _org_verbs() -> frozenset[str]:
    """Verbs that, in the relation rules (relation_triggers.json), only organisations do: the first
    word of one-word verb triggers of rules whose subject is an organisation ("supplies",
    "acquired", "partnered"), less verbs anyone does ("uses", "bought")."""
    out = set()
    for rule in trigger_spec()["rules"]:
        if rule.get("noun") or rule["left"] != "subject" or rule["subject"] != "left" or rule["predicate"] in (
                "worksFor", "headquarteredIn", "listedOn", "focusesOn", "develops"):
            continue
        for trigger in rule["triggers"]:
            words = trigger.lower().split()
            if len(words) == 1 and words[0].isalpha() and len(words[0]) > 3 and words[0] not in _GENERIC_VERBS \
                    and not words[0].endswith("ing"):  # ("training", "testing" are nouns as often)
                out.add(words[0])
    return frozenset(out)


@lru_cache(maxsize=None)
def _rule_triggers(rule_id: str) -> tuple[tuple[str, ...], ...]:
    """The trigger phrases of one relation rule (relation_triggers.json), as lower-case word tuples
    without a leading hyphen (`- owner` -> (owner,))."""
    out = set()
    for rule in trigger_spec()["rules"]:
        if rule["id"] == rule_id:
            for trigger in rule["triggers"]:
                words = tuple(w for w in trigger.lower().split() if w != "-")
                if words:
                    out.add(words)
    return tuple(sorted(out, key=len, reverse=True))


@lru_cache(maxsize=None)
def unit_nouns() -> frozenset[str]:
    """Nouns for a part of an organisation ("brand", "units", "labels"): the one-word triggers of
    the rule for "Y's X brand" (rel.subsidiary.owner)."""
    return frozenset(w[0] for w in _rule_triggers("rel.subsidiary.owner") if len(w) == 1 and w[0].isalpha())


@lru_cache(maxsize=None)
def _owner_first_words() -> frozenset[str]:
    """The first words of the owner nouns of rel.subsidiary.parent ("owner", "parent", "majority")."""
    return frozenset(w[0] for w in _rule_triggers("rel.subsidiary.parent"))


_LIST_LINKS = frozenset({",", "and", "or", "&"})
_LIST_OWNERS = frozenset({"its", "their", "the", "'s"})


def owned_unit(lw: list[str], words: list[str], s: int, e: int, ents_by_start: dict, ents_by_end: dict,
               min_names: int = 1) -> bool:
    """Whether the name, alone or in a list of at least `min_names` names, modifies an owner's unit
    noun: "its Weekday brand", "its Weekday and Monki brands", "Foo's A, B and C units" (each name
    is then a brand or unit)."""
    n = len(lw)
    units = unit_nouns()
    if not any(w in units for w in lw[e : e + 12]):
        return False  # (no unit noun near: the usual case, settled without walking the list)
    first, last, count = s, e, 1
    while True:  # back over "A, B and" to the first name
        j = first
        while j > 0 and first - j < 2 and lw[j - 1] in _LIST_LINKS:
            j -= 1
        if j == first or j not in ents_by_end:
            break
        first, count = ents_by_end[j].start, count + 1
    while True:  # on over "and C" to the last name
        j = last
        while j < n and j - last < 2 and lw[j] in _LIST_LINKS:
            j += 1
        if j == last or j not in ents_by_start:
            break
        last, count = ents_by_start[j].end, count + 1
    if count < min_names or not first or lw[first - 1] not in _LIST_OWNERS:
        return False
    for j in range(last, min(last + 3, n)):  # up to two modifiers: "its Weekday and Monki fashion brands"
        if lw[j] in units:
            return True
        if not (lw[j].isalpha() and words[j].islower()) or lw[j] in _NOT_VERBS or lw[j] in _LIST_LINKS:
            return False
    return False


def _owner_follows(lw: list[str], words: list[str], e: int, ents_by_start: dict[int, Span]) -> bool:
    """Whether an owner noun and a name follow the name: "Zara owner Inditex", "Zara-owner Inditex",
    "Foo parent company Bar" (the nouns of rel.subsidiary.parent)."""
    n = len(lw)
    k = e + 1 if e < n and lw[e] == "-" else e
    if k >= n or lw[k] not in _owner_first_words() or not words[k].islower():
        return False
    for phrase in _rule_triggers("rel.subsidiary.parent"):
        if tuple(lw[k : k + len(phrase)]) == phrase:
            return (k + len(phrase)) in ents_by_start
    return False


_OWNED_NOUNS = frozenset({"arm"})  # descriptor nouns that name an organisation only when owned
_NOT_VERBS = frozenset("of and or to in on at for with from by as than that which who whose".split())
_FINITE = frozenset("is was are were has had have will would can could may might should must did does".split())
_COORDINATORS = frozenset({",", "and", "or", "&", "as", "well", "plus", "the"})
_ARTICLES = frozenset({"a", "an", "the"})


@lru_cache(maxsize=None)
def _cues() -> tuple[dict[tuple[str, ...], tuple[str, float]], dict[tuple[str, ...], tuple[str, float]], int]:
    before: dict[tuple[str, ...], tuple[str, float]] = {}
    after: dict[tuple[str, ...], tuple[str, float]] = {}
    longest = 1
    for row in table("cues.tsv"):
        if "..." in row["words"]:
            continue
        words = tuple(row["words"].lower().split())
        longest = max(longest, len(words))
        (before if row["side"] == "before" else after)[words] = (row["type"], float(row["weight"]))
    return before, after, longest


GAP = 6  # how many words "..." in a cue may stand for


@lru_cache(maxsize=None)
def _gapped_cues() -> dict[tuple[str, ...], list[tuple[tuple[str, ...], str, float]]]:
    """Before-cues with a gap, `migrating ... to`: tail words -> [(head words, type, weight)]."""
    out: dict[tuple[str, ...], list[tuple[tuple[str, ...], str, float]]] = {}
    for row in table("cues.tsv"):
        if row["side"] == "before" and "..." in row["words"]:
            head, tail = (tuple(part.lower().split()) for part in row["words"].split("...", 1))
            out.setdefault(tail, []).append((head, row["type"], float(row["weight"])))
    return out


@lru_cache(maxsize=None)
def _cue_edges() -> tuple[frozenset[str], frozenset[str], frozenset[str] | None]:
    """The last words of before-cues, the first words of after-cues and the last words of gapped
    cues' tails (None when a tail is empty): a word that is none of these starts no lookup."""
    before, after, _ = _cues()
    tails = _gapped_cues()
    return (frozenset(k[-1] for k in before if k), frozenset(k[0] for k in after if k),
            None if () in tails else frozenset(t[-1] for t in tails))


@lru_cache(maxsize=None)
def descriptors() -> dict[str, tuple[str, ...]]:
    """Descriptor noun -> the types it can describe (preferred first)."""
    return {row["noun"].lower(): tuple(row["types"].split("|")) for row in table("descriptors.tsv")}


@lru_cache(maxsize=None)
def given_names() -> frozenset[str]:
    return word_set("given_names.txt", lower=False)


@lru_cache(maxsize=None)
def _suffix_heads() -> dict[str, tuple[str, str, bool]]:
    return {w: v for w, v in name_heads().items() if v[1] == "suffix"}


@lru_cache(maxsize=None)
def _suffixes() -> tuple[str, ...]:
    return tuple(_suffix_heads())


def _norm(word: str) -> str:
    """Lower case, with every possessive marker written `'s`."""
    return "'s" if word in POSSESSIVES else word.lower()


class _Evidence:
    __slots__ = ("scores",)

    def __init__(self) -> None:
        self.scores: dict[str, float] = defaultdict(float)

    def add(self, type_: str, weight: float) -> None:
        if weight:
            self.scores[type_] += weight

    def merge(self, other: _Evidence) -> None:
        for t, w in other.scores.items():
            self.scores[t] += w

    def family_totals(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for t, w in self.scores.items():
            fam = FAMILY.get(t)
            if fam:
                totals[fam] += w
        return totals

    def decide(self, threshold: float = THRESHOLD) -> tuple[str | None, float]:
        totals = self.family_totals()
        if not totals:
            return None, 0.0
        ranked = sorted(totals.items(), key=lambda kv: -kv[1])
        fam, best = ranked[0]
        if best < threshold or (len(ranked) > 1 and ranked[1][1] >= best):
            return None, best
        members = [(t, w) for t, w in self.scores.items() if FAMILY.get(t) == fam]
        members.sort(key=lambda tw: (-tw[1], SUBTYPE_ORDER.get(tw[0], 9)))
        return members[0][0] if members else DEFAULT_SUBTYPE[fam], best


def _product_tail(rest: list[str], place_names: set[str]) -> bool:
    """Whether the words after a maker's name can name its product (not `CGM`, not `Spain`, not
    an industry in the plural: `Kallio Elevators`, `Orla Foods`)."""
    last = rest[-1].lower()
    plural_trade = len(rest) == 1 and len(last) > 4 and last.isalpha() and last.endswith("s") and \
        not last.endswith(("ss", "us", "is")) and rest[-1][:1].isupper() and not rest[-1][1:].lower() != rest[-1][1:]
    return not (all(w.isupper() for w in rest) or " ".join(rest) in place_names or plural_trade)


def _inner_evidence(words: list[str], ev: _Evidence, org_names: set[str], place_names: set[str] = frozenset()) -> None:
    """Evidence from the name's own words."""
    heads = name_heads()
    if len(words) == 1:
        parts = camel_parts(words[0])
        if len(parts) > 1:
            words_for_heads = parts
        else:
            words_for_heads = []
    else:
        words_for_heads = [w for w in words if w not in {"-", "&"}]
    if words_for_heads:
        last = words_for_heads[-1]
        hit = heads.get(last)
        if hit and hit[1] in ("last", "any"):
            ev.add(hit[0], 3.0 if hit[0] != "MediaOrganization" else 2.5)
        hit = heads.get(words_for_heads[0])
        if hit and hit[1] in ("first", "any") and len(words_for_heads) > 1:
            ev.add(hit[0], 2.5)
        for w in words_for_heads[1:-1]:
            hit = heads.get(w)
            if hit and hit[1] == "any":
                ev.add(hit[0], 2.0)
    elif len(words) == 1 and (low := words[0].lower()).endswith(_suffixes()):
        for suffix, (type_, where, _) in _suffix_heads().items():
            if len(low) > len(suffix) + 2 and low.endswith(suffix):
                ev.add(type_, 1.5)
                break
    # an ampersand joining capitalised words: a firm named after its founders or merged parts
    # ("Marks & Spencer", "Harrow & Finch"); a list of two names is never read as one name
    if any(w == "&" and 0 < k < len(words) - 1 and kind(words[k - 1]) == K_NAME and kind(words[k + 1]) == K_NAME
           for k, w in enumerate(words)):
        ev.add("Company", 2.5)
    # digits inside a multi-word name, or letters mixed with digits: a model name
    if len(words) > 1 and any(w.isdigit() or (any(map(str.isdigit, w)) and any(map(str.isalpha, w))) for w in words):
        if not (words[-1] in heads and heads[words[-1]][0] != "Product"):
            ev.add("Product", 2.0)
    elif len(words) == 1 and any(map(str.isdigit, words[0])) and any(map(str.isalpha, words[0])):
        ev.add("Product", 1.0)
    # a given name first, then capitalised words: a person
    given = given_names()
    if words[0] in given or words[0].split("-")[0] in given:
        tail = words[1:]
        if len(words) == 1:
            ev.add("Person", 0.5)
        elif (
            len(words) <= 5
            and all(kind(w) == K_NAME or (len(w) == 2 and w.endswith(".")) or w == "-" or w.islower() for w in tail)
            and tail[-1] not in heads
            and not any(w in POSSESSIVES for w in tail)  # ("Lloyd's Register" is named after a person)
            and not any(c.isdigit() for w in tail for c in w)
        ):
            ev.add("Person", 2.5)
    # a known organisation's name in front of other words: its product ("Contoso Studio"), unless
    # the rest is an acronym or a place ("CMA CGM", "Nasdaq Stockholm", "Vodafone Spain")
    if len(words) > 1 and words[-1] not in heads:
        for k in (2, 1):
            if len(words) > k and " ".join(words[:k]) in org_names:
                if _product_tail(words[k:], place_names):
                    ev.add("Product", 1.5)
                break


def _cue_positions(lw: list[str], s: int, ents_by_end: dict[int, Span]) -> list[int]:
    """Where before-cues may end: right before the name, before a possessor (`deploy Foo's X`,
    `deploy its X`), and before an adverb (`runs entirely on X`)."""
    positions = [s]
    if s and lw[s - 1] == "'s" and (s - 1) in ents_by_end:
        positions.append(ents_by_end[s - 1].start)
    elif s and lw[s - 1] == "its":
        positions.append(s - 1)
    for p in list(positions):
        if p > 1 and lw[p - 1].endswith("ly") and lw[p - 1].isalpha():
            positions.append(p - 1)
    return positions


_PREDICATE_VERBS = frozenset("is are was were remain remains remained become becomes became".split())
_PREDICATE_ADVERBS = frozenset("still also now already again once".split())
_PREDICATE_OWNERS = frozenset({"our", "its", "their"})
PREDICATE_WEIGHT = 1.5  # what "X is our / its / their NOUN" says of X


def _predicate_noun(lw: list[str], words: list[str], k: int) -> str | None:
    """The type of the descriptor noun a name is said to be, from its copula at `k` on:
    `is our biggest customer`, `remain its closest rivals`, `are still their main suppliers`
    (an organisation's possessive before the noun; up to three lower-case modifiers; not a noun
    that itself modifies a possessed thing, `is our rival's parent`)."""
    n = len(lw)
    k += 1
    while k < n and (lw[k] in _PREDICATE_ADVERBS or (lw[k].endswith("ly") and lw[k].isalpha())):
        k += 1
    if k >= n or lw[k] not in _PREDICATE_OWNERS:
        return None
    descs = descriptors()
    for j in range(k + 1, min(k + 5, n)):
        w = lw[j]
        if w in descs:
            if j + 1 < n and (lw[j + 1] in descs or lw[j + 1] == "'s"):
                return None
            return descs[w][0]
        if not (w.isalpha() and words[j].islower()) or w in _APPOSITION_STOP or w in _NOT_VERBS:
            return None
    return None


def _context_evidence(doc: Doc, lw: list[str], words: list[str], s: int, e: int, ev: _Evidence,
                      ents_by_start: dict[int, Span], ents_by_end: dict[int, Span]) -> None:
    """Evidence from the words around one mention."""
    n = len(lw)
    before, after, longest = _cues()
    before_ends, after_starts, tail_ends = _cue_edges()
    possessor = e < n and lw[e] == "'s"
    for p in _cue_positions(lw, s, ents_by_end):
        window = [w for w in lw[max(0, p - longest - 2) : p] if not (len(w) > 3 and w.endswith("ly") and w.isalpha())]
        if window and window[-1] in before_ends:
            for k in range(1, min(longest, len(window)) + 1):
                hit = before.get(tuple(window[-k:]))
                if hit and not (possessor and FAMILY.get(hit[0]) == "prod"):
                    ev.add(*hit)
        if tail_ends is not None and not (p and lw[p - 1] in tail_ends):
            continue
        for tail, heads in _gapped_cues().items():
            if p >= len(tail) and tuple(lw[p - len(tail) : p]) == tail:
                span = lw[max(0, p - len(tail) - GAP - 3) : p - len(tail)]
                present = set(span)
                for head, type_, weight in heads:
                    if possessor and FAMILY.get(type_) == "prod":
                        continue
                    if head and head[0] not in present:
                        continue
                    h = len(head)
                    if any(tuple(span[i : i + h]) == head for i in range(max(0, len(span) - h - GAP), len(span) - h + 1)):
                        ev.add(type_, weight)
                        break
    a = e
    if e + 2 < n and lw[e] == "," and lw[e + 1] in ("which", "who"):
        a = e + 2  # "Marelli, which is owned by KKR": the relative clause speaks of the name too
    for k in range(1, longest + 1) if a < n and lw[a] in after_starts else ():
        if a + k > n:
            break
        hit = after.get(tuple(lw[a : a + k]))
        if hit:
            ev.add(*hit)
    # "Admiral remains our toughest competitor": a descriptor noun the name is said to be
    if a < n and lw[a] in _PREDICATE_VERBS:
        type_ = _predicate_noun(lw, words, a)
        if type_:
            ev.add(type_, PREDICATE_WEIGHT)
    # "Voltra Batteries will provide ...": the subject of a verb that only organisations do in the
    # relation rules (supply, acquire, invest, partner, deploy, ...)
    j = e
    while j < n and j - e < 3 and lw[j] in _AUX_WORDS:
        j += 1
    if j < n and lw[j] in _org_verbs() and (j == e or lw[e] in _AUX_WORDS):
        ev.add("Company", 1.0)
    # "British Land dropped its pilot": a name doing something to "its" things is an organisation
    # (not "the PickArm rollout hits its schedule": there the name only modifies a noun)
    if not (s and lw[s - 1] in _ARTICLES):
        for j in range(e, min(e + 3, n)):
            w = lw[j]
            if w == "its" and j > e:
                ev.add("Company", 1.0)
                break
            if not (w.isalpha() and words[j].islower()) or w in _NOT_VERBS:
                break
    titles = title_words()
    descs = descriptors()
    prev = lw[s - 1] if s else ""
    prev2 = lw[s - 2] if s > 1 else ""
    prev3 = lw[s - 3] if s > 2 else ""
    nxt = lw[e] if e < n else ""
    nxt2 = lw[e + 1] if e + 1 < n else ""
    # a possessor before the name: "Nvidia's Omniverse", "its Xcelerator" (a product more often than not)
    if (prev == "'s" and (s - 1) in ents_by_end) or prev == "its":
        ev.add("Product", 0.75)
    # honorifics and job titles before the name
    if prev in word_set("honorifics.txt") or prev.rstrip(".") in word_set("honorifics.txt"):
        ev.add("Person", 3.0)
    elif prev in titles and (titles[prev] in ("yes", "before") or (titles[prev] == "after" and prev2 in titles)):
        ev.add("Person", 2.0)
    elif prev in ("of", "at") and prev2 in titles:
        ev.add("Company", 1.5)
    elif prev == "," and prev2 in titles and titles[prev2] in ("yes", "before", "after") and nxt in (":", ".", ""):
        ev.add("Company", 1.5)  # "Rajiv Bhatt -- Analyst, Barclays:"
    elif prev == "at" and any(w in titles or descriptors().get(w, ("",))[0] == "Person" for w in lw[max(0, s - 5) : s - 1]):
        ev.add("Company", 1.5)  # "head of research at Oddo BHF", "a chief engineer at Toyota"
    # "Contoso CEO Jane Doe": an organisation before a capitalised title
    if e < n and kind(words[e]) in (K_TITLE, K_TITLE_BEFORE) and nxt in titles:
        j = e
        while j < n and lw[j] in titles:
            j += 1
        if j < n and kind(words[j]) == K_NAME:
            ev.add("Company", 2.0)
    # "Jane Doe, chief executive of Contoso" / "Jane Doe, 52," / "X, the German automaker" / "X, Foo's unit"
    if nxt == ",":
        if (titles.get(nxt2) in ("yes", "before") and nxt2 not in descs) or nxt2 in ("co-founder", "cofounder", "founder"):
            ev.add("Person", 2.0)
        elif nxt2.isdigit() and e + 2 < n and lw[e + 2] == "," and 16 <= int(nxt2) <= 110:
            ev.add("Person", 2.0)
        elif nxt2 == "whose":
            if e + 2 < n and lw[e + 2] in titles:
                ev.add("Company", 2.0)  # "Looptex, whose chief executive ..."
        elif nxt2 in _ARTICLES or nxt2 == "its":
            _apposition(lw, e + 2, ev, descs)
        elif titles.get(nxt2) in ("yes", "before"):
            ev.add("Person", 2.0)
        else:
            for j in range(e + 2, min(e + 6, n)):
                if lw[j] == "'s":
                    _apposition(lw, j + 1, ev, descs)
                    break
                if not words[j][:1].isupper():
                    break
    # "added Tiger Global as an investor", "chose Trident as its supplier": what the name is taken on as
    if nxt == "as" and e + 1 < n:
        for j in range(e + 1, min(e + 6, n)):
            w = lw[j]
            if w in descs and not (j + 1 < n and lw[j + 1] in descs):
                ev.add(descs[w][0], 1.5)
                break
            if not (w.isalpha() and words[j].islower()) or w in _APPOSITION_STOP and w != "as":
                break
    # a descriptor noun right before: "automaker Contoso", "analyst Jane Doe", "start-up Petrel Pay", "robot, Atlas"
    compound = f"{prev3}-{prev}" if prev2 == "-" else ""
    if compound in descs:
        ev.add(descs[compound][0], 2.0)
    elif prev in descs and prev2 != "'s" and not (s > 0 and kind(words[s - 1]) == K_NAME):
        ev.add(descs[prev][0], 2.0)
    elif prev == "," and prev2 in descs and nxt in (",", ".", ")", ""):
        ev.add(descs[prev2][0], 1.5)
    elif prev == "like" and prev2 in descs:
        ev.add(descs[prev2][0], 2.0)
    elif prev in ("as", "including") and s > 2:
        k = s - 2
        if lw[k] == "such":
            k -= 1
        if k > 0 and lw[k] == ",":
            k -= 1
        if k >= 0 and lw[k] in descs:
            ev.add(descs[lw[k]][0], 2.0)
    # the name as a modifier of a descriptor: "the Omniverse platform", "the Nikkei business daily"
    if prev in ("the", "its", "'s"):
        for j in range(e, min(e + 3, n)):
            w = lw[j]
            if w in descs and not w.endswith("s"):
                if j + 1 >= n or lw[j + 1] not in descs:
                    ev.add(descs[w][0], 2.0)
                break
            if not (w.isalpha() and words[j].islower()):
                break
    # "its Weekday and Monki brands": each name of a list that an owner's unit noun closes is a unit
    if prev in _LIST_OWNERS or prev in _LIST_LINKS or nxt in _LIST_LINKS:
        if owned_unit(lw, words, s, e, ents_by_start, ents_by_end, min_names=2):
            ev.add("Company", 2.0)
    # "Zara owner Inditex": a name before an owner noun and the owner's name is an organisation
    if _owner_follows(lw, words, e, ents_by_start):
        ev.add("Company", 2.0)
    # possessive followed by organisation nouns or a title: "X's shareholders", "X's chief executive"
    if nxt == "'s":
        possessions = word_set("org_possessions.txt")
        for j in range(e + 1, min(e + 4, n)):
            w = lw[j]
            if w in titles and w not in ("partner", "owner"):
                ev.add("Company", 2.0)
                break
            if w in possessions:
                ev.add("Company", 1.5)
                break
            if not (kind(words[j]) == K_NAME or w.isalpha()) or w in _APPOSITION_STOP:
                break
    # "X, Germany" / "Santa Clara, California-based": a place before a comma and a known place
    if nxt == "," and (e + 1) in ents_by_start and ents_by_start[e + 1].label_ in ("Place", UNTYPED):
        after_place = ents_by_start[e + 1].end
        if after_place + 1 < n and lw[after_place] == "-" and lw[after_place + 1] in ("based", "headquartered"):
            ev.add("Place", 3.0)
        elif (after_place >= n or lw[after_place] != "'s") and ents_by_start[e + 1].label_ == "Place":
            ev.add("Place", 1.0)
    # "headquartered in Boulder, Colorado": a name after a place that a place cue introduced
    if prev == "," and (s - 1) in ents_by_end:
        p = ents_by_end[s - 1].start
        hit = before.get(tuple(lw[p - 2 : p])) if p >= 2 else None
        if hit and hit[0] == "Place" and hit[1] >= 2 and not (nxt == "-" and nxt2 in ("based", "headquartered")):
            ev.add("Place", 2.0)


def _parse_evidence(doc: Doc, s: int, e: int, ev: _Evidence) -> None:
    """With a trained parser: a descriptor noun in apposition to the name, or modifying it by
    `compound` (`the chipmaker Tessaline`), says what the name is."""
    descs = descriptors()
    root = doc[s:e].root
    for tok in (*root.children, root.head):
        if tok.i in range(s, e):
            continue
        related = tok.dep_ == "appos" or (tok.head.i == root.i and tok.dep_ == "compound") or \
            (root.dep_ == "appos" and tok.i == root.head.i) or (root.dep_ == "compound" and tok.i == root.head.i)
        noun = tok.lower_
        if related and noun in descs:
            ev.add(descs[noun][0], 1.5)


def _apposition(lw: list[str], start: int, ev: _Evidence, descs: dict[str, tuple[str, ...]]) -> None:
    """`, a|an|the [modifiers] NOUN`: the last descriptor noun before a stop word types the name."""
    found = None
    n = len(lw)
    at = start
    for j in range(start, min(start + 8, n)):
        w = lw[j]
        if w in _APPOSITION_STOP:
            break
        k = j
        if w == "-" and 0 < j < n - 1 and f"{lw[j - 1]}-{lw[j + 1]}" in descs:
            w = f"{lw[j - 1]}-{lw[j + 1]}"  # "start-up"
            k = j + 1
        if w in descs and not (k + 1 < n and lw[k + 1] == "'s"):
            after = lw[k + 1] if k + 1 < n else "."
            if start > 0 and lw[start - 1] == "the" and (after in _FINITE or (
                    after.endswith("s") and not after.endswith("ss") and after.isalpha() and after not in descs)):
                return  # "Colorado, the company employs 210 people": a new clause's subject, not an apposition
            found, at = w, k
    if found:
        if found in _OWNED_NOUNS and not (start > 0 and lw[start - 1] == "'s") and not (at + 1 < n and lw[at + 1] == "of"):
            return  # "X, MSC's logistics arm" / "the venture arm of Y" are units; "Sparrow, the picking arm" is not
        if at > start and lw[at - 1] in title_words() and "Person" not in descs[found]:
            ev.add("Person", 2.5)  # "Karin Veldman, a general partner at ...": a title, not a firm
            return
        ev.add(descs[found][0], 2.5)


def _product_like(words: list[str]) -> bool:
    """CamelCase or letters with digits in one word: `MyChart`, `SoilPulse`, `CV-104`, `K2`."""
    if len(words) != 1:
        return False
    w = words[0]
    return (len(camel_parts(w)) > 1 and not w.isupper()) or (any(c.isdigit() for c in w) and any(c.isalpha() for c in w))


def _org_like(words: list[str]) -> bool:
    if len(words) > 1:
        return True
    w = words[0]
    return (w.isupper() and 2 <= len(w) <= 6) or len(camel_parts(w)) > 1


def type_names(doc: Doc, *, publish: bool = True) -> None:
    """Stage 3 on one Doc: type every `NAME` entity, or drop it (see the module docstring).

    `publish=False` leaves the result in `doc.user_data` for stage 4 instead of `doc.ents`.
    """
    ents = names_of(doc)
    scores: dict[tuple[int, int], float] = {}
    doc.user_data[SCORES_KEY] = scores
    if not any(e.label_ == UNTYPED for e in ents):
        for e in ents:
            scores[(e.start, e.end)] = 10.0
        hand_on(doc, ents, publish=publish)
        return
    info = doc_info(doc)
    words = info.words
    lw = info.lower
    ents_by_start = {e.start: e for e in ents}
    ents_by_end = {e.end: e for e in ents}
    org_names = {info.span_text(e.start, e.end) for e in ents if FAMILY.get(e.label_) == "org"}
    org_names |= {info.span_text(s, e) for s, e, t, _ in doc.user_data.get(LEXICON_GROUP, ()) if FAMILY.get(t) == "org"}
    place_names = {info.span_text(s, e) for s, e, t, _ in doc.user_data.get(LEXICON_GROUP, ()) if t == "Place"}
    model = {}
    if MODEL_GROUP in doc.spans:
        for m in doc.spans[MODEL_GROUP]:
            model[(m.start, m.end)] = m.label_
            model.setdefault((m.start, m.end - 1), m.label_)
            model.setdefault((m.start + 1, m.end), m.label_)

    parsed = info.parsed
    untyped = [e for e in ents if e.label_ == UNTYPED]
    # "Foo Corp (NYSE: FOO)": a name right before a listing bracket is a listed company
    listings: set[int] = set()
    for t in doc.spans[TICKER_GROUP] if TICKER_GROUP in doc.spans else ():
        k = t.start - 1
        while k > 0 and t.start - k < 8 and words[k] != "(":
            k -= 1
        if words[k] == "(":
            listings.add(k)
    keys: dict[tuple[int, int], str] = {}
    cores: dict[str, list[str]] = {}
    evidence: dict[str, _Evidence] = defaultdict(_Evidence)
    surfaces_seen: set[str] = set()
    for ent in untyped:
        s, e = ent.start, ent.end
        core = core_words(words[s:e])
        key = squash(" ".join(core))
        keys[(s, e)] = key
        cores.setdefault(key, core)
        ev = evidence[key]
        surface = info.span_text(s, e)
        if surface not in surfaces_seen:  # what the name itself says counts once
            surfaces_seen.add(surface)
            _inner_evidence(words[s:e], ev, org_names, place_names)
        _context_evidence(doc, lw, words, s, e, ev, ents_by_start, ents_by_end)
        if (e in listings or (e + 1 in listings and words[e].isspace())) and not (
                words[e - 1] in name_heads() and name_heads()[words[e - 1]][0] == "Organization"):
            ev.add("Company", 3.0)  # (not "listed on the Oslo Stock Exchange (OSE: NWG)": that is the exchange)
        hint = MODEL_HINTS.get(model.get((s, e), ""))
        if hint:
            ev.add(hint, 1.5)
        if parsed:
            _parse_evidence(doc, s, e, ev)

    _share_list_cues(ents, lw, words, keys, evidence)
    decided: dict[str, tuple[str | None, float]] = {key: ev.decide() for key, ev in evidence.items()}
    # one-word names seen only at the start of sentences may be ordinary words ("Hospitals will ...")
    openers_only = {k for k, core in cores.items() if len(core) == 1}
    for ent in untyped:
        if ent.start not in info.initial:
            openers_only.discard(keys[(ent.start, ent.end)])
    # a one-word name no dictionary holds, named again and again ("Monzo has ...", "Monzo previously
    # ...") and never written in lower case, is the name of something: an organisation unless
    # the words around it say otherwise
    seen: dict[str, int] = defaultdict(int)
    for ent in untyped:
        if ent.end < len(lw) and lw[ent.end].isalpha():  # ("Thanks." is no name: a name is followed by words)
            seen[keys[(ent.start, ent.end)]] += 1
    lower_words = None
    for key, count in seen.items():
        core = cores[key]
        if count < 2 or len(core) != 1 or decided[key][0] is not None:
            continue
        w = core[0]
        if lower_words is None:
            lower_words = {x for x in words if x.islower()}
        low = w.lower()
        if len(w) < 3 or not w[0].isupper() or low in common_words() or low in lower_words or w in given_names() \
                or low.endswith(("ing", "ed", "ly")) or not w.isalpha() or len(camel_parts(w)) > 1 \
                or evidence[key].scores:
            continue  # (a CamelCase name, or one with evidence of its own, is left to that evidence)
        evidence[key].add("Company", 1.0)
        openers_only.discard(key)
        decided[key] = evidence[key].decide()

    # second round: short forms, acronyms and coordination borrow from typed names
    typed_cores: list[tuple[list[str], str]] = [
        (cores[k], t) for k, (t, _) in decided.items() if t is not None
    ]
    for ent in ents:
        if ent.label_ != UNTYPED and FAMILY.get(ent.label_) in ("org", "person", "prod"):
            typed_cores.append((core_words(words[ent.start : ent.end]), ent.label_))
    for _ in range(3):
        for _ in range(2):
            if not _second_round(ents, keys, cores, evidence, decided, typed_cores, lw):
                break
        if not _leftovers(cores, evidence, decided, typed_cores, openers_only):
            break

    kept: list[Name] = []
    dropped: list[tuple[int, int]] = []
    for ent in ents:
        if ent.label_ != UNTYPED:
            kept.append(ent)
            scores[(ent.start, ent.end)] = 10.0
            continue
        t, score = decided[keys[(ent.start, ent.end)]]
        if t is None:
            dropped.append((ent.start, ent.end))
            continue
        kept.append(Name(ent.start, ent.end, t, ent.kb_id_))
        scores[(ent.start, ent.end)] = score
    if dropped:
        # a dropped generic name gives its place back to lexicon names it covered ("AI Act" -> "AI")
        for ls, le, lt, lkb in doc.user_data.get(LEXICON_GROUP, ()):
            if any(s <= ls and le <= e and (ls, le) != (s, e) for s, e in dropped):
                kept.append(Name(ls, le, lt, lkb))
                scores[(ls, le)] = 10.0
    kept.sort(key=lambda sp: sp.start)
    hand_on(doc, kept, publish=publish)


def _second_round(ents, keys, cores, evidence, decided, typed_cores, lw) -> bool:
    """Short forms, acronyms and coordination borrow from typed names; True when something changed."""
    changed = False
    org_cores = {tuple(w.lower() for w in c) for c, t in typed_cores if FAMILY.get(t) == "org"}
    for key, (t, _) in list(decided.items()):
        if t is not None:
            continue
        core = cores[key]
        ev = evidence[key]
        _borrow(core, typed_cores, ev)
        low = tuple(w.lower() for w in core)
        if len(low) > 1 and any(low[:k] in org_cores and _product_tail(core[k:], set()) for k in (1, 2) if k < len(low)) \
                and core[-1] not in name_heads():
            ev.add("Product", 1.5)  # "Contoso Ledger" once Contoso is known to be a company
        result = ev.decide()
        if result[0] is not None:
            decided[key] = result
            typed_cores.append((core, result[0]))
            changed = True
    for i, ent in enumerate(ents):
        if ent.label_ != UNTYPED:
            continue
        key = keys[(ent.start, ent.end)]
        if decided[key][0] is not None:
            continue
        for other in _coordinated(ents, i, lw):
            t = other.label_ if other.label_ != UNTYPED else decided[keys[(other.start, other.end)]][0]
            if t and FAMILY.get(t) in ("org", "person", "place", "prod"):
                evidence[key].add(t, 1.5)
        result = evidence[key].decide()
        if result[0] is not None:
            decided[key] = result
            typed_cores.append((cores[key], result[0]))
            changed = True
    return changed


def _leftovers(cores, evidence, decided, typed_cores, openers_only: set[str]) -> bool:
    """Names with some organisation evidence become organisations when they look like one."""
    changed = False
    for key, (t, _) in decided.items():
        if t is not None:
            continue
        ev = evidence[key]
        totals = ev.family_totals()
        org = totals.get("org", 0.0)
        prod = totals.get("prod", 0.0)
        if prod >= 0.75 and len(totals) == 1 and key not in openers_only and _product_like(cores[key]):
            # "Epic Systems' MyChart": a possessed name shaped like a product is one
            members = {t: w for t, w in ev.scores.items() if FAMILY.get(t) == "prod"}
            decided[key] = (max(members, key=lambda t: (members[t], -SUBTYPE_ORDER[t])), prod)
            typed_cores.append((cores[key], decided[key][0]))
            changed = True
            continue
        if not org or org < max(totals.values()) or sum(1 for v in totals.values() if v == org) > 1:
            continue
        core = cores[key]
        if key in openers_only:
            continue
        if org >= 1.0 and not (len(core) == 1 and core[0].lower() in common_words()):
            members = {t: w for t, w in ev.scores.items() if FAMILY.get(t) == "org"}
            decided[key] = (max(members, key=lambda t: (members[t], -SUBTYPE_ORDER[t])), org)
        elif org >= 0.5 and _org_like(core):
            decided[key] = ("Company", org)
        else:
            continue
        typed_cores.append((core, decided[key][0]))
        changed = True
    return changed


def _borrow(core: list[str], typed: list[tuple[list[str], str]], ev: _Evidence) -> None:
    """A short form takes the type of the one longer typed name it abbreviates."""
    if not core:
        return
    low = [w.lower() for w in core]
    matches: dict[str, str] = {}
    for other, t in typed:
        if len(other) <= len(core):
            continue
        fam = FAMILY.get(t)
        if fam == "person":
            if len(core) == 1 and other[-1].lower() == low[0]:
                matches[" ".join(w.lower() for w in other)] = t
        elif fam == "org":
            if [w.lower() for w in other[: len(low)]] == low and low[0] not in common_words():
                matches[" ".join(w.lower() for w in other)] = t
            elif len(low) == 1 and other[-1].lower() == low[0] and low[0] not in common_words() \
                    and core[0] not in name_heads():
                matches[" ".join(w.lower() for w in other)] = t  # "Rovers" for "Harborough Rovers"
    if len(core) == 1 and core[0].isupper() and 2 <= len(core[0]) <= 6:
        for other, t in typed:
            initials = "".join(w[0] for w in other if w[:1].isupper())
            if FAMILY.get(t) == "org" and len(other) >= 2 and initials == core[0]:
                matches[" ".join(w.lower() for w in other)] = t
    types = set(matches.values())
    if len(matches) == 1 or (len(types) == 1 and FAMILY.get(next(iter(types))) == "person"):
        ev.add(next(iter(types)), 2.0)


def _coordinated(ents: list[Span], i: int, lw: list[str]) -> list[Span]:
    """The names joined to ents[i] by commas, `and`, `or` (a list of like things).

    A chain joined by commas alone is no list ("In London, National Grid rose"; "Boulder,
    Colorado"): some link of it must be a conjunction ("A, B and C")."""
    def gap(a: Span, b: Span) -> list[str] | None:
        g = lw[a.end : b.start]
        return g if 0 < len(g) <= 3 and all(w in _COORDINATORS for w in g) else None

    links = []
    j = i
    while j > 0 and (g := gap(ents[j - 1], ents[j])) is not None:
        links.append(g)
        j -= 1
    j = i
    while j + 1 < len(ents) and (g := gap(ents[j], ents[j + 1])) is not None:
        links.append(g)
        j += 1
    if not any(w in _CONJUNCTIONS for g in links for w in g):
        return []
    out = []
    if i > 0 and gap(ents[i - 1], ents[i]) is not None:
        out.append(ents[i - 1])
    if i + 1 < len(ents) and gap(ents[i], ents[i + 1]) is not None:
        out.append(ents[i + 1])
    return out


_CONJUNCTIONS = frozenset({"and", "or", "&", "plus", "well"})
AGREEMENT_WEIGHT = 3.5  # what signing or forming an agreement says of each name in the list of its parties
_CLAUSE_ENDS = frozenset({".", ";", ":", ",", "!", "?", "(", ")", "\"", "—", "–"})


@lru_cache(maxsize=None)
def _agreement_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(words between a list and its verb, agreement verbs, agreement nouns): agreement_subjects.txt."""
    from .names import _lines

    sections: dict[str, set[str]] = {"before": set(), "verbs": set(), "nouns": set()}
    for section, line in sectioned(_lines("agreement_subjects.txt"), "before"):
        sections[section].add(line.lower())
    return frozenset(sections["before"]), frozenset(sections["verbs"]), frozenset(sections["nouns"])


def _agreement_after(lw: list[str], e: int, reach: int = 6) -> bool:
    """Whether the words from `e` on say that what stands before them signs or forms an agreement:
    an agreement verb (after auxiliaries, adverbs, a date) and, a few words on in the same clause,
    an agreement noun ("have formed a joint venture", "signed a five-year alliance", "agreed on
    Monday to set up a consortium")."""
    before, verbs, nouns = _agreement_words()
    n = len(lw)
    k = e
    while k < n and k < e + reach:
        w = lw[k]
        if w in verbs:
            for j in range(k + 1, min(n, k + 1 + reach + 1)):
                v = lw[j]
                if v in nouns:
                    return True
                if v in _CLAUSE_ENDS or v.isspace():
                    break
        if not (w in before or w in verbs or w.isdigit() or (w.endswith("ly") and w.isalpha())):
            return False
        k += 1
    return False


def _share_list_cues(ents: list[Name], lw: list[str], words: list[str], keys: dict[tuple[int, int], str],
                     evidence: dict[str, _Evidence]) -> None:
    """In a list of names ("A, B, C and D signed ..."; "rivals such as A, B and C") the cue words
    before the first name and after the last one speak of every name in the list."""
    before, after, longest = _cues()
    n = len(lw)
    i = 0
    while i < len(ents):
        j = i
        conj = False
        while j + 1 < len(ents):
            gap = lw[ents[j].end : ents[j + 1].start]
            if not (0 < len(gap) <= 3 and all(w in _COORDINATORS for w in gap)):
                break
            conj = conj or any(w in _CONJUNCTIONS for w in gap)
            j += 1
        if j > i and conj:
            members = [e for e in ents[i : j + 1] if (e.start, e.end) in keys]
            s, e = ents[i].start, ents[j].end
            if _agreement_after(lw, e):
                # "A, B, C and D signed a five-year alliance": the parties to an agreement are
                # organisations, whatever a head word inside a name says ("Hanwha Ocean"); a
                # person's full name keeps its own evidence
                for m in members:
                    ev = evidence[keys[(m.start, m.end)]]
                    if ev.scores.get("Person", 0.0) < 2.0:
                        ev.add("Company", AGREEMENT_WEIGHT)
            shared = _Evidence()
            for k in range(1, longest + 1):
                hit = before.get(tuple(lw[max(0, s - k) : s])) if s >= k else None
                if hit:
                    shared.add(*hit)
                hit = after.get(tuple(lw[e : e + k])) if e + k <= n else None
                if hit:
                    shared.add(*hit)
            if e < n and lw[e] in _PREDICATE_VERBS and (type_ := _predicate_noun(lw, words, e)):
                # "A and B remain our toughest competitors": said of every name in the list (the
                # last one has it from its own context already)
                for m in members:
                    if m is not ents[j]:
                        evidence[keys[(m.start, m.end)]].add(type_, PREDICATE_WEIGHT)
            if shared.scores:
                for m in members:
                    if m is not ents[i] and m is not ents[j]:
                        evidence[keys[(m.start, m.end)]].merge(shared)
                    elif m is ents[i]:  # the first one has its before-cues, the last its after-cues
                        for k in range(1, longest + 1):
                            hit = after.get(tuple(lw[e : e + k])) if e + k <= n else None
                            if hit:
                                evidence[keys[(m.start, m.end)]].add(*hit)
                    else:
                        for k in range(1, longest + 1):
                            hit = before.get(tuple(lw[max(0, s - k) : s])) if s >= k else None
                            if hit:
                                evidence[keys[(m.start, m.end)]].add(*hit)
        i = j + 1


class TypeGuesser:
    """The `kg_types` pipeline component (see `type_names`)."""

    def __init__(self, name: str = "kg_types", *, publish: bool = True) -> None:
        self.name = name
        self.publish = publish

    def __call__(self, doc: Doc) -> Doc:
        type_names(doc, publish=self.publish)
        return doc


@Language.factory("kg_types", default_config={"publish": True})
def make_type_guesser(nlp: Language, name: str, publish: bool) -> TypeGuesser:
    """The stage-3 component; `publish=False` hands the names to stage 4 in `doc.user_data`."""
    return TypeGuesser(name, publish=publish)
