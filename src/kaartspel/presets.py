"""Print presets shipped as data (`data/presets.yaml`): card sizes, papers, print shops.

Resolves what the user names (`poker`, `70x120`, `a4`, `drivethrucards`) into sizes in
points; unknown names are clear errors listing the known ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import BadFilter, did_you_mean
from .units import mm

# any number a user may write for W or H (signs, exponents, nan, inf), so that a size out of
# bounds is refused for what it is (`settings.card_problem`), not as an unknown name
_NUMBER = r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|nan|inf(?:inity)?)"
_SIZE = re.compile(rf"^\s*({_NUMBER})\s*[xX×]\s*({_NUMBER})\s*$", re.IGNORECASE)


def parse_size(text: str) -> tuple[float, float] | None:
    """'70x120' -> (70.0, 120.0) in mm, unbounded ('-5x10', 'nanx1' parse too); None when
    `text` is not written as WxH."""
    found = _SIZE.match(text)
    return (float(found.group(1)), float(found.group(2))) if found else None


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    # plain YAML: libyaml's loader reads it in 2 ms, PyYAML's own in 17 (measured). The file
    # is beside this module: importlib.resources (zipfile, tempfile, shutil, bz2, lzma) would
    # be imported with the command line, before even `--help` can answer
    text = (Path(__file__).parent / "data" / "presets.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return data


@dataclass(frozen=True)
class ShopCard:
    """One card size a print shop prints: trim in mm; the page (trim + bleed, mm) or image
    (pixels at the shop's dpi) the shop asks for, as published."""

    name: str
    width: float
    height: float
    page_mm: tuple[float, float] | None = None
    px: tuple[int, int] | None = None


@dataclass(frozen=True)
class PdfX:
    version: str  # "X-1a" (PDF/X-1a:2001) or "X-4"
    condition: str  # a registered output condition identifier (color.org), e.g. FOGRA39
    default: bool  # the shop asks for PDF/X: --layout printshop writes it unless --no-pdfx


@dataclass(frozen=True)
class Shop:
    name: str
    bleed_mm: float
    safe_mm: float
    order: tuple[str, ...]
    cmyk: bool
    dpi: int | None
    cards: tuple[ShopCard, ...] = ()  # empty: any size
    default_card: str | None = None
    pdfx: PdfX | None = None
    ink_limit: float = 300.0  # total area coverage in percent
    source: str = ""

    def card(self, name: str) -> ShopCard | None:
        return next((c for c in self.cards if c.name == name), None)


def card_names() -> list[str]:
    return list(_data()["cards"])


def paper_names() -> list[str]:
    return list(_data()["papers"])


def shop_names() -> list[str]:
    return list(_data()["shops"])


def _unknown(option: str, value: str, known: list[str], extra: str = "") -> BadFilter:
    return BadFilter(
        f"--{option}: '{value}' is not known (known: {', '.join(known)}{extra})"
        f"{did_you_mean(value, known)}"
    )


def card_size_mm(name: str) -> tuple[float, float]:
    """A preset name or a custom 'WxH' in millimetres."""
    cards = _data()["cards"]
    if name in cards:
        return float(cards[name]["width"]), float(cards[name]["height"])
    from .settings import card_problem  # the one home of the card size's bounds

    if text := card_problem(name):
        raise BadFilter(f"--card: {text}")
    size = parse_size(name)
    assert size is not None
    return size


def paper_mm(name: str) -> tuple[float, float]:
    papers = _data()["papers"]
    if name not in papers:
        raise _unknown("paper", name, list(papers))
    return float(papers[name]["width"]), float(papers[name]["height"])


def shop(name: str) -> Shop:
    shops = _data()["shops"]
    if name not in shops:
        raise _unknown("shop", name, list(shops))
    s = shops[name]
    cards = tuple(
        ShopCard(
            key,
            float(c["width"]),
            float(c["height"]),
            tuple(float(v) for v in c["page"]) if "page" in c else None,  # type: ignore[arg-type]
            tuple(int(v) for v in c["px"]) if "px" in c else None,  # type: ignore[arg-type]
        )
        for key, c in (s.get("cards") or {}).items()
    )
    x = s.get("pdfx")
    return Shop(
        name,
        float(s["bleed"]),
        float(s["safe"]),
        tuple(s["order"]),
        bool(s["cmyk"]),
        s.get("dpi"),
        cards,
        s.get("default_card"),
        PdfX(str(x["version"]), str(x["condition"]), bool(x["default"])) if x else None,
        float(s.get("ink_limit", 300)),
        str(s.get("source", "")),
    )


def shop_card_mm(
    profile: Shop, card: str | None, force: bool = False
) -> tuple[str, tuple[float, float]]:
    """The card size of a print shop's files: (name, (width, height) in mm).

    No card named: the shop's default size. A name the shop uses (its `poker` may differ from
    the European preset): the shop's own size. Any other size the shop prints (same size
    within 0.1 mm): that one. A size the shop does not print is an error listing what it
    offers, unless `force`. A shop without a size list (generic) takes any size."""
    if not profile.cards:
        name = card or "poker"
        return name, card_size_mm(name)
    if card is None:
        chosen = profile.card(profile.default_card or profile.cards[0].name) or profile.cards[0]
        return chosen.name, (chosen.width, chosen.height)
    own = profile.card(card)
    if own is not None:
        return own.name, (own.width, own.height)
    wanted = card_size_mm(card)
    for offered in profile.cards:
        if abs(offered.width - wanted[0]) <= 0.1 and abs(offered.height - wanted[1]) <= 0.1:
            return offered.name, (offered.width, offered.height)
    if force:
        return card, wanted
    listed = ", ".join(f"{c.name} ({c.width:g} x {c.height:g} mm)" for c in profile.cards)
    raise BadFilter(
        f"--card: {profile.name} does not print {card} cards ({wanted[0]:g} x {wanted[1]:g} mm); "
        f"it offers: {listed}. Choose one of these, or add --force to make the files anyway."
    )


def points(size_mm: tuple[float, float]) -> tuple[float, float]:
    return mm(size_mm[0]), mm(size_mm[1])
