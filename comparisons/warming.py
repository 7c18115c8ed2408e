"""The derived figures that public pages share, computed once after a change of public data
(``opendata.prebuild.after_change``, and ``manage.py build_open_data``), so that the first
visitors after a publish read them instead of each computing them: the version-wide sums and
reference means, every sub-question's sums and the order of its scores, the rankings' orders
and choices, each municipality's latest evaluation.

They are cached under the data version in the shared figure cache (``per_data_version``, files
every process of the machine reads, or Redis): one process computes them for all. A figure not
here (a ranking filtered by municipality group) is computed by its first visitor, as before."""

from django.conf import settings
from django.utils import translation

from evaluations.models import Evaluation, FrameworkVersion, Question

from .means import (
    question_sums,
    question_sums_by_version,
    reference_area_means,
    version_area_sums,
    version_question_sums,
)
from .municipalities import latest_published_ids
from .question_ranking import ranked_score_ids
from .ranking import kommungrupp_choices, ranked_ids

AREA_CHOICES: list[int | None] = [None, *range(1, 9)]  # the ranking by total, then by area


def _version_figures(framework_id: int) -> int:
    """The version's figures that are the same in every language; returns how many."""
    version_area_sums(framework_id=framework_id)
    version_question_sums(framework_id=framework_id)
    kommungrupp_choices(framework_id=framework_id)
    questions = list(
        Question.objects.filter(area__framework_id=framework_id).values_list("pk", flat=True)
    )
    for question_id in questions:
        question_sums(framework_id=framework_id, question_id=question_id)
        ranked_score_ids(question_id=question_id)
    for area_number in AREA_CHOICES:
        for latest_only in (False, True):
            ranked_ids(
                framework_id=framework_id,
                area_number=area_number,
                latest_only=latest_only,
                kommungrupp=None,
            )
    return 3 + 2 * len(questions) + 2 * len(AREA_CHOICES)


def warm_figures() -> int:
    """Compute (or find already cached) the shared figures of the current data version: once
    those that are the same in every language, in each language of the site those with
    translated text (the reference means' labels); returns how many figures that was."""
    versions = list(
        FrameworkVersion.objects.filter(
            pk__in=Evaluation.objects.published().values("framework_id")
        ).values_list("pk", flat=True)
    )
    latest_published_ids()
    question_sums_by_version()
    count = 2 + sum(_version_figures(framework_id) for framework_id in versions)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for framework_id in versions:
                reference_area_means(framework_id=framework_id)
            count += len(versions)
    return count
