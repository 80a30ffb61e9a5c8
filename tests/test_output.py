"""Writing a set of files (output.write_all, output.staged): each file staged as soon as its
bytes are there, in whatever order they come; the set replaced only once every file is
staged; a block left early (an error, Ctrl-C) replaces nothing and leaves no temporary file,
nor do bytes that come after it; bytes that never come (their Future failed) fail the set;
a Ctrl-C while the previous versions are removed still removes them all. The preview that
stages its files while it renders them, stopped halfway, leaves the previous previews."""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import Future
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DEFAULT_DECK
from kaartspel import cli, export, output


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_files_are_staged_as_their_bytes_come_before_the_set_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text("old")
    later: list[Future[bytes]] = [Future(), Future()]
    staged: list[str] = []
    real = output._stage

    def stage(path: Path, data: bytes | Future[bytes], mode: int) -> str:
        staged.append(path.name)
        return real(path, data, mode)

    monkeypatch.setattr(output, "_stage", stage)
    files: dict[Path, bytes | Future[bytes]] = {
        tmp_path / "a.txt": later[0],
        tmp_path / "b.txt": b"b",
        tmp_path / "c.txt": later[1],
    }
    with output.staged(files) as commit:
        later[1].set_result(b"c")  # the last file's bytes come first
        for _ in range(1000):  # 10 s at most
            if len(staged) == 2:
                break
            threading.Event().wait(0.01)
        assert sorted(staged) == ["b.txt", "c.txt"]  # staged already, a.txt not yet
        assert [(tmp_path / n).read_text() for n in ("a.txt", "b.txt", "c.txt")] == ["old"] * 3
        later[0].set_result(b"a")
        assert commit() == list(files)  # the set's order
    assert [(tmp_path / n).read_text() for n in ("a.txt", "b.txt", "c.txt")] == ["a", "b", "c"]
    assert _names(tmp_path) == ["a.txt", "b.txt", "c.txt"]  # no temporary file, no lock


@pytest.mark.parametrize("stop", [ValueError, KeyboardInterrupt])
def test_a_block_left_early_replaces_nothing_and_leaves_no_temporary_file(
    tmp_path: Path, stop: type[BaseException]
) -> None:
    (tmp_path / "a.txt").write_text("old")
    never: Future[bytes] = Future()  # its bytes never come
    files: dict[Path, bytes | Future[bytes]] = {
        tmp_path / "a.txt": b"new",
        tmp_path / "b.txt": b"b",
        tmp_path / "c.txt": never,
    }
    with pytest.raises(stop), output.staged(files):
        raise stop()
    assert _names(tmp_path) == ["a.txt"]
    assert (tmp_path / "a.txt").read_text() == "old"


def test_bytes_that_come_after_the_block_was_left_are_not_staged(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old")
    late: Future[bytes] = Future()
    files: dict[Path, bytes | Future[bytes]] = {
        tmp_path / "a.txt": b"new",
        tmp_path / "b.txt": late,
    }
    with pytest.raises(KeyboardInterrupt), output.staged(files):
        raise KeyboardInterrupt
    late.set_result(b"b")  # its callback finds the stagers stopped
    assert _names(tmp_path) == ["a.txt"]
    assert (tmp_path / "a.txt").read_text() == "old"


def test_bytes_that_never_come_fail_the_set_and_replace_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old")
    failing: Future[bytes] = Future()
    files: dict[Path, bytes | Future[bytes]] = {
        tmp_path / "a.txt": b"new",
        tmp_path / "b.txt": failing,
        tmp_path / "c.txt": b"c",
    }
    with pytest.raises(ValueError, match="^no bytes$"), output.staged(files) as commit:
        failing.set_exception(ValueError("no bytes"))
        commit()
    assert _names(tmp_path) == ["a.txt"]
    assert (tmp_path / "a.txt").read_text() == "old"


def test_ctrl_c_while_the_previous_versions_are_removed_still_removes_them_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"f{n}.txt" for n in range(5)]
    for name in names:
        (tmp_path / name).write_text("old")
    real = output.ThreadPoolExecutor

    def pool(workers: int, thread_name_prefix: str = "") -> object:
        if thread_name_prefix == "drop":
            raise KeyboardInterrupt  # while the threads that remove them are started
        return real(workers, thread_name_prefix=thread_name_prefix)

    monkeypatch.setattr(output, "ThreadPoolExecutor", pool)
    with pytest.raises(KeyboardInterrupt):
        output.write_all({tmp_path / name: b"new" for name in names})
    assert _names(tmp_path) == names  # no previous version (.NAME.*.old.tmp) left
    assert {(tmp_path / name).read_text() for name in names} == {"new"}


def _ctrl_c_at_the_first_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real Ctrl-C (SIGINT to this process) as the set's first file is about to be renamed."""
    real = output._keep_old

    def keep_old(path: Path) -> str | None:
        if not sent:
            sent.append(path)
            os.kill(os.getpid(), signal.SIGINT)
        return real(path)

    sent: list[Path] = []
    monkeypatch.setattr(output, "_keep_old", keep_old)


def test_ctrl_c_during_the_renames_comes_once_the_whole_set_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"f{n}.txt" for n in range(5)]
    for name in names:
        (tmp_path / name).write_text("old")
    _ctrl_c_at_the_first_rename(monkeypatch)
    before = output.sets_written()
    with pytest.raises(KeyboardInterrupt):
        output.write_all({tmp_path / name: b"new" for name in names})
    assert output.sets_written() == before + 1
    assert _names(tmp_path) == names  # no staged file, no previous version left
    assert {(tmp_path / name).read_text() for name in names} == {"new"}


def test_a_command_stopped_after_its_outputs_are_written_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["build", "--deck", str(DEFAULT_DECK), "--out", "o", "--no-booklet", "--quiet"]
    assert CliRunner().invoke(cli.main, args).exit_code == 0
    sheets = tmp_path / "o" / "kaarten.pdf"
    sheets.write_bytes(b"old")
    _ctrl_c_at_the_first_rename(monkeypatch)
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 130, result.output
    assert result.output == (
        "Interrupted (Ctrl-C); stopped. The new outputs had already been written.\n"
    )
    assert sheets.read_bytes().startswith(b"%PDF")
    assert not [p for p in (tmp_path / "o").rglob("*") if p.suffix == ".tmp"]
    # the next command stopped before writing says the outputs are unchanged again
    monkeypatch.setattr(output, "_stage", _interrupt)
    result = CliRunner().invoke(cli.main, args)
    assert (result.exit_code, result.output) == (
        130,
        "Interrupted (Ctrl-C); stopped. Outputs written before are unchanged.\n",
    )


def _interrupt(*args: object) -> str:
    raise KeyboardInterrupt


def test_a_preview_stopped_while_rendering_leaves_the_previous_previews(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["preview", "--deck", str(DEFAULT_DECK), "--out", "o", "--quiet", "--dpi", "40"]
    assert CliRunner().invoke(cli.main, args).exit_code == 0
    folder = tmp_path / "o" / "preview"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = export._render
    count = [0]

    def render(document: object, index: int, width: int, height: int) -> export.Raster:
        count[0] += 1
        if count[0] == 60:  # a good many faces made and staged by now
            raise KeyboardInterrupt
        return real(document, index, width, height)

    monkeypatch.setattr(export, "_render", render)
    result = CliRunner().invoke(cli.main, [*args[:-1], "50"])
    assert result.exit_code == 130, result.output
    assert result.output == "Interrupted (Ctrl-C); stopped. Outputs written before are unchanged.\n"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no temporary file
    assert _names(tmp_path / "o") == ["preview"]
