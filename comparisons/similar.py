"""Municipalities worth comparing with: the same county first, then the nearest total."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Abs

from evaluations.models import Evaluation

SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    evaluation: Evaluation
    same_county: bool
    same_version: bool
    difference: Decimal | None  # total minus the reference's total, same version only


def similar_municipalities(
    *,
    evaluation: Evaluation,
    total: Decimal | None,
    exclude_municipality_ids: Iterable[int] = (),
    limit: int = SUGGESTIONS,
) -> list[Suggestion]:
    """Other municipalities' latest published evaluations: those in the same county first (same
    version before other versions), then those of the same version by nearest total."""
    county_id = evaluation.municipality.county_id
    framework_id = evaluation.framework_id
    later = Evaluation.objects.published().filter(
        municipality_id=OuterRef("municipality_id"), year__gt=OuterRef("year")
    )
    candidates = (
        Evaluation.objects.published()
        .exclude(Exists(later))
        .exclude(municipality_id__in=[evaluation.municipality_id, *exclude_municipality_ids])
        .filter(Q(municipality__county_id=county_id) | Q(framework_id=framework_id))
        .with_related()
        .with_total()
        .annotate(
            county_rank=Case(
                When(municipality__county_id=county_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            version_rank=Case(
                When(framework_id=framework_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
    )
    if total is not None:
        candidates = candidates.annotate(distance=Abs(F("total") - Value(total)))
    else:
        candidates = candidates.annotate(distance=Value(None, output_field=IntegerField()))
    candidates = candidates.order_by(
        "county_rank",
        "version_rank",
        F("distance").asc(nulls_last=True),
        "municipality__short_name",
    )[:limit]
    return [
        Suggestion(
            evaluation=candidate,
            same_county=candidate.county_rank == 0,
            same_version=candidate.version_rank == 0,
            difference=(
                candidate.total - total
                if candidate.version_rank == 0 and None not in (candidate.total, total)
                else None
            ),
        )
        for candidate in candidates
    ]
