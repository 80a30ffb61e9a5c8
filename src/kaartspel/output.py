"""Writing outputs atomically: a temporary file in the same folder, then a rename.

A failed or interrupted write never leaves a broken file and never destroys the previous
output. Write problems become `CannotWrite` (exit 6) with a plain message.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import CannotWrite
from .source import display_path


def prepare_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise CannotWrite(
            f"{display_path(folder)}: this is a file, not a folder; choose an output folder "
            "with --out."
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CannotWrite(
            f"{display_path(folder)}: cannot create the output folder: "
            f"{exc.strerror}. Choose another folder with --out."
        ) from None
    if not os.access(folder, os.W_OK):
        raise CannotWrite(
            f"{display_path(folder)}: the output folder is not writable. "
            "Choose another folder with --out or fix its permissions."
        )


def _file_mode() -> int:
    """The mode a newly created file gets under the user's umask (mkstemp would give 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_all(files: dict[Path, bytes]) -> list[Path]:
    """Write every file atomically; all temporary files first, then all renames."""
    staged: list[tuple[str, Path]] = []
    mode = _file_mode()
    try:
        for path, data in files.items():
            prepare_folder(path.parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
        for path in files:  # temporary files left by an earlier, interrupted build
            for stale in path.parent.glob(f".{path.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink()
    except OSError as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        target = staged[-1][1] if staged else next(iter(files))
        raise CannotWrite(
            f"{display_path(target)}: cannot write the output: {exc.strerror}. "
            "The previous outputs are unchanged; free some space or choose "
            "another folder with --out."
        ) from None
    return list(files)
