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
            if image.size != (width, height):
                image = image.resize((width, height))
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", dpi=(dpi, dpi))
            slot = sheet.slots[0]
            images[(slot.card, slot.side)] = buffer.getvalue()
    finally:
        document.close()
    return images


def contact_sheet(images: list[bytes], columns: int = 6, gap: int = 16) -> bytes:
    """All card images on one PNG, in rows of `columns`, on a light grey ground."""
    from PIL import Image

    tiles = [Image.open(io.BytesIO(data)).convert("RGB") for data in images]
    if not tiles:
        raise ValueError("no images")
    w = max(t.width for t in tiles)
    h = max(t.height for t in tiles)
    cols = min(columns, len(tiles))
    rows = -(-len(tiles) // cols)
    sheet = Image.new("RGB", (cols * (w + gap) + gap, rows * (h + gap) + gap), (233, 233, 236))
    for k, tile in enumerate(tiles):
        sheet.paste(tile, (gap + (k % cols) * (w + gap), gap + (k // cols) * (h + gap)))
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG")
    return buffer.getvalue()
