"""The report parser against the three real reports, their flattened and truncated shapes."""

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pytest

from evaluations.report_parser import NotAReportError, ParsedReport, load_reference, parse_report

DATA_DIR = Path(__file__).resolve().parents[1] / "evaluations" / "data"
FRAMEWORKS, MUNICIPALITIES = load_reference(DATA_DIR)
REPORTS = {
    "kalix": "kalix-2012.txt",
    "lulea": "lulea-2018.txt",
    "lindesberg": "lindesberg-2021.txt",
}
OVERVIEW_HEADING = "4. Översikt av poängfördelning"

# Figures as printed: the score in each area's header, and each area's total row in the tables.
HEADER_POINTS = {
    "kalix": [41, 40, 65, 58, 49, 43, 56, 61],
    "lulea": [79, 74, 71, 65, 66, 71, 66, 85],
    "lindesberg": [46, 42, 56, 45, 51, 47, 72, 61],
}
TABLE_POINTS = {
    "kalix": [41, 40, 65, 58, 49, 43, 56, 61],
    "lulea": [79, 74, 72, 65, 66, 69, 65, 85],
    "lindesberg": [47, 42, 56, 46, 52, 47, 72, 61],
}
# A sub-question row of the overview tables in the files, e.g. "1.1\tText\t5\t15\t35 %".
TABLE_ROW = re.compile(
    r"^(?P<code>[1-8]\.\d)[\t ](?P<text>[^\t]*)"
    r"\t(?P<points>\d+)\t(?P<max>\d+)\t(?P<percent>\d+) ?%$",
    re.MULTILINE,
)


def report_text(name: str) -> str:
    return (DATA_DIR / "reports" / REPORTS[name]).read_text(encoding="utf-8")


def parse(text: str) -> ParsedReport:
    return parse_report(text, frameworks=FRAMEWORKS, municipalities=MUNICIPALITIES)


@cache
def parsed(name: str) -> ParsedReport:
    return parse(report_text(name))


def flattened(text: str, every: int) -> str:
    """All line breaks and tabs lost, a page header after about every `every` characters."""
    words, run, page = [], 0, 1
    for word in text.split():
        words.append(word)
        run += len(word) + 1
        if run >= every:
            words.append(f"Sveriges Kommuner och Regioner 2021-03-30 {page} (40)")
            page, run = page + 1, 0
    return " ".join(words)


def truncated(text: str) -> str:
    """The report cut before its overview tables (the table of contents names them too)."""
    return text[: text.rindex(OVERVIEW_HEADING)]


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def area(report: ParsedReport, number: int):
    return report.areas[number - 1]


def framework_questions(version: str) -> dict[int, list[str]]:
    framework = next(f for f in FRAMEWORKS if f["code"] == version)
    return {a["number"]: [q["code"] for q in a["questions"]] for a in framework["areas"]}


def figures(report: ParsedReport) -> tuple:
    """What must not depend on the shape of the text."""
    return (
        report.municipality_code,
        report.municipality_name,
        report.year,
        report.month,
        report.framework_version,
        report.ordinal,
        report.previous_year,
        report.interviewed,
        report.evaluators,
        report.report_date,
        report.printed_total,
        report.total,
        [
            (
                a.number,
                a.header_points,
                a.table_points,
                [
                    (q.code, q.points, q.printed_points, q.max_points, q.printed_percent)
                    for q in a.questions
                ],
            )
            for a in report.areas
        ],
    )


# --- who, when, which version -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "municipality", "year", "month", "version", "ordinal", "previous_year"),
    [
        ("kalix", "2514", "Kalix", 2012, 11, "2010", 2, 2003),
        ("lulea", "2580", "Luleå", 2018, 10, "2016", 2, 2015),
        ("lindesberg", "1885", "Lindesberg", 2021, 3, "2020", 1, None),
    ],
)
def test_identifies_the_evaluation(
    name, code, municipality, year, month, version, ordinal, previous_year
):
    report = parsed(name)
    assert report.shape == "lines"
    assert report.municipality_code == code
    assert report.municipality_name == municipality
    assert (report.year, report.month) == (year, month)
    assert report.framework_version == version
    assert report.ordinal == ordinal
    assert report.previous_year == previous_year


@pytest.mark.parametrize(
    ("name", "evaluators", "report_date"),
    [
        ("kalix", "", None),
        ("lulea", "Ulrika Elming, Gunnar Gidenstam", "2019-01-15"),
        ("lindesberg", "Josephine Härdin, Karolina Dahlblom", "2020-05-11"),
    ],
)
def test_reads_the_title_page_and_interviews(name, evaluators, report_date):
    report = parsed(name)
    assert report.evaluators == evaluators
    assert (report.report_date.isoformat() if report.report_date else None) == report_date
    assert report.interviewed == 40


def test_flags_a_document_dated_before_the_evaluation():
    assert "Dokumentets datum 2020-05-11 ligger före utvärderingen (mars 2021)." in (
        parsed("lindesberg").warnings
    )


@pytest.mark.parametrize(
    ("name", "printed_total", "total"),
    [("kalix", 415, 415), ("lulea", None, 575), ("lindesberg", 420, 420)],
)
def test_total_is_the_printed_total_else_the_sum_of_areas(name, printed_total, total):
    report = parsed(name)
    assert report.printed_total == printed_total
    assert report.total == total


def test_reads_the_summary_comments():
    lulea = parsed("lulea").summary
    assert lulea.startswith("Vid en först anblick kan tyckas att Luleå kommun")
    assert lulea.endswith("leda sin personal till att leverera god välfärd till brukarna.")
    assert lulea.count("\n\n") >= 3
    assert "Detaljerad genomgång" not in lulea
    assert parsed("lindesberg").summary.startswith(
        "I sin första utvärdering enligt kommunkompassen"
    )
    assert parsed("kalix").summary == ""


def test_reads_kortfakta_and_kommungrupp():
    kalix = parsed("kalix")
    assert kalix.kortfakta["Folkmängd 2011"] == "16 591"
    assert kalix.kortfakta["Partier som ingår i styret efter valen 2010"] == "S, V,MP"
    assert len(kalix.kortfakta) == 6
    assert kalix.kommungrupp.startswith("10 Kommuner i glesbefolkad region")
    assert parsed("lulea").kortfakta == {}
    assert parsed("lulea").kommungrupp is None


# --- scores -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
def test_reads_header_and_table_points_of_every_area(name):
    report = parsed(name)
    assert [a.number for a in report.areas] == list(range(1, 9))
    assert [a.header_points for a in report.areas] == HEADER_POINTS[name]
    assert [a.table_points for a in report.areas] == TABLE_POINTS[name]
    assert [a.points for a in report.areas] == TABLE_POINTS[name]


@pytest.mark.parametrize("name", REPORTS)
def test_each_area_has_the_questions_of_its_framework(name):
    report = parsed(name)
    expected = framework_questions(report.framework_version)
    for parsed_area in report.areas:
        assert [q.code for q in parsed_area.questions] == expected[parsed_area.number]


@pytest.mark.parametrize("name", REPORTS)
def test_stored_points_agree_with_every_printed_row(name):
    questions = {q.code: q for a in parsed(name).areas for q in a.questions}
    rows = list(TABLE_ROW.finditer(report_text(name)))
    assert len(rows) == len(questions)
    for row in rows:
        question = questions[row["code"]]
        printed, maximum, percent = Decimal(row["points"]), int(row["max"]), int(row["percent"])
        assert question.printed_points == printed
        assert question.max_points == maximum
        assert question.printed_percent == percent
        assert question.text == row["text"].strip()
        assert question.points == question.points.quantize(Decimal("0.1"))
        assert 0 <= question.points <= maximum
        assert question.points == printed or (
            round_half_up(question.points) == printed
            and round_half_up(question.points / maximum * 100) == percent
        )


def test_points_rounded_in_print_are_stored_from_the_percent():
    lulea = parsed("lulea")
    assert area(lulea, 1).questions[4].points == Decimal("9.5")
    assert area(lulea, 1).questions[0].points == Decimal("11.3")
    assert area(parsed("kalix"), 1).questions[4].points == Decimal("7.7")
    assert "Delfråga 1.5: tryckt 10 av 10 men 95 % – lagrat 9,5." in lulea.warnings


def test_points_that_cannot_match_both_printed_figures_are_kept_as_printed():
    kalix = parsed("kalix")
    # 7 of 15 but 50 %: 7.5 would print as 8, and 7.4 as 49 %.
    assert area(kalix, 2).questions[2].points == 7
    assert (
        "Delfråga 2.3: tryckt 7 av 15 och 50 % går inte ihop med en decimal – de tryckta poängen "
        "behålls." in kalix.warnings
    )
    # 9 of 15 but 63 %: 9.4 fits both, where 9.5 would print as 10.
    assert area(parsed("lulea"), 3).questions[4].points == Decimal("9.4")


# --- discrepancies ------------------------------------------------------------------------------


def header_table_warnings(report: ParsedReport) -> list[str]:
    return [w for w in report.warnings if "skiljer sig från översiktstabellens summa" in w]


def test_warns_where_headers_and_tables_disagree():
    assert header_table_warnings(parsed("lulea")) == [
        "Område 3: rubrikens poäng 71 skiljer sig från översiktstabellens summa 72.",
        "Område 6: rubrikens poäng 71 skiljer sig från översiktstabellens summa 69.",
        "Område 7: rubrikens poäng 66 skiljer sig från översiktstabellens summa 65.",
    ]
    assert [w[:9] for w in header_table_warnings(parsed("lindesberg"))] == [
        "Område 1:",
        "Område 4:",
        "Område 5:",
    ]
    assert header_table_warnings(parsed("kalix")) == []


def test_warns_where_rows_do_not_sum_to_the_area_total():
    assert (
        "Område 3: delfrågornas tryckta poäng summerar till 71 (lagrade 71,8) men tabellens "
        "summa är 72." in parsed("lulea").warnings
    )


def test_warns_where_the_printed_total_differs_from_the_areas():
    assert (
        "Totalen 415 i sammanfattningen skiljer sig från summan av områdespoängen 413."
        in parsed("kalix").warnings
    )
    assert (
        "Totalen 420 i sammanfattningen skiljer sig från summan av områdespoängen 423."
        in parsed("lindesberg").warnings
    )


def test_warns_where_a_table_label_contradicts_the_framework():
    labels = [w for w in parsed("lindesberg").warnings if w.startswith("Översiktstabellen kallar")]
    assert labels == [
        (
            "Översiktstabellen kallar område 1 ”Offentlighet och demokrati”, men i ramverk 2020 "
            "heter det ”Samspel mellan förtroendevalda och medborgare”."
        )
    ]
    assert area(parsed("lindesberg"), 1).title == "Samspel mellan förtroendevalda och medborgare"


def test_warns_about_maxima_and_codes_that_do_not_fit_the_framework():
    text = (
        report_text("lulea")
        .replace("tjänster?\t19\t20\t93%", "tjänster?\t19\t25\t76%")
        .replace("8.7\tHur främjas", "8.8\tHur främjas")
    )
    report = parse(text)
    assert report.framework_version == "2016"
    assert "Delfråga 2.3: maxpoäng 25 i tabellen men 20 i ramverk 2016." in report.warnings
    assert "Delfråga 8.8 finns inte i ramverk 2016." in report.warnings
    assert "Område 8: delfråga 8.7 saknas i översiktstabellen." in report.warnings
    assert (
        "Ramverk 2016 valt efter översiktstabellerna, men bara 43 av 45 delfrågor stämmer med "
        "kod och maxpoäng." in report.warnings
    )


# --- strengths and improvements -----------------------------------------------------------------


def test_reads_ul_bullet_lists_into_two_columns():
    kalix = area(parsed("kalix"), 1)
    assert kalix.strengths == [
        "Kalendarium, kallelser, protokoll tillgängliga på hemsida",
        "Webbsända KF möten",
        "Riktlinjer för representation, mutor och jäv",
    ]
    assert len(kalix.improvements) == 4
    assert kalix.improvements[0] == (
        "En sammanhållen plan för utveckling av demokratin och informationen till medborgarna"
    )
    assert kalix.improvements[-1] == "Informationen om resultat till medborgarna"
    lulea = area(parsed("lulea"), 4)
    assert (len(lulea.strengths), len(lulea.improvements)) == (7, 5)
    assert lulea.strengths[0] == "En ny ledarfilosofi"
    assert lulea.improvements[-1] == "Förväntansdokument i hela organisationen?"


def test_reads_round_bullets_and_html_entities():
    text = report_text("kalix").replace("•", "●").replace("Webbsända KF", "Webbsända KF &amp; KS")
    kalix = area(parse(text), 1)
    assert kalix.strengths[1] == "Webbsända KF & KS möten"
    assert len(kalix.improvements) == 4


def test_reads_paragraph_lists():
    lindesberg = area(parsed("lindesberg"), 1)
    assert (len(lindesberg.strengths), len(lindesberg.improvements)) == (9, 8)
    assert lindesberg.strengths[0] == "Öppna KS"
    assert lindesberg.strengths[1] == "websända KF, KF på ”turné”"
    assert lindesberg.strengths[-1] == (
        "Riktlinje för mutor och jäv, gäller förtroendevalda såväl som tjänstepersoner"
    )
    assert lindesberg.improvements[0] == (
        "Strategi för demokratiutveckling med ett systematiserat utvecklingsarbete"
    )
    assert lindesberg.improvements[-1] == "Whistleblowerfunktion"


def test_reads_tab_separated_pairs_line_by_line():
    lindesberg = area(parsed("lindesberg"), 3)
    assert (len(lindesberg.strengths), len(lindesberg.improvements)) == (9, 9)
    assert lindesberg.strengths[0] == "Styrmodell som verkar i flera led"
    assert lindesberg.strengths[-1] == "Samspel mellan roller"
    assert lindesberg.improvements[0] == "Kommunfullmäktige som styrande organ"
    assert lindesberg.improvements[3] == "Använd ”tillsammansbegreppet”"
    assert lindesberg.improvements[-1] == "Finns oro inför valrörelsen. Finns mod i politiken?"


def test_splits_plain_runs_heuristically_and_says_so():
    report = parsed("lindesberg")
    lindesberg = area(report, 5)
    assert lindesberg.strengths == [
        "Grunduppdrag som uppdrag",
        "Lönekriterier",
        "Metod för feedbackövningar",
        "Stående punkt med goda exempel på nämndssammanträden",
        "Medborgarservice",
    ]
    assert lindesberg.improvements == [
        "Stärkt kund- och brukarperspektiv generellt.",
        "E-tjänster som är fullt ut digitala",
        "Websida med information anpassat till potentiella kundgrupper",
        "Resultat från enkäter på web",
        "Systematiserat och strategiskt arbete med jämförelser",
    ]
    assert [w for w in report.warnings if "heuristiskt" in w] == [
        "Område 5: listan delades upp heuristiskt (löpande text utan avgränsare)."
    ]


def test_area_text_leaves_out_header_and_lists():
    text = area(parsed("kalix"), 1).text
    assert text.startswith("Allmänt\n\nEn kommun är en politiskt styrd organisation")
    assert text.endswith("Den nya internkontrollplanen ligger klar för beslut i KS.")
    assert "Rubriker" not in text
    assert "Styrkor" not in text
    assert "Kalendarium" not in text


# --- other shapes -------------------------------------------------------------------------------


@pytest.mark.parametrize("every", [400, 97])
@pytest.mark.parametrize("name", REPORTS)
def test_flattened_text_gives_the_same_figures(name, every):
    text = flattened(report_text(name), every)
    tables = text[text.rindex("Översikt av poängfördelning") :]
    assert "\n" not in text
    assert "Sveriges Kommuner och Regioner 2021-03-30" in tables
    report = parse(text)
    assert report.shape == "flat"
    assert figures(report) == figures(parsed(name))


@pytest.mark.parametrize("name", REPORTS)
def test_page_headers_pasted_into_words_are_taken_out(name):
    flat = " ".join(report_text(name).split())
    pieces = [flat[i : i + 400] for i in range(0, len(flat), 400)]
    header = "Sveriges Kommuner och Landsting 2018-06-19"
    text = "".join(f"{piece} {header} {n} (34) " for n, piece in enumerate(pieces, 1))
    assert figures(parse(text)) == figures(parsed(name))


@pytest.mark.parametrize("name", ["kalix", "lulea"])
def test_flattened_ul_lists_keep_their_columns(name):
    flat, lines = parse(flattened(report_text(name), 400)), parsed(name)
    for flat_area, line_area in zip(flat.areas, lines.areas, strict=True):
        assert flat_area.strengths == line_area.strengths
        assert flat_area.improvements == line_area.improvements


def test_flattened_lists_without_columns_go_to_strengths_with_a_warning():
    report = parse(flattened(report_text("lindesberg"), 400))
    first = area(report, 1)
    assert first.improvements == []
    assert first.strengths[:2] == ["Öppna KS", "websända KF, KF på ”turné”"]
    assert first.strengths[-1] == "Whistleblowerfunktion"
    assert (
        "Område 1: kolumnerna styrkor och förbättringsmöjligheter gick inte att skilja åt – "
        "allt sparat som styrkor." in report.warnings
    )


@pytest.mark.parametrize("shape", ["lines", "flat"])
@pytest.mark.parametrize("name", REPORTS)
def test_truncated_report_keeps_header_points_only(name, shape):
    text = truncated(report_text(name))
    report = parse(text if shape == "lines" else flattened(text, 400))
    full = parsed(name)
    assert [a.header_points for a in report.areas] == HEADER_POINTS[name]
    assert all(a.table_points is None and a.questions == [] for a in report.areas)
    assert report.framework_version == full.framework_version
    assert report.total == (full.printed_total or sum(HEADER_POINTS[name]))
    assert "Översiktstabellerna saknas – endast områdespoäng (sammanfattning) sparas." in (
        report.warnings
    )
    if shape == "lines" or name != "lindesberg":  # flattened, Lindesberg's columns merge
        whole = full if shape == "lines" else parse(flattened(report_text(name), 400))
        assert [(a.text, a.strengths, a.improvements) for a in report.areas] == [
            (a.text, a.strengths, a.improvements) for a in whole.areas
        ]


def test_truncated_report_without_a_header_score_takes_it_from_the_summary():
    report = parse(truncated(report_text("lindesberg")).replace("<h1>42</h1>", ""))
    assert area(report, 2).header_points == 42
    assert (
        "Område 2: rubrikpoäng saknas – 42 poäng hämtade från sammanfattningen." in report.warnings
    )


def test_reads_bare_poang_headers():
    text = re.sub(r"Rubriker\tPoäng\n[^\n]*\t(\d+)\n", r"Poäng \1\n", report_text("kalix"))
    assert "Rubriker" not in text
    assert [a.header_points for a in parse(text).areas] == HEADER_POINTS["kalix"]


def test_when_titles_fit_two_versions_the_text_decides_then_the_year():
    # Truncated (no tables) and area 7's title lost: 2010 and 2016 share the other seven.
    text = truncated(report_text("kalix")).replace(
        "Område 7 Verksamhetsutveckling\n", "Område 7 X\n"
    )
    report = parse(text)
    assert (report.framework_version, report.version_signal) == ("2010", "text")
    assert (
        "Ramverksversion 2010 vald efter texten (”Kommunkompassen reviderades år 2010”)."
        in report.warnings
    )
    silent = parse(text.replace("Kommunkompassen reviderades år 2010", "Kommunkompassen är ny"))
    assert (silent.framework_version, silent.version_signal) == ("2010", "year")
    assert (
        "Ramverksversion 2010 vald efter utvärderingsåret 2012 (version 2010 användes "
        "2010–2015); varken tabeller, rubriker eller text avgjorde." in silent.warnings
    )


def test_version_stays_open_when_no_signal_decides():
    # As above, evaluated in 2009: the 2010 revision is later, and no version was in use then.
    text = (
        truncated(report_text("kalix"))
        .replace("Område 7 Verksamhetsutveckling\n", "Område 7 X\n")
        .replace("genomfördes i november 2012", "genomfördes i november 2009")
    )
    report = parse(text)
    assert (report.framework_version, report.version_signal) == (None, None)
    assert "Ramverksversionen kunde inte avgöras (passar lika bra 2010 och 2016)." in (
        report.warnings
    )


# --- not a report, unknown and look-alike municipalities ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Protokoll från kommunstyrelsens sammanträde. Område 1 Ekonomi\n\nRubriker\tPoäng\n\t41\n",
        "Kommunkompassen är ett verktyg för utvärdering av kommuner.\n\nInga poäng här.",
        "",
    ],
)
def test_rejects_text_that_is_not_a_report(text):
    with pytest.raises(NotAReportError, match="ser inte ut som en Kommunkompassen-rapport"):
        parse(text)


def test_unknown_municipality_in_the_title_has_no_code():
    text = report_text("lindesberg").replace("Analys av Lindesberg", "Analys av Atlantis kommun")
    report = parse(text)
    assert report.municipality_code is None
    assert report.municipality_name == "Atlantis"
    assert "Kommunen ”Atlantis” finns inte i kommunlistan." in report.warnings


@pytest.mark.parametrize(("name", "code"), [("Håbo", "0305"), ("Habo", "0643")])
def test_tells_habo_from_habo(name, code):
    text = report_text("kalix").replace("Kalix", name).replace("KALIX", name.upper())
    report = parse(text)
    assert (report.municipality_code, report.municipality_name) == (code, name)


def test_falls_back_to_the_most_frequent_name():
    text = report_text("kalix").replace("ANALYS AV", "").replace("Utvärderingen av Kalix", "Den")
    report = parse(text)
    assert report.municipality_code == "2514"
    assert any("förekommer oftast" in w for w in report.warnings)


# --- output -------------------------------------------------------------------------------------


def test_as_dict_is_json_with_the_agreed_keys():
    data = json.loads(json.dumps(parsed("lulea").as_dict()))
    assert list(data)[:14] == [
        "municipality_code",
        "municipality_name",
        "year",
        "month",
        "framework_version",
        "ordinal",
        "previous_year",
        "total",
        "printed_total",
        "report_date",
        "interviewed",
        "evaluators",
        "areas",
        "warnings",
    ]
    assert data["total"] == 575.0
    assert data["printed_total"] is None
    assert data["report_date"] == "2019-01-15"
    first = data["areas"][0]
    assert list(first)[:8] == [
        "number",
        "title",
        "points",
        "header_points",
        "table_points",
        "questions",
        "strengths",
        "improvements",
    ]
    assert first["questions"][0] == {
        "code": "1.1",
        "points": 11.3,
        "max_points": 15,
        "printed_points": 11.0,
        "printed_percent": 75,
        "text": "Finns en plan/strategi för demokratiutveckling och information?",
    }
    assert json.dumps(parsed("kalix").as_dict())
    assert json.dumps(parsed("lindesberg").as_dict())
