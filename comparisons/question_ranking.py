"""The published scores on one sub-question ranked, as its page shows them: the order over every
score computed in the database once per data version (as ``ranking.Ranking`` does for totals), a
page then reading only the scores it shows."""

from collections.abc import Sequence

from evaluations.models import QuestionScore
from kompass_site.caching import per_data_version

from .filters import published_scores, ranked_scores
from .ranking import RankedRows


@per_data_version(any_language=True)
def ranked_score_ids(*, question_id: int) -> list[tuple[int, int]]:
    """(position, score id) of every published score on the question, in the order its page
    shows unless the visitor sorts it otherwise (``filters.ranked_scores``)."""
    ranked = ranked_scores(question_id=question_id)
    return list(ranked.values_list("plats", "pk"))  # type: ignore[misc]  # an annotation


class QuestionRanking(RankedRows[QuestionScore]):
    """The scores in the order of ``ranked_score_ids``, with ``plats`` set as
    ``ranked_scores`` annotates it."""

    def __init__(self, *, question_id: int):
        self.ranked = ranked_score_ids(question_id=question_id)

    def _read(self, rows: Sequence) -> list[QuestionScore]:
        scores = published_scores().in_bulk([pk for _plats, pk in rows])
        # A score unpublished since the order was read (before this process saw the new data
        # version) is left out, not an error.
        found = [(plats, scores[pk]) for plats, pk in rows if pk in scores]
        for plats, score in found:
            score.plats = plats  # type: ignore[attr-defined]
        return [score for _plats, score in found]
