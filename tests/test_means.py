from decimal import Decimal

import pytest

from comparisons.means import national_area_means, question_means
from evaluations.models import Evaluation, Municipality

from .conftest import make_evaluation_like

pytestmark = pytest.mark.django_db


def test_national_mean_is_the_unweighted_mean_of_published_evaluations(published_reports):
    lulea = published_reports["lulea"]
    # Kalix 2012's figures as a second 2010-version evaluation: mean equals its areas, n = 2.
    kalix = published_reports["kalix"]
    make_evaluation_like(kalix, municipality=Municipality.objects.get(code="2581"), year=2013)
    means = national_area_means(framework_id=kalix.framework_id)
    assert means.n == 2
    assert means.by_area[1] == Decimal("41.0")
    only_lulea = national_area_means(framework_id=lulea.framework_id)
    assert (only_lulea.n, only_lulea.by_area[3]) == (1, Decimal("72.0"))


def test_drafts_do_not_count_in_the_mean(published_reports):
    lulea = published_reports["lulea"]
    make_evaluation_like(
        published_reports["kalix"],
        municipality=Municipality.objects.get(code="2581"),
        year=2013,
        status=Evaluation.Status.DRAFT,
    )
    assert national_area_means(framework_id=published_reports["kalix"].framework_id).n == 1
    assert national_area_means(framework_id=lulea.framework_id).n == 1


def test_question_means_per_code(published_reports):
    lulea = published_reports["lulea"]
    means = question_means(framework_id=lulea.framework_id)
    assert len(means) == 45
    assert means["1.5"] == Decimal("9.5")
