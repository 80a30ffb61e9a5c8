"""Render the pictures in docs/ from a fresh build of the default deck (`make docs`).

Writes docs/sheet-front.png and docs/sheet-back.png (the first front and back sheet) and
docs/cards.png (a close-up of one card of every design), at a size fit for the README.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kaartspel",
                "build",
                "--deck",
                str(ROOT / "deck"),
                "--out",
                str(out),
                "--no-instructions",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        pdf = pdfium.PdfDocument(str(out / "kaarten.pdf"))
        layout = json.loads((out / "kaarten.layout.json").read_text())
        DOCS.mkdir(exist_ok=True)
        for index, name in ((0, "sheet-front.png"), (1, "sheet-back.png")):
            pdf[index].render(scale=110 / 72).to_pil().convert("RGB").save(
                DOCS / name, optimize=True
            )
        # one card of each design, side by side: first card of each type/segment
        scale = 150 / 72
        wanted = ["T04", "I04", "S03", "Z01", "P11", "C01", "W02"]
        crops = []
        for page in layout["pages"]:
            if page["side"] != "front":
                continue
            image = None
            for slot in page["slots"]:
                if slot["card"] in wanted:
                    if image is None:
                        image = pdf[page["index"]].render(scale=scale).to_pil().convert("RGB")
                    x0, y0, x1, y1 = slot["trim"]
                    h = page["size"][1]
                    # one pixel inside the trim: the neighbours' colour bands start at the cut
                    box = (
                        round(x0 * scale) + 1,
                        round((h - y1) * scale) + 1,
                        round(x1 * scale) - 1,
                        round((h - y0) * scale) - 1,
                    )
                    crops.append((wanted.index(slot["card"]), image.crop(box)))
        crops.sort(key=lambda c: c[0])
        gap = 24
        w, h = crops[0][1].size
        strip = Image.new("RGB", (len(crops) * (w + gap) + gap, h + 2 * gap), "#E9E9EC")
        for k, (_, card) in enumerate(crops):
            strip.paste(card, (gap + k * (w + gap), gap))
        strip.save(DOCS / "cards.png", optimize=True)
        pdf.close()
    for name in ("sheet-front.png", "sheet-back.png", "cards.png"):
        print(DOCS / name)


if __name__ == "__main__":
    main()
