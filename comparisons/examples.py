"""Good examples: the published strengths (and improvement points, weaknesses, the evaluators'
texts) that mention a phrase, and the municipalities that the reports recommend as good
examples."""

import re
from dataclasses import dataclass

from django.db.models import Case, CharField, F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from evaluations.mentions import sentences
from evaluations.models import (
    AreaListItem,
    AreaResult,
    Evaluation,
    GoodExampleMention,
    published_lookup,
)

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100


def clean_query(text: str) -> str:
    """Whitespace collapsed, at most MAX_QUERY_LENGTH characters."""
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


TEXT = "text"  # an area's narrative text
SUMMARY = "summary"  # the summary comments
# Within an evaluation: the summary, then per area its text and its lists in column order.
KIND_ORDER = Case(
    When(kind=AreaListItem.Kind.STRENGTH, then=Value(0)),
    When(kind=AreaListItem.Kind.IMPROVEMENT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
TEXT_ORDER = Value(-1, output_field=IntegerField())
# Of a narrative text, only the sentences with the phrase are shown, at most these.
MAX_SENTENCES = 3
CONTEXT = 100  # characters either side, where no one sentence holds the phrase


def contains_pattern(query: str) -> str:
    # Not icontains: SQLite's LIKE folds only ASCII case, so "öppna" would miss "Öppna".
    return re.escape(query)


def _columns(prefix: str, **columns) -> dict:
    """The columns every kind of hit has, through the relation `prefix` to its evaluation."""
    return {
        "hit_name": F(f"{prefix}municipality__short_name"),
        "hit_slug": F(f"{prefix}municipality__slug"),
        "hit_year": F(f"{prefix}year"),
        "hit_version": F(f"{prefix}framework__code"),
        **columns,
    }


def search(
    *,
    query: str,
    include_improvements: bool = False,
    include_weaknesses: bool = False,
    include_texts: bool = False,
) -> QuerySet:
    """Strengths of published evaluations containing the query (case-insensitive), by
    municipality, newest evaluation first, area and report order; improvement points,
    weaknesses and the evaluators' narrative texts (each area's text, the summary) too when
    asked for. One row (a dict of ``hit_*`` columns) per list item or text, one query."""
    kinds = [AreaListItem.Kind.STRENGTH]
    if include_improvements:
        kinds.append(AreaListItem.Kind.IMPROVEMENT)
    if include_weaknesses:
        kinds.append(AreaListItem.Kind.WEAKNESS)
    pattern = contains_pattern(query)
    # Each part without its model's ordering: SQLite refuses one inside a UNION.
    hits = (
        AreaListItem.objects.filter(
            published_lookup("area_result__evaluation__"), text__iregex=pattern, kind__in=kinds
        )
        .order_by()
        .values(
            **_columns(
                "area_result__evaluation__",
                hit_kind=F("kind"),
                hit_text=F("text"),
                hit_area=F("area_result__area__number"),
                hit_area_title=F("area_result__area__title"),
                hit_order=KIND_ORDER,
                hit_position=F("position"),
            )
        )
    )
    if include_texts:
        texts = (
            AreaResult.objects.filter(published_lookup("evaluation__"), text__iregex=pattern)
            .order_by()
            .values(
                **_columns(
                    "evaluation__",
                    hit_kind=Value(TEXT, output_field=CharField()),
                    hit_text=F("text"),
                    hit_area=F("area__number"),
                    hit_area_title=F("area__title"),
                    hit_order=TEXT_ORDER,
                    hit_position=Value(0, output_field=IntegerField()),
                )
            )
        )
        summaries = (
            Evaluation.objects.published()
            .filter(summary__iregex=pattern)
            .order_by()
            .values(
                **_columns(
                    "",
                    hit_kind=Value(SUMMARY, output_field=CharField()),
                    hit_text=F("summary"),
                    hit_area=Value(0, output_field=IntegerField()),
                    hit_area_title=Value("", output_field=CharField()),
                    hit_order=TEXT_ORDER,
                    hit_position=Value(0, output_field=IntegerField()),
                )
            )
        )
        hits = hits.union(texts, summaries, all=True)
    return hits.order_by("hit_name", "-hit_year", "hit_area", "hit_order", "hit_position")


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


def excerpt(*, text: str, query: str) -> tuple[list[str], bool]:
    """The sentences of a narrative text that contain the query (at most MAX_SENTENCES), and
    whether there were more."""
    found = [s for s in sentences(text) if re.search(re.escape(query), s, re.IGNORECASE)]
    if not found:  # the phrase runs across a sentence's end: the words around it
        match = re.search(re.escape(query), " ".join(text.split()), re.IGNORECASE)
        plain = " ".join(text.split())
        start = max(match.start() - CONTEXT, 0) if match else 0
        return [plain[start : start + len(query) + 2 * CONTEXT]], True
    return found[:MAX_SENTENCES], len(found) > MAX_SENTENCES


@dataclass(frozen=True)
class Example:
    """One hit: a list item, or the sentences of a narrative text that contain the phrase."""

    kind: str  # an AreaListItem.Kind, TEXT or SUMMARY
    municipality: str
    year: int
    version: str
    area_number: int
    area_title: str
    highlighted: list[SafeString]
    more: bool
    url: str

    @property
    def is_text(self) -> bool:
        return self.kind in (TEXT, SUMMARY)


def examples(rows, *, query: str) -> list[Example]:
    """The page's rows of ``search`` as they are shown."""
    found = []
    for row in rows:
        texts, more = [row["hit_text"]], False
        if row["hit_kind"] in (TEXT, SUMMARY):
            texts, more = excerpt(text=row["hit_text"], query=query)
        anchor = "summary-heading" if row["hit_kind"] == SUMMARY else f"omrade-{row['hit_area']}"
        found.append(
            Example(
                kind=row["hit_kind"],
                municipality=row["hit_name"],
                year=row["hit_year"],
                version=row["hit_version"],
                area_number=row["hit_area"],
                area_title=row["hit_area_title"],
                highlighted=[highlight(text=text, query=query) for text in texts],
                more=more,
                url=reverse(
                    "comparisons:evaluation",
                    kwargs={"slug": row["hit_slug"], "year": row["hit_year"]},
                )
                + f"#{anchor}",
            )
        )
    return found


# A query's mentions shown above its hits, at most these.
MAX_MENTIONS = 20


@dataclass(frozen=True)
class MentionHit:
    mention: GoodExampleMention
    highlighted: SafeString


def mentions_containing(*, query: str) -> list[MentionHit]:
    """Published mentions of a good example whose sentence contains the query, or that name a
    municipality whose name contains it, by the municipality named (one query)."""
    pattern = contains_pattern(query)
    found = (
        GoodExampleMention.objects.public()
        .filter(Q(sentence__iregex=pattern) | Q(municipality__short_name__iregex=pattern))
        .select_related("municipality", "evaluation__municipality", "area")
        .order_by("municipality__short_name", "-evaluation__year", "order")[:MAX_MENTIONS]
    )
    return [
        MentionHit(mention=m, highlighted=highlight(text=m.sentence, query=query)) for m in found
    ]


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
            .newest_first()
            .filter(municipality_id=municipality_id)
        )
    )


def profile_mentions(*, evaluation: Evaluation) -> tuple[Recommended, list[GoodExampleMention]]:
    """For an evaluation's profile, in one query: where published reports recommend its
    municipality, and whom its own report recommends (for a draft's preview too)."""
    own = Q(evaluation_id=evaluation.pk)
    found = list(
        GoodExampleMention.objects.filter(
            (published_lookup("evaluation__") & Q(municipality_id=evaluation.municipality_id)) | own
        )
        .newest_first()
        .select_related("municipality")
    )
    # A report never recommends its own municipality, so the two never share a mention.
    return (
        Recommended(mentions=[m for m in found if m.evaluation_id != evaluation.pk]),
        [m for m in found if m.evaluation_id == evaluation.pk],
    )
