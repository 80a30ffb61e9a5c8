"""The bench's N-card deck drawn with protograf, for bench/run.py --protograf (run by the
interpreter of bench/.protograf-venv, Python >= 3.13, where protograf 0.6.0 is installed).

    python bench/protograf_deck.py CARDS.json OUT.pdf

CARDS.json: a list of {"title", "text", "url"} (url may be empty). Each card as kaartspel's
default front draws it in outline: a coloured band with the title, the text wrapped in the body,
a QR code of the link where there is one; poker size, 9 a page on A4, with grid marks.
"""

import json
import sys

from protograf import Card, Create, Data, Deck, Save, T, qrcode, rectangle, text

cards_file, out_file = sys.argv[1:3]
del sys.argv[1:]  # protograf parses the command line itself
with open(cards_file, encoding="utf-8") as f:
    cards = json.load(f)
Create(filename=out_file, paper="A4", margin=0.5)
rows = [["title", "text", "url"]] + [[c["title"], c["text"], c["url"]] for c in cards]
Data(data_list=rows)
Deck(cards=len(cards), card_size="poker", grid_marks=True)
band = rectangle(x=0, y=0, width=6.35, height=1.4, fill="#1d6f8a", stroke=None)
title = text(
    text=T("{{ title }}"),
    x=0.3,
    y=0.4,
    width=5.75,
    height=0.8,
    font_size=10,
    stroke="white",
    wrap=True,
    align="left",
)
body = text(
    text=T("{{ text }}"), x=0.3, y=1.7, width=5.75, height=5.0, font_size=8, wrap=True, align="left"
)
Card("all", band, title, body)
with_url = [i + 1 for i, c in enumerate(cards) if c["url"]]
if with_url:
    # each card's code in its own image file (protograf draws a QR code as a PNG image)
    files = [f"kaartspel-bench-qr-{i}.png" for i in range(len(cards))]
    code = qrcode(source=files, text=T("{{ url }}"), x=4.3, y=6.8, width=1.8, height=1.8)
    Card(with_url, code)
Save()
