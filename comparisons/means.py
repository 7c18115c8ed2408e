"""Means over published evaluations, computed in the database."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from evaluations.models import AreaResult, QuestionScore, ReferenceMean, published_lookup

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class AreaMeans:
    """A reference profile: one value per area number, and how many evaluations it covers."""

    label: str
    n: int | None
    by_area: dict[int, Decimal] = field(default_factory=dict)
    key: str = "nationellt"
    source: str = ""


def national_area_means(*, framework_id: int) -> AreaMeans:
    """The unweighted mean of every published evaluation of one framework version, per area."""
    rows = (
        AreaResult.objects.filter(
            published_lookup("evaluation__"),
            evaluation__framework_id=framework_id,
            points__isnull=False,
        )
        .values("area__number")
        .annotate(mean=Avg("points"), n=Count("evaluation_id", distinct=True))
        .order_by("area__number")
    )
    by_area = {
        row["area__number"]: Decimal(row["mean"]).quantize(ONE_DECIMAL, ROUND_HALF_UP)
        for row in rows
    }
    n = max((row["n"] for row in rows), default=0)
    return AreaMeans(label="Medelvärde, publicerade utvärderingar", n=n, by_area=by_area)


def question_means(*, framework_id: int) -> dict[str, Decimal]:
    """The mean of every published evaluation's points per sub-question code, for one version."""
    rows = (
        QuestionScore.objects.filter(
            published_lookup("evaluation__"),
            question__area__framework_id=framework_id,
        )
        .values("question__code")
        .annotate(mean=Avg("points"))
    )
    return {
        row["question__code"]: Decimal(row["mean"]).quantize(ONE_DECIMAL, ROUND_HALF_UP)
        for row in rows
    }


def reference_area_means(*, framework_id: int) -> list[AreaMeans]:
    """The official reference profiles staff entered for one framework version."""
    references = ReferenceMean.objects.filter(framework_id=framework_id).prefetch_related(
        "areas__area"
    )
    return [
        AreaMeans(
            label=reference.name,
            n=reference.n,
            by_area={row.area.number: row.points for row in reference.areas.all()},
            key=f"ref-{reference.pk}",
            source=reference.source,
        )
        for reference in references
    ]
