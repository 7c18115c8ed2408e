"""The published scores on one sub-question ranked, as its page shows them: the order over every
score computed in the database once per data version (as ``ranking.Ranking`` does for totals), a
page then reading only the scores it shows."""

from evaluations.models import QuestionScore
from kompass_site.caching import per_data_version

from .filters import published_scores, ranked_scores


@per_data_version(any_language=True)
def ranked_score_ids(*, question_id: int) -> list[tuple[int, int]]:
    """(position, score id) of every published score on the question, in the order its page
    shows unless the visitor sorts it otherwise (``filters.ranked_scores``)."""
    ranked = ranked_scores(question_id=question_id)
    return list(ranked.values_list("plats", "pk"))  # type: ignore[misc]  # an annotation


class QuestionRanking:
    """``ranked_score_ids`` as a sequence that django-tables2 slices into pages, each slice one
    query for the scores in it, with ``plats`` set as ``ranked_scores`` annotates it."""

    def __init__(self, *, question_id: int):
        self.ranked = ranked_score_ids(question_id=question_id)

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index: slice) -> list[QuestionScore]:
        if not isinstance(index, slice):
            raise TypeError("a QuestionRanking is read in slices")
        rows = self.ranked[index]
        scores = published_scores().in_bulk([pk for _plats, pk in rows])
        # A score unpublished since the order was read (before this process saw the new data
        # version) is left out, not an error.
        found = [(plats, scores[pk]) for plats, pk in rows if pk in scores]
        for plats, score in found:
            score.plats = plats  # type: ignore[attr-defined]
        return [score for _plats, score in found]

    def __iter__(self):
        return iter(self[:])
