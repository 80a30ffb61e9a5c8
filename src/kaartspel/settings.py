"""Print settings: the one home of every print value's name, bounds, default and source.

A value comes from a command-line flag, else from the deck's `print:` in deck.yaml, else
from the print-shop profile (bleed, CMYK, resolution for the shop layouts), else from the
built-in default. Every number the user gives, on the command line or in deck.yaml, is
checked here, once: finite (no NaN, no infinity) and within its bounds. `problem()` words
what is wrong without saying where; the command line adds the flag, deck.yaml its file:line.
Pure: no files, no drawing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from . import presets
from .geometry import DUPLEX_MODES

if TYPE_CHECKING:
    from .geometry import CardSize

LAYOUTS = ("duplex", "gutterfold", "printshop", "png")
SHOP_LAYOUTS = ("printshop", "png")

DEFAULTS: dict[str, Any] = {
    "card": "poker",
    "paper": "a4",
    "bleed": 3.0,
    "gap": 0.0,
    "layout": "duplex",
    "duplex": "long",
    "shop": "generic",
    "cmyk": False,
    "dpi": 300,
    "back_offset": (0.0, 0.0),
}

# inclusive bounds of the numbers, with their unit as the user reads it
BOUNDS: dict[str, tuple[float, float, str]] = {
    "bleed": (0.0, 20.0, "mm"),
    "gap": (0.0, 20.0, "mm"),
    "dpi": (72, 1200, "dpi"),
    "back_offset": (-20.0, 20.0, "mm"),
    "preview_dpi": (30, 600, "dpi"),
    "timeout": (0.5, 300.0, "s"),
    "workers": (1, 64, "workers"),
}
WHOLE = {"dpi", "preview_dpi", "workers"}
CARD_WIDTH = (20.0, 300.0)  # mm, a custom WxH card
CARD_HEIGHT = (20.0, 400.0)


def _known(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join(values)


def number_problem(key: str, value: Any) -> str | None:
    """What is wrong with a number for `key` (None when it is fine)."""
    low, high, unit = BOUNDS[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected a number, got {value!r}"
    if not math.isfinite(value):
        return f"{value} is not a number; give a value from {low:g} to {high:g} {unit}"
    if key in WHOLE and value != int(value):
        return f"{value:g} is not a whole number; give a value from {low:g} to {high:g} {unit}"
    if not low <= value <= high:
        return f"{value:g} {unit} is out of range; give a value from {low:g} to {high:g} {unit}"
    return None


def card_problem(name: str) -> str | None:
    """What is wrong with a card size: a preset name or WxH in mm."""
    if name in presets.card_names():
        return None
    from .errors import shown

    size = presets.parse_size(name)
    if size is None:
        return (
            f"'{shown(name)}' is not a card size (known: {_known(presets.card_names())}, "
            "or WxH in mm such as 70x120)"
        )
    (w_low, w_high), (h_low, h_high) = CARD_WIDTH, CARD_HEIGHT
    bounds = f"{w_low:g}-{w_high:g} mm wide, {h_low:g}-{h_high:g} mm high"
    for what, value in zip(("width", "height"), size, strict=True):
        if not math.isfinite(value):
            return f"{shown(name)}: the {what} {value} is not a number; give WxH in mm, {bounds}"
        if value <= 0:
            return (
                f"{shown(name)}: the {what} {value:g} mm is not positive; a card's sizes must "
                f"be positive ({bounds})"
            )
    w, h = size
    if not (w_low <= w <= w_high and h_low <= h <= h_high):
        return f"{shown(name)} mm is not a sensible card size ({bounds})"
    return None


def _choice(value: str, what: str, known: list[str] | tuple[str, ...]) -> str | None:
    from .errors import did_you_mean

    if value in known:
        return None
    return f"'{value}' is not {what} (known: {_known(known)}){did_you_mean(value, known)}"


def problem(key: str, value: Any) -> str | None:
    """What is wrong with one print value (None when it is fine)."""
    if value is None:
        return None
    if key == "card":
        return card_problem(str(value))
    if key == "paper":
        return _choice(str(value), "a paper size", presets.paper_names())
    if key == "shop":
        return _choice(str(value), "a print shop", presets.shop_names())
    if key == "layout":
        return _choice(str(value), "a layout", LAYOUTS)
    if key == "duplex":
        return _choice(str(value), "a duplex mode", DUPLEX_MODES)
    if key == "cmyk":
        return None
    if key == "back_offset":
        if len(value) != 2:
            return "write the back offset as DX,DY in mm, each between -20 and 20"
        return next((p for v in value if (p := number_problem(key, v))), None)
    return number_problem(key, value)


@dataclass(frozen=True)
class PrintValues:
    """Print values as given by one source (the flags, or deck.yaml's `print:`); None means
    not given. `where` says, per key, where deck.yaml gives it ('deck.yaml:12:9: print.card')."""

    card: str | None = None
    paper: str | None = None
    bleed: float | None = None  # mm
    gap: float | None = None  # mm
    layout: str | None = None
    duplex: str | None = None
    shop: str | None = None
    cmyk: bool | None = None
    dpi: int | None = None
    back_offset: tuple[float, float] | None = None  # mm
    where: tuple[tuple[str, str], ...] = ()

    def problems(self) -> list[tuple[str, str]]:
        """(key, problem) for every value that is out of bounds or unknown."""
        found = []
        for f in fields(self):
            if f.name != "where" and (p := problem(f.name, getattr(self, f.name))):
                found.append((f.name, p))
        return found

    def source(self, key: str) -> str | None:
        return dict(self.where).get(key)


@dataclass(frozen=True)
class Print:
    """The effective print settings of one build."""

    card: str
    paper: str
    bleed: float  # mm
    gap: float  # mm
    layout: str
    duplex: str
    shop: presets.Shop
    cmyk: bool
    dpi: int
    back_offset: tuple[float, float]  # mm
    card_source: str = "--card"  # where the card size was chosen, for messages
    card_mm: tuple[float, float] | None = None  # the exact size, when a print shop fixes it
    pdfx: bool = False

    @property
    def size(self) -> CardSize:
        from .geometry import CardSize

        w, h = self.card_mm or presets.card_size_mm(self.card)
        safe = self.shop.safe_mm if self.layout in SHOP_LAYOUTS else 3.0
        return CardSize.from_mm(w, h, self.bleed, safe)


def resolve(
    flags: PrintValues, deck: PrintValues, force: bool = False, pdfx: bool | None = None
) -> Print:
    """The effective print settings: flag > deck print: > shop profile > default.

    The flags must have been checked (`check_flags`); deck.yaml's values are checked by load.
    For the shop layouts the card size is the shop's own (`presets.shop_card_mm`; `force`
    allows one it does not list); `pdfx` (None: as the shop profile says) asks for PDF/X.
    """
    from .errors import BadFilter

    def pick(key: str) -> Any:
        given = getattr(flags, key)
        if given is not None:
            return given
        from_deck = getattr(deck, key)
        return from_deck if from_deck is not None else DEFAULTS[key]

    shop = presets.shop(str(pick("shop")))
    chosen = str(pick("layout"))
    for_shop = chosen in SHOP_LAYOUTS
    bleed = float(pick("bleed"))
    if for_shop and flags.bleed is None and (deck.bleed is None or flags.shop):
        bleed = shop.bleed_mm  # a print shop's files use its own bleed
    cmyk = bool(pick("cmyk"))
    if chosen == "printshop" and flags.cmyk is None and deck.cmyk is None:
        cmyk = shop.cmyk
    dpi = int(pick("dpi"))
    if chosen == "png" and flags.dpi is None and deck.dpi is None and shop.dpi:
        dpi = shop.dpi
    dx, dy = pick("back_offset")
    card_source = "--card"
    if flags.card is None:
        card_source = deck.source("card") or "the default card size"
    card, card_mm = str(pick("card")), None
    if for_shop:
        card, card_mm = presets.shop_card_mm(shop, flags.card or deck.card, force)
    with_pdfx = chosen == "printshop" and (
        pdfx if pdfx is not None else bool(shop.pdfx and shop.pdfx.default)
    )
    if with_pdfx and flags.cmyk is False:  # --rgb
        if pdfx:
            raise BadFilter("--pdfx: PDF/X-1a is CMYK only; leave out --rgb.")
        with_pdfx = False  # the shop's default gives way to an explicit --rgb
    if pdfx and chosen != "printshop":
        raise BadFilter("--pdfx: PDF/X is written for --layout printshop only.")
    if with_pdfx:
        cmyk = True  # PDF/X-1a: CMYK only
    return Print(
        card,
        str(pick("paper")),
        bleed,
        float(pick("gap")),
        chosen,
        str(pick("duplex")),
        shop,
        cmyk,
        dpi,
        (float(dx), float(dy)),
        card_source,
        card_mm,
        with_pdfx,
    )


def check_flags(flags: PrintValues) -> None:
    """Refuse a flag value out of bounds (usage error, exit 2), naming the flag."""
    from .errors import BadValue

    for key, text in flags.problems():
        raise BadValue(f"--{key.replace('_', '-')}: {text}")


def check_number(flag: str, key: str, value: float) -> None:
    """Refuse one numeric flag (--timeout, --workers, preview's --dpi) out of its bounds."""
    from .errors import BadValue

    if text := number_problem(key, value):
        raise BadValue(f"{flag}: {text}")
