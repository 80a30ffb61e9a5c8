"""pyphen's hyphenation patterns kept in the user cache (`usercache`), parsed once per
dictionary and pyphen version instead of on every run (parsing the Dutch dictionary takes
about a tenth of a second; reading it back, a few milliseconds).

`preload(code)` puts the dictionary's parsed patterns where pyphen looks first (its per-file
cache, `pyphen.hdcache`), so `pyphen.Pyphen(lang=code)` finds them. The entry's key is the
pyphen version and the dictionary file's bytes. The patterns are the very values pyphen
parses (checked when stored: any shape this module does not know is simply not cached), so
the hyphenation points are the same with or without the cache.
"""

from __future__ import annotations

import hashlib
from typing import Any

from . import usercache

_KIND = "pyphen"


def preload(code: str) -> None:
    """Make pyphen's parsed patterns of dictionary `code` ready, from the cache when it has
    them (else parsed by pyphen and stored for the next run)."""
    import pyphen

    try:
        path = pyphen.LANGUAGES[code]
        if path in pyphen.hdcache:
            return
        data = path.read_bytes()
    except (AttributeError, KeyError, OSError):
        return  # an unexpected pyphen: it reads its dictionary itself, as always
    key = f"{pyphen.__version__}\0{code}\0".encode() + hashlib.sha256(data).digest()
    stored = usercache.load(_KIND, key)
    if stored is not None:
        hd = _restored(pyphen, stored)
        if hd is not None:
            pyphen.hdcache[path] = hd
            return
    hd = pyphen.HyphDict(path)
    pyphen.hdcache[path] = hd
    value = _plain(pyphen, hd)
    if value is not None:
        usercache.store(_KIND, key, value)


def _plain(pyphen: Any, hd: Any) -> Any | None:
    """A parsed dictionary as plain data: (patterns without alternatives, patterns with them,
    maxlen); None when it holds anything else than this pyphen version's known shape."""
    if set(vars(hd)) != {"patterns", "cache", "maxlen"} or not isinstance(hd.maxlen, int):
        return None
    plain: dict[str, tuple[int, tuple[int, ...]]] = {}
    alternative: dict[str, tuple[int, tuple[Any, ...]]] = {}
    for name, entry in hd.patterns.items():
        if not (type(name) is str and type(entry) is tuple and len(entry) == 2):
            return None
        start, values = entry
        if type(start) is not int or type(values) is not tuple:
            return None
        if all(type(v) is int for v in values):
            plain[name] = (start, values)
            continue
        coded: list[Any] = []
        for v in values:
            if type(v) is int:
                coded.append(v)
            elif type(v) is pyphen.DataInt and _is_data(v.data):
                coded.append((int(v), v.data))
            else:
                return None
        alternative[name] = (start, tuple(coded))
    return (plain, alternative, hd.maxlen)


def _is_data(data: Any) -> bool:
    """pyphen's data of a nonstandard hyphenation point: (change, index, cut)."""
    return (
        type(data) is tuple
        and len(data) == 3
        and type(data[0]) is str
        and type(data[1]) is int
        and type(data[2]) is int
    )


def _restored(pyphen: Any, stored: Any) -> Any | None:
    """The HyphDict of `_plain`'s data, as pyphen would have parsed it; None if damaged."""
    try:
        plain, alternative, maxlen = stored
        patterns = dict(plain)
        for name, (start, coded) in alternative.items():
            patterns[name] = (
                start,
                tuple(v if type(v) is int else pyphen.DataInt(v[0], v[1]) for v in coded),
            )
        hd = pyphen.HyphDict.__new__(pyphen.HyphDict)
        hd.patterns, hd.cache, hd.maxlen = patterns, {}, maxlen
        return hd
    except (TypeError, ValueError, AttributeError):
        return None
