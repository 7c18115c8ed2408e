"""Finding municipalities and their latest published evaluations."""

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.text import slugify

from evaluations.models import Evaluation, Municipality
from kompass_site.caching import per_data_version

MAX_RESULTS = 20
OFFICIAL_NAME_WORDS = re.compile(r"^region-|-(kommun|stad)$")


@dataclass(frozen=True)
class MunicipalityHit:
    municipality: Municipality
    latest: Evaluation | None


def fold(text: str) -> str:
    """Lower-case ASCII with å/ä→a and ö→o, the way municipality slugs are made."""
    return slugify(text.strip())


@per_data_version(any_language=True)
def latest_published_ids() -> list[int]:
    """The id of each municipality's latest published evaluation, chosen in the database."""
    later = Evaluation.objects.published().filter(
        municipality_id=OuterRef("municipality_id"), year__gt=OuterRef("year")
    )
    return list(
        Evaluation.objects.published()
        .exclude(Exists(later))
        .order_by()
        .values_list("pk", flat=True)
    )


def latest_published_by_municipality(municipality_ids=None) -> dict[int, Evaluation]:
    """Each municipality's latest published evaluation: one row per municipality whatever the
    number of evaluations."""
    evaluations = Evaluation.objects.filter(pk__in=latest_published_ids())
    if municipality_ids is not None:
        evaluations = evaluations.filter(municipality_id__in=municipality_ids)
    return {e.municipality_id: e for e in evaluations.with_related().with_total()}


def search(*, query: str, limit: int = MAX_RESULTS) -> list[MunicipalityHit]:
    """Municipalities whose name or code matches, tolerant of å/ä/ö typed as a/o and of the
    official name ("Luleå kommun", "Malmö stad", "Region Gotland")."""
    query = query.strip()
    if query.isdigit():
        matches = Municipality.objects.filter(code__startswith=query)
    elif folded := OFFICIAL_NAME_WORDS.sub("", fold(query)):
        matches = Municipality.objects.filter(slug__contains=folded)
    else:
        return []
    found = list(matches.select_related("county").order_by("short_name")[:limit])
    latest = latest_published_by_municipality([m.pk for m in found])
    return [MunicipalityHit(municipality=m, latest=latest.get(m.pk)) for m in found]


def evaluated() -> list[Evaluation]:
    """The latest published evaluation of every evaluated municipality, by name."""
    latest = latest_published_by_municipality()
    return sorted(latest.values(), key=lambda e: e.municipality.short_name)
