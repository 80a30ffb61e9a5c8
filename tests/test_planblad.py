"""The planblad: built with the deck, A3 with the wheel's fields, and an A4 pair that tiles."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest

import pdfread
from conftest import DEFAULT_DECK, run_cli
from kaartspel.load import load_deck

PX_PER_MM = 4  # render scale of the tiling test: 0.5 mm = 2 px
A3_MM = (420, 297)
A4_MM = (210, 297)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for name, extra in (("full", []), ("meedoen", ["--segment", "meedoen"])):
        folder = tmp_path_factory.mktemp(name)
        result = run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(folder), *extra)
        assert result.returncode == 0, result.stderr
        out[name] = folder
    return out


@pytest.fixture(scope="module")
def deck():
    return load_deck(DEFAULT_DECK)


def _size_mm(page: pypdf.PageObject) -> tuple[int, int]:
    box = page.mediabox
    return round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)


def _text(pdf: Path) -> str:
    return _words(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages))


def test_build_writes_the_planblad_next_to_the_booklet(builds) -> None:
    names = sorted(p.name for p in builds["full"].iterdir())
    assert "planblad.pdf" in names and "planblad-a4.pdf" in names
    meedoen = sorted(p.name for p in builds["meedoen"].iterdir())
    assert "planblad-meedoen.pdf" in meedoen and "planblad-meedoen-a4.pdf" in meedoen


def test_planblad_is_one_a3_page_and_its_variant_two_a4_pages(builds) -> None:
    a3 = pypdf.PdfReader(builds["full"] / "planblad.pdf")
    assert [_size_mm(p) for p in a3.pages] == [A3_MM]
    a4 = pypdf.PdfReader(builds["full"] / "planblad-a4.pdf")
    assert [_size_mm(p) for p in a4.pages] == [A4_MM, A4_MM]


@pytest.mark.parametrize("name", ["planblad.pdf", "planblad-a4.pdf"])
def test_every_font_on_the_planblad_is_embedded(builds, name: str) -> None:
    fonts = pdfread.fonts(builds["full"] / name)
    assert fonts
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        assert "/FontFile2" in target["/FontDescriptor"].get_object(), font["/BaseFont"]


def test_planblad_shows_every_segment_sub_form_phase_and_concern(builds, deck) -> None:
    text = _text(builds["full"] / "planblad.pdf")
    for segment in deck.segments:
        assert segment.name in text
        for subform in segment.subforms:
            assert _words(subform.name) in text, subform.id
    for phase in deck.phases:
        assert phase.name in text
    for card in deck.cards:
        if card.answer:  # a reflection line per concern card
            assert card.title in text
    assert "Planblad" in text and "Later bekijken" in text and "Niet voor ons" in text


def test_subset_planblad_has_only_its_segments_fields(builds, deck) -> None:
    text = _text(builds["meedoen"] / "planblad-meedoen.pdf")
    for segment in deck.segments:
        for subform in segment.subforms:
            present = _words(subform.name) in text
            assert present == (segment.id == "meedoen"), subform.id
    assert "minstens twee subvormen" in text  # one segment: the rules ask for two sub-forms
    assert "minstens twee segmenten" in _text(builds["full"] / "planblad.pdf")


def _render(pdf: Path, index: int) -> np.ndarray:
    doc = pdfium.PdfDocument(str(pdf))
    image = doc[index].render(scale=PX_PER_MM * 25.4 / 72, grayscale=True).to_pil()
    doc.close()
    return np.asarray(image.convert("L"), dtype=np.int16)


def _best_shift(
    tile: np.ndarray, a3: np.ndarray, x0: int, cols: tuple[int, int]
) -> tuple[int, int, float]:
    """The (dx, dy) in px that best lays the tile's window on the A3, and the mean difference."""
    top, bottom = 20 * PX_PER_MM, (297 - 20) * PX_PER_MM  # leave out the margins' marks
    window = tile[top:bottom, cols[0] : cols[1]]
    best = None
    for dy in range(-6, 7):
        for dx in range(-6, 7):
            ref = a3[top + dy : bottom + dy, x0 + cols[0] + dx : x0 + cols[1] + dx]
            diff = float(np.abs(window - ref).mean())
            if best is None or diff < best[2]:
                best = (dx, dy, diff)
    assert best is not None
    return best


def test_the_a4_pair_tiles_to_the_a3_within_half_a_millimetre(builds) -> None:
    a3 = _render(builds["full"] / "planblad.pdf", 0)
    tiles = builds["full"] / "planblad-a4.pdf"
    # page 1 shows A3 x from 10 mm, page 2 from 200 mm; compare away from the overlap marks
    for index, left_mm, cols_mm in ((0, 10, (2, 186)), (1, 200, (24, 208))):
        tile = _render(tiles, index)
        assert (
            abs(tile.shape[0] - 297 * PX_PER_MM) <= 1 and abs(tile.shape[1] - 210 * PX_PER_MM) <= 1
        )
        cols = (cols_mm[0] * PX_PER_MM, cols_mm[1] * PX_PER_MM)
        dx, dy, diff = _best_shift(tile, a3, left_mm * PX_PER_MM, cols)
        assert abs(dx) <= 2 and abs(dy) <= 2, (index, dx, dy)
        assert diff < 1.0, (index, diff)
        assert float(np.abs(tile - 255).mean()) > 3, "the window is not blank"
    # both pages print the overlap band, with the same registration crosses in it
    first, second = _render(tiles, 0), _render(tiles, 1)
    band_1 = first[:, 197 * PX_PER_MM : 203 * PX_PER_MM]  # A3 x 207..213 on page 1
    band_2 = second[:, 7 * PX_PER_MM : 13 * PX_PER_MM]  # the same A3 x on page 2
    rows = slice(40 * PX_PER_MM, 250 * PX_PER_MM)
    assert float(np.abs(band_1[rows] - band_2[rows]).mean()) < 1.0
    assert float(np.abs(band_1[rows] - 255).mean()) > 0.5, "no registration marks in the band"


def _in_sector(x: float, y: float, field, pad: float) -> bool:  # type: ignore[no-untyped-def]
    r = math.hypot(x - field.cx, y - field.cy)
    a = math.degrees(math.atan2(y - field.cy, x - field.cx))
    a = field.start + (a - field.start) % 360
    return (
        field.inner + pad <= r <= field.outer - pad
        and r * math.sin(math.radians(a - field.start)) >= pad
        and r * math.sin(math.radians(field.end - a)) >= pad
    )


@pytest.mark.parametrize("long_name", [False, True])
def test_every_sub_form_label_lies_inside_its_field(tmp_path: Path, long_name: bool) -> None:
    """Every glyph of the wheel's fields, as pypdfium2 reads it from the A3 page, lies inside
    the field its centre is in, 1 mm clear of its edges (the corners of each glyph box checked
    in polar coordinates); also for a sub-form whose name is one long word."""
    from kaartspel import planblad

    deck = load_deck(DEFAULT_DECK)
    if long_name:
        seg = deck.segments[0]
        sub = replace(seg.subforms[0], name="Buurtpreventienetwerkcoördinatieplatform")
        seg = replace(seg, subforms=(sub, *seg.subforms[1:]))
        deck = replace(deck, segments=(seg, *deck.segments[1:]))
    sheet = planblad.plan(deck, list(deck.cards))
    pdf = tmp_path / "planblad.pdf"
    pdf.write_bytes(planblad.render_a3(sheet))
    text = pdfium.PdfDocument(str(pdf))[0].get_textpage()
    seen = {f.subform: 0 for f in sheet.fields}
    for i in range(text.count_chars()):
        ch = text.get_text_range(i, 1)
        if not ch.strip():
            continue
        x0, y0, x1, y1 = text.get_charbox(i)
        centre = ((x0 + x1) / 2, (y0 + y1) / 2)
        field = next((f for f in sheet.fields if _in_sector(*centre, f, 0)), None)
        if field is None:
            continue
        seen[field.subform] += 1
        corners = ((x0, y0), (x1, y0), (x0, y1), (x1, y1))
        assert all(_in_sector(x, y, field, 1 * 72 / 25.4) for x, y in corners), (field, ch)
    assert all(seen.values()), seen  # every field's label was measured
