"""`kaartspel new DIR`: a starter deck that builds at once and teaches the format.

Its files are package data, one folder per language (`data/starter/<language>/`: deck.yaml,
design.yaml, cards/, rules.md, all commented) and the shared `data/starter/assets/` (the
placeholder logo on the backs). A folder that already holds files is refused (exit 2).
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from .errors import FolderNotEmpty
from .output import write_all
from .source import display_path

ROOT = "data/starter"


def languages() -> tuple[str, ...]:
    folder = resources.files("kaartspel").joinpath(ROOT)
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name != "assets"))


def _files(folder: Traversable, prefix: Path) -> dict[Path, bytes]:
    out: dict[Path, bytes] = {}
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.is_dir():
            out.update(_files(item, prefix / item.name))
        elif not item.name.startswith((".", "__")):
            out[prefix / item.name] = item.read_bytes()
    return out


def create(target: Path, language: str) -> list[Path]:
    """Write the starter deck of `language` into `target` (which must be empty or absent)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FolderNotEmpty(
            f"{display_path(target)}: the folder is not empty; kaartspel new writes a deck "
            "only into a new or empty folder."
        )
    data = resources.files("kaartspel").joinpath(ROOT)
    files = _files(data.joinpath(language), target)
    files.update(_files(data.joinpath("assets"), target / "assets"))
    return write_all(files)
