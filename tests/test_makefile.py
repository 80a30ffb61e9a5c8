"""`make test` sets up what the browser tests need, or stops at once saying how: run against
the real Makefile with a PATH that hides Chromium and fake `id`, `sudo` and `apt-get`."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")
INSTALL = (
    "apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver npm"
)


def _fake(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def _machine(tmp_path: Path, uid: int, sudo: str | None, browser: bool = False) -> Path:
    """A bin folder standing in for PATH: sh, a fake `id -u`, apt-get that logs its arguments
    and 'installs' chromium and chromedriver, optionally sudo; chromium only if `browser`."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "sh").symlink_to(shutil.which("sh") or "/bin/sh")
    _fake(bin_, "id", f'[ "$1" = -u ] && echo {uid}')
    log = tmp_path / "apt.log"
    fake_tool = "#!/bin/sh\\nexit 0\\n"
    _fake(
        bin_,
        "apt-get",
        f'echo "$(/usr/bin/id -u 2>/dev/null || echo ?) $*" >> {log}\n'
        f'if [ "$1" = install ]; then for t in chromium chromedriver npm; do '
        f"printf '{fake_tool}' > {bin_}/$t; /bin/chmod 755 {bin_}/$t; done; fi",
    )
    if sudo is not None:
        _fake(bin_, "sudo", sudo)
    if browser:
        for tool in ("chromium", "chromedriver", "npm"):
            _fake(bin_, tool, "exit 0")
    return bin_


def _make(target: str, bin_: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items() if k != "KAARTSPEL_SKIP_BROWSER"}
    env["PATH"] = str(bin_)
    started = time.monotonic()
    result = subprocess.run(
        [str(MAKE), "--no-print-directory", "-C", str(ROOT), target],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, time.monotonic() - started


def _apt_calls(tmp_path: Path) -> list[str]:
    log = tmp_path / "apt.log"
    return [line.split(" ", 1)[1] for line in log.read_text().splitlines()] if log.exists() else []


def test_make_test_without_root_stops_at_once_with_the_command(tmp_path: Path) -> None:
    bin_ = _machine(tmp_path, uid=1000, sudo="exit 1")  # sudo asks for a password
    result, seconds = _make("test", bin_)
    assert result.returncode != 0
    assert seconds < 5
    assert result.stderr.startswith(
        "make test: Chromium, chromedriver or npm is missing (needed for the browser tests). Run:\n"
        f"  sudo sh -c '{INSTALL}'\n"
        "then make test again (or KAARTSPEL_SKIP_BROWSER=1 make test to skip those tests).\n"
    )
    assert _apt_calls(tmp_path) == []
    assert "pytest" not in result.stdout  # stopped before the venv and the suite


def test_make_test_as_root_installs_chromium_first(tmp_path: Path) -> None:
    bin_ = _machine(tmp_path, uid=0, sudo=None)
    result, _ = _make("browser", bin_)  # the first step of `make test`
    assert result.returncode == 0, result.stderr
    assert _apt_calls(tmp_path) == [
        "update",
        "install -y --no-install-recommends chromium chromium-driver npm",
    ]
    assert all((bin_ / tool).exists() for tool in ("chromium", "chromedriver", "npm"))
    assert f"installing Chromium, chromedriver and npm: {INSTALL}" in result.stdout


def test_passwordless_sudo_installs_through_sudo(tmp_path: Path) -> None:
    log = tmp_path / "sudo.log"
    bin_ = _machine(tmp_path, uid=1000, sudo=f'[ "$1" = -n ] && shift; echo "$*" >> {log}; "$@"')
    result, _ = _make("browser", bin_)
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines() == [
        "true",
        "apt-get update",
        "apt-get install -y --no-install-recommends chromium chromium-driver npm",
    ]


def test_nothing_is_installed_when_chromium_is_there(tmp_path: Path) -> None:
    bin_ = _machine(tmp_path, uid=1000, sudo=None, browser=True)
    result, _ = _make("browser", bin_)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and _apt_calls(tmp_path) == []


def test_the_test_target_checks_the_browser_before_anything_else() -> None:
    rules = (ROOT / "Makefile").read_text().splitlines()
    assert "test: browser" in rules
    recipe = rules[rules.index("test: browser") + 1 :]
    assert recipe[0].strip().startswith("@$(MAKE)") and "$(BIN)/pytest" in recipe[1]
