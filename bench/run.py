#!/usr/bin/env python3
"""Benchmark `kaartspel build` against the floor (../shared/bench/limit_bench.py).

    .venv/bin/python bench/run.py [--ns 5000,20000] [--repeats 3] [--baseline REV,...]
                                  [--protograf] [--one-core] [--profile] [--rev REV]

Decks: for each N a temporary deck: the default deck.yaml less `kits` (selections by the default
deck's card ids, unused by a build without --kit), and the cards of deck/cards/*.yaml (files in
name order) repeated to N, with ids X00001.. and `k=<n>` added to every link URL's query (`?k=`,
or `&k=` where it has one), so every card has its own QR code. The first round of copies keeps
the texts; every later copy has texts of its own, as a real deck's cards (and the floor's, whose
texts are random) have: its number after the title, and the words of each paragraph of its
free texts (text, question, answer) shuffled by a generator seeded with its number (the same
words, so word-level work is as in a real deck; text-level work cannot be reused from an
earlier card). CHUNK cards a file (a deck file may hold 5 MB / 200 000 values).
Deterministic; no rules.md: cards only, like the floor.

Runs: per repeat, `kaartspel build` and the floor (`limit_bench.py N --qr zxing`, this interpreter)
alternate as fresh subprocesses, so drift on a shared host hits both alike. Wall: perf_counter
around the subprocess; peak RSS: `/usr/bin/time -v`, or getrusage(RUSAGE_CHILDREN) in a fresh
wrapper per run. Medians, with every run.

Baselines (--baseline, default BASELINES: issue 17's and issue 10's starting points): each
revision's src/ and deck/ are exported and run with this interpreter; at N=5000 its build of its
own 5000-card deck joins the interleaved rounds (the ratios against the floor must not grow), and
its default-deck build alternates with this one's (median of 7 each). Also `kaartspel check` and
`kaartspel --help` (median of 7 each). --protograf: protograf 0.6.0 (installed into
bench/.protograf-venv with a Python >= 3.13 when missing) draws the 600-card deck's cards in
outline (bench/protograf_deck.py), interleaved with kaartspel's build; without it, or when it
cannot be installed, the reason is printed. --one-core: at N=5000 kaartspel and the floor also
run pinned to one core (`taskset -c 0`), in the same rounds. --profile: cProfile of one
in-process 5000-card build.

Children cache bytecode in a temporary PYTHONPYCACHEPREFIX (an installed tool's usual state, even
with PYTHONDONTWRITEBYTECODE; nothing is written under src/); a warm-up build fills it. The floor
is <repo>/../shared/bench/limit_bench.py (KAARTSPEL_SHARED overrides <repo>/../shared). --rev REV
measures a git revision instead of the work tree (a stable target while others edit): its src/,
deck/ (and, in old revisions, fonts/) are exported to a temporary folder, first on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
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
ONE_CORE = " (one core)"  # --one-core: kaartspel and the floor pinned to one core as well

# fallback for a missing /usr/bin/time: a fresh wrapper runs the command and reports its only
# child's peak RSS (ru_maxrss is in KiB on Linux)
_WRAPPER = (
    "import json, resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(json.dumps([rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
)


def default_cards(deck_dir: Path | None = None) -> list[dict]:
    cards: list[dict] = []
    for path in sorted(((deck_dir or DECK) / "cards").glob("*.yaml")):
        cards += yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]
    return cards


def make_deck(
    folder: Path,
    n: int,
    source: list[dict],
    deck_dir: Path | None = None,
    check: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Path:
    """Write a deck of n cards to folder/deck-<n> (from `deck_dir`'s deck.yaml and `source`,
    its cards; default: the default deck); returns the deck folder. With `check` (the
    command, run with `env`), a copy whose shuffled texts do not fit its card keeps its
    source card's texts (a handful in thousands; their number is printed)."""
    deck = folder / f"deck-{n}"
    (deck / "cards").mkdir(parents=True)
    meta = yaml.safe_load(((deck_dir or DECK) / "deck.yaml").read_text(encoding="utf-8"))
    meta.pop("kits", None)
    meta_text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    (deck / "deck.yaml").write_text(meta_text, encoding="utf-8")
    cards = []
    for k in range(1, n + 1):
        card = copy.deepcopy(source[(k - 1) % len(source)])
        card["id"] = f"X{k:05d}"
        for link in card.get("links", []):
            link["url"] += f"{'&' if '?' in link['url'] else '?'}k={k}"
        if k > len(source):
            _texts_of_its_own(card, k)
        cards.append(card)
    _write_cards(deck, cards)
    if check is None or n <= len(source):
        return deck
    tight = _not_fitting(check + ["--deck", str(deck)], env)
    if tight:
        for k, card in enumerate(cards, start=1):
            if card["id"] in tight:
                original = source[(k - 1) % len(source)]
                for field in ("title", *FREE_TEXTS):
                    if field in original:
                        card[field] = copy.deepcopy(original[field])
        _write_cards(deck, cards)
        if _not_fitting(check + ["--deck", str(deck)], env):
            sys.exit(f"{deck}: cards still do not fit with their source's texts")
        print(f"({len(tight)} of {n} copies keep their source card's texts: shuffled, too long)")
    return deck


def _write_cards(deck: Path, cards: list[dict]) -> None:
    for part, start in enumerate(range(0, len(cards), CHUNK)):
        chunk = {"cards": cards[start : start + CHUNK]}
        text = yaml.safe_dump(chunk, allow_unicode=True, sort_keys=False, width=1000)
        (deck / "cards" / f"part-{part:03d}.yaml").write_text(text, encoding="utf-8")


def _not_fitting(check: list[str], env: dict[str, str] | None) -> set[str]:
    """The ids of the cards `check` finds not fitting; any other problem stops the bench."""
    p = subprocess.run(check, capture_output=True, text=True, env=env or ENV)
    if p.returncode == 0:
        return set()
    ids = set(re.findall(r"card (X\d{5}): ", p.stderr))
    if p.returncode != 5 or not ids:
        sys.exit(f"failed ({p.returncode}): {' '.join(check)}\n{p.stderr[-3000:]}")
    return ids


FREE_TEXTS = ("text", "question", "answer")  # a card's texts of its own (shuffled in copies)


def _texts_of_its_own(card: dict, k: int) -> None:
    """Copy k's texts made its own (see the module's docstring): a value per language, or one."""
    rnd = random.Random(k)

    def shuffled(text: str) -> str:
        paragraphs = []
        for paragraph in text.split("\n\n"):
            words = paragraph.split()
            rnd.shuffle(words)
            paragraphs.append(" ".join(words))
        return "\n\n".join(paragraphs)

    def each(value: object, change: Callable[[str], str]) -> object:
        if isinstance(value, dict):
            return {lang: change(v) if isinstance(v, str) else v for lang, v in value.items()}
        return change(value) if isinstance(value, str) else value

    if "title" in card:
        card["title"] = each(card["title"], lambda title: f"{title} {k}")
    for field in FREE_TEXTS:
        if field in card:
            card[field] = each(card[field], shuffled)


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


@dataclass
class Baseline:
    """An earlier revision, built with the same interpreter and libraries (its own src/ and
    default deck), interleaved with this one."""

    rev: str
    why: str
    root: Path  # its exported src/ and deck/
    env: dict[str, str]

    def kaartspel(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "kaartspel", *args]


def bench_n(
    tmp: Path,
    deck: Path,
    n: int,
    repeats: int,
    bases: list[tuple[Baseline, Path]] = [],  # noqa: B006 - read only
    one_core: bool = False,
) -> dict:
    """Interleaved runs for one N: {name: {"wall": [...], "rss": [...], "bpc": bytes/card}};
    `bases`: baselines with their own N-card deck, run in the same rounds; `one_core`: both
    also pinned to one core (`taskset -c 0`: kaartspel then runs in one process)."""
    floor_pdf = tmp / f"floor-{n}.pdf"
    cmds: dict[str, tuple[list[str], dict[str, str] | None, Path]] = {
        "kaartspel": (
            KAARTSPEL + ["build", "--deck", str(deck), "--out", str(tmp / f"out-{n}")],
            None,
            tmp / f"out-{n}" / "kaarten.pdf",
        ),
        "floor": (
            [sys.executable, str(FLOOR), str(n), "--qr", "zxing", "--out", str(floor_pdf)],
            None,
            floor_pdf,
        ),
    }
    if one_core:
        for name in ("kaartspel", "floor"):
            cmd, env, pdf = cmds[name]
            one = tmp / f"one-core-{n}"
            one.mkdir(exist_ok=True)
            pinned = [str(one / pdf.name) if a == str(pdf) else a for a in cmd]
            if name == "kaartspel":
                pinned[pinned.index("--out") + 1] = str(one)
            cmds[f"{name}{ONE_CORE}"] = (["taskset", "-c", "0", *pinned], env, one / pdf.name)
    for base, base_deck in bases:
        out = tmp / f"out-{n}-{base.rev}"
        cmd = base.kaartspel("build", "--deck", str(base_deck), "--out", str(out))
        cmds[f"at {base.rev}"] = (cmd, base.env, out / "kaarten.pdf")
    res: dict[str, dict] = {name: {"wall": [], "rss": []} for name in cmds}
    for rep in range(repeats):
        for name, (cmd, env, _) in cmds.items():
            wall, rss = run(cmd, env)
            res[name]["wall"].append(wall)
            res[name]["rss"].append(rss)
            msg = f"  N={n} rep {rep + 1}/{repeats} {name:12s} {wall:7.2f} s {rss:6.0f} MiB"
            print(msg, file=sys.stderr, flush=True)
    for name, (_, _, pdf) in cmds.items():
        res[name]["bpc"] = pdf.stat().st_size / n
    return res


def print_table(results: dict[int, dict], repeats: int) -> None:
    print(f"\n### kaartspel vs floor (median of {repeats}; every run in brackets)\n")
    print("| N | | wall s | ms/card | peak RSS MiB | PDF bytes/card |\n|---|---|---|---|---|---|")
    for n, r in results.items():
        for name, x in r.items():
            print(
                f"| {n} | {name} | {med(x['wall']):.2f} [{runs_text(x['wall'], '.2f')}] | "
                f"{1000 * med(x['wall']) / n:.2f} | {med(x['rss']):.0f} "
                f"[{runs_text(x['rss'], '.0f')}] | {x['bpc']:.0f} |"
            )
        for name, k in r.items():
            if name.startswith("floor"):
                continue
            f = r["floor" + (ONE_CORE if name.endswith(ONE_CORE) else "")]
            print(
                f"| {n} | **ratio** {'' if name == 'kaartspel' else name} | "
                f"**{med(k['wall']) / med(f['wall']):.2f}x** | | "
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


def baseline(rev: str, why: str, to: Path) -> Baseline:
    """Export src/, deck/ and fonts/ of `rev` to `to`."""
    git = ["git", "-C", str(REPO), "archive", rev, *_tracked(rev, "src", "deck", "fonts")]
    tar = subprocess.run(git, capture_output=True, check=True).stdout
    to.mkdir()
    subprocess.run(["tar", "-x", "-C", str(to)], input=tar, check=True)
    path = os.pathsep.join(filter(None, [str(to / "src"), ENV.get("PYTHONPATH")]))
    return Baseline(rev, why, to, dict(ENV, PYTHONPATH=path))


# the revisions the issues measure against: main when work on each began
BASELINES = {
    "84adcd2": "issue 17's start",
    "75bbe02": "issue 10's start (before the design engine)",
}
PROTOGRAF_N = 600
PROTOGRAF_VENV = REPO / "bench" / ".protograf-venv"  # gitignored; Python >= 3.13
PROTOGRAF_SCRIPT = REPO / "bench" / "protograf_deck.py"


def _python313() -> str | None:
    """An interpreter protograf 0.6.0 accepts (Python >= 3.13), if the machine has one."""
    # pyenv's own interpreters first: its shims (found on PATH) refuse a version that is
    # installed but not selected ("pyenv: python3.13: command not found")
    found = sorted(map(str, Path.home().glob(".pyenv/versions/3.1[34]*/bin/python3")))
    found += [p for m in (14, 13) if (p := shutil.which(f"python3.{m}"))]
    runs = "import sys; sys.exit(sys.version_info < (3, 13))"
    return next((p for p in found if subprocess.run([p, "-c", runs]).returncode == 0), None)


def protograf_python(install: bool) -> tuple[str | None, str]:
    """(the interpreter of a venv with protograf 0.6.0, or None, and why not)."""
    python = PROTOGRAF_VENV / "bin" / "python"
    check = [str(python), "-c", "import protograf, sys; sys.exit(protograf.__version__ != '0.6.0')"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return str(python), ""
    if not install:
        return None, f"protograf 0.6.0 is not installed in {PROTOGRAF_VENV} (run with --protograf)"
    base = _python313()
    if base is None:
        return None, "protograf 0.6.0 needs Python >= 3.13, and none was found"
    shutil.rmtree(PROTOGRAF_VENV, ignore_errors=True)
    steps = [[base, "-m", "venv", str(PROTOGRAF_VENV)]]
    steps.append([str(python), "-m", "pip", "install", "--quiet", "protograf==0.6.0"])
    for step in steps:
        p = subprocess.run(step, capture_output=True, text=True)
        if p.returncode:
            return None, f"could not install protograf 0.6.0: {p.stderr.strip()[-300:]}"
    if subprocess.run(check, capture_output=True).returncode:
        return None, "protograf 0.6.0 installed but cannot be imported"
    return str(python), ""


def protograf_cards(deck: Path) -> list[dict[str, str]]:
    """Title, text and first link of each card of a bench deck, for bench/protograf_deck.py."""
    cards: list[dict[str, str]] = []
    for path in sorted((deck / "cards").glob("*.yaml")):
        for c in yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)["cards"]:
            links = c.get("links") or []
            text = c.get("text") or c.get("situation") or ""
            cards.append(
                {
                    "title": str(c.get("title", "")),
                    "text": str(text),
                    "url": links[0]["url"] if links else "",
                }
            )
    return cards


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ns", default="5000,20000", help="comma-separated card counts")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="cProfile a 5000-card build")
    ap.add_argument(
        "--baseline",
        default=",".join(BASELINES),
        help="git revisions whose default deck (and 5000-card) builds run interleaved with "
        "this one's, for the ratios ('' for none; default: %(default)s)",
    )
    ap.add_argument(
        "--protograf",
        action="store_true",
        help=f"install protograf 0.6.0 into {PROTOGRAF_VENV.relative_to(REPO)} if missing",
    )
    ap.add_argument(
        "--one-core",
        action="store_true",
        help="at N=5000, also both pinned to one core (taskset -c 0), interleaved",
    )
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
            f"{sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M')}, load before "
            f"{os.getloadavg()[0]:.2f}; peak RSS via {how}; default deck {len(source)} cards"
        )
        build_default = KAARTSPEL + ["build", "--deck", str(DECK), "--out", str(tmp / "d")]
        run(build_default)  # warm-up: fills the bytecode cache
        bases: list[Baseline] = []
        for base_rev in filter(None, args.baseline.split(",")):
            base = baseline(base_rev, BASELINES.get(base_rev, "baseline"), tmp / f"base-{base_rev}")
            base_default = base.kaartspel("build", "--deck", str(base.root / "deck"))
            run(base_default + ["--out", str(tmp / "d-base")], base.env)  # warm-up
            bases.append(base)
        profile_n = max((n for n in ns if n <= 5000), default=min(ns))
        fits = KAARTSPEL + ["check"]  # makes copies whose shuffled texts overflow keep theirs
        decks = {n: make_deck(tmp, n, source, check=fits) for n in sorted(set(ns))}
        results = {}
        for n in ns:
            with_bases = []
            if n == 5000:  # the ratios issue 10 asks not to grow: the baselines' too
                for base in bases:
                    folder = tmp / f"base-decks-{base.rev}"
                    cards = default_cards(base.root / "deck")
                    deck = make_deck(
                        folder, n, cards, base.root / "deck", base.kaartspel("check"), base.env
                    )
                    with_bases.append((base, deck))
            one = args.one_core and n == 5000
            results[n] = bench_n(tmp, decks[n], n, args.repeats, with_bases, one)
        print_table(results, args.repeats)

        rows: list[tuple[str, list[float]]] = []
        ours: list[float] = []
        base_runs: dict[str, list[float]] = {b.rev: [] for b in bases}
        for _ in range(7):  # interleaved with the baselines' builds of their default deck
            ours.append(run(build_default)[0])
            for base in bases:
                cmd = base.kaartspel("build", "--deck", str(base.root / "deck"))
                base_runs[base.rev].append(run(cmd + ["--out", str(tmp / "d-base")], base.env)[0])
        rows.append((f"build default deck ({len(source)} cards)", ours))
        for base in bases:
            rows.append((f"... the same at {base.rev}, {base.why}", base_runs[base.rev]))
        if (DECK / "rules.md").exists():
            nb = [run(build_default + ["--no-booklet"])[0] for _ in range(7)]
            rows.append(("... with --no-booklet (information)", nb))
        check = [run(KAARTSPEL + ["check", "--deck", str(DECK)])[0] for _ in range(7)]
        rows.append(("kaartspel check (default deck)", check))
        rows.append(("kaartspel --help", [run(KAARTSPEL + ["--help"])[0] for _ in range(7)]))
        print("\n### start-up (interleaved, median of 7)\n")
        print("| command | median s | runs |\n|---|---|---|")
        for label, ts in rows:
            print(f"| {label} | {med(ts):.3f} | {runs_text(ts, '.3f')} |")

        pg_ratio = None
        python, why = protograf_python(args.protograf)
        print(
            f"\n### protograf 0.6.0, {PROTOGRAF_N} cards (interleaved, median of {args.repeats})\n"
        )
        if python is None:
            print(f"skipped: {why}")
        else:
            deck = decks.get(PROTOGRAF_N) or make_deck(tmp, PROTOGRAF_N, source, check=fits)
            cards_json = tmp / "protograf-cards.json"
            cards_json.write_text(json.dumps(protograf_cards(deck)), encoding="utf-8")
            ks, ps = [], []
            for _ in range(args.repeats):
                out = tmp / f"out-{PROTOGRAF_N}"
                ks.append(run(KAARTSPEL + ["build", "--deck", str(deck), "--out", str(out)])[0])
                pdf = tmp / "protograf.pdf"
                ps.append(run([python, str(PROTOGRAF_SCRIPT), str(cards_json), str(pdf)])[0])
            pg_ratio = med(ps) / med(ks)
            print("| tool | median s | runs |\n|---|---|---|")
            print(f"| kaartspel build | {med(ks):.2f} | {runs_text(ks, '.2f')} |")
            print(
                f"| protograf (bench/protograf_deck.py) | {med(ps):.2f} | {runs_text(ps, '.2f')} |"
            )
            print(f"\nkaartspel is {pg_ratio:.1f}x faster")

        targets: list[tuple[str, float, float, str]] = []
        if 5000 in results:
            k, f = results[5000]["kaartspel"], results[5000]["floor"]
            targets += [
                ("5000: time <= 1.5x floor", med(k["wall"]) / med(f["wall"]), TARGET_TIME, "x"),
                ("5000: memory <= 2x floor", med(k["rss"]) / med(f["rss"]), TARGET_RSS, "x"),
                ("5000: bytes/card <= 1.4x floor", k["bpc"] / f["bpc"], TARGET_BYTES, "x"),
            ]
            if "kaartspel" + ONE_CORE in results[5000]:  # the issue's title: on one core
                k1, f1 = results[5000]["kaartspel" + ONE_CORE], results[5000]["floor" + ONE_CORE]
                label = "5000, one core: time <= 1.5x floor (one core)"
                targets.append((label, med(k1["wall"]) / med(f1["wall"]), TARGET_TIME, "x"))
            for base in bases:  # issue 10: the ratios do not grow
                b = results[5000][f"at {base.rev}"]
                for what, key in (("time", "wall"), ("memory", "rss")):
                    now, then = med(k[key]) / med(f[key]), med(b[key]) / med(f[key])
                    label = f"5000: {what} ratio <= {base.rev}'s ({then:.2f}x)"
                    targets.append((label, now, then, "x"))
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
        for base in bases:
            ratio = med(ours) / med(base_runs[base.rev])
            limit = TARGET_DEFAULT_RATIO if base.rev == "84adcd2" else 1.0
            targets.append((f"default deck <= {limit:g}x {base.rev}'s", ratio, limit, "x"))
        targets.append(("check <= 0.35 s", med(check), TARGET_CHECK_S, " s"))
        targets.append(("--help < 0.3 s", med(rows[-1][1]), TARGET_HELP_S, " s"))
        if pg_ratio is not None:
            targets.append((f"protograf {PROTOGRAF_N}: >= 25x faster", 25 / pg_ratio, 1.0, "x"))
        print("\n### targets\n\n| target | value | verdict |\n|---|---|---|")
        for label, value, limit, unit in targets:
            if label.startswith("protograf"):
                value_text = f"{pg_ratio:.1f}x faster"
            else:
                value_text = f"{value:.2f}{unit}"
            print(f"| {label} | {value_text} | {verdict(value, limit)} |")
        print(f"\nload after the subprocess runs: {os.getloadavg()[0]:.2f}")
        if args.profile:
            profile(
                decks.get(profile_n) or make_deck(tmp, profile_n, source, check=fits),
                tmp / "prof-out",
            )
    finally:
        if args.keep:
            print(f"\nkept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
