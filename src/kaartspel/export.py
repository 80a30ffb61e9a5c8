"""Raster export: card faces as PNG images at an exact pixel size, for print shops that take
images (The Game Crafter, MakePlayingCards) and for previews.

Renders a one-face-per-page PDF (from `paint`) with pypdfium2; a page of W x H points
becomes round(W * dpi / 72) x round(H * dpi / 72) pixels.
"""

from __future__ import annotations

import io

from .impose import Sheet


def png_faces(pdf: bytes, sheets: list[Sheet], dpi: int) -> dict[tuple[str, str], bytes]:
    """PNG bytes per (card id, side) of a one-face-per-page PDF."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images: dict[tuple[str, str], bytes] = {}
    try:
        for index, sheet in enumerate(sheets):
            page = document[index]
            width = round(sheet.width * dpi / 72)
            height = round(sheet.height * dpi / 72)
            bitmap = page.render(scale=dpi / 72, may_draw_forms=False)
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()  # one page's pixels in memory at a time, whatever the deck's size
            page.close()
            if image.size != (width, height):
                image = image.resize((width, height))
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", dpi=(dpi, dpi))
            del image
            slot = sheet.slots[0]
            images[(slot.card, slot.side)] = buffer.getvalue()
    finally:
        document.close()
    return images


TILE_WIDTH = 400  # pixels of one card on the contact sheet, at most (an overview)


def contact_sheet(images: list[bytes], columns: int = 6, gap: int = 16) -> bytes:
    """All card images on one PNG, in rows of `columns`, on a light grey ground; each tile at
    most `TILE_WIDTH` pixels wide, and decoded one at a time (bounded memory)."""
    from PIL import Image

    if not images:
        raise ValueError("no images")
    sizes = [Image.open(io.BytesIO(data)).size for data in images]  # reads headers only
    scale = min(1.0, TILE_WIDTH / max(w for w, _ in sizes))
    w = round(max(w for w, _ in sizes) * scale)
    h = round(max(h for _, h in sizes) * scale)
    cols = min(columns, len(images))
    rows = -(-len(images) // cols)
    sheet = Image.new("RGB", (cols * (w + gap) + gap, rows * (h + gap) + gap), (233, 233, 236))
    for k, data in enumerate(images):
        with Image.open(io.BytesIO(data)) as tile:
            tile.draft("RGB", (w, h))
            small = tile.convert("RGB")
            if scale < 1:
                small = small.resize((round(tile.width * scale), round(tile.height * scale)))
            sheet.paste(small, (gap + (k % cols) * (w + gap), gap + (k // cols) * (h + gap)))
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    return buffer.getvalue()
