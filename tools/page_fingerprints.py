#!/usr/bin/env python3
"""Fingerprints of a build's output, for tests/test_scale.py's "what the user gets" check.

    python tools/page_fingerprints.py OUT_FOLDER > tests/data/page-fingerprints.json

Per PDF: a SHA-256 (first 16 hex digits) of every page rendered at 150 dpi with pypdfium2
(pixels, not bytes: a change in how the PDF is written that draws the same is allowed) and of
every page's extracted text; per layout manifest, of its bytes. Made from the build before a
performance change; the test rebuilds the default deck and compares.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

DPI = 150


def _short(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def fingerprints(folder: Path) -> dict[str, Any]:
    import pypdfium2 as pdfium

    out: dict[str, Any] = {}
    for path in sorted(folder.glob("*.pdf")):
        doc = pdfium.PdfDocument(path)
        pages, texts = [], []
        for page in doc:
            pages.append(_short(page.render(scale=DPI / 72).to_pil().tobytes()))
            texts.append(_short(page.get_textpage().get_text_range().encode()))
        doc.close()
        out[path.name] = {"pixels": pages, "text": texts}
    for path in sorted(folder.glob("*.layout.json")):
        out[path.name] = _short(path.read_bytes())
    return out


if __name__ == "__main__":
    print(json.dumps(fingerprints(Path(sys.argv[1])), indent=1))
