"""The explorer's downloads, as plain writers: CSV for Swedish Excel, and XLSX with a note.

CSV: UTF-8 with a byte order mark (so that Excel reads å/ä/ö), ";" between fields and a decimal
comma: what Excel with Swedish settings opens by double-click, and what R's read.csv2 reads.
"""

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from evaluations.models import QuestionScore
from kompass_site.spreadsheets import csv_cell

from .means import VersionSums, mean_of_others

CSV_DELIMITER = ";"
BOM = "\ufeff"
DATA_SHEET = gettext_lazy("Delfrågor")
NOTE_SHEET = gettext_lazy("Om uppgifterna")
VERSION_NOTE = gettext_lazy(
    "Kommunkompassen har reviderats 2010, 2016 och 2020. Poäng från olika versioner är inte "
    "fullt jämförbara: områden och delfrågor har ändrats, och samma kod (till exempel 1.4) kan "
    "avse olika delfrågor i olika versioner. Jämför helst inom en version (kolumnen Version)."
)
PERCENT_NOTE = gettext_lazy("Poäng × 100 / max, avrundat till heltal (halvor uppåt).")
MEAN_NOTE = gettext_lazy(
    "Medelvärdet av poängen på samma delfråga i versionens andra publicerade utvärderingar, "
    "utan radens egen, avrundat till en decimal (halvor uppåt); n är hur många de är. Tomt där "
    "ingen annan utvärdering har poäng på delfrågan."
)
COLUMN_WIDTHS = (16, 10, 20, 7, 8, 8, 36, 6, 70, 7, 6, 8, 14, 9)


def column_names() -> list[str]:
    return [
        _("Kommun"),
        _("Kommunkod"),
        _("Län"),
        _("År"),
        _("Version"),
        _("Område"),
        _("Områdesrubrik"),
        _("Kod"),
        _("Delfråga"),
        _("Poäng"),
        _("Max"),
        _("Procent"),
        _("Medel av andra"),
        _("n (andra)"),
    ]


# The columns above up to the percent, as lookups on the explorer's rows
# (`filters.published_scores`), and the version's id for the mean of the others.
ROW_FIELDS = (
    "evaluation__municipality__short_name",
    "evaluation__municipality__code",
    "evaluation__municipality__county__name",
    "evaluation__year",
    "evaluation__framework__code",
    "question__area__number",
    "question__area__title",
    "question__code",
    "question__text",
    "points",
    "question__max_points",
    "procent",
    "evaluation__framework_id",
)
Row = Sequence[str | int | Decimal | None]


def score_rows(
    scores: QuerySet[QuestionScore], *, sums: Mapping[int, VersionSums], chunk_size: int = 2000
) -> Iterator[Row]:
    """The download rows of `scores`, in its order, from plain tuples read in chunks (a
    server-side cursor on PostgreSQL): linear time and constant memory at any size. `sums`
    (per framework version id) give the mean of the other published scores."""
    # The mean of the others depends on the version, the question and the score only: a few
    # thousand combinations for 450,000 rows.
    means: dict[tuple[int, str, Decimal], tuple[Decimal | None, int]] = {}
    for *values, framework_id in scores.values_list(*ROW_FIELDS).iterator(chunk_size=chunk_size):
        code, points = values[7], values[9]
        mean = means.get((framework_id, code, points))
        if mean is None:
            version_sums = sums.get(framework_id, VersionSums(framework_id))
            found = mean_of_others(sums=version_sums, left_out=[{code: points}], keys=[code])
            mean = means[framework_id, code, points] = (found.get(code).rounded, found.get(code).n)
        values[11] = int(values[11])  # the percent, a float from the database
        yield [*values, *mean]


def score_values(
    score: QuestionScore, *, sums: Mapping[int, VersionSums]
) -> list[str | int | Decimal | None]:
    """One download row; `score` needs the explorer's select_related and `procent` annotation.
    `sums` (per framework version id) give the mean of the other published scores."""
    evaluation, question = score.evaluation, score.question
    version_sums = sums.get(evaluation.framework_id, VersionSums(evaluation.framework_id))
    mean = mean_of_others(
        sums=version_sums, left_out=[{question.code: score.points}], keys=[question.code]
    ).get(question.code)
    return [
        evaluation.municipality.short_name,
        evaluation.municipality.code,
        evaluation.municipality.county.name,
        evaluation.year,
        evaluation.framework.code,
        question.area.number,
        question.area.title,
        question.code,
        question.text,
        score.points,
        question.max_points,
        int(score.procent),  # type: ignore[attr-defined]  # annotated by the query
        mean.rounded,
        mean.n,
    ]


class _Lines:
    """What csv.writer writes to: hands each line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(*, rows: Iterable[Row], lines_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV as UTF-8 chunks (byte order mark, header, one line per row), for a streamed
    answer: nothing is held but the chunk being filled."""
    writer = csv.writer(_Lines(), delimiter=CSV_DELIMITER)
    chunk = [BOM + writer.writerow(column_names())]
    for row in rows:
        chunk.append(writer.writerow([csv_cell(value) for value in row]))
        if len(chunk) >= lines_per_chunk:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    yield "".join(chunk).encode("utf-8")


def _text_cell(sheet, value):
    # openpyxl takes text starting with "=" for a formula; a spreadsheet must never run one.
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def write_xlsx(
    *,
    rows: Iterable[Row],
    out: BinaryIO,
    applied_filters: list[tuple[str, str]],
    source_url: str,
    created: date,
) -> int:
    """A data sheet (header in row 1, ready for a filter or pandas) and a sheet with the note,
    written row by row (openpyxl's write-only mode: linear time, constant memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(DATA_SHEET))
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    names = column_names()
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, name)
        cell.font = Font(bold=True)
        if name == _("Version"):
            cell.comment = Comment(f"{VERSION_NOTE} ({NOTE_SHEET})", "Kompass")
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        values = list(row)
        for index, value in enumerate(values):
            if isinstance(value, str) and value.startswith("="):
                values[index] = _text_cell(sheet, value)
        sheet.append(values)
        count += 1
    sheet.auto_filter.ref = f"A1:{chr(ord('A') + len(names) - 1)}{count + 1}"
    _write_note_sheet(
        workbook, count=count, applied_filters=applied_filters, source_url=source_url,
        created=created,
    )  # fmt: skip
    workbook.properties.title = _("Kommunkompassen: delfrågepoäng")
    workbook.save(out)
    return count


def _write_note_sheet(
    workbook: Workbook,
    *,
    count: int,
    applied_filters: list[tuple[str, str]],
    source_url: str,
    created: date,
) -> None:
    """The sheet that says what the data sheet holds: versions, percent, means, the filters."""
    note = workbook.create_sheet(str(NOTE_SHEET))
    note.column_dimensions["A"].width = 28
    note.column_dimensions["B"].width = 90
    title = WriteOnlyCell(note, _("Kommunkompassen: delfrågepoäng ur Kompass"))
    title.font = Font(bold=True, size=14)
    note.append([title])
    note.append([])
    filters = "; ".join(f"{label}: {value}" for label, value in applied_filters)
    lines: tuple[tuple[str, str | int | date], ...] = (
        (_("Jämförelser mellan versioner"), str(VERSION_NOTE)),
        (_("Procent"), str(PERCENT_NOTE)),
        (_("Medel av andra"), str(MEAN_NOTE)),
        (_("Urval"), filters or _("Alla publicerade utvärderingar, inga filter.")),
        (_("Rader"), count),
        (_("Källa"), source_url),
        (_("Hämtad"), created),
    )
    for label, value in lines:
        label_cell = WriteOnlyCell(note, label)
        label_cell.font = Font(bold=True)
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
        value_cell = WriteOnlyCell(note, value)
        value_cell.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, date):
            value_cell.number_format = "yyyy-mm-dd"
        note.append([label_cell, value_cell])
