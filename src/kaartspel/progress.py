"""Progress on long work, on stderr: a bar with counts and ETA on a terminal (click's own
bar), plain lines every few seconds when stderr is not a terminal (CI logs; none for work done
within those seconds), nothing when quiet. Output paths go to stdout as before, so scripts
that read them keep working.

The stages of the pipeline wrap their loops in `track(items, label)`; the command line
says once whether to show anything (`configure(quiet=...)`). Short work shows nothing:
a bar appears only for loops of at least `MIN_ITEMS` items.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

import click

T = TypeVar("T")

MIN_ITEMS = 50  # fewer items than this: too short to be worth a bar
PLAIN_EVERY = 2.0  # seconds between plain lines; KAARTSPEL_PROGRESS_EVERY changes it (CI logs)

_state = {"quiet": True}  # library use is silent; the CLI turns progress on


def configure(quiet: bool) -> None:
    _state["quiet"] = quiet


def _plain(items: Iterable[T], label: str, total: int) -> Iterator[T]:
    """A line every PLAIN_EVERY seconds and one at the end; none for work done sooner."""
    every = _every()
    start = last = time.monotonic()
    done = 0
    shown = False
    for item in items:
        yield item
        done += 1
        now = time.monotonic()
        if now - last >= every and done < total:
            last, shown = now, True
            left = (now - start) / done * (total - done)
            click.echo(
                f"{label}: {done}/{total} ({done * 100 // total} %), about {left:.0f} s left",
                err=True,
            )
    if shown:
        click.echo(f"{label}: {done}/{total} in {time.monotonic() - start:.1f} s", err=True)


def _every() -> float:
    try:
        return max(0.0, float(os.environ.get("KAARTSPEL_PROGRESS_EVERY", PLAIN_EVERY)))
    except ValueError:
        return PLAIN_EVERY


def _bar(items: Iterable[T], label: str, total: int) -> Iterator[T]:
    with click.progressbar(
        length=total, label=label, file=sys.stderr, show_pos=True, show_eta=True
    ) as bar:
        for item in items:
            yield item
            bar.update(1)


def track(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """`items`, reporting how far the loop over them is (`label`: what is being done)."""
    if total is None:
        total = len(items)  # type: ignore[arg-type]
    if _state["quiet"] or total < MIN_ITEMS:
        return iter(items)
    if sys.stderr.isatty():
        return _bar(items, label, total)
    return _plain(items, label, total)
