"""Link hygiene: warnings (never errors) about the deck's URLs that work but should not be
printed as they are: a known tracking or client parameter (utm_*, fbclid, app=desktop, ...)
and a plain http:// link. `kaartspel check` prints them on stderr and counts them.

Pure: reads the loaded deck, returns located messages; no network, no printing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from .model import Deck
from .source import display_path

# query keys that only identify a campaign, a click or a client, never the page
TRACKING_KEYS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref_src",
        "si",
    }
)
TRACKING_PREFIXES = ("utm_",)
# key=value pairs that pick a client or app, not a page
CLIENT_PAIRS = frozenset({("app", "desktop"), ("app", "mobile"), ("feature", "share")})


@dataclass(frozen=True)
class LinkWarning:
    where: str  # file:line:col of the card, or deck.yaml for the bibliography
    what: str  # "T07 link 1" or "bibliography 'myhill2012'"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: warning: {self.what}: {self.message}"


def problems(url: str) -> list[str]:
    """What is wrong with one URL, as short phrases (empty when nothing is)."""
    found = []
    parts = urlsplit(url)
    if parts.scheme.lower() == "http":
        found.append("plain http:// link; use https:// where the site has it")
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        low = key.lower()
        if low in TRACKING_KEYS or low.startswith(TRACKING_PREFIXES):
            found.append(f"tracking parameter '{key}'; remove it")
        elif (low, value.lower()) in CLIENT_PAIRS:
            found.append(f"client parameter '{key}={value}'; remove it")
    return found


def warnings(deck: Deck) -> list[LinkWarning]:
    """Every link warning of the deck: the cards' links in deck order, then the bibliography."""
    out = []
    for card in deck.cards:
        for n, link in enumerate(card.links, start=1):
            for message in problems(link.url):
                out.append(
                    LinkWarning(str(card.origin), f"{card.id} link {n}", f"{message}: {link.url}")
                )
    where = display_path(deck.root / "deck.yaml")
    for source in deck.bibliography:
        for message in problems(source.url or ""):
            out.append(
                LinkWarning(where, f"bibliography '{source.id}'", f"{message}: {source.url}")
            )
    return out
