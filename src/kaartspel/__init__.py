"""kaartspel: turn a card game's content (YAML) into print-ready PDF decks."""

import gc
import os

__version__ = "0.1.0"

INTERRUPTED = "Interrupted (Ctrl-C); stopped. Outputs written before are unchanged."
# a Ctrl-C that came once the command's new outputs were in place (`output.replaced`)
INTERRUPTED_WRITTEN = "Interrupted (Ctrl-C); stopped. The new outputs had already been written."

# the C module under `signal`, loaded with the interpreter: `import signal` would first import
# enum and functools (about 30 ms, a window in which Ctrl-C printed a traceback)
_signal = __import__("_signal")


def _stop_at_once(signum: int, frame: object) -> None:
    """Ctrl-C before a command has started (imports, reading the command line): nothing is
    being written yet, so stop here, with the one line and exit 130 of any Ctrl-C."""
    os.write(2, (INTERRUPTED + "\n").encode())
    os._exit(130)


def run() -> None:
    """The console script and `python -m kaartspel`. Ctrl-C is honoured from the first
    instant: this handler stands until a command starts (`cli._Main.invoke` hands over to
    Python's KeyboardInterrupt, so the command's clean-up runs, then the same line and exit
    130); once the command has finished, a late Ctrl-C no longer changes the outcome.

    The cyclic garbage collector is off: a command is one batch whose data lives until it
    ends, and reference counting frees everything else. The collector's passes over that
    growing heap took 10 % of a 5,000-card build and 17 % of a 20,000-card one and gave back
    about 4 MiB (measured); `watch`, which runs for hours, turns it back on."""
    gc.disable()
    _signal.signal(_signal.SIGINT, _stop_at_once)
    try:
        from .cli import main

        main()
    except SystemExit as stop:  # click's way of ending every command
        code = stop.code
    else:
        code = 0
    finally:
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    _leave(code)


def _leave(code: object) -> None:
    """End the process with `code` as `sys.exit` would, without tearing down every object
    one by one (a big deck's tens of thousands of objects take a noticeable moment). Every
    file is written and closed, every helper process reaped by now; only the standard
    streams may hold output."""
    import contextlib
    import sys

    if code is not None and not isinstance(code, int):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed or broken pipe
            stream.flush()
    os._exit(code or 0)
