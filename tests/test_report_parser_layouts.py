"""The parser on layouts the repository has no file of, each built from a real report
(`report_layouts`): a third list column, headings in a flattened header with lists as plain
runs, every signal of the framework version, previous evaluations in any phrasing and their
results stated in words."""

import json
from decimal import Decimal
from functools import cache

import pytest

from evaluations.report_parser import ParsedReport, load_reference, parse_report, version_in_use

from .report_layouts import (
    REPORT_NAMES,
    REPORTS_DIR,
    flat,
    headings_in_header,
    report_text,
    split_improvements,
    three_columns,
    truncated,
    with_page_headers,
    with_sentences,
)
from .test_report_parser import HEADER_POINTS, figures

FRAMEWORKS, MUNICIPALITIES = load_reference(REPORTS_DIR.parent)
# Kalix 2012 as printed: strengths and improvement points per area.
KALIX_LIST_COUNTS = [(3, 4), (3, 4), (4, 5), (3, 3), (3, 3), (4, 5), (4, 4), (4, 2)]
LIST_HEADERS = ("Styrkor", "Förbättringsmöjligheter", "Svagheter")
# Inserted into Luleå 2018's summary: how reports state the previous result (the figures are
# the ones DOMAIN.md quotes from such a report; 575 and 69 are Luleå 2018's own).
STATED = (
    "Luleå har förbättrats från totalt 551 till 575 poäng sedan utvärderingen 2015. "
    "Inom område 6 gick kommunen från 59 till 69 poäng."
)


def parse(text: str) -> ParsedReport:
    return parse_report(text, frameworks=FRAMEWORKS, municipalities=MUNICIPALITIES)


@cache
def original(name: str) -> ParsedReport:
    return parse(report_text(name))


def lists(report: ParsedReport) -> list[tuple[list[str], list[str], list[str]]]:
    return [(a.strengths, a.improvements, a.weaknesses) for a in report.areas]


def list_warnings(report: ParsedReport) -> list[str]:
    words = ("utelämna", "kolumn", "heuristiskt")
    return [w for w in report.warnings if any(word in w for word in words)]


# --- a third column: weaknesses ------------------------------------------------------------------


def expected_three_columns(name: str = "kalix") -> list[tuple[list[str], list[str], list[str]]]:
    return [
        (strengths, *split_improvements(improvements))
        for strengths, improvements, _weaknesses in lists(original(name))
    ]


def test_the_real_reports_list_no_weaknesses():
    for name in ("kalix", "lulea", "lindesberg"):
        assert all(a.weaknesses == [] for a in original(name).areas)
    assert [(len(a.strengths), len(a.improvements)) for a in original("kalix").areas] == (
        KALIX_LIST_COUNTS
    )


SHAPES = {"lines": lambda text: text, "flat": flat, "paged": with_page_headers}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", ["kalix", "lulea"])
def test_three_columns_give_strengths_improvements_and_weaknesses(name, shape):
    report = parse(SHAPES[shape](three_columns(report_text(name))))
    assert report.shape == ("lines" if shape == "lines" else "flat")
    assert lists(report) == expected_three_columns(name)
    counts = [(len(s), len(i), len(w)) for s, i, w in lists(report)]
    assert counts == [(s, (i + 1) // 2, i // 2) for s, i in PRINTED_COUNTS[name]]
    assert area_items_are_clean(report)
    assert list_warnings(report) == []
    # The figures and warnings do not move.
    untouched = original(name) if shape == "lines" else parse(SHAPES[shape](report_text(name)))
    assert figures(report) == figures(original(name))
    assert report.warnings == untouched.warnings


def area_items_are_clean(report: ParsedReport) -> bool:
    for area in report.areas:
        for item in (*area.strengths, *area.improvements, *area.weaknesses):
            if item in LIST_HEADERS or "--" in item or "Sveriges Kommuner" in item:
                return False
            if "Område" in item or "Rubriker" in item:
                return False
    return True


def test_the_area_text_ends_before_the_three_columns():
    report = parse(three_columns(report_text("kalix")))
    assert [a.text for a in report.areas] == [a.text for a in original("kalix").areas]


def test_a_header_row_repeated_by_a_page_break_is_dropped_with_a_warning():
    report = parse(three_columns(report_text("kalix"), repeat_header_in_area=3))
    assert lists(report) == expected_three_columns()
    assert list_warnings(report) == [
        "Område 3: upprepade kolumnrubriker utelämnade ur en styrka (”Styr- och "
        "ledningssystemet och övergripande verksamhetsplan…”)."
    ]


def test_a_page_header_in_another_shape_is_dropped_from_an_item_with_a_warning():
    header = "Sveriges Kommuner och Landsting 2012-12-10 Sida 14"
    text = report_text("kalix").replace("• Webbsända KF möten", f"• Webbsända KF {header} möten")
    report = parse(text)
    assert lists(report) == lists(original("kalix"))
    assert list_warnings(report) == [
        "Område 1: ett sidhuvud utelämnat ur en styrka (”Webbsända KF Sveriges Kommuner och "
        "Landsting 2012-12-10 Sid…”)."
    ]


def test_a_column_header_is_never_an_item():
    # A page break repeats the header row among one-item-per-line columns (Lindesberg area 3).
    text = report_text("lindesberg").replace(
        "Resultatdialoger\tHistorik", "Styrkor\tFörbättringsmöjligheter\nResultatdialoger\tHistorik"
    )
    report = parse(text)
    assert lists(report) == lists(original("lindesberg"))
    assert list_warnings(report) == [
        "Område 3: ”Styrkor” är en rubrik, inte en styrka – utelämnad.",
        "Område 3: ”Förbättringsmöjligheter” är en rubrik, inte en förbättringsmöjlighet – "
        "utelämnad.",
        *list_warnings(original("lindesberg")),  # area 5's plain run, as before
    ]


def test_dashes_inside_an_item_are_dropped_with_a_warning():
    text = report_text("kalix").replace("• Webbsända KF möten", "• Webbsända KF möten ---------")
    report = parse(text)
    assert lists(report) == lists(original("kalix"))
    assert list_warnings(report) == [
        "Område 1: en rad streck utelämnad ur en styrka (”Webbsända KF möten ---------”)."
    ]


# --- previous results stated in words ---------------------------------------------------------


@pytest.mark.parametrize("shape", ["lines", "flat"])
def test_a_previous_result_stated_in_words_is_read(shape):
    text = with_sentences(report_text("lulea"), STATED)
    report = parse(text if shape == "lines" else flat(text))
    stated = report.previous_stated
    assert (stated.year, stated.framework_version) == (2015, "2010")
    assert (stated.total, stated.areas) == (551, {6: 59})
    assert stated.source == STATED
    assert report.as_dict()["previous_stated"] == {
        "year": 2015,
        "total": 551.0,
        "areas": {"6": 59.0},
        "source": STATED,
    }
    assert json.dumps(report.as_dict())


def test_the_real_reports_state_no_previous_result():
    for name in ("kalix", "lulea", "lindesberg"):
        assert original(name).previous_stated is None
        assert original(name).as_dict()["previous_stated"] is None


def test_a_change_in_an_area_section_belongs_to_that_area():
    text = report_text("lulea").replace(
        "Luleå är ett gott exempel på systematiskt arbete kring kommunikation.",
        "Området har förbättrats från 64 till 79 poäng.",
    )
    stated = parse(text).previous_stated
    assert (stated.year, stated.total, stated.areas) == (2015, None, {1: Decimal(64)})


def test_a_change_that_is_not_this_reports_score_is_not_taken_and_says_so():
    text = with_sentences(
        report_text("lulea"), "Område 6 gick från 59 till 66 poäng mellan mätningarna."
    )
    report = parse(text)
    assert report.previous_stated is None
    assert (
        "Meningen ”Område 6 gick från 59 till 66 poäng mellan mätningarna.” anger 66 för "
        "område 6, men rapporten ger 69 eller 71 – den sparas inte som föregående resultat."
    ) in report.warnings


def test_changes_that_are_no_scores_are_ignored():
    text = with_sentences(
        report_text("lulea"),
        "Andelen e-tjänster har ökat från 40 till 55 procent. Antalet chattar gick från 3 till 8.",
    )
    report = parse(text)
    assert report.previous_stated is None
    assert report.warnings == original("lulea").warnings


def test_a_result_from_before_2010_is_not_kept_and_the_warning_says_why():
    # Kalix's previous evaluation was 2003, before the first version Kompass holds.
    text = with_sentences(
        report_text("kalix"), "Kalix gick från totalt 551 till 415.", after="genomfördes 2003. "
    )
    report = parse(text)
    assert report.previous_year == 2003
    assert report.previous_stated is None
    assert (
        "Rapporten anger resultatet 2003 (totalt 551), men Kompass har ingen ramverksversion "
        "för 2003 (den första är från 2010) – uppgiften sparas inte." in report.warnings
    )


@pytest.mark.parametrize(
    ("year", "version"),
    [(2009, None), (2010, "2010"), (2015, "2010"), (2016, "2016"), (2019, "2016"), (2024, "2020")],
)
def test_the_version_in_use_follows_the_year(year, version):
    assert version_in_use(year, FRAMEWORKS) == version


# --- headings in a flattened header, lists as plain runs ---------------------------------------

# (strengths, improvement points) per area as the reports print them, and as the plain runs
# are split: equal but for the items that a run cannot tell apart (see below).
PLAIN_RUN_COUNTS = {
    "kalix": [(3, 4), (3, 4), (4, 5), (3, 3), (3, 3), (4, 5), (4, 4), (4, 2)],
    "lulea": [(9, 7), (8, 6), (7, 9), (7, 5), (6, 7), (6, 5), (6, 5), (5, 3)],
    "lindesberg": [(8, 9), (12, 7), (9, 11), (2, 8), (5, 5), (3, 9), (19, 3), (14, 6)],
}
PRINTED_COUNTS = {
    "kalix": KALIX_LIST_COUNTS,
    "lulea": [(9, 6), (8, 6), (7, 9), (7, 5), (6, 7), (6, 5), (6, 5), (5, 3)],
    "lindesberg": [(9, 8), (12, 7), (9, 9), (2, 8), (5, 5), (3, 6), (18, 3), (12, 5)],
}


@cache
def headed(name: str) -> ParsedReport:
    return parse(with_page_headers(headings_in_header(report_text(name))))


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_headings_in_the_header_give_every_section_and_the_same_figures(name):
    report = headed(name)
    assert report.shape == "flat"
    assert figures(report) == figures(original(name))
    assert [a.header_points for a in report.areas] == HEADER_POINTS[name]
    assert [a.title for a in report.areas] == [a.title for a in original(name).areas]
    assert [a.text.split() for a in report.areas] == [a.text.split() for a in original(name).areas]
    assert report.version_signal == "tables"


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_plain_run_lists_are_split_and_each_guess_names_its_area(name):
    report = headed(name)
    assert [(len(s), len(i)) for s, i, _w in lists(report)] == PLAIN_RUN_COUNTS[name]
    assert [(len(s), len(i)) for s, i, _w in lists(original(name))] == PRINTED_COUNTS[name]
    assert [w for w in report.warnings if "heuristiskt" in w] == [
        f"Område {n}: listan delades upp heuristiskt (löpande text utan avgränsare)."
        for n in range(1, 9)
    ]
    assert area_items_are_clean(report)


def test_a_plain_run_keeps_names_quotes_and_abbreviations_inside_their_items():
    kalix, lulea = headed("kalix"), headed("lulea")
    assert lists(kalix) == lists(original("kalix"))
    for number in range(1, 9):
        if number != 1:
            assert lists(lulea)[number - 1] == lists(original("lulea"))[number - 1], number
    assert "Medborgarbudget i Råneå" in lulea.areas[0].strengths  # not split before "Råneå"
    assert "Tydliga strategier för området i ”Vision Luleå 2050”" in lulea.areas[7].strengths
    assert "Jämförelser genom KKiK" in lulea.areas[2].strengths  # split after "KKiK"
    # What a run cannot tell: "Använd Facebook …" reads as two items.
    assert lulea.areas[0].improvements[-3:-1] == [
        "Använd",
        "Facebook till medborgarinformation (politik)",
    ]


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_a_truncated_flattened_report_keeps_its_header_scores_and_titles(name):
    """Without the word "Rubriker" the title runs on into the headings: its start matches."""
    text = with_page_headers(truncated(headings_in_header(report_text(name), rubriker=False)))
    report = parse(text)
    full = original(name)
    assert [a.header_points for a in report.areas] == HEADER_POINTS[name]
    assert (report.framework_version, report.version_signal) == (full.framework_version, "titles")
    assert (
        f"Ramverksversion {full.framework_version} vald efter områdesrubrikerna "
        "(översiktstabellerna saknas)." in report.warnings
    )
    titles = [a["title"] for a in FRAMEWORKS_BY_CODE[full.framework_version]["areas"]]
    assert [a.title for a in report.areas] == titles
    assert report.total == (full.printed_total or sum(HEADER_POINTS[name]))


FRAMEWORKS_BY_CODE = {f["code"]: f for f in FRAMEWORKS}


# --- the framework version from every signal ----------------------------------------------------


def test_the_tables_decide_the_real_reports_without_a_warning():
    for name in REPORT_NAMES:
        report = original(name)
        assert (report.version_signal, report.detected_version) == (
            "tables",
            report.framework_version,
        )
        assert not [w for w in report.warnings if "Ramverk" in w or "talar för" in w]


def test_tables_that_fit_their_version_only_in_part_decide_it_and_say_how_far():
    text = report_text("lulea").replace("information?\t11\t15\t75%", "information?\t11\t20\t55%")
    report = parse(text)
    assert (report.framework_version, report.version_signal) == ("2016", "tables")
    assert (
        "Ramverk 2016 valt efter översiktstabellerna, men bara 44 av 45 delfrågor stämmer med "
        "kod och maxpoäng." in report.warnings
    )
    assert "Delfråga 1.1: maxpoäng 20 i tabellen men 15 i ramverk 2016." in report.warnings


def lulea_without_tables_or_area_7() -> str:
    """Luleå 2018 truncated, area 7's title lost: the titles fit 2010 and 2016 alike."""
    text = truncated(report_text("lulea")).replace(
        "Område 7 Ständiga förbättringar\n", "Område 7 X\n"
    )
    return text.replace("Kommunkompassen reviderades åren 2010 och 2016", "Kommunkompassen")


def test_the_text_names_the_2016_version_as_2_1():
    base = lulea_without_tables_or_area_7()
    named = parse(
        base.replace("År 2016 gjordes en revidering", "Version 2.1 innebar en revidering")
    )
    assert (named.framework_version, named.version_signal) == ("2016", "text")
    assert (
        "Ramverksversion 2016 vald efter texten (”Version 2.1”, ”Kommunkompassens innehåll "
        "reviderades 2016”)." in named.warnings
    )


def test_the_latest_revision_the_text_names_decides():
    report = parse(lulea_without_tables_or_area_7())
    assert (report.framework_version, report.version_signal) == ("2016", "text")
    assert (
        "Ramverksversion 2016 vald efter texten (”2016 gjordes en revidering av "
        "Kommunkompass”, ”Kommunkompassens innehåll reviderades 2016”)." in report.warnings
    )


def test_a_weaker_signal_that_disagrees_is_named():
    # Kalix's tables are version 2010's; an evaluation in 2017 would have followed 2016.
    report = parse(report_text("kalix").replace("i november 2012", "i november 2017"))
    assert (report.framework_version, report.version_signal) == ("2010", "tables")
    assert [w for w in report.warnings if "talar för" in w] == [
        "Men utvärderingsåret 2017 talar för version 2016."
    ]


def test_staff_choose_the_version_over_the_reports_signals():
    report = parse_report(
        truncated(report_text("kalix")),
        frameworks=FRAMEWORKS,
        municipalities=MUNICIPALITIES,
        version="2016",
    )
    assert (report.framework_version, report.detected_version) == ("2016", "2010")
    assert report.version_signal == "staff"
    assert (
        "Ramverksversion 2016 vald av personalen; rapporten själv pekar på 2010 (efter "
        "områdesrubrikerna)." in report.warnings
    )
    same = parse_report(
        report_text("kalix"), frameworks=FRAMEWORKS, municipalities=MUNICIPALITIES, version="2010"
    )
    assert same.version_signal == "tables" and same.warnings == original("kalix").warnings


# --- the previous evaluation, in any phrasing -------------------------------------------------


@pytest.mark.parametrize(
    "phrase",
    [
        "Luleå 2018 jämfört med utvärderingen 2014",
        "Luleå 2018 jämfört med 2014",
        "Jämfört med 2014 års utvärdering",
        "Sedan förra utvärderingen, som gjordes 2014, har mycket hänt",
        "Vid den föregående utvärderingen år 2014 fick kommunen färre poäng",
        "Kommunen utvärderades senast år 2014",
        "Luleå utvärderades förra gången i mars 2014",
        "Den förra utvärderingen genomfördes i maj 2014",
        "Luleå har sedan Kommunkompassutvärderingen 2014 arbetat vidare",
        "Vid utvärderingen i maj 2014 fick Luleå färre poäng",
        "Jämfört med 2014 har kommunen gått framåt",
        "I jämförelse med år 2014 har Luleå ökat",
        "Sedan förra Kommunkompassen 2014 har mycket hänt",
        "Luleå har utvärderats tre gånger tidigare: 2008, 2011 och 2014",
        "Mellan 2014 och 2018 har Luleå ökat",
    ],
)
def test_the_previous_evaluations_year_is_found_in_any_phrasing(phrase):
    text = (
        report_text("lulea")
        .replace("Luleå 2018 jämfört med utvärderingen 2015", phrase)
        .replace("mellan åren 2015 och 2018", "mellan utvärderingarna")
    )
    report = parse(text)
    assert report.previous_year == 2014
    assert not [w for w in report.warnings if "förra utvärderingen" in w or "i ordningen" in w]


@pytest.mark.parametrize(
    "phrase",
    [
        "Jämfört med 2014 års budget har kostnaderna ökat",
        "Som referens visas kommuner som utvärderats enligt Kommunkompassen mellan 2010-2014",
        "Luleå utvärderades i oktober 2018",
    ],
)
def test_a_year_that_is_no_previous_evaluations_is_not_taken_for_one(phrase):
    text = (
        report_text("lulea")
        .replace("Luleå 2018 jämfört med utvärderingen 2015", phrase)
        .replace("mellan åren 2015 och 2018", "mellan utvärderingarna")
    )
    report = parse(text)
    assert (report.ordinal, report.previous_year) == (2, None)
    assert "Året för den förra utvärderingen hittades inte." in report.warnings


def test_where_no_previous_year_is_named_the_warning_says_so():
    text = (
        report_text("lulea")
        .replace("Luleå 2018 jämfört med utvärderingen 2015", "Luleås profil")
        .replace("mellan åren 2015 och 2018", "mellan utvärderingarna")
    )
    report = parse(text)
    assert (report.ordinal, report.previous_year) == (2, None)
    assert "Året för den förra utvärderingen hittades inte." in report.warnings
    unnumbered = parse(text.replace("var kommunens andra utvärdering", "var en utvärdering"))
    assert (unnumbered.ordinal, unnumbered.previous_year) == (None, None)
    assert (
        "Rapporten säger inte vilken utvärdering i ordningen det är, och inget år för en "
        "föregående utvärdering hittades." in unnumbered.warnings
    )
