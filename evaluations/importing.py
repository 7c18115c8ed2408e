"""Turn a report's extracted text into a stored evaluation, all or nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import dataversion, mentions
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
from .report_parser import ParsedReport, ReportRefusedError, StatedPrevious, parse_report

# The real reports' texts are 45-70 kB; a file many times that size holds no one report.
MAX_REPORT_BYTES = 2 * 1024 * 1024
MAX_REPORT_SIZE = "2 MB"


class ReportImportError(Exception):
    """A report that cannot be stored; the message is one line for the user."""


def too_large_message() -> str:
    return _("Filen är för stor (högst %(size)s).") % {"size": MAX_REPORT_SIZE}


def decode_report(data: bytes) -> str:
    """A report file's text: UTF-8 (a byte order mark dropped), every line break as a "\\n"."""
    if len(data) > MAX_REPORT_BYTES:
        raise ReportImportError(too_large_message())
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReportImportError(
            _("Filen är ingen textfil i UTF-8. Spara rapportens text som UTF-8 och försök igen.")
        ) from error
    return normalise_line_breaks(text)


def normalise_line_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_report_file(path) -> str:
    """The text of the report file at `path`; never more than the limit is read."""
    with open(path, "rb") as file:
        return decode_report(file.read(MAX_REPORT_BYTES + 1))


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
                "year": framework.year,
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


class VersionUndecidedError(ReportImportError):
    """The report's signals do not decide its framework version: staff must choose it."""

    def __init__(self, message: str, parsed: ParsedReport):
        super().__init__(message)
        self.parsed = parsed


def framework_codes(reference: Reference) -> list[str]:
    return [str(framework["code"]) for framework in reference.frameworks]


def parse(text: str, *, reference: Reference, version: str | None = None) -> ParsedReport:
    """Parse and check that the report can be stored; raises ReportImportError otherwise.
    `version`: the framework version staff chose, over the report's own signals."""
    codes = framework_codes(reference)
    if version is not None and version not in codes:
        raise ReportImportError(
            _("Okänd ramverksversion %(version)s; Kompass har %(codes)s.")
            % {"version": version, "codes": ", ".join(codes)}
        )
    try:
        parsed = parse_report(
            text,
            frameworks=reference.frameworks,
            municipalities=reference.municipalities,
            version=version,
        )
    except ReportRefusedError as error:
        raise ReportImportError(str(error)) from error
    if parsed.municipality_code is None:
        name = parsed.municipality_name or "?"
        raise ReportImportError(_("Okänd kommun: %(name)s.") % {"name": name})
    if parsed.year is None:
        raise ReportImportError(_("Hittade inte när utvärderingen gjordes (år)."))
    problems = out_of_range(parsed)
    if problems:
        raise ReportImportError(
            _("Rapporten har värden som inte kan stämma: %(problems)s")
            % {"problems": "; ".join(problems)}
        )
    if parsed.framework_version is None:
        raise VersionUndecidedError(
            _(
                "Rapporten avgör inte vilken ramverksversion den följer (%(codes)s); ange den "
                "med --version."
            )
            % {"codes": ", ".join(codes)},
            parsed,
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
    it is published and the replacement would silently make it a draft. A result only stated in
    a later report is replaced by the real report without --replace (the import says so)."""
    existing = (
        Evaluation.objects.filter(municipality__code=parsed.municipality_code, year=parsed.year)
        .select_related("municipality", "stated_in")
        .first()
    )
    if existing is not None and existing.is_stated:
        return existing
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


@dataclass
class Plan:
    """What storing a parsed report will do, decided before anything is written: the
    evaluation it replaces, the stated previous result it stores, and the warnings that the
    stored evaluation keeps (the report's own, and what the database adds)."""

    existing: Evaluation | None
    stated: StatedPrevious | None
    warnings: list[str] = field(default_factory=list)


def plan(
    parsed: ParsedReport, *, replace: bool = False, publish: bool = False, keep_stated: bool = True
) -> Plan:
    """Every check the import makes, for a dry run and the admin's preview as for the import;
    raises ReportImportError where the import would."""
    if publish:
        check_publishable(parsed)
    existing = check_not_existing(parsed, replace=replace, publish=publish)
    warnings = list(parsed.warnings)
    if existing is not None and existing.is_stated:
        warnings.append(
            _(
                "Kompass hade %(year)s bara som uppgift ur rapporten %(later)s; den ersätts av "
                "denna rapport."
            )
            % {"year": existing.year, "later": existing.stated_in.year}
            + (
                " " + _("Den syns inte längre på webbplatsen förrän denna utvärdering publiceras.")
                if existing.is_published and not publish
                else ""
            )
        )
    stated, notes = _stated_to_store(parsed, existing=existing, keep=keep_stated)
    return Plan(existing=existing, stated=stated, warnings=warnings + notes)


def _stated_to_store(
    parsed: ParsedReport, *, existing: Evaluation | None, keep: bool
) -> tuple[StatedPrevious | None, list[str]]:
    stated = parsed.previous_stated
    if stated is None:
        return None, []
    if not keep:
        return None, [
            _("Föregående resultat enligt texten (%(year)s) utelämnat vid importen.")
            % {"year": stated.year}
        ]
    other = (
        Evaluation.objects.filter(municipality__code=parsed.municipality_code, year=stated.year)
        .select_related("municipality", "stated_in")
        .first()
    )
    replaced_with_it = (
        other is not None
        and other.is_stated
        and existing is not None
        and other.stated_in_id == existing.pk
    )
    if other is None or replaced_with_it:
        return stated, [
            _(
                "Föregående resultat enligt texten sparas som %(year)s, uppgift ur rapporten "
                "%(later)s (version %(version)s)."
            )
            % {"year": stated.year, "later": parsed.year, "version": stated.framework_version}
        ]
    if other.is_stated:
        return None, [
            _(
                "Föregående resultat enligt texten sparas inte: Kompass har redan %(year)s som "
                "uppgift ur rapporten %(later)s."
            )
            % {"year": stated.year, "later": other.stated_in.year}
        ]
    differences = _differences(other, stated)
    note = _(
        "Föregående resultat enligt texten sparas inte: Kompass har redan utvärderingen "
        "%(evaluation)s ur dess egen rapport."
    ) % {"evaluation": other}
    if differences:
        note += " " + _("Texten skiljer sig från den: %(differences)s.") % {
            "differences": "; ".join(differences)
        }
    return None, [note]


def _differences(evaluation: Evaluation, stated: StatedPrevious) -> list[str]:
    """Where a stated result disagrees with the evaluation held from its own report."""
    held = Evaluation.objects.with_total().get(pk=evaluation.pk)
    areas = dict(
        AreaResult.objects.filter(evaluation=evaluation).values_list("area__number", "points")
    )
    pairs = [(_("totalt"), stated.total, held.total)] + [
        (_("område %(number)s") % {"number": number}, value, areas.get(number))
        for number, value in sorted(stated.areas.items())
    ]
    return [
        _("%(what)s %(stated)s i texten, %(held)s i Kompass")
        % {"what": what, "stated": _plain(value), "held": _plain(kept)}
        for what, value, kept in pairs
        if value is not None and kept is not None and Decimal(value) != Decimal(kept)
    ]


def _plain(value) -> str:
    return format(Decimal(value).normalize(), "f").replace(".", ",")


@transaction.atomic
def store(
    parsed: ParsedReport,
    *,
    source_file: str,
    publish: bool = False,
    replace: bool = False,
    keep_stated: bool = True,
) -> Evaluation:
    """Create the evaluation with its areas, scores and lists (strengths, improvement points,
    weaknesses), and the previous result the report states where Kompass holds none."""
    steps = plan(parsed, replace=replace, publish=publish, keep_stated=keep_stated)
    if steps.existing is not None:
        steps.existing.delete()

    framework = FrameworkVersion.objects.get(code=parsed.framework_version)
    areas = {area.number: area for area in framework.areas.all()}
    questions = {q.code: q for q in Question.objects.filter(area__framework=framework)}
    status = Evaluation.Status.PUBLISHED if publish else Evaluation.Status.DRAFT
    municipality = Municipality.objects.get(code=parsed.municipality_code)
    evaluation = Evaluation.objects.create(
        municipality=municipality,
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
        status=status,
        source_file=source_file,
        import_warnings=steps.warnings,
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
            for kind, texts in list_columns(parsed_area)
            for i, text in enumerate(texts, start=1)
        ],
        AreaListItem,
    )
    if steps.stated is not None:
        _store_stated(steps.stated, later=evaluation, source_file=source_file)
    mentions.refresh(evaluation=evaluation)
    dataversion.bump()  # bulk_create sends no signals
    return evaluation


def list_columns(parsed_area) -> list[tuple[str, list[str]]]:
    """An area's lists by the kind they are stored as, in the report's column order."""
    return [
        (AreaListItem.Kind.STRENGTH, parsed_area.strengths),
        (AreaListItem.Kind.IMPROVEMENT, parsed_area.improvements),
        (AreaListItem.Kind.WEAKNESS, parsed_area.weaknesses),
    ]


def _store_stated(stated: StatedPrevious, *, later: Evaluation, source_file: str) -> Evaluation:
    """A summary-only evaluation of what the later report states; public exactly when the
    later report is (``workflow.publish`` carries it along)."""
    framework = FrameworkVersion.objects.get(code=stated.framework_version)
    previous = Evaluation.objects.create(
        municipality=later.municipality,
        framework=framework,
        year=stated.year,
        printed_total=stated.total,
        status=later.status,
        source_file=source_file,
        origin=Evaluation.Origin.STATED,
        stated_in=later,
        stated_source=stated.source,
    )
    areas = {area.number: area for area in framework.areas.all()}
    bulk_create_with_history(
        [
            AreaResult(evaluation=previous, area=areas[number], points=points)
            for number, points in sorted(stated.areas.items())
        ],
        AreaResult,
    )
    return previous
