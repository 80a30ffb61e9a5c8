"""The one place a reportlab PDF canvas is set up, for card sheets, the booklet and the
calibration sheet alike: deterministic output (invariant mode), compressed pages, the fonts in
use registered, the document's metadata and duplex hint."""

from __future__ import annotations

import io
from typing import Any

from . import fonts


def load() -> None:
    """Import reportlab's canvas module (a tenth of a second) ahead of `canvas`: once before a
    fork, for both processes."""
    from reportlab.pdfgen import canvas as _  # noqa: F401


def canvas(
    buffer: io.BytesIO,
    *,
    title: str,
    subject: str,
    author: str = "",
    pagesize: tuple[float, float] | None = None,
    cmyk: bool = False,
    duplex: str | None = None,
) -> Any:
    """A reportlab canvas writing into `buffer`; `duplex` 'long' or 'short' asks the viewer
    to print on both sides, flipping on that edge."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as rl_canvas

    rl_config.useA85 = 0
    fonts.register()
    fonts.register_family()
    c = rl_canvas.Canvas(
        buffer,
        pagesize=pagesize or A4,
        invariant=1,
        pageCompression=1,
        initialFontName=fonts.FAMILY["regular"],
        enforceColorSpace="cmyk" if cmyk else None,
    )
    if duplex in ("long", "short"):
        c.setViewerPreference(
            "Duplex", "DuplexFlipLongEdge" if duplex == "long" else "DuplexFlipShortEdge"
        )
    c.setTitle(title)
    if author:
        c.setAuthor(author)
    c.setSubject(subject)
    c.setCreator("kaartspel")
    c.setProducer("kaartspel (reportlab)")
    return c
