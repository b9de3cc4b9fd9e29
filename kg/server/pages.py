"""The entity page: an entity card (kg.lookup) as HTML, with the data for its neighbourhood graph.

The card is rendered on the server, so it reads without JavaScript; the graph view
(static/entity.js) draws the entity and its neighbours from JSON embedded in the page.
Everything from the store is HTML-escaped; links to other entities name them by IRI
(`/entity/<IRI>`), which kg.lookup resolves exactly.
"""
from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import quote


def entity_href(iri: str) -> str:
    """The page of the entity with this IRI.

    >>> entity_href("https://w3id.org/kg/id/entity/Acme_Corp")
    '/entity/%3Chttps%3A%2F%2Fw3id.org%2Fkg%2Fid%2Fentity%2FAcme_Corp%3E'
    """
    return "/entity/" + quote(f"<{iri}>", safe="")


def name_href(name: str) -> str:
    return "/entity/" + quote(name, safe="")


def _layout(title: str, body: str, script: str = "") -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · kg</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<header class="top"><a class="brand" href="/">kg</a> <nav><a href="/">query</a>
<form class="find" action="/entity/" method="get" id="find-entity"><input name="name" placeholder="entity name" aria-label="entity name"></form></nav></header>
<main>
{body}
</main>
{script}
<script src="/static/common.js"></script>
</body>
</html>
"""


def _sources(evidence: list[dict[str, Any]]) -> str:
    if not evidence:
        return ""
    items = []
    for s in evidence:
        conf = f' <span class="conf" title="confidence">{s["confidence"]:.2f}</span>' \
            if isinstance(s.get("confidence"), (int, float)) else ""
        items.append(f'<li><q>{escape(" ".join(str(s.get("sentence", "")).split()))}</q> '
                     f'<cite>{escape(str(s.get("article", "")))}</cite>{conf}</li>')
    return f'<ul class="evidence">{"".join(items)}</ul>'


def _fact(f: dict[str, Any]) -> str:
    if f.get("iri"):
        kind = f' <span class="type">{escape(f["type"])}</span>' if f.get("type") else ""
        href = escape(entity_href(f["iri"]))
        head = f'<a class="entity-link" href="{href}">{escape(str(f.get("label", "")))}</a>{kind}'
    else:
        head = f'<span class="value">{escape(str(f.get("value", "")))}</span>'
    return f"<li>{head}{_sources(f.get('evidence') or [])}</li>"


def _graph(card: dict[str, Any]) -> dict[str, Any]:
    """Nodes and edges of the neighbourhood: the entity, its related entities, and the relations."""
    center = card["iri"]
    nodes: dict[str, dict[str, Any]] = {center: {"id": center, "label": card.get("label", ""),
                                                 "type": card.get("type", ""), "center": True}}
    edges = []
    seen = set()
    for direction in ("out", "in"):
        for prop, facts in (card.get("relations", {}).get(direction) or {}).items():
            for f in facts:
                other = f.get("iri")
                if not other:
                    continue
                nodes.setdefault(other, {"id": other, "label": f.get("label", ""), "type": f.get("type", ""),
                                         "href": entity_href(other)})
                source, target = (center, other) if direction == "out" else (other, center)
                key = (min(source, target), max(source, target), prop) if f.get("symmetric") else (source, target, prop)
                if key in seen:
                    continue
                seen.add(key)
                edges.append({"source": source, "target": target, "label": prop,
                              "symmetric": bool(f.get("symmetric"))})
    return {"nodes": list(nodes.values()), "edges": edges}


def _json_script(element_id: str, data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{element_id}">{text}</script>'


def entity_page(name: str, status: int, data: dict[str, Any], base_iri: str) -> str:
    """The HTML page for /entity/NAME given the worker's answer (status and JSON)."""
    if status == 404:
        suggestions = data.get("suggestions") or []
        items = "".join(f'<li><a href="{escape(name_href(s))}">{escape(s)}</a></li>' for s in suggestions)
        more = f"<p>Did you mean:</p><ul class=\"suggestions\">{items}</ul>" if items else ""
        return _layout(name, f'<h1>No entity named “{escape(name)}”</h1>{more}')
    if status == 300:
        items = "".join(f'<li><a href="{escape(name_href(c))}">{escape(c)}</a></li>'
                        for c in data.get("candidates") or [])
        return _layout(name, f'<h1>“{escape(name)}” names several entities</h1><ul class="suggestions">{items}</ul>')
    if status != 200:
        return _layout(name, f'<h1>Cannot show “{escape(name)}”</h1><p class="error">'
                             f'{escape(str(data.get("error", "error")))}</p>')
    card = data
    types = ", ".join(card.get("types") or []) or "-"
    aliases = ", ".join(card.get("aliases") or []) or "-"
    articles = ", ".join(card.get("articles") or []) or "-"
    sections = []
    for direction, arrow in (("out", "→"), ("in", "←")):
        for prop, facts in (card.get("relations", {}).get(direction) or {}).items():
            symmetric = any(f.get("symmetric") for f in facts)
            mark = "↔" if symmetric else arrow
            title = f"{escape(prop)} {mark}" if direction == "out" else f"{mark} {escape(prop)}"
            items = "".join(_fact(f) for f in facts)
            sections.append(f'<section class="relation"><h3>{title}</h3><ul>{items}</ul></section>')
    events = []
    for e in card.get("events") or []:
        fields = [f"{escape(k)}: {escape(', '.join(map(str, v)) if isinstance(v, list) else str(v))}"
                  for k, v in e.items() if k not in ("type", "iri", "role", "evidence")]
        events.append(f'<li><b>{escape(str(e.get("type", "")))}</b> ({escape(str(e.get("role", "")))}) — '
                      f'{"; ".join(fields)}{_sources(e.get("evidence") or [])}</li>')
    events_html = f'<section class="events"><h2>Events</h2><ul>{"".join(events)}</ul></section>' if events else ""
    relations_html = "".join(sections) or '<p class="muted">No relations.</p>'
    body = f"""
<article class="card" data-iri="{escape(card['iri'])}">
<h1 id="entity-label">{escape(card.get('label', ''))} <span class="type">{escape(card.get('type', ''))}</span></h1>
<dl class="facts">
<dt>IRI</dt><dd><code>{escape(card['iri'])}</code></dd>
<dt>types</dt><dd>{escape(types)}</dd>
<dt>aliases</dt><dd>{escape(aliases)}</dd>
<dt>articles</dt><dd>{escape(articles)}</dd>
</dl>
<section class="graph"><h2>Neighbourhood</h2><svg id="graph-view" role="img" aria-label="graph of {escape(card.get('label', ''))} and its neighbours"></svg></section>
<section class="relations"><h2>Relations</h2>{relations_html}</section>
{events_html}
</article>"""
    script = _json_script("graph-data", _graph(card)) + '\n<script src="/static/entity.js"></script>'
    return _layout(card.get("label", name), body, script)
