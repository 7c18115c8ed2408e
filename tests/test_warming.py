"""comparisons.warming: the figures pages share, computed once after a change, then read by
every page without a query of their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.means import question_sums, version_area_sums, version_question_sums
from comparisons.municipalities import latest_published_ids
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
    # Three versions (Kalix 2010, Luleå 2016, Lindesberg 2020), 45 + 45 + 35 questions, and the
    # ranking by total and by each area, with or without only the latest evaluations.
    per_version = 4 + 2 * len(AREA_CHOICES)
    assert warm_figures() == 2 * (2 + 3 * per_version + 45 + 45 + 35)
