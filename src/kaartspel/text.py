"""Breaking text into lines that fit a width, with hyphenation, and fitting text into a box.

Greedy line breaking on spaces; a word that does not fit is broken at a soft hyphen the
author wrote, else hyphenated (pyphen, in the deck's language) at the last break point that
fits, and only split hard when it has none. Every step is linear in the text's length: a
word longer than `MAX_HYPHENATED` characters is never hyphenated but cut hard, in one pass
over its character widths, and never between a letter and its combining marks. A line
always takes at least one character, so a width too small for anything (even zero or
negative) gives many narrow lines, never an endless loop. Measures with `fonts.width`;
never draws.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from . import fonts

PYPHEN_LANG = {"nl": "nl_NL", "fr": "fr_FR", "en": "en_GB", "de": "de_DE"}
SOFT_HYPHEN = "\u00ad"
MAX_HYPHENATED = 64  # longer "words" (URLs, runs of letters) are cut hard, not hyphenated
_TO_SPACE = str.maketrans("\t\r\f\v", "    ")  # words part at these and spaces (not U+00A0)


@lru_cache(maxsize=4)
def hyphenator(language: str):  # type: ignore[no-untyped-def]
    import pyphen

    code = pyphen.language_fallback(PYPHEN_LANG.get(language, language))  # es -> es, ru -> ru_RU
    if code is None:
        return None
    from .hyphens import preload

    preload(code)  # pyphen's parsed patterns from the user cache: not parsed on every run
    return pyphen.Pyphen(lang=code)


@dataclass(frozen=True)
class Style:
    font: str  # fonts.FAMILY key
    size: float
    leading: float  # line height as a factor of size

    @property
    def line_height(self) -> float:
        return self.size * self.leading

    def width(self, text: str) -> float:
        if SOFT_HYPHEN in text:  # invisible unless the line breaks there
            text = text.replace(SOFT_HYPHEN, "")
        return fonts.width(text, self.font, self.size)


@lru_cache(maxsize=4096)
def _break_candidates(word: str, language: str, hyphenate: bool) -> tuple[tuple[str, str], ...]:
    """Every (head, tail) a word may be broken into, longest head first: at a soft hyphen
    (then only there: the author chose the break points), after an existing hyphen or slash,
    or at a hyphenation point (the head then gets a hyphen). Short words only."""
    if len(word) > MAX_HYPHENATED:
        return ()
    candidates: list[tuple[str, str]] = []
    if SOFT_HYPHEN in word:
        for i, ch in enumerate(word):
            if ch == SOFT_HYPHEN and 0 < i < len(word) - 1:
                candidates.append((word[:i] + "-", word[i + 1 :]))
        return tuple(reversed(candidates))
    for i, ch in enumerate(word[:-1]):
        if ch in "-/" and i > 0:
            candidates.append((word[: i + 1], word[i + 1 :]))
    hyph = hyphenator(language) if hyphenate else None
    # a French quotation held to its word by no-break spaces (« mot ») breaks in the word only
    lead = len(word) - len(word.lstrip("«‹\u00a0\u202f")) if word[:1] in "«‹" else 0
    core = word[lead:].rstrip(".,;:!?)»\"'’”" + ("›\u00a0\u202f" if lead else ""))
    if hyph is not None and len(core) >= 6 and "-" not in core:
        for head, tail in hyph.iterate(core):
            if len(head) >= 2 and len(tail) >= 3:
                candidates.append((word[:lead] + head + "-", tail + word[lead + len(core) :]))
    return tuple(sorted(candidates, key=lambda c: len(c[0]), reverse=True))


def _hard_cuts(word: str, style: Style, widths: Callable[[int], float], line: int) -> list[str]:
    """`word` cut into pieces, the n-th no wider than `widths(line + n)` where possible: one
    pass for the running widths, then a binary search per piece. A piece never starts with a
    combining mark and holds at least one character with its marks, so cutting always ends."""
    visible = word.replace(SOFT_HYPHEN, "")
    n = len(visible)
    chars = set(visible)
    advance = {ch: style.width(ch) for ch in chars}
    marks = {ch for ch in chars if unicodedata.combining(ch)}
    edges = list(accumulate(map(advance.__getitem__, visible), initial=0.0))
    pieces: list[str] = []
    start = 0
    while start < n:
        room = widths(line + len(pieces))
        cut = bisect_right(edges, edges[start] + room) - 1  # the most that fits
        if marks:
            while start < cut < n and visible[cut] in marks:
                cut -= 1  # never separate a mark from its letter
        if cut <= start:  # not even one letter fits: take one, with its marks
            cut = start + 1
            while cut < n and visible[cut] in marks:
                cut += 1
        pieces.append(visible[start:cut])
        start = cut
    return pieces


def _split_word(
    word: str,
    room: float,
    measure: Callable[[str], float],
    language: str,
    hyphenate: bool = True,
) -> tuple[str, str] | None:
    """Split `word` at a break point so that the head (with its hyphen) fits `room`."""
    for candidate in _break_candidates(word, language, hyphenate):
        if measure(candidate[0]) <= room:
            return candidate
    return None


def wrap(
    text: str,
    style: Style,
    width: float | Callable[[int], float],
    language: str,
    first_line: int = 0,
    hyphenate: bool = True,
    widths: list[float] | None = None,
) -> list[str]:
    """Lines of `text` no wider than `width` (paragraphs split on newlines).

    `width` may be a function of the line number (counted from `first_line`), so text can
    flow around a picture in a corner. With `hyphenate` off (titles), a word is only broken
    at a hyphen, slash or soft hyphen, or cut when it is wider than a whole line. Soft
    hyphens never reach the lines: they vanish, or become a hyphen where the line breaks.

    `widths`, when given, gets each line's width as the breaking measured it (its words'
    widths and the spaces between them): what `Style.width` of the line gives but for the
    rounding of the sum, without measuring each line again (the layout's check that its
    lines stay in the safe area).
    """
    width_at = width if callable(width) else (lambda _n, w=width: w)
    lines: list[str] = []
    before = len(widths) if widths is not None else 0  # widths given before these lines
    measure = style.width
    space = measure(" ")
    # the widths measured so far, looked up before measuring (`measure` keeps them there); a
    # word with a soft hyphen is measured without it, so such a text measures every word
    known = fonts.widths(style.font, style.size) if SOFT_HYPHEN not in text else {}
    if "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = text.translate(_TO_SPACE)
    for paragraph in text.split("\n"):
        words = [w for w in paragraph.split(" ") if w]  # not at U+00A0
        count = len(words)
        i = 0
        while i < count:  # one line a turn: its room, the words that fit, then a break
            room = width_at(first_line + len(lines))
            start = i
            current_w = 0.0
            while i < count:
                word = words[i]
                w = known.get(word)
                if w is None:
                    w = measure(word)
                needed = w if i == start else current_w + space + w
                if not needed <= room:
                    break
                current_w = needed
                i += 1
            if i == count:  # the paragraph's last line
                lines.append(" ".join(words[start:]))
                if widths is not None:
                    widths.append(current_w)
                break
            current = " ".join(words[start:i])
            left = room - (current_w + space if current else 0.0)
            split = _split_word(word, left, measure, language, hyphenate or not current)
            if split is not None:
                head, tail = split
                lines.append(f"{current} {head}" if current else head)
                words[i] = tail
                if widths is not None:
                    widths.append(current_w + space + measure(head) if current else measure(head))
            elif current:
                lines.append(current)
                if widths is not None:
                    widths.append(current_w)
            else:  # wider than a whole line and no break point fits: cut it, in one pass
                pieces = _hard_cuts(word, style, width_at, first_line + len(lines))
                lines.extend(pieces[:-1])
                words[i] = pieces[-1]
                if len(pieces) == 1:  # a single character wider than the line
                    lines.append(pieces[0])
                    i += 1
                if widths is not None:  # the pieces' own widths (a rare case)
                    widths.extend(map(measure, lines[len(widths) - before :]))
    if SOFT_HYPHEN not in text:
        return lines
    return [line.replace(SOFT_HYPHEN, "") for line in lines]
