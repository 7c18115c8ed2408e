"""The full download, written once per data version: CSV files (and their zip), the XLSX twin,
a JSON dump and a Frictionless datapackage.json describing every column.

The CSV files are for programs: RFC 4180, UTF-8, "," between fields, "." for decimals, a header
line and nothing else (the explorer's CSV is the one shaped for Swedish Excel; here the XLSX
twin is). Their date, licence and the version caveat are in datapackage.json and LASMIG.txt
beside them in the zip, and the dated name of every download."""

import contextlib
import csv
import functools
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from api import schemas
from api.records import (
    Url,
    evaluation_records,
    municipality_records,
    notes_of,
    published_evaluations,
    version_records,
)
from evaluations.dataversion import Version
from evaluations.models import FrameworkVersion, Municipality

from . import meta

ZIP_NAME = "kommunkompassen.zip"
XLSX_NAME = "kommunkompassen.xlsx"
JSON_NAME = "kommunkompassen.json"
DATAPACKAGE_NAME = "datapackage.json"
README_NAME = "LASMIG.txt"
LIST_KINDS = (
    ("strengths", "strength", gettext_lazy("Styrka")),
    ("improvements", "improvement", gettext_lazy("Förbättringsmöjlighet")),
    ("weaknesses", "weakness", gettext_lazy("Svaghet")),
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless Table Schema: string, integer, number, date
    title: str
    description: str = ""
    required: bool = False
    pattern: str = ""
    enum: tuple[str, ...] = ()

    def descriptor(self) -> dict:
        described: dict = {"name": self.name, "type": self.type, "title": str(self.title)}
        if self.description:
            described["description"] = str(self.description)
        constraints: dict = {}
        if self.required:
            constraints["required"] = True
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            described["constraints"] = constraints
        return described


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    # Exactly one of the two: the rows of a table read whole, or those of each evaluation.
    rows: Callable[["Data"], Iterable[list]] | None = None
    evaluation_rows: Callable[[dict], Iterable[list]] | None = None
    foreign_keys: tuple[tuple[str, str], ...] = ()  # (field, table) on that table's primary key

    def __post_init__(self):
        if (self.rows is None) == (self.evaluation_rows is None):
            raise TypeError(f"table {self.name}: give rows or evaluation_rows, one of them")

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


@dataclass
class Data:
    """Everything the files hold, as the API's own records: the municipalities and versions
    read at once, the evaluations (with every area, score and list) read in batches while the
    files are written, so that memory stays the same at any number of evaluations."""

    municipalities: list[dict]
    versions: list[dict]
    evaluation_count: int
    evaluation_batches: Callable[[], Iterator[list[dict]]]
    version: Version
    site_url: str
    created: datetime = field(default_factory=timezone.now)


CODE = r"^[0-9]{4}$"
EVALUATION_ID = Column(
    "evaluation_id",
    "string",
    gettext_lazy("Utvärdering"),
    gettext_lazy("Kommunkod/år."),
    required=True,
    pattern=r"^[0-9]{4}/[0-9]{4}$",
)
MUNICIPALITY_CODE = Column(
    "municipality_code", "string", gettext_lazy("Kommunkod"), required=True, pattern=CODE
)
YEAR = Column("year", "integer", gettext_lazy("År"), required=True)
VERSION = Column(
    "version", "string", gettext_lazy("Version"), str(meta.VERSION_NOTE), required=True
)
AREA = Column("area", "integer", gettext_lazy("Område"), gettext_lazy("1–8."), required=True)


def _municipality_rows(data: Data) -> Iterator[list]:
    for m in data.municipalities:
        yield [
            m["code"],
            m["name"],
            m["official_name"],
            m["county"]["code"],
            m["county"]["name"],
            len(m["evaluations"]),
            m["web_url"],
        ]


def _question_rows(data: Data) -> Iterator[list]:
    for version in data.versions:
        for area in version["areas"]:
            for q in area["questions"]:
                yield [
                    version["code"],
                    area["number"],
                    area["title"],
                    q["code"],
                    q["text"],
                    q["max_points"],
                ]


def _evaluation_rows(e: dict) -> Iterator[list]:
    previous = e["previous"] or {}
    points = {area["number"]: area["points"] for area in e["areas"]}
    yield [
        e["id"],
        e["municipality"]["code"],
        e["municipality"]["name"],
        e["municipality"]["county"]["code"],
        e["year"],
        e["month"],
        e["report_date"],
        e["version"],
        e["ordinal"],
        e["previous_year"],
        previous.get("origin"),
        previous.get("id"),
        previous.get("total"),
        e["kommungrupp"],
        e["interviewed"],
        e["total"],
        e["printed_total"],
        e["areas_total"],
        *(points.get(n) for n in range(1, 9)),
        e["evaluators"],
        e["summary"],
        e["web_url"],
    ]


def _area_key(e: dict, a: dict) -> list:
    """The columns that name an area of an evaluation, first in every table of areas' rows:
    EVALUATION_ID, MUNICIPALITY_CODE, YEAR, VERSION, AREA."""
    return [e["id"], e["municipality"]["code"], e["year"], e["version"], a["number"]]


def _area_rows(e: dict) -> Iterator[list]:
    for a in e["areas"]:
        yield [
            *_area_key(e, a),
            a["title"],
            a["points"],
            a["header_points"],
            a["table_points"],
            a["text"],
        ]


def _score_rows(e: dict) -> Iterator[list]:
    for a in e["areas"]:
        for q in a["questions"]:
            yield [
                *_area_key(e, a),
                q["code"],
                q["text"],
                q["max_points"],
                q["points"],
                q["percent"],
                q["printed_points"],
                q["printed_percent"],
            ]


def _list_rows(e: dict) -> Iterator[list]:
    for a in e["areas"]:
        for key, kind, label in LIST_KINDS:
            for position, text in enumerate(a[key], start=1):
                yield [
                    *_area_key(e, a),
                    kind,
                    str(label),
                    position,
                    text,
                ]


def _area_columns() -> tuple[Column, ...]:
    return tuple(
        Column(
            f"area_{n}",
            "number",
            gettext_lazy("Område %(n)s") % {"n": n},
            gettext_lazy("Poäng av 100."),
        )
        for n in range(1, 9)
    )


TABLES = (
    Table(
        "municipalities",
        gettext_lazy("Kommuner"),
        gettext_lazy("Sveriges 290 kommuner med län och antal publicerade utvärderingar."),
        (
            Column("code", "string", gettext_lazy("Kommunkod"), required=True, pattern=CODE),
            Column("name", "string", gettext_lazy("Kommun"), required=True),
            Column("official_name", "string", gettext_lazy("Officiellt namn"), required=True),
            Column(
                "county_code",
                "string",
                gettext_lazy("Länskod"),
                required=True,
                pattern=r"^[0-9]{2}$",
            ),
            Column("county", "string", gettext_lazy("Län"), required=True),
            Column(
                "evaluations", "integer", gettext_lazy("Publicerade utvärderingar"), required=True
            ),
            Column("url", "string", gettext_lazy("Webbadress"), required=True),
        ),
        ("code",),
        rows=_municipality_rows,
    ),
    Table(
        "questions",
        gettext_lazy("Delfrågor"),
        gettext_lazy("Varje versions områden och delfrågor med maxpoäng."),
        (
            VERSION,
            AREA,
            Column("area_title", "string", gettext_lazy("Områdesrubrik"), required=True),
            Column("code", "string", gettext_lazy("Kod"), required=True),
            Column("question", "string", gettext_lazy("Delfråga"), required=True),
            Column("max_points", "integer", gettext_lazy("Max"), required=True),
        ),
        ("version", "code"),
        rows=_question_rows,
    ),
    Table(
        "evaluations",
        gettext_lazy("Utvärderingar"),
        gettext_lazy("En rad per publicerad utvärdering, med områdenas poäng."),
        (
            Column(
                "id",
                "string",
                gettext_lazy("Utvärdering"),
                gettext_lazy("Kommunkod/år."),
                required=True,
                pattern=r"^[0-9]{4}/[0-9]{4}$",
            ),
            MUNICIPALITY_CODE,
            Column("municipality", "string", gettext_lazy("Kommun"), required=True),
            Column("county_code", "string", gettext_lazy("Länskod"), required=True),
            YEAR,
            Column("month", "integer", gettext_lazy("Månad")),
            Column("report_date", "date", gettext_lazy("Rapportdatum")),
            VERSION,
            Column(
                "ordinal",
                "integer",
                gettext_lazy("Utvärdering nummer"),
                gettext_lazy("1 för kommunens första."),
            ),
            Column(
                "previous_year",
                "integer",
                gettext_lazy("Föregående utvärdering, år"),
                gettext_lazy("Som rapporten anger det."),
            ),
            Column(
                "previous_origin",
                "string",
                gettext_lazy("Föregående, ursprung"),
                str(meta.STATED_NOTE),
                enum=("report", "stated", "unknown"),
            ),
            Column(
                "previous_id",
                "string",
                gettext_lazy("Föregående utvärdering"),
                gettext_lazy("Där Kompass har den (previous_origin = report)."),
            ),
            Column("previous_total", "number", gettext_lazy("Föregående totalpoäng")),
            Column(
                "kommungrupp",
                "string",
                gettext_lazy("Kommungrupp"),
                gettext_lazy("SKR:s kommungrupp enligt rapportens Kortfakta."),
            ),
            Column("interviewed", "integer", gettext_lazy("Antal intervjuade")),
            Column(
                "total",
                "number",
                gettext_lazy("Totalpoäng"),
                gettext_lazy("Av 800: rapporttextens total, annars summan av områdena."),
            ),
            Column("printed_total", "number", gettext_lazy("Total i rapporttexten")),
            Column("areas_total", "number", gettext_lazy("Summa av områdena")),
            *_area_columns(),
            Column("evaluators", "string", gettext_lazy("Utvärderare")),
            Column("summary", "string", gettext_lazy("Sammanfattande kommentarer")),
            Column("url", "string", gettext_lazy("Webbadress"), required=True),
        ),
        ("id",),
        evaluation_rows=_evaluation_rows,
        foreign_keys=(("municipality_code", "municipalities"),),
    ),
    Table(
        "area_results",
        gettext_lazy("Områden"),
        gettext_lazy("Varje utvärderings poäng och text per område."),
        (
            EVALUATION_ID,
            MUNICIPALITY_CODE,
            YEAR,
            VERSION,
            AREA,
            Column("area_title", "string", gettext_lazy("Områdesrubrik"), required=True),
            Column(
                "points",
                "number",
                gettext_lazy("Poäng"),
                gettext_lazy("Av 100: översiktstabellens summa, annars rubrikens."),
            ),
            Column("header_points", "number", gettext_lazy("Poäng i områdesrubriken")),
            Column("table_points", "number", gettext_lazy("Poäng i översiktstabellen")),
            Column("text", "string", gettext_lazy("Utvärderarnas text")),
        ),
        ("evaluation_id", "area"),
        evaluation_rows=_area_rows,
        foreign_keys=(("evaluation_id", "evaluations"),),
    ),
    Table(
        "question_scores",
        gettext_lazy("Delfrågepoäng"),
        gettext_lazy("Varje utvärderings poäng per delfråga."),
        (
            EVALUATION_ID,
            MUNICIPALITY_CODE,
            YEAR,
            VERSION,
            AREA,
            Column("code", "string", gettext_lazy("Kod"), required=True),
            Column("question", "string", gettext_lazy("Delfråga"), required=True),
            Column("max_points", "integer", gettext_lazy("Max"), required=True),
            Column(
                "points",
                "number",
                gettext_lazy("Poäng"),
                gettext_lazy("Med en decimal, återvunnen ur procenten där rapporten avrundade."),
                required=True,
            ),
            Column(
                "percent", "integer", gettext_lazy("Procent"), str(meta.PERCENT_NOTE), required=True
            ),
            Column("printed_points", "number", gettext_lazy("Tryckta poäng")),
            Column("printed_percent", "integer", gettext_lazy("Tryckt procent")),
        ),
        ("evaluation_id", "code"),
        evaluation_rows=_score_rows,
        foreign_keys=(("evaluation_id", "evaluations"),),
    ),
    Table(
        "list_items",
        gettext_lazy("Styrkor, förbättringsmöjligheter och svagheter"),
        gettext_lazy("Områdenas listor i rapportens ordning."),
        (
            EVALUATION_ID,
            MUNICIPALITY_CODE,
            YEAR,
            VERSION,
            AREA,
            Column(
                "kind",
                "string",
                gettext_lazy("Typ"),
                required=True,
                enum=tuple(kind for _key, kind, _label in LIST_KINDS),
            ),
            Column("kind_label", "string", gettext_lazy("Typ (text)"), required=True),
            Column("position", "integer", gettext_lazy("Ordning"), required=True),
            Column("text", "string", gettext_lazy("Text"), required=True),
        ),
        ("evaluation_id", "area", "kind", "position"),
        evaluation_rows=_list_rows,
        foreign_keys=(("evaluation_id", "evaluations"),),
    ),
)


EVALUATIONS_PER_BATCH = 200


def _evaluation_batches(*, url: Url) -> Iterator[list[dict]]:
    """Every published evaluation's full record, in the API's order, a batch at a time."""
    ids = list(published_evaluations().values_list("pk", flat=True))
    for start in range(0, len(ids), EVALUATIONS_PER_BATCH):
        evaluations = list(
            published_evaluations().filter(pk__in=ids[start : start + EVALUATIONS_PER_BATCH])
        )
        yield [
            {**record, "notes": notes_of(evaluation)}
            for evaluation, record in zip(
                evaluations, evaluation_records(evaluations, url=url), strict=True
            )
        ]


def read_data(*, version: Version, site_url: str) -> Data:
    def url(path: str) -> str:
        return site_url.rstrip("/") + path

    municipalities = list(Municipality.objects.select_related("county").order_by("code"))
    return Data(
        municipalities=municipality_records(municipalities, url=url),
        versions=version_records(
            list(FrameworkVersion.objects.select_related("previous")), url=url
        ),
        evaluation_count=published_evaluations().count(),
        evaluation_batches=functools.partial(_evaluation_batches, url=url),
        version=version,
        site_url=site_url,
    )


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0")
    return str(value)


def date_of(version: Version) -> str:
    """The data's date: the day of its last change, as the files and their names give it."""
    return timezone.localtime(version.changed_at).date().isoformat()


def data_date(data: Data) -> str:
    return date_of(data.version)


def dated_name(name: str, date: str) -> str:
    """kommunkompassen.zip → kommunkompassen-2026-12-01.zip (datapackage.json keeps its name,
    which Frictionless tools look for)."""
    if name == DATAPACKAGE_NAME:
        return name
    stem, dot, extension = name.rpartition(".")
    return f"{stem}-{date}{dot}{extension}"


def about_lines(data: Data) -> list[tuple[str, str]]:
    return [
        (_("Uppgifter per"), data_date(data)),
        (_("Dataversion"), str(data.version.number)),
        (_("Utvärderingar"), str(data.evaluation_count)),
        (_("Jämförelser mellan versioner"), str(meta.VERSION_NOTE)),
        (_("Tidigare resultat"), str(meta.STATED_NOTE)),
        (_("Procent"), str(meta.PERCENT_NOTE)),
        (_("Källa"), str(meta.SOURCE)),
        (_("Licens"), f"{meta.LICENCE_TITLE} ({meta.LICENCE_URL}). {meta.ATTRIBUTION}."),
        (_("Webbplats"), data.site_url or "Kompass"),
    ]


def datapackage(data: Data) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "kommunkompassen",
        "title": str(meta.TITLE),
        "description": " ".join([str(meta.VERSION_NOTE), str(meta.STATED_NOTE)]),
        "version": str(data.version.number),
        "created": data.created.isoformat(timespec="seconds"),
        "lastModified": data.version.changed_at.isoformat(timespec="seconds"),
        "homepage": data.site_url + "/data/" if data.site_url else "/data/",
        "licenses": [{"name": meta.LICENCE, "title": meta.LICENCE_TITLE, "path": meta.LICENCE_URL}],
        "sources": [{"title": str(meta.SOURCE)}],
        "resources": [
            {
                "name": table.name,
                "path": table.path,
                "profile": "tabular-data-resource",
                "title": str(table.title),
                "description": str(table.description),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "doubleQuote": True, "header": True},
                "schema": {
                    "fields": [c.descriptor() for c in table.columns],
                    "missingValues": [""],
                    "primaryKey": list(table.primary_key),
                    "foreignKeys": [
                        {
                            "fields": [name],
                            "reference": {
                                "resource": other,
                                "fields": [
                                    next(t for t in TABLES if t.name == other).primary_key[0]
                                ],
                            },
                        }
                        for name, other in table.foreign_keys
                    ],
                },
            }
            for table in TABLES
        ],
    }


def readme(data: Data) -> str:
    lines = [str(meta.TITLE), ""]
    lines += [f"{label}: {value}" for label, value in about_lines(data)]
    lines += ["", _("Filer:")]
    lines += [f"- {t.path}: {t.title}. {t.description}" for t in TABLES]
    lines += [f"- {DATAPACKAGE_NAME}: " + _("Frictionless Data Package: kolumner, typer, licens.")]
    return "\n".join(lines) + "\n"


def _json_head(data: Data) -> dict:
    """The JSON dump but its evaluations: the API's own shapes (validated by its schemas)."""
    return {
        "title": str(meta.TITLE),
        "data_date": data_date(data),
        "data_version": data.version.number,
        "created": data.created.isoformat(timespec="seconds"),
        "licence": {"name": meta.LICENCE, "url": meta.LICENCE_URL},
        "source": str(meta.SOURCE),
        "notes": [str(meta.VERSION_NOTE), str(meta.STATED_NOTE), str(meta.PERCENT_NOTE)],
        "versions": [
            schemas.FrameworkVersion.model_validate(v).model_dump(mode="json")
            for v in data.versions
        ],
        "municipalities": [
            schemas.Municipality.model_validate(m).model_dump(mode="json")
            for m in data.municipalities
        ],
    }


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    return cell


def _about_sheet(workbook: Workbook, data: Data) -> None:
    about = workbook.create_sheet(_("Om uppgifterna"))
    bold = Font(bold=True)
    title = WriteOnlyCell(about, value=str(meta.TITLE))
    title.font = Font(bold=True, size=14)
    about.append([title])
    about.append([])
    for label, value in about_lines(data):
        label_cell = WriteOnlyCell(about, value=label)
        label_cell.font = bold
        about.append([label_cell, value])
    about.append([])
    for table in TABLES:
        heading = WriteOnlyCell(about, value=str(table.title))
        heading.font = bold
        about.append([heading, str(table.description)])
        for column in table.columns:
            about.append([str(column.title), column.name, str(column.description)])
    about.column_dimensions["A"].width = 30
    about.column_dimensions["B"].width = 90


class _TableWriters:
    """Each table's CSV file and XLSX sheet, written a row at a time and side by side (a
    write-only workbook keeps each sheet in a file of its own until it is saved)."""

    def __init__(self, directory: Path, stack: contextlib.ExitStack, data: Data):
        self.workbook = Workbook(write_only=True)
        _about_sheet(self.workbook, data)
        self.csv: dict[str, Any] = {}
        self.sheets: dict[str, Any] = {}
        bold = Font(bold=True)
        for table in TABLES:
            out = stack.enter_context(
                (directory / table.path).open("w", encoding="utf-8", newline="")
            )
            self.csv[table.name] = csv.writer(out, lineterminator="\r\n")
            self.csv[table.name].writerow([c.name for c in table.columns])
            sheet = self.workbook.create_sheet(str(table.title)[:31])
            sheet.freeze_panes = "A2"
            header = []
            for column in table.columns:
                cell = WriteOnlyCell(sheet, value=str(column.title))
                cell.font = bold
                header.append(cell)
            sheet.append(header)
            self.sheets[table.name] = sheet

    def write(self, table: Table, rows: Iterable[list]) -> None:
        writer, sheet = self.csv[table.name], self.sheets[table.name]
        for row in rows:
            writer.writerow([_csv_value(v) for v in row])
            sheet.append([_xlsx_cell(sheet, v) for v in row])

    def save_xlsx(self, path: Path) -> None:
        self.workbook.properties.title = str(meta.TITLE)
        with path.open("wb") as out:
            self.workbook.save(out)


def write_bundle(directory: Path, data: Data) -> None:
    """Every file of the full download, into `directory`, in one pass over the evaluations."""
    whole = [t for t in TABLES if t.rows is not None]
    per_evaluation = [t for t in TABLES if t.evaluation_rows is not None]
    with contextlib.ExitStack() as stack:
        tables = _TableWriters(directory, stack, data)
        dump = stack.enter_context((directory / JSON_NAME).open("w", encoding="utf-8"))
        for table in whole:
            tables.write(table, table.rows(data))  # type: ignore[misc]
        # The dump's evaluations come last: its head is written as JSON with the list left open.
        head = json.dumps({**_json_head(data), "evaluations": []}, ensure_ascii=False)
        assert head.endswith('"evaluations": []}')
        dump.write(head[: -len("]}")])
        separator = ""
        for batch in data.evaluation_batches():
            for table in per_evaluation:
                for record in batch:
                    tables.write(table, table.evaluation_rows(record))  # type: ignore[misc]
            for record in batch:
                detail = schemas.EvaluationDetail.model_validate(record).model_dump(mode="json")
                dump.write(separator + json.dumps(detail, ensure_ascii=False))
                separator = ", "
        dump.write("]}")
    tables.save_xlsx(directory / XLSX_NAME)
    package_text = json.dumps(datapackage(data), ensure_ascii=False, indent=2)
    (directory / DATAPACKAGE_NAME).write_text(package_text, encoding="utf-8")
    with zipfile.ZipFile(directory / ZIP_NAME, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.comment = f"{meta.TITLE}, {data_date(data)}".encode()
        bundle.writestr(README_NAME, readme(data))
        bundle.writestr(DATAPACKAGE_NAME, package_text)
        for table in TABLES:
            bundle.write(directory / table.path, table.path)
