"""Breaking text into lines that fit a width, with hyphenation, and fitting text into a box.

Greedy line breaking on spaces; a word that does not fit is hyphenated (pyphen, in the
deck's language) at the last break point that fits, and only split hard when it has none.
Measures with `fonts.width`; never draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from . import fonts

PYPHEN_LANG = {"nl": "nl_NL", "fr": "fr_FR", "en": "en_GB", "de": "de_DE"}


@lru_cache(maxsize=4)
def hyphenator(language: str):  # type: ignore[no-untyped-def]
    import pyphen

    code = PYPHEN_LANG.get(language, language)
    return pyphen.Pyphen(lang=code) if code in pyphen.LANGUAGES else None


@dataclass(frozen=True)
class Style:
    font: str  # fonts.FAMILY key
    size: float
    leading: float  # line height as a factor of size

    @property
    def line_height(self) -> float:
        return self.size * self.leading

    def width(self, text: str) -> float:
        return fonts.width(text, self.font, self.size)


@lru_cache(maxsize=65536)
def _break_candidates(word: str, language: str, hyphenate: bool) -> tuple[tuple[str, str], ...]:
    """Every (head, tail) a word may be broken into, longest head first: after an existing
    hyphen or slash, or at a hyphenation point (the head then gets a hyphen)."""
    candidates: list[tuple[str, str]] = []
    for i, ch in enumerate(word[:-1]):
        if ch in "-/" and i > 0:
            candidates.append((word[: i + 1], word[i + 1 :]))
    hyph = hyphenator(language) if hyphenate else None
    core = word.rstrip(".,;:!?)»\"'’”")
    if hyph is not None and len(core) >= 6 and "-" not in core:
        for head, tail in hyph.iterate(core):
            if len(head) >= 2 and len(tail) >= 3:
                candidates.append((head + "-", tail + word[len(core) :]))
    return tuple(sorted(candidates, key=lambda c: len(c[0]), reverse=True))


def _split_word(
    word: str,
    room: float,
    measure: Callable[[str], float],
    language: str,
    allow_hard: bool,
    hyphenate: bool = True,
) -> tuple[str, str] | None:
    """Split `word` so that the head (with its hyphen) fits `room`; None when impossible."""
    for candidate in _break_candidates(word, language, hyphenate or allow_hard):
        if measure(candidate[0]) <= room:
            return candidate
    if allow_hard:
        for cut in range(len(word) - 1, 0, -1):
            if measure(word[:cut]) <= room:
                return word[:cut], word[cut:]
    return None


def wrap(
    text: str,
    style: Style,
    width: float | Callable[[int], float],
    language: str,
    first_line: int = 0,
    hyphenate: bool = True,
) -> list[str]:
    """Lines of `text` no wider than `width` (paragraphs split on newlines).

    `width` may be a function of the line number (counted from `first_line`), so text can
    flow around a picture in a corner. With `hyphenate` off (titles), a word is only broken
    when it is wider than a whole line.
    """
    width_at = width if callable(width) else (lambda _n, w=width: w)
    lines: list[str] = []
    measure = style.width
    space = measure(" ")
    for paragraph in text.split("\n"):
        words = paragraph.split()
        current = ""
        current_w = 0.0
        i = 0
        while i < len(words):
            word = words[i]
            w = measure(word)
            width = width_at(first_line + len(lines))
            needed = w if not current else current_w + space + w
            if needed <= width:
                current = word if not current else f"{current} {word}"
                current_w = needed
                i += 1
                continue
            room = width - (current_w + space if current else 0.0)
            split = _split_word(
                word, room, measure, language, allow_hard=not current, hyphenate=hyphenate
            )
            if split is not None:
                head, tail = split
                lines.append(f"{current} {head}" if current else head)
                words[i] = tail
            else:
                lines.append(current)
            current, current_w = "", 0.0
        if current:
            lines.append(current)
    return lines
