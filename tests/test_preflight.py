"""`kaartspel check --report`: a preflight report per face (text size and room to spare, QR,
contrast, image resolution, ink, glyphs) with a summary on top; failures on stderr, exit 9
on errors. Read back by parsing the HTML."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image as PILImage

from conftest import DEFAULT_DECK, ROOT, run_cli
from kaartspel import fonts, layout, preflight
from kaartspel.cli import main
from kaartspel.errors import DoesNotFit
from kaartspel.layout import CardSize, Face, Fill, Image, TextLine
from kaartspel.load import load_deck
from kaartspel.units import mm

FILLER = (
    "Buren spreken elke maand af in het wijkhuis en bespreken wat hen opviel in de straat, "
    "wat beter kan en wie daarvoor zorgt. "
)


class Cells(HTMLParser):
    """{(face, side): {check: (class, text)}}, the summary {check: {level: n}}, and the
    problem list items."""

    def __init__(self) -> None:
        super().__init__()
        self.faces: dict[tuple[str, str], dict[str, tuple[str, str]]] = {}
        self.summary: dict[str, dict[str, int]] = {}
        self.problems: list[tuple[str, str, str]] = []  # (face, check, text)
        self._row: tuple[str, str] | None = None
        self._summary_row: str | None = None
        self._cell: tuple[str, str] | None = None  # (check or level, class)
        self._item: tuple[str, str] | None = None
        self._text = ""
        self._table = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self._table = a.get("id", "")
        elif tag == "tr" and "data-face" in a:
            self._row = (a["data-face"], a["data-side"])
            self.faces[self._row] = {}
        elif tag == "tr" and self._table == "summary" and "data-check" in a:
            self._summary_row = a["data-check"]
            self.summary[self._summary_row] = {}
        elif tag == "td" and ("data-check" in a or "data-level" in a):
            self._cell = (a.get("data-check") or a["data-level"], a.get("class", ""))
            self._text = ""
        elif tag == "li":
            self._item = (a["data-face"], a["data-check"])
            self._text = ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell:
            if self._table == "faces" and self._row:
                self.faces[self._row][self._cell[0]] = (self._cell[1], self._text)
            elif self._table == "summary" and self._summary_row:
                self.summary[self._summary_row][self._cell[0]] = int(self._text)
            self._cell = None
        elif tag == "li" and self._item:
            self.problems.append((*self._item, self._text))
            self._item = None


def _read(path: Path) -> Cells:
    cells = Cells()
    cells.feed(path.read_text(encoding="utf-8"))
    return cells


def _near_overflow_text(deck_dir: Path) -> str:
    """The longest run of FILLER words that still fits on a poker tip card."""
    deck = load_deck(deck_dir)
    card = next(c for c in deck.cards if c.id == "P01")
    fonts.use(deck.fonts)
    words = (FILLER * 12).split()
    size = CardSize.from_mm(63, 88, 3, 3)

    def fits(n: int) -> bool:
        try:
            layout.fronts(deck, [replace(card, text=" ".join(words[:n]))], size)
        except DoesNotFit:
            return False
        return True

    low, high = 1, len(words)
    assert fits(low) and not fits(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return " ".join(words[:low])


@pytest.fixture(scope="module")
def full_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal example with a tip card whose text only just fits."""
    deck = tmp_path_factory.mktemp("preflight") / "deck"
    shutil.copytree(ROOT / "examples" / "minimal", deck)
    cards = (deck / "cards" / "kaarten.yaml").read_text(encoding="utf-8")
    text = _near_overflow_text(deck)
    cards = cards.replace(
        "text: {nl: Vertel wat er met de inbreng gebeurde., fr: Dites ce qu'il advient des idées.}",
        f"text: {{nl: {json.dumps(text)}, fr: {json.dumps(text)}}}",
    )
    assert text in cards
    (deck / "cards" / "kaarten.yaml").write_text(cards, encoding="utf-8")
    return deck


LIGHT_GREY = (0.78, 0.78, 0.78)


def _grey_body(monkeypatch: pytest.MonkeyPatch, card_id: str) -> None:
    """Lay out card `card_id` with its body text in light grey: what a design with a
    light-grey text colour gives (the built-in design keeps text dark on light grounds)."""
    original = layout.front

    def front(deck, card, *args, **kwargs):  # type: ignore[no-untyped-def]
        face = original(deck, card, *args, **kwargs)
        if face.key != card_id:
            return face
        return replace(
            face,
            items=tuple(
                replace(i, colour=LIGHT_GREY)
                if isinstance(i, TextLine) and i.font == "regular" and i.colour[0] < 0.2
                else i
                for i in face.items
            ),
        )

    monkeypatch.setattr(layout, "front", front)


def test_the_report_finds_light_grey_text_and_a_nearly_full_card(
    full_deck: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _grey_body(monkeypatch, "I01")
    report = tmp_path / "preflight.html"
    result = CliRunner().invoke(main, ["check", "--deck", str(full_deck), "--report", str(report)])
    assert result.exit_code == 9, result.output
    assert result.stdout.splitlines()[-1] == f"preflight report: {report}"
    cells = _read(report)
    grey = cells.faces[("I01", "front")]
    assert grey["contrast"][0] == "error"
    assert grey["contrast"][1] == f"{preflight.contrast(LIGHT_GREY, (1, 1, 1)):.1f}:1"
    assert cells.faces[("I02", "front")]["contrast"][0] == "ok"
    assert cells.faces[("P01", "front")]["fit"] == ("warning", "less than 1 mm")
    assert cells.faces[("I01", "front")]["fit"][0] == "ok"
    faces = len(cells.faces)  # 3 fronts and their 3 backs
    assert faces == 6
    assert cells.summary["contrast"] == {"ok": faces - 1, "warning": 0, "error": 1}
    assert cells.summary["fit"] == {"ok": 2, "warning": 1, "error": 0}
    assert cells.summary["images"] == {"ok": faces, "warning": 0, "error": 0}
    problems = {(face, check) for face, check, _ in cells.problems}
    assert problems == {("I01", "contrast"), ("P01", "fit")}
    # the same findings on stderr, located, and the closing line
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"error: {full_deck}/cards/kaarten.yaml:2:5: I01 (front): the address element's text "
        "'example.org/buurtkrant' "
        "in #C7C7C7 on #FFFFFF has a contrast of 1.7:1; at least 4.5:1 is needed to read it "
        "in print"
    )
    assert lines[1].startswith("warning: ") and lines[1].endswith(
        "P01 (front): the text nearly overflows: with 1 mm less room it would not fit; "
        "shorten it a little so it survives a later edit"
    )
    assert lines[-1] == f"1 preflight errors (and 1 warnings); see {report}."


def test_warnings_alone_exit_0_through_the_real_command(full_deck: Path, tmp_path: Path) -> None:
    report = tmp_path / "preflight.html"
    result = run_cli("check", "--deck", str(full_deck), "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("warning: ") and "P01 (front)" in result.stderr
    assert _read(report).faces[("P01", "front")]["fit"][0] == "warning"


def test_the_default_deck_is_clean(tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    result = run_cli("check", "--deck", str(DEFAULT_DECK), "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    cells = _read(report)
    assert len(cells.faces) > 76
    assert list(cells.summary) == [c for c, _ in preflight.CHECKS]
    for check, counts in cells.summary.items():
        assert counts["error"] == counts["warning"] == 0, check
    t01 = cells.faces[("T01", "front")]
    assert t01["qr"][0] == "ok" and t01["qr"][1].startswith("0.4")
    assert t01["text"][1].startswith("5.5 pt")
    assert "Lato-Regular" in t01["glyphs"][1]


def test_a_low_resolution_image_is_an_error_and_a_fine_one_passes(tmp_path: Path) -> None:
    PILImage.new("RGB", (120, 80)).save(tmp_path / "logo.png")
    size = CardSize.from_mm(63, 88)
    ground = Fill((0, 0, size.width, size.height), (1, 1, 1))
    text = TextLine(10, 10, "Logo", "regular", 8, (0, 0, 0))

    def face(width_mm: float) -> Face:
        rect = (mm(5), mm(5), mm(5 + width_mm), mm(5 + width_mm * 80 / 120))
        return Face("X", "front", size, (ground, Image("logo.png", rect, rect), text))

    # 120 px over 20 mm = 152 dpi: warning; over 25.4 mm = 120 dpi: error; 10 mm = 305 dpi
    for width, level in ((20, "warning"), (25.4, "error"), (10, "ok")):
        found = preflight._images(face(width), tmp_path)
        assert found.level == level, (width, found)
    assert preflight._images(face(25.4), tmp_path).value == "120 dpi (logo.png)"
    vector = Face("Y", "front", size, (ground, Image("logo.svg", ground.rect, ground.rect)))
    assert preflight._images(vector, tmp_path).value == "no raster image"


def test_ink_above_the_limit_is_a_warning() -> None:
    size = CardSize.from_mm(63, 88)
    rich = Face("Z", "front", size, (Fill((0, 0, 10, 10), (0.1, 0.1, 0.1)),))
    found = preflight._ink(rich, lambda c: (0.75, 0.68, 0.67, 0.90), 300)
    assert (found.level, found.value) == ("ok", "300 % (#1A1A1A)")  # at the limit: fine
    found = preflight._ink(rich, lambda c: (0.8, 0.7, 0.7, 0.9), 300)
    assert found.level == "warning" and found.value == "310 % (#1A1A1A)"
    assert "above the 300 % the print takes" in found.message
    assert preflight._ink(rich, lambda c: (0.8, 0.7, 0.7, 0.9), 320).level == "ok"


def test_wcag_contrast_figures() -> None:
    assert preflight.contrast((0, 0, 0), (1, 1, 1)) == pytest.approx(21)
    assert preflight.contrast((1, 1, 1), (1, 1, 1)) == pytest.approx(1)
    assert preflight.contrast((0.4627, 0.4627, 0.4627), (1, 1, 1)) == pytest.approx(4.54, abs=0.02)
