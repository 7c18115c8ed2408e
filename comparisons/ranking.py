"""Published evaluations of one framework version ranked by total or by one area, in the DB, and
the sequence that every ranking read a page at a time shares (``RankedRows``)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from django.db.models import Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import Rank

from evaluations.models import AreaResult, Evaluation, EvaluationQuerySet
from kompass_site.caching import per_data_version

Row = TypeVar("Row")


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


class RankedRows(Generic[Row]):
    """Rows in an order computed over every row once per data version (``ranked``: each row's
    id, with its position), as a sequence that a Paginator or django-tables2 slices: each slice
    is one query (``_read``) for the rows in it."""

    ranked: Sequence

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index: slice) -> list[Row]:
        if not isinstance(index, slice):
            raise TypeError(f"a {type(self).__name__} is read in slices")
        return self._read(self.ranked[index])

    def __iter__(self):
        return iter(self[:])

    def _read(self, rows: Sequence) -> list[Row]:
        raise NotImplementedError


class Ranking(RankedRows[RankRow]):
    """The ranked evaluations (``ranked_ids``)."""

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
        return len(self)

    def _read(self, rows: Sequence) -> list[RankRow]:
        evaluations = Evaluation.objects.with_related().in_bulk([pk for _p, pk, _s in rows])
        # An evaluation deleted since the order was read is left out, not an error.
        return [
            RankRow(position=position, evaluation=evaluations[pk], score=score)
            for position, pk, score in rows
            if pk in evaluations
        ]


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
