// kg author: the page. Vanilla JS, nothing remote. Every text from the sources (the article,
// labels, quotes, messages) goes into the page with textContent, never as HTML.
"use strict";
(function () {
  const token = new URLSearchParams(location.search).get("token") || "";
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const $ = (id) => document.getElementById(id);
  const S = {
    article: null, lang: boot.lang || "en", terms: null, state: null, chars: [],
    selection: null, subject: null, objectWidget: null, rows: [], newEntities: [], status: "Done",
  };

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  async function api(path, body) {
    const options = { headers: { "X-Kg-Token": token } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = {};
    try { data = await response.json(); } catch (e) { data = { error: response.status + " " + response.statusText }; }
    return { status: response.status, data };
  }

  function say(message, kind) {
    $("status").textContent = message;
    $("status").className = kind || "";
  }

  function listInto(list, messages) {
    list.replaceChildren(...messages.map((m) => el("li", { text: m })));
  }

  // -- the article -------------------------------------------------------------------------

  async function loadState(keepForm) {
    const q = "?article=" + encodeURIComponent(S.article) + "&lang=" + encodeURIComponent(S.lang);
    const { status, data } = await api("/api/state" + q);
    if (status !== 200) { say(data.error || "cannot read the article", "bad"); return; }
    S.state = data;
    S.chars = Array.from(data.article.text);
    $("mapping-file").textContent = data.mapping.file + (data.mapping.exists ? "" : " (not written yet)");
    $("draft").hidden = !data.mapping.draft;
    listInto($("problems"), data.problems);
    renderText();
    renderCards();
    if (!keepForm) closeForm();
  }

  function renderText() {
    const box = $("text");
    const cards = S.state.cards;
    box.replaceChildren(...S.state.pieces.map((piece) => {
      const span = el("span", { class: "piece", "data-start": String(piece.start), text: piece.text });
      if (piece.cards.length) {
        span.classList.add("quoted");
        span.dataset.cards = piece.cards.join(" ");
        span.title = piece.cards.map((n) => summary(cards.find((c) => c.n === n))).join("\n");
      } else if (!piece.cited) {
        span.classList.add("uncited");
      }
      return span;
    }));
  }

  function summary(card) {
    if (!card) return "";
    const head = card.node ? card.type + " " + card.node : card.subject;
    return card.id + ": " + head + " — " + card.rows.map((r) => r.property + " " + r.value).join("; ");
  }

  function renderCards() {
    $("cards").replaceChildren(...S.state.cards.map((card) => {
      const box = el("article", { class: "card", id: "card-" + card.n, "data-id": card.id });
      box.append(el("h3", { text: card.id + "  (line " + card.line + ")" }));
      if (card.node) box.append(el("div", { class: "node", text: card.type + ": " + card.node }));
      else box.append(el("div", { class: "subject", text: card.subject }));
      for (const row of card.rows) {
        box.append(el("div", { class: "rowv" }, el("span", { class: "prop", text: row.property }), el("span", { text: " " + row.value })));
      }
      if (card.status !== "Done") box.append(el("div", { class: "badge", text: "status: " + card.status }));
      if (card.editorial) box.append(el("div", { class: "badge", text: "editor’s judgement: " + card.editorial }));
      for (const quote of card.quotes) {
        box.append(el("blockquote", { class: quote.start === null ? "missing" : "", text: quote.text }));
      }
      return box;
    }));
  }

  $("text").addEventListener("mouseover", (event) => {
    const cards = event.target.dataset ? event.target.dataset.cards : null;
    document.querySelectorAll(".card.hover").forEach((c) => c.classList.remove("hover"));
    if (cards) cards.split(" ").forEach((n) => { const c = $("card-" + n); if (c) c.classList.add("hover"); });
  });

  // The selection as code point offsets in the text as received (the pieces carry theirs).
  function pointOf(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const piece = node.parentElement;
      return Number(piece.dataset.start) + Array.from(node.data.slice(0, offset)).length;
    }
    if (node.classList && node.classList.contains("piece")) {
      return Number(node.dataset.start) + (offset ? Array.from(node.textContent).length : 0);
    }
    const child = node.childNodes[offset];
    return child && child.dataset ? Number(child.dataset.start) : S.chars.length;
  }

  function readSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!$("text").contains(range.startContainer) || !$("text").contains(range.endContainer)) return null;
    let start = pointOf(range.startContainer, range.startOffset);
    let end = pointOf(range.endContainer, range.endOffset);
    while (start < end && /\s/.test(S.chars[start])) start++;
    while (end > start && /\s/.test(S.chars[end - 1])) end--;
    if (end <= start) return null;
    return { start, end, text: S.chars.slice(start, end).join("") };
  }

  document.addEventListener("selectionchange", () => {
    const found = readSelection();
    if (found) S.selection = found;
    $("new-fact").hidden = !found;
  });

  // -- the form ------------------------------------------------------------------------------

  function isA(cls, ancestor) {
    const info = S.terms.classes[cls];
    return cls === ancestor || (info ? info.parents.includes(ancestor) : false);
  }

  function propertiesFor(cls) {
    return Object.entries(S.terms.properties).filter(([, p]) => !cls || p.domains.length === 0 || p.domains.some((d) => isA(cls, d)));
  }

  function fillSelect(select, options, blank) {
    select.replaceChildren(...(blank ? [el("option", { value: "", text: blank })] : []),
      ...options.map(([value, text]) => el("option", { value, text })));
  }

  function labelOf(labels) {
    return labels[S.lang] || labels.en || labels.ru || Object.values(labels)[0] || "";
  }

  // An entity picker: search-as-you-type over the registry (kg's own folding), or a new entity.
  function picker(classes, onPick) {
    const input = el("input", { class: "search", size: "34", placeholder: "type a name, any script" });
    const hits = el("ul", { class: "hits" });
    const chosen = el("span", { class: "chosen" });
    const box = el("span", { class: "picker" }, input, chosen, hits);
    const state = { id: null, type: null };
    let timer = null;
    let asked = 0;
    function choose(id, type, label) {
      state.id = id; state.type = type;
      chosen.textContent = id ? label + " (" + id + ")" : "";
      hits.replaceChildren();
      input.value = "";
      if (onPick) onPick(state);
    }
    async function search() {
      const mine = ++asked;
      const q = input.value.trim();
      const items = [];
      if (q) {
        const params = "?q=" + encodeURIComponent(q) + "&classes=" + encodeURIComponent(classes.join(",")) + "&article=" + encodeURIComponent(S.article);
        const { data } = await api("/api/search" + params);
        if (mine !== asked) return;
        for (const hit of data.hits || []) {
          const label = labelOf(hit.labels) || hit.matched;
          items.push(el("li", { class: "hit", "data-id": hit.id, text: label + " — " + hit.id + " (" + hit.type + ")", onclick: () => choose(hit.id, hit.type, label) }));
        }
        for (const entity of S.newEntities) {
          if (entity.label.toLowerCase().includes(q.toLowerCase())) {
            items.push(el("li", { class: "hit", "data-id": entity.id, text: entity.label + " — " + entity.id + " (new)", onclick: () => choose(entity.id, entity.type, entity.label) }));
          }
        }
        items.push(el("li", { class: "new", text: "+ new entity “" + q + "”", onclick: () => newEntity(q, classes, choose) }));
      }
      hits.replaceChildren(...items);
    }
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(search, 120); });
    const fromSelection = el("button", { type: "button", class: "from-selection", text: "new from selection", onclick: () => {
      if (S.selection) newEntity(S.selection.text, classes, choose);
    } });
    box.append(fromSelection);
    return { el: box, state, choose };
  }

  // A new registry entity, its label as the article writes it (unless marked the editor's).
  function newEntity(label, classes, choose) {
    const kinds = Object.entries(S.terms.classes)
      .filter(([name, info]) => info.kind && (classes.length === 0 || classes.some((c) => isA(name, c) || isA(c, name))))
      .map(([name, info]) => [info.kind + "|" + name, info.kind + " — " + name]);
    const kind = el("select", { class: "kind" });
    fillSelect(kind, kinds);
    const text = el("input", { class: "label", size: "30" });
    text.value = label;
    const lang = el("select", { class: "label-lang" });
    fillSelect(lang, [["en", "en"], ["ru", "ru"], ["kk", "kk"]]);
    const editor = el("input", { type: "checkbox", class: "editor" });
    const twins = el("span", { class: "twins" });
    const create = el("button", { type: "button", class: "create", text: "create" });
    const cancel = el("button", { type: "button", text: "cancel" });
    const box = el("div", { class: "new-entity" }, el("strong", { text: "new entity " }), kind, text, lang,
      el("label", {}, editor, el("span", { text: " the editor’s spelling (not the article’s)" })), create, cancel, twins);
    async function guess() {
      const [k] = kind.value.split("|");
      const { status, data } = await api("/api/new-id?kind=" + encodeURIComponent(k) + "&label=" + encodeURIComponent(text.value));
      if (status !== 200) return null;
      lang.value = data.lang;
      twins.textContent = data.twins.length ? "already there? " + data.twins.map((t) => t.id).join(", ") : "";
      return data;
    }
    guess();
    kind.addEventListener("change", guess);
    create.addEventListener("click", async () => {
      const data = await guess();
      if (!data || !data.id) { say("give the new entity a name", "bad"); return; }
      const [, type] = kind.value.split("|");
      const entity = { id: data.id, type, label: text.value.trim(), lang: lang.value, editor: editor.checked };
      S.newEntities = S.newEntities.filter((e) => e.id !== entity.id).concat([entity]);
      renderNewEntities();
      box.remove();
      choose(entity.id, entity.type, entity.label);
    });
    cancel.addEventListener("click", () => box.remove());
    $("new-entities").append(box);
  }

  function renderNewEntities() {
    const list = el("ul", { class: "pending" });
    for (const entity of S.newEntities) {
      list.append(el("li", {}, el("span", { text: "new: " + entity.id + " " + entity.type + " {" + entity.lang + ": " + entity.label + "}" + (entity.editor ? " editor" : "") }),
        el("button", { type: "button", text: "×", onclick: () => { S.newEntities = S.newEntities.filter((e) => e !== entity); renderNewEntities(); } })));
    }
    const old = document.querySelector("ul.pending");
    if (old) old.replaceWith(list); else $("new-entities").prepend(list);
  }

  // A typed input for one property's value.
  function valueInput(name) {
    const info = S.terms.properties[name];
    if (!info) return { el: el("span"), get: () => null };
    const kind = info.kind;
    if (kind === "entity") {
      const p = picker(info.classes, () => nodeIdGuess());
      return { el: p.el, get: () => ({ kind, value: p.state.id }), id: () => p.state.id };
    }
    if (kind === "concept") {
      const select = el("select", { class: "concept" });
      fillSelect(select, (S.terms.concepts[info.scheme] || []).map((c) => [c.id, labelOf(c.labels) + " — " + c.id]), "choose…");
      const qualifier = el("input", { class: "qualifier", size: "16", placeholder: "qualifier (optional)" });
      const qlang = el("select");
      fillSelect(qlang, [["en", "en"], ["ru", "ru"], ["kk", "kk"]]);
      select.addEventListener("change", () => nodeIdGuess());
      return {
        el: el("span", {}, select, qualifier, qlang),
        get: () => ({ kind, value: select.value, qualifier: qualifier.value.trim() ? { [qlang.value]: qualifier.value } : null }),
        id: () => select.value,
      };
    }
    if (kind === "choice") {
      const select = el("select");
      fillSelect(select, info.choices.map((c) => [c, c]), "choose…");
      return { el: select, get: () => ({ kind, value: select.value }) };
    }
    if (kind === "amount") {
      const amount = el("input", { type: "number", min: "0", step: "any", class: "amount", placeholder: "amount" });
      const currency = el("select", { class: "currency" });
      fillSelect(currency, S.terms.currencies.map(([code, title]) => [code, code + " — " + title]), "currency (ISO 4217)…");
      return { el: el("span", {}, amount, currency), get: () => ({ kind, amount: amount.value, currency: currency.value }) };
    }
    if (kind === "text") {
      const lang = el("select");
      fillSelect(lang, [["en", "en"], ["ru", "ru"], ["kk", "kk"]]);
      if (S.selection) lang.value = /[А-Яа-яЁё]/.test(S.selection.text) ? "ru" : "en";
      const text = el("input", { size: "40", class: "text" });
      return { el: el("span", {}, lang, text), get: () => ({ kind, value: { [lang.value]: text.value } }) };
    }
    if (kind === "boolean") {
      const box = el("input", { type: "checkbox" });
      return { el: box, get: () => ({ kind, value: box.checked }) };
    }
    const types = { date: "date", year: "number", integer: "number", decimal: "text" };
    const input = el("input", { type: types[kind] || "text", class: kind });
    if (kind === "year") { input.min = "1850"; input.max = "2100"; input.step = "1"; }
    if (kind === "integer") { input.min = "0"; input.step = "1"; }
    return { el: input, get: () => ({ kind, value: input.value }) };
  }

  function openForm() {
    if (!S.selection) return;
    $("form").hidden = false;
    S.quotes = [S.selection.text];
    S.starts = [S.selection.start];
    renderQuotes();
    const p = picker([], (state) => { S.subject = state; fillProperties(); });
    $("subject-slot").replaceChildren(p.el);
    S.subjectPicker = p;
    S.subject = p.state;
    fillProperties();
    fillSelect($("node-type"), Object.entries(S.terms.classes).filter(([, i]) => i.node).map(([n]) => [n, n]), "choose…");
    $("with").replaceChildren();
    S.rows = [];
    $("node-id").value = "";
    S.status = "Done";
    renderStatuses();
    $("editorial").value = "";
    $("editorial").hidden = true;
    $("fact-id").value = "";
    listInto($("form-problems"), []);
    $("form").scrollIntoView({ block: "nearest" });
  }

  function closeForm() {
    $("form").hidden = true;
    S.newEntities = [];
    $("new-entities").replaceChildren();
  }

  function renderQuotes() {
    $("quotes").replaceChildren(...S.quotes.map((q, i) => el("li", {}, el("q", { text: q }),
      el("button", { type: "button", text: "×", onclick: () => { S.quotes.splice(i, 1); S.starts.splice(i, 1); renderQuotes(); } }))));
  }

  function fillProperties() {
    const cls = S.subject && S.subject.type;
    fillSelect($("property"), propertiesFor(cls).map(([name, p]) => [name, name + " — " + p.label]), "choose…");
    $("object-slot").replaceChildren();
    S.objectWidget = null;
  }

  $("property").addEventListener("change", () => {
    S.objectWidget = valueInput($("property").value);
    $("object-slot").replaceChildren(S.objectWidget.el);
  });

  function addRow() {
    const type = $("node-type").value;
    const select = el("select", { class: "with-property" });
    fillSelect(select, propertiesFor(type).map(([name, p]) => [name, name + " — " + p.label]), "property…");
    const slot = el("span", { class: "with-value" });
    const row = { select, widget: null };
    select.addEventListener("change", () => { row.widget = valueInput(select.value); slot.replaceChildren(row.widget.el); nodeIdGuess(); });
    const line = el("div", { class: "row with-row" }, select, slot,
      el("button", { type: "button", text: "×", onclick: () => { line.remove(); S.rows = S.rows.filter((r) => r !== row); } }));
    S.rows.push(row);
    $("with").append(line);
    return row;
  }

  function nodeIdGuess() {
    const info = S.terms.classes[$("node-type").value];
    if (!info || !info.node || $("node-id").dataset.edited) return;
    const parts = S.rows.map((r) => (r.widget && r.widget.id ? r.widget.id() : null)).filter(Boolean).map((id) => id.split("/").pop());
    $("node-id").value = info.node + "/" + (parts.join("-") || "new");
  }

  $("node-id").addEventListener("input", () => { $("node-id").dataset.edited = "1"; });
  $("node-type").addEventListener("change", () => { $("with").replaceChildren(); S.rows = []; delete $("node-id").dataset.edited; nodeIdGuess(); addRow(); });
  $("add-row").addEventListener("click", addRow);

  function renderStatuses() {
    $("statuses").replaceChildren(...S.terms.statuses.map((name) => el("button", {
      type: "button", class: "status" + (name === S.status ? " on" : ""), "data-status": name, text: name,
      onclick: () => { S.status = name; renderStatuses(); },
    })));
  }

  document.querySelectorAll("input[name=mode]").forEach((radio) => radio.addEventListener("change", () => {
    const node = document.querySelector("input[name=mode]:checked").value === "node";
    $("simple").hidden = node;
    $("node").hidden = !node;
  }));

  $("editorial-toggle").addEventListener("click", () => { $("editorial").hidden = !$("editorial").hidden; $("editorial").focus(); });
  $("new-fact").addEventListener("click", openForm);
  $("add-quote").addEventListener("click", () => { if (S.selection && !S.quotes.includes(S.selection.text)) { S.quotes.push(S.selection.text); S.starts.push(S.selection.start); renderQuotes(); } });
  $("cancel").addEventListener("click", closeForm);

  function payload() {
    const node = document.querySelector("input[name=mode]:checked").value === "node";
    const fact = { id: $("fact-id").value.trim(), quotes: S.quotes, starts: S.starts, status: S.status, editorial: $("editorial").hidden ? "" : $("editorial").value };
    if (node) {
      fact.node = $("node-id").value.trim();
      fact.type = $("node-type").value;
      fact.with = S.rows.filter((r) => r.widget).map((r) => ({ property: r.select.value, value: r.widget.get() }));
    } else {
      fact.subject = S.subject ? S.subject.id : "";
      fact.property = $("property").value;
      fact.object = S.objectWidget ? S.objectWidget.get() : null;
    }
    const used = JSON.stringify(fact);
    return { article: S.article, fact, entities: S.newEntities.filter((e) => used.includes('"' + e.id + '"')), versions: S.state.versions };
  }

  $("check").addEventListener("click", async () => {
    const { data } = await api("/api/check", payload());
    listInto($("form-problems"), (data.problems || [data.error]).concat(data.notes || []));
    say(data.problems && data.problems.length === 0 ? "the checker finds no problem" : "see the problems under the form", data.problems && data.problems.length === 0 ? "ok" : "bad");
  });

  $("save").addEventListener("click", async () => {
    const { status, data } = await api("/api/save", payload());
    if (status === 200 && data.saved) {
      await loadState(false);
      say("saved fact " + data.fact + " to " + data.files.join(", ") + (data.notes.length ? ". Note: " + data.notes.join(" ") : ""), "ok");
    } else if (status === 409) {
      await loadState(true);  // the file as it is now; the fact stays in the form
      say(data.error, "bad conflict");
    } else {
      listInto($("form-problems"), data.problems || [data.error]);
      say("not saved: see the problems under the form", "bad");
    }
  });

  $("build").addEventListener("click", async () => {
    say("building…", "");
    const { status, data } = await api("/api/build", { article: S.article, lang: S.lang });
    if (status !== 200) { say(data.error || "the build failed", "bad"); return; }
    $("shown").hidden = false;
    if (!data.built) {
      listInto($("problems"), data.problems);
      $("pages").replaceChildren();
      say("the build found problems (listed above)", "bad");
      return;
    }
    $("pages").replaceChildren(...data.pages.map((page) => el("pre", { class: "show", "data-id": page.id, text: page.text })));
    if (data.view) { $("view").hidden = false; $("view").src = data.view + "?token=" + encodeURIComponent(token); }
    say("built: " + data.pages.length + " entities with facts from this article", "ok");
  });

  $("ready").addEventListener("click", async () => {
    const { status, data } = await api("/api/ready", { article: S.article, versions: S.state.versions });
    if (status === 200) { say("ready: the build now includes this mapping", "ok"); await loadState(true); return; }
    if (data.problems) listInto($("problems"), data.problems);
    say(data.error || "not ready: see the problems listed", "bad");
  });

  $("lang").addEventListener("change", () => { S.lang = $("lang").value; loadState(true); });
  $("article").addEventListener("change", () => { S.article = $("article").value; $("shown").hidden = true; loadState(false); });

  async function start() {
    const terms = await api("/api/terms");
    if (terms.status !== 200) { say(terms.data.error || "refused", "bad"); return; }
    S.terms = terms.data;
    const { data } = await api("/api/articles");
    fillSelect($("article"), data.articles.map((a) => [a.stem, a.name + (a.mapped ? "" : " (no mapping)")]));
    S.article = boot.article || (data.articles[0] && data.articles[0].stem);
    $("article").value = S.article;
    $("lang").value = S.lang;
    await loadState(false);
    document.body.dataset.ready = "1";
  }
  start();
})();
