"""Raster export: card faces as PNG images at an exact pixel size, for print shops that take
images (The Game Crafter, MakePlayingCards) and for previews.

Renders a one-face-per-page PDF (from `paint`) with pypdfium2; a page of W x H points
becomes round(W * dpi / 72) x round(H * dpi / 72) pixels. The contact sheet of previews (the
faces in labelled rows, pages of 48, as PNGs and a PDF) is drawn from the PNGs
(`contact_sheet`, for `watch`), or from the pixels while they are rendered (`ContactSheet`):
the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import queue
import struct
import threading
import zlib
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from .impose import Sheet
from .progress import track

ENCODERS = 2  # threads encoding PNGs beside the one rendering (pdfium is not thread-safe)
COMPRESS_LEVEL = 1  # ISA-L's level 1: as small as zlib's level 6 for these flat, sharp faces
BAND = 64  # rows of pixels taken out of an image and deflated at a time (`_png`)


Parts = list[tuple[bytes | Future[bytes], int]]  # PDFs, in order, and how many pages each has


def png_faces(
    pdf: bytes | Parts,
    sheets: list[Sheet],
    dpi: int,
    overview: ContactSheet | None = None,
    promised: Mapping[tuple[str, str], Future[bytes]] | None = None,
    tile_of: list[int] | None = None,
) -> dict[tuple[str, str], bytes]:
    """PNG bytes per (card id, side) of a one-face-per-page PDF (or of the sheets painted in
    parts, one PDF each, in order: a part may still be being painted, a Future).

    Pages are rendered in order by a thread of their own (`_Renderer`: pdfium is not
    thread-safe, so it alone uses it; pdfium lets go of the GIL while it draws) and encoded
    by ENCODERS threads beside it (so does the encoder): at most ENCODERS + 1 pages' pixels
    in memory at a time, whatever the deck's size. A page that differs from an earlier one
    only in its card id (a back many cards share) is drawn the same: it is rendered and
    encoded once. With `overview`, whose tiles are these pages, this thread draws the
    contact sheet from each page as it comes, and the PNGs are encoded by its threads,
    beside its pages (so the renderer slows down while they are busy); its last page may
    still be being encoded on return (page k is its tile `tile_of[k]`, if given: the tiles
    may be in another order). Each PNG is also handed to its Future in `promised` (by card
    id and side) as soon as it is made, so it can be written meanwhile."""
    alike = drawn_alike(sheets)
    pages = [
        (index, round(sheet.width * dpi / 72), round(sheet.height * dpi / 72))
        for index, sheet in enumerate(sheets)
        if alike[index] == index
    ]
    done: dict[int, Future[bytes]] = {}  # by the first page drawn the same
    order: list[tuple[tuple[str, str], Future[bytes]]] = []
    own = ThreadPoolExecutor(ENCODERS, thread_name_prefix="png") if overview is None else None
    pool = overview.pool if overview is not None else own
    assert pool is not None
    parts: Parts = [(pdf, len(sheets))] if isinstance(pdf, bytes) else pdf
    assert sum(count for _, count in parts) == len(sheets)
    renderer = _Renderer(parts, pages, ENCODERS + 1)
    try:
        for index, sheet in track(enumerate(sheets), "images", len(sheets)):
            job = done.get(alike[index])
            if job is None:
                raster = renderer.next()
                job = done[index] = pool.submit(_png_raster, raster, dpi)
                job.add_done_callback(renderer.release)  # its pixels are gone: render on
                if overview is not None:
                    tile = index if tile_of is None else tile_of[index]
                    overview.add(tile, raster.to_image(), job)
                del raster
            slot = sheet.slots[0]
            order.append(((slot.card, slot.side), job))
            if promised is not None:
                job.add_done_callback(partial(_hand_over, promised[slot.card, slot.side]))
        if overview is not None:
            overview.finish()
        return {key: job.result() for key, job in order}
    finally:
        renderer.stop()
        if own is not None:
            own.shutdown(wait=True)


def _hand_over(promise: Future[bytes], job: Future[bytes]) -> None:
    """Give `promise` the outcome of `job`."""
    if job.cancelled():
        promise.cancel()
    elif job.exception() is not None:
        promise.set_exception(job.exception())
    else:
        promise.set_result(job.result())


class _Renderer:
    """Renders `pages` (index, width, height) of a PDF painted in `parts` in their order on a
    thread of its own, the only one that uses pdfium; `next()` is the next page's `Raster`.
    A part still being painted is waited for. At
    most `ahead` pages are rendered and not yet `release`d: the thread waits for a release
    before it renders more. `stop()` ends the thread (at once, whatever is left) and closes
    the document."""

    def __init__(self, parts: Parts, pages: list[tuple[int, int, int]], ahead: int) -> None:
        self.parts, self.pages = parts, pages
        self.slots = threading.Semaphore(ahead)
        self.made: queue.SimpleQueue[tuple[Any, BaseException | None]] = queue.SimpleQueue()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="render", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        import pypdfium2 as pdfium

        document = None
        part, start, end = -1, 0, 0  # the part open, its pages' indexes: start to end
        try:
            for index, width, height in self.pages:
                while not self.slots.acquire(timeout=0.05):
                    if self.stopping.is_set():
                        return
                while index >= end:
                    if document is not None:
                        document.close()
                        document = None
                    part += 1
                    pdf, count = self.parts[part]
                    start, end = end, end + count
                    while isinstance(pdf, Future):
                        try:
                            pdf = pdf.result(timeout=0.05)
                        except TimeoutError:
                            if self.stopping.is_set():
                                return
                    document = pdfium.PdfDocument(pdf)
                if self.stopping.is_set():
                    return
                assert document is not None
                self.made.put((_render(document, index - start, width, height), None))
        except BaseException as exc:  # handed to the caller of `next`
            self.made.put((None, exc))
        finally:
            if document is not None:
                document.close()

    def next(self) -> Raster:
        """The pixels of the next page, once it is rendered."""
        image, problem = self.made.get()
        if problem is not None:
            raise problem
        return image

    def release(self, _: object = None) -> None:
        """A page's pixels are no longer held: one more may be rendered."""
        self.slots.release()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()


def drawn_alike(sheets: list[Sheet]) -> list[int]:
    """For each page, the index of the first page drawn the same: one that differs from it
    only in its card id (a back many cards share), else its own."""
    first: dict[str, int] = {}
    alike = []
    for index, sheet in enumerate(sheets):
        slots = tuple(replace(s, card="") for s in sheet.slots)
        alike.append(first.setdefault(repr(replace(sheet, index=0, slots=slots)), index))
    return alike


class Raster:
    """A page's pixels as a PNG holds them before they are deflated: each row of `width` RGB
    pixels after its filter type byte, 0 (none), in `data`, `height` rows (and one spare
    byte: pdfium draws the pixels from `data[1:]`, each row's last byte there the next row's
    filter type, which it leaves alone). White until drawn on."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.stride = 1 + 3 * width  # bytes of a row, its filter type first
        self.data = bytearray(b"\xff") * (self.stride * height + 1)
        self.data[:: self.stride] = bytes(height + 1)  # filter type 0 (and the spare byte)

    def rows(self) -> memoryview:
        """The rows, each after its filter type: what a PNG deflates."""
        return memoryview(self.data)[: self.stride * self.height]

    def to_image(self) -> Any:
        """A Pillow RGB image of the pixels (a copy)."""
        from PIL import Image

        pixels: Any = memoryview(self.data)[1:]  # (Pillow reads any buffer)
        size = (self.width, self.height)
        return Image.frombuffer("RGB", size, pixels, "raw", "RGB", self.stride, 1)


def _render(document: Any, index: int, width: int, height: int) -> Raster:
    """Page `index` of a pdfium document drawn onto exactly width x height pixels, without
    resampling (page.render makes ceil(W * scale) pixels), straight into the rows of a PNG
    (`Raster`: white, so no fill first). pdfium's own calls, without its Python helpers
    (each page, bitmap and fill was one more wait for the GIL on this thread, which paces
    the preview, and Python work besides)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    raster = Raster(width, height)
    pixels = (ctypes.c_ubyte * (raster.stride * height)).from_buffer(raster.data, 1)
    page = pdfium_c.FPDF_LoadPage(document, index)
    if not page:
        raise pdfium.PdfiumError(f"Failed to load page {index}.")
    try:
        rgb = pdfium_c.FPDFBitmap_BGR  # with FPDF_REVERSE_BYTE_ORDER: RGB
        bitmap = pdfium_c.FPDFBitmap_CreateEx(width, height, rgb, pixels, raster.stride)
        if not bitmap:
            raise pdfium.PdfiumError(f"Failed to create a bitmap of {width} x {height}.")
        try:
            flags = pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_REVERSE_BYTE_ORDER  # page.render's own
            pdfium_c.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, flags)
        finally:
            pdfium_c.FPDFBitmap_Destroy(bitmap)
    finally:
        pdfium_c.FPDF_ClosePage(page)
        del pixels  # lets go of raster.data
    return raster


def _png(image: Any, dpi: float) -> bytes:
    """The PNG of an RGB image, its resolution recorded as Pillow records it (pHYs, in
    pixels per metre). Its rows are not filtered (filter type 0) and are deflated by ISA-L
    (`isal`) at COMPRESS_LEVEL: the pixels Pillow's encoder would store, about as small for
    these flat faces, in a tenth of the time (Pillow tries five filters on every row, then
    zlib deflates), BAND rows at a time (no copy of a big image's pixels is held)."""
    return _PngRows(image, dpi).finish()


class _PngRows:
    """`_png` of an image made while it is drawn: `upto(y)` deflates the bands of BAND rows
    all above row y (drawn for good), `finish()` the rest; the same bytes as `_png` of the
    finished image (the same rows deflated in the same bands). Holds the GIL while it
    deflates (isal's one-shot call does not, but it took 17 MiB more memory in a PNG
    export, measured)."""

    def __init__(self, image: Any, dpi: float) -> None:
        from isal import isal_zlib

        if image.mode != "RGB":
            raise ValueError(f"an RGB image was expected, not {image.mode}")
        self.image, self.dpi, self.top = image, dpi, 0
        self.deflate = isal_zlib.compressobj(COMPRESS_LEVEL)
        self.data: list[bytes] = []

    def upto(self, bottom: int) -> None:
        """Deflate the bands whose rows are all above row `bottom`."""
        width, height = self.image.size
        while self.top < height and min(height, self.top + BAND) <= bottom:
            end = min(height, self.top + BAND)
            rows = self.image.crop((0, self.top, width, end)).tobytes()
            self.data.append(self.deflate.compress(_filtered(rows, width * 3)))
            self.top = end

    def finish(self) -> bytes:
        """The PNG, once the image is drawn."""
        self.upto(self.image.height)
        self.data.append(self.deflate.flush())
        width, height = self.image.size
        return _png_file(b"".join(self.data), width, height, self.dpi)


def _png_raster(raster: Raster, dpi: float) -> bytes:
    """The PNG of a `Raster`: the same bytes as `_png` of its image (the same rows deflated
    in the same bands), without taking the pixels out of an image."""
    from isal import isal_zlib

    rows, step = raster.rows(), BAND * raster.stride
    deflate = isal_zlib.compressobj(COMPRESS_LEVEL)
    data = [deflate.compress(rows[top : top + step]) for top in range(0, len(rows), step)]
    data.append(deflate.flush())
    return _png_file(b"".join(data), raster.width, raster.height, dpi)


def _png_file(deflated: bytes, width: int, height: int, dpi: float) -> bytes:
    """A PNG file of its deflated rows (each after its filter type)."""
    per_metre = struct.pack(">I", int(dpi / 0.0254 + 0.5))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"pHYs", per_metre + per_metre + b"\x01"),
            _chunk(b"IDAT", deflated),
            _chunk(b"IEND", b""),
        )
    )


def _filtered(rows: bytes, stride: int) -> bytes:
    """Rows of `stride` bytes, each after its filter type: 0, none."""
    view = memoryview(rows)
    parts: list[bytes | memoryview] = []
    for start in range(0, len(rows), stride):
        parts += (b"\0", view[start : start + stride])
    return b"".join(parts)


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data, CRC of type and data."""
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))
    )


PER_PAGE = 48  # cards on one page of the contact sheet (6 x 8)
TILE_WIDTH = 400  # pixels of one card on the contact sheet, at most (an overview)
GROUND = (233, 233, 236)  # the contact sheet's light grey
INK = (40, 40, 44)  # its labels
Made = tuple[bytes, bytes, int, int]  # a contact sheet page: PNG, JPEG, width, height


@dataclass(frozen=True)
class _Grid:
    """Where the tiles of a contact sheet go: w x h pixels each, its label under each, in
    rows of `columns`, pages of `per_page`."""

    w: int
    h: int
    dpi: float  # the sheet's own resolution: cards keep their printed size in the PDF
    face: Any  # the labels' font
    label_h: int
    columns: int
    per_page: int
    gap: int

    def page(self, count: int) -> Any:
        """A blank page for `count` tiles."""
        from PIL import Image

        cols = min(self.columns, count)
        rows = -(-count // cols)
        w, h, gap = self.w, self.h + self.label_h, self.gap
        return Image.new("RGB", (cols * (w + gap) + gap, rows * (h + gap) + gap), GROUND)

    def place(self, page: Any, draw: Any, k: int, count: int, tile: Any, label: str) -> None:
        """Tile `k` of a page of `count` (counted from the page's first), its label under it."""
        cols = min(self.columns, count)
        x = self.gap + (k % cols) * (self.w + self.gap)
        y = self.gap + (k // cols) * (self.h + self.label_h + self.gap)
        page.paste(tile, (x, y))
        middle = (x + self.w / 2, y + self.h + self.label_h / 2)
        draw.text(middle, label, fill=INK, font=self.face, anchor="mm")

    def row_top(self, row: int) -> int:
        """The first row of pixels of a row of tiles: nothing above it is drawn with them."""
        return self.gap + row * (self.h + self.label_h + self.gap)

    def tile(self, image: Any) -> Any:
        """A card's RGB image at the size of a tile."""
        return image if image.size == (self.w, self.h) else image.resize((self.w, self.h))


def _grid(
    size: tuple[int, int], font: str | None, dpi: float, columns: int, per_page: int, gap: int
) -> _Grid:
    """The grid of a contact sheet whose cards are `size` pixels at `dpi`."""
    from PIL import ImageFont

    scale = min(1.0, TILE_WIDTH / size[0])
    w, h = round(size[0] * scale), round(size[1] * scale)
    points = max(10, round(w / 16))
    try:
        face: Any = ImageFont.truetype(font, points) if font else ImageFont.load_default(points)
    except OSError:
        face = ImageFont.load_default(points)
    return _Grid(w, h, dpi * scale, face, round(points * 1.6), columns, per_page, gap)


def _encode_page(page: Any, dpi: float) -> Made:
    """A contact sheet page as PNG and as the JPEG its PDF page holds."""
    return _png(page, dpi), _jpeg(page), page.width, page.height


def _jpeg(page: Any) -> bytes:
    """The JPEG a contact sheet's PDF page holds, passed through as it is."""
    buffer = io.BytesIO()
    page.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


def _encode_jpeg(held: list[Any], jpeg: Future[bytes]) -> None:
    """The JPEG of the page in `held`, to `jpeg`."""
    try:
        jpeg.set_result(_jpeg(held[0]))
    except BaseException as exc:
        jpeg.set_exception(exc)


def _encode_png(held: list[Any], rows: _PngRows, jpeg: Future[bytes], png: Future[bytes]) -> None:
    """The PNG of the page in `held` (its `rows` deflated so far), to `png` once the JPEG
    (made beside) is made too and the page is let go (so a PNG there means its page is
    gone)."""
    try:
        data = rows.finish()
    except BaseException as exc:
        wait([jpeg])
        held.clear()
        png.set_exception(exc)
    else:
        wait([jpeg])
        held.clear()
        png.set_result(data)


def _assemble(pages: list[Made], dpi: float) -> bytes:
    """The contact sheet's PDF: one page per JPEG (embedded as it is), at the sheet's
    resolution; the same bytes for the same pages (reportlab's invariant mode)."""
    from . import pdf

    buffer = io.BytesIO()
    c = pdf.canvas(buffer, title="", subject="")
    for _, jpeg_data, pw, ph in pages:
        width, height = pw * 72 / dpi, ph * 72 / dpi
        c.setPageSize((width, height))
        c.drawImage(_embedded_jpeg(jpeg_data), 0, 0, width, height)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _embedded_jpeg(data: bytes) -> Any:
    """A JPEG for reportlab's drawImage, which embeds it as it is. reportlab names an image by
    a digest of its decoded pixels (about 30 MB for a contact sheet page, decoded only for
    that); this one is named by a digest of its JPEG bytes, as unique."""
    from reportlab.lib.utils import ImageReader

    class Jpeg(ImageReader):  # type: ignore[misc]
        def getRGBData(self) -> bytes:
            self._dataA = None  # no alpha channel: what ImageReader's own sets for a JPEG
            return data

    return Jpeg(io.BytesIO(data))


def contact_sheet(
    tiles: list[tuple[bytes, str]],
    font: str | None = None,
    dpi: float = 150,
    columns: int = 6,
    per_page: int = PER_PAGE,
    gap: int = 16,
    cache: dict[bytes, Made] | None = None,
) -> tuple[bytes, list[bytes]]:
    """The card images (PNG) with their labels (the card id) on pages of at most `per_page`,
    in rows of `columns`, on a light grey ground: a PDF of all pages and a PNG per page.
    `cache` keeps pages between calls (`kaartspel watch`): a page whose tiles did not change
    is not drawn again. `ContactSheet` draws the same from images as they are rendered."""
    from PIL import Image, ImageDraw

    if not tiles:
        raise ValueError("no images")
    with Image.open(io.BytesIO(tiles[0][0])) as first:  # reads the header
        grid = _grid(first.size, font, dpi, columns, per_page, gap)
    pages = -(-len(tiles) // per_page)
    kept: dict[bytes, Made] = {}
    made_pages: list[Made] = []
    for start in track(range(0, len(tiles), per_page), "contact sheet", pages):
        chunk = tiles[start : start + per_page]
        digest = hashlib.sha1(repr((grid.w, grid.h, grid.dpi, font)).encode())
        for data, label in chunk:
            digest.update(label.encode() + b"\0" + hashlib.sha1(data).digest())
        key = digest.digest()
        made = (cache or {}).get(key)
        if made is None:
            page = grid.page(len(chunk))
            draw = ImageDraw.Draw(page)
            for k, (data, label) in enumerate(chunk):
                with Image.open(io.BytesIO(data)) as image:  # decoded one at a time
                    tile = grid.tile(image.convert("RGB"))
                grid.place(page, draw, k, len(chunk), tile, label)
            made = _encode_page(page, grid.dpi)
            del page, draw  # one page's pixels in memory at a time
        kept[key] = made
        made_pages.append(made)
    if cache is not None:  # keep the pages of this sheet only
        cache.clear()
        cache.update(kept)
    return _assemble(made_pages, grid.dpi), [made[0] for made in made_pages]


class ContactSheet:
    """The contact sheet of `contact_sheet`, drawn while its cards are rendered: `add` takes
    each card's image (the pixels its PNG holds) as it comes, in any order; each page is
    drawn as soon as its tiles are all there and encoded (JPEG and PNG, side by side) by the
    sheet's ENCODERS threads (`pool`, which `png_faces` also encodes the cards with) while
    the renderer goes on; its PNG's rows are deflated as each row of tiles is drawn, so
    little of it is left once the page is whole. `pngs()` is the PNG of each page on its
    way (from the start: a Future each); after `finish`, `pdf()` is the PDF (made once
    every page's JPEG is there); `close()` waits for them all. The same bytes as
    `contact_sheet` of the cards' PNGs.

    `size` is every card's size in pixels; `alike[k]`, the first tile drawn the same as tile
    k (whose image is not added again: see `drawn_alike`). Memory: a page is begun only when
    no earlier page is still being encoded; the tiles that come meanwhile keep only their
    PNG (decoded when their turn comes), so one page's pixels are held at a time. Leaving a
    `with` (or `cancel`) stops the threads."""

    def __init__(
        self,
        labels: list[str],
        size: tuple[int, int],
        font: str | None = None,
        dpi: float = 150,
        alike: list[int] | None = None,
        columns: int = 6,
        per_page: int = PER_PAGE,
        gap: int = 16,
    ) -> None:
        if not labels:
            raise ValueError("no images")
        self.grid = _grid(size, font, dpi, columns, per_page, gap)
        self.labels = labels
        self.alike = alike if alike is not None else list(range(len(labels)))
        self.reused = {a for k, a in enumerate(self.alike) if a != k}  # tiles drawn again
        self.kept: dict[int, Any] = {}  # those tiles, until their last use
        self.last_use = {a: k for k, a in enumerate(self.alike)}
        self.waiting: dict[int, Any] = {}  # tiles come before their turn
        self.next = 0  # the tile to place next
        self.page: Any = None  # the page being drawn, its ImageDraw and its PNG so far
        self.draw: Any = None
        self.rows: _PngRows | None = None
        pages = -(-len(labels) // self.grid.per_page)
        self.encoding: list[Future[bytes]] = [Future() for _ in range(pages)]  # their PNGs
        self.jpegs: list[Future[bytes]] = [Future() for _ in range(pages)]
        self.sizes: list[tuple[int, int]] = []  # each page's size in pixels, once begun
        self.pool = ThreadPoolExecutor(ENCODERS, thread_name_prefix="png")

    def add(self, k: int, image: Any, png: Future[bytes] | None = None) -> None:
        """The image of tile k: an RGB image of `size` pixels (not changed), and its PNG on
        its way, if any. A tile whose page cannot be begun yet (the previous one is still
        being encoded, or it is a later page's) keeps only its PNG, decoded when its turn
        comes."""
        page = self.next // self.grid.per_page
        current = k // self.grid.per_page == page
        drawing = self.page is not None and current
        if png is None or drawing or (current and not self._encoding()):
            self.waiting[k] = self.grid.tile(image)
        else:
            self.waiting[k] = png
        self._advance(block=False)

    def _advance(self, block: bool) -> None:
        """Place the tiles whose turn has come; begin a page only when the previous one is
        encoded, unless `block` or a page's worth of tiles is waiting (then wait for it)."""
        grid, n = self.grid, len(self.labels)
        while self.next < n:
            k = self.next
            first = self.alike[k]
            if first == k and k not in self.waiting:
                return
            if self.page is None:
                if self._encoding():
                    if not block and len(self.waiting) < grid.per_page:
                        return
                    self.encoding[len(self.sizes) - 1].result()
                from PIL import ImageDraw

                self.page = grid.page(min(grid.per_page, n - k))
                self.draw = ImageDraw.Draw(self.page)
                self.rows = _PngRows(self.page, grid.dpi)
            tile = self.waiting.pop(k) if first == k else self.kept[first]
            if isinstance(tile, Future):
                from PIL import Image

                with Image.open(io.BytesIO(tile.result())) as image:
                    tile = grid.tile(image.convert("RGB"))
            if k in self.reused:
                self.kept[k] = tile
            if self.last_use.get(first) == k:
                self.kept.pop(first, None)
            start = k - k % grid.per_page
            count = min(grid.per_page, n - start)
            grid.place(self.page, self.draw, k - start, count, tile, self.labels[k])
            del tile
            self.next += 1
            assert self.rows is not None
            if self.next == start + count:  # the page is whole: encode it beside
                held = [self.page]  # emptied once encoded: the page goes then
                number = len(self.sizes)
                self.sizes.append(self.page.size)
                jpeg, png = self.jpegs[number], self.encoding[number]
                self.pool.submit(_encode_jpeg, held, jpeg)  # JPEG and PNG beside each other
                self.pool.submit(_encode_png, held, self.rows, jpeg, png)
                self.page = self.draw = self.rows = None
            elif (self.next - start) % min(grid.columns, count) == 0:  # a row of tiles is done:
                self.rows.upto(grid.row_top((self.next - start) // min(grid.columns, count)))

    def _encoding(self) -> bool:
        """Whether the page last begun is still being encoded (or drawn)."""
        return bool(self.sizes) and not self.encoding[len(self.sizes) - 1].done()

    def finish(self) -> None:
        """Every tile has been added: draw what is left; the last page is encoded beside."""
        self._advance(block=True)
        if self.next < len(self.labels):
            raise ValueError(f"tile {self.next} was never added")
        self.waiting.clear()
        self.kept.clear()

    def pdf(self) -> bytes:
        """The PDF of the pages, once their JPEGs are made (after `finish`)."""
        pages: list[Made] = []
        made = zip(self.jpegs, self.sizes, strict=True)
        for jpeg, (width, height) in track(made, "contact sheet", len(self.sizes)):
            pages.append((b"", jpeg.result(), width, height))
        return _assemble(pages, self.grid.dpi)

    def pngs(self) -> list[Future[bytes]]:
        """The PNG of each page, on its way."""
        return list(self.encoding)

    def close(self) -> tuple[bytes, list[bytes]]:
        """Every tile has been added: the PDF and the PNG of each page."""
        try:
            self.finish()
            pdf = self.pdf()
            return pdf, [job.result() for job in self.encoding]
        finally:
            self.cancel()

    def cancel(self) -> None:
        """Stop: drop what is waiting and the pages not begun encoding; wait for the rest.
        The PNGs and JPEGs never made are cancelled."""
        self.waiting.clear()
        self.kept.clear()
        self.page = self.draw = self.rows = None
        self.pool.shutdown(wait=True, cancel_futures=True)
        for made in self.encoding + self.jpegs:
            made.cancel()  # those not done

    def __enter__(self) -> ContactSheet:
        return self

    def __exit__(self, *_: object) -> None:
        self.cancel()
