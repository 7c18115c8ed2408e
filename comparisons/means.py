"""Means over published evaluations: version-wide sums from the database, then pure arithmetic.

An evaluation is compared with the mean of the *other* published evaluations of its version,
(version sum − its own value) / (n − 1), never with a mean that contains itself: a mean of one
evaluation is that evaluation. A draft (or a result only stated in a later report) is not in
the sums, so its mean is the version's sum / n: what its page will show once it is published.

The sums (`version_area_sums`, `version_question_sums`) take one query each, are the same for
every page of a version and can be cached per data version; everything else here is a pure
computation from them.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.models import (
    AREA_COUNT,
    AreaResult,
    Evaluation,
    QuestionScore,
    ReferenceMean,
    areas_sum,
    published_lookup,
)
from kompass_site.caching import per_data_version

ONE_DECIMAL = Decimal("0.1")
TOTAL = "total"  # the key of the total (of 800) beside the area numbers 1-8
OTHERS = "andra"  # the key of the computed mean in `?medel=`

Key = int | str  # an area number, TOTAL, or a question code ("3.2")


@dataclass(frozen=True)
class KeySum:
    """The sum of one figure over a version's published evaluations, and how many have it."""

    total: Decimal
    count: int


@dataclass(frozen=True)
class VersionSums:
    framework_id: int
    by_key: Mapping[Key, KeySum] = field(default_factory=dict)


@dataclass(frozen=True)
class MeanValue:
    value: Decimal | None  # unrounded; None when no other evaluation has the figure
    n: int  # how many evaluations the mean covers

    @property
    def rounded(self) -> Decimal | None:
        return None if self.value is None else rounded(self.value)


@dataclass(frozen=True)
class OthersMean:
    """The mean of every published evaluation of a version except those left out."""

    by_key: Mapping[Key, MeanValue]
    left_out: int  # how many of the version's published evaluations were left out

    @property
    def n(self) -> int:
        """How many evaluations the mean covers (the most of any figure)."""
        return max((mean.n for mean in self.by_key.values()), default=0)

    @property
    def same_n_everywhere(self) -> bool:
        return len({mean.n for mean in self.by_key.values()}) <= 1

    def get(self, key: Key) -> MeanValue:
        return self.by_key.get(key, MeanValue(value=None, n=0))

    def value(self, key: Key) -> Decimal | None:
        return self.get(key).value


def rounded(value: Decimal) -> Decimal:
    """One decimal, halves up, as every figure Kompass shows."""
    return value.quantize(ONE_DECIMAL, ROUND_HALF_UP)


def counted_in_means(evaluation: Evaluation) -> bool:
    """Whether the version sums include `evaluation` (the rule of `published()`)."""
    return evaluation.is_published and not evaluation.is_stated


def _sums(rows: Iterable[tuple[Key, Decimal | float | None, int]]) -> dict[Key, KeySum]:
    # SQLite sums decimals as floats: one decimal is all a score has, so round back to it.
    return {
        key: KeySum(total=rounded(Decimal(str(total))), count=count)
        for key, total, count in rows
        if total is not None and count
    }


@per_data_version(any_language=True)
def version_area_sums(*, framework_id: int) -> VersionSums:
    """Per area number, and for the total (printed, else the sum of the areas): the sum over
    the version's published evaluations and how many have it. Two queries."""
    areas = (
        AreaResult.objects.filter(
            published_lookup("evaluation__"),
            evaluation__framework_id=framework_id,
            points__isnull=False,
        )
        .values("area__number")
        .annotate(total=Sum("points"), count=Count("pk"))
        .order_by("area__number")
        .values_list("area__number", "total", "count")
    )
    totals = (
        Evaluation.objects.published()
        .filter(framework_id=framework_id)
        .annotate(shown_total=Coalesce("printed_total", areas_sum()))
        .filter(shown_total__isnull=False)
        .aggregate(total=Sum("shown_total"), count=Count("pk"))
    )
    by_key = _sums(areas)
    by_key.update(_sums([(TOTAL, totals["total"], totals["count"])]))
    return VersionSums(framework_id=framework_id, by_key=by_key)


def _question_sums(
    *, framework_id: int | None, question_id: int | None = None
) -> dict[int, VersionSums]:
    scores = QuestionScore.objects.filter(published_lookup("evaluation__"))
    if framework_id is not None:
        scores = scores.filter(question__area__framework_id=framework_id)
    if question_id is not None:
        scores = scores.filter(question_id=question_id)
    rows = (
        scores.values("question__area__framework_id", "question__code")
        .annotate(total=Sum("points"), count=Count("pk"))
        .order_by("question__area__framework_id", "question__code")
        .values_list("question__area__framework_id", "question__code", "total", "count")
    )
    by_version: dict[int, list[tuple[Key, Decimal | float | None, int]]] = {}
    for version_id, code, total, count in rows:
        by_version.setdefault(version_id, []).append((code, total, count))
    return {
        version_id: VersionSums(framework_id=version_id, by_key=_sums(version_rows))
        for version_id, version_rows in by_version.items()
    }


@per_data_version(any_language=True)
def version_question_sums(*, framework_id: int) -> VersionSums:
    """Per sub-question code: the sum of the version's published scores and their number."""
    found = _question_sums(framework_id=framework_id)
    return found.get(framework_id, VersionSums(framework_id=framework_id))


@per_data_version(any_language=True)
def question_sums(*, framework_id: int, question_id: int) -> VersionSums:
    """`version_question_sums` of one sub-question alone, from its own scores: what its page
    needs, without reading the version's other scores (hundreds of thousands nationally)."""
    found = _question_sums(framework_id=framework_id, question_id=question_id)
    return found.get(framework_id, VersionSums(framework_id=framework_id))


@per_data_version(any_language=True)
def question_sums_by_version() -> dict[int, VersionSums]:
    """`version_question_sums` of every version with published scores, in one query."""
    return _question_sums(framework_id=None)


def mean_of_others(
    *,
    sums: VersionSums,
    left_out: Iterable[Mapping[Key, Decimal | None]] = (),
    keys: Iterable[Key] | None = None,
) -> OthersMean:
    """The mean of the version's published evaluations without those in `left_out` (the
    figures of evaluations the sums include: an evaluation itself, or those compared); of
    every figure, or of the `keys` only (a download row needs one of some fifty)."""
    left_out = list(left_out)
    by_key = {}
    wanted = (
        sums.by_key.items()
        if keys is None
        else [(key, sums.by_key[key]) for key in keys if key in sums.by_key]
    )
    for key, key_sum in wanted:
        own = [value for values in left_out if (value := values.get(key)) is not None]
        n = key_sum.count - len(own)
        value = (key_sum.total - sum(own, Decimal(0))) / n if n > 0 else None
        by_key[key] = MeanValue(value=value, n=max(n, 0))
    return OthersMean(by_key=by_key, left_out=len(left_out))


def mean_for(
    *, sums: VersionSums, evaluation: Evaluation, values: Mapping[Key, Decimal | None]
) -> OthersMean:
    """The mean `evaluation` is compared with: the others of its version. `values` are its own
    figures by key; they are taken out of the sums only if the sums include it."""
    return mean_of_others(sums=sums, left_out=[values] if counted_in_means(evaluation) else [])


def version_mean(*, sums: VersionSums) -> OthersMean:
    """The mean of every published evaluation of the version (for open data, where no
    evaluation is compared with it)."""
    return mean_of_others(sums=sums)


def difference(value: Decimal | None, mean: Decimal | None) -> Decimal | None:
    """`value` − `mean` from the unrounded mean, rounded for display; None if either is."""
    return None if value is None or mean is None else rounded(value - mean)


def others_label(*, n: int, version: str) -> str:
    """ "Medel av 12 andra, version 2016": says whom the mean covers, and how many."""
    return ngettext(
        "Medel av %(n)s annan utvärdering, version %(version)s",
        "Medel av %(n)s andra utvärderingar, version %(version)s",
        n,
    ) % {"n": n, "version": version}


def no_others_sentence(*, version: str) -> str:
    return _(
        "Inget medelvärde visas: det finns inga andra publicerade utvärderingar enligt "
        "version %(version)s att jämföra med."
    ) % {"version": version}


# --- Official reference profiles entered by staff -----------------------------------------------


@dataclass(frozen=True)
class AreaMeans:
    """A profile to compare with, per area number (and TOTAL): the others' mean or an
    official reference profile."""

    label: str  # names what it covers, n included
    n: int | None
    by_area: Mapping[Key, Decimal | None] = field(default_factory=dict)
    key: str = OTHERS
    source: str = ""
    name: str = ""  # a reference profile's name as staff entered it (the label adds n)

    @property
    def areas(self) -> dict[int, Decimal | None]:
        """The values per area number, without the total."""
        return {k: v for k, v in self.by_area.items() if isinstance(k, int)}


def others_area_means(*, mean: OthersMean, version: str) -> AreaMeans:
    return AreaMeans(
        label=others_label(n=mean.n, version=version),
        n=mean.n,
        by_area={key: value.value for key, value in mean.by_key.items()},
    )


def _with_total(by_area: dict[Key, Decimal | None]) -> dict[Key, Decimal | None]:
    values = [value for value in by_area.values() if value is not None]
    complete = len(values) == len(by_area) == AREA_COUNT
    return {**by_area, TOTAL: sum(values, Decimal(0)) if complete else None}


@per_data_version
def reference_area_means(*, framework_id: int) -> list[AreaMeans]:
    """The official reference profiles staff entered for one framework version."""
    references = ReferenceMean.objects.filter(framework_id=framework_id).prefetch_related(
        "areas__area"
    )
    return [
        AreaMeans(
            label=(
                _("%(name)s (n = %(n)s)") % {"name": reference.name, "n": reference.n}
                if reference.n
                else reference.name
            ),
            n=reference.n,
            by_area=_with_total({row.area.number: row.points for row in reference.areas.all()}),
            key=f"ref-{reference.pk}",
            source=reference.source,
            name=reference.name,
        )
        for reference in references
    ]
