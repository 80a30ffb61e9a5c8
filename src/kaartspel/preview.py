"""Previews for designers: a PNG of each chosen card's front and back, a contact sheet of
them in pages of 48 (`overzicht.pdf` and a PNG per page), and `preview.json`, which says
where each face's problems are.

A card that does not fit is drawn anyway, the elements that do not fit outlined in red with
a red note, and the command exits 5 listing them after writing the previews. The preview
folder holds only the files of the last run: files of cards no longer chosen are removed.
`kaartspel watch` re-renders only the cards that changed through `render_faces`.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import fonts, impose, layout
from .build import BuildOptions, _pdf, drawn_glyphs, output_stem
from .export import ContactSheet, Parts, contact_sheet, drawn_alike, png_faces
from .filters import describe, no_match, select
from .load import load_deck
from .model import Card, Deck
from .settings import Print, check_flags, check_number, resolve
from .wording import for_language

TITLE = "kaarten (preview)"  # the PDF's, which no one sees
OWN = (".png", ".pdf", ".json")  # what the preview folder holds; anything else is left alone
PAINT_FIRST = 24  # faces painted before rendering begins; the others are painted meanwhile,
PAINT_PART = 64  # in parts of this many faces, each rendered as soon as it is painted


@dataclass
class Rendered:
    """PNG bytes of faces: fronts by card id, backs by back key; problems and their boxes."""

    fronts: dict[str, bytes] = field(default_factory=dict)
    backs: dict[str, bytes] = field(default_factory=dict)
    back_of: dict[str, str] = field(default_factory=dict)  # card id -> back key
    problems: list[str] = field(default_factory=list)
    marks: dict[tuple[str, str], list[tuple[str, Any]]] = field(default_factory=dict)
    by_face: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # their problems
    size: tuple[float, float] = (0.0, 0.0)  # face size in points (trim, no bleed)
    # the contact sheet, drawn while the faces were (its last page may still be being
    # encoded: `cancel()` it when done), and its tiles
    overview: ContactSheet | None = None
    overview_tiles: list[tuple[str, str, str]] = field(default_factory=list)


def preview_print(options: BuildOptions, deck: Deck) -> Print:
    """The print settings of previews: one image per face; --dpi has bounds of its own."""
    flags = replace(options, layout="png").flags()
    if flags.dpi is not None:
        check_number("--dpi", "preview_dpi", flags.dpi)
    check_flags(replace(flags, dpi=None))
    return replace(resolve(flags, deck.print), layout="png")


def render_faces(
    deck: Deck, cards: list[Card], pr: Print, have: Iterable[str] = (), overview: bool = False
) -> Rendered:
    """The faces of `cards` and their distinct backs (but those in `have`) as PNGs; faces
    that do not fit are drawn with their problems marked. With `overview`, also the contact
    sheet of them all (`sheet_files`), drawn from the images while the PNGs are encoded: the
    caller cancels `Rendered.overview` once it has written it."""
    return _Faces(deck, cards, pr, have, overview).render()


class _Faces:
    """`render_faces` in two steps: laid out, the first PAINT_FIRST faces painted (one page
    per face) and the contact sheet begun at once; `render()` renders them, handing each PNG
    to its Future in `promised` (by card id and side) as soon as it is made. The other faces
    are painted meanwhile on a thread of their own (`_paint`), in parts of PAINT_PART, one
    PDF each (the same pixels as one PDF of them all), so the renderer starts early."""

    def __init__(
        self, deck: Deck, cards: list[Card], pr: Print, have: Iterable[str], overview: bool
    ) -> None:
        fonts.use(deck.fonts)
        laid = layout.lay_out(deck, cards, pr.size, lenient=True)
        drawn_glyphs(laid.faces, deck)
        fronts = impose.impose_printshop(pr.size, [(c, c) for c, _ in laid.pairs], ("front",))
        skip = set(have)
        keys = [k for k in dict.fromkeys(k for _, k in laid.pairs) if k not in skip]
        backs = impose.impose_printshop(pr.size, [(k, k) for k in keys], ("back",))
        # the backs first: each is the image of many cards' files, written while the fronts
        # are rendered (not all at the end)
        self.sheets = [replace(s, index=i) for i, s in enumerate(backs + fronts)]
        self.tile_of = [*range(len(fronts), len(self.sheets)), *range(len(fronts))]
        parts = [self.sheets[:PAINT_FIRST]]
        for start in range(PAINT_FIRST, len(self.sheets), PAINT_PART):
            parts.append(self.sheets[start : start + PAINT_PART])
        if len(parts) > 1 and len(parts[-1]) < PAINT_PART // 4:  # too few to be worth a PDF
            parts[-2:] = [parts[-2] + parts[-1]]
        parts = [[replace(s, index=i) for i, s in enumerate(part)] for part in parts]
        self.parts: Parts = [(_pdf(deck, parts[0], laid.faces, TITLE, pr), len(parts[0]))]
        later: list[tuple[list[impose.Sheet], Future[bytes]]] = [(p, Future()) for p in parts[1:]]
        self.parts += [(pdf, len(part)) for part, pdf in later]
        self.stop = threading.Event()
        if later:
            paint = (deck, later, laid.faces, pr, self.stop)
            threading.Thread(target=_paint, args=paint, name="paint", daemon=True).start()
        self.dpi = pr.dpi
        out = self.out = Rendered(
            problems=laid.problems, marks=laid.marks, back_of=dict(laid.pairs)
        )
        out.by_face = laid.by_face
        out.size = (pr.size.width, pr.size.height)
        del laid
        self.promised: dict[tuple[str, str], Future[bytes]] = {
            (s.slots[0].card, s.side): Future() for s in self.sheets
        }
        tiles = overview_tiles(deck, cards, out.back_of) if overview else []
        in_tile_order = [self.sheets[0]] * len(self.sheets)
        for sheet, tile in zip(self.sheets, self.tile_of, strict=True):
            in_tile_order[tile] = sheet
        if tiles and [(key, side) for key, side, _ in tiles] == [
            (s.slots[0].card, s.side) for s in in_tile_order
        ]:  # the sheets are the contact sheet's tiles, fronts then backs (no back left out)
            out.overview_tiles = tiles
            size = (
                round(self.sheets[0].width * pr.dpi / 72),
                round(self.sheets[0].height * pr.dpi / 72),
            )
            labels = [label for _, _, label in tiles]
            # (a sheet drawn as an earlier one is of the same side: earlier among the tiles too)
            alike = drawn_alike(in_tile_order)
            out.overview = ContactSheet(labels, size, label_font(), pr.dpi, alike)

    def render(self) -> Rendered:
        out = self.out
        try:
            faces = png_faces(
                self.parts, self.sheets, self.dpi, out.overview, self.promised, self.tile_of
            )
        except BaseException:
            self.cancel()
            raise
        for (key, side), data in faces.items():
            (out.fronts if side == "front" else out.backs)[key] = data
        return out

    def cancel(self) -> None:
        """Stop painting and drawing the contact sheet (once written, or given up)."""
        self.stop.set()
        if self.out.overview is not None:
            self.out.overview.cancel()


def _paint(
    deck: Deck,
    parts: list[tuple[list[impose.Sheet], Future[bytes]]],
    faces: Mapping[str, layout.Face],
    pr: Print,
    stop: threading.Event,
) -> None:
    """Paint each part's faces, one PDF each, into its Future in turn; after a failure (or
    once stopped) the parts left get the error."""
    problem: BaseException | None = None
    for sheets, pdf in parts:
        if problem is None and stop.is_set():
            problem = RuntimeError("stopped")
        if problem is None:
            try:
                pdf.set_result(_pdf(deck, sheets, faces, TITLE, pr))
                continue
            except BaseException as exc:
                problem = exc
        pdf.set_exception(problem)


def overview_tiles(
    deck: Deck, cards: list[Card], back_of: dict[str, str]
) -> list[tuple[str, str, str]]:
    """The contact sheet's tiles as (key, side, label): each card's front labelled with its id,
    then each distinct back, in the cards' order, labelled with its key."""
    back_word = for_language(deck.language)["preview.back"]
    tiles = [(c.id, "front", c.id) for c in cards]
    for key in dict.fromkeys(back_of[c.id] for c in cards):
        tiles.append((key, "back", f"{back_word}: {key}"))
    return tiles


def label_font() -> str | None:
    """The contact sheet labels' font file (Pillow's own font when it is missing)."""
    bold = fonts.font_dir() / f"{fonts.BUNDLED['bold']}.ttf"
    return str(bold) if bold.is_file() else None


def face_files(folder: Path, rendered: Rendered, cards: list[Card]) -> dict[Path, bytes]:
    """The per-card PNGs: NAME-front.png and NAME-back.png (the card's back)."""
    files: dict[Path, bytes] = {}
    for path, (key, side) in face_paths(folder, rendered, cards).items():
        faces = rendered.fronts if side == "front" else rendered.backs
        if key in faces:
            files[path] = faces[key]
    return files


def face_paths(folder: Path, rendered: Rendered, cards: list[Card]) -> dict[Path, tuple[str, str]]:
    """Each per-card PNG's path and the face it shows (its key and side): NAME-front.png,
    NAME-back.png (the card's back)."""
    paths: dict[Path, tuple[str, str]] = {}
    for card in cards:
        paths[folder / f"{card.id}-front.png"] = (card.id, "front")
        if card.id in rendered.back_of:
            paths[folder / f"{card.id}-back.png"] = (rendered.back_of[card.id], "back")
    return paths


def sheet_files(
    deck: Deck,
    folder: Path,
    stem: str,
    cards: list[Card],
    rendered: Rendered,
    dpi: int,
    cache: dict[bytes, Any] | None = None,
    pdf: Future[bytes] | None = None,
) -> dict[Path, bytes | Future[bytes]]:
    """The paged contact sheet (each card labelled with its id, then the distinct backs) and
    preview.json: every face's file, size and problems (boxes in points from the trim's
    lower-left corner). The sheet drawn with the faces (`Rendered.overview`) is used when
    there is one (its pages may still be on their way; with `pdf`, so may its PDF, which the
    caller hands to `pdf` once the sheet is finished), else it is drawn from the PNGs."""
    tiles = overview_tiles(deck, cards, rendered.back_of)
    pngs: list[bytes | Future[bytes]]
    sheet_pdf: bytes | Future[bytes]
    if rendered.overview is not None and cache is None and tiles == rendered.overview_tiles:
        sheet_pdf = pdf if pdf is not None else rendered.overview.pdf()
        pngs = list(rendered.overview.pngs())  # they may still be on their way
    else:
        pages = [
            ((rendered.fronts if side == "front" else rendered.backs)[key], label)
            for key, side, label in tiles
        ]
        sheet_pdf, made = contact_sheet(pages, label_font(), dpi, cache=cache)
        pngs = list(made)
    files: dict[Path, bytes | Future[bytes]] = {folder / f"{stem}.pdf": sheet_pdf}
    for number, png in enumerate(pngs, 1):
        files[folder / f"{stem}-{number}.png"] = png
    faces = []
    for card in cards:
        for side, key in (("front", card.id), ("back", rendered.back_of[card.id])):
            marks = rendered.marks.get((key, side), [])
            faces.append(
                {
                    "card": card.id,
                    "side": side,
                    "file": f"{card.id}-{side}.png",
                    "problems": [
                        {"element": name, "box": [round(v, 3) for v in box]} for name, box in marks
                    ],
                }
            )
    manifest = {
        "unit": "pt",
        "size": [round(v, 3) for v in rendered.size],
        "dpi": dpi,
        "faces": faces,
        "problems": rendered.problems,
    }
    files[folder / "preview.json"] = (json.dumps(manifest, ensure_ascii=False) + "\n").encode()
    return files


def clean(folder: Path, keep: set[Path]) -> None:
    """Remove the files of earlier previews that this one did not write."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file() and path.suffix in OWN and path not in keep:
            with contextlib.suppress(OSError):
                path.unlink()


def preview(
    options: BuildOptions, report: Callable[[str], None] | None = None
) -> tuple[list[Path], list[str]]:
    """PNGs of the chosen cards (front and back), the paged contact sheet of their fronts and
    distinct backs and preview.json; returns the paths written and the problems of the
    cards that do not fit (drawn anyway, marked in red).

    The files are staged (`output.staged`) while the faces are rendered, each as soon as it
    is made; they replace the previous ones once all are there."""
    from .output import prepare_folder, staged
    from .qr import load_encoder

    load_encoder()
    deck = load_deck(options.deck_dir, options.language)
    cards = select(deck, options.selection)
    if not cards:
        raise no_match(options.selection)
    if report is not None and (line := describe(deck, options.selection, cards)):
        report(line)
    pr = preview_print(options, deck)
    faces = _Faces(deck, cards, pr, (), overview=True)
    rendered = faces.out
    try:
        folder = options.out_dir / "preview"
        files: dict[Path, bytes | Future[bytes]] = {
            path: faces.promised[face] for path, face in face_paths(folder, rendered, cards).items()
        }
        stem = output_stem(options.selection, "overzicht")
        pdf: Future[bytes] = Future()
        if rendered.overview is None:  # the contact sheet is drawn from the PNGs, once made
            faces.render()
        files.update(sheet_files(deck, folder, stem, cards, rendered, pr.dpi, pdf=pdf))
        prepare_folder(options.out_dir)
        with staged(files, options.out_dir) as commit:
            if rendered.overview is not None:
                faces.render()
                pdf.set_result(rendered.overview.pdf())  # its last page may still be encoded
            written = commit()
    finally:
        faces.cancel()
    clean(folder, set(written))
    return written, rendered.problems
