"""Writing an output set as a whole: stage every file, then rename them all, under a lock.

A failed or interrupted write never leaves a broken file and never a mixed set: every file is
first written next to its target as a temporary file; then, holding the output folder's lock
file (`.kaartspel.lock`), each target is replaced by a rename, the previous version kept as a
hard link until all renames succeeded. When one rename fails, those already done are rolled
back; if even that fails, the message names exactly the files that changed. A second build
into the same folder waits for the lock (up to `LOCK_WAIT` seconds), then gives up with a
clear "busy" message. Write problems become `CannotWrite` (exit 6) with a plain message.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import fnmatch
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial
from pathlib import Path
from typing import NoReturn

from .errors import Busy, CannotWrite
from .interrupts import held
from .source import display_path

LOCK_NAME = ".kaartspel.lock"
MAX_NAME = 200  # bytes of one output file name
LOCK_WAIT = 120.0  # seconds a build waits for another build writing into the same folder
STAGERS = 8  # files written (and synced) at a time


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return "the path is too long"
    if exc.errno == errno.ELOOP:
        return "the path runs into a loop of symbolic links"
    return exc.strerror or str(exc)


def prepare_folder(folder: Path) -> None:
    try:
        if folder.exists() and not folder.is_dir():
            raise CannotWrite(
                f"{display_path(folder)}: this is a file, not a folder; choose an output folder "
                "with --out."
            )
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CannotWrite(
            f"{display_path(folder)[:200]}: cannot create the output folder: "
            f"{_reason(exc)}. Choose another folder with --out."
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


@contextlib.contextmanager
def locked(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock file of an output folder; wait for another holder up to `wait` s.

    The holder removes the lock file before it lets go, so none is left behind; a waiter that
    got the lock of a file removed meanwhile opens the new one and tries again."""
    wait = LOCK_WAIT if wait is None else wait
    lock = folder / LOCK_NAME
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as exc:
            raise CannotWrite(
                f"{display_path(folder)}: cannot create the lock file {LOCK_NAME}: "
                f"{_reason(exc)}. Choose another folder with --out."
            ) from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise Busy(
                            f"{display_path(folder)}: busy: another kaartspel has been writing "
                            f"into this folder for {wait:g} s; nothing was written. Try again "
                            "when it is done, or choose another folder with --out."
                        ) from None
                    time.sleep(0.02)
            try:
                current = os.stat(lock)
            except FileNotFoundError:
                continue  # the previous holder removed it: take the new one
            if not os.path.samestat(current, os.fstat(fd)):
                continue
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(lock)
            return
        finally:
            os.close(fd)  # releases the lock


def _stage(path: Path, data: bytes | Future[bytes], mode: int) -> str:
    if isinstance(data, Future):  # still being made: wait for it
        data = data.result()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _keep_old(path: Path) -> str | None:
    """A second name for the current version of `path` (None when there is none)."""
    if not path.is_file() or path.is_symlink():
        return None
    keep = str(path.parent / f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.old.tmp")
    try:
        os.link(path, keep)
    except OSError:  # no hard links here: copy instead
        shutil.copy2(path, keep)
    return keep


def write_all(files: Mapping[Path, bytes | Future[bytes]], root: Path | None = None) -> list[Path]:
    """Write every file of the set, or none: stage all, then rename all under the lock of
    `root` (default: the folder holding them all). A file's bytes may still be on their way
    (a Future): that file is staged once they are there, the others meanwhile."""
    if not files:
        return []
    with staged(files, root) as commit:
        return commit()


@contextlib.contextmanager
def staged(
    files: Mapping[Path, bytes | Future[bytes]], root: Path | None = None
) -> Iterator[Callable[[], list[Path]]]:
    """`write_all` begun early: the lock is taken and each file is staged as soon as its
    bytes are there (its Future done), while the caller goes on making them; the function
    yielded waits for the last, then renames them all (or none, as `write_all`) and returns
    the paths. Leaving the block otherwise (an error, Ctrl-C, or without calling it) stops
    the staging and removes what was staged: nothing is replaced."""
    folder = root or Path(os.path.commonpath([str(p.parent) for p in files]))
    inside = os.path.abspath(folder)
    for path in files:  # names come from validated slugs; this is the last line of defence
        where = os.path.abspath(path)
        if os.path.commonpath([inside, where]) != inside or len(path.name.encode()) > MAX_NAME:
            raise CannotWrite(
                f"{display_path(path)[:300]}: refusing to write a file outside "
                f"{display_path(folder)} or with a name over {MAX_NAME} bytes."
            )
    mode = _file_mode()
    for parent in dict.fromkeys(path.parent for path in files):
        prepare_folder(parent)
    prepare_folder(folder)
    with locked(folder):
        stager = _Stager(files, mode)
        committed = False

        def commit() -> list[Path]:
            nonlocal committed
            _commit(files, stager)
            committed = True
            return list(files)

        try:
            stager.start()
            yield commit
        finally:
            if not committed:  # (again, after a failed commit: no harm)
                stager.abandon()  # the caller's error (or none) goes on as it is
                for tmp, _ in stager.staged():
                    with contextlib.suppress(OSError):
                        os.unlink(tmp)


def _commit(files: Mapping[Path, bytes | Future[bytes]], stager: _Stager) -> None:
    """Wait for every file to be staged, then replace the targets (see `write_all`). Ctrl-C
    is held back from the first rename until the set is in place and the previous versions
    are gone (`interrupts.held`: a few milliseconds); one that came meanwhile stops the
    command then, and `sets_written()` tells it that the new set is in place."""
    global _sets_written
    try:
        staged = stager.result()
    except BaseException as raised:
        _give_up(files, stager, [], {}, raised)
    kept: dict[Path, str | None] = {}
    replaced: list[Path] = []
    with held():
        try:
            for _, path in staged:
                kept[path] = _keep_old(path)
            for tmp, path in staged:
                os.replace(tmp, path)
                replaced.append(path)
        except BaseException as raised:
            _give_up(files, stager, replaced, kept, raised)
        _sets_written += 1
        _drop(kept)
        _remove_stale(files)


def sets_written() -> int:
    """How many sets of outputs this process has put in place: a command during which this
    grew, stopped by Ctrl-C, has its new outputs written."""
    return _sets_written


_sets_written = 0


def _give_up(
    files: Mapping[Path, bytes | Future[bytes]],
    stager: _Stager,
    replaced: list[Path],
    kept: dict[Path, str | None],
    raised: BaseException,
) -> NoReturn:
    """Undo a commit that failed: the previous versions put back, the staged files removed;
    then the error as it came, or, the disk's, as a `CannotWrite` naming what changed."""
    stager.abandon()
    changed = _roll_back(replaced, kept)
    for tmp, _ in stager.staged():
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _drop(kept)
    exc = raised.cause if isinstance(raised, _Failed) else raised
    if not isinstance(exc, OSError):  # not the disk's: the error as it came
        if exc is raised:
            raise raised
        raise exc from None
    target = (
        raised.path
        if isinstance(raised, _Failed)  # staging it failed
        else next((p for p in files if p not in replaced), next(iter(files)))
    )
    if changed:
        names = ", ".join(display_path(p) for p in changed)
        outcome = (
            f"These files were already replaced by the new version: {names}; "
            "the others are unchanged. Build again once the problem is solved"
        )
    else:
        outcome = "The previous outputs are unchanged; free some space or choose another"
        outcome += " folder with --out"
    raise CannotWrite(
        f"{display_path(target)}: cannot write the output: {_reason(exc)}. {outcome}."
    ) from None


class _Failed(Exception):
    """A file of the set could not be staged: which one (`path`), and why (`cause`)."""

    def __init__(self, path: Path, cause: BaseException) -> None:
        super().__init__(path, cause)
        self.path, self.cause = path, cause


class _Stager:
    """Stages the files of a set, STAGERS at a time (each waits for the disk in `fsync`, not
    for the processor), each as soon as its bytes are there: a file whose bytes are still
    on their way (a Future) is handed to the stagers by that Future's callback once they
    come (in the thread that made them), so files that are ready never wait behind it.
    `result()` is (temporary file, target) of each, in the set's order, once all are
    staged; the error raised is that of the first file that failed in the set's order
    (`_Failed`: the file and its error), once every write has ended.
    `abandon()` stops: nothing more is staged; `staged()` is then what was."""

    def __init__(self, files: Mapping[Path, bytes | Future[bytes]], mode: int) -> None:
        self.files, self.mode = files, mode
        self.jobs: dict[Path, Future[str]] = {}
        self.stopped = False  # once abandoned: nothing more is handed to the stagers
        self.lock = threading.Lock()
        self.pool: ThreadPoolExecutor | None = None
        self.coming = 0  # files whose bytes are still on their way
        self.all_in = threading.Event()  # set once none is (or once abandoned)
        self.inline: list[tuple[str, Path]] = []  # staged in the caller's thread

    def start(self) -> None:
        """Begin: stage each file whose bytes are there, the others once they come."""
        if len(self.files) < 2:  # staged by `result` itself, in the caller's thread
            return
        self.pool = ThreadPoolExecutor(min(STAGERS, len(self.files)), thread_name_prefix="stage")
        waiting: list[tuple[Path, Future[bytes]]] = []
        for path, data in self.files.items():
            if isinstance(data, Future) and not data.done():
                waiting.append((path, data))
            else:
                self._submit(path, data)
        self.coming = len(waiting)
        if not waiting:
            self.all_in.set()
        for path, data in waiting:  # (a callback may run at once, in this thread)
            data.add_done_callback(partial(self._came, path))

    def _submit(self, path: Path, data: bytes | Future[bytes]) -> None:
        assert self.pool is not None
        with self.lock:
            if not self.stopped:
                self.jobs[path] = self.pool.submit(_stage, path, data, self.mode)

    def _came(self, path: Path, data: Future[bytes]) -> None:
        """The bytes of `path` are there (or will never be: its Future failed or was
        cancelled, which its staging reports): hand it to the stagers."""
        try:
            self._submit(path, data)
        except BaseException as exc:  # the stagers could not take it: the file fails so
            failed: Future[str] = Future()
            failed.set_exception(exc)
            with self.lock:
                self.jobs[path] = failed
        finally:
            with self.lock:
                self.coming -= 1
                if self.coming == 0:
                    self.all_in.set()

    def result(self) -> list[tuple[str, Path]]:
        if self.pool is None:
            for path, data in self.files.items():
                try:
                    self.inline.append((_stage(path, data, self.mode), path))
                except Exception as exc:  # noqa: BLE001 - named with its file, re-raised
                    raise _Failed(path, exc) from exc
            return list(self.inline)
        try:
            self.all_in.wait()
            with self.lock:
                jobs = list(self.jobs.values())
            wait(jobs)
        finally:  # also on Ctrl-C: no write goes on behind the roll-back
            self.abandon()
        for path in self.files:
            problem = self.jobs[path].exception()
            if problem is not None:
                raise _Failed(path, problem) from problem
        return self.staged()

    def abandon(self) -> None:
        """Stage nothing more; wait for the writes begun."""
        with self.lock:
            self.stopped = True
            self.all_in.set()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def staged(self) -> list[tuple[str, Path]]:
        """(temporary file, target) of each file staged, in the set's order (once abandoned
        or done)."""
        made = list(self.inline)
        for path in self.files:
            job = self.jobs.get(path)
            if job is not None and job.done() and not job.cancelled() and not job.exception():
                made.append((job.result(), path))
        return made


def _remove_stale(files: Mapping[Path, object]) -> None:
    """Remove the temporary files that an earlier, interrupted build left next to `files`:
    `.NAME.*.tmp` (one listing per folder)."""
    by_folder: dict[Path, list[str]] = {}
    for path in files:
        by_folder.setdefault(path.parent, []).append(path.name)
    for folder, names in by_folder.items():
        try:
            entries = [e for e in os.listdir(folder) if e.startswith(".") and e.endswith(".tmp")]
        except OSError:
            continue
        for entry in entries:
            if any(fnmatch.fnmatchcase(entry, f".{name}.*.tmp") for name in names):
                with contextlib.suppress(OSError):
                    os.unlink(folder / entry)


def _roll_back(replaced: list[Path], kept: dict[Path, str | None]) -> list[Path]:
    """Put the previous versions back; returns the files that could not be restored."""
    changed = []
    for path in reversed(replaced):
        old = kept.get(path)
        try:
            if old is None:
                path.unlink()
            else:
                os.replace(old, path)
                kept[path] = None
        except OSError:
            changed.append(path)
    return list(reversed(changed))


def _drop(kept: dict[Path, str | None]) -> None:
    """Remove the previous versions kept, STAGERS at a time (removing waits for the disk);
    interrupted (Ctrl-C), it still removes them all, one by one, before it stops."""
    old = [name for name in kept.values() if name is not None]
    try:
        if len(old) < 2:
            for name in old:
                _unlink(name)
            return
        with ThreadPoolExecutor(min(STAGERS, len(old)), thread_name_prefix="drop") as pool:
            list(pool.map(_unlink, old))
    except BaseException:
        for name in old:
            _unlink(name)
        raise


def _unlink(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
