"""CSV and XLSX of the tables that the profile, the comparison and the ranking show."""

import io

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from comparisons.profiles import build_profile
from comparisons.views.compare import compare_url, ranking_result
from comparisons.views.explorer import CSV_TYPE, XLSX_TYPE
from comparisons.views.profile import published_evaluation

from .. import page_downloads
from ..lookups import comparison_of


def _respond(request, table: page_downloads.PageTable, *, name: str, extension: str, page: str):
    today = timezone.localdate()
    if extension == "csv":
        out = io.StringIO()
        page_downloads.write_csv(table, out)
        response = HttpResponse(out.getvalue(), content_type=CSV_TYPE)
    elif extension == "xlsx":
        binary = io.BytesIO()
        page_downloads.write_xlsx(
            table, binary, source_url=request.build_absolute_uri(page), created=today
        )
        response = HttpResponse(binary.getvalue(), content_type=XLSX_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}-{today:%Y-%m-%d}.{extension}"'
    return response


def profile(request, slug: str, year: int, extension: str):
    evaluation = published_evaluation(slug, year)
    found = build_profile(evaluation=evaluation, mean_key=request.GET.get("medel"))
    page = evaluation.get_absolute_url()
    if request.GET.get("medel"):
        page += "?" + request.GET.urlencode()
    table = page_downloads.profile_table(found)
    return _respond(request, table, name=f"kompass-{slug}-{year}", extension=extension, page=page)


def comparison(request, extension: str):
    found = comparison_of(request)
    page = compare_url([m.key for m in found.members])
    name = "kompass-jamforelse-" + "-".join(slugify(m.label) for m in found.members)
    table = page_downloads.comparison_table(found)
    return _respond(request, table, name=name, extension=extension, page=page)


def ranking(request, extension: str):
    result = ranking_result(request.GET)
    if result.rows is None:
        lines = [_("Rankningen kunde inte visas:")]
        lines += [error for errors in result.form.errors.values() for error in errors]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    page = reverse("comparisons:ranking") + (f"?{request.GET.urlencode()}" if request.GET else "")
    table = page_downloads.ranking_table(result.rows, caption=result.caption)
    return _respond(request, table, name="kompass-rankning", extension=extension, page=page)
