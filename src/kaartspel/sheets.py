"""Read a spreadsheet card file (.xlsx, .ods, .csv) into the same `Document` a YAML card file
gives: `{"cards": [ {raw card}, ... ]}`, with the cell of every value as its location.

One row is one card, one column one field (see `columns`). Every check of the YAML path then
applies unchanged; only the location reads `file:Sheet!C14` (CSV: `file:line:column`).
Refused before any deck check, each with a located message: files over the size limit
(checked before parsing), encrypted or corrupt workbooks, hidden sheets, empty sheets,
unknown or repeated columns, merged cells, formulas (copy and paste them as values) and
dates. A sheet named README is the export's explanation and is skipped.
This module reads files; it knows nothing of the deck's vocabulary.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import columns
from .columns import Column, Kind
from .source import Document, Location, Path_, SourceError, display_path

SUFFIXES = (".xlsx", ".ods", ".csv")
MAX_SPREADSHEET_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # parsing time and memory grow with this
README_SHEET = "README"
MAX_ROWS = 100_001  # a header and as many cards as a deck may have (load.MAX_CARDS + 1)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .xls files


def column_letter(number: int) -> str:
    """1 -> 'A', 27 -> 'AA'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Cell(Location):
    """A spreadsheet cell: `line` is the row, `col` the column number."""

    sheet: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.sheet}!{column_letter(self.col)}{self.line}"


@dataclass(frozen=True)
class Formula:
    text: str


@dataclass(frozen=True)
class Merged:
    cells: str  # e.g. 'E2:F2'


@dataclass
class Grid:
    """One sheet as read: `rows` maps a row number to {column number: value}."""

    name: str | None  # None for a CSV file
    rows: dict[int, dict[int, Any]] = field(default_factory=dict)
    hidden: bool = False


_NEEDS = re.compile(r"the required key '([^']+)' is missing|needs an? '([^']+)'")
_NUMBER_HINT = (
    "; the spreadsheet stored a number: format the column as Text and type the value again "
    "(or start it with an apostrophe, as in '007)"
)


class SheetDocument(Document):
    """A Document whose problems name the column (`segment: ...`) instead of `cards[3].segment`.

    The checks of `schema` and `load` are shared with YAML and speak of a card's key; two of
    their messages are placed better here: a missing required value points at its empty cell
    (when the sheet has the column), and a number where text belongs says how to type text.
    """

    def __init__(self, file: str) -> None:
        super().__init__(file, {"cards": []})
        self.labels: dict[Path_, str] = {}
        self.fields_at: dict[tuple[int, str], Location] = {}  # (card, field) -> its cell
        self.declared: tuple[str, ...] = ()  # the deck's custom card fields, columns too
        self.notes: list[str] = []

    def label(self, path: Path_) -> str:
        probe = tuple(path)
        while probe:
            if probe in self.labels:
                return self.labels[probe]
            probe = probe[:-1]
        return ""

    def problem(self, path: Path_, message: str, key: bool = False) -> str:
        if "got a number (" in message:
            message += _NUMBER_HINT
        needs = _NEEDS.search(message)
        if needs and len(path) == 2 and path[0] == "cards" and isinstance(path[1], int):
            cell = self.fields_at.get((path[1], needs.group(1) or needs.group(2)))
            if cell is not None:
                return f"{cell}: {message}"
        label = self.label(path)
        return f"{self.at(path, key)}: {label + ': ' if label else ''}{message}"


def load(path: Path, declared: tuple[str, ...] = ()) -> SheetDocument:
    """Read one spreadsheet card file; raises SourceError with a located message. `declared`
    are the custom card fields of the deck's card types (columns too)."""
    name = display_path(path)
    try:
        if not path.is_file():
            raise SourceError(f"{name}: this is not a regular file; a card file must be a file.")
        size = path.stat().st_size
        if size > MAX_SPREADSHEET_BYTES:
            raise SourceError(
                f"{name}: the file is {size / 1048576:.1f} MB; a spreadsheet of cards may be at "
                f"most {MAX_SPREADSHEET_BYTES // 1048576} MB. Split the cards over several files."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{name}: cannot read the file: {exc.strerror}") from None
    doc = SheetDocument(name)
    doc.declared = declared
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grids = [_read_csv(doc, raw)]
    else:
        _check_zip(name, raw, "Excel workbook (.xlsx)" if suffix == ".xlsx" else ".ods spreadsheet")
        grids = _read_xlsx(name, raw) if suffix == ".xlsx" else _read_ods(name, raw)
    problems: list[str] = []
    for grid in grids:
        _assemble(doc, grid, problems)
    if problems:
        raise SheetProblems(problems)
    return doc


class SheetProblems(SourceError):
    """Several located problems found while reading one spreadsheet."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _check_zip(name: str, raw: bytes, what: str) -> None:
    if raw.startswith(_OLE_MAGIC):
        raise SourceError(
            f"{name}: the file is password-protected (encrypted) or an old .xls workbook; "
            f"save it without a password as {what}."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise SourceError(
            f"{name}: the file is damaged or not an {what}; open it in your spreadsheet "
            f"program and save it again as {what}."
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SourceError(
            f"{name}: the spreadsheet unpacks to {unpacked / 1048576:.1f} MB; at most "
            f"{MAX_UNPACKED_BYTES // 1048576} MB are read. Split the cards over several files."
        )


def _damaged(name: str, what: str) -> SourceError:
    return SourceError(
        f"{name}: the file is damaged or not an {what}; open it in your spreadsheet program "
        f"and save it again as {what}."
    )


def _read_xlsx(name: str, raw: bytes) -> list[Grid]:
    """Stream the workbook (openpyxl read-only mode): memory and time stay bounded by the row
    limit, whatever the file holds."""
    import openpyxl

    try:
        with warnings.catch_warnings():  # e.g. "Data Validation extension is not supported"
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
            grids = [_xlsx_sheet(name, raw, sheet) for sheet in book.worksheets]
            book.close()
    except SourceError:
        raise
    except Exception:  # a third-party parser on a damaged file: any failure means "damaged"
        raise _damaged(name, "Excel workbook (.xlsx)") from None
    return grids


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _xlsx_sheet(name: str, raw: bytes, sheet: Any) -> Grid:
    grid = Grid(sheet.title, hidden=sheet.sheet_state != "visible")
    merged: dict[tuple[int, int], Any] = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        xml = archive.read(sheet._worksheet_path)  # merged ranges: not in read-only mode
    for found in _MERGE.finditer(xml):
        c1, r1, c2, r2 = found.groups()
        top, left = int(r1), _column_number(c1)
        for row in range(top, int(r2) + 1):
            for col in range(left, _column_number(c2) + 1):
                merged[(row, col)] = None
        merged[(top, left)] = Merged(f"{c1.decode()}{r1.decode()}:{c2.decode()}{r2.decode()}")
    del xml
    sheet.reset_dimensions()  # some programs write a wrong size; read every row there is
    for row in sheet.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None or value == "":
                continue
            where = (cell.row, cell.column)
            if where in merged:
                value = merged[where]
            elif cell.data_type == "f":
                value = Formula(str(getattr(value, "text", value)))
            if value is None:
                continue
            if cell.row not in grid.rows and len(grid.rows) >= MAX_ROWS:
                raise _too_many_rows(name, sheet.title, cell.row)
            grid.rows.setdefault(cell.row, {})[cell.column] = value
    for (row, col), value in merged.items():  # a merged range whose first cell is empty
        if isinstance(value, Merged) and col not in grid.rows.get(row, {}):
            grid.rows.setdefault(row, {})[col] = value
    return grid


def _too_many_rows(name: str, sheet: str | None, row: int) -> SourceError:
    where = f"{name}:{sheet}!A{row}" if sheet is not None else f"{name}:{row}:1"
    return SourceError(
        f"{where}: the sheet has more than {MAX_ROWS} filled rows; kaartspel reads at most "
        f"{MAX_ROWS} (a header and {MAX_ROWS - 1} cards). Split the cards over several files."
    )


_ODS_REPEAT_LIMIT = 1000  # repeated cells with a value; trailing empty repeats are skipped


def _read_ods(name: str, raw: bytes) -> list[Grid]:
    from odf import opendocument
    from odf.namespaces import TABLENS

    try:
        book = opendocument.load(io.BytesIO(raw))
    except Exception:  # a third-party parser on a damaged file: any failure means "damaged"
        raise _damaged(name, ".ods spreadsheet") from None
    hidden_styles = {
        style.getAttribute("name")
        for style in book.automaticstyles.childNodes
        if style.qname[1] == "style"
        and any(
            child.qname[1] == "table-properties" and child.getAttribute("display") == "false"
            for child in style.childNodes
        )
    }
    grids = []
    for table in book.spreadsheet.childNodes:
        if table.qname != (TABLENS, "table"):
            continue
        grid = Grid(
            table.getAttribute("name"), hidden=table.getAttribute("stylename") in hidden_styles
        )
        row_number = 0
        for row in _ods_rows(table):
            repeat = int(row.getAttribute("numberrowsrepeated") or 1)
            cells = _ods_cells(row)
            for _ in range(min(repeat, _ODS_REPEAT_LIMIT) if cells else 1):
                row_number += 1
                if cells and len(grid.rows) >= MAX_ROWS:
                    raise _too_many_rows(name, grid.name, row_number)
                if cells:
                    grid.rows[row_number] = {
                        c: _ods_span(v, row_number, c) if isinstance(v, tuple) else v
                        for c, v in cells.items()
                    }
            if not cells:
                row_number += repeat - 1
        grids.append(grid)
    return grids


def _ods_rows(node: Any) -> list[Any]:
    from odf.namespaces import TABLENS

    rows = []
    for child in node.childNodes:
        if child.qname == (TABLENS, "table-row"):
            rows.append(child)
        elif child.qname[0] == TABLENS and child.qname[1] in (
            "table-header-rows",
            "table-rows",
            "table-row-group",
        ):
            rows += _ods_rows(child)
    return rows


def _ods_cells(row: Any) -> dict[int, Any]:
    from odf.namespaces import TABLENS

    cells: dict[int, Any] = {}
    col = 0
    for cell in row.childNodes:
        if cell.qname[0] != TABLENS or cell.qname[1] not in ("table-cell", "covered-table-cell"):
            continue
        repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
        value = None if cell.qname[1] == "covered-table-cell" else _ods_value(cell)
        if value is not None and value != "":
            for _ in range(min(repeat, _ODS_REPEAT_LIMIT)):
                col += 1
                cells[col] = value
        else:
            col += repeat
    return cells


def _ods_value(cell: Any) -> Any:
    spanned = int(cell.getAttribute("numbercolumnsspanned") or 1)
    spanned_rows = int(cell.getAttribute("numberrowsspanned") or 1)
    if spanned > 1 or spanned_rows > 1:
        return (spanned, spanned_rows)
    formula = cell.getAttribute("formula")
    if formula:
        return Formula(formula.removeprefix("of:"))
    kind = cell.getAttribute("valuetype")
    if kind in ("float", "percentage", "currency"):
        number = float(cell.getAttribute("value"))
        return int(number) if number.is_integer() else number
    if kind == "boolean":
        return cell.getAttribute("booleanvalue") == "true"
    if kind == "date":
        return dt.datetime.fromisoformat(cell.getAttribute("datevalue"))
    if kind == "time":
        return dt.time()  # any time of day: refused as a date below
    return "\n".join(_ods_text(p) for p in cell.childNodes if p.qname[1] in ("p", "h"))


def _ods_span(span: tuple[int, int], row: int, col: int) -> Merged:
    last = f"{column_letter(col + span[0] - 1)}{row + span[1] - 1}"
    return Merged(f"{column_letter(col)}{row}:{last}")


def _ods_text(node: Any) -> str:
    out = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(child.data)
        elif child.qname[1] == "s":
            out.append(" " * int(child.getAttribute("c") or 1))
        elif child.qname[1] == "tab":
            out.append("\t")
        elif child.qname[1] == "line-break":
            out.append("\n")
        else:
            out.append(_ods_text(child))
    return "".join(out)


def _decode_csv(doc: SheetDocument, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        doc.notes.append(
            f"{doc.file}: note: the file is not UTF-8; it was read as Windows-1252 (the "
            "encoding Excel uses for 'CSV (separated by semicolons)'). Check the accents; to "
            "be sure, save it as 'CSV UTF-8'."
        )
        return text
    before = raw[: utf8_error.start]
    line = before.count(b"\n") + 1
    col = len(raw[before.rfind(b"\n") + 1 : utf8_error.start].decode("utf-8", "replace")) + 1
    raise SourceError(
        f"{doc.file}:{line}:{col}: the file is not UTF-8 text (byte "
        f"0x{raw[utf8_error.start]:02x}) and not plain Windows-1252 either. Save it again as "
        "'CSV UTF-8 (comma delimited)' (Excel: File > Save As) or with the character set "
        "'Unicode (UTF-8)' (LibreOffice: File > Save As, Edit filter settings)."
    )


def _read_csv(doc: SheetDocument, raw: bytes) -> Grid:
    text = _decode_csv(doc, raw)
    if "\x00" in text:
        raise SourceError(f"{doc.file}: the file contains NUL bytes; it is not a CSV text file.")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    grid = Grid(None)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for record in reader:
            values = {c: v for c, v in enumerate(record, start=1) if v.strip()}
            if values and len(grid.rows) >= MAX_ROWS:
                raise _too_many_rows(doc.file, None, line)
            if values:
                grid.rows[line] = values
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(f"{doc.file}:{line}:1: the CSV cannot be read: {exc}") from None
    return grid


def _where(doc: SheetDocument, grid: Grid, row: int, col: int) -> Location:
    if grid.name is None:
        return Location(doc.file, row, col)
    return Cell(doc.file, row, col, grid.name)


def _assemble(doc: SheetDocument, grid: Grid, problems: list[str]) -> None:
    if grid.name is not None and grid.name.strip().upper() == README_SHEET:
        return
    top = _where(doc, grid, 1, 1)
    doc.values.setdefault((), top)
    doc.values.setdefault(("cards",), top)
    if grid.hidden:
        problems.append(
            f"{top}: the sheet '{grid.name}' is hidden; kaartspel does not read hidden cards. "
            "Show the sheet (right-click a sheet tab, Unhide) or delete it."
        )
        return
    if not grid.rows:
        problems.append(
            f"{top}: the sheet is empty; give it a header row (id, type, title, text, ...) and "
            "one card per row, or delete the sheet."
        )
        return
    header_row = min(grid.rows)
    heads: dict[int, Column] = {}
    seen: dict[str, Location] = {}
    for col, value in sorted(grid.rows[header_row].items()):
        where = _where(doc, grid, header_row, col)
        if not isinstance(value, str):
            problems.append(f"{where}: a column header must be text, got {value!r}")
            continue
        parsed = columns.parse_header(value, declared=doc.declared)
        if isinstance(parsed, str):
            problems.append(f"{where}: {parsed}")
        elif value.strip() in seen:
            problems.append(
                f"{where}: the column '{value.strip()}' appears twice (first at "
                f"{seen[value.strip()]}); remove one of them"
            )
        else:
            seen[value.strip()] = where
            heads[col] = parsed
    for row in sorted(r for r in grid.rows if r > header_row):
        _card(doc, grid, row, heads, problems)


def _cell_value(value: Any, kind: Kind, where: Location, problems: list[str]) -> Any:
    """A cell's value as the YAML path would have it, or None after a problem."""
    if isinstance(value, Merged):
        problems.append(
            f"{where}: the cells {value.cells} are merged; kaartspel reads one value per cell. "
            "Unmerge them and fill in every cell."
        )
        return None
    if isinstance(value, Formula):
        problems.append(
            f"{where}: the cell holds a formula ({value.text}); kaartspel reads typed values "
            "only. Copy the cells and paste them as values (Paste Special, Values only)."
        )
        return None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        if isinstance(value, dt.datetime) and value.time() == dt.time():
            value = value.date()
        shown = value.isoformat() if not isinstance(value, dt.time) else "a time"
        problems.append(
            f"{where}: the cell holds a date ({shown}); the spreadsheet turned what was typed "
            "into a date. Format the column as Text and type the value again."
        )
        return None
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if kind.name == "list":
            return columns.split_list(value)
        if kind.name == "int" and re.fullmatch(r"[+-]?\d+", value):
            return int(value)
        if kind.name == "float" and re.fullmatch(r"[+-]?\d+([.,]\d+)?", value):
            return float(value.replace(",", "."))
        if kind.name == "bool" and value.lower() in ("true", "false", "yes", "no"):
            return value.lower() in ("true", "yes")
        return value
    if isinstance(value, float) and value.is_integer() and kind.name != "float":
        value = int(value)
    return [value] if kind.name == "list" else value


def _card(
    doc: SheetDocument, grid: Grid, row: int, heads: dict[int, Column], problems: list[str]
) -> None:
    index = len(doc.data["cards"])
    at: Path_ = ("cards", index)
    cells = grid.rows[row]
    first = min(cells)
    id_col = next((c for c, h in heads.items() if h.path == ("id",)), first)
    doc.values[at] = _where(doc, grid, row, id_col if id_col in cells else first)
    card: dict[str, Any] = {}
    places: dict[tuple[str | int, ...], tuple[Location, str]] = {}
    for col, head in heads.items():
        where = _where(doc, grid, row, col)
        if head.path[-1] == "" or len(head.path) == 1:
            doc.fields_at.setdefault((index, str(head.path[0])), where)
        if col not in cells:
            continue
        value = _cell_value(cells[col], head.kind, where, problems)
        if value is None or value == []:
            continue
        node: dict[Any, Any] = card
        for part in head.path[:-1]:
            node = node.setdefault(part, {})
        node[head.path[-1]] = value
        places[head.path] = (where, head.header)
    for col in cells:
        if col not in heads and col not in grid.rows[min(grid.rows)]:
            problems.append(
                f"{_where(doc, grid, row, col)}: this cell has no column header; give the "
                "column a header or empty the cell"
            )
    data = _finish(card, at, places, doc)
    doc.data["cards"].append(data)


def _finish(
    card: dict[str, Any],
    at: Path_,
    places: dict[tuple[str | int, ...], tuple[Location, str]],
    doc: SheetDocument,
) -> dict[str, Any]:
    """Records numbered 1, 3 become a list [first, second]; texts in the deck's language only
    become plain strings; every value's location and column label is registered."""
    known = columns.fields(declared=doc.declared)
    renumber: dict[tuple[str, int], int] = {}
    for name, kind in known.items():
        value = card.get(name)
        if value is None:
            continue
        if kind.name == "records":
            numbers = sorted(value)
            renumber.update({(name, n): j for j, n in enumerate(numbers)})
            card[name] = [_plain_texts(value[n], columns.fields(kind.model)) for n in numbers]
        elif kind.name == "text" and set(value) == {""}:
            card[name] = value[""]
    for path, (where, header) in places.items():
        final: list[str | int] = []
        for i, part in enumerate(path):
            if i == 1 and (str(path[0]), part) in renumber and isinstance(part, int):
                final.append(renumber[(str(path[0]), part)])
                doc.labels[at + tuple(final)] = header.split(".", 1)[0]
            else:
                final.append(part)
        full = at + tuple(p for p in final if p != "")
        doc.values.setdefault(full, where)
        doc.keys.setdefault(full, where)
        doc.labels.setdefault(full, header)
        value = _lookup(card, [p for p in final if p != ""])
        if isinstance(value, list):
            for j in range(len(value)):
                doc.values[full + (j,)] = where
                doc.labels[full + (j,)] = header
    return card


def _lookup(card: dict[str, Any], path: list[str | int]) -> Any:
    node: Any = card
    for part in path:
        found = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        )
        if not found:
            return None
        node = node[part]
    return node


def _plain_texts(record: dict[str, Any], kinds: dict[str, Kind]) -> dict[str, Any]:
    return {
        key: value[""]
        if kinds.get(key, Kind("str")).name == "text"
        and isinstance(value, dict)
        and set(value) == {""}
        else value
        for key, value in record.items()
    }
