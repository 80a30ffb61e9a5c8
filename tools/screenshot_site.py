"""Screenshots of the website for the README: docs/site-desktop.png and docs/site-phone.png.

Builds the site of the default deck into a temporary folder, serves it from 127.0.0.1 and
photographs it in Debian's headless Chromium (chromium + chromium-driver) through Selenium,
at 1280 CSS pixels wide and on a 390 x 844 phone screen, with a search and a filter set so the
picture shows them at work.

    .venv/bin/python tools/screenshot_site.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from chromium import chrome, serve

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

# (file, width, height, mobile, URL fragment, scroll to the element with this id)
SHOTS = [
    ("site-desktop.png", 1280, 1400, False, "#zoek=buurt&segment=meepraten,meedoen", None),
    # exactly the first screen of a phone: the search box must be on it
    ("site-phone.png", 390, 844, True, "#zoek=jongeren&soort=inspiratie", None),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run(
            [sys.executable, "-m", "kaartspel", "site", "--deck", str(ROOT / "deck")]
            + ["--out", str(site)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with serve(site) as address:
            driver = chrome(Path(tmp) / "profile", "--hide-scrollbars")
            try:
                shoot(driver, f"{address}/index.html")
            finally:
                driver.quit()


def shoot(driver: Any, url: str) -> None:
    """Each of SHOTS, written to docs/."""
    DOCS.mkdir(exist_ok=True)
    for name, width, height, mobile, fragment, anchor in SHOTS:
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
        driver.get("about:blank")
        driver.get(url + fragment)
        if anchor:
            driver.execute_script("document.getElementById(arguments[0]).scrollIntoView()", anchor)
        time.sleep(0.3)
        png = driver.get_screenshot_as_png()
        (DOCS / name).write_bytes(png)
        print(DOCS / name)


if __name__ == "__main__":
    main()
