"""Lay out each side of a card as a `Face`: pure data (filled shapes, text lines, QR codes).

Coordinates are points with the origin at the lower-left corner of the trim; the bleed
extends below zero and beyond the trim size. Backgrounds run into the bleed; everything
else stays inside the safe area. Text that cannot fit even at its smallest size is
reported (with the card's file:line) instead of being clipped. No reportlab canvas here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import fonts, palette, qr, wording
from .errors import DoesNotFit
from .model import Card, Deck
from .palette import RGB
from .text import Style, wrap
from .units import mm, to_mm

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


# ---------------------------------------------------------------- face items (pure data)
@dataclass(frozen=True, slots=True)
class Fill:
    rect: Rect
    colour: RGB
    radius: float = 0.0


@dataclass(frozen=True, slots=True)
class TextLine:
    x: float
    y: float  # baseline
    text: str
    font: str
    size: float
    colour: RGB
    align: str = "left"  # left | right | centre


@dataclass(frozen=True, slots=True)
class QrCode:
    x: float  # lower-left corner of the symbol (quiet zone outside)
    y: float
    module: float
    url: str

    @property
    def size(self) -> float:
        return len(qr.matrix(self.url)) * self.module

    @property
    def rect(self) -> Rect:
        return (self.x, self.y, self.x + self.size, self.y + self.size)


@dataclass(frozen=True, slots=True)
class Pictogram:
    name: str
    x: float
    y: float
    size: float
    colour: RGB
    hole: RGB


@dataclass(frozen=True, slots=True)
class Wheel:
    cx: float
    cy: float
    inner: float
    outer: float
    colours: tuple[RGB, ...]  # one per segment, clockwise from the top


@dataclass(frozen=True, slots=True)
class Disc:
    cx: float
    cy: float
    r: float
    colour: RGB


@dataclass(frozen=True, slots=True)
class LinkArea:
    url: str
    rect: Rect


Item = Fill | Disc | TextLine | QrCode | Pictogram | Wheel | LinkArea


@dataclass(frozen=True)
class CardSize:
    """Trim size, bleed and safe margin of a card, in points."""

    width: float
    height: float
    bleed: float
    safe: float

    @classmethod
    def from_mm(
        cls, width: float, height: float, bleed: float = 3.0, safe: float = 3.0
    ) -> CardSize:
        return cls(mm(width), mm(height), mm(bleed), mm(safe))

    @property
    def safe_rect(self) -> Rect:
        return (self.safe, self.safe, self.width - self.safe, self.height - self.safe)


POKER = CardSize.from_mm(63, 88)


@dataclass(frozen=True)
class Face:
    """One side of one card, ready to paint."""

    key: str  # card id for fronts; the back design's name for backs
    side: str  # "front" | "back"
    size: CardSize
    items: tuple[Item, ...] = field(default=())


# ---------------------------------------------------------------- sizes of the design
MIN_MODULE = mm(0.4)
QR_TARGET = mm(15.0)
QR_MAX = mm(19.0)
MUTED = (0.36, 0.36, 0.38)

TITLE = Style("bold", 12.0, 1.12)
TITLE_MIN = 9.0
BODY = Style("regular", 8.6, 1.28)
BODY_MIN = 6.5
FACET_LABEL = Style("bold", 5.6, 1.2)
FACET_VALUE = Style("regular", 6.2, 1.2)
FOOTER = Style("regular", 5.6, 1.0)


@dataclass(frozen=True)
class Design:
    """The type sizes and spacings of a card face, scaled to the card's size: a tarot card
    uses its room, a mini card keeps the minimum sizes (and fails clearly when text cannot
    fit). `k` is 1 for a poker card."""

    k: float
    title: Style
    title_min: float
    body: Style
    body_min: float
    facet_label: Style
    facet_value: Style
    footer: Style
    band: float
    qr_target: float
    qr_max: float

    def mm(self, value: float) -> float:
        """A spacing of `value` mm on a poker card, scaled."""
        return mm(value) * self.k


def design_for(size: CardSize) -> Design:
    area = (size.width * size.height) / (POKER.width * POKER.height)
    k = min(1.4, max(0.8, area**0.5))

    def scaled(style: Style, floor: float) -> Style:
        return Style(style.font, max(floor, round(style.size * k * 4) / 4), style.leading)

    return Design(
        k=k,
        title=scaled(TITLE, TITLE_MIN),
        title_min=TITLE_MIN,
        body=scaled(BODY, BODY_MIN),
        body_min=BODY_MIN,
        facet_label=scaled(FACET_LABEL, 5.0),
        facet_value=scaled(FACET_VALUE, 5.5),
        footer=scaled(FOOTER, 5.0),
        band=max(mm(12.0) * k, size.height * 0.14),
        qr_target=min(QR_TARGET * k, (size.width - 2 * size.safe) * 0.42),
        qr_max=max(QR_MAX * k, QR_MAX),
    )


def short_address(url: str, room: float, style: Style = FOOTER) -> str:
    """'https://www.besafe.be/nl/a/b' -> 'besafe.be/nl/a/b', cut with '…' to fit `room`."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    host = host[4:] if host.startswith("www.") else host
    rest = parts.path.rstrip("/")
    if parts.query:
        rest += "?" + parts.query
    full = host + rest
    if style.width(full) <= room:
        return full
    cut = len(full)
    while cut > len(host) and style.width(full[:cut] + "…") > room:
        cut -= 1
    return full[:cut].rstrip("/.-_") + "…"


@dataclass(frozen=True)
class Block:
    """A run of text in the card's body: a paragraph, optionally with a small label above."""

    text: str
    font: str = "regular"
    label: str | None = None
    boxed: bool = False
    gap_before: float = 0.0  # in lines of the body size


@dataclass
class _Look:
    colour: RGB  # the card's identity colour (band, back)
    on_colour: RGB  # text on the band
    ink: RGB  # the identity colour made readable on white


def look(card_colour: str) -> _Look:
    c = palette.parse(card_colour)
    return _Look(c, palette.text_on(c), palette.readable_on_white(c))


def _band_texts(deck: Deck, card: Card) -> tuple[str, str]:
    if card.type.colour is not None:  # bezorgdheid, tip, casus: their own design
        second = " · ".join(x.name for x in (card.segment, card.subform) if x is not None)
        return card.type.name.upper(), second
    if card.type.id == "inspiratie":
        return (
            card.segment.name.upper() if card.segment else card.type.name.upper(),
            card.subform.name if card.subform else "",
        )
    second = card.type.name + (f" · {card.subform.name}" if card.subform else "")
    return (card.segment.name.upper() if card.segment else card.type.name.upper()), second


def _pictogram_of(card: Card) -> str:
    if card.type.colour is None and card.segment is not None:
        return card.segment.pictogram
    return card.type.pictogram


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def overflow(self, card: Card, what: str, needed: float, room: float, at_size: float) -> None:
        if room < mm(4):
            self.items.append(
                f"{card.origin}: card {card.id}: there is no room for the {what} on a card of "
                "this size: the colour band, title, facets and QR code fill it. Choose a larger "
                "--card size."
            )
            return
        over = (needed - room) / needed * 100 if needed else 100
        self.items.append(
            f"{card.origin}: card {card.id}: the {what} does not fit: "
            f"it needs {to_mm(needed):.1f} mm "
            f"at the smallest size ({at_size:g} pt) but the card has {to_mm(room):.1f} mm; "
            f"shorten it by about {max(over, 1):.0f} %."
        )


def front(
    deck: Deck, card: Card, size: CardSize = POKER, problems: _Problems | None = None
) -> Face:
    """The front of `card`: colour band, title, text, facets or extras, QR code, footer."""
    own = problems is None
    problems = problems or _Problems()
    lk = look(card.colour)
    W, H, B, S = size.width, size.height, size.bleed, size.safe
    items: list[Item] = []
    inner_w = W - 2 * S
    d = design_for(size)

    # band: segment colour into the bleed, pictogram and names inside the safe area
    band_h = d.band
    items.append(Fill((-B, H - band_h, W + B, H + B), lk.colour))
    picto = band_h - S - d.mm(2.2)
    band_mid = H - S - (band_h - S) / 2 + d.mm(0.4)
    items.append(
        Pictogram(_pictogram_of(card), S, band_mid - picto / 2, picto, lk.on_colour, lk.colour)
    )
    first, second = _band_texts(deck, card)
    tx = S + picto + d.mm(2.2)
    band_room = W - S - tx
    f1 = _fit_line(first, "black", 9.0 * d.k, 6.5, band_room)
    if second:
        f2 = _fit_line(second, "regular", 7.2 * d.k, 5.6, band_room)
        items.append(TextLine(tx, band_mid + d.mm(0.4), first, "black", f1, lk.on_colour))
        items.append(TextLine(tx, band_mid - f2 - d.mm(0.2), second, "regular", f2, lk.on_colour))
    else:
        items.append(TextLine(tx, band_mid - f1 * 0.35, first, "black", f1, lk.on_colour))

    # footer: id and version left, the short address right
    footer_y = S + d.footer.size * 0.22  # descenders stay inside the safe area
    items.append(
        TextLine(S, footer_y, f"{card.id} · v{deck.version}", d.footer.font, d.footer.size, MUTED)
    )
    link = card.main_link
    bottom_top = footer_y + d.footer.size + d.mm(1.2)
    qr_item: QrCode | None = None
    if link is not None:
        n = len(qr.matrix(link.url))
        module = max(MIN_MODULE, d.qr_target / n)
        if n * module > d.qr_max + 1e-6:
            problems.items.append(
                f"{card.origin}: card {card.id}: the link {link.url} is too long for a scannable "
                f"QR code on this card ({n} modules need {to_mm(n * MIN_MODULE):.1f} mm at the "
                f"minimum module size of 0.4 mm; at most {to_mm(d.qr_max):.0f} mm fit). Use a "
                "shorter address."
            )
            module = d.qr_max / n
        qsize = n * module
        # the quiet zone (4 modules) stays clear of the footer text under the code
        qx, qy = (
            W - S - qsize,
            max(bottom_top, footer_y + d.footer.size * 0.8 + qr.QUIET_MODULES * module),
        )
        qr_item = QrCode(qx, qy, module, link.url)
        items.append(qr_item)
        items.append(LinkArea(link.url, qr_item.rect))
        id_w = d.footer.width(f"{card.id} · v{deck.version}")
        addr = short_address(link.url, W - 2 * S - id_w - d.mm(3), d.footer)
        items.append(TextLine(W - S, footer_y, addr, d.footer.font, d.footer.size, lk.ink, "right"))
    qr_left = (qr_item.x - qr.QUIET_MODULES * qr_item.module) if qr_item else W - S
    qr_top = (
        (qr_item.y + qr_item.size + qr.QUIET_MODULES * qr_item.module) if qr_item else bottom_top
    )

    # bottom-left: facets (inspiratie) or the wheel (segment cards)
    zone_top = bottom_top
    if card.facets and card.type.id == "inspiratie":
        zone_top = _facets(deck, card, items, S, bottom_top, qr_left - d.mm(1.5), lk, d)
    elif card.type.id == "segment":
        r = d.mm(9.5)
        cx, cy = S + r, bottom_top + r
        highlight = card.segment.id if card.segment else None
        items.append(_wheel(deck, cx, cy, r * 0.38, r, highlight, lk, on_white=True))
        # legend: the segments clockwise from the top, this card's in bold
        ly = cy + r - d.mm(3.2)
        for seg in deck.segments:
            own_segment = seg.id == highlight
            items.append(
                Fill(
                    (cx + r + d.mm(3), ly - 0.5, cx + r + d.mm(5.2), ly + d.mm(2.2) - 0.5),
                    palette.parse(seg.colour),
                    radius=0.8,
                )
            )
            weight = "bold" if own_segment else "regular"
            room = qr_left - d.mm(1.0) - (cx + r + d.mm(6.2))  # clear of the QR's quiet zone
            items.append(
                TextLine(
                    cx + r + d.mm(6.2),
                    ly,
                    seg.name,
                    weight,
                    _fit_line(seg.name, weight, 7.0 * d.k, 5.0, room),
                    palette.INK if own_segment else MUTED,
                )
            )
            ly -= d.mm(4.6)
        zone_top = cy + r

    # title
    top = H - band_h - d.mm(3.2)
    title_fit = _fit_title(card.title, inner_w, deck.language, problems, card, d)
    y = top
    for line in title_fit[0]:
        y -= title_fit[1] * d.title.leading
        items.append(TextLine(S, y, line, d.title.font, title_fit[1], palette.INK))
    if card.place:
        y -= 8.0 * d.k
        pf = _fit_line(card.place, "italic", 7.2 * d.k, 6.0, inner_w)
        items.append(TextLine(S, y, card.place, "italic", pf, lk.ink))
    y -= d.mm(2.0)

    # body: blocks flowing down; beside the QR code when nothing else sits there
    blocks = _blocks(card, wording.for_language(deck.language))
    if zone_top > bottom_top:
        region_bottom = max(zone_top, qr_top) + d.mm(2.0)
        notch_top = None
    else:
        region_bottom = bottom_top + d.mm(0.5)
        notch_top = qr_top + d.mm(1.0) if qr_item else None

    def width_at_y(line_top: float, line_bottom: float) -> float:
        if notch_top is not None and line_bottom - 2.0 < notch_top:
            return qr_left - d.mm(1.5) - S
        return inner_w

    placed = _fit_blocks(blocks, y, region_bottom, width_at_y, deck.language, d)
    if placed is None:
        needed = _blocks_height(blocks, d.body_min, inner_w, deck.language, d)
        problems.overflow(card, "text", needed, y - region_bottom, d.body_min)
    else:
        items.extend(_paint_blocks(placed, lk, size, d))
    if own and problems.items:
        raise DoesNotFit(problems.items)
    return Face(card.id, "front", size, tuple(items))


def _fit_line(text: str, font: str, size: float, min_size: float, room: float) -> float:
    s = size
    while s > min_size and fonts.width(text, font, s) > room:
        s -= 0.25
    return s


def _fit_title(
    title: str, width: float, language: str, problems: _Problems, card: Card, d: Design
) -> tuple[list[str], float]:
    size = d.title.size
    leading = d.title.leading
    while True:
        style = Style(d.title.font, size, leading)
        lines = wrap(title, style, width, language, hyphenate=False)
        if len(lines) <= 2 or size <= d.title_min:
            break
        size -= 0.5
    if len(lines) > 3:
        problems.overflow(card, "title", len(lines) * size * leading, 3 * size * leading, size)
        lines = lines[:3]
    return lines, size


def _facets(
    deck: Deck,
    card: Card,
    items: list[Item],
    x0: float,
    bottom: float,
    x1: float,
    lk: _Look,
    d: Design,
) -> float:
    """Facet rows, bottom-aligned above the footer; returns the top of the block."""
    label_w = max(d.facet_label.width(f.name.upper()) for f in deck.facets if f.id in card.facets)
    label_w += d.mm(1.5)
    value_w = x1 - x0 - label_w
    rows = []
    for facet in deck.facets:
        ids = card.facets.get(facet.id)
        if not ids:
            continue
        text = ", ".join(facet.values[v] for v in ids)
        rows.append((facet.name, wrap(text, d.facet_value, value_w, deck.language)))
    lh = d.facet_value.line_height
    gap = 1.6 * d.k
    y = bottom + sum(len(r[1]) * lh for r in rows) + gap * (len(rows) - 1)
    top = y
    for name, lines in rows:
        first_baseline = y - d.facet_value.size
        items.append(
            TextLine(
                x0, first_baseline, name.upper(), d.facet_label.font, d.facet_label.size, lk.ink
            )
        )
        for i, line in enumerate(lines):
            items.append(
                TextLine(
                    x0 + label_w,
                    first_baseline - i * lh,
                    line,
                    d.facet_value.font,
                    d.facet_value.size,
                    palette.INK,
                )
            )
        y -= len(lines) * lh + gap
    # a hairline above the facets separates them from the text
    items.append(
        Fill((x0, top + d.mm(1.0), x1, top + d.mm(1.0) + 0.4), palette.tint(lk.colour, 0.6))
    )
    return top + d.mm(1.0)


def _blocks(card: Card, words: wording.Wording) -> list[Block]:
    t = card.type.id
    if t == "bezorgdheid":
        quote = card.text.strip().strip('"“”„')
        return [
            Block(f"„{quote}”", "italic"),
            Block(card.answer or "", "regular", label=words["card.answer"], gap_before=0.5),
        ]
    blocks = [Block(card.text)]
    if card.question:
        blocks.append(
            Block(card.question, "bold", label=words["card.task"], boxed=True, gap_before=0.6)
        )
    return blocks


@dataclass(frozen=True)
class _Placed:
    block: Block
    size: float
    label_y: float | None
    lines: tuple[tuple[float, str], ...]  # (baseline y, text)
    box: Rect | None


def _fit_blocks(
    blocks: list[Block], top: float, bottom: float, width_at, language: str, d: Design
) -> list[_Placed] | None:  # type: ignore[no-untyped-def]
    size = d.body.size
    while size >= d.body_min - 1e-9:
        placed = _place_blocks(blocks, top, bottom, width_at, language, size, d)
        if placed is not None:
            return placed
        size -= 0.25
    return None


def _place_blocks(
    blocks: list[Block],
    top: float,
    bottom: float,
    width_at,  # type: ignore[no-untyped-def]
    language: str,
    size: float,
    d: Design,
) -> list[_Placed] | None:
    lh = size * d.body.leading
    y = top
    placed = []
    pad = d.mm(1.6)
    for block in blocks:
        y -= block.gap_before * lh
        box_top = y
        if block.boxed:
            y -= pad
        label_y = None
        if block.label:
            label_y = y - size * 0.85
            y -= size * 1.15
        style = Style(block.font, size, d.body.leading)
        inset = pad if block.boxed else 0.0
        base_y = y
        lines: list[tuple[float, str]] = []

        def line_width(n: int, base_y: float = base_y, inset: float = inset) -> float:
            line_top = base_y - n * lh
            return width_at(line_top, line_top - lh) - 2 * inset

        for n, text in enumerate(wrap(block.text, style, line_width, language)):
            lines.append((base_y - n * lh - size, text))
        y = base_y - len(lines) * lh
        box = None
        if block.boxed:
            y -= pad - (lh - size) * 0.5
            box = (0.0, y, 0.0, box_top)
        if y < bottom - 1e-6:
            return None
        placed.append(_Placed(block, size, label_y, tuple(lines), box))
    return placed


def _blocks_height(
    blocks: list[Block], size: float, width: float, language: str, d: Design
) -> float:
    lh = size * d.body.leading
    total = 0.0
    for b in blocks:
        total += (
            b.gap_before * lh + (size * 1.15 if b.label else 0) + (2 * d.mm(1.6) if b.boxed else 0)
        )
        total += len(wrap(b.text, Style(b.font, size, d.body.leading), width, language)) * lh
    return total


def _paint_blocks(placed: list[_Placed], lk: _Look, size: CardSize, d: Design) -> list[Item]:
    items: list[Item] = []
    x = size.safe
    for p in placed:
        inset = d.mm(1.6) if p.block.boxed else 0.0
        if p.box is not None:
            items.append(
                Fill(
                    (x, p.box[1], size.width - size.safe, p.box[3]),
                    palette.tint(lk.colour, 0.14),
                    radius=d.mm(1.2),
                )
            )
        if p.label_y is not None and p.block.label:
            items.append(
                TextLine(
                    x + inset, p.label_y, p.block.label.upper(), "black", p.size * 0.82, lk.ink
                )
            )
        for y, text in p.lines:
            items.append(TextLine(x + inset, y, text, p.block.font, p.size, palette.INK))
    return items


def _wheel(
    deck: Deck,
    cx: float,
    cy: float,
    inner: float,
    outer: float,
    highlight: str | None,
    lk: _Look,
    on_white: bool,
) -> Wheel:
    colours = []
    for s in deck.segments:
        c = palette.parse(s.colour)
        if highlight is None or s.id == highlight:
            colours.append(c)
        else:
            colours.append(
                palette.tint(c, 0.28) if on_white else palette.mix(lk.colour, lk.on_colour, 0.3)
            )
    return Wheel(cx, cy, inner, outer, tuple(colours))


# ---------------------------------------------------------------- backs
def back_key(card: Card) -> str:
    """Backs are per type for types with their own colour, else per segment."""
    if card.type.colour is None and card.segment is not None:
        return card.segment.id
    return card.type.id


def back(deck: Deck, key: str, size: CardSize = POKER) -> Face:
    """A card back: identity colour to the bleed edge, the wheel, the game's title."""
    segment = deck.segment(key)
    card_type = deck.card_type(key)
    colour = (
        segment.colour
        if segment
        else (card_type.colour if card_type and card_type.colour else "#333333")
    )
    lk = look(colour)
    W, H, B, S = size.width, size.height, size.bleed, size.safe
    items: list[Item] = [Fill((-B, -B, W + B, H + B), lk.colour)]
    outer = min(W, H) * 0.36
    cx, cy = W / 2, H * 0.60
    # the wheel on a white disc, in the segments' own colours: this card's segment in full,
    # the others as pale tints; backs of the other types show the whole wheel in full colour
    items.append(Disc(cx, cy, outer + mm(2.2), palette.WHITE))
    highlight = segment.id if segment else None
    items.append(_wheel(deck, cx, cy, outer * 0.36, outer, highlight, lk, on_white=True))
    picto = outer * 0.42
    name = segment.pictogram if segment else (card_type.pictogram if card_type else "wheel")
    items.append(Pictogram(name, cx - picto / 2, cy - picto / 2, picto, lk.ink, palette.WHITE))
    y = cy - outer - mm(9.5)
    title_style = Style("black", 10.5, 1.15)
    for line in wrap(deck.title, title_style, W - 2 * S - mm(4), deck.language, hyphenate=False):
        items.append(TextLine(W / 2, y, line, "black", title_style.size, lk.on_colour, "centre"))
        y -= title_style.line_height
    label = segment.name if segment else (card_type.name if card_type else "")
    y -= mm(1.5)
    items.append(TextLine(W / 2, y, label.upper(), "bold", 7.5, lk.on_colour, "centre"))
    return Face(key, "back", size, tuple(items))


def fronts(deck: Deck, cards: list[Card], size: CardSize = POKER) -> list[Face]:
    """Fronts of all `cards`; every card that does not fit is reported at once (exit 5)."""
    problems = _Problems()
    faces = [front(deck, c, size, problems) for c in cards]
    for card in cards:
        for where, text, style in (
            ("title", card.title, "bold"),
            ("text", card.text, "italic" if card.type.id == "bezorgdheid" else "regular"),
            ("answer", card.answer or "", "regular"),
            ("question", card.question or "", "bold"),
            ("place", card.place or "", "italic"),
        ):
            missing = fonts.missing_glyphs(text, style)
            if missing:
                shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing)
                problems.items.append(
                    f"{card.origin}: card {card.id}: the {where} has characters "
                    f"the font cannot draw: {shown}; remove or replace them."
                )
    if problems.items:
        raise DoesNotFit(problems.items)
    return faces
