"""An evaluation's history page: one entry per save, newest first, paginated, filtered by
person and date, and the same as CSV for audit."""

import csv
from datetime import datetime, time

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompass_site.spreadsheets import csv_cell

from . import history, workflow
from .models import Evaluation

PER_PAGE = 20


class HistoryFilter(forms.Form):
    person = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=gettext_lazy("Alla"),
    )
    start = forms.DateField(
        label=gettext_lazy("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=gettext_lazy("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def keep(self, entries: list[history.Entry]) -> list[history.Entry]:
        if not self.is_valid():
            return entries
        person, start, end = (self.cleaned_data[k] for k in ("person", "start", "end"))
        zone = timezone.get_current_timezone()
        if person is not None:
            entries = [e for e in entries if e.user == person]
        if start is not None:
            since = datetime.combine(start, time.min, tzinfo=zone)
            entries = [e for e in entries if e.when >= since]
        if end is not None:
            until = datetime.combine(end, time.max, tzinfo=zone)
            entries = [e for e in entries if e.when <= until]
        return entries


def evaluation_history(model_admin, request, evaluation: Evaluation):
    all_entries = history.entries(
        history.evaluation_changes(evaluation),
        list(evaluation.revisions.select_related("user")),
    )
    people = get_user_model().objects.filter(
        pk__in={getattr(e.user, "pk", None) for e in all_entries}
    )
    chosen = HistoryFilter(request.GET or None, people=people)
    kept = chosen.keep(all_entries)
    if request.GET.get("format") == "csv":
        return _csv(evaluation, kept)
    page = Paginator(kept, PER_PAGE).get_page(request.GET.get("sida"))
    may_revert = model_admin.has_change_permission(request, evaluation)
    for entry in page:
        entry.revertible = may_revert and entry.revision is not None and entry is not all_entries[0]
    query = request.GET.copy()
    query.pop("sida", None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": evaluation,
        "title": _("Historik: %(object)s") % {"object": evaluation},
        "page": page,
        "filter": chosen,
        "query": query.urlencode(),
        "can_see_log": workflow.can_publish(request.user),
    }
    return TemplateResponse(request, "admin/evaluations/evaluation/history.html", context)


def _csv(evaluation: Evaluation, entries: list[history.Entry]) -> HttpResponse:
    """One line per changed value, with the save it belongs to: for an audit in a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"historik-{evaluation.municipality.slug}-{evaluation.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Tid"),
            _("Användare"),
            _("Vad"),
            _("Anledning"),
            _("Del"),
            _("Rad"),
            _("Fält"),
            _("Före"),
            _("Efter"),
        ]
    )
    for entry in entries:
        who = entry.user.get_username() if isinstance(entry.user, AbstractBaseUser) else ""
        head = [entry.when.isoformat(timespec="seconds"), who, entry.action, entry.reason]
        for group, changes in entry.groups.items():
            for change in changes:
                for f in change.fields or [history.FieldChange("", "", change.action)]:
                    row = [*head, group, change.subject, f.label, f.old, f.new]
                    writer.writerow([csv_cell(value) for value in row])
        if not entry.groups:
            writer.writerow([csv_cell(value) for value in head])
    return response
