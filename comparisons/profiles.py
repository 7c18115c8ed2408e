"""Everything a municipality's profile shows, gathered in a fixed number of queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from evaluations.models import (
    AreaListItem,
    AreaResult,
    Evaluation,
    GoodExampleMention,
    QuestionScore,
)

from . import charts
from .examples import Recommended, profile_mentions
from .figure_notes import FigureNote, figure_notes
from .means import (
    OTHERS,
    TOTAL,
    AreaMeans,
    Key,
    difference,
    mean_for,
    no_others_sentence,
    others_area_means,
    reference_area_means,
    version_area_sums,
    version_question_sums,
)


@dataclass(frozen=True)
class AreaRow:
    number: int
    title: str
    points: Decimal | None
    header_points: Decimal | None = None
    previous_points: Decimal | None = None
    change: Decimal | None = None
    mean: Decimal | None = None
    diff_to_mean: Decimal | None = None
    text: str = ""
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}"


@dataclass(frozen=True)
class TotalRow:
    """The area table's last row: the evaluation's total (of 800) against the same columns."""

    points: Decimal | None  # the total printed in the report, else the sum of the areas
    areas_sum: Decimal | None
    previous_points: Decimal | None = None
    change: Decimal | None = None
    mean: Decimal | None = None
    diff_to_mean: Decimal | None = None

    @property
    def differs_from_areas(self) -> bool:
        return None not in (self.points, self.areas_sum) and self.points != self.areas_sum


@dataclass(frozen=True)
class Profile:
    evaluation: Evaluation
    areas: list[AreaRow]
    total: TotalRow
    previous: Evaluation | None
    previous_comparable: bool
    mean: AreaMeans | None
    mean_choices: list[AreaMeans]
    notes: list[str]
    radar: dict
    bar: dict
    series_names: list[str]
    other_evaluations: list[Evaluation]
    figure_notes: list[FigureNote] = field(default_factory=list)
    recommended: Recommended | None = None  # other reports naming it as a good example
    recommends: list[GoodExampleMention] = field(default_factory=list)  # whom its report names

    @property
    def has_weaknesses(self) -> bool:
        """Many reports of the 2010 version list weaknesses; the profile shows that third list
        only for an evaluation that has any."""
        return any(area.weaknesses for area in self.areas)


def _difference(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _sum(values: list[Decimal | None]) -> Decimal | None:
    known = [value for value in values if value is not None]
    return sum(known, Decimal(0)) if known else None


def _area_results(evaluation: Evaluation) -> dict[int, AreaResult]:
    results = AreaResult.objects.filter(evaluation=evaluation).select_related("area")
    return {result.area.number: result for result in results}


def previous_published(evaluation: Evaluation) -> Evaluation | None:
    """The previous published evaluation, or the previous result as a later published report
    states it (also the one this evaluation states, for a draft's preview)."""
    return (
        Evaluation.objects.filter(
            Q(pk__in=Evaluation.objects.published_or_stated()) | Q(stated_in=evaluation)
        )
        .filter(municipality_id=evaluation.municipality_id, year__lt=evaluation.year)
        .select_related("framework", "stated_in")
        .with_total()
        .order_by("-year")
        .first()
    )


def _missing_previous_note(evaluation: Evaluation) -> str:
    if evaluation.previous_year:
        return _(
            "Den föregående utvärderingen (%(year)s) finns inte i Kompass och visas därför inte."
        ) % {"year": evaluation.previous_year}
    if evaluation.ordinal == 1:
        return _("Detta är kommunens första utvärdering; det finns ingen föregående att visa.")
    return _("Det finns ingen tidigare publicerad utvärdering av kommunen i Kompass.")


def _choose_mean(
    others: AreaMeans, references: list[AreaMeans], requested: str | None
) -> tuple[AreaMeans, list[str]]:
    choices = {m.key: m for m in [others, *references]}
    if requested and requested not in choices:
        return others, [_("Det valda medelvärdet finns inte; visar det beräknade.")]
    return choices.get(requested or OTHERS, others), []


def build_profile(*, evaluation: Evaluation, mean_key: str | None = None) -> Profile:
    """The profile of one evaluation (annotated `with_total()`): areas against the previous
    evaluation and the mean of the others."""
    framework = evaluation.framework
    results = {
        result.area.number: result
        for result in AreaResult.objects.filter(evaluation=evaluation)
        .select_related("area")
        .prefetch_related(
            Prefetch("list_items", queryset=AreaListItem.objects.order_by("position"))
        )
    }
    previous = previous_published(evaluation)
    previous_results = _area_results(previous) if previous else {}
    comparable = previous is not None and previous.framework_id == evaluation.framework_id
    others, references, mean, notes = _profile_mean(evaluation, results, mean_key)
    rows = [
        _area_row(
            area,
            results.get(area.number),
            previous_results.get(area.number),
            mean=mean,
            comparable=comparable,
        )
        for area in framework.areas.all()
    ]
    series = _series(evaluation, previous, previous_results, rows, mean=mean, notes=notes)
    labels = [row.label for row in rows]
    recommended, recommends = profile_mentions(evaluation=evaluation)
    return Profile(
        evaluation=evaluation,
        areas=rows,
        total=_total_row(evaluation, rows, previous, mean=mean, comparable=comparable),
        previous=previous,
        previous_comparable=comparable,
        mean=mean,
        mean_choices=[others, *references] if references else [],
        notes=notes,
        radar=charts.radar_figure(labels=labels, series=series),
        bar=charts.bar_figure(
            labels=labels,
            values=[row.points for row in rows],
            name=str(evaluation.year),
        ),
        series_names=[s.name for s in series],
        other_evaluations=list(
            Evaluation.objects.published()
            .filter(municipality_id=evaluation.municipality_id)
            .exclude(pk=evaluation.pk)
            .select_related("framework")
            .order_by("-year")
        ),
        figure_notes=figure_notes(evaluation=evaluation),
        recommended=recommended,
        recommends=recommends,
    )


def _profile_mean(
    evaluation: Evaluation, results: dict[int, AreaResult], mean_key: str | None
) -> tuple[AreaMeans, list[AreaMeans], AreaMeans | None, list[str]]:
    """The computed mean of the others, the reference means, the one shown (none when
    there are no others to compute one from) and what the profile says about it."""
    framework = evaluation.framework
    own_points: dict[Key, Decimal | None] = {n: result.points for n, result in results.items()}
    others = others_area_means(
        mean=mean_for(
            sums=version_area_sums(framework_id=framework.pk),
            evaluation=evaluation,
            values={**own_points, TOTAL: evaluation.total},
        ),
        version=framework.code,
    )
    references = reference_area_means(framework_id=framework.pk)
    chosen, notes = _choose_mean(others, references, mean_key)
    mean: AreaMeans | None = chosen
    if chosen is others and not others.n:
        notes.append(no_others_sentence(version=framework.code))
        mean = None
    return others, references, mean, notes


def _area_row(
    area,
    result: AreaResult | None,
    previous_result: AreaResult | None,
    *,
    mean: AreaMeans | None,
    comparable: bool,
) -> AreaRow:
    points = result.points if result else None
    previous_points = previous_result.points if previous_result else None
    area_mean = mean.by_area.get(area.number) if mean else None
    items = list(result.list_items.all()) if result else []
    return AreaRow(
        number=area.number,
        title=area.title,
        points=points,
        header_points=result.header_points if result else None,
        previous_points=previous_points,
        change=_difference(points, previous_points) if comparable else None,
        mean=area_mean,
        diff_to_mean=difference(points, area_mean),
        text=result.text if result else "",
        strengths=[p.text for p in items if p.kind == AreaListItem.Kind.STRENGTH],
        improvements=[p.text for p in items if p.kind == AreaListItem.Kind.IMPROVEMENT],
        weaknesses=[p.text for p in items if p.kind == AreaListItem.Kind.WEAKNESS],
    )


def _series(
    evaluation: Evaluation,
    previous: Evaluation | None,
    previous_results: dict[int, AreaResult],
    rows: list[AreaRow],
    *,
    mean: AreaMeans | None,
    notes: list[str],
) -> list[charts.Series]:
    """The chart's lines: this evaluation, the previous one, the mean."""
    series = [
        charts.Series(
            name=f"{evaluation.municipality} {evaluation.year}", values=[r.points for r in rows]
        )
    ]
    if previous is None:
        notes.insert(0, _missing_previous_note(evaluation))
    else:
        series.append(_previous_series(evaluation, previous, previous_results, rows, notes))
    if mean is not None:
        series.append(charts.Series(name=mean.label, values=[r.mean for r in rows], dash="dot"))
    return series


def _previous_series(
    evaluation: Evaluation,
    previous: Evaluation,
    previous_results: dict[int, AreaResult],
    rows: list[AreaRow],
    notes: list[str],
) -> charts.Series:
    """The previous evaluation's line, named for what it is; adds the notes that say so."""
    name = f"{evaluation.municipality} {previous.year}"
    if previous.is_stated:
        assert previous.stated_in is not None  # a stated result names the report stating it
        name += " " + _stated_label(previous)
        notes.append(
            _(
                "%(year)s finns inte i Kompass som egen rapport; serien visar det som "
                "rapporten %(later)s anger: ”%(source)s”"
            )
            % {
                "year": previous.year,
                "later": previous.stated_in.year,
                "source": previous.stated_source,
            }
        )
    if previous.framework_id != evaluation.framework_id:
        name += " " + _("(ej fullt jämförbar, version %(version)s)") % {
            "version": previous.framework.code
        }
        notes.extend(_not_comparable_notes(previous, previous_results, rows))
    return charts.Series(name=name, values=[r.previous_points for r in rows], dash="dash")


def _not_comparable_notes(
    previous: Evaluation, previous_results: dict[int, AreaResult], rows: list[AreaRow]
) -> list[str]:
    notes = [
        _(
            "Den föregående utvärderingen gjordes enligt version %(version)s och är inte "
            "fullt jämförbar; förändringar per område visas därför inte."
        )
        % {"version": previous.framework.code}
    ]
    renamed = [
        str(row.number)
        for row in rows
        if row.number in previous_results and previous_results[row.number].area.title != row.title
    ]
    if renamed:
        notes.append(
            _(
                "Område %(numbers)s hade andra rubriker och frågor i version "
                "%(version)s; den serien ritas ändå efter områdets nummer."
            )
            % {"numbers": ", ".join(renamed), "version": previous.framework.code}
        )
    return notes


def _total_row(
    evaluation: Evaluation,
    rows: list[AreaRow],
    previous: Evaluation | None,
    *,
    mean: AreaMeans | None,
    comparable: bool,
) -> TotalRow:
    total_mean = mean.by_area.get(TOTAL) if mean else None
    previous_total = previous.total if previous else None
    return TotalRow(
        points=evaluation.total,
        areas_sum=_sum([row.points for row in rows]),
        previous_points=previous_total,
        change=_difference(evaluation.total, previous_total) if comparable else None,
        mean=total_mean,
        diff_to_mean=difference(evaluation.total, total_mean),
    )


def _stated_label(evaluation: Evaluation) -> str:
    assert evaluation.stated_in is not None  # the label of a stated result
    return _("(uppgift ur rapporten %(year)s)") % {"year": evaluation.stated_in.year}


def question_rows(*, evaluation: Evaluation) -> list[dict]:
    """One row per sub-question score, with the mean of the version's other evaluations."""
    scores = list(
        QuestionScore.objects.filter(evaluation=evaluation)
        .select_related("question__area")
        .order_by("question__area__number", "question__code")
    )
    means = mean_for(
        sums=version_question_sums(framework_id=evaluation.framework_id),
        evaluation=evaluation,
        values={score.question.code: score.points for score in scores},
    )
    return [
        {
            "code": score.question.code,
            "area": score.question.area.number,
            "question": score.question.text,
            "points": score.points,
            "max_points": score.question.max_points,
            "percent": score.percent,
            "mean": means.get(score.question.code).value,
            "mean_n": means.get(score.question.code).n,
        }
        for score in scores
    ]
