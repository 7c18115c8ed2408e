"""The sub-question explorer (/delfragor/), its downloads, and one question across the country."""

import tempfile
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from evaluations.models import FrameworkVersion, Question

from .. import downloads, full_downloads
from ..filters import ScoreFilter, published_scores, ranked_scores, search_uses_stemming
from ..means import MeanValue, question_sums, question_sums_by_version
from ..question_ranking import QuestionRanking
from ..tables import QuestionRankingTable, ScoreExplorerTable

PAGE_FIELD = "sida"
SORT_FIELD = "sortera"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet of more rows than this is built in the background, not while a visitor waits.
BUILD_WHILE_WAITING_ROWS = 100_000


def _non_empty(query) -> list[tuple[str, str]]:
    return [(key, value) for key, values in query.lists() for value in values if value.strip()]


class ExplorerView(SingleTableMixin, FilterView):
    template_name = "comparisons/explorer.html"
    filterset_class = ScoreFilter
    table_class = ScoreExplorerTable

    def get(self, request, *args, **kwargs):
        # A submitted form sends every field; drop the empty ones so that the URL stays short
        # enough to share.
        kept = _non_empty(request.GET)
        if len(kept) < sum(len(values) for _key, values in request.GET.lists()):
            return redirect(f"{request.path}?{urlencode(kept)}" if kept else request.path)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return published_scores()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        download_query = urlencode(
            [(key, value) for key, value in _non_empty(self.request.GET) if key != PAGE_FIELD]
        )
        context.update(
            valid=valid,
            applied=self.filterset.applied(),
            # One EXISTS per version stops at the first row; a DISTINCT read every row.
            versions=list(
                FrameworkVersion.objects.filter(
                    Exists(self.object_list.filter(evaluation__framework=OuterRef("pk")))
                )
                .order_by("year")
                .values_list("code", flat=True)
            ),
            download_query=download_query,
            sort=self.request.GET.get(SORT_FIELD, ""),
            search_stems=search_uses_stemming(),
            version_note=downloads.VERSION_NOTE,
        )
        return context


explorer = ExplorerView.as_view()


def _filtered_scores(request):
    filterset = ScoreFilter(request.GET or None, queryset=published_scores(), request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, None
    return filterset, ScoreExplorerTable.ordered(filterset.qs, order_by=request.GET.get(SORT_FIELD))


def _bad_filters(filterset) -> HttpResponseBadRequest:
    lines = [_("Filtren kunde inte användas:")]
    for name, errors in filterset.errors.items():
        label = filterset.form.fields[name].label if name in filterset.form.fields else ""
        lines += [f"{label}: {error}" if label else error for error in errors]
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


def _attachment(response: HttpResponse, extension: str) -> HttpResponse:
    filename = f"kompass-delfragor-{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _everything(request) -> bool:
    """No filter and the page's default order: the full download, built once per version."""
    return not request.GET


def explorer_csv(request):
    filterset, scores = _filtered_scores(request)
    if scores is None:
        return _bad_filters(filterset)
    if _everything(request):
        response = FileResponse(full_downloads.csv_file().path.open("rb"), content_type=CSV_TYPE)
    else:
        response = StreamingHttpResponse(
            downloads.csv_chunks(
                rows=downloads.score_rows(scores, sums=question_sums_by_version())
            ),
            content_type=CSV_TYPE,
        )
    return _attachment(response, "csv")


def explorer_xlsx(request):
    filterset, scores = _filtered_scores(request)
    if scores is None:
        return _bad_filters(filterset)
    if _everything(request):
        built = full_downloads.xlsx_file(
            site_url=request.build_absolute_uri("/").rstrip("/"),
            background=lambda: scores.count() > BUILD_WHILE_WAITING_ROWS,
        )
        if built is None:
            response = HttpResponse(
                _("Kalkylbladet med alla rader byggs just nu. Försök igen om en minut."),
                content_type="text/plain; charset=utf-8",
                status=503,
            )
            response["Retry-After"] = "60"
            return response
        return _attachment(FileResponse(built.path.open("rb"), content_type=XLSX_TYPE), "xlsx")
    # On disk, not in memory; FileResponse closes it (and so removes it) once sent.
    out = tempfile.TemporaryFile()  # noqa: SIM115
    downloads.write_xlsx(
        rows=downloads.score_rows(scores, sums=question_sums_by_version()),
        out=out,
        applied_filters=filterset.applied(),
        # The page that shows these rows, not the download's own address.
        source_url=request.build_absolute_uri(
            f"{reverse('comparisons:explorer')}?{request.GET.urlencode()}"
        ),
        created=timezone.localdate(),
    )
    out.seek(0)
    return _attachment(FileResponse(out, content_type=XLSX_TYPE), "xlsx")


def _ranking(request, question: Question, *, prefix: str = "") -> dict:
    """One question's published scores ranked within its version, each against the others."""
    version = question.area.framework.code
    sums = question_sums(framework_id=question.area.framework_id, question_id=question.pk)
    key_sum = sums.by_key.get(question.code)
    # The mean of every published score, shown only where there are others to compare with:
    # a mean of one score is that score.
    mean = MeanValue(
        value=key_sum.total / key_sum.count if key_sum and key_sum.count > 1 else None,
        n=key_sum.count if key_sum else 0,
    )
    # The page's own order comes ranked once per data version; an order the visitor chooses
    # is sorted by the database.
    chosen_order = any(request.GET.getlist(f"{prefix}{SORT_FIELD}"))
    table = QuestionRankingTable(
        ranked_scores(question_id=question.pk)
        if chosen_order
        else QuestionRanking(question_id=question.pk),
        sums=sums,
        code=question.code,
        caption=_("Poäng på delfråga %(code)s, version %(version)s, rankade")
        % {"code": question.code, "version": version},
        prefix=prefix,
        attrs={"class": "data-table reflow", "id": f"rankning-{version}" if prefix else "rankning"},
    )
    RequestConfig(request).configure(table)  # 100 a page (`sida`, with the prefix)
    return {
        "question": question,
        "table": table,
        "mean": mean,
        "download_query": urlencode({"version": version, "kod": question.code}),
    }


def question(request, version: str, code: str):
    """Every published score on one question of one version, ranked, with the version's mean."""
    found = (
        Question.objects.filter(area__framework__code=version, code=code)
        .select_related("area__framework", "previous__area__framework")
        .first()
    )
    if found is None:
        return render(
            request,
            "comparisons/question_missing.html",
            {"version": version, "code": code},
            status=404,
        )
    main = _ranking(request, found)
    # The framework kept some questions between versions (reworded): their scores compare.
    successors = found.successors.select_related("area__framework")
    kept = [q for q in (found.previous, *successors) if q is not None]
    return render(
        request,
        "comparisons/question.html",
        {
            "question": found,
            "table": main["table"],
            "mean": main["mean"],
            "download_query": main["download_query"],
            "comparable": [
                {
                    **_ranking(request, q, prefix=f"v{q.area.framework.code}-"),
                    # How the later of the two differs: "omformulerad, samma innebörd".
                    "change": (found if q == found.previous else q).get_previous_change_display(),
                }
                for q in kept
            ],
            "same_code_elsewhere": Question.objects.filter(code=found.code)
            .exclude(area__framework=found.area.framework)
            .exclude(pk__in=[q.pk for q in kept])
            .select_related("area__framework")
            .order_by("area__framework__year"),
            "version_note": downloads.VERSION_NOTE,
        },
    )
