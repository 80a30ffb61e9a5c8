"""Issue 10: the design as data (deck/design.yaml over the shipped design), driven through the
CLI: design errors located and refused, `check` laying out as `build` does, every drawn glyph
inside its card's safe area, and the README's "Designing a deck" tasks."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml

from conftest import ROOT, run_cli
from safe_area import measure

MINI = ROOT / "tests" / "data" / "mini"
SRC = ROOT / "src" / "kaartspel"
TYPE_IDS = ("inspiratie", "casus", "bezorgdheid", "tip", "segment")
MM = 72 / 25.4


def _readme_task(letter: str) -> str:
    """The YAML the README's "Designing a deck" gives for task (letter)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"\*\*\({letter}\) [^\n]*\n+```yaml\n(.*?)\n```", readme, flags=re.S)
    assert found, f"README has no task ({letter})"
    return found.group(1) + "\n"


def _readme_blocks(letter: str) -> list[str]:
    """Every YAML block the README's "Designing a deck" gives for task (letter), in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"\*\*\({letter}\) (.*?)(?=\n\*\*\(|\n## )", readme, flags=re.S)
    assert found, f"README has no task ({letter})"
    blocks = re.findall(r"```yaml\n(.*?)\n```", found.group(1), flags=re.S)
    assert blocks, f"README task ({letter}) has no YAML"
    return [b + "\n" for b in blocks]


def _with_card(deck: Path, card_id: str, snippet: str) -> None:
    """Give the card `card_id` of the deck's cards/basis.yaml the keys of a README snippet."""
    [keys] = yaml.safe_load(snippet)
    assert keys.pop("id") == card_id
    path = deck / "cards" / "basis.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(c for c in data["cards"] if c["id"] == card_id).update(keys)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _deck(tmp_path: Path, design: str | None = None, source: Path = MINI) -> Path:
    deck = tmp_path / "deck"
    shutil.copytree(source, deck)
    if design is not None:
        (deck / "design.yaml").write_text(design, encoding="utf-8")
    return deck


def _pages(pdf: Path, scale: float = 2.0) -> list:  # type: ignore[type-arg]
    doc = pdfium.PdfDocument(str(pdf))
    return [doc[i].render(scale=scale).to_pil().convert("RGB") for i in range(len(doc))]


def _slots(manifest: Path) -> list[dict]:  # type: ignore[type-arg]
    data = json.loads(manifest.read_text())
    return [
        dict(slot, page=p["index"], side=p["side"])
        for p in data["pages"]
        for p in [p]
        for slot in p["slots"]
    ]


# ---------------------------------------------------------------- no design in Python
def test_no_card_type_id_lives_in_src_outside_the_shipped_data() -> None:
    """Every type rule is data (the deck's card types, the design): no card-type id appears in
    src/ as a string, and no code compares a type's id with a literal."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"""type(?:\.id|_id)\s*[!=]=\s*["']""", text):
            found.append(f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}")
        for type_id in TYPE_IDS:
            quoted = rf"""["']{type_id}["']"""
            if type_id == "segment":  # the word is also the deck's name for a category
                quoted = r"""type(?:\.id|_id)\s*==\s*["']segment["']"""
            for match in re.finditer(quoted, text):
                line = text[: match.start()].count("\n") + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {type_id}")
    assert found == []


# ---------------------------------------------------------------- design errors, exit 4
@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            "../logo.png",
            "deck/design.yaml:4:33: fronts.card.elements.logo.file: '../logo.png' leaves the "
            "deck folder; name the image by a path inside the deck folder, such as "
            "assets/logo.svg\n",
        ),
        (
            "assets/nowhere.png",
            "deck/design.yaml:4:33: fronts.card.elements.logo.file: the image "
            "'assets/nowhere.png' is not there; put the file in the deck folder or correct the "
            "path\n",
        ),
    ],
)
def test_an_image_outside_the_deck_or_missing_exits_4(
    tmp_path: Path, file: str, message: str
) -> None:
    _deck(
        tmp_path,
        f"fronts:\n  card:\n    elements:\n      logo: {{kind: image, file: {file}}}\n",
    )
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 4
    assert result.stderr == message
    assert result.stdout == ""


# ---------------------------------------------------------------- check lays out
def _tip(tmp_path: Path, title: str) -> None:
    (tmp_path / "deck" / "cards" / "extra.yaml").write_text(
        f"cards:\n  - id: X1\n    type: tip\n    title: {title}\n    text: Een tekst.\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("overflow", "card X1: the title does not fit"),
        ("glyph", "cannot draw: '🚨' (U+1F6A8); name a font that has them in deck.yaml"),
        ("too-large", "is too big for a card of this size"),
    ],
)
def test_check_exits_5_exactly_when_build_does_on_the_same_cards(
    tmp_path: Path, case: str, expected: str
) -> None:
    design = None
    if case == "overflow":
        _deck(tmp_path)
        _tip(tmp_path, " ".join(["Veiligheidsoverleg"] * 12))
    elif case == "glyph":
        _deck(tmp_path)
        _tip(tmp_path, "Veilig 🚨 samen")
    else:
        design = "styles:\n  band: {font: black, size: 30, min: 30}\n"
        _deck(tmp_path, design)
    check = run_cli("check", cwd=tmp_path)
    build = run_cli("build", "--out", "out", "--no-booklet", cwd=tmp_path)
    assert check.returncode == build.returncode == 5
    assert expected in check.stderr
    assert check.stderr == build.stderr
    assert not (tmp_path / "out").exists()


def test_a_design_too_big_for_the_card_size_is_named_as_such_not_only_shorten() -> None:
    """At 85 x 54 mm the default design leaves the text a sliver: the message says the size
    and the design are the cause, and shortening only comes last."""
    result = run_cli("check", "--card", "85x54")
    assert result.returncode == 5
    first = result.stderr.splitlines()[0]
    assert re.fullmatch(
        r"deck/cards/\w+\.yaml:\d+:5: card \w+: the text does not fit: on a card of this size "
        r"\(85 x 54 mm\) the design leaves it only [\d.]+ mm and it needs [\d.]+ mm at the "
        r"smallest size \(6\.5 pt\); choose a larger --card size or a design made for this "
        r"size, or shorten it by about \d+ % \(design .*design\.yaml:\d+:\d+\)\.",
        first,
    ), first


def test_check_uses_the_card_size_and_says_ok_only_when_build_succeeds(tmp_path: Path) -> None:
    _deck(tmp_path)
    for size in ("poker", "tarot"):
        check = run_cli("check", "--card", size, cwd=tmp_path)
        build = run_cli(
            "build", "--card", size, "--out", f"out-{size}", "--no-booklet", cwd=tmp_path
        )
        assert check.returncode == build.returncode == 0, check.stderr
        assert check.stdout.startswith("OK: 3 cards")
    small = run_cli("check", "--card", "30x40", cwd=tmp_path)
    assert small.returncode == 5
    assert "does not fit" in small.stderr or "no room" in small.stderr


def test_check_warns_about_texts_shrunk_near_their_minimum(tmp_path: Path) -> None:
    # the band's style may shrink only a little: any shrinking is near its minimum
    _deck(tmp_path, "styles:\n  title: {font: bold, size: 26, min: 23.5, leading: 1.12}\n")
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(
        r"warning: the title \(design .*design\.yaml:\d+:\d+\) is within 10 % of its smallest "
        r"size on: A01, B01, C01\n",
        result.stderr,
    ), result.stderr
    assert result.stdout.startswith("OK: 3 cards")


# ---------------------------------------------------------------- glyphs inside the safe area
@pytest.mark.parametrize("size", ["poker", "mini", "square", "tarot", "85x54"])
def test_every_glyph_is_inside_its_cards_safe_area_or_the_card_is_named(
    tmp_path: Path, size: str
) -> None:
    _deck(tmp_path)
    result = run_cli("build", "--card", size, "--out", "out", "--no-booklet", cwd=tmp_path)
    if result.returncode == 5:
        assert re.search(r"card (A01|B01|C01)", result.stderr), result.stderr
        assert not (tmp_path / "out").exists()
        return
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert measure(out / "kaarten.pdf", out / "kaarten.layout.json").outside == []


# ---------------------------------------------------------------- README: Designing a deck
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
    '<rect x="0" y="0" width="40" height="40" fill="#E0007A"/></svg>\n'
)


def _magenta_share(image, box: tuple[float, float, float, float]) -> float:  # type: ignore[no-untyped-def]
    crop = image.crop(tuple(int(v) for v in box))
    pixels = list(crop.get_flattened_data())
    hits = sum(1 for r, g, b in pixels if r > 200 and g < 60 and 90 < b < 160)
    return hits / max(1, len(pixels))


def test_task_a_a_logo_image_on_every_back(tmp_path: Path) -> None:
    deck = _deck(tmp_path, _readme_task("a"))
    (deck / "assets").mkdir()
    (deck / "assets" / "logo.svg").write_text(LOGO, encoding="utf-8")
    result = run_cli("build", "--out", "out", "--no-booklet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    scale = 2.0
    pages = _pages(tmp_path / "out" / "kaarten.pdf", scale)
    slots = [s for s in _slots(tmp_path / "out" / "kaarten.layout.json") if s["side"] == "back"]
    assert len(slots) == 3
    for slot in slots:
        x0, y0, x1, y1 = slot["trim"]
        height = pages[slot["page"]].height / scale
        # the logo: 12 mm square at the top of the safe area, centred
        box = (
            ((x0 + x1) / 2 - 5 * MM) * scale,
            (height - y1 + 6 * MM) * scale,
            ((x0 + x1) / 2 + 5 * MM) * scale,
            (height - y1 + 14 * MM) * scale,
        )
        assert _magenta_share(pages[slot["page"]], box) > 0.9, slot["card"]
    fronts = [s for s in _slots(tmp_path / "out" / "kaarten.layout.json") if s["side"] == "front"]
    assert all(_magenta_share(pages[s["page"]], (0, 0, 10, 10)) == 0 for s in fronts)


def _qr_positions(pdf: Path) -> list[tuple[float, float]]:
    import zxingcpp

    out = []
    for page in _pages(pdf, 4.0):
        for found in zxingcpp.read_barcodes(page):
            p = found.position
            out.append(
                ((p.top_left.x + p.bottom_right.x) / 8, (p.top_left.y + p.bottom_right.y) / 8)
            )
    return out


def test_task_b_the_qr_code_moved_to_the_top_left(tmp_path: Path) -> None:
    _deck(tmp_path, _readme_task("b"))
    result = run_cli("build", "--id", "A01", "--out", "out", "--no-booklet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    slot = next(s for s in _slots(out / "kaarten-a01.layout.json") if s["side"] == "front")
    x0, y0, x1, y1 = slot["trim"]
    page_h = 841.89
    [(qx, qy)] = _qr_positions(out / "kaarten-a01.pdf")[:1]
    assert x0 < qx < (x0 + x1) / 2  # left half
    assert page_h - y1 < qy < page_h - (y0 + y1) / 2  # upper half (image y runs down)


def _sizes(pdf: Path, font_part: str) -> set[float]:
    """The font sizes of the text drawn inside the first front's card (not the sheet's slugs)."""
    import pypdfium2.raw as raw

    slot = next(s for s in _slots(pdf.with_suffix(".layout.json")) if s["side"] == "front")
    x0, y0, x1, y1 = slot["trim"]
    doc = pdfium.PdfDocument(str(pdf))
    text = doc[slot["page"]].get_textpage()
    sizes: set[float] = set()
    for i in range(text.count_chars()):
        cx0, cy0, cx1, cy1 = text.get_charbox(i)
        if not (x0 <= (cx0 + cx1) / 2 <= x1 and y0 <= (cy0 + cy1) / 2 <= y1):
            continue
        if not text.get_text_range(i, 1).strip():
            continue
        buffer = (raw.ctypes.c_char * 256)()
        flags = raw.ctypes.c_int()
        raw.FPDFText_GetFontInfo(text.raw, i, buffer, 256, raw.ctypes.byref(flags))
        if font_part in buffer.value.decode("latin-1"):
            sizes.add(round(raw.FPDFText_GetFontSize(text.raw, i), 2))
    return sizes


def test_task_c_body_text_one_point_larger(tmp_path: Path) -> None:
    _deck(tmp_path, _readme_task("c"))
    result = run_cli("build", "--id", "C01", "--out", "out", "--no-booklet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    larger = _sizes(tmp_path / "out" / "kaarten-c01.pdf", "Lato-Regular")
    plain = tmp_path / "plain"
    plain.mkdir()
    _deck(plain)
    run_cli("build", "--id", "C01", "--out", "out", "--no-booklet", cwd=plain)
    before = _sizes(plain / "out" / "kaarten-c01.pdf", "Lato-Regular")
    # the body (the largest regular text) is set 1 pt larger; sizes round to quarter points
    assert max(larger) == max(before) + 1.0


def test_task_e_a_landscape_card_with_its_own_template(tmp_path: Path) -> None:
    deck = _deck(tmp_path, _readme_task("e"))
    text = (deck / "deck.yaml").read_text(encoding="utf-8")
    (deck / "deck.yaml").write_text(text + "\nprint: {card: 85x54}\n", encoding="utf-8")
    result = run_cli("build", "--out", "out", "--no-booklet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    slots = [s for s in _slots(out / "kaarten.layout.json") if s["side"] == "front"]
    x0, y0, x1, y1 = slots[0]["trim"]
    assert round((x1 - x0) / MM) == 85 and round((y1 - y0) / MM) == 54
    assert measure(out / "kaarten.pdf", out / "kaarten.layout.json").outside == []
    [(qx, _qy)] = _qr_positions(out / "kaarten.pdf")[:1]
    assert x0 < qx < (x0 + x1) / 2  # the QR code sits on the left


def _words(pdf: Path, side: str = "front") -> list[tuple[str, float]]:
    """The lines of text inside the first card of `side` (without spaces), each with the
    height of its top (points from the bottom of the page), from the PDF's characters, top
    first."""
    slot = next(s for s in _slots(pdf.with_suffix(".layout.json")) if s["side"] == side)
    x0, y0, x1, y1 = slot["trim"]
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[slot["page"]].get_textpage()
    lines: dict[float, str] = {}
    for i in range(page.count_chars()):
        cx0, cy0, cx1, cy1 = page.get_charbox(i)
        if x0 <= (cx0 + cx1) / 2 <= x1 and y0 <= (cy0 + cy1) / 2 <= y1:
            ch = page.get_text_range(i, 1)
            if ch.strip():
                top = round(cy1)
                key = next((k for k in lines if abs(k - top) <= 2), top)
                lines[key] = lines.get(key, "") + ch
    doc.close()
    return sorted(((text.strip(), top) for top, text in lines.items()), key=lambda t: -t[1])


def test_task_d_a_new_field_duration_under_the_title_of_casus_cards(tmp_path: Path) -> None:
    deck_yaml, card, design = _readme_blocks("d")
    deck = _deck(tmp_path, design)
    # the README's casus type replaces the deck's own declaration
    [casus] = yaml.safe_load(deck_yaml)
    data = yaml.safe_load((deck / "deck.yaml").read_text(encoding="utf-8"))
    data["card_types"] = [casus if t["id"] == "casus" else t for t in data["card_types"]]
    (deck / "deck.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    _with_card(deck, "C01", card)
    result = run_cli("build", "--id", "C01", "--out", "out", "--no-booklet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # the card's lines top to bottom (spaces are not drawn, so compared without them)
    lines = [text for text, _top in _words(tmp_path / "out" / "kaarten-c01.pdf") if text]
    title = lines.index("Hangjongerenophetplein")
    assert lines[title + 1] == "20min"  # right under the title, above the text
    assert lines[title + 2].startswith("Elkeavond")
    # the field belongs to casus: a card of another type that carries it is refused
    _with_card(deck, "A01", "- {id: A01, duration: 5 min}")
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 3
    assert re.fullmatch(
        r"deck/cards/basis\.yaml:\d+:\d+: card A01, duration: 'duration' is not a field of "
        r"inspiratie cards \(it is a field of: casus\); declare it under the type's 'fields:' in "
        r"deck\.yaml\n1 problem found in the deck; nothing was written\.\n",
        result.stderr,
    ), result.stderr


def test_task_f_one_card_with_its_own_back_image(tmp_path: Path) -> None:
    design, card = _readme_blocks("f")
    deck = _deck(tmp_path, design)
    (deck / "assets").mkdir()
    (deck / "assets" / "back.svg").write_text(LOGO, encoding="utf-8")
    _with_card(deck, "C01", card)
    result = run_cli("build", "--out", "out", "--no-booklet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    scale = 1.0
    pages = _pages(tmp_path / "out" / "kaarten.pdf", scale)
    backs = [s for s in _slots(tmp_path / "out" / "kaarten.layout.json") if s["side"] == "back"]
    shares = {}
    for slot in backs:
        x0, y0, x1, y1 = slot["trim"]
        height = pages[slot["page"]].height / scale
        box = (x0 * scale, (height - y1) * scale, x1 * scale, (height - y0) * scale)
        shares[slot["card"]] = _magenta_share(pages[slot["page"]], box)
    assert shares.pop("C01") > 0.98  # the image covers its whole back
    assert shares and all(share < 0.02 for share in shares.values())  # theirs: no image


# ---------------------------------------------------------------- images and pictogram files
def test_a_raster_image_too_coarse_for_print_is_refused_naming_its_dpi(tmp_path: Path) -> None:
    from PIL import Image

    deck = _deck(
        tmp_path,
        "backs:\n  wheel:\n    elements:\n"
        "      photo: {kind: image, file: assets/photo.png, box: trim, fit: cover, bleed: true}\n",
    )
    (deck / "assets").mkdir()
    Image.new("RGB", (60, 80), (200, 40, 40)).save(deck / "assets" / "photo.png")
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 5
    assert re.search(
        r": back \w+: the image assets/photo\.png of the photo \(design deck/design\.yaml:4:7\) "
        r"prints at \d+ dpi on this card; at least 150 dpi is needed\. Use a larger image or an "
        r"SVG\.",
        result.stderr,
    ), result.stderr


def test_a_sharp_raster_image_covers_the_back_into_the_bleed(tmp_path: Path) -> None:
    from PIL import Image

    deck = _deck(
        tmp_path,
        "backs:\n  wheel:\n    elements:\n"
        "      photo: {kind: image, file: assets/photo.png, box: trim, fit: cover, bleed: true}\n",
    )
    (deck / "assets").mkdir()
    Image.new("RGB", (900, 900), (224, 0, 122)).save(deck / "assets" / "photo.png")
    result = run_cli("build", "--id", "B01", "--out", "out", "--no-booklet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pages = _pages(tmp_path / "out" / "kaarten-b01.pdf", 2.0)
    slot = next(
        s for s in _slots(tmp_path / "out" / "kaarten-b01.layout.json") if s["side"] == "back"
    )
    x0, _y0, x1, y1 = slot["bleed"]
    height = pages[slot["page"]].height / 2.0
    # a strip along the top of the bleed box: the photo reaches the bleed edge
    assert (
        _magenta_share(
            pages[slot["page"]],
            (x0 * 2 + 4, (height - y1) * 2 + 1, x1 * 2 - 4, (height - y1) * 2 + 5),
        )
        > 0.9
    )


def test_a_pictogram_is_swapped_by_replacing_its_svg_file(tmp_path: Path) -> None:
    deck = _deck(tmp_path)
    (deck / "assets").mkdir()
    # the inspiration card's band shows its segment's pictogram, 'hands' (see the mini deck)
    (deck / "assets" / "hands.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10">'
        '<rect x="0" y="0" width="10" height="10" fill="#000000"/></svg>\n',
        encoding="utf-8",
    )
    result = run_cli("build", "--id", "A01", "--out", "out", "--no-booklet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    scale = 4.0
    pages = _pages(tmp_path / "out" / "kaarten-a01.pdf", scale)
    slot = next(
        s for s in _slots(tmp_path / "out" / "kaarten-a01.layout.json") if s["side"] == "front"
    )
    page = pages[slot["page"]]
    x0, _y0, _x1, y1 = slot["trim"]
    height = page.height / scale
    # the band's pictogram sits at the safe area's left edge, in the band: now a full square in
    # the text colour on the band (white on the segment's green)
    left, top = (x0 + 3.2 * MM) * scale, (height - y1 + 4.5 * MM) * scale
    crop = page.crop((int(left), int(top), int(left + 3 * MM * scale), int(top + 3 * MM * scale)))
    whites = sum(1 for r, g, b in crop.get_flattened_data() if min(r, g, b) > 240)
    assert whites / (crop.width * crop.height) > 0.95
