"""Running one pure, self-contained job on the machine's other core while this one works.

`in_background(job)` forks a child that runs `job` and sends its (picklable) result back
through a pipe; calling the returned function waits for it. The child writes no file and
touches no shared state, so the result is the same as running `job` here. Where fork is
missing, with a single core, or when the child fails, the job simply runs in this process
when its result is asked for (so its errors surface as usual).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def in_background(job: Callable[[], T]) -> Callable[[], T]:
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return job
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

    def result() -> T:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return job()
        value: T = pickle.loads(data)
        return value

    return result
