"""Stage 4, resolve: one entity per real thing in the article, and what `the company` and `its` mean.

Names are grouped in this order:

1. the lexicon: every alias and bracketed ticker of an entry is that entry (`Microsoft
   Corporation`, `MSFT` -> Microsoft); a name whose core (without `the`, legal forms and
   possessives: `Foo Corp.` -> `Foo`) is a lexicon name of the same type family is that entry;
2. the same core spelt differently: case, spaces, hyphens and dots do not count
   (`News Tracker Today` = `NewsTrackerToday`);
3. a person's surname alone is the one person seen with that surname (`Leclerc`);
4. a shorter organisation name, seen as it is (not only as the core of `Novo Holdings`), that
   is the start of one longer organisation name (`Hon Hai` of `Hon Hai Precision Industry`), or
   of several of which one only adds neutral head words (`Volterra` is `Volterra Motors`, not
   `Volterra Digital`), unless the rest is a place (`Vodafone Spain` is a national unit); when
   the shorter one is a lexicon entry the longer one may only add legal forms or neutral head
   words (name_heads.tsv strip=yes/same: `Toyota Motor` is Toyota, `Siemens Energy` and
   `Amazon Web Services` are not); a one-word name that is the last word of one longer
   organisation name is that organisation (`Rovers`, `Harborough Rovers`);
5. an acronym that spells the capitals of one organisation name (`ECB`, `European Central Bank`);
6. a product named with its maker in front is the product named without it (`Contoso Ledger`
   and `Ledger`, once Contoso is an organisation of the article);
7. a bracketed ticker without a lexicon entry belongs to the organisation named right
   before the bracket (`Contoso Ltd (NYSE: CTSO)`);
8. names whose canonical labels coincide are one entity.

Canonical label: the lexicon label when the lexicon knows the entity; otherwise the longest
core seen (legal forms dropped: `Contoso Holdings plc` and `Contoso` give `Contoso`; `Sophie
Leclerc` over `Leclerc`), ties going to the form seen most often, then first; a dateline's
capitals become title case (`SAN FRANCISCO` -> `San Francisco`). Aliases: every other surface
form seen in the article (possessives excluded), tickers included. The type: the lexicon's, or
the one with most stage-3 evidence over the mentions.

Makers: when a product's name starts with an organisation's name (`Microsoft Azure`), that
part goes to `doc.spans["kg_makers"]` and the organisation becomes an entity even if the
article names it nowhere else, so that a later stage can say who develops the product.

References: `its`, a subject `it` (not `it is likely`, not an object `use it`), and definite
descriptions whose head is a descriptor noun (`the company`, `the automaker`, `the
Wolfsburg-based group`: descriptors.tsv, ref=yes) point to a compatible entity (organisations
for pronouns; the noun's types for descriptions), by type and position only:

- a description right after a name and a comma is that name (`TSMC, the Hsinchu-based
  foundry`), unless it is a possessor (`Vodafone Germany, the group's largest unit`);
- a specific noun (descriptors.tsv, generic=no) prefers the entity the article introduced with
  it (`Nvidia, the ... chipmaker` ... `the chipmaker`), or else the one organisation whose name
  ends in a word that says so (descriptors.tsv name_words: `NFU Mutual` ... `the insurer`); an
  `X-based` description skips entities the article said are based elsewhere, and a description
  naming a nation (`the Norwegian company`, `the U.S. drugmaker`; nations.tsv) skips entities the
  article introduced with another (`Dutch biotech Solvix`) and prefers, where one fits, an entity
  it introduced or described with that nation (`the Danish firm` ... `the Danish company`);
- in the same sentence: the nearest compatible subject-like mention before it (first in its
  clause, not governed by a preposition even through `the private company X` or a list, not a
  possessor; `after the utility chose ...` is a subject), else the nearest (for pronouns the
  first) mention; a description after a preposition never takes its own clause's subject,
  what that subject stands for, or a name in the subject's apposition (`a subsidiary of the
  company`); a described entity (`the Norwegian company`) is none the sentence already calls
  `it` or describes with another noun (`the start-up ... the French group`);
- otherwise, for a pronoun opening a sentence, the one subject of the sentence before; else
  the most salient compatible entity of the last four sentences: mentions count 1.5 as
  subjects, 1 otherwise, half for references, halving per sentence back and again across a
  paragraph break; ties go to the first mention of the nearest sentence. Mentions in brackets
  (tickers) do not count; a generic description with no antecedent (`the group`) is the
  organisation the article is about when that one was named before.

The organisation the article is about (`doc.user_data["kg.home"]`): most mentions, with a point
more for each sentence it opens and two for the first one named. `we`, `our`, `us` point to
the organisation of whoever speaks: the person or organisation a quotation is attributed to
(`"We ...," said Jane Doe, chief executive of Acme`; `..., the company said`), or the speaker
of a transcript or interview turn (`Jane Doe -- Chief Executive:`, `DOE:`), a person speaking
for the organisation the article gives as theirs, else for the one it is about; interviewers
and operators speak for no one, and `it` never points back to `we`. `the two companies`,
`both firms`, `the partners` stand for the two organisations named last: one reference span
each over the same words.

Resolved references go to `doc.spans["kg_refs"]` (`label_` = the entity's type,
`_.kg_entity` = its label) and count as mentions for later ones.

Output: `doc.ents` relabelled with the entity types, `kb_id_` and `_.kg_entity` = the entity
label on every one; `doc._.kg_entities` = label -> `kg.model.Entity`.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import lru_cache

import numpy
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..lexicon import Lexicon
from ..model import Entity
from .attrs import set_span_entity
from .names import (
    POSSESSIVES,
    Name,
    title_words,
    TICKER_GROUP,
    NAMES_KEY,
    core_range,
    doc_info,
    names_of,
    name_heads,
    positions,
    squash,
    stop_words,
    table,
    word_set,
)
from .types import FAMILY, SCORES_KEY, owned_unit, unit_nouns

REFS_GROUP = "kg_refs"
HOME_KEY = "kg.home"  # doc.user_data: label of the organisation the article is mostly about
_LABELS_KEY = "kg.speaker_labels"
_PRIVATE_KEYS = ("kg.info", "kg.names", "kg.lexicon", "kg.type_scores", "kg.ref_scan", _LABELS_KEY)
MAKERS_GROUP = "kg_makers"
PRONOUNS = frozenset({"its", "it"})
PRONOUN_TYPES = ("Company", "Organization", "MediaOrganization")
LOOKBACK_SENTENCES = 4
_AUX = frozenset({"is", "was", "'s", "’s", "will", "would", "has", "had", "may", "might", "could", "can", "should", "must",
                  "does", "did", "remains", "remained", "seems", "seemed", "appears", "appeared"})
_AUX_SKIP = frozenset({"not", "be", "been", "also", "still", "now", "n't", "therefore", "thus"})


@lru_cache(maxsize=None)
def descriptor_generic() -> dict[str, bool]:
    """Descriptor noun -> whether it is said of any organisation (`company`) rather than singling one out."""
    return {row["noun"].lower(): row.get("generic") == "yes" for row in table("descriptors.tsv")}


@lru_cache(maxsize=None)
def descriptor_name_words() -> dict[str, str]:
    """Last word of a name (as written) -> the specific descriptor noun it makes apt (`Mutual` -> insurer)."""
    return {w: row["noun"].lower() for row in table("descriptors.tsv") for w in row.get("name_words", "").split("|") if w}


@lru_cache(maxsize=None)
def ref_nouns() -> dict[str, tuple[str, ...]]:
    """Descriptor nouns that make a resolvable definite description -> compatible types."""
    return {row["noun"].lower(): tuple(row["types"].split("|")) for row in table("descriptors.tsv") if row["ref"] == "yes"}


class Resolver:
    """The `kg_resolve` pipeline component (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = "kg_resolve") -> None:
        self.nlp = nlp
        self.name = name
        self.set_lexicon(Lexicon())

    def set_lexicon(self, lexicon: Lexicon) -> None:
        """Index the lexicon's names (matching keys) and types."""
        self.index: dict[str, str] = {}
        self.types: dict[str, str] = {}
        for entry in lexicon:
            self.types[entry.label] = entry.type
            for name in (entry.label, *entry.aliases):
                self.index[squash(name)] = entry.label
        self.places = {key for key, label in self.index.items() if self.types.get(label) == "Place"}

    def __call__(self, doc: Doc) -> Doc:
        resolve(doc, self)
        return doc


class _Union:
    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, x: object) -> object:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            nxt = self.parent.get(x, x)
            self.parent[x] = root
            x = nxt
        return root

    def union(self, keep: object, other: object) -> None:
        a, b = self.find(keep), self.find(other)
        if a != b:
            self.parent[b] = a


def resolve(doc: Doc, resolver: Resolver) -> None:
    """Stage 4 on one Doc (see the module docstring)."""
    info = doc_info(doc)
    words = info.words
    ents = names_of(doc)
    doc.user_data.pop(NAMES_KEY, None)
    scores = doc.user_data.get(SCORES_KEY, {})
    ticker_spans = {(sp.start, sp.end) for sp in doc.spans[TICKER_GROUP]} if TICKER_GROUP in doc.spans else set()

    keys: list[object] = []
    cores: dict[object, list[tuple[int, int]]] = defaultdict(list)  # key -> core token ranges
    lexical: dict[object, str] = {}  # key -> lexicon label
    family: dict[object, str] = {}
    pending: list[int] = []
    bare: set[object] = set()
    for i, ent in enumerate(ents):
        fam = FAMILY.get(ent.label_, "other")
        if (ent.start, ent.end) in ticker_spans and not ent.kb_id_:
            keys.append(None)
            pending.append(i)
            continue
        a, b = core_range(words, ent.start, ent.end)
        if ent.kb_id_:
            key: object = ("lex", ent.kb_id_)
            lexical[key] = ent.kb_id_
        else:
            sq = squash(info.span_text(a, b))
            label = resolver.index.get(sq)
            if label is not None and FAMILY.get(resolver.types.get(label, "")) == fam:
                key = ("lex", label)
                lexical[key] = label
            else:
                key = ("gen", fam, sq)
        keys.append(key)
        cores[key].append((a, b))
        if b == ent.end or words[b] in POSSESSIVES:
            bare.add(key)  # seen without a legal form or head word dropped
        family.setdefault(key, FAMILY.get(resolver.types.get(lexical.get(key, ""), ""), fam))

    uf = _Union()
    core_words_of = {k: [w.lower() for w in words[v[0][0] : v[0][1]] if w not in {"-"}] for k, v in cores.items()}
    _merge_surnames(core_words_of, family, lexical, uf)
    _merge_prefixes(core_words_of, family, lexical, uf, resolver.places, bare)
    _merge_acronyms(core_words_of, words, cores, family, uf)
    _merge_maker_products(core_words_of, family, uf)

    # bracketed tickers without a lexicon entry: the organisation right before the bracket
    for i in pending:
        ent = ents[i]
        target = _ticker_owner(ents, i, words)
        if target is not None and keys[target] is not None and family.get(keys[target]) == "org":
            keys[i] = keys[target]
        else:
            keys[i] = ("gen", "org", squash(info.span_text(ent.start, ent.end)))
            family[keys[i]] = "org"
            cores[keys[i]].append((ent.start, ent.end))

    # groups of mentions, labels, types
    groups: dict[object, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[uf.find(key)].append(i)
    group_info = {}
    for root, members in groups.items():
        member_keys = {keys[i] for i in members}
        lex = next((lexical[k] for k in member_keys if k in lexical), None)
        if lex is not None:
            label = lex
            type_ = resolver.types.get(lex) or ents[members[0]].label_
        else:
            label = _canonical(doc, [r for k in member_keys for r in cores.get(k, [])])
            type_ = _vote(ents, members, scores)
            if type_ == "Place" and label.isupper() and len(label) > 4:
                label = label.title()  # a dateline's "SAN FRANCISCO" is San Francisco
        group_info[root] = [label, type_, members, lex is not None]

    # one entity per label: groups that end with the same label are merged
    by_label: dict[str, object] = {}
    for root in list(group_info):
        label, type_, members, lex = group_info[root]
        folded = label.casefold()
        other = by_label.get(folded)
        if other is None:
            by_label[folded] = root
            continue
        o_label, o_type, o_members, o_lex = group_info[other]
        if lex and not o_lex:
            o_label, o_type = label, type_
        elif not lex and not o_lex:
            o_type = _vote(ents, o_members + members, scores)
        group_info[other] = [o_label, o_type, o_members + members, lex or o_lex]
        del group_info[root]

    final: list[Name] = []
    entities: dict[str, Entity] = {}
    for label, type_, members, _ in group_info.values():
        surfaces = []
        for i in members:
            ent = ents[i]
            final.append(Name(ent.start, ent.end, type_, label))
            text = " ".join(info.span_text(ent.start, ent.end).split())
            if text != label and text not in surfaces:
                surfaces.append(text)
        entities[label] = Entity(label=label, type=type_, aliases=frozenset(surfaces))
    final.sort(key=lambda sp: sp.start)
    _set_ents(doc, final)  # `final` stands for doc.ents from here on (same offsets, label and kb_id)
    doc.spans[MAKERS_GROUP] = _makers(doc, final, entities, resolver)
    # "we" first where a name says who speaks, so that the descriptions after it can point to it;
    # then the descriptions and pronouns; then "we" where a description says who speaks
    spoken = _first_person(doc, words, final, [], None, entities)
    named_home: list[str | None] = []

    def home_by_names() -> str | None:  # (needed only when a description finds nothing else)
        if not named_home:
            named_home.append(_home_org(doc, final))
        return named_home[0]

    refs = _references(doc, words, final, spoken, home_by_names)
    home = _home_org(doc, final, refs) or home_by_names()  # pronouns and descriptions say what it is about too
    if home is not None:
        doc.user_data[HOME_KEY] = home
    done = {sp.start for sp in spoken}
    refs += [sp for sp in _first_person(doc, words, final, refs, home, entities) if sp.start not in done]
    refs += _plural_refs(doc, final, refs)
    refs.sort(key=lambda sp: sp.start)
    doc.spans[REFS_GROUP] = refs
    doc._.kg_entities = entities
    for key in _PRIVATE_KEYS:  # stage-to-stage scratch; what stays is serialisable with the Doc
        doc.user_data.pop(key, None)


def _set_ents(doc: Doc, names: list[Name]) -> None:
    """`doc.ents` = `names` (in text order), each with its `kb_id_` and `_.kg_entity`.

    What `doc.ents = [Span(...) for ...]` does, written straight into the token arrays: a Span
    and an `Underscore` per name cost more than the rest of this stage's bookkeeping.
    """
    if any(a.end > b.start for a, b in zip(names, names[1:])):  # (spaCy says which names overlap)
        doc.ents = [Span(doc, n.start, n.end, label=n.label_, kb_id=n.kb_id_) for n in names]
    info = doc_info(doc)
    idx, words = info.idx, info.words
    add = doc.vocab.strings.add
    # the tokens as runs (outside, name, outside, ..., outside), with a row of ENT_IOB, ENT_TYPE, ENT_KB_ID each
    runs, rows, at = [], [], 0
    for name in names:
        s, e = name.start, name.end
        runs += (s - at, e - s)
        rows += (_OUTSIDE_ROW, (_INSIDE, add(name.label_), add(name.kb_id_)))
        set_span_entity(doc, idx[s], idx[e - 1] + len(words[e - 1]), name.kb_id_)
        at = e
    runs.append(len(words) - at)
    rows.append(_OUTSIDE_ROW)
    array = numpy.repeat(numpy.array(rows, dtype=numpy.uint64), runs, axis=0)
    array[[name.start for name in names], 0] = _BEGIN
    kept = doc.to_array(ENT_KB_ID)
    if kept.any():  # tokens outside the names keep their kb_id, as with doc.ents
        outside = array[:, 0] == _OUTSIDE
        array[outside, 2] = kept[outside]
    doc.from_array(_ENT_ATTRS, array)


_ENT_ATTRS = [ENT_IOB, ENT_TYPE, ENT_KB_ID]
_INSIDE, _OUTSIDE, _BEGIN = 1, 2, 3  # ENT_IOB values
_OUTSIDE_ROW = (_OUTSIDE, 0, 0)


# -- grouping rules ------------------------------------------------------------------------------


def _merge_surnames(core_words_of, family, lexical, uf: _Union) -> None:
    people = [k for k, f in family.items() if f == "person" and k in core_words_of]
    full = defaultdict(list)
    for k in people:
        ws = core_words_of[k]
        if len(ws) >= 2:
            full[ws[-1]].append(k)
    for k in people:
        ws = core_words_of[k]
        if len(ws) == 1 and len(set(full.get(ws[0], ()))) == 1:
            uf.union(full[ws[0]][0], k)


@lru_cache(maxsize=None)
def _head_sets() -> tuple[frozenset[str], frozenset[str]]:
    """Head words that keep naming the same company (strip=yes/same), and all head words, lower case."""
    return (frozenset(w.lower() for w, (_, _, strip) in name_heads().items() if strip),
            frozenset(w.lower() for w in name_heads()))


def _merge_prefixes(core_words_of, family, lexical, uf: _Union, places: set[str], bare: set = frozenset()) -> None:
    heads, all_heads = _head_sets()
    orgs = [k for k, f in family.items() if f == "org" and k in core_words_of and core_words_of[k]]
    for short in orgs:
        sw = core_words_of[short]
        longer = [k for k in orgs if k != short and len(core_words_of[k]) > len(sw) and core_words_of[k][: len(sw)] == sw]
        if short in lexical:
            longer = [k for k in longer if k not in lexical and all(w in heads for w in core_words_of[k][len(sw) :])]
            for k in longer:
                uf.union(short, k)
        elif len(longer) > 1 and sw[0] not in stop_words() and short in bare and \
                len(same := [k for k in longer if all(w in heads for w in core_words_of[k][len(sw):])]) == 1:
            uf.union(same[0], short)  # "Volterra" is "Volterra Motors", not "Volterra Digital"
        elif len(longer) == 1 and sw[0] not in stop_words() and short in bare:
            # ("Novo Holdings" is no short form of "Novo Nordisk Foundation": its core only looks like one)
            extra = squash(" ".join(core_words_of[longer[0]][len(sw) :]))
            if extra not in places:  # "Vodafone Spain" is a national unit, not Vodafone
                uf.union(longer[0], short)
        elif not longer and len(sw) == 1 and short not in lexical and short in bare and sw[0] not in stop_words() \
                and sw[0] not in all_heads:
            # the last word of one longer name: "Rovers" for "Harborough Rovers"
            ending = [k for k in orgs if k != short and len(core_words_of[k]) > 1 and core_words_of[k][-1] == sw[0]]
            if len(ending) == 1:
                uf.union(ending[0], short)


def _merge_acronyms(core_words_of, words, cores, family, uf: _Union) -> None:
    orgs = [k for k, f in family.items() if f == "org" and k in cores]
    for short in orgs:
        a, b = cores[short][0]
        if b - a != 1:
            continue
        acronym = words[a]
        if not (acronym.isupper() and 2 <= len(acronym) <= 6 and acronym.isalpha()):
            continue
        matches = []
        for k in orgs:
            if k == short:
                continue
            ka, kb = cores[k][0]
            caps = "".join(w[0] for w in words[ka:kb] if w[:1].isupper())
            if kb - ka >= 2 and caps == acronym:
                matches.append(k)
        if len(matches) == 1:
            uf.union(matches[0], short)


def _merge_maker_products(core_words_of, family, uf: _Union) -> None:
    org_names = {" ".join(ws) for k, ws in core_words_of.items() if family.get(k) == "org"}
    products = [k for k, f in family.items() if f == "prod" and k in core_words_of]
    for long_ in products:
        lw = core_words_of[long_]
        for short in products:
            sw = core_words_of[short]
            if short == long_ or not sw or len(sw) >= len(lw) or lw[-len(sw) :] != sw:
                continue
            maker = " ".join(lw[: len(lw) - len(sw)])
            if maker in org_names:
                uf.union(short, long_)
                break


def _ticker_owner(ents: list[Span], i: int, words: list[str]) -> int | None:
    """The entity named right before the bracket holding ents[i] (a ticker), if any."""
    start = ents[i].start
    j = start - 1
    while j >= 0 and words[j] != "(" and start - j < 8:
        j -= 1
    if j < 0 or words[j] != "(":
        return None
    while j > 0 and words[j - 1].isspace():
        j -= 1
    for k in range(i - 1, -1, -1):
        if ents[k].end == j:
            return k
        if ents[k].end < j:
            break
    return None


def _canonical(doc: Doc, ranges: list[tuple[int, int]]) -> str:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    length: dict[str, int] = {}
    span_text = doc_info(doc).span_text
    for a, b in ranges:
        text = " ".join(span_text(a, b).split())
        counts[text] += 1
        first.setdefault(text, a)
        length[text] = len(squash(text))
    return max(counts, key=lambda t: (length[t], counts[t], -first[t]))


def _vote(ents: list[Span], members: list[int], scores: dict) -> str:
    totals: dict[str, float] = defaultdict(float)
    for i in members:
        ent = ents[i]
        totals[ent.label_] += scores.get((ent.start, ent.end), 1.0)
    return max(totals, key=lambda t: totals[t])


def _makers(doc: Doc, ents: list[Span], entities: dict[str, Entity], resolver: Resolver) -> list[Span]:
    """The maker's name at the start of a product's name (`Microsoft` in `Microsoft Azure`).

    The maker becomes an entity of its own when the article names it nowhere else, so that
    later stages can say who develops the product.
    """
    names: dict[str, str] = {}
    for label, entity in entities.items():
        if FAMILY.get(entity.type) == "org":
            for name in (label, *entity.aliases):
                names.setdefault(squash(name), label)
    out = []
    for ent in ents:
        if FAMILY.get(ent.label_) != "prod" or len(ent) < 2:
            continue
        for k in range(min(3, len(ent) - 1), 0, -1):
            part = doc[ent.start : ent.start + k]
            if not part[-1].text[:1].isupper() and not part[-1].text[:1].isdigit():
                continue
            key = squash(part.text)
            label = names.get(key)
            if label is None:
                lex = resolver.index.get(key)
                if lex is not None and FAMILY.get(resolver.types.get(lex, "")) == "org":
                    label = lex
                    if label not in entities:
                        entities[label] = Entity(label=label, type=resolver.types[lex])
            if label is None or label == ent.kb_id_:
                continue
            type_ = entities[label].type
            if part.text != label and part.text not in entities[label].aliases:
                entities[label] = Entity(label, type_, entities[label].aliases | {part.text})
            span = Span(doc, part.start, part.end, label=type_, kb_id=label)
            set_span_entity(doc, span.start_char, span.end_char, label)
            out.append(span)
            break
    return out


# -- references ----------------------------------------------------------------------------------


def _references(doc: Doc, words: list[str], ents: list[Span], spoken: list[Span] = (),
                home_of: Callable[[], str | None] = lambda: None) -> list[Span]:
    """Resolve pronouns and definite descriptions to entities (see the module docstring).

    `spoken`: `we`/`our` already resolved (they count as mentions); `home_of()`: the organisation
    the article is about, which a generic description (`the company`) with no antecedent means."""
    refs = _reference_candidates(doc, words, ents)
    if not refs or not ents:
        return list(spoken)
    sent_starts = doc_info(doc).sent_starts
    preps = word_set("prepositions.txt")
    introduced, based, nations = _introductions(words, ents)

    def sentence(i: int) -> int:
        return bisect.bisect_right(sent_starts, i) - 1

    lower = doc_info(doc).lower
    n = len(lower)
    ent_start_of = {e.end: e.start for e in ents}

    ent_end_of = {e.start: e.end for e in ents}
    descriptor_nouns = descriptor_generic()
    demonyms = word_set("demonyms.txt")

    def after_preposition(start: int) -> bool:
        """Whether the mention is governed by a preposition (so not a subject): walks back over
        articles, possessors (`with Foo's X`), `X-owned` modifiers and earlier conjuncts
        (`with Foo and X`, `with Foo, X and Y`)."""
        j = start - 1
        in_list = ent_end_of.get(start, start + 1) < n and lower[ent_end_of.get(start, start + 1)] in _CONJUNCTS
        while j >= 0:
            w = lower[j]
            if w in _DETERMINERS or w in _POSSESSIVE_DETERMINERS:
                j -= 1  # ("for its Weekday and Monki brands")
            elif w == "'s" and j in ent_start_of:
                j = ent_start_of[j] - 1
            elif j >= 2 and lower[j - 1] == "-" and w.isalpha() and words[j].islower():
                j = ent_start_of.get(j - 1, j - 2) - 1
            elif w in _CONJUNCTS and j in ent_start_of and (w != "," or in_list):
                j = ent_start_of[j] - 1
                in_list = True
            elif w in descriptor_nouns and words[j].islower():
                # "owned by the private holding company Larkspur": back over the describing phrase
                k = j - 1
                while k >= 0 and k > j - 6 and words[k].isalpha() and (words[k].islower() or lower[k] in demonyms) \
                        and lower[k] not in _DETERMINERS and lower[k] not in preps:
                    k -= 1  # ("owned by Canadian pension fund OMERS")
                j = k
            else:
                break
        return j >= 0 and lower[j] in preps

    boundaries = [i for i in _scan(doc) if lower[i] in _CLAUSE_BOUNDARIES]
    starts_sorted = sorted(e.start for e in ents if not (e.end < n and lower[e.end] == "'s"))  # possessors aside

    def clause_first(start: int) -> bool:
        """Whether no other name comes before this one in its clause (`Huang told CNBC`: CNBC is not)."""
        b = max(bisect.bisect_right(boundaries, start - 1) - 1, -1)
        b = max(boundaries[b] if b >= 0 else -1, sent_starts[sentence(start)] - 1)
        k = bisect.bisect_right(starts_sorted, b)
        return k >= len(starts_sorted) or starts_sorted[k] >= start

    parsed = doc_info(doc).parsed
    bracketed = _in_brackets(words, [i for i in _scan(doc) if lower[i] == "("])
    items = [(e.start, e.end, e.kb_id_, e.label_, None, "", "") for e in ents if e.start not in bracketed]
    items += [(e.start, e.end, e.kb_id_, e.label_, None, "we", "") for e in spoken]
    items += [(s, e, None, None, types, head, (place, nation)) for s, e, types, head, place, nation in refs]
    items.sort(key=lambda it: it[0])
    info = doc_info(doc)
    newlines = sorted({bisect.bisect_right(info.idx, m.start()) - 1 for m in _NEWLINE.finditer(info.text)})

    def paragraph(i: int) -> int:
        return bisect.bisect_right(newlines, i)

    sentence_openers = set(doc_info(doc).initial) or set(sent_starts)
    unit_cache: dict[tuple[int, int], bool] = {}

    def unit_named(start: int, end: int) -> bool:
        """Whether the name at start..end is named as an owner's brand or unit ("its Weekday brand")."""
        key = (start, end)
        if key not in unit_cache:
            unit_cache[key] = start in ents_by_start_span and owned_unit(
                lower, words, start, end, ents_by_start_span, ents_by_end_span)
        return unit_cache[key]

    ents_by_start_span = {e.start: e for e in ents}
    ents_by_end_span = {e.end: e for e in ents}
    # (sentence, start, end, label, type, subject-like, weight, paragraph, first person, reference noun or "it" or "")
    history: list[tuple[int, int, int, str, str, bool, float, int, bool, str]] = []
    out: list[Span] = list(spoken)
    generic = descriptor_generic()
    for start, end, label, type_, types, head, place in items:
        place, nation = place if isinstance(place, tuple) else (place, None)
        si = bisect.bisect_right(sent_starts, start) - 1
        para = bisect.bisect_right(newlines, start)
        governed = after_preposition(start)
        if governed and _clause_subject(lower, start, end):
            governed = False  # "after the utility chose ...": a subordinate clause's subject, no object
        if label is not None:
            # a possessor ("Qualcomm's premium business") is not the subject of its clause either
            if parsed:  # with a trained parser: the parse says who the subject is
                subject = doc[start:end].root.dep_ in ("nsubj", "nsubjpass")
            else:
                subject = not governed and not (end < n and lower[end] == "'s") and clause_first(start)
            history.append((si, start, end, label, type_, subject, 1.0, para, head == "we", ""))
            continue
        found = None
        if head:
            # "X, the Santa Clara-based chipmaker, ..." ... "the chipmaker's": the entity introduced with that noun
            label = introduced.get(head)
            if label is not None and any(h[3] == label for h in history if si - h[0] <= 3 * LOOKBACK_SENTENCES):
                found = next((h[3], h[4]) for h in reversed(history) if h[3] == label)
        if found is None:
            # "the Shenzhen-based group" is no entity known to be based elsewhere
            if place:
                excluded = {lab for lab, where in based.items() if where != place}
                candidates = [h for h in history if h[3] not in excluded]
            else:
                candidates = history
            if nation:
                # "the U.S. drugmaker" is no entity the article called Dutch
                candidates = [h for h in candidates if nations.get(h[3], nation) == nation]
            if head and head not in unit_nouns():
                # "for its Weekday and Monki brands ... buy the start-up": a brand named as one is
                # no start-up, company or group a description speaks of
                candidates = [h for h in candidates if not unit_named(h[1], h[2])]
            # ... and prefers one it did call so ("the Danish firm" ... "the Danish company"), when one fits
            known = [h for h in candidates if nations.get(h[3]) == nation] if nation else []
            for pool in ([known, candidates] if known and len(known) < len(candidates) else [candidates]):
                found = _antecedent(pool, si, start, types, pronoun=not head, in_prep=bool(head) and governed,
                                    words=words, paragraph=para, possessive=end < n and lower[end] == "'s",
                                    modified=bool(head) and end - start > 2, head=head,
                                    opener=start in sentence_openers)
                if found is not None:
                    break
        if found is None and head and generic.get(head) and not place and (home := home_of()) is not None \
                and (home_type := next((e.label_ for e in ents if e.kb_id_ == home), "")) in types \
                and any(h[3] == home for h in history):
            found = (home, home_type)  # "a wholly owned subsidiary of the group", said by its chief executive
        if found is None:
            if head:
                # "the Company said" with no named company around: it is someone the article does
                # not name, and later "its" may well be that one too, so earlier names are closed
                history = [h for h in history if FAMILY.get(h[4]) not in {FAMILY.get(t) for t in types}]
            continue
        label, type_ = found
        span = Span(doc, start, end, label=type_, kb_id=label)
        set_span_entity(doc, span.start_char, span.end_char, label)
        out.append(span)
        history.append((si, start, end, label, type_, not governed and not (end < n and lower[end] == "'s"), 0.5, para,
                        False, head or "it"))
        if head and not generic.get(head, True):
            introduced.setdefault(head, label)
        if place:
            based.setdefault(label, place)
        if nation:
            nations.setdefault(label, nation)

    return out


@lru_cache(maxsize=None)
def _nation_names() -> dict[str, str]:
    """Any nationality word or country name (lower case) -> the demonym it stands for (nations.tsv)."""
    out: dict[str, str] = {}
    for row in table("nations.tsv"):
        demonym = row["demonym"].lower()
        out[demonym] = demonym
        for name in row["names"].split("|"):
            out[name.lower()] = demonym
    return out


def _nation(word: str) -> str:
    """The nation a nationality word or a country's name speaks of ("Dutch", "Netherlands" -> dutch)."""
    low = word.lower()
    return _nation_names().get(low, low)


def _introductions(words: list[str], ents: list[Span]) -> tuple[dict[str, str], dict[str, str]]:
    """What the article says an entity is and where it is based, when it introduces it:
    `Nvidia, the Santa Clara-based chipmaker` / `chipmaker Nvidia` / `Munich-based Siemens`.

    Returns (specific descriptor noun -> entity label, entity label -> place label).
    """
    generic = descriptor_generic()
    nouns = ref_nouns()
    stops = _INTRO_STOP
    nouns_of: dict[str, str] = {}
    based: dict[str, str] = {}
    nations: dict[str, tuple[str, str]] = {}
    n = len(words)
    place_ending = {e.end: e.kb_id_ for e in ents if e.label_ == "Place"}
    place_starting = {e.start for e in ents if e.label_ == "Place"}
    demonyms = word_set("demonyms.txt")
    for ent in ents:
        if FAMILY.get(ent.label_) not in ("org", "prod"):
            continue
        # "Dutch biotech Solvix", "the U.S. drugmaker Brennan": what the article says the entity's nation is
        k = ent.start - 1
        while k >= 0 and ent.start - k <= 3 and words[k].isalpha() and words[k].islower():
            k -= 1
        if k >= 0 and k < ent.start - 1 and words[k].lower() in demonyms:
            nations.setdefault(ent.kb_id_, _nation(words[k]))
        elif k >= 0 and k < ent.start - 1 and (k + 1) in place_ending and place_ending[k + 1].lower() in _nation_names():
            nations.setdefault(ent.kb_id_, _nation(place_ending[k + 1]))
        prev = words[ent.start - 1].lower() if ent.start else ""
        if prev in nouns and not generic.get(prev, True):
            nouns_of[prev] = ent.kb_id_
        if prev in _BASED and ent.start >= 3 and words[ent.start - 2] == "-" and (ent.start - 2) in place_ending:
            based.setdefault(ent.kb_id_, place_ending[ent.start - 2])
        e = ent.end
        if e < n and words[e] == "(":
            close = next((k for k in range(e + 1, min(e + 12, n)) if words[k] == ")"), None)
            if close is not None:
                e = close + 1  # "Foo Corp (NYSE: FOO), the ... chipmaker"
        if e + 1 < n and words[e] == "," and words[e + 1].lower() in ("a", "an", "the"):
            found = None
            nation = None
            for j in range(e + 2, min(e + 12, n)):
                w = words[j].lower()
                if w == "," and (j + 1) in place_starting:
                    continue  # "the Santa Clara, California-based chipmaker"
                if w in stops:
                    break
                if w in _BASED and words[j - 1] == "-" and (j - 1) in place_ending:
                    based.setdefault(ent.kb_id_, place_ending[j - 1])
                elif w in demonyms and words[j][:1].isupper() and found is None:
                    nation = _nation(w)  # "X, the German automaker" (not "X, a company most British farmers know")
                if w in nouns and not (j + 1 < n and words[j + 1] in POSSESSIVES):
                    found = w
            if found and not generic.get(found, True):
                nouns_of[found] = ent.kb_id_
            if found and nation:
                nations.setdefault(ent.kb_id_, nation)
    # "NFU Mutual" ... "the insurer": a name that says what the entity is introduces it with that
    # noun, when the article introduces nothing else with it and only one such name is about
    by_name: dict[str, set[str]] = defaultdict(set)
    name_words = descriptor_name_words()
    for ent in ents:
        noun = name_words.get(words[ent.end - 1]) if FAMILY.get(ent.label_) == "org" else None
        if noun is not None:
            by_name[noun].add(ent.kb_id_)
    for noun, labels in by_name.items():
        if len(labels) == 1 and noun not in nouns_of:
            nouns_of[noun] = next(iter(labels))
    return nouns_of, based, nations


_REF_TRIGGERS = frozenset({"it", "its", "the"})
_NEWLINE = re.compile("\n")
_DETERMINERS = frozenset({"the", "a", "an"})
_CLAUSE_BOUNDARIES = frozenset({",", ";", ":", "—", "–", "--", "and", "but", "while", "which", "who", "that", "whereas",
                                "because", "although", "though", "as", "when", "after", "before", "since", "if", "(",
                                ")", '"', "“", "”"})
_CONJUNCTS = frozenset({"and", "or", ",", "&"})
_POSSESSIVE_DETERMINERS = frozenset({"its", "their"})


_FIRST_PERSON = frozenset({"we", "our", "us", "ours", "ourselves"})
_SCANNED = _REF_TRIGGERS | _CLAUSE_BOUNDARIES | _FIRST_PERSON | {"both"}


def _scan(doc: Doc) -> list[int]:
    """Positions of the few words reference resolution looks at (one pass over the document)."""
    found = doc.user_data.get("kg.ref_scan")
    if found is None:
        scanned = _SCANNED
        found = doc.user_data["kg.ref_scan"] = positions(doc_info(doc).lower, scanned.__contains__)
    return found


_SUBORDINATORS = frozenset({"after", "before", "since", "until", "as", "while", "because", "though", "although", "when",
                            "once", "whereas", "unless", "if", "than"})
_FINITE = frozenset({"is", "was", "are", "were", "has", "had", "have", "will", "would", "can", "could", "may", "might",
                     "said", "says", "did", "does", "should", "must"})


def _clause_subject(lower: list[str], start: int, end: int) -> bool:
    """Whether the mention at start..end follows a word like "after" and precedes a verb, so it is
    the subject of a subordinate clause rather than the object of a preposition."""
    k = start - 1
    while k >= 0 and lower[k] in ("the", "a", "an"):
        k -= 1
    if k < 0 or lower[k] not in _SUBORDINATORS or end >= len(lower):
        return False
    w = lower[end]
    return w in _FINITE or (w.isalpha() and w not in stop_words() and w not in ("'s",))


def _in_brackets(words: list[str], opening: list[int]) -> set[int]:
    """Token positions inside short brackets (`(NASDAQ:MSFT)`): no subjects, no salience."""
    inside: set[int] = set()
    for i in opening:
        if True:
            for j in range(i + 1, min(i + 12, len(words))):
                if words[j] == ")":
                    inside.update(range(i + 1, j))
                    break
    return inside
_BASED = frozenset({"based", "headquartered"})
_INTRO_STOP = frozenset(", . ; : ( ) that which who whose with in at on for from of to by as said says".split())


def _antecedent(history, si: int, start: int, types: tuple[str, ...], *, pronoun: bool, in_prep: bool,
                words: list[str], paragraph: int, possessive: bool = False, modified: bool = False,
                head: str = "", opener: bool = False) -> tuple[str, str] | None:
    if pronoun:
        history = [h for h in history if not h[8]]  # "it" is never the speaker's "we"
    same = [h for h in history if h[0] == si and h[4] in types]
    if not pronoun:
        # an entity this sentence already calls "it" is not described again in it: "It holds a stake
        # in Halvorsen, and the Norwegian company's chief executive ..." is Halvorsen's
        again = {h[3] for h in same if h[9] and h[9] != head} if modified else set()
        if again and any(h[3] not in again for h in same):
            same = [h for h in same if h[3] not in again]
        apposed = [h for h in same if _apposed(words, h[2], start)]
        if apposed:
            if not possessive:
                return apposed[-1][3], apposed[-1][4]  # "X, the Hsinchu-based foundry": X itself
            # "X, the group's largest unit": a description in X's apposition is not X
            same = [h for h in same if h not in apposed]
        if in_prep:
            # "X ... a subsidiary of the world's largest food company": not the clause's subject,
            # nor what the subject stands for ("we bought X, and it is now a unit of the group")
            heads = [h for h in history if h[0] == si and h[5]]
            subjects = {h[3] for h in heads}

            def in_apposition(h) -> bool:  # "X, the venture arm of Y, invested in the company": not Y
                return any(sh[2] < h[1] and sh[2] + 1 < len(words) and words[sh[2]] == ","
                           and words[sh[2] + 1].lower() in ("the", "a", "an", "its") and "," in words[h[2]:start]
                           for sh in heads)

            same = [h for h in same if not h[5] and h[3] not in subjects and not in_apposition(h)]
    if same:
        subjects = [h for h in same if h[5]]
        best = subjects[-1] if subjects else (same[0] if pronoun else same[-1])
        return best[3], best[4]
    # across sentences: the most salient compatible entity of the last few sentences, weighing
    # subjects over other mentions, names over references, near sentences over far ones and this
    # paragraph over earlier ones; ties go to the nearest sentence's first mention
    window = [h for h in history if 0 < si - h[0] <= LOOKBACK_SENTENCES and h[4] in types]
    if not window:
        return None
    if pronoun and opener:
        # "Cellion, which supplies Volterra, will become a unit. Its chief executive ...": a pronoun
        # opening a sentence continues the subject of the sentence before
        last = max(h[0] for h in window)
        subjects = [h for h in window if h[0] == last == si - 1 and h[5] and not h[8]]
        if subjects and len({h[3] for h in subjects}) == 1:
            return subjects[0][3], subjects[0][4]
    score: dict[str, float] = defaultdict(float)
    for h in window:
        weight = (1.5 if h[5] else 1.0) * h[6] * SALIENCE_DECAY ** (si - h[0] - 1)
        score[h[3]] += weight if h[7] == paragraph else weight * OTHER_PARAGRAPH
    nearest = max(h[0] for h in window)
    first_in_nearest = {}
    for h in window:
        if h[0] == nearest:
            first_in_nearest.setdefault(h[3], -h[1])
    best = max(score, key=lambda lab: (round(score[lab], 6), lab in first_in_nearest, first_in_nearest.get(lab, -10**9)))
    type_ = next(h[4] for h in reversed(window) if h[3] == best)
    return best, type_


SALIENCE_DECAY = 0.5
OTHER_PARAGRAPH = 0.5


def _apposed(words: list[str], end: int, start: int) -> bool:
    """Whether only a comma (and perhaps a bracket such as a ticker) lies between a name and a description."""
    gap = [w for w in words[end:start] if not w.isspace()]
    if gap and gap[0] == "(" and ")" in gap:
        gap = gap[gap.index(")") + 1 :]
    return gap == [","]


def _reference_candidates(doc: Doc, words: list[str], ents: list[Span]) -> list[tuple[int, int, tuple[str, ...], str, str]]:
    """(start, end, compatible types, descriptor noun or "", place label in an `X-based` modifier or "")."""
    n = len(words)
    in_ent = bytearray(n)
    ent_type: dict[int, str] = {}
    ent_label: dict[int, str] = {}
    for e in ents:
        for j in range(e.start, e.end):
            in_ent[j] = 1
            ent_type[j] = e.label_
            ent_label[j] = e.kb_id_
    nouns = ref_nouns()
    stops = stop_words()
    openers = word_set("it_openers.txt")
    sent_start_set = set(doc_info(doc).sent_starts)
    pleonastic = word_set("pleonastic.txt")
    demonyms = word_set("demonyms.txt")
    out: list[tuple[int, int, tuple[str, ...], str, str]] = []
    lower = doc_info(doc).lower
    triggers = _REF_TRIGGERS
    for i in [i for i in _scan(doc) if lower[i] in triggers]:
        low = lower[i]
        if low == "its":
            out.append((i, i + 1, PRONOUN_TYPES, "", "", None))
        elif low == "it":
            prev = words[i - 1].lower() if i else ""
            if i and prev not in openers and i not in sent_start_set:
                continue
            j = i + 1
            nxt = words[j].lower() if j < n else ""
            if not nxt.isalpha() and nxt not in ("'s", "’s"):
                continue
            if nxt in _AUX:
                j += 1
                while j < n and words[j].lower() in _AUX_SKIP:
                    j += 1
                if j < n and words[j].lower() in pleonastic:
                    continue
            elif nxt in stops and nxt not in ("also", "still", "now", "then", "already"):
                continue
            out.append((i, i + 1, PRONOUN_TYPES, "", "", None))
        elif low == "the" and not in_ent[i]:
            for j in range(i + 1, min(i + 7, n)):
                wj = words[j]
                lj = wj.lower()
                if j + 2 < n and words[j + 1] == "-" and f"{lj}-{words[j + 2].lower()}" in nouns and not in_ent[j]:
                    # "the start-up", "the spin-off"
                    compound = f"{lj}-{words[j + 2].lower()}"
                    after = words[j + 3] if j + 3 < n else ""
                    if not (after.lower() in ("of", "-") or (after[:1].isupper() and after.isalpha())):
                        out.append((i, j + 3, nouns[compound], compound, "", None))
                    break
                if lj in nouns and not in_ent[j]:
                    after = words[j + 1] if j + 1 < n else ""
                    if after.lower() in ("of", "-") or (after[:1].isupper() and after not in POSSESSIVES and after.isalpha()):
                        break
                    place = ""
                    nation = None
                    for k in range(i + 1, j):
                        if ent_type.get(k) == "Place" and k + 2 < n and words[k + 1] == "-" and words[k + 2].lower() in _BASED:
                            place = ent_label[k]
                        elif ent_type.get(k) == "Place" and ent_label[k].lower() in _nation_names() and not (
                                k + 1 < n and ent_label.get(k + 1) == ent_label[k]):
                            nation = _nation(ent_label[k])  # "the U.S. drugmaker" (a country, not a city)
                        elif words[k].lower() in demonyms:
                            nation = _nation(words[k])  # "the Norwegian company"
                    out.append((i, j + 1, nouns[lj], lj, place, nation))
                    break
                if in_ent[j]:
                    if ent_type.get(j) == "Place":
                        continue
                    break
                if wj == "," and ent_type.get(j + 1) == "Place" and ent_type.get(j - 1) == "Place":
                    continue  # "the Dearborn, Michigan-based company"
                if wj == "-" or wj.isdigit() or (lj.isalpha() and wj.islower() and lj not in stops) or lj in ("same", "world", "'s", "’s"):
                    continue
                if lj in demonyms or (wj[:1].isupper() and j + 1 < n and words[j + 1] == "-") or (
                        wj[:1].isupper() and j + 1 < n and words[j + 1].lower() in demonyms):
                    continue  # "the Danish firm", "the South Korean company", "the Toyota City-based automaker"
                break
    return out


@Language.factory("kg_resolve")
def make_resolver(nlp: Language, name: str) -> Resolver:
    """The stage-4 component; give it the lexicon with `.set_lexicon(lexicon)`."""
    return Resolver(nlp, name)


# -- the organisation an article is about, and who "we" are ------------------------------------


def _home_org(doc: Doc, ents: list[Span], refs: list[Span] = ()) -> str | None:
    """The organisation the article is mostly about: one point per mention, one more for each
    sentence it is the first organisation of (a subject, more often than not), two more for
    the first organisation of the article. None when no organisation scores three."""
    orgs = [(sp.start, sp.kb_id_) for sp in (*ents, *refs) if FAMILY.get(sp.label_) == "org"
            and sp.label_ != "MediaOrganization"]
    if not orgs:
        return None
    if refs:
        orgs.sort()
    counts: Counter[str] = Counter()
    sent_starts = doc_info(doc).sent_starts
    last_sentence = -1
    first = True
    lower = doc_info(doc).lower
    opening = [i for i in _scan(doc) if lower[i] == "("]
    bracketed = _in_brackets(doc_info(doc).words, opening) if opening else ()
    for start, label in orgs:
        if start in bracketed:
            continue  # (an exchange in a ticker bracket says nothing of what the article is about)
        counts[label] += 1
        si = bisect.bisect_right(sent_starts, start) - 1
        if si != last_sentence:
            counts[label] += 1
            last_sentence = si
        if first:
            counts[label] += 2
            first = False
    if not counts:
        return None
    best = max(counts, key=lambda k: counts[k])  # ties: the first one counted
    return best if counts[best] >= 3 else None


_SPEECH = frozenset({"said", "says", "say", "added", "adds", "told", "tells", "explained", "explains", "noted", "notes",
                     "stated", "states", "commented", "according", "wrote", "writes", "argued", "argues",
                     "continued", "recalled", "replied", "answered", "announced", "insisted", "stressed",
                     "emphasised", "emphasized", "acknowledged", "admitted", "declared", "remarked", "observed"})
_OPEN_QUOTES = frozenset({"“", '"', "``"})
_CLOSE_QUOTES = frozenset({"”", '"', "''"})
_TITLE_JOINERS = frozenset({"and", "of", "&", "-", "the", "a", "an", ","})


def _quote_regions(words: list[str], scan: list[int]) -> list[tuple[int, int]]:
    """(open, close) token positions of quotations; straight quotes pair up in order."""
    regions = []
    open_at = None
    for i in scan:
        w = words[i]
        if w == '"':
            if open_at is None:
                open_at = i
            else:
                regions.append((open_at, i))
                open_at = None
        elif w == "“" or w == "``":
            open_at = i
        elif (w == "”" or w == "''") and open_at is not None:
            regions.append((open_at, i))
            open_at = None
    return regions


def _first_person(doc: Doc, words: list[str], ents: list[Span], refs: list[Span], home: str | None,
                  entities: dict[str, Entity]) -> list[Span]:
    """`we`, `our`, `us` point to the organisation of whoever speaks: the speaker a quotation is
    attributed to (`"We ...," said Jane Doe, chief executive of Acme`; `..., the company said`),
    or the speaker of a transcript or interview turn (`Jane Doe -- Chief Executive:`,
    `DOE:`). A person speaks for the organisation the article gives as theirs, else for the
    organisation the article is about. Interviewers, moderators and operators speak for no one."""
    lower = doc_info(doc).lower
    scan = _scan(doc)
    positions = [i for i in scan if lower[i] in _FIRST_PERSON]
    if not positions:
        return []
    mentions = sorted(((sp.start, sp.end, sp.kb_id_, sp.label_) for sp in (*ents, *refs)), key=lambda m: m[0])
    starts = [m[0] for m in mentions]
    sent_starts = doc_info(doc).sent_starts
    employers: dict[str, str | None] = {}

    def org_of(m: tuple[int, int, str, str] | None) -> str | None:
        if m is None:
            return None
        if FAMILY.get(m[3]) == "org":
            return m[2] if m[3] != "MediaOrganization" else None
        if m[3] == "Person":
            if m[2] not in employers:
                employers[m[2]] = _employer(words, lower, mentions, starts, m[2]) or home
            return employers[m[2]]
        return None

    def mention_in(a: int, b: int, last: bool = False) -> tuple[int, int, str, str] | None:
        k = bisect.bisect_left(starts, a)
        found = None
        while k < len(mentions) and mentions[k][0] < b:
            if mentions[k][3] == "Person" or FAMILY.get(mentions[k][3]) == "org":
                if not last:
                    return mentions[k]
                found = mentions[k]
            k += 1
        return found

    speakers: list[tuple[int, int, str | None]] = []  # (start, end, organisation) of quotations and turns
    n = len(words)
    for a, b in _quote_regions(words, scan):
        who = None
        # after the closing quote: '..., said Jane Doe' / '..., the company said' / '..., Acme said'
        si = bisect.bisect_right(sent_starts, b) - 1
        end = min(n, b + 14, sent_starts[si + 1] if si + 1 < len(sent_starts) else n)
        if any(lower[k] in _SPEECH for k in range(b + 1, end)):
            who = mention_in(b + 1, end)
        if who is None:
            # before the opening quote: 'Jane Doe, chief executive of Acme, said: "...'
            sa = sent_starts[bisect.bisect_right(sent_starts, a) - 1]
            lo = max(sa, a - 16)
            if any(lower[k] in _SPEECH or lower[k] == ":" for k in range(lo, a)):
                who = mention_in(lo, a)
        speakers.append((a, b, org_of(who)))
    speakers += _turns(doc, words, lower, mentions, org_of, home)
    if not speakers:
        return []
    speakers.sort()
    out = []
    for i in positions:
        org = None
        for a, b, o in speakers:
            if a < i < b:
                org = o
                if o is not None:
                    break
        if org is None or org not in entities:
            continue
        span = Span(doc, i, i + 1, label=entities[org].type, kb_id=org)
        set_span_entity(doc, span.start_char, span.end_char, org)
        out.append(span)
    return out


def _turns(doc: Doc, words: list[str], lower: list[str], mentions, org_of, home: str | None) -> list[tuple[int, int, str | None]]:
    """Transcript and interview turns: a line opening with a speaker label and a colon
    (`Jane Doe -- Chief Executive:`, `DOE:`, `A:`); each runs to the next label."""
    labels: list[tuple[int, int, str | None]] = []  # (label start, text start, organisation)
    people = [m for m in mentions if m[3] == "Person"]
    surnames = {m[2].split()[-1].lower(): m for m in people if " " in m[2]}
    n = len(words)
    for ls, k, label in _label_lines(doc, words):
        who = next((m for m in mentions if ls <= m[0] < k), None)
        if who is None and len(label) == 1 and label[0].isupper() and label[0].lower() in surnames:
            who = surnames[label[0].lower()]  # "DUARTE:"
        if who is None and len(label) == 1 and label[0] in ("A", "Answer"):
            org = home
        elif who is None:
            org = None  # "Q:", "Operator:", the interviewer
        elif who[3] == "Person":
            # "Rajiv Bhatt -- Analyst, Barclays:": an organisation in the label is the speaker's
            other = next((m for m in mentions if who[1] <= m[0] < k and FAMILY.get(m[3]) == "org"), None)
            org = org_of(other) if other is not None else org_of(who)
        else:
            org = org_of(who)
        labels.append((ls, k + 1, org))
    if len(labels) < 2:
        return []
    out = []
    for j, (ls, ts, org) in enumerate(labels):
        end = labels[j + 1][0] if j + 1 < len(labels) else n
        out.append((ts - 1, end, org))
    return out


def _label_lines(doc: Doc, words: list[str]) -> list[tuple[int, int, list[str]]]:
    """(line start, colon, label words) of every line that opens with a speaker label and a colon
    (kept for the stage: `_turns` runs twice)."""
    found = doc.user_data.get(_LABELS_KEY)
    if found is not None:
        return found
    info = doc_info(doc)
    n = len(words)
    found = []
    if ":" in words:
        for ls in [0] + [k + 1 for k in info.specials if "\n" in words[k] and k + 1 < n]:
            k = ls
            while k < n and k - ls < 14 and words[k] != ":" and "\n" not in words[k] and words[k] not in SENTENCE_STOPS:
                k += 1
            if k >= n or words[k] != ":" or k == ls:
                continue
            label = [w for w in words[ls:k] if not w.isspace()]
            if not label or not (label[0][:1].isupper()) or "(" in label or k + 1 >= n \
                    or not words[k + 1][:1].isspace() and not info.space_after(k):
                continue  # ("Foo plc (LSE: FOO)" is no speaker label)
            found.append((ls, k, label))
    doc.user_data[_LABELS_KEY] = found
    return found


SENTENCE_STOPS = frozenset({".", "!", "?", ";"})
_HEAD_VERBS = frozenset({"founded", "co-founded", "cofounded", "runs", "leads", "heads", "chairs", "manages", "directs",
                         "oversees", "joined"})
_PAST = frozenset({"previously", "formerly", "former", "once", "ex", "until", "earlier", "later"})


def _employer(words: list[str], lower: list[str], mentions, starts: list[int], person: str) -> str | None:
    """The organisation a person works for, from the words around their name:
    `Jane Doe, chief executive of Acme`, `Jane Doe, CTO, Acme`, `Acme's chief executive Jane Doe`,
    `Acme CEO Jane Doe`."""
    titles = title_words()
    n = len(words)
    by_start = {m[0]: m for m in mentions}
    by_end = {m[1]: m for m in mentions}
    for m in mentions:
        if m[2] != person or m[3] != "Person":
            continue
        # after the name: ", [52,] [a|the] title words (of|at|for|,) ORG"
        k = m[1]
        steps = 0
        seen_title = False
        while k < n and steps < 14:
            w = lower[k]
            if k in by_start and k > m[1]:
                o = by_start[k]
                if FAMILY.get(o[3]) == "org" and seen_title and (lower[k - 1] in ("of", "at", "for", ",", "with")
                                                                 or lower[k - 1] in _HEAD_VERBS):
                    return o[2]
                if FAMILY.get(o[3]) == "org" and o[1] + 1 < n and lower[o[1]] == "'s" and lower[o[1] + 1] in titles:
                    return o[2]  # "Jane Doe, 41, the company's founder"
                break
            if w in _PAST:
                break  # "who previously ran research at Roche": not the employer now
            if w in titles or w in _HEAD_VERBS:
                seen_title = True
            elif not (w in _TITLE_JOINERS or w.isdigit() or w.isspace() or (w.isalpha() and words[k].islower())
                      or w in ("at", "for", "with") or (words[k][:1].isupper() and seen_title)):
                break
            k += 1
            steps += 1
        # before the name: "Acme's chief executive Jane Doe", "Acme CEO Jane Doe"
        k = m[0] - 1
        seen_title = False
        while k >= 0 and m[0] - k < 8:
            w = lower[k]
            if k + 1 in by_end and k + 1 < m[0]:
                o = by_end[k + 1]
                if FAMILY.get(o[3]) == "org" and seen_title:
                    return o[2]
                break
            if w in titles:
                seen_title = True
            elif w not in ("'s", ",", "and", "of", "-") and not w.isspace():
                break
            k -= 1
    return None


# -- "the two companies" ---------------------------------------------------------------------------

_PAIR_NOUNS = frozenset({"pair", "duo", "partners"})


@lru_cache(maxsize=None)
def _plural_nouns() -> frozenset[str]:
    """Plural descriptor nouns for organisations ("companies", "firms", "carriers")."""
    return frozenset(row["noun"].lower() for row in table("descriptors.tsv")
                     if row["noun"].endswith("s") and any(FAMILY.get(t) == "org" for t in row["types"].split("|")))


def _plural_refs(doc: Doc, ents: list[Span], refs: list[Span]) -> list[Span]:
    """`the two companies`, `both firms`, `the pair`, `the partners` stand for the two
    organisations named last (in this sentence before them, else in the sentence before): one
    reference span per organisation over the same words."""
    lower = doc_info(doc).lower
    n = len(lower)
    plurals = _plural_nouns()
    found = []
    for i in _scan(doc):
        w = lower[i]
        if w == "the" and i + 2 < n and lower[i + 1] == "two" and lower[i + 2] in plurals:
            found.append((i, i + 3))
        elif w == "both" and i + 1 < n and lower[i + 1] in plurals:
            found.append((i, i + 2))
        elif w == "the" and i + 1 < n and lower[i + 1] in _PAIR_NOUNS and not (i + 2 < n and lower[i + 2] in ("of", "'s")):
            found.append((i, i + 2))
    if not found:
        return []
    sent_starts = doc_info(doc).sent_starts
    orgs = sorted(((sp.start, sp.kb_id_, sp.label_) for sp in (*ents, *refs)
                   if FAMILY.get(sp.label_) == "org" and sp.label_ != "MediaOrganization"), key=lambda m: m[0])
    out = []
    for a, b in found:
        si = bisect.bisect_right(sent_starts, a) - 1
        lo = sent_starts[si - 1] if si > 0 else 0
        if any(m[0] >= sent_starts[si] and m[0] < a for m in orgs):
            lo = sent_starts[si] if sum(1 for m in orgs if sent_starts[si] <= m[0] < a) >= 2 else lo
        pair: list[tuple[str, str]] = []
        for start, label, type_ in reversed([m for m in orgs if lo <= m[0] < a]):
            if all(label != p[0] for p in pair):
                pair.append((label, type_))
            if len(pair) == 2:
                break
        if len(pair) != 2:
            continue
        for label, type_ in reversed(pair):
            span = Span(doc, a, b, label=type_, kb_id=label)
            set_span_entity(doc, span.start_char, span.end_char, label)
            out.append(span)
    return out
