"""A municipality's total and area scores over all its published evaluations, and the previous
results that their reports state (labelled as such)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from evaluations.models import AREA_COUNT, Evaluation

from . import charts

AREA_NUMBERS = range(1, AREA_COUNT + 1)


@dataclass(frozen=True)
class TrendPoint:
    evaluation: Evaluation
    areas: list[Decimal | None]
    new_version: bool  # evaluated in another version than the evaluation before it

    @property
    def total(self) -> Decimal | None:
        return self.evaluation.total


@dataclass(frozen=True)
class Trend:
    points: list[TrendPoint]
    figure: dict | None  # drawn from two evaluations on

    @property
    def version_changes(self) -> list[TrendPoint]:
        return [point for point in self.points if point.new_version]

    @property
    def stated(self) -> list[TrendPoint]:
        return [point for point in self.points if point.evaluation.is_stated]


def build_trend(*, municipality_id: int) -> Trend:
    """In one query: each area's score is a sum filtered to that area (one row per area)."""
    evaluations = list(
        Evaluation.objects.published_or_stated()
        .filter(municipality_id=municipality_id)
        .with_related()
        .select_related("stated_in")
        .with_total()
        .annotate(
            **{
                f"area_{number}": Sum(
                    "area_results__points", filter=Q(area_results__area__number=number)
                )
                for number in AREA_NUMBERS
            }
        )
        .order_by("year")
    )
    points = [
        TrendPoint(
            evaluation=evaluation,
            areas=[getattr(evaluation, f"area_{number}") for number in AREA_NUMBERS],
            new_version=index > 0
            and evaluation.framework_id != evaluations[index - 1].framework_id,
        )
        for index, evaluation in enumerate(evaluations)
    ]
    figure = None
    if len(points) >= 2:
        figure = charts.trend_figure(
            years=[p.evaluation.year for p in points],
            totals=[p.total for p in points],
            areas=[
                charts.Series(
                    name=_("Område %(number)s") % {"number": number},
                    values=[p.areas[number - 1] for p in points],
                )
                for number in AREA_NUMBERS
            ],
            version_changes=[
                (p.evaluation.year, p.evaluation.framework.code) for p in points if p.new_version
            ],
        )
    return Trend(points=points, figure=figure)
