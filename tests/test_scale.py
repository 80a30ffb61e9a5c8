"""Issue 17: faster and leaner builds that give the user exactly the same.

The timings themselves are measured by bench/run.py (interleaved medians), never here.
"""

from __future__ import annotations

import copy
import io
import json
import os
import random
import shutil
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEFAULT_DECK, ROOT, run_cli
from kaartspel import load, qr, source
from kaartspel.cli import main

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "data" / "mini"
FINGERPRINTS = TESTS / "data" / "page-fingerprints.json"
sys.path.insert(0, str(ROOT / "tools"))


@pytest.mark.slow
def test_default_deck_renders_as_before(tmp_path: Path) -> None:
    """Every page of the default build renders pixel-identical at 150 dpi, with the same text
    and the same layout manifest, as on main without the changes of issue 17 (621cc75, whose
    default build renders as 6de4cd8's; fingerprints made there with
    tools/page_fingerprints.py)."""
    from page_fingerprints import fingerprints

    result = run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    now = fingerprints(tmp_path / "out")
    before = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))
    assert sorted(now) == sorted(before)
    for name, was in before.items():
        assert now[name] == was, f"{name} differs from the build before"


# the command line with every face laid out before painting, as before faces were streamed
_WHOLE_LAYOUT = (
    "import sys\n"
    "from kaartspel import build\n"
    "card_files = build._card_files\n"
    "build._card_files = lambda *a, stream, **k: card_files(*a, stream=False, **k)\n"
    "from kaartspel.cli import main\n"
    "main(sys.argv[1:], prog_name='kaartspel')\n"
)


@pytest.mark.parametrize("layout", ["duplex", "gutterfold"])
def test_a_shaped_deck_is_laid_out_whole_with_the_same_bytes(tmp_path: Path, layout: str) -> None:
    """reportlab numbers the glyphs it shapes that have no character of their own (Devanagari
    conjuncts) in the order it first meets them, and writes the numbers into the PDF: faces
    laid out as they are painted would shape in another order. A deck with text to shape is
    laid out whole first, so its PDF is byte for byte the one the whole layout gives (each
    build in a fresh process: the numbering lives as long as the process)."""
    from test_shaping import _deck

    deck = _deck("hindi", tmp_path)
    args = ["build", "--deck", str(deck), "--no-booklet", "--layout", layout]
    result = run_cli(*args, "--out", str(tmp_path / "streamed"))
    assert result.returncode == 0, result.stderr
    whole = subprocess.run(
        [sys.executable, "-c", _WHOLE_LAYOUT, *args, "--out", str(tmp_path / "whole")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert whole.returncode == 0, whole.stderr
    written = sorted(p.name for p in (tmp_path / "whole").iterdir())
    assert written == sorted(p.name for p in (tmp_path / "streamed").iterdir())
    assert any(name.endswith(".pdf") for name in written)
    for name in written:
        assert (tmp_path / "streamed" / name).read_bytes() == (
            tmp_path / "whole" / name
        ).read_bytes(), name


def _all_paths(doc: source.Document) -> list[tuple[tuple[str | int, ...], bool]]:
    return [(p, False) for p in doc.values] + [(p, True) for p in doc.keys]


@pytest.mark.parametrize("path", sorted((MINI / "cards").glob("*.yaml")), ids=lambda p: p.name)
def test_fast_read_gives_the_same_values_and_positions(path: Path) -> None:
    """A card file read without positions holds the same values, and every position a message
    may ask for (recovered on demand for the deep ones) is the one the full reader gives."""
    full = source.load(path)
    fast = source.load(path, positions=False)
    assert fast.data == full.data
    assert fast._text is not None  # read the fast way: positions of the top levels only
    for at, key in _all_paths(full):
        if len(at) <= source.SHALLOW - key:
            assert fast.at(at, key) == full.at(at, key)
    assert fast._text is not None  # the shallow ones needed no second reading
    for at, key in _all_paths(full):
        assert fast.at(at, key) == full.at(at, key)
    assert fast._text is None  # recovered once


@pytest.mark.parametrize(
    "text",
    [
        "cards:\n  - &a {id: X}\n  - *a\n",  # an alias
        "cards:\n  - id: X\n    id: Y\n",  # a repeated key
        "cards:\n  - <<: {id: X}\n",  # a merge key
        "cards:\n  - id: !!binary aGk=\n",  # a tag
        "when: 2024-01-01\n",  # a date: a timestamp tag
        "cards: [\n",  # a syntax error
    ],
)
def test_unusual_yaml_goes_the_full_way(text: str) -> None:
    """What the full reader refuses or must check is never accepted by the fast one."""
    fast = source._read_fast("x.yaml", text)
    assert fast is None


def test_card_limit_is_answered_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "MAX_CARDS", 2)
    result = CliRunner().invoke(main, ["check", "--deck", str(MINI)])
    assert result.exit_code == 3
    assert result.output == (
        f"{source.display_path(MINI)}: the deck has 3 cards; at most 2 are supported (a build "
        "holds every card in memory: about 1.7 GB at that size)\n"
        "1 problem found in the deck; nothing was written.\n"
    )


def test_deck_over_the_old_ceiling_builds(tmp_path: Path) -> None:
    """The 10,000-card ceiling is gone: a deck of 10,001 (tiny) cards is accepted by check."""
    deck = tmp_path / "deck"
    shutil.copytree(MINI, deck)
    for old in (deck / "cards").glob("*.yaml"):
        old.unlink()
    card = "  - {{id: B{n:05d}, type: bezorgdheid, title: Zorg {n}, text: Tekst., answer: Ja.}}\n"
    for part in range(3):
        numbers = range(part * 3334, min((part + 1) * 3334, 10001))
        text = "cards:\n" + "".join(card.format(n=n) for n in numbers)
        (deck / "cards" / f"p{part}.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--deck", str(deck)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 10001 cards")


def _both_levels(url: str) -> tuple[bytes, ...]:
    """The symbol as before issue 17: level M, else (wider than 45 modules) level L."""
    image = qr._encode(url, "M")
    if image.shape[1] > 45:
        image = qr._encode(url, "L")
    raw = bytes(memoryview(image)).translate(qr._INVERT)
    n = image.shape[1]
    return tuple(raw[k : k + n] for k in range(0, len(raw), n))


def test_each_url_is_encoded_once_with_the_same_symbol(monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL too long for level M is encoded at L straight away; every symbol is the one the
    two-step encoding gives (URLs of letters, digits, capitals and other scripts, mixed)."""
    rnd = random.Random(17)
    pieces = [
        string.ascii_lowercase + "/?=&-_.",
        string.digits,
        string.ascii_uppercase + "/:.",
        "éü€漢字",
    ]
    urls = [
        "https://safe.brussels/nl/safebrussels-publiceert-de-resultaten-van-haar-tweede-"
        "gewestelijke-enquete-die-peilt-naar-het?k=58",
        "https://x.nl/" + "1" * 200,  # long, but numeric: fits at M
        "HTTPS://X.NL/" + "A" * 150,  # long, but alphanumeric: fits at M
    ]
    for _ in range(400):
        text = ""
        while len(text) < rnd.randint(20, 220):
            text += "".join(rnd.choice(rnd.choice(pieces)) for _ in range(rnd.randint(1, 30)))
        urls.append("https://" + text)
    calls: list[str] = []
    encode = qr._encode

    def counted(url: str, level: str) -> object:
        calls.append(level)
        return encode(url, level)

    monkeypatch.setattr(qr, "_encode", counted)
    once = 0
    for url in urls:
        before = _both_levels(url)
        calls.clear()
        qr.matrix.cache_clear()
        assert qr.matrix(url) == before, url
        if url == urls[0]:
            assert calls == ["L"]  # 127 characters, mostly lower-case letters: L at once
        once += calls == ["L"]
    assert once > 10


def _build_both_ways(
    monkeypatch: pytest.MonkeyPatch, deck: Path, out: Path
) -> tuple[list[int | None], list[tuple[int, str]]]:
    """`build` of `deck` with two processes sharing the reading and the layout (their
    thresholds lowered to this small deck), then on one core; (forks, (exit code, output))."""
    from kaartspel import build, parallel, pdf

    forks: list[int | None] = []
    fork = os.fork
    compressed: list[str] = []  # the ways whose pages were compressed on a thread
    page_done = pdf.PagesCompressedAhead.page_done

    def counted_page(self: pdf.PagesCompressedAhead) -> None:
        compressed.append(way)
        page_done(self)

    def counted() -> int:
        pid = fork()
        if pid:
            forks.append(pid)
        return pid

    results = []
    for way in ("shared", "alone"):
        with monkeypatch.context() as m:
            m.setattr(build, "SHARED_FROM", 20)
            m.setattr(load, "SHARED_READING", 0)
            m.setattr(os, "fork", counted)
            m.setattr(pdf.PagesCompressedAhead, "page_done", counted_page)
            if way == "alone":
                m.setattr(parallel, "cores", lambda: 1)
            args = ["build", "--deck", str(deck), "--out", str(out / way), "--no-booklet"]
            result = CliRunner().invoke(main, args)
        results.append((result.exit_code, result.output))
    if len(os.sched_getaffinity(0)) > 1:  # pages compressed ahead with two cores only
        assert set(compressed) == {"shared"}
    return forks, results


@pytest.mark.skipif(os.name != "posix", reason="fork")
def test_two_processes_build_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big deck's card files are read, and its faces laid out, by this process and a forked
    one together while this one paints (its pages compressed on a thread): the files are the
    very bytes one process makes."""
    forks, results = _build_both_ways(monkeypatch, DEFAULT_DECK, tmp_path)
    assert [code for code, _ in results] == [0, 0], results
    if len(os.sched_getaffinity(0)) > 1:
        assert len(forks) == 2  # reading and layout each forked once, and only when shared
    for name in ("kaarten.pdf", "kaarten.layout.json"):
        shared = (tmp_path / "shared" / name).read_bytes()
        assert shared == (tmp_path / "alone" / name).read_bytes(), name


@pytest.mark.skipif(os.name != "posix", reason="fork")
def test_two_processes_report_a_card_that_does_not_fit_as_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = tmp_path / "deck"
    shutil.copytree(DEFAULT_DECK, deck)
    path = sorted((deck / "cards").glob("*.yaml"))[-1]  # a card far into the deck
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    card = next(c for c in reversed(data["cards"]) if isinstance(c.get("text"), dict))
    card["text"]["nl"] = " ".join(["onafzienbaar lange uitleg"] * 120)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, results = _build_both_ways(monkeypatch, deck, tmp_path / "out")
    (code, output), alone = results
    assert code == 5, output
    assert "does not fit" in output
    assert (code, output) == alone
    assert not (tmp_path / "out" / "shared").exists()  # nothing written


_ATOMS = [
    "yes",
    "No",
    "on",
    "1.5",
    "0x1F",
    "1_000",
    "-3",
    ".inf",
    ".NaN",
    "null",
    "~",
    "",
    "2024-01-01",
    "12:30",
    "a: b",
    "#x",
    "- x",
    "'q'",
    '"d"',
    "é",
    "<<",
    "=",
    "!x",
    "&a",
    "*a",
    "true",
    "0o17",
    "1e3",
    "3.",
    "words with spaces",
    "nl",
    7,
    -2,
    0.5,
    True,
    None,
]
_SCALARS = st.sampled_from(_ATOMS)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_SCALARS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    data=st.lists(_VALUES, max_size=4),
    style=st.sampled_from([None, '"', "'", "|"]),
    flow=st.sampled_from([True, False, None]),
    unquote=st.booleans(),
)
def test_fast_read_of_any_yaml_gives_what_the_full_reader_gives(
    data: list[object], style: str | None, flow: bool | None, unquote: bool
) -> None:
    """The fast reader builds values straight from libyaml's events: on any document it
    either steps aside (None) or gives the full reader's values, types and positions."""
    text = yaml.safe_dump(
        {"cards": data}, allow_unicode=True, default_style=style, default_flow_style=flow
    )
    if unquote:  # plain scalars the dumper would have quoted: other types, or errors
        text = text.replace("'", "")
    fast = source._read_fast("x.yaml", text)
    if fast is None:
        return
    full = source.parse("x.yaml", text, positions=True)
    assert repr(fast.data) == repr(full.data)
    for path in fast.values:
        assert full.values[path] == fast.at(path)
    for path in fast.keys:
        assert full.keys[path] == fast.at(path, key=True)
    assert {p for p in full.values if len(p) <= source.SHALLOW} == set(fast.values)


def test_a_command_runs_without_the_cyclic_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """One command is one batch: the cyclic collector stays off while it runs (its passes over
    a big deck's heap cost 10-17 % of the build); `watch` turns it back on for itself."""
    import gc
    import signal
    import sys

    import kaartspel

    seen: list[tuple[object, bool]] = []
    monkeypatch.setattr(kaartspel, "_leave", lambda code: seen.append((code, gc.isenabled())))
    monkeypatch.setattr(sys, "argv", ["kaartspel", "--version"])
    handler = signal.getsignal(signal.SIGINT)
    try:
        kaartspel.run()
    finally:
        gc.enable()
        signal.signal(signal.SIGINT, handler)
    assert seen == [(0, False)]


def test_plain_text_lines_are_written_as_reportlab_writes_them() -> None:
    """Lines of one font, none shaped, are written straight (`Painter._plain_texts`): the
    very operators reportlab's text object writes for them, face by face of the default deck
    (left-aligned and centred lines, colour and size changes, hyphens and accents)."""
    from kaartspel import fonts, layout, paint
    from kaartspel.settings import PrintValues, resolve

    deck = load.load_deck(DEFAULT_DECK)
    fonts.use(deck.fonts)
    laid = layout.lay_out(deck, list(deck.cards), resolve(PrintValues(), deck.print).size)
    blocks = [
        [i for i in face.items if isinstance(i, layout.TextLine)] for face in laid.faces.values()
    ]
    assert {line.align for lines in blocks for line in lines} >= {"left", "centre"}
    fast, slow = paint.Painter("t", "a", "s"), paint.Painter("t", "a", "s")
    for lines in blocks:
        fast._texts(lines)
        text = paint._text_object(slow.canvas, slow.codes, slow.moves)  # reportlab's calls
        font = colour = None
        for line in lines:
            name = fonts.CHAINS[line.font][0]
            if font != (name, line.size):
                text.setFont(name, line.size)
                font = (name, line.size)
            if colour != line.colour:
                text.setFillColorRGB(*line.colour)
                colour = line.colour
            x = line.x
            if line.align != "left":
                w = fonts.width(line.text, line.font, line.size)
                x -= w if line.align == "right" else w / 2
            text.setTextOrigin(x, line.y)
            text.textOut(line.text)
        slow.canvas.drawText(text)
    assert len(fast.canvas._code) == len(slow.canvas._code) == len(blocks) > 78
    assert fast.canvas._code == slow.canvas._code


def test_each_line_starts_where_it_was_laid_out_through_moves_from_the_line_before() -> None:
    """Lines are placed by moves from the previous line's start (`Td`), where reportlab
    writes absolute positions (`1 0 0 1 x y Tm`). Read back from the PDF of the default deck's
    cards (its operators, as pypdf parses them): the moves, added up from each text object's
    start in single precision (as pdfium adds them), land exactly on the absolute position
    written to 7 significant digits (the glyphs render the same pixels as before); added up in
    double precision, within 0.0001 pt of the layout's position. Most lines move; a line at
    the very start of the line before still moves (`0 0 Td`: back to that start, not on from
    the end of the text before)."""
    import pypdf
    from reportlab.lib.rl_accel import fp_str

    from kaartspel import fonts, layout, paint
    from kaartspel.settings import PrintValues, resolve

    deck = load.load_deck(DEFAULT_DECK)
    fonts.use(deck.fonts)
    laid = layout.lay_out(deck, list(deck.cards), resolve(PrintValues(), deck.print).size)
    blocks = [
        [i for i in face.items if isinstance(i, layout.TextLine)] for face in laid.faces.values()
    ]
    painter = paint.Painter("t", "a", "s")
    placed: list[tuple[str, float, float]] = []
    for lines in blocks:
        if lines:
            painter._texts(lines)
            placed += [(line.text, paint._line_start(line, None), line.y) for line in lines]
    painter.canvas.showPage()
    reader = pypdf.PdfReader(io.BytesIO(painter.canvas.getpdfdata()))
    operations = pypdf.generic.ContentStream(reader.pages[0].get_contents(), reader).operations
    single = paint._single
    starts: list[tuple[float, float, float, float]] = []  # in double, in single precision
    x = y = sx = sy = 0.0
    moved = 0
    for operands, operator in operations:
        if operator == b"BT":
            x = y = sx = sy = 0.0
        elif operator == b"Td":
            dx, dy = float(operands[0]), float(operands[1])
            x, y = x + dx, y + dy
            sx, sy = single(sx + single(dx)), single(sy + single(dy))
            moved += 1
        elif operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
            sx, sy = single(x), single(y)
        elif operator == b"Tj":
            starts.append((x, y, sx, sy))
    assert len(starts) == len(placed) > 78 * 8
    assert moved > 0.8 * len(starts)
    for (text, x, y), (rx, ry, sx, sy) in zip(placed, starts, strict=True):
        assert abs(rx - x) < 1e-4 and abs(ry - y) < 1e-4, (text, x, y, rx, ry)
        assert (sx, sy) == (single(float(fp_str(x))), single(float(fp_str(y)))), text
    again = [blocks[1][0], blocks[1][0]]
    painter._texts(again)
    assert painter.canvas._code[-1].count(" 0 0 Td ") == 1


@settings(max_examples=200, deadline=None)
@given(
    st.text(min_size=1, max_size=60),
    st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=4, max_size=4),
)
def test_link_annotations_are_the_bytes_reportlab_writes(url: str, rect: list[float]) -> None:
    """`Painter._links` formats each link annotation at once (`paint._link_class`): the same
    bytes as reportlab's `canvas.linkURL(url, rect, relative=0, thickness=0)`, whatever the
    URL holds (brackets, backslashes, text outside PDFDocEncoding: UTF-16) and the numbers."""
    from reportlab.pdfgen.canvas import Canvas

    from kaartspel import paint

    def annotation(draw: Callable[[Canvas], None]) -> bytes:
        canvas = Canvas(io.BytesIO(), invariant=1)
        draw(canvas)
        canvas.showPage()
        data = canvas.getpdfdata()
        start = data.index(b"/A <<") - len(b"<<\n")
        return data[start : data.index(b"/Type /Annot\n>>", start)]

    box = (rect[0], rect[1], rect[2], rect[3])
    ours = annotation(lambda c: c._addAnnotation(paint._link_class()(url, c._absRect(box, 0))))
    assert ours == annotation(lambda c: c.linkURL(url, box, relative=0, thickness=0))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["translate", "scale", "rotate"]),
            st.floats(-1000, 1000, allow_nan=False),
            st.floats(-1000, 1000, allow_nan=False),
        ),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=4, max_size=4),
    st.booleans(),
)
def test_transformations_and_clips_are_written_as_the_canvas_writes_them(
    calls: list[tuple[str, float, float]], box: list[float], after_cm: bool
) -> None:
    """`Painter._transform` and `Painter._clip` write the operators (and leave the current
    matrix) that the canvas calls write, the first time and again from their memo, also
    after a `cm` operator the calls merge into."""
    from kaartspel import paint

    def by_canvas(c: Any) -> None:
        for name, a, b in calls:
            if name == "rotate":
                c.rotate(a)
            else:
                getattr(c, name)(a, b)
        path = c.beginPath()
        path.rect(box[0], box[1], box[2] - box[0], box[3] - box[1])
        c.clipPath(path, stroke=0, fill=0)

    def by_painter(painter: paint.Painter) -> None:
        painter._transform(*calls)
        painter._clip((box[0], box[1], box[2], box[3]))

    ours, theirs = paint.Painter("t", "a", "s"), paint.Painter("t", "a", "s")
    for _ in range(3):
        for painter in (ours, theirs):
            painter.canvas.saveState()
            if after_cm:
                painter.canvas.translate(3, 4)
        by_painter(ours)
        by_canvas(theirs.canvas)
        assert ours.canvas._code == theirs.canvas._code
        assert ours.canvas._currentMatrix == theirs.canvas._currentMatrix
        for painter in (ours, theirs):
            painter.canvas.restoreState()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["rect", "roundRect", "circle"]),
            st.lists(st.floats(-1000, 1000, allow_nan=False), min_size=5, max_size=5),
            st.sampled_from([0, 1]),
            st.sampled_from([(0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.9, 0.05, 0.05), (1, 0.5, 0)]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_fills_and_shapes_are_written_as_the_canvas_writes_them(
    shapes: list[tuple[str, list[float], int, tuple[float, float, float]]],
) -> None:
    """`Painter._fill` and `Painter._shape` write the operators (and leave the fill colour)
    that `setFillColorRGB` and the canvas's shape methods write, the first time and again
    from their memos."""
    from kaartspel import paint

    ours, theirs = paint.Painter("t", "a", "s"), paint.Painter("t", "a", "s")
    for _ in range(2):
        for name, numbers, stroke, colour in shapes:
            ours._last_fill = None
            ours._fill(colour)
            theirs.canvas.setFillColorRGB(*colour)
            count = {"rect": 4, "roundRect": 5, "circle": 3}[name]
            ours._shape(name, *numbers[:count], stroke)
            getattr(theirs.canvas, name)(*numbers[:count], stroke=stroke, fill=1)
            assert ours.canvas._code == theirs.canvas._code
            assert ours.canvas._fillColorObj == theirs.canvas._fillColorObj


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=80))
def test_codes_escaped_byte_by_byte_are_what_escape_pdf_writes(data: bytes) -> None:
    """`Painter._plain_texts` escapes a line's codes byte by byte (`paint._escaped`, in one
    `str.translate`): the same text as reportlab's `escapePDF` of the whole string."""
    from reportlab.lib.rl_accel import escapePDF

    from kaartspel import paint

    assert "".join(paint._escaped()[b] for b in data) == escapePDF(data)


def test_a_file_of_too_many_values_says_so_without_blaming_aliases(tmp_path: Path) -> None:
    """A card file of more than 200,000 values and no alias: refused with what it holds and
    how to fix it (the fast reader counts its values as it reads and says so itself, with the
    full reader's words, when the rest of the file reads without an error)."""
    deck = tmp_path / "deck"
    shutil.copytree(ROOT / "examples" / "minimal", deck)
    numbers = ", ".join(map(str, range(source.MAX_VALUES + 10)))
    (deck / "cards" / "big.yaml").write_text(f"cards:\n- id: Z1\n  extra: [{numbers}]\n")
    result = run_cli("check", "--deck", str(deck))
    assert result.returncode == 3
    # the root, 'cards', its list, the card, 'id', 'Z1', 'extra' and its list are counted
    # first: the value over the limit is the number MAX_VALUES - 8
    before = ", ".join(map(str, range(source.MAX_VALUES - 8)))
    column = len("  extra: [") + len(before) + len(", ") + 1
    assert result.stderr.splitlines()[0] == (
        f"{deck / 'cards' / 'big.yaml'}:3:{column}: the file holds more than 200000 values "
        "(keys included), more than one deck file may hold; split its cards over several "
        "files in cards/."
    )
    # a syntax error after that value: the full reader's message, as ever (it reads the whole
    # file before it counts)
    with (deck / "cards" / "big.yaml").open("a") as out:
        out.write("- id: Z2\n  title: [broken\n")
    result = run_cli("check", "--deck", str(deck))
    assert result.returncode == 3
    assert result.stderr.splitlines()[0].startswith(
        f"{deck / 'cards' / 'big.yaml'}:5:10: YAML syntax error: the '[' opened here is not closed"
    )


def test_texts_kept_for_other_faces_are_as_laid_out_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lines of a text wrapped to one width are kept for the deck's other faces
    (`layout._Shared.wrapped`): every front of a deck of the default deck's cards twice over,
    the second time with a longer link (a larger QR code, so narrower tables beside it) or
    none, laid out in turn with what was kept, equals that front laid out with nothing kept;
    a change of the fonts in use starts afresh."""
    from kaartspel import fonts, layout
    from kaartspel.design import load_design
    from kaartspel.settings import PrintValues, resolve

    sys.path.insert(0, str(ROOT / "bench"))
    import run as bench

    source_cards = bench.default_cards()
    folder = bench.make_deck(tmp_path, len(source_cards), source_cards)  # texts as they are
    # each card again (another id) with a longer link (a larger QR code) or none
    for part in (folder / "cards").glob("*.yaml"):
        data = yaml.safe_load(part.read_text(encoding="utf-8"))
        again = copy.deepcopy(data["cards"])
        for n, card in enumerate(again):
            card["id"] = f"Y{n:05d}"
            if card.get("links") and n % 2 == 0:
                for link in card["links"]:
                    link["url"] += "&long=" + "x" * 200  # more modules than fit
            else:
                card.pop("links", None)  # no QR code at all
        data["cards"] += again
        part.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    deck = load.load_deck(folder)
    fonts.use(deck.fonts)
    design = load_design(deck)
    size = resolve(PrintValues(), deck.print).size
    cards = list(deck.cards)
    layout._SHARED.clear()
    kept = [layout.front(deck, c, size, layout._Problems(), design) for c in cards]
    shared = layout._SHARED[0]
    assert len(shared.wrapped) >= len(source_cards) // 2
    fresh = []
    for card in cards:
        layout._SHARED.clear()
        fresh.append(layout.front(deck, card, size, layout._Problems(), design))
    assert kept == fresh
    assert layout._shared(deck, design) is layout._shared(deck, design)
    before = layout._shared(deck, design)
    monkeypatch.setattr(fonts, "GENERATION", [fonts.GENERATION[0] + 1])  # as fonts.use() does
    assert layout._shared(deck, design) is not before
