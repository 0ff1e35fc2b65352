// The page's behaviour: legend and class filter, search by any label, hover cards and the
// details panel. Every text from the sources is put in the page with textContent, never
// as HTML, so a label that holds markup or script is shown as text and never run.
(function () {
  "use strict";
  var started = performance.now();

  function read(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }

  var meta = read("kg-meta");
  var options = read("kg-options");
  var nodes = new vis.DataSet(read("kg-nodes"));
  var edges = new vis.DataSet(read("kg-edges"));
  var container = document.getElementById("mynetwork");
  var main = document.getElementById("kg-main");
  var tooltip = document.getElementById("kg-tooltip");
  var details = document.getElementById("kg-details");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  var api = {
    network: network,
    nodes: nodes,
    edges: edges,
    meta: meta,
    ready: false,
    timing: { script: started },
  };
  window.kg = api;

  // -- readiness: drawn, and (with physics) settled -------------------------------------
  var settled = !(options.physics && options.physics.enabled);
  function markReady() {
    if (api.ready) return;
    api.ready = true;
    api.timing.ready = performance.now();
    document.body.setAttribute("data-ready", "1");
    if (meta.focus && nodes.get(meta.focus)) network.selectNodes([meta.focus]);
  }
  network.once("stabilizationIterationsDone", function () {
    settled = true;
  });
  network.on("afterDrawing", function () {
    if (settled) markReady();
  });
  if (!nodes.length) markReady();

  document.getElementById("kg-counts").textContent =
    meta.nodeCount + " nodes \u00b7 " + meta.edgeCount + " links";

  // -- building cards from data, as text only --------------------------------------------
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function sourceList(sources, limit) {
    var list = el("ul", "kg-sources");
    var shown = limit ? sources.slice(0, limit) : sources;
    shown.forEach(function (source) {
      var item = el("li");
      var article = meta.articles[source.article] || { file: source.article, title: "" };
      // the article by its display title (headline, else the editor's title); its file on hover
      var name = el("span", "kg-article", article.title || article.file);
      name.title = article.file;
      item.appendChild(name);
      if (source.quote) item.appendChild(el("q", "kg-quote", source.quote));
      if (source.editorial) item.appendChild(el("span", "kg-editorial", "editorial: " + source.editorial));
      list.appendChild(item);
    });
    if (limit && sources.length > limit) list.appendChild(el("li", "kg-more", "+" + (sources.length - limit) + " more"));
    return list;
  }

  function relationBlock(relation, full) {
    var block = el("div", "kg-link");
    block.appendChild(el("b", null, relation.label));
    (relation.details || []).forEach(function (detail) {
      if (detail) block.appendChild(el("div", "kg-detail", detail));
    });
    block.appendChild(sourceList(relation.sources || [], full ? 0 : 2));
    return block;
  }

  function nodeCard(id, full) {
    var item = nodes.get(id);
    var info = item.info;
    var card = el("div", "kg-card");
    card.appendChild(el("div", "kg-card-title", info.name));
    card.appendChild(el("div", "kg-card-class", info.cls + (info.wikidata ? " \u00b7 Wikidata " + info.wikidata : "")));
    var others = info.labels.filter(function (label) { return label !== info.name; });
    if (others.length) card.appendChild(el("div", "kg-detail", others.join(" \u00b7 ")));
    var facts = info.facts;
    var limit = full ? facts.length : 5;
    facts.slice(0, limit).forEach(function (fact) {
      var block = el("div", "kg-fact");
      block.appendChild(el("b", null, fact.property + ": "));
      block.appendChild(el("span", null, fact.value));
      block.appendChild(sourceList(fact.sources || [], full ? 0 : 2));
      card.appendChild(block);
    });
    if (facts.length > limit) card.appendChild(el("div", "kg-more", "+" + (facts.length - limit) + " more facts: click the node"));
    if (full) {
      var connected = network.getConnectedEdges(id);
      if (connected.length) card.appendChild(el("h3", "kg-section", "Links (" + connected.length + ")"));
      connected.forEach(function (edgeId) {
        var edge = edges.get(edgeId);
        var otherId = edge.from === id ? edge.to : edge.from;
        var arrow = !meta.directed ? "\u2014 " : edge.from === id ? "\u2192 " : "\u2190 ";
        var head = el("div", "kg-card-class", arrow + nodes.get(otherId).info.name);
        card.appendChild(head);
        edge.info.relations.forEach(function (relation) {
          card.appendChild(relationBlock(relation, true));
        });
      });
    } else if (info.degree) {
      card.appendChild(el("div", "kg-more", info.degree + " links: click the node for their sources"));
    }
    return card;
  }

  function edgeCard(id, full) {
    var edge = edges.get(id);
    var card = el("div", "kg-card");
    var joint = meta.directed ? " \u2192 " : " \u2014 ";
    card.appendChild(el("div", "kg-card-title", nodes.get(edge.from).info.name + joint + nodes.get(edge.to).info.name));
    if (meta.view === "coproduction") {
      card.appendChild(el("div", "kg-card-class", edge.info.weight + " shared work(s)"));
    }
    var relations = edge.info.relations;
    var limit = full ? relations.length : 4;
    relations.slice(0, limit).forEach(function (relation) {
      card.appendChild(relationBlock(relation, full));
    });
    if (relations.length > limit) card.appendChild(el("div", "kg-more", "+" + (relations.length - limit) + " more: click the link"));
    return card;
  }

  // -- hover cards and the details panel -------------------------------------------------
  function showTooltip(card, pointer) {
    tooltip.replaceChildren(card);
    tooltip.hidden = false;
    var x = container.offsetLeft + pointer.x + 16;
    var y = container.offsetTop + pointer.y + 12;
    var maxX = main.clientWidth - tooltip.offsetWidth - 8;
    tooltip.style.left = Math.max(0, Math.min(x, maxX)) + "px";
    tooltip.style.top = Math.max(0, Math.min(y, main.clientHeight - tooltip.offsetHeight - 8)) + "px";
  }
  function hideTooltip() {
    tooltip.hidden = true;
  }
  api.showNodeCard = function (id) {
    var at = network.canvasToDOM(network.getPositions([id])[id]);
    showTooltip(nodeCard(id, false), at);
    return tooltip;
  };

  network.on("hoverNode", function (params) {
    showTooltip(nodeCard(params.node, false), params.pointer.DOM);
  });
  network.on("hoverEdge", function (params) {
    showTooltip(edgeCard(params.edge, false), params.pointer.DOM);
  });
  network.on("blurNode", hideTooltip);
  network.on("blurEdge", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);

  function showDetails(card) {
    var close = el("button", "kg-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "close");
    close.addEventListener("click", function () { details.hidden = true; });
    details.replaceChildren(close, card);
    details.hidden = false;
  }
  network.on("click", function (params) {
    hideTooltip();
    if (params.nodes.length) showDetails(nodeCard(params.nodes[0], true));
    else if (params.edges.length) showDetails(edgeCard(params.edges[0], true));
    else details.hidden = true;
  });

  // -- filter by class -------------------------------------------------------------------
  var boxes = {};
  var legendList = document.getElementById("kg-legend-list");
  function setGroupVisible(key, visible) {
    boxes[key].checked = visible;
    var updates = nodes.get({ filter: function (item) { return item.kind === key; } }).map(function (item) {
      return { id: item.id, hidden: !visible };
    });
    nodes.update(updates);
  }
  meta.groups.forEach(function (group) {
    var item = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute("data-kind", group.key);
    box.addEventListener("change", function () { setGroupVisible(group.key, box.checked); });
    boxes[group.key] = box;
    var symbol = el("span", "kg-symbol", group.symbol);
    symbol.style.color = group.color;
    label.appendChild(box);
    label.appendChild(symbol);
    label.appendChild(el("span", null, group.label));
    label.appendChild(el("span", "kg-count", group.count));
    item.appendChild(label);
    legendList.appendChild(item);
  });
  document.getElementById("kg-show-all").addEventListener("click", function () {
    meta.groups.forEach(function (group) { if (!boxes[group.key].checked) setGroupVisible(group.key, true); });
  });
  api.setGroupVisible = setGroupVisible;

  // -- search by any label ---------------------------------------------------------------
  // Ranked exactly as `kg entities search` ranks (kg.registry.match): each node carries its
  // labels folded in Python (info.keys); what the user types is folded with kg.registry.fold's
  // own per-character table (meta.search.fold), so there is one folding rule, not two.
  var searchMeta = meta.search;
  function foldTyped(text) {
    var out = "";
    Array.from(String(text).normalize("NFKC")).forEach(function (ch) {
      if (/[A-Za-z0-9]/.test(ch)) out += ch.toLowerCase();
      else if (Object.prototype.hasOwnProperty.call(searchMeta.fold, ch)) out += searchMeta.fold[ch];
      else out += " ";
    });
    return out.replace(/ +/g, " ").trim();
  }
  // rapidfuzz's fuzz.ratio: the normalized Indel similarity, 100 * (1 - distance / total length)
  function ratio(a, b) {
    var total = a.length + b.length;
    if (!total) return 100;
    var prev = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var cur = [0];
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      prev = cur;
    }
    return 100 * (1 - (total - 2 * prev[b.length]) / total);
  }
  // [tier, score, closeness] or null; the tiers and scores of kg.registry.match
  function match(needle, key) {
    if (!needle || !key) return null;
    var closeness = ratio(needle, key);
    if (key === needle) return [0, 100, closeness];
    if (key.indexOf(needle) === 0 || (" " + key).indexOf(" " + needle) >= 0) return [1, 100, closeness];
    if (key.indexOf(needle) >= 0) return [2, 100, closeness];
    var words = key.split(" "), typed = needle.split(" ");
    if (typed.every(function (word) { return words.indexOf(word) >= 0; })) return [3, 100, closeness];
    if (needle.length < searchMeta.minLength) return null;
    var score = Math.max(ratio(needle, key), ratio(typed.slice().sort().join(" "), words.slice().sort().join(" ")));
    for (var k = 0; k + typed.length <= words.length; k++) {
      score = Math.max(score, ratio(needle, words.slice(k, k + typed.length).join(" ")));
    }
    return score >= searchMeta.cutoff ? [4, score, closeness] : null;
  }
  function better(a, b) {
    if (a[0] !== b[0]) return a[0] < b[0];
    if (a[1] !== b[1]) return a[1] > b[1];
    return a[2] > b[2];
  }
  var index = nodes.get().map(function (item) { return { id: item.id, keys: item.info.keys }; });
  function search(text) {
    var needle = foldTyped(text);
    if (!needle) return [];
    var hits = [];
    index.forEach(function (entry) {
      var best = null;
      entry.keys.forEach(function (key) {
        var found = match(needle, key);
        if (found && (!best || better(found, best))) best = found;
      });
      if (best) hits.push({ id: entry.id, rank: best });
    });
    hits.sort(function (a, b) {
      if (better(a.rank, b.rank)) return -1;
      if (better(b.rank, a.rank)) return 1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    return hits.map(function (hit) { return hit.id; });
  }
  function focusNode(id) {
    var item = nodes.get(id);
    if (item.hidden) setGroupVisible(item.kind, true);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300, easingFunction: "easeInOutQuad" } });
    showDetails(nodeCard(id, true));
  }
  var status = document.getElementById("kg-search-status");
  var input = document.getElementById("kg-search");
  var last = { text: null, hits: [], at: 0 };
  function runSearch(text) {
    if (text !== last.text) last = { text: text, hits: search(text), at: 0 };
    else if (last.hits.length) last.at = (last.at + 1) % last.hits.length;
    if (!last.hits.length) {
      status.textContent = "no match";
      return null;
    }
    var id = last.hits[last.at];
    focusNode(id);
    var info = nodes.get(id).info;
    status.textContent = (last.at + 1) + " of " + last.hits.length + ": " + info.name + " (" + info.cls + ")";
    return id;
  }
  document.getElementById("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    runSearch(input.value);
  });
  api.searchAll = search;
  api.search = function (text) {
    input.value = text;
    return runSearch(text);
  };
})();
