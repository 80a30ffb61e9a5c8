"""The other core: the booklet runs there (`in_background`), big decks are read and laid out by
both processes (`Shared`); results come back intact and in order, failures surface here."""

from __future__ import annotations

import os
import signal
import time

import pytest

from kaartspel import parallel
from kaartspel.parallel import Shared, cores, in_background


def test_a_background_job_returns_its_result() -> None:
    parent = os.getpid()
    wait = in_background(lambda: (os.getpid(), b"\x00pdf" * 100_000))
    pid, data = wait()
    assert data == b"\x00pdf" * 100_000  # larger than a pipe's buffer
    assert pid != parent or (os.cpu_count() or 1) < 2


def test_a_failing_background_job_raises_in_the_caller() -> None:
    def job() -> None:
        raise ValueError("boom")

    wait = in_background(job)
    with pytest.raises(ValueError, match="boom"):
        wait()


def _squares(n: int, chunk: int = 4, compute=None) -> tuple[list[int], set[int]]:  # type: ignore[no-untyped-def]
    """Values of `Shared` for 0..n-1 (compute: i -> (i * i, pid)) and the pids that made them."""
    work = compute or (lambda i: (i * i, os.getpid()))
    with Shared(n, work, chunk=chunk) as shared:
        pairs = [shared.get(i) for i in range(n)]
    return [v for v, _ in pairs], {pid for _, pid in pairs}


@pytest.mark.skipif(cores() < 2, reason="one core: everything runs in this process")
def test_shared_values_come_in_order_made_by_both_processes() -> None:
    def slow(i: int) -> tuple[int, int]:
        sum(range(20_000))  # long enough that the child takes some
        return i * i, os.getpid()

    values, pids = _squares(400, compute=slow)
    assert values == [i * i for i in range(400)]
    assert len(pids) == 2  # this process and the child both worked


def test_shared_runs_here_alone_without_a_second_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    values, pids = _squares(200)
    assert values == [i * i for i in range(200)]
    assert pids == {os.getpid()}


def test_an_error_of_compute_surfaces_in_the_caller_at_its_index() -> None:
    def failing(i: int) -> tuple[int, int]:
        if i == 150:
            raise ValueError(f"no value for {i}")
        return i * i, os.getpid()

    got = []
    with Shared(300, failing) as shared, pytest.raises(ValueError, match="no value for 150"):
        for i in range(300):
            got.append(shared.get(i)[0])
    assert got == [i * i for i in range(150)]


@pytest.mark.skipif(cores() < 2, reason="one core: everything runs in this process")
def test_an_error_met_while_computing_ahead_surfaces_at_its_own_index() -> None:
    # the child is slow: this process, waiting for an index the child holds, computes the
    # chunks after it meanwhile, and meets index 10's error long before 10 is asked for
    parent = os.getpid()

    def failing(i: int) -> tuple[int, int]:
        time.sleep(0.01 if os.getpid() == parent else 0.3)
        if i == 10:
            raise ValueError(f"no value for {i}")
        return i * i, os.getpid()

    got = []
    with Shared(40, failing) as shared, pytest.raises(ValueError, match="no value for 10"):
        for i in range(40):
            got.append(shared.get(i)[0])
    assert got == [i * i for i in range(10)]


def test_a_failure_of_the_child_alone_is_made_good_here() -> None:
    parent = os.getpid()

    def child_fails(i: int) -> tuple[int, int]:
        if os.getpid() != parent and i > 40:
            raise MemoryError  # something of the child's own, not of the value
        return i * i, os.getpid()

    values, _ = _squares(300, compute=child_fails)
    assert values == [i * i for i in range(300)]


def test_a_killed_child_is_replaced_by_this_process() -> None:
    def work(i: int) -> int:
        return i * 3

    with Shared(300, work) as shared:
        first = [shared.get(i) for i in range(10)]
        if shared.pid:
            os.kill(shared.pid, signal.SIGKILL)
        rest = [shared.get(i) for i in range(10, 300)]
    assert first + rest == [i * 3 for i in range(300)]
    assert shared.pid == 0  # reaped, no zombie left


def test_a_cancelled_background_job_leaves_no_child() -> None:
    import time

    def late() -> bytes:
        time.sleep(60)
        return b"late"

    wait = in_background(late)
    if not wait.forked:
        pytest.skip("one core: the job runs in this process when asked")
    pid = wait._pid
    assert pid is not None
    started = time.monotonic()
    wait.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):  # killed and reaped: no zombie, no orphan
        os.waitpid(pid, os.WNOHANG)
