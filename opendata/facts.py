"""The real counts that /om/ states, computed in the database (published evaluations only)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Min, Q

from evaluations.models import (
    AreaListItem,
    AreaResult,
    Evaluation,
    FrameworkVersion,
    QuestionScore,
    published_lookup,
)


@dataclass(frozen=True)
class VersionCount:
    code: str
    name: str
    evaluations: int


@dataclass(frozen=True)
class Facts:
    evaluations: int
    municipalities: int
    first_year: int | None
    last_year: int | None
    by_version: list[VersionCount]
    question_scores: int
    list_items: int
    recovered_from_percent: int  # stored points that differ from the printed, rounded ones
    evaluations_with_recovered: int
    printed_total_differs: int  # the report's printed total is not the sum of its areas
    header_differs: int  # an area's header gives another score than its overview table
    summary_only: int  # truncated reports: area scores without sub-question scores
    stated_previous: int  # previous results known only from a later report (not counted above)
    last_published: datetime | None


def data_facts() -> Facts:
    published = Evaluation.objects.published()
    totals = published.aggregate(
        n=Count("pk"),
        municipalities=Count("municipality", distinct=True),
        first=Min("year"),
        last=Max("year"),
    )
    per_version = dict(
        published.values_list("framework_id")
        .annotate(n=Count("pk"))
        .values_list("framework_id", "n")
    )
    scores = QuestionScore.objects.filter(published_lookup("evaluation__"))
    recovered = scores.filter(printed_points__isnull=False).exclude(points=F("printed_points"))
    differs = (
        published.with_total()
        .filter(printed_total__isnull=False)
        .exclude(printed_total=F("areas_total"))
    )
    history = Evaluation.history.filter(status=Evaluation.Status.PUBLISHED, origin="report")
    return Facts(
        evaluations=totals["n"],
        municipalities=totals["municipalities"],
        first_year=totals["first"],
        last_year=totals["last"],
        by_version=[
            VersionCount(v.code, v.name, per_version.get(v.pk, 0))
            for v in FrameworkVersion.objects.all()
        ],
        question_scores=scores.count(),
        list_items=AreaListItem.objects.filter(
            published_lookup("area_result__evaluation__")
        ).count(),
        recovered_from_percent=recovered.count(),
        evaluations_with_recovered=recovered.values("evaluation").distinct().count(),
        printed_total_differs=differs.count(),
        header_differs=AreaResult.objects.filter(
            published_lookup("evaluation__"),
            header_points__isnull=False,
            table_points__isnull=False,
        )
        .exclude(header_points=F("table_points"))
        .count(),
        summary_only=published.annotate(n=Count("scores")).filter(n=0).count(),
        stated_previous=Evaluation.objects.published_or_stated()
        .filter(origin=Evaluation.Origin.STATED)
        .filter(Q(stated_in__status=Evaluation.Status.PUBLISHED))
        .count(),
        last_published=history.filter(id__in=published.values("pk")).aggregate(
            last=Max("history_date")
        )["last"],
    )
