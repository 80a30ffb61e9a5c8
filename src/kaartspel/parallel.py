"""Using the machine's other core: one pure, self-contained job run beside this process's work
(`in_background`), or a series of values worked out by both processes (`Shared`).

`in_background(job)` forks a child that runs `job` and sends its (picklable) result back
through a pipe; calling the returned `Background` waits for it. The child writes no file and
touches no shared state, so the result is the same as running `job` here. Where fork is
missing, with a single core, or when the child fails, the job simply runs in this process
when its result is asked for (so its errors surface as usual). `forked` tells which; a caller
that gives up on the result (an error of its own) calls `cancel()`, so no child is left
waiting on its pipe.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
AHEAD = 64  # values this process may hold ahead of the one asked for
PIPE_BYTES = 1 << 20  # values on their way from the child (about 300 faces)
LOCK_WAIT = 5.0  # seconds: a shared counter held longer than this belongs to a dead process


class Background(Generic[T]):
    """A job started by `in_background`: call it for the job's result."""

    def __init__(self, job: Callable[[], T], pid: int | None, read_end: int | None) -> None:
        self._job, self._pid, self._read_end = job, pid, read_end

    @property
    def forked(self) -> bool:
        """Whether the job runs in a child process (else it runs when its result is asked)."""
        return self._pid is not None

    def __call__(self) -> T:
        if self._pid is None or self._read_end is None:
            return self._job()
        pid, read_end = self._pid, self._read_end
        self._pid = self._read_end = None
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return self._job()
        value: T = pickle.loads(data)
        return value

    def cancel(self) -> None:
        """Stop the child, if any, and reap it; the result is no longer wanted."""
        if self._pid is None or self._read_end is None:
            return
        pid, read_end = self._pid, self._read_end
        self._pid = self._read_end = None
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        os.close(read_end)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def in_background(job: Callable[[], T]) -> Background[T]:
    if not hasattr(os, "fork") or cores() < 2:
        return Background(job, None, None)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send, leave without running any cleanup of the parent's
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return Background(job, pid, read_end)


def cores() -> int:
    """The cores this process may run on (`taskset` and container limits respected)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Shared(Generic[T]):
    """`compute(0)`, `compute(1)`, ... `compute(n - 1)`, asked for in that order with `get`,
    worked out by this process and a forked child together. Both take `chunk` indices at a
    time from a counter they share; this process, waiting for an index the child holds,
    works on the next free chunk meanwhile; so neither waits while the other is ahead, and
    the split follows whatever else this process does between two `get`s (painting).

    The child sends its values back pickled, in order, through a pipe. When `compute` raises
    in the child, the child stops and this process computes that index itself, so the error
    (or the value, if the failure was the child's own) surfaces here as if it had all run
    here. Without fork or a second core, or for a few values, everything runs here.
    `close()` (also on leaving a `with`) stops the child."""

    def __init__(self, n: int, compute: Callable[[int], T], chunk: int = 4) -> None:
        self.n, self.compute, self.chunk = n, compute, chunk
        self.ready: dict[int, T] = {}  # values at hand, by index
        self.mine: set[int] = set()  # indices this process took and has not computed yet
        self.pid = 0
        self.alone = True  # no child (any more): this process computes what is left
        if n < 4 * chunk or not hasattr(os, "fork") or cores() < 2:
            return
        import multiprocessing

        self.next_free: Any = multiprocessing.get_context("fork").Value("q", 0)
        read_end, write_end = os.pipe()
        _widen(write_end)
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            self._child(write_end)  # never returns
        os.close(write_end)
        self.pid, self.pipe, self.alone = pid, read_end, False
        self.received = bytearray()  # bytes from the pipe not yet unpickled

    def _claim(self, wanted: int | None) -> int | None:
        """Take the next `chunk` free indices and return the first (n when none is left);
        with `wanted`, only when `wanted` is the first free one (else return the first free
        one, taking nothing). None when the counter cannot be had: its other user died
        holding it."""
        lock = self.next_free.get_lock()
        if not lock.acquire(timeout=LOCK_WAIT):
            return None
        try:
            start = int(self.next_free.value)
            if wanted is None or wanted == start:
                self.next_free.value = min(self.n, start + self.chunk)
            return start
        finally:
            lock.release()

    def _child(self, write_end: int) -> None:
        code = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
            with os.fdopen(write_end, "wb") as pipe:
                while (start := self._claim(None)) is not None and start < self.n:
                    for i in range(start, min(self.n, start + self.chunk)):
                        try:
                            message = pickle.dumps((i, self.compute(i)), PROTOCOL)
                        except BaseException:  # noqa: BLE001 - the parent computes it again
                            message = pickle.dumps((i, _Failed()), PROTOCOL)
                            pipe.write(len(message).to_bytes(8, "little") + message)
                            return
                        pipe.write(len(message).to_bytes(8, "little") + message)
                    pipe.flush()
        except BaseException:  # noqa: BLE001 - a broken pipe: the parent stopped
            code = 1
        finally:
            os._exit(code)

    def _receive(self, block: bool) -> None:
        """Read what the child sent (waiting for something when `block`) into `ready`."""
        if not block and not select.select([self.pipe], [], [], 0)[0]:
            return
        data = os.read(self.pipe, 1 << 20)
        if not data:  # the child ended
            self._alone()
            return
        buffer = self.received
        buffer += data
        at = 0
        while len(buffer) - at >= 8:
            size = int.from_bytes(buffer[at : at + 8], "little")
            if len(buffer) - at - 8 < size:
                break
            i, value = pickle.loads(buffer[at + 8 : at + 8 + size])
            at += 8 + size
            if isinstance(value, _Failed):
                self._alone()
                return
            self.ready[i] = value
        del buffer[:at]

    def _alone(self) -> None:
        """The child stopped: every index it held and did not send is done here."""
        self.alone = True
        self.close()

    def get(self, i: int) -> T:
        """The value for index `i`; indices are asked for in order, each once."""
        while not self.alone and i not in self.ready and i not in self.mine:
            self._receive(block=False)
            if self.alone or i in self.ready:
                break
            start = self._claim(i)
            if start is None:
                self._alone()
            elif start == i or start >= self.n or len(self.ready) >= AHEAD:
                if start == i:  # it was free: its chunk is done here
                    self.mine.update(range(i, min(self.n, i + self.chunk)))
                else:  # the child holds it and nothing else is free: wait for it
                    self._receive(block=True)
            elif self._claim(start) == start:  # while the child works on it: the next chunk
                self._ahead(range(start, min(self.n, start + self.chunk)))
        self.mine.discard(i)
        if i in self.ready:
            return self.ready.pop(i)
        return self.compute(i)

    def _ahead(self, chunk: range) -> None:
        """Compute a chunk taken ahead of the index asked for. An index whose `compute`
        raises stays taken and is computed again when it is asked for, so its error surfaces
        there, after every earlier value (as if it had all run in order here)."""
        self.mine.update(chunk)
        for k in chunk:
            try:
                value = self.compute(k)
            except Exception:  # noqa: BLE001 - raised again at its own index
                return
            self.ready[k] = value
            self.mine.discard(k)

    def close(self) -> None:
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            os.close(self.pipe)
            self.pid = 0

    def __enter__(self) -> Shared[T]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _widen(pipe: int) -> None:
    """Let the pipe hold PIPE_BYTES (Linux; the default 64 KiB elsewhere), so the child runs
    ahead of this process instead of waiting for it to read."""
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


class _Failed:
    """What the child sends for an index whose `compute` raised there."""


PROTOCOL = pickle.HIGHEST_PROTOCOL
