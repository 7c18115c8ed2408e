"""The rules on evaluations that a database constraint cannot say, in one place.

The constraints in ``models.py`` (ranges, uniqueness) carry their own Swedish messages and are
checked by ``full_clean``; the models' ``clean`` methods and the write service
(``evaluations.writing``) call the functions here for the rest. The import, the admin upload and
the admin form all reach them through the service, never by a copy of their own.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.translation import gettext as _

AREA_COUNT = 8
# Each printed sub-question score may be rounded by up to half a point, and so may the printed
# area total: an area total further from the sum than that contradicts its sub-questions.
ROUNDING = Decimal("0.5")


def has_one_decimal(value: Decimal | None) -> bool:
    return value is None or value == value.quantize(Decimal("0.1"))


def decimals_problem(value: Decimal | None) -> str | None:
    if has_one_decimal(value):
        return None
    return _("Ange poäng med högst en decimal.")


def points_problem(value: Decimal | None, maximum: int) -> str | None:
    """A sub-question's points: within its own maximum (the constraint knows only the ceiling)."""
    if value is not None and not 0 <= value <= maximum:
        return _("Poängen måste ligga mellan 0 och %(max)s.") % {"max": maximum}
    return decimals_problem(value)


def area_total_problem(
    *, points: Decimal | None, scores: list[Decimal], open_max: int
) -> str | None:
    """An area's points against its sub-questions': `scores` the given ones, `open_max` the
    maximum of those not given. Printed figures are rounded, so some tolerance is allowed."""
    if points is None or not scores:
        return None
    total = sum(scores, Decimal(0))
    tolerance = ROUNDING * (len(scores) + 1)
    if total - tolerance <= points <= total + open_max + tolerance:
        return None
    return _("Områdets poäng %(points)s stämmer inte med delfrågornas summa %(sum)s.") % {
        "points": _plain(points),
        "sum": _plain(total),
    }


def unscored_areas(area_points: Mapping[int, Decimal | None]) -> list[int]:
    """May be published: a score in every one of the eight areas. The numbers lacking one."""
    return [number for number in range(1, AREA_COUNT + 1) if area_points.get(number) is None]


def publish_problems(area_points: Mapping[int, Decimal | None]) -> list[str]:
    """What stops an evaluation with these area scores from being published; used by the
    workflow, by the import with --publish and by the form of a published evaluation."""
    return [
        _("Område %(number)s saknar poäng.") % {"number": number}
        for number in unscored_areas(area_points)
    ]


def twice(keys: Iterable) -> list:
    seen, repeated = set(), []
    for key in keys:
        if key in seen:
            repeated.append(key)
        seen.add(key)
    return repeated


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")
