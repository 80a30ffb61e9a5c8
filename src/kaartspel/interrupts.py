"""Ctrl-C held back while library code runs that cannot be interrupted cleanly.

Python raises KeyboardInterrupt wherever the interpreter happens to be when Ctrl-C comes. In
two places of our libraries that is not a clean stop: inside zxing-cpp's C++ module set-up it
aborts the whole process (SIGABRT), and inside pydantic-core's building of a model's validator
it comes out as a SchemaError (a traceback and exit 1). `held()` blocks SIGINT around such a
step; a Ctrl-C meanwhile stays pending and is raised as a KeyboardInterrupt as soon as the
step is done (the command then stops with its one line and exit 130). The steps are short
(tens of milliseconds).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held() -> Iterator[None]:
    """Ctrl-C held back (in the main thread; elsewhere there is nothing to hold) until the
    block is done, then delivered."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
