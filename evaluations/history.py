"""One evaluation's history: its own changes and those of its areas, scores and texts.

Read from django-simple-history's tables in a fixed number of queries, whatever the number of
changes; each record is compared with the previous record of the same row.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import format_points
from .models import Area, AreaPoint, AreaResult, Evaluation, Municipality, Question, QuestionScore

# Left out: keys, timestamps, and what the subject names (the area, question, kind, position).
HIDDEN_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "evaluation",
    "area_result",
    "area",
    "question",
    "kind",
    "position",
}
ACTIONS = {"+": gettext_lazy("Skapad"), "~": gettext_lazy("Ändrad"), "-": gettext_lazy("Borttagen")}
TEXT_PREVIEW_LENGTH = 80


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    when: datetime
    user: object
    subject: str
    action: str
    reason: str
    fields: list[FieldChange] = field(default_factory=list)


def _shown_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


def _display(model_field, value, municipalities) -> str:
    if value is None or value == "":
        return "–"
    if model_field.name == "municipality":
        return municipalities.get(value, str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return format_points(value)
    return Truncator(str(value)).chars(TEXT_PREVIEW_LENGTH)


def _records(model, **filters):
    return list(
        model.history.filter(**filters)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def _value(record, model_field):
    return getattr(record, model_field.attname)


def evaluation_changes(evaluation: Evaluation) -> list[Change]:
    """Every recorded change, newest first."""
    area_results = _records(AreaResult, evaluation_id=evaluation.pk)
    area_of_result = {r.id: r.area_id for r in area_results}
    groups = {
        Evaluation: _records(Evaluation, id=evaluation.pk),
        AreaResult: area_results,
        QuestionScore: _records(QuestionScore, evaluation_id=evaluation.pk),
        AreaPoint: _records(AreaPoint, area_result_id__in=list(area_of_result)),
    }
    area_numbers = dict(Area.objects.values_list("pk", "number"))
    question_codes = dict(Question.objects.values_list("pk", "code"))
    municipality_ids = {r.municipality_id for r in groups[Evaluation]}
    municipalities = {m.pk: str(m) for m in Municipality.objects.filter(pk__in=municipality_ids)}

    def subject(model, record) -> str:
        if model is Evaluation:
            return _("Utvärderingen")
        if model is AreaResult:
            return _("Område %(n)s") % {"n": area_numbers.get(record.area_id)}
        if model is QuestionScore:
            return _("Delfråga %(code)s") % {"code": question_codes.get(record.question_id)}
        kind = dict(AreaPoint.Kind.choices)[record.kind]
        return _("%(kind)s %(position)s, område %(n)s") % {
            "kind": kind,
            "position": record.position,
            "n": area_numbers.get(area_of_result.get(record.area_result_id)),
        }

    changes = []
    for model, records in groups.items():
        fields = _shown_fields(model)
        previous_of = {}
        by_row = defaultdict(list)
        for record in records:
            by_row[record.id].append(record)
        for row in by_row.values():
            for before, record in zip([None, *row], row, strict=False):
                previous_of[record.history_id] = before
        for record in records:
            before = previous_of[record.history_id]
            field_changes = []
            for model_field in fields:
                new = _value(record, model_field)
                old = _value(before, model_field) if before is not None else None
                if record.history_type == "-" or (before is not None and old == new):
                    continue
                if before is None and new in (None, "", [], {}):
                    continue
                field_changes.append(
                    FieldChange(
                        capfirst(str(model_field.verbose_name)),
                        _display(model_field, old, municipalities) if before else "",
                        _display(model_field, new, municipalities),
                    )
                )
            reason = record.history_change_reason or ""
            if record.history_type == "~" and not field_changes and not reason:
                continue
            changes.append(
                Change(
                    when=record.history_date,
                    user=record.history_user,
                    subject=subject(model, record),
                    action=ACTIONS[record.history_type],
                    reason=reason,
                    fields=field_changes,
                )
            )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes
