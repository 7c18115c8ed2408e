import operator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import rules

FIRST_YEAR, LAST_YEAR = 2002, 2100  # Kommunkompassen began in 2002
# Reports interview some tens of people; a four-digit figure is a misreading, not a report.
MAX_INTERVIEWED = 1000
AREA_MAX_POINTS = 100
AREA_COUNT = 8
TOTAL_MAX_POINTS = AREA_MAX_POINTS * AREA_COUNT
# The largest sub-question maximum in any version; the exact maximum is checked in clean().
QUESTION_MAX_POINTS_CEILING = 40
REASON_MAX_LENGTH = 500


class RevisionRecord(models.Model):
    """Added to each historical record: the revision (one save through ``writing``) it is
    part of, so that the history shows one entry per save."""

    revision_id = models.PositiveIntegerField(_("revision"), null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


def tracked() -> HistoricalRecords:
    return HistoricalRecords(
        bases=[RevisionRecord], history_change_reason_field=models.TextField(null=True)
    )


class ConstraintFieldsMixin:
    """`full_clean` reports a violated constraint at the field that `constraint_fields` names
    (Django reports a check constraint for the whole object), so that a form shows the
    constraint's own message beside that field."""

    constraint_fields: dict[str, str] = {}

    def validate_constraints(self, exclude=None):
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    self._validate_constraint(model_class, constraint, exclude)
                except ValidationError as error:
                    field = self.constraint_fields.get(constraint.name, NON_FIELD_ERRORS)
                    errors.setdefault(field, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def _validate_constraint(self, model_class, constraint, exclude) -> None:
        """A check made of plain comparisons is evaluated here, without the query Django makes
        for each (an evaluation has hundreds of rows to check); any other as Django does."""
        if not isinstance(constraint, models.CheckConstraint):
            return constraint.validate(model_class, self, exclude=exclude)
        if exclude and set(exclude) & Q(constraint.condition).referenced_base_fields:
            return None
        try:
            holds = _holds(self, constraint.condition)
        except NotImplementedError:
            # django-stubs 5.2.9 does not declare CheckConstraint.validate (Django has it).
            return constraint.validate(model_class, self, exclude=exclude)  # type: ignore[attr-defined]
        if holds is False:  # as in SQL, an unknown (NULL) comparison passes
            raise ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
        return None


COMPARISONS = {
    "exact": operator.eq,
    "gte": operator.ge,
    "lte": operator.le,
    "gt": operator.gt,
    "lt": operator.lt,
}


def _holds(instance, node) -> bool | None:
    """A Q of plain comparisons on `instance`, in SQL's three-valued logic (None: unknown)."""
    if isinstance(node, Q):
        results = [_holds(instance, child) for child in node.children]
        decisive = node.connector == Q.OR
        # AND is decided by a False, OR by a True; else unknown if any part is.
        value = decisive if decisive in results else (None if None in results else not decisive)
        return (not value if value is not None else None) if node.negated else value
    lookup, expected = node
    name, _, op = lookup.partition("__")
    value = getattr(instance, instance._meta.get_field(name).attname)
    if op == "isnull":
        return (value is None) == expected
    if (op or "exact") not in COMPARISONS:
        raise NotImplementedError(lookup)
    if isinstance(expected, F):
        expected = getattr(instance, instance._meta.get_field(expected.name).attname)
    if value is None or expected is None:
        return None
    return COMPARISONS[op or "exact"](value, expected)


class County(models.Model):
    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    short_name = models.CharField(_("kort namn"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self):
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def evaluated(self):
        return self.filter(published_lookup("evaluations__")).distinct()


class Municipality(models.Model):
    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    short_name = models.CharField(_("kort namn"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("län")
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{4}$"), name="municipality_code_four_digits"
            )
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("comparisons:municipality", kwargs={"slug": self.slug})


class FrameworkVersion(models.Model):
    code = models.CharField(_("version"), max_length=10, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    year = models.PositiveSmallIntegerField(_("år"))
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("föregående version"),
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("ramverksversion")
        verbose_name_plural = _("ramverksversioner")

    def __str__(self):
        return self.code


class Area(models.Model):
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="areas", verbose_name=_("version")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=200)

    class Meta:
        ordering = ["framework__year", "number"]
        verbose_name = _("område")
        verbose_name_plural = _("områden")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="area_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=AREA_COUNT), name="area_number_1_to_8"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title} ({self.framework.code})"


class Question(models.Model):
    class Change(models.TextChoices):
        """How a question differs from its predecessor, the same question in the version before."""

        SAME = "same", _("samma lydelse")
        REWORDED = "reworded", _("omformulerad, samma innebörd")

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="questions", verbose_name=_("område")
    )
    code = models.CharField(_("kod"), max_length=10)
    text = models.CharField(_("delfråga"), max_length=300)
    max_points = models.PositiveSmallIntegerField(_("maxpoäng"))
    # The link exists only where the framework kept the question (DOMAIN.md: areas 1, 3 and 4
    # from 2010 to 2016), so scores are compared across versions only where they compare.
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
        verbose_name=_("föregående delfråga"),
        help_text=_(
            "Samma delfråga i föregående ramverksversion, där ramverket behöll den; poängen "
            "jämförs då över versionerna."
        ),
    )
    previous_change = models.CharField(
        _("ändring sedan föregående"), max_length=10, choices=Change.choices, blank=True
    )

    class Meta:
        ordering = ["area__framework__year", "area__number", "code"]
        verbose_name = _("delfråga")
        verbose_name_plural = _("delfrågor")
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="question_unique_code"),
            models.CheckConstraint(
                condition=Q(max_points__gt=0, max_points__lte=QUESTION_MAX_POINTS_CEILING),
                name="question_max_points_range",
            ),
            models.CheckConstraint(
                condition=Q(previous__isnull=True, previous_change="")
                | (Q(previous__isnull=False) & ~Q(previous_change="")),
                name="question_previous_with_change",
                violation_error_message=_(
                    "En föregående delfråga anges med hur den ändrats, och bara då."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    def clean(self):
        if self.previous_id is None or not self.area_id:
            return
        framework = self.area.framework
        if self.previous.area.framework_id != framework.previous_id:
            raise ValidationError(
                {"previous": _("Den föregående delfrågan måste höra till föregående version.")}
            )
        if self.previous.max_points != self.max_points:
            raise ValidationError(
                {"previous": _("Den föregående delfrågan har en annan maxpoäng; den jämförs inte.")}
            )


def published_lookup(prefix: str = "") -> Q:
    """The published evaluations proper, as a filter through a relation
    (``published_lookup("evaluation__")``): never drafts, never results only stated in a later
    report (partial, second-hand: kept out of means, rankings, the explorer and downloads)."""
    return Q(
        **{
            f"{prefix}status": Evaluation.Status.PUBLISHED,
            f"{prefix}origin": Evaluation.Origin.REPORT,
        }
    )


class EvaluationQuerySet(models.QuerySet):
    def live(self):
        """Not in the trash (a deleted draft waits there to be restored or forgotten)."""
        return self.filter(deleted_at__isnull=True)

    def in_trash(self):
        return self.filter(deleted_at__isnull=False)

    def published(self):
        """Published evaluations imported or entered from their own report."""
        return self.filter(published_lookup())

    def published_or_stated(self):
        """Also the previous results that a published later report states (for the radar's
        previous series, the trend, and the stated result's own labelled page)."""
        return self.filter(status=Evaluation.Status.PUBLISHED)

    def with_related(self):
        return self.select_related("municipality__county", "framework")

    def with_total(self):
        """Annotate `total`: the total printed in the report, else the sum of the area points.
        A stated result has a total only where the later report states one: the few areas it
        names do not add up to one."""
        # A subquery per row, not a join grouped by evaluation: the database then sums the
        # areas of the rows it returns, not of every evaluation before it picks them.
        return self.annotate(areas_total=areas_sum()).annotate(
            total=Case(
                When(origin=Evaluation.Origin.STATED, then=F("printed_total")),
                default=Coalesce("printed_total", F("areas_total")),
            ),
        )


def areas_sum() -> Subquery:
    """The sum of an evaluation's area points, as a subquery on the evaluation's `pk`."""
    return Subquery(
        AreaResult.objects.filter(evaluation=OuterRef("pk"))
        .order_by()
        .values("evaluation")
        .annotate(points_sum=Sum("points"))
        .values("points_sum")
    )


class Evaluation(ConstraintFieldsMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publicerad")

    class Origin(models.TextChoices):
        REPORT = "report", _("Egen rapport")
        # "har förbättrats från totalt 551 till 575": a previous result as a later report states
        # it, where Kompass holds no evaluation of that year. Public with the later report.
        STATED = "stated", _("Uppgift ur senare rapport")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("kommun"),
    )
    framework = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("ramverksversion"),
    )
    year = models.PositiveSmallIntegerField(_("utvärderingsår"))
    month = models.PositiveSmallIntegerField(_("månad"), null=True, blank=True)
    report_date = models.DateField(_("rapportdatum"), null=True, blank=True)
    ordinal = models.PositiveSmallIntegerField(
        _("utvärdering nummer"), null=True, blank=True, help_text=_("1 för kommunens första.")
    )
    previous_year = models.PositiveSmallIntegerField(
        _("år för föregående utvärdering"), null=True, blank=True
    )
    evaluators = models.CharField(_("utvärderare"), max_length=300, blank=True)
    interviewed = models.PositiveSmallIntegerField(_("antal intervjuade"), null=True, blank=True)
    printed_total = models.DecimalField(
        _("totalpoäng i rapporttexten"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Totalen som rapporten skriver ut, om den gör det."),
    )
    summary = models.TextField(_("sammanfattande kommentarer"), blank=True)
    kortfakta = models.JSONField(_("kortfakta"), default=dict, blank=True)
    # SKR's municipality group at the time of the evaluation (from the report's Kortfakta): the
    # classification changes over the years, so it belongs to the evaluation.
    kommungrupp = models.CharField(_("kommungrupp"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source_file = models.CharField(_("källfil"), max_length=255, blank=True)
    origin = models.CharField(
        _("ursprung"), max_length=10, choices=Origin.choices, default=Origin.REPORT
    )
    stated_in = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stated_previous",
        verbose_name=_("uppgift ur rapporten"),
    )
    stated_source = models.TextField(_("källa i rapporten"), blank=True)
    import_warnings = models.JSONField(_("importvarningar"), default=list, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    # A deleted draft stays, in the trash ("Papperskorg"), restorable with its history.
    deleted_at = models.DateTimeField(_("borttagen"), null=True, blank=True)
    deletion_reason = models.TextField(_("anledning till borttagningen"), blank=True)

    history = tracked()
    objects = EvaluationQuerySet.as_manager()
    constraint_fields = {
        "evaluation_unique_municipality_year": "year",
        "evaluation_year_range": "year",
        "evaluation_month_range": "month",
        "evaluation_ordinal_positive": "ordinal",
        "evaluation_printed_total_range": "printed_total",
        "evaluation_interviewed_range": "interviewed",
        "evaluation_previous_year_before_year": "previous_year",
    }
    total: Decimal | None  # annotated by EvaluationQuerySet.with_total()

    class Meta:
        ordering = ["municipality__short_name", "-year"]
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")
        permissions = [("publish_evaluation", _("Kan publicera och avpublicera utvärderingar"))]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                condition=Q(deleted_at__isnull=True),
                name="evaluation_unique_municipality_year",
                violation_error_message=_(
                    "Det finns redan en utvärdering av kommunen det året; ändra den i stället."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="evaluation_year_range",
                violation_error_message=format_lazy(
                    _("Utvärderingsåret måste ligga mellan {first} och {last}."),
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                ),
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="evaluation_month_range",
                violation_error_message=_("Ange månaden som ett tal från 1 till 12."),
            ),
            models.CheckConstraint(
                condition=Q(ordinal__isnull=True) | Q(ordinal__gte=1),
                name="evaluation_ordinal_positive",
                violation_error_message=_(
                    "Ange 1 för kommunens första utvärdering, 2 för den andra …"
                ),
            ),
            models.CheckConstraint(
                condition=Q(printed_total__isnull=True)
                | Q(printed_total__gte=0, printed_total__lte=TOTAL_MAX_POINTS),
                name="evaluation_printed_total_range",
                violation_error_message=format_lazy(
                    _("Totalpoängen måste ligga mellan 0 och {max}."), max=TOTAL_MAX_POINTS
                ),
            ),
            models.CheckConstraint(
                condition=Q(interviewed__isnull=True) | Q(interviewed__lte=MAX_INTERVIEWED),
                name="evaluation_interviewed_range",
                violation_error_message=format_lazy(
                    _("Antalet intervjuade kan inte vara fler än {max}."), max=MAX_INTERVIEWED
                ),
            ),
            models.CheckConstraint(
                condition=Q(previous_year__isnull=True) | Q(previous_year__lt=models.F("year")),
                name="evaluation_previous_year_before_year",
                violation_error_message=_(
                    "Den föregående utvärderingen måste vara från ett tidigare år än "
                    "utvärderingsåret."
                ),
            ),
            models.CheckConstraint(
                condition=Q(origin="report", stated_in__isnull=True)
                | Q(origin="stated", stated_in__isnull=False),
                name="evaluation_stated_in_later_report",
                violation_error_message=_(
                    "En uppgift ur en senare rapport måste ange den rapporten, och bara den."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.year}"

    def get_absolute_url(self):
        return reverse(
            "comparisons:evaluation",
            kwargs={"slug": self.municipality.slug, "year": self.year},
        )

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_stated(self) -> bool:
        return self.origin == self.Origin.STATED

    @property
    def evaluated_on(self) -> date | None:
        """The first of the month the evaluation was made, for display ("oktober 2018")."""
        return date(self.year, self.month, 1) if self.month else None

    @property
    def ordinal_word(self) -> str:
        words = [_("första"), _("andra"), _("tredje"), _("fjärde"), _("femte"), _("sjätte")]
        if self.ordinal and self.ordinal <= len(words):
            return str(words[self.ordinal - 1])
        return f"{self.ordinal}:e" if self.ordinal else ""


AREA_POINT_FIELDS = ("points", "header_points", "table_points")


class AreaResult(ConstraintFieldsMixin, models.Model):
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="area_results",
        verbose_name=_("utvärdering"),
    )
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="results", verbose_name=_("område")
    )
    points = models.DecimalField(
        _("poäng"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Områdets poäng: översiktstabellens summa, annars rubrikens poäng."),
    )
    header_points = models.DecimalField(
        _("poäng i områdesrubriken"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    table_points = models.DecimalField(
        _("poäng i översiktstabellen"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    text = models.TextField(_("text"), blank=True)

    history = tracked()
    constraint_fields = {f"area_result_{field}_range": field for field in AREA_POINT_FIELDS}

    class Meta:
        ordering = ["evaluation", "area__number"]
        verbose_name = _("områdesresultat")
        verbose_name_plural = _("områdesresultat")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "area"], name="area_result_unique_area"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True})
                    | Q(**{f"{field}__gte": 0, f"{field}__lte": AREA_MAX_POINTS}),
                    name=f"area_result_{field}_range",
                    violation_error_message=format_lazy(
                        _("Poängen måste ligga mellan 0 och {max}."), max=AREA_MAX_POINTS
                    ),
                )
                for field in AREA_POINT_FIELDS
            ),
        ]

    def __str__(self):
        return f"{self.evaluation} – {self.area.number}"

    def clean(self):
        errors = {}
        for field in AREA_POINT_FIELDS:
            problem = rules.decimals_problem(getattr(self, field))
            if problem:
                errors[field] = problem
        if errors:
            raise ValidationError(errors)
        if (
            self.area_id
            and self.evaluation_id
            and self.area.framework_id != self.evaluation.framework_id
        ):
            raise ValidationError(
                {"area": _("Området hör till en annan ramverksversion än utvärderingen.")}
            )


class QuestionScore(ConstraintFieldsMixin, models.Model):
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("utvärdering")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="scores", verbose_name=_("delfråga")
    )
    points = models.DecimalField(_("poäng"), max_digits=3, decimal_places=1)
    printed_points = models.DecimalField(
        _("tryckta poäng"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    printed_percent = models.PositiveSmallIntegerField(_("tryckt procent"), null=True, blank=True)

    history = tracked()
    constraint_fields = {"question_score_points_range": "points"}

    class Meta:
        ordering = ["evaluation", "question__area__number", "question__code"]
        verbose_name = _("delfrågepoäng")
        verbose_name_plural = _("delfrågepoäng")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "question"], name="question_score_unique_question"
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0, points__lte=QUESTION_MAX_POINTS_CEILING),
                name="question_score_points_range",
                violation_error_message=format_lazy(
                    _("Poängen måste ligga mellan 0 och {max}."), max=QUESTION_MAX_POINTS_CEILING
                ),
            ),
        ]

    def __str__(self):
        return f"{self.evaluation} – {self.question.code}: {self.points}"

    def clean(self):
        maximum = self.question.max_points if self.question_id else QUESTION_MAX_POINTS_CEILING
        problem = rules.points_problem(self.points, maximum)
        if problem:
            raise ValidationError({"points": problem})
        if not self.question_id:
            return
        if self.evaluation_id and self.question.area.framework_id != self.evaluation.framework_id:
            raise ValidationError({"question": _("Delfrågan hör till en annan ramverksversion.")})

    @property
    def percent(self) -> Decimal:
        """Whole percent, halves up: as the database computes it for the explorer (and Excel)."""
        return (self.points * 100 / self.question.max_points).quantize(
            Decimal("1"), rounding=ROUND_HALF_UP
        )


class AreaListItem(models.Model):
    """One item of an area's lists: a strength, an improvement point or a weakness, in the
    report's order within its kind."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Styrka")
        IMPROVEMENT = "improvement", _("Förbättringsmöjlighet")
        WEAKNESS = "weakness", _("Svaghet")

    area_result = models.ForeignKey(
        AreaResult, on_delete=models.CASCADE, related_name="list_items", verbose_name=_("område")
    )
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("ordning"))
    text = models.TextField(_("text"))

    history = tracked()

    class Meta:
        ordering = ["area_result", "kind", "position"]
        verbose_name = _("listpunkt")
        verbose_name_plural = _("listpunkter (styrkor, förbättringsmöjligheter, svagheter)")
        constraints = [
            models.UniqueConstraint(
                fields=["area_result", "kind", "position"], name="area_list_item_unique_position"
            )
        ]

    def __str__(self):
        return self.text


class GoodExampleMentionQuerySet(models.QuerySet):
    def public(self):
        """Mentions in published evaluations from their own report; never in drafts."""
        return self.filter(published_lookup("evaluation__"))

    def newest_first(self):
        """Newest report first, each in the report's order, with what a listing shows."""
        return self.select_related("evaluation__municipality", "area").order_by(
            "-evaluation__year", "evaluation__municipality__short_name", "order"
        )


class GoodExampleMention(models.Model):
    """A sentence of an evaluation's texts that names another municipality as a good example
    to learn from (``evaluations.mentions`` finds them; never entered by hand)."""

    class Part(models.TextChoices):
        SUMMARY = "summary", _("Sammanfattande kommentarer")
        AREA_TEXT = "area_text", _("Områdets text")
        STRENGTH = "strength", _("Styrka")
        IMPROVEMENT = "improvement", _("Förbättringsmöjlighet")
        WEAKNESS = "weakness", _("Svaghet")

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="good_example_mentions",
        verbose_name=_("utvärdering"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="mentioned_as_good_example",
        verbose_name=_("kommun som nämns"),
    )
    order = models.PositiveSmallIntegerField(_("ordning i rapporten"))
    sentence = models.TextField(_("mening"))
    part = models.CharField(_("del av rapporten"), max_length=12, choices=Part.choices)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("område"),
    )
    position = models.PositiveSmallIntegerField(_("plats i listan"), null=True, blank=True)

    objects = GoodExampleMentionQuerySet.as_manager()

    class Meta:
        ordering = ["evaluation", "order"]
        verbose_name = _("omnämnande som gott exempel")
        verbose_name_plural = _("omnämnanden som goda exempel")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "order"], name="mention_unique_order"),
            models.CheckConstraint(
                condition=Q(part="summary", area__isnull=True)
                | (~Q(part="summary") & Q(area__isnull=False)),
                name="mention_area_unless_summary",
            ),
        ]

    def __str__(self):
        return f"{self.evaluation}: {self.municipality}"

    def get_absolute_url(self):
        """Where the sentence stands on the mentioning evaluation's profile."""
        anchor = f"omrade-{self.area.number}" if self.area else "summary-heading"
        return f"{self.evaluation.get_absolute_url()}#{anchor}"


class ReferenceMean(models.Model):
    """An official reference profile (e.g. "all evaluations since 2010") entered by staff."""

    name = models.CharField(_("namn"), max_length=200)
    framework = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="reference_means",
        verbose_name=_("ramverksversion"),
    )
    n = models.PositiveIntegerField(_("antal utvärderingar (n)"), null=True, blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)

    history = tracked()

    class Meta:
        ordering = ["framework__year", "name"]
        verbose_name = _("referensmedelvärde")
        verbose_name_plural = _("referensmedelvärden")
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="reference_mean_unique_name")
        ]

    def __str__(self):
        return f"{self.name} ({self.framework.code})"


class ReferenceMeanArea(models.Model):
    reference = models.ForeignKey(
        ReferenceMean, on_delete=models.CASCADE, related_name="areas", verbose_name=_("referens")
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, verbose_name=_("område"))
    points = models.DecimalField(_("poäng"), max_digits=4, decimal_places=1)

    history = tracked()

    class Meta:
        ordering = ["reference", "area__number"]
        verbose_name = _("referensvärde för område")
        verbose_name_plural = _("referensvärden för områden")
        constraints = [
            models.UniqueConstraint(fields=["reference", "area"], name="reference_area_unique"),
            models.CheckConstraint(
                condition=Q(points__gte=0, points__lte=AREA_MAX_POINTS),
                name="reference_area_points_range",
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.area.number}: {self.points}"


class Revision(models.Model):
    """One save of an evaluation through ``evaluations.writing``: who, when, what kind of save
    and why. Its historical records (of the evaluation, its areas, scores and list items) carry
    its id, so the history shows the save as one entry."""

    class Action(models.TextChoices):
        CREATED = "created", _("Skapad")
        IMPORTED = "imported", _("Inläst från rapport")
        EDITED = "edited", _("Ändrad")
        PUBLISHED = "published", _("Publicerad")
        UNPUBLISHED = "unpublished", _("Avpublicerad")
        DELETED = "deleted", _("Borttagen till papperskorgen")
        RESTORED = "restored", _("Återställd ur papperskorgen")
        REVERTED = "reverted", _("Återställd till tidigare version")

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("utvärdering"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("användare"),
    )
    created_at = models.DateTimeField(_("tid"), default=timezone.now, db_index=True)
    action = models.CharField(_("vad"), max_length=12, choices=Action.choices)
    reason = models.TextField(_("anledning"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisioner")

    def __str__(self):
        return f"{self.evaluation} {self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class DataVersion(models.Model):
    """One row: a number that every change of public data raises, and when that was.

    Public pages, derived figures and the full downloads are cached under this number, so a
    publish, an unpublish, an edit or a new reference mean is seen at once by every server
    process (``evaluations.dataversion``)."""

    number = models.PositiveBigIntegerField(_("dataversion"), default=1)
    changed_at = models.DateTimeField(_("ändrad"))

    class Meta:
        verbose_name = _("dataversion")
        verbose_name_plural = _("dataversion")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="data_version_single_row")]

    def __str__(self):
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M})"
