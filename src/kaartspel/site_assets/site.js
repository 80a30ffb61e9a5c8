// kaartspel site: search, filters, the wheel and the detail view. Hand-written, no libraries.
// State lives in the URL fragment: #zoek=buurt&segment=meedoen,meepraten&thema=inbraak&kaart=S01
// Within one filter the ticked values are alternatives (OR); different filters must all
// hold (AND); the search is a case-insensitive substring of the title or of the text.
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("kaartspel-data").textContent);
  const groups = data.groups;
  const cards = data.cards;
  const byId = new Map(cards.map((c) => [c.id, c]));
  const groupByKey = new Map(groups.map((g) => [g.key, g]));
  groups.forEach((g) => {
    g.valid = new Set(g.options.map((o) => o[0]));
    g.names = new Map(g.options.map((o) => [o[0], o[1]]));
  });

  const $ = (id) => document.getElementById(id);
  const searchBox = $("zoek");
  const list = $("kaarten");
  const countLine = $("aantal");
  const active = $("actief");
  const none = $("geen");
  const dialog = $("detail");
  const filterPanel = $("filters");
  const filterButton = $("filterknop");
  const wheel = document.querySelector(".wiel");
  const boxes = Array.from(document.querySelectorAll("#filterform input[type=checkbox]"));
  const wedges = Array.from(document.querySelectorAll(".wedge[role=button]"));

  const emptyState = () => {
    const sel = {};
    groups.forEach((g) => {
      sel[g.key] = new Set();
    });
    return { zoek: "", sel, kaart: null };
  };
  let state = emptyState();

  // ---------------------------------------------------------------- matching
  const lower = (s) => (s || "").toLowerCase();
  cards.forEach((c) => {
    c.lowTitle = lower(c.title);
    c.lowText = lower(c.text);
  });
  const valuesOf = (card, g) => {
    if (g.kind === "facet") return card.facetIds[g.facet] || [];
    const v = card[g.kind];
    return v == null ? [] : [v];
  };
  const inGroup = (card, g) => {
    const chosen = state.sel[g.key];
    return chosen.size === 0 || valuesOf(card, g).some((v) => chosen.has(v));
  };
  const matches = (card, query, except) =>
    (query === "" || card.lowTitle.includes(query) || card.lowText.includes(query)) &&
    groups.every((g) => g === except || inGroup(card, g));

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
      el("span", { class: "code" }, el("span", { class: "sr" }, "kaart "), card.id),
      extra
    );
  const block = (title, ...content) => el("div", { class: "blok" }, el("h3", {}, title), content);
  const details = (card) => {
    const out = [];
    if (card.answer) out.push(block("Antwoord", el("p", { class: "antwoord" }, card.answer)));
    if (card.question) out.push(block("Opdracht", el("p", { class: "antwoord" }, card.question)));
    if (card.facets.length) {
      out.push(
        block(
          "Kenmerken",
          el(
            "dl",
            { class: "facetten" },
            card.facets.map(([name, values]) => [
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
          "Meer weten",
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
                  el("span", { class: "sr" }, " (opent in een nieuw tabblad)")
                )
              )
            )
          )
        )
      );
    }
    return out;
  };
  const tile = (card) => {
    const link = el("a", { href: "#kaart=" + encodeURIComponent(card.id) }, card.title);
    link.addEventListener("click", (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      openCard(card.id);
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
          el("h3", { id: "titel-" + card.id }, link),
          card.place ? el("p", { class: "plaats" }, card.place) : null,
          el("p", { class: "tekst" }, card.text),
          el("div", { class: "extra" }, details(card))
        )
      )
    );
  };
  const tiles = new Map();
  cards.forEach((card) => {
    const node = tile(card);
    tiles.set(card.id, node);
    list.append(node);
  });

  // ---------------------------------------------------------------- showing the state
  const plural = (n, one, many) => n + " " + (n === 1 ? one : many);
  const chip = (label, onRemove) => {
    const button = el(
      "button",
      { type: "button", class: "chip", "aria-label": "Filter weghalen: " + label },
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
  const render = (options) => {
    const write = !options || options.write !== false;
    const query = lower(state.zoek.trim());
    let shown = 0;
    cards.forEach((card) => {
      const ok = matches(card, query, null);
      tiles.get(card.id).hidden = !ok;
      if (ok) shown += 1;
    });
    countLine.dataset.aantal = String(shown);
    countLine.textContent = shown
      ? plural(shown, "kaart gevonden", "kaarten gevonden")
      : "Geen kaarten gevonden";
    none.hidden = shown !== 0;

    // how many cards each option would give, with the other filters as they are
    const counts = new Map();
    groups.forEach((g) => {
      const c = new Map();
      cards.forEach((card) => {
        if (!matches(card, query, g)) return;
        valuesOf(card, g).forEach((v) => c.set(v, (c.get(v) || 0) + 1));
      });
      counts.set(g.key, c);
    });
    let ticked = 0;
    boxes.forEach((box) => {
      box.checked = state.sel[box.name].has(box.value);
      if (box.checked) ticked += 1;
      const n = counts.get(box.name).get(box.value) || 0;
      const label = box.nextElementSibling;
      label.querySelector(".n").textContent = String(n);
      box.parentElement.classList.toggle("nul", n === 0 && !box.checked);
    });
    filterButton.querySelector("span").textContent = ticked ? "(" + ticked + ")" : "";
    if (searchBox.value !== state.zoek) searchBox.value = state.zoek;

    const segments = groupByKey.get("segment");
    const chosenSegments = segments ? state.sel.segment : new Set();
    wheel.classList.toggle("gekozen", chosenSegments.size > 0);
    wedges.forEach((w) => {
      const on = chosenSegments.has(w.dataset.segment);
      w.classList.toggle("aan", on);
      w.setAttribute("aria-pressed", on ? "true" : "false");
    });

    const chips = [];
    if (state.zoek.trim()) {
      chips.push(
        chip("Zoeken: " + state.zoek.trim(), () => {
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
      const clear = el("button", { type: "button", class: "wis" }, "Alles wissen");
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
  const showCard = (id) => {
    const card = byId.get(id);
    const close = el("button", { type: "button", class: "sluit" }, "Sluiten");
    close.addEventListener("click", () => dialog.close());
    const tags = card.tags.length
      ? el("p", { class: "trefwoorden" }, "Trefwoorden: " + card.tags.join(", "))
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
        el("p", { class: "detailvoet" }, "Kaart " + card.id + " · versie " + data.version)
      )
    );
    if (!dialog.open) dialog.showModal();
    dialog.scrollTop = 0;
    close.focus();
    document.body.classList.add("detail-open");
  };
  const openCard = (id) => {
    state.kaart = id;
    history.pushState({ kaart: id }, "", here() + "#" + fragment(true));
    showCard(id);
  };
  dialog.addEventListener("close", () => {
    document.body.classList.remove("detail-open");
    if (!state.kaart) return;
    const id = state.kaart;
    state.kaart = null;
    if (history.state && history.state.kaart === id) history.back();
    else writeUrl();
    const link = tiles.get(id).querySelector("h3 a");
    if (!tiles.get(id).hidden) link.focus();
  });
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });

  // ---------------------------------------------------------------- wiring
  const fromUrl = () => {
    state = readUrl();
    render({ write: false });
    if (state.kaart) showCard(state.kaart);
    else if (dialog.open) dialog.close();
  };
  searchBox.addEventListener("input", () => {
    state.zoek = searchBox.value;
    render();
  });
  searchBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      $("resultaten").focus();
    }
  });
  boxes.forEach((box) =>
    box.addEventListener("change", () => {
      const chosen = state.sel[box.name];
      if (box.checked) chosen.add(box.value);
      else chosen.delete(box.value);
      render();
    })
  );
  const toggleSegment = (wedge) => {
    const chosen = state.sel.segment;
    const id = wedge.dataset.segment;
    if (chosen.has(id)) chosen.delete(id);
    else chosen.add(id);
    render();
  };
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
  window.addEventListener("popstate", fromUrl);
  window.addEventListener("hashchange", fromUrl);
  fromUrl();
})();
