"""Choosing a subset of cards: the filters shared by every command that takes cards.

Within one filter the values are alternatives (OR); different filters must all hold (AND).
Unknown values are refused with the list of known ones. Pure: no files, no drawing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import BadFilter, did_you_mean, known_list, shown
from .model import Card, Deck, Kit

MAX_LABEL = 120  # bytes of the selection's part of a file name
SAFE_LABEL = re.compile(r"[a-z0-9_-]*")


@dataclass(frozen=True)
class Selection:
    segment: tuple[str, ...] = ()
    subform: tuple[str, ...] = ()
    type: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    id: tuple[str, ...] = ()
    phase: tuple[str, ...] = ()
    kit: str | None = None

    def label(self) -> str:
        """A short name for file names of the subset, e.g. 'meedoen' or 'inspiratie-meedoen'.

        Built only from values `validate` found in the deck, which are slugs or card ids
        (letters, digits, '-' and '_'); a label longer than `MAX_LABEL` bytes is shortened
        and made unique by a hash of the whole, so a file name stays within every file
        system's limit."""
        parts = [
            *([self.kit] if self.kit else []),
            *self.phase,
            *self.segment,
            *self.subform,
            *self.type,
            *self.tag,
            *self.id,
        ]
        label = "-".join(p.lower() for p in parts)
        if not SAFE_LABEL.fullmatch(label):  # never a path: validated values cannot get here
            raise BadFilter(f"'{shown(label)}' cannot be part of a file name")
        if len(label.encode()) > MAX_LABEL:
            digest = hashlib.sha256(label.encode()).hexdigest()[:10]
            label = f"{label[: MAX_LABEL - 11].rstrip('-_')}-{digest}"
        return label


KINDS = ("segment", "phase", "subform", "type", "tag", "id")


def no_match(selection: Selection, outcome: str = "nothing was written.") -> BadFilter:
    """'No card matches', with a hint when filters of different kinds were combined (they
    must all hold: --phase X --type casus keeps only casus cards of phase X). `outcome` says
    what the command therefore did not do; every command with filters exits 2 on it."""
    used = [k for k in KINDS if getattr(selection, k)]
    message = f"no card matches these filters; {outcome}"
    if len(used) > 1 or (used and selection.kit):
        named = " and ".join(f"--{k}" for k in ([*used, "kit"] if selection.kit else used))
        message += (
            f" Filters of different kinds must all hold for a card ({named}); to gather the "
            "cards of several kinds in one set, list them in a kit (kits: in deck.yaml) "
            "and use --kit."
        )
    return BadFilter(message)


def describe(deck: Deck, selection: Selection, cards: list[Card]) -> str | None:
    """'Kit 'eerste-sessie': Eerste sessie (12 cards)' for a kit selection, else None."""
    if not selection.kit:
        return None
    kit = deck.kit(selection.kit)
    title = f": {kit.title}" if kit is not None and kit.title else ""
    return f"Kit '{selection.kit}'{title} ({len(cards)} cards)"


def _check(option: str, values: Iterable[str], known: list[str]) -> None:
    for value in values:
        if value not in known:
            raise BadFilter(
                f"--{option}: '{shown(value)}' is not known in this deck "
                f"({known_list(known)}){did_you_mean(value, known)}"
            )


def validate(deck: Deck, selection: Selection) -> None:
    """Refuse filter values the deck does not know."""
    _check("segment", selection.segment, [s.id for s in deck.segments])
    _check("subform", selection.subform, [f.id for s in deck.segments for f in s.subforms])
    _check("type", selection.type, [t.id for t in deck.card_types])
    _check("phase", selection.phase, [p.id for p in deck.phases])
    _check("tag", selection.tag, sorted({t for c in deck.cards for t in c.tags}))
    _check("id", selection.id, [c.id for c in deck.cards])
    if selection.kit is not None:
        _check("kit", (selection.kit,), [k.id for k in deck.kits])


def matches(card: Card, selection: Selection, deck: Deck) -> bool:
    seg = card.segment.id if card.segment else None
    if selection.segment and seg not in selection.segment:
        return False
    if selection.phase:
        phases = {s.id for s in deck.segments if s.phase in selection.phase}
        if seg not in phases:
            return False
    if selection.subform and (card.subform is None or card.subform.id not in selection.subform):
        return False
    if selection.type and card.type.id not in selection.type:
        return False
    if selection.tag and not set(card.tags) & set(selection.tag):
        return False
    return not (selection.id and card.id not in selection.id)


def in_kit(card: Card, kit: Kit, deck: Deck) -> bool:
    """A kit lists what it holds: a card is in it when it matches any of its entries."""
    seg = card.segment.id if card.segment else None
    phase = next((s.phase for s in deck.segments if s.id == seg), None)
    return bool(
        (seg is not None and seg in kit.segment)
        or (phase is not None and phase in kit.phase)
        or (card.subform is not None and card.subform.id in kit.subform)
        or card.type.id in kit.type
        or set(card.tags) & set(kit.tag)
        or card.id in kit.ids
    )


def select(deck: Deck, selection: Selection) -> list[Card]:
    """The cards of `deck` that the selection keeps, in deck order."""
    validate(deck, selection)
    kit = deck.kit(selection.kit) if selection.kit else None
    return [
        c
        for c in deck.cards
        if matches(c, selection, deck) and (kit is None or in_kit(c, kit, deck))
    ]
