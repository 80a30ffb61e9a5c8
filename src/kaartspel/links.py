"""Checking the deck's links before a print run: every URL once, concurrently, with a timeout.

Redirects are followed and reported; 4xx/5xx answers, timeouts and unreachable hosts are
broken links. Runs only when asked (`kaartspel links`), never during a build.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .model import Card

USER_AGENT = "kaartspel-linkcheck/1.0 (+https://github.com/kaartspel)"


@dataclass(frozen=True)
class Result:
    url: str
    status: int | None  # final HTTP status, None when there was no answer
    final_url: str
    problem: str | None  # None when the link works

    @property
    def redirected(self) -> bool:
        return self.final_url != self.url


def _request(url: str, method: str, timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
        return response.status, response.geturl()


def check_url(url: str, timeout: float) -> Result:
    """Check one URL: HEAD first, GET when the server does not allow HEAD."""
    try:
        try:
            status, final = _request(url, "HEAD", timeout)
        except urllib.error.HTTPError as exc:
            if exc.code not in (403, 405, 501):
                raise
            status, final = _request(url, "GET", timeout)
        return Result(url, status, final, None)
    except urllib.error.HTTPError as exc:
        return Result(url, exc.code, exc.geturl() or url, f"{exc.code} {exc.reason}")
    except TimeoutError:
        return Result(url, None, url, f"no answer within {timeout:g} s")
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return Result(url, None, url, f"no answer within {timeout:g} s")
        return Result(url, None, url, f"cannot connect: {reason}")
    except (OSError, ValueError) as exc:
        return Result(url, None, url, f"cannot connect: {exc}")


def check_cards(cards: list[Card], timeout: float = 10.0, workers: int = 8) -> dict[str, Result]:
    """Results per distinct URL of the cards' links (each URL is fetched once)."""
    urls = sorted({link.url for card in cards for link in card.links})
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(lambda u: check_url(u, timeout), urls))
    return dict(zip(urls, results, strict=True))
