#!/usr/bin/env python3
"""Benchmark the inspiration bank in headless Chromium: keystrokes and first paint.

    .venv/bin/python bench/site_search.py [--ns 76,2000,10000] [--repeats 3]

Not a test: it prints a Markdown table for bench/RESULTS.md. For each N a synthetic deck is
written to a temporary folder: the default deck.yaml less `kits`, and the default cards
repeated to N with ids X00001.. and the card's number added to its title (so the index holds
N distinct extra words, as a real deck of N cards would hold many more than 76 cards' words).
`kaartspel site` writes the page (timed too); it is served from 127.0.0.1 and opened in Debian's
Chromium (chromium + chromium-driver) through Selenium, a fresh page per repeat.

- first paint, in ms from navigation start: `shown`, the browser's own time of painting the
  first card's title (Element Timing: the page gives that heading `elementtiming`; the "first
  cards painted" figure); the page's marks: `cards` when the first cards are in the document,
  `painted` at the first task after the frame that shows them, `data` when the other cards are
  read and `index` when the search index is (both after that frame); and Chromium's
  first-contentful-paint (the page's header, or with it the first cards).
- keystroke: the queries below typed one letter at a time, each letter set in the search box
  with an `input` event, as typing does; timed from the event to the end of the work it causes
  with a forced layout (`sync`), and to the next frame after it (`frame`, which includes the
  paint and up to one frame of waiting). Median and maximum over all letters and repeats.
- CPU: wall times grow with the machine's load (it is shared); Chromium's main-thread CPU
  time (DevTools `Performance.getMetrics`, ThreadTime) does much less, so it is given too: per
  keystroke (from before the letter to its next frame), and to open the page (everything the
  page's renderer did until the index was read: parsing, first cards, reading the index).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from chromium import chrome, serve  # noqa: E402  (tools/chromium.py)

DECK = ROOT / "deck"
CHUNK = 2000
QUERIES = ["buurt", "jongeren", "wijktafle", "kortrijk", "meedoen", "enquete"]

TYPE = """
const [text, type, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
const box = document.getElementById('zoek');
const t0 = performance.now();
if (type) {
  box.value = text;
  box.dispatchEvent(new Event('input', {bubbles: true}));
}
document.body.offsetHeight;  // the layout the change needs
const sync = performance.now() - t0;
requestAnimationFrame(() => setTimeout(() => done([sync, performance.now() - t0,
  Number(document.getElementById('aantal').dataset.aantal)]), 0));
"""
MARKS = """
const done = arguments[arguments.length - 1];
const at = (name) => {
  const m = performance.getEntriesByName(name);
  return m.length ? m[0].startTime : null;
};
const fcp = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
const marks = [at('kaartspel:cards'), at('kaartspel:painted'), at('kaartspel:index'),
  fcp ? fcp.startTime : null, at('kaartspel:rest')];
// the Element Timing entry of the first card's title (buffered: it was painted before)
let shown = null;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.identifier === 'kaartspel-first') shown = e.renderTime;
}).observe({type: 'element', buffered: true});
setTimeout(() => done([...marks, shown]), 50);
"""
READY = "return performance.getEntriesByName('kaartspel:index').length > 0"


def make_deck(folder: Path, n: int) -> Path:
    deck = folder / f"deck-{n}"
    (deck / "cards").mkdir(parents=True)
    meta = yaml.safe_load((DECK / "deck.yaml").read_text(encoding="utf-8"))
    meta.pop("kits", None)
    (deck / "deck.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8"
    )
    source: list[dict[str, Any]] = []
    for path in sorted((DECK / "cards").glob("*.yaml")):
        source += yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]
    cards = []
    for k in range(1, n + 1):
        card = copy.deepcopy(source[(k - 1) % len(source)])
        card["id"] = f"X{k:05d}"
        card["title"] = f"{card['title']} {k}"
        cards.append(card)
    for part, start in enumerate(range(0, n, CHUNK)):
        text = yaml.safe_dump(
            {"cards": cards[start : start + CHUNK]}, allow_unicode=True, sort_keys=False, width=1000
        )
        (deck / "cards" / f"part-{part:03d}.yaml").write_text(text, encoding="utf-8")
    return deck


def browser(profile: Path) -> Any:
    driver = chrome(profile, "--window-size=1280,900")
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(120)
    return driver


def measure(driver: Any, url: str, repeats: int) -> dict[str, Any]:
    from selenium.webdriver.support.ui import WebDriverWait

    marks: list[list[float]] = []
    sync: list[float] = []
    frame: list[float] = []
    cpu: list[float] = []
    open_cpu: list[float] = []
    idle: list[float] = []

    def thread_ms() -> float:
        metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
        return 1000 * next(m["value"] for m in metrics if m["name"] == "ThreadTime")

    for _ in range(repeats):
        driver.get("about:blank")
        driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
        driver.get(url)
        WebDriverWait(driver, 60, poll_frequency=0.05).until(lambda d: d.execute_script(READY))
        marks.append(driver.execute_async_script(MARKS))
        open_cpu.append(thread_ms())
        for query in QUERIES:
            for i in range(1, len(query) + 1):
                before = thread_ms()
                s, f, _ = driver.execute_async_script(TYPE, query[:i], True)
                cpu.append(thread_ms() - before)
                sync.append(s)
                frame.append(f)
            driver.execute_async_script(TYPE, "", True)
        # what the measuring itself costs: the same calls without a letter
        for _ in range(10):
            before = thread_ms()
            driver.execute_async_script(TYPE, "", False)
            idle.append(thread_ms() - before)

    def median(k: int) -> float | None:
        values = [m[k] for m in marks if m[k] is not None]
        return statistics.median(values) if values else None

    return {
        "cards": median(0),
        "painted": median(1),
        "index": median(2),
        "fcp": median(3),
        "data": median(4),
        "shown": median(5),
        "shown_runs": [m[5] for m in marks],
        "sync_median": statistics.median(sync),
        "sync_max": max(sync),
        "frame_median": statistics.median(frame),
        "frame_max": max(frame),
        "keystrokes": len(sync),
        "cpu_median": statistics.median(cpu),
        "cpu_max": max(cpu),
        "open_cpu": statistics.median(open_cpu),
        "idle_cpu": statistics.median(idle),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ns", default="76,2000,10000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ns = [int(x) for x in args.ns.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="kaartspel-site-bench-") as tmp:
        folder = Path(tmp)
        driver = browser(folder / "profile")
        try:
            for n in ns:
                deck = DECK if n == 76 else make_deck(folder, n)
                out = folder / f"site-{n}"
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "kaartspel", "site", "--deck", str(deck)]
                    + ["--out", str(out)],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                build = time.perf_counter() - start
                size = (out / "index.html").stat().st_size
                with serve(out) as address:
                    result = measure(driver, f"{address}/index.html", args.repeats)
                rows.append((n, build, size, result))
                print(f"N={n}: {result}", file=sys.stderr)
        finally:
            driver.quit()
    print(
        "| cards | `kaartspel site` s | page KB | first cards painted ms [runs] | cards in DOM ms "
        "| task after that frame ms | FCP ms | cards read ms | index read ms "
        "| keystroke ms, median / max (sync) | keystroke ms, median / max "
        "(to next frame) | keystroke CPU ms, median / max (measuring alone) | CPU to open ms "
        "| keystrokes |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")

    def ms(x: float | None) -> str:
        return "–" if x is None else f"{x:.0f}"

    for n, build, size, r in rows:
        runs = ", ".join(ms(x) for x in r["shown_runs"])
        print(
            f"| {n} | {build:.2f} | {size / 1024:.0f} | {ms(r['shown'])} [{runs}] | "
            f"{ms(r['cards'])} | {ms(r['painted'])} | {ms(r['fcp'])} | {ms(r['data'])} | "
            f"{ms(r['index'])} | "
            f"{r['sync_median']:.1f} / {r['sync_max']:.1f} | "
            f"{r['frame_median']:.1f} / {r['frame_max']:.1f} | "
            f"{r['cpu_median']:.1f} / {r['cpu_max']:.1f} ({r['idle_cpu']:.1f}) | "
            f"{r['open_cpu']:.0f} | "
            f"{r['keystrokes']} |"
        )


if __name__ == "__main__":
    main()
