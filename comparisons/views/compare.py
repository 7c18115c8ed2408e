"""Comparing municipalities: side by side, ranked, and their good examples."""

from dataclasses import dataclass
from decimal import Decimal
from typing import cast
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig

from evaluations.models import AREA_COUNT, Area, Evaluation, FrameworkVersion

from .. import examples as good_examples
from .. import municipalities
from ..comparison import (
    MAX_MEMBERS,
    MIN_MEMBERS,
    Key,
    build_comparison,
    parse_keys,
    with_codes_as_slugs,
)
from ..ranking import Ranking, kommungrupp_choices
from ..similar import Suggestion, similar_municipalities
from ..tables import ComparisonQuestionTable, RankingTable
from ..trends import build_trend

MAX_QUERY_LENGTH = 100
EXAMPLES_PER_PAGE = 50
RANKING_PER_PAGE = 100


def compare_url(keys) -> str:
    """The shareable address of a comparison of these keys (`Key`s or strings), in order."""
    query = urlencode([("k", str(key)) for key in keys], safe=":")
    return reverse("comparisons:compare") + (f"?{query}" if query else "")


def _add_municipality(request, keys: list[Key]):
    """The no-JavaScript picker: one unambiguous hit is added; otherwise the page offers choices."""
    text = request.GET.get("lagg_till", "").strip()[:MAX_QUERY_LENGTH]
    if not text:
        return redirect(compare_url(keys)), None
    hits = municipalities.search(query=text)
    exact = [
        hit
        for hit in hits
        if municipalities.fold(hit.municipality.short_name) == municipalities.fold(text)
        or hit.municipality.code == text
    ]
    # "kalix" adds Kalix, not Överkalix; "habo" is Habo or Håbo, so the visitor chooses.
    for candidates in (exact, hits):
        if len(candidates) == 1 and candidates[0].latest is not None:
            return redirect(compare_url([*keys, Key(candidates[0].municipality.slug)])), None
    choices = [
        {"hit": hit, "url": compare_url([*keys, Key(hit.municipality.slug)])} for hit in hits
    ]
    return None, {"query": text, "hits": choices}


def similar_links(suggestions: list[Suggestion], *, keys: list[Key], adding: bool) -> list[dict]:
    """Each suggestion with a link that compares it: added to `keys`, or beside the first key."""
    return [
        {
            "suggestion": suggestion,
            "url": compare_url(
                [*(keys if adding else keys[:1]), Key(suggestion.evaluation.municipality.slug)]
            ),
        }
        for suggestion in suggestions
    ]


def profile_additions(evaluation: Evaluation, *, areas: dict[int, Decimal | None]) -> dict:
    """The trend and the similar municipalities that a municipality's profile shows; `areas`
    are the evaluation's area scores."""
    suggestions = similar_municipalities(evaluation=evaluation, areas=areas, total=evaluation.total)
    key = Key(evaluation.municipality.slug, evaluation.year)
    return {
        "trend": build_trend(municipality_id=evaluation.municipality_id),
        "similar": similar_links(suggestions, keys=[key], adding=False),
    }


def compare(request):
    parsed = parse_keys(request.GET.getlist("k"))
    choices = None
    if "lagg_till" in request.GET:
        response, choices = _add_municipality(request, parsed.keys)
        if response is not None:
            return response
    # Codes, names as typed and repeats lead to the one address that names slugs, once each.
    keys = with_codes_as_slugs(parsed.keys)
    typed = [value.strip() for value in request.GET.getlist("k") if value.strip()]
    if not parsed.malformed and [str(key) for key in keys] != typed:
        return redirect(compare_url(keys))
    if len(parsed.keys) > MAX_MEMBERS:
        return render(
            request,
            "comparisons/compare.html",
            {
                "too_many": len(parsed.keys),
                "max_members": MAX_MEMBERS,
                "first_allowed_url": compare_url(parsed.keys[:MAX_MEMBERS]),
            },
            status=400,
        )
    comparison = build_comparison(keys=parsed.keys)
    members = comparison.members
    member_keys = [m.key for m in members]
    similar = []
    if members and len(members) < MAX_MEMBERS:
        first = members[0].evaluation
        similar = similar_municipalities(
            evaluation=first,
            areas=members[0].points,
            total=first.total,
            exclude_municipality_ids=[m.municipality.pk for m in members],
        )
    return render(
        request,
        "comparisons/compare.html",
        {
            "comparison": comparison,
            "not_found": [*parsed.malformed, *comparison.not_found],
            "choices": choices,
            "max_members": MAX_MEMBERS,
            "min_members": MIN_MEMBERS,
            "can_add": len(members) < MAX_MEMBERS,
            "has_year_choices": any(len(m.year_choices) > 1 for m in members),
            "enough": len(members) >= MIN_MEMBERS,
            "share_url": request.build_absolute_uri(compare_url(member_keys)),
            "selected": [
                {
                    "member": member,
                    "remove_url": compare_url(member_keys[:i] + member_keys[i + 1 :]),
                }
                for i, member in enumerate(members)
            ],
            "question_tables": [ComparisonQuestionTable(g) for g in comparison.question_groups],
            "similar": similar_links(similar, keys=member_keys, adding=True),
        },
    )


def picker_suggestions(request):
    """JSON for the search-as-you-type picker: municipalities matching `q`."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    hits = municipalities.search(query=query) if query.strip() else []
    return JsonResponse(
        {
            "results": [
                {
                    "slug": hit.municipality.slug,
                    "name": hit.municipality.short_name,
                    "county": hit.municipality.county.short_name,
                    "code": hit.municipality.code,
                    "year": hit.latest.year if hit.latest else None,
                    "version": hit.latest.framework.code if hit.latest else None,
                    "total": float(hit.latest.total)
                    if hit.latest and hit.latest.total is not None
                    else None,
                }
                for hit in hits
            ]
        }
    )


class RankingForm(forms.Form):
    version = forms.ChoiceField(label=gettext_lazy("Version"))
    area = forms.TypedChoiceField(
        label=gettext_lazy("Rangordna efter"), coerce=int, empty_value=None, required=False
    )
    kommungrupp = forms.ChoiceField(
        label=gettext_lazy("Kommungrupp (enligt rapportens Kortfakta)"), required=False
    )
    senaste = forms.BooleanField(
        label=gettext_lazy("Bara kommunens senaste utvärdering i versionen"), required=False
    )

    def __init__(
        self,
        data,
        *,
        versions: list[FrameworkVersion],
        areas: list[Area],
        groups: list[str],
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        choice_fields = cast(dict[str, forms.ChoiceField], self.fields)
        choice_fields["version"].choices = [(v.code, v.code) for v in versions]
        choice_fields["kommungrupp"].choices = [("", _("Alla kommuner"))] + [(g, g) for g in groups]
        # Titles differ between versions; those of the chosen version name the menu's areas.
        titles = {area.number: area.title for area in areas}
        choice_fields["area"].choices = [("", _("Totalpoäng (av 800)"))] + [
            (
                n,
                _("Område %(number)s %(title)s") % {"number": n, "title": titles[n]}
                if n in titles
                else _("Område %(number)s") % {"number": n},
            )
            for n in range(1, AREA_COUNT + 1)
        ]


def _ranking_caption(version: FrameworkVersion, area: Area | None) -> str:
    if area is None:
        return _("Rankning efter totalpoäng (av 800), version %(version)s") % {
            "version": version.code
        }
    return _("Rankning efter område %(number)s %(title)s (av 100), version %(version)s") % {
        "number": area.number,
        "title": area.title,
        "version": version.code,
    }


@dataclass(frozen=True)
class RankingResult:
    form: RankingForm
    rows: Ranking | None  # None when the form is not valid; read in slices, or all at once
    caption: str = ""


def ranking_result(query) -> RankingResult:
    """The ranking that the query asks for (the page and its downloads)."""
    versions = list(FrameworkVersion.objects.all())
    data = query.copy()
    if versions and not data.get("version"):
        data["version"] = versions[-1].code
    chosen = next((v for v in versions if v.code == data.get("version")), None)
    areas = list(Area.objects.filter(framework=chosen)) if chosen else []
    groups = kommungrupp_choices(framework_id=chosen.pk) if chosen else []
    form = RankingForm(data, versions=versions, areas=areas, groups=groups)
    if not form.is_valid():
        return RankingResult(form=form, rows=None)
    version = next(v for v in versions if v.code == form.cleaned_data["version"])
    number = form.cleaned_data["area"]
    area = next(a for a in areas if a.number == number) if number else None
    rows = Ranking(
        framework_id=version.pk,
        area_number=number,
        latest_only=form.cleaned_data["senaste"],
        kommungrupp=form.cleaned_data["kommungrupp"] or None,
    )
    caption = _ranking_caption(version, area)
    if group := form.cleaned_data["kommungrupp"]:
        caption += ", " + _("kommungrupp %(group)s") % {"group": group}
    return RankingResult(form=form, rows=rows, caption=caption)


def ranking(request):
    result = ranking_result(request.GET)
    table = compare_top_url = None
    if result.rows is not None:
        table = RankingTable(result.rows, caption=result.caption)
        RequestConfig(request, paginate={"per_page": RANKING_PER_PAGE}).configure(table)
        if result.rows.count() >= MIN_MEMBERS:
            top = result.rows[:MAX_MEMBERS]
            compare_top_url = compare_url(
                [Key(r.evaluation.municipality.slug, r.evaluation.year) for r in top]
            )
    return render(
        request,
        "comparisons/ranking.html",
        {"form": result.form, "table": table, "compare_top_url": compare_top_url},
        status=200 if result.rows is not None else 400,
    )


def examples(request):
    query = good_examples.clean_query(request.GET.get("q", ""))
    include_improvements = request.GET.get("forbattringar") == "1"
    include_weaknesses = request.GET.get("svagheter") == "1"
    include_texts = request.GET.get("texter") == "1"
    page = None
    too_short = bool(query) and len(query) < good_examples.MIN_QUERY_LENGTH
    searched = bool(query) and not too_short
    if searched:
        hits = good_examples.search(
            query=query,
            include_improvements=include_improvements,
            include_weaknesses=include_weaknesses,
            include_texts=include_texts,
        )
        page = Paginator(hits, EXAMPLES_PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "comparisons/examples.html",
        {
            "query": query,
            "include_improvements": include_improvements,
            "include_weaknesses": include_weaknesses,
            "include_texts": include_texts,
            "too_short": too_short,
            "min_length": good_examples.MIN_QUERY_LENGTH,
            "page": page,
            "hits": good_examples.examples(page.object_list, query=query) if page else [],
            "mentions": good_examples.mentions_containing(query=query) if searched else [],
            "page_query": urlencode(
                {
                    "q": query,
                    **({"forbattringar": "1"} if include_improvements else {}),
                    **({"svagheter": "1"} if include_weaknesses else {}),
                    **({"texter": "1"} if include_texts else {}),
                }
            ),
        },
    )
