// The query page: pick an example from queries/, edit, run against /sparql, see a table, download.
// Everything is built with DOM calls and textContent: nothing from the store is parsed as HTML.
(function () {
  "use strict";

  const RESULTS_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
  const PREFIXES = {
    "https://w3id.org/kg/ontology#": "kg:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://purl.org/dc/terms/": "dcterms:",
    "https://schema.org/": "schema:",
  };

  const $ = (id) => document.getElementById(id);
  const editor = $("query");
  const examples = $("examples");
  const paramsBox = $("params");
  const statusLine = $("status");
  const resultsBox = $("results");
  const errorBox = $("error");
  const truncatedBox = $("truncated");
  let queries = [];
  let current = null; // the example query chosen, if any
  let baseIri = "https://w3id.org/kg/id/";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function shorten(iri) {
    const entityBase = baseIri + "entity/";
    if (iri.startsWith(entityBase)) {
      try { return decodeURIComponent(iri.slice(entityBase.length)).replace(/_/g, " "); } catch (e) { return iri; }
    }
    if (iri.startsWith(baseIri + "article/")) return "article/" + iri.slice((baseIri + "article/").length);
    for (const [ns, prefix] of Object.entries(PREFIXES)) {
      if (iri.startsWith(ns) && /^[\w.-]*$/.test(iri.slice(ns.length))) return prefix + iri.slice(ns.length);
    }
    return iri;
  }

  function cell(term) {
    const td = el("td");
    if (!term) return td;
    if (term.type === "uri") {
      const entityBase = baseIri + "entity/";
      if (term.value.startsWith(entityBase)) {
        td.append(el("a", { href: "/entity/" + encodeURIComponent("<" + term.value + ">"), title: term.value, class: "entity-link" }, shorten(term.value)));
      } else {
        td.append(el("span", { class: "iri", title: term.value }, shorten(term.value)));
      }
    } else if (term.type === "bnode") {
      td.append(el("span", { class: "bnode" }, "_:" + term.value));
    } else if (term.type === "literal") {
      td.append(el("span", { class: "literal" }, term.value));
      if (term["xml:lang"]) td.append(el("span", { class: "lang" }, "@" + term["xml:lang"]));
      if (term.datatype) td.setAttribute("title", term.datatype);
    } else if (term.type === "triple") {
      td.textContent = "<< " + JSON.stringify(term.value) + " >>";
    }
    return td;
  }

  function showError(message) {
    errorBox.hidden = false;
    errorBox.textContent = message;
  }

  function clearOutput() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    truncatedBox.hidden = true;
    resultsBox.replaceChildren();
  }

  function renderTable(data) {
    const vars = data.head.vars || [];
    const bindings = data.results.bindings || [];
    const table = el("table", { class: "results", id: "results-table" });
    const head = el("tr");
    for (const v of vars) head.append(el("th", {}, v));
    table.append(el("thead", {}, head));
    const body = el("tbody");
    for (const b of bindings) {
      const tr = el("tr");
      for (const v of vars) tr.append(cell(b[v]));
      body.append(tr);
    }
    table.append(body);
    resultsBox.replaceChildren(table);
    return bindings.length;
  }

  // The request for the editor's query: plain SPARQL to /sparql, or /api/run when parameters are filled in.
  function request(accept) {
    const query = editor.value;
    const params = {};
    for (const input of paramsBox.querySelectorAll("input[data-param]")) {
      if (input.value.trim()) params[input.dataset.param] = input.value.trim();
    }
    if (Object.keys(params).length) {
      return fetch("/api/run", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": accept },
        body: JSON.stringify({ query: query, params: params, name: current ? current.name : null }),
      });
    }
    return fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", "Accept": accept },
      body: query,
    });
  }

  async function run() {
    clearOutput();
    statusLine.textContent = "running…";
    const started = performance.now();
    let response;
    try {
      response = await request(RESULTS_ACCEPT);
    } catch (e) {
      statusLine.textContent = "";
      showError("Cannot reach the server: " + e);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      statusLine.textContent = "failed (" + response.status + ")";
      showError(await response.text());
      return;
    }
    if (response.headers.get("X-KG-Truncated") === "true") {
      truncatedBox.hidden = false;
      truncatedBox.textContent = "Only the first " + response.headers.get("X-KG-Row-Limit") +
        " rows are shown: the result was cut at the server's row limit. Add a LIMIT or narrow the query.";
    }
    if (type.startsWith("application/sparql-results+json")) {
      const data = await response.json();
      if (typeof data.boolean === "boolean") {
        resultsBox.replaceChildren(el("p", { class: "boolean", id: "ask-result" }, data.boolean ? "true" : "false"));
        statusLine.textContent = "ASK · " + seconds + " s";
      } else {
        const n = renderTable(data);
        statusLine.textContent = n + (n === 1 ? " row" : " rows") + " · " + seconds + " s";
      }
    } else {
      const text = await response.text();
      resultsBox.replaceChildren(el("pre", { class: "graph-result" }, text));
      statusLine.textContent = "graph · " + seconds + " s";
    }
  }

  async function download(accept, extension) {
    clearOutput();
    let response;
    try {
      response = await request(accept);
    } catch (e) {
      showError("Cannot reach the server: " + e);
      return;
    }
    if (!response.ok) {
      showError(await response.text());
      return;
    }
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: (current ? current.name : "results") + "." + extension });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    statusLine.textContent = "downloaded " + extension.toUpperCase();
  }

  function choose(name) {
    current = queries.find((q) => q.name === name) || null;
    paramsBox.replaceChildren();
    $("example-description").textContent = current ? current.description : "";
    if (!current) return;
    editor.value = current.text;
    for (const p of current.params) {
      const input = el("input", { "data-param": p.name, id: "param-" + p.name, placeholder: p.kind + (p.optional ? ", optional" : "") });
      const example = (current.examples || []).join(" ").match(new RegExp("--param\\s+" + p.name + "=(\\S+)"));
      if (example) input.value = example[1];
      paramsBox.append(el("label", { for: "param-" + p.name, title: p.meaning || "" }, p.name + " ", input));
    }
  }

  async function init() {
    try {
      const status = await (await fetch("/api/status")).json();
      baseIri = status.baseIri || baseIri;
      $("server-info").textContent = "time limit " + status.timeout + " s · row limit " + status.maxRows.toLocaleString();
      $("endpoint-url").textContent = status.endpoint;
    } catch (e) { /* the page works without it */ }
    try {
      const data = await (await fetch("/api/queries")).json();
      queries = data.queries || [];
      for (const q of queries) examples.append(el("option", { value: q.name }, q.name + " — " + q.description));
    } catch (e) { /* no examples */ }
    const wanted = new URLSearchParams(window.location.search).get("example");
    if (wanted) { examples.value = wanted; choose(wanted); }
  }

  examples.addEventListener("change", () => choose(examples.value));
  $("run").addEventListener("click", run);
  $("download-csv").addEventListener("click", () => download("text/csv", "csv"));
  $("download-json").addEventListener("click", () => download("application/sparql-results+json", "json"));
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  init();
})();
