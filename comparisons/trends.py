"""A municipality's total and area scores over all its published evaluations, and the previous
results that their reports state (labelled as such)."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from evaluations.models import AREA_COUNT, Evaluation, QuestionScore

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
class KeptQuestionRow:
    """A question the framework kept across a version change, scored in each evaluation."""

    code: str  # as in the newest version
    question: str
    max_points: int
    points: list[Decimal | None]  # one per evaluation of the trend, in its order


@dataclass(frozen=True)
class Trend:
    points: list[TrendPoint]
    figure: dict | None  # drawn from two evaluations on
    kept_questions: list[KeptQuestionRow] = field(default_factory=list)

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
    kept = kept_questions(points=points) if any(p.new_version for p in points) else []
    return Trend(points=points, figure=figure, kept_questions=kept)


def kept_questions(*, points: list[TrendPoint]) -> list[KeptQuestionRow]:
    """The sub-questions kept across a version change (a chain of predecessors), scored in
    evaluations of at least two versions, with their scores year by year (one query)."""
    column = {point.evaluation.pk: index for index, point in enumerate(points)}
    scores = QuestionScore.objects.filter(evaluation_id__in=column).values_list(
        "evaluation_id",
        "points",
        "question_id",
        "question__previous_id",
        "question__previous__previous_id",
        "question__code",
        "question__text",
        "question__max_points",
        "question__area__framework__year",
    )
    chains: dict[int, dict] = {}
    for evaluation_id, value, *question in scores:
        own, previous, before, code, text, max_points, year = question
        root = cast(int, before or previous or own)  # question ids
        chain = chains.setdefault(root, {"points": {}, "years": set()})
        chain["points"][column[evaluation_id]] = value
        chain["years"].add(year)
        if year >= chain.get("year", 0):
            chain.update(year=year, code=code, question=text, max_points=max_points)
    rows = [
        KeptQuestionRow(
            code=chain["code"],
            question=chain["question"],
            max_points=chain["max_points"],
            points=[chain["points"].get(index) for index in range(len(points))],
        )
        for chain in chains.values()
        if len(chain["years"]) > 1
    ]
    return sorted(rows, key=lambda row: [int(part) for part in row.code.split(".")])
