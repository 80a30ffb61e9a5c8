#!/usr/bin/env python3
"""Benchmark `kaartspel preview` and `kaartspel build --layout png` on the default deck.

    .venv/bin/python bench/preview.py [--repeats 5] [--baseline REV] [--rev REV]

Each command runs as a fresh subprocess, `--repeats` times, interleaved with the same command
at the baseline revision (default f8cf59f, main when issue 17's preview work began: its src/
and deck/ exported to a temporary folder, first on PYTHONPATH, this interpreter; '' for none).
Wall: perf_counter around the subprocess; peak RSS: `/usr/bin/time -v` (bench/run.py's `run`).
Prints the medians with every run, the ratio to the baseline and issue 17's targets with a
verdict. Children cache bytecode in a temporary PYTHONPYCACHEPREFIX; one warm-up run each
fills it. --rev REV measures a git revision instead of the work tree.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402 - bench/run.py: its runner, baselines and verdicts

TARGETS = {"preview": (2.0, 150.0), "build --layout png": (4.0, None)}  # seconds, MiB
BASELINE = "f8cf59f"  # main when issue 17's preview and PNG work began


def commands(kaartspel: list[str], deck: Path, out: Path) -> dict[str, list[str]]:
    return {
        "preview": kaartspel + ["preview", "--deck", str(deck), "--out", str(out / "p")],
        "build --layout png": kaartspel
        + ["build", "--layout", "png", "--deck", str(deck), "--out", str(out / "b")],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--baseline", default=BASELINE, help="revision run interleaved ('' for none)")
    ap.add_argument("--rev", help="benchmark this git revision instead of the work tree")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kaartspel-bench-preview-"))
    bench.ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    try:
        if args.rev:
            bench.export(args.rev, tmp / "rev")
        git = ["git", "-C", str(bench.REPO), "describe", "--always"]
        git += [args.rev] if args.rev else ["--dirty"]
        rev = subprocess.run(git, capture_output=True, text=True).stdout.strip() or "?"
        cards = len(bench.default_cards())
        print(
            f"# kaartspel preview and PNG export\n\ngit {rev}, nproc {os.cpu_count()}, Python "
            f"{sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}, load before "
            f"{os.getloadavg()[0]:.2f}; default deck ({cards} cards); medians of {args.repeats}, "
            "interleaved"
        )
        runs: dict[str, tuple[list[str], dict[str, str] | None]] = {}
        for name, cmd in commands(bench.KAARTSPEL, bench.DECK, tmp / "ours").items():
            runs[name] = (cmd, None)
        base = None
        if args.baseline:
            base = bench.baseline(args.baseline, "baseline", tmp / f"base-{args.baseline}")
            theirs = commands(base.kaartspel(), base.root / "deck", tmp / "base")
            for name, cmd in theirs.items():
                runs[f"{name} at {base.rev}"] = (cmd, base.env)
        for cmd, env in runs.values():
            bench.run(cmd, env)  # warm-up: fills the bytecode cache
        wall: dict[str, list[float]] = {name: [] for name in runs}
        rss: dict[str, list[float]] = {name: [] for name in runs}
        for rep in range(args.repeats):
            for name, (cmd, env) in runs.items():
                w, r = bench.run(cmd, env)
                wall[name].append(w)
                rss[name].append(r)
                print(
                    f"  rep {rep + 1}/{args.repeats} {name:32s} {w:6.2f} s {r:5.0f} MiB",
                    file=sys.stderr,
                    flush=True,
                )
        med, text = bench.med, bench.runs_text
        print("\n| command | wall s | peak RSS MiB |\n|---|---|---|")
        for name in runs:
            print(
                f"| {name} | {med(wall[name]):.2f} [{text(wall[name], '.2f')}] | "
                f"{med(rss[name]):.0f} [{text(rss[name], '.0f')}] |"
            )
        if base is not None:
            for name in TARGETS:
                then = f"{name} at {base.rev}"
                print(
                    f"| **ratio** {name} / at {base.rev} | "
                    f"**{med(wall[name]) / med(wall[then]):.2f}x** | "
                    f"**{med(rss[name]) / med(rss[then]):.2f}x** |"
                )
        print("\n### targets\n\n| target | value | verdict |\n|---|---|---|")
        for name, (seconds, mib) in TARGETS.items():
            value = med(wall[name])
            print(f"| {name} <= {seconds:g} s | {value:.2f} s | {bench.verdict(value, seconds)} |")
            if mib is not None:
                value = med(rss[name])
                print(f"| {name} <= {mib:g} MiB | {value:.0f} MiB | {bench.verdict(value, mib)} |")
        print(f"\nload after the runs: {os.getloadavg()[0]:.2f}")
    finally:
        if args.keep:
            print(f"\nkept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
