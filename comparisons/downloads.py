"""The explorer's downloads, as plain writers: CSV for Swedish Excel, and XLSX with a note.

CSV: UTF-8 with a byte order mark (so that Excel reads å/ä/ö), ";" between fields and a decimal
comma: what Excel with Swedish settings opens by double-click, and what R's read.csv2 reads.
"""

import csv
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import BinaryIO, TextIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font

from evaluations.models import QuestionScore

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
# Text that a spreadsheet would take for a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


def score_values(
    score: QuestionScore, *, sums: Mapping[int, VersionSums]
) -> list[str | int | Decimal | None]:
    """One download row; `score` needs the explorer's select_related and `procent` annotation.
    `sums` (per framework version id) give the mean of the other published scores."""
    evaluation, question = score.evaluation, score.question
    version_sums = sums.get(evaluation.framework_id, VersionSums(evaluation.framework_id))
    mean = mean_of_others(sums=version_sums, left_out=[{question.code: score.points}]).get(
        question.code
    )
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
        int(score.procent),
        mean.rounded,
        mean.n,
    ]


def _csv_cell(value: str | int | Decimal | None) -> str | int:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(
    *, scores: Iterable[QuestionScore], out: TextIO, sums: Mapping[int, VersionSums]
) -> int:
    """Write the header and one line per score; return the number of scores written."""
    out.write(BOM)
    writer = csv.writer(out, delimiter=CSV_DELIMITER)
    writer.writerow(column_names())
    count = 0
    for score in scores:
        writer.writerow([_csv_cell(value) for value in score_values(score, sums=sums)])
        count += 1
    return count


def write_xlsx(
    *,
    scores: Iterable[QuestionScore],
    out: BinaryIO,
    sums: Mapping[int, VersionSums],
    applied_filters: list[tuple[str, str]],
    source_url: str,
    created: date,
) -> int:
    """A data sheet (header in row 1, ready for a filter or pandas) and a sheet with the note."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(DATA_SHEET)
    names = column_names()
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    version_header = sheet.cell(row=1, column=names.index(_("Version")) + 1)
    version_header.comment = Comment(f"{VERSION_NOTE} ({NOTE_SHEET})", "Kompass")
    count = 0
    for score in scores:
        sheet.append(score_values(score, sums=sums))
        count += 1
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl stores text starting with "=" as a formula
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width

    note = workbook.create_sheet(str(NOTE_SHEET))
    filters = "; ".join(f"{label}: {value}" for label, value in applied_filters)
    note.append([_("Kommunkompassen: delfrågepoäng ur Kompass")])
    note["A1"].font = Font(bold=True, size=14)
    note.append([])
    for label, value in (
        (_("Jämförelser mellan versioner"), str(VERSION_NOTE)),
        (_("Procent"), str(PERCENT_NOTE)),
        (_("Medel av andra"), str(MEAN_NOTE)),
        (_("Urval"), filters or _("Alla publicerade utvärderingar, inga filter.")),
        (_("Rader"), count),
        (_("Källa"), source_url),
        (_("Hämtad"), created),
    ):
        note.append([label, value])
    for row in note.iter_rows(min_row=3):
        row[0].font = Font(bold=True)
        row[0].alignment = row[1].alignment = Alignment(wrap_text=True, vertical="top")
    note[f"B{note.max_row}"].number_format = "yyyy-mm-dd"
    note.column_dimensions["A"].width = 28
    note.column_dimensions["B"].width = 90
    workbook.properties.title = _("Kommunkompassen: delfrågepoäng")
    workbook.save(out)
    return count
