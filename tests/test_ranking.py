"""comparisons.ranking: ranks computed in the database, ties sharing a position."""

from decimal import Decimal

import pytest

from comparisons.filters import ranked_scores
from comparisons.question_ranking import QuestionRanking
from comparisons.ranking import Ranking, rank_evaluations
from evaluations import dataversion
from evaluations.models import Evaluation, FrameworkVersion, Municipality, Question, QuestionScore

from .conftest import make_evaluation_like


def version(code: str) -> int:
    return FrameworkVersion.objects.get(code=code).pk


@pytest.fixture
def four_in_version_2010(published_reports):
    """Kalix 2012 (printed total 415, areas sum to 413) and three copies of its figures: one
    with its printed total (Överkalix 2014), two without (Boden 2013, Haparanda 2015: 413)."""
    kalix = published_reports["kalix"]
    copies = {}
    for code, year in (("2513", 2014), ("2582", 2013), ("2583", 2015)):
        copies[code] = make_evaluation_like(
            kalix, municipality=Municipality.objects.get(code=code), year=year
        )
    copies["2513"].printed_total = kalix.printed_total
    copies["2513"].save()
    return copies


def test_ranked_by_total_with_ties_sharing_a_position(four_in_version_2010):
    rows = rank_evaluations(framework_id=version("2010"))
    assert [(r.position, str(r.evaluation), r.score) for r in rows] == [
        (1, "Kalix 2012", Decimal("415")),
        (1, "Överkalix 2014", Decimal("415")),
        (3, "Boden 2013", Decimal("413")),
        (3, "Haparanda 2015", Decimal("413")),
    ]


def test_ranked_by_one_area(published_reports, six_evaluated):
    rows = rank_evaluations(framework_id=version("2016"), area_number=3)
    assert [(r.position, str(r.evaluation), r.score) for r in rows] == [
        (1, "Luleå 2018", Decimal("72.0")),
        (1, "Piteå 2019", Decimal("72.0")),
    ]
    rows = rank_evaluations(framework_id=version("2020"), area_number=7)
    assert [(r.position, r.evaluation.municipality.slug, r.score) for r in rows] == [
        (1, "kiruna", Decimal("72.0")),
        (1, "lindesberg", Decimal("72.0")),
    ]


def test_only_one_version_and_only_published(published_reports, six_evaluated):
    published_reports["kalix"].status = "draft"
    published_reports["kalix"].save()
    rows = rank_evaluations(framework_id=version("2010"))
    assert [str(r.evaluation) for r in rows] == ["Boden 2013"]


def test_latest_only_keeps_each_municipality_once(published_reports):
    make_evaluation_like(
        published_reports["lulea"], municipality=Municipality.objects.get(code="2580"), year=2016
    )
    everything = rank_evaluations(framework_id=version("2016"))
    assert [str(r.evaluation) for r in everything] == ["Luleå 2018", "Luleå 2016"]
    latest = rank_evaluations(framework_id=version("2016"), latest_only=True)
    assert [str(r.evaluation) for r in latest] == ["Luleå 2018"]


def test_an_area_without_points_is_left_out(published_reports):
    published_reports["lulea"].area_results.filter(area__number=3).update(points=None)
    assert rank_evaluations(framework_id=version("2016"), area_number=3) == []


def test_the_order_is_computed_once_per_data_version_and_the_rows_read_in_one_query(
    four_in_version_2010, django_assert_num_queries
):
    framework_id = version("2010")
    with django_assert_num_queries(3):  # the data version, the order, the evaluations
        first = rank_evaluations(framework_id=framework_id)
    with django_assert_num_queries(2):  # the data version, the evaluations
        assert rank_evaluations(framework_id=framework_id) == first
    with django_assert_num_queries(3):
        rank_evaluations(framework_id=framework_id, area_number=5, latest_only=True)


def test_a_question_ranking_matches_the_databases_order_and_reads_a_slice_in_one_query(
    four_in_version_2010, django_assert_num_queries
):
    question = Question.objects.get(area__framework__code="2010", code="1.4")
    # Överkalix and Boden lose points on 1.4, so that the four differ.
    QuestionScore.objects.filter(evaluation=four_in_version_2010["2513"], question=question).update(
        points=Decimal("8")
    )
    QuestionScore.objects.filter(evaluation=four_in_version_2010["2582"], question=question).update(
        points=Decimal("8")
    )
    dataversion.bump()
    expected = [(s.plats, s.pk) for s in ranked_scores(question_id=question.pk)]
    with django_assert_num_queries(2):  # the data version, the order
        ranking = QuestionRanking(question_id=question.pk)
    assert len(ranking) == 4
    with django_assert_num_queries(1):  # the scores of the slice, with what the table shows
        rows = ranking[1:3]
        assert [str(s.evaluation.municipality.county) for s in rows]
    assert [(s.plats, s.pk) for s in rows] == expected[1:3]
    assert [(s.plats, s.pk) for s in ranking] == expected
    assert [s.plats for s in ranking] == [1, 1, 3, 3]
    with django_assert_num_queries(1):  # the data version: the order is cached
        QuestionRanking(question_id=question.pk)


def test_a_score_unpublished_after_the_order_was_read_is_left_out(four_in_version_2010):
    question = Question.objects.get(area__framework__code="2010", code="1.4")
    ranking = QuestionRanking(question_id=question.pk)
    # As between a commit and this process seeing the new data version: no signal, no bump.
    Evaluation.objects.filter(pk=four_in_version_2010["2582"].pk).update(status="draft")
    names = [str(s.evaluation.municipality) for s in ranking[0:4]]
    assert len(ranking) == 4 and len(names) == 3 and "Boden" not in names


def test_an_evaluation_deleted_after_the_order_was_read_is_left_out(four_in_version_2010):
    ranking = Ranking(framework_id=version("2010"), area_number=None, latest_only=False)
    four_in_version_2010["2583"].delete()
    assert [str(r.evaluation) for r in ranking[0:4]] == [
        "Kalix 2012",
        "Överkalix 2014",
        "Boden 2013",
    ]
