"""Build step: the default deck (./deck, where `make deck` builds it) goes into the wheel as
package data `kaartspel/example_deck/`, so an installed kaartspel can copy it out with
`kaartspel example DIR`. Everything else about the package is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DECK = Path(__file__).resolve().parent / "deck"


class BuildWithDeck(build_py):
    def run(self) -> None:
        super().run()
        if not (DECK / "deck.yaml").is_file():
            raise SystemExit(f"{DECK}: the default deck is missing; cannot build kaartspel")
        target = Path(self.build_lib) / "kaartspel" / "example_deck"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(DECK, target)


setup(cmdclass={"build_py": BuildWithDeck})
