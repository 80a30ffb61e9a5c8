"""Colours: parsing, mixing and WCAG contrast, so text on a colour band stays readable.

Pure functions on (r, g, b) tuples in 0..1. No drawing here.
"""

from __future__ import annotations

import re

RGB = tuple[float, float, float]

INK = (0.10, 0.10, 0.11)  # near-black for text on light colours and on white card bodies
WHITE = (1.0, 1.0, 1.0)
MIN_CONTRAST = 4.5  # WCAG 2.x AA for normal text


CMYK_SPEC = re.compile(
    r"^cmyk\(\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*,"
    r"\s*(\d+(?:\.\d+)?)\s*\)$",
    re.IGNORECASE,
)
HEX_SPEC = re.compile(r"^#[0-9A-Fa-f]{6}$")


def is_colour(spec: str) -> bool:
    """'#RRGGBB', or 'cmyk(C, M, Y, K)' in percent (for print shops that want CMYK)."""
    found = CMYK_SPEC.match(spec)
    if found:
        return all(float(v) <= 100 for v in found.groups())
    return bool(HEX_SPEC.match(spec))


def cmyk_of(spec: str) -> tuple[float, float, float, float] | None:
    """The CMYK values (0..1) a colour was given in, or None for an RGB colour."""
    found = CMYK_SPEC.match(spec)
    if not found:
        return None
    c, m, y, k = (float(v) / 100 for v in found.groups())
    return (c, m, y, k)


def parse(spec: str) -> RGB:
    """A colour spec as RGB for the screen (CMYK converted without a colour profile)."""
    cmyk = cmyk_of(spec)
    if cmyk is not None:
        c, m, y, k = cmyk
        return (
            round((1 - c) * (1 - k), 4),
            round((1 - m) * (1 - k), 4),
            round((1 - y) * (1 - k), 4),
        )
    h = spec.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def hex_of(rgb: RGB) -> str:
    """'#RRGGBB' of an RGB colour (for CSS and reportlab markup, which know no CMYK)."""
    return "#" + "".join(f"{round(c * 255):02X}" for c in rgb)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: RGB) -> RGB:
    """White or ink, whichever reads better on `background`."""
    return WHITE if contrast(WHITE, background) >= contrast(INK, background) else INK


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """t = 0 gives a, t = 1 gives b."""
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def readable_on_white(colour: RGB) -> RGB:
    """The colour, darkened just enough to reach AA contrast as text on white paper."""
    t = 0.0
    result = colour
    while contrast(result, WHITE) < MIN_CONTRAST and t < 1.0:
        t += 0.05
        result = mix(colour, INK, t)
    return result


def tint(colour: RGB, strength: float) -> RGB:
    """A light tint: `strength` of the colour on white paper."""
    return mix(WHITE, colour, strength)
