"""comparisons.warming: the figures pages share, computed once after a change, then read by
every page without a query of their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from comparisons.means import (
    question_sums,
    reference_area_means,
    version_area_sums,
    version_question_sums,
)
from comparisons.municipalities import latest_published_ids
from comparisons.question_ranking import ranked_score_ids
from comparisons.ranking import kommungrupp_choices, ranked_ids
from comparisons.warming import AREA_CHOICES, warm_figures
from evaluations import dataversion
from evaluations.models import Question

pytestmark = pytest.mark.django_db


def figure_calls(framework_id: int, question_id: int) -> list:
    return [
        lambda: version_area_sums(framework_id=framework_id),
        lambda: version_question_sums(framework_id=framework_id),
        lambda: question_sums(framework_id=framework_id, question_id=question_id),
        lambda: kommungrupp_choices(framework_id=framework_id),
        lambda: latest_published_ids(),
        lambda: ranked_score_ids(question_id=question_id),
        *(
            lambda area=area, latest=latest: ranked_ids(
                framework_id=framework_id, area_number=area, latest_only=latest, kommungrupp=None
            )
            for area in AREA_CHOICES
            for latest in (False, True)
        ),
    ]


def test_after_warming_each_shared_figure_costs_only_the_data_version(
    published_reports, django_assert_num_queries
):
    lulea = published_reports["lulea"]
    question = Question.objects.get(area__framework=lulea.framework, code="1.4")
    calls = figure_calls(lulea.framework_id, question.pk)
    dataversion.bump()
    warm_figures()
    for call in calls:
        # Inside a test's transaction the data version is read from the database each time.
        with django_assert_num_queries(1):
            call()


def test_without_warming_the_first_call_computes_the_figure(published_reports):
    lulea = published_reports["lulea"]
    question = Question.objects.get(area__framework=lulea.framework, code="1.4")
    dataversion.bump()
    for call in figure_calls(lulea.framework_id, question.pk):
        with CaptureQueriesContext(connection) as first:
            call()
        with CaptureQueriesContext(connection) as second:
            call()
        assert len(first) > len(second) == 1


def test_warming_covers_each_published_version_in_each_language(published_reports):
    # Once for both languages: three versions (Kalix 2010, Luleå 2016, Lindesberg 2020), 45 +
    # 45 + 35 questions (their sums and the order of their scores), and the ranking by total
    # and by each area, with or without only the latest evaluations. In each language: the
    # reference means of each version.
    per_version = 3 + 2 * len(AREA_CHOICES)
    assert warm_figures() == 2 + 3 * per_version + 2 * (45 + 45 + 35) + 2 * 3


def test_after_warming_the_reference_means_are_cached_in_each_language(
    published_reports, django_assert_num_queries
):
    framework_id = published_reports["lulea"].framework_id
    dataversion.bump()
    warm_figures()
    for language in ("sv", "en"):
        with translation.override(language), django_assert_num_queries(1):
            reference_area_means(framework_id=framework_id)


def test_figures_without_translated_text_are_computed_once_for_both_languages(published_reports):
    lulea = published_reports["lulea"]
    question = Question.objects.get(area__framework=lulea.framework, code="1.4")
    calls = figure_calls(lulea.framework_id, question.pk)
    dataversion.bump()
    with translation.override("sv"), CaptureQueriesContext(connection) as swedish:
        for call in calls:
            call()
    with translation.override("en"), CaptureQueriesContext(connection) as english:
        for call in calls:
            call()
    # In English each costs only the data-version query: what Swedish computed serves.
    assert len(english) == len(calls) < len(swedish)


def test_the_reference_means_are_computed_in_each_language(published_reports):
    lulea = published_reports["lulea"]
    dataversion.bump()
    with translation.override("sv"):
        reference_area_means(framework_id=lulea.framework_id)
    with translation.override("en"), CaptureQueriesContext(connection) as english:
        reference_area_means(framework_id=lulea.framework_id)
    assert len(english) > 1
