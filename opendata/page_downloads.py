"""CSV and XLSX of exactly the table a page shows: a profile's areas (against the previous
evaluation and the mean), a comparison's areas side by side, a ranking. Shaped like the
explorer's downloads: CSV for Swedish Excel (BOM, ";", decimal comma), XLSX with a note sheet."""

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO, TextIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from comparisons.comparison import Comparison
from comparisons.downloads import BOM, CSV_DELIMITER, VERSION_NOTE
from comparisons.profiles import Profile
from comparisons.ranking import RankRow
from kompass_site.spreadsheets import csv_cell

from . import previews
from .meta import ATTRIBUTION

Value = str | int | Decimal | None


@dataclass(frozen=True)
class PageTable:
    title: str
    header: list[str]
    rows: list[list[Value]]
    notes: list[str] = field(default_factory=list)


def profile_table(profile: Profile) -> PageTable:
    evaluation = profile.evaluation
    header = [_("Område"), _("Områdesrubrik"), str(evaluation.year)]
    if profile.previous:
        header.append(str(profile.previous.year))
        if profile.previous_comparable:
            header.append(_("Förändring"))
    if profile.mean:
        header += [profile.mean.label, _("Skillnad mot medel")]  # the label names its n
    rows: list[list[Value]] = []
    for area in profile.areas:
        row: list[Value] = [area.number, area.title, area.points]
        if profile.previous:
            row.append(area.previous_points)
            if profile.previous_comparable:
                row.append(area.change)
        if profile.mean:
            row += [area.mean, area.diff_to_mean]
        rows.append(row)
    rows.append([_("Totalt (av 800)"), "", evaluation.total] + [None] * (len(header) - 3))
    return PageTable(
        title=previews.evaluation_title(evaluation),
        header=header,
        rows=rows,
        notes=[
            _("Version %(version)s.") % {"version": evaluation.framework.code},
            *profile.notes,
        ],
    )


def comparison_table(comparison: Comparison) -> PageTable:
    first = comparison.first
    header = [_("Område"), _("Områdesrubrik")]
    for index, member in enumerate(comparison.members):
        header.append(f"{member.label} ({_('version')} {member.version})")
        if index:
            difference = _("Skillnad mot %(name)s") % {"name": first.label}
            if member.version != first.version:
                difference += " " + _("(ej fullt jämförbar)")
            header.append(difference)

    def cells(row_cells) -> list[Value]:
        values: list[Value] = []
        for index, cell in enumerate(row_cells):
            values.append(cell.points)
            if index:
                values.append(cell.difference)
        return values

    rows: list[list[Value]] = [
        [row.number, " / ".join(row.titles), *cells(row.cells)] for row in comparison.areas
    ]
    rows.append([_("Totalt (av 800)"), "", *cells(comparison.totals)])
    notes = []
    if comparison.mixed_versions:
        notes.append(
            _(
                "Utvärderingarna är gjorda enligt olika versioner (%(versions)s) och är inte fullt "
                "jämförbara; skillnaden mot en annan version är tom."
            )
            % {"versions": ", ".join(comparison.versions)}
        )
    return PageTable(
        title=previews.comparison_title(comparison),
        header=header,
        rows=rows,
        notes=notes,
    )


def ranking_table(rows: Sequence[RankRow], *, caption: str) -> PageTable:
    return PageTable(
        title=caption,
        header=[
            _("Plats"),
            _("Kommun"),
            _("Kommunkod"),
            _("Län"),
            _("År"),
            _("Version"),
            _("Poäng"),
        ],
        rows=[
            [
                r.position,
                r.evaluation.municipality.short_name,
                r.evaluation.municipality.code,
                r.evaluation.municipality.county.name,
                r.evaluation.year,
                r.evaluation.framework.code,
                r.score,
            ]
            for r in rows
        ],
    )


ONE_DECIMAL = Decimal("0.1")


def _cell(value: Value) -> Value:
    # Sums come back from the database as 575 or 575.0 depending on the database.
    # Halves up, as the pages show them (a mean of the others can be 56.25).
    return value.quantize(ONE_DECIMAL, ROUND_HALF_UP) if isinstance(value, Decimal) else value


def write_csv(table: PageTable, out: TextIO) -> None:
    out.write(BOM)
    writer = csv.writer(out, delimiter=CSV_DELIMITER)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow(["" if v is None else csv_cell(_cell(v)) for v in row])


def write_xlsx(table: PageTable, out: BinaryIO, *, source_url: str, created: date) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Tabell")
    sheet.append(table.header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].width = 40
    note = workbook.create_sheet(_("Om uppgifterna"))
    note.append([table.title])
    note["A1"].font = Font(bold=True, size=14)
    note.append([])
    for label, value in (
        (_("Källa"), source_url),
        (_("Hämtad"), created),
        (_("Jämförelser mellan versioner"), str(VERSION_NOTE)),
        *((_("Not"), text) for text in table.notes),
        (_("Licens"), str(ATTRIBUTION)),
    ):
        note.append([label, value])
        note.cell(row=note.max_row, column=1).font = Font(bold=True)
    note.column_dimensions["A"].width = 28
    note.column_dimensions["B"].width = 90
    workbook.properties.title = table.title
    workbook.save(out)
