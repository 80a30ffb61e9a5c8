#!/usr/bin/env python3
"""How soon after a save `kaartspel watch` has the changed card's preview on disk, against one
`kaartspel preview --id` run (issue 11: under 1 s for a one-card text change in the default deck).

    .venv/bin/python bench/watch.py [--repeats 5] [--card T04]

On a copy of the default deck: the median wall time of REPEATS fresh `kaartspel preview --id CARD`
processes; then one `kaartspel watch` process, and per repeat a one-word change of CARD's text
(alternating, so every save changes the card), timed from the write to the moment the new
CARD-front.png replaced the old one (polled every 5 ms). Prints both medians, every run and the
ratio; nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KAARTSPEL = [sys.executable, "-m", "kaartspel"]


def card_file(deck: Path, card: str) -> Path:
    for path in sorted((deck / "cards").glob("*.yaml")):
        if re.search(rf"^\s*- id: {card}\s*$", path.read_text(), re.M):
            return path
    raise SystemExit(f"no card {card} in {deck}")


def edit(path: Path, card: str, n: int) -> None:
    """Change one word of the card's text: 'Nieuw' or 'Ook' in front of it, by turn."""
    text = path.read_text()
    start = re.search(rf"^\s*- id: {card}\s*$", text, re.M)
    assert start is not None
    at = text.index("text:", start.end())
    body = text[at + len("text:") :]
    # the text itself, or its Dutch version (text: {nl: ..., fr: ...}), folded (>-) or not
    start_of_text = r"^(\s*(?:nl:\s*)?(?:>-\n\s*)?)(?:Nieuw |Ook )?"
    word = ("Nieuw", "Ook")[n % 2]
    body = re.sub(start_of_text, rf"\g<1>{word} ", body, count=1)
    path.write_text(text[: at + len("text:")] + body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--card", default="T04")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        deck = Path(tmp) / "deck"
        shutil.copytree(REPO / "deck", deck)
        cards = card_file(deck, args.card)
        single = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            subprocess.run(
                [
                    *KAARTSPEL,
                    "preview",
                    "--deck",
                    str(deck),
                    "--out",
                    f"{tmp}/one",
                    "--id",
                    args.card,
                    "--quiet",
                ],
                check=True,
                capture_output=True,
            )
            single.append(time.perf_counter() - started)
        out = Path(tmp) / "watch"
        log = (Path(tmp) / "watch.err").open("w+")
        process = subprocess.Popen(
            [*KAARTSPEL, "watch", "--deck", str(deck), "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        png = out / "preview" / f"{args.card}-front.png"
        seen = 1

        def rounds() -> int:
            return (Path(tmp) / "watch.err").read_text().count("cards redrawn in")

        try:
            while rounds() < 1:
                time.sleep(0.05)
            loop = []
            for n in range(args.repeats):
                before = png.stat().st_mtime_ns
                edit(cards, args.card, n)
                started = time.perf_counter()
                while png.stat().st_mtime_ns == before:
                    time.sleep(0.005)
                loop.append(time.perf_counter() - started)
                seen += 1
                while rounds() < seen:  # let the round finish (contact sheet, PDF)
                    time.sleep(0.05)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
        a, b = statistics.median(single), statistics.median(loop)
        print(
            f"kaartspel preview --id {args.card}: median {a:.3f} s "
            f"[{', '.join(f'{x:.3f}' for x in single)}]"
        )
        print(
            f"watch, save to new {args.card}-front.png: median {b:.3f} s "
            f"[{', '.join(f'{x:.3f}' for x in loop)}]"
        )
        print(f"ratio: {b / a:.2f} (watch exit {process.returncode})")


if __name__ == "__main__":
    main()
