"""Languages in one deck: the French edition of the default deck, fallback and its report,
`--lang all`, the language in the output names, the deck's own wording, calibrate --lang.

Read back as the user gets it: the PDFs' text (pypdf), their QR codes (zxing-cpp), exit codes
and exact messages of the CLI.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest
import yaml
import zxingcpp

from conftest import DEFAULT_DECK, run_cli
from kaartspel import wording
from kaartspel.load import load_deck

FRENCH_FILES = [
    "kaarten-fr.pdf",
    "kaarten-fr.layout.json",
    "spelregels-fr.pdf",
    "spelregels-fr-boekje.pdf",
    "planblad-fr.pdf",
    "planblad-fr-a4.pdf",
]
DUTCH_FILES = [
    "kaarten.pdf",
    "kaarten.layout.json",
    "spelregels.pdf",
    "spelregels-boekje.pdf",
    "planblad.pdf",
    "planblad-a4.pdf",
]

# Words a French page may share with the Dutch texts of the deck, each for a reason:
# French (or international) words that Dutch uses too ...
_SHARED = (
    "agent alibi app badges budget café cafés campagnes code codes complot contact deck diamant "
    "dit district dossier dossiers duo enquête expert internet joker jokers judo jury magazine "
    "min niveau open panel papier parlement pas patrouilles pdf plan plus police rapport route "
    "score segment site smartphone tel test zone zones via marge source version"
    # ... and the words of kaartspel's command line, printed as commands
    " build calibrate back offset"
)
SHARED_WORDS = frozenset(_SHARED.split())
# ... and names: places, people, organisations, initiatives and the titles of cited works,
# which stay in their own language (English or Dutch) in every edition.
_NAMES = """
    bilt amsterdam anzegem apeldoorn breda charleroi chicago diest dilbeek dordrecht eindhoven
    enschede europe hillesluis hoogveld hoorn laarne lawndale ledegem leuven little village
    north molenbeek oostwiele ostbelgien quévy rhode schelde rotterdam slotervaart sluizeken
    tolhuis ham utrecht venlo voorkempen wetteren wielegem woensel west borinage midden
    nederland schilderswijk cambridge
    anne faber arnstein brans caprasse cole colsoul crosby devroe dienel easton gelders hardyns
    jahmal kop lam mackie maesschalck moor myhill ned pauwels peter ponsaers snaphaan wilcox
    besafe bart burger alert real time vives hogeschool expertisecentrum sociale innovatie
    jes kras jeugdwerk samen straat ovam fost vvsg pivo drog incite dem invocate movisie
    zebra notosh mawadda moderator mypolice facebook twitter whatsapp reppido mooimakers
    partycheckers politiekid politiekids pleinpatron pleinpatrons buurtvaders buurtsignaal
    buurt bestuurt bondgenoten samenspraak achter spiegel wijkbabbelbox cafépol kortrijk
    spreekt toer lomap vik burgerkabinet fuifbuddies kind samenleving urban foxes
    walk girl girls shoes make city block hood coffee cop with cure violence credible
    messengers interrupters tours agent bijt hond slecht nieuws bad news trendsportal
    interreg sounding games hand solution graveyard using designing policy design enterprise
    rose architectural fellowship greater places democracy labs democreatiespel weg met
    gemeente serious game overheidsparticipatie roerdalen participation makingthenetwork
    diamond international jefferson center judo
    gids burgerparticipatie lokale veiligheid veiligheidszorg buurtinformatienetwerken een
    evaluatiestudie basis van mixed method experimenteel schouder aan tijdens vermissing
    politieparticipatie politieacademie politiestudies cahiers maklu ladder citizen the
    journal american institute planners community engagement policing lessons from
    literature national improvement agency
    kaartspel kennismaking planblad inspraak meebeslissen bemiddelen https
"""
NAMES = frozenset(_NAMES.split())
WORD = re.compile(r"[^\W\d_]{3,}")
URL = re.compile(
    r"(?:https?://)?(?:[\w-]+\.)+(?:be|nl|com|org|info|eu|uk|net|gov|de|fr|brussels)(?:/\S*)?"
)


def _words(text: str | None) -> set[str]:
    return set(WORD.findall((text or "").lower()))


def _without_urls(text: str) -> str:
    """Page text without web addresses (printed as they are; a long one wraps after / or -)."""
    out, pos = [], 0
    for found in URL.finditer(text):
        if found.start() < pos:
            continue
        out.append(text[pos : found.start()])
        end = found.end()
        while (
            end < len(text) and text[end - 1] in "/-_" and (more := re.match(r"\n\S+", text[end:]))
        ):
            end += more.end()
        pos = end
    out.append(text[pos:])
    # a word hyphenated at the end of a line is one word
    return re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", "".join(out))


def _dutch_words() -> set[str]:
    """Every word of the deck's Dutch texts, its Dutch rules and kaartspel's Dutch wording."""
    deck = load_deck(DEFAULT_DECK, "nl")
    texts = [deck.title, deck.subtitle, deck.based_on, *deck.authors]
    for s in deck.segments:
        texts += [s.name, s.meaning, *(f.name for f in s.subforms)]
    texts += [p.name for p in deck.phases] + [t.name for t in deck.card_types]
    for facet in deck.facets:
        texts += [facet.name, *facet.values.values()]
    texts += [k.title for k in deck.kits] + [b.text for b in deck.bibliography]
    for c in deck.cards:
        texts += [c.title, c.text, c.answer, c.question, c.place, *(x.label for x in c.links)]
    texts.append((DEFAULT_DECK / "rules.md").read_text(encoding="utf-8"))
    texts += list(wording.for_language("nl")._words.values())
    return set().union(*(_words(t) for t in texts if t))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default deck built three ways: --lang all, plain (Dutch) and --lang fr."""
    out = {}
    for name, args in (("all", ["--lang", "all"]), ("nl", []), ("fr", ["--lang", "fr"])):
        folder = tmp_path_factory.mktemp(f"lang-{name}")
        result = run_cli("build", "--deck", str(DEFAULT_DECK), "--out", str(folder), *args)
        assert result.returncode == 0, result.stderr
        out[name] = folder
        out[name + "-stdout"] = Path(result.stdout)  # type: ignore[assignment]
    return out


def test_french_build_writes_files_named_with_the_language(builds) -> None:
    assert sorted(p.name for p in builds["fr"].iterdir()) == sorted(FRENCH_FILES)
    assert [Path(x).name for x in str(builds["fr-stdout"]).splitlines()] == FRENCH_FILES


def test_lang_all_builds_every_language_byte_identical_to_separate_builds(builds) -> None:
    assert sorted(p.name for p in builds["all"].iterdir()) == sorted(DUTCH_FILES + FRENCH_FILES)
    for name in DUTCH_FILES:
        assert (builds["all"] / name).read_bytes() == (builds["nl"] / name).read_bytes(), name
    for name in FRENCH_FILES:
        assert (builds["all"] / name).read_bytes() == (builds["fr"] / name).read_bytes(), name


@pytest.mark.parametrize("name", ["kaarten-fr.pdf", "spelregels-fr.pdf", "planblad-fr.pdf"])
def test_no_dutch_word_on_any_french_page(builds, name: str) -> None:
    dutch = _dutch_words() - SHARED_WORDS - NAMES
    found: dict[str, int] = {}
    for index, page in enumerate(pypdf.PdfReader(builds["fr"] / name).pages):
        for word in _words(_without_urls(page.extract_text())) & dutch:
            found.setdefault(word, index)
    assert found == {}


def test_the_check_catches_a_dutch_word_on_a_french_card() -> None:
    """The word check itself: a Dutch sentence is caught, a French one with names is not."""
    dutch = _dutch_words() - SHARED_WORDS - NAMES
    assert _words("Inwoners werken mee aan de uitvoering van het veiligheidsbeleid.") & dutch
    assert not _words("Les habitants de Courtrai et BeSafe à Molenbeek-Saint-Jean.") & dutch


def _first_links(language: str) -> dict[str, str]:
    """Each card's first link in `language`, read from the YAML as a translator reads it: a
    link marked with that language first, else the first link that has no language."""
    links = {}
    for path in sorted((DEFAULT_DECK / "cards").glob("*.yaml")):
        for card in yaml.safe_load(path.read_text(encoding="utf-8"))["cards"]:
            usable = [x for x in card.get("links", []) if x.get("lang") in (None, language)]
            usable.sort(key=lambda x: x.get("lang") != language)
            if usable:
                links[card["id"]] = usable[0]["url"]
    return links


def test_every_qr_code_of_the_french_deck_decodes_to_its_first_french_or_fallback_link(
    builds,
) -> None:
    pdf = builds["fr"] / "kaarten-fr.pdf"
    doc = pdfium.PdfDocument(str(pdf))
    decoded = []
    for page in doc:
        image = np.asarray(page.render(scale=150 / 72).to_pil().convert("RGB"))
        decoded += [b.text for b in zxingcpp.read_barcodes(image)]
    doc.close()
    expected = _first_links("fr")
    assert expected["W01"] == "https://www.besafe.be/fr/themes-de-securite/participation-citoyenne"
    assert (
        _first_links("nl")["W01"] == "https://www.besafe.be/nl/veiligheidsthemas/burgerparticipatie"
    )
    assert sorted(decoded) == sorted(expected.values())


def test_the_french_edition_of_the_default_deck_is_complete() -> None:
    result = run_cli("check", "--deck", str(DEFAULT_DECK), "--lang", "fr", "--strict-lang")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: 78 cards")
    assert "untranslated" not in result.stderr


# --- fallback and its report, on a small deck -----------------------------------------------

DECK_YAML = """\
title: {nl: Veilig samen, fr: Ensemble en sécurité}
version: "0.1"
language: nl
languages: [nl, fr]
authors: [{nl: Preventiedienst Wielegem, fr: Service de prévention de Wielegem}]
licence: CC BY 4.0
segments:
  - id: meedoen
    name: {nl: Meedoen, fr: Coproduction}
    phase: uitvoering
    colour: "#1FA878"
    pictogram: hands
    meaning: {nl: Inwoners helpen mee., fr: Les habitants aident.}
    subforms:
      - {id: signaleren, name: {nl: Signaleren, fr: Signalement}}
phases:
  - {id: uitvoering, name: {nl: Beleidsuitvoering, fr: Mise en œuvre}}
card_types:
  - {id: tip, name: {nl: Tip, fr: Conseil}, colour: "#7B3CC8", pictogram: bulb}
facets: {}
bibliography: []
"""
CARDS_YAML = """\
cards:
  - id: P01
    type: tip
    title: {nl: Eerst het doel, fr: D’abord le but}
    text: {nl: Bepaal wat je wilt bereiken., fr: Fixez ce que vous voulez atteindre.}
  - id: P02
    type: tip
    title: Voorzie tijd
    text: {nl: Participatie kost uren., fr: La participation coûte des heures.}
  - id: P03
    type: tip
    title: Bouw vertrouwen
    text: Wie niet gelooft, remt af.
  - id: P04
    type: tip
    title: {nl: Betrek mensen, fr: Impliquez les gens}
    text: Denk aan wie je zelden hoort.
"""


@pytest.fixture
def half_translated(tmp_path: Path) -> Path:
    (tmp_path / "cards").mkdir()
    (tmp_path / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    (tmp_path / "cards" / "tips.yaml").write_text(CARDS_YAML, encoding="utf-8")
    return tmp_path


def test_check_reports_the_untranslated_texts_and_their_cards(half_translated: Path) -> None:
    result = run_cli("check", "--deck", str(half_translated), "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "fr: 4 texts untranslated into 'fr'; on 3 cards: P02, P03, P04 (shown in 'nl')\n"
    )
    assert result.stdout.startswith("OK: 4 cards")


def test_strict_lang_makes_untranslated_texts_an_error(half_translated: Path) -> None:
    result = run_cli("check", "--deck", str(half_translated), "--lang", "fr", "--strict-lang")
    assert result.returncode == 3
    cards = display(half_translated / "cards" / "tips.yaml")
    assert result.stderr.splitlines() == [
        f"{cards}:8:12: cards[1].title: no 'fr' text (falls back to 'nl'); translate it",
        f"{cards}:12:12: cards[2].title: no 'fr' text (falls back to 'nl'); translate it",
        f"{cards}:13:11: cards[2].text: no 'fr' text (falls back to 'nl'); translate it",
        f"{cards}:17:11: cards[3].text: no 'fr' text (falls back to 'nl'); translate it",
        "4 problems found in the deck; nothing was written.",
    ]


def display(path: Path) -> str:
    from kaartspel.source import display_path

    return display_path(path)


def test_a_missing_translation_falls_back_to_the_main_language(half_translated: Path) -> None:
    deck = load_deck(half_translated, "fr")
    texts = {c.id: (c.title, c.text) for c in deck.cards}
    assert texts["P01"] == ("D’abord le but", "Fixez ce que vous voulez atteindre.")
    assert texts["P03"] == ("Bouw vertrouwen", "Wie niet gelooft, remt af.")
    assert [u.card for u in deck.untranslated] == ["P02", "P03", "P03", "P04"]


def test_a_text_without_the_main_language_is_an_error(half_translated: Path) -> None:
    cards = half_translated / "cards" / "tips.yaml"
    cards.write_text(CARDS_YAML.replace("title: Voorzie tijd", "title: {fr: Prévoyez}"))
    result = run_cli("check", "--deck", str(half_translated))
    assert result.returncode == 3
    assert (
        f"{display(cards)}:8:12: card P02, title: there is no 'nl' text here (the deck's main "
        "language); add one ({nl: ...})"
    ) in result.stderr


def test_lang_all_checks_every_language(half_translated: Path) -> None:
    result = run_cli("check", "--deck", str(half_translated), "--lang", "all", "--strict-lang")
    assert result.returncode == 3  # nl passes, then fr has untranslated texts
    assert result.stdout.startswith("OK: 4 cards")


def test_rules_per_language(half_translated: Path, tmp_path_factory) -> None:
    out = tmp_path_factory.mktemp("rules")
    (half_translated / "rules.md").write_text("# Spelregels\n\nSpeel samen.\n", encoding="utf-8")
    result = run_cli("check", "--deck", str(half_translated), "--lang", "fr")
    assert "no rules.fr.md" in result.stderr
    (half_translated / "rules.fr.md").write_text("# Règles\n\nJouez ensemble.\n", "utf-8")
    result = run_cli("build", "--deck", str(half_translated), "--out", str(out), "--lang", "all")
    assert result.returncode == 0, result.stderr
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out / "spelregels-fr.pdf").pages)
    assert "Jouez ensemble." in text and "Speel samen" not in text
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out / "spelregels.pdf").pages)
    assert "Speel samen." in text


def test_missing_glyphs_in_the_rules_of_the_language_built_are_located(
    half_translated: Path, tmp_path_factory
) -> None:
    """The glyph check reads the rules of the language being built, rules.fr.md for fr."""
    out = tmp_path_factory.mktemp("rules")
    (half_translated / "rules.md").write_text("# Spelregels\n\nSpeel samen.\n", "utf-8")
    (half_translated / "rules.fr.md").write_text("# Règles\n\nJouez 参与 ensemble.\n", "utf-8")
    result = run_cli("build", "--deck", str(half_translated), "--out", str(out), "--lang", "fr")
    assert result.returncode == 5
    assert result.stderr.splitlines()[-2:] == [
        f"{display(half_translated / 'rules.fr.md')}:3:7: the font cannot draw '与' (U+4E0E), "
        "'参' (U+53C2); remove or replace them, or name a font that has them (style: fonts: "
        "in deck.yaml).",
        "1 place with characters the font cannot draw; nothing was written.",
    ]
    assert not list(out.iterdir())


# --- the deck's own wording -----------------------------------------------------------------


def test_a_deck_overrides_a_word(half_translated: Path, tmp_path_factory) -> None:
    deck_yaml = half_translated / "deck.yaml"
    deck_yaml.write_text(
        DECK_YAML + "wording:\n  fr:\n    booklet:\n      rules: Comment jouer\n", "utf-8"
    )
    (half_translated / "rules.fr.md").write_text("Jouez ensemble.\n", "utf-8")
    (half_translated / "rules.md").write_text("Speel samen.\n", "utf-8")
    out = tmp_path_factory.mktemp("wording")
    result = run_cli("build", "--deck", str(half_translated), "--out", str(out), "--lang", "fr")
    assert result.returncode == 0, result.stderr
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out / "spelregels-fr.pdf").pages)
    assert "Comment jouer" in text and "Règles du jeu" not in text


def test_an_unknown_wording_key_is_located(half_translated: Path) -> None:
    deck_yaml = half_translated / "deck.yaml"
    deck_yaml.write_text(DECK_YAML + "wording:\n  fr:\n    card:\n      answr: Réponse\n", "utf-8")
    result = run_cli("check", "--deck", str(half_translated))
    assert result.returncode == 3
    assert (
        f"{display(deck_yaml)}:25:7: wording.fr.card.answr: 'card.answr' is not a wording key"
        in (result.stderr)
    )
    assert "did you mean 'card.answer'?" in result.stderr


def test_a_deck_language_without_wording_names_the_missing_keys(half_translated: Path) -> None:
    deck_yaml = half_translated / "deck.yaml"
    deck_yaml.write_text(DECK_YAML.replace("languages: [nl, fr]", "languages: [nl, es]"), "utf-8")
    result = run_cli("check", "--deck", str(half_translated))
    assert result.returncode == 3
    assert f"{display(deck_yaml)}:4:12: languages: kaartspel has no wording in 'es' for " in (
        result.stderr
    )


# --- calibrate --lang -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "name", "title"),
    [
        ("fr", "kalibratie-fr.pdf", "Feuille d’étalonnage pour l’impression recto verso"),
        ("en", "kalibratie-en.pdf", "Calibration sheet for double-sided printing"),
        ("nl", "kalibratie.pdf", "Kalibratieblad voor dubbelzijdig printen"),
    ],
)
def test_calibrate_in_a_language(tmp_path: Path, lang: str, name: str, title: str) -> None:
    result = run_cli("calibrate", "--lang", lang, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [Path(x).name for x in result.stdout.splitlines()] == [name]
    text = pypdf.PdfReader(tmp_path / name).pages[0].extract_text()
    assert title in text


def test_calibrate_refuses_a_language_kaartspel_does_not_ship(tmp_path: Path) -> None:
    result = run_cli("calibrate", "--lang", "xx", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "'xx' is not a language kaartspel ships (known: en, fr, nl)" in result.stderr


def test_site_in_another_language_goes_to_its_own_folder(tmp_path: Path) -> None:
    shutil.copytree(DEFAULT_DECK, tmp_path / "deck")
    result = run_cli(
        "site", "--deck", str(tmp_path / "deck"), "--out", str(tmp_path / "site"), "--lang", "all"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    french = (tmp_path / "site" / "fr" / "index.html").read_text(encoding="utf-8")
    assert 'lang="fr"' in french
    assert "Les secours sur les réseaux sociaux" in french


def test_a_french_quotation_breaks_inside_its_word_not_after_the_guillemet() -> None:
    # « Samenspraak » is held together by no-break spaces; hyphenated, the break falls in the
    # word (« Samens-|praak »), never right after the opening guillemet (« -|Samenspraak »)
    from kaartspel import fonts
    from kaartspel.text import Style, wrap

    fonts.use(None)
    quoted = "Moderator a développé «\u00a0Samenspraak\u00a0» à partir du projet"
    for width in range(60, 200, 4):
        lines = wrap(quoted, Style("regular", 9, 1.2), width, "fr")
        assert all(not line.endswith(("«\u00a0-", "«-", "« -")) for line in lines), lines
        assert all(not line.startswith(("\u00a0»", "»")) for line in lines), lines
    assert any(
        line.endswith("«\u00a0Samens-")
        for width in range(60, 200, 4)
        for line in wrap(quoted, Style("regular", 9, 1.2), width, "fr")
    )
