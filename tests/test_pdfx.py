"""PDF/X-1a:2001 for print shops: every required key is there, nothing RGB, no transparency,
every font embedded; Ghostscript reads the file strictly and round-trips it as PDF/X."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import DEFAULT_DECK, run_cli
from kaartspel import pdfx

GS = shutil.which("gs") or ""  # "": not installed (the tests that need it are skipped)


def _build(out: Path, *args: str) -> None:
    result = run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(out), "--no-booklet", *args)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def dtc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DriveThruCards asks for PDF/X-1a: its printshop files are PDF/X without --pdfx."""
    out = tmp_path_factory.mktemp("dtc")
    _build(out, "--layout", "printshop", "--shop", "drivethrucards", "--segment", "meepraten")
    return out / "kaarten-meepraten-drivethrucards.pdf"


def _content_streams(doc: pikepdf.Pdf) -> list[bytes]:
    """Every page's content and every form XObject it uses, recursively."""
    seen: set[tuple[int, int]] = set()
    found: list[bytes] = []

    def forms(resources: pikepdf.Object | None) -> None:
        xobjects = resources.get("/XObject") if resources is not None else None
        for xobj in (xobjects or {}).values():
            if xobj.objgen in seen:
                continue
            seen.add(xobj.objgen)
            assert xobj.get("/Subtype") == pikepdf.Name.Form, "an image: none are expected"
            found.append(xobj.read_bytes())
            forms(xobj.get("/Resources"))

    for page in doc.pages:
        found.append(page.obj.Contents.read_bytes() if "/Contents" in page.obj else b"")
        forms(page.obj.get("/Resources"))
    return found


def test_pdfx_1a_has_every_required_key(dtc: Path) -> None:
    data = dtc.read_bytes()
    assert data.startswith(b"%PDF-1.3\n")
    with pikepdf.open(dtc) as doc:
        info = doc.docinfo
        assert str(info["/GTS_PDFXVersion"]) == "PDF/X-1:2001"
        assert str(info["/GTS_PDFXConformance"]) == "PDF/X-1a:2001"
        assert info["/Trapped"] == pikepdf.Name("/False")
        assert str(info["/Title"]).startswith("Burgerparticipatie in lokale veiligheid")
        assert "/CreationDate" in info and "/ModDate" in info
        assert len(doc.trailer.ID) == 2
        (intent,) = doc.Root.OutputIntents
        assert intent.Type == pikepdf.Name.OutputIntent
        assert intent.S == pikepdf.Name.GTS_PDFX
        assert str(intent.OutputConditionIdentifier) == "CGATS21_CRPC6"
        assert str(intent.RegistryName) == "http://www.color.org"
        assert str(intent.Info)
        assert len(doc.pages) == 2 * 20  # back, front per card
        for page in doc.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            media = [float(v) for v in page.obj.MediaBox]
            assert bleed == media == [0, 0, 198, 270]  # 2.75 x 3.75 in
            assert trim == pytest.approx([9, 9, 189, 261])  # 1/8 in bleed
            assert "/Annots" not in page.obj  # no link annotations inside the bleed box
        streams = _content_streams(doc)
        assert streams and all(re.search(rb"(?<![A-Za-z])(rg|RG)\s", s) is None for s in streams)
        assert any(re.search(rb"\sk\s", s) for s in streams)  # CMYK fills
        fonts = [f for p in doc.pages for f in (p.obj.Resources.get("/Font") or {}).values()]
        assert fonts
        for font in fonts:
            assert "+" in str(font.BaseFont)  # subset ...
            assert "/FontFile2" in font.FontDescriptor  # ... and embedded
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream):
                assert obj.get("/Subtype") != pikepdf.Name.Image
                assert "/SMask" not in obj and "/Group" not in obj
            elif isinstance(obj, pikepdf.Dictionary):
                assert "/CA" not in obj and "/ca" not in obj and "/SMask" not in obj
    assert pdfx.problems(data) == []


def test_pdfx_on_request_names_the_shops_condition(tmp_path: Path) -> None:
    _build(tmp_path, "--layout", "printshop", "--shop", "mbprint", "--id", "T01")
    plain = (tmp_path / "kaarten-t01-mbprint.pdf").read_bytes()
    assert b"GTS_PDFX" not in plain  # MB PRINT does not ask for PDF/X
    _build(tmp_path, "--layout", "printshop", "--shop", "mbprint", "--id", "T01", "--pdfx")
    with pikepdf.open(tmp_path / "kaarten-t01-mbprint.pdf") as doc:
        assert str(doc.Root.OutputIntents[0].OutputConditionIdentifier) == "FOGRA39"
    assert pdfx.problems((tmp_path / "kaarten-t01-mbprint.pdf").read_bytes()) == []


def test_the_check_finds_what_breaks_pdfx(tmp_path: Path) -> None:
    _build(tmp_path, "--layout", "printshop", "--rgb", "--id", "T01")
    found = pdfx.problems((tmp_path / "kaarten-t01-generic.pdf").read_bytes())
    assert "a content stream sets an RGB colour (rg/RG)" in found
    assert "the document info has no /GTS_PDFXVersion" in found
    assert "no /OutputIntents entry with /S /GTS_PDFX" in found
    assert "page 1 has annotations" in found  # the card's link


def test_rgb_switches_the_shops_default_pdfx_off_and_contradicts_pdfx(tmp_path: Path) -> None:
    _build(tmp_path, "--layout", "printshop", "--shop", "drivethrucards", "--id", "T01", "--rgb")
    data = (tmp_path / "kaarten-t01-drivethrucards.pdf").read_bytes()
    assert b"GTS_PDFX" not in data
    assert "a content stream sets an RGB colour (rg/RG)" in pdfx.problems(data)
    result = run_cli(
        "build",
        "--deck",
        str(DEFAULT_DECK),
        "--out",
        str(tmp_path),
        "--layout",
        "printshop",
        "--pdfx",
        "--rgb",
        "--id",
        "T01",
    )
    assert result.returncode == 2
    assert result.stderr == "--pdfx: PDF/X-1a is CMYK only; leave out --rgb.\n"


def test_pdfx_is_for_printshop_files_only(tmp_path: Path) -> None:
    result = run_cli(
        "build", "--deck", str(DEFAULT_DECK), "--out", str(tmp_path), "--pdfx", "--id", "T01"
    )
    assert result.returncode == 2
    assert result.stderr == "--pdfx: PDF/X is written for --layout printshop only.\n"


# Ghostscript: Debian's `ghostscript` package (apt-get install ghostscript); .ci/run installs it.
needs_gs = pytest.mark.skipif(
    not GS, reason="Ghostscript (gs) is not installed: apt-get install ghostscript"
)
TT_NOTICE = re.compile(r"Failed to interpret TT instructions in font .*\. Continue ignoring")


@needs_gs
def test_ghostscript_reads_it_strictly_as_cmyk(dtc: Path) -> None:
    result = subprocess.run(
        [GS, "-q", "-dNOPAUSE", "-dBATCH", "-dPDFSTOPONERROR", "-dPDFSTOPONWARNING"]
        + ["-sDEVICE=inkcov", "-o", "-", str(dtc)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 40 and all(line.endswith("CMYK OK") for line in lines)


@needs_gs
def test_ghostscript_pdfx_round_trip(dtc: Path, tmp_path: Path) -> None:
    """Ghostscript's own PDF/X writer (-dPDFX, with its PDFX_def.ps and its CMYK profile)
    takes the file without an error and keeps the page boxes."""
    lib = Path(GS).resolve().parents[1] / "share" / "ghostscript"
    definitions = sorted(lib.glob("*/lib/PDFX_def.ps"))
    profiles = sorted(Path("/usr/share/color/icc/ghostscript").glob("default_cmyk.icc"))
    if not definitions or not profiles:
        pytest.skip("Ghostscript's PDFX_def.ps or default_cmyk.icc is not installed")
    text = definitions[-1].read_text(encoding="latin-1")
    text = text.replace("(ISO Coated sb.icc)", f"({profiles[0]})")
    (tmp_path / "pdfx_def.ps").write_text(text, encoding="latin-1")
    out = tmp_path / "round-trip.pdf"
    result = subprocess.run(
        [GS, "-q", "-dPDFX", "-dBATCH", "-dNOPAUSE", "-dNOOUTERSAVE", "-dPDFSTOPONERROR"]
        + [f"--permit-file-read={profiles[0].parent}/", "-sColorConversionStrategy=CMYK"]
        + ["-sDEVICE=pdfwrite", "-o", str(out), str(tmp_path / "pdfx_def.ps"), str(dtc)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    complaints = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip() and not TT_NOTICE.search(line)
    ]
    assert complaints == []
    with pikepdf.open(out) as doc:
        assert str(doc.docinfo["/GTS_PDFXVersion"]).startswith("PDF/X-")
        assert len(doc.pages) == 40
        assert [float(v) for v in doc.pages[0].obj.TrimBox] == pytest.approx([9, 9, 189, 261])
