"""Two to six municipalities' evaluations side by side, gathered in a fixed number of queries.

A municipality is asked for by its slug, `lulea`, for its latest published evaluation, or by
slug and year, `lulea:2018`, for a given one.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from evaluations.models import (
    Area,
    AreaResult,
    Evaluation,
    Municipality,
    Question,
    QuestionScore,
)

from . import charts
from .means import (
    TOTAL,
    AreaMeans,
    counted_in_means,
    mean_of_others,
    others_area_means,
    version_area_sums,
)
from .municipalities import fold

MIN_MEMBERS = 2
MAX_MEMBERS = 6
MAX_KEY_LENGTH = 110
KEY_PATTERN = re.compile(r"^(?P<slug>[a-z0-9-]{1,100})(?::(?P<year>[0-9]{4}))?$")
TYPED_NAME = re.compile(r"[\w\s-]+")  # "Upplands Väsby": folded to its slug
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


@dataclass(frozen=True)
class Key:
    slug: str
    year: int | None = None

    def __str__(self) -> str:
        return self.slug if self.year is None else f"{self.slug}:{self.year}"


@dataclass(frozen=True)
class ParsedKeys:
    keys: list[Key]
    malformed: list[str]


def with_codes_as_slugs(keys: Sequence[Key]) -> list[Key]:
    """Keys naming a municipality by its code ("2580") name it by its slug instead."""
    codes = {key.slug for key in keys if key.slug.isdigit()}
    slugs = dict(Municipality.objects.filter(code__in=codes).values_list("code", "slug"))
    return [Key(slugs.get(key.slug, key.slug), key.year) for key in keys]


def parse_keys(values: Iterable[str]) -> ParsedKeys:
    """`lulea` and `lulea:2018` become keys, in order, without repeats; a name as typed
    ("Luleå") is folded to its slug. Anything else is kept (shortened) to be named on the page
    as not found."""
    keys: list[Key] = []
    malformed: list[str] = []
    for value in values:
        if not value.strip():
            continue
        name, colon, year = value.strip().rpartition(":") if ":" in value else (value, "", "")
        name = fold(name) if TYPED_NAME.fullmatch(name.strip()) else name.strip().lower()
        text = name + colon + year.strip()
        match = KEY_PATTERN.match(text)
        if match is None:
            malformed.append(value.strip()[:MAX_KEY_LENGTH])
            continue
        year = match["year"]
        key = Key(slug=match["slug"], year=int(year) if year else None)
        if key not in keys:
            keys.append(key)
    return ParsedKeys(keys=keys, malformed=malformed)


@dataclass(frozen=True)
class YearChoice:
    key: Key
    year: int
    version: str
    selected: bool


@dataclass(frozen=True)
class Member:
    key: Key
    evaluation: Evaluation
    points: dict[int, Decimal | None]
    year_choices: list[YearChoice]

    @property
    def municipality(self) -> Municipality:
        return self.evaluation.municipality

    @property
    def version(self) -> str:
        return self.evaluation.framework.code

    @property
    def label(self) -> str:
        return f"{self.evaluation.municipality} {self.evaluation.year}"


@dataclass(frozen=True)
class Cell:
    points: Decimal | None
    difference: Decimal | None = None  # to the first member; None for the first itself


@dataclass(frozen=True)
class AreaComparisonRow:
    number: int
    titles: list[str]
    cells: list[Cell]
    mean: Decimal | None = None  # the comparison's mean (of the first member's version)

    @property
    def label(self) -> str:
        return f"{self.number} {' / '.join(self.titles)}"


@dataclass(frozen=True)
class QuestionRow:
    code: str
    question: str
    max_points: int
    points: list[Decimal | None]
    # On a row lined up across versions: each other version's wording, "2010: Hur ...".
    wordings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QuestionGroup:
    """The sub-questions of one framework version, for the members evaluated in it; or, with
    `kept`, the questions the framework kept between the members' versions, lined up for all."""

    version: str
    members: list[Member]
    rows: list[QuestionRow]
    kept: bool = False


@dataclass(frozen=True)
class Comparison:
    members: list[Member]
    not_found: list[str]
    not_evaluated: list[Municipality]
    versions: list[str] = field(default_factory=list)
    areas: list[AreaComparisonRow] = field(default_factory=list)
    totals: list[Cell] = field(default_factory=list)
    question_groups: list[QuestionGroup] = field(default_factory=list)
    radar: dict | None = None
    # The first member's version without the compared evaluations; None if no other exists.
    mean: AreaMeans | None = None

    @property
    def mean_version(self) -> str:
        return self.members[0].version if self.members else ""

    @property
    def mean_total(self) -> Decimal | None:
        return self.mean.by_area.get(TOTAL) if self.mean else None

    @property
    def mixed_versions(self) -> bool:
        return len(self.versions) > 1

    @property
    def first(self) -> Member | None:
        return self.members[0] if self.members else None

    @property
    def series_names(self) -> list[str]:
        return [series_name(m, mixed=self.mixed_versions) for m in self.members]


def series_name(member: Member, *, mixed: bool) -> str:
    if not mixed:
        return member.label
    return f"{member.label} ({_('version')} {member.version})"


def _difference(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _resolve(
    keys: Sequence[Key],
) -> tuple[list[tuple[Key, Evaluation, list[Evaluation]]], list[str], list[Municipality]]:
    """Each key's evaluation and its municipality's published evaluations; what was not found."""
    slugs = {key.slug for key in keys}
    found = {m.slug: m for m in Municipality.objects.filter(slug__in=slugs)}
    published: dict[str, list[Evaluation]] = {}
    for evaluation in (
        Evaluation.objects.published()
        .with_related()
        .with_total()
        .filter(municipality__slug__in=slugs)
        .order_by("-year")
    ):
        published.setdefault(evaluation.municipality.slug, []).append(evaluation)

    resolved: list[tuple[Key, Evaluation, list[Evaluation]]] = []
    not_found: list[str] = []
    not_evaluated: list[Municipality] = []
    for key in keys:
        evaluations = published.get(key.slug, [])
        if key.slug not in found:
            not_found.append(str(key))
        elif not evaluations:
            if found[key.slug] not in not_evaluated:
                not_evaluated.append(found[key.slug])
        else:
            chosen = next((e for e in evaluations if key.year in (None, e.year)), None)
            if chosen is None:
                not_found.append(str(key))
            elif all(chosen.pk != e.pk for _key, e, _all in resolved):
                canonical = Key(key.slug, None if chosen is evaluations[0] else chosen.year)
                resolved.append((canonical, chosen, evaluations))
    return resolved, not_found, not_evaluated


def _area_titles(framework_ids: set[int]) -> dict[tuple[int, int], str]:
    areas = Area.objects.filter(framework_id__in=framework_ids)
    return {(area.framework_id, area.number): area.title for area in areas}


def _chain_root(question: Question, by_id: dict[int, Question]) -> int:
    """The first version's question of a chain of kept questions (its own id if none)."""
    root = question
    while root.previous_id is not None:
        if root.previous_id not in by_id:
            return root.previous_id
        root = by_id[root.previous_id]
    return root.pk


def _kept_group(
    members: list[Member], questions: list[Question], scores: dict[tuple[int, int], Decimal]
) -> tuple[QuestionGroup | None, set[int]]:
    """Questions the framework kept, lined up where the members' versions differ."""
    by_id = {q.pk: q for q in questions}
    chains: dict[int, dict[int, Question]] = {}  # root → framework id → question
    for question in questions:
        chains.setdefault(_chain_root(question, by_id), {})[question.area.framework_id] = question
    versions = {m.evaluation.framework_id for m in members}
    spanning = [chain for chain in chains.values() if len(chain) > 1 and set(chain) <= versions]
    if len(versions) < 2 or not spanning:
        return None, set()
    rows = []
    lined_up: set[int] = set()
    for chain in spanning:
        points = [
            scores.get((m.evaluation.pk, chain[m.evaluation.framework_id].pk))
            if m.evaluation.framework_id in chain
            else None
            for m in members
        ]
        scored_versions = {
            m.evaluation.framework_id for m, p in zip(members, points, strict=True) if p is not None
        }
        if len(scored_versions) < 2:
            continue  # nothing to line up: the version's own table shows it
        # Named by the newest version's wording; the older wordings beside it.
        shown = max(chain.values(), key=lambda q: q.area.framework.year)
        rows.append(
            QuestionRow(
                code=shown.code,
                question=shown.text,
                max_points=shown.max_points,
                points=points,
                wordings=[
                    f"{q.area.framework.code}: {q.code} {q.text}"
                    for q in chain.values()
                    if q is not shown
                ],
            )
        )
        lined_up.update(q.pk for q in chain.values())
    rows.sort(key=lambda row: [int(part) for part in row.code.split(".") if part.isdigit()])
    if not rows:
        return None, set()
    return QuestionGroup(version="", members=members, rows=rows, kept=True), lined_up


def _question_groups(members: list[Member]) -> list[QuestionGroup]:
    evaluation_ids = [m.evaluation.pk for m in members]
    scores = {
        (evaluation_id, question_id): points
        for evaluation_id, question_id, points in QuestionScore.objects.filter(
            evaluation_id__in=evaluation_ids
        ).values_list("evaluation_id", "question_id", "points")
    }
    questions = list(
        Question.objects.filter(area__framework_id__in={m.evaluation.framework_id for m in members})
        .select_related("area__framework")
        .order_by("area__number", "code")
    )
    kept, lined_up = _kept_group(members, questions, scores)
    by_version: dict[int, list[Question]] = {}
    for question in questions:
        if question.pk not in lined_up:
            by_version.setdefault(question.area.framework_id, []).append(question)

    groups = [kept] if kept else []
    for framework_id in dict.fromkeys(m.evaluation.framework_id for m in members):
        group = [m for m in members if m.evaluation.framework_id == framework_id]
        rows = [
            QuestionRow(
                code=q.code,
                question=q.text,
                max_points=q.max_points,
                points=[scores.get((m.evaluation.pk, q.pk)) for m in group],
            )
            for q in by_version.get(framework_id, [])
        ]
        rows = [row for row in rows if any(p is not None for p in row.points)]
        groups.append(QuestionGroup(version=group[0].version, members=group, rows=rows))
    return groups


def _others_mean(members: list[Member]) -> AreaMeans | None:
    """The mean of the first member's version over the evaluations not compared (two queries)."""
    framework = members[0].evaluation.framework
    compared = [
        {**m.points, TOTAL: m.evaluation.total}
        for m in members
        if m.evaluation.framework_id == framework.pk and counted_in_means(m.evaluation)
    ]
    mean = mean_of_others(sums=version_area_sums(framework_id=framework.pk), left_out=compared)
    return others_area_means(mean=mean, version=framework.code) if mean.n else None


def build_comparison(*, keys: Sequence[Key]) -> Comparison:
    """The evaluations the keys name, area by area and question by question."""
    resolved, not_found, not_evaluated = _resolve(keys)
    members = _members(resolved)
    if not members:
        return Comparison(members=[], not_found=not_found, not_evaluated=not_evaluated)
    versions = list(dict.fromkeys(m.version for m in members))
    mean = _others_mean(members)
    areas = _area_rows(members, mean=mean)
    first = members[0]
    totals = [
        Cell(
            points=m.evaluation.total,
            difference=None
            if m is first
            else _difference(m.evaluation.total, first.evaluation.total),
        )
        for m in members
    ]
    return Comparison(
        mean=mean,
        members=members,
        not_found=not_found,
        not_evaluated=not_evaluated,
        versions=versions,
        areas=areas,
        totals=totals,
        question_groups=_question_groups(members),
        radar=_radar(members, areas=areas, mean=mean, mixed=len(versions) > 1),
    )


def _members(resolved) -> list[Member]:
    """Each resolved key with its area points (one query for all) and its years to choose."""
    points: dict[int, dict[int, Decimal | None]] = {}
    for evaluation_id, number, value in AreaResult.objects.filter(
        evaluation_id__in=[evaluation.pk for _key, evaluation, _all in resolved]
    ).values_list("evaluation_id", "area__number", "points"):
        points.setdefault(evaluation_id, {})[number] = value
    return [
        Member(
            key=key,
            evaluation=evaluation,
            points=points.get(evaluation.pk, {}),
            year_choices=[
                YearChoice(
                    key=Key(key.slug, None if index == 0 else other.year),
                    year=other.year,
                    version=other.framework.code,
                    selected=other.pk == evaluation.pk,
                )
                for index, other in enumerate(evaluations)
            ],
        )
        for key, evaluation, evaluations in resolved
    ]


def _area_rows(members: list[Member], *, mean: AreaMeans | None) -> list[AreaComparisonRow]:
    """The eight areas: each member's points, the difference to the first, and the mean."""
    titles = _area_titles({m.evaluation.framework_id for m in members})
    first = members[0]
    rows = []
    for number in range(1, 9):
        area_titles = [
            titles[(fid, number)]
            for fid in dict.fromkeys(m.evaluation.framework_id for m in members)
            if (fid, number) in titles
        ]
        cells = [
            Cell(
                points=m.points.get(number),
                difference=None
                if m is first
                else _difference(m.points.get(number), first.points.get(number)),
            )
            for m in members
        ]
        rows.append(
            AreaComparisonRow(
                number=number,
                titles=list(dict.fromkeys(area_titles)),
                cells=cells,
                mean=mean.by_area.get(number) if mean else None,
            )
        )
    return rows


def _radar(
    members: list[Member], *, areas: list[AreaComparisonRow], mean: AreaMeans | None, mixed: bool
) -> dict:
    """Every member's areas on one radar (areas by number where versions are mixed)."""
    labels = [
        _("Område %(number)s") % {"number": row.number} if mixed else row.label for row in areas
    ]
    series = [
        charts.Series(
            name=series_name(member, mixed=mixed),
            values=[row.cells[index].points for row in areas],
            dash=DASHES[index % len(DASHES)],
        )
        for index, member in enumerate(members)
    ]
    if mean is not None:
        series.append(
            charts.Series(name=mean.label, values=[row.mean for row in areas], dash="dot")
        )
    return charts.radar_figure(labels=labels, series=series)
