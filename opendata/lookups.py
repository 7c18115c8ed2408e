"""What an embed, a preview image or a page download of a comparison shows, found from the
address exactly as the comparison page finds it (an evaluation: the profile's own
``comparisons.views.profile.published_evaluation``)."""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest

from comparisons.comparison import (
    MAX_MEMBERS,
    MIN_MEMBERS,
    Comparison,
    build_comparison,
    parse_keys,
)


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
