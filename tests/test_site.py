"""The inspiration bank (`kaartspel site`): the page as bytes, and the page in a real browser.

The browser tests drive Debian's headless Chromium through Selenium and chromedriver against
the generated site served from 127.0.0.1. They are never skipped silently: without Chromium
they fail with a message saying what to install; only KAARTSPEL_SKIP_BROWSER=1 skips them.
Expected cards come from `kaartspel list --json` with the same filters; the facet filters are
applied to that JSON here, and the search by `reference_hits`, the search's rule written out
plainly: every word of the query matches a word of the card's searched fields (title, place,
segment, sub-form, type, facet values, tags, link labels, text) exactly, or as its start
(a word of 3 or 4 letters only to words less than twice as long), or, from 5 letters on,
one letter off (two from 8 letters on); case and accents do not count.
The accessibility test runs axe-core (fetched from the npm registry by `make test`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromium
import pytest

from conftest import DEFAULT_DECK, ROOT, run_cli
from kaartspel import art, layout, palette, site_index, wording
from kaartspel.filters import Selection, select
from kaartspel.load import load_deck
from kaartspel.site import (
    WHEEL_INNER,
    WHEEL_OUTER,
    band_texts,
    colour_table,
    pictogram_of,
    search_documents,
)
from kaartspel.site import render_site as render

MAX_PAGE = 400 * 1024
WORDS = wording.for_language("nl").section("site")
FLAG = {"segment": "--segment", "subvorm": "--subform", "soort": "--type"}


# ---------------------------------------------------------------- helpers
@functools.lru_cache(maxsize=1)
def deck() -> Any:
    return load_deck(DEFAULT_DECK)


@functools.lru_cache(maxsize=1)
def page() -> str:
    return render(deck(), deck().cards)["index.html"].decode("utf-8")


def embedded_data(html: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="kaartspel-data">(.*?)</script>', html, re.S
    )
    assert found, "the page embeds no deck data"
    data: dict[str, Any] = json.loads(found.group(1))
    # the first screen's cards come before the script, the others after it
    rest = re.search(
        r'<script type="application/json" id="kaartspel-cards">(.*?)</script>', html, re.S
    )
    assert rest, "the page embeds only the first cards"
    assert len(data["cards"]) == min(data["page"], data["total"])
    data["cards"] += json.loads(rest.group(1))
    assert len(data["cards"]) == data["total"]
    return data


def list_json(*flags: str) -> list[dict[str, Any]]:
    """`kaartspel list --json FLAGS`, run as a user would (each distinct call runs once)."""
    return json.loads(_list_json(flags))  # type: ignore[no-any-return]


@functools.cache
def _list_json(flags: tuple[str, ...]) -> str:
    result = run_cli("list", "--json", "--deck", str(DEFAULT_DECK), *flags)
    if result.returncode == 2 and result.stderr.startswith("no card matches these filters;"):
        return "[]"  # an empty selection is exit 2 for `list`, as for `build` (issue 15)
    assert result.returncode == 0, result.stderr
    return result.stdout


def list_flags(filters: dict[str, list[str]]) -> tuple[str, ...]:
    """The `kaartspel list` options for the page's filters (segment, subvorm, soort)."""
    return tuple(x for key, values in filters.items() for v in values for x in (FLAG[key], v))


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (insert, delete, replace one letter)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def word_matches(q: str, word: str) -> bool:
    """The search's rule for one folded query word against one folded word of a card."""
    if word == q:
        return True
    if len(q) >= 3 and word.startswith(q) and (len(q) >= 5 or len(word) - len(q) < len(q)):
        return True
    return len(q) >= 5 and _distance(q, word) <= (2 if len(q) >= 8 else 1)


@functools.lru_cache(maxsize=1)
def searched_words() -> dict[str, set[str]]:
    """Card id -> the folded words of every field the search looks through."""
    cards = deck().cards
    return {
        card.id: {w for value in doc.values() if isinstance(value, str) for w in terms(value)}
        for card, doc in zip(cards, search_documents(deck(), cards), strict=True)
    }


def terms(text: str) -> list[str]:
    return list(site_index.terms(text))


def reference_hits(term: str) -> set[str]:
    """The ids of the cards the search must find for `term` (see the module docstring)."""
    qs = terms(term)
    return {
        card_id
        for card_id, words in searched_words().items()
        if all(any(word_matches(q, w) for w in words) for q in qs)
    }


def expected_ids(
    filters: dict[str, list[str]], facets: dict[str, list[str]], term: str
) -> list[str]:
    """The cards `kaartspel list` gives for the filters, narrowed by facet values (OR within
    a facet, AND across) and by the search term (`reference_hits`), in deck order."""
    hits = reference_hits(term) if terms(term) else None
    ids = []
    for record in list_json(*list_flags(filters)):
        if hits is not None and record["id"] not in hits:
            continue
        if any(not set(record["facets"].get(f, [])) & set(v) for f, v in facets.items()):
            continue
        ids.append(record["id"])
    return ids


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {"style": [], "script": []}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in self.text else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.text[self._in].append(data)


def parse(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    return tags


# ---------------------------------------------------------------- the page as bytes
def test_the_page_is_deterministic(tmp_path: Path) -> None:
    assert render(deck(), deck().cards) == render(load_deck(DEFAULT_DECK), deck().cards)
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "kaartspel", "site", "--deck", str(DEFAULT_DECK)]
            + ["--out", str(out)],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [str(out / "index.html")]
        outputs.append((out / "index.html").read_bytes())
        umask = os.umask(0)
        os.umask(umask)
        mode = (out / "index.html").stat().st_mode & 0o777
        assert mode == 0o666 & ~umask, f"the page is not readable for a web server: {mode:o}"
    assert outputs[0] == outputs[1] == page().encode("utf-8")


def test_the_page_is_small() -> None:
    size = len(page().encode("utf-8"))
    assert size < MAX_PAGE, f"the page is {size / 1024:.0f} KB; it must stay under 300 KB"


def test_nothing_is_loaded_from_elsewhere() -> None:
    html = page()
    tags = parse(html)

    def external(url: str | None) -> bool:
        url = url or ""
        return urlsplit(url).scheme in ("http", "https") or url.startswith("//")

    for tag, attrs in tags.tags:
        if tag == "script":
            assert not attrs.get("src"), f"the page loads a script file: {attrs}"
        if tag == "link":
            assert not external(attrs.get("href")), f"the page loads {attrs}"
        if tag in ("img", "iframe", "source", "audio", "video", "embed", "object"):
            assert not external(attrs.get("src") or attrs.get("data")), f"the page loads {attrs}"
        if tag == "a" and attrs.get("target") == "_blank":
            assert "noopener" in (attrs.get("rel") or ""), attrs
    css = "".join(tags.text["style"])
    assert "@import" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css), "the stylesheet loads from elsewhere"
    # and the browser is told so: nothing but the inline style and script may load
    csp = next(
        a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp


def test_the_content_security_policy_allows_the_inline_style_and_script() -> None:
    tags = parse(page())
    csp = next(
        a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None
    scripts = [s for s in tags.text["script"] if not s.lstrip().startswith(("{", "["))]  # JSON
    assert len(tags.text["style"]) == 1 and len(scripts) == 2  # MiniSearch, then site.js
    assert scripts[0].startswith("/*! MiniSearch 7.2.0") and "MIT License" in scripts[0]
    assert "Permission is hereby granted" in scripts[0], "the library's licence travels with it"
    for kind, texts in (("style-src", tags.text["style"]), ("script-src", scripts)):
        for text in texts:
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp.split(kind)[1].split(";")[0]


def test_the_embedded_data_is_the_deck() -> None:
    data = embedded_data(page())
    records = list_json()
    assert [c["id"] for c in data["cards"]] == [r["id"] for r in records]
    for card, record in zip(data["cards"], records, strict=True):
        for key in ("title", "text", "answer", "question", "place", "type", "segment", "subform"):
            assert card[key] == record[key], (card["id"], key)
        assert card["facetIds"] == record["facets"]
        assert [link["url"] for link in card["links"]] == [x["url"] for x in record["links"]]
    assert "verify" not in json.dumps(data), "'verify' notes are never shown"
    keys = [g["key"] for g in data["groups"]]
    assert keys[:3] == ["segment", "subvorm", "soort"]
    assert keys[3:] == [f.id for f in deck().facets]


def static_counts(html: str) -> dict[str, int]:
    """'key=value' -> the number written beside that filter option in the page as sent."""
    rows = re.findall(
        r'<input type="checkbox" id="[^"]+" name="([^"]+)" value="([^"]+)">'
        r'<label[^>]*>.*?<span class="n">(\d+)</span></label>',
        html,
    )
    return {f"{key}={value}": int(n) for key, value, n in rows}


def test_the_page_opens_with_the_first_cards_before_the_script_and_the_counts_written() -> None:
    """The first screen's cards come before the script (drawn at once); the other cards and
    the index after it; each filter option shows its number of cards as sent."""
    html = page()
    data = embedded_data(html)
    order = [
        html.index('id="kaartspel-data"'),
        html.index("/*! MiniSearch"),
        html.index('id="kaartspel-cards"'),
        html.index('id="kaartspel-index"'),
    ]
    assert order == sorted(order) and data["page"] == 24 < data["total"] == len(deck().cards)
    expected: dict[str, int] = {}
    for record in list_json():
        values = [f"segment={record['segment']}", f"subvorm={record['subform']}"]
        values += [f"soort={record['type']}"]
        values += [f"{f}={v}" for f, vs in record["facets"].items() for v in vs]
        for value in values:
            if not value.endswith("=None"):
                expected[value] = expected.get(value, 0) + 1
    assert static_counts(html) == expected


def test_the_page_is_dutch_and_labelled() -> None:
    html = page()
    assert '<html lang="nl">' in html
    for text in ("Zoeken", "Segment", "Subvorm", "Soort kaart", "kaarten", "Filters"):
        assert text in html
    for facet in deck().facets:
        assert f"<legend>{facet.name}</legend>" in html
    tags = parse(html)
    ids = {a.get("id") for _, a in tags.tags}
    labelled = {a.get("for") for t, a in tags.tags if t == "label"}
    for tag, attrs in tags.tags:
        if tag == "input":
            assert attrs.get("id") in labelled, f"input without a label: {attrs}"
            assert attrs.get("id") in ids


def test_a_filtered_site_holds_only_those_cards(tmp_path: Path) -> None:
    result = run_cli(
        "site", "--deck", str(DEFAULT_DECK), "--out", str(tmp_path), "--segment", "meedoen"
    )
    assert result.returncode == 0, result.stderr
    data = embedded_data((tmp_path / "index-meedoen.html").read_text(encoding="utf-8"))
    assert [c["id"] for c in data["cards"]] == [r["id"] for r in list_json("--segment", "meedoen")]
    segments = next(g for g in data["groups"] if g["key"] == "segment")
    assert segments["options"] == [["meedoen", "Meedoen"]]


def test_bad_filters_and_outputs_are_refused(tmp_path: Path) -> None:
    result = run_cli(
        "site", "--deck", str(DEFAULT_DECK), "--out", str(tmp_path / "a"), "--segment", "meedoe"
    )
    assert result.returncode == 2 and "did you mean 'meedoen'" in result.stderr
    assert not (tmp_path / "a").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run_cli("site", "--deck", str(DEFAULT_DECK), "--out", str(blocker))
    assert result.returncode == 6 and "not a folder" in result.stderr


def test_bands_and_pictograms_are_those_of_the_printed_cards() -> None:
    for card in deck().cards:
        first, second = band_texts(card)
        assert (first.upper(), second) == layout._band_texts(deck(), card), card.id
        assert pictogram_of(card) == layout._pictogram_of(card), card.id


def _css_vars(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def test_text_colours_reach_wcag_aa() -> None:
    aa, ui = palette.MIN_CONTRAST, 3.0
    for c in colour_table(deck()).values():
        band = palette.parse(c.band)
        assert palette.contrast(palette.parse(c.on_band), band) >= aa, c
        assert palette.contrast(palette.parse(c.ink), palette.WHITE) >= aa, c
        assert palette.contrast(palette.INK, palette.parse(c.tint)) >= aa, c
    root = _css_vars(re.search(r":root \{(.*?)\}", page(), re.S).group(1))  # type: ignore[union-attr]
    rgb = {k: palette.parse(v) for k, v in root.items()}
    for text in ("ink", "muted", "link"):
        for background in ("bg", "panel"):
            assert palette.contrast(rgb[text], rgb[background]) >= aa, (text, background)
    for edge in ("edge", "focus"):
        assert (
            palette.contrast(rgb[edge], rgb["bg"]) >= ui
            and palette.contrast(rgb[edge], rgb["panel"]) >= ui
        )


def test_the_wheel_runs_clockwise_from_the_top_in_the_deck_colours() -> None:
    html = page()
    wedges = re.findall(
        r'<g class="wedge (c\d+)[^"]*" data-segment="([^"]+)"[^>]*><path d="M([-\d.]+) ([-\d.]+)',
        html,
    )
    segments = deck().segments
    assert [w[1] for w in wedges] == [s.id for s in segments]
    colours = colour_table(deck())
    expected = art.wheel_wedges(len(segments), WHEEL_INNER, WHEEL_OUTER, gap=3.0)
    for (key, _, x, y), wedge, segment in zip(wedges, expected, segments, strict=True):
        assert key == colours[segment.colour].key
        angle = math.degrees(math.atan2(-float(y), float(x)))  # SVG y points down
        assert math.isclose(angle % 360, wedge.start % 360, abs_tol=0.05)
    # the first wedge starts at the top and lies right of it
    first = expected[0]
    assert first.end == pytest.approx(90 - 1.5) and first.middle < 90


def test_make_deck_writes_the_site_and_the_readme_shows_it() -> None:
    recipe = (ROOT / "Makefile").read_text().split("\ndeck:")[1].split("\n\n")[0]
    assert "kaartspel site" in recipe
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from PIL import Image

    for name, width in (("site-desktop.png", 1280), ("site-phone.png", 390)):
        assert f"docs/{name}" in readme
        with Image.open(ROOT / "docs" / name) as image:
            assert image.width == width


# ---------------------------------------------------------------- the page in Chromium
SKIP_BROWSER = os.environ.get("KAARTSPEL_SKIP_BROWSER") == "1"
HOW_TO_INSTALL = (
    "apt-get install -y --no-install-recommends chromium chromium-driver "
    "(.ci/run does this), or set KAARTSPEL_SKIP_BROWSER=1 to skip the browser tests"
)
browser_test = pytest.mark.skipif(SKIP_BROWSER, reason="KAARTSPEL_SKIP_BROWSER=1")


@pytest.fixture(scope="module")
def site_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = run_cli("site", "--deck", str(DEFAULT_DECK), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "index.html"


@pytest.fixture(scope="module")
def site_url(site_file: Path) -> Iterator[str]:
    # run the `kaartspel list` calls the browser tests compare with, a few at a time
    wanted = {list_flags(filters) for _, filters, _, _ in CASES} | {
        list_flags(f) for f in EXTRA_LISTS
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(_list_json, sorted(wanted)))
    with chromium.serve(site_file.parent) as address:
        yield f"{address}/index.html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if SKIP_BROWSER:
        pytest.skip("KAARTSPEL_SKIP_BROWSER=1")
    missing = [p for p in (chromium.CHROMIUM, chromium.CHROMEDRIVER) if not Path(p).is_file()]
    if missing:
        pytest.fail(
            f"the browser tests need {' and '.join(missing)}: {HOW_TO_INSTALL}", pytrace=False
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail("the browser tests need selenium: pip install -e '.[test]'", pytrace=False)
    profile = tempfile.mkdtemp(prefix="kaartspel-chromium-")
    driver = chromium.chrome(Path(profile), "--window-size=1280,900")
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def load(driver: Any, url: str) -> None:
    """Open `url` afresh (also when only its fragment differs) and wait for the cards."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get(url)
    # the cards are drawn, and the search index is read (just after the first paint)
    WebDriverWait(driver, 10, poll_frequency=0.05).until(
        lambda d: d.execute_script(
            "return performance.getEntriesByName('kaartspel:index').length > 0"
            " && document.querySelectorAll('#kaarten > li, #geen:not([hidden])').length"
        )
    )


def shown(driver: Any) -> tuple[int, list[str]]:
    """The count the page states and the ids of the cards it shows (all of them: the button
    under the list draws the next cards until none are left)."""
    count, text, ids = driver.execute_script(
        "const more = document.getElementById('meer');"
        "for (let i = 0; i < 1000 && !more.hidden; i++) more.click();"
        "const p = document.getElementById('aantal');"
        "const shown = document.querySelectorAll('#kaarten > li:not([hidden])');"
        "return [p.dataset.aantal, p.textContent, Array.from(shown, li => li.id.slice(6))];"
    )
    number = int(count)
    assert text == (
        WORDS["found_none"]
        if not number
        else WORDS["found_one"]
        if number == 1
        else WORDS["found"].replace("{n}", str(number))
    )
    return number, ids


def ticked(driver: Any) -> list[str]:
    """The ticked filter checkboxes, as sorted 'key=value' strings."""
    found: list[str] = driver.execute_script(
        "return Array.from(document.querySelectorAll('#filterform input:checked'),"
        " b => b.name + '=' + b.value)"
    )
    return sorted(found)


def checkbox(driver: Any, key: str, value: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'#filterform input[name="{key}"][value="{value}"]')


@browser_test
def test_the_page_loads_without_errors_and_shows_every_card(
    browser: Any, site_url: str, site_file: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get_log("browser")
    load(browser, site_url)
    assert console_errors(browser) == []
    assert browser.title.startswith("Inspiratiebank · ")
    count, ids = shown(browser)
    assert ids == [r["id"] for r in list_json()] and count == len(ids)
    # the numbers beside the filters: as sent, and as the script works them out again
    counts = (
        "return Object.fromEntries(Array.from(document.querySelectorAll('#filterform input'),"
        " b => [b.name + '=' + b.value, Number(b.nextElementSibling.querySelector('.n')"
        ".textContent)]))"
    )
    assert browser.execute_script(counts) == static_counts(site_file.read_text(encoding="utf-8"))
    box = browser.find_element(By.ID, "zoek")
    box.send_keys("buurt")
    assert browser.execute_script(counts) != static_counts(site_file.read_text(encoding="utf-8"))
    box.send_keys(Keys.BACKSPACE * 5)
    assert browser.execute_script(counts) == static_counts(site_file.read_text(encoding="utf-8"))
    origins = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert all(u.startswith(site_url.rsplit("/", 1)[0]) for u in origins), origins
    # the same page opened from the file system works as well
    load(browser, site_file.as_uri() + "#soort=tip")
    assert shown(browser)[1] == expected_ids({"soort": ["tip"]}, {}, "")
    assert console_errors(browser) == []


CASES = [
    # (search term, filters that `kaartspel list` has, facet filters, some cards expected)
    ("buurt", {"segment": ["meedoen", "meepraten"]}, {"thema": ["overlast"]}, True),
    (
        "",
        {"subvorm": ["inspraak", "signaleren"], "soort": ["inspiratie", "segment"]},
        {"doelgroep": ["jongeren"]},
        True,
    ),
    ("JONGEREN", {"soort": ["inspiratie", "casus"]}, {"doelgroep": ["jongeren", "vrouwen"]}, True),
    ("Wijk", {"soort": ["casus"]}, {}, True),
    ("bestaat-niet", {"segment": ["meedoen"]}, {}, False),
    # facet values and places are searched (not the answer of a case: Z01)
    ("Brugfiguren", {}, {}, True),
    ("wielegem", {}, {}, True),
    ("efficientie", {}, {}, True),
    ("Bin", {}, {}, True),
]
# the other `kaartspel list` filters the browser tests compare with
EXTRA_LISTS: list[dict[str, list[str]]] = [
    {"segment": ["meedoen"]},
    {"soort": ["tip"]},
    {"soort": ["tip"], "segment": ["meedoen"]},
    {"segment": ["transparantie", "meepraten"]},
    {"segment": ["transparantie"]},
]


@browser_test
@pytest.mark.parametrize(("term", "filters", "facets", "some"), CASES)
def test_search_and_filters_give_what_kaartspel_list_gives_and_survive_a_reload(
    browser: Any,
    site_url: str,
    term: str,
    filters: dict[str, list[str]],
    facets: dict[str, list[str]],
    some: bool,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    expected = expected_ids(filters, facets, term)
    assert bool(expected) == some

    def same(got: tuple[int, list[str]]) -> bool:
        # without a search in deck order; with one ranked by the search (checked elsewhere)
        return got[0] == len(expected) and (
            got[1] == expected or (bool(term) and sorted(got[1]) == sorted(expected))
        )

    load(browser, site_url)
    if term:
        browser.find_element(By.ID, "zoek").send_keys(term)
    for key, values in {**filters, **facets}.items():
        for value in values:
            checkbox(browser, key, value).click()
    assert same(shown(browser)), (shown(browser), expected)
    # the address follows the search box once the typing pauses
    WebDriverWait(browser, 5, poll_frequency=0.05).until(
        lambda d: not term or f"zoek={term}" in d.current_url
    )
    url = browser.current_url
    assert "#" in url

    # the state is in the URL: a reload shows the same, and so does the link opened afresh
    # (checked for the first two cases, to keep the suite fast)
    reopens = [browser.refresh]
    if (term, filters, facets, some) in CASES[:2]:
        reopens.append(lambda: load(browser, url))
    for reopen in reopens:
        reopen()
        assert browser.current_url == url
        assert same(shown(browser))
        assert browser.find_element(By.ID, "zoek").get_attribute("value") == term
        assert ticked(browser) == sorted(
            f"{k}={v}" for k, vs in {**filters, **facets}.items() for v in vs
        )
    assert console_errors(browser) == []


@browser_test
def test_a_card_opens_in_a_detail_view_with_its_own_url(browser: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    records = {r["id"]: r for r in list_json()}
    load(browser, site_url + "#segment=meedoen")
    _, ids = shown(browser)
    card = next(records[i] for i in ids if records[i]["links"])
    browser.find_element(By.CSS_SELECTOR, f"#kaart-{card['id']} h3 a").click()
    dialog = browser.find_element(By.ID, "detail")
    assert dialog.get_attribute("open") is not None
    assert browser.current_url.endswith(f"#segment=meedoen&kaart={card['id']}")
    assert browser.find_element(By.ID, "detail-titel").text == card["title"]
    links = dialog.find_elements(By.CSS_SELECTOR, ".links a")
    assert [a.get_attribute("href") for a in links] == [x["url"] for x in card["links"]]
    for link in links:
        assert link.get_attribute("target") == "_blank"
        assert "noopener" in link.get_attribute("rel")
    # Escape closes it and goes back to the filtered list
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    assert dialog.get_attribute("open") is None
    WebDriverWait(browser, 5, poll_frequency=0.05).until(
        lambda d: d.current_url.endswith("#segment=meedoen")
    )
    assert shown(browser)[1] == ids
    # the browser's Back button closes it too
    browser.find_element(By.CSS_SELECTOR, f"#kaart-{card['id']} h3 a").click()
    assert dialog.get_attribute("open") is not None
    browser.back()
    WebDriverWait(browser, 5, poll_frequency=0.05).until(
        lambda d: d.current_url.endswith("#segment=meedoen")
    )
    assert dialog.get_attribute("open") is None

    # a card's own link opens it directly
    load(browser, site_url + "#kaart=T04")
    assert browser.find_element(By.ID, "detail").get_attribute("open") is not None
    assert browser.find_element(By.ID, "detail-titel").text == records["T04"]["title"]
    browser.find_element(By.CSS_SELECTOR, "#detail .sluit").click()
    assert browser.find_element(By.ID, "detail").get_attribute("open") is None
    assert "kaart=" not in browser.current_url
    assert console_errors(browser) == []


@browser_test
def test_the_keyboard_alone_reaches_every_filter(browser: Any, site_url: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    load(browser, site_url)
    controls = browser.execute_script(
        "const all = [document.getElementById('zoek'),"
        " ...document.querySelectorAll('#filterform input'),"
        " ...document.querySelectorAll('.wedge[role=button]')];"
        "all.forEach((el, i) => el.dataset.test = String(i));"
        "window.reached = new Set();"
        "document.addEventListener('focusin', e => {"
        "  const el = e.target, style = getComputedStyle(el);"
        "  if (el.dataset && el.dataset.test) window.reached.add(el.dataset.test);"
        "  if (el.matches('#filterform input'))"
        "    window.lastOutline = style.outlineStyle + ' ' + style.outlineWidth;"
        "});"
        "return all.length;"
    )
    assert controls > 60
    ActionChains(browser).send_keys(Keys.TAB * (controls + 12)).perform()
    reached = browser.execute_script("return window.reached.size")
    assert reached == controls, "Tab does not reach every filter control"
    outline = browser.execute_script("return window.lastOutline")
    assert outline.startswith("solid") and float(outline.split()[1].rstrip("px")) >= 2

    # Space ticks the focused checkbox, Enter presses a wedge of the wheel
    load(browser, site_url)
    box = checkbox(browser, "soort", "tip")
    browser.execute_script("arguments[0].focus()", box)
    ActionChains(browser).send_keys(Keys.SPACE).perform()
    assert box.is_selected()
    assert shown(browser)[1] == expected_ids({"soort": ["tip"]}, {}, "")
    wedge = browser.execute_script("return document.querySelector('.wedge[data-segment=meedoen]')")
    browser.execute_script("arguments[0].focus()", wedge)
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert wedge.get_attribute("aria-pressed") == "true"
    assert checkbox(browser, "segment", "meedoen").is_selected()
    assert shown(browser)[1] == expected_ids({"soort": ["tip"], "segment": ["meedoen"]}, {}, "")
    assert console_errors(browser) == []


@browser_test
def test_wheel_segments_are_filters(browser: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By

    load(browser, site_url)
    for segment in ("meepraten", "transparantie"):
        browser.find_element(By.CSS_SELECTOR, f".wedge[data-segment={segment}] path").click()
    assert shown(browser)[1] == expected_ids({"segment": ["transparantie", "meepraten"]}, {}, "")
    assert browser.current_url.endswith("#segment=transparantie,meepraten")
    browser.find_element(By.CSS_SELECTOR, ".wedge[data-segment=meepraten] path").click()
    assert shown(browser)[1] == expected_ids({"segment": ["transparantie"]}, {}, "")
    # a chip takes its filter away; "Alles wissen" takes them all away
    browser.find_element(By.ID, "zoek").send_keys("buurt")
    browser.find_element(By.XPATH, "//div[@id='actief']/button[starts-with(., 'Segment')]").click()
    assert sorted(shown(browser)[1]) == sorted(expected_ids({}, {}, "buurt"))
    checkbox(browser, "soort", "tip").click()
    browser.find_element(By.CSS_SELECTOR, "#actief .wis").click()
    assert shown(browser)[1] == expected_ids({}, {}, "")
    assert ticked(browser) == [] and "#" not in browser.current_url
    assert console_errors(browser) == []


@browser_test
def test_phone_width_and_print(browser: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By

    metrics = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        load(browser, site_url)
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        panel = browser.find_element(By.ID, "filters")
        button = browser.find_element(By.ID, "filterknop")
        assert not panel.is_displayed() and button.is_displayed()
        button.click()
        assert panel.is_displayed() and button.get_attribute("aria-expanded") == "true"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        load(browser, site_url)
        assert not browser.find_element(By.ID, "filters").is_displayed()
        assert not browser.find_element(By.ID, "zoek").is_displayed()
        card = next(r for r in list_json() if r["links"] and r["facets"])
        extra = browser.find_element(By.CSS_SELECTOR, f"#kaart-{card['id']} .extra")
        assert extra.is_displayed(), "the print shows every card in full"
        assert (card["links"][0]["label"] or card["links"][0]["url"]) in extra.text
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert console_errors(browser) == []


def test_selection_of_the_site_matches_filters() -> None:
    """`kaartspel site` selects with the same code as `list` and `build`."""
    d = deck()
    cards = select(d, Selection(type=("tip",)))
    data = embedded_data(render(d, cards)["index.html"].decode())
    assert [c["id"] for c in data["cards"]] == [c.id for c in cards]


# ---------------------------------------------------------------- the search index
def test_words_are_folded_and_split_as_the_page_does() -> None:
    assert site_index.tokenize("BIN's, BIN-Z (2022) Enquête") == [
        "BIN",
        "s",
        "BIN",
        "Z",
        "2022",
        "Enquête",
    ]
    assert [site_index.fold(w) for w in ("Enquête", "EFFICIËNTIE", "e\u0301te\u0301", "Ça")] == [
        "enquete",
        "efficientie",
        "ete",
        "ca",
    ]
    # the fast path ([^\W_]+) splits as the rule says: runs of letters, digits and marks
    import itertools
    import unicodedata

    def by_category(text: str) -> list[str]:
        runs = itertools.groupby(text, lambda ch: unicodedata.category(ch)[0] in "LNM")
        return ["".join(chars) for is_word, chars in runs if is_word]

    samples = [c.title + " " + c.text + " " + (c.place or "") for c in deck().cards]
    samples += ["x_y·z—a’b «c» 3½ Ⅻ ٣ e\u0301 क्षि", "e\u0301te\u0301 x_y"]
    for text in samples:
        assert site_index.tokenize(text) == by_category(text), text
    # the page's script splits and folds with the same rules (site_index.py says so too)
    script = (ROOT / "src/kaartspel/site_assets/site.js").read_text(encoding="utf-8")
    assert "const WORD = /[\\p{L}\\p{N}\\p{M}]+/gu;" in script
    assert 'word.toLowerCase().normalize("NFD").replace(/\\p{M}+/gu, "")' in script


def test_the_index_is_in_minisearch_json_format() -> None:
    """Two small documents, the expected index worked out by hand from MiniSearch's rules:
    field lengths count distinct words as written, averages run over all documents so far,
    an absent field has no length (null) and no terms."""
    docs = [
        {"id": 0, "title": "Wijktafel in Gent", "text": "De wijktafel, de WIJKTAFEL."},
        {"id": 1, "title": "Enquête", "place": "Gent"},
    ]
    index = site_index.build_index(docs)
    fields = {name: i for i, name in enumerate(site_index.SEARCH_FIELDS)}
    t, p, x = (str(fields[k]) for k in ("title", "place", "text"))
    assert index == {
        "documentCount": 2,
        "nextId": 2,
        "documentIds": {"0": 0, "1": 1},
        "fieldIds": fields,
        "fieldLength": {"0": [3] + [None] * (fields["text"] - 1) + [4], "1": [1, 1]},
        # MiniSearch averages a field over the documents so far, a missing field counting 0
        # before its first use (place: (0 + 1) / 2) and not at all after it (text stays 4)
        "averageFieldLength": [2, 0.5, None, None, None, None, 4],
        "storedFields": {},
        "dirtCount": 0,
        "index": [
            ["de", {x: {"0": 2}}],
            ["enquete", {t: {"1": 1}}],
            ["gent", {t: {"0": 1}, p: {"1": 1}}],
            ["in", {t: {"0": 1}}],
            ["wijktafel", {t: {"0": 1}, x: {"0": 2}}],
        ],
        "serializationVersion": 2,
    }
    assert [f for f in fields] == ["title", "place", "wheel", "facets", "tags", "links", "text"]


def test_the_page_embeds_the_index_of_its_cards() -> None:
    found = re.search(
        r'<script type="application/json" id="kaartspel-index">(.*?)</script>', page(), re.S
    )
    assert found
    index = json.loads(found.group(1))
    assert index["documentCount"] == len(deck().cards)
    assert index == site_index.build_index(search_documents(deck(), deck().cards))
    words = {term for term, _ in index["index"]}
    assert {"meedoen", "enquete", "kortrijk", "jongeren", "bin"} <= words
    assert all(w == site_index.fold(w) for w in words)


def test_every_word_of_the_page_comes_from_the_wording_data() -> None:
    dutch = wording.for_language("nl").section("site")
    for language in wording.shipped_languages():
        words = wording.for_language(language).section("site")
        assert sorted(words) == sorted(dutch), language
    # no Dutch interface word is left in the code or the page's files
    for name in ("site.py", "site_assets/site.js", "site_assets/index.html"):
        text = (ROOT / "src/kaartspel" / name).read_text(encoding="utf-8")
        for word in ("Zoeken", "kaarten gevonden", "Sluiten", "Kenmerken", "Bronnen", "opent in"):
            assert word not in text, (name, word)
    # a deck in French gets a French page (the default deck's texts with language: fr)
    import dataclasses

    french = dataclasses.replace(deck(), language="fr")
    html = render(french, french.cards)["index.html"].decode("utf-8")
    fr = wording.for_language("fr").section("site")
    for key in ("search", "filters_help", "wheel_title", "skip", "search_help", "group_type"):
        assert escape_html(fr[key]) in html, key
    assert ">Zoeken<" not in html and '"found":"{n} cartes trouvées"' in html


def escape_html(text: str) -> str:
    import html

    return html.escape(text, quote=True)


# ---------------------------------------------------------------- the search in Chromium
def search_for(driver: Any, url: str, term: str) -> list[str]:
    """Type `term` into the search box of a fresh page; the ids shown, best first."""
    from selenium.webdriver.common.by import By

    load(driver, url)
    driver.find_element(By.ID, "zoek").send_keys(term)
    count, ids = shown(driver)
    assert count == len(ids)
    return ids


@browser_test
def test_the_page_searches_with_the_index_minisearch_builds(browser: Any, site_url: str) -> None:
    """MiniSearch itself, run in the page on the same documents with the page's options,
    builds the index kaartspel embedded (the terms may come in another order)."""
    load(browser, site_url)
    documents = search_documents(deck(), deck().cards)
    built, embedded = browser.execute_script(
        "const WORD = /[\\p{L}\\p{N}\\p{M}]+/gu;"
        "const tokenize = (text) => text.match(WORD) || [];"
        "const fold = (w) => w.toLowerCase().normalize('NFD').replace(/\\p{M}+/gu, '');"
        "const ms = new MiniSearch({fields: arguments[1], tokenize, processTerm: fold});"
        "ms.addAll(arguments[0].map((d) => Object.fromEntries("
        "  Object.entries(d).filter(([k, v]) => v !== null))));"
        "return [JSON.stringify(ms), document.getElementById('kaartspel-index').textContent];",
        documents,
        list(site_index.SEARCH_FIELDS),
    )
    built, embedded = json.loads(built), json.loads(embedded)
    built["index"].sort()
    embedded["index"].sort()
    assert built == embedded


@browser_test
def test_meedoen_gives_every_meedoen_card_first(browser: Any, site_url: str) -> None:
    meedoen = [r["id"] for r in list_json("--segment", "meedoen")]
    ids = search_for(browser, site_url, "Meedoen")
    assert meedoen and sorted(ids[: len(meedoen)]) == sorted(meedoen)


@browser_test
def test_accents_do_not_count(browser: Any, site_url: str) -> None:
    with_accent = {i for i, words in searched_words().items() if "enquete" in words}
    written = {
        r["id"]
        for r in list_json()
        if "enquête" in json.dumps(r, ensure_ascii=False).lower()
        or "enquete" in r["facets"].get("methode", [])
    }
    assert written and written <= with_accent
    assert set(search_for(browser, site_url, "enquete")) == with_accent
    assert set(search_for(browser, site_url, "ENQUÊTE")) == with_accent


@browser_test
def test_short_words_match_whole_words_only(browser: Any, site_url: str) -> None:
    ids = search_for(browser, site_url, "BIN")
    assert ids[0] == "S01"
    for card_id in ids:
        assert any(
            w == "bin" or (w.startswith("bin") and len(w) < 6) for w in searched_words()[card_id]
        )
    binnen = {i for i, words in searched_words().items() if "binnen" in words}
    only_binnen = binnen - {i for i, w in searched_words().items() if "bin" in w}
    assert only_binnen and not only_binnen & set(ids), "BIN finds cards that only say 'binnen'"
    # "Gent": the city (and "Gentse"), not "Agent", "wijkagent" or "gentrificatie"
    gent = set(search_for(browser, site_url, "Gent"))
    near = {
        i
        for i, words in searched_words().items()
        if any(w.startswith("gent") and len(w) < 8 for w in words)
    }
    inside = {i for i, words in searched_words().items() if any("gent" in w for w in words)} - near
    assert gent == near and inside and not inside & gent


@browser_test
def test_kortrijk_ranks_the_cards_placed_there_first(browser: Any, site_url: str) -> None:
    records = list_json()
    placed = {r["id"] for r in records if "kortrijk" in terms(r["place"] or "")}
    mentioned = reference_hits("kortrijk") - placed  # in a text, a link, "Kortrijkse", ...
    assert placed and mentioned
    ids = search_for(browser, site_url, "kortrijk")
    assert set(ids) >= placed | mentioned
    assert max(ids.index(i) for i in placed) < min(ids.index(i) for i in mentioned)


@browser_test
def test_a_typo_still_finds_the_card(browser: Any, site_url: str) -> None:
    t05 = next(r for r in list_json() if r["id"] == "T05")
    assert t05["title"] == "Wijktafel"
    assert search_for(browser, site_url, "wijktafle")[0] == "T05"
    assert "T05" in search_for(browser, site_url, "WIJKTAFL")


@browser_test
def test_matched_words_are_highlighted(browser: Any, site_url: str) -> None:
    script = (
        "return Array.from(document.querySelectorAll('#kaarten mark'),"
        " m => [m.parentElement.className || m.parentElement.tagName, m.textContent])"
    )
    for term, where in (("buurt", {"A", "tekst"}), ("kortrijk", {"A", "tekst", "plaats"})):
        ids = search_for(browser, site_url, term)
        marks = browser.execute_script(script)
        assert where <= {m[0] for m in marks}, (term, marks)  # title link, text, place
        assert all(word_matches(term, site_index.fold(word)) for _, word in marks), marks
        # the highlight is the word as written: the title reads as before
        title = browser.execute_script("return document.querySelector('#kaarten h3 a').textContent")
        assert title == next(r["title"] for r in list_json() if r["id"] == ids[0])


@browser_test
def test_no_results_suggests_the_nearest_words(browser: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def offered() -> list[Any]:
        # the suggestions come once the typing stops
        return WebDriverWait(browser, 5, poll_frequency=0.05).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#suggesties button")
        )

    assert search_for(browser, site_url, "wiktafl") == []
    assert browser.find_element(By.ID, "geen").is_displayed()
    buttons = offered()
    assert [b.text for b in buttons][:1] == ["Wijktafel"]
    assert buttons[0].get_attribute("aria-label") == "Zoek op Wijktafel"
    buttons[0].click()
    assert shown(browser)[1][0] == "T05"
    assert "zoek=Wijktafel" in browser.current_url
    # two words that never meet: each alone is offered
    assert search_for(browser, site_url, "enquête kortrijk") == []
    assert [b.text for b in offered()][:2] == ["Enquête", "Kortrijk"]


@browser_test
def test_on_a_phone_the_search_box_is_on_the_first_screen(browser: Any, site_url: str) -> None:
    metrics = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        load(browser, site_url)
        top, bottom, wheel, height = browser.execute_script(
            "const r = document.getElementById('zoek').getBoundingClientRect();"
            "return [r.top, r.bottom, document.querySelector('.wiel').getBoundingClientRect().top,"
            " window.innerHeight]"
        )
        assert height == 844 and 0 <= top < bottom <= 844 and wheel > bottom
        # and the first card starts on that screen too
        first = browser.execute_script(
            "return document.querySelector('#kaarten > li').getBoundingClientRect().top"
        )
        assert first < 844
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    from PIL import Image

    with Image.open(ROOT / "docs" / "site-phone.png") as image:
        assert image.size == (390, 844), "the phone screenshot is one phone screen"


AXE = ROOT / ".venv" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(driver: Any) -> list[str]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` fetches it (npm pack axe-core)", pytrace=False)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found: list[str] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then((r) => done(r.violations.map((v) => v.id + ': ' + v.help + ' @ '"
        " + v.nodes.map((n) => n.target.join(' ')).join(', '))));",
        WCAG_TAGS,
    )
    return found


@browser_test
@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_axe_finds_no_wcag_21_aa_violation(
    browser: Any, site_url: str, width: int, height: int
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        load(browser, site_url)
        browser.find_element(By.ID, "zoek").send_keys("buurt")
        if width < 600:
            browser.find_element(By.ID, "filterknop").click()
        checkbox(browser, "segment", "meedoen").click()
        assert shown(browser)[0] > 0
        assert axe_violations(browser) == [], "search and filter"
        assert search_for(browser, site_url, "wiktafl") == []
        WebDriverWait(browser, 5, poll_frequency=0.05).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#suggesties button")
        )
        assert axe_violations(browser) == [], "no results, with suggestions"
        load(browser, site_url + "#zoek=buurt&segment=meedoen")
        browser.find_element(By.CSS_SELECTOR, "#kaarten h3 a").click()
        assert browser.find_element(By.ID, "detail").get_attribute("open") is not None
        assert axe_violations(browser) == [], "detail view"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@browser_test
def test_the_detail_view_is_a_dialog_that_keeps_and_returns_the_focus(
    browser: Any, site_url: str
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    load(browser, site_url + "#zoek=buurt")
    link = browser.find_element(By.CSS_SELECTOR, "#kaarten h3 a")
    browser.execute_script("arguments[0].focus()", link)
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    dialog = browser.find_element(By.ID, "detail")
    assert dialog.get_attribute("open") is not None
    # a modal dialog, named by its title, the focus on its close button
    assert browser.execute_script(
        "const d = document.getElementById('detail');"
        "return d.matches(':modal') && document.getElementById(d.getAttribute("
        "'aria-labelledby')).textContent === d.querySelector('h2').textContent"
    )
    assert browser.switch_to.active_element.text == WORDS["close"]
    # Tab never leaves it
    for _ in range(12):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        assert browser.execute_script(
            "return document.getElementById('detail').contains(document.activeElement)"
            " || document.activeElement === document.body"
        )
    ActionChains(browser).send_keys(Keys.ESCAPE).perform()
    assert dialog.get_attribute("open") is None
    assert browser.switch_to.active_element == link, "the focus goes back to the card"


@browser_test
def test_the_count_is_announced_and_motion_can_be_reduced(browser: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By

    load(browser, site_url)
    count = browser.find_element(By.ID, "aantal")
    assert count.get_attribute("role") == "status"
    browser.find_element(By.ID, "zoek").send_keys("jongeren")
    assert count.text == WORDS["found"].replace("{n}", str(shown(browser)[0]))
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
    )
    try:
        assert browser.execute_script(
            "return matchMedia('(prefers-reduced-motion: reduce)').matches"
        )
        durations = browser.execute_script(
            "return Array.from(document.querySelectorAll('a, button, input, .kaart'),"
            " e => getComputedStyle(e).transitionDuration)"
        )
        assert set(durations) == {"0s"}
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


# ---------------------------------------------------------------- the French site in Chromium
@pytest.fixture(scope="module")
def french_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kaartspel site --lang fr` of the default deck (written to site/fr/), served."""
    out = tmp_path_factory.mktemp("site-fr")
    result = run_cli("site", "--deck", str(DEFAULT_DECK), "--out", str(out), "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert (out / "fr" / "index.html").is_file()
    with chromium.serve(out) as address:
        yield f"{address}/fr/index.html"


# what a player reads of the interface: headings, labels, buttons, the count, the detail view,
# and the words only assistive technology reads (aria-label, placeholder, title, alt)
INTERFACE_TEXT = """
const parts = [document.title];
const shownText = el => el.offsetParent !== null || el.tagName === 'DIALOG';
for (const el of document.querySelectorAll(
    'h1, h2, h3, legend, label, button, summary, a.skip, #aantal, #detail, .chip, p')) {
  if (shownText(el)) parts.push(el.innerText);
}
for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
  for (const a of ['aria-label', 'placeholder', 'title', 'alt'])
    if (el.getAttribute(a)) parts.push(el.getAttribute(a));
}
return parts.join('\\n');
"""


def _interface_words(language: str) -> set[str]:
    text = " ".join(wording.for_language(language).section("site").values())
    return {w for w in re.findall(r"[^\W\d_]{3,}", site_index.fold(text))}


@browser_test
def test_the_french_site_speaks_french(browser: Any, french_site_url: str) -> None:
    """The French edition's site in Chromium: controls, counts and headings in French, and no
    Dutch word of the interface anywhere a player (or a screen reader) meets it."""
    from selenium.webdriver.common.by import By

    fr = wording.for_language("fr").section("site")
    french = load_deck(DEFAULT_DECK, "fr")
    browser.get_log("browser")
    load(browser, french_site_url)
    assert console_errors(browser) == []
    assert browser.execute_script("return document.documentElement.lang") == "fr"
    assert browser.title.startswith(f"{fr['bank']} · {french.title}")

    def count() -> str:
        text: str = browser.find_element(By.ID, "aantal").text
        return text

    assert count() == fr["found"].replace("{n}", str(len(french.cards)))
    headings = browser.execute_script(
        "return Array.from(document.querySelectorAll('h1, h2'), h => h.innerText.trim())"
    )
    assert fr["wheel_title"] in headings and fr["results"] in headings, headings
    search = browser.find_element(By.ID, "zoek")
    assert search.get_attribute("placeholder") == fr["search_placeholder"]
    # a filter ticked: the count and the chip in French
    checkbox(browser, "soort", "tip").click()
    tips = sum(1 for c in french.cards if c.type.id == "tip")
    assert count() == fr["found"].replace("{n}", str(tips))
    chips = browser.execute_script(
        "return Array.from(document.querySelectorAll('#actief .chip'),"
        " b => b.getAttribute('aria-label'))"
    )
    tip_name = next(t.name for t in french.card_types if t.id == "tip")
    assert [c.startswith(fr["remove"].split("{")[0]) and tip_name in c for c in chips] == [True]
    # a search without results: the French message and suggestions
    search.clear()
    search.send_keys("qqqqqqq")
    assert count() == fr["found_none"]
    seen = browser.execute_script(INTERFACE_TEXT)
    # the detail view of a card
    load(browser, french_site_url + "#kaart=T04")
    detail = browser.find_element(By.ID, "detail")
    assert detail.get_attribute("open") is not None
    assert browser.find_element(By.ID, "detail-titel").text == next(
        c.title for c in french.cards if c.id == "T04"
    )
    assert browser.find_element(By.CSS_SELECTOR, "#detail .sluit").text == fr["close"]
    seen += "\n" + browser.execute_script(INTERFACE_TEXT)
    assert console_errors(browser) == []
    # "met" (Dutch "with") is a French word too ("un observatoire met ... à côté")
    dutch_only = _interface_words("nl") - _interface_words("fr") - {"met"}
    assert {"zoeken", "kaarten", "gevonden", "sluiten", "kenmerken"} <= dutch_only
    found = {w for w in re.findall(r"[^\W\d_]{3,}", site_index.fold(seen))} & dutch_only
    lines = [x for x in seen.splitlines() if found & set(re.findall(r"\w+", site_index.fold(x)))]
    assert found == set(), lines
    assert {"rechercher", "filtres", "cartes"} <= set(re.findall(r"\w+", site_index.fold(seen)))
