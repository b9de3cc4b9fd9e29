"""The web pages in a real browser (Debian's Chromium driven by Playwright): query page and entity page."""
from __future__ import annotations

import os
import queue
import threading
from concurrent.futures import Future
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


class BrowserThread:
    """Chromium driven by Playwright's sync API from a thread of its own.

    Playwright allows one sync session per thread, and other test packages may hold one open on
    the main thread for the whole session; a private thread keeps these tests independent of them.
    """

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="kg-test-browser", daemon=True)
        self._thread.start()
        self._ready.wait(120)
        if self._error is not None:
            raise self._error

    def _main(self) -> None:
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                self._ready.set()
                while (job := self._jobs.get()) is not None:
                    fn, future = job
                    try:
                        future.set_result(fn(browser))
                    except BaseException as e:  # handed to the test thread
                        future.set_exception(e)
                browser.close()
        except BaseException as e:
            self._error = e
            self._ready.set()

    def run(self, fn):  # type: ignore[no-untyped-def]
        future: Future = Future()
        self._jobs.put((fn, future))
        return future.result(timeout=180)

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(30)


@pytest.fixture(scope="module")
def browser_thread():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (tests/install-system-deps.sh installs Debian's chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    thread = BrowserThread()
    yield thread
    thread.close()


@pytest.fixture
def browse(browser_thread, server):
    """browse(steps): run steps(page) in a fresh browser context; the page records console errors
    (page.problems) and every URL it requested (page.requested)."""

    def run(steps):  # type: ignore[no-untyped-def]
        def in_browser(browser):  # type: ignore[no-untyped-def]
            context = browser.new_context(accept_downloads=True)
            try:
                page = context.new_page()
                page.set_default_timeout(15000)
                page.problems = []
                page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: page.problems.append(str(e)))
                page.requested = []
                page.on("request", lambda r: page.requested.append(r.url))
                return steps(page)
            finally:
                context.close()

        return browser_thread.run(in_browser)

    return run


def only_local(page, server) -> bool:  # type: ignore[no-untyped-def]
    return all(u.startswith(server.url) or u.startswith(("blob:", "data:")) for u in page.requested)


def test_type_a_query_run_it_and_read_the_table(browse, server) -> None:
    def steps(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(server.url + "/")
        page.fill("#query", "SELECT ?name ?partner WHERE {\n  ?e rdfs:label ?name ; kg:partnersWith ?p .\n"
                            "  ?p rdfs:label ?partner\n} ORDER BY ?name")
        page.click("#run")
        page.wait_for_selector("#results-table tbody tr")
        headers = page.locator("#results-table th").all_inner_texts()
        rows = [r.locator("td").all_inner_texts() for r in page.locator("#results-table tbody tr").all()]
        assert headers == ["name", "partner"]
        assert rows == [["Microsoft", "Stellantis"], ["Stellantis", "Microsoft"]]
        assert "2 rows" in page.inner_text("#status")
        assert page.problems == []
        assert only_local(page, server)  # every asset comes from kg itself: no CDN

    browse(steps)


def test_run_an_example_query_with_its_parameter(browse, server) -> None:
    def steps(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(server.url + "/")
        page.wait_for_selector("#examples option[value='partners']", state="attached")
        page.select_option("#examples", "partners")
        assert "kg:partnersWith" in page.input_value("#query")
        assert page.input_value("#param-entity") == "Stellantis"  # from the query's `# example:` line
        page.fill("#param-entity", "stellantis n.v.")  # any alias, any case
        page.click("#run")
        page.wait_for_selector("#results-table tbody tr")
        table = page.inner_text("#results-table")
        assert "Microsoft" in table and "current" in table

    browse(steps)


def test_entity_links_in_results_open_entity_pages(browse, server) -> None:
    def steps(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(server.url + "/")
        page.fill("#query", 'SELECT ?e WHERE { ?e rdfs:label "Azure" }')
        page.press("#query", "Control+Enter")
        page.wait_for_selector("#results-table a.entity-link")
        page.click("#results-table a.entity-link")
        page.wait_for_selector("#entity-label")
        assert page.inner_text("#entity-label").startswith("Azure")

    browse(steps)


def test_errors_are_shown(browse, server) -> None:
    def steps(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(server.url + "/")
        page.fill("#query", "SELECT * WHERE { ?s ?p }")
        page.click("#run")
        page.wait_for_selector("#error:not([hidden])")
        assert "syntax error" in page.inner_text("#error")
        assert "failed (400)" in page.inner_text("#status")

    browse(steps)


@pytest.mark.parametrize("button, suffix, first_line", [
    ("#download-csv", ".csv", "label"),
    ("#download-json", ".json", '{"head":{"vars":["label"]}'),
])
def test_download_results(browse, server, button: str, suffix: str, first_line: str) -> None:
    def steps(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(server.url + "/")
        page.fill("#query", "SELECT ?label WHERE { ?e rdfs:label ?label } ORDER BY ?label")
        with page.expect_download() as info:
            page.click(button)
        download = info.value
        assert download.suggested_filename.endswith(suffix)
        text = Path(download.path()).read_text()
        assert text.startswith(first_line)
        assert "Satya Nadella" in text

    browse(steps)


def test_entity_card_with_neighbourhood_graph(browse, server) -> None:
    def steps(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(server.url + "/entity/Stellantis")
        assert page.inner_text("#entity-label").startswith("Stellantis")
        assert "Stellantis N.V." in page.inner_text("dl.facts")
        page.wait_for_selector("#graph-view circle")
        assert page.locator("#graph-view circle").count() == 3  # Stellantis, Microsoft, Azure
        assert set(page.locator("#graph-view .edge-label").all_text_contents()) == {"partnersWith", "usesPlatform"}
        assert "Microsoft Corporation and Stellantis have entered" in page.inner_text("section.relations")
        # a neighbour in the graph view links to its own card
        page.locator("#graph-view a.node-link", has_text="Azure").click()
        page.wait_for_url("**/entity/**Azure**")
        assert page.inner_text("#entity-label").startswith("Azure")
        # and a neighbour in the relations list too
        page.locator("section.relations a.entity-link", has_text="Microsoft").first.click()
        page.wait_for_url("**Microsoft**")
        assert page.inner_text("#entity-label").startswith("Microsoft")
        assert page.locator("#graph-view circle").count() == 4  # Microsoft, Stellantis, Azure, Satya Nadella
        assert page.problems == []
        assert only_local(page, server)

    browse(steps)


def test_find_an_entity_by_any_name(browse, server) -> None:
    def steps(page) -> None:  # type: ignore[no-untyped-def]
        page.goto(server.url + "/")
        page.fill("#find-entity input", "msft")
        page.press("#find-entity input", "Enter")
        page.wait_for_selector("#entity-label")
        assert page.inner_text("#entity-label").startswith("Microsoft")
        page.goto(server.url + "/entity/Stelantis")
        assert "No entity named" in page.inner_text("h1")
        page.click("ul.suggestions a")
        page.wait_for_selector("#entity-label")
        assert page.inner_text("#entity-label").startswith("Stellantis")

    browse(steps)
