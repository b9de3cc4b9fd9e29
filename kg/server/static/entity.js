// The neighbourhood graph of an entity page: the entity in the middle, its neighbours around it,
// one line per relation. A small force-directed layout computed once, drawn as SVG; click a
// neighbour to open its card. Reads the JSON the server embedded in #graph-data.
(function () {
  "use strict";
  const dataNode = document.getElementById("graph-data");
  const svg = document.getElementById("graph-view");
  if (!dataNode || !svg) return;
  const data = JSON.parse(dataNode.textContent);
  const NS = "http://www.w3.org/2000/svg";
  const width = 720, height = Math.max(320, Math.min(640, 160 + data.nodes.length * 18));
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", String(height));

  const palette = ["#2b6cb0", "#2f855a", "#c05621", "#6b46c1", "#b83280", "#2c7a7b", "#975a16", "#4a5568"];
  const typeColor = {};
  function color(type) {
    if (!(type in typeColor)) typeColor[type] = palette[Object.keys(typeColor).length % palette.length];
    return typeColor[type];
  }

  // initial positions: the centre in the middle, the others on a circle
  const nodes = data.nodes.map((n, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, data.nodes.length - 1);
    const r = Math.min(width, height) * 0.35;
    return Object.assign({}, n, n.center ? { x: width / 2, y: height / 2 } : {
      x: width / 2 + r * Math.cos(angle), y: height / 2 + r * Math.sin(angle) });
  });
  const byId = Object.fromEntries(nodes.map((n) => [n.id, n]));
  const edges = data.edges.filter((e) => byId[e.source] && byId[e.target]);

  // force-directed layout: repulsion between all nodes, springs along edges, a pull to the centre
  for (let step = 0; step < 300; step++) {
    const cool = 1 - step / 300;
    for (const a of nodes) { a.dx = 0; a.dy = 0; }
    for (let i = 0; i < nodes.length; i++) {
      for (let j = i + 1; j < nodes.length; j++) {
        const a = nodes[i], b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        const d2 = Math.max(dx * dx + dy * dy, 1);
        const f = 9000 / d2;
        const d = Math.sqrt(d2);
        dx /= d; dy /= d;
        a.dx += dx * f; a.dy += dy * f; b.dx -= dx * f; b.dy -= dy * f;
      }
    }
    for (const e of edges) {
      const a = byId[e.source], b = byId[e.target];
      const dx = b.x - a.x, dy = b.y - a.y;
      const d = Math.max(Math.sqrt(dx * dx + dy * dy), 1);
      const f = (d - 170) * 0.05;
      a.dx += (dx / d) * f; a.dy += (dy / d) * f; b.dx -= (dx / d) * f; b.dy -= (dy / d) * f;
    }
    for (const n of nodes) {
      if (n.center) { n.x = width / 2; n.y = height / 2; continue; }
      n.dx += (width / 2 - n.x) * 0.01; n.dy += (height / 2 - n.y) * 0.01;
      const m = Math.sqrt(n.dx * n.dx + n.dy * n.dy) || 1;
      const limit = 12 * cool + 0.5;
      n.x += (n.dx / m) * Math.min(m, limit);
      n.y += (n.dy / m) * Math.min(m, limit);
      n.x = Math.max(60, Math.min(width - 60, n.x));
      n.y = Math.max(24, Math.min(height - 40, n.y));
    }
  }

  function make(tag, attrs, text) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const defs = make("defs", {});
  const marker = make("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 22, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(make("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#718096" }));
  defs.append(marker);
  svg.append(defs);

  const edgeLayer = make("g", { class: "edges" });
  // relations between the same two nodes are spread apart so their labels do not overlap
  const pairCount = {};
  for (const e of edges) {
    const a = byId[e.source], b = byId[e.target];
    const key = [e.source, e.target].sort().join(" ");
    const k = (pairCount[key] = (pairCount[key] || 0) + 1) - 1;
    const line = make("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, class: "edge", stroke: "#a0aec0", "stroke-width": 1.5 });
    if (!e.symmetric) line.setAttribute("marker-end", "url(#arrow)");
    edgeLayer.append(line);
    const label = make("text", { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 4 + k * 13, class: "edge-label", "text-anchor": "middle" }, e.label);
    edgeLayer.append(label);
  }
  svg.append(edgeLayer);

  const nodeLayer = make("g", { class: "nodes" });
  for (const n of nodes) {
    const group = make("g", { class: n.center ? "node center" : "node", transform: "translate(" + n.x + "," + n.y + ")" });
    group.append(make("circle", { r: n.center ? 14 : 10, fill: color(n.type || ""), stroke: "#fff", "stroke-width": 2 }));
    const title = make("title", {}, n.label + (n.type ? " (" + n.type + ")" : ""));
    group.append(title);
    group.append(make("text", { x: 0, y: n.center ? 30 : 24, "text-anchor": "middle", class: "node-label" }, n.label));
    if (n.href) {
      const link = make("a", { href: n.href, class: "node-link" });
      link.append(group);
      nodeLayer.append(link);
    } else {
      nodeLayer.append(group);
    }
  }
  svg.append(nodeLayer);
})();
