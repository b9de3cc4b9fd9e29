"""Fixtures for the export tests: a small store from tests/data/export/small.trig, and a
headless Chromium (Debian's /usr/bin/chromium driven by Playwright) for the HTML pages."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "export"
SMALL_TRIG = DATA / "small.trig"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

KG = "https://w3id.org/kg/ontology#"
E = "https://w3id.org/kg/id/entity/"
A = "https://w3id.org/kg/id/article/"
ARTICLES = {A + "ec105b93c477087b", A + "bce34b61fba21d8d", A + "0123456789abcdef"}
#: The entities and event nodes of small.trig, by label: what the graph formats draw.
PICTURE = {
    "Microsoft": "Company", "Stellantis": "Company", "Amazon": "Company", "AT&T": "Company",
    "Morgan Stanley": "Company", "Azure": "Platform", "Microsoft 365 Copilot": "Product",
    '"Quote" Studio <beta> \\ Zürich': "Product", "Reuters": "MediaOrganization",
    "NewsTrackerToday": "MediaOrganization", "NASDAQ": "Organization", "Sophie Leclerc": "Person",
    "Ethan Cole": "Person", "Silicon Valley": "Place", "artificial intelligence": "Technology",
    "cybersecurity": "Technology", "software-defined vehicles": "Technology",
    "Partnership: Microsoft, Stellantis": "Partnership",
    "Goal: data center footprint -60% by 2029": "Goal",
}
PICTURE_NODES = len(PICTURE) + 1  # two partnership nodes share a label
#: Relations drawn: symmetric ones once (partnersWith, formerPartnerOf, competesWith).
PICTURE_EDGES = 17


def load_trig(trig: Path, store_path: Path) -> Path:
    """A store at `store_path` holding the article graphs of `trig` (and their union)."""
    from kg.store import Store

    with Store(store_path) as store:
        store.load_articles(trig)
    return store_path


@pytest.fixture(scope="session")
def small_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed store holding tests/data/export/small.trig."""
    return load_trig(SMALL_TRIG, tmp_path_factory.mktemp("export") / "store")


@pytest.fixture(scope="session")
def small_store(small_store_path: Path):
    """The small store, open read-only."""
    from kg.store import Store

    store = Store(small_store_path, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium; the tests using it skip when /usr/bin/chromium is absent."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (run tests/install-system-deps.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that refuses (and records) every request that is not a local file."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.remote_requests = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def route(r):
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            page.remote_requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    yield page
    context.close()


@pytest.fixture(scope="session")
def dot_program() -> str:
    """The Graphviz `dot` program; the tests using it skip when it is absent."""
    dot = shutil.which("dot")
    if dot is None or not os.access(dot, os.X_OK):
        pytest.skip("Graphviz `dot` is not installed (run tests/install-system-deps.sh)")
    return dot


class Expected:
    """What small.trig holds, for the tests to compare with."""

    KG = KG
    E = E
    A = A
    ARTICLES = ARTICLES
    PICTURE = PICTURE
    PICTURE_NODES = PICTURE_NODES
    PICTURE_EDGES = PICTURE_EDGES


@pytest.fixture(scope="session")
def expected() -> type[Expected]:
    """Names, counts and IRIs of small.trig."""
    return Expected
