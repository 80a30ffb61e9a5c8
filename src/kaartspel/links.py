"""Checking the deck's links before a print run: every URL once, concurrently, with a deadline.

Redirects are followed and reported; 4xx/5xx answers, answers that are not HTTP, no answer
within the timeout and unreachable hosts are broken links. The timeout is a total per URL
(connecting, every redirect and every byte of the answer), not per read: when it runs out the
request's sockets are shut down, so a server that trickles its answer cannot hold a check.
Workers are daemon threads, so Ctrl-C stops the command at once. When not one of the hosts
resolves, the machine is taken to be offline (`Offline`, nothing is checked). Runs only when
asked (`kaartspel links`), never during a build.
"""

from __future__ import annotations

import contextlib
import http.client
import queue
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .model import Card
from .progress import track

USER_AGENT = "kaartspel-linkcheck/1.0 (+https://github.com/kaartspel)"
RESOLVE_WAIT = 3.0  # seconds to learn whether any host name resolves at all


@dataclass(frozen=True)
class Result:
    url: str
    status: int | None  # final HTTP status, None when there was no answer
    final_url: str
    problem: str | None  # None when the link works

    @property
    def redirected(self) -> bool:
        return self.final_url != self.url


class _Deadline:
    """The sockets of one URL's check, shut down once its total time is up (or on Ctrl-C)."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        return max(0.05, self.end - time.monotonic())

    def track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _tracked(base: type[http.client.HTTPConnection], deadline: _Deadline) -> Callable[..., Any]:
    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        conn = base(host, **kwargs)
        create = conn._create_connection  # type: ignore[attr-defined]

        def connect(*args: Any, **kw: Any) -> socket.socket:
            sock = create(*args, **kw)
            deadline.track(sock)
            return sock

        conn._create_connection = connect  # type: ignore[attr-defined]
        return conn

    return make


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(_tracked(http.client.HTTPConnection, deadline), req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(
                _tracked(http.client.HTTPSConnection, deadline),
                req,
                context=getattr(self, "_context", None),
            )

    return urllib.request.build_opener(Http(), Https())


def _request(url: str, method: str, deadline: _Deadline) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with _opener(deadline).open(request, timeout=deadline.left()) as response:
        return response.status, response.geturl()


def check_url(url: str, timeout: float) -> Result:
    """Check one URL within `timeout` seconds in all: HEAD first, GET when the server does
    not allow HEAD."""
    deadline = _Deadline(timeout)
    late = f"no answer within {timeout:g} s"
    try:
        try:
            status, final = _request(url, "HEAD", deadline)
        except urllib.error.HTTPError as exc:
            if exc.code not in (403, 405, 501):
                raise
            status, final = _request(url, "GET", deadline)
        return Result(url, status, final, None)
    except urllib.error.HTTPError as exc:
        return Result(url, exc.code, exc.geturl() or url, f"{exc.code} {exc.reason}")
    except TimeoutError:
        return Result(url, None, url, late)
    except urllib.error.URLError as exc:
        reason = exc.reason
        if deadline.expired or isinstance(reason, (TimeoutError, socket.timeout)):
            return Result(url, None, url, late)
        return Result(url, None, url, f"cannot connect: {reason}")
    except http.client.HTTPException as exc:
        if deadline.expired:
            return Result(url, None, url, late)
        return Result(url, None, url, f"the answer is not HTTP ({type(exc).__name__})")
    except (OSError, ValueError) as exc:
        if deadline.expired:
            return Result(url, None, url, late)
        return Result(url, None, url, f"cannot connect: {exc}")
    finally:
        deadline.cancel()


def _in_daemons(job: Callable[[str], Any], items: list[str], workers: int) -> dict[str, Any]:
    """`job` on every item in `workers` daemon threads; Ctrl-C interrupts the wait at once."""
    todo: queue.Queue[str] = queue.Queue()
    for item in items:
        todo.put(item)
    results: dict[str, Any] = {}
    done = threading.Event()
    lock = threading.Lock()

    def work() -> None:
        while True:
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            try:
                value = job(item)
            except Exception as exc:  # a bug: surface it in the main thread, never hang
                value = exc
            with lock:
                results[item] = value
                if len(results) == len(items):
                    done.set()

    for _ in range(min(workers, len(items))):
        threading.Thread(target=work, daemon=True).start()

    def answers() -> Iterator[None]:  # one item per finished job, as they finish
        seen = 0
        while seen < len(items):
            done.wait(0.1)
            now = len(results)
            yield from (None for _ in range(now - seen))
            seen = now

    for _ in track(answers(), "links", len(items)):
        pass
    for value in results.values():
        if isinstance(value, Exception):
            raise value
    return results


def _resolves(host: str) -> bool:
    try:
        socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return True


def any_host_resolves(urls: list[str]) -> bool:
    """Whether at least one of the URLs' host names resolves (asked for at most 64 hosts at
    once, waiting at most `RESOLVE_WAIT` s in all)."""
    hosts = sorted({urlsplit(u).hostname or "" for u in urls} - {""})[:64]
    if not hosts:
        return True
    resolved = threading.Event()
    answered: list[str] = []
    all_answered = threading.Event()

    def look(host: str) -> None:
        if _resolves(host):
            resolved.set()
        answered.append(host)
        if len(answered) == len(hosts):
            all_answered.set()

    for host in hosts:
        threading.Thread(target=look, args=(host,), daemon=True).start()
    end = time.monotonic() + RESOLVE_WAIT
    while not resolved.is_set() and not all_answered.is_set() and time.monotonic() < end:
        resolved.wait(0.05)
    return resolved.is_set()


def check_cards(cards: list[Card], timeout: float = 10.0, workers: int = 8) -> dict[str, Result]:
    """Results per distinct URL of the cards' links (each URL is fetched once)."""
    urls = sorted({link.url for card in cards for link in card.links})
    return _in_daemons(lambda u: check_url(u, timeout), urls, max(1, workers))
