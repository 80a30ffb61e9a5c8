"""A small per-user cache of data derived from installed files (parsed hyphenation patterns:
`hyphens`; parsed TrueType fonts: `ttfcache`), so that every run does not redo work whose
inputs have not changed.

An entry is one file in `$XDG_CACHE_HOME/kaartspel` (else `~/.cache/kaartspel`), named by a
hash of everything its value depends on (the caller's key: library version, the source file's
bytes), so a changed input is a new entry, never a stale one. Values are plain data (dicts,
tuples, strings, numbers) written with `marshal` behind a checksum, atomically (a temporary
file renamed into place). The cache is an optimisation only: every failure (no home folder, a
read-only disk, a damaged or foreign file) is silent and the caller computes the value as it
would without it. `KAARTSPEL_CACHE=off` switches it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

_MAGIC = b"kaartspel-cache 1\n"


def folder() -> Path | None:
    """The cache folder (not created here), or None when the cache is switched off."""
    if os.environ.get("KAARTSPEL_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        home = os.path.expanduser("~")
        if home == "~":
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "kaartspel"


def _path(kind: str, key: bytes) -> Path | None:
    where = folder()
    if where is None:
        return None
    digest = hashlib.sha256(kind.encode() + b"\0" + key).hexdigest()[:32]
    return where / f"{kind}-{digest}.bin"


def load(kind: str, key: bytes) -> Any | None:
    """The value stored under (kind, key), or None when there is none or it cannot be read."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
        head = len(_MAGIC) + 32
        if (
            data[: len(_MAGIC)] != _MAGIC
            or hashlib.sha256(data[head:]).digest() != data[len(_MAGIC) : head]
        ):
            return None
        return marshal.loads(data[head:])
    except (OSError, ValueError, EOFError, TypeError):
        return None


def store(kind: str, key: bytes, value: Any) -> None:
    """Keep `value` (marshal-able plain data) under (kind, key); silently not when it cannot."""
    path = _path(kind, key)
    if path is None:
        return
    tmp = None
    try:
        body = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(_MAGIC + hashlib.sha256(body).digest() + body)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
