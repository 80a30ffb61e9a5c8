"""QR codes as module matrices, encoded once per distinct URL.

zxing-cpp encodes (about 0.4 ms a code, 20x faster than pure-Python encoders; it is the
same encoder the benchmark floor uses). The matrix is plain data: rows of 0/1 bytes.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from itertools import chain, compress

_INVERT = bytes([1] + [0] * 255)  # zxing image: 0 = black -> 1 = dark module

QUIET_MODULES = 4


# the symbols of the last few thousand URLs: a deck's repeated links are encoded once, and a
# deck of 20,000 cards with a link each does not keep 20,000 symbols (about 4 KB each)
@lru_cache(maxsize=4096)
def matrix(url: str, max_modules: int = 45) -> tuple[bytes, ...]:
    """Rows of the QR symbol (without quiet zone), one byte per module, 1 = dark.

    Error correction M (15 %) where the symbol stays within `max_modules`; a long URL falls
    back to L (7 %), which is still what most printed codes use.
    """
    version = (max_modules - 17) // 4
    capacity = _M_DATA_BITS.get(version, 1 << 30)
    # byte mode fits at level M: no need to look further; else M may well not fit at all
    too_long = 12 + 8 * len(url.encode()) > capacity and _least_bits(url, version) > capacity
    image = None if too_long else _encode(url, "M")  # encoded once where M cannot fit
    if image is None or image.shape[1] > max_modules:
        image = _encode(url, "L")
    raw = bytes(memoryview(image)).translate(_INVERT)
    n = image.shape[1]
    return tuple([raw[k : k + n] for k in range(0, len(raw), n)])


# data bits of a QR symbol at level M by version (ISO/IEC 18004, table 7): version v is
# 17 + 4v modules wide
_M_DATA_BITS = {
    v: 8 * n for v, n in enumerate((16, 28, 44, 64, 86, 108, 124, 154, 182, 216), start=1)
}
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def _least_bits(url: str, version: int) -> float:
    """A lower bound of the data bits any QR encoding of `url` at `version` takes, however it
    mixes modes: the cheapest split into numeric, alphanumeric and byte segments (each segment
    a 4-bit mode and its count; a digit at least 10/3 bits, an alphanumeric character 5.5, any
    other ASCII character 8), other characters counted as nothing."""
    # bits of a segment's mode and count: numeric, alphanumeric, byte (versions 1-9, 10-26)
    header = (14, 13, 12) if version < 10 else (16, 15, 20)
    costs = [float(h) for h in header]  # the cheapest encoding so far, ending in each mode
    never = float("inf")
    for ch in url:
        if not ch.isascii():
            continue
        each = (10 / 3 if ch.isdigit() else never, 5.5 if ch in _ALNUM else never, 8.0)
        best = min(costs)
        costs = [min(costs[m], best + header[m]) + each[m] for m in range(3)]
    return min(costs)


def load_encoder() -> None:
    """Import zxing-cpp now, in the main thread, with Ctrl-C held back until it is loaded: a
    KeyboardInterrupt raised inside its C++ module set-up would abort the whole process
    (SIGABRT) instead of stopping it cleanly. Call before any work starts."""
    if "zxingcpp" in sys.modules:
        return
    from .interrupts import held

    with held():
        import zxingcpp  # noqa: F401


def _encode(url: str, level: str):  # type: ignore[no-untyped-def]
    import zxingcpp

    return zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level=level).to_image(
        scale=1, add_quiet_zones=False
    )


def operators(rows: tuple[bytes, ...]) -> str:
    """PDF `re` operators (`col row length 1 re`, one a line) for every horizontal run of dark
    modules, row by row, left to right; `rows` as `matrix` gives them (bytes 0 and 1). Nothing
    is done in Python per run or per module: the matrix is joined with a light module between
    rows (no run crosses a row's end); a run starts where a dark module follows a light one,
    found for all modules at once by one integer's bit operations (a module a byte: `dark &
    ~(dark << 8)` keeps the first byte of each run), and those bytes pick each run's 'col row '
    from the prepared texts by position (`compress`); the runs' lengths are the pieces of the
    matrix split at its light modules made white space (`bytes.split()` skips the empty pieces
    between light modules, which splitting at each light module would make, about two a run).
    Each run's text is two prepared strings, 'col row ' by its start and 'length 1 re' by its
    length, joined. About 40 % fewer instructions than splitting at every light module and
    adding up the pieces' lengths for the starts (0.97 -> 0.58 M a symbol of 33-41 modules)."""
    if not rows:
        return ""
    stride = len(rows[0]) + 1  # a light module after each row
    joined = b"\x00".join(rows)
    dark = int.from_bytes(joined, "little")
    firsts = (dark & ~(dark << 8)).to_bytes(len(joined), "little")  # 1 where a run starts
    where = compress(_places(stride, len(rows)), firsts)
    lengths = map(len, joined.translate(_LIGHT_AS_SPACE).split())
    runs = map(_RUN_LENGTHS.__getitem__, lengths)
    return "".join(chain.from_iterable(zip(where, runs, strict=True)))[:-1]


_LIGHT_AS_SPACE = bytes.maketrans(b"\x00\x01", b" #")  # light modules as white space


@lru_cache(maxsize=8)
def _places(stride: int, count: int) -> list[str]:
    """'col row ' for each start of a run in `count` rows joined with `stride` modules a row."""
    return [f"{start % stride} {start // stride} " for start in range(stride * count)]


_RUN_LENGTHS = [f"{n} 1 re\n" for n in range(178)]  # a run is at most a row (version 40: 177)
