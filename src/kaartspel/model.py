"""The deck as the rest of kaartspel sees it: resolved, validated, immutable.

Built by `load` from the raw files; every text is already in the chosen language and
every reference (segment, sub-form, card type, facet value) points at its object.
Nothing here reads files or draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .settings import PrintValues
from .source import Location

LINK_KINDS = ("video", "website", "source")


@dataclass(frozen=True)
class Subform:
    id: str
    name: str
    meaning: str | None = None


@dataclass(frozen=True)
class Segment:
    """A category of cards: a segment of the participation wheel (with its phase, meaning
    and sub-forms), or a plain category such as a suit (name, colour and pictogram only)."""

    id: str
    name: str
    phase: str | None
    colour: str
    pictogram: str  # a built-in pictogram's name, or the asset's path as written in deck.yaml
    meaning: str | None
    subforms: tuple[Subform, ...]
    pictogram_file: Path | None = None  # the asset file, when the pictogram is one

    def subform(self, subform_id: str) -> Subform | None:
        return next((s for s in self.subforms if s.id == subform_id), None)


Category = Segment  # the generic name: a deck's categories are its segments or its suits


@dataclass(frozen=True)
class Phase:
    id: str
    name: str


# keys every card may carry, whatever its type; a card type may require some of them
BUILT_IN_KEYS = (
    "id", "type", "segment", "subform", "title", "text", "place", "facets", "links", "tags",
    "verify", "copies", "back",
)  # fmt: skip
REQUIRABLE = ("segment", "subform", "place", "facets", "links", "tags")
ORDER_KEYS = ("segment", "subform", "id", "title")
MAX_COPIES = 100


@dataclass(frozen=True)
class Field:
    """A custom field a card type declares (`rank`, `score`, `duration`): its cards may
    carry it as a key of their own."""

    id: str
    label: str | None
    required: bool
    values: tuple[str, ...] | None  # the allowed values in their order, or any text


@dataclass(frozen=True)
class CardType:
    id: str
    name: str
    colour: str | None
    pictogram: str
    fields: tuple[Field, ...] = ()
    requires: tuple[str, ...] = ()  # built-in keys its cards must carry ('facets': every facet)
    order: tuple[str, ...] = ()  # sort keys within the type (then by id)
    band: tuple[tuple[str, ...], ...] | None = None  # the band's lines, each a list of parts
    pictogram_file: Path | None = None  # the asset file, when the pictogram is one

    def field(self, field_id: str) -> Field | None:
        return next((f for f in self.fields if f.id == field_id), None)


@dataclass(frozen=True)
class Facet:
    id: str
    name: str
    values: dict[str, str]


@dataclass(frozen=True)
class Source:
    id: str
    text: str
    url: str | None
    verify: str | None


@dataclass(frozen=True)
class Link:
    url: str
    kind: str
    label: str | None


@dataclass(frozen=True)
class Card:
    id: str
    type: CardType
    segment: Segment | None
    subform: Subform | None
    title: str
    text: str
    answer: str | None
    question: str | None
    place: str | None
    facets: dict[str, tuple[str, ...]]  # facet id -> value ids, in deck order of facets
    links: tuple[Link, ...]
    tags: tuple[str, ...]
    verify: str | None
    origin: Location
    custom: dict[str, str] = field(default_factory=dict)  # custom fields, in declaration order
    copies: int = 1  # how many times the card is printed on the sheets
    back: str | None = None  # the name of the back the card uses, if not its type's/category's

    @property
    def main_link(self) -> Link | None:
        return self.links[0] if self.links else None

    def fields(self) -> dict[str, str | None]:
        """The card's own fields as plain data (ids for references), shared by every export."""
        own: dict[str, str | None] = {
            "id": self.id,
            "type": self.type.id,
            "segment": self.segment.id if self.segment else None,
            "subform": self.subform.id if self.subform else None,
            "title": self.title,
            "text": self.text,
            "answer": self.answer,
            "question": self.question,
            "place": self.place,
        }
        own.update(self.custom)
        return own

    @property
    def colour(self) -> str:
        """The card's identity colour: its type's where the type has one of its own,
        else its segment's (category's)."""
        if self.type.colour is not None:
            return self.type.colour
        if self.segment is not None:
            return self.segment.colour
        return "#333333"


@dataclass(frozen=True)
class Kit:
    """A named set of cards for one session: a card belongs to the kit when it matches any
    of the kit's entries (its segments, phases, sub-forms, types, tags or ids)."""

    id: str
    title: str | None
    segment: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    subform: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Untranslated:
    """A text that has no version in the chosen language and falls back to the main one."""

    where: str  # file:line:col
    what: str  # the path inside the file, e.g. cards[3].title
    card: str | None  # the card's id, None for texts of deck.yaml or the rules


@dataclass(frozen=True)
class Deck:
    root: Path
    title: str
    subtitle: str | None
    version: str
    language: str
    languages: tuple[str, ...]
    authors: tuple[str, ...]
    licence: str
    based_on: str | None
    segments: tuple[Segment, ...]  # the categories: wheel segments or plain suits
    phases: tuple[Phase, ...]
    card_types: tuple[CardType, ...]
    facets: tuple[Facet, ...]
    bibliography: tuple[Source, ...]
    cards: tuple[Card, ...] = field(default=())
    kits: tuple[Kit, ...] = field(default=())
    print: PrintValues = field(default_factory=PrintValues)  # deck.yaml's print: defaults
    # the deck's own fonts: style -> ((file inside the deck folder, the path as the user wrote
    # it), ...): one or more per style, tried in turn for each character (fonts.CHAINS)
    fonts: dict[str, tuple[tuple[Path, str], ...]] = field(default_factory=dict)
    # the deck's own wording (`wording:` in deck.yaml) for the chosen language, nested sections
    wording: dict[str, Any] = field(default_factory=dict)
    # texts that fall back to the main language (languages[0]) in this build
    untranslated: tuple[Untranslated, ...] = ()

    @property
    def main_language(self) -> bool:
        """True when the deck is built in its main language (the one of its plain file names)."""
        return self.language == self.languages[0]

    @property
    def has_wheel(self) -> bool:
        """Whether the categories form the participation wheel: every one has a phase."""
        return bool(self.segments) and all(s.phase is not None for s in self.segments)

    @property
    def pictogram_files(self) -> dict[str, Path]:
        """The deck's own pictograms (images in its folder), by the name the deck gives them."""
        found = {s.pictogram: s.pictogram_file for s in self.segments if s.pictogram_file}
        found |= {t.pictogram: t.pictogram_file for t in self.card_types if t.pictogram_file}
        return found

    def segment(self, segment_id: str) -> Segment | None:
        return next((s for s in self.segments if s.id == segment_id), None)

    def card_type(self, type_id: str) -> CardType | None:
        return next((t for t in self.card_types if t.id == type_id), None)

    def kit(self, kit_id: str) -> Kit | None:
        return next((k for k in self.kits if k.id == kit_id), None)

    def facet(self, facet_id: str) -> Facet | None:
        return next((f for f in self.facets if f.id == facet_id), None)
