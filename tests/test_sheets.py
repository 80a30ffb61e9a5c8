"""What the printed sheets say about themselves: the instruction page in front (in the deck's
language, with a blank back in duplex so sheets stay paired), a slug on every sheet (deck,
version, sheet n/N, front/back) outside every bleed box and mark, and /PrintScaling /None."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest

import pdfread
from conftest import DEFAULT_DECK, ROOT, run_cli
from kaartspel import fonts, impose, presets, wording
from kaartspel.layout import CardSize
from kaartspel.units import mm

NL = wording.for_language("nl").section("sheets")


def _build(out: Path, *extra: str, deck: Path = DEFAULT_DECK) -> None:
    result = run_cli("build", "--deck", str(deck), "--out", str(out), "--no-booklet", *extra)
    assert result.returncode == 0, result.stderr


def _texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages]


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _line_box(m: list[float]) -> list[float]:
    return [min(m[0], m[2]), min(m[1], m[3]), max(m[0], m[2]), max(m[1], m[3])]


def _check_slugs(pdf: Path, sheets: int, sides: list[str], words=NL) -> None:
    """Every card page carries 'sheet n/N · side' in its text and a slug outside every bleed
    box, mark and fold line, inside the paper less 3 mm."""
    pages = json.loads(pdf.with_suffix(".layout.json").read_text())["pages"]
    texts = _texts(pdf)
    numbers = {side: 0 for side in ("front", "back")}
    for page, text in zip(pages, texts, strict=True):
        if "kind" in page:
            continue
        numbers[page["side"]] += 1
        wanted = f"{words['sheet']} {numbers[page['side']]}/{sheets}"
        if page["side"] in sides:
            wanted += f" · {words[page['side']]}"
        assert wanted in text, (wanted, text[-200:])
        assert page["slug"]["text"].endswith(wanted)
        rect = page["slug"]["rect"]
        w, h = page["size"]
        assert rect[0] >= mm(3) - 1e-3 and rect[1] >= mm(3) - 1e-3
        assert rect[2] <= w - mm(3) + 1e-3 and rect[3] <= h - mm(3) + 1e-3
        for slot in page["slots"]:
            assert not _overlap(rect, slot["bleed"]), (rect, slot)
        for line in page["marks"] + page.get("fold", []):
            assert not _overlap(rect, _line_box(line)), (rect, line)
    assert sum(numbers.values()) > 0


def test_duplex_pdf_starts_with_the_instructions_and_a_blank_back(tmp_path: Path) -> None:
    _build(tmp_path, "--segment", "meedoen")
    pdf = tmp_path / "kaarten-meedoen.pdf"
    texts = _texts(pdf)
    first = texts[0]
    assert first.startswith(f"{NL['title']} Burgerparticipatie in lokale veiligheid · v1.0.0 ")
    cards = len(json.loads(run_cli("list", "--segment", "meedoen", "--json").stdout))
    sheets = -(-cards // 9)
    assert NL["counts"].format(cards=cards, sheets=sheets, paper="A4") in first
    for key in ("duplex_long", "size", "paper", "cutting", "calibration", "slug_hint"):
        assert " ".join(NL[key].split()) in first, key
    assert "omslaan langs de lange zijde" in first and "(100 %)" in first
    assert "250 tot 300 g/m²" in first and "kaartspel calibrate" in first
    assert texts[1] == ""  # the back of the instruction page is blank ...
    doc = pdfium.PdfDocument(str(pdf))
    image = np.asarray(doc[1].render(scale=1).to_pil().convert("L"))
    doc.close()
    assert image.min() == 255  # ... really: not a single dot
    pages = json.loads(pdf.with_suffix(".layout.json").read_text())["pages"]
    assert [p.get("kind") for p in pages[:3]] == ["instructions", "blank", None]
    assert len(texts) == 2 + 2 * sheets
    assert [p["side"] for p in pages[2:]] == ["front", "back"] * sheets  # still paired
    _check_slugs(pdf, sheets, ["front", "back"])
    root = pdfread.catalogue(pdf)
    assert root["/ViewerPreferences"]["/PrintScaling"] == "/None"
    assert root["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"


def test_no_instructions_removes_the_page_and_keeps_the_slugs(tmp_path: Path) -> None:
    _build(tmp_path, "--segment", "meedoen", "--no-instructions", "--duplex", "short")
    pdf = tmp_path / "kaarten-meedoen.pdf"
    texts = _texts(pdf)
    assert not any(NL["title"] in t for t in texts)
    pages = json.loads(pdf.with_suffix(".layout.json").read_text())["pages"]
    assert all("kind" not in p for p in pages)
    assert len(pages) % 2 == 0 and pages[0]["side"] == "front"
    _check_slugs(pdf, len(pages) // 2, ["front", "back"])
    root = pdfread.catalogue(pdf)
    assert root["/ViewerPreferences"]["/PrintScaling"] == "/None"
    assert root["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"


def test_duplex_none_numbers_fronts_and_backs_alike(tmp_path: Path) -> None:
    _build(tmp_path, "--segment", "meepraten", "--duplex", "none", "--paper", "letter")
    fronts = tmp_path / "kaarten-meepraten-voorkant.pdf"
    backs = tmp_path / "kaarten-meepraten-achterkant.pdf"
    front_texts, back_texts = _texts(fronts), _texts(backs)
    assert front_texts[0].startswith(NL["title"])
    assert " ".join(NL["duplex_none"].split()) in front_texts[0]
    assert "vellen LETTER" not in front_texts[0] and "vellen Letter" in front_texts[0]
    assert NL["calibration"].split()[0] not in front_texts[0]  # no duplex, no calibration
    assert not any(NL["title"] in t for t in back_texts)  # the instructions come once
    sheets = len(back_texts)
    assert len(front_texts) == sheets + 1
    _check_slugs(fronts, sheets, ["front"])
    _check_slugs(backs, sheets, ["back"])
    root = pdfread.catalogue(fronts)
    assert root["/ViewerPreferences"]["/PrintScaling"] == "/None"
    assert "/Duplex" not in root["/ViewerPreferences"]


def test_gutterfold_and_other_languages(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "examples" / "minimal", deck)
    text = (deck / "deck.yaml").read_text(encoding="utf-8")
    text = text.replace("language: nl", "language: fr").replace(
        "languages: [nl, fr]", "languages: [fr, nl]"
    )
    (deck / "deck.yaml").write_text(text, encoding="utf-8")
    _build(tmp_path, "--layout", "gutterfold", "--gap", "4", deck=deck)
    pdf = tmp_path / "kaarten-vouwblad.pdf"
    texts = _texts(pdf)
    fr = wording.for_language("fr").section("sheets")
    assert texts[0].startswith(fr["title"])
    for key in ("gutterfold", "size", "paper", "cutting_gap", "slug_hint"):
        assert " ".join(fr[key].split()) in texts[0], key
    pages = json.loads(pdf.with_suffix(".layout.json").read_text())["pages"]
    assert pages[1].get("kind") is None  # single-sided: no blank back
    _check_slugs(pdf, len(pages) - 1, [], words=fr)


def test_print_shop_files_have_no_instructions_and_no_slugs(tmp_path: Path) -> None:
    _build(tmp_path, "--layout", "printshop", "--type", "bezorgdheid")
    pages = json.loads((tmp_path / "kaarten-bezorgdheid-generic.layout.json").read_text())
    assert all("slug" not in p and "kind" not in p for p in pages["pages"])
    root = pdfread.catalogue(tmp_path / "kaarten-bezorgdheid-generic.pdf")
    assert root["/ViewerPreferences"]["/PrintScaling"] == "/None"


LONG = "Burgerparticipatie in lokale veiligheid v10.0.0 · vel 10/12 · achterkant"
SHORT = "vel 10/12 · achterkant"


@pytest.mark.parametrize(
    ("card", "paper", "gap"),
    list(itertools.product(presets.card_names(), presets.paper_names(), (0.0, 4.0))),
)
def test_every_preset_sheet_has_room_for_the_whole_slug(card: str, paper: str, gap: float) -> None:
    texts = [(t, fonts.width(t, "regular", 1.0)) for t in (LONG, SHORT)]
    size = CardSize.from_mm(*presets.card_size_mm(card), 3.0, 3.0)
    sheet_paper = impose.Paper.named(paper)
    grid = impose.make_grid(sheet_paper, size, gap=mm(gap))
    pairs = [(f"c{i}", "back") for i in range(grid.per_sheet + 1)]
    sheets = []
    for duplex in impose.DUPLEX_MODES:
        sheets += impose.impose(grid, pairs, duplex, (mm(1.5), mm(-1.0)))
    sheets += impose.impose_gutterfold(impose.make_fold(sheet_paper, size, gap=mm(gap)), pairs)
    for sheet in sheets:
        placed = impose.place_slug(sheet, texts)
        assert placed.slug is not None and placed.slug.text == LONG
        rect = list(placed.slug.rect)
        assert rect[0] >= mm(3) - 1e-6 and rect[1] >= mm(3) - 1e-6
        assert rect[2] <= sheet.width - mm(3) + 1e-6 and rect[3] <= sheet.height - mm(3) + 1e-6
        for slot in sheet.slots:
            assert not _overlap(rect, list(slot.bleed))
        for line in sheet.marks + sheet.fold:
            assert not _overlap(rect, _line_box(list(line)))


def test_sheet_words_exist_in_every_shipped_language() -> None:
    keys = set(NL)
    for language in wording.shipped_languages():
        words = wording.for_language(language).section("sheets")
        assert set(words) == keys, language
        assert re.search(r"\{cards\}.*\{sheets\}.*\{paper\}", words["counts"]), language
