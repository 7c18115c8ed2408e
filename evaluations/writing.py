"""The one write path for evaluations: an evaluation with its areas, sub-question scores and
list items is checked and saved here, and each save is recorded as one revision (who, when,
what kind of save, why) in the history.

``import_report``, the admin's upload, the admin's change form, publishing, deleting, restoring
and reverting all call this module; none of them writes the rows itself. The checks are the
models' own (``full_clean``: the constraints with their messages, ``clean``) and the few rules
that span rows (``evaluations.rules``).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import dataversion, mentions, rules
from .models import AreaListItem, AreaResult, Evaluation, Question, QuestionScore, Revision

Kind = AreaListItem.Kind


@dataclass(frozen=True)
class AreaData:
    """What an evaluation holds for one area (by its number in the evaluation's version)."""

    number: int
    points: Decimal | None = None
    header_points: Decimal | None = None
    table_points: Decimal | None = None
    text: str = ""
    strengths: tuple[str, ...] = ()
    improvements: tuple[str, ...] = ()
    weaknesses: tuple[str, ...] = ()

    @property
    def lists(self) -> dict[str, tuple[str, ...]]:
        return {
            Kind.STRENGTH: self.strengths,
            Kind.IMPROVEMENT: self.improvements,
            Kind.WEAKNESS: self.weaknesses,
        }

    @property
    def values(self) -> dict:
        return {
            "points": self.points,
            "header_points": self.header_points,
            "table_points": self.table_points,
            "text": self.text,
        }

    def is_empty(self) -> bool:
        return all(v in (None, "") for v in self.values.values()) and not any(self.lists.values())


@dataclass(frozen=True)
class ScoreData:
    code: str
    points: Decimal
    printed_points: Decimal | None = None
    printed_percent: int | None = None


@dataclass(frozen=True)
class Content:
    """An evaluation's rows: its areas and sub-question scores."""

    areas: tuple[AreaData, ...] = ()
    scores: tuple[ScoreData, ...] = ()

    def area_points(self) -> dict[int, Decimal | None]:
        return {area.number: area.points for area in self.areas}


@dataclass(frozen=True)
class Problem:
    """One thing that stops a save: where (an area, a sub-question or the evaluation), which
    field, and the message for staff."""

    message: str
    field: str = NON_FIELD_ERRORS
    area: int | None = None
    code: str | None = None
    label: str = ""  # the field's name for staff, where the message is read apart from it

    def __str__(self) -> str:
        where = [self.label] if self.label else []
        if self.code is not None:
            where.insert(0, _("Delfråga %(code)s") % {"code": self.code})
        elif self.area is not None:
            where.insert(0, _("Område %(n)s") % {"n": self.area})
        return ", ".join(where) + ": " + self.message if where else self.message


class EvaluationInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


# --- Reading --------------------------------------------------------------------------------


def content_of(evaluation: Evaluation) -> Content:
    """The rows the evaluation holds now, in the shape the service saves."""
    results = AreaResult.objects.filter(evaluation=evaluation).select_related("area")
    areas = []
    for result in results.prefetch_related("list_items").order_by("area__number"):
        items = sorted(result.list_items.all(), key=lambda item: item.position)
        areas.append(area_data(result, items))
    scores = QuestionScore.objects.filter(evaluation=evaluation).select_related("question")
    return Content(
        areas=tuple(areas),
        scores=tuple(
            ScoreData(s.question.code, s.points, s.printed_points, s.printed_percent)
            for s in scores.order_by("question__area__number", "question__code")
        ),
    )


def area_data(result, items, *, number: int | None = None) -> AreaData:
    """An area row and its list items (live rows or historical records) as AreaData."""

    def texts(kind):
        return tuple(item.text for item in items if item.kind == kind)

    return AreaData(
        number=number if number is not None else result.area.number,
        points=result.points,
        header_points=result.header_points,
        table_points=result.table_points,
        text=result.text,
        strengths=texts(Kind.STRENGTH),
        improvements=texts(Kind.IMPROVEMENT),
        weaknesses=texts(Kind.WEAKNESS),
    )


# --- Checking -------------------------------------------------------------------------------


def problems(
    evaluation: Evaluation, *, content: Content, exclude: tuple[str, ...] = ()
) -> list[Problem]:
    """Everything that stops `evaluation` with `content` from being saved; nothing is written.
    `exclude`: header fields not to check (the form checks its own header)."""
    return header_problems(evaluation, exclude=exclude) + content_problems(
        evaluation, content=content
    )


def header_problems(evaluation: Evaluation, *, exclude: tuple[str, ...] = ()) -> list[Problem]:
    """The evaluation's own fields (full_clean without its rows)."""
    return _clean(evaluation, exclude=list(exclude))


def content_problems(evaluation: Evaluation, *, content: Content) -> list[Problem]:
    """What is wrong with the rows, and a published evaluation's rule: a score in every area."""
    found = row_problems(evaluation, content=content)
    if evaluation.is_published and not evaluation.is_stated:
        found += [
            Problem(
                _(
                    "En publicerad utvärdering behöver poäng i varje område. Avpublicera den "
                    "först om poängen ska tas bort."
                ),
                field="points",
                area=number,
            )
            for number in rules.unscored_areas(content.area_points())
        ]
    return found


def row_problems(evaluation: Evaluation, *, content: Content) -> list[Problem]:
    areas = {area.number: area for area in evaluation.framework.areas.all()}
    questions = {
        q.code: q
        for q in Question.objects.filter(area__framework=evaluation.framework_id).select_related(
            "area"
        )
    }
    found = [
        Problem(_("Området finns inte i version %(v)s.") % {"v": evaluation.framework}, area=n)
        for n in {a.number for a in content.areas} - set(areas)
    ] + [
        Problem(_("Delfrågan finns inte i version %(v)s.") % {"v": evaluation.framework}, code=c)
        for c in {s.code for s in content.scores} - set(questions)
    ]
    found += [
        Problem(_("angivet två gånger."), area=n)
        for n in rules.twice(a.number for a in content.areas)
    ]
    found += [
        Problem(_("angiven två gånger."), code=c)
        for c in rules.twice(s.code for s in content.scores)
    ]
    for data in content.areas:
        if data.number in areas:
            found += _area_problems(AreaResult(area=areas[data.number], **data.values), data)
    for score in content.scores:
        if score.code in questions:
            row = QuestionScore(
                question=questions[score.code],
                points=score.points,
                printed_points=score.printed_points,
                printed_percent=score.printed_percent,
            )
            found += _clean(row, code=score.code, exclude=["evaluation", "question"])
    return found + _total_problems(content, questions)


def _area_problems(result: AreaResult, data: AreaData) -> list[Problem]:
    # The area, question or row each belongs to is the service's own choice, never typed:
    # no query to check that it exists.
    found = _clean(result, area=data.number, exclude=["evaluation", "area"])
    for kind, texts in data.lists.items():
        for position, text in enumerate(texts, start=1):
            item = AreaListItem(kind=kind, position=position, text=text)
            found += _clean(item, area=data.number, exclude=["area_result"])
    return found


def _clean(row, *, exclude: list[str], **where) -> list[Problem]:
    try:
        row.full_clean(exclude=exclude)
    except ValidationError as error:
        return [
            Problem(message, field=name, label=_label(row, name), **where)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _label(row, name: str) -> str:
    if name == NON_FIELD_ERRORS:
        return ""
    return capfirst(str(row._meta.get_field(name).verbose_name))


def _total_problems(content: Content, questions: dict[str, Question]) -> list[Problem]:
    """An area's points against its sub-questions' (rules.area_total_problem)."""
    given = defaultdict(list)
    for score in content.scores:
        question = questions.get(score.code)
        if question is not None and rules.points_problem(score.points, question.max_points) is None:
            given[question.area.number].append(question)
    points = {s.code: s.points for s in content.scores}
    found = []
    for data in content.areas:
        scored = given.get(data.number, [])
        open_max = sum(
            q.max_points
            for q in questions.values()
            if q.area.number == data.number and q not in scored
        )
        problem = rules.area_total_problem(
            points=data.points, scores=[points[q.code] for q in scored], open_max=open_max
        )
        if problem:
            found.append(Problem(problem, field="points", area=data.number))
    return found


# --- Saving ---------------------------------------------------------------------------------


@transaction.atomic
def save_evaluation(
    evaluation: Evaluation,
    *,
    content: Content,
    reason: str,
    user=None,
    action: str = Revision.Action.EDITED,
    replacing: Evaluation | None = None,
    header_changed: bool = True,
) -> Revision:
    """Check and save `evaluation` (new or changed) with exactly the rows of `content`, in one
    transaction; raises EvaluationInvalid (nothing written) if anything is wrong. `replacing`:
    an evaluation of the same municipality and year that this one takes the place of."""
    if replacing is not None:
        replacing.delete()
    found = problems(evaluation, content=content)
    if found:
        raise EvaluationInvalid(found)
    created = evaluation.pk is None
    if created or header_changed:
        _stamp(evaluation, reason=reason, user=user)
        evaluation.save()
    if created:
        _create_rows(evaluation, content, reason=reason, user=user)
    else:
        _update_rows(evaluation, content, reason=reason, user=user)
    mentions.refresh(evaluation=evaluation)
    return record(evaluation, action=action, reason=reason, user=user)


def record(evaluation: Evaluation, *, action: str, reason: str, user=None) -> Revision:
    """One revision for what was just saved: the evaluation's history records not yet part of a
    revision become part of this one."""
    revision = Revision.objects.create(
        evaluation=evaluation, action=action, reason=reason, user=_real(user)
    )
    result_ids = AreaResult.history.filter(evaluation_id=evaluation.pk).values("id")
    for manager, filters in (
        (Evaluation.history, {"id": evaluation.pk}),
        (AreaResult.history, {"evaluation_id": evaluation.pk}),
        (QuestionScore.history, {"evaluation_id": evaluation.pk}),
        (AreaListItem.history, {"area_result_id__in": result_ids}),
    ):
        manager.filter(revision_id__isnull=True, **filters).update(revision_id=revision.pk)
    return revision


def _real(user):
    return user if user is not None and user.is_authenticated else None


def _stamp(row, *, reason: str, user) -> None:
    row._change_reason = reason
    if _real(user) is not None:
        row._history_user = user


def _create_rows(evaluation: Evaluation, content: Content, *, reason: str, user) -> None:
    """A new evaluation's rows, a few queries whatever their number."""
    areas = {area.number: area for area in evaluation.framework.areas.all()}
    questions = {q.code: q for q in Question.objects.filter(area__framework=evaluation.framework)}
    history = {"default_change_reason": reason, "default_user": _real(user)}
    results = bulk_create_with_history(
        [
            AreaResult(evaluation=evaluation, area=areas[data.number], **data.values)
            for data in content.areas
        ],
        AreaResult,
        **history,
    )
    by_number = {result.area.number: result for result in results}
    bulk_create_with_history(
        [_score_row(evaluation, questions[s.code], s) for s in content.scores],
        QuestionScore,
        **history,
    )
    bulk_create_with_history(
        [
            AreaListItem(area_result=by_number[data.number], kind=kind, position=i, text=text)
            for data in content.areas
            for kind, texts in data.lists.items()
            for i, text in enumerate(texts, start=1)
        ],
        AreaListItem,
        **history,
    )
    dataversion.bump()  # bulk_create sends no signals


def _score_row(evaluation, question, data: ScoreData) -> QuestionScore:
    return QuestionScore(
        evaluation=evaluation,
        question=question,
        points=data.points,
        printed_points=data.printed_points,
        printed_percent=data.printed_percent,
    )


def _update_rows(evaluation: Evaluation, content: Content, *, reason: str, user) -> None:
    """Change only what changed, each row in place, so the history shows what changed."""
    stamp = {"reason": reason, "user": user}
    results = {
        r.area.number: r
        for r in AreaResult.objects.filter(evaluation=evaluation)
        .select_related("area")
        .prefetch_related("list_items")
    }
    areas = {area.number: area for area in evaluation.framework.areas.all()}
    wanted = {data.number: data for data in content.areas}
    for number, result in results.items():
        if number not in wanted:
            _delete(result, **stamp)
    for number, data in wanted.items():
        found = results.get(number)
        if found is None and data.is_empty():
            continue
        result = found or AreaResult(evaluation=evaluation, area=areas[number])
        _save_changed(result, data.values, **stamp)
        current = list(result.list_items.all()) if result.pk and number in results else []
        for kind, texts in data.lists.items():
            existing = sorted((i for i in current if i.kind == kind), key=lambda i: i.position)
            _save_items(result, kind, existing, texts, **stamp)
    _update_scores(evaluation, content, **stamp)


def _save_changed(row, values: dict, *, reason: str, user) -> None:
    if row.pk is not None and all(getattr(row, k) == v for k, v in values.items()):
        return
    for name, value in values.items():
        setattr(row, name, value)
    _stamp(row, reason=reason, user=user)
    row.save()


def _delete(row, *, reason: str, user) -> None:
    _stamp(row, reason=reason, user=user)
    row.delete()


def _save_items(result, kind, existing, texts, *, reason: str, user) -> None:
    """Keep each item's row where it stays, so the history shows what changed in place."""
    for item in existing[len(texts) :]:
        _delete(item, reason=reason, user=user)
    for position, text in enumerate(texts, start=1):
        item = existing[position - 1] if position <= len(existing) else None
        item = item or AreaListItem(area_result=result, kind=kind)
        _save_changed(item, {"position": position, "text": text}, reason=reason, user=user)


def _update_scores(evaluation: Evaluation, content: Content, *, reason: str, user) -> None:
    existing = {
        s.question.code: s
        for s in QuestionScore.objects.filter(evaluation=evaluation).select_related("question")
    }
    questions = {q.code: q for q in Question.objects.filter(area__framework=evaluation.framework)}
    wanted = {s.code: s for s in content.scores}
    for code, score in existing.items():
        if code not in wanted:
            _delete(score, reason=reason, user=user)
    for code, data in wanted.items():
        score = existing.get(code) or QuestionScore(evaluation=evaluation, question=questions[code])
        values = {
            "points": data.points,
            "printed_points": data.printed_points,
            "printed_percent": data.printed_percent,
        }
        _save_changed(score, values, reason=reason, user=user)


def save_status(evaluation: Evaluation, *, reason: str, user, action: str) -> Revision:
    """Publish, unpublish, move to or from the trash: the evaluation's own fields only."""
    _stamp(evaluation, reason=reason, user=user)
    evaluation.save()
    return record(evaluation, action=action, reason=reason, user=user)


# --- Trash and revert ---------------------------------------------------------------------


@transaction.atomic
def move_to_trash(evaluation: Evaluation, *, reason: str, user) -> None:
    """A deleted draft (and the previous results it states) waits in the trash, restorable."""
    now = timezone.now()
    for row in (evaluation, *evaluation.stated_previous.all()):
        row.deleted_at, row.deletion_reason = now, reason
        save_status(row, reason=reason, user=user, action=Revision.Action.DELETED)


@transaction.atomic
def restore(evaluation: Evaluation, *, user) -> None:
    """Back from the trash, with its history; refused (EvaluationInvalid) if the municipality
    has another evaluation of that year by now."""
    reason = _("Återställd ur papperskorgen")
    for row in (evaluation, *Evaluation.objects.in_trash().filter(stated_in=evaluation)):
        row.deleted_at, row.deletion_reason = None, ""
        found = _clean(row, exclude=[])
        if found:
            raise EvaluationInvalid(found)
        save_status(row, reason=reason, user=user, action=Revision.Action.RESTORED)


def revert(evaluation: Evaluation, *, to, reason: str, user) -> Revision:
    """The evaluation's header and rows as `to` (an earlier state, ``review.state_at``), through
    the same checks as any save; its status stays as it is."""
    for name, value in to.header.items():
        setattr(evaluation, name, value)
    return save_evaluation(
        evaluation,
        content=to.content,
        reason=reason,
        user=user,
        action=Revision.Action.REVERTED,
    )
