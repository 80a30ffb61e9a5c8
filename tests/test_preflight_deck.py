"""Issue 14, the preflight through a real deck: tests/data/preflight is a deck whose design
places a logo of too few pixels for print, colours the place line light grey on white, and
whose card I01 carries a body text that only just fits. `kaartspel check --report` (the real
command, in a subprocess) must find exactly those three, each on its card and naming its
design element, in the HTML report and on stderr.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

from bounded import run
from conftest import ROOT
from kaartspel import preflight

DECK = "tests/data/preflight"


class Report(HTMLParser):
    """The report's cells {(face, side): {check: (class, text, element)}}, the summary
    {check: {level: n}} and its problem items [(face, check, class, element, text)]."""

    def __init__(self) -> None:
        super().__init__()
        self.faces: dict[tuple[str, str], dict[str, tuple[str, str, str]]] = {}
        self.summary: dict[str, dict[str, int]] = {}
        self.problems: list[tuple[str, str, str, str, str]] = []
        self._table = ""
        self._row: tuple[str, str] | None = None
        self._check = ""
        self._open: dict[str, str] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table":
            self._table = a.get("id", "")
        elif tag == "tr" and "data-face" in a:
            self._row = (a["data-face"], a["data-side"])
            self.faces[self._row] = {}
        elif tag == "tr" and "data-check" in a:
            self._check = a["data-check"]
            self.summary[self._check] = {}
        elif tag in ("td", "li") and ("data-check" in a or "data-level" in a):
            self._open, self._text = a, ""

    def handle_data(self, data: str) -> None:
        self._text += data

    def handle_endtag(self, tag: str) -> None:
        a, self._open = self._open, None
        if a is None or tag not in ("td", "li"):
            self._open = a
            return
        element = a.get("data-element", "")
        if tag == "li":
            self.problems.append((a["data-face"], a["data-check"], a["class"], element, self._text))
        elif self._table == "faces" and self._row:
            self.faces[self._row][a["data-check"]] = (a.get("class", ""), self._text, element)
        elif self._table == "summary":
            self.summary[self._check][a["data-level"]] = int(self._text)


def test_the_fixture_is_what_it_says() -> None:
    # the logo: 128 px over 20 mm (163 dpi: above the layout's 150, below print's 300)
    with Image.open(ROOT / DECK / "assets" / "logo.png") as logo:
        assert logo.size == (128, 128)
    design = (ROOT / DECK / "design.yaml").read_text(encoding="utf-8")
    assert 'faint: "#DDDDDD"' in design and "box: [37mm, 62mm, 20mm, 20mm]" in design
    assert preflight.contrast((0xDD / 255,) * 3, (1, 1, 1)) < preflight.CONTRAST[1]


def test_the_report_of_a_real_deck_has_exactly_its_three_findings(tmp_path: Path) -> None:
    path = tmp_path / "preflight.html"
    result = run(["check", "--deck", DECK, "--report", str(path)], ROOT, seconds=60)
    assert result.code == 9  # the contrast is an error; the other two are warnings
    assert result.out.splitlines()[-1] == f"preflight report: {path}"
    where = f"{DECK}/cards/kaarten.yaml"
    fit = (
        f"warning: {where}:2:5: I01 (front): the text nearly overflows: with 1 mm less room "
        "it would not fit; shorten it a little so it survives a later edit"
    )
    grey = (
        f"error: {where}:24:5: I02 (front): the place element's text 'Wielegem' in #DDDDDD on "
        "#FFFFFF has a contrast of 1.4:1; at least 4.5:1 is needed to read it in print"
    )
    logo = (
        f"warning: {where}:34:5: P01 (front): the logo element's image assets/logo.png prints "
        "at 163 dpi; print needs 300 dpi (below 150 it looks blurred): use a larger image or "
        "place it smaller"
    )
    assert result.err.splitlines() == [
        fit,
        grey,
        logo,
        f"1 preflight errors (and 2 warnings); see {path}.",
    ]

    report = Report()
    report.feed(path.read_text(encoding="utf-8"))
    assert report.problems == [
        ("I01", "fit", "warning", "text", fit),
        ("I02", "contrast", "error", "place", grey),
        ("P01", "images", "warning", "logo", logo),
    ]
    found = {
        (face, check): cell
        for (face, _side), cells in report.faces.items()
        for check, cell in cells.items()
        if cell[0] not in ("ok", "")  # a back has no "fit" cell
    }
    assert found == {
        ("I01", "fit"): ("warning", "less than 1 mm", "text"),
        ("I02", "contrast"): ("error", "1.4:1", "place"),
        ("P01", "images"): ("warning", "163 dpi (assets/logo.png)", "logo"),
    }
    # every face checked: 3 fronts and the backs they use; everything else is fine
    assert {face for face, side in report.faces if side == "front"} == {"I01", "I02", "P01"}
    faces = len(report.faces)
    assert report.summary["fit"] == {"ok": 2, "warning": 1, "error": 0}
    assert report.summary["contrast"] == {"ok": faces - 1, "warning": 0, "error": 1}
    assert report.summary["images"] == {"ok": faces - 1, "warning": 1, "error": 0}
    for check in ("text", "qr", "ink", "glyphs"):
        assert report.summary[check] == {"ok": faces, "warning": 0, "error": 0}, check


def test_the_real_deck_builds(tmp_path: Path) -> None:
    # the three findings are print-quality warnings, not layout failures: the deck builds
    result = run(["build", "--deck", str(ROOT / DECK), "--out", "o", "--no-booklet"], tmp_path, 60)
    assert result.code == 0, result.err
    assert (tmp_path / "o" / "kaarten.pdf").is_file()


def test_a_logo_too_coarse_for_the_layout_is_in_the_report_too(tmp_path: Path) -> None:
    # 40 x 40 px over 20 mm (51 dpi): the layout refuses it, as `build` would (exit 5), and
    # the report is written all the same, with that refusal as P01's error
    shutil.copytree(ROOT / DECK, tmp_path / "deck")
    Image.new("RGB", (40, 40), (123, 60, 200)).save(tmp_path / "deck" / "assets" / "logo.png")
    result = run(["check", "--deck", "deck", "--report", "r.html"], tmp_path, seconds=60)
    refusal = (
        "the image assets/logo.png of the logo (design deck/design.yaml:14:7) prints at 51 dpi "
        "on this card; at least 150 dpi is needed. Use a larger image or an SVG."
    )
    assert (result.code, result.out) == (5, "preflight report: r.html\n")
    assert result.err == (
        f"deck/cards/kaarten.yaml:34:5: card P01: {refusal}\n1 card does not fit; nothing was "
        "written.\n"
    )
    report = Report()
    report.feed((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert [
        (face, check, level, element) for face, check, level, element, _ in report.problems
    ] == [
        ("I01", "fit", "warning", "text"),
        ("I02", "contrast", "error", "place"),
        ("P01", "fit", "error", "logo"),
    ]
    assert report.problems[2][4] == f"error: deck/cards/kaarten.yaml:34:5: P01 (front): {refusal}"
    assert report.faces[("P01", "front")]["fit"] == ("error", "does not fit", "logo")
