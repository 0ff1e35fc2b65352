/* The site's one script for ordinary pages: readiness flag and the index's search.
   Every text is inserted with textContent, never as HTML. */
(function () {
  "use strict";
  window.kg = window.kg || {};

  /* What the user types is folded through a table computed by kg.registry.fold in Python
     (fold() of each character); search keys were folded there too. Here: map, join, trim. */
  function fold(text, table) {
    let out = "";
    for (const ch of text.normalize("NFKC")) {
      if (Object.prototype.hasOwnProperty.call(table, ch)) out += table[ch];
      else if (/[a-z0-9]/.test(ch)) out += ch;
      else out += " ";
    }
    return out.replace(/\s+/g, " ").trim();
  }

  function search() {
    const data = window.KG_SEARCH;
    const input = document.getElementById("kg-search");
    const list = document.getElementById("kg-search-results");
    const status = document.getElementById("kg-search-status");
    function find(text) {
      const needle = fold(text, data.fold);
      if (!needle) return [];
      const best = new Map();
      for (const [key, label, lang, path, kind, name] of data.rows) {
        let rank;
        if (key === needle) rank = 0;
        else if (key.startsWith(needle) || (" " + key).includes(" " + needle)) rank = 1;
        else if (key.includes(needle)) rank = 2;
        else continue;
        const seen = best.get(path);
        if (!seen || rank < seen.rank) best.set(path, { rank, label, lang, path, kind, name });
      }
      return [...best.values()].sort((a, b) => a.rank - b.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    }
    function show() {
      const hits = find(input.value);
      list.replaceChildren();
      for (const hit of hits.slice(0, 50)) {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = "entity/" + hit.path + ".html";
        a.textContent = hit.name;
        const kind = document.createElement("span");
        kind.className = "note";
        kind.textContent = " " + hit.kind + (hit.label !== hit.name ? " · " + hit.label + " (" + hit.lang + ")" : "");
        li.append(a, kind);
        list.append(li);
      }
      status.textContent = input.value.trim() ? hits.length + " match" + (hits.length === 1 ? "" : "es") : "";
    }
    input.addEventListener("input", show);
    window.kg.fold = (text) => fold(text, data.fold);
    window.kg.search = (text) => find(text).map((h) => h.path);
    window.kg.ready = true;
  }

  window.kgSite = { search, ready: () => { window.kg.ready = true; } };
})();
