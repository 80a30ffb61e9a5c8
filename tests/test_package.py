"""kaartspel as a package: fonts and the example deck are package data, `kaartspel example`
copies the deck out, and outside a deck folder `build` says how to start. (The installed
wheel itself is tested by .ci/wheel-test, which .ci/run runs.)"""

from __future__ import annotations

import tomllib
from pathlib import Path

from conftest import DEFAULT_DECK, ROOT, run_cli
from kaartspel import example, fonts


def test_fonts_and_their_licence_are_package_data() -> None:
    folder = fonts.font_dir()
    assert folder == ROOT / "src" / "kaartspel" / "fonts"
    assert sorted(p.name for p in folder.glob("*.ttf")) == [
        "Lato-Black.ttf",
        "Lato-Bold.ttf",
        "Lato-Italic.ttf",
        "Lato-Regular.ttf",
    ]
    assert "SIL OPEN FONT LICENSE" in (folder / "OFL.txt").read_text(encoding="utf-8").upper()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = project["tool"]["setuptools"]["package-data"]["kaartspel"]
    assert "fonts/*.ttf" in data and "fonts/OFL.txt" in data
    assert project["project"]["license-files"] == ["LICENSE", "src/kaartspel/fonts/OFL.txt"]
    assert any(c.startswith("Topic :: Printing") for c in project["project"]["classifiers"])


def test_in_a_checkout_the_example_is_the_default_deck() -> None:
    assert example.example_deck() == DEFAULT_DECK


def test_example_copies_the_default_deck_and_it_builds(tmp_path: Path) -> None:
    result = run_cli("example", "mijn-deck", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    copied = sorted(
        p.relative_to(tmp_path / "mijn-deck") for p in (tmp_path / "mijn-deck").rglob("*")
    )
    original = sorted(p.relative_to(DEFAULT_DECK) for p in DEFAULT_DECK.rglob("*"))
    assert copied == original
    assert result.stdout == (
        f"mijn-deck: {sum(1 for p in DEFAULT_DECK.rglob('*') if p.is_file())} files of the "
        "example deck\nnext: kaartspel check --deck mijn-deck\n"
    )
    check = run_cli("check", "--deck", "mijn-deck", cwd=tmp_path)
    assert check.returncode == 0
    assert check.stdout == run_cli("check", "--deck", str(DEFAULT_DECK)).stdout


def test_example_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = run_cli("example", "mine", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "mine: the folder is not empty; give a new or empty folder, so no file of yours "
        "is overwritten.\n"
    )
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    assert run_cli("example", "empty", cwd=tmp_path).returncode == 0


def test_build_outside_a_deck_folder_says_how_to_start(tmp_path: Path) -> None:
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 3
    assert result.stderr == (
        "deck: the deck folder does not exist. Give the folder that holds deck.yaml with "
        "--deck DIR, or start a deck from the example: kaartspel example DIR.\n"
        "1 problem found in the deck; nothing was written.\n"
    )
    assert list(tmp_path.iterdir()) == []
