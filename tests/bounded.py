"""Running the CLI as a user would, but bounded: a wall-clock timeout and a memory limit.

Every hostile-input test (issue 15) runs `kaartspel` in a subprocess through `run`, which
fails the test on a hang (more than `SECONDS`), on more than `MEMORY` bytes of memory
(`RLIMIT_AS`, set in the child before it starts, so Python's MemoryError or the kernel stops
it), on a traceback, on a crash by a signal, and on any control character in what the
command printed (escape sequences reach the terminal only escaped).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SECONDS = 10.0
MEMORY = 2 * 1024**3
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float


def _limits(memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def run(
    args: list[str],
    cwd: Path,
    seconds: float = SECONDS,
    memory: int = MEMORY,
    env: dict[str, str] | None = None,
) -> Run:
    """`kaartspel *args` in `cwd`; the checks every hostile case shares are asserted here."""
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "kaartspel", *args],
        cwd=cwd,
        capture_output=True,
        timeout=seconds,
        preexec_fn=lambda: _limits(memory),
        env={**os.environ, "PYTHONUTF8": "1", **(env or {})},
    )
    elapsed = time.monotonic() - start
    out = proc.stdout.decode("utf-8", "backslashreplace")
    err = proc.stderr.decode("utf-8", "backslashreplace")
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {err}"
    assert "Traceback" not in err, err
    assert not UNSAFE.search(out + err), f"control characters printed: {(out + err)!r}"
    return Run(proc.returncode, out, err, elapsed)
