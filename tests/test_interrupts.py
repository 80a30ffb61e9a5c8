"""Ctrl-C held back around library steps that cannot be interrupted cleanly (interrupts.py):
zxing-cpp's module set-up and pydantic-core's building of a model's validator."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

import pytest

from kaartspel import interrupts, schema
from kaartspel.source import parse


def test_a_ctrl_c_inside_held_is_raised_when_the_step_is_done() -> None:
    steps: list[int | str] = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts.held():
            os.kill(os.getpid(), signal.SIGINT)
            for i in range(200_000):  # plenty of points where Python would raise it
                steps.append(i)
        steps.append("after")  # not reached: raised as the block ends
    assert len(steps) == 200_000


def test_nothing_is_held_after_the_block() -> None:
    before = signal.getsignal(signal.SIGINT)
    with interrupts.held():
        pass
    assert signal.getsignal(signal.SIGINT) is before
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(200_000):
            pass


def test_a_ctrl_c_is_held_while_other_threads_run() -> None:
    # a SIGINT blocked in the main thread alone goes to another thread, and Python raised it
    # in the main thread all the same: held() must not depend on which thread takes it
    stop = threading.Event()
    others = [threading.Thread(target=stop.wait) for _ in range(3)]
    for thread in others:
        thread.start()
    steps = []
    try:
        with pytest.raises(KeyboardInterrupt), interrupts.held():
            for _ in range(20):
                os.kill(os.getpid(), signal.SIGINT)
                for i in range(20_000):
                    steps.append(i)
    finally:
        stop.set()
        for thread in others:
            thread.join()
    assert len(steps) == 400_000


def test_a_ctrl_c_held_goes_to_the_handler_that_stood_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = []
    before = signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
    try:
        with interrupts.held():
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGINT)
            assert calls == []
        assert calls == [signal.SIGINT]  # once, however many came
    finally:
        signal.signal(signal.SIGINT, before)


def test_a_models_validator_is_built_with_ctrl_c_held(monkeypatch: pytest.MonkeyPatch) -> None:
    held = []

    @contextlib.contextmanager
    def recording() -> Iterator[None]:
        held.append(True)
        yield

    monkeypatch.setattr(interrupts, "held", recording)

    class RawFresh(schema.Strict):  # not built yet: pydantic builds it at first use
        name: str

    assert not RawFresh.__pydantic_complete__
    raw, problems = schema.validate(RawFresh, parse("fresh.yaml", "name: x\n"))
    assert problems == [] and isinstance(raw, RawFresh) and raw.name == "x"
    assert held == [True] and RawFresh.__pydantic_complete__
    schema.validate(RawFresh, parse("fresh.yaml", "name: y\n"))
    assert held == [True]  # built once
