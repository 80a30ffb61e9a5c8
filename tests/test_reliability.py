"""A print run must not fail on the day: interrupted builds, write errors, determinism,
hostile files. Everything through the real CLI."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DEFAULT_DECK, ROOT, run_cli
from kaartspel import cli, output


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("first")
    assert run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(out)).returncode == 0
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_killed_builds_leave_previous_outputs_intact(tmp_path: Path, first_build) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name, data in first_build.items():
        (out / name).write_bytes(data)
    rng = random.Random(2026)
    for _ in range(20):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kaartspel",
                "build",
                "--deck",
                str(DEFAULT_DECK),
                "--out",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.0, 1.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        finished = {k: v for k, v in _outputs(out).items() if not k.startswith(".")}
        assert finished == first_build
    assert run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(out)).returncode == 0
    # the next build succeeds and clears the temporary files the killed builds left behind
    assert _outputs(out) == first_build


def test_a_successful_build_leaves_no_temporary_file(tmp_path: Path) -> None:
    assert run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(tmp_path)).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "kaarten.layout.json",
        "kaarten.pdf",
        "planblad-a4.pdf",
        "planblad.pdf",
        "spelregels-boekje.pdf",
        "spelregels.pdf",
    ]


@pytest.mark.parametrize("seed", ["0", "1", "4242"])
def test_outputs_are_identical_across_hash_seeds(tmp_path: Path, first_build, seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kaartspel",
            "build",
            "--deck",
            str(DEFAULT_DECK),
            "--out",
            str(tmp_path),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert _outputs(tmp_path) == first_build


def test_output_folder_that_is_a_file_exits_6(tmp_path: Path) -> None:
    target = tmp_path / "not-a-folder"
    target.write_text("keep me")
    result = run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(target), cwd=tmp_path)
    assert result.returncode == 6
    assert result.stderr == (
        "not-a-folder: this is a file, not a folder; choose an output folder with --out.\n"
    )
    assert target.read_text() == "keep me"


def test_output_folder_that_cannot_be_created_exits_6(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli(
        "build", "--deck", str(DEFAULT_DECK), "--out", str(blocker / "sub"), cwd=tmp_path
    )
    assert result.returncode == 6
    assert result.stderr.startswith("file/sub: cannot create the output folder: ")
    assert "Traceback" not in result.stderr


def test_a_full_disk_exits_6_and_keeps_previous_outputs(
    tmp_path: Path, first_build, monkeypatch
) -> None:
    for name, data in first_build.items():
        (tmp_path / name).write_bytes(data)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", full)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["build", "--deck", str(DEFAULT_DECK), "--out", "."])
    assert result.exit_code == 6, result.output
    assert "cannot write the output: No space left on device" in result.output
    assert "previous outputs are unchanged" in result.output
    assert _outputs(tmp_path) == first_build  # no temporary file left either


def test_one_file_of_many_that_cannot_be_written_leaves_every_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the files of a set are written several at a time: one failing among them (not the
    # first) still leaves the whole previous set and no temporary file, and the message
    # names that file
    monkeypatch.chdir(tmp_path)
    args = ["preview", "--deck", str(DEFAULT_DECK), "--out", "o", "--quiet"]
    assert CliRunner().invoke(cli.main, args).exit_code == 0
    before = _outputs(tmp_path / "o" / "preview")
    assert len(before) > 100
    real = output._stage

    def stage(path: Path, data: bytes, mode: int) -> str:
        if path.name == "M05-back.png":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, data, mode)

    monkeypatch.setattr(output, "_stage", stage)
    result = CliRunner().invoke(cli.main, [*args, "--dpi", "100"])
    assert result.exit_code == 6, result.output
    assert result.output == (
        "o/preview/M05-back.png: cannot write the output: No space left on device. The "
        "previous outputs are unchanged; free some space or choose another folder with --out.\n"
    )
    assert _outputs(tmp_path / "o" / "preview") == before  # no temporary file left either
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["preview"]


def test_a_card_file_linking_outside_the_deck_is_refused(tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(DEFAULT_DECK, deck)
    secret = tmp_path / "secret.yaml"
    secret.write_text("cards: []\n")
    (deck / "cards" / "zz.yaml").symlink_to(secret)
    result = run_cli("check", "--deck", "deck", cwd=tmp_path)
    assert result.returncode == 4
    assert result.stderr.startswith("deck/cards/zz.yaml: this file points outside the deck folder")


def _deck_with_card(tmp_path: Path, card_yaml: str) -> Path:
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "examples" / "minimal", deck)
    (deck / "cards" / "extra.yaml").write_text(card_yaml, encoding="utf-8")
    return deck


def test_a_character_the_font_cannot_draw_names_card_and_code_point(tmp_path: Path) -> None:
    _deck_with_card(
        tmp_path,
        "cards:\n  - id: X1\n    type: tip\n    title: Veilig 🚨 samen\n    text: Een tekst.\n",
    )
    result = run_cli("build", "--deck", "deck", "--out", "out", cwd=tmp_path)
    assert result.returncode == 5
    assert result.stderr.splitlines()[0] == (
        "deck/cards/extra.yaml:2:5: card X1: the title has characters the font Lato-Bold (bold) "
        "cannot draw: '🚨' (U+1F6A8); name a font that has them in deck.yaml (style: fonts:) "
        "or replace them."
    )
    assert not (tmp_path / "out" / "kaarten.pdf").exists()


def test_a_url_too_long_for_a_scannable_qr_code_is_an_error(tmp_path: Path) -> None:
    url = "https://example.org/" + "a" * 400
    _deck_with_card(
        tmp_path,
        "cards:\n  - id: X1\n    type: tip\n    title: Lang\n"
        f"    text: Een tekst.\n    links:\n      - {{url: '{url}', kind: source}}\n",
    )
    result = run_cli("build", "--deck", "deck", "--out", "out", cwd=tmp_path)
    assert result.returncode == 5
    assert result.stderr.startswith(
        f"deck/cards/extra.yaml:2:5: card X1: the link {url} is too "
        "long for a scannable QR code on this card"
    )


def test_a_huge_deck_file_is_refused_quickly(tmp_path: Path) -> None:
    deck = _deck_with_card(tmp_path, "cards:\n" + "# filler\n" * 700_000)
    result = run_cli("check", "--deck", str(deck), cwd=tmp_path)
    assert result.returncode == 3
    assert "a deck file may be at most 5 MB" in result.stderr


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    _deck_with_card(tmp_path, "cards: " + "[" * 5000 + "]" * 5000 + "\n")
    result = run_cli("check", "--deck", "deck", cwd=tmp_path)
    assert result.returncode == 3
    assert "nests too deeply" in result.stderr
    assert "Traceback" not in result.stderr


def test_outputs_are_readable_like_any_new_file(tmp_path: Path) -> None:
    assert run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(tmp_path)).returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    for path in tmp_path.iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~mask, path.name
