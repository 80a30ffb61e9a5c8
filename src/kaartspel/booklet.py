"""The rules booklet: cover, the participation wheel, the rules, a card index, the sources
and a colophon, in the deck's fonts and colours.

Text is laid out with reportlab's platypus flowables (paragraphs with Dutch hyphenation,
lists, tables); pages are filled by `paginate`, which records where each flowable goes, so
the same pages can be drawn one per A5 page (reading order) or two per A4 side, imposed
for saddle stitching (`impose.saddle_stitch`). Deterministic, like the cards.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import Any

from . import art, fonts, images, markdown, palette, shaping, wording
from .impose import saddle_stitch
from .layout import short_address
from .model import Card, Deck, Segment
from .text import Style
from .units import mm

A5 = (mm(148), mm(210))
A4_LANDSCAPE = (mm(297), mm(210))
MARGIN_X = mm(16)
MARGIN_TOP = mm(16)
MARGIN_BOTTOM = mm(20)
FRAME_W = A5[0] - 2 * MARGIN_X
FRAME_H = A5[1] - MARGIN_TOP - MARGIN_BOTTOM


def words(deck: Deck) -> Mapping[str, str]:
    return wording.of(deck).section("booklet")


def _hex(rgb: palette.RGB) -> str:
    return "#" + "".join(f"{round(v * 255):02X}" for v in rgb)


@dataclass
class _Styles:
    accent: str  # as markup takes it ("#RRGGBB")
    accent_colour: Any  # the same as reportlab's colour (for bullets)
    body: Any
    h1: Any
    h2: Any
    h3: Any
    small: Any
    cell: Any
    cell_bold: Any


def _styles(deck: Deck) -> _Styles:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    from .text import PYPHEN_LANG

    fonts.register_family()
    accent = _hex(palette.readable_on_white(palette.parse(deck.segments[0].colour)))
    lang = PYPHEN_LANG.get(deck.language, deck.language)
    shaped = shaping.needs_shaping(deck.title)
    if shaped:
        shaping.standard_features()
    body = ParagraphStyle(
        "body",
        fontName=fonts.FAMILY["regular"],
        fontSize=9.2,
        leading=12.6,
        hyphenationLang=_hyphenation(lang),
        embeddedHyphenation=1,
        uriWasteReduce=0.3,
        spaceAfter=5,
        # colours as reportlab's own objects: the same colour as its hex string, which
        # reportlab would otherwise convert (slowly) at every line it draws
        textColor=HexColor(_hex(palette.INK)),
        # Devanagari, Arabic, ...: reportlab shapes the paragraphs with HarfBuzz (Latin decks
        # keep the plain path); right-to-left word order in paragraphs needs reportlab's rlbidi
        shaping=1 if shaped else 0,
    )
    h1 = ParagraphStyle(
        "h1",
        parent=body,
        fontName=fonts.FAMILY["black"],
        fontSize=17,
        leading=20,
        spaceBefore=4,
        spaceAfter=9,
        textColor=HexColor(accent),
        hyphenationLang="",
    )
    h2 = ParagraphStyle(
        "h2",
        parent=body,
        fontName=fonts.FAMILY["bold"],
        fontSize=12.5,
        leading=15,
        spaceBefore=9,
        spaceAfter=4,
        textColor=HexColor(accent),
        hyphenationLang="",
    )
    h3 = ParagraphStyle(
        "h3",
        parent=body,
        fontName=fonts.FAMILY["bold"],
        fontSize=10,
        leading=13,
        spaceBefore=6,
        spaceAfter=2,
        hyphenationLang="",
    )
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, hyphenationLang="")
    cell = ParagraphStyle(
        "cell", parent=body, fontSize=8, leading=10, spaceAfter=0, hyphenationLang=""
    )
    cell_bold = ParagraphStyle("cellb", parent=cell, fontName=fonts.FAMILY["bold"])
    return _Styles(accent, HexColor(accent), body, h1, h2, h3, small, cell, cell_bold)


def _hyphenation(lang: str) -> Any:
    """What the paragraphs are hyphenated with: pyphen's break points for `lang` (as reportlab
    itself would ask pyphen), worked out once per word; reportlab would make a new hyphenator
    for every paragraph it wraps and ask it again at every line end. Where pyphen cannot, the
    language's name, which reportlab handles as it always did."""
    try:
        import pyphen

        iterate = pyphen.Pyphen(lang=lang).iterate
    except (ImportError, KeyError, OSError, ValueError):
        return lang
    pairs: dict[str, list[tuple[str, str]]] = {}

    def hyphenate(word: str) -> list[tuple[str, str]]:
        if word not in pairs:
            pairs[word] = list(iterate(word))
        return pairs[word]

    return hyphenate


# ---------------------------------------------------------------- flowables of our own
def _wheel_flowable(deck: Deck, highlight: set[str], height: float) -> Any:
    from reportlab.platypus import Flowable

    from .paint import polygon

    class WheelArt(Flowable):  # type: ignore[misc]
        """The wheel, its segments in their colours, each with its pictogram."""

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            self.width = avail_w
            return avail_w, height

        def draw(self) -> None:
            c = self.canv
            r = height / 2 - mm(2)
            cx, cy = self.width / 2, height / 2
            wedges = art.wheel_wedges(len(deck.segments), r * 0.34, r, gap=2.5)
            for wedge, seg in zip(wedges, deck.segments, strict=True):
                colour = palette.parse(seg.colour)
                if highlight and seg.id not in highlight:
                    colour = palette.tint(colour, 0.25)
                c.setFillColorRGB(*colour)
                polygon(c, wedge.outline(cx, cy))
                import math

                mid = math.radians(wedge.middle)
                pr = (wedge.inner + wedge.outer) / 2
                size = r * 0.34
                px, py = cx + pr * math.cos(mid) - size / 2, cy + pr * math.sin(mid) - size / 2
                _pictogram(c, seg, px, py, size, palette.text_on(colour), colour)

    return WheelArt()


def _category_row(c: Any, categories: list[Any], width: float) -> None:
    """The categories of a deck without the wheel, side by side on the cover."""
    if not categories:
        return
    size = min(mm(24), (width - 2 * MARGIN_X) / len(categories) - mm(4))
    step = size + mm(4)
    x = (width - step * len(categories) + mm(4)) / 2
    y = mm(80)
    for seg in categories:
        colour = palette.parse(seg.colour)
        c.setFillColorRGB(*colour)
        c.circle(x + size / 2, y + size / 2, size / 2, stroke=0, fill=1)
        inner, at = size * 0.62, size * 0.19
        _pictogram(c, seg, x + at, y + at, inner, palette.text_on(colour), colour)
        x += step


def _pictogram(
    c: Any, seg: Segment, x: float, y: float, size: float, colour: palette.RGB, hole: palette.RGB
) -> None:
    """A category's pictogram: the deck's own file (as the cards draw it) or a built-in."""
    from .paint import pictogram_art, shape_

    name = seg.pictogram
    file = str(seg.pictogram_file) if seg.pictogram_file is not None else None
    simple = images.simple_pictogram(file) if file else None
    c.saveState()
    if file and simple is None:
        c.translate(x, y)
        c.scale(size, size)
        pictogram_art(c, file, colour, hole)
        c.restoreState()
        return
    shapes, holes = simple or (art.PICTOGRAMS[name], art.PICTOGRAM_HOLES.get(name, []))
    c.setStrokeColorRGB(*colour)
    for layer, fill in ((shapes, colour), (holes, hole)):
        c.setFillColorRGB(*fill)
        for shape in layer:
            shape_(c, shape, x, y, size)
    c.restoreState()


@dataclass(frozen=True)
class _Break:
    """Start a new page here."""


# ---------------------------------------------------------------- the story
def _para(markup: str, style: Any) -> Any:
    """A paragraph; where the deck's fonts are a chain, each run in the font that has it."""
    return _paragraph_class()(fonts.fallback_markup(markup, fonts.style_of(style.fontName)), style)


@cache
def _paragraph_class() -> type:
    from reportlab.platypus import Paragraph

    class _Paragraph(Paragraph):  # type: ignore[misc]
        """reportlab's paragraph, whose lines are broken once per width: laying out the pages
        and drawing them (tables, lists) wrap a paragraph at the same width again and again,
        and its lines depend on that width alone."""

        _wrapped: tuple[float, float, float] | None = None  # width asked, width, height

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            done = self._wrapped
            if done is not None and done[0] == avail_w and "blPara" in self.__dict__:
                self.width, self.height = done[1], done[2]
                return done[1], done[2]
            width, height = super().wrap(avail_w, avail_h)
            self._wrapped = (avail_w, width, height)
            return width, height

    return _Paragraph


def _markup(text: str) -> str:
    return escape(text, quote=False)


def _link(url: str, label: str, colour: str) -> str:
    return f'<a href="{escape(url)}" color="{colour}"><u>{_markup(label)}</u></a>'


def _blocks_to_flowables(blocks: list[markdown.Block], st: _Styles) -> list[Any]:
    from reportlab.platypus import ListFlowable, ListItem

    out: list[Any] = []
    for block in blocks:
        if isinstance(block, markdown.Heading):
            style = {1: st.h1, 2: st.h2}.get(block.level, st.h3)
            para = _para(block.markup, style)
            para.keep_with_next = True
            para.heading_text = block.text
            out.append(para)
        elif isinstance(block, markdown.Para):
            out.append(_para(block.markup, st.body))
        elif isinstance(block, markdown.ListBlock):
            items = []
            for item in block.items:
                inner = _blocks_to_flowables(list(item), st)
                items.append(ListItem(inner if len(inner) != 1 else inner[0]))
            out.append(
                ListFlowable(
                    items,
                    bulletType="1" if block.ordered else "bullet",
                    start=block.start if block.ordered else "•",
                    bulletFontName=fonts.font_for("0123456789." if block.ordered else "•", "bold"),
                    bulletFontSize=8.5,
                    bulletColor=st.accent_colour,
                    leftIndent=13,
                    bulletDedent=11,
                    spaceAfter=5,
                )
            )
        elif isinstance(block, markdown.Table):
            rows = [[_para(c, st.cell_bold) for c in block.header]]
            rows += [[_para(c, st.cell) for c in row] for row in block.rows]
            out.append(_table(rows, st, None))
        elif isinstance(block, markdown.PageBreak):
            out.append(_Break())
    return out


def _table(rows: list[list[Any]], st: _Styles, widths: list[float] | None) -> Any:
    from reportlab.platypus import Table, TableStyle

    # splitInRow: a row taller than a page continues on the next page instead of running off
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # the table's own default font is a non-embedded Helvetica: name ours
                ("FONT", (0, 0), (-1, -1), fonts.FAMILY["regular"], 8),
                ("BACKGROUND", (0, 0), (-1, 0), _hex(palette.tint(palette.parse(st.accent), 0.14))),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, "#C8C8CC"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    table.spaceAfter = 8
    return table


def _wheel_section(deck: Deck, cards: list[Card], st: _Styles) -> list[Any]:

    w = words(deck)
    shown = {c.segment.id for c in cards if c.segment is not None}
    subset = shown != {s.id for s in deck.segments}
    if not deck.segments:
        return []
    # the participation wheel, or the deck's plain categories (suits) as a list
    out: list[Any] = [_para(_markup(w["wheel" if deck.has_wheel else "categories"]), st.h1)]
    if deck.has_wheel:
        out.append(_wheel_flowable(deck, shown if subset else set(), mm(62)))
    phases = {p.id: p.name for p in deck.phases}
    for seg in deck.segments:
        if subset and seg.id not in shown:
            continue
        ink = _hex(palette.readable_on_white(palette.parse(seg.colour)))
        subforms = ", ".join(f.name for f in seg.subforms)
        phase = (
            f" · {_markup(w['phase'])}{_markup(w['colon'])}"
            f"{_markup(phases.get(seg.phase, seg.phase))}"
            if seg.phase
            else ""
        )
        out.append(_para(f'<font color="{ink}"><b>{_markup(seg.name)}</b></font>{phase}', st.h3))
        about = _markup(seg.meaning) if seg.meaning else ""
        if subforms:
            about += (
                f" <i>{_markup(w['subforms'])}{_markup(w['colon'].rstrip())}</i> "
                f"{_markup(subforms)}."
            )
        if about:
            out.append(_para(about.strip(), st.body))
    return out


def _index_section(deck: Deck, cards: list[Card], st: _Styles) -> list[Any]:

    w = words(deck)
    out: list[Any] = [_Break(), _para(_markup(w["index"]), st.h1)]
    if len(cards) < len(deck.cards):
        out.append(_para(f"{_markup(w['subset'])} {len(cards)} {_markup(w['cards'])}.", st.body))
    groups: list[tuple[str, str, list[Card]]] = []
    for seg in deck.segments:
        members = [c for c in cards if c.segment is seg and c.type.colour is None]
        if members:
            groups.append((seg.name, seg.colour, members))
    for card_type in deck.card_types:
        if card_type.colour is None:
            continue
        members = [c for c in cards if c.type is card_type]
        if members:
            groups.append((card_type.name, card_type.colour, members))
    link_w = mm(38)
    id_w = mm(11)
    for name, colour, members in groups:
        ink = _hex(palette.readable_on_white(palette.parse(colour)))
        heading = _para(f'<font color="{ink}">{_markup(name)}</font>', st.h2)
        heading.keep_with_next = True
        out.append(heading)
        rows = []
        for card in members:
            sub = card.subform.name if card.subform is not None and card.type.colour is None else ""
            links = tuple(
                (link.url, short_address(link.url, link_w - 6, INDEX_TEXT)) for link in card.links
            )
            rows.append(_IndexRow(card.id, card.title, sub, links))
        header = (w["id"], w["title"], w["link"])
        out.append(
            _index_table(
                header, rows, (id_w, FRAME_W - id_w - link_w, link_w), st.accent, deck.language
            )
        )
    return out


INDEX_TEXT = Style("regular", 8, 1.25)
INDEX_SMALL = Style("regular", 7, 1.2)


@dataclass(frozen=True)
class _IndexRow:
    id: str
    title: str
    subform: str
    links: tuple[tuple[str, str], ...]  # every link of the card: (url, short address)


def _index_table(
    header: tuple[str, str, str],
    rows: list[_IndexRow],
    widths: tuple[float, float, float],
    accent: str,
    language: str,
) -> Any:
    """The card index as one light flowable: plain text rows (far cheaper to draw than a
    table of paragraphs), a clickable short address for every link of the card, one per
    line, split across pages with the header repeated."""
    from reportlab.platypus import Flowable

    from .text import wrap

    pad = 3.0
    head_h = INDEX_TEXT.size + 2 * pad
    link_colour = palette.parse(accent)
    band = palette.tint(link_colour, 0.14)

    laid: dict[_IndexRow, tuple[list[str], list[str]]] = {}  # measured once, drawn twice

    def lines_of(row: _IndexRow) -> tuple[list[str], list[str]]:
        if row in laid:
            return laid[row]
        title = wrap(
            row.title,
            Style("regular", INDEX_TEXT.size, 1.25),
            widths[1] - 2 * pad,
            language,
            hyphenate=False,
        )
        sub = wrap(row.subform, INDEX_SMALL, widths[1] - 2 * pad, language) if row.subform else []
        laid[row] = title, sub
        return title, sub

    def height_of(row: _IndexRow) -> float:
        title, sub = lines_of(row)
        text_h = len(title) * INDEX_TEXT.line_height + len(sub) * INDEX_SMALL.line_height
        return max(text_h, len(row.links) * INDEX_TEXT.line_height) + 2 * pad

    class IndexTable(Flowable):  # type: ignore[misc]
        def __init__(self, part: list[_IndexRow]) -> None:
            super().__init__()
            self.part = part
            self.heights = [height_of(r) for r in part]
            self.spaceAfter = 8

        def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
            self.width = sum(widths)
            self.height = head_h + sum(self.heights)
            return self.width, self.height

        def split(self, avail_w: float, avail_h: float) -> list[Any]:
            used, k = head_h, 0
            while k < len(self.part) and used + self.heights[k] <= avail_h:
                used += self.heights[k]
                k += 1
            if k == 0 or k == len(self.part):
                return []
            return [IndexTable(self.part[:k]), IndexTable(self.part[k:])]

        def draw(self) -> None:
            c = self.canv
            y = self.height
            c.setFillColorRGB(*band)
            c.rect(0, y - head_h, self.width, head_h, stroke=0, fill=1)
            c.setFillColorRGB(*palette.INK)
            c.setFont(fonts.FAMILY["bold"], INDEX_TEXT.size)
            x = 0.0
            for text, w in zip(header, widths, strict=True):
                fonts.draw(c, x + pad, y - pad - INDEX_TEXT.size * 0.85, text, "bold")
                x += w
            y -= head_h
            c.setLineWidth(0.4)
            c.setStrokeColorRGB(0.78, 0.78, 0.8)
            for row, h in zip(self.part, self.heights, strict=True):
                title, sub = lines_of(row)
                base = y - pad - INDEX_TEXT.size * 0.85
                c.setFillColorRGB(*palette.INK)
                c.setFont(fonts.FAMILY["regular"], INDEX_TEXT.size)
                fonts.draw(c, pad, base, row.id, "regular")
                line_y = base
                for line in title:
                    fonts.draw(c, widths[0] + pad, line_y, line, "regular")
                    line_y -= INDEX_TEXT.line_height
                c.setFillColorRGB(0.36, 0.36, 0.38)
                c.setFont(fonts.FAMILY["regular"], INDEX_SMALL.size)
                for line in sub:
                    line_y += INDEX_TEXT.line_height - INDEX_SMALL.line_height
                    fonts.draw(c, widths[0] + pad, line_y, line, "regular")
                    line_y -= INDEX_SMALL.line_height
                lx = widths[0] + widths[1] + pad
                for k, (url, label) in enumerate(row.links):
                    ly = base - k * INDEX_TEXT.line_height
                    c.setFillColorRGB(*link_colour)
                    c.setFont(fonts.FAMILY["regular"], INDEX_TEXT.size)
                    fonts.draw(c, lx, ly, label, "regular")
                    lw = fonts.width(label, "regular", INDEX_TEXT.size)
                    c.setStrokeColorRGB(*link_colour)
                    c.line(lx, ly - 1.2, lx + lw, ly - 1.2)
                    c.linkURL(
                        url,
                        (lx, ly - 2.5, lx + lw, ly + INDEX_TEXT.size),
                        relative=1,
                        thickness=0,
                    )
                c.setStrokeColorRGB(0.78, 0.78, 0.8)
                y -= h
                c.line(0, y, self.width, y)

    return IndexTable(rows)


def _sources_section(deck: Deck, st: _Styles) -> list[Any]:
    from reportlab.platypus import ListFlowable, ListItem

    w = words(deck)
    lead = [_para(_markup(deck.based_on), st.body)] if deck.based_on else []
    entries = []  # one list per source, so a page break falls between two sources
    for number, source in enumerate(deck.bibliography, start=1):
        text = _markup(source.text)
        if source.url:
            text += " " + _link(source.url, source.url, st.accent)
        entries.append(
            ListFlowable(
                [ListItem(_para(text, st.small))],
                bulletType="1",
                start=number,
                bulletFontName=fonts.font_for("0123456789.", "bold"),
                bulletFontSize=8,
                bulletColor=st.accent_colour,
                leftIndent=14,
                bulletDedent=12,
                spaceAfter=3,
            )
        )
    return [_para(_markup(w["sources"]), st.h1), *lead, *entries]


def _colophon(deck: Deck, st: _Styles) -> list[Any]:

    w = words(deck)
    lines = [
        f"<b>{_markup(deck.title)}</b>" + (f" — {_markup(deck.subtitle)}" if deck.subtitle else ""),
        f"{_markup(w['version'])} {_markup(deck.version)}",
        f"{_markup(w['authors'])}{_markup(w['colon'])}{_markup(', '.join(deck.authors))}",
        f"{_markup(w['licence'])}{_markup(w['colon'])}{_markup(deck.licence)}",
    ]
    if fonts.FAMILY["regular"] == fonts.BUNDLED["regular"]:
        lines.append(f"{_markup(w['fonts'])}{_markup(w['colon'])}Lato (SIL Open Font License 1.1).")
    lines.append(f"{_markup(w['made'])}.")
    return [_Break(), _para(_markup(w["colophon"]), st.h1)] + [
        _para(line, st.small) for line in lines
    ]


def story(deck: Deck, cards: list[Card], rules: list[markdown.Block]) -> list[Any]:
    """Everything after the cover, in reading order."""
    st = _styles(deck)
    return (
        _wheel_section(deck, cards, st)
        + [_Break()]
        + _blocks_to_flowables(rules, st)
        + _index_section(deck, cards, st)
        + [_Break()]
        + _sources_section(deck, st)
        + _colophon(deck, st)
    )


# ---------------------------------------------------------------- pages
@dataclass
class Page:
    kind: str  # cover | content | blank
    placed: list[tuple[Any, float, float]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.placed


def paginate(flowables: list[Any], canv: Any) -> list[Page]:
    """Fill A5 pages top to bottom; split what does not fit; keep headings with what follows."""
    pages: list[Page] = [Page("content")]
    top = A5[1] - MARGIN_TOP
    y = top
    queue = list(flowables)
    guard = 0
    while queue:
        guard += 1
        if guard > 100_000:
            raise RuntimeError("the booklet layout does not converge")
        item = queue.pop(0)
        page = pages[-1]
        if isinstance(item, _Break):
            if not page.is_empty:
                pages.append(Page("content"))
                y = top
            continue
        avail = y - MARGIN_BOTTOM
        space_before = item.getSpaceBefore() if not page.is_empty else 0
        w, h = item.wrapOn(canv, FRAME_W, avail - space_before)
        needed = space_before + h
        if getattr(item, "keep_with_next", False) and queue and not isinstance(queue[0], _Break):
            _, next_h = queue[0].wrapOn(canv, FRAME_W, FRAME_H)
            needed += min(next_h, 3 * 13.0) + 4
        if needed <= avail + 0.01:
            y -= space_before + h
            page.placed.append((item, MARGIN_X, y))
            y -= item.getSpaceAfter()
            continue
        parts = (
            item.splitOn(canv, FRAME_W, avail - space_before)
            if not getattr(item, "keep_with_next", False)
            else []
        )
        if parts and len(parts) > 1:
            w, h = parts[0].wrapOn(canv, FRAME_W, avail - space_before)
            # a list may split after its first item even when that item does not fit
            if h <= avail - space_before + 0.01 or page.is_empty:
                queue[:0] = parts[1:]
                y -= space_before + h
                page.placed.append((parts[0], MARGIN_X, y))
                pages.append(Page("content"))
                y = top
                continue
        if page.is_empty:  # taller than a page and cannot split: place it anyway
            y -= h
            page.placed.append((item, MARGIN_X, y))
            pages.append(Page("content"))
            y = top
            continue
        pages.append(Page("content"))
        y = top
        queue.insert(0, item)
    if pages[-1].is_empty:
        pages.pop()
    return [Page("cover")] + pages


class _Painter:
    def __init__(self, deck: Deck, pagesize: tuple[float, float], title: str) -> None:
        from . import pdf

        self.deck = deck
        self.buffer = io.BytesIO()
        self.canvas = pdf.canvas(
            self.buffer,
            title=title,
            subject=f"{deck.title} v{deck.version}",
            author=", ".join(deck.authors),
            pagesize=pagesize,
        )

    def page(self, page: Page, number: int, ox: float, oy: float, cards: list[Card]) -> None:
        c = self.canvas
        c.saveState()
        c.translate(ox, oy)
        if page.kind == "cover":
            self._cover(cards)
        elif page.kind == "content":
            for flowable, x, y in page.placed:
                flowable.drawOn(c, x, y)
            c.setFont(fonts.FAMILY["regular"], 7.5)
            c.setFillColorRGB(0.36, 0.36, 0.38)
            fonts.draw(c, A5[0] / 2, mm(10), str(number), "regular", "centre")
        c.restoreState()

    def _cover(self, cards: list[Card]) -> None:
        c = self.canvas
        deck = self.deck
        W, H = A5
        colours = [s.colour for s in deck.segments] + [
            t.colour for t in deck.card_types if t.colour
        ]
        first = palette.parse(colours[0] if colours else "#333333")
        c.setFillColorRGB(*first)
        c.rect(0, H - mm(70), W, mm(70), stroke=0, fill=1)
        on = palette.text_on(first)
        c.setFillColorRGB(*on)
        from .text import wrap

        title_style = Style("black", 22, 1.12)
        y = H - mm(24)
        for line in wrap(deck.title, title_style, W - 2 * MARGIN_X, deck.language, hyphenate=False):
            c.setFont(fonts.FAMILY["black"], title_style.size)
            fonts.draw(c, MARGIN_X, y, line, "black")
            y -= title_style.line_height
        c.setFont(fonts.FAMILY["regular"], 11)
        subtitle = words(deck)["rules"] + (f" · {deck.subtitle}" if deck.subtitle else "")
        fonts.draw(c, MARGIN_X, y - 4, subtitle, "regular")
        shown = {x.segment.id for x in cards if x.segment is not None}
        subset = shown != {s.id for s in deck.segments}
        if deck.has_wheel:
            wheel = _wheel_flowable(deck, shown if subset else set(), mm(80))
            wheel.wrapOn(c, W, mm(80))
            wheel.drawOn(c, 0, mm(52))
        else:  # plain categories: a row of their pictograms on discs of their colours
            _category_row(c, [s for s in deck.segments if not subset or s.id in shown], W)
        c.setFillColorRGB(*palette.INK)
        c.setFont(fonts.FAMILY["bold"], 9)
        names = "  ·  ".join(s.name for s in deck.segments if not subset or s.id in shown)
        fonts.draw(c, W / 2, mm(44), names, "bold", "centre")
        c.setFont(fonts.FAMILY["regular"], 7.5)
        c.setFillColorRGB(0.36, 0.36, 0.38)
        if deck.based_on:
            y = mm(30)
            for line in wrap(
                deck.based_on, Style("regular", 7.5, 1.3), W - 2 * MARGIN_X, deck.language
            ):
                fonts.draw(c, W / 2, y, line, "regular", "centre")
                y -= 7.5 * 1.3
        edition = f"{words(deck)['version']} {deck.version} · {len(cards)} {words(deck)['cards']}"
        fonts.draw(c, W / 2, mm(12), edition, "regular", "centre")

    def finish(self) -> bytes:
        self.canvas.save()
        return self.buffer.getvalue()


def render(deck: Deck, cards: list[Card], rules: list[markdown.Block]) -> tuple[bytes, bytes]:
    """(reading PDF: A5 pages in order, imposed PDF: A4 landscape for saddle stitching)."""
    flowables = story(deck, cards, rules)
    reading = _Painter(deck, A5, f"{deck.title} — {words(deck)['rules']}")
    pages = paginate(flowables, reading.canvas)
    for number, page in enumerate(pages, start=1):
        reading.page(page, number, 0, 0, cards)
        reading.canvas.showPage()
    imposed = _Painter(deck, A4_LANDSCAPE, f"{deck.title} — {words(deck)['rules']} (boekje)")
    imposed.canvas.setViewerPreference("Duplex", "DuplexFlipShortEdge")
    padded = pages + [Page("blank")] * (-len(pages) % 4)
    for left, right in saddle_stitch(len(padded)):
        for number, ox in ((left, 0.0), (right, A5[0])):
            imposed.page(padded[number - 1], number, ox, 0, cards)
        imposed.canvas.showPage()
    return reading.finish(), imposed.finish()
