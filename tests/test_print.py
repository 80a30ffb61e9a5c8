"""Print production: every preset x paper x layout imposes correctly (properties), print-shop
files carry the right boxes, the back offset moves backs only, PNGs have the shop's size."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import pdfread
from conftest import DEFAULT_DECK, run_cli
from kaartspel import impose, presets
from kaartspel.layout import CardSize
from kaartspel.load import load_deck
from kaartspel.units import mm

CARDS = presets.card_names()
PAPERS = presets.paper_names()
EPS = 1e-6


def _area(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0) * max(h, 0)


def _inside(rect, page_w, page_h, margin) -> bool:
    return (
        rect[0] >= margin - EPS
        and rect[1] >= margin - EPS
        and rect[2] <= page_w - margin + EPS
        and rect[3] <= page_h - margin + EPS
    )


def _mark_enters(mark, box) -> bool:
    x0, y0, x1, y1 = mark
    return (
        min(x0, x1) < box[2] - EPS
        and max(x0, x1) > box[0] + EPS
        and min(y0, y1) < box[3] - EPS
        and max(y0, y1) > box[1] + EPS
    ) or any(
        box[0] + EPS < x < box[2] - EPS and box[1] + EPS < y < box[3] - EPS
        for x, y in ((x0, y0), (x1, y1))
    )


def _check_page(sheet: impose.Sheet) -> None:
    for a, b in [(a, b) for i, a in enumerate(sheet.slots) for b in sheet.slots[i + 1 :]]:
        assert _area(a.bleed, b.bleed) < EPS, "bleed boxes overlap"
    for slot in sheet.slots:
        assert _inside(slot.bleed, sheet.width, sheet.height, mm(5)), "slot outside the margins"
        trim, bleed = slot.trim, slot.bleed
        assert bleed[0] <= trim[0] + EPS and bleed[1] <= trim[1] + EPS
        assert bleed[2] >= trim[2] - EPS
        for mark in sheet.marks + sheet.fold:
            assert not _mark_enters(mark, slot.bleed), "a crop mark enters a bleed box"


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    card=st.sampled_from(CARDS),
    paper=st.sampled_from(PAPERS),
    duplex=st.sampled_from(["long", "short"]),
    count=st.integers(1, 40),
    gap=st.sampled_from([0.0, 2.0, 5.0, 12.0]),
    bleed=st.sampled_from([0.0, 3.0, 3.175]),
)
def test_duplex_imposition_properties(card, paper, duplex, count, gap, bleed) -> None:
    size = CardSize.from_mm(*presets.card_size_mm(card), bleed=bleed)
    grid = impose.make_grid(impose.Paper.named(paper), size, gap=mm(gap))
    cards = [(f"C{k}", "back") for k in range(count)]
    sheets = impose.impose(grid, cards, duplex)
    assert len(sheets) == 2 * math.ceil(count / grid.per_sheet)
    W, H = sheets[0].width, sheets[0].height
    for front, back in zip(sheets[::2], sheets[1::2], strict=True):
        _check_page(front)
        _check_page(back)
        assert [s.card for s in front.slots] == [s.card for s in back.slots]
        for f, b in zip(front.slots, back.slots, strict=True):
            x0, y0, x1, y1 = f.trim
            flipped = (W - x1, y0, W - x0, y1) if duplex == "long" else (x0, H - y1, x1, H - y0)
            assert b.trim == pytest.approx(flipped)
    # the paper is turned whichever way holds more cards
    other = impose.make_grid(impose.Paper.named(paper).landscape, size, gap=mm(gap))
    assert grid.per_sheet >= other.per_sheet


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    card=st.sampled_from(CARDS),
    paper=st.sampled_from(PAPERS),
    count=st.integers(1, 30),
    gap=st.sampled_from([0.0, 3.0, 12.0]),
)
def test_gutterfold_imposition_properties(card, paper, count, gap) -> None:
    size = CardSize.from_mm(*presets.card_size_mm(card))
    try:
        fold = impose.make_fold(impose.Paper.named(paper), size, gap=mm(gap))
    except ValueError:
        assume_too_big = size.width + 2 * size.bleed > mm(presets.paper_mm(paper)[1]) / 2
        assert assume_too_big or size.height + 2 * size.bleed > mm(presets.paper_mm(paper)[1]) / 2
        return
    sheets = impose.impose_gutterfold(fold, [(f"C{k}", "back") for k in range(count)])
    assert len(sheets) == math.ceil(count / fold.per_sheet)
    for sheet in sheets:
        _check_page(sheet)
        fronts = [s for s in sheet.slots if s.side == "front"]
        backs = [s for s in sheet.slots if s.side == "back"]
        assert [s.card for s in fronts] == [s.card for s in backs]
        for f, b in zip(fronts, backs, strict=True):
            assert fold.reflect(b.trim) == pytest.approx(f.trim)  # behind its front once folded
            assert b.rotate == (180 if fold.horizontal else 0)
        for mark in sheet.marks:  # no mark crosses the fold line
            lo, hi = (mark[1], mark[3]) if fold.horizontal else (mark[0], mark[2])
            assert not (min(lo, hi) < fold.at < max(lo, hi))


@pytest.mark.parametrize("shop", ["generic", "drivethrucards", "mbprint"])
def test_print_shop_files_have_the_profiles_boxes_and_order(tmp_path: Path, shop: str) -> None:
    result = run_cli(
        "build",
        "--deck",
        str(DEFAULT_DECK),
        "--out",
        str(tmp_path),
        "--layout",
        "printshop",
        "--shop",
        shop,
        "--type",
        "bezorgdheid",
        "--no-booklet",
    )
    assert result.returncode == 0, result.stderr
    profile = presets.shop(shop)
    _, (width, height) = presets.shop_card_mm(profile, None)  # the shop's default size
    pdf = tmp_path / f"kaarten-bezorgdheid-{shop}.pdf"
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 6
    for page in reader.pages:
        trim = [float(v) / mm(1) for v in page.trimbox]
        bleed = [float(v) / mm(1) for v in page.bleedbox]
        media = [float(v) / mm(1) for v in page.mediabox]
        assert trim[2] - trim[0] == pytest.approx(width, abs=0.01)
        assert trim[3] - trim[1] == pytest.approx(height, abs=0.01)
        assert bleed[2] - bleed[0] == pytest.approx(width + 2 * profile.bleed_mm, abs=0.01)
        assert bleed[3] - bleed[1] == pytest.approx(height + 2 * profile.bleed_mm, abs=0.01)
        assert trim[0] - bleed[0] == pytest.approx(profile.bleed_mm, abs=0.01)
        assert media == pytest.approx(bleed, abs=0.01)
    layout = json.loads(pdf.with_suffix(".layout.json").read_text())
    sides = [p["side"] for p in layout["pages"]]
    assert sides == list(profile.order) * 3
    assert [p["slots"][0]["card"] for p in layout["pages"]][::2] == ["Z01", "Z02", "Z03"]
    assert all("+" in str(f["/BaseFont"]) for f in pdfread.fonts(reader))


def _streams(reader: pypdf.PdfReader) -> str:
    seen, out = set(), []

    def walk(obj) -> None:
        resources = obj.get("/Resources")
        for xobj in (resources.get_object().get("/XObject") or {}).values() if resources else []:
            if xobj.idnum not in seen:
                seen.add(xobj.idnum)
                target = xobj.get_object()
                out.append(target.get_data().decode("latin-1"))
                walk(target)

    for page in reader.pages:
        contents = page.get_contents()
        assert contents is not None
        out.append(contents.get_data().decode("latin-1"))
        walk(page)
    return "\n".join(out)


def test_cmyk_output_has_no_rgb_operator(tmp_path: Path) -> None:
    result = run_cli(
        "build",
        "--deck",
        str(DEFAULT_DECK),
        "--out",
        str(tmp_path),
        "--layout",
        "printshop",
        "--shop",
        "mbprint",
        "--segment",
        "meepraten",
        "--no-booklet",
    )
    assert result.returncode == 0, result.stderr
    text = _streams(pypdf.PdfReader(tmp_path / "kaarten-meepraten-mbprint.pdf"))
    assert re.search(r"\s(rg|RG)\s", text) is None
    assert re.search(r"\sk\s", text)  # CMYK fills are there


def test_cmyk_given_in_the_deck_is_kept_exactly(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    import shutil

    shutil.copytree(DEFAULT_DECK, deck)
    text = (deck / "deck.yaml").read_text(encoding="utf-8")
    (deck / "deck.yaml").write_text(
        text.replace('colour: "#245E8C"', 'colour: "cmyk(85, 45, 0, 25)"'), encoding="utf-8"
    )
    result = run_cli(
        "build",
        "--deck",
        str(deck),
        "--out",
        str(tmp_path / "out"),
        "--layout",
        "printshop",
        "--cmyk",
        "--id",
        "T01",
        "--no-booklet",
    )
    assert result.returncode == 0, result.stderr
    text = _streams(pypdf.PdfReader(tmp_path / "out" / "kaarten-t01-generic.pdf"))
    assert ".85 .45 0 .25 k" in text


def _offset_build(tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / name
    result = run_cli(
        "build",
        "--deck",
        str(DEFAULT_DECK),
        "--out",
        str(out),
        "--segment",
        "meedoen",
        "--no-booklet",
        *extra,
    )
    assert result.returncode == 0, result.stderr
    return out / "kaarten-meedoen.pdf"


def test_back_offset_moves_every_back_slot_exactly(tmp_path: Path) -> None:
    plain = _offset_build(tmp_path, "plain")
    moved = _offset_build(tmp_path, "moved", "--back-offset", "1.5,-0.8")
    before = json.loads(plain.with_suffix(".layout.json").read_text())["pages"]
    after = json.loads(moved.with_suffix(".layout.json").read_text())["pages"]
    dx, dy = mm(1.5), mm(-0.8)
    assert [p.get("kind") for p in before[:2]] == ["instructions", "blank"]
    for p, q in zip(before, after, strict=True):
        assert p.get("kind") == q.get("kind")
        for s, t in zip(p["slots"], q["slots"], strict=True):
            if p["side"] == "front":
                assert s == t
            else:
                assert t["trim"] == pytest.approx(
                    [s["trim"][0] + dx, s["trim"][1] + dy, s["trim"][2] + dx, s["trim"][3] + dy],
                    abs=2e-3,
                )
    # and on the rendered pages: at 254 dpi, 1 mm is 10 px
    scale = 254 / 72
    a, b = pdfium.PdfDocument(str(plain)), pdfium.PdfDocument(str(moved))
    for index in range(len(a)):
        x = np.asarray(a[index].render(scale=scale).to_pil().convert("L"), dtype=int)
        y = np.asarray(b[index].render(scale=scale).to_pil().convert("L"), dtype=int)
        if before[index]["side"] == "front" or "kind" in before[index]:
            assert np.array_equal(x, y)  # fronts, the instruction page and its blank back
        else:
            shifted = np.roll(np.roll(x, 15, axis=1), 8, axis=0)  # +1.5 mm right, 0.8 mm down
            inner = (slice(100, -100), slice(100, -100))
            moved_error = np.abs(shifted[inner] - y[inner]).mean()
            unmoved_error = np.abs(x[inner] - y[inner]).mean()
            assert moved_error < 0.5 and moved_error < unmoved_error / 10
    a.close()
    b.close()


def test_duplex_pdf_preselects_the_flip(tmp_path: Path) -> None:
    for mode, flip in (("long", "/DuplexFlipLongEdge"), ("short", "/DuplexFlipShortEdge")):
        out = tmp_path / mode
        assert (
            run_cli(
                "build",
                "--deck",
                str(DEFAULT_DECK),
                "--out",
                str(out),
                "--duplex",
                mode,
                "--id",
                "T01",
                "--no-booklet",
            ).returncode
            == 0
        )
        root = pdfread.catalogue(out / "kaarten-t01.pdf")
        assert root["/ViewerPreferences"]["/Duplex"] == flip
        assert b"/Simplex" not in (out / "kaarten-t01.pdf").read_bytes()


def test_png_export_has_the_shops_pixel_size_and_scannable_codes(tmp_path: Path) -> None:
    deck = load_deck(DEFAULT_DECK)
    result = run_cli(
        "build",
        "--deck",
        str(DEFAULT_DECK),
        "--out",
        str(tmp_path),
        "--layout",
        "png",
        "--shop",
        "thegamecrafter",
        "--card",
        "poker-us",
        "--segment",
        "meepraten",
        "--no-booklet",
    )
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "kaarten-meepraten-png"
    wanted = [c for c in deck.cards if c.segment and c.segment.id == "meepraten"]
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [f"{c.id}-front.png" for c in wanted] + [f"{c.id}-back.png" for c in wanted]
    )
    for card in wanted:
        image = Image.open(io.BytesIO((folder / f"{card.id}-front.png").read_bytes()))
        assert image.size == (825, 1125)
        if card.main_link:
            decoded = [b.text for b in zxingcpp.read_barcodes(image)]
            assert decoded == [card.main_link.url], card.id
    assert Image.open(folder / f"{wanted[0].id}-back.png").size == (825, 1125)


def test_print_defaults_come_from_the_deck_and_flags_override(tmp_path: Path) -> None:
    import shutil

    deck = tmp_path / "deck"
    shutil.copytree(DEFAULT_DECK, deck)
    with (deck / "deck.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nprint:\n  card: tarot\n  paper: a3\n  back_offset: [0.5, 0.25]\n")
    out = tmp_path / "out"
    assert (
        run_cli(
            "build",
            "--deck",
            str(deck),
            "--out",
            str(out),
            "--id",
            "T01",
            "--no-booklet",
            "--no-instructions",
        ).returncode
        == 0
    )
    page = json.loads((out / "kaarten-t01.layout.json").read_text())["pages"]
    assert page[0]["size"] == pytest.approx([mm(297), mm(420)], abs=0.01)
    trim = page[0]["slots"][0]["trim"]
    assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((mm(70), mm(120)), abs=0.01)
    back = page[1]["slots"][0]["trim"]
    assert back[0] == pytest.approx(mm(297) - trim[2] + mm(0.5), abs=0.01)
    assert (
        run_cli(
            "build",
            "--deck",
            str(deck),
            "--out",
            str(out),
            "--id",
            "T01",
            "--card",
            "poker",
            "--paper",
            "a4",
            "--no-booklet",
        ).returncode
        == 0
    )
    page = json.loads((out / "kaarten-t01.layout.json").read_text())["pages"]
    assert page[0]["size"] == pytest.approx([mm(210), mm(297)], abs=0.01)


def test_a_mini_card_fails_clearly_when_text_cannot_fit(tmp_path: Path) -> None:
    result = run_cli(
        "build",
        "--deck",
        str(DEFAULT_DECK),
        "--out",
        str(tmp_path / "out"),
        "--card",
        "mini",
        "--id",
        "T04",
        "--no-booklet",
    )
    assert result.returncode == 5
    assert re.match(
        r"^deck/cards/transparantie\.yaml:\d+:5: card T04: there is no room for "
        r"the text on a card of this size: the colour band, title, facets and QR code "
        r"fill it\. Choose a larger --card size\.$",
        result.stderr.splitlines()[0],
    )
    assert not (tmp_path / "out").exists()


def test_preview_writes_each_face_and_a_contact_sheet(tmp_path: Path) -> None:
    result = run_cli(
        "preview",
        "--deck",
        str(DEFAULT_DECK),
        "--out",
        str(tmp_path),
        "--type",
        "bezorgdheid",
        "--dpi",
        "100",
    )
    assert result.returncode == 0, result.stderr
    names = [Path(line).name for line in result.stdout.splitlines()]
    assert names == [
        "Z01-front.png",
        "Z01-back.png",
        "Z02-front.png",
        "Z02-back.png",
        "Z03-front.png",
        "Z03-back.png",
        "overzicht-bezorgdheid.pdf",
        "overzicht-bezorgdheid-1.png",
        "preview.json",
    ]
    front = Image.open(tmp_path / "preview" / "Z03-front.png")
    assert front.size == (round(mm(63) * 100 / 72), round(mm(88) * 100 / 72))  # trim, no bleed
    sheet = Image.open(tmp_path / "preview" / "overzicht-bezorgdheid-1.png")
    assert sheet.width > 3 * front.width and sheet.height > front.height
