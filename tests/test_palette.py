"""The palette: readable text on every colour band, and colours that colour-blind players
can still tell apart (simulated protanopia, deuteranopia, tritanopia; Machado et al. 2009)."""

from __future__ import annotations

import itertools

import pytest

from conftest import DEFAULT_DECK
from kaartspel import palette
from kaartspel.load import load_deck

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB
CVD = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
MIN_DELTA_E = 25.0  # CIE76: clearly different at a glance


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb_linear: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = (min(max(v, 0.0), 1.0) for v in rgb_linear)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def _simulate(rgb: palette.RGB, matrix) -> tuple[float, float, float]:
    lin = [_linear(c) for c in rgb]
    return tuple(sum(m * v for m, v in zip(row, lin, strict=True)) for row in matrix)


def _delta_e(a, b) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


@pytest.fixture(scope="module")
def colours() -> dict[str, palette.RGB]:
    deck = load_deck(DEFAULT_DECK)
    found = {s.id: palette.parse(s.colour) for s in deck.segments}
    found.update({t.id: palette.parse(t.colour) for t in deck.card_types if t.colour})
    return found


def test_band_text_reaches_wcag_aa_on_every_colour(colours) -> None:
    for name, colour in colours.items():
        ratio = palette.contrast(palette.text_on(colour), colour)
        assert ratio >= 4.5, f"{name}: {ratio:.2f}:1"


def test_coloured_labels_on_white_reach_wcag_aa(colours) -> None:
    for name, colour in colours.items():
        ink = palette.readable_on_white(colour)
        assert palette.contrast(ink, palette.WHITE) >= 4.5, name


@pytest.mark.parametrize("kind", [None, *CVD])
def test_colours_stay_distinguishable_for_colour_blind_players(colours, kind) -> None:
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        if kind is None:
            la, lb = _lab(tuple(_linear(c) for c in ca)), _lab(tuple(_linear(c) for c in cb))
        else:
            la, lb = _lab(_simulate(ca, CVD[kind])), _lab(_simulate(cb, CVD[kind]))
        assert _delta_e(la, lb) >= MIN_DELTA_E, f"{a} vs {b} under {kind}: {_delta_e(la, lb):.1f}"


def test_contrast_function_matches_wcag_reference_values() -> None:
    assert palette.contrast((0, 0, 0), (1, 1, 1)) == pytest.approx(21.0)
    assert palette.contrast((1, 1, 1), (1, 1, 1)) == pytest.approx(1.0)
    # #767676 on white is the classic 4.54:1 threshold grey
    assert palette.contrast(palette.parse("#767676"), palette.WHITE) == pytest.approx(
        4.54, abs=0.01
    )
