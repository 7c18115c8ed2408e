"""Published evaluations as plain records (dicts shaped as `api.schemas`), in a fixed number of
queries whatever their number: read by the API and written into the full downloads."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse

from comparisons.figure_notes import figure_notes
from evaluations.models import (
    Area,
    AreaListItem,
    AreaResult,
    Evaluation,
    FrameworkVersion,
    GoodExampleMention,
    Municipality,
    QuestionScore,
)

Url = Callable[[str], str]  # a path to the absolute address (request.build_absolute_uri)

LIST_KEYS = {
    AreaListItem.Kind.STRENGTH: "strengths",
    AreaListItem.Kind.IMPROVEMENT: "improvements",
    AreaListItem.Kind.WEAKNESS: "weaknesses",
}


def number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def evaluation_id(evaluation: Evaluation) -> str:
    return f"{evaluation.municipality.code}/{evaluation.year}"


def published_evaluations() -> QuerySet[Evaluation]:
    """Every published evaluation from its own report, with `total`, in a stable order."""
    return (
        Evaluation.objects.published()
        .with_related()
        .with_total()
        .order_by("municipality__code", "year")
    )


def county_record(county) -> dict:
    return {"code": county.code, "name": county.name}


def municipality_ref(municipality: Municipality) -> dict:
    return {
        "code": municipality.code,
        "name": municipality.short_name,
        "county": county_record(municipality.county),
    }


def evaluation_ref(evaluation: Evaluation, *, url: Url) -> dict:
    code, year = evaluation.municipality.code, evaluation.year
    return {
        "id": evaluation_id(evaluation),
        "year": year,
        "version": evaluation.framework.code,
        "total": number(evaluation.total),
        "url": url(reverse("api-v1:evaluation", kwargs={"code": code, "year": year})),
        "web_url": url(evaluation.get_absolute_url()),
    }


def mention_record(mention: GoodExampleMention, *, url: Url) -> dict:
    evaluation = mention.evaluation
    code, year = evaluation.municipality.code, evaluation.year
    return {
        "evaluation": evaluation_id(evaluation),
        "municipality": evaluation.municipality.short_name,
        "year": year,
        "part": mention.part,
        "area": mention.area.number if mention.area else None,
        "sentence": mention.sentence,
        "url": url(reverse("api-v1:evaluation", kwargs={"code": code, "year": year})),
        "web_url": url(mention.get_absolute_url()),
    }


def municipality_records(municipalities: Sequence[Municipality], *, url: Url) -> list[dict]:
    """`municipalities` need their county (select_related); one query for their evaluations,
    one for their mentions as a good example."""
    evaluations = defaultdict(list)
    for evaluation in published_evaluations().filter(municipality__in=municipalities):
        evaluations[evaluation.municipality_id].append(evaluation)
    mentions = defaultdict(list)
    public = GoodExampleMention.objects.public().newest_first()
    for mention in public.filter(municipality__in=municipalities):
        mentions[mention.municipality_id].append(mention)
    return [
        {
            "code": m.code,
            "name": m.short_name,
            "official_name": m.name,
            "slug": m.slug,
            "county": county_record(m.county),
            "url": url(reverse("api-v1:municipality", kwargs={"code": m.code})),
            "web_url": url(m.get_absolute_url()),
            "evaluations": [evaluation_ref(e, url=url) for e in evaluations[m.pk]],
            "good_example_mentions": [mention_record(x, url=url) for x in mentions[m.pk]],
        }
        for m in municipalities
    ]


def _area_results(evaluation_ids: list[int]) -> dict[int, dict[int, AreaResult]]:
    results = AreaResult.objects.filter(evaluation_id__in=evaluation_ids).prefetch_related(
        Prefetch("list_items", queryset=AreaListItem.objects.order_by("kind", "position"))
    )
    by_evaluation: dict[int, dict[int, AreaResult]] = defaultdict(dict)
    for result in results.select_related("area"):
        by_evaluation[result.evaluation_id][result.area.number] = result
    return by_evaluation


def _scores(evaluation_ids: list[int]) -> dict[tuple[int, int], list[QuestionScore]]:
    """Scores by (evaluation, area number), in code order."""
    scores = (
        QuestionScore.objects.filter(evaluation_id__in=evaluation_ids)
        .select_related("question__area")
        .order_by("question__area__number", "question__code")
    )
    grouped: dict[tuple[int, int], list[QuestionScore]] = defaultdict(list)
    for score in scores:
        grouped[(score.evaluation_id, score.question.area.number)].append(score)
    return grouped


def _score_record(score: QuestionScore) -> dict:
    question = score.question
    return {
        "code": question.code,
        "text": question.text,
        "max_points": question.max_points,
        "points": float(score.points),
        "percent": int(score.percent),
        "printed_points": number(score.printed_points),
        "printed_percent": score.printed_percent,
    }


def _area_record(area: Area, result: AreaResult | None, scores: list[QuestionScore]) -> dict:
    lists: dict[str, list[str]] = {key: [] for key in LIST_KEYS.values()}
    for item in result.list_items.all() if result else []:
        lists[LIST_KEYS[item.kind]].append(item.text)
    return {
        "number": area.number,
        "title": area.title,
        "points": number(result.points) if result else None,
        "header_points": number(result.header_points) if result else None,
        "table_points": number(result.table_points) if result else None,
        "text": result.text if result else "",
        **lists,
        "questions": [_score_record(score) for score in scores],
    }


def _previous_records(evaluations: Sequence[Evaluation]) -> dict[int, dict]:
    """The previous evaluation each report names (`previous_year`): Kompass's own evaluation of
    that year, else what the report states of it, else only the year."""
    named = [e for e in evaluations if e.previous_year]
    if not named:
        return {}
    own = {
        (e.municipality_id, e.year): e
        for e in Evaluation.objects.published()
        .with_related()
        .with_total()
        .filter(
            municipality_id__in={e.municipality_id for e in named},
            year__in={e.previous_year for e in named},
        )
    }
    stated = {
        e.stated_in_id: e
        for e in Evaluation.objects.published_or_stated()
        .filter(origin=Evaluation.Origin.STATED, stated_in__in=[e.pk for e in named])
        .with_total()
        .prefetch_related(
            Prefetch("area_results", queryset=AreaResult.objects.select_related("area"))
        )
    }
    records = {}
    for evaluation in named:
        year = evaluation.previous_year
        record = {"year": year, "id": None, "total": None, "areas": [], "source": ""}
        if found := own.get((evaluation.municipality_id, year)):
            record |= {"origin": "report", "id": evaluation_id(found), "total": number(found.total)}
        elif (found := stated.get(evaluation.pk)) and found.year == year:
            record |= {
                "origin": "stated",
                "total": number(found.total),
                "areas": [
                    {"number": r.area.number, "points": float(r.points)}
                    for r in sorted(found.area_results.all(), key=lambda r: r.area.number)
                    if r.points is not None
                ],
                "source": found.stated_source,
            }
        else:
            record["origin"] = "unknown"
        records[evaluation.pk] = record
    return records


def evaluation_records(evaluations: Sequence[Evaluation], *, url: Url) -> list[dict]:
    """Full records of `evaluations` (from `published_evaluations()`), in seven queries."""
    ids = [e.pk for e in evaluations]
    areas_by_framework: dict[int, list[Area]] = defaultdict(list)
    for area in Area.objects.filter(framework_id__in={e.framework_id for e in evaluations}):
        areas_by_framework[area.framework_id].append(area)
    results = _area_results(ids)
    scores = _scores(ids)
    previous = _previous_records(evaluations)
    records = []
    for evaluation in evaluations:
        own_results = results.get(evaluation.pk, {})
        records.append(
            {
                **evaluation_ref(evaluation, url=url),
                "municipality": municipality_ref(evaluation.municipality),
                "month": evaluation.month,
                "report_date": evaluation.report_date,
                "ordinal": evaluation.ordinal,
                "previous_year": evaluation.previous_year,
                "previous": previous.get(evaluation.pk),
                "kommungrupp": evaluation.kommungrupp,
                "interviewed": evaluation.interviewed,
                "evaluators": evaluation.evaluators,
                "printed_total": number(evaluation.printed_total),
                "areas_total": number(evaluation.areas_total),
                "summary": evaluation.summary,
                "areas": [
                    _area_record(
                        area, own_results.get(area.number), scores[(evaluation.pk, area.number)]
                    )
                    for area in areas_by_framework[evaluation.framework_id]
                ],
            }
        )
    return records


def _version_record(version: FrameworkVersion, areas: list[Area], count: int, url: Url) -> dict:
    return {
        "code": version.code,
        "name": version.name,
        "year": version.year,
        "previous": version.previous.code if version.previous else None,
        "evaluations": count,
        "url": url(reverse("api-v1:version", kwargs={"version": version.code})),
        "areas": [
            {
                "number": area.number,
                "title": area.title,
                "questions": [
                    {"code": q.code, "text": q.text, "max_points": q.max_points}
                    for q in area.questions.all()
                ],
            }
            for area in areas
        ],
    }


def version_records(versions: Sequence[FrameworkVersion], *, url: Url) -> list[dict]:
    """Versions with their areas and questions, and how many published evaluations each has."""
    counts = dict(
        Evaluation.objects.published()
        .values_list("framework_id")
        .annotate(n=Count("pk"))
        .values_list("framework_id", "n")
    )
    areas = Area.objects.filter(framework__in=versions).prefetch_related("questions")
    by_version: dict[int, list[Area]] = {}
    for area in areas:
        by_version.setdefault(area.framework_id, []).append(area)
    return [
        _version_record(v, by_version.get(v.pk, []), counts.get(v.pk, 0), url) for v in versions
    ]


def notes_of(evaluation: Evaluation) -> list[dict]:
    """The public notes on the evaluation's figures (two queries: for one evaluation at a time,
    the detail and the full download, not the paginated lists)."""
    return [{"kind": str(n.kind), "text": n.text} for n in figure_notes(evaluation=evaluation)]
