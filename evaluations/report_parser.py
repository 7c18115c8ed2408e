"""Read a Kommunkompassen report, as text extracted from PDF, into scores, texts and warnings.

Pure: no Django, no database, no I/O besides ``load_reference``. Reports come in two shapes:
"lines" (line breaks and tab separated tables, as in ``data/reports``) and "flat" (every line
break lost, page headers run into the text). Every pattern that reads a figure treats any run of
whitespace alike, so both shapes give the same figures; only paragraphs, the two columns of
strengths and improvements and the Kortfakta rows need the line structure.

Nothing is silently fixed: each figure keeps where it came from, and every contradiction in the
report becomes a staff-facing warning in Swedish.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

NOT_A_REPORT = (
    "Filen ser inte ut som en Kommunkompassen-rapport (hittade inga områden eller poäng)."
)
TABLES_MISSING = "Översiktstabellerna saknas – endast områdespoäng (sammanfattning) sparas."

MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
ORDINALS = {"första": 1, "andra": 2, "tredje": 3, "fjärde": 4, "femte": 5, "sjätte": 6}
_MONTH = "|".join(MONTHS)
_ORDINAL = "|".join(ORDINALS)
_YEAR = r"(?:19|20)\d{2}"
_NUMBER = r"\d{1,3}(?:[.,]\d+)?"

KOMPASS_RE = re.compile(r"kommun\s*kompass", re.IGNORECASE)
PAGE_HEADER_RE = re.compile(
    r"Sveriges\s+Kommuner\s+och\s+(?:Landsting|Regioner)\s+\d{4}-\d{2}-\d{2}\s+\d+\s*\(\s*\d+\s*\)"
)
CONTENTS_RE = re.compile(r"Innehåll\b")
TITLE_RE = re.compile(r"analys\s+av\s+", re.IGNORECASE)
UNKNOWN_NAME_RE = re.compile(
    r"(?P<name>\w[\w-]*(?:\s+\w[\w-]*){0,2}?)(?=\s+kommuns?\b|\s+\d|\s*\*|\s*$)", re.IGNORECASE
)
EVALUATORS_RE = re.compile(
    r"Utvärderare\s*:?\s*(?P<names>[^\n]+?)(?=\s*(?:\n|Innehåll|Sveriges\s+Kommuner|$))",
    re.IGNORECASE,
)
ORGANISATION_RE = re.compile(r"\s*\b(?:SKL|SKR)\b\s*$")
ISO_DATE_RE = re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")
TITLE_YEAR_RE = re.compile(rf"(?<![\d-])(?P<year>{_YEAR})(?![\d-])")
YEAR_RE = re.compile(_YEAR)
EVALUATION_RE = re.compile(
    rf"Utvärderingen\s+av\s+(?P<who>.{{1,60}}?)\s+genomfördes\s+(?:i\s+|under\s+)?"
    rf"(?:(?P<month>{_MONTH})\s+)?(?:år\s+)?(?P<year>{_YEAR})",
    re.IGNORECASE | re.DOTALL,
)
ORDINAL_RE = re.compile(
    rf"(?:kommunens|I\s+sin)\s+(?P<ordinal>{_ORDINAL})\s+utvärdering", re.IGNORECASE
)
# Years of earlier evaluations, as reports name them; a group "year" may hold a list of years
# ("2005, 2009 och 2013"), of which the latest before this evaluation counts.
_YEARS = rf"{_YEAR}(?:\s*(?:,|och|samt)\s*{_YEAR})*"
PREVIOUS_YEAR_RES = (
    re.compile(
        rf"Den\s+(?:{_ORDINAL}|förra|föregående|senaste|tidigare)\s+(?:utvärderingen\s+)?"
        rf"genomfördes\s+(?:i\s+(?:{_MONTH})\s+)?(?:år\s+)?(?P<year>{_YEAR})",
        re.IGNORECASE,
    ),
    # "jämfört med utvärderingen 2015", "sedan Kommunkompassutvärderingen 2015", "vid
    # utvärderingen i maj 2014" (this evaluation's own year is left out below)
    re.compile(
        rf"(?<!\w)(?:kommunkompass)?utvärderingen\s+(?:år\s+|i\s+(?:{_MONTH})\s+)?"
        rf"(?P<year>{_YEAR})(?![\d-])",
        re.IGNORECASE,
    ),
    # "jämfört med 2015", "i jämförelse med år 2015" (not "jämfört med 2015 års budget")
    re.compile(
        rf"(?:jämfört|i\s+jämförelse)\s+med\s+(?:år\s+)?(?P<year>{_YEAR})(?![\d-])"
        r"(?!\s+års\s+(?!(?:kommunkompass)?(?:utvärdering|mätning|resultat)))",
        re.IGNORECASE,
    ),
    re.compile(rf"mellan\s+åren\s+(?P<year>{_YEAR})\s+och\s+{_YEAR}", re.IGNORECASE),
    # "sedan förra utvärderingen, som gjordes 2014", "vid den föregående utvärderingen år 2015",
    # "sedan förra Kommunkompassen 2015"
    re.compile(
        rf"(?:förra|föregående|senaste|tidigare)\s+(?:kommunkompass\w*|utvärdering\w*|"
        rf"mätning\w*|gången)\b[^.\d]{{0,60}}?(?<!\d)(?P<year>{_YEARS})(?![\d-])",
        re.IGNORECASE,
    ),
    # "kommunen utvärderades senast år 2014", "utvärderades första gången i mars 2011",
    # "har utvärderats tre gånger tidigare: 2005, 2009 och 2013"
    re.compile(
        r"utvärdera(?:des|ts)\s+(?:\w+\s+){0,3}?"
        r"(?:senast|förra\s+gången|tidigare|första\s+gången|också|även|förut)\b"
        rf"[^.\d]{{0,40}}?(?<!\d)(?P<year>{_YEARS})(?![\d-])",
        re.IGNORECASE,
    ),
    # "jämfört med 2015 års utvärdering", "2015 års Kommunkompass"
    re.compile(
        rf"(?<!\d)(?P<year>{_YEAR})\s+års\s+(?:kommunkompass|utvärdering|mätning|resultat)",
        re.IGNORECASE,
    ),
)
INTERVIEWED_RE = re.compile(
    r"intervjuer\s+med\s+(?:ett\s+|cirka\s+|ca\.?\s+|drygt\s+)?(?P<count>\d+)(?:-tal)?\s+personer",
    re.IGNORECASE,
)
PRINTED_TOTAL_RES = (
    re.compile(rf"visas\s+(?P<total>{_NUMBER})\s+total\w*poäng", re.IGNORECASE),
    re.compile(rf"\b{_YEAR}\s*[-–]\s*(?P<total>{_NUMBER})\s?p\b"),
    re.compile(r"(?<![\d,.])(?P<total>\d{3}(?:[.,]\d+)?)\s+(?:total)?poäng", re.IGNORECASE),
)
SUMMARY_AREA_POINTS_RE = re.compile(
    r"\b(?:genererade|genererar|erhöll|erhåller|fick|får)\s+(?:[A-ZÅÄÖ]\w*\s+)?"
    r"(?P<points>\d{1,3})\s+poäng"
)
# "har förbättrats från totalt 551 till 575", "område 6 gick från 52 till 59 poäng": a previous
# result stated in words. Never a percent ("från 40 till 55 procent").
STATED_CHANGE_RE = re.compile(
    rf"\bfrån\s+(?:totalt\s+|sammanlagt\s+)?(?P<before>{_NUMBER})(?!\d)\s*(?:poäng\s+)?"
    rf"(?:(?:år\s+)?{_YEAR}\s+)?(?:till|mot)\s+(?:totalt\s+|dagens\s+|nuvarande\s+)?"
    rf"(?P<after>{_NUMBER})(?!\d)(?!\s*(?:%|procent))",
    re.IGNORECASE,
)
STATED_AREA_RE = re.compile(r"\bområde\s+(?P<number>[1-8])(?!\d)", re.IGNORECASE)
TOTAL_WORD_RE = re.compile(r"\b(?:total|sammanlagt|sammantaget)", re.IGNORECASE)
POINTS_WORD_RE = re.compile(r"\bpoäng", re.IGNORECASE)
SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n")
SUMMARY_RE = re.compile(r"Sammanfattande\s+kommentarer(?![.\s]*\d)")
DETAILS_RE = re.compile(r"\d\.?\s+Detaljerad\s+genomgång")

# A section heading ("Område 3 Politisk styrning och kontroll") and its header: "Rubriker Poäng"
# then the headings and the score (line-structured reports), "Rubriker", the headings, "Poäng"
# and the score (flattened ones), or a bare "Poäng". The title has no digits, which keeps the
# table of contents (with page numbers) out; a flattened title may run on into its headings.
HEADING_RE = re.compile(
    r"Område\s+(?P<number>[1-8])\s+(?P<title>(?:(?!Område\s|Rubriker\b)[^\d<>]){1,400}?)\s+"
    r"(?:Rubriker\s+(?:(?!Område\s+[1-8]\s)[^<>]){0,600}?\s*)?Poäng\s+"
)
# The header's headings (never past a blank line), then its score: bare, or wrapped as
# <h1>42</h1> or <p style=...>85</p>.
HEADER_SCORE_RE = re.compile(
    rf"(?P<headings>(?:(?!\n[ \t]*\n).){{0,600}}?)(?:<(?:h\d|p)\b[^<>]*>\s*)?(?<![\w.,])"
    rf"(?P<score>{_NUMBER})"
    r"(?:\s*</(?:h\d|p)>)?(?=\s|<|$)",
    re.DOTALL,
)
# The list columns' headers, capitalised as printed: "Styrkor<TAB>Förbättringsmöjligheter" (and
# "<TAB>Svagheter") on one line, or each header before its own column in plain runs.
LIST_HEADER_RE = re.compile(
    r"(?<![\w-])(?P<name>Styrkor|Förbättringsmöjligheter|Svagheter)(?![\w-])"
)
LIST_COLUMNS = {
    "Styrkor": "strengths",
    "Förbättringsmöjligheter": "improvements",
    "Svagheter": "weaknesses",
}
# A ruling under or after the column headers: "----------------<TAB>------" or "--<TAB>---<TAB>--".
DASH_RUN_RE = re.compile(r"(?<!\S)[-–—_]{2,}(?!\S)")
DASH_LINE_RE = re.compile(r"^[ \t]*[-–—_]{2,}(?:[ \t]+[-–—_]{2,})*[ \t]*$", re.MULTILINE)
DASH_EDGE_RE = re.compile(r"^(?:\s*[-–—_]{2,}(?=\s))+|(?:\s[-–—_]{2,})+\s*$")
OVERVIEW_RE = re.compile(r"(?:\d\.?\s+)?Översikt\s+av\s+poängfördelning")
KORTFAKTA_RE = re.compile(r"Kortfakta\s+om\b")
TABLE_HEADER = (
    r"(?P<area>[1-8])\.\s+(?P<label>(?:(?!Uppnått)[^\d]){1,120}?)\s+Uppnått\s+Max\s+Procent"
)
TABLE_HEADER_RE = re.compile(rf"(?<!\S){TABLE_HEADER}")
TABLE_TOKEN_RE = re.compile(
    rf"(?<!\S)(?:{TABLE_HEADER}"
    rf"|(?P<code>[1-8]\.\d{{1,2}})\s+(?P<text>(?:(?!\s[1-8]\.\d{{1,2}}\s).)+?)\s+"
    rf"(?P<points>{_NUMBER})\s+(?P<max>\d{{1,3}})\s+(?P<percent>\d{{1,3}})\s?%"
    rf"|(?P<total>{_NUMBER})\s+100\s+(?P<total_percent>\d{{1,3}})\s?%)",
    re.DOTALL,
)

# Every repeat stops at the next "<", so that none rescans the rest of a section from each of
# many starts ("<<<<…", "<p><p>…").
HTML_TAG_RE = re.compile(r"<[^<>]*>")
UL_RE = re.compile(r"<ul\b[^<>]*>")
P_ITEM_RE = re.compile(r"<p\b[^<>]*>(?P<item>[^<]*(?:<(?!/?p\b)[^<]*)*)</p>")
BULLET_RE = re.compile(r"[•●▪◦■]")
ITEM_EDGE_RE = re.compile(r"^[\s•●▪◦■\-–]+|\s+$")
CAPITALISED_RE = re.compile(r"[”“\"(\-–]?[A-ZÅÄÖÉÜ](?:[a-zåäöéü]|-)")
ACRONYM_RE = re.compile(r"[A-ZÅÄÖ][A-ZÅÄÖa-zåäö]*[A-ZÅÄÖ]")
ITEM_END = '.;:!?)”"'
QUOTES = '”“"'
# An item does not end on a word like these ("Medborgarbudget i Råneå" is one item).
FUNCTION_WORDS = frozenset(
    {"i", "på", "och", "av", "för", "till", "med", "om", "som", "att", "vid", "från", "inom"}
    | {"mellan", "kring", "mot", "under", "över", "efter", "genom", "samt", "eller", "en"}
    | {"ett", "den", "det", "de", "utan", "hos", "än"}
)

ONE_DECIMAL = Decimal("0.1")
HALF = Decimal("0.5")


class ReportRefusedError(ValueError):
    """The text cannot be read as one report; the message says why, for staff."""


class NotAReportError(ReportRefusedError):
    """The text is not a Kommunkompassen report."""


class TwoReportsError(ReportRefusedError):
    """The file holds more than one report."""


@dataclass
class ParsedQuestion:
    code: str
    points: Decimal
    max_points: int
    printed_points: Decimal | None
    printed_percent: int | None
    text: str

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "points": _json_number(self.points),
            "max_points": self.max_points,
            "printed_points": _json_number(self.printed_points),
            "printed_percent": self.printed_percent,
            "text": self.text,
        }


@dataclass
class ParsedArea:
    number: int
    title: str | None = None
    header_points: Decimal | None = None
    table_points: Decimal | None = None
    text: str = ""
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)
    questions: list[ParsedQuestion] = field(default_factory=list)

    @property
    def points(self) -> Decimal | None:
        return self.table_points if self.table_points is not None else self.header_points

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "title": self.title,
            "points": _json_number(self.points),
            "header_points": _json_number(self.header_points),
            "table_points": _json_number(self.table_points),
            "questions": [question.as_dict() for question in self.questions],
            "strengths": list(self.strengths),
            "improvements": list(self.improvements),
            "weaknesses": list(self.weaknesses),
            "text": self.text,
        }


@dataclass
class StatedPrevious:
    """The previous evaluation's result as this report states it in words."""

    year: int
    framework_version: str | None
    total: Decimal | None = None
    areas: dict[int, Decimal] = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)

    @property
    def source(self) -> str:
        return " ".join(self.sentences)

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "total": _json_number(self.total),
            "areas": {str(number): _json_number(v) for number, v in sorted(self.areas.items())},
            "source": self.source,
        }


@dataclass
class ParsedReport:
    municipality_name: str | None = None
    municipality_code: str | None = None
    year: int | None = None
    month: int | None = None
    report_date: date | None = None
    framework_version: str | None = None
    ordinal: int | None = None
    previous_year: int | None = None
    interviewed: int | None = None
    evaluators: str = ""
    summary: str = ""
    kortfakta: dict[str, str] = field(default_factory=dict)
    kommungrupp: str | None = None
    printed_total: Decimal | None = None
    areas: list[ParsedArea] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shape: str = "lines"
    previous_stated: StatedPrevious | None = None
    # Which signal decided the framework version: "tables", "titles", "text", "year", or
    # "staff" where staff chose another than the report's own signals gave (detected_version).
    version_signal: str | None = None
    detected_version: str | None = None

    @property
    def total(self) -> Decimal | None:
        if self.printed_total is not None:
            return self.printed_total
        return _sum_area_points(self.areas)

    def as_dict(self) -> dict[str, object]:
        return {
            "municipality_code": self.municipality_code,
            "municipality_name": self.municipality_name,
            "year": self.year,
            "month": self.month,
            "framework_version": self.framework_version,
            "ordinal": self.ordinal,
            "previous_year": self.previous_year,
            "total": _json_number(self.total),
            "printed_total": _json_number(self.printed_total),
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "interviewed": self.interviewed,
            "evaluators": self.evaluators,
            "areas": [area.as_dict() for area in self.areas],
            "warnings": list(self.warnings),
            "summary": self.summary,
            "kortfakta": dict(self.kortfakta),
            "kommungrupp": self.kommungrupp,
            "shape": self.shape,
            "previous_stated": self.previous_stated.as_dict() if self.previous_stated else None,
            "version_signal": self.version_signal,
            "detected_version": self.detected_version,
        }


@dataclass
class _Section:
    number: int
    title: str
    start: int
    body_start: int
    end: int
    header_points: Decimal | None
    # A header score over 100: no area's score, kept in the text and said.
    impossible_points: Decimal | None = None


@dataclass
class _Row:
    code: str
    text: str
    points: Decimal
    max_points: int
    percent: int


@dataclass
class _Tables:
    start: int | None = None
    labels: dict[int, str] = field(default_factory=dict)
    rows: list[_Row] = field(default_factory=list)
    totals: dict[int, Decimal] = field(default_factory=dict)
    total_percents: dict[int, int] = field(default_factory=dict)


@dataclass
class _Framework:
    code: str
    titles: dict[int, str]
    max_points: dict[str, int]


def load_reference(data_dir: Path) -> tuple[list[dict], list[tuple[str, str]]]:
    """frameworks.json and (code, short name) pairs from municipalities.csv."""
    frameworks = json.loads((data_dir / "frameworks.json").read_text(encoding="utf-8"))
    with (data_dir / "municipalities.csv").open(encoding="utf-8", newline="") as file:
        municipalities = [
            (row["municipality_code"], row["municipality_name_short"])
            for row in csv.DictReader(file)
        ]
    return frameworks, municipalities


def parse_report(
    text: str,
    *,
    frameworks: Sequence[Mapping],
    municipalities: Sequence[tuple[str, str]],
    version: str | None = None,
) -> ParsedReport:
    """The report's figures, texts and warnings. `version` is the framework version staff chose
    (``import_report --version``, the upload preview); otherwise the report's signals decide."""
    text = CONTROL_CHARACTERS_RE.sub("", text)
    shape = _detect_shape(text)
    text = _prepare(text, shape)
    if not KOMPASS_RE.search(text):
        raise NotAReportError(NOT_A_REPORT)
    _refuse_two_reports(text, municipalities)
    tables = _parse_tables(text)
    sections, duplicates = _find_sections(text, tables.start)
    if not sections and not tables.rows:
        raise NotAReportError(NOT_A_REPORT)

    report = ParsedReport(shape=shape)
    body_start = sections[0].start if sections else tables.start or len(text)
    _read_front_matter(report, text, body_start, municipalities)
    _read_kortfakta(report, text, sections[-1].start if sections else tables.start or 0)

    warnings = report.warnings
    # Reports name their version where they present Kommunkompassen and the evaluation.
    mentions = _version_mentions(text[:body_start], report.year, frameworks)
    choice = _detect_framework(tables.rows, sections, mentions, report.year, frameworks)
    warnings.extend(choice.warnings)
    report.detected_version = choice.framework.code if choice.framework else None
    report.version_signal = choice.signal
    framework = choice.framework
    if version is not None:
        framework = _chosen_framework(version, choice, frameworks, warnings)
        report.version_signal = choice.signal if version == report.detected_version else "staff"
    report.framework_version = framework.code if framework else None
    report.areas = [
        _build_area(number, text, shape, sections, tables, framework, warnings)
        for number in range(1, 9)
    ]
    if not tables.rows:
        warnings.append(TABLES_MISSING)
        _fill_from_summary(report.areas, report.summary or text[:body_start], warnings)
    _check_sections(report, sections, duplicates)
    for area in report.areas:
        if area.points is None:
            warnings.append(f"Område {area.number}: inga poäng hittades.")
    _check_grand_total(report)
    regions = [(None, text[:body_start])] + [
        (section.number, text[section.body_start : section.end]) for section in sections
    ]
    report.previous_stated = _stated_previous(report, regions, frameworks)
    # The same warning twice (a sentence printed on every page) says nothing more.
    report.warnings[:] = dict.fromkeys(report.warnings)
    return report


def _read_front_matter(
    report: ParsedReport, text: str, body_start: int, municipalities: Sequence[tuple[str, str]]
) -> None:
    """Everything before the area sections: title page, the evaluation, the summary."""
    head = _head(text)
    evaluation = EVALUATION_RE.search(text, 0, body_start)
    intro = text[evaluation.start() if evaluation else 0 : body_start]
    _read_municipality(report, text, head, evaluation, municipalities)
    _read_when(report, head, evaluation)
    report.evaluators = _evaluators(head)
    report.ordinal = _ordinal(intro)
    report.previous_year = _previous_year(intro, report.year, report.ordinal, report.warnings)
    interviewed = INTERVIEWED_RE.search(intro)
    report.interviewed = int(interviewed["count"]) if interviewed else None
    report.printed_total = _printed_total(intro, report.warnings)
    summary = _last_match(SUMMARY_RE, text, 0, body_start)
    if summary:
        details = DETAILS_RE.search(text, summary.end(), body_start)
        report.summary = _paragraphs(
            text[summary.end() : details.start() if details else body_start]
        )


def _read_kortfakta(report: ParsedReport, text: str, after: int) -> None:
    if report.shape == "flat":
        if KORTFAKTA_RE.search(text, after):
            report.warnings.append("Kortfakta finns men kan inte läsas när radbrytningarna saknas.")
        return
    report.kortfakta = _kortfakta(text, after)
    report.kommungrupp = next(
        (value for label, value in report.kortfakta.items() if label.startswith("Kommungrupp")),
        None,
    )


# Text extracted from a PDF can carry NULs and other control characters: nothing to keep, and
# PostgreSQL refuses a NUL in a text column. Tabs, line breaks and form feeds are structure.
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _detect_shape(text: str) -> str:
    # A line-structured report has a line break every 10-20 words (a paragraph, a table row);
    # counted in words, not characters, so that one long token does not flatten it.
    return "flat" if text.count("\n") * 100 < text.count(" ") else "lines"


def _prepare(text: str, shape: str) -> str:
    """The text without page headers; flat text with single spaces only."""
    if shape == "lines":
        return PAGE_HEADER_RE.sub("", text)
    flat = re.sub(r"\s", " ", text)
    if _page_headers_split_words(flat):
        flat = re.sub(rf" ?{PAGE_HEADER_RE.pattern} ?", "", flat)
    return _collapse(PAGE_HEADER_RE.sub(" ", flat))


def _page_headers_split_words(flat: str) -> bool:
    """Whether page headers were pasted into words ("Lindes <header> berg"), not between them.

    A vote over the headers with one space on each side: the two halves of a split word join
    into a token found elsewhere in the text, while two whole words each occur elsewhere.
    """
    tokens = Counter(PAGE_HEADER_RE.sub(" ", flat).split())
    votes = 0
    for match in PAGE_HEADER_RE.finditer(flat):
        start, end = match.start(), match.end()
        # The tokens on either side, found with string methods: a pattern with a leading \S+
        # retries from every character of a long token (31 s for a 40 kB one).
        if flat[start - 1 : start] != " " or flat[end : end + 1] != " ":
            continue
        left = flat[flat.rfind(" ", 0, start - 1) + 1 : start - 1]
        right_end = flat.find(" ", end + 1)
        right = flat[end + 1 : right_end if right_end >= 0 else len(flat)]
        if not left or not right:
            continue
        joined = tokens[left + right] > 0
        whole = tokens[left] > 1 and tokens[right] > 1
        votes += joined - whole
    return votes > 0


def _head(text: str) -> str:
    """The title page: everything before the table of contents."""
    contents = CONTENTS_RE.search(text, 0, 1000)
    return text[: contents.start() if contents else 600]


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", "."))


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _fmt(value: Decimal) -> str:
    """A figure as Swedish staff read it: 9,5 and 72 (never 72,0)."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _json_number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _normalise_title(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", title.casefold()).split())


def _sum_area_points(areas: Sequence[ParsedArea]) -> Decimal | None:
    points = [area.points for area in areas]
    if not points or any(value is None for value in points):
        return None
    return sum((value for value in points if value is not None), Decimal(0))


# --- municipality, dates, people ----------------------------------------------------------------


class _Municipalities:
    """Finds municipality names with their exact letters (Håbo is not Habo), genitive -s allowed."""

    def __init__(self, municipalities: Sequence[tuple[str, str]]) -> None:
        self._by_name = {name.casefold(): (code, name) for code, name in municipalities}
        names = sorted((name for _, name in municipalities), key=len, reverse=True)
        alternatives = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in names)
        pattern = rf"(?<!\w)(?P<name>{alternatives or '(?!)'})s?(?!\w)"
        self._any_case = re.compile(pattern, re.IGNORECASE)
        # "Vara", "Mark" and "Ale" are also Swedish words: counting takes capitalised names only.
        self._capitalised = re.compile(pattern)

    def name_at(self, text: str, position: int) -> tuple[str | None, str] | None:
        """(code, name) of the name starting at position; code None for a name not in the list."""
        known = self._any_case.match(text, position)
        if known:
            return self._by_name[_collapse(known["name"]).casefold()]
        unknown = UNKNOWN_NAME_RE.match(text, position)
        if unknown is None:
            return None
        name = _collapse(unknown["name"])
        return None, name.title() if name.isupper() else name

    def most_frequent(self, text: str) -> tuple[str, str] | None:
        counts = Counter(
            self._by_name[_collapse(match["name"]).casefold()]
            for match in self._capitalised.finditer(text)
        )
        return counts.most_common(1)[0][0] if counts else None


def _read_municipality(
    report: ParsedReport,
    text: str,
    head: str,
    evaluation: re.Match[str] | None,
    municipalities: Sequence[tuple[str, str]],
) -> None:
    """From the title, else the sentence "Utvärderingen av X kommun", else the commonest name."""
    index = _Municipalities(municipalities)
    title = TITLE_RE.search(head)
    in_title = index.name_at(head, title.end()) if title else None
    in_sentence = index.name_at(evaluation["who"], 0) if evaluation else None
    found = in_title or in_sentence
    if found is None:
        found = index.most_frequent(text)
        if found:
            report.warnings.append(
                f"Kommunen ({found[1]}) bestämdes av det kommunnamn som förekommer oftast i texten."
            )
    if found is None:
        report.warnings.append("Hittade inget kommunnamn i rapporten.")
        return
    report.municipality_code, report.municipality_name = found
    if report.municipality_code is None:
        report.warnings.append(f"Kommunen ”{report.municipality_name}” finns inte i kommunlistan.")
    if in_title and in_sentence and in_title[1].casefold() != in_sentence[1].casefold():
        report.warnings.append(
            f"Titeln anger {in_title[1]} men texten ”Utvärderingen av …” anger {in_sentence[1]}."
        )


def _read_when(report: ParsedReport, head: str, evaluation: re.Match[str] | None) -> None:
    if evaluation:
        report.year = int(evaluation["year"])
        month = evaluation["month"]
        report.month = MONTHS[month.lower()] if month else None
    else:
        year = TITLE_YEAR_RE.search(head)
        if year:
            report.year = int(year["year"])
            report.warnings.append(
                f"Utvärderingsåret {report.year} är hämtat från titeln; månaden är okänd."
            )
        else:
            report.warnings.append("Hittade inte när utvärderingen genomfördes.")
    iso = ISO_DATE_RE.search(head)
    if iso:
        try:
            report.report_date = date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
        except ValueError:
            report.warnings.append(f"Ogiltigt datum i rapporten: {iso[0]}.")
    if report.report_date and report.year:
        evaluated = (report.year, report.month or 1)
        if (report.report_date.year, report.report_date.month) < evaluated:
            month_name = MONTH_NAMES[report.month - 1] if report.month else ""
            when = f"{month_name} {report.year}".strip()
            report.warnings.append(
                f"Dokumentets datum {report.report_date.isoformat()} ligger före utvärderingen "
                f"({when})."
            )


def _evaluators(head: str) -> str:
    found = EVALUATORS_RE.search(head)
    if not found:
        return ""
    names = []
    for part in re.split(r"\s*,\s*|\s+och\s+", found["names"], flags=re.IGNORECASE):
        name = ORGANISATION_RE.sub("", part).strip()
        if name:
            names.append(name.title() if name.isupper() else name)
    return ", ".join(names)


def _ordinal(intro: str) -> int | None:
    found = ORDINAL_RE.search(intro)
    return ORDINALS[found["ordinal"].lower()] if found else None


def _previous_year(
    intro: str, year: int | None, ordinal: int | None, warnings: list[str]
) -> int | None:
    if ordinal == 1:
        return None
    patterns = list(PREVIOUS_YEAR_RES)
    if year is not None:
        # "mellan 2015 och 2018", "från 2015 till 2018": from an earlier year to this one.
        patterns.append(
            re.compile(
                rf"(?:mellan|från)\s+(?:år(?:en)?\s+)?(?P<year>{_YEAR})\s+(?:och|till)\s+"
                rf"(?:år\s+)?{year}(?!\d)",
                re.IGNORECASE,
            )
        )
    years = [
        int(found)
        for pattern in patterns
        for match in pattern.finditer(intro)
        for found in YEAR_RE.findall(match["year"])
    ]
    earlier = [found for found in years if year is None or found < year]
    if earlier:
        return max(earlier)
    if ordinal:
        warnings.append("Året för den förra utvärderingen hittades inte.")
    else:
        warnings.append(
            "Rapporten säger inte vilken utvärdering i ordningen det är, och inget år för en "
            "föregående utvärdering hittades."
        )
    return None


def _printed_total(intro: str, warnings: list[str]) -> Decimal | None:
    totals = []
    for pattern in PRINTED_TOTAL_RES:
        for match in pattern.finditer(intro):
            value = _decimal(match["total"])
            if 100 < value <= 800 and value not in totals:
                totals.append(value)
    if len(totals) > 1:
        listed = ", ".join(_fmt(value) for value in totals)
        warnings.append(f"Sammanfattningen anger flera totalpoäng ({listed}); den första sparas.")
    return totals[0] if totals else None


def _last_match(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    matches = list(pattern.finditer(text, start, end))
    return matches[-1] if matches else None


# Not \n\s*\n: from each of many line breaks in a row, \s* would run to the last one.
BLANK_LINE_RE = re.compile(r"\n(?:[^\S\n]*\n)+")


def _paragraphs(chunk: str) -> str:
    paragraphs = (_collapse(paragraph) for paragraph in BLANK_LINE_RE.split(chunk))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _kortfakta(text: str, after: int) -> dict[str, str]:
    found = _last_match(KORTFAKTA_RE, text, after, len(text))
    if found is None:
        return {}
    rows: dict[str, str] = {}
    lines = text[found.end() :].splitlines()[1:]
    for line in lines:
        cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
        if not cells:
            continue
        if len(cells) < 2:
            if rows:
                break
            continue
        rows[cells[0]] = " ".join(cells[1:])
    return rows


# --- the previous result as stated in words -----------------------------------------------------


def version_in_use(year: int, frameworks: Sequence[Mapping]) -> str | None:
    """The framework version evaluations of that year followed: the latest from that year or
    before (2010: 2010-2015, 2016: 2016-2019, 2020: from 2020); None before the first."""
    years = sorted(
        (int(framework.get("year") or framework["code"]), str(framework["code"]))
        for framework in frameworks
    )
    in_use = [code for first, code in years if first <= year]
    return in_use[-1] if in_use else None


def _sentence_around(text: str, start: int, end: int) -> str:
    window = max(0, start - 300)
    ends = list(SENTENCE_END_RE.finditer(text, window, start))
    left = ends[-1].end() if ends else window
    after = SENTENCE_END_RE.search(text, end, end + 300)
    right = after.end() if after else min(len(text), end + 300)
    sentence = _collapse(text[left:right])
    # Flattened text has no paragraph breaks: the summary's heading runs into its first sentence.
    heading = SUMMARY_RE.match(sentence)
    return sentence[heading.end() :].lstrip() if heading else sentence


def _stated_previous(
    report: ParsedReport,
    regions: Sequence[tuple[int | None, str]],
    frameworks: Sequence[Mapping],
) -> StatedPrevious | None:
    """Every "from X to Y" about this report's scores, as the previous evaluation's result.

    Y must be this report's figure (its total, or the area's header or table score): that is
    what makes the sentence about the scores, and X the previous evaluation's.
    """
    found: list[tuple[int | None, Decimal, str, int | None]] = []
    changes = (
        (number, region, match)
        for number, region in regions
        for match in STATED_CHANGE_RE.finditer(region)
    )
    for read, (section_number, region, match) in enumerate(changes):
        if read == MAX_STATED_CHANGES:
            report.warnings.append(
                f"Texten har fler än {MAX_STATED_CHANGES} formuleringar ”från … till …”; bara "
                f"de {MAX_STATED_CHANGES} första lästes som möjliga föregående resultat."
            )
            break
        change = _stated_change(report, section_number, region, match)
        if change is not None:
            found.append(change)
    if not found:
        return None
    return _collect_stated(report, found, frameworks)


def _stated_change(
    report: ParsedReport, section_number: int | None, region: str, match: re.Match
) -> tuple[int | None, Decimal, str, int | None] | None:
    """One "from X to Y": (area or None for the total, X, the sentence, the previous year),
    or None (with a warning where it speaks of points) when Y is not this report's figure."""
    sentence = _sentence_around(region, match.start(), match.end())
    before, after = _decimal(match["before"]), _decimal(match["after"])
    lead = region[max(0, match.start() - 300) : match.start()]
    lead = lead[max(lead.rfind(". "), lead.rfind("\n")) + 1 :]
    areas = list(STATED_AREA_RE.finditer(lead))
    number = int(areas[-1]["number"]) if areas else None
    is_total = number is None and (
        before > AREA_POINTS_MAX
        or after > AREA_POINTS_MAX
        or TOTAL_WORD_RE.search(lead + match[0]) is not None
    )
    if not is_total and number is None:
        number = section_number
    about_points = POINTS_WORD_RE.search(sentence) is not None
    if number is None and not is_total:
        if about_points:
            report.warnings.append(
                f"Meningen ”{_shorten(sentence, 120)}” anger en förändring i poäng men "
                "inte för vilket område – den sparas inte som föregående resultat."
            )
        return None
    current = _current_figures(report, None if is_total else number)
    if after not in current:
        if about_points or is_total:
            what = "totalen" if is_total else f"område {number}"
            now = " eller ".join(_fmt(value) for value in sorted(current)) or "–"
            report.warnings.append(
                f"Meningen ”{_shorten(sentence, 120)}” anger {_fmt(after)} för {what}, "
                f"men rapporten ger {now} – den sparas inte som föregående resultat."
            )
        return None
    years = [
        int(year)
        for year in TITLE_YEAR_RE.findall(sentence)
        if report.year is None or int(year) < report.year
    ]
    year = years[0] if len(set(years)) == 1 else report.previous_year
    return (None if is_total else number, before, sentence, year)


AREA_POINTS_MAX = Decimal(100)
# A report states a previous result in a sentence or two; hundreds of "from X to Y" are no prose.
MAX_STATED_CHANGES = 100


def _current_figures(report: ParsedReport, number: int | None) -> set[Decimal]:
    if number is None:
        sums = {
            _sum_area_points(report.areas),
            _sum_points([area.header_points for area in report.areas]),
        }
        return {value for value in (report.printed_total, *sums) if value is not None}
    area = report.areas[number - 1]
    return {value for value in (area.header_points, area.table_points) if value is not None}


def _sum_points(values: Sequence[Decimal | None]) -> Decimal | None:
    if not values or any(value is None for value in values):
        return None
    return sum((value for value in values if value is not None), Decimal(0))


def _collect_stated(
    report: ParsedReport,
    found: Sequence[tuple[int | None, Decimal, str, int | None]],
    frameworks: Sequence[Mapping],
) -> StatedPrevious | None:
    warnings = report.warnings
    year = report.previous_year or next((y for *_, y in found if y is not None), None)
    if year is None:
        warnings.append(
            "Rapporten anger ett tidigare resultat men inte året för den förra utvärderingen – "
            "uppgiften sparas inte."
        )
        return None
    version = version_in_use(year, frameworks)
    stated = StatedPrevious(year=year, framework_version=version)
    for number, before, sentence, sentence_year in found:
        what = "totalen" if number is None else f"område {number}"
        if sentence_year is not None and sentence_year != year:
            warnings.append(
                f"Meningen ”{_shorten(sentence, 120)}” gäller {sentence_year}, inte den förra "
                f"utvärderingen {year} – den sparas inte."
            )
            continue
        current = stated.total if number is None else stated.areas.get(number)
        if current is not None and current != before:
            warnings.append(
                f"Rapporten anger två olika tidigare resultat för {what} ({_fmt(current)} och "
                f"{_fmt(before)}); det första sparas."
            )
            continue
        if number is None:
            stated.total = before
        else:
            stated.areas[number] = before
        if sentence not in stated.sentences:
            stated.sentences.append(sentence)
    if stated.total is None and not stated.areas:
        return None
    figures = ", ".join(
        ([f"totalt {_fmt(stated.total)}"] if stated.total is not None else [])
        + [f"område {n} {_fmt(v)}" for n, v in sorted(stated.areas.items())]
    )
    if version is None:
        warnings.append(
            f"Rapporten anger resultatet {year} ({figures}), men Kompass har ingen "
            f"ramverksversion för {year} (den första är från 2010) – uppgiften sparas inte."
        )
        return None
    return stated


# --- sections and tables ------------------------------------------------------------------------


def _find_sections(text: str, tables_start: int | None) -> tuple[list[_Section], list[_Section]]:
    """Each area's section (its first), and any later section of an area already found. Every
    heading ends the section before it, so a duplicate's text never runs into another area."""
    headings = list(HEADING_RE.finditer(text, 0, tables_start or len(text)))
    sections: list[_Section] = []
    duplicates: list[_Section] = []
    for index, heading in enumerate(headings):
        score = HEADER_SCORE_RE.match(text, heading.end())
        points = _decimal(score["score"]) if score else None
        impossible = points if points is not None and points > 100 else None
        if impossible is not None:
            points = None
        if index + 1 < len(headings):
            end = headings[index + 1].start()
        else:
            end = _end_of_last_section(text, heading.end(), tables_start)
        section = _Section(
            number=int(heading["number"]),
            title=_collapse(heading["title"]),
            start=heading.start(),
            body_start=score.end() if score and points is not None else heading.end(),
            end=end,
            header_points=points,
            impossible_points=impossible,
        )
        found = any(other.number == section.number for other in sections)
        (duplicates if found else sections).append(section)
    return sections, duplicates


def _check_sections(
    report: ParsedReport, sections: Sequence[_Section], duplicates: Sequence[_Section]
) -> None:
    """A section missing or printed twice is named, never passed over."""
    warnings = report.warnings
    for duplicate in duplicates:
        first = next(section for section in sections if section.number == duplicate.number)
        scores = " och ".join(
            "–" if points is None else _fmt(points)
            for points in (first.header_points, duplicate.header_points)
        )
        warnings.append(
            f"Område {duplicate.number}: avsnittet förekommer två gånger (rubrikens poäng "
            f"{scores}); det första används och det andra utelämnas."
        )
    for section in sections:
        if section.impossible_points is not None:
            warnings.append(
                f"Område {section.number}: rubrikens poäng {_fmt(section.impossible_points)} är "
                "över 100 – inte sparad."
            )
    found = {section.number for section in sections}
    if not found:
        warnings.append(
            "Inga områdesavsnitt hittades – inga texter eller listor, bara översiktstabellernas "
            "poäng."
        )
        return
    for area in report.areas:
        if area.number in found:
            continue
        source = " Poängen kommer från översiktstabellen." if area.table_points is not None else ""
        warnings.append(
            f"Område {area.number}: avsnittet saknas i rapporten (ingen rubrik ”Område "
            f"{area.number} …”) – ingen text och inga listor.{source}"
        )
    for area in report.areas:
        for where, text in (("texten", area.text),):
            long = LONG_TOKEN_RE.search(text)
            if long:
                warnings.append(
                    f"Område {area.number}: {where} innehåller {len(long[0])} tecken utan "
                    "mellanrum – troligen skräp från PDF-extraktionen; kontrollera texten."
                )


# A word of more than 200 characters is no word (counted from each token's start only, so the
# search stays linear).
LONG_TOKEN_RE = re.compile(r"(?<!\S)\S{200,}")
TITLE_PAGE_RE = re.compile(r"kommun\s*kompassen[\s*]*analys\s+av\s+", re.IGNORECASE)


def _refuse_two_reports(text: str, municipalities: Sequence[tuple[str, str]]) -> None:
    """Two title pages, or two evaluations ("Utvärderingen av X genomfördes …") of other
    municipalities or years: a file of more than one report is refused whole."""
    index = _Municipalities(municipalities)
    titles = [match.end() for match in TITLE_PAGE_RE.finditer(text)]
    evaluations = list(EVALUATION_RE.finditer(text))
    # "Utvärderingen av Kalix kommun …" and "… av Kalix …" are one evaluation.
    distinct = {(_who(index, m).casefold(), m["year"]) for m in evaluations}
    if len(titles) < 2 and len(distinct) < 2:
        return
    found = []
    if len(titles) >= 2:
        for start, end in zip(titles, [*titles[1:], len(text)], strict=True):
            name = index.name_at(text, start)
            evaluation = EVALUATION_RE.search(text, start, end)
            year = evaluation["year"] if evaluation else None
            if year is None:
                in_title = TITLE_YEAR_RE.search(text, start, start + 200)
                year = in_title[0] if in_title else None
            found.append(" ".join(part for part in (name and name[1], year) if part) or "?")
    else:
        found = [f"{_who(index, match)} {match['year']}" for match in evaluations]
    raise TwoReportsError(
        f"Filen innehåller {len(found)} rapporter ({' och '.join(found)}), inte en; dela upp "
        "den och läs in en rapport i taget."
    )


def _who(index: _Municipalities, match: re.Match[str]) -> str:
    name = index.name_at(match["who"], 0)
    return name[1] if name else _collapse(match["who"])


def _end_of_last_section(text: str, start: int, tables_start: int | None) -> int:
    stops = [tables_start or len(text), len(text)]
    for pattern in (OVERVIEW_RE, KORTFAKTA_RE):
        found = pattern.search(text, start)
        if found:
            stops.append(found.start())
    return min(stops)


def _parse_tables(text: str) -> _Tables:
    first = TABLE_HEADER_RE.search(text)
    if first is None:
        return _Tables()
    tables = _Tables(start=first.start())
    kortfakta = KORTFAKTA_RE.search(text, first.start())
    region = text[first.start() : kortfakta.start() if kortfakta else len(text)]
    current: int | None = None
    for token in TABLE_TOKEN_RE.finditer(region):
        if token["area"]:
            current = int(token["area"])
            tables.labels.setdefault(current, _collapse(token["label"]))
        elif token["code"]:
            current = int(token["code"].split(".")[0])
            tables.rows.append(
                _Row(
                    code=token["code"],
                    text=_collapse(token["text"]),
                    points=_decimal(token["points"]),
                    max_points=int(token["max"]),
                    percent=int(token["percent"]),
                )
            )
        elif current is not None and current not in tables.totals:
            tables.totals[current] = _decimal(token["total"])
            tables.total_percents[current] = int(token["total_percent"])
    return tables


def _framework_index(frameworks: Sequence[Mapping]) -> list[_Framework]:
    return [
        _Framework(
            code=str(framework["code"]),
            titles={int(area["number"]): area["title"] for area in framework["areas"]},
            max_points={
                question["code"]: int(question["max_points"])
                for area in framework["areas"]
                for question in area["questions"]
            },
        )
        for framework in frameworks
    ]


SIGNALS = ("tables", "titles", "text", "year")
SIGNAL_NAMES = {
    "tables": "översiktstabellernas koder och maxpoäng",
    "titles": "områdesrubrikerna",
    "text": "texten",
    "year": "utvärderingsåret",
    "staff": "personalens val",
}


@dataclass
class _VersionChoice:
    framework: _Framework | None
    signal: str | None
    warnings: list[str]


def _detect_framework(
    rows: Sequence[_Row],
    sections: Sequence[_Section],
    mentions: Sequence[tuple[str, str]],
    year: int | None,
    frameworks: Sequence[Mapping],
) -> _VersionChoice:
    """The framework version from every signal, strongest first: the tables' (code, max)
    pairs, the section titles (a flattened title may run on into its headings: its start
    counts), the versions the text names, and last the year (2010: 2010-2015, ...)."""
    candidates = _framework_index(frameworks)
    in_use = version_in_use(year, frameworks) if year else None

    def scores(framework: _Framework) -> tuple[int, int, int, int]:
        return (
            sum(framework.max_points.get(row.code) == row.max_points for row in rows),
            sum(_title_fits(framework, section) for section in sections),
            sum(code == framework.code for code, _evidence in mentions),
            int(framework.code == in_use),
        )

    scored = sorted(((scores(fw), fw) for fw in candidates), key=lambda item: item[0], reverse=True)
    if not scored or not any(scored[0][0]):
        return _VersionChoice(None, None, ["Ramverksversionen kunde inte avgöras."])
    best_scores, best = scored[0]
    rivals = [item for item in scored[1:] if item[0] == best_scores]
    if rivals:
        tied = " och ".join(sorted(fw.code for _scores, fw in [scored[0], *rivals]))
        return _VersionChoice(
            None, None, [f"Ramverksversionen kunde inte avgöras (passar lika bra {tied})."]
        )
    runner_up = scored[1][0] if len(scored) > 1 else (0, 0, 0, 0)
    decided = next(i for i in range(len(SIGNALS)) if best_scores[i] != runner_up[i])
    signal = SIGNALS[decided]
    warnings = []
    if signal == "tables" and best_scores[0] < len(rows):
        warnings.append(
            f"Ramverk {best.code} valt efter översiktstabellerna, men bara {best_scores[0]} av "
            f"{len(rows)} delfrågor stämmer med kod och maxpoäng."
        )
    elif signal != "tables":
        warnings.append(
            f"Ramverksversion {best.code} vald efter "
            f"{_signal_evidence(signal, best, mentions, year, rows, frameworks)}."
        )
    # A weaker signal that points elsewhere is said, never overruled silently.
    for index in range(decided + 1, len(SIGNALS)):
        pointed = _pointed(scored, index)
        if pointed is not None and pointed is not best:
            brief = _signal_evidence(
                SIGNALS[index], pointed, mentions, year, rows, frameworks, brief=True
            )
            warnings.append(f"Men {brief} talar för version {pointed.code}.")
    return _VersionChoice(best, signal, warnings)


def _pointed(scored, index: int) -> _Framework | None:
    """The one framework a signal alone favours, if any."""
    values = [scores[index] for scores, _fw in scored]
    top = max(values)
    if top == 0 or values.count(top) > 1:
        return None
    return next(fw for scores, fw in scored if scores[index] == top)


def _signal_evidence(
    signal: str,
    framework: _Framework,
    mentions: Sequence[tuple[str, str]],
    year: int | None,
    rows: Sequence[_Row],
    frameworks: Sequence[Mapping],
    *,
    brief: bool = False,
) -> str:
    if brief and signal in ("titles", "year"):
        return "områdesrubrikerna" if signal == "titles" else f"utvärderingsåret {year}"
    if signal == "titles":
        return "områdesrubrikerna" + ("" if rows else " (översiktstabellerna saknas)")
    if signal == "text":
        quoted = "”, ”".join(evidence for code, evidence in mentions if code == framework.code)
        return f"texten (”{quoted}”)"
    if signal == "year":
        return (
            f"utvärderingsåret {year} (version {framework.code} användes "
            f"{_years_in_use(framework.code, frameworks)}); varken tabeller, rubriker eller "
            "text avgjorde"
        )
    return SIGNAL_NAMES[signal]


def _years_in_use(code: str, frameworks: Sequence[Mapping]) -> str:
    years = sorted(int(f.get("year") or f["code"]) for f in frameworks)
    first = int(code)
    later = [year for year in years if year > first]
    return f"{first}–{later[0] - 1}" if later else f"från {first}"


def _title_fits(framework: _Framework, section: _Section) -> bool:
    title = _normalise_title(framework.titles.get(section.number, ""))
    found = _normalise_title(section.title)
    return bool(title) and (found == title or found.startswith(title + " "))


def _chosen_framework(
    code: str, choice: _VersionChoice, frameworks: Sequence[Mapping], warnings: list[str]
) -> _Framework:
    chosen = next((fw for fw in _framework_index(frameworks) if fw.code == code), None)
    if chosen is None:
        raise ValueError(f"Okänd ramverksversion: {code}.")
    if choice.framework is None:
        warnings.append(f"Ramverksversion {code} vald av personalen; rapporten avgjorde den inte.")
    elif choice.framework.code != code:
        warnings.append(
            f"Ramverksversion {code} vald av personalen; rapporten själv pekar på "
            f"{choice.framework.code} (efter {SIGNAL_NAMES[choice.signal or 'tables']})."
        )
    return chosen


# "version 2.1", "versionen från 2016", "2016 års version", "Kommunkompassen reviderades åren
# 2010 och 2016", "2019/2020 gjordes en revidering av Kommunkompassen".
VERSION_NAME_RE = re.compile(r"\b(?:[Vv]ersion(?:en)?|Kommunkompass(?:en)?)\s+2\.1(?![\d.]\d)")
VERSION_YEAR_RES = (
    re.compile(rf"\b[Vv]ersion(?:en)?\s+(?:från\s+)?(?:år\s+)?(?P<years>{_YEAR}(?:/{_YEAR})?)\b"),
    re.compile(rf"\b(?P<years>{_YEAR})\s+års\s+version"),
    re.compile(
        rf"Kommunkompass\w*(?:\s+\w+)?\s+reviderades\s+(?:år(?:en)?\s+)?"
        rf"(?P<years>{_YEAR}(?:\s*(?:,|och|/)\s*{_YEAR})*)"
    ),
    re.compile(
        rf"(?P<years>{_YEAR}(?:/{_YEAR})?)\s+gjordes\s+en\s+revidering\s+av\s+Kommunkompass",
        re.IGNORECASE,
    ),
)


def _version_mentions(
    text: str, year: int | None, frameworks: Sequence[Mapping]
) -> list[tuple[str, str]]:
    """(version, the words that name it) for each distinct mention of the version or of the
    latest revision in the text (SKR calls the 2016 version "2.1"), in the text's order; a
    revision after the evaluation's year is not the one it followed."""
    codes = sorted(int(f.get("year") or f["code"]) for f in frameworks)
    found = [(m.start(), "2016", m[0]) for m in VERSION_NAME_RE.finditer(text)]
    named_by: dict[str, int | None] = {}  # each distinct wording read once, however often
    for pattern in VERSION_YEAR_RES:
        for match in pattern.finditer(text):
            if match["years"] not in named_by:
                named = [int(y) for y in YEAR_RE.findall(match["years"])]
                named = [y for y in named if year is None or y <= year]
                # A revision is named by the year it was made (2019/2020 for version 2020).
                named_by[match["years"]] = next(
                    (c for c in codes if named and 0 <= c - max(named) <= 1), None
                )
            code = named_by[match["years"]]
            if code is not None:
                found.append((match.start(), str(code), match[0]))
    mentions: dict[tuple[str, str], None] = {}
    for mentioned, words in dict.fromkeys((c, w) for _at, c, w in sorted(found)):
        mentions.setdefault((mentioned, _collapse(words)), None)
    return list(mentions)


# --- areas --------------------------------------------------------------------------------------


def _build_area(
    number: int,
    text: str,
    shape: str,
    sections: Sequence[_Section],
    tables: _Tables,
    framework: _Framework | None,
    warnings: list[str],
) -> ParsedArea:
    area = ParsedArea(number=number, table_points=tables.totals.get(number))
    section = next((section for section in sections if section.number == number), None)
    if section:
        area.title = section.title
        title = framework.titles.get(number, "") if framework else ""
        if _normalise_title(section.title).startswith(_normalise_title(title) + " "):
            area.title = title  # a flattened title ran on into its headings
        area.header_points = section.header_points
        lists_start, columns, notes = _read_lists(text, section.body_start, section.end, shape)
        area.text = _paragraphs(text[section.body_start : lists_start or section.end])
        area.strengths = columns.get("strengths", [])
        area.improvements = columns.get("improvements", [])
        area.weaknesses = columns.get("weaknesses", [])
        warnings.extend(f"Område {number}: {note}" for note in notes)
    area.questions = _questions(number, tables.rows, framework, warnings)
    if tables.rows:
        _check_table_area(area, tables, framework, warnings)
    return area


def _questions(
    number: int, rows: Sequence[_Row], framework: _Framework | None, warnings: list[str]
) -> list[ParsedQuestion]:
    questions: list[ParsedQuestion] = []
    for row in rows:
        if int(row.code.split(".")[0]) != number:
            continue
        if any(question.code == row.code for question in questions):
            warnings.append(
                f"Delfråga {row.code} förekommer två gånger i tabellen; den första sparas."
            )
            continue
        questions.append(
            ParsedQuestion(
                code=row.code,
                points=_stored_points(row, warnings),
                max_points=row.max_points,
                printed_points=row.points,
                printed_percent=row.percent,
                text=row.text,
            )
        )
        if framework is None:
            continue
        expected = framework.max_points.get(row.code)
        if expected is None:
            warnings.append(f"Delfråga {row.code} finns inte i ramverk {framework.code}.")
        elif expected != row.max_points:
            warnings.append(
                f"Delfråga {row.code}: maxpoäng {row.max_points} i tabellen men {expected} i "
                f"ramverk {framework.code}."
            )
    return questions


def _stored_points(row: _Row, warnings: list[str]) -> Decimal:
    """The printed points, unless the more precise percent column shows they were rounded."""
    printed, maximum, percent = row.points, row.max_points, row.percent
    value = printed
    if maximum > 0 and _round_half_up(printed * 100 / maximum) != percent:
        precise = _precise_points(printed, maximum, percent)
        if precise is None:
            warnings.append(
                f"Delfråga {row.code}: tryckt {_fmt(printed)} av {maximum} och {percent} % går "
                "inte ihop med en decimal – de tryckta poängen behålls."
            )
        else:
            value = precise
            warnings.append(
                f"Delfråga {row.code}: tryckt {_fmt(printed)} av {maximum} men {percent} % – "
                f"lagrat {_fmt(precise)}."
            )
    clamped = min(max(value, Decimal(0)), Decimal(maximum))
    if clamped != value:
        warnings.append(
            f"Delfråga {row.code}: {_fmt(value)} poäng ligger utanför 0–{maximum} – "
            f"lagrat {_fmt(clamped)}."
        )
    return clamped.quantize(ONE_DECIMAL, ROUND_HALF_UP)


def _precise_points(printed: Decimal, maximum: int, percent: int) -> Decimal | None:
    """The one-decimal value nearest percent × max that prints as both figures, if any.

    Ties go to the larger value, so this is percent × max rounded half-up whenever that fits.
    """
    exact = Decimal(percent) * maximum / 100
    fitting = [
        value
        for value in (printed + Decimal(step) / 10 for step in range(-5, 6))
        if 0 <= value <= maximum
        and _round_half_up(value) == printed
        and _round_half_up(value * 100 / maximum) == percent
    ]
    return min(fitting, key=lambda value: (abs(value - exact), -value), default=None)


def _check_table_area(
    area: ParsedArea, tables: _Tables, framework: _Framework | None, warnings: list[str]
) -> None:
    number = area.number
    if framework is not None:
        found = {question.code for question in area.questions}
        for code in framework.max_points:
            if code.split(".")[0] == str(number) and code not in found:
                warnings.append(f"Område {number}: delfråga {code} saknas i översiktstabellen.")
        label = tables.labels.get(number)
        title = framework.titles.get(number, "")
        if label and _normalise_title(label) != _normalise_title(title):
            warnings.append(
                f"Översiktstabellen kallar område {number} ”{label}”, men i ramverk "
                f"{framework.code} heter det ”{title}”."
            )
    header, table = area.header_points, area.table_points
    percent = tables.total_percents.get(number)
    if table is not None and percent is not None and _round_half_up(table) != percent:
        # Of 100 points the percent is the points: no value prints as both.
        warnings.append(
            f"Område {number}: summeringsraden {_fmt(table)} av 100 men {percent} % går inte "
            "ihop – tabellens poäng behålls."
        )
    if header is not None and table is not None and header != table:
        warnings.append(
            f"Område {number}: rubrikens poäng {_fmt(header)} skiljer sig från "
            f"översiktstabellens summa {_fmt(table)}."
        )
    if not area.questions:
        return
    printed_sum = sum((q.printed_points or Decimal(0) for q in area.questions), Decimal(0))
    stored_sum = sum((q.points for q in area.questions), Decimal(0))
    sums = (
        f"delfrågornas tryckta poäng summerar till {_fmt(printed_sum)} (lagrade {_fmt(stored_sum)})"
    )
    if table is None:
        warnings.append(f"Område {number}: summeringsraden saknas i översiktstabellen; {sums}.")
        if header is not None and abs(stored_sum - header) >= HALF:
            warnings.append(f"Område {number}: {sums} men rubrikens poäng är {_fmt(header)}.")
    elif printed_sum != table or abs(stored_sum - table) >= HALF:
        warnings.append(f"Område {number}: {sums} men tabellens summa är {_fmt(table)}.")


def _fill_from_summary(areas: Sequence[ParsedArea], summary: str, warnings: list[str]) -> None:
    """Area scores from the summary ("genererade 46 poäng", "fick 56 poäng"), in area order."""
    found = [
        Decimal(match["points"])
        for match in SUMMARY_AREA_POINTS_RE.finditer(_collapse(summary))
        if int(match["points"]) <= 100
    ]
    if len(found) != len(areas):
        return
    for area, points in zip(areas, found, strict=True):
        if area.header_points is None:
            area.header_points = points
            warnings.append(
                f"Område {area.number}: rubrikpoäng saknas – {_fmt(points)} poäng hämtade från "
                "sammanfattningen."
            )
        elif area.header_points != points:
            warnings.append(
                f"Område {area.number}: sammanfattningen anger {_fmt(points)} poäng men rubriken "
                f"{_fmt(area.header_points)}."
            )


def _check_grand_total(report: ParsedReport) -> None:
    area_sum = _sum_area_points(report.areas)
    if report.printed_total is None or area_sum is None or report.printed_total == area_sum:
        return
    report.warnings.append(
        f"Totalen {_fmt(report.printed_total)} i sammanfattningen skiljer sig från summan av "
        f"områdespoängen {_fmt(area_sum)}."
    )


# --- strengths, improvements and weaknesses -----------------------------------------------------

COLUMN_WORDS = {
    "strengths": "styrkor",
    "improvements": "förbättringsmöjligheter",
    "weaknesses": "svagheter",
}
COLUMN_ITEM = {
    "strengths": "en styrka",
    "improvements": "en förbättringsmöjlighet",
    "weaknesses": "en svaghet",
}
# Leaks that never belong in a list item: a page header whose page number is not in the usual
# shape, a section heading or an area header run into the list (a section boundary missed).
PAGE_HEADER_LEAK_RE = re.compile(
    r"Sveriges\s+Kommuner\s+och\s+(?:Landsting|Regioner)\s+\d{4}-\d{2}-\d{2}"
    r"(?:\s+(?:[Ss]ida\s+)?\d{1,4}(?:\s*\(\s*\d{1,4}\s*\)|\s+av\s+\d{1,4})?)?"
)
HEADING_LEAK_RE = re.compile(r"(?:\bOmråde\s+[1-8]\s+[A-ZÅÄÖ]|\bRubriker\s+Poäng\b)")
# The column headers again inside a list: a page break that repeated the table's header row.
HEADER_ROW_LEAK_RE = re.compile(r"\bStyrkor\s+Förbättringsmöjligheter(?:\s+Svagheter)?\b")


def _list_header_runs(text: str, start: int, end: int) -> list[list[re.Match[str]]]:
    """The column headers of an area's lists, grouped into runs printed side by side.

    The lists begin at the first header line ("Styrkor" and "Förbättringsmöjligheter" side by
    side; a page break may repeat it further down), else, for columns printed one after the
    other, at the last "Styrkor" that a "Förbättringsmöjligheter" follows (a sub-heading
    "Styrkor" in the text comes before the lists). Then at most one header of each column.
    """
    marks = list(LIST_HEADER_RE.finditer(text, start, end))
    order = list(LIST_COLUMNS)
    last_second = max((i for i, mark in enumerate(marks) if mark["name"] == order[1]), default=-1)
    starts = [i for i in range(last_second) if marks[i]["name"] == order[0]]
    side_by_side = [
        index
        for index in starts
        if marks[index + 1]["name"] == order[1]
        and not text[marks[index].end() : marks[index + 1].start()].strip()
    ]
    first = side_by_side[0] if side_by_side else starts[-1] if starts else None
    if first is None:
        return []
    headers = [marks[first]]
    for mark in marks[first + 1 :]:
        expected = order.index(headers[-1]["name"]) + 1
        if expected < len(order) and mark["name"] == order[expected]:
            headers.append(mark)
    runs = [[headers[0]]]
    for header in headers[1:]:
        if text[runs[-1][-1].end() : header.start()].strip():
            runs.append([header])
        else:
            runs[-1].append(header)
    return runs


def _read_lists(
    text: str, start: int, end: int, shape: str
) -> tuple[int | None, dict[str, list[str]], list[str]]:
    """Where an area's lists begin, their items per column, and notes for the staff.

    Headers printed side by side are followed by their columns (tab separated, one <ul> run per
    column, or one item per column and line); a header alone is followed by its own column.
    """
    runs = _list_header_runs(text, start, end)
    if not runs:
        return None, {}, []
    columns: dict[str, list[str]] = {}
    notes: list[str] = []
    guessed = False
    for index, run in enumerate(runs):
        body_end = runs[index + 1][0].start() if index + 1 < len(runs) else end
        names = [LIST_COLUMNS[header["name"]] for header in run]
        body = _without_rulings(text[run[-1].end() : body_end], shape)
        cells, whole_items, cell_notes = _cells(body, names, shape)
        notes.extend(cell_notes)
        for name, fragments in zip(names, cells, strict=True):
            items = [
                item
                for fragment in fragments
                for item in _items(fragment, split_runs=not whole_items)
            ]
            columns[name] = _screen_items(items, name, notes)
            guessed = guessed or (
                not whole_items and any(_is_plain_run(fragment) for fragment in fragments)
            )
    if guessed:
        notes.append("listan delades upp heuristiskt (löpande text utan avgränsare).")
    return runs[0][0].start(), columns, notes


def _without_rulings(body: str, shape: str) -> str:
    """The body of a list without the lines of dashes under and after its column headers."""
    if shape == "lines":
        return DASH_LINE_RE.sub("", body)
    words = body.split()
    while words and DASH_RUN_RE.fullmatch(words[0]):
        words.pop(0)
    while words and DASH_RUN_RE.fullmatch(words[-1]):
        words.pop()
    return " ".join(words)


def _cells(body: str, names: Sequence[str], shape: str) -> tuple[list[list[str]], bool, list[str]]:
    """The body split into one list of fragments per column; whether each fragment is one item
    (a table of one item per column and line); notes."""
    count = len(names)
    columns: list[list[str]] = [[] for _ in names]
    lines = [line for line in body.splitlines() if line.strip()]
    if count == 1:
        return [[body]], False, []
    if shape == "lines" and len(lines) > 1 and all("\t" in line for line in lines):
        for line in lines:
            for index, cell in enumerate(line.split("\t", count - 1)):
                columns[index].append(cell)
        return columns, True, []
    if shape == "lines" and "\t" in body:
        for index, cell in enumerate(body.split("\t", count - 1)):
            columns[index].append(cell)
        return columns, False, []
    lists = [match.start() for match in UL_RE.finditer(body)]
    if len(lists) >= 2:
        bounds = [0, *lists[1:count], len(body)]
        for index in range(len(bounds) - 1):
            columns[index].append(body[bounds[index] : bounds[index + 1]])
        if len(lists) == count:
            return columns, False, []
        listed = ", ".join(COLUMN_WORDS[name] for name in names)
        return (
            columns,
            False,
            [
                f"{len(lists)} listor under {count} kolumnrubriker ({listed}) – listorna "
                "fördelade i tur och ordning; kontrollera kolumnerna."
            ],
        )
    columns[0].append(body)
    notes = []
    if body.strip():
        listed = " och ".join(COLUMN_WORDS[name] for name in names)
        listed = listed.replace(" och ", ", ", count - 2)
        notes.append(f"kolumnerna {listed} gick inte att skilja åt – allt sparat som styrkor.")
    return columns, False, notes


def _screen_items(items: Sequence[str], column: str, notes: list[str]) -> list[str]:
    """Items without what never belongs in one: a column header, a row of dashes, a page
    header, a section heading; each one dropped says so."""
    kept = []
    for item in items:
        if LIST_HEADER_RE.fullmatch(item) or re.fullmatch(r"Rubriker|Poäng", item):
            notes.append(f"”{item}” är en rubrik, inte {COLUMN_ITEM[column]} – utelämnad.")
            continue
        cleaned = item
        for pattern, what in (
            (DASH_RUN_RE, "en rad streck utelämnad"),
            (PAGE_HEADER_LEAK_RE, "ett sidhuvud utelämnat"),
            (HEADER_ROW_LEAK_RE, "upprepade kolumnrubriker utelämnade"),
        ):
            if pattern.search(cleaned):
                cleaned = _collapse(pattern.sub(" ", cleaned))
                notes.append(f"{what} ur {COLUMN_ITEM[column]} (”{_shorten(item)}”).")
        heading = HEADING_LEAK_RE.search(cleaned)
        if heading:
            notes.append(
                f"en områdesrubrik i {COLUMN_ITEM[column]} (”{_shorten(item)}”) – texten från "
                "rubriken och framåt utelämnad."
            )
            cleaned = cleaned[: heading.start()].strip()
        cleaned = ITEM_EDGE_RE.sub("", cleaned)
        if cleaned:
            kept.append(cleaned)
    return kept


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _is_plain_run(column: str) -> bool:
    has_text = bool(HTML_TAG_RE.sub("", column).strip())
    return has_text and not (P_ITEM_RE.search(column) or BULLET_RE.search(column))


def _items(column: str, *, split_runs: bool = True) -> list[str]:
    if P_ITEM_RE.search(column):
        pieces = [match["item"] for match in P_ITEM_RE.finditer(column)]
    elif BULLET_RE.search(column):
        pieces = BULLET_RE.split(HTML_TAG_RE.sub(" ", column))
    elif split_runs:
        pieces = _split_run(HTML_TAG_RE.sub(" ", column))
    else:
        pieces = [column]
    items = (_clean_item(piece) for piece in pieces)
    return [item for item in items if item]


def _split_run(run: str) -> list[str]:
    """Split a list printed without bullets before each capitalised word that follows a
    lowercase word, an abbreviation ("KKiK") or an item's end (".", "?", a closing quote), but
    never after a word like "i" or "och" nor inside quotation marks ("”Vision Luleå 2050”")."""
    items: list[list[str]] = []
    quotes = 0  # in the current item
    for word in run.split():
        if not items or (quotes % 2 == 0 and _starts_item(word, items[-1][-1])):
            items.append([word])
            quotes = 0
        else:
            items[-1].append(word)
        quotes += sum(word.count(quote) for quote in QUOTES)
    return [" ".join(words) for words in items]


def _starts_item(word: str, previous: str) -> bool:
    if CAPITALISED_RE.match(word) is None or previous.casefold() in FUNCTION_WORDS:
        return False
    return (
        previous[-1].islower()
        or previous[-1] in ITEM_END
        or ACRONYM_RE.fullmatch(previous) is not None
    )


def _clean_item(piece: str) -> str:
    text = _collapse(html.unescape(HTML_TAG_RE.sub(" ", piece)))
    return ITEM_EDGE_RE.sub("", text)
