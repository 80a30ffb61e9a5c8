"""reportlab's parsed TrueType fonts kept in the user cache (`usercache`), so that a run reads
a font's metrics back (a few milliseconds) instead of parsing its tables again (reportlab's
`TTFontFile.extractInfo`: 13-19 ms for each Lato face, four of them on every command).

`ttfont(name, path, data)` is `TTFont(name, path)`: the face's parsed attributes come from the
cache when it has them for this reportlab version and these font bytes, else reportlab parses
the file and they are stored for the next run. Only plain values are cached (numbers, strings,
bytes and the lists, tuples and dicts of them; reportlab's name strings as their bytes and
text); a face holding anything else, or a font whose attributes are not the ones this module
knows, is simply not cached. The font's bytes are always the file's own, so the embedded
subsets, widths and every output are the same with or without the cache (tested).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from . import usercache

_KIND = "ttf"
_NAMES = ("familyName", "fullName", "name", "styleName", "uniqueFontID")  # TTFNameBytes
_OWN = ("_ttf_data", "_pdfScale", "filename")  # set anew from the file on reading
_FONT = {"_asciiReadable", "_shapable", "encoding", "face", "fontName", "state"}  # TTFont's own


def ttfont(name: str, path: Path, data: bytes) -> Any:
    """reportlab's TTFont `name` of the font file `path`, whose bytes are `data`."""
    import reportlab
    from reportlab.pdfbase.ttfonts import TTFont

    key = f"{reportlab.Version}\0".encode() + hashlib.sha256(data).digest()
    stored = usercache.load(_KIND, key)
    if stored is not None:
        font = _restored(name, path, data, stored)
        if font is not None:
            return font
    font = TTFont(name, str(path))
    value = _plain(font)
    if value is not None:
        usercache.store(_KIND, key, value)
    return font


def _plain(font: Any) -> dict[str, Any] | None:
    """The face's parsed attributes as plain data; None for a shape this module does not know."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    if set(vars(font)) != _FONT or not callable(getattr(font.face, "_pdfScale", None)):
        return None
    value: dict[str, Any] = {}
    for attr, item in vars(font.face).items():
        if attr in _OWN:
            continue
        if attr in _NAMES:
            if type(item) is not TTFNameBytes:
                return None
            item = (bytes(item), item.ustr)
        elif not _is_plain(item):
            return None
        value[attr] = item
    if not all(attr in value for attr in _NAMES + ("unitsPerEm",)):
        return None
    return value


def _is_plain(item: Any) -> bool:
    kind = type(item)
    if item is None or kind in (bool, int, float, str, bytes):
        return True
    if kind in (list, tuple):
        return all(_is_plain(x) for x in item)
    if kind is dict:
        return all(_is_plain(k) and _is_plain(v) for k, v in item.items())
    return False


def _restored(name: str, path: Path, data: bytes, stored: Any) -> Any | None:
    """The TTFont as reportlab's constructor makes it, from `_plain`'s data; None if damaged."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace
    from reportlab.rl_config import unShapedFontGlob

    try:
        face = TTFontFace.__new__(TTFontFace)
        pdfmetrics.TypeFace.__init__(face, None)
        for attr, item in stored.items():
            if attr in _NAMES:
                raw, text = item
                item = TTFNameBytes(raw)  # utf-8 bytes of its text, as reportlab stores it
                if item.ustr != text or item != raw:
                    return None
            setattr(face, attr, item)
        face._ttf_data, face.filename = data, str(path)
        units = face.unitsPerEm
        face._pdfScale = (lambda x: x) if units == 1000 else _scale(1000 / units)
        font = TTFont.__new__(TTFont)
        font.fontName, font.face, font.encoding = name, face, TTEncoding()
        font.state = WeakKeyDictionary()
        font._asciiReadable = rl_config.ttfAsciiReadable
        font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
        if set(vars(font)) != _FONT:
            return None
        return font
    except (TypeError, ValueError, AttributeError, ZeroDivisionError):
        return None


def _scale(factor: float) -> Any:
    return lambda x: x * factor
