from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from evaluations import access
from evaluations.models import Evaluation, Municipality

from .. import examples as good_examples
from .. import municipalities
from ..profiles import build_profile, question_rows
from ..tables import EvaluationQuestionTable
from . import compare

MAX_QUERY_LENGTH = 100


def home(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    hits = None
    if query.strip():
        # One more than is shown, to tell that the list was cut.
        hits = municipalities.search(query=query, limit=municipalities.MAX_RESULTS + 1)
    return render(
        request,
        "comparisons/home.html",
        {
            "query": query,
            "hits": hits[: municipalities.MAX_RESULTS] if hits is not None else None,
            "more_hits": hits is not None and len(hits) > municipalities.MAX_RESULTS,
            "evaluations": municipalities.evaluated(),
        },
    )


def published_evaluation(slug: str, year: int | None = None) -> Evaluation:
    """The municipality's published evaluation of `year`, or its latest; else a 404. Also what
    the embeds, preview images and page downloads show (opendata)."""
    municipality = get_object_or_404(Municipality, slug=slug)
    evaluations = Evaluation.objects.published().with_related().with_total()
    evaluations = evaluations.filter(municipality=municipality).order_by("-year")
    if year is not None:
        evaluations = evaluations.filter(year=year)
    evaluation = evaluations.first()
    if evaluation is None:
        raise Http404("Ingen publicerad utvärdering")
    return evaluation


def _staff_can_preview(user) -> bool:
    return access.allowed(user, "evaluations.view_evaluation")


class ProfileView(SingleTableMixin, TemplateView):
    template_name = "comparisons/profile.html"
    table_class = EvaluationQuestionTable
    table_pagination = False
    preview = False

    def get(self, request, *args, **kwargs):
        self.evaluation = self.get_evaluation()
        return super().get(request, *args, **kwargs)

    def get_evaluation(self) -> Evaluation:
        return published_evaluation(self.kwargs["slug"], self.kwargs.get("year"))

    def get_table_data(self):
        return question_rows(evaluation=self.evaluation)

    def get_table_kwargs(self):
        return {"version": self.evaluation.framework.code}

    def get_context_data(self, **kwargs):
        profile = build_profile(evaluation=self.evaluation, mean_key=self.request.GET.get("medel"))
        areas = {row.number: row.points for row in profile.areas}
        kwargs.update(compare.profile_additions(self.evaluation, areas=areas))  # trend, similar
        return super().get_context_data(profile=profile, preview=self.preview, **kwargs)


class PreviewView(ProfileView):
    """A draft's public profile, for staff only; everyone else gets a 404."""

    preview = True

    def get_evaluation(self) -> Evaluation:
        if not _staff_can_preview(self.request.user):
            raise Http404
        return get_object_or_404(
            Evaluation.objects.with_related().with_total(), pk=self.kwargs["pk"]
        )


def _canonical_address(slug: str, year: int | None = None):
    """A redirect to the slug's address for a municipality code or a name typed as a visitor
    would ("Luleå", "Upplands Väsby"); None when `slug` already is a slug."""
    if slug.isdigit():
        found = get_object_or_404(Municipality, code=slug)
    elif municipalities.fold(slug) != slug:
        found = get_object_or_404(Municipality, slug=municipalities.fold(slug))
    else:
        return None
    if year is None:
        return redirect(found, permanent=True)
    return redirect("comparisons:evaluation", slug=found.slug, year=year, permanent=True)


def municipality(request, slug):
    """A municipality's latest published evaluation."""
    if canonical := _canonical_address(slug):
        return canonical
    found = get_object_or_404(Municipality.objects.select_related("county"), slug=slug)
    if not Evaluation.objects.published().filter(municipality=found).exists():
        # Not evaluated, but recommended in others' reports: a page worth finding.
        recommended = good_examples.recommended(municipality_id=found.pk)
        return render(
            request,
            "comparisons/not_evaluated.html",
            {"municipality": found, "recommended": recommended},
            status=200 if recommended.mentions else 404,
        )
    return ProfileView.as_view()(request, slug=slug)


def evaluation(request, slug, year):
    """A given published evaluation of a municipality."""
    return _canonical_address(slug, year) or ProfileView.as_view()(request, slug=slug, year=year)


# A draft's page is for staff alone: never stored by a browser or a proxy.
preview = never_cache(login_required(PreviewView.as_view()))
