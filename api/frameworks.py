from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Path, Query, Router
from ninja.decorators import decorate_view

from comparisons.filters import ranked_scores
from comparisons.means import (
    difference,
    mean_of_others,
    question_sums,
    reference_area_means,
    version_area_sums,
    version_mean,
    version_question_sums,
)
from comparisons.ranking import rank_evaluations
from evaluations.models import (
    AREA_COUNT,
    Area,
    Evaluation,
    FrameworkVersion,
    Question,
)

from . import schemas
from .conditional import conditional
from .evaluations import VERSION
from .municipalities import ERRORS
from .records import evaluation_id, municipality_ref, number, version_records

router = Router(tags=["versioner"])

QUESTION = r"^[1-8]\.[0-9]{1,2}$"
MEAN_METHOD = gettext_lazy(
    "Oviktat medelvärde av alla publicerade utvärderingar i versionen, ur sina egna rapporter "
    "(uppgifter om tidigare resultat ur senare rapporter ingår inte), avrundat till en decimal "
    "med halvor uppåt."
)


def _version_or_404(code: str) -> FrameworkVersion:
    return get_object_or_404(FrameworkVersion.objects.select_related("previous"), code=code)


@router.get(
    "/versions",
    response={200: list[schemas.FrameworkVersion], **ERRORS},
    url_name="versions",
    summary=gettext_lazy("Versioner"),
    description=gettext_lazy(
        "Kommunkompassens versioner (2010, 2016, 2020) med områden och delfrågor (maxpoäng). "
        "Poäng från olika versioner är inte fullt jämförbara."
    ),
)
@decorate_view(conditional)
def versions(request):
    found = list(FrameworkVersion.objects.select_related("previous"))
    return version_records(found, url=request.build_absolute_uri)


@router.get(
    "/versions/{version}",
    response={200: schemas.FrameworkVersion, **ERRORS},
    url_name="version",
    summary=gettext_lazy("En version"),
)
@decorate_view(conditional)
def version(request, version: str = Path(..., pattern=VERSION)):
    return version_records([_version_or_404(version)], url=request.build_absolute_uri)[0]


@router.get(
    "/versions/{version}/means",
    response={200: schemas.Means, **ERRORS},
    url_name="means",
    summary=gettext_lazy("Medelvärden"),
    description=MEAN_METHOD,
)
@decorate_view(conditional)
def means(request, version: str = Path(..., pattern=VERSION)):
    found = _version_or_404(version)
    national = version_mean(sums=version_area_sums(framework_id=found.pk))
    by_code = version_mean(sums=version_question_sums(framework_id=found.pk))
    areas = list(Area.objects.filter(framework=found).prefetch_related("questions"))
    return {
        "version": found.code,
        "n": national.n or 0,
        "method": str(MEAN_METHOD),
        "areas": [
            {"number": a.number, "title": a.title, "mean": number(national.get(a.number).rounded)}
            for a in areas
        ],
        "questions": [
            {
                "code": q.code,
                "text": q.text,
                "max_points": q.max_points,
                "mean": number(by_code.get(q.code).rounded),
                "n": by_code.get(q.code).n,
            }
            for a in areas
            for q in a.questions.all()
        ],
        "references": [
            {
                "name": r.name,
                "n": r.n,
                "source": r.source,
                "areas": [{"number": k, "points": number(v)} for k, v in sorted(r.areas.items())],
            }
            for r in reference_area_means(framework_id=found.pk)
        ],
    }


def _rank_item(position: int, evaluation: Evaluation, score: Decimal, url) -> dict:
    code, year = evaluation.municipality.code, evaluation.year
    return {
        "position": position,
        "evaluation": evaluation_id(evaluation),
        "municipality": municipality_ref(evaluation.municipality),
        "year": year,
        "score": float(score),
        "url": url(reverse("api-v1:evaluation", kwargs={"code": code, "year": year})),
    }


@router.get(
    "/versions/{version}/ranking",
    response={200: schemas.Ranking, **ERRORS},
    url_name="ranking",
    summary=gettext_lazy("Rankning"),
    description=gettext_lazy(
        "Publicerade utvärderingar i en version rankade efter totalpoäng eller ett område; "
        "lika poäng delar plats (1, 1, 3)."
    ),
)
@decorate_view(conditional)
def ranking(
    request,
    version: str = Path(..., pattern=VERSION),
    area: int | None = Query(None, ge=1, le=AREA_COUNT, description="Område 1–8; utan: total."),
    latest: bool = Query(False, description="Bara varje kommuns senaste utvärdering i versionen."),
):
    found = _version_or_404(version)
    rows = rank_evaluations(framework_id=found.pk, area_number=area, latest_only=latest)
    if area is None:
        title = _("Totalpoäng (av 800)")
    else:
        chosen = Area.objects.filter(framework=found, number=area).first()
        title = _("Område %(number)s %(title)s (av 100)") % {
            "number": area,
            "title": chosen.title if chosen else "",
        }
    url = request.build_absolute_uri
    return {
        "version": found.code,
        "area": area,
        "title": title,
        "latest_only": latest,
        "count": len(rows),
        "items": [_rank_item(r.position, r.evaluation, r.score, url) for r in rows],
    }


@router.get(
    "/versions/{version}/questions/{code}",
    response={200: schemas.QuestionAcrossCountry, **ERRORS},
    url_name="question",
    summary=gettext_lazy("En delfråga i hela landet"),
    description=gettext_lazy(
        "Varje publicerad utvärderings poäng på en delfråga, rankade, med versionens "
        "medelvärde och skillnaden mot det."
    ),
)
@decorate_view(conditional)
def question(
    request,
    version: str = Path(..., pattern=VERSION),
    code: str = Path(..., pattern=QUESTION, description="Delfrågans kod, t.ex. 3.2."),
):
    found = (
        Question.objects.filter(area__framework__code=version, code=code)
        .select_related("area__framework")
        .first()
    )
    if found is None:
        raise Http404
    sums = question_sums(framework_id=found.area.framework_id, question_id=found.pk)
    mean = version_mean(sums=sums).get(found.code).rounded
    url = request.build_absolute_uri

    def to_others(points: Decimal) -> float | None:
        # As on the question's page: each score against the mean of the other scores.
        others = mean_of_others(sums=sums, left_out=[{found.code: points}])
        return number(difference(points, others.value(found.code)))

    items = [
        {
            **_rank_item(score.plats, score.evaluation, score.points, url),
            "percent": int(score.procent),
            "difference_to_mean": to_others(score.points),
        }
        for score in ranked_scores(question_id=found.pk)
    ]
    return {
        "version": found.area.framework.code,
        "area": found.area.number,
        "question": {"code": found.code, "text": found.text, "max_points": found.max_points},
        "mean": number(mean),
        "count": len(items),
        "items": items,
        "same_code_in_other_versions": list(
            Question.objects.filter(code=found.code)
            .exclude(area__framework=found.area.framework)
            .order_by("area__framework__year")
            .values_list("area__framework__code", flat=True)
        ),
    }
