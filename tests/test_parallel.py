"""The booklet runs on the other core: results come back intact, failures surface here."""

from __future__ import annotations

import os

import pytest

from kaartspel.parallel import in_background


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
