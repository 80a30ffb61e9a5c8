"""The build pipeline, read top to bottom: load, select, lay out, impose, paint, write.

Everything is checked and rendered in memory before the first byte is written, so a
failed build leaves the previous outputs untouched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import impose, layout, paint
from .errors import BadFilter
from .filters import Selection, select
from .load import load_deck, load_rules
from .model import Deck


@dataclass(frozen=True)
class BuildOptions:
    deck_dir: Path
    out_dir: Path
    selection: Selection
    paper: str = "a4"
    duplex: str = "long"
    language: str | None = None
    booklet: bool = True


def output_stem(selection: Selection, base: str = "kaarten") -> str:
    label = selection.label()
    return base + (f"-{label}" if label else "")


def _pdf(deck: Deck, sheets: list[impose.Sheet], faces: dict[str, layout.Face], what: str) -> bytes:
    return paint.render(
        sheets,
        faces,
        title=f"{deck.title} — {what}",
        author=", ".join(deck.authors),
        subject=f"{deck.title} v{deck.version}",
    )


def _manifest(sheets: list[impose.Sheet]) -> bytes:
    return (json.dumps(impose.manifest(sheets), indent=1) + "\n").encode()


def build(options: BuildOptions) -> list[Path]:
    """Build the card sheets; returns the paths written."""
    from .output import prepare_folder, write_all

    deck = load_deck(options.deck_dir, options.language)
    cards = select(deck, options.selection)
    if not cards:
        raise BadFilter("no card matches these filters; nothing was written.")
    size = layout.POKER
    faces: dict[str, layout.Face] = {f.key: f for f in layout.fronts(deck, cards, size)}
    keys = sorted({layout.back_key(c) for c in cards})
    faces.update({k: layout.back(deck, k, size) for k in keys})
    grid = impose.make_grid(impose.Paper.named(options.paper), size)
    pairs = [(c.id, layout.back_key(c)) for c in cards]
    sheets = impose.impose(grid, pairs, options.duplex)
    rules = load_rules(deck) if options.booklet else None
    prepare_folder(options.out_dir)
    stem = output_stem(options.selection)
    files: dict[Path, bytes] = {}
    if options.duplex == "none":
        for side, name in (("front", "voorkant"), ("back", "achterkant")):
            part = [s for s in sheets if s.side == side]
            part = [
                impose.Sheet(i, s.side, s.width, s.height, s.slots, s.marks)
                for i, s in enumerate(part)
            ]
            pdf = options.out_dir / f"{stem}-{name}.pdf"
            files[pdf] = _pdf(deck, part, faces, f"kaarten ({name})")
            files[pdf.with_suffix(".layout.json")] = _manifest(part)
    else:
        pdf = options.out_dir / f"{stem}.pdf"
        files[pdf] = _pdf(deck, sheets, faces, "kaarten")
        files[pdf.with_suffix(".layout.json")] = _manifest(sheets)
    if rules is not None:
        from . import booklet

        reading, imposed = booklet.render(deck, cards, rules)
        book = output_stem(options.selection, "spelregels")
        files[options.out_dir / f"{book}.pdf"] = reading
        files[options.out_dir / f"{book}-boekje.pdf"] = imposed
    return write_all(files)
