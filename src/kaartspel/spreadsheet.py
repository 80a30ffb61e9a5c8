"""Write the (filtered) cards of a deck as a spreadsheet an editor can fill in, or back as YAML.

`export_files` returns {path: bytes} for `output.write_all`: one workbook (.xlsx, .ods) with a
README sheet and one sheet per card type, or one file per card type (.csv, .yaml). The cards
are written from the raw card files (every language, every field), not from the resolved deck,
so reading the export back gives the same deck. Columns follow `columns`; the README explains
them in the deck's language (wording section `export`). This module writes no files itself.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import columns, wording
from .errors import CannotWrite
from .model import LINK_KINDS, Deck
from .sheets import README_SHEET, column_letter

FORMATS = ("xlsx", "ods", "csv", "yaml")
MAX_WIDTH = 60  # characters; longer texts wrap
CSV_DELIMITER = ";"
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")


@dataclass
class Table:
    """The cards of one card type: the sheet's name, its headers and its rows."""

    type_id: str
    name: str
    headers: list[str]
    rows: list[dict[str, Any]]


def tables(deck: Deck, raw_cards: list[dict[str, Any]]) -> list[Table]:
    """The cards grouped per card type (deck order), each as {header: value} rows."""
    default = deck.languages[0]
    out = []
    used_names: set[str] = set()
    declared = columns.declared_fields(deck.card_types)
    for card_type in deck.card_types:
        cards = [c for c in raw_cards if c.get("type") == card_type.id]
        if not cards:
            continue
        rows = [columns.flatten(c, default, declared) for c in cards]
        required = [name for name, kind in columns.fields().items() if kind.required]
        found = dict.fromkeys(required + [h for r in rows for h in r])
        headers = sorted(found, key=lambda h: _order(deck, h))
        name = _SHEET_NAME_BAD.sub("-", card_type.name)[:31] or card_type.id
        while name in used_names or name.upper() == README_SHEET:
            name = (name[:28] + "-" + card_type.id)[:31]
        used_names.add(name)
        out.append(Table(card_type.id, name, headers, rows))
    return out


def _order(deck: Deck, header: str) -> tuple[Any, ...]:
    declared = columns.declared_fields(deck.card_types)
    column = columns.parse_header(header, declared=declared)
    assert isinstance(column, columns.Column), header
    names = list(columns.fields(declared=declared))
    languages = ["", *deck.languages]
    facets = [f.id for f in deck.facets]
    key: list[Any] = [names.index(str(column.path[0]))]
    for part in column.path[1:]:
        if isinstance(part, int):
            key.append((0, part, ""))
        elif part in languages:
            key.append((1, languages.index(part), part))
        elif part in facets:
            key.append((2, facets.index(part), part))
        else:
            model = columns.fields(declared=declared)[str(column.path[0])].model
            sub = list(columns.fields(model)) if model is not None else []
            key.append((3, sub.index(part) if part in sub else len(sub), part))
    return tuple(key)


def vocabularies(deck: Deck) -> dict[str, list[str]]:
    """Header -> the fixed values of that column (drop-down lists)."""
    lists = {
        "type": [t.id for t in deck.card_types],
        "segment": [s.id for s in deck.segments],
        "subform": [f.id for s in deck.segments for f in s.subforms],
    }
    for facet in deck.facets:
        lists[f"facets.{facet.id}"] = list(facet.values)
    return lists


def _vocabulary(lists: dict[str, list[str]], header: str) -> str | None:
    if header in lists:
        return header
    if re.fullmatch(r"link\d+\.kind", header):
        return "link.kind"
    return None


def export_files(
    deck: Deck, raw_cards: list[dict[str, Any]], fmt: str, out: Path
) -> dict[Path, bytes]:
    """The files of the export: {path: content}."""
    groups = tables(deck, raw_cards)
    if fmt == "xlsx":
        return {out: _xlsx(deck, groups)}
    if fmt == "ods":
        return {out: _ods(deck, groups)}
    if fmt == "csv":
        return {out / f"{t.type_id}.csv": _csv(t) for t in groups}
    default = deck.languages[0]
    declared = columns.declared_fields(deck.card_types)
    return {
        out / f"{t.type_id}.yaml": _yaml(
            [
                _named(c, default, columns.fields(declared=declared))
                for c in raw_cards
                if c.get("type") == t.type_id
            ]
        )
        for t in groups
    }


def _named(card: dict[str, Any], default: str, kinds: dict[str, columns.Kind]) -> dict[str, Any]:
    """A text read from a spreadsheet's plain column ({'': text} beside translations) named
    with the deck's language, as one writes it in YAML: {nl: text, fr: ...}."""
    out = {}
    for key, value in card.items():
        kind = kinds.get(key)
        if kind is not None and kind.name == "text" and isinstance(value, dict):
            value = {(lang or default): text for lang, text in value.items()}
        elif kind is not None and kind.model is not None and isinstance(value, list):
            sub = columns.fields(kind.model)
            value = [_named(v, default, sub) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _csv(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_text(row.get(h)) for h in table.headers])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    flow = all(isinstance(v, str) and "\n" not in v and len(v) < 40 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def _yaml(cards: list[dict[str, Any]]) -> bytes:
    text = yaml.dump(
        {"cards": cards}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=96
    )
    return text.encode("utf-8")


def _width(table: Table, header: str) -> int:
    longest = max(
        [len(header)]
        + [len(line) for row in table.rows for line in _text(row.get(header)).split("\n")]
    )
    return max(8, min(MAX_WIDTH, longest + 2))


def _readme_rows(deck: Deck, groups: list[Table]) -> list[tuple[str, str]]:
    """(column, explanation) for every column of the export, in the deck's language."""
    words = wording.for_language(deck.language)
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    every = dict.fromkeys(h for table in groups for h in table.headers)
    declared = columns.declared_fields(deck.card_types)
    for header in sorted(every, key=lambda h: _order(deck, h)):
        generic = re.sub(r"^link\d+\.", "link1.", header)
        column = columns.parse_header(generic, declared=declared)
        assert isinstance(column, columns.Column)
        parts = [str(p) for p in column.path if not isinstance(p, int) and p != ""]
        field_name = parts[0]
        if field_name in ("facets",):
            key = "facets"
        elif columns.fields(declared=declared)[field_name].name == "records":
            key = f"{field_name}_{parts[1]}"
        else:
            key = field_name
        shown = generic
        if column.kind.name == "text" and column.path[-1] != "":
            shown = re.sub(r"\.[a-z]{2,3}$", ".<lang>", generic)
            key = "translation"
        if shown in seen:
            continue
        seen.add(shown)
        meaning = words.get(f"export.columns.{key}", words["export.columns.other"])
        facet = deck.facet(parts[1]) if key == "facets" else None
        rows.append((shown, f"{facet.name}: {meaning}" if facet else meaning))
    return rows


def _readme_text(deck: Deck) -> list[str]:
    words = wording.for_language(deck.language).section("export")
    return [words["intro"], words["lists"], words["translations"], words["typed_values"]]


def _xlsx(deck: Deck, groups: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    words = wording.for_language(deck.language).section("export")
    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = README_SHEET
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    readme.append([words["title"]])
    readme["A1"].font = Font(bold=True, size=14)
    for line in _readme_text(deck):
        readme.append([None, line])
        readme.cell(readme.max_row, 2).alignment = wrap
        readme.row_dimensions[readme.max_row].height = 15 * (1 + len(line) // 75)
    readme.append([])
    readme.append([words["column"], words["meaning"]])
    for cell in readme[readme.max_row]:
        cell.font = bold
    for header, meaning in _readme_rows(deck, groups):
        readme.append([header, meaning])
        readme.cell(readme.max_row, 2).alignment = wrap
    readme.column_dimensions["A"].width = 18
    readme.column_dimensions["B"].width = 80
    lists = {**vocabularies(deck), "link.kind": list(LINK_KINDS)}
    ranges = {}
    readme.cell(1, 4, words["allowed"]).font = bold
    for k, (name, values) in enumerate(lists.items()):
        col = 4 + k
        readme.cell(2, col, name).font = bold
        for i, value in enumerate(values):
            readme.cell(3 + i, col, value)
        letter = column_letter(col)
        readme.column_dimensions[letter].width = max(12, max(len(v) for v in values) + 2)
        ranges[name] = f"{README_SHEET}!${letter}$3:${letter}${2 + len(values)}"
    for table in groups:
        sheet = book.create_sheet(table.name)
        sheet.append(table.headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([row.get(h) for h in table.headers])
        last = max(sheet.max_row, 2) + 500
        for col, header in enumerate(table.headers, start=1):
            letter = column_letter(col)
            sheet.column_dimensions[letter].width = _width(table, header)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                cell.alignment = wrap
                if isinstance(cell.value, str):
                    cell.number_format = "@"
            vocabulary = _vocabulary(lists, header)
            if vocabulary is not None:
                many = header.startswith("facets.")
                check = DataValidation(
                    type="list",
                    formula1=ranges[vocabulary],
                    allow_blank=True,
                    showErrorMessage=not many,
                )
                check.add(f"{letter}2:{letter}{last}")
                sheet.add_data_validation(check)
        widths = [_width(table, h) for h in table.headers]
        for r, record in enumerate(table.rows, start=2):  # Excel does not fit rows on opening
            lines = max(
                sum(1 + len(part) // max(1, w - 2) for part in _text(record.get(h)).split("\n"))
                for h, w in zip(table.headers, widths, strict=True)
            )
            sheet.row_dimensions[r].height = 15 * min(lines, 20)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    try:
        book.save(buffer)
    except ValueError as exc:  # a control character openpyxl refuses
        raise CannotWrite(f"cannot write the workbook: {exc}") from None
    return buffer.getvalue()


def _ods(deck: Deck, groups: list[Table]) -> bytes:
    from odf import teletype
    from odf.config import (
        ConfigItem,
        ConfigItemMapEntry,
        ConfigItemMapIndexed,
        ConfigItemMapNamed,
        ConfigItemSet,
    )
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import (
        ParagraphProperties,
        Style,
        TableCellProperties,
        TableColumnProperties,
        TextProperties,
    )
    from odf.table import (
        ContentValidation,
        ContentValidations,
        ErrorMessage,
        TableCell,
        TableColumn,
        TableRow,
    )
    from odf.table import (
        Table as OdsTable,
    )
    from odf.text import P

    words = wording.for_language(deck.language).section("export")
    book = OpenDocumentSpreadsheet()
    header_style = Style(name="header", family="table-cell")
    header_style.addElement(TextProperties(fontweight="bold"))
    book.automaticstyles.addElement(header_style)
    wrap_style = Style(name="wrapped", family="table-cell")
    wrap_style.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
    wrap_style.addElement(ParagraphProperties())
    book.automaticstyles.addElement(wrap_style)
    widths: dict[int, str] = {}

    def column_style(chars: int) -> str:
        if chars not in widths:
            name = f"col{chars}"
            style = Style(name=name, family="table-column")
            style.addElement(TableColumnProperties(columnwidth=f"{chars * 0.21:.2f}cm"))
            book.automaticstyles.addElement(style)
            widths[chars] = name
        return widths[chars]

    def cell(value: Any, style: str | None = None, validation: str | None = None) -> Any:
        attrs: dict[str, Any] = {}
        if style:
            attrs["stylename"] = style
        if validation:
            attrs["contentvalidationname"] = validation
        if isinstance(value, bool) or value is None or value == "":
            node = TableCell(**attrs)
            if isinstance(value, bool):
                node = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **attrs)
            return node
        if isinstance(value, int | float):
            node = TableCell(valuetype="float", value=value, **attrs)
            node.addElement(P(text=str(value)))
            return node
        node = TableCell(valuetype="string", **attrs)
        for line in str(value).split("\n"):
            paragraph = P()
            teletype.addTextToElement(paragraph, line)
            node.addElement(paragraph)
        return node

    lists = {**vocabularies(deck), "link.kind": list(LINK_KINDS)}
    readme = OdsTable(name=README_SHEET)
    readme.addElement(TableColumn(stylename=column_style(18)))
    readme.addElement(TableColumn(stylename=column_style(80)))
    readme.addElement(TableColumn(stylename=column_style(4)))
    for _ in lists:
        readme.addElement(TableColumn(stylename=column_style(16)))
    readme_rows: list[list[tuple[Any, str | None]]] = [[(words["title"], "header")]]
    readme_rows += [[(None, None), (line, "wrapped")] for line in _readme_text(deck)]
    readme_rows += [[], [(words["column"], "header"), (words["meaning"], "header")]]
    readme_rows += [[(h, None), (m, "wrapped")] for h, m in _readme_rows(deck, groups)]
    longest = max(len(v) for v in lists.values())
    while len(readme_rows) < longest + 2:
        readme_rows.append([])
    for r, row in enumerate(readme_rows):
        row = row + [(None, None)] * (3 - len(row))
        if r == 0:
            row = row[:3] + [(words["allowed"], "header")]
        elif r == 1:
            row = row[:3] + [(name, "header") for name in lists]
        else:
            row = row[:3] + [
                (values[r - 2] if r - 2 < len(values) else None, None) for values in lists.values()
            ]
        node = TableRow()
        for value, style in row:
            node.addElement(cell(value, style))
        readme.addElement(node)
    validations = ContentValidations()
    names: dict[str, str] = {}
    for k, (name, values) in enumerate(lists.items()):
        letter = column_letter(4 + k)
        check = ContentValidation(
            name=f"list{k + 1}",
            condition=f"of:cell-content-is-in-list([${README_SHEET}.${letter}$3:.${letter}"
            f"${2 + len(values)}])",
            allowemptycell="true",
            displaylist="unsorted",
        )
        check.addElement(
            ErrorMessage(
                display="false" if name.startswith("facets.") else "true", messagetype="stop"
            )
        )
        validations.addElement(check)
        names[name] = f"list{k + 1}"
    book.spreadsheet.addElement(validations)
    book.spreadsheet.addElement(readme)
    for table in groups:
        sheet = OdsTable(name=table.name)
        for header in table.headers:
            sheet.addElement(TableColumn(stylename=column_style(_width(table, header))))
        top = TableRow()
        for header in table.headers:
            top.addElement(cell(header, "header"))
        sheet.addElement(top)
        checks = [names.get(_vocabulary(lists, h) or "") for h in table.headers]
        for record in table.rows:
            line = TableRow()
            for header, check in zip(table.headers, checks, strict=True):
                line.addElement(cell(record.get(header), "wrapped", check))
            sheet.addElement(line)
        if any(checks):
            spare = TableRow(numberrowsrepeated=500)
            for check in checks:
                spare.addElement(cell(None, "wrapped", check))
            sheet.addElement(spare)
        book.spreadsheet.addElement(sheet)
    views = ConfigItemSet(name="ooo:view-settings")
    indexed = ConfigItemMapIndexed(name="Views")
    entry = ConfigItemMapEntry()
    entry.addElement(ConfigItem(name="ViewId", type="string", text="view1"))
    per_table = ConfigItemMapNamed(name="Tables")
    for table in groups:
        sheet_entry = ConfigItemMapEntry(name=table.name)
        for key, kind, value in (
            ("VerticalSplitMode", "short", "2"),
            ("VerticalSplitPosition", "int", "1"),
            ("ActiveSplitRange", "short", "2"),
            ("PositionTop", "int", "0"),
            ("PositionBottom", "int", "1"),
        ):
            sheet_entry.addElement(ConfigItem(name=key, type=kind, text=value))
        per_table.addElement(sheet_entry)
    entry.addElement(per_table)
    indexed.addElement(entry)
    views.addElement(indexed)
    book.settings.addElement(views)
    buffer = io.BytesIO()
    book.write(buffer)
    return buffer.getvalue()


def raw_cards(deck: Deck, keep: list[str]) -> list[dict[str, Any]]:
    """The raw cards (as read from the card files, every language) with ids in `keep`, in
    that order."""
    from .load import card_documents

    found: dict[str, dict[str, Any]] = {}
    for doc, _ in card_documents(deck.root, columns.declared_fields(deck.card_types)):
        if doc is not None and isinstance(doc.data, dict):
            for card in doc.data.get("cards") or []:
                if isinstance(card, dict):
                    found.setdefault(str(card.get("id")), card)
    return [found[i] for i in keep]


def default_out(deck: Deck, fmt: str) -> Path:
    name = wording.for_language(deck.language)["export.file"]
    return Path("output") / (f"{name}.{fmt}" if fmt in ("xlsx", "ods") else name)


def export_deck(deck: Deck, keep: list[str], fmt: str, out: Path | None) -> list[Path]:
    """Write the cards with ids in `keep` as `fmt` to `out`; returns the files written."""
    from .output import write_all

    target = out if out is not None else default_out(deck, fmt)
    if fmt in ("xlsx", "ods") and target.is_dir():
        target = target / default_out(deck, fmt).name
    return write_all(export_files(deck, raw_cards(deck, keep), fmt, target))
