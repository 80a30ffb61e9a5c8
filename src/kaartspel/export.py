"""Raster export: card faces as PNG images at an exact pixel size, for print shops that take
images (The Game Crafter, MakePlayingCards) and for previews.

Renders a one-face-per-page PDF (from `paint`) with pypdfium2; a page of W x H points
becomes round(W * dpi / 72) x round(H * dpi / 72) pixels.
"""

from __future__ import annotations

import hashlib
import io
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import replace
from typing import Any

from .impose import Sheet
from .progress import track

ENCODERS = 2  # threads encoding PNGs while the main thread renders (pdfium is not thread-safe)
COMPRESS_LEVEL = 1  # zlib's fastest: as small as level 6 for these flat, sharp faces


def png_faces(pdf: bytes, sheets: list[Sheet], dpi: int) -> dict[tuple[str, str], bytes]:
    """PNG bytes per (card id, side) of a one-face-per-page PDF.

    Pages are rendered one at a time in this thread (pdfium is not thread-safe) and encoded
    by ENCODERS threads beside it (Pillow lets go of the GIL while it compresses): at most
    ENCODERS + 1 pages' pixels in memory at a time, whatever the deck's size. A page that
    differs from an earlier one only in its card id (a back many cards share) is drawn the
    same: it is rendered and encoded once."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    done: dict[str, Future[bytes]] = {}  # by what the page draws
    order: list[tuple[tuple[str, str], Future[bytes]]] = []
    busy: set[Future[bytes]] = set()
    try:
        with ThreadPoolExecutor(ENCODERS, thread_name_prefix="png") as pool:
            for index, sheet in track(enumerate(sheets), "images", len(sheets)):
                slots = tuple(replace(s, card="") for s in sheet.slots)
                drawn = repr(replace(sheet, index=0, slots=slots))
                job = done.get(drawn)
                if job is None:
                    while len(busy) > ENCODERS:  # each encoder busy, one page waiting
                        busy = wait(busy, return_when=FIRST_COMPLETED).not_done
                    width = round(sheet.width * dpi / 72)
                    height = round(sheet.height * dpi / 72)
                    image = _render(document[index], width, height)
                    job = done[drawn] = pool.submit(_png, image, dpi)
                    busy.add(job)
                    del image
                slot = sheet.slots[0]
                order.append(((slot.card, slot.side), job))
            return {key: job.result() for key, job in order}
    finally:
        document.close()


def _render(page: Any, width: int, height: int) -> Any:
    """An RGB image of one page drawn onto exactly width x height pixels, without
    resampling (page.render makes ceil(W * scale) pixels). Closes the page."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    rgb = pdfium_c.FPDFBitmap_BGR  # with FPDF_REVERSE_BYTE_ORDER: RGB
    bitmap = pdfium.PdfBitmap.new_native(width, height, rgb, rev_byteorder=True)
    try:
        bitmap.fill_rect((255, 255, 255, 255), 0, 0, width, height)
        flags = pdfium_c.FPDF_ANNOT | pdfium_c.FPDF_REVERSE_BYTE_ORDER  # page.render's own
        pdfium_c.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, flags)
        return bitmap.to_pil()  # a copy of the pixels, in RGB
    finally:
        bitmap.close()
        page.close()


def _png(image: Any, dpi: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi), compress_level=COMPRESS_LEVEL)
    return buffer.getvalue()


PER_PAGE = 48  # cards on one page of the contact sheet (6 x 8)
TILE_WIDTH = 400  # pixels of one card on the contact sheet, at most (an overview)


def contact_sheet(
    tiles: list[tuple[bytes, str]],
    font: str | None = None,
    dpi: float = 150,
    columns: int = 6,
    per_page: int = PER_PAGE,
    gap: int = 16,
    cache: dict[bytes, tuple[bytes, bytes, int, int]] | None = None,
) -> tuple[bytes, list[bytes]]:
    """The card images with their labels (the card id) on pages of at most `per_page`, in
    rows of `columns`, on a light grey ground: a PDF of all pages and a PNG per page.
    `cache` keeps pages between calls (`kaartspel watch`): a page whose tiles did not change
    is not drawn again."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFont

    if not tiles:
        raise ValueError("no images")
    sizes = [Image.open(io.BytesIO(data)).size for data, _ in tiles[:1]]  # reads the header
    scale = min(1.0, TILE_WIDTH / sizes[0][0])
    w, h = round(sizes[0][0] * scale), round(sizes[0][1] * scale)
    dpi = dpi * scale  # the sheet's own resolution: cards keep their printed size in the PDF
    size = max(10, round(w / 16))
    try:
        face: Any = ImageFont.truetype(font, size) if font else ImageFont.load_default(size)
    except OSError:
        face = ImageFont.load_default(size)
    label_h = round(size * 1.6)
    pngs: list[bytes] = []
    document = pdfium.PdfDocument.new()
    pages = -(-len(tiles) // per_page)
    kept: dict[bytes, tuple[bytes, bytes, int, int]] = {}
    for start in track(range(0, len(tiles), per_page), "contact sheet", pages):
        chunk = tiles[start : start + per_page]
        digest = hashlib.sha1(repr((w, h, dpi, font)).encode())
        for data, label in chunk:
            digest.update(label.encode() + b"\0" + hashlib.sha1(data).digest())
        key = digest.digest()
        made = (cache or {}).get(key)
        if made is None:
            page = _page(chunk, w, h, columns, gap, label_h, face)
            png = io.BytesIO()
            page.save(png, format="PNG", dpi=(dpi, dpi), compress_level=1)
            jpeg = io.BytesIO()  # the PDF holds each page as a JPEG, passed through as it is
            page.save(jpeg, format="JPEG", quality=88)
            made = (png.getvalue(), jpeg.getvalue(), page.width, page.height)
            del page, png, jpeg  # one page's pixels in memory at a time
        kept[key] = made
        png_data, jpeg_data, pw, ph = made
        pngs.append(png_data)
        width, height = pw * 72 / dpi, ph * 72 / dpi
        pdf_page = document.new_page(width, height)
        image = pdfium.PdfImage.new(document)
        image.load_jpeg(io.BytesIO(jpeg_data), inline=True)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        pdf_page.insert_obj(image)
        pdf_page.gen_content()
        pdf_page.close()
    if cache is not None:  # keep the pages of this sheet only
        cache.clear()
        cache.update(kept)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue(), pngs


def _page(
    chunk: list[tuple[bytes, str]], w: int, h: int, columns: int, gap: int, label_h: int, face: Any
) -> Any:
    """One page of the contact sheet: the tiles in rows, each with its label under it."""
    from PIL import Image, ImageDraw

    cols = min(columns, len(chunk))
    rows = -(-len(chunk) // cols)
    page = Image.new(
        "RGB", (cols * (w + gap) + gap, rows * (h + label_h + gap) + gap), (233, 233, 236)
    )
    draw = ImageDraw.Draw(page)
    for k, (data, label) in enumerate(chunk):
        with Image.open(io.BytesIO(data)) as image:  # decoded one at a time (bounded memory)
            image.draft("RGB", (w, h))
            tile = image.convert("RGB")
        if tile.size != (w, h):
            tile = tile.resize((w, h))
        x = gap + (k % cols) * (w + gap)
        y = gap + (k // cols) * (h + label_h + gap)
        page.paste(tile, (x, y))
        middle = (x + w / 2, y + h + label_h / 2)
        draw.text(middle, label, fill=(40, 40, 44), font=face, anchor="mm")
    return page
