"""A deck's design: the shipped default design with the deck's own `design.yaml` merged over it,
validated and resolved (styles, palette, templates, which template each card type uses).

Every problem is located (`file:line:col`) and all are reported at once (exit 3); a file the
design names that is missing or outside the deck folder exits 4. Nothing here draws or lays
out: `layout` turns a template and a card into a face.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import art, palette, wording
from .design_schema import KINDS, RawDesign, RawStyle, RawTemplate, RawTypeChoice
from .errors import InvalidDeck, MissingAsset, did_you_mean
from .model import Deck
from .schema import built, validate
from .source import Document, Location, Path_, SourceError, display_path, format_path, load

DEFAULT = Path(__file__).parent / "data" / "design.yaml"
FILE = "design.yaml"

# the card fields a template may name in `{...}`; any other name is a custom field of the card
FIELDS = (
    "id",
    "title",
    "text",
    "answer",
    "question",
    "place",
    "type.name",
    "segment.name",
    "subform.name",
    "band.first",
    "band.second",
    "category.name",
    "subject.name",
    "deck.title",
    "deck.subtitle",
    "deck.version",
    "link.short",
    "link.url",
)
FONT_STYLES = ("regular", "italic", "bold", "black")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
LENGTH = re.compile(r"^(-?\d+(?:\.\d+)?)(mm|%|%w|%h|%min|pt)?$")
COLOUR_FN = re.compile(r"^(tint|mix)\((.*)\)$")
SPECIAL_COLOURS = ("card", "on-card", "card-ink", "segment")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")


@dataclass(frozen=True)
class Element:
    """One element of a template: its name, its validated model and its design line."""

    name: str
    spec: Any  # one of design_schema.KINDS
    where: Location

    @property
    def kind(self) -> str:
        return str(self.spec.kind)


@dataclass(frozen=True)
class Template:
    name: str
    scale: bool
    elements: tuple[Element, ...]

    def element(self, name: str) -> Element | None:
        return next((e for e in self.elements if e.name == name), None)


_NO_CHOICE = built(RawTypeChoice)()  # a card type the design names no templates for


@dataclass(frozen=True)
class Design:
    scale_min: float
    scale_max: float
    palette: dict[str, str]
    styles: dict[str, RawStyle]
    fronts: dict[str, Template]
    backs: dict[str, Template]
    types: dict[str, RawTypeChoice]
    root: Path
    assets: dict[str, Path] = field(default_factory=dict)  # file as written -> path

    def choice(self, type_id: str) -> tuple[str, str, str]:
        """(front template, back template, per) for a card type."""
        base = self.types.get("default", _NO_CHOICE)
        own = self.types.get(type_id, _NO_CHOICE)
        return (
            own.front or base.front or "card",
            own.back or base.back or "wheel",
            own.per or base.per or "type",
        )


# ---------------------------------------------------------------- lengths and colours
def parse_length(value: Any) -> list[tuple[float, str]] | None:
    """A length as (number, unit) pairs (a list means: the largest); None when malformed."""
    found = _parse_length(tuple(value) if isinstance(value, list) else value)
    return list(found) if found is not None else None


@lru_cache(maxsize=1024)
def _parse_length(value: Any) -> tuple[tuple[float, str], ...] | None:
    items = value if isinstance(value, tuple) else [value]
    out = []
    for item in items:
        if isinstance(item, bool):
            return None
        if isinstance(item, int | float):
            out.append((float(item), ""))
            continue
        found = LENGTH.match(str(item).replace(" ", ""))
        if not found:
            return None
        out.append((float(found.group(1)), found.group(2) or ""))
    return tuple(out) or None


def colour_problem(spec: str, names: dict[str, str]) -> str | None:
    """Why `spec` is not a colour of this design, or None."""
    spec = spec.strip()
    found = COLOUR_FN.match(spec)
    if found:
        args = [a.strip() for a in found.group(2).split(",")]
        want = 2 if found.group(1) == "tint" else 3
        if len(args) != want:
            return f"'{spec}': {found.group(1)}() takes {want} values"
        try:
            share = float(args[-1])
        except ValueError:
            return f"'{spec}': the last value of {found.group(1)}() is a share from 0 to 1"
        if not 0 <= share <= 1:
            return f"'{spec}': the last value of {found.group(1)}() is a share from 0 to 1"
        for arg in args[:-1]:
            problem = colour_problem(arg, names)
            if problem:
                return problem
        return None
    if spec in SPECIAL_COLOURS or spec in names or palette.is_colour(spec):
        return None
    known = list(SPECIAL_COLOURS) + sorted(names)
    return (
        f"'{spec}' is not a colour (a palette name, {', '.join(SPECIAL_COLOURS)}, "
        f"'#RRGGBB', 'cmyk(C, M, Y, K)', 'tint(COLOUR, 0.2)' or 'mix(A, B, 0.5)')"
        + did_you_mean(spec, known)
    )


# ---------------------------------------------------------------- loading
def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    return over


def _read(path: Path) -> Document:
    try:
        return load(path)
    except SourceError as exc:
        raise InvalidDeck([exc.message]) from None


class _Sub(Document):
    """A part of the merged design document, reporting problems at their full path."""

    def __init__(self, parent: Document, prefix: Path_, data: Any, table: dict[Path_, Path_]):
        super().__init__(parent.file, data)
        self.parent, self.prefix, self.table = parent, prefix, table

    def problem(self, path: Path_, message: str, key: bool = False) -> str:
        full = self.table.get(tuple(path)) or self.table.get(tuple(path[:-1]))
        if full is not None and tuple(path) not in self.table:
            full = full + tuple(path[-1:])
        where = self.parent.at(full or self.prefix + tuple(path), key)
        return f"{where}: {format_path(self.prefix + tuple(path))}: {message}"


def load_design(deck: Deck) -> Design:
    """The deck's design: the default design with the deck's `design.yaml` merged over it."""
    return _load(deck.root.resolve(), _stamp(deck.root), deck.language, custom_fields(deck))


def custom_fields(deck: Deck) -> tuple[str, ...]:
    """The names of the fields the deck's card types declare beyond the built-in ones."""
    return tuple(sorted({f.id for card_type in deck.card_types for f in card_type.fields}))


def _stamp(root: Path) -> float:
    path = root / FILE
    return path.stat().st_mtime if path.is_file() else 0.0


@lru_cache(maxsize=8)
def _load(root: Path, _stamp: float, language: str, custom: tuple[str, ...]) -> Design:
    base = _read(DEFAULT)
    own_file = root / FILE
    doc = base
    if own_file.is_file():
        real = own_file.resolve()
        if real != root and root not in real.parents:
            raise MissingAsset(
                f"{display_path(own_file)}: this file points outside the deck folder (to "
                f"{real}); kaartspel only reads files inside the deck folder."
            )
        own = _read(own_file)
        if own.data is None:
            own.data = {}
        if not isinstance(own.data, dict):
            raise InvalidDeck(
                [own.problem((), "a design file is a mapping of keys such as 'styles:'")]
            )
        doc = Document(
            own.file,
            _merge(base.data, own.data),
            {**base.values, **own.values},
            {**base.keys, **own.keys},
        )
    return _Checker(doc, root, language, custom).run()


class _Checker:
    def __init__(self, doc: Document, root: Path, language: str, custom: tuple[str, ...]) -> None:
        self.doc, self.root, self.language, self.custom = doc, root, language, custom
        self.problems: list[str] = []
        self.assets: dict[str, Path] = {}
        self.words = wording.keys(language)

    def run(self) -> Design:
        raw, found = validate(RawDesign, self.doc)
        self.problems += found
        if raw is None:
            raise InvalidDeck(sorted(found, key=_position))
        assert isinstance(raw, RawDesign)
        self.raw = raw
        for name, spec in raw.palette.items():
            if not palette.is_colour(spec):
                self.problems.append(
                    self.doc.problem(
                        ("palette", name), f"'{spec}' is not a colour ('#RRGGBB' or 'cmyk(...)')"
                    )
                )
        for name, style in raw.styles.items():
            if style.font not in FONT_STYLES:
                self.problems.append(
                    self.doc.problem(
                        ("styles", name, "font"),
                        f"'{style.font}' is not a font style (known: {', '.join(FONT_STYLES)})"
                        + did_you_mean(style.font, FONT_STYLES),
                    )
                )
            if style.size <= 0 or (style.min is not None and not 0 < style.min <= style.size):
                self.problems.append(
                    self.doc.problem(
                        ("styles", name),
                        "a style needs a size above 0 and a minimum between 0 and its size",
                    )
                )
        fronts = {n: self._template("fronts", n) for n in raw.fronts}
        backs = {n: self._template("backs", n) for n in raw.backs}
        for type_id, choice in raw.types.items():
            at: Path_ = ("types", type_id)
            if choice.front is not None and choice.front not in raw.fronts:
                self.problems.append(self._unknown(at + ("front",), choice.front, raw.fronts))
            if choice.back is not None and choice.back not in raw.backs:
                self.problems.append(self._unknown(at + ("back",), choice.back, raw.backs))
        if self.problems:
            raise InvalidDeck(sorted(set(self.problems), key=_position))
        return Design(
            raw.scale.min,
            raw.scale.max,
            dict(raw.palette),
            dict(raw.styles),
            {k: v for k, v in fronts.items() if v is not None},
            {k: v for k, v in backs.items() if v is not None},
            dict(raw.types),
            self.root,
            self.assets,
        )

    def _unknown(self, at: Path_, value: str, known: Any, what: str = "a template") -> str:
        names = sorted(known)
        return self.doc.problem(
            at,
            f"'{value}' is not {what} of this design (known: {', '.join(names)})"
            + did_you_mean(value, names),
        )

    def _elements(self, section: str, name: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
        """The template's elements with those of the template it extends merged under them:
        name -> (data, location table from relative path to full document path)."""
        raw: RawTemplate = getattr(self.raw, section)[name]
        out: dict[str, Any] = {}
        if raw.extends is not None:
            if raw.extends not in getattr(self.raw, section) or raw.extends in seen:
                if raw.extends in seen:
                    self.problems.append(
                        self.doc.problem(
                            (section, name, "extends"), "templates extend each other in a circle"
                        )
                    )
                else:
                    self.problems.append(
                        self._unknown(
                            (section, name, "extends"), raw.extends, getattr(self.raw, section)
                        )
                    )
            else:
                out = self._elements(section, raw.extends, seen + (name,))
        for key, data in raw.elements.items():
            at: Path_ = (section, name, "elements", key)
            table: dict[Path_, Path_] = {(): at}
            table.update(_paths(data, at))
            if key in out:
                old_data, old_table = out[key]
                if isinstance(data, dict) and isinstance(old_data, dict):
                    merged_table = dict(old_table)
                    merged_table.update(table)
                    out[key] = (_merge(old_data, data), merged_table)
                    continue
            out[key] = (data, table)
        return out

    def _template(self, section: str, name: str) -> Template | None:
        raw: RawTemplate = getattr(self.raw, section)[name]
        before = len(self.problems)
        elements: list[Element] = []
        seen: list[str] = []  # every element above, valid or not
        resolved = self._elements(section, name)
        self._all = list(resolved)
        for key, (data, table) in resolved.items():
            at = table[()]
            seen.append(key)
            if not isinstance(data, dict):
                self.problems.append(self.doc.problem(at, "an element is a mapping with 'kind:'"))
                continue
            kind = data.get("kind")
            if kind is None:
                self.problems.append(
                    self.doc.problem(
                        at,
                        f"the element '{key}' has no 'kind' (one of: {', '.join(KINDS)})",
                        key=True,
                    )
                )
                continue
            if kind not in KINDS:
                self.problems.append(
                    self.doc.problem(
                        table.get(("kind",), at + ("kind",)),
                        f"'{kind}' is not an element kind (known: {', '.join(KINDS)})"
                        + did_you_mean(str(kind), KINDS),
                    )
                )
                continue
            sub = _Sub(self.doc, at, data, table)
            spec, found = validate(KINDS[kind], sub)
            self.problems += found
            if spec is None:
                continue
            element = Element(key, spec, self.doc.at(at, key=True))
            self._check(element, table, seen[:-1])
            elements.append(element)
        if len(self.problems) > before:
            return None
        return Template(name, raw.scale, tuple(elements))

    # ------------------------------------------------------------ meaning of one element
    def _check(
        self,
        element: Element,
        table: dict[Path_, Path_],
        above: list[str],
    ) -> None:
        spec = element.spec
        names = set(above)

        def problem(path: Path_, message: str) -> None:
            full = table.get(path) or (table[()] + path)
            self.problems.append(self.doc.problem(full, message))

        for key, value in _walk(spec.model_dump()):
            last = key[-1] if key else ""
            if isinstance(last, str) and (
                last in ("colour", "others", "hole", "stroke") and isinstance(value, str)
            ):
                why = colour_problem(value, self.raw.palette)
                if why:
                    problem(key, why)
            elif last == "style" and isinstance(value, str) and value not in self.raw.styles:
                names_ = sorted(self.raw.styles)
                problem(
                    key,
                    f"'{value}' is not a style of this design (known: {', '.join(names_)})"
                    + did_you_mean(value, names_),
                )
            elif last == "font" and isinstance(value, str) and value not in FONT_STYLES:
                problem(
                    key,
                    f"'{value}' is not a font style (known: {', '.join(FONT_STYLES)})"
                    + did_you_mean(value, FONT_STYLES),
                )
            elif last == "label" and element.kind == "flow" and isinstance(value, str):
                if value not in self.words:
                    problem(
                        key, f"'{value}' is not a wording key" + did_you_mean(value, self.words)
                    )
            elif (
                last
                in (
                    "size",
                    "radius",
                    "inner",
                    "gap",
                    "gap_before",
                    "inset",
                    "lift",
                    "height",
                    "padding",
                    "swatch",
                    "step",
                    "drop",
                    "grow",
                    "offset",
                    "width",
                    "share",
                    "max",
                    "module",
                    "row_gap",
                    "side_gap",
                    "bottom",
                    "clearance",
                    "min_width",
                    "margin",
                    "stroke_width",
                )
                and value is not None
            ):
                if isinstance(value, int | float) and last in ("gap_before",) and len(key) > 2:
                    continue
                if (
                    last in ("size", "drop", "step", "width")
                    and len(key) > 1
                    and key[0]
                    in (
                        "lines",
                        "label",
                        "value",
                    )
                ):
                    continue
                if last == "margin" and isinstance(value, list):
                    bad = any(parse_length(v) is None for v in value)
                else:
                    bad = parse_length(value) is None
                if bad:
                    problem(
                        key,
                        f"'{value}' is not a length (a number of mm, '3mm', '14%' or a list "
                        "of lengths)",
                    )
        for text, key in _texts(spec):
            for name in PLACEHOLDER.findall(text):
                for part in name.split("|"):
                    part = part.strip()
                    if part.startswith("@"):
                        if part[1:] not in self.words:
                            problem(
                                key,
                                f"'{part[1:]}' is not a wording key"
                                + did_you_mean(part[1:], self.words),
                            )
                    elif part not in FIELDS and part not in self.custom:
                        known = FIELDS + tuple(c for c in self.custom if c not in FIELDS)
                        problem(
                            key,
                            f"'{{{part}}}' is not a card field (known: {', '.join(known)}); a "
                            "new field is declared on its card type in deck.yaml"
                            + did_you_mean(part, known),
                        )
        for ref_key in ("within", "beside", "below", "right_of", "centre", "above"):
            ref: Any = getattr(spec, ref_key, None)
            target = getattr(ref, "element", ref)
            # a text docked to the bottom may hang below any element of the template
            floating = ref_key == "below" and getattr(spec, "dock", None) == "bottom"
            if isinstance(target, str) and target not in (self._all if floating else names):
                problem(
                    (ref_key,) + (("element",) if hasattr(ref, "element") else ()),
                    f"'{target}' is not an element above this one in the template (known: "
                    f"{', '.join(above) or 'none'})" + did_you_mean(target, names),
                )
        if (
            element.kind == "pictogram"
            and spec.of not in ("type", "segment", "card", "subject")
            and spec.of not in art.PICTOGRAMS
            and self._picto_asset(spec.of) is None
        ) and True:
            problem(
                ("of",),
                f"'{spec.of}' is not a pictogram (type, segment, subject, a built-in one: "
                f"{', '.join(art.PICTOGRAMS)}, or an SVG file in the deck's assets/)"
                + did_you_mean(spec.of, art.PICTOGRAMS),
            )
        if element.kind == "image":
            self._image(spec.file, table[()] + ("file",))
        if element.kind == "table" and isinstance(spec.rows, str) and spec.rows != "facets":
            problem(("rows",), f"'{spec.rows}' is not a table source (facets, or a list of fields)")

    def _picto_asset(self, name: str) -> Path | None:
        path = self.root / "assets" / f"{name}.svg"
        return path if path.is_file() else None

    def _image(self, value: str, at: Path_) -> None:
        where = self.doc.at(at)
        given = Path(value)
        if given.is_absolute() or ".." in given.parts:
            raise MissingAsset(
                f"{where}: {format_path(at)}: '{value}' leaves the deck folder; name the image "
                "by a path inside the deck folder, such as assets/logo.svg"
            )
        path = self.root / given
        if path.exists() and self.root not in path.resolve().parents:
            raise MissingAsset(
                f"{where}: {format_path(at)}: '{value}' points outside the deck folder (through "
                "a link); copy the file into the deck folder"
            )
        if not path.is_file():
            raise MissingAsset(
                f"{where}: {format_path(at)}: the image '{value}' is not there; put the file in "
                "the deck folder or correct the path"
            )
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            self.problems.append(
                self.doc.problem(
                    at, f"'{value}' is not a PNG, JPEG or SVG image (.png, .jpg, .jpeg, .svg)"
                )
            )
        self.assets[value] = path


def _paths(data: Any, at: Path_) -> dict[Path_, Path_]:
    out: dict[Path_, Path_] = {}

    def walk(value: Any, rel: Path_) -> None:
        out[rel] = at + rel
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, rel + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, rel + (i,))

    walk(data, ())
    return out


def _walk(value: Any, at: Path_ = ()) -> list[tuple[Path_, Any]]:
    out: list[tuple[Path_, Any]] = [(at, value)]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _walk(v, at + (k,))
    elif isinstance(value, list) and not all(isinstance(v, int | float | str) for v in value):
        for i, v in enumerate(value):
            out += _walk(v, at + (i,))
    return out


def _texts(spec: Any) -> list[tuple[str, Path_]]:
    """Every text template of an element, with its path inside the element."""
    out: list[tuple[str, Path_]] = []
    for key, value in _walk(spec.model_dump()):
        if key and key[-1] == "text" and isinstance(value, str):
            out.append((value, key))
        if len(key) >= 2 and key[-2] == "parts" and isinstance(value, str):
            out.append((value, key))
    for key, value in _walk(spec.model_dump()):
        if key and key[-1] == "parts" and isinstance(value, list):
            out += [(v, key + (i,)) for i, v in enumerate(value) if isinstance(v, str)]
    return out


def _position(message: str) -> tuple[str, int, int]:
    parts = message.split(":", 3)
    try:
        return (parts[0], int(parts[1]), int(parts[2]))
    except (IndexError, ValueError):
        return (message, 0, 0)
