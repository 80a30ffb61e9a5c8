"""Lay out each side of a card as a `Face`: pure data (filled shapes, text lines, QR codes),
following the deck's design (`design`): a template of elements per card type and side.

Coordinates are points with the origin at the lower-left corner of the trim; the bleed
extends below zero and beyond the trim size. Elements are placed in template order: docked
to the top or bottom of the free area, into a bottom corner, inside or beside an earlier
element, or at a position; `flow` elements then fill what is left, around the corners.
Every text fits within its declared sizes or is reported (card, element, design line) with
exit 5; nothing is clipped. No reportlab canvas here, and nothing here names a card type:
that is the design's business.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from . import anatomy, art, fonts, images, palette, qr, shaping, wording
from .design import Design, Element, Template, load_design, parse_length
from .errors import DoesNotFit, InvalidDeck, did_you_mean
from .geometry import POKER, CardSize, Rect
from .model import Card, CardType, Deck, Segment
from .palette import RGB
from .progress import track
from .text import Style, wrap
from .units import mm, to_mm

DESCENT = 0.22  # below the baseline, as a share of the font size (Lato)
ASCENT = 0.78
CAP = 0.7  # the height of capitals and most lower-case ascenders, as a share of the size
STEP = 0.25  # points: how fine a text shrinks to fit
TOLERANCE = 0.01  # points: how far a line may reach past the safe area (rounding)
CRAMPED = 0.2  # a text given less than this share of the safe height: the design is too big
QUOTES = "\"'“”„«»‘’‚"
SHARED_KEPT = 1024  # texts wrapped and kept for other faces: the memory stays small


# ---------------------------------------------------------------- face items (pure data)
# A face's items are never changed once made (`_raise` makes moved copies), but they are not
# frozen dataclasses: a frozen dataclass sets each field through object.__setattr__, about
# 11,000 instructions for a TextLine against 2,100 for a plain slotted one, and a face has a
# score of lines (some 2 % of a build). Hashable and compared by value all the same.
@dataclass(slots=True, unsafe_hash=True)
class Fill:
    rect: Rect
    colour: RGB
    radius: float = 0.0
    stroke: RGB | None = None
    stroke_width: float = 0.0


@dataclass(slots=True, unsafe_hash=True)
class TextLine:
    x: float
    y: float  # baseline
    text: str
    font: str
    size: float
    colour: RGB
    align: str = "left"  # left | right | centre


@dataclass(slots=True, unsafe_hash=True)
class QrCode:
    x: float  # lower-left corner of the symbol (quiet zone outside)
    y: float
    module: float
    url: str
    # the symbol's rows (qr.matrix), carried with the face so a painter in another process
    # (see build) need not encode the link again
    rows: tuple[bytes, ...] = ()
    # its PDF operators (qr.operators), made where the face is laid out: by both processes of
    # a big build, not only by the one that paints
    ops: str = ""

    @property
    def size(self) -> float:
        return len(self.rows or qr.matrix(self.url)) * self.module

    @property
    def rect(self) -> Rect:
        return (self.x, self.y, self.x + self.size, self.y + self.size)


@dataclass(slots=True, unsafe_hash=True)
class Pictogram:
    name: str
    x: float
    y: float
    size: float
    colour: RGB
    hole: RGB
    file: str = ""  # the deck's SVG for this pictogram; "" for the built-in art


@dataclass(slots=True, unsafe_hash=True)
class Image:
    """A PNG, JPEG or SVG file drawn in `rect`, clipped to `clip`."""

    file: str
    rect: Rect
    clip: Rect


@dataclass(slots=True, unsafe_hash=True)
class Wheel:
    cx: float
    cy: float
    inner: float
    outer: float
    colours: tuple[RGB, ...]  # one per segment, clockwise from the top


@dataclass(slots=True, unsafe_hash=True)
class Disc:
    cx: float
    cy: float
    r: float
    colour: RGB


@dataclass(slots=True, unsafe_hash=True)
class LinkArea:
    url: str
    rect: Rect


@dataclass(slots=True, unsafe_hash=True)
class Mark:
    """A problem shown on a preview: the element's box outlined in red, with a note."""

    rect: Rect
    note: str


Item = Fill | Disc | TextLine | QrCode | Pictogram | Wheel | LinkArea | Image | Mark


def _by_fields(item: Any) -> tuple[type, tuple[Any, ...]]:
    """Pickle an item as its class and field values: unpickled by one call of the class
    (a face's items cross between processes in big builds; dataclasses' own way of pickling
    slotted classes costs several times more)."""
    return type(item), tuple(getattr(item, name) for name in item.__slots__)


for _kind in (Fill, Disc, TextLine, QrCode, Pictogram, Wheel, LinkArea, Image, Mark):
    _kind.__reduce__ = _by_fields  # type: ignore[assignment,method-assign]


MIN_MODULE = mm(0.4)  # the smallest QR module a phone reads from print
MIN_DPI = 150  # a raster image below this prints visibly blurred


@dataclass(frozen=True)
class Face:
    """One side of one card, ready to paint."""

    key: str  # card id for fronts; the back's key for backs
    side: str  # "front" | "back"
    size: CardSize
    items: tuple[Item, ...] = field(default=())
    # the design element each item comes from, in the order of `items` (for the preflight's
    # findings); previews' marks, drawn last, have none
    elements: tuple[str, ...] = field(default=())


def short_address(url: str, room: float, style: Style) -> str:
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
    # the longest cut (not into the host) whose text with '…' fits: widths grow with the
    # cut, so a binary search finds what trying every cut from the end would
    low, high = len(host), len(full)  # the cut at `low` is taken even if it does not fit
    while low < high:
        middle = (low + high + 1) // 2
        if style.width(full[:middle] + "…") <= room:
            low = middle
        else:
            high = middle - 1
    return full[:low].rstrip("/.-_") + "…"


class _Problems:
    def __init__(self, lenient: bool = False) -> None:
        self.items: list[str] = []
        self.tight: dict[str, list[str]] = {}  # element (design line) -> cards shrunk near min
        # lenient (previews): faces that do not fit are laid out anyway, their problems marked
        self.lenient = lenient
        self.marks: dict[tuple[str, str], list[tuple[str, Rect]]] = {}  # (face, side) -> boxes
        self.by_face: dict[tuple[str, str], list[str]] = {}  # (face, side) -> its problems

    def add(self, message: str) -> None:
        if message not in self.items:
            self.items.append(message)


# ---------------------------------------------------------------- what a face is about
@dataclass(frozen=True)
class _Subject:
    """What a back stands for: a segment (category) or a card type."""

    id: str
    name: str
    colour: str
    pictogram: str
    segment: Segment | None


@dataclass(frozen=True)
class _Plan:
    """A template's elements with the method that places each, and its texts that may rise."""

    template: Template
    steps: tuple[tuple[Element, str], ...]
    risers: tuple[Element, ...]


class _Shared:
    """What the faces laid out for one deck with one design share, as it depends on neither
    the card nor the face: each style's size by scale, each colour spec's RGB by the face's
    colour, the wording."""

    def __init__(self, deck: Deck, design: Design) -> None:
        self.deck, self.design = deck, design
        self.styles: dict[tuple[bool, float], dict[tuple[str, str | None], tuple[Style, float]]]
        self.styles = {}
        self.colours: dict[str, dict[tuple[str, RGB, RGB | None], RGB]] = {}
        self.rgb: dict[str, RGB] = {}  # a face's colour spec -> its RGB
        self.lengths: dict[tuple[float, float, float], dict[tuple[Any, float], float]] = {}
        self.words = wording.of(deck)
        self.plans: dict[int, _Plan] = {}  # by id() of the design's templates
        self.fonts = fonts.GENERATION[0]  # the family in use that these were laid out with
        # a text's lines at one width, for the other faces with that text (a table's values,
        # a type's titles): a pure function of its key, read and never changed by the faces
        # (with the lines' widths: `_Face.wrapped`)
        self.wrapped: dict[
            tuple[str, str, float, float, float, bool], tuple[list[str], list[float] | None]
        ] = {}

    def plan(self, template: Template) -> _Plan:
        found = self.plans.get(id(template))
        if found is None or found.template is not template:
            steps = tuple((e, f"_{e.kind}") for e in template.elements)
            risers = tuple(
                e
                for e in template.elements
                if e.kind == "text" and e.spec.dock == "bottom" and e.spec.below is not None
            )
            found = self.plans[id(template)] = _Plan(template, steps, risers)
        return found

    def parsed(self, colour: str) -> RGB:
        found = self.rgb.get(colour)
        if found is None:
            found = self.rgb[colour] = palette.parse(colour)
        return found


_SHARED: list[_Shared] = []  # for the deck and design laid out last


def _shared(deck: Deck, design: Design) -> _Shared:
    last = _SHARED[0] if _SHARED else None
    if (
        last is None
        or last.deck is not deck
        or last.design is not design
        or last.fonts != fonts.GENERATION[0]
    ):
        last = _Shared(deck, design)
        _SHARED[:] = [last]
    return last


def _scale(design: Design, size: CardSize) -> float:
    area = (size.width * size.height) / (POKER.width * POKER.height)
    return min(design.scale_max, max(design.scale_min, area**0.5))


class _Face:
    """The state of one face while its elements are placed."""

    def __init__(
        self,
        deck: Deck,
        design: Design,
        template: Template,
        size: CardSize,
        colour: str,
        problems: _Problems,
        card: Card | None = None,
        subject: _Subject | None = None,
    ) -> None:
        self.deck, self.design, self.template, self.size = deck, design, template, size
        self.card, self.subject, self.problems = card, subject, problems
        self.k = _scale(design, size) if template.scale else 1.0
        shared = self.shared = _shared(deck, design)
        self.colour = shared.parsed(colour)
        self.W, self.H, self.S, self.B = size.width, size.height, size.safe, size.bleed
        self.top = self.H - self.S
        self.bottom = self.S
        self.bottom_ink = self.S
        self.boxes: dict[str, Rect] = {}
        self.texts: dict[str, float] = {}  # width of single-line texts, by element
        self.firsts: dict[str, float] = {}  # first baseline of texts docked to the bottom
        self.obstacles: list[tuple[Rect, str, float, float]] = []  # raw box, side, mx, my
        self.low: set[int] = set()  # the obstacles in a bottom corner
        self.items: dict[str, list[Item]] = {}
        self.words = shared.words
        # a colour spec's RGB and a style depend on the face's colour and scale only: kept
        # for every face of the design
        self._colours = shared.colours.setdefault(colour, {})
        self._styles = shared.styles.setdefault((template.scale, self.k), {})
        # a design length in points, by (length, what a percentage is of), at this scale and size
        self._lengths = shared.lengths.setdefault((self.k, self.W, self.H), {})
        self.safe = size.safe_rect
        self.wide: set[str] = set()  # elements with a line out of the safe area sideways
        self._band: tuple[str, str] | None = None  # the card's band texts, once asked for

    # ------------------------------------------------------------ values of the design
    def length(self, value: Any, base: float) -> float:
        known = self._lengths
        try:
            return known[(value, base)]
        except KeyError:
            key = value
        except TypeError:  # a list: the largest of its lengths
            key = tuple(value)
            found = known.get((key, base))
            if found is not None:
                return found
        if len(known) >= 4096:  # bases that vary from card to card: the table stays small
            known.clear()
        found = known[(key, base)] = _length(key, base, self.k, self.W, self.H)
        return found

    def rgb(self, spec: str | None, default: RGB, segment: RGB | None = None) -> RGB:
        if spec is None:
            return default
        key = (spec, default, segment)
        found = self._colours.get(key)
        if found is None:
            found = self._colours[key] = self._rgb(spec.strip(), default, segment)
        return found

    def _rgb(self, spec: str, default: RGB, segment: RGB | None = None) -> RGB:
        if spec.startswith(("tint(", "mix(")) and spec.endswith(")"):
            args = [a.strip() for a in spec[spec.index("(") + 1 : -1].split(",")]
            share = float(args[-1])
            if spec.startswith("tint("):
                return palette.tint(self.rgb(args[0], default, segment), share)
            return palette.mix(
                self.rgb(args[0], default, segment), self.rgb(args[1], default, segment), share
            )
        if spec == "card":
            return self.colour
        if spec == "on-card":
            return _on(self.colour)
        if spec == "card-ink":
            return _ink(self.colour)
        if spec == "segment":
            return segment if segment is not None else self.colour
        if spec in self.design.palette:
            return palette.parse(self.design.palette[spec])
        return palette.parse(spec)

    def style(self, name: str, font: str | None = None) -> tuple[Style, float]:
        """A named style at this card's scale, and its smallest size."""
        found = self._styles.get((name, font))
        if found is None:
            found = self._styles[(name, font)] = self._style(name, font)
        return found

    def _style(self, name: str, font: str | None = None) -> tuple[Style, float]:
        raw = self.design.styles[name]
        smallest = raw.min if raw.min is not None else raw.size
        size = raw.size
        if raw.scale and self.template.scale:
            scaled = raw.size * self.k
            if raw.round > 0:
                scaled = round(scaled / raw.round) * raw.round
            size = max(smallest, scaled)
        return Style(font or raw.font, size, raw.leading), smallest

    def field(self, name: str) -> str:
        card, deck, subject = self.card, self.deck, self.subject
        if name in _CARD_TEXTS and card is not None:  # the commonest (no other branch's names)
            return str(getattr(card, name) or "")
        if name.startswith("@"):
            return self.words[name[1:]]
        if name.startswith("deck."):
            value = getattr(deck, name[5:], None)
            return str(value or "")
        if name.startswith("subject."):
            return subject.name if subject is not None else ""
        if card is None:
            return ""
        if name in ("type.name",):
            return card.type.name
        if name in ("segment.name", "category.name"):
            return card.segment.name if card.segment else ""
        if name == "subform.name":
            return card.subform.name if card.subform else ""
        if name in ("band.first", "band.second"):  # as the card's type declares its band
            if self._band is None:
                self._band = anatomy.band_texts(card)
            return self._band[name == "band.second"]
        if name == "link.url":
            return card.main_link.url if card.main_link else ""
        if name == "link.short":
            return card.main_link.url if card.main_link else ""
        return card.custom.get(name, "")

    def fill_in(self, template: str) -> str:
        """'{id} · v{deck.version}' with the card's values; '{a|b}': a, else b."""
        out = []
        for text, names in _placeholders(template):
            out.append(text)
            for name in names:
                value = self.field(name)
                if value:
                    out.append(value)
                    break
        return "".join(out).strip()

    # ------------------------------------------------------------ problems
    def _where(self, element: Element) -> str:
        return f"the {element.name} (design {element.where})"

    def _card_prefix(self) -> str:
        if self.card is not None:
            return f"{self.card.origin}: card {self.card.id}"
        where = self.template.elements[0].where if self.template.elements else ""
        return f"{where}: back {self._back_key()}"

    def _back_key(self) -> str:
        return self.subject.id if self.subject else self.template.name

    def overflow(self, element: Element, needed: float, room: float, at_size: float) -> None:
        what = element.name
        if room < mm(4):
            self.problems.add(
                f"{self._card_prefix()}: there is no room for the {what} on a card of "
                "this size: the colour band, title, facets and QR code fill it. Choose a larger "
                f"--card size or a smaller design (design {element.where})."
            )
            return
        over = (needed - room) / needed * 100 if needed else 100
        if room < CRAMPED * (self.H - 2 * self.S):
            # the design's other elements take nearly the whole card: the card size or the
            # design is the cause, shortening is only the last resort
            self.problems.add(
                f"{self._card_prefix()}: the {what} does not fit: on a card of this size "
                f"({to_mm(self.W):.0f} x {to_mm(self.H):.0f} mm) the design leaves it only "
                f"{to_mm(room):.1f} mm and it needs {to_mm(needed):.1f} mm at the smallest size "
                f"({at_size:g} pt); choose a larger --card size or a design made for this size, "
                f"or shorten it by about {max(over, 1):.0f} % (design {element.where})."
            )
            return
        self.problems.add(
            f"{self._card_prefix()}: the {what} does not fit: "
            f"it needs {to_mm(needed):.1f} mm "
            f"at the smallest size ({at_size:g} pt) but the card has {to_mm(room):.1f} mm; "
            f"shorten it by about {max(over, 1):.0f} % (design {element.where})."
        )

    def too_wide(self, element: Element, text: str, font: str, size: float, room: float) -> None:
        need = fonts.width(text, font, size)
        longest = max((fonts.width(w, font, size) for w in text.split()), default=need)
        if room < mm(4) or longest > room:  # not even one word fits: no shortening helps
            self.problems.add(
                f"{self._card_prefix()}: {self._where(element)} is too big for a card of this "
                f"size: '{text}' needs {to_mm(need):.1f} mm at {size:g} pt and the design "
                f"leaves {to_mm(max(room, 0)):.1f} mm; choose a larger --card size or a smaller "
                "style in the design."
            )
            return
        self.problems.add(
            f"{self._card_prefix()}: {self._where(element)} does not fit: '{text}' needs "
            f"{to_mm(need):.1f} mm at the smallest size ({size:g} pt) but there is "
            f"{to_mm(max(room, 0)):.1f} mm; shorten it or lower the style's 'min' in the design."
        )

    def glyphs(self, element: Element, text: str, font: str) -> None:
        missing = _missing(text, font, fonts.CHAINS[font])
        if missing:
            shown = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:10])
            shown += f" and {len(missing) - 10} more" if len(missing) > 10 else ""
            self.problems.add(
                f"{self._card_prefix()}: the {element.name} has characters the "
                f"{fonts.described(font)} ({font}) cannot draw: {shown}; name a font that has them "
                "in deck.yaml (style: fonts:) or replace them."
            )

    # ------------------------------------------------------------ text helpers
    def fit_line(
        self, element: Element, text: str, style: Style, smallest: float, room: float
    ) -> float | None:
        s = style.size
        width = fonts.width(text, style.font, s)  # each size measured once
        while s > smallest + 1e-9 and width > room:
            s = max(smallest, s - STEP)
            width = fonts.width(text, style.font, s)
        if width > room + 1e-6:
            return None
        self.shrunk(element, style.size, s, smallest)
        return s

    def shrunk(self, element: Element, start: float, size: float, smallest: float) -> None:
        """Remember a text shrunk to within 10 % of its smallest size (`check` warns)."""
        if size < start - 1e-9 and size <= smallest * 1.1 + 1e-9:
            key = f"the {element.name} (design {element.where})"
            who = self.card.id if self.card is not None else f"back {self._back_key()}"
            cards = self.problems.tight.setdefault(key, [])
            if who not in cards:
                cards.append(who)

    def line(
        self,
        name: str,
        x: float,
        y: float,
        text: str,
        font: str,
        size: float,
        colour: RGB,
        align: str = "left",
        width: float | None = None,
    ) -> None:
        """A line of text of the element `name`; `width`, when the caller has measured the
        line (`text.wrap`'s widths), spares measuring it again. Whether it runs out of the safe
        area sideways is found here (a line never moves sideways after: `_raise` lifts lines),
        up or down by `place`, once every text has risen to its place."""
        # the ink of a first 'j' or a last 'f' may reach past the text's advance box: kept
        # inside the box the line was set in (the safe area's edge, a column's edge)
        left, right = fonts.overhang(text, font, size)
        x += left if align == "left" else -right if align == "right" else 0.0
        self.items.setdefault(name, []).append(TextLine(x, y, text, font, size, colour, align))
        if width is None:
            width = fonts.width(text, font, size)
        lx = x - (width if align == "right" else width / 2 if align == "centre" else 0)
        if lx < self.safe[0] - TOLERANCE or lx + width > self.safe[2] + TOLERANCE:
            self.wide.add(name)

    def add(self, name: str, item: Item) -> None:
        self.items.setdefault(name, []).append(item)

    def frame(self, name: str | None) -> Rect:
        """An earlier element's box within the safe area, or the safe area."""
        sx0, sy0, sx1, sy1 = self.safe
        if name is None or name not in self.boxes:
            return (sx0, sy0, sx1, sy1)
        x0, y0, x1, y1 = self.boxes[name]
        return (max(x0, sx0), max(y0, sy0), min(x1, sx1), min(y1, sy1))

    def box_from(self, value: Any, anchor: str) -> Rect:
        """'bleed' | 'trim' | 'safe' | [x, y, width, height] from the anchor's top-left."""
        W, H, B = self.W, self.H, self.B
        if value == "bleed":
            return (-B, -B, W + B, H + B)
        if value == "trim":
            return (0.0, 0.0, W, H)
        if value == "safe" or value is None:
            return self.safe
        ax0, ay0, ax1, ay1 = (0.0, 0.0, W, H) if anchor == "trim" else self.safe
        x = ax0 + self.length(value[0], ax1 - ax0)
        y = ay1 - self.length(value[1], ay1 - ay0)
        w = self.length(value[2], ax1 - ax0)
        h = self.length(value[3], ay1 - ay0)
        return (x, y - h, x + w, y)

    # ------------------------------------------------------------ placing
    def place(self) -> tuple[Item, ...]:
        flows = []
        failed: list[str] = []  # elements with a problem, for the marks of a lenient layout
        start = len(self.problems.items)

        plan = _shared(self.deck, self.design).plan(self.template)

        def run(element: Element, method: str) -> None:
            before = len(self.problems.items)
            getattr(self, method)(element, element.spec)
            if len(self.problems.items) > before:
                failed.append(element.name)

        for element, method in plan.steps:
            if method == "_flow":
                flows.append((element, method))
                self.items.setdefault(element.name, [])
                continue
            run(element, method)
        for element, method in flows:
            run(element, method)
        self._raise(plan.risers)
        out: list[Item] = []
        self.owners: list[str] = []
        low, high = self.safe[1] - TOLERANCE, self.safe[3] + TOLERANCE
        wide = self.wide  # the elements with a line out of the safe area sideways (`line`)
        for element in self.template.elements:
            items = self.items.get(element.name, [])
            for item in items:
                if not isinstance(item, TextLine):
                    continue
                if (
                    element.name in wide
                    or item.y - DESCENT * item.size < low
                    or item.y + ASCENT * item.size > high
                ):
                    if self.problems.lenient and element.name in failed:  # already reported
                        break
                    self.problems.add(
                        f"{self._card_prefix()}: {self._where(element)} runs outside the safe "
                        f"area on a card of this size ({to_mm(self.W):.0f} x {to_mm(self.H):.0f} "
                        "mm): choose a larger --card size or place it otherwise in the design."
                    )
                    failed.append(element.name)
                    break
            out += items
            self.owners += [element.name] * len(items)
        if len(self.problems.items) > start:
            key = (self.card.id, "front") if self.card is not None else (self._back_key(), "back")
            self.problems.by_face.setdefault(key, []).extend(self.problems.items[start:])
        if self.problems.lenient and failed:
            out += self._marks(failed)
        return tuple(out)

    def _marks(self, failed: list[str]) -> list[Item]:
        """Red outlines around the elements that do not fit (previews only)."""
        key = (self.card.id, "front") if self.card is not None else (self._back_key(), "back")
        marks = self.problems.marks.setdefault(key, [])
        out: list[Item] = []
        for name in failed:
            box = self.boxes.get(name, self.safe)
            x0, y0, x1, y1 = box
            inside = (max(x0, 0.0), max(y0, 0.0), min(x1, self.W), min(y1, self.H))
            marks.append((name, inside))
            out.append(Mark(inside, f"{name}: {self.words['preview.does_not_fit']}"))
        return out

    def _shape(self, element: Element, spec: Any) -> None:
        W, H, S = self.W, self.H, self.S
        if spec.dock is not None:
            h = self.length(spec.height, H)
            x0, x1 = (0.0, W) if spec.anchor == "trim" else (S, W - S)
            if spec.dock == "top":
                y1 = H if spec.anchor == "trim" else self.top
                box = (x0, y1 - h, x1, y1)
                self.top = min(self.top, y1 - h - self.length(spec.gap, H))
            else:
                y0 = 0.0 if spec.anchor == "trim" else self.bottom
                box = (x0, y0, x1, y0 + h)
                self.bottom = max(self.bottom, y0 + h + self.length(spec.gap, H))
                self.bottom_ink = max(self.bottom_ink, y0 + h)
        else:
            box = self.box_from(spec.box, spec.anchor)
        self.boxes[element.name] = box
        x0, y0, x1, y1 = self._bleed(box) if spec.bleed else box
        colour = self.rgb(spec.colour, self.colour)
        if spec.shape == "circle":
            r = min(x1 - x0, y1 - y0) / 2
            self.add(element.name, Disc((x0 + x1) / 2, (y0 + y1) / 2, r, colour))
            return
        stroke = self.rgb(spec.stroke, self.colour) if spec.stroke else None
        self.add(
            element.name,
            Fill(
                (x0, y0, x1, y1),
                colour,
                self.length(spec.radius, W),
                stroke,
                self.length(spec.stroke_width, W),
            ),
        )

    def _pictogram_name(self, of: str) -> str:
        card, subject = self.card, self.subject
        if of == "subject":
            return subject.pictogram if subject else "wheel"
        if of == "segment":
            if card is not None and card.segment is not None:
                return card.segment.pictogram
            return card.type.pictogram if card is not None else "wheel"
        if of == "type":
            return card.type.pictogram if card is not None else "wheel"
        if of == "card":  # as the card's type declares: its category's or its own
            return anatomy.pictogram_of(card) if card is not None else "wheel"
        return of

    def _pictogram(self, element: Element, spec: Any) -> None:
        name = self._pictogram_name(spec.of)
        if spec.within is not None:
            x0, y0, x1, y1 = self.frame(spec.within)
            size = (
                self.length(spec.size, y1 - y0)
                if spec.size is not None
                else (y1 - y0) - 2 * self.length(spec.inset, y1 - y0)
            )
            mid = (y0 + y1) / 2 + self.length(spec.lift, y1 - y0)
            x, y = x0, mid - size / 2
        elif isinstance(spec.centre, str):
            bx0, by0, bx1, by1 = self.boxes[spec.centre]
            radius = (bx1 - bx0) / 2
            alone = spec.alone is not None and not self.deck.has_wheel
            size = self.length(spec.alone if alone else spec.size, radius)
            x, y = (bx0 + bx1) / 2 - size / 2, (by0 + by1) / 2 - size / 2
        else:
            ax0, ay0, ax1, ay1 = (0.0, 0.0, self.W, self.H) if spec.anchor == "trim" else self.safe
            size = self.length(spec.size, ax1 - ax0)
            if spec.centre is not None:
                cx = ax0 + self.length(spec.centre[0], ax1 - ax0)
                cy = ay1 - self.length(spec.centre[1], ay1 - ay0)
                x, y = cx - size / 2, cy - size / 2
            else:
                at = spec.at or [0, 0]
                x = ax0 + self.length(at[0], ax1 - ax0)
                y = ay1 - self.length(at[1], ay1 - ay0) - size
        colour = self.rgb(spec.colour, _on(self.colour))
        hole = self.rgb(spec.hole, self.colour)
        self.boxes[element.name] = (x, y, x + size, y + size)
        own = images.pictogram_file(self.deck.root, name)
        if own is None and name not in art.PICTOGRAMS:
            self.problems.add(
                f"{self._card_prefix()}: the pictogram '{name}' of {self._where(element)} is "
                f"neither built in ({', '.join(art.PICTOGRAMS)}) nor a file assets/{name}.svg "
                "in the deck folder; add the file."
            )
            return
        self.add(element.name, Pictogram(name, x, y, size, colour, hole, str(own) if own else ""))

    def _image(self, element: Element, spec: Any) -> None:
        box = self.box_from(spec.box, spec.anchor)
        if spec.bleed:
            box = self._bleed(box)
        path = str(self.design.assets[spec.file])
        rect = images.placed(path, box, spec.fit)
        self.boxes[element.name] = box
        resolution = images.dpi(path, rect[2] - rect[0])
        if resolution is not None and resolution < MIN_DPI:
            self.problems.add(
                f"{self._card_prefix()}: the image {spec.file} of {self._where(element)} prints "
                f"at {resolution:.0f} dpi on this card; at least {MIN_DPI} dpi is needed. Use a "
                "larger image or an SVG."
            )
            return
        self.add(element.name, Image(path, rect, box))

    def _bleed(self, box: Rect) -> Rect:
        """Edges on (or beyond) the trim run on to the bleed edge."""
        W, H, B = self.W, self.H, self.B
        x0, y0, x1, y1 = box
        return (
            -B if x0 <= 0 else x0,
            -B if y0 <= 0 else y0,
            W + B if x1 >= W else x1,
            H + B if y1 >= H else y1,
        )

    def _lines(self, element: Element, spec: Any) -> None:
        x0, y0, x1, y1 = self.frame(spec.within)
        if spec.right_of is not None:
            x0 = self.boxes[spec.right_of.element][2] + self.length(spec.right_of.gap, x1 - x0)
        room = x1 - x0
        colour = self.rgb(spec.colour, _on(self.colour))
        placed: list[tuple[str, str, float]] = []
        for line in spec.lines:
            if line.parts is not None:
                text = line.join.join(p for p in (self.fill_in(t) for t in line.parts) if p)
            else:
                text = self.fill_in(line.text or "")
            text = _case(text, line.case)
            if not text:
                continue
            style, smallest = self.style(line.style)
            self.glyphs(element, text, style.font)
            size = self.fit_line(element, text, style, smallest, room)
            if size is None:
                self.too_wide(element, text, style.font, smallest, room)
                size = smallest
            placed.append((text, style.font, size))
        if not placed:
            return
        gap = self.length(spec.gap, y1 - y0)
        total = sum(CAP * s for _, _, s in placed) + gap * (len(placed) - 1)
        mid = (y0 + y1) / 2 + self.length(spec.lift, y1 - y0)
        top = mid + total / 2
        for text, font, size in placed:
            baseline = top - CAP * size
            self.line(element.name, x0, baseline, text, font, size, colour)
            top = baseline - gap
        self.boxes[element.name] = (x0, top + gap, x1, mid + total / 2)

    def _text(self, element: Element, spec: Any) -> None:
        text = _case(self.fill_in(spec.text), spec.case)
        if not text:
            return
        style, smallest = self.style(spec.style)
        colour = self.rgb(spec.colour, self.rgb("ink", palette.INK))
        self.glyphs(element, text, style.font)
        sx0, _sy0, sx1, _sy1 = self.safe
        inset = self.length(spec.inset, sx1 - sx0)
        x0, x1 = sx0 + inset, sx1 - inset
        if spec.width is not None:
            x1 = x0 + self.length(spec.width, sx1 - sx0)
        if spec.dock == "bottom" and spec.max_lines > 1:
            self._text_from_bottom(element, spec, text, style, smallest, colour, x0, x1)
            return
        if spec.dock == "bottom" or spec.beside is not None:
            if spec.beside is not None:
                bx0, by0, bx1, by1 = self.boxes.get(spec.beside, (x0, self.S, x0, self.S))
                baseline = by0 + DESCENT * style.size
                room = (x1 - x0) - self.texts.get(spec.beside, 0.0) - self.length(spec.gap, x1 - x0)
            else:
                baseline = self.bottom + self.length(spec.gap_before, self.H)
                baseline += DESCENT * style.size
                room = x1 - x0
            if spec.overflow == "ellipsis":
                size = style.size
                if self.field("link.short") and "{link.short}" in spec.text:
                    text = short_address(text, room, style)
                else:
                    text = _cut(text, room, style)
            else:
                fitted = self.fit_line(element, text, style, smallest, room)
                if fitted is None:
                    self.too_wide(element, text, style.font, smallest, room)
                    fitted = smallest
                size = fitted
            width = fonts.width(text, style.font, size)
            x, align = _aligned(x0, x1, spec.align, text)
            self.line(element.name, x, baseline, text, style.font, size, colour, align, width)
            lx = x - (width if align == "right" else width / 2 if align == "centre" else 0)
            self.boxes[element.name] = (lx, baseline - DESCENT * size, lx + width, baseline + size)
            self.texts[element.name] = width
            self.firsts[element.name] = baseline
            if spec.dock == "bottom":
                self.bottom = baseline + size + self.length(spec.gap, self.H)
                self.bottom_ink = baseline + 0.8 * size
            return
        # multi-line text, docked to the top, below an element or at a position
        if spec.dock == "top":
            top = self.top - self.length(spec.gap_before, self.H)
            nx0, nx1 = self.span(top, top - spec.max_lines * style.line_height)
            x0, x1 = max(x0, nx0), min(x1, nx1)
        width = x1 - x0
        lines, size, widths = self._wrap_fit(element, spec, text, style, smallest, width)
        lh = size * style.leading
        if spec.below is not None and spec.dock is None:
            ref = self.boxes.get(spec.below.element)
            start = (ref[1] if ref else self.top) - self.length(spec.below.gap, self.H)
            y = start + lh
        elif spec.at is not None:
            ax0, ay0, ax1, ay1 = self.safe
            y = ay1 - self.length(spec.at[1], ay1 - ay0) + lh
            x0 = ax0 + self.length(spec.at[0], ax1 - ax0)
        else:
            y = self.top - self.length(spec.gap_before, self.H)
        first = y - lh
        for i, line in enumerate(lines):
            y -= lh
            x, align = _aligned(x0, x1, spec.align, line)
            measured = widths[i] if widths else None
            self.line(element.name, x, y, line, style.font, size, colour, align, measured)
        self.boxes[element.name] = (x0, y - lh, x1, first + size)
        if spec.dock == "top":
            self.top = y - self.length(spec.gap, self.H)
            if y - DESCENT * size < self.bottom - 1e-6:
                self.overflow(element, len(lines) * lh, self.top - self.bottom, size)

    def _raise(self, risers: tuple[Element, ...]) -> None:
        """Texts docked to the bottom that also hang `below` an element (`risers`) rise to
        hang there when there is room (they never sink below their docked place). Twice over,
        as a text may hang below one that rises after it."""
        for element in risers * 2:
            spec = element.spec
            ref = self.boxes.get(spec.below.element)
            first = self.firsts.get(element.name)
            if ref is None or first is None:
                continue
            shift = ref[1] - self.length(spec.below.gap, self.H) - first
            if shift <= 1e-6:
                continue
            self.items[element.name] = [
                replace(i, y=i.y + shift) if isinstance(i, TextLine) else i
                for i in self.items.get(element.name, [])
            ]
            x0, y0, x1, y1 = self.boxes[element.name]
            self.boxes[element.name] = (x0, y0 + shift, x1, y1 + shift)
            self.firsts[element.name] = first + shift

    def _text_from_bottom(
        self,
        element: Element,
        spec: Any,
        text: str,
        style: Style,
        smallest: float,
        colour: RGB,
        x0: float,
        x1: float,
    ) -> None:
        """A text docked to the bottom: its last line sits on the free bottom (plus
        `gap_before`), its lines stack upwards, and the free bottom moves above its first."""
        lines, size, widths = self._wrap_fit(element, spec, text, style, smallest, x1 - x0)
        lh = size * style.leading
        last = self.bottom + self.length(spec.gap_before, self.H) + DESCENT * size
        first = last + lh * (len(lines) - 1)
        for i, line in enumerate(lines):
            x, align = _aligned(x0, x1, spec.align, line)
            width = widths[i] if widths else None
            self.line(element.name, x, first - i * lh, line, style.font, size, colour, align, width)
        self.boxes[element.name] = (x0, last - DESCENT * size, x1, first + size)
        self.firsts[element.name] = first
        self.bottom = first + size + self.length(spec.gap, self.H)
        self.bottom_ink = first + 0.8 * size

    def _wrap_fit(
        self, element: Element, spec: Any, text: str, style: Style, smallest: float, width: float
    ) -> tuple[list[str], float, list[float] | None]:
        """The lines of a text wrapped to `width` at the largest size that fits its lines, that
        size, and the lines' widths where wrapping measured them (`wrapped`)."""
        size = style.size
        target = spec.shrink_to_lines or spec.max_lines
        while True:
            lines, widths = self.wrapped(
                text, Style(style.font, size, style.leading), width, spec.hyphenate
            )
            if len(lines) <= target or size <= smallest + 1e-9:
                break
            size = max(smallest, size - (0.5 if spec.max_lines > 1 else STEP))
        if spec.max_lines == 1 and len(lines) > 1:
            fitted = self.fit_line(element, text, style, smallest, width)
            if fitted is None:
                self.too_wide(element, text, style.font, smallest, width)
                return [text], smallest, None
            return [text], fitted, None
        self.shrunk(element, style.size, size, smallest)
        if len(lines) > spec.max_lines:
            longest = max(text.split(), key=lambda w: fonts.width(w, style.font, size))
            if fonts.width(longest, style.font, size) > width:  # no shortening can help
                self.too_wide(element, longest, style.font, size, width)
                return lines[: spec.max_lines], size, widths
            lh = size * style.leading
            self.overflow(element, len(lines) * lh, spec.max_lines * lh, size)
            lines = lines[: spec.max_lines]
        return lines, size, widths

    def _qr(self, element: Element, spec: Any) -> None:
        link = self.card.main_link if self.card is not None else None
        if link is None:
            return
        rows = qr.matrix(link.url)
        n = len(rows)
        sx0, sy0, sx1, sy1 = self.safe
        target = self.length(spec.size, sx1 - sx0)
        if spec.share is not None:
            target = min(target, self.length(spec.share, sx1 - sx0))
        largest = self.length(spec.max, sx1 - sx0) if spec.max is not None else target
        smallest = self.length(spec.module, sx1 - sx0)
        module = max(smallest, target / n)
        if n * module > largest + 1e-6:
            self.problems.add(
                f"{self._card_prefix()}: the link {link.url} is too long for a scannable "
                f"QR code on this card ({n} modules need {to_mm(n * smallest):.1f} mm at the "
                f"minimum module size of {to_mm(smallest):.1f} mm; at most "
                f"{to_mm(largest):.0f} mm fit). Use a shorter address."
            )
            module = largest / n
        qsize = n * module
        quiet = qr.QUIET_MODULES * module
        right = spec.corner.endswith("right")
        qx = sx1 - qsize if right else sx0
        if spec.corner.startswith("bottom"):
            qy = max(self.bottom, self.bottom_ink + quiet)
        else:  # a top corner: below what is docked at the top; text goes beside it
            qy = self.top - quiet - qsize
        code = QrCode(qx, qy, module, link.url, rows, qr.operators(rows))
        self.add(element.name, code)
        self.add(element.name, LinkArea(link.url, code.rect))
        raw = (qx - quiet, qy - quiet, qx + qsize + quiet, qy + qsize + quiet)
        self.boxes[element.name] = raw
        mx = self.length(spec.margin[0], sx1 - sx0)
        my = self.length(spec.margin[1], sy1 - sy0)
        self.obstacles.append((raw, "right" if right else "left", mx, my))
        if spec.corner.startswith("bottom"):
            self.low.add(len(self.obstacles) - 1)

    def _beside_right(self, y0: float, y1: float, raw: bool = False) -> float:
        """The right edge of the room left of the obstacles on the right side in [y0, y1]
        (with their margins, or without them when `raw`)."""
        x1 = self.safe[2]
        for (ox0, oy0, _ox1, oy1), side, mx, my in self.obstacles:
            if side == "right" and oy0 < y1 and y0 < oy1 + my:
                x1 = min(x1, ox0 - (0.0 if raw else mx))
        return x1

    def _table(self, element: Element, spec: Any) -> None:
        card = self.card
        if card is None:
            return
        rows_src: list[tuple[str, str]] = []
        if spec.rows == "facets":
            for facet in self.deck.facets:
                ids = card.facets.get(facet.id)
                if ids:
                    rows_src.append((facet.name, ", ".join(facet.values[v] for v in ids)))
        else:
            for name in spec.rows:
                value = self.field(name)
                declared = card.type.field(name)
                if value:
                    rows_src.append(((declared.label if declared else None) or name, value))
        if not rows_src:
            return
        label_style, _ = self.style(spec.label.style)
        value_style, _ = self.style(spec.value.style)
        sx0 = self.safe[0]
        x0 = sx0
        x1 = self._beside_right(self.bottom, self.top, raw=True) - self.length(
            spec.side_gap, self.W
        )
        label_w = max(label_style.width(_case(n, spec.label.case)) for n, _ in rows_src)
        label_w += self.length(spec.gap, x1 - x0)
        value_w = x1 - x0 - label_w
        label_colour = self.rgb(spec.label.colour, palette.INK)
        value_colour = self.rgb(spec.value.colour, self.rgb("ink", palette.INK))
        rows = []
        for name, value in rows_src:
            label = _case(name, spec.label.case)
            self.glyphs(element, label, label_style.font)
            self.glyphs(element, value, value_style.font)
            if value_w < mm(4):
                self.too_wide(element, value, value_style.font, value_style.size, value_w)
                return
            rows.append((label, *self.wrapped(value, value_style, value_w)))
        lh = value_style.line_height
        gap = self.length(spec.row_gap, self.H)
        y = self.bottom + sum(len(r[1]) * lh for r in rows) + gap * (len(rows) - 1)
        top = y
        for label, lines, widths in rows:
            first_baseline = y - value_style.size
            self.line(
                element.name,
                x0,
                first_baseline,
                label,
                label_style.font,
                label_style.size,
                label_colour,
            )
            for i, text in enumerate(lines):
                self.line(
                    element.name,
                    x0 + label_w,
                    first_baseline - i * lh,
                    text,
                    value_style.font,
                    value_style.size,
                    value_colour,
                    width=widths[i] if widths else None,
                )
            y -= len(lines) * lh + gap
        box_top = top
        if spec.rule is not None:
            off = self.length(spec.rule.offset, self.H)
            thick = self.length(spec.rule.width, self.H)
            self.add(
                element.name,
                Fill(
                    (x0, top + off, x1, top + off + thick), self.rgb(spec.rule.colour, self.colour)
                ),
            )
            box_top = top + off
        box = (x0, self.bottom, x1, box_top)
        self.boxes[element.name] = box
        self.obstacles.append((box, "left" if spec.corner == "bottom-left" else "right", 0.0, 0.0))
        self.low.add(len(self.obstacles) - 1)

    def _wheel(self, element: Element, spec: Any) -> None:
        drawn = self.deck.has_wheel  # a deck of plain categories keeps the disc, not the wheel
        sx0, sy0, sx1, sy1 = self.safe
        highlight: str | None = None
        if spec.highlight == "segment":
            if self.card is not None and self.card.segment is not None:
                highlight = self.card.segment.id
            elif self.subject is not None and self.subject.segment is not None:
                highlight = self.subject.segment.id
        if spec.corner is not None:
            r = self.length(spec.radius, min(self.W, self.H))
            cx = sx0 + r if spec.corner == "bottom-left" else sx1 - r
            cy = self.bottom + r
        else:
            centre = spec.centre or ["50%", "50%"]
            r = self.length(spec.radius, min(self.W, self.H))
            cx = self.length(centre[0], self.W)
            cy = self.H - self.length(centre[1], self.H)
            if spec.above is not None:  # keep clear of the element below: shrink and rise
                grow = self.length(spec.disc.grow, r) if spec.disc is not None else 0.0
                ref = self.boxes.get(spec.above.element)
                low = (ref[3] if ref else sy0) + self.length(spec.above.gap, self.H)
                low = max(low, sy0 + grow)
                high = sy1 - grow
                r = max(0.0, min(r, (high - low) / 2, (sx1 - sx0) / 2 - grow))
                cy = min(max(cy, low + r), high - r)
        inner = self.length(spec.inner, r)
        if spec.disc is not None:
            grow = self.length(spec.disc.grow, r)
            self.add(
                element.name, Disc(cx, cy, r + grow, self.rgb(spec.disc.colour, palette.WHITE))
            )
        colours = []
        for seg in self.deck.segments:
            c = palette.parse(seg.colour)
            if highlight is None or seg.id == highlight:
                colours.append(c)
            else:
                colours.append(self.rgb(spec.others, c, segment=c))
        if drawn:
            self.add(element.name, Wheel(cx, cy, inner, r, tuple(colours)))
        box = (cx - r, cy - r, cx + r, cy + r)
        right = cx + r
        legend = spec.legend
        if legend is not None and drawn:
            style, smallest = self.style(legend.style)
            lx = cx + r + self.length(legend.gap, self.W)
            sw = self.length(legend.swatch, self.W)
            tx = lx + sw + self.length(legend.label_gap, self.W)
            ly = cy + r - self.length(legend.drop, self.H)
            lower = self.length(legend.lower, self.H)
            room = self._beside_right(cy - r, cy + r, raw=True) - self.length(legend.margin, self.W)
            room -= tx
            for seg in self.deck.segments:
                own = seg.id == highlight
                self.add(
                    element.name,
                    Fill(
                        (lx, ly - lower, lx + sw, ly + sw - lower),
                        palette.parse(seg.colour),
                        radius=self.length(legend.radius, sw),
                    ),
                )
                font = "bold" if own else style.font
                self.glyphs(element, seg.name, font)
                size = self.fit_line(
                    element, seg.name, Style(font, style.size, 1.0), smallest, room
                )
                if size is None:
                    self.too_wide(element, seg.name, font, smallest, room)
                    size = smallest
                colour = self.rgb(legend.colour if own else legend.others, palette.INK)
                self.line(element.name, tx, ly, seg.name, font, size, colour)
                right = max(right, tx + fonts.width(seg.name, font, size))
                ly -= self.length(legend.step, self.H)
        self.boxes[element.name] = box
        if spec.corner is not None:
            side = "left" if spec.corner == "bottom-left" else "right"
            self.obstacles.append(((cx - r, cy - r, right, cy + r), side, 0.0, 0.0))
            self.low.add(len(self.obstacles) - 1)
            if cy + r > self.top:
                self.overflow(element, 2 * r, self.top - self.bottom, 0)

    def span(
        self,
        line_top: float,
        line_bottom: float,
        obstacles: list[tuple[Rect, str, float, float]] | None = None,
    ) -> tuple[float, float]:
        """The left and right edge of the room for a line between these heights, beside the
        corners (with their margins)."""
        sx0, _sy0, sx1, _sy1 = self.safe
        x0, x1 = sx0, sx1
        for (ox0, oy0, ox1, oy1), side, mx, my in (
            self.obstacles if obstacles is None else obstacles
        ):
            if line_bottom < oy1 + my and line_top > oy0 - my:
                if side == "right":
                    x1 = min(x1, ox0 - mx)
                else:
                    x0 = max(x0, ox1 + mx)
        return x0, x1

    def _flow(self, element: Element, spec: Any) -> None:
        card = self.card
        sx0, sy0, sx1, sy1 = self.safe
        inner_w = sx1 - sx0
        top = self.top - self.length(spec.gap_before, self.H)
        min_width = self.length(spec.min_width, inner_w)
        clearance = self.length(spec.clearance, self.H)
        bottom = self.bottom + self.length(spec.bottom, self.H)
        low = [o for i, o in enumerate(self.obstacles) if i in self.low]  # bottom corners
        obstacles = [o for o in self.obstacles if o not in low]
        if {o[1] for o in low} == {"left", "right"}:  # corners on both sides: stop above them
            bottom = max(o[0][3] for o in low) + clearance
        else:
            for o in low:
                (ox0, _oy0, ox1, oy1), side, mx, _my = o
                room = (ox0 - mx - sx0) if side == "right" else (sx1 - ox1 - mx)
                if room < min_width:  # too little room beside it: stop above it
                    bottom = max(bottom, oy1 + clearance)
                else:
                    obstacles.append(o)

        def span(line_top: float, line_bottom: float) -> tuple[float, float]:
            return self.span(line_top, line_bottom, obstacles)

        blocks = []
        for block in spec.blocks:
            text = self.fill_in(block.text)
            if not text:
                continue
            if block.quote:  # the language's quotation marks (French « »), else the design's
                opening = self.words.get("card.quote_open", block.quote[0])
                closing = self.words.get("card.quote_close", block.quote[-1])
                core = text.strip().strip(QUOTES + "".join(block.quote) + opening + closing)
                text = f"{opening}{core.strip()}{closing}"
            blocks.append((block, text))
        if not blocks:
            return
        style, smallest = self.style(spec.style)
        for block, text in blocks:
            self.glyphs(element, text, block.font or style.font)
            if block.label:
                label_font = spec.label.font if spec.label else style.font
                self.glyphs(element, self.words[block.label].upper(), label_font)
        size = style.size
        placed = None
        while size >= smallest - 1e-9:
            placed = self._place_blocks(spec, blocks, top, bottom, span, size, style.leading)
            if placed is not None:
                self.shrunk(element, style.size, size, smallest)
                break
            size -= STEP
        if placed is None:
            needed = self._blocks_height(spec, blocks, smallest, inner_w, style.leading)
            room = top - bottom
            if card is not None and room < mm(4):
                self.problems.add(
                    f"{card.origin}: card {card.id}: there is no room for the text on a card of "
                    "this size: the colour band, title, facets and QR code fill it. Choose a "
                    "larger --card size."
                )
            else:
                self.overflow(element, needed, room, smallest)
            self.boxes[element.name] = (sx0, bottom, sx1, top)
            if not self.problems.lenient:
                return
            # a preview shows the text anyway, at its smallest size, running past its box
            placed = self._place_blocks(spec, blocks, top, -self.H, span, smallest, style.leading)
            if placed is None:
                return
        label = spec.label
        box = spec.box
        colour = self.rgb(spec.colour, self.rgb("ink", palette.INK))
        for block, size_, label_y, lines, box_rect in placed:
            pad = self.length(box.padding, self.W) if (box and block.boxed) else 0.0
            if box_rect is not None and box is not None:
                self.add(
                    element.name,
                    Fill(
                        box_rect,
                        self.rgb(box.colour, self.colour),
                        radius=self.length(box.radius, self.W),
                    ),
                )
            if label_y is not None and block.label:
                lf = label.font if label else style.font
                ls = size_ * (label.scale if label else 1.0)
                lc = self.rgb(label.colour if label else None, palette.INK)
                self.line(
                    element.name, sx0 + pad, label_y, self.words[block.label].upper(), lf, ls, lc
                )
            font = block.font or style.font
            for x, y, text, align, width in lines:
                self.line(element.name, x + pad, y, text, font, size_, colour, align, width)

    def wrapped(
        self, text: str, style: Style, width: float, hyphenate: bool = True
    ) -> tuple[list[str], list[float] | None]:
        """`text.wrap` to one width in the deck's language, and the lines' widths as it
        measured them (None for a shaped text: see `_place_blocks`), remembered for the deck's
        other faces (read, never changed): a table's values, a type's titles."""
        key = (text, style.font, style.size, style.leading, width, hyphenate)
        memo = self.shared.wrapped
        found = memo.get(key)
        if found is None:
            if len(memo) >= SHARED_KEPT:
                memo.clear()
            widths: list[float] | None = [] if not shaping.needs_shaping(text) else None
            lines = wrap(text, style, width, self.deck.language, hyphenate=hyphenate, widths=widths)
            found = memo[key] = (lines, widths)
        return found

    def _place_blocks(
        self,
        spec: Any,
        blocks: list[tuple[Any, str]],
        top: float,
        bottom: float,
        span: Callable[[float, float], tuple[float, float]],
        size: float,
        leading: float,
    ) -> (
        list[
            tuple[
                Any,
                float,
                float | None,
                list[tuple[float, float, str, str, float | None]],
                Rect | None,
            ]
        ]
        | None
    ):
        lh = size * leading
        y = top
        out = []
        pad = self.length(spec.box.padding, self.W) if spec.box else 0.0
        drop = spec.label.drop if spec.label else 1.0
        step = spec.label.step if spec.label else 1.2
        language = self.deck.language
        for block, text in blocks:
            y -= block.gap_before * lh
            box_top = y
            inset = pad if block.boxed else 0.0
            if block.boxed:
                y -= pad
            label_y = None
            if block.label:
                label_y = y - size * drop
                y -= size * step
            style = Style(block.font or self.design.styles[spec.style].font, size, leading)
            base_y = y
            # each line's room (left and right edge) as wrapping asked for it, kept for
            # placing the lines after (the same span: its line's top and height are the same)
            spans: dict[int, tuple[float, float]] = {}

            def line_width(
                n: int,
                base_y: float = base_y,
                inset: float = inset,
                spans: dict[int, tuple[float, float]] = spans,
            ) -> float:
                line_top = base_y - n * lh
                x0, x1 = spans[n] = span(line_top, line_top - lh)
                return x1 - x0 - 2 * inset

            lines = []
            right = self.safe[2]
            # the lines' widths as wrapping measured them, for `line`'s check (a shaped text
            # is measured whole there: HarfBuzz's width of a line is not its words')
            widths: list[float] | None = [] if not shaping.needs_shaping(text) else None
            wrapped = wrap(text, style, line_width, language, widths=widths)
            for n, line in enumerate(wrapped):
                line_top = base_y - n * lh
                x0, x1 = spans.get(n) or span(line_top, line_top - lh)
                right = min(right, x1)
                # a right-to-left line is set right, in the room its line has
                x, align = _aligned(x0, x1 - 2 * inset, "left", line)
                lines.append((x, line_top - size, line, align, widths[n] if widths else None))
            y = base_y - len(lines) * lh
            rect = None
            if block.boxed:
                y -= pad - (lh - size) * 0.5
                rect = (self.safe[0], y, right, box_top)
            if y < bottom - 1e-6:
                return None
            out.append((block, size, label_y, lines, rect))
        return out

    def _blocks_height(
        self, spec: Any, blocks: list[tuple[Any, str]], size: float, width: float, leading: float
    ) -> float:
        lh = size * leading
        pad = self.length(spec.box.padding, self.W) if spec.box else 0.0
        step = spec.label.step if spec.label else 1.2
        total = 0.0
        for block, text in blocks:
            total += block.gap_before * lh + (size * step if block.label else 0)
            total += 2 * pad if block.boxed else 0
            font = block.font or self.design.styles[spec.style].font
            total += len(wrap(text, Style(font, size, leading), width, self.deck.language)) * lh
        return total


_CARD_TEXTS = frozenset(("id", "title", "text", "answer", "question", "place"))  # a card's own


@lru_cache(maxsize=1024)
def _placeholders(template: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A template text as (literal text, the names of the placeholder after it) pairs:
    '{id} · v{deck.version}' -> ('', ('id',)), (' · v', ('deck.version',)), ('', ())."""
    out = []
    rest = template
    while "{" in rest and "}" in rest[rest.index("{") :]:
        start = rest.index("{")
        end = rest.index("}", start)
        names = tuple(name.strip() for name in rest[start + 1 : end].split("|"))
        out.append((rest[:start], names))
        rest = rest[end + 1 :]
    out.append((rest, ()))
    return tuple(out)


def _length(value: Any, base: float, k: float, W: float, H: float) -> float:
    """A design length in points on a card W x H at scale k (see design.yaml's head); kept
    per scale and size by `_Face.length`."""
    parsed = parse_length(list(value) if isinstance(value, tuple) else value) or [(0.0, "")]
    out = []
    for number, unit in parsed:
        if unit == "":
            out.append(mm(number) * k)
        elif unit == "mm":
            out.append(mm(number))
        elif unit == "pt":
            out.append(number)
        elif unit == "%w":
            out.append(W * number / 100)
        elif unit == "%h":
            out.append(H * number / 100)
        elif unit == "%min":
            out.append(min(W, H) * number / 100)
        else:
            out.append(base * number / 100)
    return max(out)


@lru_cache(maxsize=256)
def _on(colour: RGB) -> RGB:
    return palette.text_on(colour)


@lru_cache(maxsize=256)
def _ink(colour: RGB) -> RGB:
    return palette.readable_on_white(colour)


def _aligned(x0: float, x1: float, align: str, text: str) -> tuple[float, str]:
    """Where a line starts and how it aligns: a right-to-left line the design sets left is
    set right (its reading start), within the same room."""
    if align == "left":
        return (x1, "right") if shaping.is_rtl(text) else (x0, "left")
    if align == "right":
        return x1, align
    if align == "centre":
        return (x0 + x1) / 2, align
    raise ValueError(f"unknown alignment {align!r}")  # the schema allows no other


@lru_cache(maxsize=8192)
def _missing(text: str, font: str, _chain: tuple[str, ...]) -> list[str]:
    """fonts.missing_glyphs, remembered per font in use (texts repeat: titles, names)."""
    return fonts.missing_glyphs(text, font)


def _case(text: str, case: str | None) -> str:
    if case == "upper":
        return text.upper()
    if case == "lower":
        return text.lower()
    return text


def _cut(text: str, room: float, style: Style) -> str:
    if style.width(text) <= room:
        return text
    cut = len(text)
    while cut > 1 and style.width(text[:cut] + "…") > room:
        cut -= 1
    return text[:cut].rstrip() + "…"


# ---------------------------------------------------------------- the public face makers
def _design(deck: Deck, design: Design | None) -> Design:
    return design if design is not None else load_design(deck)


def front(
    deck: Deck,
    card: Card,
    size: CardSize = POKER,
    problems: _Problems | None = None,
    design: Design | None = None,
) -> Face:
    """The front of `card`, laid out by its type's front template."""
    own = problems is None
    problems = problems or _Problems()
    d = _design(deck, design)
    name, _back, _per = d.choice(card.type.id)
    face = _Face(deck, d, d.fronts[name], size, card.colour, problems, card=card)
    items = face.place()
    if own and problems.items:
        raise DoesNotFit(problems.items)
    return Face(card.id, "front", size, items, tuple(face.owners))


def _subject(deck: Deck, key: str) -> _Subject:
    segment = deck.segment(key)
    if segment is not None:
        return _Subject(segment.id, segment.name, segment.colour, segment.pictogram, segment)
    card_type: CardType | None = deck.card_type(key)
    if card_type is not None:
        return _Subject(
            card_type.id, card_type.name, card_type.colour or "#333333", card_type.pictogram, None
        )
    return _Subject(key, "", "#333333", "wheel", None)


def back_key(card: Card, design: Design | None = None) -> str:
    """The key of the back drawn behind `card`: one back per category or per type, as the
    design says for the card's type; a card naming its own back gets that back."""
    own = card.back
    if own:
        return f"{own}"
    design = design or _LAST.get("design")
    if design is not None:
        per = design.choice(card.type.id)[2]
    else:  # no design laid out yet: the shipped default's rule
        per = "category" if card.type.colour is None and card.segment is not None else "type"
    if per == "colour":  # the back of the card's colour: its category's, or its type's own
        per = "category" if card.type.colour is None else "type"
    if per == "category" and card.segment is not None:
        return card.segment.id
    return card.type.id


_LAST: dict[str, Design] = {}  # the design laid out last, for back_key() without a design


def back(
    deck: Deck,
    key: str,
    size: CardSize = POKER,
    design: Design | None = None,
    problems: _Problems | None = None,
) -> Face:
    """A card back: the back template of the key's card type (or the one a card names)."""
    own = problems is None
    d = _design(deck, design)
    _LAST["design"] = d
    if key in d.backs:
        template, subject = d.backs[key], _Subject(key, "", "#333333", "wheel", None)
    else:
        subject = _subject(deck, key)
        type_id = key
        if deck.segment(key) is not None:
            type_id = next(
                (c.type.id for c in deck.cards if c.segment and c.segment.id == key), "default"
            )
        template = d.backs[d.choice(type_id)[1]]
    problems = problems or _Problems()
    face = _Face(deck, d, template, size, subject.colour, problems, subject=subject)
    items = face.place()
    if own and problems.items:
        raise DoesNotFit(problems.items)
    return Face(key, "back", size, items, tuple(face.owners))


@dataclass
class Laid:
    """Every face of a set of cards, which back goes behind which front, and the texts that
    had to shrink to within 10 % of their smallest size."""

    faces: dict[str, Face]
    pairs: list[tuple[str, str]]
    tight: dict[str, list[str]]
    problems: list[str] = field(default_factory=list)  # a lenient layout's problems
    # a lenient layout's boxes of elements that do not fit: (face key, side) -> (element, box)
    marks: dict[tuple[str, str], list[tuple[str, Rect]]] = field(default_factory=dict)
    by_face: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # their problems


def _checked_design(deck: Deck, cards: list[Card]) -> Design:
    """The deck's design, once every back the cards name is known to it (exit 2 otherwise)."""
    d = load_design(deck)
    _LAST["design"] = d
    unknown = [
        f"{c.origin}: card {c.id}: back: '{own}' is not a back of the design (known: "
        f"{', '.join(sorted(d.backs))}){did_you_mean(own, d.backs)}"
        for c in cards
        if (own := c.back) and own not in d.backs
    ]
    if unknown:
        raise InvalidDeck(unknown)
    return d


def lay_out(deck: Deck, cards: list[Card], size: CardSize = POKER, lenient: bool = False) -> Laid:
    """Fronts and backs of `cards`; every face that does not fit is reported at once (exit 5).
    `lenient` (previews): faces that do not fit are laid out anyway, with `Mark`s on the
    elements that do not fit; the problems are in `Laid.problems`, nothing is raised."""
    d = _checked_design(deck, cards)
    problems = _Problems(lenient)
    faces = {c.id: front(deck, c, size, problems, d) for c in track(cards, "laying out")}
    # backs are keyed apart from the fronts: a card id may equal a type or category id
    pairs = [(c.id, f"back:{back_key(c, d)}") for c in cards]
    for key in sorted({back_key(c, d) for c in cards}):
        faces[f"back:{key}"] = back(deck, key, size, d, problems)
    if problems.items and not lenient:
        raise DoesNotFit(problems.items)
    return Laid(faces, pairs, problems.tight, problems.items, problems.marks, problems.by_face)


class Unfit(Exception):
    """A face of `Faces` did not fit (or was flagged by its watch): stop painting; the caller
    lays out the whole deck with `lay_out` for the messages."""


class Faces(Mapping[str, Face]):
    """The faces of `cards` (keys as `lay_out` gives them), each laid out when the painter
    first asks for it, so a build holds the faces of one sheet at a time instead of the whole
    deck's: a front is laid out when asked for (the last one is kept, for a card's copies),
    a back once and kept.

    The first face that does not fit (or that `watch` flags) raises `Unfit`, so a deck with a
    problem is answered before its sheets are painted; `finish()` lays out what was never asked
    for and tells whether a face failed: the caller then runs `lay_out` for the messages."""

    def __init__(
        self,
        deck: Deck,
        cards: list[Card],
        size: CardSize = POKER,
        watch: Callable[[Face], bool] | None = None,
    ) -> None:
        self.deck, self.cards, self.size, self.watch = deck, cards, size, watch
        self.flagged = False  # `watch` said True for a face
        self.design = _checked_design(deck, cards)
        self.by_id = {c.id: c for c in cards}
        self.pairs = [(c.id, f"back:{back_key(c, self.design)}") for c in cards]
        self.back_keys = sorted({k for _, k in self.pairs})
        self.problems = _Problems()
        self.backs: dict[str, Face] = {}
        self.last: tuple[str, Face] | None = None  # the front asked for last
        self.seen: set[str] = set()

    def __getitem__(self, key: str) -> Face:
        face = self.cached(key)
        if face is None:
            face = self.make(key)
            self.keep(key, face)
        return face

    def make(self, key: str) -> Face:
        """Lay out the face of `key` (a card id or a back's key) afresh, keeping nothing."""
        card = self.by_id.get(key)
        if card is not None:
            return self._watched(front(self.deck, card, self.size, self.problems, self.design))
        if key not in self.back_keys:
            raise KeyError(key)
        name = key.removeprefix("back:")
        return self._watched(back(self.deck, name, self.size, self.design, self.problems))

    def keep(self, key: str, face: Face) -> None:
        """Keep `face`, made by `make` for `key` (here or in `build`'s other process), as
        asking for it here would have."""
        self.seen.add(key)
        if key in self.by_id:
            self.last = (key, face)
        else:
            self.backs[key] = face

    def cached(self, key: str) -> Face | None:
        """The face of `key` when it is at hand without laying anything out."""
        if self.last is not None and self.last[0] == key:
            return self.last[1]
        return self.backs.get(key)

    def _watched(self, face: Face) -> Face:
        if self.watch is not None and self.watch(face):
            self.flagged = True
        if self.flagged or self.problems.items:
            raise Unfit(face.key)
        return face

    def __iter__(self) -> Iterator[str]:
        yield from self.by_id
        yield from self.back_keys

    def __len__(self) -> int:
        return len(self.by_id) + len(self.back_keys)

    def finish(self) -> bool:
        """Lay out the faces never asked for; whether any face did not fit or was flagged."""
        try:
            for key in self:
                if key not in self.seen:
                    self[key]
        except Unfit:
            return True
        return False


def fronts(
    deck: Deck, cards: list[Card], size: CardSize = POKER, design: Design | None = None
) -> list[Face]:
    """Fronts of all `cards`; every card that does not fit is reported at once (exit 5)."""
    d = _design(deck, design)
    _LAST["design"] = d
    problems = _Problems()
    faces = [front(deck, c, size, problems, d) for c in cards]
    if problems.items:
        raise DoesNotFit(problems.items)
    return faces


def body_sizes(deck: Deck, size: CardSize = POKER) -> tuple[float, float]:
    """The nominal and the smallest size of the body text (the style of the first `flow` of
    the default front) on a card of this size, as the layout scales them."""
    d = load_design(deck)
    template = d.fronts[d.choice("default")[0]]
    flow = next((e for e in template.elements if e.kind == "flow"), None)
    name = flow.spec.style if flow is not None else next(iter(d.styles))
    face = _Face(deck, d, template, size, "#333333", _Problems())
    style, smallest = face.style(name)
    return style.size, smallest


def _band_texts(deck: Deck, card: Card) -> tuple[str, str]:
    """The two lines of the card's band, as the front template writes them (for the site)."""
    d = load_design(deck)
    template = d.fronts[d.choice(card.type.id)[0]]
    face = _Face(deck, d, template, POKER, card.colour, _Problems(), card=card)
    band = next((e for e in template.elements if e.kind == "lines"), None)
    if band is None:
        return ("", "")
    out = []
    for line in band.spec.lines:
        if line.parts is not None:
            text = line.join.join(p for p in (face.fill_in(t) for t in line.parts) if p)
        else:
            text = face.fill_in(line.text or "")
        out.append(_case(text, line.case))
    return (out + ["", ""])[0], (out + ["", ""])[1]


def _pictogram_of(card: Card, deck: Deck | None = None) -> str:
    """The pictogram of the card's band (for the site)."""
    if deck is None:
        return (
            card.segment.pictogram
            if (card.type.colour is None and card.segment)
            else card.type.pictogram
        )
    d = load_design(deck)
    template = d.fronts[d.choice(card.type.id)[0]]
    icon = next((e for e in template.elements if e.kind == "pictogram"), None)
    face = _Face(deck, d, template, POKER, card.colour, _Problems(), card=card)
    return face._pictogram_name(icon.spec.of) if icon else card.type.pictogram
