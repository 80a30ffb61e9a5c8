"""The inspiration bank: the deck as one offline, searchable web page (`kaartspel site`).

Pure: a `Deck` and its selected cards in, `{relative path: bytes}` out; `cli` writes the
files with `output.write_all`. The page is a single `index.html` with its stylesheet, script
and the deck data (JSON) inline, so it works from the file system, from any static host and
as an e-mail attachment, and loads nothing from elsewhere (a Content-Security-Policy with
the hashes of the inline style and scripts enforces that). The script and stylesheet are
hand-written files in `site_assets/`, beside the vendored search library (MiniSearch, with its
licence); everything that depends on the deck (colours, the participation wheel, the filter
form, pictograms, the search index from `site_index`) is generated here, and every word shown
comes from the wording data (section `site`) in the deck's language. Same deck, same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote

from . import __version__, art, palette, site_index, wording
from .anatomy import band_texts, pictogram_of
from .model import Card, Deck
from .progress import track

PAGE = "index.html"

# The URL parameters of the page (in the fragment: #zoek=...&segment=a,b&kaart=T04). They
# are one link format for every language edition of a deck, not words shown to players: the
# values and the facet keys beside them are the deck's ids, the same in every language, so a
# link copied from one edition opens the same view in another.
SEARCH_KEY = "zoek"
CARD_KEY = "kaart"
RESERVED = {SEARCH_KEY, CARD_KEY, "segment", "subvorm", "soort"}

SCRIPTS = ("minisearch.min.js", "site.js")  # inline, in this order
# Cards drawn at a time (the page's first screen, then "more"). The records of the first
# FIRST cards come before the script, so it draws them at once; the rest of the cards and the
# search index come after it and are read once those are on screen (the page opens as fast
# with 10,000 cards as with 76).
FIRST = 24


def words_of(deck: Deck) -> Mapping[str, str]:
    """The page's interface words in the deck's language (wording data, section `site`)."""
    return wording.for_language(deck.language).section("site")


def say(template: str, **values: object) -> str:
    """A wording template with its {name} slots filled (site.js fills them the same way)."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def _link_kind(words: Mapping[str, str], kind: str) -> str:
    return words.get(f"link_{kind}", kind)


def _hex(rgb: palette.RGB) -> str:
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)


def _asset(name: str) -> str:
    return (resources.files("kaartspel") / "site_assets" / name).read_text(encoding="utf-8")


def _e(text: str) -> str:
    return escape(text, quote=True)


def _num(x: float) -> str:
    """A coordinate with two decimals and no noise (-0.00 -> 0)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Colours:
    """One identity colour of the deck and the colours that read on it and next to it."""

    key: str  # CSS class suffix
    band: str  # the colour itself
    on_band: str  # text on it: white or ink, whichever contrasts more
    ink: str  # the colour darkened to read as text on white
    tint: str  # a pale tint for backgrounds (ink text reads on it)


def colour_table(deck: Deck) -> dict[str, Colours]:
    """Every identity colour the page uses, keyed by hex colour, in a stable order."""
    colours = [s.colour for s in deck.segments]
    colours += [t.colour for t in deck.card_types if t.colour]
    colours.append("#333333")  # Card.colour of a card with neither
    table: dict[str, Colours] = {}
    for hex_colour in colours:
        if hex_colour in table:
            continue
        rgb = palette.parse(hex_colour)
        table[hex_colour] = Colours(
            f"c{len(table)}",
            _hex(rgb),  # CSS has no cmyk(): a deck's CMYK colour as its RGB approximation
            _hex(palette.text_on(rgb)),
            _hex(palette.readable_on_white(rgb)),
            _hex(palette.tint(rgb, 0.16)),
        )
    return table


# ---------------------------------------------------------------- data for the script
@dataclass(frozen=True)
class Group:
    """One filter of the page: a fieldset of checkboxes and a key in the URL."""

    key: str
    name: str
    kind: str  # segment | subform | type | facet
    facet: str | None
    options: tuple[tuple[str, str], ...]  # (value id, shown name), in deck order


def _values(card: Card, group: Group) -> tuple[str, ...]:
    if group.kind == "facet":
        return card.facets.get(group.facet or "", ())
    value = {"segment": card.segment, "subform": card.subform, "type": card.type}[group.kind]
    return (value.id,) if value is not None else ()


def filter_groups(deck: Deck, cards: Sequence[Card]) -> list[Group]:
    """The filters of the page, with only the values that occur in `cards`."""
    words = words_of(deck)
    groups = [
        Group(
            "segment",
            words["group_segment"],
            "segment",
            None,
            tuple((s.id, s.name) for s in deck.segments),
        ),
        Group(
            "subvorm",
            words["group_subform"],
            "subform",
            None,
            tuple((f.id, f.name) for s in deck.segments for f in s.subforms),
        ),
        Group(
            "soort",
            words["group_type"],
            "type",
            None,
            tuple((t.id, t.name) for t in deck.card_types),
        ),
    ]
    for facet in deck.facets:
        key = facet.id if facet.id not in RESERVED else f"facet-{facet.id}"
        groups.append(Group(key, facet.name, "facet", facet.id, tuple(facet.values.items())))
    result = []
    for group in groups:
        used = {v for card in cards for v in _values(card, group)}
        options = tuple(o for o in group.options if o[0] in used)
        if options:
            result.append(Group(group.key, group.name, group.kind, group.facet, options))
    return result


def page_data(deck: Deck, cards: Sequence[Card], groups: Sequence[Group]) -> dict[str, Any]:
    """The deck as the page's script sees it (embedded as JSON), with the interface words
    and the search options that go with the index of `search_documents`."""
    colours = colour_table(deck)
    words = words_of(deck)
    card_words = wording.for_language(deck.language).section("card")
    records = []
    for card in track(cards, "site"):
        first, second = band_texts(card)
        records.append(
            {
                **card.fields(),
                "facetIds": {fid: list(values) for fid, values in card.facets.items()},
                "links": [
                    {"url": x.url, "kind": _link_kind(words, x.kind), "label": x.label}
                    for x in card.links
                ],
                "tags": list(card.tags),
                "band": [first, second],
                "colour": colours[card.colour].key,
                "pictogram": symbol(pictogram_of(card)),
            }
        )
    return {
        "version": deck.version,
        "groups": [
            {
                "key": g.key,
                "name": g.name,
                "kind": g.kind,
                "facet": g.facet,
                "options": [list(o) for o in g.options],
            }
            for g in groups
        ],
        "cards": records,
        "page": FIRST,
        "search": {"fields": list(site_index.SEARCH_FIELDS), "boost": site_index.BOOSTS},
        "words": {**words, **{k: card_words[k] for k in ("answer", "task")}},
    }


def search_documents(deck: Deck, cards: Sequence[Card]) -> list[dict[str, Any]]:
    """What the search looks through for each card (its id is its position on the page):
    title, place, its place on the wheel (segment, sub-form, card type), facet values, tags,
    link labels and text. Not the answer or task of a case: that would give it away."""
    facet_values = {f.id: f.values for f in deck.facets}
    documents = []
    for i, card in enumerate(cards):
        wheel = [x.name for x in (card.segment, card.subform, card.type) if x is not None]
        facets = [facet_values[fid][v] for fid, values in card.facets.items() for v in values]
        document: dict[str, Any] = {
            "id": i,
            "title": card.title,
            "place": card.place,
            "wheel": " · ".join(wheel),
            "facets": " · ".join(facets) or None,
            "tags": " · ".join(card.tags) or None,
            "links": " · ".join(x.label for x in card.links if x.label) or None,
            "text": card.text,
        }
        documents.append(document)
    return documents


def _json_for_script(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # nothing in a <script> element may look like a closing tag or a comment
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# ---------------------------------------------------------------- pictograms as SVG
def _shape_svg(shape: art.Shape, hole: bool) -> str:
    fill = ' class="hole"' if hole else ""
    if isinstance(shape, art.Poly):
        points = " ".join(f"{_num(x)},{_num(1 - y)}" for x, y in shape.points)
        return f'<polygon{fill} points="{points}"/>'
    if isinstance(shape, art.Circle):
        return (
            f'<circle{fill} cx="{_num(shape.cx)}" cy="{_num(1 - shape.cy)}" r="{_num(shape.r)}"/>'
        )
    if isinstance(shape, art.RoundRect):
        return (
            f'<rect{fill} x="{_num(shape.x)}" y="{_num(1 - shape.y - shape.h)}" '
            f'width="{_num(shape.w)}" height="{_num(shape.h)}" rx="{_num(shape.r)}"/>'
        )
    points = " ".join(f"{_num(x)},{_num(1 - y)}" for x, y in shape.points)
    return (
        f'<polyline points="{points}" fill="none" stroke="currentColor" '
        f'stroke-width="{_num(shape.width)}" stroke-linecap="round"/>'
    )


def symbol(pictogram: str) -> str:
    """The sprite id of a pictogram: its name, or for an image path a slug of the path."""
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", pictogram):
        return pictogram
    return "asset-" + re.sub(r"[^A-Za-z0-9]+", "-", pictogram).strip("-")


IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}  # else JPEG


def pictogram_symbols(names: Sequence[str], files: dict[str, Path] | None = None) -> str:
    """A hidden SVG sprite: one <symbol id="p-NAME"> per pictogram (y flipped: SVG y is down);
    a pictogram from the deck's assets is its image, inline as a data: URI."""
    symbols = []
    for name in names:
        if name not in (files or {}):
            shapes = [_shape_svg(s, False) for s in art.PICTOGRAMS[name]]
            shapes += [_shape_svg(s, True) for s in art.PICTOGRAM_HOLES.get(name, [])]
            inner = "".join(shapes)
        else:
            path = (files or {})[name]
            kind = IMAGE_TYPES.get(path.suffix.lower(), "image/jpeg")
            data = base64.b64encode(path.read_bytes()).decode()
            inner = f'<image href="data:{kind};base64,{data}" width="1" height="1"/>'
        symbols.append(f'<symbol id="p-{_e(symbol(name))}" viewBox="0 0 1 1">{inner}</symbol>')
    return (
        '<svg class="sprite" aria-hidden="true" focusable="false" width="0" height="0">'
        + "".join(symbols)
        + "</svg>"
    )


# ---------------------------------------------------------------- the participation wheel
WHEEL_OUTER = 100.0
WHEEL_INNER = 40.0


def _point(r: float, degrees: float) -> tuple[float, float]:
    """Polar (maths angle, y up) to SVG coordinates (y down), centre at 0,0."""
    a = math.radians(degrees)
    return r * math.cos(a), -r * math.sin(a)


def _wedge_path(wedge: art.Wedge) -> str:
    large = 1 if wedge.end - wedge.start > 180 else 0
    (x0, y0), (x1, y1) = _point(wedge.outer, wedge.start), _point(wedge.outer, wedge.end)
    (x2, y2), (x3, y3) = _point(wedge.inner, wedge.end), _point(wedge.inner, wedge.start)
    ro, ri = _num(wedge.outer), _num(wedge.inner)
    # start -> end is anticlockwise in maths terms, which is sweep-flag 0 in SVG
    return (
        f"M{_num(x0)} {_num(y0)}A{ro} {ro} 0 {large} 0 {_num(x1)} {_num(y1)}"
        f"L{_num(x2)} {_num(y2)}A{ri} {ri} 0 {large} 1 {_num(x3)} {_num(y3)}Z"
    )


def _label_arc(r: float, wedge: art.Wedge, upper: bool) -> str:
    """An arc at radius r across the wedge, running left to right as read: clockwise over
    the top half of the wheel, anticlockwise under it (so no label is upside down)."""
    pad = min(4.0, (wedge.end - wedge.start) / 10)
    a0, a1 = (wedge.end - pad, wedge.start + pad) if upper else (wedge.start + pad, wedge.end - pad)
    (x0, y0), (x1, y1) = _point(r, a0), _point(r, a1)
    large = 1 if abs(a1 - a0) > 180 else 0
    sweep = 1 if upper else 0
    return f"M{_num(x0)} {_num(y0)}A{_num(r)} {_num(r)} 0 {large} {sweep} {_num(x1)} {_num(y1)}"


def _fit(text: str, room: float, size: float, em: float) -> float:
    """A font size at most `size` at which `text` (about `em` em per letter) fits `room`."""
    return round(min(size, room / max(1.0, len(text) * em)), 1)


def wheel_svg(deck: Deck, cards: Sequence[Card]) -> str:
    """The participatiewiel as inline SVG: one wedge per segment, clockwise from the top
    (as `art.wheel_wedges` draws it on the cards), each a toggle button for its segment,
    its name and phase written along the ring. A deck of plain categories (no phases) has no
    wheel: an empty, hidden element stands in for the script; its categories filter below."""
    if not deck.has_wheel:
        return '<svg class="wiel" hidden aria-hidden="true"></svg>'
    colours = colour_table(deck)
    words = words_of(deck)
    count = {
        s.id: sum(1 for c in cards if c.segment and c.segment.id == s.id) for s in deck.segments
    }
    phases = {p.id: p.name for p in deck.phases}
    wedges = art.wheel_wedges(len(deck.segments), WHEEL_INNER, WHEEL_OUTER, gap=3.0)
    defs, parts = [], []
    for wedge, segment in zip(wedges, deck.segments, strict=True):
        i = wedge.index
        c = colours[segment.colour]
        n = count[segment.id]
        phase = phases.get(segment.phase, segment.phase) if segment.phase else ""
        upper = math.sin(math.radians(wedge.middle)) > -0.01
        # the phase under the name, unless it only repeats it (Transparantie, Transparantie)
        show_phase = bool(phase) and phase.casefold() != segment.name.casefold()
        # the button's name starts with the words it shows (WCAG 2.5.3, label in name)
        shown = f"{segment.name} {phase}" if show_phase else segment.name
        label = say(words["wedge_one" if n == 1 else "wedge"], name=shown, n=n)
        # baselines: glyphs stand outwards over the top, inwards under it; name nearest the top
        if show_phase:
            r_name, r_phase = (73.0, 59.0) if upper else (64.0, 80.0)
        else:
            r_name = r_phase = 66.0 if upper else 76.0
        span = math.radians(wedge.end - wedge.start) * 0.85
        name_size = _fit(segment.name, r_name * span, 13.0, 0.64)
        defs.append(f'<path id="wiel-{i}-n" d="{_label_arc(r_name, wedge, upper)}"/>')
        texts = (
            f'<text class="naam" font-size="{_num(name_size)}" aria-hidden="true">'
            f'<textPath href="#wiel-{i}-n" startOffset="50%">{_e(segment.name)}</textPath></text>'
        )
        if show_phase:
            phase_size = _fit(phase, r_phase * span, 9.5, 0.56)
            defs.append(f'<path id="wiel-{i}-f" d="{_label_arc(r_phase, wedge, upper)}"/>')
            texts += (
                f' <text class="fase" font-size="{_num(phase_size)}" aria-hidden="true">'
                f'<textPath href="#wiel-{i}-f" startOffset="50%">{_e(phase)}</textPath></text>'
            )
        interactive = (
            f' role="button" tabindex="0" aria-pressed="false" aria-label="{_e(label)}"'
            if n
            else ' aria-hidden="true"'
        )
        parts.append(
            f'<g class="wedge {c.key}{"" if n else " leeg"}" data-segment="{_e(segment.id)}"'
            f'{interactive}><path d="{_wedge_path(wedge)}"/>{texts}</g>'
        )
    box = WHEEL_OUTER + 6
    centre = words["wheel_centre"].split("|")
    lines = "".join(
        f'<text class="as-tekst" y="{_num(12 * i - 6 * (len(centre) - 1) + 4)}" '
        f'font-size="{_num(_fit(line, 2 * WHEEL_INNER - 16, 9.0, 0.6))}" '
        f'aria-hidden="true">{_e(line)}</text>'
        for i, line in enumerate(centre)
    )
    return (
        f'<svg class="wiel" viewBox="{_num(-box)} {_num(-box)} {_num(2 * box)} {_num(2 * box)}" '
        f'role="group" aria-label="{_e(words["wheel_label"])}">'
        f"<defs>{''.join(defs)}</defs>"
        + "".join(parts)
        + f'<circle class="as" r="{_num(WHEEL_INNER - 4)}"/>'
        + lines
        + "</svg>"
    )


# ---------------------------------------------------------------- static parts of the page
def _filters_html(deck: Deck, cards: Sequence[Card], groups: Sequence[Group]) -> str:
    """The filter form, each option with its number of cards as the page opens (no search,
    nothing ticked: the cards that have the value; site.js keeps it up to date after that)."""
    colours = colour_table(deck)
    segment_colour = {s.id: colours[s.colour].key for s in deck.segments}
    subform_segment = {f.id: s for s in deck.segments for f in s.subforms}
    out = []
    for gi, group in enumerate(groups):
        rows = []
        current_segment = None
        counts: dict[str, int] = {}
        for card in cards:
            for v in _values(card, group):
                counts[v] = counts.get(v, 0) + 1
        for oi, (value, name) in enumerate(group.options):
            if group.kind == "subform":
                owner = subform_segment[value]
                if owner is not current_segment:
                    current_segment = owner
                    rows.append(f'<li class="kop" aria-hidden="true">{_e(owner.name)}</li>')
            swatch = ""
            if group.kind == "segment":
                swatch = f'<span class="stip {segment_colour[value]}" aria-hidden="true"></span>'
            box_id = f"f{gi}-{oi}"
            rows.append(
                f'<li><input type="checkbox" id="{box_id}" name="{_e(group.key)}" '
                f'value="{_e(value)}"><label for="{box_id}">{swatch}'
                f'<span class="optie">{_e(name)}</span> '
                f'<span class="n">{counts.get(value, 0)}</span></label></li>'
            )
        out.append(
            f'<fieldset class="groep" data-group="{_e(group.key)}">'
            f"<legend>{_e(group.name)}</legend><ul>{''.join(rows)}</ul></fieldset>"
        )
    return "".join(out)


def _legend_html(deck: Deck, cards: Sequence[Card]) -> str:
    colours = colour_table(deck)
    phases = {p.id: p.name for p in deck.phases}
    phase_word = words_of(deck)["phase"]
    items = []
    for segment in deck.segments:
        subforms = ", ".join(f.name for f in segment.subforms)
        phase = (
            f' <span class="fase">{_e(phase_word)} '
            f"{_e(phases.get(segment.phase, segment.phase))}</span>"
            if segment.phase
            else ""
        )
        items.append(
            f'<li class="{colours[segment.colour].key}">'
            f'<svg class="pict" aria-hidden="true" focusable="false">'
            f'<use href="#p-{_e(symbol(segment.pictogram))}"/></svg>'
            f"<div><h3>{_e(segment.name)}{phase}</h3>"
            + (f"<p>{_e(segment.meaning)}</p>" if segment.meaning else "")
            + (f'<p class="sub">{_e(subforms)}</p>' if subforms else "")
            + "</div></li>"
        )
    return '<ul class="legenda">' + "".join(items) + "</ul>"


def _colour_css(deck: Deck) -> str:
    """The deck's colours as CSS classes, and the header stripe in the segments' colours."""
    rules = [
        f".{c.key}{{--band:{c.band};--on-band:{c.on_band};--accent:{c.ink};--tint:{c.tint}}}"
        for c in colour_table(deck).values()
    ]
    n = len(deck.segments)
    stops = ",".join(
        f"{_hex(palette.parse(s.colour))} {_num(100 * i / n)}% {_num(100 * (i + 1) / n)}%"
        for i, s in enumerate(deck.segments)
    )
    rules.append(f".strook{{background:linear-gradient(90deg,{stops})}}")
    return "/* the deck's colours */\n" + "\n".join(rules) + "\n"


def _icon(deck: Deck) -> str:
    """The favicon: the wheel in the segments' colours, as a data: URI (nothing to fetch)."""
    colours = [s.colour for s in deck.segments] or [t.colour or "#333333" for t in deck.card_types]
    colours = [_hex(palette.parse(c)) for c in colours]
    wedges = art.wheel_wedges(len(colours), 5.0, 15.0, gap=6.0)
    paths = (
        "".join(
            f"<path fill='{c}' d='{_wedge_path(w)}'/>" for w, c in zip(wedges, colours, strict=True)
        )
        if len(colours) > 1
        else f"<circle r='10' fill='none' stroke='{colours[0]}' stroke-width='10'/>"
    )
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='-16 -16 32 32'>{paths}</svg>"
    return "data:image/svg+xml," + quote(svg, safe=" '=/:.,-")


def _footer_html(deck: Deck) -> str:
    words = words_of(deck)
    sources = []
    for source in deck.bibliography:
        link = (
            f' <a href="{_e(source.url)}" target="_blank" rel="noopener">'
            f'{_e(words["source_online"])}<span class="sr"> {_e(words["new_tab"])}</span></a>'
            if source.url
            else ""
        )
        sources.append(f"<li>{_e(source.text)}{link}</li>")
    parts = [f"<p><strong>{_e(deck.title)}</strong> · {_e(words['version'])} {_e(deck.version)}"]
    if deck.licence:
        parts.append(f" · {_e(words['licence'])} {_e(deck.licence)}")
    if deck.authors:
        parts.append(f" · {_e(', '.join(deck.authors))}")
    parts.append("</p>")
    if deck.based_on:
        parts.append(f"<p>{_e(deck.based_on)}</p>")
    if sources:
        parts.append(f'<h2>{_e(words["sources"])}</h2><ul class="bronnen">{"".join(sources)}</ul>')
    parts.append(f'<p class="klein">{_e(say(words["made"], version=__version__))}</p>')
    return "".join(parts)


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def render_site(deck: Deck, cards: Sequence[Card]) -> dict[str, bytes]:
    """The site for `cards` of `deck`: relative path -> content."""
    groups = filter_groups(deck, cards)
    words = words_of(deck)
    css = _asset("site.css") + _colour_css(deck)
    scripts = [_asset(name) for name in SCRIPTS]
    data = page_data(deck, cards, groups)
    rest = data["cards"][FIRST:]
    data["cards"] = data["cards"][:FIRST]
    data["total"] = len(cards)
    index = _json_for_script(site_index.build_index(search_documents(deck, cards)))
    pictograms = sorted({pictogram_of(c) for c in cards} | {s.pictogram for s in deck.segments})
    script_hashes = " ".join(f"'sha256-{_sha256(x)}'" for x in scripts)
    policy = (
        "default-src 'none'; "
        f"style-src 'sha256-{_sha256(css)}'; "
        f"script-src {script_hashes}; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'"
    )
    total = len(cards)
    values = {
        "lang": _e(deck.language),
        "title": _e(deck.title),
        "subtitle": f'<p class="ondertitel">{_e(deck.subtitle)}</p>' if deck.subtitle else "",
        "csp": _e(policy),
        "icon": _e(_icon(deck)),
        "css": css,
        "scripts": "".join(f"<script>{x}</script>\n" for x in scripts),
        "data": _json_for_script(data),
        "rest": _json_for_script(rest),
        "index": index,
        "sprite": pictogram_symbols(pictograms, deck.pictogram_files),
        "wheel": wheel_svg(deck, cards),
        "legend": _legend_html(deck, cards),
        "filters": _filters_html(deck, cards, groups),
        "total": str(total),
        "total_text": _e(words["total_one"] if total == 1 else say(words["total"], n=total)),
        "footer": _footer_html(deck),
    }
    for key in (
        "bank",
        "skip",
        "search",
        "search_placeholder",
        "search_help",
        "filters",
        "filters_help",
        "wheel_title",
        "wheel_intro",
        "results",
        "noscript",
        "none",
    ):
        values[f"w_{key}"] = _e(words[key])
    page = Template(_asset("index.html")).substitute(values)
    return {PAGE: page.encode("utf-8")}
