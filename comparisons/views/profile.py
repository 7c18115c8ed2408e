from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from evaluations.models import Evaluation, Municipality

from .. import municipalities
from ..profiles import build_profile, question_rows
from ..tables import EvaluationQuestionTable
from . import compare

MAX_QUERY_LENGTH = 100


def home(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    return render(
        request,
        "comparisons/home.html",
        {
            "query": query,
            "hits": municipalities.search(query=query) if query.strip() else None,
            "evaluations": municipalities.evaluated(),
        },
    )


def _published_evaluation_or_404(municipality: Municipality, year: int | None = None):
    evaluations = Evaluation.objects.published().with_related().with_total()
    evaluations = evaluations.filter(municipality=municipality).order_by("-year")
    if year is not None:
        evaluations = evaluations.filter(year=year)
    evaluation = evaluations.first()
    if evaluation is None:
        raise Http404("Ingen publicerad utvärdering")
    return evaluation


def _staff_can_preview(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("evaluations.view_evaluation")


class ProfileView(SingleTableMixin, TemplateView):
    template_name = "comparisons/profile.html"
    table_class = EvaluationQuestionTable
    table_pagination = False
    preview = False

    def get(self, request, *args, **kwargs):
        self.evaluation = self.get_evaluation()
        return super().get(request, *args, **kwargs)

    def get_evaluation(self) -> Evaluation:
        municipality = get_object_or_404(Municipality, slug=self.kwargs["slug"])
        return _published_evaluation_or_404(municipality, self.kwargs.get("year"))

    def get_table_data(self):
        return question_rows(evaluation=self.evaluation)

    def get_context_data(self, **kwargs):
        profile = build_profile(evaluation=self.evaluation, mean_key=self.request.GET.get("medel"))
        kwargs.update(compare.profile_additions(self.evaluation))  # trend, similar municipalities
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


def municipality(request, slug):
    """A municipality's latest published evaluation; a municipality code redirects to the slug."""
    if slug.isdigit():
        return redirect(get_object_or_404(Municipality, code=slug), permanent=True)
    found = get_object_or_404(Municipality.objects.select_related("county"), slug=slug)
    if not Evaluation.objects.published().filter(municipality=found).exists():
        return render(
            request, "comparisons/not_evaluated.html", {"municipality": found}, status=404
        )
    return ProfileView.as_view()(request, slug=slug)


preview = login_required(PreviewView.as_view())
evaluation = ProfileView.as_view()
