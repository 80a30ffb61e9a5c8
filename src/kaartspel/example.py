"""The default deck as an example to start from: where it is, and copying it out.

An installed kaartspel carries it as package data (`kaartspel/example_deck/`, put into the
wheel by setup.py from the repository's `deck/`); a checkout uses `deck/` itself.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from .errors import BadFilter, CannotWrite
from .source import display_path


def example_deck() -> Path:
    """The folder of the default deck shipped with kaartspel."""
    packaged = Path(str(resources.files("kaartspel").joinpath("example_deck")))
    if (packaged / "deck.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "deck"  # a checkout (editable install)


def copy_example(target: Path) -> list[Path]:
    """Copy the default deck into `target` (new or empty); returns the files written."""
    if target.exists() and not target.is_dir():
        raise BadFilter(f"{display_path(target)}: this is a file; give a new or empty folder.")
    if target.is_dir() and any(target.iterdir()):
        raise BadFilter(
            f"{display_path(target)}: the folder is not empty; give a new or empty folder, "
            "so no file of yours is overwritten."
        )
    source = example_deck()
    try:
        shutil.copytree(source, target, dirs_exist_ok=True)
    except OSError as exc:
        raise CannotWrite(
            f"{display_path(target)}: cannot copy the example deck: {exc.strerror}."
        ) from None
    return sorted(p for p in target.rglob("*") if p.is_file())
