"""The one exception family of kaartspel and its exit codes.

Every failure a user can cause is a subclass of `KaartspelError`, which is a
`click.ClickException`: the CLI needs no try/except, and a traceback always means a bug.
This module must not import anything heavy.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import IntEnum

import click


class ExitCode(IntEnum):
    OK = 0
    USAGE = 2  # click's own code for a bad command line
    INVALID_DECK = 3
    MISSING_ASSET = 4
    DOES_NOT_FIT = 5
    CANNOT_WRITE = 6
    BROKEN_LINKS = 7
    OFFLINE = 8
    PREFLIGHT = 9  # `check --report` found errors (the report is written)
    INTERRUPTED = 130  # Ctrl-C, as a shell reports it (128 + SIGINT)


MAX_REPORTED = 50
MAX_KNOWN = 12  # names listed after "known:" in one message


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` with every control character (escape sequences, carriage returns, bidi
    overrides; line breaks excepted) written as a visible escape such as \\x1b: the one way
    user values reach the terminal."""
    return _UNSAFE.sub(lambda m: _escape(m.group()), text)


def shown(value: object) -> str:
    """A user's value for a message, on one line: control characters and line breaks escaped."""
    text = str(value)
    return "".join(
        _escape(ch) if ch == "\n" or unicodedata.category(ch) == "Cc" else ch for ch in text
    )


def known_list(values: Iterable[str], limit: int = MAX_KNOWN) -> str:
    """'known: a, b, c' (at most `limit` names, then '... and N more'), or 'the deck has
    none' when there are none."""
    values = [shown(v) for v in values]
    if not values:
        return "the deck has none"
    listed = ", ".join(values[:limit])
    if len(values) > limit:
        listed += f", ... and {len(values) - limit} more"
    return f"known: {listed}"


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """'; did you mean 'meedoen'?' when a known name is close to `word`, else ''."""
    close = difflib.get_close_matches(str(word), list(known), n=1, cutoff=0.6)
    return f"; did you mean '{shown(close[0])}'?" if close else ""


class KaartspelError(click.ClickException):
    exit_code = 1

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(terminal_safe(self.format_message()), err=True)


class _ProblemList(KaartspelError):
    """A failure made of one or more located problems, reported together (capped)."""

    summary = "problems"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(dict.fromkeys(problems))  # each problem once, in order
        lines = list(self.problems[:MAX_REPORTED])
        if len(self.problems) > MAX_REPORTED:
            lines.append(self.more(self.problems[MAX_REPORTED:]))
        count = self.count()
        lines.append(f"{count} {self.summary if count != 1 else self.summary_one}.")
        super().__init__("\n".join(lines))

    summary_one = "problem"

    def more(self, rest: Sequence[str]) -> str:
        """The line that stands for the problems past the cap."""
        return f"... and {len(rest)} more"

    def count(self) -> int:
        return len(self.problems)


class InvalidDeck(_ProblemList):
    """The deck's YAML is malformed or breaks the deck format (exit 3)."""

    exit_code = ExitCode.INVALID_DECK
    summary = "problems found in the deck; nothing was written"
    summary_one = "problem found in the deck; nothing was written"


class MissingAsset(KaartspelError):
    """A file the deck needs is missing or lies outside the deck folder (exit 4)."""

    exit_code = ExitCode.MISSING_ASSET


class DoesNotFit(_ProblemList):
    """Card content does not fit on the card even at the smallest allowed size (exit 5)."""

    exit_code = ExitCode.DOES_NOT_FIT
    summary = "cards do not fit; nothing was written"
    summary_one = "card does not fit; nothing was written"

    def more(self, rest: Sequence[str]) -> str:
        """Past the cap, the cards not named yet are still named: every card that does not fit
        is listed, so a whole deck at a too small size can be fixed from one run."""
        named = {m.group(1) for p in self.problems[:MAX_REPORTED] if (m := _CARD.search(p))}
        others = [c for c in dict.fromkeys(_card_ids(rest)) if c not in named]
        tail = f", on cards {', '.join(others)} too" if others else ""
        return f"... and {len(rest)} more{tail}"

    def count(self) -> int:
        """Cards, not problems: one card with two problems is one card that does not fit."""
        cards = {m.group(1) for p in self.problems if (m := _CARD.search(p))}
        return len(cards) + sum(1 for p in self.problems if not _CARD.search(p))


class CannotDraw(DoesNotFit):
    """Text outside the cards (rules.md) that the font cannot draw (exit 5)."""

    summary = "places with characters the font cannot draw; nothing was written"
    summary_one = "place with characters the font cannot draw; nothing was written"

    def count(self) -> int:
        return len(self.problems)


_CARD = re.compile(r": card ([A-Za-z][A-Za-z0-9_-]*)[:,] ")


def _card_ids(problems: Sequence[str]) -> list[str]:
    return [m.group(1) for p in problems if (m := _CARD.search(p))]


class DoesNotFitPreview(_ProblemList):
    """Cards that do not fit, drawn anyway on their previews with the problems marked (exit 5)."""

    exit_code = ExitCode.DOES_NOT_FIT
    summary = "cards do not fit; their previews show where, outlined in red"
    summary_one = "card does not fit; its preview shows where, outlined in red"


class CannotWrite(KaartspelError):
    """An output file cannot be written (exit 6); previous outputs stay intact."""

    exit_code = ExitCode.CANNOT_WRITE


class BrokenLinks(KaartspelError):
    """`kaartspel links` found links that do not work (exit 7)."""

    exit_code = ExitCode.BROKEN_LINKS


class FolderNotEmpty(KaartspelError):
    """`kaartspel new` was given a folder that already holds files (usage error, exit 2)."""

    exit_code = ExitCode.USAGE


class BadFilter(KaartspelError):
    """A filter names a value the deck does not have (usage error, exit 2)."""

    exit_code = ExitCode.USAGE


class PreflightFailed(KaartspelError):
    """`kaartspel check --report` found errors in print quality (exit 9); the report is
    written all the same."""

    exit_code = ExitCode.PREFLIGHT


class BadValue(KaartspelError):
    """A command-line value out of its bounds (usage error, exit 2)."""

    exit_code = ExitCode.USAGE


class SheetTooSmall(KaartspelError):
    """The card with its bleed does not fit on the chosen paper (exit 5)."""

    exit_code = ExitCode.DOES_NOT_FIT


class Busy(KaartspelError):
    """Another kaartspel is writing into the same output folder (exit 6)."""

    exit_code = ExitCode.CANNOT_WRITE


class Offline(KaartspelError):
    """`kaartspel links`: no host name resolves; the machine seems offline (exit 8)."""

    exit_code = ExitCode.OFFLINE


class Interrupted(KaartspelError):
    """Ctrl-C (exit 130)."""

    exit_code = ExitCode.INTERRUPTED
