"""The HTML page: one self-contained file, opened in headless Chromium (Playwright)."""
from __future__ import annotations

import re

from kg.exporters import export
from kg.exporters.html import CYTOSCAPE_JS

STELLANTIS = "https://w3id.org/kg/id/entity/Stellantis"


def open_page(page, path):
    page.goto(path.as_uri())
    page.wait_for_function("window.kgReady === true", timeout=30_000)


def click_node(page, iri):
    x, y = page.evaluate(
        """iri => { const p = cy.getElementById(iri).renderedPosition();
                    const box = document.getElementById('cy').getBoundingClientRect();
                    return [p.x + box.left, p.y + box.top]; }""",
        iri,
    )
    page.mouse.click(x, y)


def test_the_page_is_self_contained(small_store):
    text = export(small_store, "html").decode()
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import|https?://[^\"'\s]*\.(js|css)\b", text)
    assert CYTOSCAPE_JS.read_text(encoding="utf-8")[:2000] in text  # the library, inlined
    assert not re.search(r"\{\{(TITLE|DATA|CYTOSCAPE)\}\}", text)
    assert "<beta>" not in text and "\\u003cbeta\\u003e" in text  # data cannot close the script element


def test_the_picture_renders_and_a_click_shows_the_relations(small_store, page, tmp_path, expected):
    path = tmp_path / "graph.html"
    path.write_bytes(export(small_store, "html"))
    open_page(page, path)
    assert page.evaluate("cy.nodes().length") == expected.PICTURE_NODES
    assert page.evaluate("cy.edges().length") == expected.PICTURE_EDGES
    assert page.evaluate("cy.nodes().filter(n => n.visible()).length") == expected.PICTURE_NODES
    assert page.title() == "kg: the whole graph"

    click_node(page, STELLANTIS)
    info = page.inner_text("#info")
    assert "Stellantis" in info and "Company" in info
    relations = page.inner_text("#relations")
    for line in ("partnersWith — Microsoft", "usesPlatform → Azure", "formerPartnerOf — Amazon",
                 "deploys → Microsoft 365 Copilot", "participant ← Partnership: Microsoft, Stellantis"):
        assert line in relations
    assert page.evaluate("cy.$(':selected').map(n => n.id())") == [STELLANTIS]
    shot = tmp_path / "graph.png"  # look at it: pytest --basetemp=DIR keeps it in DIR
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000

    page.click("#relations a:text('Azure')")  # follow a relation
    assert page.inner_text("#info h2") == "Azure"
    assert "develops ← Microsoft" in page.inner_text("#relations")

    page.fill("#search", "copilot")
    page.press("#search", "Enter")
    assert page.inner_text("#info h2") == "Microsoft 365 Copilot"

    legend = page.inner_text("#legend")
    assert "Company (5)" in legend and "Platform (1)" in legend
    page.click("#legend .item:has-text('Company')")  # hide a type
    page.wait_for_function(f"cy.nodes().filter(n => n.visible()).length === {expected.PICTURE_NODES - 5}",
                           timeout=5_000)
    assert "off" in page.get_attribute("#legend .item:has-text('Company')", "class")

    assert page.errors == [] and page.remote_requests == []


def test_a_part_opens_with_its_entity_selected(small_store, page, tmp_path):
    path = tmp_path / "around.html"
    path.write_bytes(export(small_store, "html", around="Amazon", depth=1))
    open_page(page, path)
    assert page.evaluate("cy.nodes().map(n => n.data('label')).sort()") == ["Amazon", "Stellantis"]
    assert page.inner_text("#info h2") == "Amazon"
    assert "formerPartnerOf — Stellantis" in page.inner_text("#relations")


def test_labels_are_shown_as_text_not_markup(small_store, page, tmp_path):
    path = tmp_path / "escapes.html"
    path.write_bytes(export(small_store, "html", around="AT&T", depth=1))
    open_page(page, path)
    click_node(page, "https://w3id.org/kg/id/entity/AT%26T")
    assert '"Quote" Studio <beta> \\ Zürich' in page.inner_text("#relations")
    assert page.evaluate("document.querySelectorAll('#info beta').length") == 0
    assert page.errors == []
