"""Draft, published and back to draft: who may do what, and the reasons kept in the history."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import rules, writing
from .access import PUBLISH_PERMISSION, allowed
from .models import AreaResult, Evaluation, Revision

REASON_TOO_LONG = gettext_lazy(
    "Anledningen får vara högst %(limit_value)d tecken (den har %(show_value)d)."
)


def can_publish(user) -> bool:
    return allowed(user, PUBLISH_PERMISSION)


def can_edit(user, evaluation: Evaluation | None) -> bool:
    """Drafts: whoever may change evaluations. Published ones: only those who may publish."""
    if not allowed(user, "evaluations.change_evaluation"):
        return False
    return evaluation is None or not evaluation.is_published or can_publish(user)


def can_delete(user, evaluation: Evaluation | None) -> bool:
    """A published evaluation is never deleted from the admin: unpublish it first."""
    if not allowed(user, "evaluations.delete_evaluation"):
        return False
    return evaluation is None or not evaluation.is_published


def publish_problems(evaluation: Evaluation, *, user=None) -> list[str]:
    """What stops `user` from publishing the evaluation; empty when it can be published."""
    if evaluation.is_stated:
        return [stated_follows_message(evaluation)]
    points = dict(
        AreaResult.objects.filter(evaluation=evaluation).values_list("area__number", "points")
    )
    problems = rules.publish_problems(points)
    if (
        settings.PUBLISH_NEEDS_SECOND_PERSON
        and user is not None
        and last_editor(evaluation) == user
    ):
        problems.append(
            _(
                "Du ändrade utkastet senast. En annan publicerare granskar och publicerar det "
                "(två personer ser varje publicering)."
            )
        )
    return problems


EDITS = (
    Revision.Action.CREATED,
    Revision.Action.IMPORTED,
    Revision.Action.EDITED,
    Revision.Action.REVERTED,
    Revision.Action.RESTORED,
)


def last_editor(evaluation: Evaluation):
    """Who last changed the evaluation's content (None if unknown)."""
    revision = evaluation.revisions.filter(action__in=EDITS).select_related("user").first()
    return revision.user if revision else None


def stated_follows_message(evaluation: Evaluation) -> str:
    return _(
        "%(evaluation)s är en uppgift ur rapporten %(later)s och publiceras och avpubliceras "
        "med den."
    ) % {"evaluation": evaluation, "later": evaluation.stated_in}


def publish(evaluation: Evaluation, *, user=None) -> None:
    _set_status(
        evaluation, Evaluation.Status.PUBLISHED, _("Publicerad"), Revision.Action.PUBLISHED, user
    )


def unpublish(evaluation: Evaluation, *, reason: str, user=None) -> None:
    _set_status(evaluation, Evaluation.Status.DRAFT, reason, Revision.Action.UNPUBLISHED, user)


@transaction.atomic
def _set_status(evaluation: Evaluation, status: str, reason: str, action: str, user) -> None:
    """The evaluation and the previous results it states: public exactly when it is."""
    for record in (evaluation, *evaluation.stated_previous.all()):
        record.status = status
        writing.save_status(record, reason=reason, user=user, action=action)


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
