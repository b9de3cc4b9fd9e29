r"""DOT, for Graphviz (`dot -Tsvg graph.dot > graph.svg`; `sfdp` or `neato` for big graphs).

Nodes are keyed by their IRIs (quoted), labelled with their names, filled with their type's
colour, with the type and IRI as tooltip; edges are labelled with the property's short name,
symmetric relations drawn once without arrowheads. A legend box lists the types shown.

>>> print(quote('say "hi" \\ bye'))
"say \"hi\" \\ bye"
"""
from __future__ import annotations

from pathlib import Path

from ._base import Exporter, Selection, write_bytes
from ._graph import color_of, text_color


def quote(text: str) -> str:
    """A DOT double-quoted string holding `text` as it is (backslashes and quotes escaped,
    line breaks as `\\n`)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


def generate_dot(selection: Selection) -> bytes:
    """The selection's picture in the DOT language."""
    graph = selection.graph
    focus = graph.graph.get("focus")
    lines = [
        f"digraph {quote(graph.graph.get('name', 'kg'))} {{",
        f"  graph [label={quote(graph.graph.get('name', 'kg'))}, labelloc=t, fontname=\"Helvetica\", "
        "rankdir=LR, overlap=false, splines=true, nodesep=0.3];",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, color="#555555"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#777777", fontcolor="#333333"];',
    ]
    for node, attrs in graph.nodes(data=True):
        extra = ", penwidth=3" if node == focus else ""
        lines.append(
            f"  {quote(node)} [label={quote(attrs['label'])}, fillcolor={quote(attrs['color'])}, "
            f"fontcolor={quote(text_color(attrs['color']))}, tooltip={quote(attrs['type'] + ': ' + node)}{extra}];"
        )
    for s, o, attrs in graph.edges(data=True):
        arrows = ", dir=none" if attrs.get("symmetric") == "true" else ""
        lines.append(f"  {quote(s)} -> {quote(o)} [label={quote(attrs['label'])}, tooltip={quote(attrs['iri'])}{arrows}];")
    types = sorted({attrs["type"] for _, attrs in graph.nodes(data=True)})
    if types:
        lines.append('  subgraph "cluster_legend" {')
        lines.append('    label="types"; fontname="Helvetica"; fontsize=10; style="rounded"; color="#aaaaaa";')
        for t in types:
            lines.append(f"    {quote('legend: ' + t)} [label={quote(t)}, fillcolor={quote(color_of(t))}, "
                         f"fontcolor={quote(text_color(color_of(t)))}, fontsize=9];")
        lines.append("  }")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_dot(selection: Selection, path: str | Path) -> list[Path]:
    """Write the picture to a DOT file."""
    return [write_bytes(Path(path), generate_dot(selection))]


EXPORTERS = [
    Exporter("dot", generate_dot, ".dot", "text/vnd.graphviz",
             "DOT for Graphviz (dot -Tsvg), coloured by type", write_files=write_dot),
]
