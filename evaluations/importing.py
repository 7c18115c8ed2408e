"""Turn a report's extracted text into a stored evaluation, all or nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from . import rules, writing
from .models import AreaResult, Evaluation, FrameworkVersion, Municipality, Revision
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
    if parsed.framework_version is None:
        # Impossible values are said before staff are asked for the version.
        check_values(parsed, publish=False, replacing=True)
        raise VersionUndecidedError(
            _(
                "Rapporten avgör inte vilken ramverksversion den följer (%(codes)s); ange den "
                "med --version."
            )
            % {"codes": ", ".join(codes)},
            parsed,
        )
    return parsed


def check_not_existing(
    parsed: ParsedReport, *, replace: bool, publish: bool = False
) -> Evaluation | None:
    """The evaluation the report would replace; an error if it exists and replace is off, or if
    it is published and the replacement would silently make it a draft. A result only stated in
    a later report is replaced by the real report without --replace (the import says so)."""
    existing = (
        Evaluation.objects.live()
        .filter(municipality__code=parsed.municipality_code, year=parsed.year)
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
    """The rule of publishing (rules.unscored_areas), said before anything is written."""
    missing = rules.unscored_areas({area.number: area.points for area in parsed.areas})
    if missing:
        raise ReportImportError(
            _(
                "Kan inte publiceras: poäng saknas för område %(areas)s. Importera utan "
                "--publish och komplettera utkastet i administrationen."
            )
            % {"areas": ", ".join(map(str, missing))}
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
            % {"year": existing.year, "later": getattr(existing.stated_in, "year", "")}
            + (
                " " + _("Den syns inte längre på webbplatsen förrän denna utvärdering publiceras.")
                if existing.is_published and not publish
                else ""
            )
        )
    stated, notes = _stated_to_store(parsed, existing=existing, keep=keep_stated)
    steps = Plan(existing=existing, stated=stated, warnings=warnings + notes)
    check_values(parsed, publish=publish, replacing=existing is not None)
    return steps


def check_values(parsed: ParsedReport, *, publish: bool, replacing: bool) -> None:
    """The write service's checks (the models' constraints and rules), before anything is
    written, so that a dry run and the admin's preview refuse what the import would. Without a
    framework version only the evaluation's own fields can be checked; its rows are checked
    once staff choose the version."""
    evaluation, content = build(parsed, source_file="", publish=publish, warnings=[])
    # The evaluation replaced is deleted first, so its municipality and year are free.
    exclude = ("municipality",) if replacing else ()
    if evaluation.framework_id is None:
        problems = writing.header_problems(evaluation, exclude=(*exclude, "framework"))
    else:
        problems = writing.problems(evaluation, content=content, exclude=exclude)
    if problems:
        raise ReportImportError(
            _("Rapporten har värden som inte kan stämma: %(problems)s")
            % {"problems": " ".join(map(str, problems))}
        )


def build(
    parsed: ParsedReport, *, source_file: str, publish: bool, warnings: list[str]
) -> tuple[Evaluation, writing.Content]:
    """The unsaved evaluation and the rows of a parsed report, as the write service takes them."""
    evaluation = Evaluation(
        municipality=Municipality.objects.get(code=parsed.municipality_code),
        framework=FrameworkVersion.objects.filter(code=parsed.framework_version).first(),
        year=parsed.year,  # type: ignore[misc]  # a report without one is refused by full_clean
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
        import_warnings=warnings,
    )
    return evaluation, writing.Content(
        areas=tuple(
            writing.AreaData(
                number=a.number,
                points=a.points,
                header_points=a.header_points,
                table_points=a.table_points,
                text=a.text,
                strengths=tuple(a.strengths),
                improvements=tuple(a.improvements),
                weaknesses=tuple(a.weaknesses),
            )
            for a in parsed.areas
        ),
        scores=tuple(
            writing.ScoreData(q.code, q.points, q.printed_points, q.printed_percent)
            for a in parsed.areas
            for q in a.questions
        ),
    )


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
        Evaluation.objects.live()
        .filter(municipality__code=parsed.municipality_code, year=stated.year)
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
    user=None,
    reason: str = "",
) -> Evaluation:
    """Create the evaluation with its areas, scores and lists (strengths, improvement points,
    weaknesses), and the previous result the report states where Kompass holds none, through
    the write service; the history names the file."""
    steps = plan(parsed, replace=replace, publish=publish, keep_stated=keep_stated)
    evaluation, content = build(
        parsed, source_file=source_file, publish=publish, warnings=steps.warnings
    )
    reason = reason or import_reason(parsed=parsed, filename=source_file)
    try:
        writing.save_evaluation(
            evaluation,
            content=content,
            reason=reason,
            user=user,
            action=Revision.Action.IMPORTED,
            replacing=steps.existing,
        )
        if steps.stated is not None:
            _store_stated(steps.stated, later=evaluation, reason=reason, user=user)
    except writing.EvaluationInvalid as error:
        raise ReportImportError(str(error)) from error
    return evaluation


def _store_stated(stated: StatedPrevious, *, later: Evaluation, reason: str, user) -> Evaluation:
    """A summary-only evaluation of what the later report states; public exactly when the
    later report is (``workflow.publish`` carries it along)."""
    previous = Evaluation(
        municipality=later.municipality,
        framework=FrameworkVersion.objects.get(code=stated.framework_version),
        year=stated.year,
        printed_total=stated.total,
        status=later.status,
        source_file=later.source_file,
        origin=Evaluation.Origin.STATED,
        stated_in=later,
        stated_source=stated.source,
    )
    content = writing.Content(
        areas=tuple(
            writing.AreaData(number=number, points=points)
            for number, points in sorted(stated.areas.items())
        )
    )
    writing.save_evaluation(
        previous, content=content, reason=reason, user=user, action=Revision.Action.IMPORTED
    )
    return previous


def import_reason(*, parsed: ParsedReport, filename: str) -> str:
    """The reason the history keeps for an import (command line or upload); a version staff
    chose says so first, so that the history's short reason column never cuts it off."""
    values = {
        "file": filename,
        "version": parsed.framework_version,
        "detected": parsed.detected_version,
    }
    if parsed.version_signal != "staff":
        return _("Inläst från %(file)s") % values
    if parsed.detected_version is None:
        return (
            _(
                "Ramverksversion %(version)s vald av personalen (rapporten avgör den inte); "
                "inläst från %(file)s"
            )
            % values
        )
    return (
        _(
            "Ramverksversion %(version)s vald av personalen (rapporten pekar på %(detected)s); "
            "inläst från %(file)s"
        )
        % values
    )
