"""A designer's own fonts: named in deck.yaml, used everywhere, and kept inside the deck."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfread
from conftest import DEFAULT_DECK, ROOT, run_cli


def _deck(tmp_path: Path, style: str) -> Path:
    deck = tmp_path / "deck"
    shutil.copytree(DEFAULT_DECK, deck)
    (deck / "fonts").mkdir()
    # a stand-in for a designer's font: the bundled Lato Italic, under another name
    shutil.copy(
        ROOT / "src" / "kaartspel" / "fonts" / "Lato-Italic.ttf",
        deck / "fonts" / "Huisstijl-Regular.ttf",
    )
    with (deck / "deck.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nstyle:\n" + style)
    return deck


def test_deck_fonts_are_used_on_cards_and_in_the_booklet(tmp_path: Path) -> None:
    _deck(tmp_path, "  fonts:\n    regular: fonts/Huisstijl-Regular.ttf\n")
    result = run_cli("build", "--deck", "deck", "--out", "out", "--id", "T01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    # the stand-in file is Lato Italic inside: every face on the cards and in the booklet is it
    # (bold, italic and black fall back to the deck's regular), none is the bundled Lato
    assert pdfread.base_names(tmp_path / "out" / "kaarten-t01.pdf") == {"Lato-Italic"}
    assert pdfread.base_names(tmp_path / "out" / "spelregels-t01.pdf") == {"Lato-Italic"}


def test_a_font_outside_the_deck_is_refused(tmp_path: Path) -> None:
    _deck(tmp_path, "  fonts:\n    regular: ../Lato-Regular.ttf\n")
    result = run_cli("check", "--deck", "deck", cwd=tmp_path)
    assert result.returncode == 4
    assert result.stderr.endswith(
        "style.fonts.regular: '../Lato-Regular.ttf' leaves the deck folder; name the font by a "
        "path inside the deck folder, such as fonts/MyFont-Regular.ttf\n"
    )
    assert result.stderr.startswith("deck/deck.yaml:")


def test_a_font_linking_outside_the_deck_is_refused(tmp_path: Path) -> None:
    deck = _deck(tmp_path, "  fonts:\n    regular: fonts/link.ttf\n")
    (deck / "fonts" / "link.ttf").symlink_to(
        ROOT / "src" / "kaartspel" / "fonts" / "Lato-Regular.ttf"
    )
    result = run_cli("build", "--deck", "deck", "--out", "out", cwd=tmp_path)
    assert result.returncode == 4
    assert "'fonts/link.ttf' points outside the deck folder (through a link)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_or_broken_font_is_a_clear_error(tmp_path: Path) -> None:
    deck = _deck(
        tmp_path, "  fonts:\n    regular: fonts/Huisstijl-Regular.ttf\n    bold: fonts/Kapot.ttf\n"
    )
    result = run_cli("check", "--deck", "deck", cwd=tmp_path)
    assert result.returncode == 4
    assert "style.fonts.bold: the font 'fonts/Kapot.ttf' is not there" in result.stderr
    (deck / "fonts" / "Kapot.ttf").write_bytes(b"not a font at all")
    result = run_cli("build", "--deck", "deck", "--out", "out", "--id", "T01", cwd=tmp_path)
    assert result.returncode == 4
    assert "this font cannot be used" in result.stderr
    assert "kaartspel needs TrueType fonts" in result.stderr
    assert "Traceback" not in result.stderr
