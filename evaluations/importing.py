"""Turn a report's extracted text into a stored evaluation, all or nothing."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import dataversion
from .models import (
    AREA_COUNT,
    AREA_MAX_POINTS,
    FIRST_YEAR,
    LAST_YEAR,
    MAX_INTERVIEWED,
    TOTAL_MAX_POINTS,
    AreaListItem,
    AreaResult,
    Evaluation,
    FrameworkVersion,
    Municipality,
    Question,
    QuestionScore,
)
from .report_parser import NotAReportError, ParsedReport, parse_report


class ReportImportError(Exception):
    """A report that cannot be stored; the message is one line for the user."""


@dataclass(frozen=True)
class Reference:
    frameworks: list[dict]
    municipalities: list[tuple[str, str]]


def load_reference() -> Reference:
    """The framework versions and municipalities as the parser wants them, from the database."""
    frameworks = []
    for framework in FrameworkVersion.objects.prefetch_related("areas__questions"):
        frameworks.append(
            {
                "code": framework.code,
                "name": framework.name,
                "areas": [
                    {
                        "number": area.number,
                        "title": area.title,
                        "questions": [
                            {"code": q.code, "text": q.text, "max_points": q.max_points}
                            for q in area.questions.all()
                        ],
                    }
                    for area in framework.areas.all()
                ],
            }
        )
    municipalities = list(Municipality.objects.values_list("code", "short_name"))
    return Reference(frameworks=frameworks, municipalities=municipalities)


def parse(text: str, *, reference: Reference) -> ParsedReport:
    """Parse and check that the report can be stored; raises ReportImportError otherwise."""
    try:
        parsed = parse_report(
            text, frameworks=reference.frameworks, municipalities=reference.municipalities
        )
    except NotAReportError as error:
        raise ReportImportError(str(error)) from error
    if parsed.municipality_code is None:
        name = parsed.municipality_name or "?"
        raise ReportImportError(_("Okänd kommun: %(name)s.") % {"name": name})
    if parsed.year is None:
        raise ReportImportError(_("Hittade inte när utvärderingen gjordes (år)."))
    if parsed.framework_version is None:
        raise ReportImportError(
            _("Kunde inte känna igen ramverksversionen (2010, 2016 eller 2020).")
        )
    problems = out_of_range(parsed)
    if problems:
        raise ReportImportError(
            _("Rapporten har värden som inte kan stämma: %(problems)s")
            % {"problems": "; ".join(problems)}
        )
    return parsed


def out_of_range(parsed: ParsedReport) -> list[str]:
    """What the database's constraints would refuse, said before anything is written, so that a
    dry run and the admin's preview refuse the same reports as the import itself."""
    problems = []

    def check(value, low, high, what: str) -> None:
        if value is not None and not low <= value <= high:
            problems.append(
                _("%(what)s är %(value)s, inte %(low)s–%(high)s")
                % {"what": what, "value": value, "low": low, "high": high}
            )

    check(parsed.year, FIRST_YEAR, LAST_YEAR, _("året"))
    check(parsed.month, 1, 12, _("månaden"))
    check(parsed.previous_year, FIRST_YEAR, (parsed.year or LAST_YEAR) - 1, _("föregående år"))
    check(parsed.ordinal, 1, 99, _("utvärderingens nummer"))
    check(parsed.interviewed, 0, MAX_INTERVIEWED, _("antalet intervjuade"))
    check(parsed.printed_total, 0, TOTAL_MAX_POINTS, _("totalpoängen"))
    for area in parsed.areas:
        for value, what in (
            (area.header_points, _("område %(number)s:s rubrikpoäng")),
            (area.table_points, _("område %(number)s:s tabellsumma")),
        ):
            check(value, 0, AREA_MAX_POINTS, what % {"number": area.number})
        for question in area.questions:
            check(
                question.points,
                0,
                question.max_points,
                _("delfråga %(code)s") % {"code": question.code},
            )
    return problems


def check_not_existing(
    parsed: ParsedReport, *, replace: bool, publish: bool = False
) -> Evaluation | None:
    """The evaluation the report would replace; an error if it exists and replace is off, or if
    it is published and the replacement would silently make it a draft."""
    existing = Evaluation.objects.filter(
        municipality__code=parsed.municipality_code, year=parsed.year
    ).first()
    if existing is not None and not replace:
        raise ReportImportError(
            _("%(evaluation)s finns redan; använd --replace för att ersätta den.")
            % {"evaluation": existing}
        )
    if existing is not None and existing.is_published and not publish:
        raise ReportImportError(
            _(
                "%(evaluation)s är publicerad; ersätt den med --replace --publish, eller "
                "avpublicera den först."
            )
            % {"evaluation": existing}
        )
    return existing


def check_publishable(parsed: ParsedReport) -> None:
    """What the admin demands before publishing: a score in every area."""
    scored = {area.number for area in parsed.areas if area.points is not None}
    missing = [str(number) for number in range(1, AREA_COUNT + 1) if number not in scored]
    if missing:
        raise ReportImportError(
            _(
                "Kan inte publiceras: poäng saknas för område %(areas)s. Importera utan "
                "--publish och komplettera utkastet i administrationen."
            )
            % {"areas": ", ".join(missing)}
        )


@transaction.atomic
def store(
    parsed: ParsedReport, *, source_file: str, publish: bool = False, replace: bool = False
) -> Evaluation:
    """Create the evaluation with its areas, scores, strengths and improvement points."""
    if publish:
        check_publishable(parsed)
    existing = check_not_existing(parsed, replace=replace, publish=publish)
    if existing is not None:
        existing.delete()

    framework = FrameworkVersion.objects.get(code=parsed.framework_version)
    areas = {area.number: area for area in framework.areas.all()}
    questions = {q.code: q for q in Question.objects.filter(area__framework=framework)}
    evaluation = Evaluation.objects.create(
        municipality=Municipality.objects.get(code=parsed.municipality_code),
        framework=framework,
        year=parsed.year,
        month=parsed.month,
        report_date=parsed.report_date,
        ordinal=parsed.ordinal,
        previous_year=parsed.previous_year,
        evaluators=parsed.evaluators,
        interviewed=parsed.interviewed,
        printed_total=parsed.printed_total,
        summary=parsed.summary,
        kortfakta=parsed.kortfakta,
        kommungrupp=parsed.kommungrupp or "",
        status=Evaluation.Status.PUBLISHED if publish else Evaluation.Status.DRAFT,
        source_file=source_file,
        import_warnings=list(parsed.warnings),
    )

    results = bulk_create_with_history(
        [
            AreaResult(
                evaluation=evaluation,
                area=areas[parsed_area.number],
                points=parsed_area.points,
                header_points=parsed_area.header_points,
                table_points=parsed_area.table_points,
                text=parsed_area.text,
            )
            for parsed_area in parsed.areas
        ],
        AreaResult,
    )
    # bulk_create returns primary keys on SQLite and PostgreSQL alike.
    results_by_number = {result.area.number: result for result in results}
    bulk_create_with_history(
        [
            QuestionScore(
                evaluation=evaluation,
                question=questions[q.code],
                points=q.points,
                printed_points=q.printed_points,
                printed_percent=q.printed_percent,
            )
            for parsed_area in parsed.areas
            for q in parsed_area.questions
            if q.code in questions
        ],
        QuestionScore,
    )
    bulk_create_with_history(
        [
            AreaListItem(
                area_result=results_by_number[parsed_area.number], kind=kind, position=i, text=text
            )
            for parsed_area in parsed.areas
            for kind, texts in (
                (AreaListItem.Kind.STRENGTH, parsed_area.strengths),
                (AreaListItem.Kind.IMPROVEMENT, parsed_area.improvements),
            )
            for i, text in enumerate(texts, start=1)
        ],
        AreaListItem,
    )
    dataversion.bump()  # bulk_create sends no signals
    return evaluation
