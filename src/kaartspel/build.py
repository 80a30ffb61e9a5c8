"""The build pipeline, read top to bottom: load, select, lay out, impose, paint, write.

Everything is checked and rendered in memory before the first byte is written, so a
failed build leaves the previous outputs untouched. Print settings come from the command
line, else from the deck's `print:` defaults, else from the built-in defaults.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import fonts, layout, palette, presets, shaping
from .errors import CannotDraw, DoesNotFit, SheetTooSmall, shown
from .filters import Selection, describe, no_match, select
from .geometry import CardSize, Paper
from .load import load_deck, load_rules, rules_path
from .model import Deck
from .settings import Print, PrintValues, check_flags, resolve
from .source import display_path
from .units import mm

if TYPE_CHECKING:
    from . import impose
    from .parallel import Background


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked for; None means: the deck's print default, else the built-in one."""

    deck_dir: Path
    out_dir: Path
    selection: Selection
    paper: str | None = None
    duplex: str | None = None
    language: str | None = None
    booklet: bool = True
    card: str | None = None
    bleed: float | None = None
    gap: float | None = None
    layout: str | None = None
    shop: str | None = None
    cmyk: bool | None = None
    dpi: int | None = None
    back_offset: tuple[float, float] | None = None
    force: bool = False  # a card size the print shop does not list
    instructions: bool = True  # the instruction page in front of home-print sheets
    pdfx: bool | None = None  # PDF/X for --layout printshop (default: as the shop profile says)

    def flags(self) -> PrintValues:
        """The print values given on the command line."""
        return PrintValues(
            self.card,
            self.paper,
            self.bleed,
            self.gap,
            self.layout,
            self.duplex,
            self.shop,
            self.cmyk,
            self.dpi,
            self.back_offset,
        )


def effective_print(options: BuildOptions, deck: Deck) -> Print:
    """The effective print settings (see `settings`): the flags checked, then resolved."""
    flags = options.flags()
    check_flags(flags)
    return resolve(flags, deck.print, options.force, options.pdfx)


def output_stem(selection: Selection, base: str = "kaarten") -> str:
    label = selection.label()
    return base + (f"-{label}" if label else "")


def _exact_cmyk(deck: Deck) -> dict[palette.RGB, tuple[float, float, float, float]]:
    """Colours the deck gives in CMYK keep exactly those values in CMYK output."""
    specs = [s.colour for s in deck.segments] + [t.colour for t in deck.card_types if t.colour]
    return {palette.parse(c): cmyk for c in specs if (cmyk := palette.cmyk_of(c)) is not None}


def _pdf(
    deck: Deck, sheets: list[impose.Sheet], faces: Mapping[str, layout.Face], what: str, pr: Print
) -> bytes:
    from . import paint  # imposing and painting are imported where used: `check` needs neither

    pdf = paint.render(
        sheets,
        faces,
        title=f"{deck.title} — {what}",
        author=", ".join(deck.authors),
        subject=f"{deck.title} v{deck.version}",
        cmyk=pr.cmyk,
        exact_cmyk=_exact_cmyk(deck),
        duplex=pr.duplex if pr.layout == "duplex" else None,
    )
    if pr.pdfx:
        from . import pdfx

        wanted = pr.shop.pdfx or presets.PdfX("X-1a", "FOGRA39", False)
        pdf = pdfx.make(pdf, wanted.version, wanted.condition)
    return pdf


def _manifest(deck: Deck, sheets: list[impose.Sheet], pr: Print) -> bytes:
    """The layout manifest, naming the deck version it was built from."""
    from . import impose

    data = {
        "deck": {"title": deck.title, "version": deck.version},
        **impose.manifest(sheets, pr.size.safe),
    }
    return (json.dumps(data, separators=(",", ":"), allow_nan=False) + "\n").encode()


def _reindex(sheets: list[impose.Sheet]) -> list[impose.Sheet]:
    from dataclasses import replace

    return [replace(s, index=i) for i, s in enumerate(sheets)]


def _for_home_print(
    deck: Deck, sheets: list[impose.Sheet], pr: Print, cards: int, instructions: bool
) -> list[impose.Sheet]:
    """Home-print sheets get a slug each and, unless switched off, the instruction page in
    front (in duplex long/short followed by its blank back, so the sheets stay paired)."""
    from . import instructions as notes

    sheets = notes.with_slugs(deck, sheets, pr.layout)
    if not instructions:
        return sheets
    count = sum(1 for s in sheets if s.side == "front")
    first = sheets[0]
    texts = notes.paragraphs(deck, pr.layout, pr.duplex, pr.gap, pr.paper, cards, count)
    lead = [notes.page(deck, first.width, first.height, texts)]
    if pr.layout == "duplex" and pr.duplex != "none":
        lead.append(notes.blank(first.width, first.height))
    return _reindex(lead + sheets)


def drawn_glyphs(faces: Mapping[str, layout.Face], deck: Deck) -> None:
    """Every text drawn on a face (deck title, segment names, facet labels, card texts) has
    its glyphs in the font; else `DoesNotFit` (exit 5) naming the characters and the text."""
    problems: dict[tuple[str, str], str] = {}
    origins = {c.id: str(c.origin) for c in deck.cards}
    for face in faces.values():
        for item in face.items:
            if not isinstance(item, layout.TextLine):
                continue
            missing = fonts.missing_glyphs(item.text, item.font)
            if missing:
                chars = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:10])
                where = (
                    f"{origins[face.key]}: card {face.key}"
                    if face.side == "front" and face.key in origins
                    else f"{display_path(deck.root / 'deck.yaml')}: the back '{face.key}'"
                )
                problems.setdefault(
                    (where, item.text),
                    f"{where}: the text '{shown(item.text[:40])}' has characters the font "
                    f"cannot draw: {chars}; remove or replace them, or name a font that has "
                    "them (style: fonts: in deck.yaml).",
                )
    if problems:
        raise DoesNotFit(list(problems.values()))


def verify(deck: Deck, card: str | None = None) -> dict[str, list[str]]:
    """What `check` adds to loading: every card laid out in memory at the deck's print size
    (or `card`, the --card size), as a build would (texts that do not fit, missing glyphs:
    exit 5), and rules.md parsed (exit 3). Returns the texts shrunk to within 10 % of their
    smallest size, with their cards."""
    pr = resolve(PrintValues(card=card), deck.print)
    fonts.use(deck.fonts)
    laid = layout.lay_out(deck, list(deck.cards), pr.size)
    drawn_glyphs(laid.faces, deck)
    rules_glyphs(deck)
    return laid.tight


def rules_glyphs(deck: Deck, parsed: bool = False) -> None:
    """rules.md parses (unless the caller has `parsed` it already), and the font has every
    character it uses (exit 5 with file:line)."""
    from .source import read_text

    if not parsed and load_rules(deck) is None:
        return
    name, text = read_text(rules_path(deck))
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        missing = fonts.missing_glyphs(line)
        if missing:
            chars = ", ".join(f"'{ch}' (U+{ord(ch):04X})" for ch in missing[:10])
            col = min(line.index(ch) for ch in missing) + 1
            problems.append(
                f"{name}:{number}:{col}: the font cannot draw {chars}; remove or replace "
                "them, or name a font that has them (style: fonts: in deck.yaml)."
            )
    if problems:
        raise CannotDraw(problems)


def _undrawable(face: layout.Face) -> bool:
    """Whether a text of the face has characters its font cannot draw (see drawn_glyphs):
    the texts of each font looked at together (one look a font, not one a line)."""
    texts: dict[str, list[str]] = {}
    for item in face.items:
        if isinstance(item, layout.TextLine):
            texts.setdefault(item.font, []).append(item.text)
    return any(fonts.missing_glyphs("".join(lines), font) for font, lines in texts.items())


def _full_check(deck: Deck, cards: list, size: CardSize) -> None:  # type: ignore[type-arg]
    """What a build refuses about its faces, raised as before faces were streamed: every face
    that does not fit (exit 5), then every text the font cannot draw (exit 5)."""
    drawn_glyphs(layout.lay_out(deck, cards, size).faces, deck)


SHARED_FROM = 300  # faces: a deck this large is laid out by both processes while painting


class _SharedFaces(Mapping[str, layout.Face]):
    """The streamed faces, laid out by this process and a forked child together
    (`parallel.Shared`) in the order the sheets ask for them, while this process paints:
    the same faces, so the same bytes; a face that does not fit is laid out again here, so
    it raises here as it would have."""

    def __init__(self, faces: layout.Faces, sheets: list[impose.Sheet]) -> None:
        from .parallel import Shared

        self.faces = faces
        order = dict.fromkeys(slot.face for sheet in sheets for slot in sheet.slots)
        self.order = list(order)
        self.at = 0
        self.shared = Shared(len(self.order), lambda i: faces.make(self.order[i]))

    def __getitem__(self, key: str) -> layout.Face:
        if self.at < len(self.order) and self.order[self.at] == key:
            face = self.shared.get(self.at)
            self.at += 1
            self.faces.keep(key, face)
            return face
        return self.faces[key]  # at hand, or asked for out of the sheets' order: laid out here

    def __iter__(self) -> Iterator[str]:
        return iter(self.faces)

    def __len__(self) -> int:
        return len(self.faces)

    def close(self) -> None:
        self.shared.close()


def _painted(
    deck: Deck, sheets: list[impose.Sheet], faces: Mapping[str, layout.Face], what: str, pr: Print
) -> bytes:
    """`_pdf`; when a streamed face does not fit, what the full check raises instead."""
    try:
        return _pdf(deck, sheets, faces, what, pr)
    except layout.Unfit:
        streamed = faces.faces if isinstance(faces, _SharedFaces) else faces
        assert isinstance(streamed, layout.Faces)
        _full_check(streamed.deck, streamed.cards, streamed.size)
        raise  # not reached: the full check reports the face that stopped the painting


def _complete(faces: layout.Faces) -> None:
    """Lay out the faces no sheet asked for; raise what the full check raises if any failed."""
    if faces.finish():
        _full_check(faces.deck, faces.cards, faces.size)


def card_files(
    deck: Deck,
    cards: list,
    pr: Print,
    out: Path,
    stem: str,  # type: ignore[type-arg]
    instructions: bool = True,
) -> dict[Path, bytes]:
    """The card outputs of one build, by path. The faces are laid out as the sheets are
    painted (one sheet's faces in memory at a time), unless a text must be shaped: then the
    whole deck is laid out before painting, as always, for reportlab numbers the glyphs it
    shapes in the order it first meets them (the same bytes as ever). PNG keeps every face
    anyway, for its own image."""
    if pr.layout != "png":
        try:
            with shaping.held():
                return _card_files(deck, cards, pr, out, stem, instructions, stream=True)
        except shaping.Held:
            pass  # nothing was shaped yet: the usual order from the start
    return _card_files(deck, cards, pr, out, stem, instructions, stream=False)


def _card_files(
    deck: Deck,
    cards: list,  # type: ignore[type-arg]
    pr: Print,
    out: Path,
    stem: str,
    instructions: bool,
    stream: bool,
) -> dict[Path, bytes]:
    from . import impose

    size = pr.size
    faces: Mapping[str, layout.Face]
    streamed: layout.Faces | None = None
    if stream:  # laid out as the sheets are painted: one sheet's faces in memory at a time
        streamed = layout.Faces(deck, cards, size, watch=_undrawable)
        faces, laid_pairs = streamed, streamed.pairs
    else:
        laid = layout.lay_out(deck, cards, size)
        faces, laid_pairs = laid.faces, laid.pairs
        drawn_glyphs(faces, deck)
    # every copy of a card takes a slot on the sheets; PNG files are one per card
    copies = {c.id: 1 if pr.layout == "png" else c.copies for c in cards}
    pairs = [pair for pair in laid_pairs for _ in range(copies[pair[0]])]
    paper = Paper.named(pr.paper)
    try:
        if pr.layout == "duplex":
            grid = impose.make_grid(paper, size, gap=mm(pr.gap))
            offset = (mm(pr.back_offset[0]), mm(pr.back_offset[1]))
            sheets = impose.impose(grid, pairs, pr.duplex, offset)
        elif pr.layout == "gutterfold":
            sheets = impose.impose_gutterfold(impose.make_fold(paper, size, gap=mm(pr.gap)), pairs)
        else:
            sheets = impose.impose_printshop(size, pairs, pr.shop.order)
    except ValueError:
        if streamed is not None:
            _full_check(deck, cards, size)  # a card that does not fit is reported first
        raise SheetTooSmall(
            f"{pr.card_source}: a {pr.card} card with {pr.bleed:g} mm bleed does not fit on "
            f"{pr.paper} paper in the {pr.layout} layout; choose a larger --paper "
            "or a smaller --card."
        ) from None
    if pr.layout in ("duplex", "gutterfold"):
        sheets = _for_home_print(deck, sheets, pr, len(cards), instructions)
    if streamed is None or len(pairs) < SHARED_FROM:
        return _painted_files(deck, cards, pr, out, stem, faces, streamed, sheets)
    shared = _SharedFaces(streamed, sheets)
    try:
        return _painted_files(deck, cards, pr, out, stem, shared, streamed, sheets)
    finally:
        shared.close()


def _painted_files(
    deck: Deck,
    cards: list,  # type: ignore[type-arg]
    pr: Print,
    out: Path,
    stem: str,
    faces: Mapping[str, layout.Face],
    streamed: layout.Faces | None,
    sheets: list[impose.Sheet],
) -> dict[Path, bytes]:
    """The card files of `_card_files`, painted from its sheets and faces."""
    files: dict[Path, bytes] = {}
    if pr.layout == "duplex" and pr.duplex == "none":
        for side, name in (("front", "voorkant"), ("back", "achterkant")):
            part = _reindex([s for s in sheets if s.side == side and s.kind != "blank"])
            pdf = out / f"{stem}-{name}.pdf"
            files[pdf] = _painted(deck, part, faces, f"kaarten ({name})", pr)
            files[pdf.with_suffix(".layout.json")] = _manifest(deck, part, pr)
        if streamed is not None:
            _complete(streamed)
        return files
    if pr.layout == "png":
        from .export import png_faces

        folder = out / f"{stem}-png"
        faces_pdf = _pdf(deck, sheets, faces, "kaarten (png)", pr)
        for (card_id, side), data in png_faces(faces_pdf, sheets, pr.dpi).items():
            files[folder / f"{card_id}-{'front' if side == 'front' else 'back'}.png"] = data
        return files
    name = {
        "duplex": stem,
        "gutterfold": f"{stem}-vouwblad",
        "printshop": f"{stem}-{pr.shop.name}",
    }[pr.layout]
    pdf = out / f"{name}.pdf"
    files[pdf] = _painted(deck, sheets, faces, "kaarten", pr)
    if streamed is not None:
        _complete(streamed)
    files[pdf.with_suffix(".layout.json")] = _manifest(deck, sheets, pr)
    return files


def languages(deck_dir: Path, language: str | None) -> list[str | None]:
    """The languages one command builds: `all` means every language the deck declares."""
    if language != "all":
        return [language]
    return list(load_deck(deck_dir).languages)


def base_name(deck: Deck, base: str) -> str:
    """A file name's first word, with the language when it is not the deck's main one
    (kaarten.pdf in the main language, kaarten-fr.pdf in French), so languages never
    overwrite each other."""
    return base if deck.main_language else f"{base}-{deck.language}"


def build(options: BuildOptions, report: Callable[[str], None] | None = None) -> list[Path]:
    """Build the card sheets (and the booklet), in one language or all (`--lang all`);
    returns the paths written. `report` gets a line about the selection (a kit's title and
    card count)."""
    from dataclasses import replace

    from .output import prepare_folder, write_all
    from .qr import load_encoder

    load_encoder()
    check_flags(options.flags())  # a bad flag is refused before any work
    files: dict[Path, bytes] = {}
    for language in languages(options.deck_dir, options.language):
        files.update(_build_files(replace(options, language=language), report))
    prepare_folder(options.out_dir)
    return write_all(files, options.out_dir)


def _build_files(options: BuildOptions, report: Callable[[str], None] | None) -> dict[Path, bytes]:
    """The outputs of one build in one language, by path (nothing written yet)."""
    deck = load_deck(options.deck_dir, options.language)
    cards = select(deck, options.selection)
    if not cards:
        raise no_match(options.selection)
    if report is not None and (line := describe(deck, options.selection, cards)):
        report(line)
    pr = effective_print(options, deck)
    fonts.use(deck.fonts)
    rules = load_rules(deck) if options.booklet else None
    booklet_pdfs = None
    if rules is not None:
        # the booklet is made on the other core while this one checks the rules' glyphs,
        # lays out the cards and draws the game board
        from . import booklet, pdf, text
        from .parallel import in_background

        fonts.register_family()  # loaded once, before the fork, for both processes
        text.hyphenator(deck.language)
        pdf.load()
        booklet_pdfs = in_background(lambda: booklet.render(deck, cards, rules))
    try:
        if rules is not None:
            rules_glyphs(deck, parsed=True)
        stem = output_stem(options.selection, base_name(deck, "kaarten"))
        files = card_files(deck, cards, pr, options.out_dir, stem, options.instructions)
        if booklet_pdfs is not None:
            files.update(_booklet_files(options, deck, cards, booklet_pdfs))
    except BaseException:
        if booklet_pdfs is not None:
            booklet_pdfs.cancel()  # no child left behind on an error here
        raise
    return files


def _booklet_files(
    options: BuildOptions,
    deck: Deck,
    cards: list,  # type: ignore[type-arg]
    booklet_pdfs: Background[tuple[bytes, bytes]],
) -> dict[Path, bytes]:
    """The booklet's files and, beside them, the game board the rules refer to (drawn round
    the wheel): the board while the booklet is still being made on the other core; when
    the booklet is made here, after it, as it always was."""
    board = _board(deck, cards) if deck.has_wheel and booklet_pdfs.forked else None
    reading, imposed = booklet_pdfs()
    files: dict[Path, bytes] = {}
    book = output_stem(options.selection, base_name(deck, "spelregels"))
    files[options.out_dir / f"{book}.pdf"] = reading
    files[options.out_dir / f"{book}-boekje.pdf"] = imposed
    if deck.has_wheel:
        board = board or _board(deck, cards)
        board_stem = output_stem(options.selection, base_name(deck, "planblad"))
        files[options.out_dir / f"{board_stem}.pdf"] = board[0]
        files[options.out_dir / f"{board_stem}-a4.pdf"] = board[1]
    return files


def _board(deck: Deck, cards: list) -> tuple[bytes, bytes]:  # type: ignore[type-arg]
    from .planblad import pdfs

    return pdfs(deck, cards)
