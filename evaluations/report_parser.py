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
EVALUATION_RE = re.compile(
    rf"Utvärderingen\s+av\s+(?P<who>.{{1,60}}?)\s+genomfördes\s+(?:i\s+|under\s+)?"
    rf"(?:(?P<month>{_MONTH})\s+)?(?:år\s+)?(?P<year>{_YEAR})",
    re.IGNORECASE | re.DOTALL,
)
ORDINAL_RE = re.compile(
    rf"(?:kommunens|I\s+sin)\s+(?P<ordinal>{_ORDINAL})\s+utvärdering", re.IGNORECASE
)
PREVIOUS_YEAR_RES = (
    re.compile(
        rf"Den\s+(?:{_ORDINAL}|förra|föregående|senaste|tidigare)\s+(?:utvärderingen\s+)?"
        rf"genomfördes\s+(?:i\s+(?:{_MONTH})\s+)?(?:år\s+)?(?P<year>{_YEAR})",
        re.IGNORECASE,
    ),
    re.compile(
        rf"jämfört\s+med\s+(?:den\s+)?(?:förra\s+|föregående\s+|tidigare\s+)?utvärderingen\s+"
        rf"(?:år\s+)?(?P<year>{_YEAR})",
        re.IGNORECASE,
    ),
    re.compile(rf"mellan\s+åren\s+(?P<year>{_YEAR})\s+och\s+{_YEAR}", re.IGNORECASE),
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
SUMMARY_RE = re.compile(r"Sammanfattande\s+kommentarer(?![.\s]*\d)")
DETAILS_RE = re.compile(r"\d\.?\s+Detaljerad\s+genomgång")

# A section heading ("Område 3 Politisk styrning och kontroll") followed by its "Rubriker Poäng"
# header; the title has no digits, which keeps the table of contents (with page numbers) out.
HEADING_RE = re.compile(
    r"Område\s+(?P<number>[1-8])\s+(?P<title>(?:(?!Område\s)[^\d<>]){1,120}?)\s+"
    r"(?:Rubriker\s+)?Poäng\s+"
)
# The header's headings (never past a blank line), then its score: bare, or wrapped as
# <h1>42</h1> or <p style=...>85</p>.
HEADER_SCORE_RE = re.compile(
    rf"(?P<headings>(?:(?!\n[ \t]*\n).){{0,600}}?)(?:<(?:h\d|p)\b[^>]*>\s*)?(?<![\w.,])"
    rf"(?P<score>{_NUMBER})"
    r"(?:\s*</(?:h\d|p)>)?(?=\s|<|$)",
    re.DOTALL,
)
STRENGTHS_RE = re.compile(r"Styrkor\s+Förbättringsmöjligheter")
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
    rf"|(?P<total>{_NUMBER})\s+100\s+\d{{1,3}}\s?%)",
    re.DOTALL,
)

HTML_TAG_RE = re.compile(r"<[^>]*>")
UL_RE = re.compile(r"<ul\b[^>]*>")
P_ITEM_RE = re.compile(r"<p\b[^>]*>(?P<item>.*?)</p>", re.DOTALL)
BULLET_RE = re.compile(r"[•●▪◦■]")
ITEM_EDGE_RE = re.compile(r"^[\s•●▪◦■\-–]+|\s+$")
CAPITALISED_RE = re.compile(r"[A-ZÅÄÖÉÜ](?:[a-zåäöéü]|-)")
ITEM_END = '.,;:!?)”"'

ONE_DECIMAL = Decimal("0.1")
HALF = Decimal("0.5")


class NotAReportError(ValueError):
    """The text is not a Kommunkompassen report."""


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
            "text": self.text,
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
        }


@dataclass
class _Section:
    number: int
    title: str
    start: int
    body_start: int
    end: int
    header_points: Decimal | None


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
    text: str, *, frameworks: Sequence[Mapping], municipalities: Sequence[tuple[str, str]]
) -> ParsedReport:
    text = CONTROL_CHARACTERS_RE.sub("", text)
    shape = _detect_shape(text)
    text = _prepare(text, shape)
    if not KOMPASS_RE.search(text):
        raise NotAReportError(NOT_A_REPORT)
    tables = _parse_tables(text)
    sections = _find_sections(text, tables.start)
    if not sections and not tables.rows:
        raise NotAReportError(NOT_A_REPORT)

    report = ParsedReport(shape=shape)
    body_start = sections[0].start if sections else tables.start or len(text)
    _read_front_matter(report, text, body_start, municipalities)
    _read_kortfakta(report, text, sections[-1].start if sections else tables.start or 0)

    warnings = report.warnings
    framework = _detect_framework(tables.rows, sections, frameworks, warnings)
    report.framework_version = framework.code if framework else None
    report.areas = [
        _build_area(number, text, shape, sections, tables, framework, warnings)
        for number in range(1, 9)
    ]
    if not tables.rows:
        warnings.append(TABLES_MISSING)
        _fill_from_summary(report.areas, report.summary or text[:body_start], warnings)
    for area in report.areas:
        if area.points is None:
            warnings.append(f"Område {area.number}: inga poäng hittades.")
    _check_grand_total(report)
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
    # A line-structured report has a line break every hundred characters or so.
    return "flat" if text.count("\n") * 200 < len(text) else "lines"


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
    for match in re.finditer(rf"(?P<left>\S+) {PAGE_HEADER_RE.pattern} (?P<right>\S+)", flat):
        left, right = match["left"], match["right"]
        joined = tokens[left + right] > 0
        whole = tokens[left] > 1 and tokens[right] > 1
        votes += joined - whole
    return votes > 0


def _head(text: str) -> str:
    """The title page: everything before the table of contents."""
    contents = CONTENTS_RE.search(text, 0, 1000)
    return text[: contents.start() if contents else 600]


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


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
    return sum(points, Decimal(0))


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
    years = [
        int(match["year"]) for pattern in PREVIOUS_YEAR_RES for match in pattern.finditer(intro)
    ]
    earlier = [found for found in years if year is None or found < year]
    if earlier:
        return max(earlier)
    if ordinal:
        warnings.append("Året för den förra utvärderingen hittades inte.")
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


def _paragraphs(chunk: str) -> str:
    paragraphs = (_collapse(paragraph) for paragraph in re.split(r"\n\s*\n", chunk))
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


# --- sections and tables ------------------------------------------------------------------------


def _find_sections(text: str, tables_start: int | None) -> list[_Section]:
    headings: dict[int, re.Match[str]] = {}
    for match in HEADING_RE.finditer(text, 0, tables_start or len(text)):
        headings.setdefault(int(match["number"]), match)
    ordered = sorted(headings.values(), key=lambda match: match.start())
    sections = []
    for index, heading in enumerate(ordered):
        score = HEADER_SCORE_RE.match(text, heading.end())
        points = _decimal(score["score"]) if score else None
        if points is not None and points > 100:
            points = None
        if index + 1 < len(ordered):
            end = ordered[index + 1].start()
        else:
            end = _end_of_last_section(text, heading.end(), tables_start)
        sections.append(
            _Section(
                number=int(heading["number"]),
                title=_collapse(heading["title"]),
                start=heading.start(),
                body_start=score.end() if score and points is not None else heading.end(),
                end=end,
                header_points=points,
            )
        )
    return sections


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
        elif current is not None:
            tables.totals.setdefault(current, _decimal(token["total"]))
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


def _detect_framework(
    rows: Sequence[_Row],
    sections: Sequence[_Section],
    frameworks: Sequence[Mapping],
    warnings: list[str],
) -> _Framework | None:
    """From the tables' (code, max) pairs; without tables from the section titles."""
    candidates = _framework_index(frameworks)

    def title_score(framework: _Framework) -> int:
        return sum(
            _normalise_title(framework.titles.get(section.number, ""))
            == _normalise_title(section.title)
            for section in sections
        )

    def row_score(framework: _Framework) -> int:
        return sum(framework.max_points.get(row.code) == row.max_points for row in rows)

    scored = sorted(
        ((row_score(fw), title_score(fw), fw) for fw in candidates),
        key=lambda item: item[:2],
        reverse=True,
    )
    if not scored or scored[0][:2] == (0, 0):
        warnings.append("Ramverksversionen kunde inte avgöras.")
        return None
    best_rows, best_titles, best = scored[0]
    if len(scored) > 1 and scored[1][:2] == (best_rows, best_titles):
        tied = " och ".join(item[2].code for item in scored if item[:2] == scored[0][:2])
        warnings.append(f"Ramverksversionen kunde inte avgöras (passar lika bra {tied}).")
        return None
    if rows and best_rows < len(rows):
        warnings.append(
            f"Ramverk {best.code} valt efter översiktstabellerna, men bara {best_rows} av "
            f"{len(rows)} delfrågor stämmer med kod och maxpoäng."
        )
    return best


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
        area.header_points = section.header_points
        strengths = STRENGTHS_RE.search(text, section.body_start, section.end)
        area.text = _paragraphs(
            text[section.body_start : strengths.start() if strengths else section.end]
        )
        if strengths:
            block = text[strengths.end() : section.end]
            area.strengths, area.improvements, notes = _strengths_and_improvements(block, shape)
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


# --- strengths and improvements -----------------------------------------------------------------


def _strengths_and_improvements(block: str, shape: str) -> tuple[list[str], list[str], list[str]]:
    """The two columns after "Styrkor / Förbättringsmöjligheter", and notes for the staff."""
    notes: list[str] = []
    lists = list(UL_RE.finditer(block))
    lines = [line for line in block.splitlines() if line.strip()]
    if len(lists) >= 2:
        columns = [block[: lists[1].start()], block[lists[1].start() :]]
    elif shape == "lines" and len(lines) > 1 and all("\t" in line for line in lines):
        # One strength and one improvement per line, side by side.
        pairs = [line.split("\t", 1) for line in lines]
        strengths = [item for left, _ in pairs for item in _items(left, split_runs=False)]
        improvements = [item for _, right in pairs for item in _items(right, split_runs=False)]
        return strengths, improvements, notes
    elif shape == "lines" and "\t" in block:
        columns = block.split("\t", 1)
    else:
        columns = [block, ""]
        if block.strip():
            notes.append(
                "kolumnerna styrkor och förbättringsmöjligheter gick inte att skilja åt – "
                "allt sparat som styrkor."
            )
    strengths, improvements = (_items(column) for column in columns)
    if any(_is_plain_run(column) for column in columns):
        notes.append("listan delades upp heuristiskt (löpande text utan avgränsare).")
    return strengths, improvements, notes


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
    """Split before each capitalised word that follows a lowercase word or punctuation."""
    items: list[list[str]] = []
    for word in run.split():
        previous = items[-1][-1] if items else ""
        starts_item = CAPITALISED_RE.match(word) is not None
        if not items or (starts_item and (previous[-1].islower() or previous[-1] in ITEM_END)):
            items.append([word])
        else:
            items[-1].append(word)
    return [" ".join(words) for words in items]


def _clean_item(piece: str) -> str:
    text = _collapse(html.unescape(HTML_TAG_RE.sub(" ", piece)))
    return ITEM_EDGE_RE.sub("", text)
