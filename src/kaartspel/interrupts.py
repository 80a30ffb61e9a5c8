"""Ctrl-C held back while library code runs that cannot be interrupted cleanly.

Python raises KeyboardInterrupt wherever the interpreter happens to be when Ctrl-C comes. In
two places of our libraries that is not a clean stop: inside zxing-cpp's C++ module set-up it
aborts the whole process (SIGABRT), and inside pydantic-core's building of a model's validator
it comes out as a SchemaError (a traceback and exit 1). A third is our own: the renaming of a
finished set of outputs into place (`output`), which must end whole, and be known to have.

`held()` holds Ctrl-C back around such a step: a Ctrl-C meanwhile is noted, and handed to the
handler that stood before as soon as the step is done (the command then stops with its one
line and exit 130). The steps are short (milliseconds to tens of milliseconds).

It swaps the Python-level handler rather than blocking the signal: a blocked SIGINT is simply
delivered to another thread (a stager, a renderer), and Python raises it in the main thread
all the same.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def held() -> Iterator[None]:
    """Ctrl-C held back (in the main thread; elsewhere Python never raises it) until the
    block is done, then handed on."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[FrameType | None] = []

    def note(signum: int, frame: FrameType | None) -> None:
        came.append(frame)

    before = signal.signal(signal.SIGINT, note)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
        if came:
            _hand_on(before, came[0])


def _hand_on(handler: object, frame: FrameType | None) -> None:
    """A Ctrl-C that came while held, to the handler that stands again."""
    if callable(handler):
        handler(signal.SIGINT, frame)
    elif handler == signal.SIG_DFL:  # the process's own way: ended by the signal
        signal.raise_signal(signal.SIGINT)
    # SIG_IGN (or None, a handler not set from Python): nothing to do
