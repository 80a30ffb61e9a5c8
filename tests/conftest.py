"""Shared fixtures: the repository's paths and a runner for the real CLI."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DECK = ROOT / "deck"

# Progress lines on a stderr that is not a terminal come every 2 s of work (progress.py), so
# how many a command prints before its message depends on how fast and how loaded the machine
# is. The commands the tests run (in this process or as child processes) print none; the tests
# of progress lines set their own interval.
os.environ.setdefault("KAARTSPEL_PROGRESS_EVERY", "1000000")

# The user cache (usercache.py: parsed hyphenation patterns and fonts) of the commands the
# tests run goes to a folder of this test session, not to the user's own ~/.cache.
_CACHE = tempfile.mkdtemp(prefix="kaartspel-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python -m kaartspel ARGS` as a user would; returns the completed process."""
    return subprocess.run(
        [sys.executable, "-m", "kaartspel", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def default_deck() -> Path:
    return DEFAULT_DECK
