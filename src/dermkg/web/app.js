// The dermkg web page: run saved queries and SPARQL against /sparql, show the rows as a
// table and any row's evidence (the quoted text it was extracted from) one click away.
// Values from the graph are only ever put into the page as text (textContent), never HTML.
"use strict";

const state = { prefixes: {}, queries: [], current: null };
const RESULTS_JSON = "application/sparql-results+json";
// rows for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE
const ACCEPT_ANY_FORM = `${RESULTS_JSON}, text/turtle;q=0.9`;
const MAX_ROWS = 2000; // rows drawn in the table; the status line says when there are more
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

function shorten(iri) {
  let best = null;
  for (const [prefix, ns] of Object.entries(state.prefixes)) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [prefix, ns];
  }
  return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri;
}

async function fetchJSON(url, options = {}) {
  const response = await fetch(url, options);
  const text = await response.text();
  if (!response.ok) throw new Error(text.replace(/^error:\s*/, "").trim() || response.statusText);
  return JSON.parse(text);
}

function setStatus(message, isError = false) {
  const status = $("status");
  status.textContent = message;
  status.classList.toggle("error", isError);
}

// -- results table -------------------------------------------------------------------
function termNode(term) {
  if (!term) return el("span", { class: "unbound" }, "");
  if (term.type === "uri") {
    return el("a", {
      href: term.value, class: "iri", title: `${term.value} — show its evidence and statements`,
      onclick: (event) => { event.preventDefault(); showNode(term.value); },
    }, shorten(term.value));
  }
  const text = el("span", { class: term.type === "bnode" ? "bnode" : "literal" }, term.value);
  if (term["xml:lang"]) text.title = `@${term["xml:lang"]}`;
  else if (term.datatype) text.title = shorten(term.datatype);
  return text;
}

function keyIri(vars, binding) {
  const key = state.current && state.current.key;
  if (key && binding[key] && binding[key].type === "uri") return binding[key].value;
  // otherwise the rightmost dermkg resource in the row (saved queries put the claim last)
  const resource = state.prefixes.dkgr || "https://w3id.org/dermkg/resource/";
  for (const name of [...vars].reverse()) {
    const term = binding[name];
    if (term && term.type === "uri" && term.value.startsWith(resource)) return term.value;
  }
  return null;
}

function renderResults(data, table, { evidenceButtons = true } = {}) {
  table.replaceChildren();
  if (typeof data.boolean === "boolean") {
    table.append(el("tbody", {}, el("tr", {}, el("td", {}, String(data.boolean)))));
    return 1;
  }
  const vars = data.head.vars;
  const head = el("tr");
  if (evidenceButtons) head.append(el("th", { scope: "col" }, ""));
  for (const name of vars) head.append(el("th", { scope: "col" }, name));
  const body = el("tbody");
  for (const binding of data.results.bindings.slice(0, MAX_ROWS)) {
    const row = el("tr");
    if (evidenceButtons) {
      const iri = keyIri(vars, binding);
      const cell = el("td");
      if (iri) {
        cell.append(el("button", {
          type: "button", class: "evidence-link", title: `evidence of ${iri}`,
          onclick: () => showNode(iri),
        }, "evidence"));
      }
      row.append(cell);
    }
    for (const name of vars) row.append(el("td", { "data-column": name }, termNode(binding[name])));
    body.append(row);
  }
  table.append(el("thead", {}, head), body);
  return data.results.bindings.length;
}

async function run(url, options) {
  setStatus("running…");
  const started = performance.now();
  $("graph-output").hidden = true;
  try {
    const response = await fetch(url, options);
    const text = await response.text();
    if (!response.ok) throw new Error(text.replace(/^error:\s*/, "").trim() || response.statusText);
    const ms = Math.round(performance.now() - started);
    if ((response.headers.get("content-type") || "").startsWith("text/turtle")) {
      // CONSTRUCT / DESCRIBE: the triples as Turtle
      $("results").replaceChildren();
      $("graph-output").textContent = text;
      $("graph-output").hidden = false;
      setStatus(`graph (Turtle) in ${ms} ms`);
      return;
    }
    const rows = renderResults(JSON.parse(text), $("results"));
    const shown = rows > MAX_ROWS ? ` (showing the first ${MAX_ROWS}; add LIMIT/OFFSET)` : "";
    setStatus(`${rows} row${rows === 1 ? "" : "s"} in ${ms} ms${shown}`);
  } catch (error) {
    $("results").replaceChildren();
    setStatus(error.message, true);
  }
}

function runEditor(event) {
  if (event) event.preventDefault();
  state.current = null;
  const query = $("sparql").value;
  run("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT_ANY_FORM },
    body: new URLSearchParams({ query }),
  });
}

function runSaved(event) {
  if (event) event.preventDefault();
  const query = state.current;
  if (!query) return;
  const params = new URLSearchParams();
  for (const p of query.parameters) {
    const input = $(`param-${p.name}`);
    const value = p.type === "boolean" ? (input.value || "") : input.value.trim();
    if (value !== "") params.set(p.name, value);
  }
  const url = `/queries/${encodeURIComponent(query.name)}` + (params.size ? `?${params}` : "");
  run(url, { headers: { Accept: ACCEPT_ANY_FORM } });
}

// -- saved queries ---------------------------------------------------------------------
const INPUT_TYPES = { integer: "number", decimal: "number", date: "date" };

function paramField(p) {
  const id = `param-${p.name}`;
  let input;
  if (p.type === "boolean") {
    input = el("select", { id, name: p.name },
      el("option", { value: "" }, "(any)"), el("option", { value: "true" }, "true"),
      el("option", { value: "false" }, "false"));
  } else {
    input = el("input", { id, name: p.name, type: INPUT_TYPES[p.type] || "text" });
    if (p.type === "decimal") input.step = "any";
    if (p.default != null) input.placeholder = String(p.default);
    if (p.required) input.required = true;
  }
  const label = el("label", { htmlFor: id }, `${p.name} (${p.type}${p.required ? ", required" : ""})`);
  return el("div", { class: "param" }, label, input, el("small", {}, p.description || ""));
}

function selectQuery(query) {
  state.current = query;
  for (const item of document.querySelectorAll("#saved-queries button")) {
    item.setAttribute("aria-pressed", String(item.dataset.name === query.name));
  }
  $("saved-form").hidden = false;
  $("saved-title").textContent = query.title || query.name;
  $("saved-description").textContent = query.description || "";
  $("param-fields").replaceChildren(...query.parameters.map(paramField));
  $("sparql").value = query.sparql;
}

async function loadQueries() {
  try {
    const [prefixes, queries] = await Promise.all([fetchJSON("/prefixes"), fetchJSON("/queries")]);
    state.prefixes = prefixes;
    state.queries = queries;
    const items = queries.map((q) => el("li", {}, el("button", {
      type: "button", "data-name": q.name, title: q.description || q.name,
      onclick: () => selectQuery(q),
    }, q.title || q.name)));
    $("saved-queries").replaceChildren(...items);
  } catch (error) {
    $("saved-queries").replaceChildren(el("li", { class: "error" }, error.message));
  }
}

// -- evidence --------------------------------------------------------------------------
function evidenceCard(binding) {
  const value = (name) => (binding[name] ? binding[name].value : "");
  const meta = [];
  if (value("document")) meta.push(`document ${value("document")}`);
  if (value("start") && value("end")) meta.push(`characters ${value("start")}–${value("end")}`);
  if (value("rule")) meta.push(`rule ${value("rule")}`);
  if (value("relation") && value("relation") !== "self") meta.push(`via ${value("relation")}`);
  const card = el("article", { class: "evidence-card" });
  if (value("title")) card.append(el("h4", {}, value("title")));
  card.append(el("blockquote", { class: "quote" }, value("quote") || "(no quote recorded)"));
  card.append(el("p", { class: "meta" }, meta.join(" · ")));
  if (binding.claim && binding.claim.type === "uri") {
    card.append(el("p", { class: "meta" }, "claim ", termNode(binding.claim)));
  }
  return card;
}

async function showNode(iri) {
  const panel = $("evidence");
  panel.hidden = false;
  $("evidence-node").replaceChildren("For ", el("code", {}, shorten(iri)), " ",
    el("a", { href: iri, class: "external", rel: "noopener noreferrer", target: "_blank" }, "↗"));
  $("evidence-list").replaceChildren(el("p", { class: "muted" }, "loading…"));
  $("statements").replaceChildren();
  const accept = { headers: { Accept: RESULTS_JSON } };
  const q = new URLSearchParams({ iri });
  const [evidence, statements] = await Promise.allSettled([
    fetchJSON(`/api/evidence?${q}`, accept), fetchJSON(`/api/resource?${q}`, accept),
  ]);
  if (evidence.status === "fulfilled") {
    const rows = evidence.value.results.bindings;
    $("evidence-list").replaceChildren(...(rows.length ? rows.map(evidenceCard)
      : [el("p", { class: "muted" }, "No evidence is recorded for this node.")]));
  } else {
    $("evidence-list").replaceChildren(el("p", { class: "error" }, evidence.reason.message));
  }
  if (statements.status === "fulfilled") {
    renderResults(statements.value, $("statements"), { evidenceButtons: false });
  }
  panel.scrollIntoView({ behavior: "smooth", block: "start" });
}

document.addEventListener("DOMContentLoaded", () => {
  $("editor").addEventListener("submit", runEditor);
  $("params").addEventListener("submit", runSaved);
  $("sparql").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) runEditor(event);
  });
  loadQueries();
});
