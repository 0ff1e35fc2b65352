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

  function cell(term) {
    if (term === undefined || term === null) return "";
    return term.value;
  }
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
  function variables(text) {
    /* The SELECT's projection order is not in a Map's keys when a row leaves one unbound. */
    const m = /SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?([\s\S]*?)\s*(?:FROM|WHERE|\{)/i.exec(text.replace(/#[^\n]*/g, ""));
    if (!m || m[1].trim() === "*") return null;
    return [...m[1].matchAll(/\?([A-Za-z_][A-Za-z0-9_]*)(?![^(]*\()|AS\s+\?([A-Za-z_][A-Za-z0-9_]*)/gi)].map((x) => x[2] || x[1]);
  }
  function execute(text) {
    const started = performance.now();
    results.replaceChildren();
    let answer;
    try {
      answer = window.kg.store.query(text, { use_default_graph_as_union: true });
    } catch (error) {
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = String(error);
      results.append(p);
      runStatus.textContent = "error";
      return { error: String(error) };
    }
    let columns = [], rows = [];
    if (typeof answer === "boolean") {
      columns = ["answer"]; rows = [[answer ? "yes" : "no"]];
    } else if (answer.length && answer[0] instanceof Map) {
      const seen = [];
      for (const m of answer) for (const k of m.keys()) if (!seen.includes(k)) seen.push(k);
      const declared = variables(text);
      columns = declared ? declared.filter((v) => seen.includes(v)).concat(seen.filter((v) => !declared.includes(v))) : seen;
      rows = answer.map((m) => columns.map((c) => cell(m.get(c))));
    } else if (Array.isArray(answer)) {
      columns = ["subject", "predicate", "object"];
      rows = answer.map((q) => [q.subject.value, q.predicate.value, q.object.value]);
    }
    results.append(table(columns, rows));
    runStatus.textContent = rows.length + " row" + (rows.length === 1 ? "" : "s") + " in " + Math.round(performance.now() - started) + " ms";
    return { columns, rows };
  }
  run.addEventListener("click", () => execute(editor.value));
  window.kg.run = execute;
  window.kg.choose = choose;

  setTimeout(() => {
    try {
      window.oxigraph.load();
      const store = new window.oxigraph.Store();
      store.load(window.KG_GRAPH_NQ, { format: "application/n-quads" });
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
