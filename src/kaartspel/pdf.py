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


class PagesCompressedAhead:
    """Each finished page's content stream compressed on a thread while the next pages are
    drawn, instead of all of them inside `canvas.save()`: zlib works without Python's lock, so
    the other core does it. The bytes are reportlab's own (the same `zlib.compress` call), and
    a page's uncompressed text is let go as soon as it is compressed. Call `page_done()` after
    each `showPage()`, `close()` after `save()`."""

    def __init__(self, canvas: Any) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._canvas = canvas
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="compress")

    def page_done(self) -> None:
        import zlib

        from reportlab.pdfbase.pdfdoc import PDFStream

        page = self._canvas._doc.Pages.pages[-1]
        text, page.stream = page.stream, None
        if not text or not page.compression:  # reportlab's own path for these
            page.stream = text
            return
        stream = PDFStream()
        stream.filters = [_Compressed(self._pool.submit(zlib.compress, text.encode("utf8")))]
        stream.content = ""  # the filter holds the bytes
        stream.__Comment__ = "page stream"
        page.Contents = stream

    def close(self) -> None:
        self._pool.shutdown(wait=True)


class _Compressed:
    """reportlab's Flate filter for one page stream, done ahead (`PagesCompressedAhead`)."""

    pdfname = "FlateDecode"

    def __init__(self, future: Any) -> None:
        self._future = future

    def encode(self, text: str) -> bytes:
        data: bytes = self._future.result()
        return data
