"""comparisons.means: each evaluation against the mean of the *other* published evaluations."""

from decimal import Decimal

import pytest

from comparisons.means import (
    TOTAL,
    KeySum,
    VersionSums,
    difference,
    mean_for,
    mean_of_others,
    question_sums,
    version_area_sums,
    version_question_sums,
)
from evaluations.models import Evaluation, Municipality, Question

from .conftest import make_areas_like, make_evaluation_like

pytestmark = pytest.mark.django_db


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def areas(evaluation: Evaluation) -> dict:
    values = {r.area.number: r.points for r in evaluation.area_results.select_related("area")}
    total = Evaluation.objects.with_total().get(pk=evaluation.pk).total
    return {**values, TOTAL: total}


def test_version_sums_cover_published_evaluations_of_the_version(published_reports):
    kalix = published_reports["kalix"]
    make_evaluation_like(kalix, municipality=municipality("2581"), year=2013)  # Piteå
    sums = version_area_sums(framework_id=kalix.framework_id)
    # Kalix 2012 area 1 is 41 points; two evaluations with Kalix's figures.
    assert sums.by_key[1] == KeySum(total=Decimal("82.0"), count=2)
    # Kalix's total is the printed 415 (its areas sum to 413); the copy has no printed total.
    assert sums.by_key[TOTAL] == KeySum(total=Decimal("828.0"), count=2)
    questions = version_question_sums(framework_id=published_reports["lulea"].framework_id)
    assert len(questions.by_key) == 45
    assert questions.by_key["1.5"] == KeySum(total=Decimal("9.5"), count=1)


def test_one_questions_sums_are_the_version_sums_of_its_code_alone(published_reports):
    kalix = published_reports["kalix"]
    make_evaluation_like(kalix, municipality=municipality("2581"), year=2013)  # Piteå
    question = Question.objects.get(area__framework=kalix.framework, code="3.2")
    sums = question_sums(framework_id=kalix.framework_id, question_id=question.pk)
    everything = version_question_sums(framework_id=kalix.framework_id)
    assert sums == VersionSums(
        framework_id=kalix.framework_id, by_key={"3.2": everything.by_key["3.2"]}
    )
    assert sums.by_key["3.2"].count == 2


def test_alone_in_its_version_an_evaluation_has_no_mean_not_its_own_value(published_reports):
    lulea = published_reports["lulea"]
    mean = mean_for(
        sums=version_area_sums(framework_id=lulea.framework_id),
        evaluation=lulea,
        values=areas(lulea),
    )
    assert mean.n == 0
    assert mean.value(3) is None and mean.value(TOTAL) is None


def test_the_mean_leaves_the_evaluation_itself_out(published_reports):
    lulea = published_reports["lulea"]
    # Kalix 2012's printed area scores as a version-2016 evaluation of Piteå: the only other.
    make_areas_like(
        published_reports["kalix"],
        framework=lulea.framework,
        municipality=municipality("2581"),
        year=2019,
    )
    mean = mean_for(
        sums=version_area_sums(framework_id=lulea.framework_id),
        evaluation=lulea,
        values=areas(lulea),
    )
    kalix = areas(published_reports["kalix"])
    assert mean.n == 1
    assert mean.value(1) == kalix[1] != areas(lulea)[1]
    # Piteå has no printed total: its total is the sum of Kalix's areas, 413.
    assert mean.value(TOTAL) == Decimal("413.0")


def test_a_draft_is_compared_with_the_mean_it_will_have_once_published(published_reports):
    kalix = published_reports["kalix"]
    make_evaluation_like(kalix, municipality=municipality("2581"), year=2013)
    draft = make_areas_like(
        published_reports["lulea"],
        framework=kalix.framework,
        municipality=municipality("2582"),
        year=2014,
        status=Evaluation.Status.DRAFT,
    )
    before = mean_for(
        sums=version_area_sums(framework_id=kalix.framework_id),
        evaluation=draft,
        values=areas(draft),
    )
    draft.status = Evaluation.Status.PUBLISHED
    draft.save()
    after = mean_for(
        sums=version_area_sums(framework_id=kalix.framework_id),
        evaluation=draft,
        values=areas(draft),
    )
    assert before.by_key == after.by_key
    assert (after.n, after.value(1)) == (2, Decimal("41"))


def test_drafts_and_stated_results_are_not_in_the_sums(published_reports):
    kalix = published_reports["kalix"]
    make_evaluation_like(
        kalix, municipality=municipality("2581"), year=2013, status=Evaluation.Status.DRAFT
    )
    stated = make_evaluation_like(kalix, municipality=municipality("2514"), year=2011)
    Evaluation.objects.filter(pk=stated.pk).update(origin=Evaluation.Origin.STATED, stated_in=kalix)
    assert version_area_sums(framework_id=kalix.framework_id).by_key[1].count == 1


def test_mean_of_others_is_exact_arithmetic_and_rounds_only_for_display():
    # Arithmetic on sums alone: 184.5 over three, one of them 72.
    sums = VersionSums(framework_id=1, by_key={3: KeySum(total=Decimal("184.5"), count=3)})
    mean = mean_of_others(sums=sums, left_out=[{3: Decimal("72")}])
    assert mean.get(3).value == Decimal("56.25")
    assert mean.get(3).rounded == Decimal("56.3")  # halves up
    assert difference(Decimal("72"), mean.value(3)) == Decimal("15.8")  # 15.75, from unrounded
    nobody = mean_of_others(sums=sums, left_out=[{3: 1}, {3: 2}, {3: 3}])
    assert (nobody.get(3).value, nobody.get(3).n) == (None, 0)
    assert mean_of_others(sums=sums).get(3).n == 3
