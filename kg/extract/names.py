"""Stage 2, names: find the names in an article two ways and merge them.

1. The **lexicon** (`kg.lexicon`): a case-sensitive `PhraseMatcher` over every label and alias
   that has a capital letter, and a case-insensitive one over all-lower-case labels
   (`artificial intelligence`, `cybersecurity`). Tickers count only inside brackets after an
   exchange, `(NASDAQ:MSFT)`, `(NYSE: TM; TYO: 7203)`, `(Xetra: ENR)`, `(Nasdaq Stockholm: HM B)`
   (a Title Case word counts as an exchange unless not_exchanges.txt lists it: `(Photo: AP)`).
2. A **generic finder** for names no lexicon holds: runs of capitalised tokens, joined over
   `&`, name particles (`de`, `von der`), `of` after institution words (`Bank of America`),
   digits inside (`Microsoft 365 Copilot`) and tight hyphens (`Mercedes-Benz`), CamelCase
   (`NewsTrackerToday`), and over a lone given name's possessive when the article never uses
   that given name alone (`Lloyd's Register`: named after a person). It leaves out months and
   weekdays, job titles (which split a run: `Volkswagen Chief Executive Oliver Blume` gives two
   names; a title word joined by `and` to a name with no name after it is one, `Direct Line
   and Admiral remain ...`) and the department after one
   (`Head of Investor Relations`: departments.txt), honorifics, nationality words before a
   known name (`Chinese BYD`; `Baltic Gate Terminals` and `British Land` keep theirs), common
   words and descriptor nouns opening a sentence (`Shares`, `Separately`, `Rival X`, judged by
   common_words.txt, descriptors.tsv, the article's own lower-case words and simple
   inflections), and whole Title Case headline lines (not a `By ...` byline, not a line of
   running sentences, not the name before a stock listing: `Foo plc (LSE: FOO) - Q2 call`).
3. **Datelines** at a paragraph start, `HANOVER, Germany, April 22 (Brightline Wire) -`: the
   city is a Place, the source a MediaOrganization; an exchange in a ticker bracket is an
   Organization.

Overlaps: the longest name wins; on equal length the lexicon wins.

What the stage leaves on the Doc:

- `doc.ents`: every name; `label_` is the lexicon type, or `NAME` when stage 3 must type it;
  `kb_id_` is the lexicon label ("" for a generic name). With `publish=False` (how the
  Extractor runs it) the same names go to `doc.user_data["kg.names"]` instead, saving stage 3
  a costly `doc.ents` round trip;
- `doc.user_data["kg.lexicon"]`: every lexicon match as (start, end, type, label); stage 3
  falls back on them when it drops a longer generic name that hid them;
- `doc.spans["kg_tickers"]`: each bracketed ticker (`label_` = the exchange as written);
- `doc.spans["kg_model"]`: the entities of a trained pipeline, when one ran before this stage.

The module also holds what stages 2-4 share: the data-file readers (`word_set`, `table`), the
name helpers (`core_range`, `squash`, `camel_parts`) and `DocInfo`, the per-document cache of
token texts, offsets and sentence starts (read once through `Doc.to_array`, since touching
spaCy token objects costs about a microsecond each). The sentence splitter `kg_sentences`
lives here too.

>>> import spacy
>>> from kg.lexicon import Lexicon, LexiconEntry
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("kg_sentences")
>>> finder = nlp.add_pipe("kg_names")
>>> finder.set_lexicon(Lexicon([LexiconEntry("Initech", "Company", ("Initech Corporation",), ("ITCH",))]))
>>> doc = nlp("Initech Corporation (NASDAQ:ITCH) hired Jane Doe of Contoso Labs.")
>>> [(e.text, e.label_, e.kb_id_) for e in doc.ents]
[('Initech Corporation', 'Company', 'Initech'), ('NASDAQ', 'Organization', ''), ('ITCH', 'Company', 'Initech'), ('Jane Doe', 'NAME', ''), ('Contoso Labs', 'NAME', '')]
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import TypeVar

import numpy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.attrs import IDX, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span

from ..lexicon import Lexicon
from . import attrs  # noqa: F401  (registers the extension attributes)

DATA_DIR = Path(__file__).with_name("data")
_T = TypeVar("_T")

UNTYPED = "NAME"  # label of a name stage 3 still has to type
LEXICON_GROUP = "kg.lexicon"  # doc.user_data key: every lexicon match as (start, end, type, label)
TICKER_GROUP = "kg_tickers"
MODEL_GROUP = "kg_model"
EXCHANGE_TYPE = "Organization"
TICKER_TYPE = "Company"

POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", "-", "–", "—", "•", "*", "·", "»", "«", ":", "|"})
SENTENCE_END = frozenset({".", "!", "?", "…", "...", "!?", "?!"})
CLOSERS = frozenset({'"', "”", "’", "'", ")", "]", "»"})


# -- data files ------------------------------------------------------------------------------


def _lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def word_set(name: str, *, lower: bool = True) -> frozenset[str]:
    """The entries of a one-word-per-line data file, lower-cased unless `lower` is false."""
    return frozenset(line.lower() if lower else line for line in _lines(name))


def sectioned(lines: list[str], first: str) -> list[tuple[str, str]]:
    """(section, line) for each line of a data file split by `[section]` headers; lines before
    the first header are in `first`."""
    out: list[tuple[str, str]] = []
    section = first
    for line in lines:
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        else:
            out.append((section, line))
    return out


@lru_cache(maxsize=1)
def trigger_spec() -> dict:
    """relation_triggers.json, parsed once for every stage that reads its rules."""
    import json

    return json.loads((DATA_DIR / "relation_triggers.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a tab-separated data file with a header line, as dicts."""
    lines = _lines(name)
    header = lines[0].split("\t")
    return tuple(dict(zip(header, line.split("\t"))) for line in lines[1:])


@lru_cache(maxsize=None)
def title_words() -> dict[str, str]:
    """Job-title word (lower case) -> split mode (yes, no, before, after)."""
    return {row["word"].lower(): row["split"] for row in table("job_titles.tsv")}


@lru_cache(maxsize=None)
def name_heads() -> dict[str, tuple[str, str, str]]:
    """Head word (as written) -> (type, where, strip: "yes", "same" or "") from name_heads.tsv."""
    return {row["word"]: (row["type"], row["where"], row["strip"] if row["strip"] != "no" else "") for row in table("name_heads.tsv")}


@lru_cache(maxsize=None)
def legal_forms() -> frozenset[str]:
    """Words dropped from the end of a name to get its canonical core ("Inc.", "Corporation")."""
    return frozenset(word for word, (_, _, strip) in name_heads().items() if strip == "yes")


@lru_cache(maxsize=None)
def stop_words() -> frozenset[str]:
    return frozenset(STOP_WORDS)


@lru_cache(maxsize=None)
def common_words() -> frozenset[str]:
    """Words that are not names when they open a sentence: spaCy's stop words and common_words.txt."""
    return stop_words() | word_set("common_words.txt")


# -- shared helpers for stages 2-4 --------------------------------------------------------------

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z]+|[a-z]+|\d+")
_SQUASH = re.compile(r"[\W_]+", re.UNICODE)


def camel_parts(word: str) -> list[str]:
    """`NewsTrackerToday` -> [News, Tracker, Today]; a plain word -> [word]."""
    parts = _CAMEL.findall(word)
    return parts if len(parts) > 1 else [word]


@lru_cache(maxsize=1 << 16)
def squash(text: str) -> str:
    """A matching key: case-folded, without spaces or punctuation (`News Tracker Today` = `NewsTrackerToday`)."""
    return _SQUASH.sub("", text.casefold())


def core_range(words: list[str], start: int, end: int) -> tuple[int, int]:
    """The token range of a name without a leading `the` and trailing legal forms or possessives.

    `the Foo Group Inc.` -> `Foo`. A legal form is kept when dropping it would leave nothing or
    only a common word (`General Motors` stays whole; `Motors` is not a legal form anyway).
    """
    a, b = start, end
    while b > a + 1 and words[b - 1] in POSSESSIVES:
        b -= 1
    if b - a > 1 and words[a].lower() == "the":
        a += 1
    forms = legal_forms()
    commons = common_words()
    while b - a > 1 and words[b - 1] in forms:
        c = b - 1
        while c > a and words[c - 1] in {",", "&"}:
            c -= 1
        if c <= a or (c - a == 1 and words[a].lower() in commons):
            break
        b = c
    return a, b


def core_words(words: list[str]) -> list[str]:
    """The words of a name without a leading `the` and trailing legal forms (`the Foo Group Inc.` -> [Foo])."""
    a, b = core_range(words, 0, len(words))
    return words[a:b]


_ORTH_TEXTS: dict[int, str] = {}  # token hash -> text, kept across documents
_GAPS = ("", " ")
_LOWER: dict[str, str] = {}
_DISTINCT: list = [None, set()]  # the token list last asked about, and its set of words


def distinct(words: list[str]) -> set[str]:
    """The set of `words` (kept while the same token list is being read; not to be changed)."""
    if _DISTINCT[0] is not words:
        _DISTINCT[0], _DISTINCT[1] = words, set(words)
    return _DISTINCT[1]


def positions(items: list, test: Callable[[object], bool]) -> list[int]:
    """The indices of `items` where `test` holds (a C loop when `test` is a method such as `set.__contains__`)."""
    return list(compress(range(len(items)), map(test, items)))


def per_word(words: list[str], cache: dict[str, _T], compute: Callable[[str], _T]) -> list[_T]:
    """`compute(word)` for each of `words`: each distinct word computed once, kept in `cache` across documents."""
    missing = distinct(words).difference(cache)
    if missing:
        if len(cache) > 500_000:
            cache.clear()
            missing = set(words)
        for word in missing:
            cache[word] = compute(word)
    return list(map(cache.__getitem__, words))


def _lower(word: str) -> str:
    return "'s" if word in POSSESSIVES else word.lower()


class DocInfo:
    """Per-document facts every stage needs, computed once (token texts, offsets, sentence starts).

    Reading them through spaCy token objects costs about a microsecond per token and stage;
    these come from `Doc.to_array` and are kept in `doc.user_data`.
    """

    __slots__ = ("words", "idx", "spaces", "text", "_sent_starts", "_doc", "_lower", "_parsed", "_specials", "initial")

    def __init__(self, doc: Doc) -> None:
        texts = _ORTH_TEXTS
        if len(texts) > 500_000:
            texts.clear()
        orths, idx, spaces = doc.to_array([ORTH, IDX, SPACY]).T.tolist()
        try:
            self.words: list[str] = list(map(texts.__getitem__, orths))  # (cheaper than the StringStore)
        except KeyError:
            strings = doc.vocab.strings
            for o in set(orths).difference(texts):
                texts[o] = strings[o]
            self.words = list(map(texts.__getitem__, orths))
        self.idx: list[int] = idx
        self.spaces: list[int] = spaces  # 1 where whitespace follows the token
        parts = [""] * (2 * len(orths))
        parts[::2] = self.words
        parts[1::2] = map(_GAPS.__getitem__, spaces)
        self.text: str = "".join(parts)
        self._sent_starts: list[int] | None = None
        self._lower: list[str] | None = None
        self._parsed: bool | None = None
        self._specials: list[int] | None = None
        self._doc = doc
        self.initial: set[int] = set()  # sentence-opening positions (set by stage 2)

    @property
    def lower(self) -> list[str]:
        """Token texts in lower case, every possessive marker written `'s`."""
        if self._lower is None:
            self._lower = per_word(self.words, _LOWER, _lower)
        return self._lower

    @property
    def specials(self) -> list[int]:
        """Tokens that are whitespace or a colon or end in ".", "!", "?" or "…": all that sentence
        splitting and line handling look at, found in one pass over the document."""
        if self._specials is None:
            words = self.words
            found = {w for w in distinct(words) if w[-1] in ".!?…" or w[0].isspace() or w == ":" or "\n" in w}
            self._specials = positions(words, found.__contains__)
        return self._specials

    @property
    def parsed(self) -> bool:
        """Whether a trained parser annotated the Doc (`doc.has_annotation("DEP")`, which reads every token)."""
        if self._parsed is None:
            self._parsed = self._doc.has_annotation("DEP")
        return self._parsed

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens start..end with the document's own spacing."""
        if end <= start:
            return ""
        return self.text[self.idx[start] : self.idx[end - 1] + len(self.words[end - 1])]

    def space_after(self, i: int) -> bool:
        """Whether whitespace follows token i."""
        end = self.idx[i] + len(self.words[i])
        return end < len(self.text) and (i + 1 >= len(self.words) or self.idx[i + 1] > end)

    @property
    def sent_starts(self) -> list[int]:
        """Token indices where sentences start."""
        if self._sent_starts is None:
            doc = self._doc
            if len(doc) and doc.has_annotation("SENT_START"):
                flags = doc.to_array(SENT_START).tolist()
                self._sent_starts = [i for i, f in enumerate(flags) if f == 1] or [0]
                if self._sent_starts[0] != 0:
                    self._sent_starts.insert(0, 0)
            else:
                self._sent_starts = [0]
        return self._sent_starts

    @sent_starts.setter
    def sent_starts(self, starts: list[int]) -> None:
        self._sent_starts = starts

    def __reduce__(self):  # not worth pickling: rebuilt on demand
        return (_none, ())


def _none() -> None:
    return None


INFO_KEY = "kg.info"
NAMES_KEY = "kg.names"  # doc.user_data: stage output not yet published to doc.ents


class Name:
    """A found name between stages: token span, label (type or NAME) and lexicon/entity label."""

    __slots__ = ("start", "end", "label_", "kb_id_")

    def __init__(self, start: int, end: int, label: str, kb_id: str = "") -> None:
        self.start, self.end, self.label_, self.kb_id_ = start, end, label, kb_id

    def __len__(self) -> int:
        return self.end - self.start

    def __repr__(self) -> str:
        return f"Name({self.start}, {self.end}, {self.label_!r}, {self.kb_id_!r})"


def names_of(doc: Doc) -> list[Name]:
    """The names the previous stage handed on: kept in `doc.user_data` when it did not publish
    them (the Extractor's pipeline saves setting `doc.ents` twice), else `doc.ents`."""
    names = doc.user_data.get(NAMES_KEY)
    if names is not None:
        return list(names)
    return [Name(e.start, e.end, e.label_, e.kb_id_) for e in doc.ents]


def hand_on(doc: Doc, names: list[Name], *, publish: bool) -> None:
    """Give `names` to the next stage: as `doc.ents` when `publish`, else in `doc.user_data`."""
    if publish:
        doc.user_data.pop(NAMES_KEY, None)
        doc.ents = [Span(doc, n.start, n.end, label=n.label_, kb_id=n.kb_id_) for n in names]
    else:
        doc.user_data[NAMES_KEY] = names


_RECENT: list[DocInfo | None] = [None]  # the last DocInfo built: stage 4 drops it from user_data, stage 5 reads it


def doc_info(doc: Doc) -> DocInfo:
    """The cached DocInfo of `doc` (built on first use)."""
    info = doc.user_data.get(INFO_KEY)
    if info is None or info._doc is not doc or len(info.words) != len(doc):
        info = doc.user_data[INFO_KEY] = read_info(doc)
    return info


def read_info(doc: Doc) -> DocInfo:
    """The DocInfo of `doc`, without keeping it in `doc.user_data` (for the stages after stage 4)."""
    info = doc.user_data.get(INFO_KEY)
    if info is None or info._doc is not doc or len(info.words) != len(doc):
        info = _RECENT[0]
        if info is None or info._doc is not doc or len(info.words) != len(doc):
            info = _RECENT[0] = DocInfo(doc)
    return info


def join_words(doc: Doc, start: int, end: int) -> str:
    """The text of tokens start..end with the document's own spacing."""
    return doc_info(doc).span_text(start, end)


# -- token kinds ---------------------------------------------------------------------------------

K_OTHER, K_NAME, K_DIGIT, K_TITLE, K_TITLE_BEFORE, K_TITLE_AFTER, K_CAL, K_HONOR, K_DEMONYM, K_SPACE, K_LOWER = range(11)
_KINDS: dict[str, int] = {}
_NAME_LIKE = frozenset({K_NAME, K_DEMONYM, K_TITLE_BEFORE, K_TITLE_AFTER})  # kinds that may settle as a name
_BEFORE_NAME = frozenset({K_NAME, K_TITLE, K_TITLE_BEFORE, K_TITLE_AFTER, K_HONOR, K_DEMONYM})  # kinds a title may precede
_NAME_LIKE_AT: list = [None, []]  # the kinds list last settled, and where its tokens of _NAME_LIKE kinds are


def _classify(text: str) -> int:
    if text.isspace():
        return K_SPACE
    if text.isdigit():
        return K_DIGIT
    first = text[0]
    capital = first.isupper() or (
        (first.isalpha() or first.isdigit()) and any(c.isupper() for c in text[1:]) and any(c.isalpha() for c in text)
    )
    if not capital:
        return K_LOWER if first.islower() else K_OTHER
    if not any(c.isalpha() for c in text) or text == "I":
        return K_OTHER
    low = text.lower()
    if low in word_set("honorifics.txt"):
        return K_HONOR
    if low in word_set("calendar.txt"):
        return K_CAL
    mode = title_words().get(low)
    if mode == "yes" and (text[0].isupper()):
        return K_TITLE
    if mode == "before":
        return K_TITLE_BEFORE
    if mode == "after":
        return K_TITLE_AFTER
    if text in word_set("demonyms.txt", lower=False):
        return K_DEMONYM
    return K_NAME


def kind(text: str) -> int:
    """The shape class of a token text (cached across documents)."""
    k = _KINDS.get(text)
    if k is None:
        if len(_KINDS) > 500_000:
            _KINDS.clear()
        k = _KINDS[text] = _classify(text)
    return k


def token_kinds(words: list[str]) -> list[int]:
    """Kinds of each token, with contextual title words settled ("Vice President" vs "Vice Media")."""
    kinds = per_word(words, _KINDS, _classify)
    n = len(kinds)
    name_like = positions(kinds, _NAME_LIKE.__contains__)
    joined: list[int] = []
    for i in name_like:
        k = kinds[i]
        if k == K_TITLE_BEFORE:
            nxt = kinds[i + 1] if i + 1 < n else K_OTHER
            kinds[i] = K_TITLE if nxt in (K_TITLE, K_TITLE_BEFORE, K_TITLE_AFTER) else K_NAME
        elif k == K_TITLE_AFTER:
            kinds[i] = K_TITLE if i and kinds[i - 1] == K_TITLE else K_NAME
        elif k == K_NAME and i + 3 < n and kinds[i + 2] == K_TITLE and words[i + 1] == "and" \
                and kinds[i + 3] not in _BEFORE_NAME:
            # "Direct Line and Admiral remain ...": a title word joined to a name, with no name
            # after it to be the title of, is a name itself
            joined.append(i + 2)
    if joined:
        for i in joined:
            kinds[i] = K_NAME
        name_like = sorted(name_like + joined)
    _NAME_LIKE_AT[0], _NAME_LIKE_AT[1] = kinds, name_like
    return kinds


def _run_starts(kinds: list[int]) -> list[int]:
    """Where kinds[i] is K_NAME or K_DEMONYM, in order."""
    found = _NAME_LIKE_AT[1] if _NAME_LIKE_AT[0] is kinds else positions(kinds, _RUN_KINDS.__contains__)
    return [i for i in found if kinds[i] == K_NAME or kinds[i] == K_DEMONYM]


def initial_positions(doc: Doc, words: list[str]) -> set[int]:
    """Token indices where a sentence really starts (after opening quotes, brackets, bullets, colons)."""
    starts: set[int] = set()
    n = len(words)
    for i in doc_info(doc).sent_starts:
        while i < n and (words[i].isspace() or words[i] in OPENERS):
            i += 1
        starts.add(i)
    marks = {w for w in distinct(words) if w == ":" or w.isspace()}
    for i in [i for i in doc_info(doc).specials if words[i] in marks]:
        j = i + 1
        while j < n and (words[j].isspace() or words[j] in OPENERS):
            j += 1
        starts.add(j)
    return starts


_HEADLINE_FUNCTION = frozenset(
    "a an and as at by for from in into is are of on or over the to vs vs. with its it after amid up out new".split()
)


def headline_mask(doc: Doc, words: list[str], kinds: list[int]) -> list[bool]:
    """True for tokens on a Title Case line without closing punctuation (a headline, a subheading)."""
    n = len(words)
    mask = [False] * n
    start = 0
    breaks = [i for i in doc_info(doc).specials if kinds[i] == K_SPACE and "\n" in words[i]]
    for i in [*breaks, n]:
        line = range(start, i)
        start = i + 1
        last = next((j for j in reversed(line) if kinds[j] != K_SPACE), None)
        if last is None or words[last] in SENTENCE_END or words[last] in CLOSERS or words[last] in {":", ","} \
                or (words[last].endswith(".") and len(words[last]) > 1):
            continue  # (a last word like "Ltd." ends a sentence too)
        if any(words[j] in SENTENCE_END for j in line):
            continue  # sentences run on after a full stop: prose, not a headline
        first = next((j for j in line if kinds[j] != K_SPACE), None)
        if first is not None and words[first].lower() == "by":
            continue  # a byline: "By Jane Doe"
        content = [j for j in line if words[j][:1].isalpha() and words[j].lower() not in _HEADLINE_FUNCTION]
        if len(content) < 2 or len(content) > 25:
            continue
        capitalised = sum(1 for j in content if kinds[j] != K_LOWER)
        if capitalised >= 0.75 * len(content):
            for j in line:
                mask[j] = True
    return mask


# -- the component -------------------------------------------------------------------------------

_BRACKET = re.compile(r"\(([^()\n]{2,80})\)")
_LISTING = re.compile(
    r"\s*(?P<exchange>[A-Z][A-Za-z]{1,14}(?:[ .][A-Z][A-Za-z]{1,14})?)\s*:\s*(?P<ticker>[A-Z0-9][A-Z0-9.\-]{0,9}(?: [A-Z])?)\s*"
)
_YEAR = re.compile(r"(1[89]|20)\d\d")
MODEL_LABELS = frozenset({"ORG", "PERSON", "PER", "GPE", "LOC", "FAC", "PRODUCT", "MISC", "NORP"})


class NameFinder:
    """The `kg_names` pipeline component (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = "kg_names", *, publish: bool = True) -> None:
        self.nlp = nlp
        self.name = name
        self.publish = publish
        self.set_lexicon(Lexicon())

    # lexicon ---------------------------------------------------------------------------
    def set_lexicon(self, lexicon: Lexicon) -> None:
        """Compile the matchers for `lexicon` (replacing any earlier one)."""
        self.lexicon = lexicon
        self.cased = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.uncased = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        surface: dict[str, str] = {}
        self.tickers: dict[str, str] = {}
        self.types: dict[str, str] = {}
        self.exchanges: dict[str, str] = {}  # any name -> label, to recognise "(Nasdaq: MSFT)"
        for entry in lexicon:
            self.types[entry.label] = entry.type
            for name in (entry.label, *entry.aliases):
                name = " ".join(name.split())
                if not name:
                    continue
                surface[name] = entry.label
                self.exchanges[name] = entry.label
                if name.endswith(".") and len(name) > 2:
                    surface.setdefault(name[:-1], entry.label)
            for ticker in entry.tickers:
                self.tickers.setdefault(ticker.upper(), entry.label)
        by_label_cased: dict[str, list[str]] = {}
        by_label_lower: dict[str, list[str]] = {}
        for name, label in surface.items():
            if name == name.lower():
                by_label_lower.setdefault(label, []).append(name)
            else:
                by_label_cased.setdefault(label, []).append(name)
        for matcher, groups in ((self.cased, by_label_cased), (self.uncased, by_label_lower)):
            for label, names in groups.items():
                matcher.add(label, list(self.nlp.tokenizer.pipe(names)))

    # stage -----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        find_names(doc, self)
        return doc


def _lexicon_matches(doc: Doc, finder: NameFinder) -> list[tuple[int, int, str]]:
    strings = doc.vocab.strings
    found = [(s, e, strings[m]) for m, s, e in finder.cased(doc)]
    found += [(s, e, strings[m]) for m, s, e in finder.uncased(doc)]
    return found


def _tickers(doc: Doc, finder: NameFinder) -> list[tuple[int, int, str, str, int, int]]:
    """(ticker start, end, lexicon label or "", exchange text, exchange start, end) per bracketed listing."""
    out = []
    text = doc_info(doc).text
    if "(" not in text:
        return out
    for bracket in _BRACKET.finditer(text):
        offset = bracket.start(1)
        for part in re.finditer(r"[^;,]+", bracket.group(1)):
            m = _LISTING.fullmatch(part.group(0))
            if not m:
                continue
            ticker = m.group("ticker").rstrip(".-")
            if not any(c.isalpha() for c in ticker) and not ticker.isdigit():
                continue
            exchange = m.group("exchange")
            if not (exchange.replace(" ", "").isupper() or finder.types.get(finder.exchanges.get(exchange, ""), "") == EXCHANGE_TYPE
                    or (exchange.isalpha() and ticker.isupper() and exchange.lower() not in word_set("not_exchanges.txt"))):
                continue  # "(Photo: AP)" is no listing; exchanges are written in capitals, known, or "(Xetra: ENR)"
            t0 = offset + part.start() + m.start("ticker")
            x0 = offset + part.start() + m.start("exchange")
            tspan = doc.char_span(t0, t0 + len(ticker), alignment_mode="strict")
            xspan = doc.char_span(x0, x0 + len(m.group("exchange")), alignment_mode="strict")
            if tspan is None or xspan is None:
                continue
            out.append((tspan.start, tspan.end, finder.tickers.get(ticker.upper(), ""), xspan.text, xspan.start, xspan.end))
    return out


def find_names(doc: Doc, finder: NameFinder) -> None:
    """Stage 2 on one Doc (what the `kg_names` component runs)."""
    info = doc_info(doc)
    words = info.words
    n = len(words)
    doc.user_data.pop(NAMES_KEY, None)
    ents = doc.ents  # (a trained pipeline's entities; quicker to read than doc.has_annotation("ENT_IOB"))
    if ents:
        doc.spans[MODEL_GROUP] = [e for e in ents if e.label_ in MODEL_LABELS]
    kinds = token_kinds(words)
    initial = info.initial = initial_positions(doc, words)
    lower_words = set(compress(words, map(K_LOWER.__eq__, kinds)))
    commons = common_words()

    # candidates: (start, end, priority, label, kb_id); lower priority wins ties
    candidates: list[tuple[int, int, int, str, str]] = []

    lexical = []
    matches = _lexicon_matches(doc, finder)
    named_inside = {label for s, e, label in matches if s not in initial}
    for s, e, label in matches:
        if e - s == 1 and s in initial and label not in named_inside:
            # "Target prices rose": a common word opening a sentence, unless the article uses it as a name elsewhere
            low = words[s].lower()
            if (low in commons or low in lower_words) and words[s] != words[s].upper():
                continue
        lexical.append((s, e, 0, finder.types.get(label, UNTYPED), label))
    lexical = _select(lexical, n)
    doc.user_data[LEXICON_GROUP] = [(s, e, t, kb) for s, e, _, t, kb in lexical]
    candidates += lexical
    known = {info.span_text(s, e) for s, e, *_ in lexical}

    ticker_spans = []
    listings: list[int] = []  # where a listing bracket opens: "Foo plc (LSE: FOO)"
    for s, e, label, exchange, xs, xe in _tickers(doc, finder):
        k = xs - 1
        while k > 0 and words[k] != "(" and xs - k < 4:
            k -= 1
        listings.append(k)
        candidates.append((s, e, -1, finder.types.get(label, TICKER_TYPE), label))
        ticker_spans.append(Span(doc, s, e, label=exchange))
        candidates.append((xs, xe, 1, EXCHANGE_TYPE, ""))
    doc.spans[TICKER_GROUP] = ticker_spans

    for s, e, type_ in datelines(doc):
        candidates.append((s, e, -1, type_, ""))

    for s, e in _eponymous(_generic_runs(doc, words, kinds, initial, lower_words, known, listings), words, kinds,
                           initial, info):
        candidates.append((s, e, 1, UNTYPED, ""))

    for ent in doc.spans[MODEL_GROUP] if MODEL_GROUP in doc.spans else ():
        s, e = ent.start, ent.end
        while s < e and (words[s].lower() == "the" or kinds[s] in (K_SPACE, K_OTHER)):
            s += 1
        while e > s and (words[e - 1] in POSSESSIVES or kinds[e - 1] in (K_SPACE, K_OTHER)):
            e -= 1
        if e > s and any(kinds[j] in (K_NAME, K_DEMONYM) for j in range(s, e)) and ent.label_ != "NORP":
            candidates.append((s, e, 2, UNTYPED, ""))

    chosen = _select(candidates, n)
    hand_on(doc, [Name(s, e, label, kb) for s, e, _, label, kb in chosen], publish=finder.publish)


def _select(candidates: list[tuple[int, int, int, str, str]], n: int) -> list[tuple[int, int, int, str, str]]:
    """Non-overlapping candidates, longest first, then by priority; returned in text order."""
    taken = bytearray(n)
    chosen = []
    for cand in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        s, e = cand[0], cand[1]
        if any(taken[s:e]):
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append(cand)
    chosen.sort()
    return chosen


@lru_cache(maxsize=None)
def _legal_sets() -> tuple[frozenset[str], frozenset[str]]:
    """Legal forms written in lower case (`plc`), and those that may follow a comma (`, Inc.`)."""
    return (frozenset(w for w in legal_forms() if w == w.lower()),
            frozenset(w for w in legal_forms() if w.lower().rstrip(".") in {"inc", "ltd", "llc", "plc", "co", "corp"}))


def _generic_runs(
    doc: Doc, words: list[str], kinds: list[int], initial: set[int], lower_words: set[str], known: set[str],
    listings: list[int] = (),
) -> list[tuple[int, int]]:
    """Capitalised runs that look like names (see the module docstring)."""
    info = doc_info(doc)
    n = len(words)
    headline = headline_mask(doc, words, kinds)
    for k in listings:
        # a name before a stock listing is a name even in a headline: "Foo Group plc (LSE: FOO) - Q2 results"
        k -= 1
        while k >= 0 and words[k].isspace():
            k -= 1
        while k >= 0 and headline[k] and kinds[k] != K_SPACE and kinds[k] != K_OTHER:
            headline[k] = False
            k -= 1
    particles = word_set("name_particles.txt")
    of_heads = word_set("of_heads.txt")
    quantities = word_set("quantity_words.txt")
    heads = name_heads()
    lower_legal, comma_legal = _legal_sets()
    raw: list[tuple[int, int, list[int]]] = []
    resume = 0
    for i in _run_starts(kinds):
        if i < resume or headline[i]:
            continue
        s, e, hyphens = i, i + 1, []
        if i and kinds[i - 1] == K_DIGIT and not info.space_after(i - 1) and len(words[i - 1]) <= 2:
            s = i - 1  # "3M": the tokenizer splits a leading digit off
        j = i + 1
        while j < n:
            kj = kinds[j]
            if kj == K_NAME or kj == K_DEMONYM:
                e = j + 1
                j += 1
                continue
            w = words[j]
            nxt = kinds[j + 1] if j + 1 < n else K_OTHER
            if kj == K_DIGIT:
                if nxt == K_NAME and info.space_after(j):
                    j += 1
                    continue
                after = words[j + 1].lower() if j + 1 < n else ""
                if (
                    len(w) <= 4
                    and not _YEAR.fullmatch(w)
                    and (nxt != K_LOWER or after.endswith("ly") or after in stop_words())
                    and nxt != K_DIGIT
                    and after not in quantities
                    and not (after in {".", ","} and j + 2 < n and kinds[j + 2] == K_DIGIT)
                ):
                    e = j + 1
                break
            if w == "&" and nxt == K_NAME:
                j += 1
                continue
            if w == "-" and not info.space_after(j - 1) and not info.space_after(j):
                if nxt == K_NAME:
                    hyphens.append(j)
                    j += 1
                    continue
                if nxt == K_LOWER and _name_syllable(words[j - 1], words[j + 1]):
                    e = j + 2  # "Park Jun-ho": a hyphenated given name
                    j += 2
                    continue
            low = w.lower()
            if low in particles and kj == K_LOWER:
                m = j
                while m < n and m - j < 3 and words[m].lower() in particles:
                    m += 1
                if m < n and kinds[m] == K_NAME:
                    j = m
                    continue
                break
            if low == "of" and nxt == K_NAME and words[e - 1].lower() in of_heads:
                j += 1
                continue
            if w in lower_legal:
                e = j + 1
                j += 1
                continue
            if w == "," and j + 1 < n and words[j + 1] in comma_legal:
                e = j + 2
                j += 2
                continue
            break
        raw.append((s, e, hyphens))
        resume = max(e, i + 1)

    runs: list[tuple[int, int]] = []
    text_of = info.span_text
    plain = {text_of(s, e) for s, e, h in raw if not h and s not in initial}
    known = known | plain
    commons = common_words()
    stops = stop_words()
    departments = word_set("departments.txt")
    demonyms, describing, months = word_set("demonyms.txt"), _describing_nouns(), month_prefixes()
    titles, forms = title_words(), legal_forms()
    for s, e, hyphens in raw:
        pieces = [(s, e)]
        if hyphens:
            bounds = [s, *hyphens, e]
            parts = [(bounds[0], bounds[1])] + [(h + 1, nx) for h, nx in zip(hyphens, bounds[2:])]
            if any(text_of(a, b) in known for a, b in parts):
                pieces = parts
        for a, b in pieces:
            # a nationality word opens a name when a head word closes it ("Korean Air") or when the
            # rest is no name of its own ("British Land", "Baltic Gate Terminals"); before a known
            # name it only describes it ("German Siemens")
            while a < b and kinds[a] == K_DEMONYM:
                if b - a >= 2 and words[b - 1] in heads:
                    break
                if b - a >= 2 and kinds[a + 1] == K_NAME and text_of(a + 1, b) not in known:
                    break
                a += 1
            if text_of(a, b).lower() in demonyms:
                continue  # "South Korean"
            if b - a >= 2 and kinds[b - 1] == K_DEMONYM and words[b - 2].lower() in commons:
                continue  # "North American"
            if a in initial and b - a >= 2 and (words[a].lower() in describing or (
                    words[a].isupper() and len(words[a]) > 3 and words[a].lower() in commons)):
                a += 1  # "Rival Endara SA was flat", "Chipmaker Nvidia said", "SOURCE Halcyon Orbital Inc."
            if a in initial and a < b:
                if _common_opener(words[a], commons, lower_words):
                    whole = text_of(a, b)
                    known_name = whole in plain and (b - a >= 2 or words[a] not in stops)
                    joined = b - a >= 3 and words[a + 1] == "&"  # "Marks & Spencer uses ...": a name
                    if words[a].lower() in stops or not (known_name or joined or (b - a >= 2 and words[b - 1] in heads)):
                        a += 1
                        while a < b and words[a].lower() in stops:
                            a += 1
            if a >= b:
                continue
            if b - a == 2 and kinds[b - 1] == K_DIGIT and words[a].lower()[:3] in months:
                continue  # "Jan 7"
            if a >= 2 and words[a - 1] in ("of", "for") and words[a - 2].lower() in titles and all(
                    words[j].lower() in departments or words[j].lower() in commons or words[j] in ("&", "and")
                    for j in range(a, b)):
                continue  # "Head of Investor Relations": a department inside a title
            if b - a == 1:
                w = words[a]
                if w.lower() in stops or len(w) < 2 or w in forms or kinds[a] == K_DEMONYM:
                    continue
            elif all(words[j] in forms for j in range(a, b)):
                continue
            runs.append((a, b))
    return runs


_RUN_KINDS = frozenset({K_NAME, K_DEMONYM})
_POSSESSIVE_S = frozenset({"'s", "’s", "'S", "’S"})


def _eponymous(runs: list[tuple[int, int]], words: list[str], kinds: list[int], initial: set[int],
               info: DocInfo) -> list[tuple[int, int]]:
    """Join a lone given name, its possessive and the capitalised run right after it into one name,
    an institution called after a person (`Lloyd's Register`, `Tom's Hardware`), unless the
    article also uses that given name on its own (then it is a person's: `Anna's Team`)."""
    given = given_names()
    n = len(words)
    by_start = {s: e for s, e in runs}
    out: list[tuple[int, int]] = []
    joined: set[int] = set()
    for s, e in runs:
        if s in joined:
            continue
        nxt = e + 1
        if (e - s == 1 and words[s] in given and e < n - 1 and words[e] in _POSSESSIVE_S
                and not info.space_after(s) and info.space_after(e) and nxt in by_start and nxt not in initial
                and kinds[nxt] == K_NAME and words[nxt] not in given and _only_before(words, s, e + 2, info)):
            out.append((s, by_start[nxt]))
            joined.add(nxt)
            continue
        out.append((s, e))
    return out


def _only_before(words: list[str], s: int, k: int, info: DocInfo) -> bool:
    """Whether every other use of words[s] is the same `Name's Word`, or the tail of a tight hyphen
    compound (`Hapag-Lloyd`)."""
    w, tail = words[s], words[s + 1 : k]
    for j, x in enumerate(words):
        if x != w or j == s:
            continue
        if words[j + 1 : j + 1 + len(tail)] == tail:
            continue
        if j >= 2 and words[j - 1] == "-" and not info.space_after(j - 2) and not info.space_after(j - 1):
            continue
        return False
    return True


@lru_cache(maxsize=None)
def _describing_nouns() -> frozenset[str]:
    """Singular descriptor nouns (descriptors.tsv) that may open a sentence before a name: "Rival X"."""
    return frozenset(row["noun"].lower() for row in table("descriptors.tsv") if " " not in row["noun"]
                     and not row["noun"].endswith("s"))


def _common_opener(word: str, commons: frozenset[str], lower_words: set[str]) -> bool:
    """Whether a capitalised word opening a sentence is an ordinary word (`Shares`, `Separately`),
    judged by the common-word list, the article's own lower-case words and simple inflections."""
    if word in given_names():
        return False
    low = word.lower()
    if low in commons or low in lower_words:
        return True
    if not low.isalpha() or len(low) < 4 or word.isupper():
        return False
    stems = []
    if low.endswith("ly"):
        return True
    if low.endswith("ies"):
        stems.append(low[:-3] + "y")
    if low.endswith("es"):
        stems.append(low[:-2])
    if low.endswith("s"):
        stems.append(low[:-1])
    if low.endswith("ing"):
        stems += [low[:-3], low[:-3] + "e"]
    if low.endswith("ed"):
        stems += [low[:-2], low[:-1]]
    return any(s in commons or s in lower_words for s in stems)


@lru_cache(maxsize=None)
def given_names() -> frozenset[str]:
    """Given names as written (given_names.txt)."""
    return word_set("given_names.txt", lower=False)


def _name_syllable(left: str, right: str) -> bool:
    """Whether `left-right` is a hyphenated given name (`Jun-ho`), not `AI-led` or `Tesla-style`."""
    return (
        left.isalpha()
        and left[:1].isupper()
        and len(left) <= 5
        and right.isalpha()
        and 2 <= len(right) <= 4
        and right not in word_set("hyphen_suffixes.txt")
        and right not in common_words()
    )


@lru_cache(maxsize=None)
def month_prefixes() -> frozenset[str]:
    """First three letters of every month and weekday name (`jan`, `mar`)."""
    return frozenset(w[:3] for w in word_set("calendar.txt") if len(w) > 4 and w.isalpha())


@lru_cache(maxsize=None)
def _dateline() -> re.Pattern[str]:
    months = sorted({w for w in word_set("calendar.txt", lower=False) if w.isalpha() and len(w) >= 3 and w[0].isupper()}, key=len, reverse=True)
    month = "(?:" + "|".join(re.escape(m) for m in months) + r")\.?"
    return re.compile(
        r"(?m)^[ \t]*(?P<place>[A-Z][A-Za-z'.\-]+(?:[ \t][A-Z][A-Za-z'.\-]+){0,3})"
        r"(?:,[ \t]*(?P<region>[A-Z][\w.]+(?:[ \t][A-Z][\w.]+){0,2}))?"
        r"(?:,[ \t]*(?P<date>(?:" + month + r"[ \t]+\d{1,2}|\d{1,2}[ \t]+" + month + r")(?:,?[ \t]*\d{4})?))?"
        r"[ \t]*(?:\((?P<src1>[^()\n]{2,40})\)|/(?P<src2>[^/\n]{2,40})/)?"
        r"[ \t]*(?:-|--|–|—)[ \t]"
    )


def datelines(doc: Doc) -> list[tuple[int, int, str]]:
    """Names in a wire dateline opening a paragraph: `HANOVER, Germany, April 22 (Brightline Wire) -`.

    The city (written in capitals, or followed by a date) is a Place, the source in brackets or
    slashes a MediaOrganization. Returns (start, end, type) token spans.
    """
    text = doc_info(doc).text
    out: list[tuple[int, int, str]] = []
    if " -" not in text and "—" not in text and "–" not in text:
        return out
    for m in _dateline().finditer(text):
        place = m.group("place")
        caps = place.replace(" ", "").replace(".", "").replace("-", "").replace("'", "")
        if not ((caps.isupper() and len(caps) >= 3) or m.group("date")):
            continue
        if not (m.group("date") or m.group("src1") or m.group("src2") or m.group("region")):
            # a bare "SAN FRANCISCO —": capitals and a dash only, so not a heading of common words
            if not caps.isupper() or all(_common_opener(w.title(), common_words(), set()) for w in place.split()):
                continue
        for group, type_ in (("place", "Place"), ("src1", "MediaOrganization"), ("src2", "MediaOrganization")):
            if m.group(group):
                span = doc.char_span(m.start(group), m.end(group), alignment_mode="strict")
                if span is not None:
                    out.append((span.start, span.end, type_))
    return out


@Language.factory("kg_names", default_config={"publish": True})
def make_name_finder(nlp: Language, name: str, publish: bool) -> NameFinder:
    """The stage-2 component; give it a lexicon with `.set_lexicon(lexicon)`.

    `publish=False` leaves the names in `doc.user_data` for stage 3 instead of `doc.ents`.
    """
    return NameFinder(nlp, name, publish=publish)


# -- sentence splitting --------------------------------------------------------------------------

_ABBREVIATED_END = frozenset({"inc.", "corp.", "co.", "ltd.", "u.s.", "u.k.", "e.u.", "plc.", "llc.", "s.a.", "n.v.", "ag."})


def split_sentences(doc: Doc) -> Doc:
    """Rule-based sentence boundaries: end punctuation (with closing quotes and brackets kept),
    paragraph breaks, line breaks after headlines, and an abbreviation such as `Inc.` ending a
    sentence when the next word is a common sentence opener."""
    info = doc_info(doc)
    words = info.words
    n = len(words)
    if not n:
        return doc
    starts = [0]
    wrapped = _hard_wrapped(info.text)
    commons = stop_words()
    ends = _END_TOKENS
    # only tokens that can end a sentence are looked at
    enders = {w for w in distinct(words) if w in ends or w[-1] in _END_CHARS or w[0] == "\n" or w[0].isspace()}
    candidates = [i for i in info.specials if words[i] in enders]
    resume = 0
    for i in candidates:
        if i < resume:
            continue
        w = words[i]
        if w in SENTENCE_END or (len(w) > 1 and w[-1] in "!?" and w.strip("!?") == ""):
            boundary = True
        elif w.isspace():
            if "\n" not in w:
                continue
            if "\n\n" in w or not wrapped:
                boundary = True
            else:
                prev = words[i - 1] if i else ""
                boundary = prev in SENTENCE_END or prev in CLOSERS or prev == ":"
        elif w.lower() in _ABBREVIATED_END and i + 1 < n:
            nxt = words[i + 1] if not words[i + 1].isspace() else (words[i + 2] if i + 2 < n else "")
            boundary = nxt[:1].isupper() and nxt.lower() in commons
        else:
            continue
        if not boundary:
            continue
        j = i + 1
        while j < n and (words[j] in CLOSERS or words[j] in SENTENCE_END):
            j += 1
        while j < n and words[j].isspace():
            j += 1
        resume = j
        if j < n:
            # a lower-case word right after a full stop continues the sentence ("approx. three")
            if w in SENTENCE_END and words[j].islower():
                continue
            if starts[-1] != j:
                starts.append(j)
    flags = numpy.full(n, -1, dtype="int64")
    flags[starts] = 1
    doc.from_array([SENT_START], flags.astype("uint64").reshape(-1, 1))
    info.sent_starts = starts
    return doc


_END_TOKENS = frozenset(SENTENCE_END | {"!?", "?!"})
_END_CHARS = frozenset(".!?")


def _hard_wrapped(text: str) -> bool:
    """Whether the text wraps lines at a fixed width (so a single newline is not a break)."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 4:
        return False
    lengths = sorted(len(line) for line in lines)
    mid = lengths[len(lengths) // 2]
    if not 50 <= mid <= 100:
        return False
    near = sum(1 for length in lengths if mid - 15 <= length <= mid + 5)
    unterminated = sum(1 for line in lines if line.rstrip()[-1:] not in ".!?\"”:")
    return near >= 0.6 * len(lines) and unterminated >= 0.4 * len(lines)


@Language.component("kg_sentences")
def sentence_component(doc: Doc) -> Doc:
    """The rule-based sentence splitter (see `split_sentences`)."""
    return split_sentences(doc)
