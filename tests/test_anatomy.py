"""Issue 10, the card anatomy: card types declared in deck.yaml, custom fields, sorting by a
declared order, copies, plain categories (suits) without the participation wheel.

What the user gets is read back from the built files: the card order from the layout manifest
and from the text printed in each slot of the PDF, copies as slots and as decoded QR codes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp

from conftest import ROOT, run_cli

SUITS = ROOT / "examples" / "suits"
MINI = ROOT / "tests" / "data" / "mini"
RANKS = ["2", "3", "4", "5", "6", "7", "8", "9", "10", "J", "Q", "K", "A"]
SUIT_IDS = [("plus", "add"), ("minus", "sub"), ("times", "mul"), ("divide", "div")]


@pytest.fixture(scope="module")
def suits_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("suits")
    result = run_cli("build", "--deck", str(SUITS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return out


def slot_texts(pdf: Path, manifest: dict) -> list[tuple[str, str]]:
    """(card id, the text printed inside its trim box) for every front slot, in sheet order."""
    doc = pdfium.PdfDocument(str(pdf))
    found = []
    try:
        for page in manifest["pages"]:
            if page["side"] != "front":
                continue
            text = doc[page["index"]].get_textpage()
            for slot in page["slots"]:
                x0, y0, x1, y1 = slot["trim"]
                found.append((slot["card"], text.get_text_bounded(x0, y0, x1, y1)))
    finally:
        doc.close()
    return found


def test_suits_deck_checks() -> None:
    result = run_cli("check", "--deck", str(SUITS))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "OK: 53 cards · per segment: plus 13, minus 13, times 13, divide 13, none 1 · "
        "per type: number 52, wild 1 · 0 cards marked 'verify' · 0 link warnings\n"
    )


def test_g_suits_are_sorted_by_rank_on_the_sheets(suits_build: Path) -> None:
    """(g) four plain suits, ranks 2-10, J, Q, K, A, sorted by rank within the suit (the card
    files list them from high to low, and sorting by id would put 10 before 2)."""
    pdf = suits_build / "kaarten.pdf"
    manifest = json.loads(pdf.with_suffix(".layout.json").read_text())
    expected = [f"{prefix}-{r.lower()}" for _, prefix in SUIT_IDS for r in RANKS]
    expected += ["wild", "wild"]  # the wild card has copies: 2
    printed = slot_texts(pdf, manifest)
    assert [card for card, _ in printed] == expected
    # the band of each card names its suit and its rank, in that order
    for (card, text), want in zip(printed, expected, strict=True):
        if card == "wild":
            assert "WILD CARD" in text
            continue
        suit = next(s for s, p in SUIT_IDS if want.startswith(p + "-"))
        rank = RANKS[expected.index(want) % 13]
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[:2] == [suit.upper(), rank], (card, lines[:3])


def test_suits_number_cards_carry_their_rank_large_in_the_bottom_corner(
    suits_build: Path,
) -> None:
    """The deck's own design.yaml (a front template for number cards): the rank printed at
    24 pt or more, in the lower right quarter of its card; the wild cards have none."""
    from pypdfium2.raw import FPDFText_GetFontSize as font_size

    pdf = suits_build / "kaarten.pdf"
    manifest = json.loads(pdf.with_suffix(".layout.json").read_text())
    doc = pdfium.PdfDocument(str(pdf))
    seen = 0
    try:
        for page in manifest["pages"]:
            if page["side"] != "front":
                continue
            text = doc[page["index"]].get_textpage()
            chars = [
                (text.get_text_range(i, 1), text.get_charbox(i), font_size(text.raw, i))
                for i in range(text.count_chars())
            ]
            for slot in page["slots"]:
                x0, y0, x1, y1 = slot["trim"]
                big = "".join(
                    ch
                    for ch, (left, bottom, right, top), size in chars
                    if size >= 24
                    and x0 <= left
                    and right <= x1
                    and y0 <= bottom
                    and top <= y1
                    and left >= (x0 + x1) / 2
                    and top <= (y0 + y1) / 2
                )
                wild = slot["card"] == "wild"
                want = "" if wild else RANKS[RANK_OF[slot["card"].split("-")[1]]]
                assert big == want, (slot["card"], big)
                seen += 1
    finally:
        doc.close()
    assert seen == 54


RANK_OF = {r.lower(): i for i, r in enumerate(RANKS)}


def test_suits_deck_has_no_wheel(suits_build: Path) -> None:
    """No phases: the booklet lists the categories instead of the wheel; the backs show the
    suit's own pictogram (from the deck's assets) on white, with no wedges of other suits."""
    reader = pypdf.PdfReader(suits_build / "spelregels.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "The categories" in text
    assert "participation wheel" not in text
    manifest = json.loads((suits_build / "kaarten.layout.json").read_text())
    back = next(p for p in manifest["pages"] if p["side"] == "back" and p["slots"])
    doc = pdfium.PdfDocument(str(suits_build / "kaarten.pdf"))
    image = np.asarray(doc[back["index"]].render(scale=1).to_pil().convert("RGB")).astype(int)
    doc.close()
    x0, y0, x1, y1 = back["slots"][0]["trim"]
    height = image.shape[0]
    # the ring where a wheel's wedges would be: only white and the suit's blue, no other suit
    cx, cy = (x0 + x1) / 2, height - (y0 + (y1 - y0) * 0.60)
    r = min(x1 - x0, y1 - y0) * 0.36 * 0.8
    ring = [image[int(cy - r * np.sin(a)), int(cx + r * np.cos(a))] for a in np.linspace(0, 6, 40)]
    others = [(192, 57, 43), (30, 132, 73), (125, 60, 152)]  # minus, times, divide
    for pixel in ring:
        for colour in others:
            assert np.abs(pixel - np.array(colour)).max() > 40, pixel


def test_suits_custom_fields_are_in_the_card_data() -> None:
    result = run_cli("list", "--deck", str(SUITS), "--json", "--segment", "plus")
    assert result.returncode == 0, result.stderr
    cards = json.loads(result.stdout)
    assert [(c["id"], c["rank"], c["score"]) for c in cards[-4:]] == [
        ("add-j", "J", "10"),
        ("add-q", "Q", "10"),
        ("add-k", "K", "10"),
        ("add-a", "A", "15"),
    ]


def test_suits_site_inlines_the_suit_pictograms(tmp_path: Path) -> None:
    result = run_cli("site", "--deck", str(SUITS), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    for suit, _ in SUIT_IDS:
        assert f'<symbol id="p-{suit}" viewBox="0 0 1 1"><image href="data:' in page
    assert page.count('"pictogram":"plus"') == 13


def test_h_three_copies_of_one_card(tmp_path: Path) -> None:
    """(h) `copies: 3` prints the card in three slots, each with its back and its QR code;
    the booklet's card index and the site list it once."""
    deck = tmp_path / "deck"
    shutil.copytree(MINI, deck)
    cards = deck / "cards" / "basis.yaml"
    text = cards.read_text()
    cards.write_text(
        text.replace("    type: inspiratie\n", "    type: inspiratie\n    copies: 3\n")
    )
    (deck / "rules.md").write_text("# Spelregels\n\nLeg de kaarten op tafel.\n")
    out = tmp_path / "out"
    result = run_cli("build", "--deck", str(deck), "--out", str(out))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "kaarten.layout.json").read_text())
    fronts = [s["card"] for p in manifest["pages"] if p["side"] == "front" for s in p["slots"]]
    backs = [s["card"] for p in manifest["pages"] if p["side"] == "back" for s in p["slots"]]
    assert fronts == ["A01", "A01", "A01", "B01", "C01"]
    assert sorted(backs) == sorted(fronts)
    doc = pdfium.PdfDocument(str(out / "kaarten.pdf"))
    decoded = []
    for page in manifest["pages"]:
        image = doc[page["index"]].render(scale=150 / 72).to_pil().convert("RGB")
        decoded += [b.text for b in zxingcpp.read_barcodes(image)]
    doc.close()
    assert decoded == ["https://example.org/bin"] * 3
    # the booklet's index: one row for the card
    reader = pypdf.PdfReader(out / "spelregels.pdf")
    booklet = "\n".join(page.extract_text() for page in reader.pages)
    assert len(re.findall(r"\bA01\b", booklet)) == 1
    # the site: one entry
    site = tmp_path / "site"
    result = run_cli("site", "--deck", str(deck), "--out", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "index.html").read_text(encoding="utf-8").count('"id":"A01"') == 1


def test_a_card_id_equal_to_its_type_keeps_its_front(suits_build: Path) -> None:
    """The wild card's id is its type's id (which names its back): the front still prints."""
    manifest = json.loads((suits_build / "kaarten.layout.json").read_text())
    printed = dict(slot_texts(suits_build / "kaarten.pdf", manifest))
    assert "Any sum you like" in printed["wild"]


def test_too_many_copies_in_all(tmp_path: Path) -> None:
    """copies multiply the printed cards: the deck's total stays bounded."""
    deck = tmp_path / "deck"
    shutil.copytree(MINI, deck)
    lines = ["cards:"]
    for i in range(1001):
        lines += [
            f"  - id: Z{i:04d}",
            "    type: tip",
            "    title: Een tip",
            "    text: Een tip.",
            "    copies: 100",
        ]
    (deck / "cards" / "veel.yaml").write_text("\n".join(lines) + "\n")
    result = run_cli("check", "--deck", str(deck))
    assert result.returncode == 3
    assert result.stderr == (
        f"{deck}: the deck prints 100103 cards (copies included); at most 100000 are "
        "supported (a build holds every card in memory: about 1.7 GB at that size)\n"
        "1 problem found in the deck; nothing was written.\n"
    )


QUIZ_DECK = """\
title: Quiz
version: "1"
language: en
authors: [kaartspel tests]
licence: CC0
card_types:
  - id: question
    name: Question
    colour: "#225588"
    pictogram: bulb
    fields:
      answer: {label: Answer, required: true}
      score: {label: Points}
    order: [score]
"""
QUIZ_CARDS = """\
cards:
  - {id: Q1, type: question, title: Capital of France?, text: Name it., answer: Paris, score: 3}
  - {id: Q2, type: question, title: Two plus two?, text: Add., answer: "4", score: 1, copies: 2}
  - {id: Q3, type: question, title: Largest ocean?, text: Name it., answer: Pacific, score: 2.5}
"""


def test_a_deck_without_categories_sorts_by_a_number_field(tmp_path: Path) -> None:
    """No segments, phases, facets or bibliography: the deck checks, builds (sorted by the
    numeric field `score`, one card twice) and makes its site."""
    deck = tmp_path / "deck"
    (deck / "cards").mkdir(parents=True)
    (deck / "deck.yaml").write_text(QUIZ_DECK)
    (deck / "cards" / "quiz.yaml").write_text(QUIZ_CARDS)
    result = run_cli("check", "--deck", str(deck))
    assert result.stdout == (
        "OK: 3 cards · per segment: none 3 · per type: question 3 · 0 cards marked 'verify' · "
        "0 link warnings\n"
    )
    result = run_cli("build", "--deck", str(deck), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "out" / "kaarten.layout.json").read_text())
    printed = slot_texts(tmp_path / "out" / "kaarten.pdf", manifest)
    assert [card for card, _ in printed] == ["Q2", "Q2", "Q3", "Q1"]
    assert "Two plus two?" in printed[0][1]
    result = run_cli("site", "--deck", str(deck), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr


def test_pictograms_from_the_decks_assets(tmp_path: Path) -> None:
    """A deck's own assets/<name>.svg replaces the built-in pictogram of that name, drawn in
    the pictogram's colour (its dark parts); a path names any image (here a PNG, drawn in its
    own colours). Both show on the rendered backs."""
    from PIL import Image

    deck = tmp_path / "deck"
    shutil.copytree(MINI, deck)
    (deck / "assets").mkdir()
    (deck / "assets" / "hands.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">'
        '<rect width="10" height="10" fill="#000000"/></svg>'
    )
    Image.new("RGB", (64, 64), (255, 0, 0)).save(deck / "assets" / "pin.png")
    yaml = (deck / "deck.yaml").read_text()
    (deck / "deck.yaml").write_text(yaml.replace("pictogram: pin", "pictogram: assets/pin.png"))
    out = tmp_path / "out"
    result = run_cli("build", "--deck", str(deck), "--out", str(out))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "kaarten.layout.json").read_text())
    back = next(p for p in manifest["pages"] if p["side"] == "back" and p["slots"])
    doc = pdfium.PdfDocument(str(out / "kaarten.pdf"))
    image = np.asarray(doc[back["index"]].render(scale=1).to_pil().convert("RGB")).astype(int)
    doc.close()
    around = {}
    for slot in back["slots"]:
        x0, y0, x1, y1 = slot["trim"]
        row, col = int(image.shape[0] - (y0 + (y1 - y0) * 0.6)), int(x0 + x1) // 2
        around[slot["card"]] = [image[row + dy, col + dx] for dy in (-6, 0, 6) for dx in (-6, 0, 6)]
    # meedoen: hands -> assets/hands.svg, a dark square: one colour, not white, all around
    square = around["A01"]
    assert max(np.abs(p - square[4]).max() for p in square) < 30
    assert square[4].min() < 200
    # casus: assets/pin.png in its own red
    assert all(np.abs(p - [255, 0, 0]).max() < 30 for p in around["C01"])
