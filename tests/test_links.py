"""`kaartspel links` against a local HTTP server with good, redirecting, missing and slow pages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT

REQUESTS: list[str] = []  # every path the server was asked for, in order


class Handler(BaseHTTPRequestHandler):
    def _answer(self, body: bool) -> None:
        REQUESTS.append(self.path)
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/get-only" and self.command == "HEAD":
            self.send_response(405)
        elif self.path == "/get-only":
            self.send_response(200)
        elif self.path == "/slow":
            time.sleep(3)
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(True)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _deck(tmp_path: Path, base: str, paths: list[str]) -> Path:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "examples" / "minimal", deck)
    lines = ["cards:"]
    for k, path in enumerate(paths, start=1):
        lines += [
            f"  - id: L{k}",
            "    type: tip",
            f"    title: Link {k}",
            "    text: Een tekst.",
            "    links:",
            f"      - {{url: '{base}{path}', kind: website}}",
        ]
    (deck / "cards" / "links.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return deck


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, no_proxy="127.0.0.1", NO_PROXY="127.0.0.1")
    return subprocess.run(
        [sys.executable, "-m", "kaartspel", "links", "--deck", "deck", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_good_and_redirecting_links_pass(tmp_path: Path, server: str) -> None:
    _deck(tmp_path, server, ["/ok", "/moved", "/get-only"])
    result = _run(tmp_path, "--type", "tip")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"deck/cards/links.yaml:8:5: L2: redirected {server}/moved -> {server}/ok",
        "3 links on 4 cards (3 distinct): 2 ok, 1 redirected, 0 broken.",
    ]


def test_missing_and_slow_links_are_broken(tmp_path: Path, server: str) -> None:
    _deck(tmp_path, server, ["/ok", "/missing", "/slow"])
    start = time.monotonic()
    result = _run(tmp_path, "--type", "tip", "--timeout", "0.5")
    assert time.monotonic() - start < 20
    assert result.returncode == 7
    assert result.stdout.splitlines() == [
        f"deck/cards/links.yaml:8:5: L2: BROKEN {server}/missing: 404 Not Found",
        f"deck/cards/links.yaml:14:5: L3: BROKEN {server}/slow: no answer within 0.5 s",
    ]
    assert result.stderr == (
        "3 links on 4 cards (3 distinct): 1 ok, 0 redirected, 2 broken. "
        "Fix or replace the broken links before printing.\n"
    )


def test_build_never_checks_links(tmp_path: Path, server: str) -> None:
    _deck(tmp_path, server, ["/never-asked"])
    env = dict(os.environ, no_proxy="127.0.0.1")
    result = subprocess.run(
        [sys.executable, "-m", "kaartspel", "build", "--deck", "deck", "--out", "out"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "/never-asked" not in REQUESTS  # the server saw no request for the deck's link
