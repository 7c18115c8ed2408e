"""Municipalities worth comparing with: the nearest profiles in the same framework version.

Nearness is the mean distance over the eight area scores (|theirs − ours| per area, averaged),
not the total alone: two municipalities with the same total can be strong in opposite areas.
Among equally near, the same county first. Municipalities of the same county evaluated in
another version follow, marked as not comparable, so that a municipality alone in its version
still has neighbours to look at.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Abs
from django.utils.translation import gettext as _

from evaluations.models import Evaluation

from .means import rounded
from .templatetags.kompass import points as shown

SUGGESTIONS = 5


@dataclass(frozen=True)
class Suggestion:
    evaluation: Evaluation
    same_county: bool
    same_version: bool
    same_group: bool  # the same kommungrupp, as the two reports' Kortfakta give it
    distance: Decimal | None  # mean |difference| per area, same version only
    difference: Decimal | None  # total minus the reference's total, same version only

    @property
    def reasons(self) -> list[str]:
        """Why it was suggested, for people."""
        reasons = []
        if self.distance is not None:
            reasons.append(
                _("i snitt %(distance)s poäng ifrån per område")
                % {"distance": shown(self.distance)}
            )
        if self.same_county:
            reasons.append(_("samma län"))
        if self.same_group:
            reasons.append(_("samma kommungrupp"))
        if not self.same_version:
            reasons.append(
                _("utvärderad enligt version %(version)s, inte fullt jämförbar")
                % {"version": self.evaluation.framework.code}
            )
        return reasons


def _distance(areas: Mapping[int, Decimal | None]):
    """The mean of |points − ours| over the areas both have (computed in the database)."""
    ours = {number: value for number, value in areas.items() if value is not None}
    if not ours:
        return Value(None, output_field=DecimalField())
    own = Case(
        *(
            When(area_results__area__number=number, then=Value(value))
            for number, value in ours.items()
        ),
        default=Value(None),
        output_field=DecimalField(max_digits=4, decimal_places=1),
    )
    return Avg(Abs(F("area_results__points") - own), output_field=DecimalField())


def similar_municipalities(
    *,
    evaluation: Evaluation,
    areas: Mapping[int, Decimal | None],
    total: Decimal | None,
    exclude_municipality_ids: Iterable[int] = (),
    limit: int = SUGGESTIONS,
) -> list[Suggestion]:
    """Other municipalities' latest published evaluations, nearest profile first (one query).
    `areas` and `total` are the reference evaluation's own figures."""
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
            distance=_distance(areas),
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
        .annotate(
            # Area numbers name other areas in another version: no distance to order by there.
            nearness=Case(When(framework_id=framework_id, then=F("distance")), default=None)
        )
        .order_by(
            "version_rank",
            F("nearness").asc(nulls_last=True),
            "county_rank",
            "municipality__short_name",
        )[:limit]
    )
    return [
        _suggestion(candidate, group=evaluation.kommungrupp, total=total)
        for candidate in candidates
    ]


def _suggestion(candidate: Any, *, group: str, total: Decimal | None) -> Suggestion:
    """A candidate (an Evaluation annotated by similar_municipalities), with the reasons it
    is suggested."""
    same_version = candidate.version_rank == 0
    return Suggestion(
        evaluation=candidate,
        same_county=candidate.county_rank == 0,
        same_version=same_version,
        same_group=bool(group) and candidate.kommungrupp == group,
        distance=(
            rounded(Decimal(str(candidate.distance)))
            if same_version and candidate.distance is not None
            else None
        ),
        difference=(
            candidate.total - total
            if same_version and None not in (candidate.total, total)
            else None
        ),
    )
