"""The user cache of parsed hyphenation patterns: the same hyphenation points with it as
without, read back on the next run, and silent when it cannot be used."""

from __future__ import annotations

from pathlib import Path

import pyphen
import pytest

from conftest import DEFAULT_DECK, ROOT
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


@pytest.mark.parametrize("style", ["Lato-Regular", "Lato-Italic", "Lato-Bold", "Lato-Black"])
def test_a_cached_font_is_the_font_reportlab_parses(
    cache: Path, monkeypatch: pytest.MonkeyPatch, style: str
) -> None:
    from reportlab.pdfbase import ttfonts

    from kaartspel import ttfcache

    path = ROOT / "src" / "kaartspel" / "fonts" / f"{style}.ttf"
    parsed = ttfonts.TTFont("Parsed", str(path))
    ttfcache.ttfont("Cold", path, path.read_bytes())  # parsed by reportlab, then stored
    assert len(list(cache.glob("ttf-*.bin"))) == 1

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the font was parsed again")

    monkeypatch.setattr(ttfonts.TTFontFile, "extractInfo", no_parsing)
    again = ttfcache.ttfont("Again", path, path.read_bytes())  # read back from the cache
    assert type(again) is ttfonts.TTFont and type(again.face) is ttfonts.TTFontFace
    assert set(vars(again)) == set(vars(parsed))
    assert (again.fontName, again.shapable) == ("Again", parsed.shapable)
    mine, theirs = vars(again.face), vars(parsed.face)
    assert set(mine) == set(theirs)
    for attr, value in theirs.items():
        if attr == "_pdfScale":
            assert mine[attr](1234) == value(1234)
        else:
            assert mine[attr] == value and type(mine[attr]) is type(value), attr
    assert again.face.name.ustr == parsed.face.name.ustr
    text = "Burgerparticipatie: één café, sécurité — 12 % ‘quoted’"
    assert again.stringWidth(text, 9.5) == parsed.stringWidth(text, 9.5)
    subset = sorted({ord(ch) for ch in text})
    assert again.face.makeSubset(subset) == parsed.face.makeSubset(subset)


def test_a_damaged_font_entry_is_parsed_again(cache: Path) -> None:
    from kaartspel import ttfcache

    path = ROOT / "src" / "kaartspel" / "fonts" / "Lato-Bold.ttf"
    ttfcache.ttfont("First", path, path.read_bytes())
    (entry,) = cache.glob("ttf-*.bin")
    entry.write_bytes(entry.read_bytes()[:-50])  # cut short
    font = ttfcache.ttfont("Second", path, path.read_bytes())
    assert font.stringWidth("Lato", 10) > 0
    assert entry.stat().st_size > 50_000  # written whole again


def test_a_build_is_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    """Every output of the default deck, built with the cache switched off, then twice with
    an empty cache (the second run reads the fonts and patterns the first one stored)."""
    import os
    import subprocess
    import sys

    runs = {
        "off": {"KAARTSPEL_CACHE": "off"},
        "cold": {"XDG_CACHE_HOME": str(tmp_path / "cache")},
        "warm": {"XDG_CACHE_HOME": str(tmp_path / "cache")},
    }
    for run, extra in runs.items():
        env = dict(os.environ, **extra)
        done = subprocess.run(
            [sys.executable, "-m", "kaartspel", "build", "--deck", str(DEFAULT_DECK)]
            + ["--out", str(tmp_path / run)],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "cache" / "kaartspel").glob("ttf-*.bin"))) == 4
    names = sorted(p.name for p in (tmp_path / "off").iterdir())
    assert "kaarten.pdf" in names and "spelregels.pdf" in names
    for name in names:
        off = (tmp_path / "off" / name).read_bytes()
        assert (tmp_path / "cold" / name).read_bytes() == off, name
        assert (tmp_path / "warm" / name).read_bytes() == off, name
