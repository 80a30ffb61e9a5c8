"""The designer's loop: `kaartspel new`, `kaartspel watch`, previews that show problems, a paged
contact sheet and progress on long work, all through the real command line."""

from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import run_cli


def new_deck(folder: Path, *extra: str) -> Path:
    result = run_cli("new", str(folder), *extra)
    assert result.returncode == 0, result.stderr
    return folder


def colour_near(pixels: np.ndarray, rgb: tuple[int, int, int], tolerance: int = 18) -> np.ndarray:
    return np.all(np.abs(pixels.astype(int) - np.array(rgb)) <= tolerance, axis=-1)


# ------------------------------------------------------------------------------------ new
def test_new_then_build_shows_the_starter_deck_with_its_logo(tmp_path: Path) -> None:
    deck = new_deck(tmp_path / "x")
    names = sorted(p.relative_to(deck).as_posix() for p in deck.rglob("*") if p.is_file())
    assert names == [
        "assets/logo.svg",
        "cards/cards.yaml",
        "deck.yaml",
        "design.yaml",
        "rules.md",
    ]
    assert "# " in (deck / "deck.yaml").read_text()  # the keys are explained
    result = run_cli("build", "--deck", str(deck), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    written = [Path(line).name for line in result.stdout.splitlines()]
    assert "kaarten.pdf" in written and "spelregels.pdf" in written
    pdf = tmp_path / "out" / "kaarten.pdf"
    manifest = json.loads((tmp_path / "out" / "kaarten.layout.json").read_text())
    with_cards = [page for page in manifest["pages"] if page["slots"]]
    assert [page["side"] for page in with_cards] == ["front", "back"]  # one sheet: six cards
    back_page = with_cards[1]
    assert len(back_page["slots"]) == 6
    scale = 100 / 72
    document = pdfium.PdfDocument(str(pdf))
    page = document[back_page["index"]]
    image = np.asarray(page.render(scale=scale).to_pil().convert("RGB"))
    height = image.shape[0]
    for slot in back_page["slots"]:
        x0, y0, x1, y1 = slot["trim"]
        box = image[
            round(height - y1 * scale) : round(height - y0 * scale),
            round(x0 * scale) : round(x1 * scale),
        ]
        ground = (34, 50, 74) if slot["card"].startswith("R") else None
        # the logo: a white disc and both of its cards (gold and blue) on every back
        assert colour_near(box, (255, 255, 255), 6).mean() > 0.05, slot["card"]
        for colour in ((224, 165, 38), (47, 127, 184)):
            share = colour_near(box, colour).mean()
            assert share > 0.01, (slot["card"], colour)
            if ground is not None:  # on the dark rule backs these colours are the logo's only
                assert share < 0.2
    document.close()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_new_in_another_language_builds(tmp_path: Path, language: str) -> None:
    deck = new_deck(tmp_path / "x", "--lang", language)
    assert f"language: {language}" in (deck / "deck.yaml").read_text()
    result = run_cli("check", "--deck", str(deck))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 6 cards"), result.stdout


def test_new_refuses_a_folder_that_holds_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = run_cli("new", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == (
        f"{tmp_path}: the folder is not empty; kaartspel new writes a deck only into a new or "
        "empty folder.\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


# ----------------------------------------------------------------- previews with problems
def overflowing(folder: Path) -> Path:
    deck = new_deck(folder)
    cards = deck / "cards" / "cards.yaml"
    text = cards.read_text()
    long = " ".join(["The first player without cards in their hand wins, and all cheer."] * 30)
    cards.write_text(
        text.replace(
            "text: The first player without cards in their hand wins the game.", f"text: {long}"
        )
    )
    return deck


def test_a_card_that_does_not_fit_is_previewed_in_red_and_exits_5(tmp_path: Path) -> None:
    deck = overflowing(tmp_path / "x")
    out = tmp_path / "out"
    result = run_cli("preview", "--deck", str(deck), "--out", str(out), "--dpi", "100")
    assert result.returncode == 5
    lines = result.stderr.splitlines()
    assert re.fullmatch(
        rf"{re.escape(str(deck))}/cards/cards\.yaml:\d+:5: card R2: the text does not fit: "
        r"it needs [\d.]+ mm at the smallest size \(6\.5 pt\) but the card has [\d.]+ mm; "
        r"shorten it by about \d+ % \(design .*design\.yaml:\d+:\d+\)\.",
        lines[0],
    ), lines[0]
    assert lines[-1] == "1 card does not fit; its preview shows where, outlined in red."
    assert str(out / "preview" / "R2-front.png") in result.stdout.splitlines()
    manifest = json.loads((out / "preview" / "preview.json").read_text())
    face = next(f for f in manifest["faces"] if f["card"] == "R2" and f["side"] == "front")
    (problem,) = face["problems"]
    assert problem["element"] == "text"
    x0, y0, x1, y1 = problem["box"]
    image = np.asarray(Image.open(out / "preview" / "R2-front.png").convert("RGB"))
    k = manifest["dpi"] / 72
    height = image.shape[0]
    inside = image[round(height - y1 * k) : round(height - y0 * k), round(x0 * k) : round(x1 * k)]
    red = colour_near(inside, (230, 13, 13), 40)
    assert red.sum() > 200  # the outline and the note
    assert red[:, :4].any() and red[:, -4:].any()  # the outline runs along both sides
    others = [f for f in manifest["faces"] if f["card"] != "R2" and f["side"] == "front"]
    for other in others:
        pixels = np.asarray(Image.open(out / "preview" / other["file"]).convert("RGB"))
        assert not colour_near(pixels, (230, 13, 13), 40).any(), other["card"]


def test_preview_keeps_only_the_files_of_its_cards(tmp_path: Path) -> None:
    deck = new_deck(tmp_path / "x")
    out = tmp_path / "out"
    assert run_cli("preview", "--deck", str(deck), "--out", str(out), "--dpi", "40").returncode == 0
    (out / "preview" / "notes.txt").write_text("mine")
    result = run_cli("preview", "--deck", str(deck), "--out", str(out), "--dpi", "40", "--id", "R1")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "preview").iterdir()) == [
        "R1-back.png",
        "R1-front.png",
        "notes.txt",
        "overzicht-r1-1.png",
        "overzicht-r1.pdf",
        "preview.json",
    ]


# ------------------------------------------------------------------------------------ watch
class Watcher:
    """`kaartspel watch` running in the background, its output collected in files."""

    def __init__(self, deck: Path, out: Path, logs: Path, *extra: str) -> None:
        self.out_file = (logs / "watch.out").open("w+")
        self.err_file = (logs / "watch.err").open("w+")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kaartspel",
                "watch",
                "--deck",
                str(deck),
                "--out",
                str(out),
                "--dpi",
                "60",
                *extra,
            ],
            stdout=self.out_file,
            stderr=self.err_file,
            text=True,
        )
        self.logs = logs

    def stderr(self) -> str:
        return (self.logs / "watch.err").read_text()

    def wait_for(self, condition, what: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if condition():
                return
            assert self.process.poll() is None, f"watch stopped: {self.stderr()}"
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; stderr:\n{self.stderr()}")

    def rounds(self) -> int:
        return self.stderr().count("cards redrawn in")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        self.out_file.close()
        self.err_file.close()
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def mtimes(folder: Path) -> dict[str, int]:
    return {
        p.name: p.stat().st_mtime_ns for p in folder.glob("*-*.png") if "overzicht" not in p.name
    }


def test_watch_redraws_changed_cards_reports_problems_and_stops_cleanly(tmp_path: Path) -> None:
    deck = new_deck(tmp_path / "x")
    out = tmp_path / "out"
    preview = out / "preview"
    watcher = Watcher(deck, out, tmp_path, "--serve", "--port", "0")
    try:
        watcher.wait_for(lambda: watcher.rounds() == 1, "the first round")
        watcher.wait_for(lambda: (out / "kaarten.pdf").exists(), "the PDF")
        before = mtimes(preview)
        assert len(before) == 12
        # the address is printed once the first round is done: wait for it, not for the round
        address = r"watch: previews on http://127\.0\.0\.1:(\d+)/"
        watcher.wait_for(lambda: re.search(address, watcher.stderr()), "the local address")
        port = re.search(address, watcher.stderr())
        assert port is not None
        page = urllib.request.urlopen(f"http://127.0.0.1:{port[1]}/", timeout=10).read().decode()
        assert 'src="S1-front.png' in page
        version = urllib.request.urlopen(f"http://127.0.0.1:{port[1]}/version", timeout=10).read()
        old_png = (preview / "S1-front.png").read_bytes()
        time.sleep(0.05)

        # a one-card edit: only that card's front is drawn again
        cards = deck / "cards" / "cards.yaml"
        good = cards.read_text()
        cards.write_text(good.replace("title: Morning light", "title: Early morning light"))
        watcher.wait_for(lambda: watcher.rounds() == 2, "the round after the edit")
        after = mtimes(preview)
        changed = sorted(name for name in after if after[name] != before[name])
        assert changed == ["S1-front.png"]
        assert (preview / "S1-front.png").read_bytes() != old_png
        watcher.wait_for(
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{port[1]}/version").read() != version,
            "the served page's version",
        )

        # broken YAML: a located error on stderr, and the watcher keeps running
        cards.write_text(good.replace("    title: High noon", "    title: [High noon"))
        watcher.wait_for(lambda: "YAML syntax error" in watcher.stderr(), "the YAML error")
        assert re.search(r"cards/cards\.yaml:\d+:\d+: YAML syntax error", watcher.stderr())
        time.sleep(0.5)
        assert watcher.process.poll() is None

        # fixed: a fresh PNG
        stamp = (preview / "S1-front.png").stat().st_mtime_ns
        cards.write_text(good.replace("title: Morning light", "title: Light of the morning"))
        watcher.wait_for(
            lambda: (preview / "S1-front.png").stat().st_mtime_ns > stamp, "the fresh PNG"
        )
        watcher.wait_for(lambda: watcher.rounds() == 3, "the round after the fix")
    finally:
        code = watcher.stop() if watcher.process.poll() is None else watcher.process.returncode
        watcher.kill()
    assert code == 0, watcher.stderr()
    leftovers = [p for p in [*out.rglob("*"), *deck.rglob("*")] if p.name.endswith(".tmp")]
    assert leftovers == []


def test_watch_redraws_every_card_when_the_design_changes(tmp_path: Path) -> None:
    deck = new_deck(tmp_path / "x")
    out = tmp_path / "out"
    preview = out / "preview"
    watcher = Watcher(deck, out, tmp_path)
    try:
        watcher.wait_for(lambda: watcher.rounds() == 1, "the first round")
        before = {p.name: p.read_bytes() for p in preview.glob("*-*.png")}
        stamps = mtimes(preview)
        design = deck / "design.yaml"
        design.write_text(
            design.read_text().replace(
                "  body: {size: 9.0}", "  body: {size: 9.6}\n  back-title: {size: 13}"
            )
        )
        watcher.wait_for(lambda: watcher.rounds() == 2, "the round after the design change")
        after = mtimes(preview)
        assert sorted(after) == sorted(stamps)
        assert all(after[name] > stamps[name] for name in stamps)
        changed = [name for name in stamps if (preview / name).read_bytes() != before[name]]
        assert sorted(changed) == sorted(stamps)  # every front and every back looks different
    finally:
        code = watcher.stop()
        watcher.kill()
    assert code == 0


# ------------------------------------------------------------------ many cards, progress
@pytest.mark.slow
def test_a_2000_card_deck_gets_a_paged_contact_sheet_and_progress_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a plain line every 0.05 s, so the lines do not depend on how fast this machine is
    monkeypatch.setenv("KAARTSPEL_PROGRESS_EVERY", "0.05")
    deck = new_deck(tmp_path / "x")
    lines = ["cards:"]
    for n in range(2000):
        suit = ("sun", "moon")[n % 2]
        lines += [
            f"  - id: C{n:04d}",
            "    type: action",
            f"    segment: {suit}",
            f"    title: Card {n}",
            "    text: Draw a card.",
        ]
    (deck / "cards" / "cards.yaml").write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = run_cli("preview", "--deck", str(deck), "--out", str(out), "--dpi", "30", timeout=1200)
    assert result.returncode == 0, result.stderr
    progress = result.stderr.splitlines()
    assert progress and all(
        re.fullmatch(r"[a-z ]+: \d+/\d+( \(\d+ %\), about \d+ s left| in [\d.]+ s)", line)
        for line in progress
    ), progress
    assert any(line.startswith("laying out: ") and "s left" in line for line in progress)
    pages = math.ceil(2000 / 48)
    sheet = out / "preview" / "overzicht.pdf"
    assert len(PdfReader(str(sheet)).pages) == pages
    for number in range(1, pages + 1):
        with Image.open(out / "preview" / f"overzicht-{number}.png") as image:
            image.load()
            assert image.width < 2000 and image.height < 3000
    assert not (out / "preview" / f"overzicht-{pages + 1}.png").exists()

    quiet = run_cli(
        "preview", "--deck", str(deck), "--out", str(out), "--dpi", "30", "--quiet", timeout=1200
    )
    assert quiet.returncode == 0
    assert quiet.stderr == ""
    paths = quiet.stdout.splitlines()
    assert len(paths) == 2 * 2000 + 1 + pages + 1
    assert all(Path(p).is_file() for p in paths)


def test_progress_is_quiet_for_short_work(tmp_path: Path) -> None:
    deck = new_deck(tmp_path / "x")
    result = run_cli("build", "--deck", str(deck), "--out", str(tmp_path / "out"))
    assert result.returncode == 0
    assert result.stderr == ""
    assert all(Path(p).is_file() for p in result.stdout.splitlines())


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_on_a_terminal_is_a_bar_with_counts_and_eta() -> None:
    code = (
        "import sys, time\n"
        "from kaartspel import progress\n"
        "progress.configure(False)\n"
        "for _ in progress.track(range(60), 'laying out'): time.sleep(0.01)\n"
    )
    main, child = os.openpty()
    process = subprocess.Popen([sys.executable, "-c", code], stderr=child, stdout=child)
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(main)
    shown = b"".join(chunks).decode()
    assert "laying out" in shown and "60/60" in shown


def test_build_png_and_site_print_progress_lines_to_a_log(tmp_path: Path) -> None:
    deck = new_deck(tmp_path / "x")
    cards = deck / "cards" / "cards.yaml"
    extra = "".join(
        f"\n  - id: E{n:02d}\n    type: action\n    segment: sun\n    title: Extra {n}\n"
        "    text: Draw a card.\n"
        for n in range(60)
    )
    cards.write_text(cards.read_text() + extra)
    env = {**os.environ, "KAARTSPEL_PROGRESS_EVERY": "0"}
    for command, labels in (
        (
            ["build", "--layout", "png", "--dpi", "72", "--no-booklet"],
            [("laying out", 66), ("drawing", 132), ("images", 132)],
        ),
        (["site"], [("site", 66)]),
    ):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "kaartspel",
                *command,
                "--deck",
                str(deck),
                "--out",
                str(tmp_path / "out"),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        for label, total in labels:
            assert f"{label}: {total}/{total} in " in result.stderr, result.stderr
            shown = rf"^{label}: \d+/{total} \(\d+ %\), about \d+ s left$"
            assert re.search(shown, result.stderr, re.M)
        assert all(Path(p).is_file() for p in result.stdout.splitlines())
        quiet = subprocess.run(
            [
                sys.executable,
                "-m",
                "kaartspel",
                *command,
                "--deck",
                str(deck),
                "--out",
                str(tmp_path / "out"),
                "--quiet",
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert quiet.returncode == 0 and quiet.stderr == ""
        assert quiet.stdout == result.stdout


def test_watch_says_why_filters_of_two_kinds_match_nothing_and_keeps_running(
    tmp_path: Path,
) -> None:
    """The same message as build's for an empty selection, kit hint included (filters.no_match)."""
    deck = new_deck(tmp_path / "x")
    watcher = Watcher(deck, tmp_path / "out", tmp_path, "--segment", "sun", "--type", "rule")
    try:
        hint = "use --kit.\n"
        watcher.wait_for(lambda: hint in watcher.stderr(), "the message")
        assert (
            "no card matches these filters; nothing was written. Filters of different kinds "
            "must all hold for a card (--segment and --type); to gather the cards of several "
            "kinds in one set, list them in a kit (kits: in deck.yaml) and use --kit.\n"
        ) in watcher.stderr()
        time.sleep(0.3)
        assert watcher.process.poll() is None
    finally:
        code = watcher.stop()
        watcher.kill()
    assert code == 0
