"""Draft, published and back to draft: who may do what, and the reasons kept in the history."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AREA_COUNT, AreaResult, Evaluation

PUBLISH_PERMISSION = "evaluations.publish_evaluation"
# simple_history's change reason column is a CharField(max_length=100).
REASON_MAX_LENGTH = 100
REASON_TOO_LONG = gettext_lazy(
    "Anledningen får vara högst %(limit_value)d tecken (den har %(show_value)d)."
)


def can_publish(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm(PUBLISH_PERMISSION)


def can_edit(user, evaluation: Evaluation | None) -> bool:
    """Drafts: whoever may change evaluations. Published ones: only those who may publish."""
    if not (user.is_active and user.is_staff and user.has_perm("evaluations.change_evaluation")):
        return False
    return evaluation is None or not evaluation.is_published or can_publish(user)


def can_delete(user, evaluation: Evaluation | None) -> bool:
    """A published evaluation is never deleted from the admin: unpublish it first."""
    if not (user.is_active and user.is_staff and user.has_perm("evaluations.delete_evaluation")):
        return False
    return evaluation is None or not evaluation.is_published


def publish_problems(evaluation: Evaluation) -> list[str]:
    """What stops the evaluation from being published; empty when it can be."""
    if evaluation.is_stated:
        return [stated_follows_message(evaluation)]
    scored = set(
        AreaResult.objects.filter(evaluation=evaluation, points__isnull=False).values_list(
            "area__number", flat=True
        )
    )
    return [
        _("Område %(number)s saknar poäng.") % {"number": number}
        for number in range(1, AREA_COUNT + 1)
        if number not in scored
    ]


def stated_follows_message(evaluation: Evaluation) -> str:
    return _(
        "%(evaluation)s är en uppgift ur rapporten %(later)s och publiceras och avpubliceras "
        "med den."
    ) % {"evaluation": evaluation, "later": evaluation.stated_in}


def publish(evaluation: Evaluation) -> None:
    _set_status(evaluation, Evaluation.Status.PUBLISHED, _("Publicerad"))


def unpublish(evaluation: Evaluation, *, reason: str) -> None:
    _set_status(evaluation, Evaluation.Status.DRAFT, reason[:REASON_MAX_LENGTH])


def _set_status(evaluation: Evaluation, status: str, reason: str) -> None:
    """The evaluation and the previous results it states: public exactly when it is."""
    for record in (evaluation, *evaluation.stated_previous.all()):
        record.status = status
        record._change_reason = reason
        record.save(update_fields=["status", "updated_at"])


@dataclass(frozen=True)
class Unpublished:
    when: datetime
    user: object
    reason: str


def last_unpublished(evaluation: Evaluation) -> Unpublished | None:
    """When, by whom and why a draft was last taken back from published; None if never."""
    if evaluation.is_published:
        return None
    records = evaluation.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    newer = None
    for record in records:
        if record.status == Evaluation.Status.PUBLISHED:
            if newer is None:
                return None
            return Unpublished(newer.history_date, newer.history_user, newer.history_change_reason)
        newer = record
    return None
