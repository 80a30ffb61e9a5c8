"""Issue 15 property tests: hostile strings in every text field of a deck, and random rules.md
documents, build within 10 s or fail with a clean message (exit 3 or 5); never a hang, a
traceback or a raw control character on the terminal. `make test` runs a quick profile;
`make fuzz` a long one (KAARTSPEL_FUZZ_EXAMPLES)."""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from kaartspel import cli

EXAMPLES = int(os.environ.get("KAARTSPEL_FUZZ_EXAMPLES", "12"))
SECONDS = 10
MINIMAL = ROOT / "examples" / "minimal"
DECK = yaml.safe_load((MINIMAL / "deck.yaml").read_text(encoding="utf-8"))
CARDS = yaml.safe_load((MINIMAL / "cards" / "kaarten.yaml").read_text(encoding="utf-8"))
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the SIGALRM guard below bounds each build instead
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _text_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every player-facing text (names, meanings, titles, texts, labels)."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str) and key in (
                "title",
                "subtitle",
                "name",
                "meaning",
                "text",
                "answer",
                "question",
                "place",
                "label",
                "nl",
            ):
                found.append(prefix + (key,))
            elif key == "values" and isinstance(value, dict):  # facet values
                found += [prefix + (key, k) for k in value]
            else:
                found += _text_paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _text_paths(value, prefix + (i,))
    return found


DECK_PATHS = [("deck",) + p for p in _text_paths(DECK)]
CARD_PATHS = [("cards",) + p for p in _text_paths(CARDS)]

HOSTILE = st.one_of(
    st.text(min_size=1, max_size=80),
    st.integers(1_000, 100_000).map(lambda n: "w" * n),  # one unbreakable word
    st.text(alphabet="ae\u0301\u0302\u0308\u0327 ", min_size=1, max_size=200),  # marks
    st.lists(st.sampled_from(["Burger", "\u00ad", "participatie", " ", "wiel"]), max_size=40).map(
        "".join
    ),  # soft hyphens
    st.text(alphabet="שלוםمرحبا ", min_size=1, max_size=40),  # RTL
    st.text(alphabet="参与者の輪 ", min_size=1, max_size=40),  # CJK
    st.text(alphabet="ab\x07\x1b[]2;\r\u200b\u200d\u202e", min_size=1, max_size=40),  # controls
)


@contextmanager
def bounded(seconds: int) -> Iterator[None]:
    """Fail (rather than hang) when the block runs longer than `seconds`."""

    def late(*_: Any) -> None:
        raise AssertionError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, late)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@functools.cache
def _warm() -> None:
    """One plain build first: imports and font loading do not count against the bound."""
    from kaartspel import booklet, build, qr  # noqa: F401

    qr.load_encoder()
    result = CliRunner().invoke(cli.main, ["check", "--deck", str(MINIMAL)])
    assert result.exit_code == 0, result.output


def _build(root: Path) -> Any:
    _warm()
    with bounded(SECONDS):
        result = CliRunner().invoke(
            cli.main, ["build", "--deck", str(root / "deck"), "--out", str(root / "out")]
        )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert not UNSAFE.search(result.output), repr(result.output)
    return result


def _set(data: Any, path: tuple[Any, ...], value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


@FUZZ
@given(
    path=st.sampled_from(DECK_PATHS + CARD_PATHS),
    value=HOSTILE,
)
def test_hostile_text_in_any_field_builds_or_fails_cleanly(
    tmp_path_factory: Any, path: tuple[Any, ...], value: str
) -> None:
    root = tmp_path_factory.mktemp("text")
    shutil.copytree(MINIMAL, root / "deck")
    deck, cards = yaml.safe_load(yaml.safe_dump(DECK)), yaml.safe_load(yaml.safe_dump(CARDS))
    _set(deck if path[0] == "deck" else cards, path[1:], value)
    for name, data in (("deck.yaml", deck), ("cards/kaarten.yaml", cards)):
        (root / "deck" / name).write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1 << 20),
            encoding="utf-8",
        )
    result = _build(root)
    assert result.exit_code in (0, 3, 5), result.output
    shutil.rmtree(root)


BLOCK = st.one_of(
    st.text(min_size=1, max_size=60).map(lambda t: t.replace("\n", " ")),
    st.integers(1, 6).map(lambda n: "#" * n + " Kop"),
    st.integers(1, 80).map(lambda n: "| " + " | ".join(["k"] * n) + " |\n|" + "---|" * n),
    st.integers(1, 40).map(lambda n: "".join("  " * i + "- punt\n" for i in range(n))),
    st.integers(1, 3000).map(lambda n: "| a | b |\n|---|---|\n| " + "x" * n + " | y |"),
    st.integers(1, 3000).map(lambda n: "| a | b |\n|---|---|\n| " + "woord " * n + " | y |"),
    st.sampled_from(
        [
            "---",
            "[link](https://example.org)",
            "[js](javascript:alert(1))",
            "<b>html</b>",
            "> quote",
            "![img](x.png)",
            "```\ncode\n```",
            "99999999999999999999. groot",
            "Burger\u00adparticipatie",
            "参与",
            "*a **b _c_ b** a*",
        ]
    ),
)


@FUZZ
@given(
    blocks=st.lists(BLOCK, min_size=1, max_size=8),
    cmyk=st.booleans(),
)
def test_random_rules_build_or_fail_cleanly(
    tmp_path_factory: Any, blocks: list[str], cmyk: bool
) -> None:
    root = tmp_path_factory.mktemp("rules")
    shutil.copytree(MINIMAL, root / "deck")
    if cmyk:
        deck_yaml = root / "deck" / "deck.yaml"
        deck_yaml.write_text(
            deck_yaml.read_text().replace('"#245E8C"', '"cmyk(85, 40, 0, 20)"'), encoding="utf-8"
        )
    (root / "deck" / "rules.md").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    result = _build(root)
    assert result.exit_code in (0, 3, 5), result.output
    if result.exit_code:
        assert "rules.md:" in result.output.splitlines()[0], result.output
    shutil.rmtree(root)
