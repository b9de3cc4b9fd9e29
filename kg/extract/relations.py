"""Stage 5, relate: typed entities on a spaCy Doc -> Relation objects with evidence.

Works on what the earlier stages left on the Doc (see `kg.extract`): sentence boundaries,
`doc.ents` (typed, resolved names) and `doc.spans["kg_refs"]` (descriptions and pronouns that
point back to an entity). No parser is needed: every rule is a trigger phrase from
`data/relation_triggers.json` plus the positions and types of the entities around it.

How one rule finds its two arguments, in the order the code does it:

* entities next to each other joined by "and", ", ... and", "&", "/" or a hyphen form a
  *group* ("BMW, Mercedes-Benz and Audi"; "the Acme-Globex alliance"), and a relation
  found for a group holds for each member;
* the *left* argument is the nearest group of a suitable type before the trigger, in the same
  clause (clauses end at ";", dashes, "but", "while" ...), skipping appositives
  ("X, a unit of Y, acquired Z"), relative clauses ("X, which owns Y") and objects of
  prepositions; or the group right before the trigger ("Globex-backed", "Initech unit"); or a
  possessor ("Globex' broader push into");
* the *right* argument is the first suitable group after the trigger, after a required
  preposition when the rule names one ("partnership ... with Y", "supplies batteries to Y");
* types are checked against the predicate's domain and range (vocabulary.md); a product as the
  subject of `usesPlatform` ("Tutorly runs on Google Cloud") stands for the organisation the
  article says makes it, and is dropped when it names none;
* a clause holding a hedge, negation or rumour (`data/hedges.txt`) asserts nothing, unless commas
  set the hedge apart from the relation's own words ("X, which could expand, acquired Y";
  "After months of talks, X bought Y"); conditionals and rumours (`[wide]`) reach across
  commas, and rumours (`[after]`) also after the relation; a question asserts nothing; an ended
  partnership (`data/ended_cues.txt`) becomes `formerPartnerOf` (`[near]` cues such as
  "previously" only right before the relation's words).

Some relations need their own code: job titles in apposition, after an age or a possessive
description ("P, 41, the company's founder"), in a transcript's speaker label ("P -- Analyst,
Barclays:"), in a byline without the publication's name ("By P, Herald Staff Writer"), before
the name ("X, whose chief executive P"), "P, who runs X / X's farm unit" (`data/org_parts.txt`;
not "who ran"), and a leader's title with no
organisation named, which goes to the organisation the article is about (`kg.home`, set by
stage 4); tickers in brackets; the maker's name inside a product's name; "Initech's Cloudbase";
"X chose Y as its supplier / partner / investor" in either voice; "Rival X" and "shares of rival
X" with no one named as whose rival; "their joint venture" of the two names before it; a field
of technology no lexicon holds after "specialises in" (`field_phrase`, `data/not_fields.txt`).

>>> import spacy
>>> from spacy.tokens import Span
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("sentencizer")
>>> doc = nlp("Acme Corp signed a partnership with Globex.")
>>> acme, globex = Span(doc, 0, 2, label="Company"), Span(doc, 6, 7, label="Company")
>>> acme._.kg_entity, globex._.kg_entity = "Acme Corp", "Globex"
>>> doc.ents = [acme, globex]
>>> [(r.subject, r.predicate, r.object, r.evidence.rule) for r in find_relations(doc)]
[('Acme Corp', 'partnersWith', 'Globex', 'rel.partner.with')]
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import ENT_IOB
from spacy.tokens import Doc, Span

from ..model import Entity, Evidence, Relation
from .attrs import span_entity
from .names import distinct, per_word, positions, read_info, sectioned, trigger_spec

DATA_DIR = Path(__file__).resolve().parent / "data"

ORG_TYPES = frozenset({"Organization", "Company", "MediaOrganization"})
PRODUCT_TYPES = frozenset({"Product", "Platform"})
CLASS_OF = {
    "Organization": "ORG", "Company": "ORG", "MediaOrganization": "ORG",
    "Product": "PROD", "Platform": "PROD", "Technology": "TECH", "Place": "PLACE", "Person": "PERSON",
}

# domain -> range of each relation (vocabulary.md); leaf types.
SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "partnersWith": (ORG_TYPES, ORG_TYPES),
    "formerPartnerOf": (ORG_TYPES, ORG_TYPES),
    "competesWith": (ORG_TYPES, ORG_TYPES),
    "usesPlatform": (ORG_TYPES, frozenset({"Platform"})),
    "deploys": (ORG_TYPES, PRODUCT_TYPES),
    "develops": (ORG_TYPES, PRODUCT_TYPES | {"Technology"}),
    "investsIn": (ORG_TYPES, ORG_TYPES),
    "acquires": (ORG_TYPES, ORG_TYPES),
    "subsidiaryOf": (ORG_TYPES, ORG_TYPES),
    "supplies": (ORG_TYPES, ORG_TYPES),
    "headquarteredIn": (ORG_TYPES, frozenset({"Place"})),
    "worksFor": (frozenset({"Person"}), ORG_TYPES),
    "listedOn": (frozenset({"Company"}), ORG_TYPES),
    "focusesOn": (ORG_TYPES, frozenset({"Technology"})),
}
SYMMETRIC = frozenset({"partnersWith", "formerPartnerOf", "competesWith"})

# Grammar words (not entity names): how lists, clauses and appositives are recognised.
_LIST_JOINS = {("and",), ("or",), ("&",), (",", "and"), (",", "or"), ("as", "well", "as"), (",", "as", "well", "as"),
               ("and", "the"), (",", "and", "the"), ("or", "the"),
               ("plus",), ("-",), ("/",), ("and", "also"), (",", "plus"), ("–",), ("and", "with"), ("or", "with"),
               (",", "and", "with"), ("and", "to"), ("or", "to"), ("and", "for"), (",", "and", "to")}
_COMMA_JOINS = {(",",), (",", "the")}
_BARRIERS = frozenset({";", "but", "while", "whereas", "although", "though", "however", "meanwhile", "—", "–",
                       "yet", "whilst", "despite", "unlike", ":", '"', "“", "”", "``", "''"})
_SENT_QUOTES = frozenset({'"', "“", "”", "``", "''"})
_APPOS_START = frozenset({"a", "an", "the", "which", "who", "whose", "that", "its", "their", "one", "part",
                          "backed", "owned", "based", "headquartered", "formerly", "now", "itself", "also",
                          "long", "once", "home", "parent", "maker", "owner", "founded", "led", "run"})
_REPORTING = frozenset({"said", "says", "announced", "added", "confirmed", "told", "stated", "explained", "noted",
                        "wrote", "disclosed", "reported", "informed"})
_RELATIVE = frozenset({"which", "who", "that", "whose"})
_PREPOSITIONS = frozenset({"with", "of", "for", "to", "from", "by", "at", "on", "in", "between", "among", "than",
                           "against", "versus", "vs", "vs.", "into", "over", "under", "about", "like", "toward",
                           "towards", "via", "through", "after", "before", "beyond", "amid", "behind",
                           "according", "including", "alongside", "unlike", "onto", "upon", "within", "without"})
_PARTICIPLE_INTRO = frozenset({"by", "after", "through", "via", "following", "while", "when", "having", "since",
                               "before", "upon", "in", "with", "as", "on", "having", "once", "besides", "beyond",
                               "alongside", "to"})
_FOLLOW_OK = frozenset({".", ",", ";", ":", "(", ")", "and", "or", "in", "for", "to", "from", "with", "by", "at", "on",
                        "as", "after", "before", "last", "this", "earlier", "next", "which", "that", "who", "over",
                        "into", "amid", "under", "—", "–", "-", "'", '"', "“", "”", "’", "early", "late", "since",
                        "until", "through", "following", "is", "was", "will", "has", "had", "are", "were", "would",
                        "could", "said", "says", "announced", "earlier", "outright", "back", "valued", "worth",
                        "this", "?", "!", "per", "plus", "also", "alongside", "year", "years", "while", "but",
                        "because", "so", "whose", "where", "when", "deal", "completed", "closed", "months",
                        "weeks", "days", "together", "directly", "inc", "ltd", "about", "among", "across", "than",
                        "within", "via", "alike", "both", "too", "respectively", "each", "combined", "together"})
_POSSESSIVE_MARKS = frozenset({"'s", "'", "s'"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "their", "his", "her", "our"})
_PRONOUNS = frozenset({"it", "its", "we", "our", "us", "they", "their", "them"})
_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-", "’": "'", "‘": "'", "`": "'"})


# --------------------------------------------------------------------------------------------
# data files


def _lines(name: str) -> list[str]:
    out = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            out.append(line)
    return out


@lru_cache(maxsize=1)
def _departments() -> frozenset[str]:
    """Department words that may follow "of" inside a capitalised title (data/departments.txt)."""
    return frozenset(norm(w) for w in _lines("departments.txt"))


@lru_cache(maxsize=1)
def _org_parts() -> frozenset[str]:
    """Nouns for a part of an organisation that someone runs (data/org_parts.txt)."""
    return frozenset(norm(w) for w in _lines("org_parts.txt"))


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A phrase from a data file as the tuple of normalised tokens spaCy would give."""
    return tuple(norm(t.text) for t in _tokenizer()(phrase) if not t.is_space)


@lru_cache(maxsize=4096)
def norm(text: str) -> str:
    """Lower case, typographic apostrophes and hyphens made plain."""
    return text.lower().translate(_HYPHENS)


_INDEXED: set[str] = {"(", "their"}  # the words `_occurrences` finds: these, barriers, phrase tables' first words
_OCCURRENCES: list[Any] = [None, {}]  # the token list last read, and where each indexed word occurs in it


def _occurrences(norms: list[str]) -> dict[str, list[int]]:
    """Where each `_INDEXED` word occurs in `norms`, kept while the same token list is being read
    (every phrase table looks at every sentence)."""
    if _OCCURRENCES[0] is not norms:
        index: dict[str, list[int]] = {}
        for i in positions(norms, _INDEXED.__contains__):
            found = index.get(norms[i])
            if found is None:
                index[norms[i]] = [i]
            else:
                found.append(i)
        _OCCURRENCES[0], _OCCURRENCES[1] = norms, index
    return _OCCURRENCES[1]


def _index_words(words: Iterable[str]) -> None:
    """Add `words` to those `_occurrences` finds."""
    if not _INDEXED.issuperset(words):
        _INDEXED.update(words)
        _OCCURRENCES[0] = None  # an index made before holds none of the new words


_index_words(_BARRIERS)


def _where(norms: list[str], words: Iterable[str]) -> list[int]:
    """The positions of `words` (all `_INDEXED`) in `norms`, in order."""
    index = _occurrences(norms)
    return sorted(chain.from_iterable(index[w] for w in words if w in index))


def _occurs(norms: list[str], word: str, start: int, end: int) -> bool:
    """Whether `word` (one of `_INDEXED`) is one of norms[start:end]."""
    found = _occurrences(norms).get(word, ())
    k = bisect_left(found, start)
    return k < len(found) and found[k] < end


class PhraseTable:
    """Find listed phrases in a token sequence: the longest phrase at each start position."""

    def __init__(self, entries: Iterable[tuple[str, Any]]) -> None:
        by_phrase: dict[tuple[str, ...], list[Any]] = {}
        for phrase, payload in entries:
            key = phrase_tokens(phrase)
            if key:
                by_phrase.setdefault(key, []).append(payload)
        self._first: dict[str, list[tuple[tuple[str, ...], list[Any]]]] = {}
        for key, payloads in by_phrase.items():
            self._first.setdefault(key[0], []).append((key, payloads))
        for options in self._first.values():
            options.sort(key=lambda item: -len(item[0]))
        self._keys = frozenset(self._first)
        _index_words(self._keys)
        # the options at a position, by its first two words (the one-word phrase, if any, last)
        self._alone = {w: [(key, p) for key, p in options if len(key) == 1] for w, options in self._first.items()}
        self._follow: dict[tuple[str, str], list[tuple[tuple[str, ...], list[Any]]]] = {}
        for w, options in self._first.items():
            for key, payloads in options:
                if len(key) > 1:
                    self._follow.setdefault((w, key[1]), []).append((key, payloads))
        for (w, _), options in self._follow.items():
            options.extend(self._alone[w])
        self._of: list[str] | None = None  # the token list `_starts` was read from
        self._starts: list[int] = []  # where a first word of a listed phrase occurs in it

    def match(self, norms: list[str], start: int, end: int) -> Iterator[tuple[int, int, list[Any]]]:
        """(start, end, payloads) of the longest listed phrase at each position, in text order."""
        if self._of is not norms:
            index = _occurrences(norms)
            keys = self._keys
            present = [w for w in keys if w in index] if len(keys) < len(index) else keys.intersection(index)
            self._starts = sorted(chain.from_iterable(map(index.__getitem__, present)))
            self._of = norms
        starts = self._starts
        k = bisect_left(starts, start)
        if k == len(starts) or starts[k] >= end:  # most sentences hold none
            return _NOTHING
        alone, follow = self._alone, self._follow
        out = []
        last = len(starts)
        while k < last and (i := starts[k]) < end:
            k += 1
            options = follow.get((norms[i], norms[i + 1])) if i + 1 < end else None
            for key, payloads in options if options is not None else alone[norms[i]]:
                n = len(key)
                if i + n <= end and (n == 1 or tuple(norms[i:i + n]) == key):
                    out.append((i, i + n, payloads))
                    break
        return iter(out)


_NOTHING = iter(())


@dataclass(frozen=True)
class Rule:
    """One trigger rule of relation_triggers.json."""

    id: str
    predicate: str
    left: str
    right: str
    subject: str
    confidence: float
    left_types: frozenset[str]
    right_types: frozenset[str]
    prep: frozenset[str] = frozenset()
    prep_gap: int = 3
    after_prep: int = 4
    max_left: int = 8
    max_right: int = 4
    block: frozenset[str] = frozenset()
    require_left: frozenset[str] = frozenset()
    left_words: frozenset[str] | None = None
    not_after: frozenset[str] = frozenset()
    pairwise: bool = False
    between: bool = False
    relative: bool = False
    appositive: bool = False
    by_agent: bool = False
    participle: bool = False
    noun: bool = False
    definite: bool = False
    first_only: bool = False
    clear_gap: bool = False
    object_modifier_check: bool = False
    adjacent_ok: bool = False
    inner: bool = False
    contains: bool = False
    poss_subject: bool = False
    percent_split: bool = False
    require_percent: bool = False
    ended_only: bool = False
    field_object: bool = False
    left_skip_by: bool = False
    minority_split: bool = False
    poss_object: bool = False


def _make_rule(spec: dict[str, Any]) -> Rule:
    predicate = spec["predicate"]
    domain, range_ = SIGNATURES[predicate]
    if "range" in spec:
        range_ = frozenset(spec["range"])
    if "domain" in spec:
        domain = frozenset(spec["domain"])
    left_types, right_types = (domain, range_) if spec["subject"] == "left" else (range_, domain)
    words = lambda key: frozenset(norm(w) for w in spec.get(key, ()))  # noqa: E731
    return Rule(
        id=spec["id"], predicate=predicate, left=spec["left"], right=spec["right"], subject=spec["subject"],
        confidence=float(spec.get("confidence", 0.7)), left_types=left_types, right_types=right_types,
        prep=words("prep"), prep_gap=spec.get("prep_gap", 3), after_prep=spec.get("after_prep", 4),
        max_left=spec.get("max_left", 8), max_right=spec.get("max_right", 4), block=words("block"),
        require_left=words("require_left"),
        left_words=words("left_words") if "left_words" in spec else None, not_after=words("not_after"),
        pairwise=spec.get("pairwise", False), between=spec.get("between", False),
        relative=spec.get("relative", False), appositive=spec.get("appositive", False),
        by_agent=spec.get("by_agent", False), participle=spec.get("participle", False),
        noun=spec.get("noun", False), definite=spec.get("definite", False),
        first_only=spec.get("first_only", False), clear_gap=spec.get("clear_gap", False),
        object_modifier_check=spec.get("object_modifier_check", False),
        adjacent_ok=spec.get("adjacent_ok", False), inner=spec.get("inner", False),
        contains=spec.get("contains", False), poss_subject=spec.get("poss_subject", False),
        percent_split=spec.get("percent_split", False), require_percent=spec.get("require_percent", False),
        ended_only=spec.get("ended_only", False), left_skip_by=spec.get("left_skip_by", False),
        field_object=spec.get("field_object", False),
        minority_split=spec.get("minority_split", False), poss_object=spec.get("poss_object", False),
    )


@dataclass
class Resources:
    """Everything read from the data files, built once per process."""

    rules: PhraseTable
    cues: PhraseTable
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    partner_words: frozenset[str]
    chosen_verbs: PhraseTable
    chosen_to: PhraseTable
    chosen_rule: Rule
    sale_verbs: PhraseTable
    sale_rule: Rule
    ended_nouns: PhraseTable
    ended_dets: frozenset[str]
    ended_id: str
    ended_confidence: float


def _cue_entries() -> list[tuple[str, tuple[str, bool, bool]]]:
    entries: list[tuple[str, tuple[str, bool, bool]]] = []
    hedges: dict[str, tuple[bool, bool]] = {}
    for section, line in sectioned(_lines("hedges.txt"), "before"):
        after, wide = hedges.get(line, (False, False))
        hedges[line] = (after or section == "after", wide or section == "wide")
    entries += [(line, ("hedge", after, wide)) for line, (after, wide) in hedges.items()]
    entries += [(line, ("ended", section == "near", False)) for section, line in sectioned(_lines("ended_cues.txt"), "clause")]
    entries += [(line, ("none", False, False)) for line in _lines("hedge_exceptions.txt")]
    return entries


@lru_cache(maxsize=1)
def resources() -> Resources:
    """Load the data files (cached)."""
    spec = trigger_spec()
    rules = [_make_rule(r) for r in spec["rules"]]
    chosen = spec["chosen_supplier"]
    sale = spec["sale"]
    ended = spec["ended_anaphora"]
    table = PhraseTable((t, rule) for rule, r in zip(rules, spec["rules"]) for t in r["triggers"])
    # When one phrase is both a hedge and an exception, the exception wins (it is listed last
    # in the payload list and checked first below); when lengths differ, the longer phrase wins.
    cues = PhraseTable(_cue_entries())
    partner = frozenset(
        tok for r in spec["rules"] if r["predicate"] == "partnersWith" for t in r["triggers"]
        for tok in phrase_tokens(t)
        if tok.isalpha() and tok not in {"with", "of", "to", "a", "up", "in", "together", "hand", "hands", "forces"}
    )
    return Resources(
        rules=table, cues=cues, titles=frozenset(norm(w) for w in _lines("relation_titles.txt")),
        title_modifiers=frozenset(norm(w) for w in _lines("relation_title_modifiers.txt")), partner_words=partner,
        chosen_verbs=PhraseTable((w, w) for w in chosen["verbs"]), chosen_to=PhraseTable((w, w) for w in chosen["to"]),
        chosen_rule=_make_rule({"id": chosen["id"], "predicate": "supplies", "left": "subject", "right": "none",
                                "subject": "right", "max_left": 6, "confidence": chosen.get("confidence", 0.75)}),
        sale_verbs=PhraseTable((w, w) for w in sale["verbs"]),
        ended_nouns=PhraseTable((w, w) for w in ended["nouns"]),
        ended_dets=frozenset(norm(w) for w in ended["determiners"]), ended_id=ended["id"],
        ended_confidence=ended.get("confidence", 0.6),
        sale_rule=_make_rule({"id": sale["id"], "predicate": "acquires", "left": "none", "right": "object",
                              "subject": "right", "confidence": sale.get("confidence", 0.8), "noun": True}),
    )


# --------------------------------------------------------------------------------------------
# token attributes, read once per Doc (faster than touching Token objects)

_NORMS: dict[str, str] = {}  # token text -> norm(text), across Docs
_FLAGS: list[dict[str, tuple[bool, bool, bool, bool, bool]]] = [{}]  # token text -> lexeme flags, across Docs


class ByWord:
    """`column[i]`: a lexeme flag of token i, looked up through its word when asked (each flag is
    read at a few positions of a document only; a list of it would cost a pass over every token)."""

    __slots__ = ("_words", "_flags", "_k")

    def __init__(self, words: list[str], flags: dict[str, tuple[bool, ...]], k: int) -> None:
        self._words, self._flags, self._k = words, flags, k

    def __getitem__(self, i: int) -> bool:
        return self._flags[self._words[i]][self._k]

    def __len__(self) -> int:
        return len(self._words)



@dataclass
class TokenInfo:
    """Per-token attributes of a Doc, indexed by token."""

    text: list[str]
    norm: list[str]
    space: ByWord
    num: ByWord
    alpha: ByWord
    lower: ByWord
    title: ByWord
    ws: list[int]  # followed by whitespace (1) or not (0)
    idx: list[int]
    doc_text: str = ""  # Doc.text joins every token on each access: read it once

    def end_char(self, i: int) -> int:
        return self.idx[i] + len(self.text[i])


def token_info(doc: Doc) -> TokenInfo:
    """The attributes of every token of `doc` (texts and offsets shared with the earlier stages' DocInfo)."""
    info = read_info(doc)
    words = info.words
    flags = _FLAGS[0]
    missing = distinct(words).difference(flags)
    if missing:
        if len(flags) > 500_000:  # (a new dict: the ByWord columns of earlier Docs keep theirs)
            flags = _FLAGS[0] = {}
            missing = distinct(words)
        vocab = doc.vocab
        for text in missing:
            lex = vocab[text]
            flags[text] = (lex.is_space, lex.like_num, lex.is_alpha, lex.is_lower, lex.is_title)
    space, num, alpha, lower, title = (ByWord(words, flags, k) for k in range(5))
    return TokenInfo(words, per_word(words, _NORMS, norm), space, num, alpha, lower, title, info.spaces, info.idx,
                     info.text)


# --------------------------------------------------------------------------------------------
# the sentence model: mentions, groups, clauses


@dataclass(eq=False, slots=True)
class Mention:
    """An entity occurrence (a name from doc.ents or a reference from kg_refs)."""

    start: int
    end: int
    label: str
    type: str
    cls: str
    ref: bool
    poss: bool = False
    poss_end: int = 0  # token after the possessive mark (= end when not possessive)
    inside: bool = False  # nested in another mention or in brackets


@dataclass(eq=False, slots=True)
class Group:
    """Mentions of one kind joined into a list ("BMW, Mercedes-Benz and Audi")."""

    members: list[Mention]
    cls: str
    comma_joined: list[bool] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.members[0].start

    @property
    def end(self) -> int:
        return self.members[-1].end

    @property
    def poss(self) -> bool:
        return self.members[-1].poss

    @property
    def stop(self) -> int:
        """Token after the group, its possessive mark included."""
        return self.members[-1].poss_end

    @property
    def ref(self) -> bool:
        return any(m.ref for m in self.members)


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str  # hedge | ended | none
    after: bool  # also counts after the relation
    start: int
    end: int
    wide: bool = False  # a hedge whose reach crosses commas ("If approved, ..."; "Reportedly, ...")


class Sentence:
    """One sentence with its mentions, groups, clause boundaries and cues.

    `groups`, `barriers` and `cues` are worked out on first use (see `__getattr__`): many
    sentences never need them.
    """

    __slots__ = ("doc", "t", "start", "end", "norms", "skip", "res", "all_mentions", "mentions", "poss_starts",
                 "_barrier_at", "groups", "barriers", "cues")

    def __init__(self, doc: Doc, start: int, end: int, t: TokenInfo, skip: list[bool],
                 mentions: list[Mention], res: Resources, barrier_at: list[int] = ()) -> None:
        self.doc = doc
        self.t = t
        self.start = start
        self.end = end
        self.norms = t.norm
        self.skip = skip
        self.res = res
        self.all_mentions = mentions
        if mentions:
            self._skip_place_commas()
            self._mark_inside()
            self.mentions = [m for m in mentions if not m.inside]
            self.poss_starts = {m.start for m in self.mentions if m.poss}
        else:
            self.mentions, self.poss_starts = [], set()
        self._barrier_at = barrier_at  # where the document has a barrier word

    def __getattr__(self, name: str) -> Any:
        # (called only while the attribute is missing: the value is kept as a plain attribute)
        if name == "groups":
            value = self._groups()
        elif name == "barriers":
            value = self._barriers()
        elif name == "cues":
            value = self._cues()
        else:
            raise AttributeError(name)
        setattr(self, name, value)
        return value

    # -- construction

    @property
    def start_char(self) -> int:
        return self.t.idx[self.start]

    @property
    def end_char(self) -> int:
        return self.t.end_char(self.end - 1) if self.end > self.start else self.start_char

    @property
    def text(self) -> str:
        return self.t.doc_text[self.start_char:self.end_char]

    def _is_hyphen_between(self, i: int) -> bool:
        return i > 0 and not self.t.ws[i - 1] and not self.t.ws[i]

    def _skip_place_commas(self) -> None:
        """'Santa Clara, California': the comma inside a place name is not a clause comma."""
        ends = {m.end: m for m in self.all_mentions if m.cls == "PLACE"}
        starts = {m.start for m in self.all_mentions if m.cls == "PLACE"}
        for end in ends:
            if end < self.end and self.norms[end] == ",":
                nxt = end + 1
                while nxt < self.end and self.t.space[nxt]:
                    nxt += 1
                if nxt in starts:
                    self.skip[end] = True

    def _mark_inside(self) -> None:
        ms = sorted(self.all_mentions, key=lambda m: (m.start, -m.end))
        outer_end = -1
        last = None
        for m in ms:
            if last is not None and m.ref and last.ref and (m.start, m.end) == (last.start, last.end) and not last.inside:
                continue  # "the two companies": one description standing for several entities
            if m.end <= outer_end or self.skip[m.start]:
                m.inside = True
            else:
                outer_end = m.end
            last = m

    def _barriers(self) -> list[int]:
        at, norms, skip = self._barrier_at, self.norms, self.skip
        return [i for i in at[bisect_left(at, self.start):bisect_left(at, self.end)] if not skip[i]
                and not (norms[i] in ("–", "—", ":") and self._is_hyphen_between(i))]

    def _between(self, a: int, b: int) -> list[int]:
        """Token indices in [a, b) that count (not spaces, not bracketed text)."""
        skip = self.skip
        return [i for i in range(a, b) if not skip[i]]

    def _groups(self) -> list[Group]:
        groups: list[Group] = []
        norms = self.norms
        for m in sorted(self.mentions, key=lambda m: m.start):
            if groups:
                g = groups[-1]
                last = g.members[-1]
                if g.cls == m.cls and m.ref and last.ref and (m.start, m.end) == (last.start, last.end):
                    g.members.append(m)  # "the two companies"
                    g.comma_joined.append(False)
                    continue
                if g.cls == m.cls and not last.poss and last.end <= m.start and not (
                        m.ref and norms[m.start] in _PRONOUNS) and not (last.ref and norms[last.start] in _PRONOUNS) \
                        and not (m.ref and m.poss):
                    # (a pronoun is never an item of a list of names: "X, and we moved ..."; nor a described
                    # possessor: "a stake in X, and the Norwegian company's chief executive ...")
                    gap = tuple(norms[i] for i in self._between(last.end, m.start))
                    if gap in _LIST_JOINS or gap in _COMMA_JOINS:
                        if gap == ("-",) and (self.t.ws[last.end] or self.t.ws[last.end - 1]):
                            pass
                        else:
                            g.members.append(m)
                            g.comma_joined.append(gap in _COMMA_JOINS)
                            continue
            groups.append(Group([m], m.cls))
        # a comma list needs a closing "and"/"or" ("A, B and C"); "According to X, Y and Z" is not one
        out: list[Group] = []
        for g in groups:
            if not any(g.comma_joined):
                out.append(g)
                continue
            parts: list[list[Mention]] = [[g.members[0]]]
            for idx, m in enumerate(g.members[1:]):
                comma = g.comma_joined[idx]
                closing = not all(g.comma_joined[idx:])  # a non-comma joiner follows somewhere
                first = parts[-1][0]
                intro = first.start >= 2 and norms[first.start - 2:first.start] == ["according", "to"]
                media_break = (m.type == "MediaOrganization") != (parts[-1][-1].type == "MediaOrganization")
                if comma and (not closing or intro or media_break):
                    parts.append([m])
                else:
                    parts[-1].append(m)
            out.extend(Group(p, g.cls) for p in parts)
        return out

    def _cues(self) -> list[Cue]:
        cues = []
        for i, j, payloads in self.res.cues.match(self.norms, self.start, self.end):
            kind, after, wide = payloads[-1]
            if kind == "hedge" and self.norms[i] == "may" and self.t.text[i] == "May" and i > self.start:
                continue  # the month
            if kind == "none":
                cues.append(Cue("none", False, i, j))
                continue
            cues.append(Cue(kind, after, i, j, wide))
        # reported speech: "X said on Thursday it would supply ..." is not a hypothesis
        for c in list(cues):
            if c.kind == "hedge" and self.norms[c.start] == "would" and c.end - c.start == 1 and any(
                self.norms[i] in _REPORTING for i in range(max(self.start, c.start - 14), c.start)
            ) and not any(self.norms[i] in ("if", "unless", "whether") for i in range(max(self.start, c.start - 14), c.start)):
                cues.append(Cue("none", False, c.start, c.end))
        # an exception covering a cue cancels it
        exceptions = [(c.start, c.end) for c in cues if c.kind == "none"]
        if exceptions:
            cues = [c for c in cues if c.kind != "none"
                    and not any(a <= c.start and c.end <= b for a, b in exceptions)]
        return cues

    # -- helpers

    def clause(self, i: int) -> tuple[int, int]:
        """The clause [start, end) holding token i."""
        start, end = self.start, self.end
        for b in self.barriers:
            if b < i:
                start = b + 1
            elif b > i:
                end = b
                break
        return start, end

    def gap(self, a: int, b: int) -> list[str]:
        return [self.norms[i] for i in self._between(a, b)]

    def groups_before(self, pos: int) -> Iterator[Group]:
        for g in reversed(self.groups):
            if g.stop <= pos:
                yield g

    def groups_after(self, pos: int) -> Iterator[Group]:
        for g in self.groups:
            if g.start >= pos:
                yield g

    def group_ending_at(self, pos: int) -> Group | None:
        for g in self.groups:
            if g.stop <= pos and not self._between(g.stop, pos):
                return g
            if g.start >= pos:
                break
        return None

    def prev_word_index(self, i: int) -> int:
        k = i - 1
        while k >= self.start and self.skip[k]:
            k -= 1
        return k

    def prev_word(self, i: int) -> str:
        k = i - 1
        while k >= self.start and self.skip[k]:
            k -= 1
        return self.norms[k] if k >= self.start else ""

    def is_prep(self, i: int) -> bool:
        """A preposition standing alone (not the "in" of "in-car")."""
        if self.norms[i] not in _PREPOSITIONS:
            return False
        return not (i + 1 < len(self.norms) and self.norms[i + 1] == "-" and not self.t.ws[i])

    def next_index(self, i: int) -> int:
        k = i
        while k < self.end and self.skip[k]:
            k += 1
        return k


# --------------------------------------------------------------------------------------------
# building sentences from the Doc


def _mention_from(span: Span, ref: bool, norms: list[str], doc: Doc) -> Mention | None:
    # (the entity label is also the span's kb_id; two references over the same words, "the two
    # companies", share their extension values, not their kb_id)
    label = span.kb_id_ if ref and span.kb_id_ else span_entity(doc, span.start_char, span.end_char)
    type_ = span.label_
    cls = CLASS_OF.get(type_)
    if not label or cls is None:
        return None
    m = Mention(span.start, span.end, label, type_, cls, ref)
    end = span.end
    last = norms[end - 1]
    if not ref and norm(label).endswith(("'s", "s'")) and last in _POSSESSIVE_MARKS:
        last = ""  # the mark is part of the name ("Lowe's", "McDonald's")
    if last in _POSSESSIVE_PRONOUNS or last in _POSSESSIVE_MARKS:
        m.poss = True
        m.poss_end = end
    elif end < len(doc) and norms[end] in _POSSESSIVE_MARKS:
        m.poss = True
        m.poss_end = end + 1
    elif last.endswith("'s") and len(last) > 2:
        m.poss = True
        m.poss_end = end
    else:
        m.poss_end = end
    return m


def _bracket_mask(t: TokenInfo, specials: list[int]) -> list[bool]:
    """True for space tokens and for tokens inside short brackets "( ... )"; `specials` holds every space token."""
    skip = [False] * len(t.text)
    space = t.space
    for i in specials:
        if space[i]:
            skip[i] = True
    norms = t.norm
    n = len(norms)
    resume = 0
    for i in _occurrences(norms).get("(", ()):
        if i < resume:
            continue
        for j in range(i + 1, min(n, i + 16)):
            if norms[j] == ")":
                for k in range(i, j + 1):
                    skip[k] = True
                resume = j + 1
                break
            if norms[j] == "(" or norms[j] == ".":
                break
    return skip


@dataclass
class DocView:
    """The per-Doc analysis shared by relations and events."""

    doc: Doc
    t: TokenInfo
    skip: list[bool]
    sentences: list[Sentence]
    res: Resources


@dataclass(eq=False)
class _Entry:
    doc: Doc
    fingerprint: tuple[int, int, int]
    view: DocView
    candidates: list[tuple[Sentence, Candidate]] | None = None


# The analysis of the last Docs seen, so that events (stage 6) reuse what relations (stage 5)
# computed. Kept here rather than in doc.user_data so that Docs stay serialisable; the strong
# reference to the Doc keeps its id from being reused while it is cached.
_CACHE: list[_Entry] = []


def _fingerprint(doc: Doc) -> tuple[int, int, int]:
    refs = doc.spans["kg_refs"] if "kg_refs" in doc.spans else ()
    # the number of entities, counted on the IOB array (doc.ents builds a Span per entity)
    ents = int(numpy.count_nonzero(doc.to_array(ENT_IOB) == 3)) if len(doc) else 0
    return (len(doc), ents, len(refs))


def _entry(doc: Doc) -> _Entry:
    """The cached analysis of `doc`, made on first use."""
    fingerprint = _fingerprint(doc)
    for entry in _CACHE:
        if entry.doc is doc and entry.fingerprint == fingerprint:
            return entry
    entry = _Entry(doc, fingerprint, _analyse(doc))
    _CACHE.insert(0, entry)
    del _CACHE[2:]
    return entry


def sentence_starts(doc: Doc) -> list[int]:
    """Token indices where sentences start (as the earlier stages read them; doc.sents is slow)."""
    return list(read_info(doc).sent_starts) if len(doc) else []


def analyse(doc: Doc) -> DocView:
    """Split the Doc into Sentence objects (cached)."""
    return _entry(doc).view


def _analyse(doc: Doc) -> DocView:
    res = resources()
    t = token_info(doc)
    norms = t.norm
    skip = _bracket_mask(t, read_info(doc).specials)
    starts = sentence_starts(doc)
    bounds = list(zip(starts, [*starts[1:], len(doc)]))
    per_sent: list[list[Mention]] = [[] for _ in bounds]
    refs = doc.spans["kg_refs"] if "kg_refs" in doc.spans else []
    for span, ref in [*((e, False) for e in doc.ents), *((r, True) for r in refs)]:
        m = _mention_from(span, ref, norms, doc)
        if m is not None:
            per_sent[bisect_right(starts, span.start) - 1].append(m)
    barrier_at = _where(norms, _BARRIERS)
    sentences = [Sentence(doc, a, b, t, skip, ms, res, barrier_at) for (a, b), ms in zip(bounds, per_sent)]
    return DocView(doc, t, skip, sentences, res)


# --------------------------------------------------------------------------------------------
# finding arguments


@dataclass(slots=True)
class Arg:
    """An argument found for a rule: the group (or some of its members) and how it was found."""

    members: list[Mention]
    start: int
    end: int
    gap: int = 0


def _arg(g: Group, gap: int = 0, members: list[Mention] | None = None) -> Arg:
    return Arg(members if members is not None else list(g.members), g.start, g.stop, gap)


def _strip_appositives(s: Sentence, idx: list[int]) -> list[int]:
    """Remove ", a/the/which ... ," segments from a list of gap token indices.

    The segment runs to the last comma of the gap, so an appositive may hold commas of its own
    ("X, the Santa Clara, California-based chipmaker, will ...").
    """
    norms = s.norms
    for k, i in enumerate(idx):
        if norms[i] == "," and k + 1 < len(idx) and (norms[idx[k + 1]] in _APPOS_START or idx[k + 1] in s.poss_starts):
            close = max((m for m in range(k + 1, len(idx)) if norms[idx[m]] == ","), default=None)
            if close is not None:
                return idx[:k] + idx[close + 1:]
            return idx
    return idx


def _appositive_head(s: Sentence, g: Group, lo: int) -> Group | None:
    """For a group inside ", a ... X ... ," return the group the appositive describes."""
    norms = s.norms
    k = g.start - 1
    steps = 0
    while k >= lo and steps < 12:
        if not s.skip[k] and norms[k] == ",":
            nxt = s.next_index(k + 1)
            if nxt < s.end and (norms[nxt] in _APPOS_START or nxt in s.poss_starts):
                return s.group_ending_at(k)
            return None
        if not s.skip[k] and norms[k] in _BARRIERS:
            return None
        k -= 1
        steps += 1
    return None


_RELATIVE_SUBJECT = frozenset({"which", "who", "whose"})


def find_left_subject(s: Sentence, rule: Rule, ts: int, types: frozenset[str], as_subject: bool) -> Arg | None:
    """The nearest suitable group before the trigger in its clause."""
    cs, _ = s.clause(ts)
    norms = s.norms
    skipped: set[int] = set()
    for g in s.groups_before(ts):
        if g.start < cs:
            return None
        raw = s._between(g.stop, ts)
        if skipped:
            raw = [i for i in raw if i not in skipped]
        if len(raw) > 30:
            return None
        members = [m for m in g.members if m.type in types]
        if g.ref and not g.poss and s.prev_word(g.start) == "," and "," in [norms[i] for i in raw] \
                and s.group_ending_at(s.prev_word_index(g.start)) is not None:
            continue  # "X, the Bochum-based landlord best known for ..., now owns": X, not its description
        funded = rule.left_skip_by and s.prev_word(g.start) == "in" and \
            s.prev_word(s.prev_word_index(g.start)) in _ROUND_WORDS  # "a round in X, with participation from Y"
        if rule.left_skip_by and not funded and s.prev_word(g.start) in ("by", "from"):
            # "raised $85m in a round led by X, with participation from Y": X is no subject of the
            # second trigger, and the words "led by X," are no gap
            k = g.start - 1
            while k > s.start and (s.skip[k] or norms[k] not in ("by", "from")):
                k -= 1
            skipped.update(range(k - 1 if k > s.start and norms[k - 1] in ("led", "co-led") else k, g.stop + 1))
            continue
        if g.poss:
            # a possessor owns a noun trigger ("its collaboration with"), or the noun that is the
            # subject of a verb trigger ("the company's software runs on")
            # "X's stock, which is listed on": the relative clause is about the possessed noun
            x = next((n for n, i in enumerate(raw) if norms[i] == ","), None)
            if x is not None and x + 1 < len(raw) and norms[raw[x + 1]] in ("which", "that") \
                    and all(norms[i] in _AUX for i in raw[x + 2:]):
                raw = raw[:x]
            if (rule.noun or (rule.poss_subject and raw)) and members and len(raw) <= 4 and not any(
                norms[i] in (",", "and", "or", ";") or s.is_prep(i) for i in raw
            ):
                gap = [norms[i] for i in raw]
                if rule.block and any(w in rule.block for w in gap):
                    return None
                if rule.require_left and not any(w in rule.require_left for w in gap):
                    return None
                return _arg(g, len(raw), members)
            continue
        if not members:
            continue
        gap = [norms[i] for i in _strip_appositives(s, raw)]
        for x in (1, 2):
            # "Kestrel's FleetOS software, which is built on ...": the name with its head noun
            if len(gap) > x + 1 and gap[x] == "," and gap[x + 1] in _RELATIVE_SUBJECT and all(
                    w.isalpha() and w not in _PREPOSITIONS and w not in _AUX for w in gap[:x]):
                gap = gap[x:]
                break
        relative = len(gap) > 1 and gap[0] == "," and gap[1] in _RELATIVE_SUBJECT
        described = len(gap) > 1 and gap[0] == "," and gap[1] in ("a", "an") and "," not in gap[1:]
        if not relative and not described and not funded:
            # ("a stake in X, a company that specialises in Y": the appositive speaks of X, whatever governs X)
            b = s.prev_word_index(g.start)
            while b > cs and norms[b] in ("the", "a", "an"):
                b = s.prev_word_index(b)  # ("part of the Iberdrola group": governed by "of")
            before = norms[b] if b >= s.start else ""
            if before == "by" and gap[:1] == ["and"]:
                continue  # "X is owned by Y and listed on Z": Y is no subject of the second verb
            subordinate = before in _SUBORDINATE and all(w in _AUX or w.endswith("ly") for w in gap)
            if before in _PREPOSITIONS and before != "by" and not subordinate:
                # ("after the utility chose Y": the subject of a clause "after" opens, not an object)
                # the object of a preposition is not the subject ("partnership with Y focuses on"),
                # except a fronted topic: "For Nvidia, whose shares ..." / "For Tencent, ..."
                k = g.start - 1
                while k > cs and s.skip[k]:
                    k -= 1
                topic = before == "for" and k == cs and bool(gap) and gap[0] == ","
                if not topic:
                    continue
                gap = []  # the fronted topic is what the clause is about
        if rule.left_skip_by and gap[:2] in ([",", "with"], [",", "and"]):
            gap = gap[2:]  # "raised $85m in a round led by X, with participation from Y"
        elif gap[:1] == [","] and "," not in gap[1:] and s.prev_word(g.start) == "," and not relative:
            c = s.prev_word_index(g.start)
            if c > s.start and s.t.alpha[c - 1] and s.t.lower[c - 1] and s.norms[c - 1] not in _PREPOSITIONS:
                gap = gap[1:]  # "its software unit, Volterra Digital, would move ...": the name is the subject
        if gap and gap[0] == "," and not relative:
            head = _appositive_head(s, g, cs)
            if head is not None and head.cls == g.cls and not head.poss:
                # "X, a unit of Y, acquired Z": Y sits in an appositive describing X
                g = head
                members = [m for m in g.members[-1:] if m.type in types]
                if not members:
                    return None
                gap = [norms[i] for i in _strip_appositives(s, s._between(head.stop, ts))]
                relative = len(gap) > 1 and gap[0] == "," and gap[1] in _RELATIVE_SUBJECT
            elif len(gap) == 1 or (gap[1] in _APPOS_START and "," not in gap[1:]):
                # the trigger opens an appositive describing X ("X, majority-owned by Y";
                # "X, the wind turbine unit of Y"; "X, a company that specializes in")
                gap = gap[2:] if len(gap) > 1 and gap[1] in ("a", "an", "the") else gap[1:]
                while gap and gap[-1] in _RELATIVE:
                    gap.pop()
                members = members[-1:] if members[-1] is g.members[-1] else []
                if not members:
                    return None
            else:
                return None
        if "," in gap:
            # only "X, which <trigger>" may cross a comma
            if not relative or "," in gap[1:]:
                return None
            gap = gap[2:]
        elif gap and gap[0] in _RELATIVE and gap[0] != "that":
            gap = gap[1:]
        if len(gap) > rule.max_left and sum(1 for w in gap if w not in _FREE_WORDS and not w[:1].isdigit()) > rule.max_left:
            # (figures do not count: "RWE climbed 3.3% after signing a 15-year agreement to supply")
            return None
        if rule.block and any(w in rule.block for w in gap):
            return None
        if rule.require_left and not funded and not any(w in rule.require_left for w in gap):
            return None
        if rule.left_words is not None and any(w not in rule.left_words for w in gap):
            return None
        if rule.definite and any(w in _DETERMINERS for w in gap[-4:]):
            # "X said the partnership with Y": "the partnership" is not X's statement
            if gap and gap[-1] in _DETERMINERS or (len(gap) > 1 and gap[-2] in _DETERMINERS):
                return None
        return _arg(g, len(gap), members)
    return None


def find_left_adjacent(s: Sentence, ts: int, types: frozenset[str], possessor: bool, max_gap: int = 3,
                       adjacent_ok: bool = True) -> Arg | None:
    """A group ending right before the trigger ("Globex-backed"), or a possessor a few words before."""
    norms = s.norms
    # nested mentions first (a place inside "the Wolfsburg-based group")
    for m in s.all_mentions:
        if m.inside and m.end == ts and m.type in types and not s.skip[m.start]:
            return Arg([m], m.start, m.end, 0)
    for g in s.groups_before(ts):
        raw = s._between(g.stop, ts)
        members = [m for m in g.members if m.type in types]
        if not raw:
            if members and (g.poss or adjacent_ok or not possessor):
                return _arg(g, 0, members[-1:] if not g.poss else members)
            return None
        if possessor and g.poss and len(raw) <= max_gap and members:
            if all(norms[i].isalpha() or norms[i] == "-" for i in raw) and not any(
                s.is_prep(i) or norms[i] in ("and", "or") for i in raw
            ):
                return _arg(g, len(raw), members)
        return None
    return None


def find_right(s: Sentence, rule: Rule, te: int, types: frozenset[str], max_gap: int,
               prep: frozenset[str] = frozenset()) -> Arg | None:
    """The first suitable group after the trigger (after a required preposition)."""
    _, ce = s.clause(te - 1)
    norms = s.norms
    pos = te
    if prep:
        k = te
        seen = 0
        found = None
        while k < ce and seen <= rule.prep_gap:
            if s.skip[k]:
                k += 1
                continue
            w = norms[k]
            if w in prep:
                found = k
                break
            if w in (",", ".", ";") or w in rule.block or w in _BARRIERS:
                return None
            if not (w in _DATE_WORDS or (s.t.num[k] and len(w) <= 4)):
                seen += 1  # "signed an agreement on Jan. 14 with Y": a date is no gap
            k += 1
        if found is None:
            return None
        if rule.clear_gap:
            for g in s.groups:
                if te <= g.start < found and g.cls == "ORG" and not g.poss:
                    return None
        pos = found + 1
        max_gap = rule.after_prep
    modifiers = 0  # tokens of possessive groups passed over ("Boston Dynamics' Stretch")
    for g in s.groups_after(pos):
        if g.start >= ce:
            return None
        gap = s.gap(pos, g.start)
        counted = len(gap)
        for x in range(len(gap) - 1, -1, -1):
            if gap[x] in _LIST_INTROS:
                # "rivals, including X": only the words after the list opener count
                if not any(w in _BARRIERS or w in _RELATIVE or w in (".", ";") for w in gap[:x]):
                    counted = len(gap) - x - 1 + min(x, 2)
                break
        if counted - modifiers > max_gap:
            return None
        if "," in gap:
            # "its rival, X" sets X off after the noun; "our rivals, and we ..." opens a new clause
            lead = gap[0] == "," and rule.noun and "," not in gap[1:] and gap[1:2] not in (["and"], ["or"], ["nor"])
            if not lead and not any(w in ("such", "including", "like", "namely") for w in gap):
                return None
        if any(w in rule.block for w in gap):
            return None
        if any(w in _BARRIERS or w in _RELATIVE for w in gap):
            return None
        if prep and "and" in gap:
            return None
        if g.poss or (g.end < s.end and norms[g.end] == "-" and not s.t.ws[g.end - 1]):
            # a modifier of what follows: "Boston Dynamics' Stretch", "SoftBank-owned Arm"
            modifiers += len(s._between(g.start, g.stop))
            continue
        members = [m for m in g.members if m.type in types]
        if not members:
            continue
        if rule.object_modifier_check and g.cls == "ORG":
            nxt = s.next_index(g.end)
            if nxt < s.end:
                w = norms[nxt]
                if w not in _FOLLOW_OK and s.t.alpha[nxt] and s.t.lower[nxt]:
                    return None
        if rule.first_only and len(members) > 1:
            joins = g.comma_joined
            if joins and joins[0]:
                members = members[:1]
        end = g.end
        after = s.next_index(g.end)
        if len(members) > 1 and after < s.end and (norms[after] in ("the", "a") or s.t.num[after]) and \
                s.gap(g.members[-2].end, g.members[-1].start)[-1:] == ["and"]:
            # "holds 51% of the venture and Panasonic the remaining 49%": a new clause, its verb left out
            members = [m for m in members if m is not g.members[-1]]
            end = g.members[-2].end
        if len(members) > 1 and _in_apposition(s, te - 1) and \
                s.gap(g.members[0].end, g.members[1].start) in ([",", "and"], [",", "or"]):
            # "X, the venture arm of Y, and Z": the appositive closes after Y
            members = [m for m in members[:1] if m.type in types]
            end = g.members[0].end
        elif len(g.members) == 1:
            # "backed by X, the venture arm of Y, and Z": Z is the second backer, Y only describes X
            more = _after_apposition(s, g, types)
            if more is not None:
                members = members + more.members
        return Arg(members, g.start, end, max(0, counted - modifiers))
    return None


_DATE_WORDS = frozenset("""on in last this next early late mid earlier later week month year today yesterday monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july august september october
    november december jan jan. feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept. oct oct. nov nov.
    dec dec. - 's""".split())
_PRODUCT_SUBJECT_OPENERS = frozenset({"", ",", ";", ":", "the", "its", "their", "our", "his", "her", "'s", "and", "but",
                                      '"', "“", "(", "-", "—", "–"})
_ROUND_WORDS = frozenset({"round", "rounds", "funding", "financing", "raise", "investment"})
_FREE_WORDS = frozenset({"%", "-", "$", "€", "£", "percent", "per", "cent", "million", "billion", "bn", "m", "a", "an",
                         "the"})
_SUBORDINATE = frozenset({"after", "before", "since", "until", "as", "while", "once", "when", "because"})
_INTENT_WORDS = frozenset({"tried", "tries", "trying", "attempted", "attempts", "want", "wants", "wanted", "hopes",
                           "hope", "hoping", "seeking", "seeks", "sought", "would"})
_APPOSITION_TRIGGERS = frozenset({"rival", "rivals", "competitor", "competitors", "partner", "partners", "unit", "subsidiary",
                                  "division", "arm", "parent", "owner", "supplier", "suppliers", "customer",
                                  "largest", "biggest", "main", "closest", "key", "chief", "fierce", "longtime"})
_LIST_INTROS = frozenset({"including", "such", "like", "namely", "notably", "especially", "particularly"})


def _in_apposition(s: Sentence, i: int) -> bool:
    """Whether token i lies in an appositive opened by ", a|an|the|its" after a name."""
    return _apposition_comma(s, i) is not None


def _apposition_comma(s: Sentence, i: int) -> int | None:
    """The comma opening the appositive (", a|an|the|its ...") after a name that token i lies in."""
    norms = s.norms
    k = i
    steps = 0
    while k > s.start and steps < 10:
        k -= 1
        steps += 1
        if s.skip[k]:
            continue
        w = norms[k]
        if w == ",":
            nxt = s.next_index(k + 1)
            if nxt < s.end and norms[nxt] in ("a", "an", "the", "its") and s.group_ending_at(k) is not None:
                return k
            return None
        if w in _BARRIERS or w == ".":
            return None
    return None


def _after_apposition(s: Sentence, g: Group, types: frozenset[str]) -> Group | None:
    """'X, the venture capital arm of Y, and Z': the group Z after X's appositive, or None."""
    norms = s.norms
    k = s.next_index(g.stop)
    if k >= s.end or norms[k] != ",":
        return None
    nxt = s.next_index(k + 1)
    if nxt >= s.end or norms[nxt] not in ("a", "an", "the", "its"):
        return None
    close = next((x for x in range(nxt, min(s.end, nxt + 14)) if norms[x] == "," and not s.skip[x]), None)
    if close is None:
        return None
    a = s.next_index(close + 1)
    if a >= s.end or norms[a] not in ("and", "or"):
        return None
    b = s.next_index(a + 1)
    for h in s.groups:
        if h.cls != g.cls or h.poss or h.end <= b:
            continue
        at = next((x for x, m in enumerate(h.members) if m.start == b), None)
        if at is None:
            return None
        members = [m for m in h.members[at:] if m.type in types]
        return Group(members, h.cls) if members else None
    return None


def find_right_containing(s: Sentence, te: int, types: frozenset[str], ts: int) -> Arg | None:
    """A mention that contains the trigger ("the Wolfsburg-based group")."""
    for m in s.all_mentions:
        if m.start < ts and m.end >= te and m.type in types and m.ref:
            return Arg([m], m.start, m.end, 0)
    return None


def find_between(s: Sentence, te: int, types: frozenset[str]) -> Arg | None:
    """'<trigger> between X and Y': the group after "between"/"among"."""
    k = s.next_index(te)
    steps = 0
    while k < s.end and steps < 3:
        if s.norms[k] in ("between", "among", "amongst"):
            for g in s.groups_after(k + 1):
                if len(s.gap(k + 1, g.start)) <= 2 and not g.poss:
                    members = [m for m in g.members if m.type in types]
                    if len(members) >= 2:
                        return Arg(members, g.start, g.end, 0)
                break
            return None
        k = s.next_index(k + 1)
        steps += 1
    return None


def find_participle_subject(s: Sentence, ts: int, after: int, types: frozenset[str]) -> Arg | None:
    """'By leveraging Y, X aims ...': the subject after the comma that closes the opening phrase."""
    norms = s.norms
    before = s._between(s.start, ts)
    participial = bool(before) and norms[before[0]].endswith("ed") and s.t.alpha[before[0]]
    if len(before) > (6 if participial else 3):
        return None  # ("Founded in 2019 and headquartered in X, the company ...")
    if before and norms[before[0]] not in _PARTICIPLE_INTRO and not participial:
        return None
    if not before and not norms[ts].endswith(("ing", "ed")):
        return None
    k = after
    while k < s.end and (norms[k] != "," or s.skip[k]):  # (not the comma of "Leeds, England")
        if norms[k] in _BARRIERS or norms[k] == ".":
            return None
        k += 1
    if k >= s.end:
        return None
    for g in s.groups_after(k + 1):
        gap = s.gap(k + 1, g.start)
        if len(gap) > 2 or any(w not in ("and", "then", "the", "now") for w in gap):
            return None
        if g.poss:
            return None
        members = [m for m in g.members if m.type in types]
        return Arg(members, g.start, g.end, 0) if members else None
    return None


_AUX = frozenset({"is", "are", "was", "were", "has", "have", "had", "been", "be", "will", "would", "also", "then", "now",
                  "already", "later", "can", "did", "does", "do", "since", "still", "soon", "just", "recently",
                  "separately", "subsequently", "eventually", "quickly"})


def find_shared_subject(s: Sentence, ts: int, types: frozenset[str]) -> Arg | None:
    """'X employs 140 people and is backed by Y': the clause's first name is the subject of both verbs."""
    norms = s.norms
    k = ts - 1
    while k >= s.start and (s.skip[k] or norms[k] in _AUX):
        k -= 1
    if k < s.start or norms[k] != "and":
        return None
    cs, _ = s.clause(ts)
    for g in s.groups:
        if g.start < cs:
            continue
        if g.start >= k:
            return None
        lead = s.gap(cs, g.start)
        if len(lead) > 2 or any(w not in ("the", "and", "then", "but", "so") for w in lead) or g.poss:
            return None
        members = [m for m in g.members if m.type in types]
        # the verb phrase between the subject and "and" holds no other clause
        between = s.gap(g.stop, k)
        if not members or any(w in _RELATIVE or w in (";", ":") for w in between):
            return None
        return Arg(members, g.start, g.stop, 0)
    return None


_COPULA = frozenset({"is", "was", "are", "were", "became", "remains", "remain", "becomes", "become", "as", "been"})
_HEAD_MODIFIERS = frozenset({"a", "an", "the", "its", "their", "now", "also", "longtime", "long-time", "former", "key",
                             "main", "major", "new", "chief", "biggest", "largest", "fellow", "closest", "one",
                             "primary", "sole", "top", "only", "leading", "second-largest", "largest"})


def find_appositive_head(s: Sentence, left: Arg, types: frozenset[str]) -> Arg | None:
    """'Y, an X unit' / 'Y is X's supplier' / 'Y has been X's primary supplier': the head Y."""
    norms = s.norms
    k = left.start - 1
    words: list[str] = []
    copula = False
    while k >= s.start and len(words) < 4:
        if not s.skip[k]:
            w = norms[k]
            if w == ",":
                break
            if w in _COPULA:
                copula = True
                k -= 1
                while k >= s.start and (s.skip[k] or norms[k] in ("has", "have", "had", "also", "now", "long",
                                                                   "already", "still", "is", "are", "was")):
                    k -= 1
                if k >= s.start and norms[k] == ",":
                    # "Y, Samsung's main rival in memory, has been ...": jump over the appositive
                    j = k - 1
                    while j >= s.start and not (norms[j] == "," and not s.skip[j]) and k - j < 15:
                        j -= 1
                    if j >= s.start and norms[j] == ",":
                        k = j
                    else:
                        return None
                else:
                    k += 1  # the head ends right before the copula
                break
            words.append(w)
        k -= 1
    if k < s.start or any(w not in _HEAD_MODIFIERS and not (w.endswith("est") and len(w) > 5) for w in words):
        return None  # ("our toughest competitors": any superlative may qualify the noun)
    head = s.group_ending_at(k)
    if head is None or head.poss:
        return None
    # "Y, an X unit" describes the nearest name; "A and B are X's rivals" all of them
    members = [m for m in (head.members if copula else head.members[-1:]) if m.type in types]
    return Arg(members, head.start, head.stop, 0) if members else None


# --------------------------------------------------------------------------------------------
# applying rules


@dataclass(slots=True)
class Candidate:
    subject: Mention
    predicate: str
    object: Mention
    rule: str
    confidence: float
    span: tuple[int, int]  # tokens covered by trigger and arguments
    trigger: tuple[int, int]


def _apply_rule(s: Sentence, rule: Rule, ts: int, te: int) -> list[Candidate]:
    if rule.not_after and s.prev_word(ts) in rule.not_after:
        return []
    norms = s.norms
    as_subject = rule.subject == "left"
    # left argument
    left: Arg | None
    if rule.left == "subject":
        if _noun_before_participle(s, ts):
            left = None  # "the number of pupils using Tutorly": the pupils use it
        else:
            left = find_left_subject(s, rule, ts, rule.left_types, as_subject)
            if left is not None and rule.predicate == "usesPlatform" and all(m.cls == "PROD" for m in left.members) \
                    and s.prev_word(left.start) not in _PRODUCT_SUBJECT_OPENERS:
                # a product is a subject only where a clause opens ("Tutorly runs on X", "its app, which
                # runs on X"); "used Google Cloud and now runs on X" speaks of whoever used it
                left = find_left_subject(s, rule, ts, rule.left_types & ORG_TYPES, as_subject)
    elif rule.left == "adjacent":
        left = find_left_adjacent(s, ts, rule.left_types, possessor=False)
    else:  # possessor
        left = find_left_adjacent(s, ts, rule.left_types, possessor=True, max_gap=min(rule.max_left, 4),
                                  adjacent_ok=rule.adjacent_ok)
    # right argument
    right: Arg | None = None
    if rule.contains:
        # "the Zurich-based group": the description holding the trigger, before anything after it
        right = find_right_containing(s, te, rule.right_types, ts)
    if right is not None:
        pass
    elif rule.right == "object":
        right = find_right(s, rule, te, rule.right_types, rule.max_right, rule.prep)
    elif rule.right == "adjacent":
        right = find_right(s, rule, te, rule.right_types, rule.max_right)
    if right is None and rule.field_object:
        # "specialises in precision agriculture": a field of technology no lexicon holds
        tech = field_mention(s, s.next_index(te))
        if tech is not None:
            right = Arg([tech], tech.start, tech.end, 0)
    if right is None and rule.poss_object:
        # "to supply Amazon's European data centres": the owner of what is supplied is the customer
        g = next(iter(s.groups_after(te)), None)
        if g is not None and g.poss and len(s.gap(te, g.start)) <= 1:
            members = [m for m in g.members if m.type in rule.right_types]
            if members:
                right = Arg(members, g.start, g.stop, 1)
    if left is not None and rule.left == "adjacent" and left.members[0].cls == "PLACE":
        # "Santa Clara, California-based": the city, not the state
        first = left.members[0]
        k = first.start - 1
        while k >= s.start and s.skip[k]:
            k -= 1
        prev = next((m for m in s.all_mentions if m.end == k + 1 and m.cls == "PLACE"), None)
        if prev is not None and any(s.norms[i] == "," for i in range(prev.end, first.start)):
            left = Arg([prev], prev.start, first.end, 0)
    pairs: list[tuple[Mention, Mention]] = []
    left_pairs_only = False
    if right is None and rule.between:
        between = find_between(s, te, rule.left_types & rule.right_types)
        if between is not None:
            right = between
            left = None
            left_pairs_only = True
    if rule.by_agent and right is not None:
        k = s.next_index(right.end)
        if k < s.end and norms[k] == "by":
            for g in s.groups_after(k + 1):
                if not s.gap(k + 1, g.start) and not g.poss:
                    members = [m for m in g.members if m.type in rule.left_types]
                    if members:
                        left = Arg(members, g.start, g.end, 0)
                break
    if left is None and right is not None and not left_pairs_only and rule.participle:
        left = find_participle_subject(s, ts, right.end, rule.left_types)
    if left is None and right is not None and not left_pairs_only and rule.left == "subject":
        left = find_shared_subject(s, ts, rule.left_types)
    if left is not None and right is None:
        if rule.relative:
            # "Y, which X acquired": the relative pronoun's antecedent is the object
            k = left.start - 1
            while k >= s.start and s.skip[k]:
                k -= 1
            if k >= s.start and norms[k] in ("which", "that"):
                head = s.group_ending_at(k - 1 if k - 1 >= s.start and norms[k - 1] == "," else k)
                if head is not None and not head.poss:
                    members = [m for m in head.members if m.type in rule.right_types]
                    if members:
                        right = Arg(members, head.start, head.stop, 0)
        if right is None and rule.appositive:
            right = find_appositive_head(s, left, rule.right_types)
            if right is not None and {m.label for m in right.members} & {m.label for m in left.members}:
                return []  # "A and B are its rivals" with "its" read as A: the reading is wrong
    if rule.inner and left is not None and right is None:
        # "Y's X unit": the possessor owns the group between it and the trigger
        g = s.group_ending_at(ts)
        if g is not None and not g.poss:
            owner = next((h for h in s.groups_before(g.start) if h.poss), None)
            if owner is not None and not s._between(owner.stop, g.start):
                lm = [m for m in owner.members if m.type in rule.left_types]
                rm = [m for m in g.members if m.type in rule.right_types]
                if lm and rm:
                    left, right = Arg(lm, owner.start, owner.stop), Arg(rm, g.start, g.end)
    if left_pairs_only and right is not None:
        ms = right.members
        pairs = [(ms[a], ms[b]) for a in range(len(ms)) for b in range(a + 1, len(ms))]
        span = (ts, right.end)
    elif left is not None and right is not None:
        pairs = [(a, b) for a in left.members for b in right.members]
        span = (min(left.start, ts), max(right.end, te))
    elif left is not None and rule.pairwise and rule.predicate in SYMMETRIC and len(left.members) >= 2 \
            and rule.right != "adjacent":
        ms = left.members
        pairs = [(ms[a], ms[b]) for a in range(len(ms)) for b in range(a + 1, len(ms))]
        span = (left.start, te)
    else:
        return []
    predicate, rule_id, swap = rule.predicate, rule.id, False
    if rule.minority_split:
        share = _percent_between(s, span[0], span[1])
        if share is not None and share < 50:
            # "Rookery is 40% owned by SC Ventures": a minority holding is an investment
            predicate, rule_id, swap = "investsIn", rule.id + ".minority", True
    if rule.percent_split:
        share = _percent_between(s, span[0], span[1])
        if share is None and rule.require_percent:
            return []
        if share is not None and share > 50:
            # a majority holding makes a subsidiary; a minority one an investment
            predicate, rule_id, swap = "subsidiaryOf", rule.id + ".majority", True
    if predicate == "partnersWith" and right is not None and left is not None and rule.noun:
        k = s.next_index(right.end)
        if k + 1 < s.end and s.norms[k] == "to" and s.norms[s.next_index(k + 1)] in _BUY_VERBS:
            # "an agreement with Infineon to source power chips": a supply deal, Infineon the supplier
            predicate, rule_id, swap = "supplies", rule.id.replace("partner", "supply"), True
    out = []
    gap = (left.gap if left else 0) + (right.gap if right else 0)
    for a, b in pairs:
        subj, obj = (a, b) if rule.subject == "left" else (b, a)
        if swap:
            subj, obj = obj, subj
        if subj.label == obj.label:
            continue
        conf = rule.confidence - 0.08 * (subj.ref + obj.ref) - 0.01 * max(0, gap - 3)
        out.append(Candidate(subj, predicate, obj, rule_id, conf, span, (ts, te)))
    return out


_GERUND_VERBS = frozenset({"continues", "keeps", "starts", "begins", "stops", "resumes", "finishes", "avoids", "considers",
                           "risks", "enjoys", "means", "involves", "requires", "includes", "is", "was", "has", "does",
                           "plans", "focuses", "specialises", "specializes", "as", "this", "its", "his", "hers", "ours",
                           "theirs", "thus", "plus", "always", "sometimes", "perhaps", "nevertheless", "nonetheless"})


def _noun_before_participle(s: Sentence, ts: int) -> bool:
    """Whether an -ing trigger follows a plural noun that is its own subject ("customers using X")."""
    if not s.norms[ts].endswith("ing"):
        return False
    k = ts - 1
    while k >= s.start and s.skip[k]:
        k -= 1
    if k < s.start:
        return False
    w = s.norms[k]
    return (s.t.alpha[k] and s.t.lower[k] and w.endswith("s") and not w.endswith(("ss", "ly")) and len(w) > 3
            and w not in _GERUND_VERBS and w not in _AUX)


_FIELD_STOP = frozenset({",", ".", ";", ":", "(", ")", "—", "–", "--", '"', "“", "”", "for", "to", "of", "in", "on",
                         "with", "by", "at", "from", "into", "across", "and", "or", "that", "which", "who", "as", "while",
                         "than", "since", "through", "via", "under", "over", "using", "'s", "—"})
_FIELD_SUFFIXES = ("ics", "ing", "tion", "tions", "ture", "ogy", "ence", "ance", "ity", "ware", "ism", "ies", "ment")
_DETERMINERS_ALL = frozenset({"the", "a", "an", "its", "their", "our", "his", "her", "this", "that", "these", "those",
                              "some", "any", "more", "new", "other", "such", "all", "every", "each", "both"})


@lru_cache(maxsize=1)
def _not_fields() -> frozenset[str]:
    return frozenset(norm(w) for w in _lines("not_fields.txt"))


def field_phrase(s: Sentence, k: int) -> tuple[int, int] | None:
    """The span of a field of technology written at token k as a bare noun phrase: "precision
    agriculture", "RNA interference", "free-space optical communications", "ammonia-fuelled
    engines" (1-4 words, lower case or acronyms, hyphenated compounds allowed, no determiner)."""
    norms = s.norms
    text = s.t.text
    if k >= s.end or norms[k] in _DETERMINERS_ALL:
        return None
    j = k
    words = 0
    while j < s.end and words < 5:
        w = norms[j]
        if w in _FIELD_STOP or s.skip[j]:
            break
        if w == "-" and j > k and not s.t.ws[j - 1] and j + 1 < s.end and not s.t.ws[j]:
            j += 1  # "free-space": the hyphen and the next part are one word
            continue
        t = text[j]
        acronym = t.isupper() and t.isalpha() and 2 <= len(t) <= 5
        if not ((s.t.alpha[j] and s.t.lower[j]) or acronym or (j > k and norms[j - 1] == "-" and s.t.alpha[j])):
            break
        if not (j > k and norms[j - 1] == "-"):
            words += 1
        j += 1
    if j == k or words == 0 or words > 4:
        return None
    last = norms[j - 1]
    if last in _not_fields() or last in _DETERMINERS_ALL or last == "-" or last.endswith("ly"):
        return None
    if any(m.cls in ("ORG", "PERSON", "PLACE") and k <= m.start < j for m in s.all_mentions):
        return None
    if words == 1 and not (text[k].isupper() or (len(last) >= 6 and last.endswith(_FIELD_SUFFIXES))):
        return None  # one word must look like a field ("robotics", "genomics"), not "growth"
    return k, j


def field_mention(s: Sentence, k: int) -> Mention | None:
    """A Technology mention for the field phrase at token k (the entity is added to the article's
    entities), or an existing Technology mention starting there."""
    existing = next((m for m in s.mentions if m.start == k and m.cls == "TECH"), None)
    if existing is not None:
        return existing
    span = field_phrase(s, k)
    if span is None:
        return None
    return field_mention_span(s, *span)


def field_mention_span(s: Sentence, a: int, b: int) -> Mention | None:
    """A Technology mention for tokens a..b, its entity added to the article's entities."""
    if any(m.cls in ("ORG", "PERSON", "PLACE") and a <= m.start < b for m in s.all_mentions):
        return None
    label = s.t.doc_text[s.t.idx[a]:s.t.end_char(b - 1)]
    entities = s.doc._.kg_entities
    if entities is not None:
        found = next((e for e in entities.values() if e.type == "Technology" and
                      (e.label.casefold() == label.casefold() or label.casefold() in {x.casefold() for x in e.aliases})),
                     None)
        if found is not None:
            label = found.label
        else:
            entities[label] = Entity(label=label, type="Technology")
    return Mention(a, b, label, "Technology", "TECH", False)


def _percent_between(s: Sentence, a: int, b: int) -> float | None:
    """The first "N%" / "N percent" in tokens [a, b)."""
    norms = s.norms
    for i in range(a, b - 1):
        if s.t.num[i]:
            k = s.next_index(i + 1)
            if k < b and norms[k] in ("%", "percent", "pct"):
                try:
                    return float(norms[i].replace(",", ""))
                except ValueError:
                    return None
    return None


def _set_off(s: Sentence, c: Cue, cand: Candidate, cs: int) -> bool:
    """Whether commas set the cue apart from the relation's own words: an aside between two
    commas that holds neither argument nor the trigger ("X, which could expand, acquired Y"),
    or a phrase fronted before them ("After months of talks, X acquired Y"). Wide cues
    ("If approved, ..."; "Reportedly, ...") reach across commas."""
    if c.wide:
        return False
    ts, te = cand.trigger
    points = [ts, te - 1, cand.subject.start, cand.subject.end - 1]
    if cand.object.cls != "LIT":
        points += [cand.object.start, cand.object.end - 1]
    norms, skip = s.norms, s.skip
    before = next((k for k in range(c.start - 1, cs - 1, -1) if norms[k] == "," and not skip[k]), None)
    after = next((k for k in range(c.end, min(s.end, c.end + 25)) if norms[k] == "," and not skip[k]), None)
    if after is None:
        return False
    if all(p > after for p in points):
        return c.kind == "hedge"  # fronted; "scaled back certain initiatives, including its deal with Y" ends it
    return before is not None and not any(before < p < after for p in points)


_CLAUSE_SUBJECTS = frozenset({"it", "they", "he", "she", "we"})
_CLAUSE_FILLERS = frozenset({"also", "later", "has", "had", "have", "flatly", "firmly", "then", "since"})
_OWN_OBJECTS = frozenset({"a", "an", "the", "any", "all", "reports", "report", "claims", "allegations", "suggestions",
                          "rumours", "rumors", "speculation"})


def _own_clause(s: Sentence, c: Cue, hi: int) -> bool:
    """Whether a hedge after the relation is the verb of a clause of its own, with its own subject
    and object: "X will source fibre from Y, and it denied a report that ..." (what is denied is
    the report, not the sourcing)."""
    gap = s.gap(hi, c.start)
    if "and" not in gap:
        return False
    k = len(gap) - 1 - gap[::-1].index("and")
    tail = gap[k + 1:]
    if not tail or tail[0] not in _CLAUSE_SUBJECTS or any(w not in _CLAUSE_FILLERS for w in tail[1:]):
        return False
    k = s.next_index(c.end)
    return k < s.end and s.norms[k] in _OWN_OBJECTS


def _status(s: Sentence, cand: Candidate) -> str:
    """'ok', 'ended' or 'hedged' from the cues in the candidate's clause."""
    ts, te = cand.trigger
    cs, ce = s.clause(ts)
    lo, hi = min(cand.span[0], ts), max(cand.span[1], te)
    cs = min(cs, lo)
    ended = False
    for c in s.cues:
        if c.start >= ts and c.end <= te:
            continue  # the trigger itself ("scaled back" is not its own hedge)
        if c.start < cs or c.start >= ce:
            continue
        if c.start < hi and "," in s.norms[c.end:hi] and _set_off(s, c, cand, cs):
            continue
        if c.kind == "hedge" and cand.predicate == "competesWith" and s.norms[c.start] in _INTENT_WORDS:
            continue  # "is trying to catch up with rivals such as X": the rivalry is no intention
        if c.kind == "hedge" and not c.wide and c.start < ts and s.norms[ts] in _APPOSITION_TRIGGERS:
            opening = _apposition_comma(s, ts)
            if opening is not None and c.end <= opening:
                continue  # "H&M tries to keep pace with Inditex, its largest rival": the appositive asserts
        if c.kind == "hedge":
            if c.start < hi or (c.after and c.start < hi + 10 and not _own_clause(s, c, hi)):
                return "hedged"
        elif c.kind == "ended":
            if c.after:  # "former", "ex-", "previously": only right before the relation's words
                if lo - 2 <= c.start < lo or ts - 3 <= c.start < te or (
                        cand.object.cls != "LIT" and cand.object.start - 2 <= c.start < cand.object.start):
                    ended = True
            elif cand.predicate in ("partnersWith", "formerPartnerOf"):
                if c.start < hi + 8:  # "X's alliance with Y, which ended in 2021"
                    ended = True
            elif lo - 3 <= c.start < hi:  # "X sold its stake in Y"
                ended = True
    return "ended" if ended else "ok"


def _evidence_bounds(sent: Sentence) -> tuple[str, int, int]:
    text = sent.text
    stripped = text.strip()
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return stripped, start, start + len(stripped)


def _question(s: Sentence) -> bool:
    """Whether the sentence asks rather than states ("Is Google putting money into Slatebridge?")."""
    k = s.end - 1
    while k > s.start and (s.t.space[k] or s.norms[k] in _SENT_QUOTES or s.norms[k] in (")", "'")):
        k -= 1
    return s.norms[k] == "?"


def _relations_in(s: Sentence) -> list[Candidate]:
    out: list[Candidate] = []
    if s.all_mentions and not _question(s):
        alone = len(s.all_mentions) < 2  # one name: only a field named after it can make a relation
        for ts, te, rules in s.res.rules.match(s.norms, s.start, s.end):
            if s.skip[ts]:
                continue
            for rule in rules:
                if alone and not rule.field_object:
                    continue
                for cand in _apply_rule(s, rule, ts, te):
                    status = _status(s, cand)
                    if status == "hedged" or (rule.ended_only and status != "ended"):
                        continue
                    if status == "ended":
                        if cand.predicate != "partnersWith":
                            continue
                        cand.predicate = "formerPartnerOf"
                        cand.rule = cand.rule.replace("rel.partner.", "rel.former.")
                    out.append(cand)
        if not alone:
            out.extend(_their_partnership(s, out))
            out.extend(_possessive_develops(s))
            out.extend(_chosen_suppliers(s))
            out.extend(_sales(s))
            if any(c.kind == "ended" for c in s.cues):
                out.extend(_ended_anaphora(s, out))
    out.extend(_people(s))
    return out


# --------------------------------------------------------------------------------------------
# relations with their own code


_NOT_MAKER_FOLLOW = frozenset({"rollout", "roll", "rollouts", "deployment", "adoption", "use", "usage", "migration",
                               "licences", "licenses", "subscription", "subscriptions", "contract", "deal", "customers",
                               "users", "customer", "user", "integration", "implementation", "purchase", "order",
                               "orders", "transition", "move", "shift", "switch", "investment", "spending", "bill"})


_THEIR_NOUNS = frozenset({"partnership", "alliance", "venture", "collaboration", "tie-up", "pact", "jv", "partnerships",
                          "alliances", "ventures", "cooperation"})


def _their_partnership(s: Sentence, found: list[Candidate]) -> list[Candidate]:
    """'Safran, which builds engines with GE Aerospace through their CFM joint venture': "their"
    before a partnership noun makes partners of the two organisations named before it."""
    norms = s.norms
    out: list[Candidate] = []
    if not _occurs(norms, "their", s.start, s.end):
        return out
    for k in range(s.start, s.end):
        if norms[k] != "their" or s.skip[k]:
            continue
        j = k + 1
        while j < s.end and j - k <= 5 and norms[j] not in _THEIR_NOUNS and (s.t.alpha[j] or norms[j] == "-" or s.skip[j]):
            j += 1
        if j >= s.end or norms[j] not in _THEIR_NOUNS:
            continue
        orgs: list[Mention] = []
        for m in reversed([m for m in s.mentions if m.end <= k and m.cls == "ORG" and m.type in ORG_TYPES]):
            if all(m.label != o.label for o in orgs):
                orgs.append(m)
        if len(orgs) < 2 or (len(orgs) > 2 and orgs[2].start >= s.clause(k)[0]):
            continue  # exactly two organisations before "their" in the sentence
        a, b = orgs[1], orgs[0]
        if any(c.predicate in ("partnersWith", "formerPartnerOf") and {c.subject.label, c.object.label} == {a.label, b.label}
               for c in found):
            continue
        cand = Candidate(a, "partnersWith", b, "rel.partner.their", 0.6, (a.start, j + 1), (k, j + 1))
        status = _status(s, cand)
        if status == "hedged":
            continue
        if status == "ended":
            cand.predicate, cand.rule = "formerPartnerOf", "rel.former.their"
        out.append(cand)
    return out


def _possessive_develops(s: Sentence) -> list[Candidate]:
    """'Globex's Skyline' -> Globex develops Skyline."""
    out = []
    norms = s.norms
    for m in s.mentions:
        if not m.poss or m.cls != "ORG":
            continue
        k = s.next_index(m.poss_end)
        steps = 0
        while k < s.end and steps < 2:
            prod = next((p for p in s.mentions if p.start == k and p.type in PRODUCT_TYPES), None)
            if prod is not None:
                nxt = s.next_index(prod.end)
                if nxt < s.end and norms[nxt] in _NOT_MAKER_FOLLOW:
                    break
                cand = Candidate(m, "develops", prod, "rel.develop.possessive", 0.8 - 0.1 * m.ref,
                                 (m.start, prod.end), (m.end, m.poss_end))
                if _status(s, cand) == "ok":
                    out.append(cand)
                break
            if not (s.t.alpha[k] and s.t.lower[k]) or norms[k] in _POSSESSIVE_PRONOUNS or norms[k] in _PREPOSITIONS:
                break
            steps += 1
            k = s.next_index(k + 1)
    return out


_SUPPLIER_ROLES = frozenset({"supplier", "suppliers", "vendor", "vendors", "provider", "providers", "manufacturer",
                             "maker", "foundry", "contractor", "subcontractor", "source", "partner-supplier"})
_PARTNER_ROLES = frozenset({"partner", "partners", "sponsor", "sponsors", "collaborator", "ally"})
_BUY_VERBS = frozenset({"source", "buy", "purchase", "procure", "acquire"})
_INVESTOR_ROLES = frozenset({"investor", "investors", "backer", "backers", "shareholder", "shareholders"})
_PASSIVE_AUX = frozenset({"been", "was", "were", "is", "are", "being", "be", "got", "gets", "get"})


def _chosen_role(s: Sentence, k: int) -> tuple[str, int] | None:
    """After 'X chose Y': the role Y is chosen for -> (predicate, end), from 'to supply ...', 'as
    supplier', 'as its titanium supplier', 'as SES's supplier', 'as shirt sponsor'."""
    res = s.res
    norms = s.norms
    hit = next(res.chosen_to.match(norms, k, min(s.end, k + 4)), None)
    if hit is not None and hit[0] == k:
        return "supplies", hit[1]
    if k < s.end and (norms[k] == "as" or norms[k] in ("its", "their", "our")):
        # "as its titanium supplier" / "named Y its exclusive delivery partner"
        j = s.next_index(k + 1) if norms[k] == "as" else k
        steps = 0
        while j < s.end and steps < 5:
            w = norms[j]
            if w in _SUPPLIER_ROLES:
                return "supplies", j + 1
            if w in _PARTNER_ROLES:
                return "partnersWith", j + 1
            if w in _INVESTOR_ROLES:
                return "investsIn", j + 1
            if not (s.t.alpha[j] or w in _POSSESSIVE_MARKS or w == "-") or w in _PREPOSITIONS:
                return None
            j = s.next_index(j + 1)
            steps += 1
    return None


def _chosen_suppliers(s: Sentence) -> list[Candidate]:
    """'Airbus has chosen Brightwater Composites, a ..., to supply wing panels' -> Brightwater supplies Airbus;
    'Y has been chosen by X as the supplier of ...' -> Y supplies X; 'X signed Y as shirt sponsor' -> partners."""
    res = s.res
    norms = s.norms
    out = []
    rule = res.chosen_rule
    for i, j, _ in res.chosen_verbs.match(norms, s.start, s.end):
        passive = s.prev_word(i) in _PASSIVE_AUX
        k = s.next_index(j)
        if passive and k < s.end and norms[k] == "by":
            # "Y has been chosen by X (NYSE: X) as the supplier of ..."
            g = next(iter(s.groups_after(k + 1)), None)
            if g is None or g.cls != "ORG" or g.poss or len(s.gap(k + 1, g.start)) > 1:
                continue
            role = _chosen_role(s, s.next_index(g.stop))
            if role is None:
                continue
            chosen = find_left_subject(s, rule, i, ORG_TYPES, True)
            if chosen is None:
                continue
            customers, suppliers, end = g.members, chosen.members, role[1]
            lo = chosen.start
        else:
            g = next(iter(s.groups_after(j)), None)
            if g is None or g.cls not in ("ORG", "PROD") or g.poss or len(s.gap(j, g.start)) > 1:
                continue
            k = s.next_index(g.end)
            if k < s.end and norms[k] == ",":
                close = next((x for x in range(k + 1, min(s.end, k + 20)) if norms[x] == "," and not s.skip[x]), None)
                if close is None:
                    continue
                k = s.next_index(close + 1)
            role = _chosen_role(s, k)
            if role is None:
                continue
            left = find_left_subject(s, rule, i, ORG_TYPES, True)
            if left is None:
                continue
            customers, suppliers, end = left.members, g.members, role[1]
            lo = left.start
        predicate = role[0]
        for customer in customers:
            for supplier in suppliers:
                if customer.type not in ORG_TYPES or supplier.label == customer.label:
                    continue
                conf = rule.confidence - 0.08 * (customer.ref + supplier.ref)
                if supplier.type in ORG_TYPES:
                    rid = {"supplies": rule.id, "partnersWith": "rel.partner.chosen"}.get(predicate, "rel.invest.chosen")
                    cand = Candidate(supplier, predicate, customer, rid, conf, (lo, end), (i, j))
                elif supplier.type in PRODUCT_TYPES and predicate == "supplies":
                    # "We have chosen Veridian Cloud as our cloud provider": the platform is used
                    used = "usesPlatform" if supplier.type == "Platform" else "deploys"
                    cand = Candidate(customer, used, supplier, "rel.uses.chosen", conf - 0.05, (lo, end), (i, j))
                else:
                    continue
                if _status(s, cand) == "ok":
                    out.append(cand)
    return out


def _ended_anaphora(s: Sentence, found: list[Candidate]) -> list[Candidate]:
    """'Ravenmark distributed its catalogue through Amazon-owned Audible, but that distribution
    partnership ended' -> Ravenmark formerPartnerOf Audible."""
    res = s.res
    norms = s.norms
    out = []
    used = {c.trigger for c in found}
    for i, j, _ in res.ended_nouns.match(norms, s.start, s.end):
        if any(a <= i < b for a, b in used):
            continue
        k = i - 1
        steps = 0
        while k >= s.start and steps < 3 and norms[k] not in res.ended_dets:
            k -= 1
            steps += 1
        if k < s.start or norms[k] not in res.ended_dets:
            continue
        cs, ce = s.clause(i)
        if not any(c.kind == "ended" and not c.after and cs <= c.start < min(ce, j + 8) for c in s.cues):
            continue
        if cs == s.start:
            continue  # the partners must be named in an earlier clause of the sentence
        labels: list[Mention] = []
        for g in s.groups:
            if g.start >= cs:
                break
            if g.cls != "ORG" or (g.end < s.end and norms[g.end] == "-"):
                continue
            for m in g.members:
                if m.type in ORG_TYPES and all(m.label != x.label for x in labels):
                    labels.append(m)
        if len(labels) != 2:
            continue
        a, b = labels
        cand = Candidate(a, "formerPartnerOf", b, res.ended_id, res.ended_confidence, (a.start, j), (i, j))
        if not any(c.kind == "hedge" and s.start <= c.start < j for c in s.cues):
            out.append(cand)
    return out


def _sales(s: Sentence) -> list[Candidate]:
    """'Unilever agreed to sell its tea business, Ekaterra, to CVC Capital Partners' -> CVC acquires Ekaterra."""
    res = s.res
    norms = s.norms
    out = []
    rule = res.sale_rule
    for i, j, _ in res.sale_verbs.match(norms, s.start, s.end):
        sold = None
        for g in s.groups_after(j):
            gap = s.gap(j, g.stop if g.poss else g.start)
            if len(gap) > 6 or any(w in ("to", ".", ";") or w in _BARRIERS for w in gap):
                break
            if g.poss:
                continue
            if g.cls == "ORG":
                sold = g
            break
        if sold is None:
            continue
        k = s.next_index(sold.end)
        if k < s.end and norms[k] == ",":
            k = s.next_index(k + 1)
        if k >= s.end or norms[k] != "to":
            continue
        buyer = find_right(s, rule, k + 1, ORG_TYPES, 4)
        if buyer is None:
            continue
        for b in buyer.members:
            for m in sold.members:
                if m.type in ORG_TYPES and b.label != m.label:
                    cand = Candidate(b, "acquires", m, rule.id, rule.confidence - 0.08 * (b.ref + m.ref),
                                     (i, buyer.end), (i, j))
                    if _status(s, cand) == "ok":
                        out.append(cand)
    return out


def _title_text(s: Sentence, a: int, b: int) -> str:
    return s.t.doc_text[s.t.idx[a]:s.t.end_char(b - 1)]


_TITLE_STOP = frozenset({",", ".", ";", ":", "(", ")", "said", "says", "told", "who", "which", "noted", "notes", "added",
                         "—", "–", '"', "“", "”", "explained", "wrote", "argued", "warned", "believes", "thinks",
                         "highlights", "emphasizes", "emphasises", "observes", "points", "cautions", "predicts",
                         "stressed", "expects", "suggests", "sees", "?", "!", "'"})
_TITLE_BAD = frozenset({"former", "ex", "formerly", "then", "outgoing", "late", "retired", "previous", "erstwhile"})
_TITLE_EMPLOYER_PREPS = frozenset({"of", "at", "for", "with", "in"})


_LEADS = frozenset({"heads", "leads", "runs", "chairs", "manages", "directs", "oversees", "founded", "co-founded",
                    "cofounded", "co", "helms"})
_DASHES = frozenset({"--", "—", "–", "-"})
# titles of people who run an organisation: with no organisation named, the one the article is about
_HOME_TITLE_WORDS = frozenset({"chief", "ceo", "cfo", "cto", "coo", "cio", "cmo", "president", "founder", "co-founder",
                               "cofounder", "chairman", "chairwoman", "chair", "chairperson", "director", "head", "officer",
                               "executive", "partner", "owner", "treasurer", "boss"})
_NOT_HOME_TITLE_WORDS = frozenset({"analyst", "analysts", "economist", "strategist", "professor", "reporter", "writer",
                                   "editor", "correspondent", "columnist", "journalist", "minister", "secretary",
                                   "commissioner", "governor", "mayor", "consultant", "adviser", "advisor", "lawyer",
                                   "attorney", "investor", "observer", "commentator", "author", "fellow", "trustee",
                                   "member", "former", "ex"})


def _people(s: Sentence) -> list[Candidate]:
    """jobTitle and worksFor from appositions around a person's name."""
    out: list[Candidate] = []
    persons = [m for m in s.mentions if m.type == "Person"]
    if not persons:
        return out
    norms = s.norms
    for p in persons:
        # "P, a technology sector specialist," / "said P, co-founder and chief executive of Acme."
        k = s.next_index(p.end)
        if k < s.end and norms[k] == ",":
            j = s.next_index(k + 1)
            if j < s.end and s.t.num[j] and s.next_index(j + 1) < s.end and norms[s.next_index(j + 1)] == ",":
                j = s.next_index(s.next_index(j + 1) + 1)  # "P, 41, the company's founder"
            out.extend(_title_after(s, p, j))
        elif k < s.end and norms[k] in _DASHES and not p.poss and s.t.ws[k - 1]:
            # a transcript's speaker label: "David Okonjo -- Group Chief Executive:"
            out.extend(_title_after(s, p, s.next_index(k + 1)))
        elif k < s.end and norms[k] == "is" and not p.poss:
            # "Priya Natarajan is a semiconductor analyst at Kestrel Ridge Securities."
            # "Dana Whitcombe is chief technology officer of Harrow & Finch": a bare title too
            nxt = s.next_index(k + 1)
            if nxt < s.end and (norms[nxt] in ("a", "an", "the") or norms[nxt] in s.res.titles
                                or norms[nxt] in s.res.title_modifiers):
                out.extend(_title_after(s, p, nxt))
        elif k < s.end and norms[k] in ("of", "at") and not p.poss:
            g = next(iter(s.groups_after(k + 1)), None)
            if g is not None and g.start == s.next_index(k + 1) and g.cls == "ORG" and not g.poss:
                for m in g.members:
                    out.append(Candidate(p, "worksFor", m, "rel.works.of", 0.6, (p.start, g.end), (k, k + 1)))
        out.extend(_title_before(s, p))
        # "Nvidia's Jensen Huang"
        g = s.group_ending_at(p.start)
        if g is not None and g.poss and g.cls == "ORG" and not any(c.predicate == "worksFor" for c in out):
            for m in g.members[-1:]:
                if m.type in ORG_TYPES:
                    out.append(Candidate(p, "worksFor", m, "rel.works.possessive", 0.6, (g.start, p.end),
                                         (g.stop - 1, g.stop)))
    out = _home_employers(s, out)
    return [c for c in out if _status(s, c) == "ok" or c.predicate == "jobTitle"]


def _home_employers(s: Sentence, found: list[Candidate]) -> list[Candidate]:
    """A person given the title of someone who runs an organisation, but no organisation
    ("said chief executive Jane Doe", "Jane Doe -- Chief Financial Officer:"), works for the
    organisation the article is about."""
    home = s.doc.user_data.get("kg.home")
    if not home:
        return found
    employed = {c.subject.label for c in found if c.predicate == "worksFor"}
    out = list(found)
    entities = s.doc._.kg_entities or {}
    ent = entities.get(home)
    if ent is None or ent.type not in ORG_TYPES:
        return found
    for c in found:
        if c.predicate != "jobTitle" or c.subject.label in employed:
            continue
        if c.rule == "rel.title.prenominal" and s.prev_word(c.span[0]) == "'s":
            continue  # "the Norwegian company's chief executive, P": someone's, just not known whose
        words = set(norm(c.object.label).replace("-", " - ").split(" of ")[0].split())
        if not (words & _HOME_TITLE_WORDS) or words & _NOT_HOME_TITLE_WORDS:
            continue  # (only the words before "of" say what the person is: "Head of Investor Relations")
        if any(o.label != c.subject.label and o.cls == "PERSON" and o.start == c.subject.start for o in s.mentions):
            continue
        obj = Mention(c.span[0], c.span[1], home, ent.type, "ORG", True)
        out.append(Candidate(c.subject, "worksFor", obj, "rel.works.home", 0.55, c.span, c.trigger))
        employed.add(c.subject.label)
    return out


def _literal(p: Mention, predicate: str, value: str, rule: str, conf: float, span: tuple[int, int]) -> Candidate:
    lit = Mention(span[0], span[1], value, "literal", "LIT", False)
    return Candidate(p, predicate, lit, rule, conf, span, span)


def _title_after(s: Sentence, p: Mention, i: int) -> list[Candidate]:
    norms = s.norms
    titles = s.res.titles
    out: list[Candidate] = []
    j = i
    employer: list[Mention] = []
    if j < s.end and norms[j] == "who":
        v = s.next_index(j + 1)
        if v < s.end and norms[v] == "co" and s.next_index(v + 1) < s.end and norms[s.next_index(v + 1)] == "-":
            v = s.next_index(s.next_index(v + 1) + 1)  # "co-founded"
        if v < s.end and norms[v] in _LEADS:
            # "P, who heads O" / "P, who runs O as managing partner" / "P, who co-founded O and runs it as CEO"
            # / "P, who runs the insurer's agriculture business" (a part of O: data/org_parts.txt)
            g = next(iter(s.groups_after(v + 1)), None)
            if g is not None and len(s.gap(v + 1, g.start)) <= 1 and g.cls == "ORG" and not g.poss:
                for m in g.members:
                    out.append(Candidate(p, "worksFor", m, "rel.works.heads", 0.75, (p.start, g.end), (v, v + 1)))
                k = g.stop
                while k < s.end and k - g.stop < 12 and norms[k] not in (",", ".", ";", "as"):
                    k += 1
                if k < s.end and norms[k] == "as":
                    out.extend(c for c in _title_after(s, p, s.next_index(k + 1)) if c.predicate == "jobTitle")
            elif g is not None and len(s.gap(v + 1, g.start)) <= 1 and g.cls == "ORG" and g.poss \
                    and len(g.members) == 1 and g.members[0].type in ORG_TYPES and _part_after(s, g.stop):
                # "P, who runs the insurer's agriculture business": a part of the possessor
                out.append(Candidate(p, "worksFor", g.members[0], "rel.works.heads", 0.7 - 0.08 * g.members[0].ref,
                                     (p.start, g.end), (v, v + 1)))
            return out
        if v < s.end and norms[v] in ("is", "serves"):
            j = s.next_index(v + 1)
            if j < s.end and norms[j] == "as":
                j = s.next_index(j + 1)
        else:
            return out
    # "P, the company's founder" / "P, Globex's chief executive" / "P, Globex CEO"
    g0 = next((g for g in s.groups if g.start == j and g.cls == "ORG"), None)
    if g0 is None and j < s.end and norms[j] in ("a", "an", "the"):
        j = s.next_index(j + 1)
        g0 = next((g for g in s.groups if g.start == j and g.cls == "ORG"), None)
    if g0 is not None and (g0.poss or not s.is_prep(s.next_index(g0.stop))):
        employer = [m for m in g0.members if m.type in ORG_TYPES]
        j = s.next_index(g0.stop)
    elif _byline(s, p):
        # "By Jane Doe, Herald Staff Writer": the publication's name before the title is no part of it
        k = j
        while k < s.end and k - j < 3 and s.t.title[k] and norms[k] not in titles \
                and norms[k] not in s.res.title_modifiers and not any(m.start == k for m in s.mentions):
            k = s.next_index(k + 1)
        if k > j and k < s.end and (norms[k] in titles or norms[k] in s.res.title_modifiers):
            j = k
    start = j
    end = j
    stop_ok = False
    while j < s.end and j - start < 14:
        if s.skip[j]:
            j += 1
            continue
        w = norms[j]
        if w in _TITLE_STOP:
            stop_ok = True
            break
        if w in _TITLE_EMPLOYER_PREPS:
            nxt = s.next_index(j + 1)
            if nxt < s.end and norms[nxt] == "the" and not any(m.start == nxt for m in s.mentions):
                nxt2 = s.next_index(nxt + 1)
            else:
                nxt2 = nxt
            g = next((g for g in s.groups if g.start in (nxt, nxt2)), None)
            if g is not None and g.cls == "ORG":
                if not employer:
                    employer = [m for m in g.members if m.type in ORG_TYPES]
                stop_ok = True
                break
        mention = next((m for m in s.mentions if m.start == j), None)
        if mention is not None:
            if mention.cls in ("TECH", "PLACE"):
                j = mention.end
                end = j
                continue
            break
        text = s.t.text[j]
        acronym = any(c.isalpha() for c in text) and text.upper() == text and len(text) <= 6
        if not (s.t.alpha[j] or acronym or w in ("-", "&", "and") or w in titles):
            break
        if s.t.title[j] and not acronym and w not in titles and w not in s.res.title_modifiers and w not in ("and", "of") \
                and not (w in _departments() and "of" in norms[start:j]):  # "Head of Investor Relations"
            break
        j += 1
        end = j
    else:
        stop_ok = j >= s.end
    if end >= s.end or s.next_index(end) >= s.end:
        stop_ok = True
    if not stop_ok or end <= start:
        return out
    words = [norms[k] for k in range(start, end) if not s.skip[k]]
    while words and words[-1] in ("and", "of", "-", "&", "the"):
        end -= 1
        while end > start and s.skip[end - 1]:
            end -= 1
        words.pop()
    if not words or len(words) > 10 or any(w in _TITLE_BAD for w in words):
        return out
    head_ok = words[-1] in s.res.titles or any(
        words[x] in s.res.titles and words[x + 1] in ("of", "for") for x in range(len(words) - 1)
    )
    if not head_ok:
        return out
    if not employer and j < s.end and norms[j] == ",":
        # "P, Chief Technology Officer, SES." / "P -- Analyst, Barclays:": the organisation closes the apposition
        g = next((g for g in s.groups if g.start == s.next_index(j + 1)), None)
        if g is not None and g.cls == "ORG" and not g.poss:
            after = s.next_index(g.stop)
            if after >= s.end or norms[after] in (".", ":", ";", '"', "”", ")", "!", "?"):
                employer = [m for m in g.members if m.type in ORG_TYPES]
    title = _title_text(s, start, end)
    out.append(_literal(p, "jobTitle", title, "rel.title.appos", 0.85, (p.start, end)))
    for m in employer:
        out.append(Candidate(p, "worksFor", m, "rel.works.title", 0.85 - 0.08 * m.ref, (p.start, end), (start, end)))
    return out


def _byline(s: Sentence, p: Mention) -> bool:
    """Whether the person opens a byline: "By Jane Doe, ..."."""
    b = s.next_index(s.start)
    return b < s.end and s.norms[b] == "by" and s.next_index(b + 1) == p.start and not p.poss


_PART_END = frozenset({",", ".", ";", ":", "and", "in", "for", "at", "from", "since", "—", "–", ")", '"', "”", "?",
                       "!"})


def _part_after(s: Sentence, i: int) -> bool:
    """Whether the words from i name a part of the organisation before them, ending the phrase:
    "('s) agriculture business," / "('s) European operations." (not "('s) biggest rival")."""
    parts = _org_parts()
    i = s.next_index(i)
    if i < s.end and s.norms[i] in _POSSESSIVE_MARKS:
        i = s.next_index(i + 1)
    for k in range(i, min(i + 5, s.end)):
        if s.skip[k]:
            continue
        w = s.norms[k]
        if w in parts:
            nxt = s.next_index(k + 1)
            return nxt >= s.end or s.norms[nxt] in _PART_END
        if not (s.t.alpha[k] or w == "-") or any(m.start == k for m in s.mentions):
            return False
    return False


def _title_before(s: Sentence, p: Mention) -> list[Candidate]:
    """'Globex chief executive Dana Whitfield' / 'the company's CEO, Jane Doe' / 'X's head of
    workplace, Jane Doe' / 'X, whose chief executive Jane Doe'."""
    norms = s.norms
    titles = s.res.titles
    mods = s.res.title_modifiers
    k = p.start - 1
    while k >= s.start and s.skip[k]:
        k -= 1
    if k >= s.start and norms[k] == ",":
        k -= 1
        while k >= s.start and s.skip[k]:
            k -= 1
    end = k + 1
    if k >= s.start and norms[k] not in titles:
        # "head of workplace": a title word, "of", a field in lower case
        x = k
        while x > s.start and k - x < 3 and s.t.alpha[x] and s.t.lower[x] and norms[x] not in ("of", "for"):
            x -= 1
        if x > s.start and x < k and norms[x] in ("of", "for") and norms[x - 1] in titles:
            k = x - 1
    if k < s.start or norms[k] not in titles:
        return []
    start = k + 1
    while k >= s.start:
        if s.skip[k]:
            k -= 1
            continue
        w = norms[k]
        if any(m.start <= k < m.end for m in s.mentions):
            break
        if w in titles or w in mods:
            start = k
            k -= 1
            continue
        break
    words = [norms[i] for i in range(start, end) if not s.skip[i]]
    while words and words[0] in ("and", "of", "-", "&"):
        start += 1
        words.pop(0)
    if not words or len(words) > 6:
        return []
    if s.prev_word(start) in _TITLE_BAD or any(w in _TITLE_BAD for w in words):
        return []
    out = [_literal(p, "jobTitle", _title_text(s, start, end), "rel.title.prenominal", 0.75, (start, p.end))]
    g = s.group_ending_at(start)
    if g is None and s.prev_word(start) == "whose":
        # "X, whose chief executive Jane Doe ...": whose = X's
        k = start - 1
        while k > s.start and (s.skip[k] or norms[k] == "whose"):
            k -= 1
        if norms[k] == ",":
            g = s.group_ending_at(k)
    if g is not None and g.cls == "ORG":
        for m in g.members:
            if m.type in ORG_TYPES:
                out.append(Candidate(p, "worksFor", m, "rel.works.prenominal", 0.8 - 0.08 * m.ref,
                                     (g.start, p.end), (start, end)))
    return out


_BRACKET = re.compile(r"\(([^()]{2,60})\)")
_TICKER_PAIR = re.compile(r"^\s*([A-Z][A-Za-z]{1,14}(?:[ .][A-Z][A-Za-z]{1,14})?)\s*:\s*([A-Z0-9][A-Za-z0-9.\-]{0,9}(?: [A-Z])?)\s*$")


def _ticker_pairs(inside: str) -> list[tuple[str, str]]:
    """'NYSE: RIO; ASX: RIO' -> [('NYSE', 'RIO'), ('ASX', 'RIO')]."""
    out = []
    for part in re.split(r"[;,]", inside):
        m = _TICKER_PAIR.match(part)
        if not m:
            return []
        exchange, ticker = m.group(1), m.group(2)
        if ticker.isdigit():
            if not (exchange.isupper() and 3 <= len(ticker) <= 6):
                return []
        elif not any(c.isupper() for c in ticker) or ticker.lower() == ticker:
            return []
        out.append((exchange, ticker))
    return out


def _products_for_makers(found: list[tuple[Sentence, Candidate]]) -> list[tuple[Sentence, Candidate]]:
    """'Tutorly runs on Google Cloud': a product used as an organisation's argument stands for the
    organisation the article says makes it; with no maker named, the statement is dropped."""
    makers: dict[str, Mention] = {}
    made: set[tuple[str, str]] = set()
    for _, c in found:
        if c.predicate == "develops" and c.object.type in PRODUCT_TYPES:
            makers.setdefault(c.object.label, c.subject)
            made.add((c.subject.label, c.object.label))
    out = []
    for s, c in found:
        if c.predicate == "usesPlatform" and c.subject.type in PRODUCT_TYPES:
            maker = makers.get(c.subject.label)
            if maker is None or maker.label == c.object.label or (maker.label, c.object.label) in made:
                continue  # (a maker running one of its products on another of its own uses no one's platform)
            c = Candidate(Mention(c.subject.start, c.subject.end, maker.label, maker.type, "ORG", True), c.predicate,
                          c.object, c.rule + ".maker", c.confidence - 0.1, c.span, c.trigger)
        out.append((s, c))
    return out


_RIVAL_NOUNS = frozenset({"rival", "rivals", "competitor", "competitors", "arch-rival", "archrival", "challenger"})


def _rivals_named(view: DocView, found: list[tuple[Sentence, Candidate]]) -> list[tuple[Sentence, Candidate]]:
    """'Rival Endesa was flat.' / '..., while shares of rival BigCommerce fell': a name called a
    rival with no one named as whose rival is the rival of the sentence's first organisation, or,
    opening a sentence, of the one the sentence before is about."""
    out = []
    done = {(id(s), c.object.label) for s, c in found if c.predicate == "competesWith"} | \
           {(id(s), c.subject.label) for s, c in found if c.predicate == "competesWith"}
    previous: Sentence | None = None
    for s in view.sentences:
        norms = s.norms
        for g in s.groups:
            if g.cls != "ORG" or g.poss:
                continue
            k = g.start - 1
            while k >= s.start and s.skip[k]:
                k -= 1
            if k < s.start or norms[k] not in _RIVAL_NOUNS or not s.t.lower[k]:
                if not (k >= s.start and norms[k] in _RIVAL_NOUNS and k == s.start):
                    continue
            rivals = [m for m in g.members if m.type in ORG_TYPES and (id(s), m.label) not in done]
            if not rivals:
                continue
            first = next((m for m in s.mentions if m.cls == "ORG" and m.start < k and m.type in ORG_TYPES
                          and m.type != "MediaOrganization"), None)
            opener = all(s.skip[x] or norms[x] in ("the", "a", "its") for x in range(s.start, k))
            if first is None and opener and previous is not None:
                first = next((m for m in previous.mentions if m.cls == "ORG" and m.type in ORG_TYPES
                              and m.type != "MediaOrganization" and not m.poss), None)
            if first is None or (first.start >= s.start and opener):
                continue
            for m in rivals:
                if m.label != first.label:
                    cand = Candidate(first, "competesWith", m, "rel.compete.named", 0.6, (min(first.start, k), g.end),
                                     (k, k + 1))
                    if first.start < s.start or _status(s, cand) == "ok":
                        out.append((s, cand))
        if s.mentions:
            previous = s
    return out


def _tickers(view: DocView) -> list[tuple[Sentence, Candidate]]:
    """'(NASDAQ:MSFT)', '(NYSE: RIO; ASX: RIO)' after a company's name -> hasTicker and listedOn."""
    out = []
    doc = view.doc
    entities = doc._.kg_entities or {}
    exchanges: dict[str, str] = {}
    for label, ent in entities.items():
        if getattr(ent, "type", None) in ORG_TYPES:
            for name in (label, *getattr(ent, "aliases", ())):
                exchanges.setdefault(name.casefold(), label)
    for s in view.sentences:
        if "(" not in s.norms[s.start:s.end] or ":" not in s.norms[s.start:s.end]:
            continue
        text = s.text
        base = s.start_char
        for match in _BRACKET.finditer(text):
            pairs = _ticker_pairs(match.group(1))
            if not pairs:
                continue
            open_tok = doc.char_span(base + match.start(), base + match.start() + 1, alignment_mode="expand")
            close_tok = doc.char_span(base + match.end() - 1, base + match.end(), alignment_mode="expand")
            if open_tok is None or close_tok is None:
                continue
            k = open_tok.start - 1
            while k >= s.start and s.t.space[k]:
                k -= 1
            company = next((m for m in s.mentions if m.end == k + 1 and m.type == "Company"), None)
            if company is None:
                continue
            span = (company.start, close_tok.end)
            inside = [m for m in s.all_mentions if open_tok.start < m.start and m.end <= span[1] and m.cls == "ORG"
                      and m.label != company.label]
            for exchange, ticker in pairs:
                out.append((s, _literal(company, "hasTicker", ticker, "rel.ticker.bracket", 0.95, span)))
                named = [m for m in inside if doc[m.start:m.end].text.casefold() == exchange.casefold()]
                target = named[0].label if named else exchanges.get(exchange.casefold())
                ent = entities.get(target) if target else None
                if ent is not None and target != company.label and getattr(ent, "type", "") in ORG_TYPES:
                    obj = Mention(span[0], span[1], target, ent.type, "ORG", False)
                    out.append((s, Candidate(company, "listedOn", obj, "rel.listed.ticker", 0.8, span, span)))
    return out


def _name_prefix_develops(view: DocView) -> list[tuple[Sentence, Candidate]]:
    """'Globex Skyline', 'Globex 365 Assistant': a product named after its maker."""
    doc = view.doc
    entities = doc._.kg_entities or {}
    orgs: dict[str, str] = {}
    for label, ent in entities.items():
        if getattr(ent, "type", None) in ORG_TYPES:
            for name in (label, *getattr(ent, "aliases", ())):
                if len(name) >= 2:
                    orgs[name.casefold()] = label
    if not orgs:
        return []
    out = []
    done: set[tuple[str, str]] = set()
    for s in view.sentences:
        for m in s.all_mentions:
            if m.type not in PRODUCT_TYPES or m.ref:
                continue
            for name in (doc[m.start:m.end].text, m.label):
                words = name.split()
                for n in range(1, len(words)):
                    maker = orgs.get(" ".join(words[:n]).casefold())
                    if maker and maker != m.label and (maker, m.label) not in done:
                        done.add((maker, m.label))
                        subj = Mention(m.start, m.end, maker, entities[maker].type, "ORG", False)
                        out.append((s, Candidate(subj, "develops", m, "rel.develop.name", 0.9, (m.start, m.end),
                                                 (m.start, m.end))))
                        break
    return out


# --------------------------------------------------------------------------------------------
# the stage


def _relation(s: Sentence, c: Candidate) -> Relation:
    text, start, end = _evidence_bounds(s)
    conf = round(min(0.99, max(0.3, c.confidence)), 3)
    literal = c.object.cls == "LIT"
    return Relation(c.subject.label, c.predicate, c.object.label, Evidence(text, start, end, c.rule, conf),
                    literal=literal)


def candidates(doc: Doc) -> list[tuple[Sentence, Candidate]]:
    """Every relation candidate with its sentence (deduplicated per sentence; cached)."""
    return analysed(doc)[1]


def analysed(doc: Doc) -> tuple[DocView, list[tuple[Sentence, Candidate]]]:
    """The sentence analysis of `doc` and its relation candidates (both cached)."""
    entry = _entry(doc)
    if entry.candidates is None:
        entry.candidates = _candidates(entry.view)
    return entry.view, entry.candidates


def _candidates(view: DocView) -> list[tuple[Sentence, Candidate]]:
    found: list[tuple[Sentence, Candidate]] = []
    for s in view.sentences:
        if not s.mentions:
            continue
        found.extend((s, c) for c in _relations_in(s))
    found.extend(_rivals_named(view, found))
    found.extend(_tickers(view))
    found.extend(_name_prefix_develops(view))
    found = _products_for_makers(found)
    best: dict[tuple[int, str, str, str], tuple[Sentence, Candidate]] = {}
    order: list[tuple[int, str, str, str]] = []
    for s, c in found:
        a, b = c.subject.label, c.object.label
        if a == b and c.object.cls != "LIT":  # nothing relates to itself: a resolution slip, never a fact
            continue
        if c.predicate in SYMMETRIC and b < a:
            a, b = b, a
        key = (s.start, a, c.predicate, b)
        if key not in best:
            order.append(key)
            best[key] = (s, c)
        elif c.confidence > best[key][1].confidence:
            best[key] = (s, c)
    # an ended partnership in a sentence outranks the same pair stated as active there
    keys = set(best)
    result = []
    for key in order:
        start, a, p, b = key
        if p == "partnersWith" and (start, a, "formerPartnerOf", b) in keys:
            continue
        result.append(best[key])
    return result


def find_relations(doc: Doc) -> list[Relation]:
    """Every relation of vocabulary.md stated in `doc`, each with its evidence sentence and rule."""
    return [_relation(s, c) for s, c in candidates(doc)]
