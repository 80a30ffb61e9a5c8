"""Print presets shipped as data (`data/presets.yaml`): card sizes, papers, print shops.

Resolves what the user names (`poker`, `70x120`, `a4`, `drivethrucards`) into sizes in
points; unknown names are clear errors listing the known ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .errors import BadFilter, did_you_mean
from .units import mm

CUSTOM_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)$")


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = resources.files("kaartspel").joinpath("data/presets.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@dataclass(frozen=True)
class Shop:
    name: str
    bleed_mm: float
    safe_mm: float
    order: tuple[str, ...]
    cmyk: bool
    dpi: int | None


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
    found = CUSTOM_SIZE.match(name.strip())
    if found:
        w, h = float(found.group(1)), float(found.group(2))
        if not (20 <= w <= 300 and 20 <= h <= 400):
            raise BadFilter(
                f"--card: {name} mm is not a sensible card size (20-300 mm wide, 20-400 mm high)"
            )
        return w, h
    raise _unknown("card", name, list(cards), ", or WxH in mm such as 70x120")


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
    return Shop(
        name, float(s["bleed"]), float(s["safe"]), tuple(s["order"]), bool(s["cmyk"]), s.get("dpi")
    )


def points(size_mm: tuple[float, float]) -> tuple[float, float]:
    return mm(size_mm[0]), mm(size_mm[1])
