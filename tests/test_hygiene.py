"""Link hygiene: `check` warns (exit 0, stderr, counted) on tracking parameters and http."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import DEFAULT_DECK, ROOT, run_cli
from kaartspel.hygiene import problems


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://youtu.be/Bsk6kRhOFtY", []),
        ("https://www.g1000.org/nl/cases?page=0", []),
        (
            "https://www.youtube.com/watch?app=desktop&v=Bsk6kRhOFtY",
            ["client parameter 'app=desktop'; remove it"],
        ),
        (
            "https://example.org/a?utm_source=nieuwsbrief&utm_medium=mail&id=3",
            [
                "tracking parameter 'utm_source'; remove it",
                "tracking parameter 'utm_medium'; remove it",
            ],
        ),
        ("https://example.org/?fbclid=IwAR0x", ["tracking parameter 'fbclid'; remove it"]),
        ("https://example.org/?GCLID=1", ["tracking parameter 'GCLID'; remove it"]),
        ("http://example.org/page", ["plain http:// link; use https:// where the site has it"]),
        (
            "HTTP://example.org/?utm_campaign=x",
            [
                "plain http:// link; use https:// where the site has it",
                "tracking parameter 'utm_campaign'; remove it",
            ],
        ),
        ("https://example.org/utm_source/page", []),  # only the query counts
    ],
)
def test_problems_of_one_url(url: str, expected: list[str]) -> None:
    assert problems(url) == expected


CARDS = """\
cards:
  - id: I01
    type: inspiratie
    segment: informeren
    subform: kanalen
    title: Buurtkrant met cijfers
    text: Elk kwartaal een pagina met de meldingen in de wijk.
    facets:
      doelstelling: [informeren]
      doelgroep: [iedereen]
    links:
      - {url: "https://example.org/buurtkrant", kind: website}
      - {url: "http://example.org/oud?utm_source=x", kind: source}
  - id: P01
    type: tip
    title: Koppel altijd terug
    text: Vertel wat er met de inbreng gebeurde.
    links:
      - {url: "https://www.youtube.com/watch?app=desktop&v=abc", kind: video}
"""


def test_check_warns_on_stderr_counts_and_still_succeeds(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "examples" / "minimal", deck)
    (deck / "cards" / "kaarten.yaml").write_text(CARDS, encoding="utf-8")
    result = run_cli("check", "--deck", "deck", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "deck/cards/kaarten.yaml:2:5: warning: I01 link 2: plain http:// link; use https:// "
        "where the site has it: http://example.org/oud?utm_source=x",
        "deck/cards/kaarten.yaml:2:5: warning: I01 link 2: tracking parameter 'utm_source'; "
        "remove it: http://example.org/oud?utm_source=x",
        "deck/cards/kaarten.yaml:14:5: warning: P01 link 1: client parameter 'app=desktop'; "
        "remove it: https://www.youtube.com/watch?app=desktop&v=abc",
    ]
    assert result.stdout.startswith("OK: 2 cards")
    assert result.stdout.rstrip().endswith(" · 3 link warnings")


def test_bibliography_links_are_checked_too(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "examples" / "minimal", deck)
    text = (deck / "deck.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    text: Myhill, A. (2012). Community engagement in policing. NPIA, UK.",
        "    text: Myhill, A. (2012). Community engagement in policing. NPIA, UK.\n"
        "    url: http://example.org/myhill",
    )
    (deck / "deck.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--deck", "deck", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "deck/deck.yaml: warning: bibliography 'myhill2012': plain http:// link; use https:// "
        "where the site has it: http://example.org/myhill"
    ]
    assert result.stdout.rstrip().endswith(" · 1 link warning")


def test_default_deck_has_no_link_warnings() -> None:
    result = run_cli("check", "--deck", str(DEFAULT_DECK))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.rstrip().endswith(" · 0 link warnings")
