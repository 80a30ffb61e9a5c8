"""The README's example deck is the one in examples/minimal/, and `check` accepts it."""

from __future__ import annotations

import re

from conftest import ROOT, run_cli


def test_readme_example_is_the_checked_example_deck() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)\n```", readme, flags=re.S)
    example = ROOT / "examples" / "minimal"
    assert blocks[0] == (example / "deck.yaml").read_text(encoding="utf-8").rstrip()
    assert blocks[1] == (example / "cards" / "kaarten.yaml").read_text(encoding="utf-8").rstrip()
    result = run_cli("check", "--deck", str(example))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 3 cards")


def test_readme_starts_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:400]
    assert "make deck" in head and "make test" in head
