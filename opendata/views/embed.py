"""Embeds: a profile's or a comparison's radar with its table alone, framable by any site."""

from django.shortcuts import render
from django.utils import timezone

from comparisons.profiles import build_profile
from comparisons.views.compare import compare_url
from comparisons.views.profile import published_evaluation
from kompass_site.middleware import frameable

from ..lookups import comparison_of
from ..meta import ATTRIBUTION


@frameable
def profile(request, slug: str, year: int | None = None):
    evaluation = published_evaluation(slug, year)
    return render(
        request,
        "opendata/embed_profile.html",
        {
            "profile": build_profile(evaluation=evaluation, mean_key=request.GET.get("medel")),
            "source_url": request.build_absolute_uri(evaluation.get_absolute_url()),
            "attribution": ATTRIBUTION,
            "today": timezone.localdate(),
        },
    )


@frameable
def comparison(request):
    found = comparison_of(request)
    return render(
        request,
        "opendata/embed_comparison.html",
        {
            "comparison": found,
            "source_url": request.build_absolute_uri(compare_url([m.key for m in found.members])),
            "attribution": ATTRIBUTION,
            "today": timezone.localdate(),
        },
    )
