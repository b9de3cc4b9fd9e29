"""A deterministic generator of synthetic news articles, for speed and scale (not quality).

    .venv/bin/python bench/corpus.py --articles 1000 --out bench/out/corpus-1k [--seed 7] [--words 450]
    .venv/bin/python bench/corpus.py --articles 20000 --out bench/out/corpus-20k --jsonl [--shard 1000]

Names are made from seeded syllables, so the corpus holds thousands of companies, products,
platforms, people and places no lexicon knows. The prose aims at the density of real news,
not at a list of facts: four writing styles, each with its own layout and mix of sentences

    wire           dateline lead, short paragraphs, quotes, market numbers, a reporting credit
    press release  /Newswire/ dateline, executive quotes, feature bullets, "About X"
                   boilerplate, forward-looking-statements legalese, media contact
    analysis       long, hedged commentary and numbers, few facts per paragraph
    bulletin       a digest of short items, each dense with facts

and in every style only some sentences state a relation (partnership, acquisition, stake,
supplier, platform, headquarters, employer and title, ticker, goal, ...); the rest are filler,
quotes, numbers and background. Each article has a small cast (a focus company, a couple of
others, a person or two, a product, a platform, a place) drawn with a popularity skew, so a
few names recur across many articles and most are rare, and refers to them by full name,
short name, ticker or "the company".

Everything is a function of (seed, article number, size tier): article i is the same whatever
else is generated, and `iter_articles` streams, so 20,000 articles never sit in memory.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

STYLES = ("wire", "press", "analysis", "bulletin")
_STYLE_WEIGHTS = (45, 20, 20, 15)
_STYLE_LENGTH = {"wire": (0.6, 1.4), "press": (0.8, 1.3), "analysis": (1.3, 2.1), "bulletin": (0.25, 0.5)}
_LENGTH_NORM = 1.15  # the styles' mix of lengths and paragraphs' overshoot, so the mean comes out near --words

_SYLLABLES = ("ka", "lo", "ve", "tri", "mon", "zar", "quel", "dro", "fen", "bal", "sio", "nor", "tek", "vix",
              "ra", "pel", "dun", "cor", "mi", "ast", "gle", "hal", "ver", "ost", "lin", "sa", "bre", "tu",
              "gan", "ph", "or", "ul", "xen", "bor", "dal", "rin", "sef", "tam", "ov", "kir", "mel", "as")
_LEGAL = ("Inc.", "Corporation", "Corp.", "Group", "AG", "SE", "plc", "Holdings", "Ltd.", "N.V.", "S.A.", "Co.")
_KINDS = ("Technologies", "Systems", "Motors", "Labs", "Industries", "Energy", "Robotics", "Networks",
          "Semiconductor", "Pharmaceuticals", "Logistics", "Aerospace", "Bank", "Software", "Materials", "")
_PRODUCT_SUFFIXES = ("Pro", "One", "Edge", "Studio", "Max", "Pilot", "Suite", "X", "Go", "Air")
_PLATFORM_SUFFIXES = ("Cloud", "OS", "Platform", "Fabric", "Stack", "Grid")
_PLACE_SUFFIXES = ("", "", "", "burg", "ville", "stad", "port", "ford", "ia")
_GIVEN = ("Anna", "Luis", "Mei", "Omar", "Sofia", "Jonas", "Priya", "Kenji", "Chloe", "Mateo", "Aisha", "Lars",
          "Elena", "David", "Yuki", "Fatima", "Noah", "Ingrid", "Raj", "Clara", "Tomas", "Hana", "Samuel",
          "Leila", "Marco", "Nadia", "Oliver", "Rosa", "Victor", "Zara", "Ahmed", "Julia", "Kofi", "Lina")
_TITLES = ("chief executive", "chief financial officer", "head of research", "chief technology officer",
           "chief operating officer", "president", "managing director", "vice president of engineering",
           "head of strategy", "chief digital officer", "general counsel", "chairman")
_TECH = ("artificial intelligence", "cybersecurity", "cloud computing", "machine learning", "robotics",
         "electric vehicles", "semiconductors", "quantum computing", "battery technology", "data analytics",
         "generative AI", "autonomous driving", "5G networks", "edge computing", "digital twins",
         "blockchain", "computer vision", "renewable energy", "hydrogen fuel cells", "industrial automation")
_SUPPLIES = ("batteries", "chips", "sensors", "software", "steel", "components", "displays", "modules",
             "cathode materials", "power electronics")
_METRICS = ("carbon emissions", "operating costs", "energy use", "data centre footprint", "water consumption",
            "delivery times", "waste", "scope 3 emissions", "production costs", "downtime")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_EXCHANGES = ("NASDAQ", "NYSE", "LSE", "TSX", "ASX", "Euronext")
_WIRES = ("PRNewswire", "Business Wire", "GLOBE NEWSWIRE", "ACCESSWIRE")
_INDUSTRIES = ("automotive", "logistics", "banking", "retail", "healthcare", "telecommunications",
               "aerospace", "energy", "manufacturing", "insurance", "media", "chemicals")
_DESCRIPTORS = ("automaker", "chipmaker", "software maker", "lender", "retailer", "carrier", "supplier",
                "startup", "conglomerate", "group", "manufacturer", "insurer")
_QUARTERS = ("first", "second", "third", "fourth")
_ANALYST_FIRMS = ("Morrow & Hale", "Castell Research", "Linden Partners", "Arcway Securities", "Bramble Capital")
_COUNTRY = ("Veloria", "Ostland", "Kestria", "Marvonia", "Sarvik", "Tulvania", "Dravia", "Nordessa")


@dataclass(frozen=True)
class Company:
    name: str  # the short name, as in "shares of Drolo rose"
    full: str  # with kind and legal form: "Drolo Systems Inc."
    ticker: str | None
    exchange: str
    industry: str
    descriptor: str
    hq: str
    founded: int


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    employer: int  # index into World.companies


class World:
    """Seeded pools of names that articles draw from; bigger for bigger corpora."""

    def __init__(self, seed: int, articles: int) -> None:
        rng = random.Random(f"world:{seed}")
        size = _tier(articles)
        used: set[str] = set()

        def word(parts: int) -> str:
            return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()

        def fresh(make) -> str:  # type: ignore[no-untyped-def]
            for _ in range(1000):
                name = make()
                if name.casefold() not in used and len(name) > 3:
                    used.add(name.casefold())
                    return name
            raise RuntimeError("the syllables ran out of fresh names")

        self.places = [fresh(lambda: word(rng.choice((2, 2, 3))) + rng.choice(_PLACE_SUFFIXES))
                       for _ in range(max(40, size // 12))]
        self.companies: list[Company] = []
        for _ in range(size):
            short = fresh(lambda: word(rng.choice((2, 2, 3))))
            kind = rng.choice(_KINDS)
            full = " ".join(x for x in (short, kind, rng.choice(_LEGAL)) if x)
            ticker = short.upper()[:rng.choice((3, 4, 4))] if rng.random() < 0.55 else None
            self.companies.append(Company(short, full, ticker, rng.choice(_EXCHANGES), rng.choice(_INDUSTRIES),
                                          rng.choice(_DESCRIPTORS), rng.choice(self.places),
                                          rng.randint(1890, 2019)))
        self.products = [fresh(lambda: f"{word(2)} {rng.choice(_PRODUCT_SUFFIXES)}") for _ in range(size // 2)]
        self.platforms = [fresh(lambda: f"{word(2)} {rng.choice(_PLATFORM_SUFFIXES)}")
                          for _ in range(max(20, size // 20))]
        # two people at each company (people[2k] and people[2k+1] work for companies[k])
        self.people = [Person(fresh(lambda: f"{rng.choice(_GIVEN)} {word(rng.choice((2, 3)))}"),
                              rng.choice(_TITLES), k // 2) for k in range(2 * size)]
        self.reporters = [f"{rng.choice(_GIVEN)} {word(2)}" for _ in range(40)]
        self.publishers = [f"{word(2)} {rng.choice(('Wire', 'News', 'Ledger', 'Times', 'Post'))}" for _ in range(12)]


def _tier(articles: int) -> int:
    """How many companies (and people) the world holds: grows with the corpus, in steps."""
    for limit, size in ((200, 300), (2000, 1500), (12000, 6000)):
        if articles <= limit:
            return size
    return 10000


def _skewed(rng: random.Random, n: int) -> int:
    """An index in range(n): a few popular ones, a long tail."""
    return min(int(n * rng.random() ** 3), n - 1)


class _Cast:
    """Who an article is about, and how it names them."""

    def __init__(self, rng: random.Random, w: World) -> None:
        self.rng = rng
        self.w = w
        picked: list[int] = []
        while len(picked) < 4:
            i = _skewed(rng, len(w.companies))
            if i not in picked:
                picked.append(i)
        self.co = [w.companies[i] for i in picked]
        # a person at the focus company, one at the second
        self.people = [w.people[2 * c + rng.randrange(2)] for c in picked[:2]]
        self.product = w.products[_skewed(rng, len(w.products))]
        self.platform = w.platforms[_skewed(rng, len(w.platforms))]
        self.tech = rng.sample(_TECH, 3)
        self.place = self.co[0].hq
        self.year = rng.randint(2024, 2026)
        self.month = rng.randrange(12)
        self.day = rng.randint(1, 28)
        self.named: set[str] = set()
        self.said: set[str] = set()

    # ways of naming a company: the first time in full, then shorter
    def c(self, k: int = 0) -> str:
        co = self.co[k]
        if co.full not in self.named:
            self.named.add(co.full)
            if co.ticker and self.rng.random() < 0.3:
                return f"{co.full} ({co.exchange}: {co.ticker})"
            return co.full
        r = self.rng.random()
        return co.name if r < 0.8 else co.full

    def ref(self, k: int = 0) -> str:
        """A later reference: the short name, or "the company"/"the automaker"."""
        if self.rng.random() < 0.35 and self.co[k].full in self.named:
            return f"the {self.rng.choice(('company', self.co[k].descriptor))}"
        return self.c(k)

    def pct(self) -> str:
        return f"{self.rng.randint(1, 40)}.{self.rng.randint(0, 9)}%"

    def money(self, unit: str = "") -> str:
        unit = unit or self.rng.choice(("million", "billion"))
        return f"${self.rng.randint(2, 950) if unit == 'million' else self.rng.randint(1, 60)}.{self.rng.randint(0, 9)} {unit}"

    def date(self) -> str:
        return f"{_MONTHS[self.month]} {self.day}"

    def quote(self) -> str:
        return self.rng.choice(_QUOTES).format(tech=self.tech[0], industry=self.co[0].industry)


_QUOTES = (
    "We are excited to bring {tech} to our customers at a scale that simply was not possible before",
    "This is a long-term commitment, and we expect it to pay off over the next decade",
    "Our customers have been asking for this for years",
    "The {industry} industry is changing faster than at any time in its history",
    "We see enormous potential in {tech}, but we are being disciplined about where we invest",
    "It is too early to say what this means for margins",
    "Nothing about this deal changes our guidance for the year",
    "We will keep listening to regulators and to our employees as we move forward",
    "Frankly, we were late to {tech}, and this is how we catch up",
    "The numbers speak for themselves",
)


# -- sentences ---------------------------------------------------------------------------------
# Each takes the cast and returns one sentence (or a few); relation sentences state facts the
# extractor looks for, the others are the filler that makes up most of real news.

def _relation(x: _Cast) -> str:
    r = x.rng
    n = r.randrange(22)
    if n == 0:
        return f"{x.c(0)} and {x.c(1)} have entered into a {r.randint(2, 10)}-year strategic partnership to develop {x.tech[0]} and {x.tech[1]}."
    if n == 1:
        return f"{x.c(0)} said on {r.choice(_DAYS)} it had signed a multi-year agreement with {x.c(1)} covering {x.tech[0]}."
    if n == 2:
        return f"Under the agreement, {x.ref(0)} will deploy {x.platform} across its {r.randint(3, 120)} plants."
    if n == 3:
        return f"{x.c(0)} is migrating its core systems to {x.platform}, a move expected to take {r.randint(2, 5)} years."
    if n == 4:
        return f"{x.c(2)} agreed to buy {x.c(3)} for {x.money('billion')} in cash and stock, the companies said."
    if n == 5:
        return f"{x.c(0)} took a {r.randint(5, 45)}% stake in {x.c(2)} last quarter."
    if n == 6:
        return f"{x.c(2)} supplies {r.choice(_SUPPLIES)} to {x.c(0)} and {x.c(1)}."
    if n == 7:
        return f"{x.c(1)} ended its partnership with {x.c(3)} in {x.year - r.randint(1, 4)}."
    if n == 8:
        who = x.ref(0)
        return f"{who[0].upper()}{who[1:]} aims to cut {r.choice(_METRICS)} by {r.randint(10, 80)} percent by {r.randint(2027, 2040)}."
    if n == 9:
        p = x.people[0]
        return f"{p.name}, {p.title} of {x.c(0)}, said the company would double its investment in {x.tech[0]}."
    if n == 10:
        return f"{x.c(0)} competes with {x.c(2)} and {x.c(3)} in {x.tech[1]}."
    if n == 11:
        return f"{x.c(0)}, headquartered in {x.co[0].hq}, reported higher revenue from {x.product}."
    if n == 12:
        return f"{x.c(3)} is a wholly owned subsidiary of {x.c(2)}."
    if n == 13:
        return f"{x.c(1)} invested {x.money('million')} in {x.c(3)}, according to a regulatory filing."
    if n == 14:
        return f"{x.c(0)} unveiled {x.product}, which it developed with {x.c(1)}."
    if n == 15:
        p = x.people[1]
        return f"{p.name}, a {p.title} at {x.c(1)}, said demand for {x.tech[2]} remained strong."
    if n == 16:
        return f"Shares of {x.c(0)} ({x.co[0].ticker or x.co[0].name.upper()[:4]}) rose {x.pct()} after the announcement."
    if n == 17:
        return f"The {x.co[1].hq}-based {x.co[1].descriptor} {x.c(1)} will use {x.platform} for its {x.tech[2]} workloads."
    if n == 18:
        return f"{x.c(0)} and {x.c(1)} announced a joint venture focused on {x.tech[0]} on {x.date()}."
    if n == 19:
        return f"{x.c(2)}, a unit of {x.c(3)}, has worked with {x.c(0)} since {r.randint(2005, 2022)}."
    if n == 20:
        return f"{x.c(0)} has no plans to partner with {x.c(3)}, a spokesperson said."
    p = x.people[0]
    return f"\"{x.quote()},\" said {p.name}, {x.co[0].name}'s {p.title}."


def _filler(x: _Cast) -> str:
    r = x.rng
    n = r.randrange(30)
    t = x.tech[r.randrange(3)]
    if n == 0:
        return f"Revenue rose {x.pct()} to {x.money('billion')} in the {r.choice(_QUARTERS)} quarter, beating the average analyst estimate of {x.money('billion')}."
    if n == 1:
        return "The companies did not disclose the financial terms of the agreement."
    if n == 2:
        return f"The deal is expected to close in the {r.choice(('first', 'second'))} half of {x.year + 1}, subject to regulatory approval."
    if n == 3:
        return f"Analysts said the move reflects a broader shift in the {x.co[0].industry} industry toward {t}."
    if n == 4:
        return f"Demand for {t} has grown sharply over the past {r.randint(2, 9)} years, driven by falling costs and new regulation."
    if n == 5:
        return f"The shares have gained {x.pct()} so far this year, compared with a {x.pct()} rise in the broader index."
    if n == 6:
        return "A spokesperson declined to comment further."
    if n == 7:
        return "It was not immediately clear how many jobs would be affected."
    if n == 8:
        return f"The global market for {t} is forecast to reach {x.money('billion')} by {r.randint(2028, 2035)}, according to industry estimates."
    if n == 9:
        return "That matters because margins in the sector have been under pressure for several years."
    if n == 10:
        return "Still, not everyone is convinced."
    if n == 11:
        return "Investors will be watching the next earnings report closely for signs that the strategy is working."
    if n == 12:
        return f"\"This is a long-term bet,\" said one analyst, who asked not to be named because the talks were private."
    if n == 13:
        return f"The {x.co[0].descriptor} employs about {r.randint(2, 300) * 100:,} people in {r.randint(3, 60)} countries."
    if n == 14:
        return f"Operating margin narrowed to {x.pct()} from {x.pct()} a year earlier, as higher input costs weighed on results."
    if n == 15:
        return f"Earlier this year, the company cut its full-year outlook, citing weaker demand in {r.choice(_COUNTRY)}."
    if n == 16:
        return f"Regulators in {r.choice(_COUNTRY)} have opened an inquiry into pricing in the sector, which could take {r.randint(6, 24)} months."
    if n == 17:
        return f"Some {r.randint(20, 90)}% of respondents in a recent survey said they planned to increase spending on {t}."
    if n == 18:
        return "The announcement came after the market closed."
    if n == 19:
        return f"Rivals have made similar moves, though few at this scale."
    if n == 20:
        return f"Capital expenditure is expected to reach {x.money('billion')} next year, up from {x.money('billion')}."
    if n == 21:
        return "Critics say the plans rely too heavily on technology that has yet to be proven at scale."
    if n == 22:
        return f"The program will be rolled out in {r.randint(2, 5)} phases, starting with pilot sites in {r.choice(_COUNTRY)}."
    if n == 23:
        return f"Net income fell to {x.money('million')}, or {r.randint(0, 4)}.{r.randint(10, 99)} per share."
    if n == 24:
        return f"{r.choice(_ANALYST_FIRMS)} raised its price target on the stock by {r.randint(5, 30)}%, citing stronger order intake."
    if n == 25:
        return "The timing of the rollout has not been finalised."
    if n == 26:
        return f"Over the past decade the sector has consolidated rapidly, with the five largest players now holding more than {r.randint(40, 80)}% of the market."
    if n == 27:
        return "Officials have said they want to see more competition, not less."
    if n == 28:
        return f"Shipments are expected to begin in the {r.choice(_QUARTERS)} quarter of {x.year + 1}."
    return f"\"{x.quote()},\" {x.people[0].name} told reporters on a conference call."


def _analysis(x: _Cast) -> str:
    r = x.rng
    n = r.randrange(10)
    t = x.tech[r.randrange(3)]
    if n == 0:
        return (f"For years, the {x.co[0].industry} industry treated {t} as a side project, something to mention in "
                f"investor presentations rather than build a business around.")
    if n == 1:
        return (f"That is beginning to change, and the reasons are as much about cost as about ambition: the price of "
                f"computing has fallen by roughly {r.randint(30, 90)}% in {r.randint(3, 8)} years.")
    if n == 2:
        return ("Whether the bet pays off depends on factors that neither management nor investors fully control, "
                "including interest rates, supply chains and the patience of shareholders.")
    if n == 3:
        return (f"One way to read the numbers is that growth is slowing; another is that the company is deliberately "
                f"trading short-term revenue for a larger share of a market that may be worth {x.money('billion')} "
                f"within a decade.")
    if n == 4:
        return f"The risk, as ever, is execution."
    if n == 5:
        return (f"In interviews, {r.randint(3, 12)} executives across the sector described the same tension between "
                f"moving quickly and not breaking the systems that already work.")
    if n == 6:
        return (f"None of this is unique to {x.ref(0)}; similar debates are playing out in boardrooms from "
                f"{r.choice(_COUNTRY)} to {r.choice(_COUNTRY)}.")
    if n == 7:
        return f"History offers mixed lessons here."
    if n == 8:
        return (f"If the plan works, the company could reach break-even on the unit by {x.year + r.randint(1, 4)}; "
                f"if it does not, it will have spent {x.money('billion')} learning what not to do.")
    return (f"\"Everyone wants the upside of {t} without the disruption,\" said {r.choice(x.w.reporters)}, an analyst "
            f"at {r.choice(_ANALYST_FIRMS)}. \"That is not how it works.\"")


# -- articles ----------------------------------------------------------------------------------

def _paragraph(x: _Cast, relation_share: float, sentences: tuple[int, int], extra=None) -> str:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(x.rng.randint(*sentences)):
        roll = x.rng.random()
        make = _relation if roll < relation_share else extra if extra and roll < relation_share + 0.5 else _filler
        for _ in range(3):  # real articles rarely say the same sentence twice
            sentence = make(x)
            if sentence not in x.said:
                break
        x.said.add(sentence)
        out.append(sentence)
    return " ".join(out)


def _headline(x: _Cast) -> str:
    r = x.rng
    a, b = x.co[0].name, x.co[1].name
    return r.choice((
        f"{a} teams up with {b} on {x.tech[0]}",
        f"{a} to buy stake in {x.co[2].name} as {x.tech[1]} race heats up",
        f"{a} shares jump after {x.co[0].industry} deal",
        f"{a} bets big on {x.tech[0]}",
        f"Why {a}'s {x.tech[0]} push matters",
        f"{a} and {b} expand alliance",
        f"{a} posts {r.choice(_QUARTERS)}-quarter results, shares {r.choice(('rise', 'fall', 'slip', 'climb'))}",
    ))


def _words(parts: list[str]) -> int:
    return sum(p.count(" ") + 1 for p in parts)


def _wire(x: _Cast, target: int, publisher: str) -> list[str]:
    r = x.rng
    lead = (f"{x.place.upper()}, {x.date()} ({publisher}) - {_relation(x)} {_filler(x)}")
    parts = [lead]
    while _words(parts) < target:
        parts.append(_paragraph(x, 0.3, (1, 3)))
        if r.random() < 0.25:
            p = x.people[r.randrange(2)]
            parts.append(f"\"{x.quote()},\" {p.name} said in a statement.")
    parts.append(f"(Reporting by {r.choice(x.w.reporters)}; Editing by {r.choice(x.w.reporters)})")
    return parts


def _press(x: _Cast, target: int) -> list[str]:
    r = x.rng
    co = x.co[0]
    p = x.people[0]
    parts = [f"{x.place.upper()}, {x.date()}, {x.year} /{r.choice(_WIRES)}/ -- {x.c(0)} today announced "
             f"{r.choice(('a strategic collaboration with', 'an agreement with', 'a new partnership with'))} "
             f"{x.c(1)} to accelerate {x.tech[0]} for customers in the {co.industry} sector.",
             f"\"{x.quote()},\" said {p.name}, {p.title} of {co.name}. \"{x.quote()}.\""]
    bullets = [f"- {s}" for s in (
        f"Availability of {x.product} in {r.randint(5, 40)} markets by the end of {x.year + 1}",
        f"Integration with {x.platform} for {x.tech[1]} workloads",
        f"Up to {r.randint(10, 60)}% lower {r.choice(_METRICS)} for early adopters",
        "Dedicated support and joint engineering teams")]
    parts.append("Key highlights:\n" + "\n".join(r.sample(bullets, r.randint(2, 4))))
    while _words(parts) < target * 0.7:
        parts.append(_paragraph(x, 0.25, (2, 4)))
    ticker = f" ({co.exchange}: {co.ticker})" if co.ticker else ""
    parts.append(f"About {co.name}\n{co.full}{ticker} is a leading provider of {x.tech[0]} solutions for the "
                 f"{co.industry} industry, headquartered in {co.hq}. Founded in {co.founded}, the company employs "
                 f"more than {r.randint(2, 90) * 1000:,} people in {r.randint(10, 120)} countries. For more "
                 f"information, visit www.{co.name.lower()}.com.")
    while _words(parts) < target:
        parts.append(_paragraph(x, 0.2, (2, 3)))
    parts.append("Forward-Looking Statements\nThis press release contains forward-looking statements within the "
                 "meaning of applicable securities laws, including statements about expected benefits, timing and "
                 "financial results. These statements involve risks and uncertainties that could cause actual "
                 "results to differ materially, and the company undertakes no obligation to update them.")
    parts.append(f"Media contact: {r.choice(x.w.reporters)}, press@{co.name.lower()}.com, +1 555 01{r.randint(10, 99)}")
    return parts


def _analysis_article(x: _Cast, target: int) -> list[str]:
    parts = [_paragraph(x, 0.1, (3, 5), _analysis)]
    while _words(parts) < target:
        parts.append(_paragraph(x, 0.12, (3, 6), _analysis))
    return parts


def _bulletin(x: _Cast, target: int, w: World, rng: random.Random) -> list[str]:
    parts = [f"Business briefs for {x.date()}, {x.year}"]
    while _words(parts) < target:
        item = _Cast(rng, w)  # each item has its own cast
        parts.append(f"{item.place.upper()} - {_relation(item)} {_paragraph(item, 0.5, (1, 2))}")
    return parts


def make_article(i: int, world: World, *, seed: int = 7, words: int = 450) -> dict[str, str]:
    """Article number `i`: {"id", "style", "title", "date", "source", "text"}; the same every time."""
    rng = random.Random(f"article:{seed}:{i}")
    x = _Cast(rng, world)
    style = rng.choices(STYLES, _STYLE_WEIGHTS)[0]
    low, high = _STYLE_LENGTH[style]
    target = int(words * rng.uniform(low, high) / _LENGTH_NORM)
    publisher = rng.choice(world.publishers)
    title = _headline(x)
    if style == "wire":
        parts = _wire(x, target, publisher)
    elif style == "press":
        parts = _press(x, target)
    elif style == "analysis":
        parts = _analysis_article(x, target)
    else:
        parts = _bulletin(x, target, world, rng)
    text = title + "\n\n" + "\n\n".join(parts) + "\n"
    return {"id": f"a{i:06d}", "style": style, "title": title,
            "date": f"{x.year}-{x.month + 1:02d}-{x.day:02d}", "source": publisher, "text": text}


def iter_articles(n: int, *, seed: int = 7, words: int = 450) -> Iterator[dict[str, str]]:
    """The `n` articles of the corpus, one at a time."""
    world = World(seed, n)
    for i in range(n):
        yield make_article(i, world, seed=seed, words=words)


def generate(n: int, out: Path, *, seed: int = 7, jsonl: bool = False, words: int = 450,
             shard: int = 0) -> list[Path]:
    """Write `n` articles under `out`: one .txt each, or .jsonl files of `shard` articles (0: one file).

    Returns the paths written. kg reads a .jsonl file whole (and at most --max-size MB), so
    shard large corpora (1,000 articles of 450 words are about 3 MB; the default --max-size is 5 MB).
    """
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    if jsonl:
        f = None
        for i, a in enumerate(iter_articles(n, seed=seed, words=words)):
            if f is None or (shard and i % shard == 0):
                if f is not None:
                    f.close()
                paths.append(out / (f"corpus-{i // shard:04d}.jsonl" if shard else "corpus.jsonl"))
                f = paths[-1].open("w", encoding="utf-8")
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
        if f is not None:
            f.close()
        return paths
    for a in iter_articles(n, seed=seed, words=words):
        path = out / f"{a['id'][1:]}.txt"
        path.write_text(a["text"], encoding="utf-8")
        paths.append(path)
    return paths


# -- what the bench scripts share ----------------------------------------------------------------

OUT = Path(__file__).resolve().parent / "out"


def cached_corpus(n: int, *, seed: int = 7, words: int = 450, out: Path = OUT) -> Path:
    """The folder of `n` .txt articles under bench/out/, generated once (a marker file says it is whole)."""
    folder = out / f"corpus-{n}-s{seed}-w{words}"
    marker = folder / ".complete"
    if not marker.exists():
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        generate(n, folder, seed=seed, words=words)
        marker.write_text(json.dumps({"articles": n, "seed": seed, "words": words}))
    return folder


def machine_info() -> dict[str, object]:
    """CPU, cores, RAM, load, Python and library versions: what a benchmark ran on."""
    import os
    import platform
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    ram = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kb = next(int(line.split()[1]) for line in f if line.startswith("MemTotal:"))
            ram = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    versions = {}
    for package in ("pyoxigraph", "spacy", "rdflib", "kg"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": ram, "python": platform.python_version(),
            "platform": platform.platform(), **versions, "loadavg": [round(x, 2) for x in os.getloadavg()]}


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process, all its threads, and its reaped children so far."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def write_results(result: dict, path: Path, tables: str) -> None:
    """A benchmark's ending: its results as JSON at `path`, its tables on stdout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))
    print(tables)
    print(f"\nwritten to {path}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100, help="how many (100 to 20,000 and beyond)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write to")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", type=int, default=450, help="mean words per article")
    parser.add_argument("--jsonl", action="store_true", help="write JSON lines (id, style, title, date, source, text)")
    parser.add_argument("--shard", type=int, default=0, help="with --jsonl: articles per file (0: one file)")
    parser.add_argument("--stats", action="store_true", help="print words, sentences and styles to stderr")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = generate(args.articles, args.out, seed=args.seed, jsonl=args.jsonl, words=args.words, shard=args.shard)
    seconds = time.perf_counter() - started
    print(f"wrote {args.articles} articles to {args.out} ({len(paths)} files) in {seconds:.1f} s", file=sys.stderr)
    if args.stats:
        styles: dict[str, int] = {}
        total = 0
        for a in iter_articles(args.articles, seed=args.seed, words=args.words):
            styles[a["style"]] = styles.get(a["style"], 0) + 1
            total += len(a["text"].split())
        print(f"{total:,} words, {total / max(args.articles, 1):.0f} per article; styles {styles}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
