"""PNG export (export.png_faces): exact pixel sizes, each page drawn onto them, a shared
back encoded once yet the same as its own page's, the same bytes on every run, and a bounded
number of pages in memory while the encoders work. The contact sheet drawn while the faces
are rendered (export.ContactSheet) is the one drawn from their PNGs, byte for byte."""

from __future__ import annotations

import io
import threading
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter

from conftest import DEFAULT_DECK, run_cli
from kaartspel import export, fonts, impose, layout
from kaartspel.build import _pdf, drawn_glyphs
from kaartspel.load import load_deck
from kaartspel.settings import PrintValues, resolve

DPI = 100


@pytest.fixture(scope="module")
def faces_pdf() -> tuple[bytes, list[impose.Sheet]]:
    """A one-face-per-page PDF as `build --layout png` makes it: 6 cards, front then back,
    their backs of two designs."""
    deck = load_deck(DEFAULT_DECK)
    cards = [c for c in deck.cards if c.id in ("B01", "B02", "B03", "T01", "T02", "T03")]
    pr = replace(resolve(PrintValues(layout="png"), deck.print), layout="png")
    fonts.use(deck.fonts)
    laid = layout.lay_out(deck, cards, pr.size)
    drawn_glyphs(laid.faces, deck)
    sheets = impose.impose_printshop(pr.size, laid.pairs, ("front", "back"))
    assert len({key for _, key in laid.pairs}) == 2
    return _pdf(deck, sheets, laid.faces, "test", pr), sheets


def _pixels(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGB"
    return image


def test_each_face_has_the_exact_pixel_size_and_is_its_own_page(
    faces_pdf: tuple[bytes, list[impose.Sheet]],
) -> None:
    pdf, sheets = faces_pdf
    images = export.png_faces(pdf, sheets, DPI)
    assert list(images) == [(s.slots[0].card, s.slots[0].side) for s in sheets]
    document = pdfium.PdfDocument(pdf)
    try:
        for index, sheet in enumerate(sheets):
            slot = sheet.slots[0]
            image = _pixels(images[(slot.card, slot.side)])
            size = (round(sheet.width * DPI / 72), round(sheet.height * DPI / 72))
            assert image.size == size
            assert image.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01)
            # this page alone, drawn onto the same pixels: a back shared by several cards,
            # encoded once, is what each card's own page shows
            alone = export._render(document, index, *size).to_image()
            assert ImageChops.difference(image, alone).getbbox() is None, slot
    finally:
        document.close()


@pytest.mark.parametrize("size", [(250, 350), (251, 349), (97, 3)])
def test_a_page_drawn_into_png_rows_is_encoded_as_its_image_would_be(
    faces_pdf: tuple[bytes, list[impose.Sheet]], size: tuple[int, int]
) -> None:
    """pdfium draws each row after its PNG filter type byte (rows of an odd number of bytes
    too): it leaves those bytes 0, and the PNG is the same, byte for byte, as the PNG of the
    page's image taken out of Pillow; the image is the page as drawn onto a bitmap of
    pdfium's own."""
    pdf, _ = faces_pdf
    document = pdfium.PdfDocument(pdf)
    try:
        raster = export._render(document, 0, *size)
        page = document[0]  # drawn again onto a bitmap of pdfium's own, as before
        own = pdfium.PdfBitmap.new_native(*size, pdfium.raw.FPDFBitmap_BGR, rev_byteorder=True)
        own.fill_rect((255, 255, 255, 255), 0, 0, *size)
        flags = pdfium.raw.FPDF_ANNOT | pdfium.raw.FPDF_REVERSE_BYTE_ORDER
        pdfium.raw.FPDF_RenderPageBitmap(own, page, 0, 0, *size, 0, flags)
        expected = own.to_pil()
        own.close()
        page.close()
    finally:
        document.close()
    width, height = size
    assert raster.data[:: raster.stride] == bytes(height + 1)  # every filter type still 0
    image = raster.to_image()
    assert image.size == size and ImageChops.difference(image, expected).getbbox() is None
    png = export._png_raster(raster, DPI)
    assert png == export._png(image, DPI)
    with Image.open(io.BytesIO(png)) as decoded:
        assert ImageChops.difference(decoded.convert("RGB"), expected).getbbox() is None


def test_a_shared_back_is_rendered_once_and_the_bytes_are_the_same_every_run(
    faces_pdf: tuple[bytes, list[impose.Sheet]], monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf, sheets = faces_pdf
    first = export.png_faces(pdf, sheets, DPI)
    rendered: list[tuple[int, int]] = []
    real = export._render

    def counting(document: object, index: int, width: int, height: int) -> export.Raster:
        rendered.append((width, height))
        return real(document, index, width, height)

    monkeypatch.setattr(export, "_render", counting)
    again = export.png_faces(pdf, sheets, DPI)
    assert again == first  # deterministic, byte for byte
    assert len(rendered) == 6 + 2  # six fronts, two back designs
    backs = {k: v for k, v in first.items() if k[1] == "back"}
    assert len(backs) == 6 and len(set(backs.values())) == 2


def test_at_most_encoders_plus_one_pages_are_in_memory(
    faces_pdf: tuple[bytes, list[impose.Sheet]], monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf, sheets = faces_pdf
    lock = threading.Lock()
    alive = [0, 0]  # now, most
    real_render, real_png = export._render, export._png_raster
    slow = threading.Event()

    def render(document: object, index: int, width: int, height: int) -> export.Raster:
        image = real_render(document, index, width, height)
        with lock:
            alive[0] += 1
            alive[1] = max(alive[1], alive[0])
        return image

    def png(raster: export.Raster, dpi: int) -> bytes:
        slow.wait(0.05)  # encoders slower than the renderer: the renderer must wait
        data = real_png(raster, dpi)
        with lock:
            alive[0] -= 1
        return data

    monkeypatch.setattr(export, "_render", render)
    monkeypatch.setattr(export, "_png_raster", png)
    images = export.png_faces(pdf, sheets, DPI)
    assert len(images) == len(sheets)
    assert alive == [0, export.ENCODERS + 1]


@pytest.fixture(scope="module")
def sheet_tiles(
    faces_pdf: tuple[bytes, list[impose.Sheet]],
) -> tuple[list[tuple[bytes, str]], str, tuple[bytes, list[bytes]]]:
    """Each page's PNG with a label, the labels' font and the contact sheet drawn from the
    PNGs (pages of 5 in rows of 3)."""
    pdf, sheets = faces_pdf
    images = export.png_faces(pdf, sheets, DPI)
    tiles = [(images[(s.slots[0].card, s.side)], f"{s.slots[0].card} {s.side}") for s in sheets]
    font = str(fonts.font_dir() / f"{fonts.BUNDLED['bold']}.ttf")
    return tiles, font, export.contact_sheet(tiles, font, DPI, columns=3, per_page=5)


def test_the_contact_sheet_drawn_while_rendering_is_the_one_drawn_from_the_pngs(
    faces_pdf: tuple[bytes, list[impose.Sheet]],
    sheet_tiles: tuple[list[tuple[bytes, str]], str, tuple[bytes, list[bytes]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pdf, sheets = faces_pdf
    tiles, font, (expected_pdf, expected_pngs) = sheet_tiles
    alike = export.drawn_alike(sheets)
    assert alike != list(range(len(sheets)))  # shared backs: tiles drawn again, not rendered
    begun: list[int] = []
    pages: list[weakref.ref[Image.Image]] = []
    real = export._Grid.page

    def page(grid: export._Grid, count: int) -> Image.Image:
        # one page's pixels at a time: the previous one is encoded and gone
        assert all(earlier() is None for earlier in pages)
        image = real(grid, count)
        pages.append(weakref.ref(image))
        begun.append(count)
        return image

    monkeypatch.setattr(export._Grid, "page", page)
    size = Image.open(io.BytesIO(tiles[0][0])).size
    labels = [label for _, label in tiles]
    with export.ContactSheet(labels, size, font, DPI, alike, columns=3, per_page=5) as sheet:
        faces = export.png_faces(pdf, sheets, DPI, sheet)
        made_pdf = sheet.pdf()
        made_pngs = [png.result() for png in sheet.pngs()]
    assert [faces[(s.slots[0].card, s.side)] for s in sheets] == [data for data, _ in tiles]
    assert begun == [5, 5, 2]
    assert made_pngs == expected_pngs  # each page's PNG, byte for byte
    assert made_pdf == expected_pdf  # byte for byte: no time stamp, no random /ID
    assert len(PdfReader(io.BytesIO(made_pdf)).pages) == 3


def test_pages_rendered_in_another_order_than_the_tiles_make_the_same_contact_sheet(
    faces_pdf: tuple[bytes, list[impose.Sheet]],
    sheet_tiles: tuple[list[tuple[bytes, str]], str, tuple[bytes, list[bytes]]],
) -> None:
    """As `preview` renders them: the backs first, then the fronts (`tile_of`); tiles of a
    later page that come early wait as their PNG. The same pages, byte for byte."""
    pdf, sheets = faces_pdf
    tiles, font, (expected_pdf, expected_pngs) = sheet_tiles
    order = [i for i, s in enumerate(sheets) if s.side == "back"]
    order += [i for i, s in enumerate(sheets) if s.side == "front"]
    assert order != sorted(order)
    reader, writer = PdfReader(io.BytesIO(pdf)), PdfWriter()
    for i in order:
        writer.add_page(reader.pages[i])
    buffer = io.BytesIO()
    writer.write(buffer)
    size = Image.open(io.BytesIO(tiles[0][0])).size
    labels = [label for _, label in tiles]
    alike = export.drawn_alike(sheets)
    with export.ContactSheet(labels, size, font, DPI, alike, columns=3, per_page=5) as sheet:
        faces = export.png_faces(
            buffer.getvalue(), [sheets[i] for i in order], DPI, sheet, tile_of=order
        )
        made_pdf = sheet.pdf()
        made_pngs = [png.result() for png in sheet.pngs()]
    assert [faces[(s.slots[0].card, s.side)] for s in sheets] == [data for data, _ in tiles]
    assert made_pngs == expected_pngs
    assert made_pdf == expected_pdf


@pytest.mark.parametrize("drawn", [[0, 64, 200], [63, 65, 129, 200], [130, 10, 200]])
def test_a_png_deflated_while_its_image_is_drawn_is_the_png_of_the_finished_image(
    drawn: list[int],
) -> None:
    """Rows drawn top-down, `upto(y)` after each step: the bands above y are deflated at
    once, the rest later; the bytes are the finished image's PNG."""
    image = Image.new("RGB", (150, 200), (233, 233, 236))
    rows = export._PngRows(image, DPI)
    done = 0
    for bottom in drawn:
        if bottom > done:
            image.paste((20 + bottom % 200, 90, 160), (0, done, 150, bottom))
            image.paste((250, 10, 10), (bottom % 150, done, bottom % 150 + 1, bottom))
            done = bottom
        rows.upto(done)
        assert rows.top <= done  # nothing below the rows drawn is deflated yet
    assert rows.finish() == export._png(image, DPI)
    with Image.open(io.BytesIO(export._png(image, DPI))) as decoded:
        assert ImageChops.difference(decoded.convert("RGB"), image).getbbox() is None


def test_contact_sheet_tiles_may_come_in_any_order(
    sheet_tiles: tuple[list[tuple[bytes, str]], str, tuple[bytes, list[bytes]]],
) -> None:
    tiles, font, (_, expected_pngs) = sheet_tiles
    images = [Image.open(io.BytesIO(data)).convert("RGB") for data, _ in tiles]
    labels = [label for _, label in tiles]
    sheet = export.ContactSheet(labels, images[0].size, font, DPI, columns=3, per_page=5)
    for k in reversed(range(len(images))):
        sheet.add(k, images[k])
    assert sheet.close()[1] == expected_pngs


def test_a_preview_is_the_same_bytes_every_run(tmp_path: Path) -> None:
    """Every file of two previews of the default deck, the contact sheet's PDF included
    (its pages' JPEGs embedded as they are, in reportlab's invariant mode)."""
    runs = [tmp_path / "a", tmp_path / "b"]
    for out in runs:
        result = run_cli("preview", "--deck", str(DEFAULT_DECK), "--out", str(out))
        assert result.returncode == 0, result.stderr
    first, second = (sorted((out / "preview").iterdir()) for out in runs)
    assert [p.name for p in first] == [p.name for p in second]
    assert "overzicht.pdf" in [p.name for p in first]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    sheet = PdfReader(runs[0] / "preview" / "overzicht.pdf")
    for page in sheet.pages:
        resources: Any = page["/Resources"]
        (image,) = resources["/XObject"].values()
        assert image.get_object()["/Filter"] == ["/DCTDecode"]
