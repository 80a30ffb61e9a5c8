"""Cards in a spreadsheet: decks read from .xlsx, .ods and .csv card files, `kaartspel export`,
round trips with byte-identical PDFs, and bad spreadsheets refused with cell-located messages.

Expectations about the default deck are derived from the deck (its files and `list --json`),
not written out, so that its texts may change.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner

from conftest import DEFAULT_DECK, ROOT
from kaartspel import columns, sheets
from kaartspel.cli import main
from kaartspel.load import load_deck
from kaartspel.source import load as load_yaml

MINI = ROOT / "tests" / "data" / "mini"


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def deck_copy(source: Path, where: Path, keep_yaml: bool = True) -> Path:
    """A copy of a deck (deck.yaml, rules.md) with or without its YAML card files."""
    deck = where
    shutil.copytree(source, deck, ignore=None if keep_yaml else shutil.ignore_patterns("cards"))
    (deck / "cards").mkdir(exist_ok=True)
    return deck


def export(deck: Path, fmt: str, out: Path) -> None:
    code, stdout, stderr = cli("export", "--deck", str(deck), "--format", fmt, "--out", str(out))
    assert code == 0, stderr
    assert stdout.strip()


def build(deck: Path, out: Path) -> dict[str, bytes]:
    code, _, stderr = cli("build", "--deck", str(deck), "--out", str(out))
    assert code == 0, stderr
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


# ---- round trips on the default deck ------------------------------------------------------


@pytest.fixture(scope="module")
def yaml_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    pdfs = build(DEFAULT_DECK, tmp_path_factory.mktemp("yaml-build"))
    assert {"kaarten.pdf"} <= set(pdfs)
    return pdfs


def _sheet_only_deck(tmp_path: Path, fmt: str) -> Path:
    deck = deck_copy(DEFAULT_DECK, tmp_path / "deck", keep_yaml=False)
    out = deck / "cards" / f"kaarten.{fmt}" if fmt in ("xlsx", "ods") else deck / "cards"
    export(DEFAULT_DECK, fmt, out)
    assert not list((deck / "cards").glob("*.yaml")) or fmt == "yaml"
    return deck


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv"])
def test_round_trip_through_a_spreadsheet_gives_byte_identical_pdfs(
    fmt: str, tmp_path: Path, yaml_build: dict[str, bytes]
) -> None:
    deck = _sheet_only_deck(tmp_path, fmt)
    cards = [p.suffix for p in (deck / "cards").iterdir()]
    assert cards and set(cards) == {f".{fmt}"}
    assert build(deck, tmp_path / "out") == yaml_build
    # and back: the spreadsheet deck exported as YAML builds the same PDFs again
    again = deck_copy(DEFAULT_DECK, tmp_path / "again", keep_yaml=False)
    export(deck, "yaml", again / "cards")
    assert build(again, tmp_path / "out-again") == yaml_build


def test_every_card_and_field_of_the_default_deck_survives_the_spreadsheet(
    tmp_path: Path,
) -> None:
    deck = _sheet_only_deck(tmp_path, "xlsx")
    code, from_yaml, _ = cli("list", "--deck", str(DEFAULT_DECK), "--json")
    assert code == 0
    code, from_sheet, _ = cli("list", "--deck", str(deck), "--json")
    assert code == 0
    expected = json.loads(from_yaml)
    got = json.loads(from_sheet)
    assert len(got) == len(expected) == len(list(_yaml_cards(DEFAULT_DECK)))
    for card in expected + got:
        del card["file"], card["line"]
    assert got == expected


def _yaml_cards(deck: Path) -> list[dict]:
    return [c for p in sorted((deck / "cards").glob("*.yaml")) for c in load_yaml(p).data["cards"]]


def _normal(card: dict, default: str) -> dict:
    """A raw card with every text as {language: text} (the plain text in the deck's language)."""
    out = {}
    for name, value in card.items():
        kind = columns.fields(declared=("answer", "question")).get(name)
        if kind is not None and kind.name == "text" or name == "label":
            value = {default: value} if isinstance(value, str) else value
            value = {(lang or default): text for lang, text in value.items()}
        elif kind is not None and kind.name == "records":
            value = [_normal(r, default) for r in value]
        out[name] = value
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv"])
def test_translations_and_multi_line_texts_survive_the_spreadsheet(
    fmt: str, tmp_path: Path
) -> None:
    deck = deck_copy(MINI, tmp_path / "deck")
    text = (deck / "deck.yaml").read_text(encoding="utf-8")
    (deck / "deck.yaml").write_text(
        text.replace("language: nl\n", "language: nl\nlanguages: [nl, fr]\n")
    )
    basis = yaml.safe_load((deck / "cards" / "basis.yaml").read_text(encoding="utf-8"))
    first = basis["cards"][0]
    first["title"] = {"nl": first["title"], "fr": "Réseau d'information de quartier"}
    first["text"] = {"nl": 'Eerste regel;\nTweede regel, "met" aanhalingstekens', "fr": "Le texte"}
    first["links"][0]["label"] = {"nl": "Over BIN's", "fr": "À propos"}
    first["links"].append({"url": "https://example.org/video", "kind": "video"})
    first["place"] = "België · 1994"
    first["verify"] = "nakijken"
    (deck / "cards" / "basis.yaml").write_text(
        yaml.safe_dump(basis, allow_unicode=True), encoding="utf-8"
    )
    before = _yaml_cards(deck)
    sheet_deck = deck_copy(deck, tmp_path / "sheet", keep_yaml=False)
    out = sheet_deck / "cards" / f"kaarten.{fmt}" if fmt != "csv" else sheet_deck / "cards"
    export(deck, fmt, out)
    declared = columns.declared_fields(load_deck(deck).card_types)
    after = [
        c
        for p in sorted((sheet_deck / "cards").iterdir())
        for c in sheets.load(p, declared).data["cards"]
    ]
    key = lambda c: c["id"]  # noqa: E731
    assert sorted((_normal(c, "nl") for c in after), key=key) == sorted(
        (_normal(c, "nl") for c in before), key=key
    )
    back = tmp_path / "back"
    export(sheet_deck, "yaml", back)
    again = [c for p in sorted(back.glob("*.yaml")) for c in load_yaml(p).data["cards"]]
    assert "'':" not in "".join(p.read_text(encoding="utf-8") for p in back.glob("*.yaml"))
    assert sorted((_normal(c, "nl") for c in again), key=key) == sorted(
        (_normal(c, "nl") for c in before), key=key
    )
    for lang in ("nl", "fr"):
        code, a, _ = cli("list", "--deck", str(deck), "--json", "--lang", lang, "--id", "A01")
        code2, b, err = cli(
            "list", "--deck", str(sheet_deck), "--json", "--lang", lang, "--id", "A01"
        )
        if code == 0:
            assert code2 == 0, err
            assert [{**c, "file": 0, "line": 0} for c in json.loads(a)] == [
                {**c, "file": 0, "line": 0} for c in json.loads(b)
            ]


def test_export_filters_and_workbook_layout(tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    code, _, err = cli(
        "export",
        "--deck",
        str(DEFAULT_DECK),
        "--format",
        "xlsx",
        "--type",
        "tip",
        "--out",
        str(out),
    )
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    deck = yaml.safe_load((DEFAULT_DECK / "deck.yaml").read_text(encoding="utf-8"))
    tip_name = next(_main(t["name"]) for t in deck["card_types"] if t["id"] == "tip")
    assert book.sheetnames == ["README", tip_name]
    sheet = book[tip_name]
    tips = [c for c in _yaml_cards(DEFAULT_DECK) if c["type"] == "tip"]
    assert sheet.max_row == 1 + len(tips)
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["id", "type"]
    assert sheet.cell(2, headers.index("text") + 1).alignment.wrap_text
    widths = {
        h: sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
        for i, h in enumerate(headers)
    }
    assert widths["id"] < widths["text"] <= 60
    validated = {
        str(r).split(":")[0][:-1]
        for dv in sheet.data_validations.dataValidation
        for r in dv.sqref.ranges
    }
    letters = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(headers)}
    assert {
        letters["type"],
        letters["segment"],
        letters["subform"],
        letters["link1.kind"],
    } <= validated
    readme = book["README"]
    words = yaml.safe_load(
        (ROOT / "src/kaartspel/data/wording/nl.yaml").read_text(encoding="utf-8")
    )
    assert readme["A1"].value == words["export"]["title"]
    explained = [r[0].value for r in readme.iter_rows(min_row=2)]
    assert "id" in explained and "link1.url" in explained


def test_export_writes_nothing_on_a_bad_deck(tmp_path: Path) -> None:
    deck = deck_copy(MINI, tmp_path / "deck")
    (deck / "cards" / "basis.yaml").write_text("cards: [", encoding="utf-8")
    code, _, err = cli(
        "export", "--deck", str(deck), "--format", "xlsx", "--out", str(tmp_path / "k.xlsx")
    )
    assert code == 3
    assert not (tmp_path / "k.xlsx").exists()


# ---- Belgian Excel CSV --------------------------------------------------------------------

BELGIAN = (
    "id;type;title;text;answer;tags\r\n"
    'B01;bezorgdheid;Efficiëntie;"Eerste regel; met puntkomma\r\nTweede regel: ""citaat""";'
    'Één antwoord, geen probleem.;"bereik; efficientie-vraag"\r\n'
)


def _belgian_deck(tmp_path: Path, data: bytes) -> Path:
    deck = deck_copy(MINI, tmp_path / "deck")
    (deck / "cards" / "excel.csv").write_bytes(data)
    return deck


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_a_belgian_excel_csv_builds(
    encoding: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    deck = _belgian_deck(tmp_path, BELGIAN.replace("B01", "B02").encode(encoding))
    result = CliRunner().invoke(main, ["list", "--deck", "deck", "--json", "--id", "B02"])
    assert result.exit_code == 0, result.output
    (card,) = json.loads(result.stdout)
    assert card["text"] == 'Eerste regel; met puntkomma\nTweede regel: "citaat"'
    assert card["answer"] == "Één antwoord, geen probleem."
    assert card["tags"] == ["bereik", "efficientie-vraag"]
    assert card["title"] == "Efficiëntie"
    assert (card["file"], card["line"]) == ("deck/cards/excel.csv", 2)
    note = (
        "deck/cards/excel.csv: note: the file is not UTF-8; it was read as Windows-1252 (the "
        "encoding Excel uses for 'CSV (separated by semicolons)'). Check the accents; to be "
        "sure, save it as 'CSV UTF-8'.\n"
    )
    assert result.stderr == (note if encoding == "cp1252" else "")
    assert build(deck, tmp_path / "out")["kaarten.pdf"].startswith(b"%PDF")


def test_a_csv_in_neither_utf8_nor_windows_1252_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _belgian_deck(tmp_path, b"id;type;title\r\nB02;bezorgdheid;Ef" + b"\x81\x8d")
    code, _, err = cli("check", "--deck", "deck")
    assert code == 3
    assert err.splitlines()[0] == (
        "deck/cards/excel.csv:2:19: the file is not UTF-8 text (byte 0x81) and not plain "
        "Windows-1252 either. Save it again as 'CSV UTF-8 (comma delimited)' (Excel: File > "
        "Save As) or with the character set 'Unicode (UTF-8)' (LibreOffice: File > Save As, "
        "Edit filter settings)."
    )


# ---- bad spreadsheets: exact messages located to the cell ---------------------------------


@pytest.fixture
def workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini deck as deck/cards/kaarten.xlsx alone (sheets Inspiratie, Bezorgdheid, Casus);
    the working folder is tmp_path, so messages start with deck/cards/."""
    monkeypatch.chdir(tmp_path)
    deck = deck_copy(MINI, tmp_path / "deck", keep_yaml=False)
    export(MINI, "xlsx", deck / "cards" / "kaarten.xlsx")
    assert cli("check", "--deck", "deck")[0] == 0
    return deck / "cards" / "kaarten.xlsx"


def edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def problems() -> list[str]:
    code, _, err = cli("check", "--deck", "deck")
    assert code == 3, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[-1].endswith("found in the deck; nothing was written.")
    return lines[:-1]


W = "deck/cards/kaarten.xlsx"
SPREADSHEET_NUMBER_HINT = (
    "; the spreadsheet stored a number: format the column as Text and type the value again "
    "(or start it with an apostrophe, as in '007)"
)


def _segments() -> str:
    deck = yaml.safe_load((MINI / "deck.yaml").read_text(encoding="utf-8"))
    return ", ".join(s["id"] for s in deck["segments"])


def test_unknown_column_with_did_you_mean(workbook: Path) -> None:
    edit(workbook, lambda b: b["Bezorgdheid"].cell(1, 5, "anwser"))
    assert problems() == [f"{W}:Bezorgdheid!E1: unknown column 'anwser'; did you mean 'answer'?"]


def test_unknown_column_without_a_close_name_lists_the_known_ones(workbook: Path) -> None:
    edit(workbook, lambda b: b["Casus"].cell(1, 8, "kleur"))
    # the schema's fields, and after `text` the fields the deck's card types declare
    assert problems() == [
        f"{W}:Casus!H1: unknown column 'kleur' (known: id, type, segment, subform, title, text, "
        "answer, level, question, place, facets.<key>, link1.url, link1.kind, link1.label, "
        "link1.lang, tags, verify, copies, back)"
    ]


def test_empty_required_cell(workbook: Path) -> None:
    edit(workbook, lambda b: b["Bezorgdheid"]["D2"].__setattr__("value", None))
    assert problems() == [f"{W}:Bezorgdheid!D2: the required key 'text' is missing"]


def test_bad_vocabulary_values(workbook: Path) -> None:
    def change(book: openpyxl.Workbook) -> None:
        book["Inspiratie"]["C2"] = "meedoe"
        book["Inspiratie"]["L2"] = "blog"

    edit(workbook, change)
    assert problems() == [
        f"{W}:Inspiratie!C2: segment: 'meedoe' is not a segment (known: {_segments()}); "
        "did you mean 'meedoen'?",
        f"{W}:Inspiratie!L2: link1.kind: 'blog' is not a link kind (known: video, website, source)",
    ]


def test_a_bad_value_in_a_list_cell_names_the_column(workbook: Path) -> None:
    edit(workbook, lambda b: b["Casus"].cell(2, 7, "jongeren; marsmannen"))
    deck = yaml.safe_load((MINI / "deck.yaml").read_text(encoding="utf-8"))
    known = ", ".join(deck["facets"]["doelgroep"]["values"])
    assert problems() == [
        f"{W}:Casus!G2: facets.doelgroep: 'marsmannen' is not a value of the facet "
        f"'doelgroep' (known: {known})"
    ]


def test_duplicate_id_across_yaml_and_xlsx(workbook: Path) -> None:
    shutil.copy(MINI / "cards" / "basis.yaml", workbook.parent / "basis.yaml")
    ids = {
        c["id"]: load_yaml(MINI / "cards" / "basis.yaml").at(("cards", i, "id"))
        for i, c in enumerate(_yaml_cards(MINI))
    }
    assert problems() == [
        f"{W}:{sheet}!A2: id: the card id '{card}' is used twice (first at "
        f"deck/cards/basis.yaml:{ids[card].line}:{ids[card].col}); give every card its own id"
        for sheet, card in (("Bezorgdheid", "B01"), ("Casus", "C01"), ("Inspiratie", "A01"))
    ]


def test_merged_cells(workbook: Path) -> None:
    edit(workbook, lambda b: b["Casus"].merge_cells("E2:F2"))
    assert problems() == [
        f"{W}:Casus!E2: the cells E2:F2 are merged; kaartspel reads one value per cell. "
        "Unmerge them and fill in every cell."
    ]


def test_formula_cell_is_refused_with_how_to_paste_values(workbook: Path) -> None:
    edit(workbook, lambda b: b["Casus"].cell(2, 3, '="Hang"&"jongeren"'))
    assert problems() == [
        f'{W}:Casus!C2: the cell holds a formula (="Hang"&"jongeren"); kaartspel reads typed '
        "values only. Copy the cells and paste them as values (Paste Special, Values only)."
    ]


def test_date_formatted_cell(workbook: Path) -> None:
    edit(workbook, lambda b: b["Bezorgdheid"].cell(2, 3, datetime.datetime(2024, 3, 1)))
    assert problems() == [
        f"{W}:Bezorgdheid!C2: the cell holds a date (2024-03-01); the spreadsheet turned "
        "what was typed into a date. Format the column as Text and type the value again."
    ]


def test_number_where_text_is_expected(workbook: Path) -> None:
    edit(workbook, lambda b: b["Casus"].cell(2, 1, 7))  # '007' typed in a General cell
    assert problems() == [
        f"{W}:Casus!A2: id: expected text, got a number (7){SPREADSHEET_NUMBER_HINT}"
    ]


def test_empty_sheet(workbook: Path) -> None:
    edit(workbook, lambda b: b.create_sheet("Blad2"))
    assert problems() == [
        f"{W}:Blad2!A1: the sheet is empty; give it a header row (id, type, title, text, ...) "
        "and one card per row, or delete the sheet."
    ]


def test_hidden_sheet(workbook: Path) -> None:
    def hide(book: openpyxl.Workbook) -> None:
        book["Casus"].sheet_state = "hidden"

    edit(workbook, hide)
    assert problems() == [
        f"{W}:Casus!A1: the sheet 'Casus' is hidden; kaartspel does not read hidden cards. "
        "Show the sheet (right-click a sheet tab, Unhide) or delete it."
    ]


def test_password_protected_workbook(workbook: Path) -> None:
    # an encrypted .xlsx is an OLE compound file, not a zip
    workbook.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    assert problems() == [
        f"{W}: the file is password-protected (encrypted) or an old .xls workbook; save it "
        "without a password as Excel workbook (.xlsx)."
    ]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"PK\x03\x04" + bytes(200),
        lambda data: data.replace(b"<sheetData>", b"<sheetData><row><c r="),
    ],
)
def test_corrupt_workbook(workbook: Path, damage) -> None:  # type: ignore[no-untyped-def]
    data = workbook.read_bytes()
    if b"<sheetData>" in damage(b"<sheetData>"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
            for item in src.infolist():
                content = src.read(item)
                dst.writestr(
                    item, damage(content) if item.filename.endswith("sheet2.xml") else content
                )
        workbook.write_bytes(buffer.getvalue())
    else:
        workbook.write_bytes(damage(data))
    assert problems() == [
        f"{W}: the file is damaged or not an Excel workbook (.xlsx); open it in your "
        "spreadsheet program and save it again as Excel workbook (.xlsx)."
    ]


def test_a_50_mb_sheet_is_refused_before_parsing(workbook: Path) -> None:
    with workbook.open("r+b") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written, and not a valid zip
    assert problems() == [
        f"{W}: the file is 50.0 MB; a spreadsheet of cards may be at most 10 MB. Split the "
        "cards over several files."
    ]


def test_a_small_workbook_that_unpacks_to_more_than_20_mb_is_refused(workbook: Path) -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook.read_bytes())) as src,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item))
        dst.writestr("xl/padding.bin", bytes(21 * 1024 * 1024))
    workbook.write_bytes(buffer.getvalue())
    assert workbook.stat().st_size < 1024 * 1024
    (line,) = problems()
    assert line.startswith(f"{W}: the spreadsheet unpacks to 21.0 MB; at most 20 MB are read.")


def test_a_sheet_reads_as_many_rows_as_a_deck_may_have_cards() -> None:
    from kaartspel import load

    assert sheets.MAX_ROWS == load.MAX_CARDS + 1  # a header and the deck's ceiling of cards


def test_a_sheet_with_more_rows_than_a_deck_may_have_cards(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 101)  # the real bound, 100,001 rows, takes minutes
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Casus")
    sheet.append(["id", "type", "title", "text"])
    for n in range(sheets.MAX_ROWS):
        sheet.append([f"C{n}", "casus", "t", "x"])
    book.save(workbook)
    assert problems() == [
        f"{W}:Casus!A102: the sheet has more than 101 filled rows; kaartspel reads at most "
        "101 (a header and 100 cards). Split the cards over several files."
    ]


def test_a_header_repeated(workbook: Path) -> None:
    edit(workbook, lambda b: b["Bezorgdheid"].cell(1, 7, "tags"))
    assert problems() == [
        f"{W}:Bezorgdheid!G1: the column 'tags' appears twice (first at {W}:Bezorgdheid!F1); "
        "remove one of them"
    ]


def test_errors_in_an_ods_and_a_csv_are_located_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    deck = deck_copy(MINI, tmp_path / "deck", keep_yaml=False)
    export(MINI, "csv", deck / "cards")
    path = deck / "cards" / "inspiratie.csv"
    path.write_bytes(path.read_bytes().replace(b";meedoen;", b";meedoe;"))
    expected = f"'meedoe' is not a segment (known: {_segments()}); did you mean 'meedoen'?"
    assert problems() == [f"deck/cards/inspiratie.csv:2:3: segment: {expected}"]
    shutil.rmtree(deck / "cards")
    (deck / "cards").mkdir()
    export(MINI, "ods", deck / "cards" / "kaarten.ods")
    from odf import opendocument, teletype
    from odf.table import Table, TableCell, TableRow

    book = opendocument.load(str(deck / "cards" / "kaarten.ods"))
    sheet = [
        t
        for t in book.spreadsheet.getElementsByType(Table)
        if t.getAttribute("name") == "Inspiratie"
    ][0]
    cell = sheet.getElementsByType(TableRow)[1].getElementsByType(TableCell)[2]
    assert teletype.extractText(cell) == "meedoen"
    for child in list(cell.childNodes):
        cell.removeChild(child)
    from odf.text import P

    cell.addElement(P(text="meedoe"))
    book.save(str(deck / "cards" / "kaarten.ods"))
    assert problems() == [f"deck/cards/kaarten.ods:Inspiratie!C2: segment: {expected}"]


# ---- LibreOffice opens the export ---------------------------------------------------------


def test_libreoffice_reads_the_xlsx_as_our_csv(tmp_path: Path) -> None:
    soffice = _soffice()
    export(DEFAULT_DECK, "xlsx", tmp_path / "kaarten.xlsx")
    export(DEFAULT_DECK, "csv", tmp_path / "csv")
    # 59 = ';', 34 = '"', 76 = UTF-8; the last token -1 writes every sheet to its own file
    options = "59,34,76,1,,0,false,true,false,false,false,-1"
    done = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(tmp_path / "lo"),
            str(tmp_path / "kaarten.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    deck = yaml.safe_load((DEFAULT_DECK / "deck.yaml").read_text(encoding="utf-8"))
    names = {t["id"]: _main(t["name"]) for t in deck["card_types"]}
    ours = sorted((tmp_path / "csv").glob("*.csv"))
    assert ours
    for path in ours:
        theirs = tmp_path / "lo" / f"kaarten-{names[path.stem]}.csv"
        # ours carries a byte-order mark and CRLF line ends for Excel; LibreOffice writes
        # neither: the same text otherwise, cell for cell and quote for quote
        mine = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        assert theirs.read_bytes().decode("utf-8") == mine, path.name
        assert list(csv.reader(io.StringIO(mine), delimiter=";"))[1:]


def _soffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice (LibreOffice) is not installed: apt-get install libreoffice-calc-nogui")
        pytest.skip(
            "soffice (LibreOffice) is not installed; apt-get install libreoffice-calc-nogui"
        )
    return soffice


def test_an_ods_saved_by_libreoffice_is_checked_cell_by_cell(
    workbook: Path, tmp_path: Path
) -> None:
    soffice = _soffice()

    def spoil(book: openpyxl.Workbook) -> None:
        book["Casus"].merge_cells("E2:F2")
        book["Casus"]["C2"] = '="Hang"&"jongeren"'
        book["Inspiratie"]["G2"] = datetime.datetime(2024, 3, 1)
        book["Bezorgdheid"].sheet_state = "hidden"
        book.create_sheet("Blad2")

    edit(workbook, spoil)
    done = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "ods",
            "--outdir",
            str(workbook.parent),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    workbook.unlink()
    o = "deck/cards/kaarten.ods"
    assert problems() == [
        f"{o}:Bezorgdheid!A1: the sheet 'Bezorgdheid' is hidden; kaartspel does not read hidden "
        "cards. Show the sheet (right-click a sheet tab, Unhide) or delete it.",
        f"{o}:Blad2!A1: the sheet is empty; give it a header row (id, type, title, text, ...) "
        "and one card per row, or delete the sheet.",
        f'{o}:Casus!C2: the cell holds a formula (="Hang"&"jongeren"); kaartspel reads typed '
        "values only. Copy the cells and paste them as values (Paste Special, Values only).",
        f"{o}:Casus!E2: the cells E2:F2 are merged; kaartspel reads one value per cell. "
        "Unmerge them and fill in every cell.",
        f"{o}:Inspiratie!G2: the cell holds a date (2024-03-01); the spreadsheet turned what "
        "was typed into a date. Format the column as Text and type the value again.",
    ]


def test_ods_export_layout(tmp_path: Path) -> None:
    from odf import opendocument
    from odf.table import Table, TableCell, TableRow

    export(MINI, "ods", tmp_path / "k.ods")
    book = opendocument.load(str(tmp_path / "k.ods"))
    tables = {t.getAttribute("name"): t for t in book.spreadsheet.getElementsByType(Table)}
    assert list(tables) == ["README", "Inspiratie", "Bezorgdheid", "Casus"]
    header = tables["Inspiratie"].getElementsByType(TableRow)[0].getElementsByType(TableCell)
    assert {c.getAttribute("stylename") for c in header} == {"header"}
    bold = [s for s in book.automaticstyles.childNodes if s.getAttribute("name") == "header"]
    xml = io.StringIO()
    bold[0].toXml(0, xml)
    assert 'fo:font-weight="bold"' in xml.getvalue()
    first_row = tables["Inspiratie"].getElementsByType(TableRow)[1].getElementsByType(TableCell)
    assert first_row[1].getAttribute("contentvalidationname")  # the type column has a list
    settings = io.StringIO()
    book.settings.toXml(0, settings)
    for name in ("Inspiratie", "Bezorgdheid", "Casus"):
        assert f'config:name="{name}"' in settings.getvalue()
    assert settings.getvalue().count('config:name="VerticalSplitMode"') == 3


def test_csv_export_is_what_excel_opens(tmp_path: Path) -> None:
    export(MINI, "csv", tmp_path / "csv")
    data = (tmp_path / "csv" / "inspiratie.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid;type;segment;subform;title;text;")
    assert data.count(b"\r\n") == 2 and data.count(b"\n") == 2
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][rows[0].index("tags")] == "bin; buurt"


def test_every_shipped_language_explains_the_spreadsheet() -> None:
    from kaartspel import wording

    keys = sorted(k for k in wording.for_language("nl")._words if k.startswith("export."))
    assert "export.columns.facets" in keys
    for language in wording.shipped_languages():
        words = wording.for_language(language)._words
        assert sorted(k for k in words if k.startswith("export.")) == keys, language


def test_a_new_card_field_becomes_a_column_by_itself() -> None:
    from kaartspel.schema import LocalText, RawCard

    class Extended(RawCard):
        copies: int | None = None
        fields: dict[str, LocalText] = {}

    copies = columns.parse_header("copies", Extended)
    assert isinstance(copies, columns.Column) and copies.kind.name == "int"
    custom = columns.parse_header("fields.doel.fr", Extended)
    assert isinstance(custom, columns.Column)
    assert (custom.path, custom.kind.name) == (("fields", "doel", "fr"), "text")


def _main(text: str | dict[str, str]) -> str:
    """A deck.yaml text in the deck's main language (nl): plain, or the nl of a mapping."""
    return text["nl"] if isinstance(text, dict) else text
