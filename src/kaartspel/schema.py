"""The shape of the deck files, as pydantic models, and pydantic's errors in plain words.

This module checks structure only: keys, required fields, types. Whether a name refers to
something that exists (a segment, a facet value) is checked by `load`, which knows the
whole deck. Models here are raw input; `model` holds the resolved deck used downstream.
"""

from __future__ import annotations

import difflib
import os
import sys
import types
import typing
from typing import Annotated, Any, Union

# pydantic looks for plugins in every installed package's entry points when it builds its
# first validator (a twentieth of a second at each start); kaartspel uses none
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
# ... and to do so it imports its plugin loader, which imports importlib.metadata (and email,
# zipfile, csv: 40-70 ms at every start, measured) even when plugins are switched off. With
# no plugins, pydantic builds a plain pydantic-core validator; the loader it imports in
# `create_schema_validator` is this one, which finds none (unless the real one is loaded).
if "pydantic.plugin._loader" not in sys.modules:
    _no_plugins = types.ModuleType("pydantic.plugin._loader", "kaartspel: no pydantic plugins")
    _no_plugins.get_plugins = lambda: ()  # type: ignore[attr-defined]
    sys.modules["pydantic.plugin._loader"] = _no_plugins

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import did_you_mean
from .source import Document, Path_


def _local_text(value: Any) -> Any:
    """A player-facing text: a string in the deck's language, or {language: string}."""
    if isinstance(value, str):
        return {"": value}
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    ):
        return value
    raise PydanticCustomError(
        "local_text",
        "expected text (or a mapping from language code to text), got {got}",
        {"got": describe(value)},
    )


LocalText = Annotated[dict[str, str], BeforeValidator(_local_text)]


def _field_value(value: Any) -> Any:
    """A custom field's value: text (or text per language), or a number shown as written."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"": str(value)}
    if isinstance(value, str | dict):
        return _local_text(value)
    raise PydanticCustomError(
        "field_value",
        "expected text or a number, got {got}",
        {"got": describe(value)},
    )


FieldValue = Annotated[dict[str, str], BeforeValidator(_field_value)]


def _scalar_text(value: Any) -> Any:
    """A value in a list of allowed values: text, or a number (written as text)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


ScalarText = Annotated[str, BeforeValidator(_scalar_text)]


M = typing.TypeVar("M", bound=BaseModel)


def built(model: type[M]) -> type[M]:
    """`model` with its validator built (pydantic builds it at first use, `defer_build`), with
    Ctrl-C held back meanwhile (`interrupts.held`): a Ctrl-C inside pydantic-core's build comes
    out as a SchemaError, not as the KeyboardInterrupt that stops a command cleanly."""
    if not model.__pydantic_complete__:
        from .interrupts import held

        with held():
            model.model_rebuild()
    return model


class Strict(BaseModel):
    # each model's validator is built when it first validates, not at import: most models
    # only ever validate inside another (a segment inside deck.yaml), so theirs never is
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class RawSubform(Strict):
    id: str
    name: LocalText
    meaning: LocalText | None = None


class RawSegment(Strict):
    id: str
    name: LocalText
    phase: str | None = None
    colour: str
    pictogram: str
    meaning: LocalText | None = None
    subforms: list[RawSubform] = []


class RawPhase(Strict):
    id: str
    name: LocalText


class RawField(Strict):
    label: LocalText | None = None
    required: bool = False
    values: list[ScalarText] | None = None


class RawCardType(Strict):
    id: str
    name: LocalText
    colour: str | None = None
    pictogram: str
    fields: dict[str, RawField] = {}
    requires: list[str] = []
    order: list[str] = []
    band: list[str | list[str]] | None = None


class RawFacet(Strict):
    name: LocalText
    values: dict[str, LocalText]


class RawSource(Strict):
    id: str
    text: LocalText
    url: str | None = None
    verify: str | None = None


class RawKit(Strict):
    title: LocalText | None = None
    segment: list[str] = []
    phase: list[str] = []
    subform: list[str] = []
    type: list[str] = []
    tag: list[str] = []
    id: list[str] = []


class RawPrint(Strict):
    card: str | None = None
    paper: str | None = None
    bleed: float | None = None
    gap: float | None = None
    layout: str | None = None
    duplex: str | None = None
    shop: str | None = None
    cmyk: bool | None = None
    dpi: int | None = None
    back_offset: list[float] | None = None


class RawStyle(Strict):
    fonts: dict[str, str | list[str]] = {}  # style -> a font file, or a fallback chain of them


class RawDeckFile(Strict):
    title: LocalText
    subtitle: LocalText | None = None
    version: str
    language: str
    languages: list[str] | None = None
    authors: list[LocalText]
    licence: str
    based_on: LocalText | None = None
    segments: list[RawSegment] = []
    phases: list[RawPhase] = []
    card_types: list[RawCardType]
    facets: dict[str, RawFacet] = {}
    bibliography: list[RawSource] = []
    kits: dict[str, RawKit] = {}
    print: RawPrint | None = None
    style: RawStyle | None = None
    # the deck's own fixed words: language -> section -> key -> text
    wording: dict[str, dict[str, dict[str, str]]] = {}


class RawLink(Strict):
    url: str
    kind: str
    label: LocalText | None = None
    lang: str | None = None  # a page in one language: only used in that language's edition


class RawCard(Strict):
    id: str
    type: str
    segment: str | None = None
    subform: str | None = None
    title: LocalText
    text: LocalText
    place: LocalText | None = None
    facets: dict[str, list[str]] = {}
    links: list[RawLink] = []
    tags: list[str] = []
    verify: str | None = None
    copies: int | None = None
    back: str | None = None
    # the fields the card's type declares (`rank: K`), gathered here from the card's own keys
    custom: dict[str, FieldValue] = {}

    @model_validator(mode="before")
    @classmethod
    def _gather_custom(cls, data: Any, info: ValidationInfo) -> Any:
        """Move the keys the card's type declares (see `card_fields`) into `custom`."""
        declared = (info.context or {}).get("fields", {})
        if not isinstance(data, dict) or "custom" in data:
            return data
        names = declared.get(data.get("type")) if isinstance(data.get("type"), str) else None
        if not names:
            return data
        custom = {k: v for k, v in data.items() if k in names}
        if not custom:
            return data
        rest = {k: v for k, v in data.items() if k not in names}
        return {**rest, "custom": custom}


class RawCardsFile(Strict):
    cards: list[RawCard]


def describe(value: Any) -> str:
    """A value's kind as a user would say it."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__} ({value})"


def _unwrap(annotation: Any) -> Any:
    """list[X] -> X, dict[K, X] -> X, X | None -> X, Annotated[X, ...] -> X."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin in (list, dict):
            annotation = typing.get_args(annotation)[-1]
        else:
            return annotation


def _model_at(root: type[BaseModel], loc: Path_) -> type[BaseModel] | None:
    current: Any = root
    for part in loc:
        if isinstance(part, int) or not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            continue
        if part not in current.model_fields:
            # a dict key (e.g. a facet name): stay on the dict's value type
            continue
        current = _unwrap(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _expected(error_type: str) -> str | None:
    return {
        "string_type": "text",
        "list_type": "a list",
        "dict_type": "a mapping",
        "model_type": "a mapping",
        "model_attributes_type": "a mapping",
        "int_type": "a whole number",
        "float_type": "a number",
        "bool_type": "yes or no",
    }.get(error_type)


def validate(
    model: type[Strict], doc: Document, fields: dict[str, list[str]] | None = None
) -> tuple[Strict | None, list[str]]:
    """Validate a document against a model; returns (the model or None, located problems).

    `fields` maps a card type id to the custom fields it declares: a card may carry those
    as keys of its own (they are gathered into `RawCard.custom`)."""
    judge_extras = fields is not None
    fields = fields or {}

    def card_type(loc: Path_) -> str | None:
        """The type id written on the card at `loc` (a card's own path), if any."""
        node: Any = doc.data
        for part in loc:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        value = node.get("type") if isinstance(node, dict) else None
        return value if isinstance(value, str) else None

    def extra_names(owner: type[BaseModel] | None, parent: Path_) -> list[str]:
        names = [n for n in owner.model_fields if n != "custom"] if owner else []
        if owner is RawCard:
            names += fields.get(card_type(parent) or "", [])
        return names

    def shown(loc: Path_) -> Path_:
        """The path as the user wrote it: custom fields are keys of the card itself."""
        return tuple(p for i, p in enumerate(loc) if not (p == "custom" and i == 2))

    try:
        return built(model).model_validate(doc.data, context={"fields": fields}), []
    except ValidationError as exc:
        errors = exc.errors()
        # a mistyped required key ('titel') is one mistake, not also a missing 'title'
        suggested: set[tuple[Path_, str]] = set()
        for err in errors:
            if err["type"] == "extra_forbidden":
                loc = tuple(err["loc"])
                owner = _model_at(model, loc[:-1])
                close = difflib.get_close_matches(
                    str(loc[-1]), extra_names(owner, loc[:-1]), 1, 0.6
                )
                if close:
                    suggested.add((loc[:-1], close[0]))
        problems = []
        for err in errors:
            loc = shown(tuple(err["loc"]))
            kind = err["type"]
            parent = loc[:-1]
            if kind == "missing":
                if (parent, str(loc[-1])) in suggested:
                    continue
                problems.append(doc.problem(parent, f"the required key '{loc[-1]}' is missing"))
            elif kind == "extra_forbidden":
                owner = _model_at(model, parent)
                if owner is RawCard and not judge_extras:
                    continue
                message = _unknown_key(owner, parent, str(loc[-1]), extra_names, fields, card_type)
                problems.append(doc.problem(loc, message, key=True))
            elif _expected(kind):
                message = f"expected {_expected(kind)}, got {describe(err['input'])}"
                if not loc:
                    message += _ROOT_HINTS.get(model.__name__, "")
                elif kind == "list_type" and isinstance(err["input"], str):
                    message += f"; write it as a list: [{err['input']}]"
                problems.append(doc.problem(loc, message))
            else:
                problems.append(doc.problem(loc, err["msg"]))
        return None, problems


def validate_cards(
    doc: Document, fields: dict[str, list[str]] | None = None
) -> tuple[list[tuple[int, RawCard | None]], bool, list[str]]:
    """A card file validated card by card: (every card in file order with its index, the
    model or None where its schema is broken; whether all were valid; the located problems).
    A schema error in one card does not hide the others, so their meaning errors are
    reported in the same run."""
    raw, problems = validate(RawCardsFile, doc, fields)
    if raw is not None:
        assert isinstance(raw, RawCardsFile)
        return list(enumerate(raw.cards)), True, problems
    data = doc.data.get("cards") if isinstance(doc.data, dict) else None
    cards: list[tuple[int, RawCard | None]] = []
    for i, item in enumerate(data if isinstance(data, list) else []):
        try:
            card = built(RawCard).model_validate(item, context={"fields": fields or {}})
            cards.append((i, card))
        except ValidationError:
            cards.append((i, None))  # located in `problems` by the whole file's validation
    return cards, False, problems


def _unknown_key(
    owner: type[BaseModel] | None,
    parent: Path_,
    key: str,
    extra_names: Any,
    fields: dict[str, list[str]],
    card_type: Any,
) -> str:
    """'unknown key ...' with the known keys or a did-you-mean; for a card, a field that
    another card type declares says so."""
    known = sorted(extra_names(owner, parent))
    hint = did_you_mean(key, known)
    if owner is RawCard and not hint:
        declared_by = [t for t, names in fields.items() if key in names]
        if declared_by:
            own = card_type(parent)
            return (
                f"'{key}' is not a field of {own} cards (it is a field of: "
                f"{', '.join(declared_by)}); declare it under the type's 'fields:' in deck.yaml"
            )
    listing = f" (known: {', '.join(known)})" if known and not hint else ""
    if owner is RawCard and not hint:
        listing += "; a card type declares the fields of its own under 'fields:' in deck.yaml"
    return f"unknown key '{key}'{listing}{hint}"


_ROOT_HINTS = {
    "RawCardsFile": "; a card file starts with 'cards:' and lists the cards indented under it",
    "RawDeckFile": "; deck.yaml is a mapping of keys such as 'title:', 'version:' and 'segments:'",
}
