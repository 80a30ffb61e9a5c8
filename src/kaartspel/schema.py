"""The shape of the deck files, as pydantic models, and pydantic's errors in plain words.

This module checks structure only: keys, required fields, types. Whether a name refers to
something that exists (a segment, a facet value) is checked by `load`, which knows the
whole deck. Models here are raw input; `model` holds the resolved deck used downstream.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class RawSubform(Strict):
    id: str
    name: LocalText
    meaning: LocalText | None = None


class RawSegment(Strict):
    id: str
    name: LocalText
    phase: str
    colour: str
    pictogram: str
    meaning: LocalText
    subforms: list[RawSubform]


class RawPhase(Strict):
    id: str
    name: LocalText


class RawCardType(Strict):
    id: str
    name: LocalText
    colour: str | None = None
    pictogram: str


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
    fonts: dict[str, str] = {}


class RawDeckFile(Strict):
    title: LocalText
    subtitle: LocalText | None = None
    version: str
    language: str
    languages: list[str] | None = None
    authors: list[LocalText]
    licence: str
    based_on: LocalText | None = None
    segments: list[RawSegment]
    phases: list[RawPhase]
    card_types: list[RawCardType]
    facets: dict[str, RawFacet]
    bibliography: list[RawSource]
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
    answer: LocalText | None = None
    question: LocalText | None = None
    place: LocalText | None = None
    facets: dict[str, list[str]] = {}
    links: list[RawLink] = []
    tags: list[str] = []
    verify: str | None = None


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


def validate(model: type[Strict], doc: Document) -> tuple[Strict | None, list[str]]:
    """Validate a document against a model; returns (the model or None, located problems)."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        errors = exc.errors()
        # a mistyped required key ('titel') is one mistake, not also a missing 'title'
        suggested: set[tuple[Path_, str]] = set()
        for err in errors:
            if err["type"] == "extra_forbidden":
                loc = tuple(err["loc"])
                owner = _model_at(model, loc[:-1])
                close = (
                    difflib.get_close_matches(str(loc[-1]), list(owner.model_fields), 1, 0.6)
                    if owner
                    else []
                )
                if close:
                    suggested.add((loc[:-1], close[0]))
        problems = []
        for err in errors:
            loc = tuple(err["loc"])
            kind = err["type"]
            parent = loc[:-1]
            if kind == "missing":
                if (parent, str(loc[-1])) in suggested:
                    continue
                problems.append(doc.problem(parent, f"the required key '{loc[-1]}' is missing"))
            elif kind == "extra_forbidden":
                owner = _model_at(model, parent)
                known = sorted(owner.model_fields) if owner else []
                hint = did_you_mean(str(loc[-1]), known)
                listing = f" (known: {', '.join(known)})" if known and not hint else ""
                problems.append(
                    doc.problem(loc, f"unknown key '{loc[-1]}'{listing}{hint}", key=True)
                )
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


_ROOT_HINTS = {
    "RawCardsFile": "; a card file starts with 'cards:' and lists the cards indented under it",
    "RawDeckFile": "; deck.yaml is a mapping of keys such as 'title:', 'version:' and 'segments:'",
}
