"""The user cache of parsed hyphenation patterns: the same hyphenation points with it as
without, read back on the next run, and silent when it cannot be used."""

from __future__ import annotations

from pathlib import Path

import pyphen
import pytest

from conftest import DEFAULT_DECK
from kaartspel import hyphens, usercache

WORDS = ["lettergrepen", "burgerparticipatie", "participation", "hyphenation", "összefoglaló"]


def _fresh(code: str) -> pyphen.Pyphen:
    pyphen.hdcache.pop(pyphen.LANGUAGES[code], None)
    return pyphen.Pyphen(lang=code)


def _cached(code: str) -> pyphen.Pyphen:
    pyphen.hdcache.pop(pyphen.LANGUAGES[code], None)
    hyphens.preload(code)
    return pyphen.Pyphen(lang=code)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("KAARTSPEL_CACHE", raising=False)
    return tmp_path / "kaartspel"


@pytest.mark.parametrize("code", ["nl_NL", "fr", "en_GB", "hu_HU"])  # hu_HU: alternatives
def test_cached_patterns_hyphenate_as_pyphen_does(cache: Path, code: str) -> None:
    fresh = _fresh(code)
    _cached(code)  # parsed by pyphen, then stored
    assert len(list(cache.glob("pyphen-*.bin"))) == 1
    again = _cached(code)  # read back from the cache
    assert again.hd is not fresh.hd
    assert again.hd.patterns == fresh.hd.patterns and again.hd.maxlen == fresh.hd.maxlen
    for name, (start, values) in fresh.hd.patterns.items():
        other = again.hd.patterns[name]
        assert other[0] == start
        assert [(type(v), getattr(v, "data", None)) for v in other[1]] == [
            (type(v), getattr(v, "data", None)) for v in values
        ]
    for word in WORDS:
        assert list(again.iterate(word)) == list(fresh.iterate(word))


def test_a_damaged_entry_is_parsed_again_and_replaced(cache: Path) -> None:
    _cached("fr")
    (entry,) = cache.glob("pyphen-*.bin")
    entry.write_bytes(entry.read_bytes()[:-100])  # cut short
    assert list(_cached("fr").iterate("participation")) == list(
        _fresh("fr").iterate("participation")
    )
    assert usercache.load("pyphen", b"no such key") is None
    _cached("fr")
    (entry,) = cache.glob("pyphen-*.bin")
    assert entry.stat().st_size > 1000  # written whole again


def test_an_unusable_cache_is_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    usercache.store("pyphen", b"key", {"a": (1, (2, 3))})  # cannot create the folder: no error
    assert usercache.load("pyphen", b"key") is None
    assert list(_cached("nl_NL").iterate("lettergrepen")) == list(
        _fresh("nl_NL").iterate("lettergrepen")
    )
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("KAARTSPEL_CACHE", "off")
    _cached("nl_NL")
    assert not (tmp_path / "cache").exists()


def test_check_and_build_work_without_a_usable_cache(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = dict(os.environ, XDG_CACHE_HOME=str(blocker))
    done = subprocess.run(
        [sys.executable, "-m", "kaartspel", "check", "--deck", str(DEFAULT_DECK)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK: 78 cards")
    assert not done.stderr
