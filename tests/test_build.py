"""What the user gets from `kaartspel build`: read the PDFs back, render them, decode every QR.

One build per duplex mode of the default deck is shared by the tests of this module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp

import pdfread
from conftest import DEFAULT_DECK, run_cli
from kaartspel.layout import back_key
from kaartspel.load import load_deck
from kaartspel.palette import parse

DPI = 150
SCALE = DPI / 72


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for mode in ("long", "short", "none"):
        folder = tmp_path_factory.mktemp(f"build-{mode}")
        result = run_cli(
            "build", "--deck", str(DEFAULT_DECK), "--out", str(folder), "--duplex", mode
        )
        assert result.returncode == 0, result.stderr
        out[mode] = folder
    return out


@pytest.fixture(scope="module")
def deck():
    return load_deck(DEFAULT_DECK)


def render(pdf: Path, index: int, dpi: int = DPI) -> np.ndarray:
    doc = pdfium.PdfDocument(str(pdf))
    image = np.asarray(doc[index].render(scale=dpi / 72).to_pil().convert("RGB"))
    doc.close()
    return image


def manifest(pdf: Path) -> dict:
    return json.loads(pdf.with_suffix(".layout.json").read_text())


def test_build_prints_every_path_it_wrote(tmp_path: Path) -> None:
    result = run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert [p.name for p in written] == [
        "kaarten.pdf",
        "kaarten.layout.json",
        "spelregels.pdf",
        "spelregels-boekje.pdf",
        "planblad.pdf",
        "planblad-a4.pdf",
    ]
    assert all(p.is_file() for p in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_every_font_is_an_embedded_subset(builds: dict[str, Path]) -> None:
    fonts = pdfread.fonts(builds["long"] / "kaarten.pdf")
    assert fonts
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]
        assert "+" in str(font["/BaseFont"]), "fonts are embedded as subsets"
        assert "Lato" in str(font["/BaseFont"])


def test_qr_codes_on_fronts_decode_to_the_cards_main_links(builds, deck) -> None:
    pdf = builds["long"] / "kaarten.pdf"
    pages = manifest(pdf)["pages"]
    decoded = []
    for page in pages:
        found = [
            b.text
            for b in zxingcpp.read_barcodes(render(pdf, page["index"]))
            if b.format == zxingcpp.BarcodeFormat.QRCode
        ]
        if page["side"] == "back":
            assert found == [], f"QR code on back page {page['index']}"
        decoded += found
    expected = [c.main_link.url for c in deck.cards if c.main_link]
    assert len(expected) > 40
    assert sorted(decoded) == sorted(expected)


def test_qr_links_are_clickable(builds, deck) -> None:
    reader = pypdf.PdfReader(builds["long"] / "kaarten.pdf")
    uris = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots", [])]
    assert sorted(uris) == sorted(c.main_link.url for c in deck.cards if c.main_link)


def _mirror(rect, size, mode):
    x0, y0, x1, y1 = rect
    w, h = size
    if mode == "long":
        return [round(w - x1, 2), round(y0, 2), round(w - x0, 2), round(y1, 2)]
    return [round(x0, 2), round(h - y1, 2), round(x1, 2), round(h - y0, 2)]


@pytest.mark.parametrize("mode", ["long", "short"])
def test_each_back_lies_behind_its_front(builds, deck, mode) -> None:
    pdf = builds[mode] / "kaarten.pdf"
    pages = manifest(pdf)["pages"]
    assert [p["side"] for p in pages] == ["front", "back"] * (len(pages) // 2)
    cards = {c.id: c for c in deck.cards}
    assert len(deck.cards) % 9 != 0, "the default deck should exercise a partly filled last sheet"
    for front, back in zip(pages[::2], pages[1::2], strict=True):
        assert [s["card"] for s in front["slots"]] == [s["card"] for s in back["slots"]]
        for fs, bs in zip(front["slots"], back["slots"], strict=True):
            assert [round(v, 2) for v in bs["trim"]] == _mirror(fs["trim"], front["size"], mode)
            assert [round(v, 2) for v in bs["bleed"]] == _mirror(fs["bleed"], front["size"], mode)
    # pixels: the centre of each back slot shows that card's back colour
    last_back = pages[-1]
    assert len(last_back["slots"]) < 9
    for page in (pages[1], last_back):
        image = render(pdf, page["index"], dpi=72)
        height = image.shape[0]
        for slot in page["slots"]:
            x0, y0, x1, y1 = slot["trim"]
            # a point in the lower part of the card: background colour, away from the wheel
            px, py = int((x0 + x1) / 2 * 72 / 72), int(height - (y0 + 4))
            card = cards[slot["card"]]
            key = back_key(card)
            colour = (
                card.segment.colour if card.segment and key == card.segment.id else card.type.colour
            )
            expected = np.array([round(c * 255) for c in parse(colour)])
            assert np.abs(image[py, px].astype(int) - expected).max() <= 3, (
                slot["card"],
                page["index"],
            )


def test_duplex_none_writes_fronts_and_backs_as_two_pdfs(builds, deck) -> None:
    names = sorted(p.name for p in builds["none"].iterdir())
    assert names == [
        "kaarten-achterkant.layout.json",
        "kaarten-achterkant.pdf",
        "kaarten-voorkant.layout.json",
        "kaarten-voorkant.pdf",
        "planblad-a4.pdf",
        "planblad.pdf",
        "spelregels-boekje.pdf",
        "spelregels.pdf",
    ]
    fronts = manifest(builds["none"] / "kaarten-voorkant.pdf")["pages"]
    backs = manifest(builds["none"] / "kaarten-achterkant.pdf")["pages"]
    assert {p["side"] for p in fronts} == {"front"} and {p["side"] for p in backs} == {"back"}
    assert sum(len(p["slots"]) for p in fronts) == len(deck.cards)


def _inside(rect, x, y, pad):
    return rect[0] - pad <= x <= rect[2] + pad and rect[1] - pad <= y <= rect[3] + pad


@pytest.mark.parametrize("index", [0, 1, -2, -1])
def test_nothing_is_painted_outside_the_bleed_boxes_except_crop_marks(builds, index) -> None:
    pdf = builds["long"] / "kaarten.pdf"
    pages = [p for p in manifest(pdf)["pages"] if "kind" not in p]  # the card sheets
    page = pages[index]
    image = render(pdf, page["index"])
    height = image.shape[0]
    ink = np.argwhere(image.min(axis=2) < 245)
    pad = 1.5 / SCALE  # anti-aliasing: 1.5 px
    boxes = [s["bleed"] for s in page["slots"]]
    marks = page["marks"]
    assert marks, "crop marks are drawn"
    slug = page["slug"]["rect"]  # the slug: outside every bleed box and mark (tested below)
    stray = []
    for row, col in ink[:: max(1, len(ink) // 200000)]:
        x, y = col / SCALE, (height - row) / SCALE
        if any(_inside(b, x, y, pad) for b in boxes) or _inside(slug, x, y, pad):
            continue
        if any(
            _inside(
                (min(m[0], m[2]), min(m[1], m[3]), max(m[0], m[2]), max(m[1], m[3])),
                x,
                y,
                pad + 0.5,
            )
            for m in marks
        ):
            continue
        stray.append((round(x, 1), round(y, 1)))
    assert stray == [], f"painted outside the bleed boxes: {stray[:10]}"
    # and no crop mark enters any bleed box (of any page: marks are the same on every sheet)
    for m in marks:
        for b in boxes:
            xs = np.linspace(m[0], m[2], 50)
            ys = np.linspace(m[1], m[3], 50)
            assert not any(_inside(b, x, y, -0.01) for x, y in zip(xs, ys, strict=True)), (m, b)


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        result = run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        outputs.append(
            (
                (tmp_path / name / "kaarten.pdf").read_bytes(),
                (tmp_path / name / "kaarten.layout.json").read_bytes(),
            )
        )
    assert outputs[0] == outputs[1]


def _deck_with(tmp_path: Path, card_id: str, field: str, value: str) -> Path:
    deck = tmp_path / "deck"
    shutil.copytree(DEFAULT_DECK, deck)
    for path in sorted((deck / "cards").glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.strip() == f"- id: {card_id}":
                j = next(
                    k for k in range(i + 1, len(lines)) if lines[k].strip().startswith(f"{field}:")
                )
                indent = lines[j][: len(lines[j]) - len(lines[j].lstrip())]
                k = j + 1
                while k < len(lines) and (
                    lines[k].startswith(indent + "  ") or not lines[k].strip()
                ):
                    k += 1
                lines[j:k] = [f"{indent}{field}: {value}"]
                path.write_text("\n".join(lines) + "\n", encoding="utf-8")
                return deck
    raise AssertionError(f"card {card_id} not found")


def test_overlong_text_fails_with_exit_5_naming_card_and_place(tmp_path: Path) -> None:
    deck = _deck_with(tmp_path, "T02", "text", "Veel te lange tekst over veiligheid. " * 30)
    out = tmp_path / "out"
    result = run_cli("build", "--deck", str(deck), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 5
    assert "Traceback" not in result.stderr
    line = next(
        n
        for n, text in enumerate(
            (deck / "cards" / "transparantie.yaml").read_text(encoding="utf-8").splitlines(),
            start=1,
        )
        if text.strip() == "- id: T02"
    )
    assert result.stderr.startswith(
        f"deck/cards/transparantie.yaml:{line}:5: card T02: the text does not fit: it needs "
    )
    assert "shorten it by about" in result.stderr
    assert result.stderr.rstrip().endswith("1 card does not fit; nothing was written.")
    assert not out.exists() or not any(out.iterdir())


def test_a_failed_build_leaves_the_previous_pdf_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    deck = _deck_with(tmp_path, "T02", "text", "Veel te lange tekst. " * 60)
    assert run_cli("build", "--deck", str(deck), "--out", str(out)).returncode == 5
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
