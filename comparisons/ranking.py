"""Published evaluations of one framework version ranked by total or by one area, in the DB."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import Rank

from evaluations.models import AreaResult, Evaluation, EvaluationQuerySet
from kompass_site.caching import per_data_version


@dataclass(frozen=True)
class RankRow:
    position: int  # ties share a position: 1, 1, 3
    evaluation: Evaluation
    score: Decimal


@per_data_version(any_language=True)
def kommungrupp_choices(*, framework_id: int | None = None) -> list[str]:
    """The municipality groups that published evaluations' Kortfakta give, in order."""
    evaluations = Evaluation.objects.published().exclude(kommungrupp="")
    if framework_id is not None:
        evaluations = evaluations.filter(framework_id=framework_id)
    return list(
        evaluations.order_by("kommungrupp").values_list("kommungrupp", flat=True).distinct()
    )


def _published_in(
    framework_id: int, *, latest_only: bool, kommungrupp: str | None
) -> EvaluationQuerySet:
    evaluations = Evaluation.objects.published().filter(framework_id=framework_id)
    if kommungrupp:
        evaluations = evaluations.filter(kommungrupp=kommungrupp)
    if latest_only:
        later = Evaluation.objects.published().filter(
            municipality_id=OuterRef("municipality_id"),
            framework_id=framework_id,
            year__gt=OuterRef("year"),
        )
        evaluations = evaluations.exclude(Exists(later))
    return evaluations


def _ranked_queryset(
    *, framework_id: int, area_number: int | None, latest_only: bool, kommungrupp: str | None
) -> QuerySet:
    evaluations = _published_in(framework_id, latest_only=latest_only, kommungrupp=kommungrupp)
    if area_number is None:
        return (
            evaluations.with_total()
            .filter(total__isnull=False)
            .annotate(position=Window(Rank(), order_by=F("total").desc()))
            .order_by("position", "municipality__short_name", "-year")
            .values_list("position", "pk", "total")
        )
    return (
        AreaResult.objects.filter(
            evaluation__in=evaluations, area__number=area_number, points__isnull=False
        )
        .annotate(position=Window(Rank(), order_by=F("points").desc()))
        .order_by("position", "evaluation__municipality__short_name", "-evaluation__year")
        .values_list("position", "evaluation_id", "points")
    )


@per_data_version(any_language=True)
def ranked_ids(
    *, framework_id: int, area_number: int | None, latest_only: bool, kommungrupp: str | None
) -> list[tuple[int, int, Decimal]]:
    """(position, evaluation id, score) of every ranked row in order, once per data version:
    a page then reads only the evaluations it shows."""
    return list(
        _ranked_queryset(
            framework_id=framework_id,
            area_number=area_number,
            latest_only=latest_only,
            kommungrupp=kommungrupp,
        )
    )


class Ranking:
    """The ranked rows as a sequence that a Paginator (or django-tables2) slices: the order
    and positions over every row computed once per data version (``ranked_ids``), each slice
    one query for the evaluations in it."""

    def __init__(
        self,
        *,
        framework_id: int,
        area_number: int | None,
        latest_only: bool,
        kommungrupp: str | None = None,
    ):
        self.ranked = ranked_ids(
            framework_id=framework_id,
            area_number=area_number,
            latest_only=latest_only,
            kommungrupp=kommungrupp,
        )

    def count(self) -> int:
        return len(self.ranked)

    __len__ = count

    def __getitem__(self, index: slice) -> list[RankRow]:
        if not isinstance(index, slice):
            raise TypeError("a Ranking is read in slices")
        rows = self.ranked[index]
        evaluations = Evaluation.objects.with_related().in_bulk([pk for _p, pk, _s in rows])
        # An evaluation deleted since the order was read is left out, not an error.
        return [
            RankRow(position=position, evaluation=evaluations[pk], score=score)
            for position, pk, score in rows
            if pk in evaluations
        ]

    def __iter__(self):
        return iter(self[:])


def rank_evaluations(
    *,
    framework_id: int,
    area_number: int | None = None,
    latest_only: bool = False,
    kommungrupp: str | None = None,
) -> list[RankRow]:
    """Highest score first. `latest_only` keeps each municipality's latest evaluation in the
    version; otherwise a municipality evaluated twice in it appears twice. `kommungrupp` keeps
    the evaluations whose report gives that municipality group. Every row, in one query; a page
    reads a `Ranking` in slices instead."""
    return Ranking(
        framework_id=framework_id,
        area_number=area_number,
        latest_only=latest_only,
        kommungrupp=kommungrupp,
    )[:]
