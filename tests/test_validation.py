"""Issue 2: every mistake in a deck is caught, located and explained.

The bad cases in tests/data/bad/ (see its README.md) each change one file of a copy of the
valid mini deck; the real CLI must refuse them with exit 3 (4 for a missing or outside asset)
and exactly the expected text.
Those runs are subprocesses (the CLI contract: exit code, stdout, stderr, no traceback) and
run a few at a time so that the file stays fast; the filter tests use click's CliRunner.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
from click.testing import CliRunner

from kaartspel.cli import main
from kaartspel.load import load_deck

TESTS = Path(__file__).resolve().parent
MINI = TESTS / "data" / "mini"
BAD = TESTS / "data" / "bad"
DEFAULT_DECK = TESTS.parent / "deck"

ALL_CASES = sorted(p.stem for p in BAD.glob("*.txt"))
# cases that must also be refused quickly: seconds for the whole run, interpreter start included
TIMED = {"alias-bomb": 10.0}  # a bound on the work (refused, not expanded), not a benchmark
CASES = [c for c in ALL_CASES if c not in TIMED]
INVALID_DECK = 3
# cases about a file the deck names that is missing or outside the deck: exit 4, not 3
MISSING_ASSET = {"deck--pictogram-missing": 4, "deck--pictogram-outside": 4}


def make_case(workdir: Path, case: str) -> Path:
    """Copy the mini deck to workdir/deck and apply one case; returns the deck folder."""
    deck = workdir / "deck"
    shutil.copytree(MINI, deck)
    cards = deck / "cards"
    target = deck / "deck.yaml" if case.startswith("deck--") else cards / f"{case}.yaml"
    if case.startswith("design--"):  # the .yaml is the deck's design.yaml
        target = deck / "design.yaml"
    source = BAD / f"{case}.yaml"
    if source.exists():
        shutil.copyfile(source, target)
    else:  # no case file: the file it names is missing
        target.unlink()
    return deck


def run_cli(args: list[str], cwd: Path) -> CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kaartspel", *args],
        cwd=cwd,
        capture_output=True,
        encoding="utf-8",
        errors="backslashreplace",
        env={**os.environ, "PYTHONUTF8": "1"},
        timeout=120,
    )


def expected(case: str) -> str:
    return (BAD / f"{case}.txt").read_bytes().decode("utf-8")


def assert_refused(case: str, result: CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr == expected(case)
    assert result.stdout == ""
    assert result.returncode == MISSING_ASSET.get(case, INVALID_DECK)


@pytest.fixture(scope="module")
def case_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[CompletedProcess[str]]]]:
    """Run the selected bad cases in the background, one per CPU at a time (the runs are
    subprocesses, mostly interpreter start-up); each test then waits for its own result."""
    selected = [
        item.callspec.params["case"]
        for item in request.session.items
        if getattr(item, "originalname", None) == "test_bad_case" and hasattr(item, "callspec")
    ]
    pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2))
    runs = {}
    for case in selected:
        workdir = tmp_path_factory.mktemp(case)
        make_case(workdir, case)
        runs[case] = pool.submit(run_cli, ["check"], workdir)
    yield runs
    pool.shutdown(cancel_futures=True)


def test_every_case_file_has_its_message() -> None:
    case_files = {p.stem for p in BAD.glob("*.yaml")}
    assert case_files <= set(ALL_CASES), "a case .yaml without its .txt"
    assert len(ALL_CASES) >= 20


def test_mini_deck_is_valid() -> None:
    result = CliRunner().invoke(main, ["check", "--deck", str(MINI)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 3 cards · ")


# Defined before test_bad_case so that it runs alone, not beside the parallel runs.
@pytest.mark.parametrize("case", sorted(TIMED))
def test_bad_case_refused_quickly(case: str, tmp_path: Path) -> None:
    make_case(tmp_path, case)
    start = time.perf_counter()
    result = run_cli(["check"], tmp_path)
    elapsed = time.perf_counter() - start
    assert_refused(case, result)
    assert elapsed < TIMED[case], f"{case} took {elapsed:.2f} s"


@pytest.mark.parametrize("case", CASES)
def test_bad_case(
    case: str, case_runs: dict[str, Future[CompletedProcess[str]]], tmp_path: Path
) -> None:
    if case in case_runs:
        result = case_runs[case].result()
    else:  # not started by the fixture (it looks the selected cases up by test name)
        make_case(tmp_path, case)
        result = run_cli(["check"], tmp_path)
    assert_refused(case, result)


def test_missing_deck_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--deck", str(tmp_path / "nowhere")])
    assert result.exit_code == INVALID_DECK
    assert "the deck folder does not exist" in result.stderr
    assert result.stdout == ""


# --- the default deck -------------------------------------------------------------------------

SUMMARY = re.compile(
    r"OK: (?P<cards>\d+) cards · per segment: (?P<segments>.+) · per type: (?P<types>.+) · "
    r"inspiratie per sub-form: (?P<subforms>.+) · (?P<verify>\d+) cards marked 'verify' · "
    r"(?P<warnings>\d+) link warnings?"
)


def counts(listing: str) -> dict[str, int]:
    """'transparantie 15, meepraten 20' -> {'transparantie': 15, 'meepraten': 20}."""
    pairs = [item.rsplit(" ", 1) for item in listing.split(", ")]
    return {name: int(number) for name, number in pairs}


def test_default_deck_checks(tmp_path: Path) -> None:
    result = run_cli(["check", "--deck", str(DEFAULT_DECK)], tmp_path)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    summary = SUMMARY.fullmatch(lines[0])
    assert summary, lines[0]
    total = int(summary["cards"])
    per_segment, per_type = counts(summary["segments"]), counts(summary["types"])
    per_subform = counts(summary["subforms"])
    assert sum(per_segment.values()) == total
    assert sum(per_type.values()) == total
    assert sum(per_subform.values()) == per_type["inspiratie"]
    assert per_type["inspiratie"] >= 40
    assert summary["warnings"] == "0"
    deck = load_deck(DEFAULT_DECK)
    assert int(summary["verify"]) == sum(1 for c in deck.cards if c.verify)
    titles = {c.id: c.title for c in deck.cards}
    assert titles["T10"] == "Website van politie en gemeente"  # the seed's "websites"
    assert titles["T11"] == "Rondleidingen door jongeren"  # a second campaign card
    assert per_subform["campagnes"] >= 2


# --- list and its filters ---------------------------------------------------------------------

EXTRA_CARDS = """\
cards:
  - id: D01
    type: tip
    segment: meedoen
    title: Een tip om mee te doen
    text: Begin klein.
  - id: D02
    type: inspiratie
    segment: meepraten
    subform: inspraak
    title: Buurtgesprek
    text: Bewoners praten mee.
    facets:
      doelstelling: [informeren]
      thema: [overlast]
      methode: [online]
      doelgroep: [jongeren]
  - id: D03
    type: casus
    segment: meedoen
    title: Een buurt die meedoet
    text: Bewoners willen helpen.
"""


@pytest.fixture(scope="module")
def filter_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini deck plus cards of several segments and types."""
    deck = tmp_path_factory.mktemp("filters") / "deck"
    shutil.copytree(MINI, deck)
    (deck / "cards" / "extra.yaml").write_text(EXTRA_CARDS, encoding="utf-8")
    return deck


def list_json(deck: Path, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, ["list", "--deck", str(deck), "--json", *args])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    records = json.loads(result.stdout)
    assert isinstance(records, list)
    return records


def test_list_json_fields() -> None:
    records = {r["id"]: r for r in list_json(MINI)}
    assert set(records) == {"A01", "B01", "C01"}
    first = records["A01"]
    assert {"id", "type", "segment", "subform", "title", "tags", "links"} <= set(first)
    assert first["type"] == "inspiratie"
    assert first["segment"] == "meedoen"
    assert first["subform"] == "signaleren"
    assert first["title"] == "Buurtinformatienetwerk"
    assert first["tags"] == ["bin", "buurt"]
    assert first["links"] == [
        {"url": "https://example.org/bin", "kind": "website", "label": "Over BIN's"}
    ]
    second = records["B01"]
    assert second["segment"] is None and second["subform"] is None
    assert second["links"] == []


def test_list_json_of_default_deck_has_the_fields() -> None:
    for record in list_json(DEFAULT_DECK):
        assert {"id", "type", "segment", "subform", "title", "tags", "links"} <= set(record)
        for link in record["links"]:
            assert set(link) == {"url", "kind", "label"}


def test_filter_by_segment(filter_deck: Path) -> None:
    records = list_json(filter_deck, "--segment", "meedoen")
    assert {r["id"] for r in records} == {"A01", "D01", "D03"}
    assert {r["segment"] for r in records} == {"meedoen"}


def test_filter_values_of_one_option_are_alternatives(filter_deck: Path) -> None:
    records = list_json(filter_deck, "--type", "tip", "--type", "casus")
    assert {r["id"] for r in records} == {"C01", "D01", "D03"}
    assert {r["type"] for r in records} == {"tip", "casus"}


def test_different_filters_must_all_hold(filter_deck: Path) -> None:
    records = list_json(filter_deck, "--segment", "meedoen", "--type", "inspiratie")
    assert {r["id"] for r in records} == {"A01"}


def test_unknown_filter_value_lists_the_known_ones(filter_deck: Path) -> None:
    result = CliRunner().invoke(main, ["list", "--deck", str(filter_deck), "--segment", "meedoe"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "--segment: 'meedoe' is not known in this deck "
        "(known: transparantie, meepraten, meedoen); did you mean 'meedoen'?\n"
    )
