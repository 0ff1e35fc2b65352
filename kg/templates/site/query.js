/* The query page: Oxigraph's WebAssembly loads the graph (embedded as a JS string: a page
   opened from file:// cannot fetch) and runs SPARQL typed in the editor. Results are
   inserted as text. */
(function () {
  "use strict";
  window.kg = window.kg || {};
  const status = document.getElementById("kg-status");
  const select = document.getElementById("kg-library");
  const editor = document.getElementById("kg-editor");
  const run = document.getElementById("kg-run");
  const runStatus = document.getElementById("kg-run-status");
  const results = document.getElementById("kg-results");

  for (const q of window.KG_QUERIES) {
    const option = document.createElement("option");
    option.value = q.name;
    option.textContent = q.title + " (" + q.name + ".rq)";
    select.append(option);
  }
  function choose(name) {
    const q = window.KG_QUERIES.find((x) => x.name === name);
    if (q) { select.value = name; editor.value = q.text; }
  }
  const wanted = new URLSearchParams(window.location.search).get("q");
  choose(wanted && window.KG_QUERIES.some((x) => x.name === wanted) ? wanted : (window.KG_QUERIES[0] || {}).name);
  select.addEventListener("change", () => choose(select.value));

  function table(columns, rows) {
    const t = document.createElement("table");
    t.className = "results";
    const head = t.createTHead().insertRow();
    for (const c of columns) { const th = document.createElement("th"); th.textContent = c; head.append(th); }
    const body = t.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const value of row) tr.insertCell().textContent = value;
    }
    return t;
  }
  function answer(text) {
    /* SELECT and ASK as W3C SPARQL JSON results (head.vars keeps the projection's order);
       CONSTRUCT and DESCRIBE, which have no such form, as quads. */
    const options = { use_default_graph_as_union: true };
    let json;
    try {
      json = window.kg.store.query(text, { ...options, results_format: "application/sparql-results+json" });
    } catch (error) {
      const quads = window.kg.store.query(text, options);
      if (!Array.isArray(quads)) throw error;
      return { columns: ["subject", "predicate", "object"], rows: quads.map((q) => [q.subject.value, q.predicate.value, q.object.value]) };
    }
    const parsed = JSON.parse(json);
    if (typeof parsed.boolean === "boolean") return { columns: ["answer"], rows: [[parsed.boolean ? "yes" : "no"]] };
    const columns = parsed.head.vars;
    return { columns, rows: parsed.results.bindings.map((b) => columns.map((c) => (b[c] ? b[c].value : ""))) };
  }
  function execute(text) {
    const started = performance.now();
    results.replaceChildren();
    let found;
    try {
      found = answer(text);
    } catch (error) {
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = String(error);
      results.append(p);
      runStatus.textContent = "error";
      return { error: String(error) };
    }
    results.append(table(found.columns, found.rows));
    const n = found.rows.length;
    runStatus.textContent = n + " row" + (n === 1 ? "" : "s") + " in " + Math.round(performance.now() - started) + " ms";
    return found;
  }
  run.addEventListener("click", () => execute(editor.value));
  window.kg.run = execute;
  window.kg.choose = choose;

  setTimeout(() => {
    try {
      window.oxigraph.load();
      const store = new window.oxigraph.Store();
      store.load(window.KG_GRAPH_TRIG, { format: "application/trig" });
      window.kg.store = store;
      status.textContent = store.size + " quads loaded.";
      run.disabled = false;
      window.kg.ready = true;
    } catch (error) {
      status.textContent = "Could not load the graph: " + String(error);
      console.error(error);
    }
  }, 0);
})();
