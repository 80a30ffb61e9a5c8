// kaartspel site: search, filters, the wheel and the detail view.
// State lives in the URL fragment: #zoek=buurt&segment=meedoen,meepraten&thema=inbraak&kaart=S01
// Within one filter the ticked values are alternatives (OR); different filters must all
// hold (AND). The search is MiniSearch (inlined before this script) over an index that
// kaartspel built when it wrote the page (site_index.py, MiniSearch's JSON format): every
// word of the query must match a whole word of the card, or the start of one, or a word one
// or two letters off; case and accents do not count. Results are ranked by score.
// Every word shown comes from data.words (the deck's language).
// Opening fast with any number of cards: the data before this script holds the words, the
// filters and only the first screen of cards (data.page); this script draws those at once.
// The other cards and the search index come after it in the page and are read once the first
// cards are on screen; whatever needs them before then waits for them (withCards).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  performance.mark("kaartspel:script");
  const data = JSON.parse($("kaartspel-data").textContent);
  performance.mark("kaartspel:data");
  const W = data.words;
  const say = (template, values) =>
    template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
  const groups = data.groups;
  let cards = data.cards; // the first data.page cards, until readCards adds the others
  const groupByKey = new Map(groups.map((g) => [g.key, g]));
  groups.forEach((g) => {
    g.valid = new Set(g.options.map((o) => o[0]));
    g.names = new Map(g.options);
  });
  // a card's facets as shown: [[facet name, [value names]]], in the deck's order
  const facetGroups = groups.filter((g) => g.kind === "facet");
  const facetsOf = (card) =>
    facetGroups
      .filter((g) => card.facetIds[g.facet])
      .map((g) => [g.name, card.facetIds[g.facet].map((v) => g.names.get(v))]);

  const searchBox = $("zoek");
  const list = $("kaarten");
  const countLine = $("aantal");
  const active = $("actief");
  const none = $("geen");
  const suggestions = $("suggesties");
  const more = $("meer");
  const dialog = $("detail");
  const filterPanel = $("filters");
  const filterButton = $("filterknop");
  const wheel = document.querySelector(".wiel");
  const boxes = Array.from(document.querySelectorAll("#filterform input[type=checkbox]"));
  const wedges = Array.from(document.querySelectorAll(".wedge[role=button]"));
  const numbers = boxes.map((box) => box.nextElementSibling.querySelector(".n"));
  const PAGE = data.page; // cards drawn at a time (2, 3 or 4 columns); "more" draws the next

  const emptyState = () => {
    const sel = {};
    groups.forEach((g) => {
      sel[g.key] = new Set();
    });
    return { zoek: "", sel, kaart: null };
  };
  let state = emptyState();

  // ---------------------------------------------------------------- searching
  // These two must stay what site_index.py does: the index holds words made this way.
  const WORD = /[\p{L}\p{N}\p{M}]+/gu;
  const tokenize = (text) => text.match(WORD) || [];
  const fold = (word) => word.toLowerCase().normalize("NFD").replace(/\p{M}+/gu, "");
  const SHORT = 5; // words shorter than this get no typo matching and few completions
  // The index comes after this script in the page, so the first cards are drawn before the
  // browser has even read it. It is loaded once the page is read, in slices that leave the
  // page free to answer; a search typed before it is ready runs when it is. A page opened
  // with a search in its address waits for the index and reads it at once (searchEngine).
  const indexOptions = { fields: data.search.fields, tokenize, processTerm: fold };
  const whenRead = (then) => {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", then, { once: true });
    } else then();
  };
  let engine = null;
  let loading = null;
  const searchEngine = () => {
    if (!engine) {
      engine = MiniSearch.loadJSON($("kaartspel-index").textContent, indexOptions);
      performance.mark("kaartspel:index");
    }
    return engine;
  };
  const loadEngine = () => {
    if (engine || loading) return;
    loading = new Promise(whenRead)
      .then(() => MiniSearch.loadJSONAsync($("kaartspel-index").textContent, indexOptions))
      .then((ms) => {
        if (engine) return;
        engine = ms;
        performance.mark("kaartspel:index");
        if (state.zoek.trim()) render({ write: false });
      });
  };
  const searchOptions = {
    boost: data.search.boost,
    combineWith: "AND",
    prefix: (term) => term.length >= 3,
    fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= SHORT ? 1 : 0),
  };
  // one-letter words are skipped: they would match nearly every card, or none
  const queryWords = (query) =>
    tokenize(query)
      .map(fold)
      .filter((q) => q.length > 1);
  // A short query word ("bin") completes to words at most one letter shorter than twice
  // itself ("bins", "binne"), never to a longer word that merely starts with it ("binnen").
  const completes = (q, word) => word.startsWith(q) && word.length - q.length < q.length;
  const related = (qs, word) =>
    qs.some((q) => (q.length >= SHORT ? word.startsWith(q) : completes(q, word))) ||
    !qs.some((q) => q.length < SHORT && word.startsWith(q));
  // [{i: card index, score, words: matched words (folded)}], best first; null: no query
  const search = (query) => {
    const qs = queryWords(query);
    if (!qs.length) return null;
    const found = [];
    for (const r of searchEngine().search(qs.join(" "), searchOptions)) {
      const words = Object.keys(r.match);
      if (!qs.every((q) => q.length >= SHORT || words.some((w) => completes(q, w)))) continue;
      found.push({ i: r.id, score: r.score, words: words.filter((w) => related(qs, w)) });
    }
    return found.sort((a, b) => b.score - a.score || a.i - b.i);
  };

  // ---------------------------------------------------------------- filtering
  const valuesOf = (card, g) => {
    if (g.kind === "facet") return card.facetIds[g.facet] || [];
    const v = card[g.kind];
    return v == null ? [] : [v];
  };
  let cardValues = [];
  let byId = new Map();
  const indexCards = () => {
    byId = new Map(cards.map((c, i) => [c.id, i]));
    cardValues = cards.map((card) => groups.map((g) => valuesOf(card, g)));
  };
  const inGroup = (i, gi) => {
    const chosen = state.sel[groups[gi].key];
    if (chosen.size === 0) return true;
    for (const v of cardValues[i][gi]) if (chosen.has(v)) return true;
    return false;
  };
  const passes = (i) => groups.every((g, gi) => inGroup(i, gi));
  const everyCard = Array.from({ length: data.total }, (c, i) => i);
  let allCards = cards.length === data.total;
  if (allCards) indexCards();
  const readCards = () => {
    if (allCards) return;
    cards = cards.concat(JSON.parse($("kaartspel-cards").textContent));
    allCards = true;
    indexCards();
    performance.mark("kaartspel:rest");
  };
  // `then` wrapped to run with every card read: at once when they are, else once the page is
  // read to the end (they come after this script)
  const withCards =
    (then) =>
    (...args) => {
      if (allCards) then(...args);
      else whenRead(() => {
        readCards();
        then(...args);
      });
    };

  // ---------------------------------------------------------------- the URL
  const decode = (s) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch (e) {
      return s;
    }
  };
  const readUrl = () => {
    const st = emptyState();
    const hash = location.hash.replace(/^#/, "");
    if (!hash) return st;
    for (const part of hash.split("&")) {
      const at = part.indexOf("=");
      if (at < 0) continue;
      const key = decode(part.slice(0, at));
      const value = part.slice(at + 1);
      if (key === "zoek") st.zoek = decode(value);
      else if (key === "kaart") st.kaart = byId.has(decode(value)) ? decode(value) : null;
      else if (groupByKey.has(key)) {
        const g = groupByKey.get(key);
        value.split(",").map(decode).forEach((v) => {
          if (g.valid.has(v)) st.sel[key].add(v);
        });
      }
    }
    return st;
  };
  const fragment = (withCard) => {
    const parts = [];
    if (state.zoek) parts.push("zoek=" + encodeURIComponent(state.zoek));
    groups.forEach((g) => {
      const chosen = g.options.map((o) => o[0]).filter((v) => state.sel[g.key].has(v));
      if (chosen.length) {
        parts.push(encodeURIComponent(g.key) + "=" + chosen.map(encodeURIComponent).join(","));
      }
    });
    if (withCard && state.kaart) parts.push("kaart=" + encodeURIComponent(state.kaart));
    return parts.join("&");
  };
  const here = () => location.pathname + location.search;
  const writeUrl = () => {
    const f = fragment(true);
    history.replaceState(history.state, "", here() + (f ? "#" + f : ""));
  };

  // ---------------------------------------------------------------- building cards
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v != null) node.setAttribute(k, v);
    });
    children.flat(Infinity).forEach((child) => {
      if (child == null || child === "") return;
      node.append(child instanceof Node ? child : document.createTextNode(child));
    });
    return node;
  };
  // text with the words of `words` (folded) in <mark>
  const marked = (text, words) => {
    if (!text || !words || !words.size) return [text];
    const out = [];
    let last = 0;
    for (const m of text.matchAll(WORD)) {
      if (!words.has(fold(m[0]))) continue;
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(el("mark", {}, m[0]));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  };
  const svgNS = "http://www.w3.org/2000/svg";
  const pictogram = (name) => {
    const svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("class", "pict");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const use = document.createElementNS(svgNS, "use");
    use.setAttribute("href", "#p-" + name);
    svg.append(use);
    return svg;
  };
  const band = (card, extra) =>
    el(
      "div",
      { class: "band" },
      pictogram(card.pictogram),
      el(
        "span",
        { class: "labels" },
        el("span", { class: "l1" }, card.band[0]),
        card.band[1] ? el("span", { class: "l2" }, card.band[1]) : null
      ),
      el("span", { class: "code" }, el("span", { class: "sr" }, W.card + " "), card.id),
      extra
    );
  const newTab = () => el("span", { class: "sr" }, " " + W.new_tab);
  const block = (title, ...content) => el("div", { class: "blok" }, el("h3", {}, title), content);
  const details = (card) => {
    const out = [];
    if (card.answer) out.push(block(W.answer, el("p", { class: "antwoord" }, card.answer)));
    if (card.question) out.push(block(W.task, el("p", { class: "antwoord" }, card.question)));
    const facets = facetsOf(card);
    if (facets.length) {
      out.push(
        block(
          W.details,
          el(
            "dl",
            { class: "facetten" },
            facets.map(([name, values]) => [
              el("dt", {}, name),
              el("dd", {}, values.map((v) => el("span", { class: "waarde" }, v))),
            ])
          )
        )
      );
    }
    if (card.links.length) {
      out.push(
        block(
          W.links,
          el(
            "ul",
            { class: "links" },
            card.links.map((link) =>
              el(
                "li",
                {},
                el("span", { class: "soortlink" }, link.kind),
                el(
                  "a",
                  { href: link.url, target: "_blank", rel: "noopener" },
                  link.label || link.url,
                  newTab()
                )
              )
            )
          )
        )
      );
    }
    return out;
  };
  const tile = (i, words, timing) => {
    const card = cards[i];
    const link = el("a", { href: "#kaart=" + encodeURIComponent(card.id) }, marked(card.title, words));
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      openCard(card.id, link);
    });
    return el(
      "li",
      { id: "kaart-" + card.id },
      el(
        "article",
        { class: "kaart " + card.colour, "aria-labelledby": "titel-" + card.id },
        band(card),
        el(
          "div",
          { class: "inhoud" },
          el("h3", { id: "titel-" + card.id, elementtiming: timing }, link),
          card.place ? el("p", { class: "plaats" }, marked(card.place, words)) : null,
          el("p", { class: "tekst" }, marked(card.text, words)),
          el("div", { class: "extra" }, details(card))
        )
      )
    );
  };

  // ---------------------------------------------------------------- showing the state
  let shownCards = []; // card indices, in the order shown
  let marks = null; // card index -> matched words
  let drawn = 0;
  // the first card's title drawn is named for Element Timing: the browser records when it is
  // on screen (bench/site_search.py reads it)
  let timing = "kaartspel-first";
  const drawMore = (upTo) => {
    const end = Math.min(shownCards.length, upTo);
    const nodes = [];
    for (let k = drawn; k < end; k++) {
      nodes.push(tile(shownCards[k], marks && marks.get(shownCards[k]), timing));
      timing = null;
    }
    list.append(...nodes);
    drawn = end;
    const left = shownCards.length - drawn;
    more.hidden = left === 0;
    more.textContent = say(W.more, { n: left });
    return nodes;
  };
  const chip = (label, onRemove) => {
    const button = el(
      "button",
      { type: "button", class: "chip", "aria-label": say(W.remove, { label }) },
      label,
      el("span", { class: "x", "aria-hidden": "true" }, " ×")
    );
    button.addEventListener("click", () => {
      onRemove();
      render();
      (active.querySelector("button") || searchBox).focus();
    });
    return button;
  };
  // what the card shows of a folded word: the word as written there ("enquete" -> "Enquête")
  const asWritten = (word, i) => {
    const card = cards[i];
    const texts = [card.title, card.place || "", card.text, ...card.band, ...card.tags];
    facetsOf(card).forEach(([, values]) => texts.push(...values));
    card.links.forEach((link) => texts.push(link.label || ""));
    for (const text of texts) {
      for (const w of tokenize(text)) if (fold(w) === word) return w;
    }
    return word;
  };
  // other searches that give cards with these filters: each word of a longer query alone,
  // then the words of the index nearest to the query's words
  const nearest = (query) => {
    const qs = queryWords(query);
    const found = [];
    if (qs.length > 1) {
      for (const q of qs) {
        const hit = (search(q) || []).find((r) => passes(r.i));
        if (hit) found.push(asWritten(hit.words.includes(q) ? q : hit.words[0], hit.i));
      }
    }
    const options = {
      combineWith: "OR",
      prefix: (t) => t.length >= 3,
      fuzzy: (t) => Math.min(3, Math.max(1, Math.round(t.length * 0.34))),
      filter: (r) => passes(r.id),
    };
    const score = new Map();
    for (const r of searchEngine().search(qs.join(" "), options)) {
      for (const word of Object.keys(r.match)) {
        if (qs.includes(word)) continue;
        const s = score.get(word);
        score.set(word, { score: (s ? s.score : 0) + r.score, card: s ? s.card : r.id });
      }
    }
    const near = Array.from(score)
      .sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1))
      .map(([word, s]) => asWritten(word, s.card));
    const seen = new Set();
    return found
      .concat(near)
      .filter((word) => !seen.has(fold(word)) && seen.add(fold(word)))
      .slice(0, 3);
  };
  let suggesting = 0;
  const showSuggestions = (query) => {
    const words = query && queryWords(query).some((q) => q.length >= 3) ? nearest(query) : [];
    if (!words.length) {
      suggestions.replaceChildren();
      return;
    }
    const buttons = words.map((word) => {
      const button = el(
        "button",
        { type: "button", class: "chip", "aria-label": say(W.suggest_search, { term: word }) },
        word
      );
      button.addEventListener("click", () => {
        state.zoek = word;
        render();
        searchBox.focus();
      });
      return button;
    });
    suggestions.replaceChildren(el("span", {}, W.suggest), " ", ...buttons);
  };
  const showCount = (shown) => {
    countLine.dataset.aantal = String(shown);
    const found = shown ? (shown === 1 ? W.found_one : say(W.found, { n: shown })) : W.found_none;
    if (countLine.textContent !== found) countLine.textContent = found;
  };
  const render = (options) => {
    const write = !options || options.write !== false;
    const query = state.zoek.trim();
    const waiting = !engine && query !== "" && queryWords(query).length > 0;
    if (waiting) loadEngine();
    const ranked = query && !waiting ? search(query) : null;
    marks = ranked ? new Map(ranked.map((r) => [r.i, new Set(r.words)])) : null;
    const candidates = ranked ? ranked.map((r) => r.i) : everyCard;

    // the cards shown, and how many each option would give with the other filters as they are
    const counts = groups.map(() => new Map());
    const bump = (gi, i) => {
      for (const v of cardValues[i][gi]) counts[gi].set(v, (counts[gi].get(v) || 0) + 1);
    };
    shownCards = [];
    for (const i of candidates) {
      let failed = -1;
      let fails = 0;
      for (let gi = 0; gi < groups.length && fails < 2; gi++) {
        if (!inGroup(i, gi)) {
          fails += 1;
          failed = gi;
        }
      }
      if (fails === 0) {
        shownCards.push(i);
        for (let gi = 0; gi < groups.length; gi++) bump(gi, i);
      } else if (fails === 1) bump(failed, i);
    }
    const shown = shownCards.length;
    showCount(shown);
    none.hidden = shown !== 0;
    clearTimeout(suggesting);
    suggestions.replaceChildren();
    // nearest words only once the typing stops: they take a wider (slower) search
    if (shown === 0) suggesting = setTimeout(() => showSuggestions(query), 250);
    list.replaceChildren();
    drawn = 0;
    drawMore(PAGE);

    let ticked = 0;
    const countOf = new Map(groups.map((g, gi) => [g.key, counts[gi]]));
    // (only what changed is written: every write costs the page a new layout)
    boxes.forEach((box, k) => {
      const on = state.sel[box.name].has(box.value);
      if (box.checked !== on) box.checked = on;
      if (on) ticked += 1;
      const n = String(countOf.get(box.name).get(box.value) || 0);
      if (numbers[k].textContent !== n) numbers[k].textContent = n;
      const nul = n === "0" && !on;
      if (box.parentElement.classList.contains("nul") !== nul) {
        box.parentElement.classList.toggle("nul", nul);
      }
    });
    filterButton.querySelector("span").textContent = ticked ? "(" + ticked + ")" : "";
    if (searchBox.value !== state.zoek) searchBox.value = state.zoek;

    const chosenSegments = groupByKey.has("segment") ? state.sel.segment : new Set();
    wheel.classList.toggle("gekozen", chosenSegments.size > 0);
    wedges.forEach((w) => {
      const on = chosenSegments.has(w.dataset.segment);
      w.classList.toggle("aan", on);
      w.setAttribute("aria-pressed", on ? "true" : "false");
    });

    const chips = [];
    if (query) {
      chips.push(
        chip(say(W.search_chip, { term: query }), () => {
          state.zoek = "";
        })
      );
    }
    groups.forEach((g) => {
      g.options.forEach(([value, name]) => {
        if (!state.sel[g.key].has(value)) return;
        chips.push(
          chip(g.name + ": " + name, () => {
            state.sel[g.key].delete(value);
          })
        );
      });
    });
    if (chips.length > 1) {
      const clear = el("button", { type: "button", class: "wis" }, W.clear);
      clear.addEventListener("click", () => {
        const card = state.kaart;
        state = emptyState();
        state.kaart = card;
        render();
        searchBox.focus();
      });
      chips.push(clear);
    }
    active.replaceChildren(...chips);
    if (write) writeUrl();
  };

  // ---------------------------------------------------------------- the detail view
  let opener = null; // the element that had the focus when the detail view opened
  const showCard = (id) => {
    const card = cards[byId.get(id)];
    const close = el("button", { type: "button", class: "sluit" }, W.close);
    close.addEventListener("click", () => dialog.close());
    const tags = card.tags.length
      ? el("p", { class: "trefwoorden" }, W.tags + ": " + card.tags.join(", "))
      : null;
    dialog.className = card.colour;
    dialog.replaceChildren(
      band(card, close),
      el(
        "div",
        { class: "inhoud" },
        el("h2", { id: "detail-titel" }, card.title),
        card.place ? el("p", { class: "plaats" }, card.place) : null,
        el("p", { class: "tekst" }, card.text),
        details(card),
        tags ? el("div", { class: "blok" }, tags) : null,
        el(
          "p",
          { class: "detailvoet" },
          say(W.card_no, { id: card.id }) + " · " + W.version + " " + data.version
        )
      )
    );
    if (!dialog.open) dialog.showModal();
    dialog.scrollTop = 0;
    close.focus();
    document.body.classList.add("detail-open");
  };
  const openCard = withCards((id, from) => {
    opener = from || document.activeElement;
    state.kaart = id;
    history.pushState({ kaart: id }, "", here() + "#" + fragment(true));
    showCard(id);
  });
  dialog.addEventListener("close", () => {
    document.body.classList.remove("detail-open");
    const back = opener && opener.isConnected ? opener : null;
    opener = null;
    if (state.kaart) {
      const id = state.kaart;
      state.kaart = null;
      if (history.state && history.state.kaart === id) history.back();
      else writeUrl();
      const link = document.querySelector("#kaart-" + CSS.escape(id) + " h3 a");
      (back || link || searchBox).focus();
    }
  });
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });

  // ---------------------------------------------------------------- wiring
  const fromUrl = withCards(() => {
    const before = fragment(false);
    state = readUrl();
    // only the card changed (the detail view opened or closed): the list stays as it is
    if (!drawn || fragment(false) !== before) render({ write: false });
    if (state.kaart) showCard(state.kaart);
    else if (dialog.open) dialog.close();
  });
  // while typing, the address follows once the typing pauses (writing it is slow)
  let addressing = 0;
  searchBox.addEventListener(
    "input",
    withCards(() => {
      state.zoek = searchBox.value;
      render({ write: false });
      clearTimeout(addressing);
      addressing = setTimeout(writeUrl, 300);
    })
  );
  searchBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      $("resultaten").focus();
    }
  });
  more.addEventListener(
    "click",
    withCards(() => {
      const added = drawMore(drawn + PAGE);
      if (added.length) added[0].querySelector("h3 a").focus();
    })
  );
  boxes.forEach((box) =>
    box.addEventListener(
      "change",
      withCards(() => {
        const chosen = state.sel[box.name];
        if (box.checked) chosen.add(box.value);
        else chosen.delete(box.value);
        render();
      })
    )
  );
  const toggleSegment = withCards((wedge) => {
    const chosen = state.sel.segment;
    const id = wedge.dataset.segment;
    if (chosen.has(id)) chosen.delete(id);
    else chosen.add(id);
    render();
  });
  wedges.forEach((wedge) => {
    wedge.addEventListener("click", () => toggleSegment(wedge));
    wedge.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggleSegment(wedge);
      }
    });
  });
  filterButton.addEventListener("click", () => {
    const open = !filterPanel.classList.contains("open");
    filterPanel.classList.toggle("open", open);
    filterButton.setAttribute("aria-expanded", open ? "true" : "false");
  });
  $("filterform").addEventListener("submit", (event) => event.preventDefault());
  // print every card, not only those drawn so far
  window.addEventListener("beforeprint", withCards(() => drawMore(shownCards.length)));
  window.addEventListener("popstate", fromUrl);
  window.addEventListener("hashchange", fromUrl);
  // the first cards: at once from the cards before this script when the address asks for no
  // search, filter or card; else once every card (and for a search, the index) is read
  const drawFirst = () => {
    shownCards = everyCard;
    marks = null;
    showCount(shownCards.length);
    none.hidden = shownCards.length !== 0;
    drawMore(PAGE);
  };
  const start = () => {
    performance.mark("kaartspel:cards");
    // read the other cards and the index once the first cards are on screen, before the first
    // keystroke needs them (the marks are for bench/site_search.py)
    requestAnimationFrame(() =>
      setTimeout(() => {
        performance.mark("kaartspel:painted");
        whenRead(() => {
          readCards();
          loadEngine();
        });
      }, 0)
    );
  };
  if (!location.hash.includes("=")) {
    drawFirst();
    start();
  } else {
    whenRead(() => {
      readCards();
      if (queryWords(readUrl().zoek).length) searchEngine();
      fromUrl();
      start();
    });
  }
})();
