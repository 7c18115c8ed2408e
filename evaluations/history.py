"""The history of an evaluation (its own changes and those of its areas, scores and texts) and
of a reference mean (with its area values).

Read from django-simple-history's tables in a fixed number of queries, whatever the number of
changes; each record is compared with the previous record of the same row.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from os.path import commonprefix

from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import format_points
from .models import (
    Area,
    AreaListItem,
    AreaResult,
    Evaluation,
    FrameworkVersion,
    Municipality,
    Question,
    QuestionScore,
    ReferenceMean,
    ReferenceMeanArea,
    Revision,
)

# Left out: keys, timestamps, and what the subject names (the area, question, kind, position).
HIDDEN_FIELDS = {
    "id",
    "deleted_at",
    "created_at",
    "updated_at",
    "evaluation",
    "reference",
    "area_result",
    "area",
    "question",
    "kind",
    "position",
}
ACTIONS = {"+": gettext_lazy("Skapad"), "~": gettext_lazy("Ändrad"), "-": gettext_lazy("Borttagen")}
TEXT_PREVIEW_LENGTH = 80
TEXT_CONTEXT = 30
TEXT_PASSAGE_LENGTH = 240


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
    group: str = ""  # "Utvärderingen" or "Område 3": where the entry lists it
    revision_id: int | None = None


@dataclass
class Entry:
    """One save: who, when, what kind of save and why, and its changes grouped by area."""

    when: datetime
    user: object
    action: str
    reason: str
    revision: Revision | None = None
    groups: dict[str, list[Change]] = field(default_factory=dict)
    revertible: bool = False  # an earlier version that staff may go back to


def entries(changes: list[Change], revisions: list[Revision]) -> list[Entry]:
    """The changes as one entry per save (revision), newest first. Records made before
    revisions existed are grouped by who, why and the second they were made."""
    by_id: dict[int | None, Revision] = {revision.pk: revision for revision in revisions}
    found: dict = {}
    for change in changes:
        revision = by_id.get(change.revision_id)
        key = change.revision_id or (
            getattr(change.user, "pk", None),
            change.reason,
            change.when.replace(microsecond=0),
        )
        if key not in found:
            found[key] = Entry(
                when=revision.created_at if revision else change.when,
                user=revision.user if revision else change.user,
                action=revision.get_action_display() if revision else change.action,
                reason=revision.reason if revision else change.reason,
                revision=revision,
            )
        found[key].groups.setdefault(change.group, []).append(change)
    for revision in revisions:  # a save that changed no row still says who did it and why
        found.setdefault(
            revision.pk,
            Entry(
                revision.created_at,
                revision.user,
                revision.get_action_display(),
                revision.reason,
                revision,
            ),
        )
    return sorted(found.values(), key=lambda entry: entry.when, reverse=True)


def _shown_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in HIDDEN_FIELDS]


def _display(model_field, value, names) -> str:
    if value is None or value == "":
        return "–"
    if model_field.is_relation:
        return names.get(model_field.related_model, {}).get(value, str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return format_points(value)
    return Truncator(str(value)).chars(TEXT_PREVIEW_LENGTH)


def changed_passage(old: str, new: str) -> tuple[str, str]:
    """The part of a long text that changed, with a little context on each side: cutting both
    texts at the same length would hide a change made after the first words."""
    start = len(commonprefix([old, new]))
    end = len(commonprefix([old[start:][::-1], new[start:][::-1]]))

    def passage(text: str) -> str:
        first = max(0, start - TEXT_CONTEXT)
        last = min(len(text), len(text) - end + TEXT_CONTEXT)
        excerpt = Truncator(text[first:last]).chars(TEXT_PASSAGE_LENGTH)
        return ("…" if first else "") + excerpt + ("…" if last < len(text) else "")

    return passage(old), passage(new)


def _records(model, **filters):
    return list(
        model.history.filter(**filters)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def _value(record, model_field):
    return getattr(record, model_field.attname)


def _field_change(model_field, before, record, names) -> FieldChange | None:
    """How one field changed in this record; a removed row shows what it held."""
    label = capfirst(str(model_field.verbose_name))
    new = _value(record, model_field)
    if record.history_type == "-":
        if new in (None, "", [], {}):
            return None
        return FieldChange(label, _display(model_field, new, names), "–")
    if before is None:
        if new in (None, "", [], {}):
            return None
        return FieldChange(label, "", _display(model_field, new, names))
    old = _value(before, model_field)
    if old == new:
        return None
    if (
        isinstance(old, str)
        and isinstance(new, str)
        and max(len(old), len(new)) > TEXT_PREVIEW_LENGTH
    ):
        return FieldChange(label, *changed_passage(old, new))
    return FieldChange(label, _display(model_field, old, names), _display(model_field, new, names))


def evaluation_changes(evaluation: Evaluation) -> list[Change]:
    """Every recorded change, newest first."""
    area_results = _records(AreaResult, evaluation_id=evaluation.pk)
    area_of_result = {r.id: r.area_id for r in area_results}
    groups = {
        Evaluation: _records(Evaluation, id=evaluation.pk),
        AreaResult: area_results,
        QuestionScore: _records(QuestionScore, evaluation_id=evaluation.pk),
        AreaListItem: _records(AreaListItem, area_result_id__in=list(area_of_result)),
    }
    area_numbers = dict(Area.objects.values_list("pk", "number"))
    question_codes = dict(Question.objects.values_list("pk", "code"))
    municipality_ids = {r.municipality_id for r in groups[Evaluation]}
    names = {
        Municipality: {m.pk: str(m) for m in Municipality.objects.filter(pk__in=municipality_ids)},
        FrameworkVersion: dict(FrameworkVersion.objects.values_list("pk", "code")),
    }

    question_areas = dict(Question.objects.values_list("pk", "area__number"))

    def subject(model, record) -> tuple[str, str]:
        """What the record is of, and the group (the evaluation or its area) it is shown in."""
        if model is Evaluation:
            return _("Utvärderingen"), _("Utvärderingen")
        if model is AreaResult:
            number = area_numbers.get(record.area_id)
        elif model is QuestionScore:
            number = question_areas.get(record.question_id)
        else:
            result_area = area_of_result.get(record.area_result_id)
            number = area_numbers.get(result_area) if result_area is not None else None
        group = _("Område %(n)s") % {"n": number}
        if model is AreaResult:
            return group, group
        if model is QuestionScore:
            return _("Delfråga %(code)s") % {"code": question_codes.get(record.question_id)}, group
        kind = dict(AreaListItem.Kind.choices)[record.kind]
        return _("%(kind)s %(position)s") % {"kind": kind, "position": record.position}, group

    return _changes(groups, subject=subject, names=names)


def reference_mean_changes(reference: ReferenceMean) -> list[Change]:
    """Every recorded change of a reference mean and its eight area values, newest first."""
    groups = {
        ReferenceMean: _records(ReferenceMean, id=reference.pk),
        ReferenceMeanArea: _records(ReferenceMeanArea, reference_id=reference.pk),
    }
    area_numbers = dict(Area.objects.values_list("pk", "number"))

    def subject(model, record) -> tuple[str, str]:
        if model is ReferenceMean:
            return _("Referensmedelvärdet"), ""
        return _("Område %(n)s") % {"n": area_numbers.get(record.area_id)}, ""

    names = {FrameworkVersion: dict(FrameworkVersion.objects.values_list("pk", "code"))}
    return _changes(groups, subject=subject, names=names)


def _changes(groups: dict, *, subject, names: dict) -> list[Change]:
    """Each record of `groups` (model: its history records, oldest first) compared with the
    previous record of the same row, newest first."""
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
                change = _field_change(model_field, before, record, names)
                if change is not None:
                    field_changes.append(change)
            reason = record.history_change_reason or ""
            if record.history_type == "~" and not field_changes and not reason:
                continue
            what, group = subject(model, record)
            changes.append(
                Change(
                    when=record.history_date,
                    user=record.history_user,
                    subject=what,
                    action=str(ACTIONS[record.history_type]),
                    reason=reason,
                    fields=field_changes,
                    group=group,
                    revision_id=getattr(record, "revision_id", None),
                )
            )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes
