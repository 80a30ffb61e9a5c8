"""Issue 15: hostile and careless inputs (design/HOSTILE-CASES.md), one regression test per
defect row, each run through `bounded.run` (10 s, 2 GB, no traceback, no raw control
characters). The row ids of the case table are in the test names' comments.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bounded import run
from conftest import ROOT
from kaartspel.fonts import font_dir

MINIMAL = ROOT / "examples" / "minimal"
REFUSED_ONE = "1 problem found in the deck; nothing was written.\n"


def make_deck(
    where: Path,
    name: str = "d",
    deck: tuple[tuple[str, str], ...] = (),
    cards: tuple[tuple[str, str], ...] = (),
    rules: str | None = None,
) -> str:
    """A copy of examples/minimal with text replacements in deck.yaml and the card file."""
    folder = where / name
    shutil.copytree(MINIMAL, folder)
    for file, edits in ((folder / "deck.yaml", deck), (folder / "cards" / "kaarten.yaml", cards)):
        text = file.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, old
            text = text.replace(old, new)
        file.write_text(text, encoding="utf-8")
    if rules is not None:
        (folder / "rules.md").write_text(rules, encoding="utf-8")
    return name


def with_print(setting: str) -> tuple[tuple[str, str], ...]:
    return (("bibliography:", f"print:\n  {setting}\nbibliography:"),)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_no_room(err: str, deck: str, cards: tuple[tuple[int, str], ...]) -> None:
    """Exit-5 report of cards too small for their content: every line located (the card's
    file:line, or the design's line for a back), each named card reported, one summary."""
    *lines, summary = err.splitlines()
    assert lines
    for line in lines:
        assert line.startswith((f"{deck}/cards/kaarten.yaml:", f"{deck}/", "/")), line
        assert "--card size" in line, line
    for line_no, card_id in cards:
        assert any(
            line.startswith(f"{deck}/cards/kaarten.yaml:{line_no}:5: card {card_id}: ")
            for line in lines
        ), card_id
    # a preview is written anyway, with the problem outlined in red
    assert summary.endswith(("nothing was written.", "where, outlined in red."))
    assert " not fit; " in summary


ALL_THREE = ((2, "I01"), (17, "I02"), (27, "P01"))


# ------------------------------------------------------------------ hangs (defects 1, 4, 13)
@pytest.mark.parametrize("command", ["build", "check", "preview"])
def test_a_long_facet_name_gives_exit_5_not_a_hang(tmp_path: Path, command: str) -> None:
    # 1.3, 4.1, 4.19, 4.21
    d = make_deck(
        tmp_path,
        deck=(("    name: Doelstelling\n", '    name: "Doelstelling en resultaten van h"\n'),),
    )
    args = [command, "--deck", d] + (["--out", "o"] if command != "check" else [])
    result = run(args, tmp_path)
    assert result.code == 5
    assert_no_room(result.err, d, ((2, "I01"),))
    assert "the facets (design " in result.err  # the element that does not fit is named


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--card", "20x20"],  # 6.5
        ["preview", "--card", "20x20"],  # 2.75
    ],
)
def test_the_smallest_card_gives_exit_5_not_a_hang(tmp_path: Path, args: list[str]) -> None:
    d = make_deck(tmp_path)
    result = run([args[0], "--deck", d, "--out", "o", *args[1:]], tmp_path)
    assert result.code == 5
    assert_no_room(result.err, d, ALL_THREE)


def test_a_tall_thin_card_is_too_large_for_the_sheet(tmp_path: Path) -> None:
    # 6.7: --card 20x400
    d = make_deck(tmp_path)
    result = run(["build", "--deck", d, "--out", "o", "--card", "20x400"], tmp_path)
    assert result.code == 5
    assert_no_room(result.err, d, ALL_THREE)
    assert "(20 x 400 mm)" in result.err


def test_deck_print_card_20x20_gives_exit_5_not_a_hang(tmp_path: Path) -> None:
    # 6.65
    d = make_deck(tmp_path, deck=with_print("card: 20x20"))
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 5
    assert_no_room(result.err, d, ALL_THREE)


@pytest.mark.parametrize("length", [3_000, 20_000, 100_000])
def test_a_long_unbreakable_word_is_refused_in_seconds(tmp_path: Path, length: int) -> None:
    # 3.8b, 4.8c, 4.8d: linear breaking, bounded width cache
    d = make_deck(tmp_path, cards=(("Vertel wat er met de inbreng gebeurde.", "x" * length),))
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 5
    first = result.err.splitlines()[0]
    assert first.startswith(f"{d}/cards/kaarten.yaml:27:5: card P01: the text does not fit: ")
    assert result.err.endswith("1 card does not fit; nothing was written.\n")


def test_a_megabyte_text_is_refused_before_any_layout(tmp_path: Path) -> None:
    # 3.8b: 1,000,000 characters in one text (a 1 MB file, under the 5 MB cap)
    d = make_deck(tmp_path, cards=(("Vertel wat er met de inbreng gebeurde.", "x" * 1_000_000),))
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/cards/kaarten.yaml:30:11: card P01, text: the text has 1,000,000 characters; at "
        "most 200,000 are supported in one text (no card holds more). Shorten it\n" + REFUSED_ONE
    )


def test_a_deck_title_longer_than_any_back_holds_is_refused(tmp_path: Path) -> None:
    # found by the property test: a 22,000-character deck title ran off every back (exit 0)
    d = make_deck(tmp_path, deck=(("title: Veilig samen", "title: " + "w" * 22_000),))
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/deck.yaml:1:8: title: the name has 22000 characters; at most 120 fit where it "
        "is printed. Shorten it\n" + REFUSED_ONE
    )


def test_a_fifo_card_file_is_refused_not_waited_for(tmp_path: Path) -> None:
    # 2.21
    d = make_deck(tmp_path)
    os.mkfifo(tmp_path / d / "cards" / "zz.yaml")
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/cards/zz.yaml: this is not a regular file (a pipe, device or folder); "
        "kaartspel reads only ordinary files. Replace it with a file.\n" + REFUSED_ONE
    )


def test_a_fifo_rules_file_is_refused_not_waited_for(tmp_path: Path) -> None:
    # 2.22
    d = make_deck(tmp_path)
    os.mkfifo(tmp_path / d / "rules.md")
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/rules.md: this is not a regular file (a pipe, device or folder); "
        "kaartspel reads only ordinary files. Replace it with a file.\n" + REFUSED_ONE
    )


def test_a_fifo_deck_yaml_is_named_as_such(tmp_path: Path) -> None:
    # 2.23
    d = make_deck(tmp_path)
    (tmp_path / d / "deck.yaml").unlink()
    os.mkfifo(tmp_path / d / "deck.yaml")
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/deck.yaml: this is not a regular file (a pipe, device or folder); deck.yaml must "
        "be an ordinary file.\n" + REFUSED_ONE
    )


# ------------------------------------------------------------------ path traversal (defect 2)
def test_a_segment_id_cannot_hold_a_path(tmp_path: Path) -> None:
    # 2.63, 2.64, 2.65
    d = make_deck(
        tmp_path,
        deck=(("  - id: meedoen\n", "  - id: ../../seg-escape\n"),),
        cards=(("segment: meedoen", "segment: ../../seg-escape"),),
    )
    for args in (["check"], ["build", "--out", "o", "--segment", "../../seg-escape"]):
        result = run([args[0], "--deck", d, *args[1:]], tmp_path)
        assert result.code == 3
        assert result.err == (
            f"{d}/deck.yaml:16:9: segments[1].id: '../../seg-escape' is not a valid segment id: "
            "use lowercase letters, digits and '-' (at most 40)\n" + REFUSED_ONE
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == [d]


def test_a_card_type_id_cannot_hold_a_path(tmp_path: Path) -> None:
    # 2.66
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    work = tmp_path / "a" / "b" / "c"
    d = make_deck(
        work,
        deck=(("  - {id: tip,", "  - {id: tip/../../../../x,"),),
        cards=(("type: tip", "type: tip/../../../../x"),),
    )
    result = run(["build", "--deck", d, "--out", "o", "--type", "tip/../../../../x"], work)
    assert result.code == 3
    assert result.err == (
        f"{d}/deck.yaml:29:10: card_types[1].id: 'tip/../../../../x' is not a valid card type "
        "id: use lowercase letters, digits and '-' (at most 40)\n" + REFUSED_ONE
    )
    assert not list(tmp_path.rglob("x.pdf"))


def test_phase_and_subform_ids_are_slugs(tmp_path: Path) -> None:
    d = make_deck(
        tmp_path,
        deck=(
            ("  - {id: uitvoering,", "  - {id: ../uitvoering,"),
            ("phase: uitvoering", "phase: ../uitvoering"),
            ("{id: kanalen,", "{id: Kanalen/x,"),
        ),
        cards=(("subform: kanalen", "subform: Kanalen/x"),),
    )
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/deck.yaml:15:14: segments[0].subforms[0].id: 'Kanalen/x' is not a valid sub-form "
        "id: use lowercase letters, digits and '-' (at most 40)\n"
        f"{d}/deck.yaml:26:10: phases[1].id: '../uitvoering' is not a valid phase id: use "
        "lowercase letters, digits and '-' (at most 40)\n"
        "2 problems found in the deck; nothing was written.\n"
    )


def test_a_card_id_with_a_final_newline_is_refused(tmp_path: Path) -> None:
    # 3.24, 3.24b
    d = make_deck(tmp_path, cards=(("  - id: P01", '  - id: "P01\\n"'),))
    result = run(["preview", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/cards/kaarten.yaml:27:9: cards[2].id: 'P01\\x0a' is not a valid card id: use a "
        "letter followed by up to 15 letters, digits, '-' or '_'\n" + REFUSED_ONE
    )
    assert not (tmp_path / "o").exists()


def test_seventy_id_filters_give_a_short_file_name(tmp_path: Path) -> None:
    # 2.70: the selection's part of a file name is capped (and made unique by a hash)
    d = make_deck(tmp_path)
    ids = ["--id", "I01", "--id", "I02", "--id", "P01"] * 24
    result = run(["build", "--deck", d, "--out", "o", "--no-booklet", *ids], tmp_path)
    assert result.code == 0, result.err
    names = [Path(line).name for line in result.out.splitlines()]
    assert len(names) == 2
    assert all(len(n.encode()) <= 200 for n in names)
    assert names[0].startswith("kaarten-i01-i02-p01-i01-")


# ------------------------------------------------------------------ output sets (defect 3)
def test_a_failed_rename_rolls_the_whole_set_back(tmp_path: Path) -> None:
    # 2.48: the second file cannot be replaced; the first must be the old version again
    d = make_deck(tmp_path)
    assert run(["build", "--deck", d, "--out", "o", "--no-booklet"], tmp_path).code == 0
    old = digest(tmp_path / "o" / "kaarten.pdf")
    (tmp_path / "o" / "kaarten.layout.json").unlink()
    (tmp_path / "o" / "kaarten.layout.json").mkdir()
    (tmp_path / "o" / "kaarten.layout.json" / "x").write_text("x")
    deck_yaml = tmp_path / d / "deck.yaml"
    deck_yaml.write_text(deck_yaml.read_text().replace('version: "0.1"', 'version: "0.2"'))
    result = run(["build", "--deck", d, "--out", "o", "--no-booklet"], tmp_path)
    assert result.code == 6
    assert result.err == (
        "o/kaarten.layout.json: cannot write the output: Is a directory. The previous outputs "
        "are unchanged; free some space or choose another folder with --out.\n"
    )
    assert digest(tmp_path / "o" / "kaarten.pdf") == old
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "kaarten.layout.json",
        "kaarten.pdf",
    ]


def _pdf_version(path: Path) -> str:
    from pypdf import PdfReader

    metadata = PdfReader(path).metadata
    assert metadata is not None
    subject = str(metadata.get("/Subject"))
    return subject.rsplit(" v", 1)[1]


@pytest.mark.slow
def test_four_concurrent_builds_of_two_versions_leave_one_consistent_set(
    tmp_path: Path,
) -> None:
    # 5.4, 5.5: 4 processes x 20 rounds, two deck versions, one --out
    rules = "# Regels\n\nSpeel samen.\n"
    make_deck(tmp_path, "v1", deck=(('version: "0.1"', 'version: "1.0"'),), rules=rules)
    make_deck(tmp_path, "v2", deck=(('version: "0.1"', 'version: "2.0"'),), rules=rules)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONUTF8": "1"}
    for _ in range(20):
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "kaartspel", "build", "--deck", deck, "--out", "out"],
                cwd=tmp_path,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
            for deck in ("v1", "v2", "v1", "v2")
        ]
        written: set[str] = set()
        for proc in procs:
            stdout, err = proc.communicate(timeout=300)
            assert proc.returncode in (0, 6), err
            if proc.returncode == 6:
                assert b"busy: another kaartspel" in err, err
            else:
                written.update(Path(line).name for line in stdout.decode().splitlines())
        manifest = json.loads((out / "kaarten.layout.json").read_text())
        version = manifest["deck"]["version"]
        for pdf in ("kaarten.pdf", "spelregels.pdf", "spelregels-boekje.pdf"):
            assert _pdf_version(out / pdf) == version
        # exactly the files a build says it writes: no staged or temporary file is left over
        assert {"kaarten.pdf", "spelregels.pdf", "kaarten.layout.json"} <= written
        assert sorted(p.name for p in out.iterdir()) == sorted(written)


def test_a_second_writer_waits_for_the_lock_then_says_busy(tmp_path: Path) -> None:
    from kaartspel.errors import Busy
    from kaartspel.output import locked

    with locked(tmp_path), pytest.raises(Busy) as caught, locked(tmp_path, wait=0.2):
        pass
    assert caught.value.message.endswith(
        ": busy: another kaartspel has been writing into this folder for 0.2 s; nothing was "
        "written. Try again when it is done, or choose another folder with --out."
    )
    assert list(tmp_path.iterdir()) == []  # the lock file goes with its holder


# ------------------------------------------------------------------ numbers (defects 5, 8)
@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--dpi", "0", "--layout", "png"],
            "--dpi: 0 dpi is out of range; give a value from 72 to 1200 dpi",
        ),  # 6.9  # noqa: E501
        (
            ["--dpi", "-300", "--layout", "png"],
            "--dpi: -300 dpi is out of range; give a value from 72 to 1200 dpi",
        ),  # 6.10  # noqa: E501
        (
            ["--dpi", "100000", "--layout", "png"],
            "--dpi: 100000 dpi is out of range; give a value from 72 to 1200 dpi",
        ),  # 6.33  # noqa: E501
        (
            ["--dpi", "20000", "--layout", "png"],
            "--dpi: 20000 dpi is out of range; give a value from 72 to 1200 dpi",
        ),  # 6.34  # noqa: E501
        (
            ["--dpi", "5000", "--layout", "png"],
            "--dpi: 5000 dpi is out of range; give a value from 72 to 1200 dpi",
        ),  # 6.35  # noqa: E501
        (["--dpi", "0"], "--dpi: 0 dpi is out of range; give a value from 72 to 1200 dpi"),  # 6.8
        (["--bleed", "-3"], "--bleed: -3 mm is out of range; give a value from 0 to 20 mm"),  # 6.11
        (["--bleed", "nan"], "--bleed: nan is not a number; give a value from 0 to 20 mm"),  # 6.13
        (["--gap", "1e9"], "--gap: 1e+09 mm is out of range; give a value from 0 to 20 mm"),  # 6.15
        (["--gap", "-50"], "--gap: -50 mm is out of range; give a value from 0 to 20 mm"),  # 6.16
        (
            ["--back-offset", "nan,nan"],
            "--back-offset: nan is not a number; give a value from -20 to 20 mm",
        ),  # 6.19  # noqa: E501
    ],
)
def test_print_flags_are_bounded(tmp_path: Path, flags: list[str], message: str) -> None:
    d = make_deck(tmp_path)
    result = run(["build", "--deck", d, "--out", "o", *flags], tmp_path)
    assert (result.code, result.err) == (2, message + "\n")
    assert not (tmp_path / "o").exists()


def test_preview_resolution_is_bounded(tmp_path: Path) -> None:
    # 6.70: 1200 dpi previews took 8 GB; previews stop at 600 dpi
    d = make_deck(tmp_path)
    result = run(["preview", "--deck", d, "--out", "o", "--dpi", "1200"], tmp_path)
    assert (result.code, result.err) == (
        2,
        "--dpi: 1200 dpi is out of range; give a value from 30 to 600 dpi\n",
    )


def test_deck_back_offset_nan_is_refused_at_its_line(tmp_path: Path) -> None:
    # 6.60
    d = make_deck(tmp_path, deck=with_print("back_offset: [.nan, 0]"))
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/deck.yaml:38:16: print.back_offset: nan is not a number; give a value from -20 "
        "to 20 mm\n" + REFUSED_ONE
    )


def test_deck_print_card_out_of_bounds_is_located_with_exit_3(tmp_path: Path) -> None:
    # 6.61 (error quality item: was '--card', exit 2, no file:line)
    d = make_deck(tmp_path, deck=with_print("card: 1000x1000"))
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/deck.yaml:38:9: print.card: 1000x1000 mm is not a sensible card size (20-300 mm "
        "wide, 20-400 mm high)\n" + REFUSED_ONE
    )


def test_a_card_too_large_for_the_paper_is_its_own_error(tmp_path: Path) -> None:
    # error quality: was exit 2 as a filter error
    d = make_deck(tmp_path, deck=with_print("card: 300x400"))
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 5
    assert result.err == (
        f"{d}/deck.yaml:38:9: print.card: a 300x400 card with 3 mm bleed does not fit on a4 "
        "paper in the duplex layout; choose a larger --paper or a smaller --card.\n"
    )


# ------------------------------------------------------------------ links (defect 6)
class _Hostile(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # noqa: N802
        if self.path == "/drip":  # headers one byte every 0.3 s
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.3)
        elif self.path == "/garbage":
            self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
        elif self.path == "/hang":
            time.sleep(60)
        else:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    do_GET = do_HEAD  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _link_deck(where: Path, base: str, paths: list[str]) -> str:
    d = make_deck(where, cards=(('{url: "https://example.org/buurtkrant"', "{url: TARGET"),))
    cards = where / d / "cards" / "kaarten.yaml"
    cards.write_text(cards.read_text().replace("TARGET", f'"{base}{paths[0]}"'))
    extra = ["cards:"]
    for k, path in enumerate(paths[1:], start=1):
        extra += [
            f"  - id: L{k}",
            "    type: tip",
            f"    title: Link {k}",
            "    text: Een tekst.",
            "    links:",
            f"      - {{url: '{base}{path}', kind: website}}",
        ]
    if len(extra) > 1:
        (where / d / "cards" / "links.yaml").write_text("\n".join(extra) + "\n")
    return d


LOCAL = {"no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}


def test_links_deadline_is_total_not_per_read(tmp_path: Path, hostile_server: str) -> None:
    # 5.11
    d = _link_deck(tmp_path, hostile_server, ["/drip"])
    result = run(["links", "--deck", d, "--timeout", "2"], tmp_path, env=LOCAL)
    assert result.code == 7
    assert result.seconds < 6
    assert f"BROKEN {hostile_server}/drip: no answer within 2 s" in result.out


def test_links_survives_an_answer_that_is_not_http(tmp_path: Path, hostile_server: str) -> None:
    # 5.12
    d = _link_deck(tmp_path, hostile_server, ["/garbage"])
    result = run(["links", "--deck", d, "--timeout", "3"], tmp_path, env=LOCAL)
    assert result.code == 7
    assert f"BROKEN {hostile_server}/garbage: the answer is not HTTP (BadStatusLine)" in result.out


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--timeout", "0", "--timeout: 0 s is out of range; give a value from 0.5 to 300 s"),
        ("--timeout", "-1", "--timeout: -1 s is out of range; give a value from 0.5 to 300 s"),
        ("--timeout", "nan", "--timeout: nan is not a number; give a value from 0.5 to 300 s"),
        ("--timeout", "inf", "--timeout: inf is not a number; give a value from 0.5 to 300 s"),
        (
            "--timeout",
            "1e308",
            "--timeout: 1e+308 s is out of range; give a value from 0.5 to 300 s",
        ),  # noqa: E501
        (
            "--workers",
            "0",
            "--workers: 0 workers is out of range; give a value from 1 to 64 workers",
        ),  # noqa: E501
        (
            "--workers",
            "-5",
            "--workers: -5 workers is out of range; give a value from 1 to 64 workers",
        ),  # noqa: E501
    ],
)
def test_links_options_are_bounded(tmp_path: Path, flag: str, value: str, message: str) -> None:
    # 5.15, 5.16, 6.42-6.46
    d = make_deck(tmp_path)
    result = run(["links", "--deck", d, flag, value], tmp_path)
    assert (result.code, result.err) == (2, message + "\n")


def test_ctrl_c_stops_links_at_once(tmp_path: Path, hostile_server: str) -> None:
    # 5.26, 5.27
    d = _link_deck(tmp_path, hostile_server, ["/hang", "/drip"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "kaartspel", "links", "--deck", d, "--timeout", "30"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **LOCAL},
    )
    time.sleep(2.5)
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=10)
    assert time.monotonic() - start < 3
    assert proc.returncode == 130
    assert err.decode() == "Interrupted (Ctrl-C); stopped. Outputs written before are unchanged.\n"


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _unshare_works(), reason="needs unshare -n (a network namespace)")
def test_links_without_dns_says_offline_and_checks_nothing(tmp_path: Path) -> None:
    # issue 14 item 7: no host resolves -> exit 8 in under 5 s
    d = make_deck(tmp_path)
    start = time.monotonic()
    proc = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "kaartspel", "links", "--deck", d],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert time.monotonic() - start < 5
    assert proc.returncode == 8
    assert proc.stdout == ""
    assert proc.stderr == (
        "This machine seems offline: none of the 1 host names of the links can be looked up, "
        "so no link was checked. Connect to the internet and run `kaartspel links` again.\n"
    )


# ------------------------------------------------------------------ colours (defect 7)
def test_cmyk_colours_work_in_rules_links_and_on_the_site(tmp_path: Path) -> None:
    # 1.20, 1.21
    d = make_deck(
        tmp_path,
        deck=(('colour: "#245E8C"', 'colour: "cmyk(85, 40, 0, 20)"'),),
        rules="# Regels\n\nZie [de site](https://example.org).\n",
    )
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 0, result.err
    assert (tmp_path / "o" / "spelregels.pdf").exists()
    result = run(["site", "--deck", d, "--out", "s"], tmp_path)
    assert result.code == 0, result.err
    page = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert "cmyk(" not in page
    assert "--band:#1F7ACC" in page  # (1-.85)(1-.2), (1-.4)(1-.2), (1-0)(1-.2) in RGB


# ------------------------------------------------------------------ text (defect 9)
def test_soft_hyphens_are_break_points_never_printed(tmp_path: Path) -> None:
    # 4.7
    from kaartspel.text import Style, wrap

    style = Style("regular", 9, 1.2)
    word = "Burger\u00adparticipatie\u00adwiel"
    assert wrap(word, style, 500, "nl") == ["Burgerparticipatiewiel"]
    narrow = style.width("Burgerparticipatie-") + 1
    assert wrap(word, style, narrow, "nl") == ["Burgerparticipatie-", "wiel"]


def test_combining_marks_stay_with_their_letter() -> None:
    # 4.5: composed where Unicode can (load), never cut from their base (text)
    from kaartspel.text import Style, wrap

    style = Style("regular", 9, 1.2)
    zalgo = "a\u0301\u0302" * 40
    lines = wrap(zalgo, style, style.width("a") * 5, "nl")
    assert "".join(lines) == zalgo
    assert all(line[0] == "a" for line in lines)


@pytest.mark.parametrize("width", [0.0, -50.0, float("-inf")])
def test_wrap_never_loops_on_a_width_without_room(width: float) -> None:
    from kaartspel.text import Style, wrap

    lines = wrap("Doelstelling en resultaten", Style("regular", 9, 1.2), width, "nl")
    assert "".join(lines) == "Doelstellingenresultaten"


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("Koppel altijd terug naar de deelnemers\nen naar het bestuur", 80.0),  # breaks, paragraphs
        ("Burger\u00adparticipatie\u00adwiel en meer", 60.0),  # at a soft hyphen
        ("de onwaarschijnlijkheidsberekening", 70.0),  # hyphenated
        ("x" * 90 + " kort", 40.0),  # cut hard
        ("W", 0.0),  # one letter wider than the line
    ],
)
def test_wrap_gives_the_widths_it_measured(text: str, width: float) -> None:
    # the layout checks its lines against the safe area with these, not measuring them again
    from kaartspel.text import Style, wrap

    style = Style("regular", 9, 1.2)
    widths = [1.0]  # appended to: what was there stays
    lines = wrap(text, style, width, "nl", widths=widths)
    assert lines == wrap(text, style, width, "nl")
    assert widths[0] == 1.0 and len(widths) == len(lines) + 1
    assert widths[1:] == pytest.approx([style.width(line) for line in lines], abs=1e-9)


@pytest.mark.parametrize(("title", "case"), [("\u00ad", "4.9c"), ("\u200b", "4.9d")])
def test_a_title_of_only_invisible_characters_is_empty(
    tmp_path: Path, title: str, case: str
) -> None:
    d = make_deck(tmp_path, cards=(("title: Koppel altijd terug", f'title: "{title}"'),))
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/cards/kaarten.yaml:29:12: card P01, title: the text is empty; write the text\n"
        + REFUSED_ONE
    )


def test_zero_width_joiners_are_text_not_control_characters(tmp_path: Path) -> None:
    # 4.6: ZWJ and ZWNJ (emoji sequences, Persian) were refused as control characters
    d = make_deck(
        tmp_path, cards=(("title: Koppel altijd terug", 'title: "Koppel\u200cal\u200dtijd"'),)
    )
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 0, result.err


def test_right_to_left_text_needs_a_font_that_has_it(tmp_path: Path) -> None:
    # 4.17: right-to-left text is shaped and set right to left (tests/test_shaping.py); the
    # bundled Lato has no Hebrew letters, so check names the font and the characters, with
    # build's exit 5 (one glyph check for both)
    d = make_deck(tmp_path, cards=(("title: Koppel altijd terug", "title: שלום"),))
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 5
    assert (
        "card P01: the title has characters the font Lato-Bold (bold) cannot draw: "
        "'ו' (U+05D5), 'ל' (U+05DC), 'ם' (U+05DD), 'ש' (U+05E9); name a font that has them in "
        "deck.yaml (style: fonts:) or replace them." in result.err
    )


def test_missing_glyphs_in_deck_texts_are_named(tmp_path: Path) -> None:
    # 4.18: a segment name the font cannot draw
    d = make_deck(tmp_path, deck=(("    name: Meedoen\n", "    name: 参与\n"),))
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 5
    assert (
        f"{d}/cards/kaarten.yaml:17:5: card I02: the band-text has characters the font "
        "Lato-Black (black) cannot draw: '与' (U+4E0E), '参' (U+53C2); name a font that has "
        "them in deck.yaml (style: fonts:) or replace them." in result.err
    )
    assert "back meedoen: the label has characters the font Lato-Bold (bold)" in result.err


def test_missing_glyphs_in_rules_are_located(tmp_path: Path) -> None:
    # 4.39
    d = make_deck(tmp_path, rules="# Regels\n\nSpeel 参与 samen.\n")
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 5
    assert result.err == (
        f"{d}/rules.md:3:7: the font cannot draw '与' (U+4E0E), '参' (U+53C2); remove or "
        "replace them, or name a font that has them (style: fonts: in deck.yaml).\n"
        "1 place with characters the font cannot draw; nothing was written.\n"
    )


def test_a_table_row_taller_than_a_page_continues_on_the_next(tmp_path: Path) -> None:
    # 4.40
    import pypdfium2

    cell = " ".join(["woord"] * 3000)
    d = make_deck(tmp_path, rules=f"# Regels\n\n| A | B |\n|---|---|\n| {cell} | kort |\n")
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 0, result.err
    pdf = pypdfium2.PdfDocument(tmp_path / "o" / "spelregels.pdf")
    words = sum(pdf[i].get_textpage().get_text_range().count("woord") for i in range(len(pdf)))
    assert words == 3000  # none lost below a page's bottom


# ------------------------------------------------------------------ rules.md (defect 10)
@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (  # 4.32
            "| " + " | ".join(f"k{i}" for i in range(60)) + " |\n|" + "---|" * 60 + "\n",
            "rules.md:1:1: the table has 60 columns; at most 6 fit on a booklet page. Split it "
            "into narrower tables.",
        ),
        (  # 4.33
            "| A | B |\n|---|---|\n| " + "x" * 2000 + " | y |\n",
            "rules.md:3:1: a table cell holds a word of 2000 characters ('xxxxxxxxxxxxxxxxxxxx"
            "...'); at most 30 fit in a column. Shorten it or put it in a paragraph under the "
            "table.",
        ),
        (  # 4.34
            "".join("  " * i + "- x\n" for i in range(200)),
            "rules.md:7:1: lists are nested more than 6 levels deep; a booklet page has no room "
            "for that. Flatten the list.",
        ),
    ],
)
def test_rules_beyond_a_booklet_page_are_located_errors(
    tmp_path: Path, rules: str, message: str
) -> None:
    d = make_deck(tmp_path, rules=rules)
    for args in (["check"], ["build", "--out", "o"]):  # 1.6: check reads rules.md too
        result = run([args[0], "--deck", d, *args[1:]], tmp_path)
        assert result.code == 3
        assert result.err == f"{d}/{message}\n" + REFUSED_ONE


def test_an_empty_rules_file_is_refused(tmp_path: Path) -> None:
    # 4.38: an empty rules.md gave a booklet without rules
    d = make_deck(tmp_path, rules="\n  \n")
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/rules.md:1:1: the rules file is empty; write the rules, or remove rules.md\n"
        + REFUSED_ONE
    )


def test_check_reads_rules_and_reports_each_problem_once(tmp_path: Path) -> None:
    # 1.1, 1.6, 1.7, 4.42: check refuses what build refuses; each message once
    d = make_deck(tmp_path, rules="# Regels\n\nEen <b>vet</b> woord.\n")
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/rules.md:3:1: inline HTML is not supported in the rules text; use headings, "
        "paragraphs, lists, tables, bold, italic and links.\n" + REFUSED_ONE
    )


# ------------------------------------------------------------------ crashes (defects 11, 12)
def test_ctrl_c_during_a_build_exits_130_never_a_crash(tmp_path: Path) -> None:
    # 5.20-5.22b: one line, exit 130, no SIGABRT/SIGSEGV from the zxing import
    d = make_deck(tmp_path)
    codes = []
    for delay in (0.3, 0.45, 0.6, 0.75, 0.9, 1.1):
        proc = subprocess.Popen(
            [sys.executable, "-m", "kaartspel", "build", "--deck", d, "--out", "o"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        codes.append(proc.returncode)
        assert proc.returncode in (0, 130, -signal.SIGINT), (delay, proc.returncode, err)
        if proc.returncode == 130:
            assert err.decode() in (
                "Interrupted (Ctrl-C); stopped. Outputs written before are unchanged.\n",
                # a Ctrl-C held back while the finished set was renamed into place
                "Interrupted (Ctrl-C); stopped. The new outputs had already been written.\n",
            ), (delay, err)
    assert 130 in codes


def test_a_truncated_font_is_exit_4(tmp_path: Path) -> None:
    # 2.13
    d = make_deck(
        tmp_path, deck=(("bibliography:", "style:\n  fonts:\n    regular: f.ttf\nbibliography:"),)
    )  # noqa: E501
    (tmp_path / d / "f.ttf").write_bytes((font_dir() / "Lato-Regular.ttf").read_bytes()[:5000])
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 4
    assert result.err == (
        f"{d}/deck.yaml:39:14: style.fonts.regular: 'f.ttf': this font cannot be used (unpack "
        "requires a buffer of 2 bytes); kaartspel needs TrueType fonts (.ttf with glyf "
        "outlines, not .otf/CFF, not a variable font).\n"
    )


def test_an_empty_font_path_is_named_empty(tmp_path: Path) -> None:
    # 2.10
    d = make_deck(
        tmp_path, deck=(("bibliography:", "style:\n  fonts:\n    regular: ''\nbibliography:"),)
    )  # noqa: E501
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 4
    assert result.err == (
        f"{d}/deck.yaml:39:14: style.fonts.regular: the path is empty; name the font by a path "
        "inside the deck folder, such as fonts/MyFont-Regular.ttf\n"
    )


def test_an_out_path_longer_than_path_max_is_exit_6(tmp_path: Path) -> None:
    # 2.73
    d = make_deck(tmp_path)
    result = run(["build", "--deck", d, "--out", "d" * 5000], tmp_path)
    assert result.code == 6
    assert result.err == (
        "d" * 200 + ": cannot create the output folder: the path is too long. Choose another "
        "folder with --out.\n"
    )


def test_a_symlink_loop_out_is_named_a_loop(tmp_path: Path) -> None:
    # 2.72
    d = make_deck(tmp_path)
    (tmp_path / "loop").symlink_to("loop")
    result = run(["build", "--deck", d, "--out", "loop/a"], tmp_path)
    assert result.code == 6
    assert result.err == (
        "loop/a: cannot create the output folder: the path runs into a loop of symbolic links. "
        "Choose another folder with --out.\n"
    )


def test_a_dangling_rules_link_is_not_silently_ignored(tmp_path: Path) -> None:
    # 2.19
    d = make_deck(tmp_path)
    (tmp_path / d / "rules.md").symlink_to("nope.md")
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 4
    assert result.err == (
        f"{d}/rules.md: this link points to a file that does not exist; restore the rules file "
        "or remove the link.\n"
    )


def test_upper_case_yaml_card_files_are_not_silently_ignored(tmp_path: Path) -> None:
    # 2.31: cards/*.YAML are read like *.yaml
    d = make_deck(tmp_path)
    (tmp_path / d / "cards" / "extra.YAML").write_text(
        "cards:\n  - {id: T9, type: tip, title: Een tip, text: Een tekst.}\n"
    )
    result = run(["list", "--deck", d], tmp_path)
    assert result.code == 0, result.err
    assert "T9   tip" in result.out
    assert result.out.endswith("4 cards\n")


# ------------------------------------------------------------------ terminal (defect 15)
def test_escape_sequences_in_values_are_echoed_escaped(tmp_path: Path) -> None:
    # 7.1
    d = make_deck(tmp_path, cards=(("segment: meedoen", 'segment: "\\e]2;PWNED\\a\\e[2J"'),))
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/cards/kaarten.yaml:19:14: card I02, segment: '\\x1b]2;PWNED\\x07\\x1b[2J' is not "
        "a segment (known: informeren, meedoen)\n" + REFUSED_ONE
    )


def test_control_characters_in_version_authors_licence_are_refused(tmp_path: Path) -> None:
    # 7.2
    d = make_deck(
        tmp_path,
        deck=(
            ('version: "0.1"', 'version: "0.1\\e[2J"'),
            ("authors: [Preventiedienst Wielegem]", 'authors: ["Pre\\x07"]'),
            ("licence: CC BY 4.0", 'licence: "CC\\rBY"'),
        ),
    )
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/deck.yaml:2:10: version: contains the control character U+001B; remove it\n"
        f"{d}/deck.yaml:5:11: authors[0]: contains the control character U+0007; remove it\n"
        f"{d}/deck.yaml:6:10: licence: contains the control character U+000D; remove it\n"
        "3 problems found in the deck; nothing was written.\n"
    )


def test_a_url_with_raw_quotes_and_brackets_is_refused(tmp_path: Path) -> None:
    # 1.9, 1.10r
    d = make_deck(
        tmp_path, cards=(("https://example.org/buurtkrant", 'https://example.org/a\\"<b>'),)
    )
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 3
    assert result.err == (
        f"{d}/cards/kaarten.yaml:15:15: card I01, links[0].url: 'https://example.org/a\"<b>' is "
        'not a valid URL: it contains " < >; write them percent-encoded (%22, %3C, %3E ...)\n'
        + REFUSED_ONE
    )


# ------------------------------------------------------------------ error quality (12, 13)
def test_a_broken_card_file_is_reported_once_without_kit_noise(tmp_path: Path) -> None:
    d = make_deck(
        tmp_path,
        deck=(
            (
                "bibliography:",
                "kits:\n  start:\n    title: Start\n    id: [S01, I01]\nbibliography:",
            ),
        ),
    )  # noqa: E501
    (tmp_path / d / "cards" / "s.yaml").write_text(
        "cards:\n  - id: S01\n    type: tip\n    title: [Een\n    text: x\n"
    )
    result = run(["check", "--deck", d], tmp_path)
    assert result.code == 3
    lines = result.err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{d}/cards/s.yaml:")
    assert "kits" not in result.err and "Z01" not in result.err
    assert lines[1] == REFUSED_ONE.strip()


def test_a_long_list_of_known_ids_is_capped(tmp_path: Path) -> None:
    d = make_deck(tmp_path)
    extra = ["cards:"] + [
        f"  - {{id: T{i:02d}, type: tip, title: Tip {i}, text: Een tekst.}}" for i in range(40)
    ]
    (tmp_path / d / "cards" / "extra.yaml").write_text("\n".join(extra) + "\n")
    result = run(["build", "--deck", d, "--out", "o", "--id", "NOPE"], tmp_path)
    assert result.code == 2
    assert result.err == (
        "--id: 'NOPE' is not known in this deck (known: I01, I02, P01, T00, T01, T02, T03, T04, "
        "T05, T06, T07, T08, ... and 31 more)\n"
    )


def test_an_unknown_kit_when_there_are_none_says_so(tmp_path: Path) -> None:
    # 6.26
    d = make_deck(tmp_path)
    result = run(["build", "--deck", d, "--out", "o", "--kit", "nope"], tmp_path)
    assert (result.code, result.err) == (
        2,
        "--kit: 'nope' is not known in this deck (the deck has none)\n",
    )


def test_one_card_with_two_problems_is_one_card(tmp_path: Path) -> None:
    # 4.2: '2 cards do not fit' for one card
    d = make_deck(
        tmp_path,
        cards=(
            ("title: Koppel altijd terug", "title: Koppel ☃ terug"),
            ("Vertel wat er met de inbreng gebeurde.", "lang " * 2000),
        ),
    )
    result = run(["build", "--deck", d, "--out", "o"], tmp_path)
    assert result.code == 5
    assert len(result.err.splitlines()) == 3  # two problems
    assert result.err.endswith("\n1 card does not fit; nothing was written.\n")


def test_two_kit_flags_are_refused(tmp_path: Path) -> None:
    d = make_deck(tmp_path)
    result = run(["build", "--deck", d, "--out", "o", "--kit", "a", "--kit", "b"], tmp_path)
    assert (result.code, result.err) == (
        2,
        "--kit: give one kit, not 2 ('a', 'b'); a kit already combines the cards of a session. "
        "To combine kits, add a kit to deck.yaml that lists what both hold.\n",
    )


KIT = (
    (
        "bibliography:",
        "kits:\n  start:\n    title: Eerste sessie\n    id: [I01, P01]\nbibliography:",
    ),
)  # noqa: E501


def test_a_kit_is_shown_by_its_title_and_the_site_keeps_the_full_page(tmp_path: Path) -> None:
    d = make_deck(tmp_path, deck=KIT)
    result = run(["build", "--deck", d, "--out", "o", "--kit", "start", "--no-booklet"], tmp_path)
    assert result.code == 0
    assert result.err == "Kit 'start': Eerste sessie (2 cards)\n"
    assert result.out.splitlines() == ["o/kaarten-start.pdf", "o/kaarten-start.layout.json"]
    assert run(["site", "--deck", d, "--out", "s"], tmp_path).code == 0
    result = run(["site", "--deck", d, "--out", "s", "--kit", "start"], tmp_path)
    assert result.code == 0
    assert result.err == "Kit 'start': Eerste sessie (2 cards)\n"
    assert result.out == "s/index-start.html\n"
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["index-start.html", "index.html"]


def test_filters_of_two_kinds_that_match_nothing_hint_at_kits(tmp_path: Path) -> None:
    d = make_deck(tmp_path)
    result = run(
        ["build", "--deck", d, "--out", "o", "--phase", "uitvoering", "--type", "tip"], tmp_path
    )
    assert (result.code, result.err) == (
        2,
        "no card matches these filters; nothing was written. Filters of different kinds must "
        "all hold for a card (--phase and --type); to gather the cards of several kinds in one "
        "set, list them in a kit (kits: in deck.yaml) and use --kit.\n",
    )


def test_messages_name_the_card_not_its_index(tmp_path: Path) -> None:
    d = make_deck(tmp_path, cards=(("title: Koppel altijd terug", "title: ''"),))
    result = run(["check", "--deck", d], tmp_path)
    assert result.err == (
        f"{d}/cards/kaarten.yaml:29:12: card P01, title: the text is empty; write the text\n"
        + REFUSED_ONE
    )
