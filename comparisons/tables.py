"""django-tables2 tables of the public pages."""

import functools

import django_tables2 as tables
import django_tables2.utils
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tables2.data import TableListData

from kompass_site.languages import swedish

from .means import VersionSums, difference, mean_of_others, others_label
from .numbers import decimal_text
from .templatetags.kompass import signed

NUMBER_ATTRS = {"th": {"class": "num"}, "td": {"class": "num"}}

# django-tables2 (3.0.1) reads the signature of a column's render method afresh for every cell
# it renders (utils.call_with_appropriate): half the time of a table. A method's signature
# never changes, so it is read once per method.
_signature = django_tables2.utils.signature


@functools.cache
def _method_signature(function) -> tuple[tuple[str, ...], str | None]:
    arguments, keywords = _signature(function)
    return arguments[1:], keywords  # without self, as for the bound method


def _cached_signature(fn):
    function = getattr(fn, "__func__", None)
    return _signature(fn) if function is None else _method_signature(function)


django_tables2.utils.signature = _cached_signature


class DecimalColumn(tables.Column):
    """A number shown with at most one decimal (the language's decimal mark), right-aligned."""

    def __init__(self, *args, decimals: int = 1, **kwargs):
        kwargs.setdefault("attrs", NUMBER_ATTRS)
        self.decimals = decimals
        super().__init__(*args, **kwargs)

    def render(self, value):
        text = decimal_text(value, self.decimals)
        return text.removesuffix(get_format("DECIMAL_SEPARATOR") + "0")


class EvaluationQuestionTable(tables.Table):
    """Sub-question scores of one evaluation, with the mean of the version's other evaluations
    per question; n in the header when every question has the same, else beside each mean."""

    code = tables.Column(verbose_name=_("Kod"))
    question = tables.Column(verbose_name=_("Delfråga"))
    points = DecimalColumn(verbose_name=_("Poäng"))
    max_points = DecimalColumn(verbose_name=_("Max"), decimals=0)
    percent = DecimalColumn(verbose_name=_("Procent"), decimals=0)
    mean = DecimalColumn(verbose_name=_("Medel av andra"), default="–")

    caption = _("Delfrågor: poäng, max, procent och medel av versionens andra utvärderingar")

    class Meta:
        template_name = "django_tables2/kompass.html"
        attrs = {"class": "data-table reflow", "id": "delfragor"}
        order_by_field = "sortera"
        orderable = True

    def __init__(self, data, *args, version: str = "", **kwargs):
        super().__init__(data, *args, **kwargs)
        counts = {row["mean_n"] for row in data}
        self.n_per_row = len(counts) > 1
        if len(counts) == 1 and (n := counts.pop()):
            self.columns["mean"].column.verbose_name = others_label(n=n, version=version)

    def render_question(self, value):
        return swedish(value)

    def render_percent(self, value):
        return f"{value}\u00a0%"

    def render_mean(self, value, record):
        text = self.columns["mean"].column.render(value)
        return f"{text} (n = {record['mean_n']})" if self.n_per_row else text


# --- The sub-question explorer (/delfragor/) and one question across the country ---------------


def _then_by_row(*fields: str) -> tuple[str, ...]:
    """A column's sort fields, then a fixed order, so that ties do not move between pages."""
    return (
        *fields,
        "evaluation__municipality__short_name",
        "evaluation__year",
        "question__code",
        "pk",
    )


def _municipality_url(record) -> str:
    return record.evaluation.municipality.get_absolute_url()


class PercentColumn(DecimalColumn):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, decimals=0, **kwargs)

    def render(self, value):
        return f"{super().render(value)}\u00a0%"


class ScoreExplorerTable(tables.Table):
    """Every published sub-question score; the column names are the sort values in the URL."""

    kommun = tables.Column(
        verbose_name=_("Kommun"),
        accessor="evaluation__municipality__short_name",
        linkify=_municipality_url,
        order_by=_then_by_row("evaluation__municipality__short_name"),
    )
    lan = tables.Column(
        verbose_name=_("Län"),
        accessor="evaluation__municipality__county__short_name",
        order_by=_then_by_row("evaluation__municipality__county__short_name"),
    )
    ar = tables.Column(
        verbose_name=_("År"), accessor="evaluation__year", order_by=_then_by_row("evaluation__year")
    )
    version = tables.Column(
        verbose_name=_("Version"),
        accessor="evaluation__framework__code",
        order_by=_then_by_row("evaluation__framework__year"),
    )
    omrade = tables.Column(
        verbose_name=_("Område"),
        accessor="question__area__number",
        attrs=NUMBER_ATTRS,
        order_by=_then_by_row("question__area__number"),
    )
    kod = tables.Column(
        verbose_name=_("Kod"), accessor="question__code", order_by=_then_by_row("question__code")
    )
    delfraga = tables.Column(
        verbose_name=_("Delfråga"),
        accessor="question__text",
        order_by=_then_by_row("question__text"),
    )
    poang = DecimalColumn(
        verbose_name=_("Poäng"), accessor="points", order_by=_then_by_row("points")
    )
    maxpoang = DecimalColumn(
        verbose_name=_("Max"),
        accessor="question__max_points",
        decimals=0,
        order_by=_then_by_row("question__max_points"),
    )
    procent = PercentColumn(verbose_name=_("Procent"), order_by=_then_by_row("procent"))

    caption = _("Delfrågepoäng i publicerade utvärderingar")

    class Meta:
        template_name = "comparisons/explorer_table.html"
        attrs = {"class": "data-table reflow explorer-table", "id": "poang"}
        order_by_field = "sortera"
        page_field = "sida"
        per_page = 50
        orderable = True
        empty_text = _("Inga delfrågepoäng matchar filtren.")

    def render_delfraga(self, value):
        return swedish(value)

    def render_kod(self, value, record):
        url = reverse(
            "comparisons:question",
            kwargs={"version": record.evaluation.framework.code, "code": value},
        )
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
            url,
            value,
            _("– alla kommuners poäng"),
        )

    @classmethod
    def ordered(cls, queryset, *, order_by: str | None):
        """`queryset` in the order the page shows for `?sortera=order_by`, for the downloads."""
        return cls(queryset, order_by=order_by).data.data


class RankedData(TableListData):
    """A ranking in its own order, computed once per data version (``ranking.Ranking``,
    ``question_ranking.QuestionRanking``), read a page's slice at a time: django-tables2 would
    make a list of every row, and sorts lists in Python. A visitor's order does not apply to
    it (a table that offers one reads the database for it)."""

    def order_by(self, aliases):
        pass


class QuestionRankingTable(tables.Table):
    """Every published score on one question, ranked, each against the mean of the others."""

    plats = tables.Column(
        verbose_name=_("Plats"),
        attrs=NUMBER_ATTRS,
        order_by=("-points", "evaluation__municipality__short_name", "evaluation__year"),
    )
    kommun = ScoreExplorerTable.base_columns["kommun"]
    lan = ScoreExplorerTable.base_columns["lan"]
    ar = ScoreExplorerTable.base_columns["ar"]
    poang = ScoreExplorerTable.base_columns["poang"]
    procent = ScoreExplorerTable.base_columns["procent"]
    skillnad = tables.Column(
        verbose_name=_("Skillnad mot medel av de andra"),
        empty_values=(),
        attrs=NUMBER_ATTRS,
        order_by=_then_by_row("points"),
    )

    class Meta:
        template_name = "comparisons/explorer_table.html"  # with its pages
        attrs = {"class": "data-table reflow", "id": "rankning"}
        sequence = ("plats", "kommun", "lan", "ar", "poang", "procent", "skillnad")
        order_by_field = "sortera"
        page_field = "sida"
        per_page = 100
        orderable = True

    def __init__(self, data, *, sums: VersionSums, code: str, caption: str, **kwargs):
        super().__init__(data if isinstance(data, QuerySet) else RankedData(data), **kwargs)
        self.sums = sums
        self.code = code
        self.caption = caption
        key_sum = sums.by_key.get(code)
        if key_sum and key_sum.count > 1:
            others = key_sum.count - 1
            self.columns["skillnad"].column.verbose_name = ngettext(
                "Skillnad mot den andra utvärderingen",
                "Skillnad mot medel av de %(n)s andra",
                others,
            ) % {"n": others}

    def render_skillnad(self, record):
        # Each score against the mean of the version's other scores on the question.
        mean = mean_of_others(sums=self.sums, left_out=[{self.code: record.points}])
        return signed(difference(record.points, mean.value(self.code)))


class ComparisonQuestionTable(tables.Table):
    """The sub-questions of one framework version with a points column per compared evaluation."""

    code = tables.Column(verbose_name=_("Kod"))
    question = tables.Column(verbose_name=_("Delfråga"))
    max_points = DecimalColumn(verbose_name=_("Max"), decimals=0)

    class Meta:
        template_name = "django_tables2/kompass.html"
        attrs = {"class": "data-table"}
        orderable = False

    def __init__(self, group, **kwargs):
        data = [
            {
                "code": row.code,
                "question": row.question,
                "wordings": row.wordings,
                "max_points": row.max_points,
                **{f"m{index}": points for index, points in enumerate(row.points)},
            }
            for row in group.rows
        ]
        columns = [
            (
                f"m{index}",
                DecimalColumn(
                    verbose_name=(
                        f"{member.label} ({_('version')} {member.version})"
                        if group.kept
                        else member.label
                    ),
                    default="–",
                ),
            )
            for index, member in enumerate(group.members)
        ]
        super().__init__(
            data,
            extra_columns=columns,
            attrs={
                "class": "data-table",
                "id": "delfragor-behallna" if group.kept else f"delfragor-{group.version}",
            },
            **kwargs,
        )
        self.version = group.version
        self.kept = group.kept
        if group.kept:
            self.caption = _(
                "Delfrågor som ramverket behöll mellan versionerna: poäng per kommun, sida vid sida"
            )
        else:
            self.caption = _("Delfrågor enligt version %(version)s: poäng per kommun") % {
                "version": group.version
            }

    def render_question(self, value, record):
        if not record["wordings"]:
            return swedish(value)
        return format_html(
            '{}<br><span class="muted">{} {}</span>',
            swedish(value),
            _("Tidigare lydelse:"),
            swedish("; ".join(record["wordings"])),
        )


class RankingTable(tables.Table):
    """Position (ties share one), municipality, score and year of ranked evaluations."""

    position = tables.Column(verbose_name=_("Placering"), attrs=NUMBER_ATTRS)
    municipality = tables.Column(
        verbose_name=_("Kommun"), accessor="evaluation__municipality__short_name"
    )
    county = tables.Column(verbose_name=_("Län"), accessor="evaluation__municipality__county")
    score = DecimalColumn(verbose_name=_("Poäng"))
    year = tables.Column(verbose_name=_("År"), accessor="evaluation__year", attrs=NUMBER_ATTRS)

    class Meta:
        template_name = "comparisons/explorer_table.html"  # with its pages
        attrs = {"class": "data-table reflow", "id": "rankning"}
        orderable = False
        page_field = "sida"

    def __init__(self, data, *, caption: str, **kwargs):
        super().__init__(RankedData(data), **kwargs)
        self.caption = caption

    def render_municipality(self, value, record):
        return format_html('<a href="{}">{}</a>', record.evaluation.get_absolute_url(), value)

    def render_county(self, value):
        return value.short_name
