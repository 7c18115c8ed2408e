from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from comparisons.filters import percent_expression
from evaluations.models import (
    AreaResult,
    Evaluation,
    FrameworkVersion,
    Municipality,
    Question,
    QuestionScore,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation():
    return Evaluation.objects.create(
        municipality=Municipality.objects.get(code="2580"),
        framework=FrameworkVersion.objects.get(code="2016"),
        year=2018,
    )


def question(code, version="2016"):
    return Question.objects.get(area__framework__code=version, code=code)


def test_negative_points_are_refused_by_the_database(evaluation):
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionScore.objects.create(evaluation=evaluation, question=question("1.1"), points=-1)


def test_area_points_above_100_are_refused_by_the_database(evaluation):
    area = evaluation.framework.areas.get(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaResult.objects.create(evaluation=evaluation, area=area, points=Decimal("100.5"))


def test_points_above_the_questions_max_fail_validation(evaluation):
    score = QuestionScore(evaluation=evaluation, question=question("1.5"), points=Decimal("10.5"))
    with pytest.raises(ValidationError, match="mellan 0 och 10"):
        score.full_clean()


def test_points_with_two_decimals_fail_validation(evaluation):
    score = QuestionScore(evaluation=evaluation, question=question("1.1"), points=Decimal("9.25"))
    with pytest.raises(ValidationError):
        score.full_clean()


def test_a_question_of_another_version_fails_validation(evaluation):
    score = QuestionScore(
        evaluation=evaluation, question=question("1.1", version="2020"), points=Decimal("5")
    )
    with pytest.raises(ValidationError, match="annan ramverksversion"):
        score.full_clean()


def test_one_evaluation_per_municipality_and_year(evaluation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            municipality=evaluation.municipality, framework=evaluation.framework, year=2018
        )


def test_month_outside_the_year_is_refused(evaluation):
    evaluation.month = 13
    with pytest.raises(IntegrityError), transaction.atomic():
        evaluation.save()


def test_published_hides_drafts(evaluation):
    assert list(Evaluation.objects.published()) == []
    evaluation.status = Evaluation.Status.PUBLISHED
    evaluation.save()
    assert list(Evaluation.objects.published()) == [evaluation]


def test_a_result_stated_in_a_later_report_is_not_a_published_evaluation(evaluation):
    evaluation.status = Evaluation.Status.PUBLISHED
    evaluation.save()
    stated = Evaluation.objects.create(
        municipality=evaluation.municipality,
        framework=evaluation.framework,
        year=2015,
        status=Evaluation.Status.PUBLISHED,
        origin=Evaluation.Origin.STATED,
        stated_in=evaluation,
    )
    assert list(Evaluation.objects.published()) == [evaluation]
    assert set(Evaluation.objects.published_or_stated()) == {evaluation, stated}
    assert list(Municipality.objects.evaluated()) == [evaluation.municipality]


def test_a_stated_result_names_the_report_it_came_from(evaluation):
    orphan = Evaluation(
        municipality=evaluation.municipality,
        framework=evaluation.framework,
        year=2015,
        origin=Evaluation.Origin.STATED,
    )
    with pytest.raises(ValidationError, match="måste ange den rapporten"):
        orphan.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        orphan.save()


def test_total_is_the_printed_total_else_the_sum_of_areas(evaluation):
    for number, points in ((1, "79"), (2, "74.5")):
        AreaResult.objects.create(
            evaluation=evaluation,
            area=evaluation.framework.areas.get(number=number),
            points=Decimal(points),
        )
    assert Evaluation.objects.with_total().get().total == Decimal("153.5")
    evaluation.printed_total = Decimal("150")
    evaluation.save()
    annotated = Evaluation.objects.with_total().get()
    assert (annotated.total, annotated.areas_total) == (Decimal("150"), Decimal("153.5"))


def test_changes_are_kept_in_history(evaluation):
    evaluation.evaluators = "Ulrika Elming"
    evaluation.save()
    assert [h.history_type for h in evaluation.history.all()] == ["~", "+"]


def test_percent_rounds_halves_up_like_the_database(evaluation):
    # 2.3 of version 2016 has a maximum of 20: 12.1 is 60.5 %, 12.3 is 61.5 %.
    for points in (Decimal("12.1"), Decimal("12.3"), Decimal("12.5")):
        QuestionScore.objects.filter(evaluation=evaluation).delete()
        score = QuestionScore.objects.create(
            evaluation=evaluation, question=question("2.3"), points=points
        )
        in_database = (
            QuestionScore.objects.annotate(p=percent_expression()).values_list("p", flat=True).get()
        )
        assert score.percent == Decimal(round(in_database)), points
    assert score.percent == 63  # 62.5 % rounds up, not to the even 62


def test_a_rows_check_constraints_are_evaluated_without_a_query(
    evaluation, django_assert_num_queries
):
    area = evaluation.framework.areas.get(number=1)
    result = AreaResult(area=area, points=Decimal("101"), header_points=None)
    with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
        result.full_clean(exclude=["evaluation", "area"])
    assert refused.value.message_dict == {"points": ["Poängen måste ligga mellan 0 och 100."]}


def test_a_comparison_with_an_empty_field_passes_as_in_sql(evaluation):
    evaluation.previous_year, evaluation.month = None, None
    evaluation.full_clean()
    evaluation.previous_year = evaluation.year
    with pytest.raises(ValidationError, match="tidigare år än utvärderingsåret"):
        evaluation.full_clean()
