"""A deterministic generator of synthetic news articles, for speed and scale (not quality).

    python bench/corpus.py --articles 1000 --out bench/out/corpus-1k [--seed 7] [--jsonl]

Names are made from seeded syllables, so the corpus holds thousands of companies, products,
people and places no lexicon knows; sentences come from varied templates and styles.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

_SYLLABLES = ("ka", "lo", "ve", "tri", "mon", "zar", "quel", "dro", "fen", "bal", "sio", "nor", "tek", "vix",
              "ra", "pel", "dun", "cor", "mi", "ast", "gle", "hal", "ver", "ost", "lin", "sa", "bre", "tu")
_SUFFIXES = ("Inc.", "Corporation", "Group", "AG", "SE", "plc", "Holdings", "Technologies", "Systems", "Motors",
             "Labs", "Industries")
_GIVEN = ("Anna", "Luis", "Mei", "Omar", "Sofia", "Jonas", "Priya", "Kenji", "Chloe", "Mateo", "Aisha", "Lars",
          "Elena", "David", "Yuki", "Fatima", "Noah", "Ingrid", "Raj", "Clara")
_TITLES = ("chief executive", "chief financial officer", "head of research", "co-founder and chief executive",
           "chief technology officer", "senior analyst", "managing director")
_TECH = ("artificial intelligence", "cybersecurity", "cloud computing", "machine learning", "robotics",
         "electric vehicles", "semiconductors", "quantum computing", "battery technology", "data analytics")
_METRICS = ("carbon emissions", "operating costs", "energy use", "data centre footprint", "water consumption",
            "delivery times")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_CONNECTIVE = ("Meanwhile,", "Separately,", "In a statement,", "Analysts noted that", "According to people briefed,")


class World:
    """Seeded pools of names that articles draw from."""

    def __init__(self, rng: random.Random, size: int) -> None:
        def word(n: int) -> str:
            return "".join(rng.choice(_SYLLABLES) for _ in range(n)).capitalize()

        self.companies = sorted({f"{word(rng.randint(2, 3))} {rng.choice(_SUFFIXES)}" for _ in range(size)})
        self.products = sorted({f"{word(2)} {rng.choice(('Cloud', 'Studio', 'One', 'Edge', 'Pro', 'Hub'))}"
                                for _ in range(size // 2)})
        self.places = sorted({word(rng.randint(2, 3)) for _ in range(max(20, size // 10))})
        self.people = sorted({f"{rng.choice(_GIVEN)} {word(2)}" for _ in range(size)})


def _sentence(rng: random.Random, w: World) -> str:
    a, b, c = rng.sample(w.companies, 3)
    short = a.rsplit(" ", 1)[0]
    product = rng.choice(w.products)
    person = rng.choice(w.people)
    tech = rng.choice(_TECH)
    place = rng.choice(w.places)
    year = rng.randint(2026, 2035)
    templates = (
        f"{a} has entered a {rng.randint(2, 10)}-year strategic partnership with {b} to develop {tech}.",
        f"{a} and {b} announced a joint venture focused on {tech} on {rng.choice(_MONTHS)} {rng.randint(1, 28)}.",
        f"The {place}-based company {a} will deploy {product} across its plants.",
        f"{a} is migrating its data platforms to {product}, {person}, {rng.choice(_TITLES)} of {short}, said.",
        f"{b} agreed to acquire {c} for ${rng.randint(1, 90)} billion, the companies said.",
        f"{a} took a {rng.randint(5, 45)}% stake in {c} last quarter.",
        f"{c} supplies batteries to {a} and {b}.",
        f"{a} ended its collaboration with {b} after {rng.randint(2, 6)} years.",
        f"{short} said it aims to cut {rng.choice(_METRICS)} by {rng.randint(10, 80)} percent by {year}.",
        f"Shares of {a} rose {rng.randint(1, 9)}.{rng.randint(0, 9)}% after the announcement.",
        f"{a} competes with {b} and {c} in {tech}.",
        f"{a}, headquartered in {place}, reported higher revenue from {product}.",
        f"{a} has no plans to partner with {b}, a spokesperson said.",
        f"{rng.choice(_CONNECTIVE)} {a} could consider a bid for {c}.",
        f"{person}, a {rng.choice(_TITLES)} at {b}, said demand for {tech} remained strong.",
        f"{b} is a wholly owned subsidiary of {a}.",
    )
    return rng.choice(templates)


def article(rng: random.Random, w: World, words: int = 350) -> str:
    """One article of about `words` words: a headline, then paragraphs of 2–4 sentences."""
    a = rng.choice(w.companies)
    lines = [f"{a.rsplit(' ', 1)[0]} {rng.choice(('expands', 'reshapes', 'bets on', 'doubles down on'))} "
             f"{rng.choice(_TECH)}"]
    count = 0
    while count < words:
        paragraph = " ".join(_sentence(rng, w) for _ in range(rng.randint(2, 4)))
        lines.append(paragraph)
        count += len(paragraph.split())
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path, *, seed: int = 7, jsonl: bool = False, words: int = 350) -> list[Path]:
    """Write `n` articles under `out` (files, or one corpus.jsonl); returns the paths written."""
    rng = random.Random(seed)
    world = World(rng, max(50, n // 2))
    out.mkdir(parents=True, exist_ok=True)
    if jsonl:
        path = out / "corpus.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i in range(n):
                f.write(json.dumps({"id": f"a{i:06d}", "text": article(rng, world, words)}) + "\n")
        return [path]
    paths = []
    for i in range(n):
        path = out / f"{i:06d}.txt"
        path.write_text(article(rng, world, words), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--words", type=int, default=350)
    parser.add_argument("--jsonl", action="store_true")
    args = parser.parse_args(argv)
    paths = generate(args.articles, args.out, seed=args.seed, jsonl=args.jsonl, words=args.words)
    print(f"wrote {args.articles} articles to {args.out} ({len(paths)} files)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
