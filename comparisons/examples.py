"""Good examples: the published strengths (and improvement points, weaknesses) that mention a
phrase, and the municipalities that the reports recommend as good examples."""

import re
from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from evaluations.models import AreaListItem, Evaluation, GoodExampleMention, published_lookup

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100


def clean_query(text: str) -> str:
    """Whitespace collapsed, at most MAX_QUERY_LENGTH characters."""
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


# Within an area: the report's column order.
KIND_ORDER = Case(
    When(kind=AreaListItem.Kind.STRENGTH, then=Value(0)),
    When(kind=AreaListItem.Kind.IMPROVEMENT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def search_points(
    *, query: str, include_improvements: bool = False, include_weaknesses: bool = False
) -> QuerySet[AreaListItem]:
    """Strengths of published evaluations containing the query (case-insensitive), by
    municipality, newest evaluation first, area and report order; improvement points and
    weaknesses too when asked for."""
    kinds = [AreaListItem.Kind.STRENGTH]
    if include_improvements:
        kinds.append(AreaListItem.Kind.IMPROVEMENT)
    if include_weaknesses:
        kinds.append(AreaListItem.Kind.WEAKNESS)
    return (
        AreaListItem.objects.filter(
            published_lookup("area_result__evaluation__"),
            # Not icontains: SQLite's LIKE folds only ASCII case, so "öppna" would miss "Öppna".
            text__iregex=re.escape(query),
            kind__in=kinds,
        )
        .select_related(
            "area_result__area",
            "area_result__evaluation__municipality",
            "area_result__evaluation__framework",
        )
        .order_by(
            "area_result__evaluation__municipality__short_name",
            "-area_result__evaluation__year",
            "area_result__area__number",
            KIND_ORDER,
            "position",
        )
    )


def highlight(*, text: str, query: str) -> SafeString:
    """The text escaped, with every case-insensitive occurrence of the query in <mark>."""
    if not query:
        return escape(text)
    parts = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    # re.split with one group alternates: text, match, text, match, ..., text.
    return mark_safe(
        "".join(
            f"<mark>{escape(part)}</mark>" if index % 2 else escape(part)
            for index, part in enumerate(parts)
        )
    )


@dataclass(frozen=True)
class Example:
    point: AreaListItem
    highlighted: SafeString

    @property
    def evaluation(self) -> Evaluation:
        return self.point.area_result.evaluation

    @property
    def url(self) -> str:
        return f"{self.evaluation.get_absolute_url()}#omrade-{self.point.area_result.area.number}"


def examples(points, *, query: str) -> list[Example]:
    return [Example(point=p, highlighted=highlight(text=p.text, query=query)) for p in points]


@dataclass(frozen=True)
class Recommended:
    """What the published reports of other municipalities say of one as a good example."""

    mentions: list[GoodExampleMention]

    @property
    def report_count(self) -> int:
        return len({mention.evaluation_id for mention in self.mentions})


def recommended(*, municipality_id: int) -> Recommended:
    """The municipality's mentions as a good example in published reports, newest report
    first, each in the report's order (one query)."""
    return Recommended(
        mentions=list(
            GoodExampleMention.objects.public()
            .filter(municipality_id=municipality_id)
            .select_related("evaluation__municipality", "area")
            .order_by("-evaluation__year", "evaluation__municipality__short_name", "order")
        )
    )
