"""What an embed, a preview image or a page download shows: a published evaluation or a
comparison, found from the address exactly as the page itself finds it."""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from comparisons.comparison import (
    MAX_MEMBERS,
    MIN_MEMBERS,
    Comparison,
    build_comparison,
    parse_keys,
)
from evaluations.models import Evaluation, Municipality


def published_evaluation(slug: str, year: int | None = None) -> Evaluation:
    """The municipality's published evaluation of `year`, or its latest; else a 404."""
    municipality = get_object_or_404(Municipality, slug=slug)
    evaluations = (
        Evaluation.objects.published()
        .with_related()
        .with_total()
        .filter(municipality=municipality)
        .order_by("-year")
    )
    if year is not None:
        evaluations = evaluations.filter(year=year)
    evaluation = evaluations.first()
    if evaluation is None:
        raise Http404("Ingen publicerad utvärdering")
    return evaluation


def comparison_of(request: HttpRequest) -> Comparison:
    """The comparison that the k parameters name (as /jamfor/ reads them), of two to six
    published evaluations; too many is a 400, fewer than two found a 404."""
    parsed = parse_keys(request.GET.getlist("k"))
    if len(parsed.keys) > MAX_MEMBERS:
        raise BadRequest(f"more than {MAX_MEMBERS} municipalities")
    comparison = build_comparison(keys=parsed.keys)
    if len(comparison.members) < MIN_MEMBERS:
        raise Http404("Färre än två publicerade utvärderingar")
    return comparison
