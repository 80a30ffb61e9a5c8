#!/usr/bin/env python3
"""Benchmark `kaartspel build` against the floor (../shared/bench/limit_bench.py).

    .venv/bin/python bench/run.py [--ns 5000,20000] [--repeats 3] [--profile] [--rev REV]
                                  [--baseline REV]

Decks: for each N a temporary deck: the default deck.yaml less `kits` (selections by the default
deck's card ids, unused by a build without --kit), and the cards of deck/cards/*.yaml (files in
name order) repeated to N, with ids X00001.. and `k=<n>` added to every link URL's query (`?k=`,
or `&k=` where it has one), so every card has its own QR code; texts kept; CHUNK cards a file (a
deck file may hold 5 MB / 200 000 values). Deterministic; no rules.md: cards only, like the floor.

Runs: per repeat, `kaartspel build` and the floor (`limit_bench.py N --qr zxing`, this interpreter)
alternate as fresh subprocesses, so drift on a shared host hits both alike. Wall: perf_counter
around the subprocess; peak RSS: `/usr/bin/time -v`, or getrusage(RUSAGE_CHILDREN) in a fresh
wrapper per run. Medians, with every run. Also: the default deck's build as users run it (median
of 7; with the rules booklet if deck/rules.md exists, plus --no-booklet for information),
`kaartspel check` and `kaartspel --help` (median of 7 each). --baseline REV: that revision's
default-deck build runs interleaved with this one's (same run, same load), for the ratio.
--profile: cProfile of one in-process 5000-card build (the largest N up to 5000).

Children cache bytecode in a temporary PYTHONPYCACHEPREFIX (an installed tool's usual state, even
with PYTHONDONTWRITEBYTECODE; nothing is written under src/); a warm-up build fills it. The floor
is <repo>/../shared/bench/limit_bench.py (KAARTSPEL_SHARED overrides <repo>/../shared). --rev REV
measures a git revision instead of the work tree (a stable target while others edit): its src/,
deck/ (and, in old revisions, fonts/) are exported to the temporary folder and put first on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DECK = REPO / "deck"
SHARED = Path(os.environ.get("KAARTSPEL_SHARED", REPO.parent / "shared"))
FLOOR = SHARED / "bench" / "limit_bench.py"
_SCRIPT = Path(sys.executable).parent / "kaartspel"
KAARTSPEL = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "kaartspel"]
TIME_V = Path("/usr/bin/time")
CHUNK = 250  # cards per synthetic card file
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

# targets: ratios kaartspel / floor (defined at N=5000), and seconds
TARGET_TIME, TARGET_RSS, TARGET_BYTES = 1.5, 2.0, 1.4
TARGET_DEFAULT_S, TARGET_DEFAULT_RATIO, TARGET_CHECK_S, TARGET_HELP_S = 0.8, 0.6, 0.35, 0.3
TARGET_FLAT = 0.10  # per-card time and memory at the largest N within 10 % of N=5000's

# fallback for a missing /usr/bin/time: a fresh wrapper runs the command and reports its only
# child's peak RSS (ru_maxrss is in KiB on Linux)
_WRAPPER = (
    "import json, resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(json.dumps([rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
)


def default_cards() -> list[dict]:
    cards: list[dict] = []
    for path in sorted((DECK / "cards").glob("*.yaml")):
        cards += yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]
    return cards


def make_deck(folder: Path, n: int, source: list[dict]) -> Path:
    """Write a deck of n cards to folder/deck-<n>; returns the deck folder."""
    deck = folder / f"deck-{n}"
    (deck / "cards").mkdir(parents=True)
    meta = yaml.safe_load((DECK / "deck.yaml").read_text(encoding="utf-8"))
    meta.pop("kits", None)
    meta_text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    (deck / "deck.yaml").write_text(meta_text, encoding="utf-8")
    cards = []
    for k in range(1, n + 1):
        card = copy.deepcopy(source[(k - 1) % len(source)])
        card["id"] = f"X{k:05d}"
        for link in card.get("links", []):
            link["url"] += f"{'&' if '?' in link['url'] else '?'}k={k}"
        cards.append(card)
    for part, start in enumerate(range(0, n, CHUNK)):
        chunk = {"cards": cards[start : start + CHUNK]}
        text = yaml.safe_dump(chunk, allow_unicode=True, sort_keys=False, width=1000)
        (deck / "cards" / f"part-{part:03d}.yaml").write_text(text, encoding="utf-8")
    return deck


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run cmd once in a fresh process; (wall seconds, peak RSS MiB)."""
    if TIME_V.exists():
        cmd, out = [str(TIME_V), "-v", *cmd], subprocess.DEVNULL
    else:
        cmd, out = [sys.executable, "-c", _WRAPPER, *cmd], subprocess.PIPE
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, text=True, env=env or ENV)
    wall = time.perf_counter() - t
    if TIME_V.exists():
        rc = p.returncode
        line = [x for x in p.stderr.splitlines() if "Maximum resident set size" in x]
        kib = int(line[0].rsplit(" ", 1)[-1]) if line else 0
    else:
        rc, kib = json.loads(p.stdout) if p.returncode == 0 else (p.returncode, 0)
    if rc:
        sys.exit(f"failed ({rc}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    return wall, kib / 1024


med = statistics.median


def runs_text(xs: list[float], fmt: str) -> str:
    return ", ".join(format(x, fmt) for x in xs)


def verdict(value: float, limit: float) -> str:
    if value <= limit:
        return f"met ({value / limit:.0%} of the limit)"
    return f"MISSED by {value / limit - 1:.0%}"


def bench_n(tmp: Path, deck: Path, n: int, repeats: int) -> dict:
    """Interleaved runs for one N: {name: {"wall": [...], "rss": [...], "bpc": bytes/card}}."""
    out, floor_pdf = tmp / f"out-{n}", tmp / f"floor-{n}.pdf"
    cmds = {
        "kaartspel": KAARTSPEL + ["build", "--deck", str(deck), "--out", str(out)],
        "floor": [sys.executable, str(FLOOR), str(n), "--qr", "zxing", "--out", str(floor_pdf)],
    }
    res: dict[str, dict] = {name: {"wall": [], "rss": []} for name in cmds}
    for rep in range(repeats):
        for name, cmd in cmds.items():
            wall, rss = run(cmd)
            res[name]["wall"].append(wall)
            res[name]["rss"].append(rss)
            msg = f"  N={n} rep {rep + 1}/{repeats} {name:9s} {wall:7.2f} s {rss:6.0f} MiB"
            print(msg, file=sys.stderr, flush=True)
    res["kaartspel"]["bpc"] = (out / "kaarten.pdf").stat().st_size / n
    res["floor"]["bpc"] = floor_pdf.stat().st_size / n
    return res


def print_table(results: dict[int, dict], repeats: int) -> None:
    print(f"\n### kaartspel vs floor (median of {repeats}; every run in brackets)\n")
    print("| N | | wall s | ms/card | peak RSS MiB | PDF bytes/card |\n|---|---|---|---|---|---|")
    for n, r in results.items():
        for name in ("kaartspel", "floor"):
            x = r[name]
            print(
                f"| {n} | {name} | {med(x['wall']):.2f} [{runs_text(x['wall'], '.2f')}] | "
                f"{1000 * med(x['wall']) / n:.2f} | {med(x['rss']):.0f} "
                f"[{runs_text(x['rss'], '.0f')}] | {x['bpc']:.0f} |"
            )
        k, f = r["kaartspel"], r["floor"]
        print(
            f"| {n} | **ratio** | **{med(k['wall']) / med(f['wall']):.2f}x** | | "
            f"**{med(k['rss']) / med(f['rss']):.2f}x** | **{k['bpc'] / f['bpc']:.2f}x** |"
        )


def profile(deck: Path, out: Path, top: int = 15) -> None:
    import cProfile
    import io
    import pstats

    from kaartspel.build import BuildOptions, build
    from kaartspel.filters import Selection

    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.runcall(build, BuildOptions(deck, out, Selection()))
    wall = time.perf_counter() - t
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    text = buf.getvalue()
    body = text[text.index("   ncalls") :] if "   ncalls" in text else text
    print(f"\n### cProfile: one in-process build of {deck.name}, top {top} by tottime")
    print(f"\n{wall:.2f} s under the profiler\n\n```\n{body.rstrip()}\n```")


def export(rev: str, to: Path) -> None:
    """Export src/ and deck/ of a git revision to `to`; use them from now on."""
    global DECK
    paths = ["src", "deck"]
    old_fonts = ["git", "-C", str(REPO), "ls-tree", "--name-only", rev, "fonts"]
    if subprocess.run(old_fonts, capture_output=True, text=True).stdout.strip():
        paths.append("fonts")  # revisions from before the fonts moved into the package
    git = ["git", "-C", str(REPO), "archive", rev, *paths]
    tar = subprocess.run(git, capture_output=True, check=True).stdout
    to.mkdir()
    subprocess.run(["tar", "-x", "-C", str(to)], input=tar, check=True)
    DECK = to / "deck"
    ENV["PYTHONPATH"] = os.pathsep.join(filter(None, [str(to / "src"), ENV.get("PYTHONPATH")]))
    sys.path.insert(0, str(to / "src"))


def _tracked(rev: str, *names: str) -> list[str]:
    """Those of `names` that exist at the top of `rev` (fonts/ moved into the package)."""
    ls = ["git", "-C", str(REPO), "ls-tree", "--name-only", rev]
    top = set(subprocess.run(ls, capture_output=True, text=True, check=True).stdout.split())
    return [n for n in names if n in top]


def baseline(rev: str, to: Path) -> tuple[dict[str, str], list[str]]:
    """Export src/, deck/ and fonts/ of `rev`; (environment, command) building its default deck
    with the same interpreter and libraries."""
    git = ["git", "-C", str(REPO), "archive", rev, *_tracked(rev, "src", "deck", "fonts")]
    tar = subprocess.run(git, capture_output=True, check=True).stdout
    to.mkdir()
    subprocess.run(["tar", "-x", "-C", str(to)], input=tar, check=True)
    env = dict(
        ENV, PYTHONPATH=os.pathsep.join(filter(None, [str(to / "src"), ENV.get("PYTHONPATH")]))
    )
    cmd = [sys.executable, "-m", "kaartspel", "build", "--deck", str(to / "deck")]
    return env, cmd + ["--out", str(to / "out")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ns", default="5000,20000", help="comma-separated card counts")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="cProfile a 5000-card build")
    ap.add_argument("--baseline", help="also build the default deck at this git revision")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--rev", help="benchmark this git revision instead of the work tree")
    args = ap.parse_args()
    ns = [int(x) for x in args.ns.split(",")]
    if not FLOOR.is_file():
        sys.exit(f"floor not found: {FLOOR} (set KAARTSPEL_SHARED)")
    tmp = Path(tempfile.mkdtemp(prefix="kaartspel-bench-"))
    ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    try:
        if args.rev:
            export(args.rev, tmp / "rev")
        source = default_cards()
        git = ["git", "-C", str(REPO), "describe", "--always"]
        git += [args.rev] if args.rev else ["--dirty"]
        rev = subprocess.run(git, capture_output=True, text=True).stdout.strip() or "?"
        how = "/usr/bin/time -v" if TIME_V.exists() else "getrusage(RUSAGE_CHILDREN)"
        print(
            f"# kaartspel benchmark\n\ngit {rev}, nproc {os.cpu_count()}, Python "
            f"{sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}, load before "
            f"{os.getloadavg()[0]:.2f}; peak RSS via {how}; default deck {len(source)} cards"
        )
        build_default = KAARTSPEL + ["build", "--deck", str(DECK), "--out", str(tmp / "d")]
        run(build_default)  # warm-up: fills the bytecode cache
        base_env = base_build = None
        if args.baseline:
            base_env, base_build = baseline(args.baseline, tmp / "base")
            run(base_build, base_env)
        profile_n = max((n for n in ns if n <= 5000), default=min(ns))
        decks = {n: make_deck(tmp, n, source) for n in sorted(set(ns))}
        results = {n: bench_n(tmp, decks[n], n, args.repeats) for n in ns}
        print_table(results, args.repeats)

        rows: list[tuple[str, list[float]]] = []
        base_runs: list[float] = []
        ours: list[float] = []
        for _ in range(7):  # interleaved with the baseline's build when there is one
            ours.append(run(build_default)[0])
            if base_build is not None:
                base_runs.append(run(base_build, base_env)[0])
        rows.append((f"build default deck ({len(source)} cards)", ours))
        if base_runs:
            rows.append((f"... the same at {args.baseline} (baseline, interleaved)", base_runs))
        if (DECK / "rules.md").exists():
            nb = [run(build_default + ["--no-booklet"])[0] for _ in range(7)]
            rows.append(("... with --no-booklet (information)", nb))
        check = [run(KAARTSPEL + ["check", "--deck", str(DECK)])[0] for _ in range(7)]
        rows.append(("kaartspel check (default deck)", check))
        rows.append(("kaartspel --help", [run(KAARTSPEL + ["--help"])[0] for _ in range(7)]))
        print("\n### start-up\n\n| command | median s | runs |\n|---|---|---|")
        for label, ts in rows:
            print(f"| {label} | {med(ts):.3f} | {runs_text(ts, '.3f')} |")

        targets: list[tuple[str, float, float, str]] = []
        if 5000 in results:
            k, f = results[5000]["kaartspel"], results[5000]["floor"]
            targets += [
                ("5000: time <= 1.5x floor", med(k["wall"]) / med(f["wall"]), TARGET_TIME, "x"),
                ("5000: memory <= 2x floor", med(k["rss"]) / med(f["rss"]), TARGET_RSS, "x"),
                ("5000: bytes/card <= 1.4x floor", k["bpc"] / f["bpc"], TARGET_BYTES, "x"),
            ]
        big = max(ns)
        if big > 5000 and 5000 in results:
            k, k5, f = results[big]["kaartspel"], results[5000]["kaartspel"], results[big]["floor"]
            per = (med(k["wall"]) / big) / (med(k5["wall"]) / 5000)
            mem = (med(k["rss"]) / big) / (med(k5["rss"]) / 5000)
            targets += [
                (f"{big}: time/card vs 5000's", per, 1 + TARGET_FLAT, "x"),
                (f"{big}: memory/card vs 5000's", mem, 1 + TARGET_FLAT, "x"),
                (f"{big}: memory <= 2x floor", med(k["rss"]) / med(f["rss"]), TARGET_RSS, "x"),
            ]
        targets.append(("default deck <= 0.8 s", med(ours), TARGET_DEFAULT_S, " s"))
        if base_runs:
            ratio = med(ours) / med(base_runs)
            targets.append(
                (f"default deck <= 0.6x {args.baseline}", ratio, TARGET_DEFAULT_RATIO, "x")
            )
        targets.append(("check <= 0.35 s", med(check), TARGET_CHECK_S, " s"))
        targets.append(("--help < 0.3 s", med(rows[-1][1]), TARGET_HELP_S, " s"))
        print("\n### targets\n\n| target | value | verdict |\n|---|---|---|")
        for label, value, limit, unit in targets:
            print(f"| {label} | {value:.2f}{unit} | {verdict(value, limit)} |")
        print(f"\nload after the subprocess runs: {os.getloadavg()[0]:.2f}")
        if args.profile:
            profile(decks.get(profile_n) or make_deck(tmp, profile_n, source), tmp / "prof-out")
    finally:
        if args.keep:
            print(f"\nkept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
