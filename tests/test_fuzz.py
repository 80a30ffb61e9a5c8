"""Fuzzing: random and mutated decks give a built deck or a clean, located error (exit 3, 4
or 5), never any other exception. `make test` runs a quick profile; `make fuzz` a long one
(KAARTSPEL_FUZZ_EXAMPLES, default 40)."""

from __future__ import annotations

import copy
import os
import shutil
from typing import Any, Literal

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEFAULT_DECK
from kaartspel import cli

EXAMPLES = int(os.environ.get("KAARTSPEL_FUZZ_EXAMPLES", "40"))
DECK_YAML = yaml.safe_load((DEFAULT_DECK / "deck.yaml").read_text(encoding="utf-8"))
CARDS = [
    c
    for p in sorted((DEFAULT_DECK / "cards").glob("*.yaml"))
    for c in yaml.safe_load(p.read_text(encoding="utf-8"))["cards"]
]
# one card of every type, so every design is exercised
SAMPLE = [
    next(c for c in CARDS if c["type"] == t)
    for t in ("inspiratie", "bezorgdheid", "tip", "casus", "segment")
]

SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # not encodable in UTF-8
ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=SURROGATES), min_size=0, max_size=60
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    ODD_TEXT,
    st.text(min_size=2000, max_size=5000),
    st.lists(ODD_TEXT, max_size=3),
    st.dictionaries(ODD_TEXT, ODD_TEXT, max_size=2),
)


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            found += _paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _paths(v, prefix + (i,))
    return found


def _parent(data: Any, path: tuple) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path), path[-1]
        action = draw(st.sampled_from(["delete", "rename", "retype", "odd", "duplicate"]))
        if action == "delete":
            del parent[key]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(ODD_TEXT)] = parent.pop(key)
        elif action == "retype":
            parent[key] = draw(VALUES)
        elif action == "odd" and isinstance(parent[key], str):
            text = parent[key]
            at = draw(st.integers(0, len(text)))
            parent[key] = text[:at] + draw(ODD_TEXT) + text[at:]
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
    return data


def _dump(data: Any, duplicate_line: int | None) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)
    if duplicate_line is not None:  # a key repeated in one mapping: only possible as text
        lines = text.splitlines()
        k = duplicate_line % len(lines)
        lines.insert(k, lines[k])
        text = "\n".join(lines) + "\n"
    return text


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
@given(
    deck=mutated(DECK_YAML),
    cards=mutated({"cards": SAMPLE}),
    duplicate=st.one_of(st.none(), st.integers(0, 500)),
    which=st.booleans(),
)
def test_mutated_decks_build_or_fail_cleanly(
    tmp_path_factory, deck, cards, duplicate, which
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "deck" / "cards").mkdir(parents=True)
    (root / "deck" / "deck.yaml").write_text(
        _dump(deck, duplicate if which else None), encoding="utf-8"
    )
    (root / "deck" / "cards" / "kaarten.yaml").write_text(
        _dump(cards, None if which else duplicate), encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli.main, ["build", "--deck", str(root / "deck"), "--out", str(root / "out")]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 3, 4, 5), result.output
    if result.exit_code:
        first = result.output.splitlines()[0]
        assert first.startswith(str(root / "deck")) or first.startswith("deck"), first
    shutil.rmtree(root)


_URL_TEXT = st.text(alphabet='aZz09.-:/?#@[]%_~ \t"<>\\^`{|}éÉ\u00a0\u200b\n', max_size=12)


def _judged(url: str) -> object:
    """What `load._check_url` says of a URL: its problem, None, or the exception raised."""
    from kaartspel import load, source

    try:
        return load._check_url(source.Document("x.yaml", {}), ("links", 0, "url"), url)
    except ValueError as exc:  # a refusal that escaped _check_url: the test shows it
        return repr(exc)


@settings(max_examples=EXAMPLES * 25, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "HTTP", "Https", "ftp", "", "h"]),
    separator=st.sampled_from(["://", ":/", "//", ":", ""]),
    host=_URL_TEXT,
    rest=st.one_of(_URL_TEXT, st.sampled_from(["", "/", "/a?b=c#d", ":8080/x", "@e.org"])),
)
def test_a_url_of_the_common_shape_is_judged_as_the_long_way_judges_it(
    scheme: str, separator: str, host: str, rest: str
) -> None:
    """`_check_url` takes a URL of the common shape apart with one regular expression: it
    finds what the long way (character checks, then `urlsplit`) finds, on any URL."""
    import re

    from kaartspel import load

    url = scheme + separator + host + rest
    quick = _judged(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load, "_PLAIN_URL", re.compile(r"(?!)"))  # matches nothing
        assert quick == _judged(url)
