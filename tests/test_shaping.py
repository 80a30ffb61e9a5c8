"""Scripts that need shaping: a Hindi (Devanagari) and an Arabic deck, with Debian's Noto fonts.

The decks are in tests/data/scripts/; their fonts are copied in from the system
(`apt-get install fonts-noto-core`), and the tests skip, saying so, where they are absent.
What is checked is what the reader sees: where the glyphs stand on the rendered page
(pypdfium2 char boxes) and which glyphs the PDF draws (the embedded font read back with
fontTools) compared with HarfBuzz's own shaping of the same text.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest

import pdfread
from conftest import ROOT, run_cli
from kaartspel import shaping

NOTO = Path("/usr/share/fonts/truetype/noto")
FONTS = {
    "hindi": ("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    "arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
}


def _deck(name: str, tmp_path: Path) -> Path:
    missing = [f for f in FONTS[name] if not (NOTO / f).is_file()]
    if missing:
        reason = (
            f"{', '.join(missing)} not in {NOTO}: install Debian's fonts-noto-core "
            "(apt-get install fonts-noto-core) to run the shaping tests"
        )
        print(reason)
        pytest.skip(reason)
    deck = tmp_path / name
    shutil.copytree(ROOT / "tests" / "data" / "scripts" / name, deck)
    (deck / "fonts").mkdir()
    for font in FONTS[name]:
        shutil.copy(NOTO / font, deck / "fonts" / font)
    return deck


def _build(deck: Path, out: Path) -> Path:
    result = run_cli(
        "build", "--deck", str(deck), "--out", str(out), "--no-booklet", "--no-instructions"
    )
    assert result.returncode == 0, result.stderr
    return out / "kaarten.pdf"


def test_which_text_is_shaped() -> None:
    assert shaping.needs_shaping("किताब") and shaping.needs_shaping("مرحبا")
    assert not shaping.needs_shaping("Les secours sur les réseaux sociaux — Привет")
    assert shaping.is_rtl("مرحبا Kortrijk") and not shaping.is_rtl("Kortrijk مرحبا")


def test_mixed_runs_are_put_in_visual_order() -> None:
    # an Arabic sentence with a Latin name and a number: the Latin word and the number keep
    # their place in the right-to-left order of the words
    words = ["في", "Kortrijk", "منذ", "2020"]
    assert shaping.visual_words(words) == ["2020", "منذ", "Kortrijk", "في"]
    assert shaping.visual_words(["Le", "mot", "مرحبا", "بكم", "ici"]) == [
        "Le",
        "mot",
        "بكم",
        "مرحبا",
        "ici",
    ]


def test_the_devanagari_vowel_sign_i_stands_left_of_its_consonant(tmp_path: Path) -> None:
    pdf = _build(_deck("hindi", tmp_path), tmp_path / "out")
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0].get_textpage()
    chars = [(page.get_text_range(i, 1), page.get_charbox(i)) for i in range(page.count_chars())]
    doc.close()
    # the title is कि ता ब: consonant KA (U+0915), then the vowel sign I (U+093F). Shaped, the
    # sign is drawn first, to the left of KA; reportlab names that contextual glyph with a
    # private-use character, so it is found as the glyph drawn in KA's place on the line.
    ka = next(i for i, (ch, _) in enumerate(chars) if ch == "\u0915")
    sign = ka - 1
    assert chars[sign][0] in ("\u093f",) or 0xE000 <= ord(chars[sign][0]) <= 0xF8FF
    sign_left, _, sign_right, _ = chars[sign][1]
    ka_left, ka_bottom, ka_right, ka_top = chars[ka][1]
    assert sign_left < ka_left, (chars[sign], chars[ka])
    # and on the same line: the sign's box overlaps KA's vertically
    assert chars[sign][1][1] < ka_top and chars[sign][1][3] > ka_bottom


def _drawn_outlines(pdf: Path, font_name: str) -> list:
    """The outlines of the glyphs the first page draws in `font_name`, in drawing order."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    reader = pypdf.PdfReader(pdf)
    page = reader.pages[0]
    resources = pdfread.page_fonts(page)
    faces = {}
    for key, ref in resources.items():
        font = ref.get_object()
        if font_name in str(font["/BaseFont"]):
            data = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            faces[key] = TTFont(io.BytesIO(data))
    assert faces, f"no {font_name} on the page"
    outlines = []
    current = None
    content = pypdf.generic.ContentStream(page.get_contents(), reader)
    for operands, op in content.operations:
        if op == b"Tf":
            current = operands[0]
        elif op in (b"Tj", b"TJ") and current in faces:
            face = faces[current]
            cmap = face["cmap"].tables[0].cmap
            glyphs = face.getGlyphSet()
            parts = operands[0] if op == b"TJ" else [operands[0]]
            for part in parts:
                if isinstance(
                    part, (pypdf.generic.ByteStringObject, pypdf.generic.TextStringObject)
                ):
                    raw = (
                        part.original_bytes
                        if isinstance(part, pypdf.generic.TextStringObject)
                        else bytes(part)
                    )
                    for code in raw:
                        pen = DecomposingRecordingPen(glyphs)
                        glyphs[cmap[code]].draw(pen)
                        outlines.append(tuple(pen.value))
    return outlines


def _harfbuzz_outlines(font_path: Path, text: str, shaped: bool = True) -> list:
    """The outlines HarfBuzz chooses for `text` (visual order), or the font's nominal glyphs
    in logical order when `shaped` is False."""
    import uharfbuzz as hb
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_path))
    order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
    if shaped:
        blob = hb.Blob.from_file_path(str(font_path))
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        hb.shape(hb.Font(hb.Face(blob)), buf, {"kern": True, "liga": True})
        names = [order[info.codepoint] for info in buf.glyph_infos]
    else:
        cmap = font.getBestCmap()
        names = [cmap[ord(ch)] for ch in text]
    outlines = []
    for name in names:
        pen = DecomposingRecordingPen(glyphs)
        glyphs[name].draw(pen)
        outlines.append(tuple(pen.value))
    return outlines


def _contains(haystack: list, needle: list) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


def test_arabic_letters_are_joined_as_harfbuzz_shapes_them(tmp_path: Path) -> None:
    deck = _deck("arabic", tmp_path)
    pdf = _build(deck, tmp_path / "out")
    bold = deck / "fonts" / FONTS["arabic"][1]  # card titles are bold
    drawn = _drawn_outlines(pdf, "NotoNaskhArabic-Bold")
    for word in ("مرحبا", "بكم"):
        expected = _harfbuzz_outlines(bold, word)
        assert _contains(drawn, expected), word
        # without shaping the letters would stand alone, in logical order: a different drawing
        assert expected != _harfbuzz_outlines(bold, word, shaped=False)
        assert not _contains(drawn, _harfbuzz_outlines(bold, word, shaped=False))


def test_right_to_left_lines_are_aligned_right(tmp_path: Path) -> None:
    pdf = _build(_deck("arabic", tmp_path), tmp_path / "out")
    doc = pdfium.PdfDocument(str(pdf))
    page = doc[0].get_textpage()
    chars = [(page.get_text_range(i, 1), page.get_charbox(i)) for i in range(page.count_chars())]
    doc.close()
    # the card's safe area on the sheet: the first slot, 3 mm bleed and 3 mm safe margin
    slot = json.loads(pdf.with_suffix(".layout.json").read_text())["pages"][0]["slots"][0]
    right = slot["trim"][2] - 3 * 72 / 25.4
    arabic = sorted(
        ((bottom + top) / 2, rgt)
        for ch, (_, bottom, rgt, top) in chars
        if ch and "\u0600" <= ch <= "\u06ff" and slot["trim"][1] < bottom < slot["trim"][3]
    )
    lines: list[list[float]] = []  # the right edges of the glyphs of each line, top line last
    for i, (mid, rgt) in enumerate(arabic):
        if i == 0 or mid - arabic[i - 1][0] > 4:
            lines.append([])
        lines[-1].append(rgt)
    lines.pop()  # the colour band's label, which is not aligned to the text
    assert len(lines) >= 4  # the title and three lines of text
    for edge in (max(line) for line in lines):
        assert right - 4 < edge <= right + 0.5, (edge, right)


def test_a_shaped_text_too_long_for_the_card_exits_5(tmp_path: Path) -> None:
    deck = _deck("hindi", tmp_path)
    cards = deck / "cards" / "a.yaml"
    text = cards.read_text(encoding="utf-8")
    cards.write_text(text.replace("एक छोटे प्रयोग से करें।", "एक छोटे प्रयोग से करें। " * 80))
    result = run_cli("build", "--deck", str(deck), "--out", str(tmp_path / "out"))
    assert result.returncode == 5
    assert "card A1: the text does not fit" in result.stderr


def test_check_exits_5_when_the_font_has_no_glyphs_for_the_texts(tmp_path: Path) -> None:
    # as build does (the design engine's glyph check, one for both): the card, the element,
    # the fonts of the chain and the first missing characters
    deck = tmp_path / "hindi"
    shutil.copytree(ROOT / "tests" / "data" / "scripts" / "hindi", deck)
    deck_yaml = deck / "deck.yaml"
    text = deck_yaml.read_text(encoding="utf-8")
    deck_yaml.write_text(text[: text.index("style:")] + text[text.index("segments:") :], "utf-8")
    result = run_cli("check", "--deck", str(deck))
    build = run_cli("build", "--deck", str(deck), "--out", str(tmp_path / "out"))
    assert result.returncode == build.returncode == 5
    assert result.stderr == build.stderr
    cards = display(deck / "cards" / "a.yaml")
    lines = result.stderr.splitlines()
    assert (
        f"{cards}:2:5: card A1: the title has characters the font Lato-Bold (bold) cannot draw: "
        "'क' (U+0915), 'त' (U+0924), 'ब' (U+092C), 'ा' (U+093E), 'ि' (U+093F); name a font "
        "that has them in deck.yaml (style: fonts:) or replace them."
    ) in lines
    text_line = next(x for x in lines if x.startswith(f"{cards}:2:5: card A1: the text has"))
    assert text_line.count("(U+") == 10 and " and 28 more; name a font" in text_line


def test_check_names_the_decks_own_font_that_lacks_glyphs(tmp_path: Path) -> None:
    deck = _deck("hindi", tmp_path)
    cards = deck / "cards" / "a.yaml"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace("title: किताब", "title: किताब مرحبا"), "utf-8"
    )
    result = run_cli("check", "--deck", str(deck))
    assert result.returncode == 5
    assert result.stderr.splitlines()[0] == (
        f"{display(cards)}:2:5: card A1: the title has characters the fonts "
        "NotoSansDevanagari-Bold.ttf, then Lato-Bold (bold) cannot draw: 'ا' (U+0627), "
        "'ب' (U+0628), 'ح' (U+062D), 'ر' (U+0631), 'م' (U+0645); name a font that has them "
        "in deck.yaml (style: fonts:) or replace them."
    )


def display(path: Path) -> str:
    from kaartspel.source import display_path

    return display_path(path)


def _fonts_of_runs(pdf: Path, page: int = 0) -> list[tuple[str, str]]:
    """(font's BaseFont, text) of each text run the page draws, by pypdf's visitor."""
    runs: list[tuple[str, str]] = []

    def visit(text: str, cm: object, tm: object, font: object, size: object) -> None:
        if text.strip() and font is not None:
            runs.append((str(font["/BaseFont"]), text))  # type: ignore[index]

    pypdf.PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return runs


def test_the_latin_footer_of_a_devanagari_card_is_set_in_the_bundled_lato(
    tmp_path: Path,
) -> None:
    # the Noto Devanagari font has no Latin letters: the footer's "A1 · v1" falls back to the
    # bundled Lato, the last font of every chain, and the Devanagari text stays in Noto
    pdf = _build(_deck("hindi", tmp_path), tmp_path / "out")
    runs = _fonts_of_runs(pdf)
    lato = "".join(text for font, text in runs if "Lato" in font)
    noto = "".join(text for font, text in runs if "NotoSansDevanagari" in font)
    assert "A" in lato and "v" in lato and "·" in lato, runs
    assert "\u0915" in noto or any(0xE000 <= ord(ch) <= 0xF8FF for ch in noto), runs
    assert not any(ch in noto for ch in "Av·"), runs
    page_text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert "A1 · v1" in page_text


def test_a_chain_of_deck_fonts_draws_each_script_in_the_font_that_has_it(tmp_path: Path) -> None:
    # style: fonts: as a list: Devanagari first, Arabic next, the bundled Lato last; a title
    # in three scripts passes check (the glyph scan reads the whole chain) and builds
    deck = _deck("hindi", tmp_path)
    for font in FONTS["arabic"]:
        if not (NOTO / font).is_file():
            pytest.skip(f"{font} not in {NOTO}: install fonts-noto-core")
        shutil.copy(NOTO / font, deck / "fonts" / font)
    deck_yaml = deck / "deck.yaml"
    deck_yaml.write_text(
        deck_yaml.read_text(encoding="utf-8").replace(
            "fonts: {regular: fonts/NotoSansDevanagari-Regular.ttf, "
            "bold: fonts/NotoSansDevanagari-Bold.ttf}",
            "fonts:\n    regular: [fonts/NotoSansDevanagari-Regular.ttf, "
            "fonts/NotoNaskhArabic-Regular.ttf]\n"
            "    bold: [fonts/NotoSansDevanagari-Bold.ttf, fonts/NotoNaskhArabic-Bold.ttf]",
        ),
        "utf-8",
    )
    cards = deck / "cards" / "a.yaml"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace("title: किताब", "title: किताब مرحبا Book"),
        "utf-8",
    )
    result = run_cli("check", "--deck", str(deck))
    assert result.returncode == 0, result.stderr
    pdf = _build(deck, tmp_path / "out")
    runs = _fonts_of_runs(pdf)
    by_font = {
        name: "".join(t for f, t in runs if name in f)
        for name in ("NotoSansDevanagari-Bold", "NotoNaskhArabic-Bold", "Lato-Bold")
    }
    assert "Book" in by_font["Lato-Bold"], runs
    assert by_font["NotoNaskhArabic-Bold"].strip(), runs
    assert by_font["NotoSansDevanagari-Bold"].strip(), runs
    # and the Arabic word is joined as HarfBuzz shapes it in the Arabic font
    drawn = _drawn_outlines(pdf, "NotoNaskhArabic-Bold")
    assert _contains(drawn, _harfbuzz_outlines(deck / "fonts" / FONTS["arabic"][1], "مرحبا"))


def test_an_empty_font_list_is_located(tmp_path: Path) -> None:
    deck = tmp_path / "hindi"
    shutil.copytree(ROOT / "tests" / "data" / "scripts" / "hindi", deck)
    deck_yaml = deck / "deck.yaml"
    text = deck_yaml.read_text(encoding="utf-8")
    start, end = text.index("style:"), text.index("segments:")
    deck_yaml.write_text(text[:start] + "style:\n  fonts: {regular: []}\n" + text[end:], "utf-8")
    result = run_cli("check", "--deck", str(deck))
    assert result.returncode == 3
    assert result.stderr.splitlines()[0] == (
        f"{display(deck_yaml)}:7:20: style.fonts.regular: the list is empty; name a font file"
    )


def test_latin_words_in_a_devanagari_booklet_are_set_in_lato(tmp_path: Path) -> None:
    deck = _deck("hindi", tmp_path)
    (deck / "rules.md").write_text(
        "# खेल के नियम\n\nहर खिलाड़ी एक कार्ड लेता है। **OWASP** के बारे में बात करें।\n\n"
        "- पहला कदम (step one)\n- दूसरा कदम\n",
        "utf-8",
    )
    out = tmp_path / "out"
    result = run_cli("build", "--deck", str(deck), "--out", str(out))
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(out / "spelregels.pdf")
    page = next(i for i, p in enumerate(reader.pages) if "OWASP" in p.extract_text())
    runs = _fonts_of_runs(out / "spelregels.pdf", page)
    latin = "".join(text for font, text in runs if "Lato" in font)
    assert "OWASP" in latin and "step one" in latin and "•" in latin, runs
    assert "(step one)" in reader.pages[page].extract_text()
