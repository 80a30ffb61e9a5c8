"""Print-shop files have the shop's exact sizes: the figures published by each shop (kept in
presets.yaml with their source) are what the PNGs and PDF page boxes measure."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from conftest import ROOT, run_cli
from kaartspel import presets
from kaartspel.units import mm

MINIMAL = ROOT / "examples" / "minimal"
SHOPS = presets.shop_names()
WITH_SIZES = [s for s in SHOPS if presets.shop(s).cards]


def _build(out: Path, *args: str):
    return run_cli("build", "--deck", str(MINIMAL), "--out", str(out), "--no-booklet", *args)


def test_every_shop_profile_names_its_source_and_its_figures_agree() -> None:
    for name in SHOPS:
        shop = presets.shop(name)
        assert shop.source, name
        for card in shop.cards:
            full = (card.width + 2 * shop.bleed_mm, card.height + 2 * shop.bleed_mm)
            if card.page_mm:
                assert card.page_mm == pytest.approx(full, abs=0.005), (name, card.name)
            if card.px:
                assert shop.dpi
                px = tuple(round(v / 25.4 * shop.dpi) for v in full)
                assert card.px == px, (name, card.name)
        if shop.cards:
            assert shop.card(shop.default_card or "") is not None, name


def test_the_published_figures() -> None:
    """The numbers the shops publish, written out once more, so the data cannot drift."""
    tgc, mpc = presets.shop("thegamecrafter"), presets.shop("makeplayingcards")
    dtc = presets.shop("drivethrucards")
    assert tgc.card("poker").px == (825, 1125)  # type: ignore[union-attr]
    assert mpc.card("poker").px == (822, 1122)  # type: ignore[union-attr]
    assert dtc.card("poker").page_mm == (69.85, 95.25)  # type: ignore[union-attr]
    assert (tgc.bleed_mm, mpc.bleed_mm, dtc.bleed_mm) == (3.175, 3.048, 3.175)


@pytest.mark.parametrize("name", [s for s in SHOPS if presets.shop(s).dpi])
def test_png_shops_get_their_pixel_size_for_every_size_they_offer(
    tmp_path: Path, name: str
) -> None:
    shop = presets.shop(name)
    for card in [None, *(c.name for c in shop.cards)]:
        out = tmp_path / (card or "default")
        result = _build(out, "--layout", "png", "--shop", name, *(["--card", card] if card else []))
        assert result.returncode == 0, result.stderr
        wanted = shop.card(card or shop.default_card or "")
        assert wanted is not None and wanted.px
        for png in (out / "kaarten-png").glob("*.png"):
            with Image.open(png) as image:
                assert image.size == wanted.px, (name, card, png.name)


@pytest.mark.parametrize("name", SHOPS)
def test_printshop_pages_have_the_shops_default_size(tmp_path: Path, name: str) -> None:
    shop = presets.shop(name)
    result = _build(tmp_path, "--layout", "printshop", "--shop", name, "--no-pdfx")
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(tmp_path / f"kaarten-{name}.pdf")
    default = shop.card(shop.default_card or "")
    trim_mm = (default.width, default.height) if default else presets.card_size_mm("poker")
    page_mm = tuple(v + 2 * shop.bleed_mm for v in trim_mm)
    if default and default.page_mm:
        assert page_mm == pytest.approx(default.page_mm, abs=0.005)
    for page in reader.pages:
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        assert media == pytest.approx([0, 0, mm(page_mm[0]), mm(page_mm[1])], abs=0.002)
        assert bleed == pytest.approx(media, abs=0.002)
        assert trim == pytest.approx(
            [
                mm(shop.bleed_mm),
                mm(shop.bleed_mm),
                mm(shop.bleed_mm + trim_mm[0]),
                mm(shop.bleed_mm + trim_mm[1]),
            ],
            abs=0.002,
        )
    if name == "drivethrucards":  # 2.75 x 3.75 in exactly
        assert [float(v) for v in reader.pages[0].mediabox] == pytest.approx([0, 0, 198, 270])


def test_a_size_the_shop_does_not_print_is_an_error_listing_what_it_does(tmp_path: Path) -> None:
    result = _build(
        tmp_path, "--layout", "printshop", "--shop", "makeplayingcards", "--card", "square"
    )
    assert result.returncode == 2
    assert result.stderr == (
        "--card: makeplayingcards does not print square cards (70 x 70 mm); it offers: "
        "poker (63.5 x 88.9 mm), bridge (57.15 x 88.9 mm), tarot (69.85 x 120.65 mm). "
        "Choose one of these, or add --force to make the files anyway.\n"
    )
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def test_force_makes_files_in_a_size_the_shop_does_not_list(tmp_path: Path) -> None:
    result = _build(
        tmp_path, "--layout", "png", "--shop", "thegamecrafter", "--card", "70x70", "--force"
    )
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "kaarten-png" / "I01-front.png") as image:
        assert image.size == (round((70 + 6.35) / 25.4 * 300),) * 2


def test_a_preset_of_the_same_size_is_the_shops_size(tmp_path: Path) -> None:
    """`poker-us` is 2.5 x 3.5 in: MakePlayingCards' poker."""
    result = _build(
        tmp_path,
        "--layout",
        "png",
        "--shop",
        "makeplayingcards",
        "--card",
        "poker-us",
        "--id",
        "I01",
    )
    assert result.returncode == 0, result.stderr
    with Image.open(tmp_path / "kaarten-i01-png" / "I01-back.png") as image:
        assert image.size == (822, 1122)


def test_home_print_keeps_the_european_poker_size(tmp_path: Path) -> None:
    """--shop only shapes print-shop files; home-print sheets keep 63 x 88 mm."""
    result = _build(tmp_path, "--shop", "thegamecrafter", "--no-instructions")
    assert result.returncode == 0, result.stderr
    page = json.loads((tmp_path / "kaarten.layout.json").read_text())["pages"][0]
    trim = page["slots"][0]["trim"]
    assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((mm(63), mm(88)), abs=0.01)
