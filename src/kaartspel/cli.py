"""The command line: thin click commands that call the pipeline.

Heavy libraries (pydantic, reportlab, zxing) are imported inside the commands, so that
`kaartspel --help` answers at once. Errors are `KaartspelError`s: click prints them and
exits with their code; there is no try/except here.
"""

from __future__ import annotations

import functools
import json
import signal
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import INTERRUPTED, INTERRUPTED_WRITTEN, __version__, _stop_at_once, settings

if TYPE_CHECKING:
    from .filters import Selection
    from .model import Deck

DECK_OPTION = click.option(
    "--deck",
    "deck_dir",
    type=click.Path(path_type=Path),
    default=Path("deck"),
    show_default=True,
    help="Folder holding deck.yaml and cards/*.yaml.",
)


def out_option(default: str, text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The --out folder option of the commands that write files."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(path_type=Path),
        default=Path(default),
        show_default=True,
        help=text,
    )


LANG_OPTION = click.option(
    "--lang", default=None, help="Language of the texts (default: the deck's main language)."
)
LANGS_OPTION = click.option(
    "--lang",
    default=None,
    help="Language of the texts (default: the deck's main language); 'all' for every "
    "language the deck declares. Outputs in another language than the main one carry it "
    "in their names (kaarten-fr.pdf, site/fr/).",
)


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The card filters shared by every command that takes cards (each may be repeated)."""
    options = [
        ("--segment", "Keep cards of this wheel segment."),
        ("--phase", "Keep cards of the segments of this policy phase."),
        ("--subform", "Keep cards of this sub-form."),
        ("--type", "Keep cards of this card type."),
        ("--tag", "Keep cards with this tag."),
        ("--id", "Keep the card with this id."),
    ]
    for flag, text in reversed(options):
        func = click.option(flag, multiple=True, metavar="VALUE", help=text + " Repeatable.")(func)
    func = click.option(
        "--kit",
        multiple=True,
        metavar="NAME",
        help="Keep the cards of this kit from deck.yaml (one kit).",
    )(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import BadFilter, shown
        from .filters import Selection

        kits = kwargs.pop("kit")
        if len(kits) > 1:
            named = ", ".join(f"'{shown(k)}'" for k in kits)
            raise BadFilter(
                f"--kit: give one kit, not {len(kits)} ({named}); a kit already combines "
                "the cards of a session. To combine kits, add a kit to deck.yaml that lists "
                "what both hold."
            )
        kwargs["selection"] = Selection(
            kit=kits[0] if kits else None,
            **{
                k: tuple(kwargs.pop(k))
                for k in ("segment", "phase", "subform", "type", "tag", "id")
            },
        )
        return func(*args, **kwargs)

    return wrapper


def quiet_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--quiet: no progress on stderr (a bar on a terminal, plain lines otherwise)."""

    def turn_on(ctx: click.Context, param: click.Parameter, quiet: bool) -> bool:
        from .progress import configure

        configure(quiet)
        return quiet

    return click.option(
        "--quiet",
        "-q",
        is_flag=True,
        expose_value=False,
        callback=turn_on,
        help="Show no progress; print only the paths written.",
    )(func)


def _load(deck_dir: Path, lang: str | None) -> Deck:
    from .load import load_deck

    return load_deck(deck_dir, lang)


def _offset(text: str | None) -> tuple[float, float] | None:
    """'1.5,-0.8' -> (1.5, -0.8) mm."""
    if text is None:
        return None
    from .errors import shown

    parts = text.replace(" ", "").split(",")
    try:
        dx, dy = (float(p) for p in parts)
    except ValueError:
        raise click.BadParameter(
            f"'{shown(text)}' is not DX,DY in mm, for example 1.5,-0.8",
            param_hint="--back-offset",
        ) from None
    return dx, dy  # bounds (and NaN) are checked with every print value, in `settings`


class _Main(click.Group):
    """The command group; Ctrl-C stops any command with one line and exit 130."""

    def invoke(self, ctx: click.Context) -> Any:
        written = _sets_written()
        try:
            if signal.getsignal(signal.SIGINT) is _stop_at_once:  # started by `kaartspel.run`
                signal.signal(signal.SIGINT, signal.default_int_handler)
            return super().invoke(ctx)
        except KeyboardInterrupt:
            from .errors import Interrupted

            if _sets_written() > written:  # the command's outputs were in place already
                raise Interrupted(INTERRUPTED_WRITTEN) from None
            raise Interrupted(INTERRUPTED) from None


def _sets_written() -> int:
    """`output.sets_written`, without importing `output` for it (not imported: none)."""
    output = sys.modules.get("kaartspel.output")
    return 0 if output is None else output.sets_written()


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kaartspel")
def main() -> None:
    """Turn a card game's content (YAML) into print-ready PDF decks."""


@main.command()
@DECK_OPTION
@LANGS_OPTION
@click.option(
    "--strict-lang",
    is_flag=True,
    help="Fail (exit 3) when a text has no version in the chosen language.",
)
@click.option(
    "--report",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE.html",
    help="Also lay out every card and write a preflight report (text sizes, room to spare, QR "
    "codes, contrast, image resolution, ink, glyphs); exit 9 when it finds errors.",
)
@click.option("--card", "card_size", default=None, help="Card size to lay out for (as build).")
def check(
    deck_dir: Path, lang: str | None, strict_lang: bool, report: Path | None, card_size: str | None
) -> None:
    """Validate the deck, lay out its cards and rules in memory as a build would, and print a
    one-line summary (exit 3 on problems in the files, 4 on texts the font cannot draw, 5 on
    cards that do not fit); warn about texts shrunk to within 10 % of their smallest size.
    With --lang all, every language of the deck in turn."""
    from .build import languages

    for language in languages(deck_dir, lang):
        _check_one(_load(deck_dir, language), strict_lang, deck_dir, report, card_size)


def _check_one(
    deck: Deck, strict_lang: bool, deck_dir: Path, report: Path | None, card_size: str | None
) -> None:
    from .build import verify  # after loading: a deck refused early needs no layout code
    from .errors import DoesNotFit, InvalidDeck

    try:
        tight = verify(deck, card_size)
    except DoesNotFit:
        if report is not None:  # most useful now: the faces that do not fit are in it too
            _preflight(deck, deck_dir, report, refused=True)
        raise
    per_segment = Counter(c.segment.id if c.segment else "-" for c in deck.cards)
    per_type = Counter(c.type.id for c in deck.cards)
    # sub-forms are counted for the types whose cards require one (the default deck's
    # inspiration cards), so the summary shows how the wheel's sub-forms are covered
    by_subform = [t for t in deck.card_types if "subform" in t.requires]
    per_subform = Counter(c.subform.id for c in deck.cards if c.subform and c.type in by_subform)
    segments = ", ".join(
        [f"{s.id} {per_segment[s.id]}" for s in deck.segments] + [f"none {per_segment['-']}"]
    )
    types = ", ".join(f"{t.id} {per_type[t.id]}" for t in deck.card_types)
    subforms = ", ".join(f"{f.id} {per_subform[f.id]}" for s in deck.segments for f in s.subforms)
    part = (
        f"{'/'.join(t.id for t in by_subform)} per sub-form: {subforms} · "
        if by_subform and subforms
        else ""
    )
    marked = sum(1 for c in deck.cards if c.verify)
    from .hygiene import warnings

    link_warnings = warnings(deck)
    for warning in link_warnings:
        click.echo(str(warning), err=True)
    untranslated = _untranslated(deck)
    if untranslated and strict_lang:
        raise InvalidDeck(
            [
                f"{u.where}: {u.what}: no '{deck.language}' text (falls back to "
                f"'{deck.languages[0]}'); translate it"
                for u in deck.untranslated
            ]
            + ([untranslated] if _rules_untranslated(deck) else [])
        )
    if untranslated:
        click.echo(untranslated, err=True)
    click.echo(
        f"OK: {len(deck.cards)} cards · per segment: {segments} · per type: {types} · "
        f"{part}{marked} cards marked 'verify' · "
        f"{len(link_warnings)} link warning{'' if len(link_warnings) == 1 else 's'}"
    )
    if report is not None:  # one report per language: report.html, report-fr.html
        name = report if deck.main_language else report.with_stem(f"{report.stem}-{deck.language}")
        _preflight(deck, deck_dir, name)
    for element, ids in tight.items():
        click.echo(
            f"warning: {element} is within 10 % of its smallest size on: {', '.join(ids)}",
            err=True,
        )


def _preflight(deck: Deck, deck_dir: Path, path: Path, refused: bool = False) -> None:
    """Write the preflight report; warnings and errors also go to stderr (unless the layout
    `refused` the deck: then its own exit-5 message says what does not fit)."""
    from . import fonts, preflight, preflight_html
    from .build import BuildOptions, effective_print
    from .errors import PreflightFailed
    from .filters import Selection
    from .output import write_all
    from .source import display_path

    pr = effective_print(BuildOptions(deck_dir, path.parent, Selection()), deck)
    fonts.use(deck.fonts)
    found = preflight.run(
        deck, list(deck.cards), pr.size, pr.card, preflight.cmyk_of(deck), pr.shop.ink_limit
    )
    write_all({path: preflight_html.render(found).encode("utf-8")})
    if refused:
        click.echo(f"preflight report: {display_path(path)}")
        return
    errors = 0
    for _, row, finding in found.problems:
        errors += finding.level == "error"
        where = f"{row.where}: " if row.where else ""
        click.echo(f"{finding.level}: {where}{row.key} ({row.side}): {finding.message}", err=True)
    click.echo(f"preflight report: {display_path(path)}")
    if errors:
        raise PreflightFailed(
            f"{errors} preflight errors (and {len(found.problems) - errors} warnings); "
            f"see {display_path(path)}."
        )


def _rules_untranslated(deck: Deck) -> bool:
    from .load import rules_path

    return (
        not deck.main_language
        and (deck.root / "rules.md").exists()
        and (rules_path(deck).name == "rules.md")
    )


def _untranslated(deck: Deck) -> str:
    """One line on what has no version in the chosen language, or '' when all have."""
    if deck.main_language:
        return ""
    texts = len(deck.untranslated)
    rules = _rules_untranslated(deck)
    if not texts and not rules:
        return ""
    main = deck.languages[0]
    cards = list(dict.fromkeys(u.card for u in deck.untranslated if u.card is not None))
    other = sum(1 for u in deck.untranslated if u.card is None)
    parts = (
        [f"{texts} text{'s' if texts != 1 else ''} untranslated into '{deck.language}'"]
        if texts
        else []
    )
    if cards:
        parts.append(f"on {len(cards)} card{'s' if len(cards) != 1 else ''}: {', '.join(cards)}")
    if other:
        parts.append(f"{other} in deck.yaml")
    if rules:
        parts.append(f"no rules.{deck.language}.md")
    return f"{deck.language}: " + "; ".join(parts) + f" (shown in '{main}')"


def card_record(deck: Deck, card: Any) -> dict[str, Any]:
    """One card as plain JSON data."""
    return {
        **card.fields(),
        "facets": {k: list(v) for k, v in card.facets.items()},
        "tags": list(card.tags),
        "links": [{"url": x.url, "kind": x.kind, "label": x.label} for x in card.links],
        "verify": card.verify,
        "file": card.origin.file,
        "line": card.origin.line,
    }


@main.command("list")
@DECK_OPTION
@LANG_OPTION
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
def list_cards(deck_dir: Path, lang: str | None, selection: Selection, as_json: bool) -> None:
    """List the cards (optionally filtered) as a table or as JSON."""
    from .filters import no_match, select

    deck = _load(deck_dir, lang)
    cards = select(deck, selection)
    if not cards:
        raise no_match(selection, "there is nothing to list.")
    if as_json:
        click.echo(json.dumps([card_record(deck, c) for c in cards], ensure_ascii=False, indent=2))
        return
    rows = [("ID", "TYPE", "SEGMENT", "SUB-FORM", "TITLE")] + [
        (
            c.id,
            c.type.id,
            c.segment.id if c.segment else "-",
            c.subform.id if c.subform else "-",
            c.title,
        )
        for c in cards
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        click.echo("  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4])
    click.echo(f"{len(cards)} cards")


@main.command()
@DECK_OPTION
@LANGS_OPTION
@out_option("output", "Folder for the PDFs and their layout manifests.")
@filter_options
@click.option(
    "--card",
    default=None,
    metavar="SIZE",
    help="Card size: poker (default), poker-us, bridge, tarot, mini, square, a7, or WxH "
    "in mm (e.g. 70x120).",
)
@click.option(
    "--paper",
    default=None,
    metavar="NAME",
    help="Sheet size: a4 (default), letter or a3; portrait or landscape, whichever holds "
    "more cards.",
)
@click.option(
    "--bleed",
    type=float,
    default=None,
    metavar="MM",
    help="Bleed around each card in mm (default 3; a print shop's own for --layout printshop/png).",
)
@click.option(
    "--gap",
    type=float,
    default=None,
    metavar="MM",
    help="Gap between cards in mm, with crop marks in the gaps (default 0: shared cuts).",
)
@click.option(
    "--layout",
    "layout_",
    type=click.Choice(settings.LAYOUTS),
    default=None,
    help="duplex (default): front and back sheets; gutterfold: fronts and backs on one "
    "sheet, folded; printshop: one face per page for a print shop (--shop); png: one "
    "image per face (--dpi).",
)
@click.option(
    "--duplex",
    type=click.Choice(settings.DUPLEX_MODES),
    default=None,
    help="For --layout duplex: long (default)/short: one PDF, each front sheet followed "
    "by its back sheet mirrored for long- or short-edge flip; none: fronts and backs as "
    "two PDFs.",
)
@click.option(
    "--shop",
    default=None,
    metavar="NAME",
    help="Print-shop profile for --layout printshop/png: generic (default), "
    "drivethrucards, mbprint, thegamecrafter, makeplayingcards. Without --card, the shop's "
    "own default size (e.g. 2.5 x 3.5 in).",
)
@click.option(
    "--cmyk/--rgb",
    "cmyk",
    default=None,
    help="Write every colour as CMYK (default: as the shop profile says; RGB otherwise).",
)
@click.option(
    "--dpi", type=int, default=None, help="Resolution of --layout png (default 300; 72 to 1200)."
)
@click.option(
    "--back-offset",
    default=None,
    metavar="DX,DY",
    help="Shift every back page by DX,DY mm (read it from `kaartspel calibrate`).",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --shop: use --card even when the shop does not list that size.",
)
@click.option(
    "--pdfx/--no-pdfx",
    default=None,
    help="For --layout printshop: write PDF/X (X-1a or X-4 as the shop profile says; CMYK, "
    "output intent, page boxes). Default: where the shop asks for it (drivethrucards).",
)
@click.option(
    "--instructions/--no-instructions",
    default=True,
    show_default=True,
    help="Start the home-print PDF with a page of printing instructions (duplex edge, actual "
    "size, paper, cutting) in the deck's language.",
)
@click.option(
    "--booklet/--no-booklet",
    default=True,
    show_default=True,
    help="Also write the rules booklet (when the deck has rules.md): A5 pages in reading order "
    "and an A4 version imposed for saddle stitching.",
)
@quiet_option
def build(
    deck_dir: Path,
    lang: str | None,
    out_dir: Path,
    selection: Selection,
    card: str | None,
    paper: str | None,
    bleed: float | None,
    gap: float | None,
    layout_: str | None,
    duplex: str | None,
    shop: str | None,
    cmyk: bool | None,
    dpi: int | None,
    back_offset: str | None,
    force: bool,
    pdfx: bool | None,
    instructions: bool,
    booklet: bool,
) -> None:
    """Build print-ready card sheets (PDF) and the rules booklet; print every path written."""
    from .build import BuildOptions
    from .build import build as run_build
    from .source import display_path

    options = BuildOptions(
        deck_dir,
        out_dir,
        selection,
        paper=paper,
        duplex=duplex,
        language=lang,
        booklet=booklet,
        card=card,
        bleed=bleed,
        gap=gap,
        layout=layout_,
        shop=shop,
        cmyk=cmyk,
        dpi=dpi,
        back_offset=_offset(back_offset),
        force=force,
        instructions=instructions,
        pdfx=pdfx,
    )
    written = run_build(options, report=lambda line: click.echo(line, err=True))
    for path in written:
        click.echo(display_path(path))


@main.command()
@DECK_OPTION
@LANG_OPTION
@out_option("output", "Folder; the images go to its preview/ folder.")
@filter_options
@click.option("--card", default=None, metavar="SIZE", help="Card size, as for build.")
@click.option(
    "--dpi", type=int, default=150, show_default=True, help="Resolution of the images (30 to 600)."
)
@quiet_option
def preview(
    deck_dir: Path,
    lang: str | None,
    out_dir: Path,
    selection: Selection,
    card: str | None,
    dpi: int,
) -> None:
    """Write PNGs of the chosen cards (front and back) and a contact sheet of them."""
    from .build import BuildOptions
    from .errors import DoesNotFitPreview
    from .preview import preview as run_preview
    from .source import display_path

    options = BuildOptions(
        deck_dir, out_dir, selection, language=lang, card=card, dpi=dpi, booklet=False, bleed=0.0
    )
    written, problems = run_preview(options, report=lambda line: click.echo(line, err=True))
    for path in written:
        click.echo(display_path(path))
    if problems:
        raise DoesNotFitPreview(problems)


@main.command()
@DECK_OPTION
@LANG_OPTION
@filter_options
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    help="Seconds to wait for each site, in all (0.5 to 300).",
)
@click.option(
    "--workers", default=8, show_default=True, help="Links checked at the same time (1 to 64)."
)
@quiet_option
def links(
    deck_dir: Path, lang: str | None, selection: Selection, timeout: float, workers: int
) -> None:
    """Check every link of the deck (exit 7 when one is broken; exit 8 when the machine
    seems offline). Needs the internet."""
    from urllib.parse import urlsplit

    from .errors import BrokenLinks, Offline
    from .links import any_host_resolves

    settings.check_number("--timeout", "timeout", timeout)
    settings.check_number("--workers", "workers", workers)
    from .filters import no_match, select
    from .links import check_cards

    deck = _load(deck_dir, lang)
    cards = select(deck, selection)
    if not cards:
        raise no_match(selection, "no link was checked.")
    urls = [link.url for card in cards for link in card.links]
    if urls and not any_host_resolves(urls):
        raise Offline(
            f"This machine seems offline: none of the {len({urlsplit(u).hostname for u in urls})} "
            "host names of the links can be looked up, so no link was checked. Connect to the "
            "internet and run `kaartspel links` again."
        )
    results = check_cards(cards, timeout=timeout, workers=workers)
    broken = redirected = 0
    for card in cards:
        for link in card.links:
            result = results[link.url]
            if result.problem:
                broken += 1
                click.echo(f"{card.origin}: {card.id}: BROKEN {link.url}: {result.problem}")
            elif result.redirected:
                redirected += 1
                click.echo(f"{card.origin}: {card.id}: redirected {link.url} -> {result.final_url}")
    total = sum(len(c.links) for c in cards)
    summary = (
        f"{total} links on {len(cards)} cards ({len(results)} distinct): "
        f"{total - broken - redirected} ok, {redirected} redirected, {broken} broken"
    )
    if broken:
        raise BrokenLinks(summary + ". Fix or replace the broken links before printing.")
    click.echo(summary + ".")


@main.command()
@DECK_OPTION
@LANGS_OPTION
@out_option("output/site", "Folder for the website (index.html; another language in fr/ ...).")
@filter_options
@quiet_option
def site(deck_dir: Path, lang: str | None, out_dir: Path, selection: Selection) -> None:
    """Write the deck as an offline, searchable website and print every path written."""

    from .build import languages
    from .filters import describe, no_match, select
    from .output import prepare_folder, write_all
    from .site import render_site
    from .source import display_path

    files: dict[Path, bytes] = {}
    for language in languages(deck_dir, lang):
        deck = _load(deck_dir, language)
        cards = select(deck, selection)
        if not cards:
            raise no_match(selection)
        if line := describe(deck, selection, cards):
            click.echo(line, err=True)
        label = selection.label()  # a subset gets its own page, as build names its files
        folder = out_dir if deck.main_language else out_dir / deck.language  # site/fr/
        for name, data in render_site(deck, cards).items():
            named = f"{Path(name).stem}-{label}{Path(name).suffix}" if label else name
            files[folder / named] = data
    prepare_folder(out_dir)
    for path in write_all(files, out_dir):
        click.echo(display_path(path))


@main.command()
@DECK_OPTION
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "ods", "csv", "yaml"]),
    required=True,
    help="xlsx or ods: one workbook; csv or yaml: one file per card type.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="The workbook file (xlsx, ods) or the folder (csv, yaml). "
    "Default: output/<cards in the deck's language>.xlsx, or that folder.",
)
def export(deck_dir: Path, selection: Selection, fmt: str, out: Path | None) -> None:
    """Write the (filtered) cards as a spreadsheet to edit, or back as YAML card files."""
    from .filters import select
    from .source import display_path
    from .spreadsheet import export_deck

    deck = _load(deck_dir, None)
    keep = [c.id for c in select(deck, selection)]
    for path in export_deck(deck, keep, fmt, out):
        click.echo(display_path(path))


@main.command()
@click.option(
    "--paper",
    default="a4",
    show_default=True,
    metavar="NAME",
    help="Sheet size: the one the cards are printed on (a4, letter or a3).",
)
@click.option(
    "--lang",
    default="nl",
    show_default=True,
    help="Language of the sheet's instructions (one kaartspel ships: en, fr, nl).",
)
@out_option("output", "Folder for kalibratie.pdf.")
def calibrate(paper: str, lang: str, out_dir: Path) -> None:
    """Write a duplex calibration sheet (kalibratie.pdf) and print its path.

    Print it double-sided (flip on the long edge, actual size), hold it against the light and
    read DX and DY from the scales; then build with --back-offset DX,DY.
    """
    from .calibrate import calibration_pdf
    from .errors import BadValue
    from .output import write_all
    from .source import display_path
    from .wording import shipped_languages

    if problem := settings.problem("paper", paper):
        raise BadValue(f"--paper: {problem}")
    if lang not in shipped_languages():
        raise click.BadParameter(
            f"'{lang}' is not a language kaartspel ships (known: {', '.join(shipped_languages())})",
            param_hint="--lang",
        )
    name = "kalibratie.pdf" if lang == "nl" else f"kalibratie-{lang}.pdf"
    for path in write_all({out_dir / name: calibration_pdf(paper, lang)}):
        click.echo(display_path(path))


@main.command()
@click.argument("target", type=click.Path(path_type=Path))
def example(target: Path) -> None:
    """Copy the default deck into TARGET (a new or empty folder) to start your own deck.

    Then: kaartspel build --deck TARGET
    """
    from .example import copy_example
    from .source import display_path

    written = copy_example(target)
    click.echo(f"{display_path(target)}: {len(written)} files of the example deck")
    click.echo(f"next: kaartspel check --deck {display_path(target)}")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(["nl", "fr", "en"]),
    default="en",
    show_default=True,
    help="Language of the starter deck's texts and comments.",
)
def new(folder: Path, lang: str) -> None:
    """Write a starter deck into FOLDER (new or empty): deck.yaml, design.yaml, six cards,
    rules.md and a logo, each key explained; then build it or watch it."""
    from .source import display_path
    from .starter import create

    for path in create(folder, lang):
        click.echo(display_path(path))


@main.command()
@DECK_OPTION
@LANG_OPTION
@out_option("output", "Folder; the images go to its preview/ folder, the PDF beside it.")
@filter_options
@click.option("--card", default=None, metavar="SIZE", help="Card size, as for build.")
@click.option(
    "--dpi",
    type=click.IntRange(30, 1200),
    default=150,
    show_default=True,
    help="Resolution of the images.",
)
@click.option("--serve", is_flag=True, help="Show the previews on a local page that reloads.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port of the --serve page on 127.0.0.1 (0: any free port).",
)
def watch(
    deck_dir: Path,
    lang: str | None,
    out_dir: Path,
    selection: Selection,
    card: str | None,
    dpi: int,
    serve: bool,
    port: int,
) -> None:
    """Redraw the previews of the cards you change, the contact sheet and the PDF on every
    save; problems are printed as check prints them. Ctrl-C stops."""
    from .build import BuildOptions
    from .watch import Session
    from .watch import watch as run_watch

    options = BuildOptions(
        deck_dir, out_dir, selection, language=lang, card=card, dpi=dpi, booklet=False, bleed=0.0
    )
    session = Session(options, click.echo, lambda line: click.echo(line, err=True))
    run_watch(session, port if serve else None)
