"""Spreadsheet columns of a card: how a header such as `link2.label.fr` maps to a card field.

The columns are derived from the card schema (`schema.RawCard`) and from the fields the
deck's card types declare (`declared`: `answer`, `rank`, ... texts, placed after `text`), not
listed by hand, so a new card field becomes a column by itself. The rules, by the field's type:

- text (a plain or translatable text): `title`; a translation: `title.fr`
- a list of names (tags): one cell, the values separated by `;`
- a mapping to lists of names (facets): `facets.thema`, one column per key, `;`-separated
- a list of records (links): `link1.url`, `link1.kind`, `link1.label`, `link2.url`, ...
- a number or yes/no: the value as typed

This module knows headers and values only; it reads no files and checks no meaning.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Union

from pydantic import BaseModel

from . import schema
from .errors import did_you_mean

LIST_SEPARATOR = ";"
_NUMBERED = re.compile(r"^([a-z_]+?)([1-9][0-9]{0,2})$")


@dataclass(frozen=True)
class Kind:
    """What a field holds: 'text' (translatable), 'str', 'list', 'int', 'float', 'bool',
    'map' (keys to `item`) or 'records' (a list of `model`)."""

    name: str
    item: Kind | None = None
    model: type[BaseModel] | None = None
    required: bool = False


def _kind(annotation: Any, required: bool = False) -> Kind:
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            if any(
                getattr(m, "func", None) is schema._local_text
                for m in typing.get_args(annotation)[1:]
            ):
                return Kind("text", required=required)
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            break
    origin = typing.get_origin(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return Kind("records", model=item, required=required)
        return Kind("list", item=_kind(item), required=required)
    if origin is dict:
        return Kind("map", item=_kind(typing.get_args(annotation)[1]), required=required)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Kind("map", item=Kind("str"), required=required)
    names = {str: "str", int: "int", float: "float", bool: "bool"}
    return Kind(names.get(annotation, "str"), required=required)


@functools.cache
def fields(
    model: type[BaseModel] = schema.RawCard, declared: tuple[str, ...] = ()
) -> dict[str, Kind]:
    """The fields of `model` in declaration order, with what each holds; for a card, the
    custom fields its deck declares (`declared`) follow `text`, each a translatable text."""
    out = {}
    for name, info in model.model_fields.items():
        if model is schema.RawCard and name == "custom":
            continue  # where validation gathers the declared fields: not a column of its own
        if any(getattr(m, "func", None) is schema._local_text for m in info.metadata):
            out[name] = Kind("text", required=info.is_required())
        else:
            out[name] = _kind(info.annotation, info.is_required())
        if model is schema.RawCard and name == "text":
            out.update((d, Kind("text")) for d in declared if d not in model.model_fields)
    return out


def declared_fields(card_types: Any) -> tuple[str, ...]:
    """The custom field names of a deck's card types (`CardType.fields`), in order."""
    return tuple(dict.fromkeys(f.id for t in card_types for f in t.fields))


def record_prefix(field: str) -> str:
    """'links' -> 'link': the column prefix of one record of a list field."""
    return field[:-1] if field.endswith("s") else field


@dataclass(frozen=True)
class Column:
    """One parsed header: `path` inside the card (list indexes are 1-based record numbers
    until the row is assembled) and the kind of value its cells hold."""

    header: str
    path: tuple[str | int, ...]
    kind: Kind


def known_headers(
    model: type[BaseModel] = schema.RawCard, declared: tuple[str, ...] = ()
) -> list[str]:
    """Header names to suggest: plain fields, `facets.<key>`, `link1.<field>`, `title.<lang>`."""
    out = []
    for name, kind in fields(model, declared).items():
        if kind.name == "records" and kind.model is not None:
            out += [f"{record_prefix(name)}1.{sub}" for sub in fields(kind.model)]
        elif kind.name == "map":
            out.append(f"{name}.<key>")
        else:
            out.append(name)
    return out


def parse_header(
    header: str, model: type[BaseModel] = schema.RawCard, declared: tuple[str, ...] = ()
) -> Column | str:
    """A header as a Column, or the reason it is not one (a message for the user); `declared`
    are the deck's custom card fields."""
    parts = header.strip().split(".")
    known = fields(model, declared)
    head = parts[0]
    if head in known:
        kind = known[head]
        rest = parts[1:]
        if kind.name == "text":
            if len(rest) > 1:
                return f"unknown column '{header}': write '{head}' or '{head}.<language>'"
            return Column(header, (head, rest[0] if rest else ""), kind)
        if kind.name == "map":
            assert kind.item is not None
            texts = kind.item.name == "text"
            if not rest or not rest[0] or len(rest) > (2 if texts else 1):
                return f"unknown column '{header}': write it as '{head}.<key>', one per key"
            if texts:
                return Column(header, (head, rest[0], rest[1] if len(rest) > 1 else ""), kind.item)
            return Column(header, (head, rest[0]), kind.item)
        if kind.name == "records":
            return (
                f"unknown column '{header}': number the {head}, as in "
                f"'{record_prefix(head)}1.{next(iter(fields(kind.model or model)))}'"
            )
        if rest:
            hint = did_you_mean(header, known_headers(model, declared))
            return f"unknown column '{header}'{hint}"
        return Column(header, (head,), kind)
    numbered = _NUMBERED.match(head)
    if numbered:
        for name, kind in known.items():
            if kind.name == "records" and record_prefix(name) == numbered.group(1):
                assert kind.model is not None
                inner = parse_header(".".join(parts[1:]), kind.model) if parts[1:] else None
                if not isinstance(inner, Column):
                    subs = ", ".join(fields(kind.model))
                    return f"unknown column '{header}': write '{head}.<field>' ({subs})"
                return Column(header, (name, int(numbered.group(2)), *inner.path), inner.kind)
    hint = did_you_mean(header, known_headers(model, declared))
    listing = "" if hint else f" (known: {', '.join(known_headers(model, declared))})"
    return f"unknown column '{header}'{listing}{hint}"


def split_list(value: str) -> list[str]:
    """'a; b;c' -> ['a', 'b', 'c']: empty items are dropped."""
    return [v.strip() for v in value.split(LIST_SEPARATOR) if v.strip()]


def join_list(values: list[Any]) -> str:
    return f"{LIST_SEPARATOR} ".join(str(v) for v in values)


def flatten(
    card: dict[str, Any], default_language: str, declared: tuple[str, ...] = ()
) -> dict[str, Any]:
    """One raw card (as the YAML path reads it) as {header: cell value}; lists joined by ';'.
    A text in the deck's own language goes to the plain column (`title`), others to
    `title.<lang>`."""
    out: dict[str, Any] = {}
    known = fields(declared=declared)
    for name, value in card.items():
        kind = known.get(name, Kind("str"))
        _flatten_value(out, name, kind, value, default_language)
    return out


def _flatten_value(
    out: dict[str, Any], header: str, kind: Kind, value: Any, default_language: str
) -> None:
    if value is None:
        return
    if kind.name == "text":
        if not isinstance(value, dict):  # a custom field may hold a number: its text
            out[header] = value if isinstance(value, str) else str(value)
            return
        for lang, text in value.items():
            plain = lang in ("", default_language)
            out[header if plain else f"{header}.{lang}"] = text
    elif kind.name == "map":
        assert kind.item is not None
        for key, item in value.items():
            _flatten_value(out, f"{header}.{key}", kind.item, item, default_language)
    elif kind.name == "records":
        assert kind.model is not None
        subs = fields(kind.model)
        for n, record in enumerate(value, start=1):
            for sub, item in record.items():
                prefix = f"{record_prefix(header)}{n}.{sub}"
                _flatten_value(out, prefix, subs.get(sub, Kind("str")), item, default_language)
    elif kind.name == "list":
        out[header] = join_list(value)
    else:
        out[header] = value
