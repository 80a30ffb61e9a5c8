"""Fixed words shown to players (card labels, booklet, calibration sheet, site, file names).

The one home of every such word: `data/wording/<language>.yaml`, one file per language,
grouped in sections (`card`, `booklet`, `calibrate`, ...). A deck may override or extend them
(`overrides`, from the `wording:` section of deck.yaml, checked by `load`). A key missing for
the chosen language is an error that names the key; there is no silent fallback to another
language.
This module reads data only; it must not import layout, painting or the deck loader.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml

from .errors import InvalidDeck

PACKAGE_DIR = "data/wording"


@functools.cache
def shipped_languages() -> tuple[str, ...]:
    """The languages the package ships wording for, e.g. ('en', 'fr', 'nl')."""
    folder = resources.files("kaartspel").joinpath(PACKAGE_DIR)
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


@functools.cache
def _shipped(language: str) -> Mapping[str, str]:
    if language not in shipped_languages():
        return {}
    path = resources.files("kaartspel").joinpath(f"{PACKAGE_DIR}/{language}.yaml")
    # the shipped files are plain YAML: libyaml's loader reads them ten times faster
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _flatten(yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {})


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


class Wording:
    """The words of one language: `w["booklet.sources"]`, or `w.section("booklet")["sources"]`."""

    def __init__(self, language: str, overrides: Mapping[str, Any] | None = None) -> None:
        self.language = language
        self._words = dict(_shipped(language))
        if overrides:
            self._words.update(_flatten(overrides))

    def __getitem__(self, key: str) -> str:
        try:
            return self._words[key]
        except KeyError:
            raise InvalidDeck(
                [
                    f"no wording '{key}' for language '{self.language}': add it to the deck "
                    f"(wording: {{{self.language}: {{{key}: ...}}}} in deck.yaml) or use one of "
                    f"the languages kaartspel ships: {', '.join(shipped_languages())}"
                ]
            ) from None

    def get(self, key: str, default: str) -> str:
        return self._words.get(key, default)

    def section(self, name: str) -> _Section:
        return _Section(self, name)


class _Section(Mapping[str, str]):
    """The keys under one section, read through the same missing-key error."""

    def __init__(self, wording: Wording, name: str) -> None:
        self._wording, self._prefix = wording, name + "."

    def __getitem__(self, key: str) -> str:
        return self._wording[self._prefix + key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        n = len(self._prefix)
        return (k[n:] for k in self._wording._words if k.startswith(self._prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def keys(language: str) -> list[str]:
    """Every wording key shipped for `language` (English when the language is not shipped)."""
    return sorted(_shipped(language if language in shipped_languages() else "en"))


@functools.cache
def _cached(language: str) -> Wording:
    return Wording(language)


def for_language(language: str) -> Wording:
    """The shipped wording of `language` (shared, read-only)."""
    return _cached(language)


def known_keys() -> frozenset[str]:
    """Every key some shipped language defines (a deck's override must use one of them)."""
    return frozenset(k for lang in shipped_languages() for k in _shipped(lang))


def missing_keys(language: str, overrides: Mapping[str, Any] | None) -> list[str]:
    """The keys Dutch (the complete reference) has that `language` lacks, overrides counted."""
    have = set(_shipped(language)) | set(_flatten(overrides or {}))
    return sorted(k for k in _shipped("nl") if k not in have)


@functools.lru_cache(maxsize=16)
def _of(language: str, overrides: str) -> Wording:
    import json

    return Wording(language, json.loads(overrides))


def of(deck: Any) -> Wording:
    """The wording of a deck in its chosen language: the shipped words and the deck's own."""
    import json

    if not deck.wording:
        return for_language(deck.language)
    return _of(deck.language, json.dumps(deck.wording, sort_keys=True))
