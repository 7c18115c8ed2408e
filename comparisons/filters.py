"""The sub-question explorer's rows and its filters (django-filter), all carried in the URL."""

from typing import cast

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import Rank, Round
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter, FilterSet, ModelChoiceFilter, NumberFilter

from evaluations.models import (
    AREA_COUNT,
    FIRST_YEAR,
    LAST_YEAR,
    Area,
    County,
    FrameworkVersion,
    Municipality,
    Question,
    QuestionScore,
    published_lookup,
)

from .ranking import kommungrupp_choices

MAX_SEARCH_LENGTH = 100
DEFAULT_ORDER = (
    "evaluation__municipality__short_name",
    "-evaluation__year",
    "question__area__number",
    "question__code",
)


def percent_expression(
    *, points: str | Expression = "points", max_points: str = "question__max_points"
) -> Round:
    """points × 100 / max as a whole percent, computed in the database; halves round up."""
    # round() of a double rounds halves to even on PostgreSQL, and SQLite's doubles can land a
    # hair below a half; the nudge makes every half round up (22.5 → 23), as Excel does. The
    # float 100.0: SQLite stores 10.0 points as the integer 10 and would divide as integers.
    expression = F(points) if isinstance(points, str) else points
    return Round(
        ExpressionWrapper(
            expression * Value(100.0) / F(max_points) + Value(1e-9), output_field=FloatField()
        )
    )


def published_scores() -> QuerySet[QuestionScore]:
    """Every sub-question score of every published evaluation, with `procent` annotated."""
    return (
        QuestionScore.objects.filter(published_lookup("evaluation__"))
        .select_related(
            "evaluation__municipality__county", "evaluation__framework", "question__area"
        )
        .annotate(procent=percent_expression())
        .order_by(*DEFAULT_ORDER)
    )


def ranked_scores(*, question_id: int) -> QuerySet[QuestionScore]:
    """Every published score on one question, with `plats`: 1 for the most points, ties shared."""
    return (
        published_scores()
        .filter(question_id=question_id)
        .annotate(plats=Window(Rank(), order_by=F("points").desc()))
        .order_by("-points", "evaluation__municipality__short_name", "evaluation__year")
    )


def search_uses_stemming() -> bool:
    return connection.vendor == "postgresql"


def search_question_text(queryset: QuerySet, *, text: str) -> QuerySet:
    """Scores whose question matches `text`.

    PostgreSQL: Swedish full-text search with stemming ("medborgardialogen" finds
    "medborgardialog"), or'ed with a substring match because the stemmer does not split
    compounds ("dialog" should find "medborgardialog" too). SQLite: a contains that ignores the
    case of ASCII letters only (SQLite's LIKE does not fold Å/Ä/Ö).
    """
    if search_uses_stemming():
        return queryset.annotate(
            question_vector=SearchVector("question__text", config="swedish")
        ).filter(
            Q(question_vector=SearchQuery(text, config="swedish", search_type="websearch"))
            | Q(question__text__icontains=text)
        )
    return queryset.filter(question__text__icontains=text)


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("."))


def code_choices() -> list[tuple[str, str]]:
    codes = Question.objects.order_by().values_list("code", flat=True).distinct()
    return [(code, code) for code in sorted(codes, key=_code_key)]


def area_choices() -> list[tuple[str, str]]:
    """Area numbers labelled with every version's title ("7 Verksamhetsutveckling / ...")."""
    titles: dict[int, list[str]] = {}
    for number, title in Area.objects.order_by("framework__year", "number").values_list(
        "number", "title"
    ):
        if title not in titles.setdefault(number, []):
            titles[number].append(title)
    return [
        (str(number), f"{number} {' / '.join(titles.get(number, []))}".strip())
        for number in range(1, AREA_COUNT + 1)
    ]


def _number_input(**attrs) -> forms.TextInput:
    # A text input, not type=number: a browser empties a number input that holds letters, and
    # the visitor should see what the error message is about.
    return forms.TextInput(attrs={"inputmode": "numeric", "size": 5, **attrs})


class IntegerFilter(NumberFilter):
    field_class = forms.IntegerField


class ScoreFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        for low, high, message in (
            ("ar_fran", "ar_till", _("”År från” är senare än ”År till”.")),
            ("procent_fran", "procent_till", _("”Procent från” är större än ”Procent till”.")),
        ):
            low_value, high_value = cleaned.get(low), cleaned.get(high)
            if low_value is not None and high_value is not None and low_value > high_value:
                self.add_error(high, message)
        return cleaned


class ScoreFilter(FilterSet):
    """Filters on published sub-question scores; the parameter names are the URL's."""

    q = CharFilter(
        label=_("Sök i delfrågan"),
        method="filter_question_text",
        max_length=MAX_SEARCH_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "size": 24}),
    )
    version = ModelChoiceFilter(
        label=_("Version"),
        field_name="evaluation__framework",
        queryset=FrameworkVersion.objects.all(),
        to_field_name="code",
        empty_label=_("Alla versioner"),
    )
    omrade = ChoiceFilter(
        label=_("Område"),
        field_name="question__area__number",
        choices=[],  # filled in __init__: the labels come from the database
        empty_label=_("Alla områden"),
    )
    kod = ChoiceFilter(
        label=_("Kod"),
        field_name="question__code",
        choices=[],  # filled in __init__
        empty_label=_("Alla koder"),
    )
    kommun = ModelChoiceFilter(
        label=_("Kommun"),
        field_name="evaluation__municipality",
        queryset=Municipality.objects.evaluated(),
        to_field_name="slug",
        empty_label=_("Alla kommuner"),
    )
    lan = ModelChoiceFilter(
        label=_("Län"),
        field_name="evaluation__municipality__county",
        queryset=County.objects.all(),
        to_field_name="code",
        empty_label=_("Alla län"),
    )
    kommungrupp = ChoiceFilter(
        label=_("Kommungrupp"),
        field_name="evaluation__kommungrupp",
        choices=[],  # filled in __init__: the groups the published reports' Kortfakta give
        empty_label=_("Alla kommungrupper"),
    )
    ar_fran = IntegerFilter(
        label=_("År från"),
        field_name="evaluation__year",
        lookup_expr="gte",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=_number_input(),
    )
    ar_till = IntegerFilter(
        label=_("År till"),
        field_name="evaluation__year",
        lookup_expr="lte",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=_number_input(),
    )
    procent_fran = IntegerFilter(
        label=_("Procent från"),
        field_name="procent",
        lookup_expr="gte",
        min_value=0,
        max_value=100,
        widget=_number_input(size=3),
    )
    procent_till = IntegerFilter(
        label=_("Procent till"),
        field_name="procent",
        lookup_expr="lte",
        min_value=0,
        max_value=100,
        widget=_number_input(size=3),
    )

    class Meta:
        model = QuestionScore
        fields: list[str] = []
        form = ScoreFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["omrade"].extra["choices"] = area_choices()
        self.filters["kod"].extra["choices"] = code_choices()
        self.filters["kommungrupp"].extra["choices"] = [(g, g) for g in kommungrupp_choices()]

    def filter_question_text(self, queryset, name, value):
        return search_question_text(queryset, text=value.strip()) if value.strip() else queryset

    def applied(self) -> list[tuple[str, str]]:
        """The filters in use, as (label, value) for people: for the page and the XLSX note."""
        if not self.is_bound or not self.is_valid():
            return []
        applied = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(cast(list[tuple[str, str]], field.choices)).get(value, value)
            applied.append((str(field.label), str(value)))
        return applied
