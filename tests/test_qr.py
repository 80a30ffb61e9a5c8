"""The QR module matrix drawn as PDF rectangles (`qr.operators`): one `re` per horizontal run
of dark modules, row by row, left to right, checked against the plain per-row reading on
random matrices and on real symbols."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kaartspel import qr


def per_row(rows: tuple[bytes, ...]) -> str:
    """The runs found row by row with a regular expression (what the floor script does)."""
    found = []
    for row_number, row in enumerate(rows):
        for run in re.finditer(rb"\x01+", row):
            found.append(f"{run.start()} {row_number} {run.end() - run.start()} 1 re")
    return "\n".join(found)


@st.composite
def matrices(draw: st.DrawFn) -> tuple[bytes, ...]:
    width = draw(st.integers(min_value=1, max_value=60))
    height = draw(st.integers(min_value=0, max_value=60))
    row = st.binary(min_size=width, max_size=width).map(lambda b: bytes(x & 1 for x in b))
    return tuple(draw(st.lists(row, min_size=height, max_size=height)))


@settings(max_examples=400, deadline=None)
@given(matrices())
def test_operators_are_the_runs_of_every_row(rows: tuple[bytes, ...]) -> None:
    assert qr.operators(rows) == per_row(rows)


def test_operators_of_real_symbols() -> None:
    qr.load_encoder()
    for url in (
        "https://www.besafe.be/nl/veiligheidsthemas/burgerparticipatie",
        "https://youtu.be/ycuEPc2pOqg",
        "https://example.org/" + "a" * 300,  # a long one: version 10, level L
        "HTTPS://X.BE/12345",
    ):
        rows = qr.matrix(url)
        assert len(rows) == len(rows[0]) >= 21
        assert qr.operators(rows) == per_row(rows)
        assert qr.operators(rows).count("\n") + 1 == sum(
            len(re.findall(rb"\x01+", row)) for row in rows
        )
