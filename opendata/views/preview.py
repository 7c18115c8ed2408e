"""Preview images (PNG) of a profile's and a comparison's radar, for Open Graph and Twitter."""

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _

from comparisons.views.profile import published_evaluation

from .. import previews
from ..lookups import comparison_of

CACHE_SECONDS = 3600


def _image(preview: previews.Preview):
    try:
        path = previews.png(preview)
    except previews.RenderError:
        unavailable = HttpResponse(
            _("Bilden kan inte ritas just nu."), status=503, content_type="text/plain"
        )
        unavailable["Retry-After"] = "60"
        return unavailable
    response = FileResponse(path.open("rb"), content_type="image/png")
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def profile(request, slug: str, year: int):
    evaluation = published_evaluation(slug, year)
    return _image(previews.evaluation_preview(evaluation, url=request.build_absolute_uri))


def comparison(request):
    found = comparison_of(request)
    return _image(previews.comparison_preview(found, url=request.build_absolute_uri))
