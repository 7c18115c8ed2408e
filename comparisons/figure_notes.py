"""The public "Om siffrorna" notes: where a report's own figures disagree, which one Kompass
shows and why, computed from the stored figures (two queries).

Reports print rounded points and then and now contradict themselves (DOMAIN.md, "Quirks"):
a printed total that is not the sum of the areas, an area header that is not the table's total,
sub-question rows that do not add up to their area, points recovered from the percent column,
a report dated before the evaluation. Kompass never silently fixes a report; these notes say
what a visitor would otherwise find puzzling. The importer's warnings stay staff-only: they
speak of parsing, these only of figures that a visitor sees.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.models import AreaResult, Evaluation, QuestionScore

from .templatetags.kompass import points as shown


class NoteKind(StrEnum):
    TOTAL = "total"  # the printed total differs from the sum of the areas
    AREA_HEADER = "area_header"  # an area's header gives other points than its table
    AREA_ROWS = "area_rows"  # an area's printed sub-question points do not add up to it
    ROUNDING = "rounding"  # points recovered from the percent column
    PERCENT = "percent"  # printed points and percent that no one-decimal value reconciles
    DATES = "dates"  # the report is dated before the evaluation was made


@dataclass(frozen=True)
class FigureItem:
    """One figure a note is about: where (an area number or a question code), what Kompass
    shows, and what the report printed elsewhere."""

    where: str
    shown: Decimal | str | None
    printed: Decimal | str | None
    percent: int | None = None  # the report's percent, for ROUNDING and PERCENT


@dataclass(frozen=True)
class FigureNote:
    kind: NoteKind
    text: str  # one or two sentences for people, in the active language
    items: tuple[FigureItem, ...] = ()


def _total_note(evaluation: Evaluation, areas_sum: Decimal | None) -> FigureNote | None:
    printed = evaluation.printed_total
    if printed is None or areas_sum is None or printed == areas_sum:
        return None
    return FigureNote(
        kind=NoteKind.TOTAL,
        text=_(
            "Totalpoängen %(total)s är den som rapportens text anger. Områdenas poäng i "
            "rapportens tabeller summerar till %(sum)s. Kompass visar rapportens egen total och "
            "områdenas poäng som de står, utan att jämka dem."
        )
        % {"total": shown(printed), "sum": shown(areas_sum)},
        items=(FigureItem(where=_("totalt"), shown=printed, printed=areas_sum),),
    )


def _header_note(results: list[AreaResult]) -> FigureNote | None:
    items = tuple(
        FigureItem(where=str(r.area.number), shown=r.points, printed=r.header_points)
        for r in results
        if None not in (r.points, r.header_points) and r.points != r.header_points
    )
    if not items:
        return None
    details = "; ".join(
        _("område %(area)s: rubriken %(header)s, tabellen %(table)s")
        % {"area": i.where, "header": shown(i.printed), "table": shown(i.shown)}
        for i in items
    )
    return FigureNote(
        kind=NoteKind.AREA_HEADER,
        text=_(
            "I rapporten anger områdets rubrik andra poäng än översiktstabellen (%(details)s). "
            "Kompass visar översiktstabellens summa."
        )
        % {"details": details},
        items=items,
    )


def _rows_note(results: list[AreaResult], scores: list[QuestionScore]) -> FigureNote | None:
    printed_sums: dict[int, Decimal] = {}
    stored_sums: dict[int, Decimal] = {}
    for score in scores:
        number = score.question.area.number
        printed = score.printed_points if score.printed_points is not None else score.points
        printed_sums[number] = printed_sums.get(number, Decimal(0)) + printed
        stored_sums[number] = stored_sums.get(number, Decimal(0)) + score.points
    items = tuple(
        FigureItem(where=str(r.area.number), shown=r.points, printed=printed_sums[r.area.number])
        for r in results
        if r.points is not None
        and r.area.number in printed_sums
        and printed_sums[r.area.number] != r.points
    )
    if not items:
        return None
    details = "; ".join(
        _("område %(area)s: raderna %(rows)s, summan %(total)s (exaktare poäng: %(exact)s)")
        % {
            "area": i.where,
            "rows": shown(i.printed),
            "total": shown(i.shown),
            "exact": shown(stored_sums[int(i.where)]),
        }
        for i in items
    )
    return FigureNote(
        kind=NoteKind.AREA_ROWS,
        text=_(
            "Delfrågornas tryckta poäng summerar inte alltid till områdets poäng, eftersom "
            "rapporten avrundar varje rad för sig (%(details)s). Kompass visar områdets poäng "
            "som rapporten anger den."
        )
        % {"details": details},
        items=items,
    )


def _rounding_notes(scores: list[QuestionScore]) -> list[FigureNote]:
    notes = (_recovered_decimals_note(scores), _percent_contradictions_note(scores))
    return [note for note in notes if note is not None]


def _recovered_decimals_note(scores: list[QuestionScore]) -> FigureNote | None:
    """Points printed rounded to whole numbers whose decimal the percent gave back."""
    recovered = tuple(
        FigureItem(
            where=s.question.code,
            shown=s.points,
            printed=s.printed_points,
            percent=s.printed_percent,
        )
        for s in scores
        if s.printed_points is not None and s.printed_points != s.points
    )
    if not recovered:
        return None
    details = "; ".join(
        _("%(code)s: tryckt %(printed)s, %(percent)s %%, visas %(shown)s")
        % {
            "code": i.where,
            "printed": shown(i.printed),
            "percent": i.percent,
            "shown": shown(i.shown),
        }
        for i in recovered
    )
    return FigureNote(
        kind=NoteKind.ROUNDING,
        text=ngettext(
            "Rapporten skriver delfrågornas poäng avrundade till heltal, men procenten "
            "visar det mer exakta värdet. På %(n)s delfråga visar Kompass det värde med "
            "en decimal som stämmer med både de tryckta poängen och procenten "
            "(%(details)s).",
            "Rapporten skriver delfrågornas poäng avrundade till heltal, men procenten "
            "visar det mer exakta värdet. På %(n)s delfrågor visar Kompass det värde med "
            "en decimal som stämmer med både de tryckta poängen och procenten "
            "(%(details)s).",
            len(recovered),
        )
        % {"n": len(recovered), "details": details},
        items=recovered,
    )


def _percent_contradictions_note(scores: list[QuestionScore]) -> FigureNote | None:
    """Printed points and percent that do not agree (the points are shown)."""
    contradictions = tuple(
        FigureItem(
            where=s.question.code, shown=s.points, printed=s.points, percent=s.printed_percent
        )
        for s in scores
        if s.printed_percent is not None
        and (s.printed_points is None or s.printed_points == s.points)
        and s.percent != s.printed_percent
    )
    if not contradictions:
        return None
    details = "; ".join(
        _("%(code)s: %(points)s poäng men %(percent)s %%")
        % {"code": i.where, "points": shown(i.shown), "percent": i.percent}
        for i in contradictions
    )
    return FigureNote(
        kind=NoteKind.PERCENT,
        text=_(
            "På några delfrågor går rapportens poäng och procent inte ihop (%(details)s). "
            "Kompass visar de tryckta poängen och räknar procenten från dem."
        )
        % {"details": details},
        items=contradictions,
    )


def _dates_note(evaluation: Evaluation) -> FigureNote | None:
    made = date(evaluation.year, evaluation.month or 1, 1)
    if evaluation.report_date is None or evaluation.report_date >= made:
        return None
    when = date_format(made, "F Y") if evaluation.month else str(evaluation.year)
    return FigureNote(
        kind=NoteKind.DATES,
        text=_(
            "Rapporten är daterad %(dated)s, före utvärderingen som enligt rapporten gjordes "
            "%(made)s. Kompass anger utvärderingens tidpunkt, %(made)s."
        )
        % {"dated": date_format(evaluation.report_date, "j F Y"), "made": when},
        items=(FigureItem(where=_("datum"), shown=when, printed=str(evaluation.report_date)),),
    )


def figure_notes(*, evaluation: Evaluation) -> list[FigureNote]:
    """The notes on `evaluation`'s figures, in the order the profile shows the figures."""
    results = list(
        AreaResult.objects.filter(evaluation=evaluation)
        .select_related("area")
        .order_by("area__number")
        .only("points", "header_points", "area__number")
    )
    scores = list(
        QuestionScore.objects.filter(evaluation=evaluation)
        .select_related("question__area")
        .order_by("question__area__number", "question__code")
        .only(
            "points",
            "printed_points",
            "printed_percent",
            "question__code",
            "question__max_points",
            "question__area__number",
        )
    )
    known = [r.points for r in results if r.points is not None]
    areas_sum = sum(known, Decimal(0)) if known else None
    notes = [
        _total_note(evaluation, areas_sum),
        _header_note(results),
        _rows_note(results, scores),
        *_rounding_notes(scores),
        _dates_note(evaluation),
    ]
    return [note for note in notes if note is not None]
