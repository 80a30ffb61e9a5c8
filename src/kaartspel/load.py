"""Read a deck folder into a validated `Deck`, or raise `InvalidDeck` with every problem.

Reads `deck.yaml` and `cards/*.yaml` (sorted by name), checks structure (`schema`) and
meaning (references, vocabularies, URLs, duplicates), resolves texts to one language.
All problems are gathered and reported together. Nothing here writes files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from . import fonts, palette, schema, sheets
from .art import PICTOGRAMS
from .errors import InvalidDeck, MissingAsset, did_you_mean, known_list, shown
from .model import (
    BUILT_IN_KEYS,
    LINK_KINDS,
    MAX_COPIES,
    ORDER_KEYS,
    REQUIRABLE,
    Card,
    CardType,
    Deck,
    Facet,
    Field,
    Kit,
    Link,
    Phase,
    Segment,
    Source,
    Subform,
    Untranslated,
)
from .settings import PrintValues
from .source import Document, Location, Path_, SourceError, display_path, format_path, load

# a build holds every card in memory (about 17 KiB a card with its pages): 1.7 GB at this size
MAX_CARDS = 100_000
MAX_TEXT = 200_000  # characters in one text
MAX_NAME = 120  # characters in a name or a title of the deck (printed on every back, ...)
INVISIBLE = ("\u00ad", "\u200b")  # soft hyphen, zero-width space: allowed, but not a text
# matched with fullmatch: '$' alone would also match before a final newline ("Z1\n")
CARD_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,15}")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")  # ids that may become part of a file name
LANGUAGE = re.compile(r"[a-z]{2,3}")
_SPACES = re.compile(r"[ \t\r\n\f\v]+")

FIELD_ID = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
PICTOGRAM_FILES = (".svg", ".png", ".jpg", ".jpeg")
BAND_PARTS = ("type", "segment", "subform")


def _unknown(
    doc: Document, path: Path_, value: Any, what: str, known: Iterable[str], key: bool = False
) -> str:
    known = list(known)
    hint = did_you_mean(str(value), known)
    return doc.problem(path, f"'{shown(value)}' is not {what} ({known_list(known)}){hint}", key=key)


def _slug(doc: Document, path: Path_, value: str, what: str, problems: list[str]) -> None:
    """An id that may become part of a file name: a slug, nothing else (no '/', no '..')."""
    if not SLUG.fullmatch(value):
        problems.append(
            doc.problem(
                path,
                f"'{shown(value)}' is not a valid {what} id: use lowercase letters, digits "
                "and '-' (at most 40)",
            )
        )


def _plain(doc: Document, path: Path_, value: str, problems: list[str]) -> None:
    """A plain text value (version, author, licence): no control characters."""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200c\u200d":
            problems.append(
                doc.problem(path, f"contains the control character U+{ord(ch):04X}; remove it")
            )
            return


class _Texts:
    """Resolves LocalText mappings to the chosen language, reporting what is missing.

    A text without the chosen language falls back to the deck's main language (the first of
    `allowed`) and is remembered in `untranslated` (where it is, what it is); a text without
    the main language either is a problem."""

    def __init__(self, default: str, allowed: tuple[str, ...], chosen: str, problems: list[str]):
        self.default, self.allowed, self.chosen, self.problems = default, allowed, chosen, problems
        self.untranslated: list[tuple[str, str]] = []

    def __call__(
        self,
        doc: Document,
        path: Path_,
        value: dict[str, str] | None,
        required: bool = True,
        limit: int | None = None,
    ) -> str:
        if value is None:
            return ""
        texts = {(lang or self.default): text for lang, text in value.items()}
        for lang in texts:
            if lang not in self.allowed:
                self.problems.append(
                    doc.problem(
                        path,
                        f"'{shown(lang)}' is not a language of this deck "
                        f"({known_list(self.allowed)})",
                    )
                )
        text = texts.get(self.chosen)
        if text is None and self.default in texts:
            self.untranslated.append((str(doc.at(path)), format_path(path)))
            text = texts[self.default]
        if text is None:
            self.problems.append(
                doc.problem(
                    path,
                    f"there is no '{self.default}' text here (the deck's main language); "
                    f"add one ({{{self.default}: ...}})",
                )
            )
            return ""
        if len(text) > MAX_TEXT:  # no card holds it; bounds the work of every later step
            self.problems.append(
                doc.problem(
                    path,
                    f"the text has {len(text):,} characters; at most {MAX_TEXT:,} are "
                    "supported in one text (no card holds more). Shorten it",
                )
            )
            return ""
        # only ASCII white space separates words: a no-break space (French « », 400 000) stays;
        # a text of one line has its runs of it made one space (the commonest text has none:
        # looked for first, in C, not split into words and joined again)
        text = text.strip()
        if "\n" not in text and (
            "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text
        ):
            text = " ".join(_SPACES.split(text))
        if limit is not None and len(text) > limit:
            self.problems.append(
                doc.problem(
                    path,
                    f"the name has {len(text)} characters; at most {limit} fit where it is "
                    "printed. Shorten it",
                )
            )
            return text[:limit]
        # composed form: a letter and its accent as one character where Unicode has one
        text = unicodedata.normalize("NFC", text)
        if required and not text.replace(INVISIBLE[0], "").replace(INVISIBLE[1], "").strip():
            self.problems.append(doc.problem(path, "the text is empty; write the text"))
        for ch in "" if text.isprintable() else text:  # printable: no control character
            if (
                ch != "\n"
                and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")
                and ch not in "\u00ad\u200b\u200c\u200d"  # soft hyphen, ZWSP, ZWNJ, ZWJ
            ):
                self.problems.append(
                    doc.problem(path, f"contains the control character U+{ord(ch):04X}; remove it")
                )
                break
        return text


_SPACE = re.compile(r"\s")  # what str.isspace() calls a space
# the common URL, all of whose checks but the host's it passes: http(s), a host of ASCII
# letters, digits, dots and hyphens (that `urlsplit` gives as it is, lowercased) ending the
# URL or followed by a path, query or fragment without a space or a character to encode
_PLAIN_URL = re.compile(r'(https?)://([A-Za-z0-9.-]+)(?:[/?#][^\s"<>\\^`{|}]*)?')


def _check_url(doc: Document, path: Path_, url: str) -> str | None:
    """A problem with a link's URL, or None. A URL of the common shape (`_PLAIN_URL`) is
    taken apart by one regular expression: `urlsplit` and the character checks cost some
    70,000 instructions a URL (0.7 % of a build); any other URL is checked the long way."""
    # printable: no character of category C (isprintable is False for each of them)
    if not url.isprintable() and any(
        unicodedata.category(ch)[0] == "C" for ch in url if not ch.isspace()
    ):
        return doc.problem(
            path, f"'{shown(url)}' is not a valid URL: it contains a control character"
        )
    if plain := _PLAIN_URL.fullmatch(url):
        return _check_host(doc, path, url, plain.group(2).lower())
    if bad := sorted({ch for ch in url if ch in '"<>\\^`{|}'}):
        return doc.problem(
            path,
            f"'{shown(url)}' is not a valid URL: it contains {' '.join(bad)}; "
            "write them percent-encoded (%22, %3C, %3E ...)",
        )
    if _SPACE.search(url):
        return doc.problem(path, f"'{shown(url)}' is not a valid URL: it contains a space")
    try:
        parts = urlsplit(url)
    except ValueError:  # urlsplit's own refusals of a host it cannot take apart
        return doc.problem(path, _unsplittable(url))
    if parts.scheme not in ("http", "https"):
        return doc.problem(
            path,
            f"'{shown(url)}' is not an http or https URL; links must start with http:// or https://",
        )
    return _check_host(doc, path, url, parts.hostname or "")


def _unsplittable(url: str) -> str:
    """Why `urlsplit` refused `url`: a square bracket out of place (only an IPv6 address is
    written in brackets), or a character in the host that Unicode normalisation turns into
    one of / ? # @ : (such as U+2100, 'a/c')."""
    if "[" in url or "]" in url:
        return (
            f"'{shown(url)}' is not a valid URL: a '[' or ']' is out of place; only an IPv6 "
            "address is written in square brackets (https://[2001:db8::1]/), elsewhere write "
            "them percent-encoded (%5B, %5D)"
        )
    return (
        f"'{shown(url)}' is not a valid URL: its host name has a character that stands for "
        "one of / ? # @ : (such as \u2100, 'a/c'); write the host name in plain letters"
    )


def _check_host(doc: Document, path: Path_, url: str, host: str) -> str | None:
    """A problem with the host name of a link's URL (lowercased, as `urlsplit` gives it)."""
    if host.endswith("."):
        return doc.problem(
            path, f"'{shown(url)}' has a dot at the end of its host name; remove it ('{host[:-1]}')"
        )
    if not host or "." not in host.strip(".") or host.startswith(".") or ".." in host:
        return doc.problem(
            path, f"'{shown(url)}' is not a well-formed URL: the host name is missing or incomplete"
        )
    return None


def _read(
    path: Path, problems: list[str], declared: tuple[str, ...] = (), positions: bool = True
) -> Document | None:
    try:
        if path.suffix.lower() in sheets.SUFFIXES:
            doc = sheets.load(path, declared)
            for note in doc.notes:
                click.echo(note, err=True)
            return doc
        return load(path, positions)
    except sheets.SheetProblems as exc:
        problems += exc.problems
        return None
    except SourceError as exc:
        problems.append(exc.message)
        return None


SHARED_READING = 1 << 20  # bytes of card files from which two processes read them


def card_files(root: Path) -> list[Path]:
    """The deck's card files: cards/*.yaml and spreadsheets (.xlsx, .ods, .csv), by name."""
    cards_dir = root / "cards"
    if not cards_dir.is_dir():
        return []
    suffixes = (".yaml", ".yml", *sheets.SUFFIXES)
    return sorted(
        p
        for p in cards_dir.iterdir()
        if p.suffix.lower() in suffixes and not p.name.startswith(".")
    )


def card_documents(
    root: Path, declared: tuple[str, ...] = ()
) -> Iterable[tuple[Document | None, list[str]]]:
    """Each card file read and shape-checked: (the document, or None, and its problems);
    `declared` are the custom fields of the deck's card types (spreadsheet columns too)."""
    paths = card_files(root)
    for path in paths:
        _inside_deck(root, path)

    def read(i: int) -> tuple[Document | None, list[str]]:
        problems: list[str] = []
        # read without positions: they are recovered when a message needs them
        return _read(paths[i], problems, declared, positions=False), problems

    # many YAML files: read by both processes (a spreadsheet's notes are printed here)
    yaml_only = all(p.suffix.lower() in (".yaml", ".yml") for p in paths)
    if yaml_only and sum(p.stat().st_size for p in paths) >= SHARED_READING:
        from .parallel import Shared

        with Shared(len(paths), read, chunk=1) as shared:
            for i in range(len(paths)):
                yield shared.get(i)
        return
    for i in range(len(paths)):
        yield read(i)


def _inside_deck(root: Path, path: Path) -> None:
    """Refuse a deck file that is (or links to) something outside the deck folder (exit 4)."""
    real_root = root.resolve()
    real = path.resolve()
    if real != real_root and real_root not in real.parents:
        raise MissingAsset(
            f"{display_path(path)}: this file points outside the deck folder (to {real}); "
            "kaartspel only reads files inside the deck folder. Copy the file into the deck."
        )


def load_deck(root: Path, language: str | None = None) -> Deck:
    """Load and validate the deck in folder `root` (texts in `language`, default the deck's)."""
    problems: list[str] = []
    deck_file = root / "deck.yaml"
    if not root.is_dir():
        raise InvalidDeck(
            [
                f"{display_path(root)}: the deck folder does not exist. "
                "Give the folder that holds deck.yaml with --deck DIR, or start a deck "
                "from the example: kaartspel example DIR."
            ]
        )
    if deck_file.exists() and not deck_file.is_file():
        raise InvalidDeck(
            [
                f"{display_path(deck_file)}: this is not a regular file (a pipe, device or "
                "folder); deck.yaml must be an ordinary file."
            ]
        )
    if not deck_file.is_file():
        raise InvalidDeck(
            [
                f"{display_path(deck_file)}: the deck has no deck.yaml; every deck "
                "folder needs one (see 'The deck format' in README.md)."
            ]
        )
    _inside_deck(root, deck_file)
    deck_doc = _read(deck_file, problems)
    raw_deck = None
    if deck_doc is not None:
        raw_deck, found = schema.validate(schema.RawDeckFile, deck_doc)
        problems += found

    cards_dir = root / "cards"
    if not card_files(root):
        problems.append(
            f"{display_path(cards_dir)}: no card files found; put the cards in "
            "cards/*.yaml inside the deck folder."
        )
    deck = None
    if raw_deck is not None and deck_doc is not None:
        assert isinstance(raw_deck, schema.RawDeckFile)
        deck = _resolve_deck(root, deck_doc, raw_deck, language, problems)
    collector = _Cards(deck, language or deck.language, problems) if deck is not None else None
    complete = True  # every card file could be read; else kits may name cards we never saw
    declared = _declared_fields(deck_doc)
    columns_too = tuple(dict.fromkeys(n for names in (declared or {}).values() for n in names))
    counted = 0
    for doc, found in card_documents(root, columns_too):
        # one file at a time: its parsed nodes and positions are dropped once its cards are made
        problems += found
        if doc is None:
            complete = False
            continue
        listed = doc.data.get("cards") if isinstance(doc.data, dict) else None
        counted += len(listed) if isinstance(listed, list) else 0
        if counted > MAX_CARDS:
            complete = False
            continue  # too many cards: the rest is only counted, so the answer comes fast
        _name_cards(doc)
        # card by card: a schema error in one card leaves the others' meaning checked
        valid, whole, found = schema.validate_cards(doc, declared)
        problems += found
        complete = complete and whole
        if collector is not None:
            collector.add(doc, valid)
    if counted > MAX_CARDS:
        problems.append(_too_many(root, f"has {counted} cards"))
    if deck is None or collector is None or deck_doc is None:
        raise InvalidDeck(sorted(problems, key=_position))
    assert isinstance(raw_deck, schema.RawDeckFile)
    cards = collector.finish()
    kit_text = _Texts(deck.languages[0], deck.languages, deck.language, problems)
    kits = _resolve_kits(deck_doc, raw_deck, deck, cards, kit_text, problems, complete)
    untranslated = (
        deck.untranslated
        + tuple(Untranslated(where, what, None) for where, what in kit_text.untranslated)
        + tuple(collector.untranslated)
    )
    if problems:
        raise InvalidDeck(sorted(problems, key=_position))
    settings = _resolve_print(deck_doc, raw_deck.print, problems)
    if problems:
        raise InvalidDeck(sorted(problems, key=_position))
    deck_fonts = _resolve_fonts(root, deck_doc, raw_deck.style)
    types = {t.id: i for i, t in enumerate(deck.card_types)}
    ordered = tuple(sorted(cards, key=lambda c: (types[c.type.id], *sort_key(deck, c))))
    return replace(
        deck,
        cards=ordered,
        kits=kits,
        print=settings,
        fonts=deck_fonts,
        untranslated=untranslated,
    )


def _declared_fields(doc: Document | None) -> dict[str, list[str]] | None:
    """The custom fields each card type declares, read from deck.yaml as written (so that
    the card files are checked against them even when deck.yaml has problems elsewhere);
    None when deck.yaml could not be read."""
    if doc is None:
        return None
    data = doc.data
    types = data.get("card_types") if isinstance(data, dict) else None
    found: dict[str, list[str]] = {}
    for t in types if isinstance(types, list) else []:
        if isinstance(t, dict) and isinstance(t.get("id"), str):
            fields = t.get("fields")
            names = [str(k) for k in fields] if isinstance(fields, dict) else []
            found[t["id"]] = [n for n in names if n not in BUILT_IN_KEYS]
    return found


def _asset(
    root: Path,
    doc: Document,
    at: Path_,
    value: str,
    what: str,
    example: str = "fonts/MyFont-Regular.ttf",
) -> Path:
    """A file the deck names: a relative path that stays inside the deck folder (exit 4)."""
    where = doc.at(at)
    if not value.strip():
        raise MissingAsset(
            f"{where}: {format_path(at)}: the path is empty; name {what} by a path inside "
            "the deck folder, such as fonts/MyFont-Regular.ttf"
        )
    given = Path(value)
    if given.is_absolute() or ".." in given.parts:
        raise MissingAsset(
            f"{where}: {format_path(at)}: '{shown(value)}' leaves the deck folder; "
            f"name {what} by a path inside the deck folder, such as {example}"
        )
    path = root / given
    real_root = root.resolve()
    if real_root not in path.resolve().parents:
        raise MissingAsset(
            f"{where}: {format_path(at)}: '{shown(value)}' points outside the deck folder "
            "(through a "
            "link); copy the file into the deck folder"
        )
    if not path.is_file():
        raise MissingAsset(
            f"{where}: {format_path(at)}: {what} '{shown(value)}' is not there; "
            "put the file in the "
            "deck folder or correct the path"
        )
    return path


def _name_cards(doc: Document) -> None:
    """Messages about a card name it by its id ('card S01') where it has a valid one."""
    cards = doc.data.get("cards") if isinstance(doc.data, dict) else None
    if not isinstance(cards, list):
        return
    for i, card in enumerate(cards):
        card_id = card.get("id") if isinstance(card, dict) else None
        if isinstance(card_id, str) and CARD_ID.fullmatch(card_id):
            doc.names[("cards", i)] = f"card {card_id}"


def _resolve_fonts(root: Path, doc: Document, raw: schema.RawStyle | None) -> fonts.DeckFonts:
    """The deck's fonts per style: one file, or a list tried in turn for each character (a
    script font, then one for Latin); the bundled Lato is always the last fallback."""
    found: fonts.DeckFonts = {}
    if raw is None:
        return found
    for style, value in raw.fonts.items():
        at: Path_ = ("style", "fonts", style)
        if style not in fonts.STYLES:
            raise InvalidDeck([_unknown(doc, at, style, "a font style", fonts.STYLES, key=True)])
        files = [value] if isinstance(value, str) else value
        if not files:
            raise InvalidDeck([doc.problem(at, "the list is empty; name a font file")])
        chain = []
        for j, name in enumerate(files):
            where = at if isinstance(value, str) else at + (j,)
            path = _asset(root, doc, where, name, "the font")
            chain.append((path, f"{doc.at(where)}: {format_path(where)}: '{shown(name)}'"))
        found[style] = tuple(chain)
    if found and "regular" not in found:
        raise InvalidDeck(
            [
                doc.problem(
                    ("style", "fonts"),
                    "name the 'regular' font too; the other faces fall back to it",
                    key=True,
                )
            ]
        )
    return found


def _resolve_print(doc: Document, raw: schema.RawPrint | None, problems: list[str]) -> PrintValues:
    """Print defaults from deck.yaml, checked by `settings` (each problem at its line)."""
    if raw is None:
        return PrintValues()
    at: Path_ = ("print",)
    offset = tuple(raw.back_offset) if raw.back_offset is not None else None
    values = PrintValues(
        raw.card,
        raw.paper,
        raw.bleed,
        raw.gap,
        raw.layout,
        raw.duplex,
        raw.shop,
        raw.cmyk,
        raw.dpi,
        offset,  # type: ignore[arg-type]
        where=tuple(
            (key, f"{doc.at(at + (key,))}: {format_path(at + (key,))}")
            for key in type(raw).model_fields
            if getattr(raw, key) is not None
        ),
    )
    for key, text in values.problems():
        problems.append(doc.problem(at + (key,), text))
    return values


def _resolve_kits(
    doc: Document,
    raw: schema.RawDeckFile,
    deck: Deck,
    cards: list[Card],
    text: _Texts,
    problems: list[str],
    complete: bool = True,
) -> tuple[Kit, ...]:
    """Kits name only what the deck has; every mistake is located in deck.yaml. While a card
    file is broken, its card ids and tags are unknown: kits are not checked against them."""
    known = {
        "segment": [s.id for s in deck.segments],
        "phase": [p.id for p in deck.phases],
        "subform": [f.id for s in deck.segments for f in s.subforms],
        "type": [t.id for t in deck.card_types],
        "tag": sorted({t for c in cards for t in c.tags}),
        "id": [c.id for c in cards],
    }
    what = {
        "segment": "a segment",
        "phase": "a phase",
        "subform": "a sub-form",
        "type": "a card type",
        "tag": "a tag of any card",
        "id": "a card id",
    }
    kits = []
    for kit_id, kit in raw.kits.items():
        at: Path_ = ("kits", kit_id)
        if not SLUG.fullmatch(kit_id):
            problems.append(
                doc.problem(
                    at,
                    f"'{shown(kit_id)}' is not a valid kit name: use lowercase letters, "
                    "digits and '-'",
                    key=True,
                )
            )
        for key, values in known.items():
            if key in ("tag", "id") and not complete:
                continue
            for j, value in enumerate(getattr(kit, key)):
                if value not in values:
                    problems.append(_unknown(doc, at + (key, j), value, what[key], values))
        if not any(getattr(kit, key) for key in known):
            problems.append(
                doc.problem(
                    at,
                    "the kit is empty; list the segments, phases, "
                    "sub-forms, types, tags or ids it holds",
                    key=True,
                )
            )
        kits.append(
            Kit(
                kit_id,
                text(doc, at + ("title",), kit.title) or None,
                tuple(kit.segment),
                tuple(kit.phase),
                tuple(kit.subform),
                tuple(kit.type),
                tuple(kit.tag),
                tuple(kit.id),
            )
        )
    return tuple(kits)


_POSITION = re.compile(r"^(.*?):(\d+):(\d+): ")
_CELL = re.compile(r"^(.*?):([^:!]*)!([A-Z]+)(\d+): ")


def _position(problem: str) -> tuple[bool, str, str, int, int]:
    """Sort key: deck.yaml first, then the card files; within a file by line and column
    (spreadsheets: by sheet, row and column)."""
    found = _POSITION.match(problem)
    cell = _CELL.match(problem)
    if found:
        file, sheet, line, col = found.group(1), "", int(found.group(2)), int(found.group(3))
    elif cell:
        file, sheet, line = cell.group(1), cell.group(2), int(cell.group(4))
        col = int.from_bytes(cell.group(3).encode(), "big")
    else:
        file, sheet, line, col = problem.split(":", 1)[0], "", 0, 0
    return (not file.endswith("deck.yaml"), file, sheet, line, col)


def type_order(card_type: CardType) -> tuple[str, ...]:
    """The sort keys of a type's cards: its declared `order:`, else (for types that take
    the colour of their category) category and sub-form; the id breaks every tie."""
    if card_type.order:
        return card_type.order
    return () if card_type.colour is not None else ("segment", "subform")


def sort_key(deck: Deck, card: Card) -> tuple[tuple[int, float, str], ...]:
    """Where a card goes among the cards of its type, by the type's order keys, then id."""
    key: list[tuple[int, float, str]] = []
    for name in type_order(card.type):
        if name == "segment":
            key.append((0, deck.segments.index(card.segment) if card.segment else -1, ""))
        elif name == "subform":
            subs = card.segment.subforms if card.segment else ()
            key.append((0, subs.index(card.subform) if card.subform in subs else -1, ""))
        elif name in ("id", "title"):
            key.append((0, 0, getattr(card, name).casefold()))
        else:
            key.append(_field_key(card.type.field(name), card.custom.get(name)))
    return (*key, (0, 0, card.id))


def _field_key(spec: Field | None, value: str | None) -> tuple[int, float, str]:
    """A custom field's sort position: its place among the declared values, else numbers
    before texts; cards without the field come last."""
    if value is None or spec is None:
        return (2, 0, "")
    if spec.values is not None:
        return (0, spec.values.index(value) if value in spec.values else len(spec.values), "")
    try:
        return (0, float(value.replace(",", ".")), "")
    except ValueError:
        return (1, 0, value.casefold())


def _resolve_deck(
    root: Path, doc: Document, raw: schema.RawDeckFile, language: str | None, problems: list[str]
) -> Deck:
    if not LANGUAGE.fullmatch(raw.language):
        problems.append(
            doc.problem(
                ("language",),
                f"'{shown(raw.language)}' is not a language code such as 'nl' or 'fr'",
            )
        )
    # the deck's own language comes first: texts written without a language code are in it
    languages = (raw.language,) + tuple(x for x in raw.languages or [] if x != raw.language)
    chosen = language or raw.language
    if chosen not in languages:
        problems.append(
            f"{doc.file}: the deck has no language '{shown(chosen)}' ({known_list(languages)})"
        )
    text = _Texts(raw.language, languages, chosen, problems)
    words = _resolve_wording(doc, raw.wording, languages, chosen, problems)

    phases = tuple(
        Phase(p.id, text(doc, ("phases", i, "name"), p.name, limit=MAX_NAME))
        for i, p in enumerate(raw.phases)
    )
    for i, p in enumerate(raw.phases):
        _slug(doc, ("phases", i, "id"), p.id, "phase", problems)
    _plain(doc, ("version",), raw.version, problems)
    # the authors are texts per language, checked as every text is
    _plain(doc, ("licence",), raw.licence, problems)
    _no_duplicates(doc, ("phases",), [p.id for p in raw.phases], "phase", problems)
    segments = []
    for i, s in enumerate(raw.segments):
        at: Path_ = ("segments", i)
        _slug(doc, at + ("id",), s.id, "segment", problems)
        for j, f in enumerate(s.subforms):
            _slug(doc, at + ("subforms", j, "id"), f.id, "sub-form", problems)
        if s.phase is not None and s.phase not in {p.id for p in phases}:
            problems.append(
                _unknown(doc, at + ("phase",), s.phase, "a phase", [p.id for p in phases])
            )
        _check_colour(doc, at + ("colour",), s.colour, problems)
        picto_file = _pictogram(root, doc, at + ("pictogram",), s.pictogram, problems)
        _no_duplicates(doc, at + ("subforms",), [f.id for f in s.subforms], "sub-form", problems)
        subforms = tuple(
            Subform(
                f.id,
                text(doc, at + ("subforms", j, "name"), f.name, limit=MAX_NAME),
                text(doc, at + ("subforms", j, "meaning"), f.meaning) or None,
            )
            for j, f in enumerate(s.subforms)
        )
        segments.append(
            Segment(
                s.id,
                text(doc, at + ("name",), s.name, limit=MAX_NAME),
                s.phase,
                s.colour.upper() if s.colour.startswith("#") else s.colour.lower(),
                s.pictogram,
                text(doc, at + ("meaning",), s.meaning) or None,
                subforms,
                picto_file,
            )
        )
    _no_duplicates(doc, ("segments",), [s.id for s in raw.segments], "segment", problems)
    all_subforms = [f.id for s in raw.segments for f in s.subforms]
    _no_duplicates(doc, ("segments",), all_subforms, "sub-form", problems)

    card_types = [
        _resolve_card_type(root, doc, ("card_types", i), t, text, problems)
        for i, t in enumerate(raw.card_types)
    ]
    _no_duplicates(doc, ("card_types",), [t.id for t in raw.card_types], "card type", problems)
    facets = tuple(
        Facet(
            fid,
            text(doc, ("facets", fid, "name"), f.name, limit=MAX_NAME),
            {
                vid: text(doc, ("facets", fid, "values", vid), v, limit=MAX_NAME)
                for vid, v in f.values.items()
            },
        )
        for fid, f in raw.facets.items()
    )
    bibliography = []
    for i, b in enumerate(raw.bibliography):
        if b.url is not None and (msg := _check_url(doc, ("bibliography", i, "url"), b.url)):
            problems.append(msg)
        bibliography.append(
            Source(b.id, text(doc, ("bibliography", i, "text"), b.text), b.url, b.verify)
        )
    return Deck(
        root=root,
        title=text(doc, ("title",), raw.title, limit=MAX_NAME),
        subtitle=text(doc, ("subtitle",), raw.subtitle, limit=MAX_NAME) or None,
        version=raw.version,
        language=chosen,
        languages=languages,
        authors=tuple(text(doc, ("authors", i), a) for i, a in enumerate(raw.authors)),
        licence=raw.licence,
        based_on=text(doc, ("based_on",), raw.based_on) or None,
        segments=tuple(segments),
        phases=phases,
        card_types=tuple(card_types),
        facets=facets,
        bibliography=tuple(bibliography),
        wording=words,
        untranslated=tuple(Untranslated(where, what, None) for where, what in text.untranslated),
    )


def _pictogram(
    root: Path, doc: Document, at: Path_, value: str, problems: list[str]
) -> Path | None:
    """An image file in the deck (`assets/clubs.svg`), or a name: the deck's own drawing
    `assets/<name>.svg` when it has one (it replaces a built-in of that name), else a
    built-in pictogram."""
    if value.lower().endswith(PICTOGRAM_FILES):
        return _asset(root, doc, at, value, "the pictogram", "assets/clubs.svg")
    own = root / "assets" / f"{value}.svg"
    if SLUG.match(value) and own.is_file():
        return _asset(root, doc, at, f"assets/{value}.svg", "the pictogram", "assets/clubs.svg")
    if value not in PICTOGRAMS:
        problems.append(
            doc.problem(
                at,
                f"'{value}' is not a pictogram: name a built-in one ({', '.join(PICTOGRAMS)}), "
                f"draw your own as assets/{value}.svg in the deck folder, or give the path of "
                f"an image there (SVG, PNG or JPEG){did_you_mean(value, PICTOGRAMS)}",
            )
        )
    return None


def _resolve_card_type(
    root: Path,
    doc: Document,
    at: Path_,
    t: schema.RawCardType,
    text: _Texts,
    problems: list[str],
) -> CardType:
    """A card type and its anatomy: the fields its cards carry, the built-in keys they
    must carry, how they sort and what the colour band names."""
    _slug(doc, at + ("id",), t.id, "card type", problems)
    if t.colour is not None:
        _check_colour(doc, at + ("colour",), t.colour, problems)
    picto_file = _pictogram(root, doc, at + ("pictogram",), t.pictogram, problems)
    fields = []
    for fid, f in t.fields.items():
        fat = at + ("fields", fid)
        if fid in BUILT_IN_KEYS:
            problems.append(
                doc.problem(
                    fat, f"'{fid}' is a key every card has; give the field another name", key=True
                )
            )
        elif not FIELD_ID.match(fid):
            problems.append(
                doc.problem(
                    fat,
                    f"'{fid}' is not a valid field name: use a lowercase letter followed by up "
                    "to 31 lowercase letters, digits or '_'",
                    key=True,
                )
            )
        if f.values is not None:
            if not f.values:
                problems.append(
                    doc.problem(
                        fat + ("values",), "the list is empty; name the values or leave it out"
                    )
                )
            _no_duplicates(doc, fat + ("values",), list(f.values), "value", problems)
        label = text(doc, fat + ("label",), f.label) or None
        fields.append(Field(fid, label, f.required, tuple(f.values) if f.values else None))
    names = [f.id for f in fields]
    for j, key in enumerate(t.requires):
        if key in names:
            problems.append(
                doc.problem(
                    at + ("requires", j),
                    f"'{key}' is a field of this type; write 'required: true' under "
                    f"fields: {key}: instead",
                )
            )
        elif key not in REQUIRABLE:
            problems.append(
                _unknown(doc, at + ("requires", j), key, "a key a type can require", REQUIRABLE)
            )
    for j, key in enumerate(t.order):
        if key not in ORDER_KEYS and key not in names:
            problems.append(
                _unknown(
                    doc, at + ("order", j), key, "a sort key of this type", [*ORDER_KEYS, *names]
                )
            )
    band = None
    if t.band is not None:
        lines = [[part] if isinstance(part, str) else part for part in t.band]
        if not 1 <= len(lines) <= 2:
            problems.append(doc.problem(at + ("band",), "the band has one or two lines"))
        for j, line in enumerate(lines):
            for k, part in enumerate(line):
                if part not in BAND_PARTS and part not in names:
                    where = at + ("band", j) + ((k,) if isinstance(t.band[j], list) else ())
                    problems.append(
                        _unknown(doc, where, part, "a band part", [*BAND_PARTS, *names])
                    )
        band = tuple(tuple(line) for line in lines)
    return CardType(
        t.id,
        text(doc, at + ("name",), t.name, limit=MAX_NAME),
        (t.colour.upper() if t.colour.startswith("#") else t.colour.lower()) if t.colour else None,
        t.pictogram,
        tuple(fields),
        tuple(t.requires),
        tuple(t.order),
        band,
        picto_file,
    )


def _resolve_wording(
    doc: Document,
    raw: dict[str, dict[str, dict[str, str]]],
    languages: tuple[str, ...],
    chosen: str,
    problems: list[str],
) -> dict[str, Any]:
    """The deck's own fixed words for the chosen language, every key checked; and every
    language of the deck must have all the words (shipped or the deck's own)."""
    from . import wording

    known = wording.known_keys() if raw else frozenset()  # read only when there are keys
    for lang, sections in raw.items():
        if lang not in languages:
            problems.append(
                doc.problem(
                    ("wording", lang),
                    f"'{lang}' is not a language of this deck ({known_list(languages)})",
                    key=True,
                )
            )
        for section, keys in sections.items():
            for key in keys:
                name = f"{section}.{key}"
                if name not in known:
                    problems.append(
                        _unknown(
                            doc,
                            ("wording", lang, section, key),
                            name,
                            "a wording key",
                            sorted(k for k in known if k.startswith(section + "."))
                            or sorted({k.split(".")[0] for k in known}),
                            key=True,
                        )
                    )
    for lang in languages:
        missing = wording.missing_keys(lang, raw.get(lang))
        if missing:
            shown = ", ".join(missing[:5]) + (", ..." if len(missing) > 5 else "")
            problems.append(
                doc.problem(
                    ("languages",) if lang != languages[0] else ("language",),
                    f"kaartspel has no wording in '{lang}' for {len(missing)} "
                    f"key{'s' if len(missing) != 1 else ''} ({shown}); add them under "
                    f"'wording: {lang}:' in deck.yaml (see the shipped nl.yaml)",
                )
            )
    return dict(raw.get(chosen, {}))


def _check_colour(doc: Document, path: Path_, value: str, problems: list[str]) -> None:
    if not palette.is_colour(value):
        problems.append(
            doc.problem(
                path,
                f"'{shown(value)}' is not a colour; write it as #RRGGBB "
                "(for example #245E8C) or as "
                "cmyk(C, M, Y, K) in percent (for example cmyk(85, 40, 0, 20))",
            )
        )


def _no_duplicates(
    doc: Document, path: Path_, ids: list[str], what: str, problems: list[str]
) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            problems.append(doc.problem(path, f"the {what} id '{shown(value)}' is used twice"))
        seen.add(value)


class _Cards:
    """Resolves the cards of one file after another, remembering ids across files."""

    def __init__(self, deck: Deck, language: str, problems: list[str]) -> None:
        self.deck = deck
        self.problems = problems
        self.text = _Texts(deck.languages[0], deck.languages, language, problems)
        self.cards: list[Card] = []
        self.untranslated: list[Untranslated] = []
        self.first_seen: dict[str, Location] = {}

    def add(self, doc: Document, raws: list[tuple[int, schema.RawCard | None]]) -> None:
        """The cards of one file, each with its index in the file; None for a card whose
        schema is broken (already reported): its id still counts, so a duplicate is found.
        Texts that fall back to the main language are remembered with their card."""
        for i, raw in raws:
            if raw is None:
                written = doc.data["cards"][i]
                card_id = written.get("id") if isinstance(written, dict) else None
                if isinstance(card_id, str) and CARD_ID.fullmatch(card_id):
                    self._claim(doc, i, card_id)
                continue
            before = len(self.text.untranslated)
            card = _resolve_card(self.deck, doc, ("cards", i), raw, self.text, self.problems)
            self.untranslated += [
                Untranslated(where, what, raw.id) for where, what in self.text.untranslated[before:]
            ]
            if card is not None and self._claim(doc, i, card.id):
                self.cards.append(card)

    def _claim(self, doc: Document, i: int, card_id: str) -> bool:
        """Record the id of card `i`; False (and a problem) when another card has it."""
        if card_id in self.first_seen:
            self.problems.append(
                doc.problem(
                    ("cards", i, "id"),
                    f"the card id '{card_id}' is used twice (first at "
                    f"{self.first_seen[card_id]}); give every card its own id",
                )
            )
            return False
        self.first_seen[card_id] = doc.at(("cards", i, "id"))
        return True

    def finish(self) -> list[Card]:
        printed = sum(c.copies for c in self.cards)
        if printed > MAX_CARDS and len(self.cards) <= MAX_CARDS:
            self.problems.append(
                _too_many(self.deck.root, f"prints {printed} cards (copies included)")
            )
        if not self.cards and not self.problems:
            self.problems.append(f"{display_path(self.deck.root / 'cards')}: the deck has no cards")
        return self.cards


def _too_many(root: Path, what: str) -> str:
    """The deck has more cards than a build can hold in memory, with the reason."""
    return (
        f"{display_path(root)}: the deck {what}; at most {MAX_CARDS} are supported "
        "(a build holds every card in memory: about 1.7 GB at that size)"
    )


def _resolve_card(
    deck: Deck, doc: Document, at: Path_, raw: schema.RawCard, text: _Texts, problems: list[str]
) -> Card | None:
    before = len(problems)
    if not CARD_ID.fullmatch(raw.id):
        problems.append(
            doc.problem(
                at + ("id",),
                f"'{shown(raw.id)}' is not a valid card id: use a "
                "letter followed by up to 15 letters, digits, '-' or '_'",
            )
        )
    card_type = deck.card_type(raw.type)
    if card_type is None:
        problems.append(
            _unknown(doc, at + ("type",), raw.type, "a card type", [t.id for t in deck.card_types])
        )
    segment = subform = None
    if raw.segment is not None:
        segment = deck.segment(raw.segment)
        if segment is None:
            problems.append(
                _unknown(
                    doc, at + ("segment",), raw.segment, "a segment", [s.id for s in deck.segments]
                )
            )
    if raw.subform is not None:
        if segment is not None:
            subform = segment.subform(raw.subform)
            if subform is None:
                owner = next((s for s in deck.segments if s.subform(raw.subform)), None)
                if owner is not None:
                    problems.append(
                        doc.problem(
                            at + ("subform",),
                            f"the sub-form '{raw.subform}' belongs to the segment "
                            f"'{owner.id}', not to '{segment.id}'",
                        )
                    )
                else:
                    problems.append(
                        _unknown(
                            doc,
                            at + ("subform",),
                            raw.subform,
                            f"a sub-form of '{segment.id}'",
                            [f.id for f in segment.subforms],
                        )
                    )
        elif raw.segment is None:
            problems.append(
                doc.problem(
                    at + ("subform",), "a sub-form needs a segment: add 'segment:' to this card"
                )
            )
    type_id = raw.type
    if card_type is not None:
        for key in card_type.requires:
            if key in REQUIRABLE and key != "facets" and not getattr(raw, key):
                problems.append(doc.problem(at, f"a card of type '{type_id}' needs {_a(key)}"))
    custom = _custom_fields(doc, at, raw, card_type, text, problems)
    copies = 1 if raw.copies is None else raw.copies
    if not 1 <= copies <= MAX_COPIES:
        problems.append(
            doc.problem(
                at + ("copies",),
                f"{copies} is not a number of copies; write a whole number from 1 to {MAX_COPIES}",
            )
        )

    facets: dict[str, tuple[str, ...]] = {}
    for fid, values in raw.facets.items():
        facet = deck.facet(fid)
        if facet is None:
            problems.append(
                _unknown(
                    doc, at + ("facets", fid), fid, "a facet", [f.id for f in deck.facets], key=True
                )
            )
            continue
        if not values:
            problems.append(
                doc.problem(
                    at + ("facets", fid),
                    "the list is empty; name at least one value or leave the facet out",
                )
            )
        for j, value in enumerate(values):
            if value not in facet.values:
                problems.append(
                    _unknown(
                        doc,
                        at + ("facets", fid, j),
                        value,
                        f"a value of the facet '{fid}'",
                        facet.values,
                    )
                )
            elif value in values[:j]:
                problems.append(
                    doc.problem(at + ("facets", fid, j), f"'{shown(value)}' is listed twice")
                )
        facets[fid] = tuple(values)
    if card_type is not None and "facets" in card_type.requires:
        missing = [f.id for f in deck.facets if f.id not in raw.facets]
        if missing:
            problems.append(
                doc.problem(
                    at + ("facets",) if raw.facets else at,
                    f"a card of type '{type_id}' needs every facet; missing: {', '.join(missing)}",
                    key=True,
                )
            )
    facets = {f.id: facets[f.id] for f in deck.facets if f.id in facets}

    links: list[Link] = []  # a page in the chosen language comes before the pages for all
    own: list[Link] = []
    for j, link in enumerate(raw.links):
        lp = at + ("links", j)
        if msg := _check_url(doc, lp + ("url",), link.url):
            problems.append(msg)
        if link.kind not in LINK_KINDS:
            problems.append(_unknown(doc, lp + ("kind",), link.kind, "a link kind", LINK_KINDS))
        if link.lang is not None and link.lang not in text.allowed:
            problems.append(
                _unknown(doc, lp + ("lang",), link.lang, "a language of this deck", text.allowed)
            )
        if link.lang is not None and link.lang != text.chosen:
            continue
        made = Link(link.url, link.kind, text(doc, lp + ("label",), link.label) or None)
        (own if link.lang is not None else links).append(made)
    links = own + links
    for j, tag in enumerate(raw.tags):
        if not SLUG.fullmatch(tag):
            problems.append(
                doc.problem(
                    at + ("tags", j),
                    f"'{shown(tag)}' is not a valid tag: use lowercase letters, digits and '-'",
                )
            )
    title = text(doc, at + ("title",), raw.title)
    body = text(doc, at + ("text",), raw.text)
    place = text(doc, at + ("place",), raw.place) or None
    if len(problems) > before or card_type is None:
        return None
    return Card(
        id=raw.id,
        type=card_type,
        segment=segment,
        subform=subform,
        title=title,
        text=body,
        answer=custom.get("answer"),
        question=custom.get("question"),
        place=place,
        facets=facets,
        links=tuple(links),
        tags=tuple(raw.tags),
        verify=raw.verify,
        origin=doc.at(at),
        custom=custom,
        copies=copies,
        back=raw.back,
    )


def _a(key: str) -> str:
    """ "a 'segment'", "an 'answer'"."""
    return f"{'an' if key[0] in 'aeiou' else 'a'} '{key}'"


def _custom_fields(
    doc: Document,
    at: Path_,
    raw: schema.RawCard,
    card_type: CardType | None,
    text: _Texts,
    problems: list[str],
) -> dict[str, str]:
    """The custom fields of a card as display text, in the order its type declares them."""
    if card_type is None:
        return {}
    declared = [f.id for f in card_type.fields]
    values: dict[str, str] = {}
    for name, given in raw.custom.items():
        if name not in declared:  # only through an explicit 'custom:' key
            problems.append(_unknown(doc, at + (name,), name, "a field", declared, key=True))
            continue
        values[name] = text(doc, at + (name,), given)
    for spec in card_type.fields:
        value = values.get(spec.id)
        if value is None:
            if spec.required:
                problems.append(
                    doc.problem(at, f"a card of type '{card_type.id}' needs {_a(spec.id)}")
                )
        elif spec.values is not None and value not in spec.values:
            problems.append(
                _unknown(
                    doc, at + (spec.id,), value, f"a value of the field '{spec.id}'", spec.values
                )
            )
    return {f.id: values[f.id] for f in card_type.fields if f.id in values}


def rules_path(deck: Deck) -> Path:
    """rules.md in the deck's main language; rules.<lang>.md in another, when there is one."""
    own = deck.root / f"rules.{deck.language}.md"
    return own if not deck.main_language and own.exists() else deck.root / "rules.md"


def load_rules(deck: Deck) -> list[Any] | None:
    """The deck's rules text (rules.md) as Markdown blocks, or None when the deck has none
    (then markdown-it, some 35 ms to import, is not imported)."""
    from .source import read_text

    path = rules_path(deck)
    if not path.exists():
        if path.is_symlink():
            raise MissingAsset(
                f"{display_path(path)}: this link points to a file that does not exist; "
                "restore the rules file or remove the link."
            )
        return None
    _inside_deck(deck.root, path)
    try:
        name, text = read_text(path)
    except SourceError as exc:
        raise InvalidDeck([exc.message]) from None
    if not text.strip():
        raise InvalidDeck(
            [f"{name}:1:1: the rules file is empty; write the rules, or remove rules.md"]
        )
    # reportlab markup takes #RRGGBB only: a CMYK colour as its RGB approximation
    link = palette.hex_of(palette.parse(deck.segments[0].colour)) if deck.segments else "#245E8C"
    from . import markdown

    return list(markdown.parse(text, name, link))
