"""The rules booklet and the trainers' subsets: read the PDFs back and render them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp

import pdfread
from conftest import DEFAULT_DECK, ROOT, run_cli
from kaartspel.impose import saddle_stitch
from kaartspel.load import load_deck


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _text(pdf: Path) -> str:
    return _words(" ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages))


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full")
    result = run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def meedoen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("meedoen")
    result = run_cli(
        "build", "--deck", str(DEFAULT_DECK), "--out", str(out), "--segment", "meedoen"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(out / n)
        for n in (
            "kaarten-meedoen.pdf",
            "kaarten-meedoen.layout.json",
            "spelregels-meedoen.pdf",
            "spelregels-meedoen-boekje.pdf",
            "planblad-meedoen.pdf",
            "planblad-meedoen-a4.pdf",
        )
    ]
    return out


def test_saddle_stitch_order_for_eight_pages() -> None:
    assert saddle_stitch(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    with pytest.raises(ValueError):
        saddle_stitch(6)


def test_reading_booklet_has_every_title_source_and_clickable_link(full: Path) -> None:
    deck = load_deck(DEFAULT_DECK)
    pdf = full / "spelregels.pdf"
    text = _text(pdf)
    for card in deck.cards:
        assert _words(card.title) in text, card.id
    for source in deck.bibliography:
        assert _words(source.text) in text, source.id
    reader = pypdf.PdfReader(pdf)
    uris = {
        a.get_object()["/A"]["/URI"]
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object()
    }
    for card in deck.cards:  # every link of every card, not only the QR code's
        for link in card.links:
            assert link.url in uris, (card.id, link.url)
    assert sum(len(c.links) for c in deck.cards) > sum(1 for c in deck.cards if c.links)
    assert {s.url for s in deck.bibliography if s.url} <= uris
    assert reader.pages[0].mediabox.width == pytest.approx(148 / 25.4 * 72, abs=0.01)
    assert "geen kopie" in text  # the booklet says the game is inspired by the study, not a copy


def _sources_page(pdf: Path) -> str:
    texts = [_words(page.extract_text()) for page in pypdf.PdfReader(pdf).pages]
    start = next(i for i, t in enumerate(texts) if t.startswith("Bronnen"))
    end = next(i for i, t in enumerate(texts) if t.startswith("Colofon"))
    return re.sub(r"(\w)- (\w)", r"\1\2", " ".join(texts[start:end]))  # undo hyphenation


def test_sources_page_lists_the_study_the_ladder_the_games_and_no_endorsement(full: Path) -> None:
    sources = _sources_page(full / "spelregels.pdf")
    for expected in (
        "Gids burgerparticipatie in lokale veiligheid (1 maart 2022)",  # the practice guide
        "https://www.besafe.be/nl/burgerparticipatie-0",
        "Burgerparticipatie in lokale veiligheidszorg (projectpagina",  # the VIVES page
        "Arnstein, S.R. (1969). A ladder of citizen participation.",
        "Trendsportal-kaartspel",  # the games the rules name
        "Designing Policy",
        "Weg met de gemeente!",
        "Democracy Labs",
        "DemoCreatieSpel",
        "Overheidsparticipatie, gemeente Roerdalen",
        "Sounding Games",
        "The Participation game",
        "Diamond 9",
        "niet nagelezen of goedgekeurd door VIVES of de FOD Binnenlandse Zaken",
        "Moor e.a. (2011), in de bron geciteerd. Vermoedelijk, maar niet bevestigd",
    ):
        assert expected in sources, expected
    text = _text(full / "spelregels.pdf")
    assert "kondigde ook een kaartspel aan" in text
    assert "een eigen kaartspel op" not in text
    colophon = text[text.rindex("Colofon") :]
    assert "Samenstelling: de makers van kaartspel" in colophon
    assert "contributors" not in text


def test_no_text_runs_into_the_page_number(full: Path) -> None:
    doc = pdfium.PdfDocument(str(full / "spelregels.pdf"))
    for index in range(1, len(doc)):  # the cover has its own layout
        page = doc[index]
        w, _ = page.get_size()
        foot = page.get_textpage().get_text_bounded(left=0, bottom=0, right=w, top=19 / 25.4 * 72)
        assert foot.strip() == str(index + 1), (index + 1, foot)
    doc.close()


def test_imposed_booklet_is_a4_landscape_two_up(full: Path) -> None:
    reading = pypdf.PdfReader(full / "spelregels.pdf")
    imposed = pypdf.PdfReader(full / "spelregels-boekje.pdf")
    n = len(reading.pages)
    assert len(imposed.pages) == -(-n // 4) * 2
    box = imposed.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (297, 210)
    prefs = pdfread.catalogue(imposed)["/ViewerPreferences"]
    assert prefs["/Duplex"] == "/DuplexFlipShortEdge"


def _numbers(pdf: Path) -> list[tuple[str, str]]:
    """The page number printed at the foot of the left and right half of each side."""
    doc = pdfium.PdfDocument(str(pdf))
    found = []
    for page in doc:
        w, _ = page.get_size()
        text = page.get_textpage()
        halves = []
        for x0 in (0, w / 2):
            halves.append(
                text.get_text_bounded(left=x0, bottom=0, right=x0 + w / 2, top=40).strip()
            )
        found.append((halves[0], halves[1]))
    doc.close()
    return found


@pytest.mark.parametrize(("rules_pages", "total"), [(3, 8), (2, 8), (7, 12), (11, 16)])
def test_saddle_stitch_order_on_the_rendered_pages(
    tmp_path: Path, rules_pages: int, total: int
) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "examples" / "minimal", deck)
    parts = [f"# Deel {k}\n\nTekst van deel {k}." for k in range(1, rules_pages + 1)]
    (deck / "rules.md").write_text("\n\n---\n\n".join(parts) + "\n", encoding="utf-8")
    result = run_cli("build", "--deck", "deck", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pages = len(pypdf.PdfReader(tmp_path / "out" / "spelregels.pdf").pages)
    assert pages == 5 + rules_pages  # cover, wheel, rules, index, sources, colophon
    sides = _numbers(tmp_path / "out" / "spelregels-boekje.pdf")
    assert len(sides) * 2 % 4 == 0 and len(sides) * 2 == total

    def label(number: int) -> str:  # the cover shows the version; blank pages show nothing
        if number == 1:
            return "Versie 0.1 · 3 kaarten"
        return "" if number > pages else str(number)

    assert sides == [(label(a), label(b)) for a, b in saddle_stitch(total)]


def test_subset_deck_has_only_its_qr_codes_and_index(meedoen: Path) -> None:
    deck = load_deck(DEFAULT_DECK)
    wanted = [c for c in deck.cards if c.segment is not None and c.segment.id == "meedoen"]
    doc = pdfium.PdfDocument(str(meedoen / "kaarten-meedoen.pdf"))
    decoded = []
    for page in doc:
        image = page.render(scale=150 / 72).to_pil()
        decoded += [b.text for b in zxingcpp.read_barcodes(image)]
    doc.close()
    assert sorted(decoded) == sorted(c.main_link.url for c in wanted if c.main_link)
    text = _text(meedoen / "spelregels-meedoen.pdf")
    index = text[text.index("Kaartenoverzicht") :]
    listed = re.findall(r"\b([A-Z]\d\d)\b", index[: index.index("Bronnen")])
    assert sorted(listed) == sorted(c.id for c in wanted)


def test_kit_builds_its_own_deck_and_booklet(tmp_path: Path) -> None:
    result = run_cli(
        "build", "--deck", str(DEFAULT_DECK), "--out", str(tmp_path), "--kit", "kennismaking"
    )
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "kaarten-kennismaking.layout.json",
        "kaarten-kennismaking.pdf",
        "planblad-kennismaking-a4.pdf",
        "planblad-kennismaking.pdf",
        "spelregels-kennismaking-boekje.pdf",
        "spelregels-kennismaking.pdf",
    ]
    deck = load_deck(DEFAULT_DECK)
    kit = deck.kit("kennismaking")
    assert kit is not None
    # round 1 lays the sub-form cards W04-W11 on the wheel: the short session's kit has them
    assert {f"W{n:02d}" for n in range(1, 12)} <= set(kit.ids)
    layout = json.loads((tmp_path / "kaarten-kennismaking.layout.json").read_text())
    ids = {slot["card"] for page in layout["pages"] for slot in page["slots"]}
    assert ids == set(kit.ids)


def test_unsupported_markdown_is_a_located_error(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "examples" / "minimal", deck)
    (deck / "rules.md").write_text(
        "# Regels\n\nTekst.\n\n![foto](wiel.png)\n\n<div>x</div>\n", encoding="utf-8"
    )
    result = run_cli("build", "--deck", "deck", "--out", "out", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr == (
        "deck/rules.md:5:1: an image is not supported in the rules text; use headings, "
        "paragraphs, lists, tables, bold, italic and links.\n"
        "deck/rules.md:7:1: HTML is not supported in the rules text; use headings, paragraphs, "
        "lists, tables, bold, italic and links.\n"
        "2 problems found in the deck; nothing was written.\n"
    )
    assert not (tmp_path / "out").exists()


def test_every_font_in_the_booklets_is_embedded(full: Path) -> None:
    for name in ("spelregels.pdf", "spelregels-boekje.pdf"):
        fonts = {str(f["/BaseFont"]) for f in pdfread.fonts(full / name)}
        assert fonts and all("+" in f and "Lato" in f for f in fonts), (name, fonts)
