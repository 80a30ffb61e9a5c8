"""`kaartspel calibrate`: the duplex calibration sheet, read back from the real CLI's PDF.

The key tests render both pages at 300 dpi, flip the back over the long edge as a printer
does, and read every scale the way a person does against the light: the number where the
back's straight line crosses the front's slanted line. Without a printer shift every scale
reads 0; with a simulated shift the scales read the correction, and a back moved by it reads
0 again. The last test closes the loop with `kaartspel build --back-offset`: the readings,
given to the build, put every card back exactly behind its front on the shifted printer.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

import pdfread
from conftest import ROOT, run_cli
from kaartspel import calibrate, fonts
from kaartspel.impose import Paper
from kaartspel.units import mm

DPI = 300
MINUS = "\u2212"
S = DPI / 72  # pixels per point
PX_PER_MM = DPI / 25.4
SIZES_PT = {"a4": (595.276, 841.89), "letter": (612.0, 792.0), "a3": (841.89, 1190.551)}


def make(out: Path, *args: str) -> Path:
    result = run_cli("calibrate", "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    pdf = out / "kalibratie.pdf"
    assert result.stdout.strip() == str(pdf)
    return pdf


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sheet on every paper: A4 and Letter from the CLI, A3 from the same function."""
    out = {
        paper: make(tmp_path_factory.mktemp(paper), "--paper", paper) for paper in ("a4", "letter")
    }
    out["a3"] = tmp_path_factory.mktemp("a3") / "kalibratie.pdf"
    out["a3"].write_bytes(calibrate.calibration_pdf("a3"))
    return out


# ---------------------------------------------------------------- the PDF
@pytest.mark.parametrize("paper", ["a4", "letter", "a3"])
def test_two_pages_of_the_paper_size(sheets: dict[str, Path], paper: str) -> None:
    reader = PdfReader(sheets[paper])
    assert len(reader.pages) == 2
    for page in reader.pages:
        box = page.mediabox
        assert float(box.left) == 0 and float(box.bottom) == 0
        assert (float(box.width), float(box.height)) == pytest.approx(SIZES_PT[paper], abs=0.01)


def test_default_paper_is_a4_and_fonts_are_embedded_lato(sheets: dict[str, Path]) -> None:
    seen = set()
    for font in pdfread.fonts(sheets["a4"]):
        seen.add(str(font["/BaseFont"]).split("+")[-1])
        assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]
    assert seen and all(name.startswith("Lato-") for name in seen)


def test_pdf_preselects_long_edge_duplex(sheets: dict[str, Path]) -> None:
    for pdf in sheets.values():
        prefs = pdfread.catalogue(pdf)["/ViewerPreferences"]
        assert prefs["/Duplex"] == "/DuplexFlipLongEdge"
        assert b"/Simplex" not in pdf.read_bytes()


def test_deterministic_and_default_paper(tmp_path: Path, sheets: dict[str, Path]) -> None:
    again = make(tmp_path)  # no --paper: A4
    assert again.read_bytes() == sheets["a4"].read_bytes()


def test_out_is_a_file_is_a_write_error(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    result = run_cli("calibrate", "--out", str(blocker))
    assert result.returncode == 6
    assert "not a folder" in result.stderr and "--out" in result.stderr


def test_instructions_and_the_command_are_on_the_front(sheets: dict[str, Path]) -> None:
    front = PdfReader(sheets["a4"]).pages[0].extract_text()
    for words in (
        "dubbelzijdig, omslaan langs de lange zijde",
        "werkelijke grootte (100 %",
        "kaartspel build --back-offset DX,DY",
        "kaartspel build --back-offset -1.5,0.5",
        "tegen het licht",
    ):
        assert words in " ".join(front.split()), words


def test_numbers_sit_on_their_ticks(sheets: dict[str, Path]) -> None:
    """The number v (every whole mm, -5 to +5) is printed beside the tick at point(v)."""
    runs: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            runs.append((text.strip(), tm[4], tm[5], size))

    PdfReader(sheets["a4"]).pages[0].extract_text(visitor_text=visit)
    size = calibrate.LABEL_SIZE
    gap = mm(calibrate.LABEL_GAP_MM)
    for scale in calibrate.plan("a4").scales:
        for k in range(-calibrate.STEPS, calibrate.STEPS + 1, 2):
            value = k * calibrate.STEP_MM
            sign = "+" if k > 0 else MINUS
            text = f"{sign}{abs(k) // 2}" if k else "0"
            px, py = scale.point(value)
            if scale.axis == "x":  # left-aligned, right of the line, centred on the tick
                want = (px + gap, py - 0.36 * size)
            else:  # centred under the tick
                w = fonts.width(text, "black" if k == 0 else "regular", size)
                want = (px - w / 2, py - gap - 0.72 * size)
            hits = [
                r
                for r in runs
                if r[0] == text and abs(r[1] - want[0]) < 0.05 and abs(r[2] - want[1]) < 0.05
            ]
            assert len(hits) == 1 and hits[0][3] == size, (scale, text)


# ---------------------------------------------------------------- the plan
@pytest.mark.parametrize("paper", ["a4", "letter", "a3"])
def test_everything_is_printable_and_places_do_not_overlap(paper: str) -> None:
    sheet = calibrate.plan(paper)
    W, H = sheet.paper.width, sheet.paper.height
    edge = mm(6)  # home printers leave 3-5 mm unprinted
    for item in sheet.front + sheet.back:
        if isinstance(item, calibrate.Label):
            w = fonts.width(item.text, item.style, item.size)
            x0 = item.x - {"left": 0, "centre": w / 2, "right": w}[item.align]
            xs: tuple[float, ...] = (x0, x0 + w)
            ys: tuple[float, ...] = (item.y - 0.25 * item.size, item.y + item.size)
        elif isinstance(item, calibrate.Triangle):
            xs = tuple(p[0] for p in item.points)
            ys = tuple(p[1] for p in item.points)
        else:
            xs, ys = (item.x0, item.x1), (item.y0, item.y1)
        assert edge <= min(xs) and max(xs) <= W - edge, item
        assert edge <= min(ys) and max(ys) <= H - edge, item
    boxes = [p.box for p in sheet.places]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    names = [p.name for p in sheet.places]
    assert names == ["top-left", "top-right", "centre", "bottom-left", "bottom-right"]
    cx0, cy0, cx1, cy1 = sheet.places[2].box
    assert abs((cx0 + cx1) / 2 - W / 2) < 0.01
    assert cy0 < H / 2 < cy1


def test_back_is_the_front_view_mirrored_over_the_long_edge() -> None:
    sheet = calibrate.plan("a4")
    W = sheet.paper.width
    for seen, drawn in zip(sheet.back_view, sheet.back, strict=True):
        if isinstance(seen, calibrate.Segment):
            assert isinstance(drawn, calibrate.Segment)
            assert drawn.x0 == pytest.approx(W - seen.x0) and drawn.y0 == seen.y0


# ---------------------------------------------------------------- the rendered sheet
@functools.cache
def render(pdf: Path) -> tuple[np.ndarray, np.ndarray]:
    """Front and back page as grey images (0 = black), 300 dpi."""
    doc = pdfium.PdfDocument(str(pdf))
    try:
        front, back = (
            np.asarray(doc[i].render(scale=S).to_pil().convert("L"), dtype=np.float64)
            for i in range(2)
        )
    finally:
        doc.close()
    return front, back


def long_edge(back: np.ndarray) -> np.ndarray:
    """The back as seen from the front after a long-edge flip: mirrored left to right
    (pdfium stretches the page over the whole bitmap, so the mirror axis is its middle)."""
    return back[:, ::-1]


def shifted(image: np.ndarray, dx_mm: float, dy_mm: float) -> np.ndarray:
    """The image moved dx mm to the right and dy mm up (white comes in), like a printer that
    puts the back off by that much."""
    dx, dy = round(dx_mm * PX_PER_MM), -round(dy_mm * PX_PER_MM)
    out = np.full_like(image, 255.0)
    h, w = image.shape
    out[max(dy, 0) : h + min(dy, 0), max(dx, 0) : w + min(dx, 0)] = image[
        max(-dy, 0) : h + min(-dy, 0), max(-dx, 0) : w + min(-dx, 0)
    ]
    return out


def lines_in(profile: np.ndarray) -> list[float]:
    """Centres (pixel index, sub-pixel) of the dark lines crossing a row or column."""
    ink = 255.0 - profile
    dark = profile < 128
    centres = []
    i = 0
    while i < len(profile):
        if not dark[i]:
            i += 1
            continue
        j = i
        while j < len(profile) and dark[j]:
            j += 1
        lo, hi = max(i - 1, 0), min(j + 1, len(profile))
        weights = ink[lo:hi]
        centres.append(float((np.arange(lo, hi) * weights).sum() / weights.sum()))
        i = j
    return centres


def split(scale: calibrate.Scale, point: tuple[float, float]) -> tuple[float, float]:
    """(along, across) the scale: an x scale runs up the page, a y scale along it."""
    return (point[1], point[0]) if scale.axis == "x" else point


def lines_across(
    image: np.ndarray, scale: calibrate.Scale, paper: Paper, along: float, lo: float, hi: float
) -> tuple[float, list[float]]:
    """The dark lines met going across the scale at `along` (points, front view), between
    `lo` and `hi`: the exact `along` of the pixel row/column used, and the lines' centres."""
    sx, sy = image.shape[1] / paper.width, image.shape[0] / paper.height  # about 300 dpi
    if scale.axis == "x":  # a pixel row; across = x
        r = int((paper.height - along) * sy)
        c0 = round(lo * sx)
        found = lines_in(image[r, c0 : round(hi * sx)])
        return paper.height - (r + 0.5) / sy, [(c + c0 + 0.5) / sx for c in found]
    c = int(along * sx)  # a pixel column; across = y
    r0 = round((paper.height - hi) * sy)
    found = lines_in(image[r0 : round((paper.height - lo) * sy), c])
    return (c + 0.5) / sx, sorted(paper.height - (r + r0 + 0.5) / sy for r in found)


def dark_run(
    image: np.ndarray, scale: calibrate.Scale, paper: Paper, along: float, across: float
) -> tuple[float, float, float]:
    """The dark run going across the scale through (along, across): the exact `along` of the
    pixel row/column used and where the run starts and ends (points; empty if not dark)."""
    sx, sy = image.shape[1] / paper.width, image.shape[0] / paper.height
    if scale.axis == "x":
        r = int((paper.height - along) * sy)
        line, i, to_pt, at = image[r], int(across * sx), 1 / sx, paper.height - (r + 0.5) / sy
    else:
        c = int(along * sx)
        line, i, to_pt, at = image[::-1, c], int(across * sy), 1 / sy, (c + 0.5) / sx
    if line[i] >= 128:
        return at, across, across
    lo = hi = i
    while lo > 0 and line[lo - 1] < 128:
        lo -= 1
    while hi < len(line) - 1 and line[hi + 1] < 128:
        hi += 1
    return at, lo * to_pt, (hi + 1) * to_pt


def traced(
    front: np.ndarray, back: np.ndarray, scale: calibrate.Scale, paper: Paper
) -> list[tuple[float, float, float]]:
    """(along, front line, back line) halfway between every two ticks, found in the pixels:
    the one dark line near the slanted line on the front, the one on the back."""
    out = []
    zero = split(scale, (scale.x, scale.y))[1]
    for k in range(-calibrate.STEPS, calibrate.STEPS):
        along, across = split(scale, scale.point((k + 0.5) * calibrate.STEP_MM))
        at, f = lines_across(front, scale, paper, along, across - mm(1.2), across + mm(1.2))
        _, b = lines_across(back, scale, paper, at, zero - mm(10), zero + mm(10))
        assert len(f) == 1 and len(b) == 1, (scale, k, f, b)
        out.append((at, f[0], b[0]))
    return out


def reading(front: np.ndarray, back: np.ndarray, scale: calibrate.Scale, paper: Paper) -> float:
    """What a person reads on one scale: the value where the back's line crosses the front's
    slanted line (the numbers sit at `point(value)`, tested above)."""
    samples = [(at, b - f) for at, f, b in traced(front, back, scale, paper)]
    for (a0, d0), (a1, d1) in zip(samples, samples[1:], strict=False):
        if d0 == 0 or d0 * d1 < 0:
            return scale.value_at(a0 + (a1 - a0) * d0 / (d0 - d1))
    raise AssertionError(f"the lines do not cross on {scale}")


def read_all(
    front: np.ndarray, back: np.ndarray, sheet: calibrate.Calibration
) -> dict[tuple[str, str], float]:
    return {(s.place, s.axis): reading(front, back, s, sheet.paper) for s in sheet.scales}


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_scales_read_zero_without_printer_shift(sheets: dict[str, Path], paper: str) -> None:
    sheet = calibrate.plan(paper)
    front, back = render(sheets[paper])
    seen = long_edge(back)
    one_px = 72 / DPI
    assert len(sheet.scales) == 10
    for scale in sheet.scales:
        zero_along, zero_across = split(scale, (scale.x, scale.y))
        # the slanted line is where the plan puts it, at true millimetres, and the back's
        # line lies exactly on the zero point
        for at, f, b in traced(front, seen, scale, sheet.paper):
            assert abs(f - split(scale, scale.point(scale.value_at(at)))[1]) <= one_px, scale
            assert abs(b - zero_across) <= one_px, scale
        # the front's 0 tick, found in the pixels as the only run longer than 3.5 mm near the
        # zero point (whole-mm ticks are 3 mm), lies on the back's line
        tick = []
        for i in range(-40, 41):
            at, start, end = dark_run(
                front, scale, sheet.paper, zero_along + i * one_px / 2, zero_across
            )
            if end - start > mm(3.5):
                tick.append((at, (start + end) / 2))
        assert tick, scale
        tick_along = sum(a for a, _ in tick) / len(tick)
        tick_across = sum(c for _, c in tick) / len(tick)
        assert abs(tick_along - zero_along) <= one_px and abs(tick_across - zero_across) <= one_px
        _, backs = lines_across(
            seen, scale, sheet.paper, tick_along, zero_across - mm(10), zero_across + mm(10)
        )
        assert len(backs) == 1 and abs(backs[0] - tick_across) <= one_px, scale
    readings = read_all(front, seen, sheet)
    assert all(abs(v) <= 0.05 for v in readings.values()), readings


def printer_readings(
    sheet: calibrate.Calibration, pdf: Path, dx: float, dy: float
) -> tuple[np.ndarray, np.ndarray, dict[tuple[str, str], float]]:
    """Every scale's reading on a printer that puts the back dx mm right, dy mm up."""
    front, back = render(pdf)
    seen = long_edge(back)
    return front, seen, read_all(front, shifted(seen, dx, dy), sheet)


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("dx, dy", [(1.5, -1.0), (-4.5, 4.5)])
def test_scales_read_the_correction_for_a_shifted_back(
    sheets: dict[str, Path], paper: str, dx: float, dy: float
) -> None:
    """A printer that puts the back 1.5 mm right and 1 mm low (seen from the front): every
    scale reads DX = +1.5 (moving the back page 1.5 mm right on itself moves it left seen from
    the front) and DY = +1.0; a back moved by that reads 0 again."""
    sheet = calibrate.plan(paper)
    front, seen, readings = printer_readings(sheet, sheets[paper], dx, dy)
    for (place, axis), value in readings.items():
        assert value == pytest.approx(dx if axis == "x" else -dy, abs=0.25), (place, axis)
    fix_x, fix_y = readings[("centre", "x")], readings[("centre", "y")]
    corrected = read_all(front, shifted(seen, dx - fix_x, dy + fix_y), sheet)
    assert all(abs(v) <= 0.25 for v in corrected.values()), corrected


def test_readings_given_to_build_put_every_back_behind_its_front(
    sheets: dict[str, Path], tmp_path: Path
) -> None:
    """Read the sheet on a printer that is off by (+1.5, -1.0) mm, build the example deck with
    --back-offset DX,DY, print that on the same printer: every back lands behind its front."""
    dx, dy = 1.5, -1.0
    sheet = calibrate.plan("a4")
    _, _, readings = printer_readings(sheet, sheets["a4"], dx, dy)
    offset = f"{readings[('centre', 'x')]:.2f},{readings[('centre', 'y')]:.2f}"
    result = run_cli(
        "build",
        "--deck",
        str(ROOT / "examples" / "minimal"),
        "--out",
        str(tmp_path),
        "--no-booklet",
        "--back-offset",
        offset,
        "--no-instructions",
    )
    assert result.returncode == 0, result.stderr
    pages = json.loads((tmp_path / "kaarten.layout.json").read_text())["pages"]
    assert [p["side"] for p in pages] == ["front", "back"]
    width = pages[1]["size"][0]
    fronts = {s["card"]: s["trim"] for s in pages[0]["slots"]}
    for slot in pages[1]["slots"]:
        x0, y0, x1, y1 = slot["trim"]
        # seen from the front after the long-edge flip, then moved by the printer
        landed = (width - x1 + mm(dx), y0 + mm(dy), width - x0 + mm(dx), y1 + mm(dy))
        assert landed == pytest.approx(fronts[slot["card"]], abs=mm(0.25)), slot["card"]


def test_flip_check_shows_the_block_in_the_right_frame(sheets: dict[str, Path]) -> None:
    sheet = calibrate.plan("a4")
    H = sheet.paper.height
    _, back = render(sheets["a4"])
    long_view = long_edge(back)
    short_view = back[::-1, :]  # a short-edge flip turns the back upside down instead

    def ink(image: np.ndarray, frame: tuple[float, float, float, float]) -> float:
        x0, y0, x1, y1 = frame
        inner = mm(3)
        area = image[
            round((H - y1 + inner) * S) : round((H - y0 - inner) * S),
            round((x0 + inner) * S) : round((x1 - inner) * S),
        ]
        return float(255.0 - area.mean())

    assert ink(long_view, sheet.good) > 200 and ink(long_view, sheet.wrong) < 5
    assert ink(short_view, sheet.wrong) > 200 and ink(short_view, sheet.good) < 5
