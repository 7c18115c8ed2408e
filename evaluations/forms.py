"""Staff forms: an evaluation with its areas and sub-question scores; a reference mean.

The sub-question grid and the area rows are formsets held by the evaluation's ModelForm. The
form displays and validates; the rules are the models' and ``evaluations.rules``', reached
through the write service (``writing.content_problems``), and the admin saves what the form
gives (``form.content``) through ``writing.save_evaluation``. Rows carry their question or area
as a hidden id, never typed; the server checks that each belongs to the evaluation's framework
version and appears once.
"""

import dataclasses
import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from . import rules, writing
from .models import (
    AREA_COUNT,
    AREA_MAX_POINTS,
    REASON_MAX_LENGTH,
    Area,
    AreaListItem,
    AreaResult,
    Evaluation,
    FrameworkVersion,
    Question,
    QuestionScore,
    ReferenceMean,
    ReferenceMeanArea,
)
from .workflow import REASON_TOO_LONG

MAX_ROWS = 200
BULLET_RE = re.compile(r"^(?:[•·▪◦*\-–]\s+)")


def format_points(value: Decimal | None) -> str:
    """10.8 -> "10,8", 47.0 -> "47": as printed in the reports."""
    if value is None:
        return "–"
    return format(value.normalize(), "f").replace(".", ",")


def parse_number(value) -> Decimal | None:
    """A number typed by staff ("10,8", "10.8"), or None; for display, never for validation."""
    try:
        number = Decimal(str(value).strip().replace(",", ".").replace("\xa0", "").replace(" ", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def plain(value: Decimal | None) -> Decimal | None:
    """47.0 -> 47 and 10.8 -> 10.8, so that a form shows points as the reports print them."""
    if value is None or value != value.to_integral_value():
        return value
    return value.quantize(Decimal(1))


def check_points(value: Decimal | None, maximum: int, *, what: str) -> None:
    """A reference mean's area value (reference means are not evaluations: no write service)."""
    problem = rules.points_problem(value, maximum)
    if problem:
        raise ValidationError(
            _("%(what)s: %(problem)s"), params={"what": what, "problem": problem}, code="range"
        )


class PointsField(forms.DecimalField):
    """Points as staff type them: "10,8" or "10.8"; range and decimals checked by the form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "error_messages",
            {"invalid": _("Ange poängen som ett tal, till exempel 12 eller 10,8.")},
        )
        super().__init__(localize=True, **kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "size": 5}


class TextField(forms.CharField):
    """Free text with the browser's CRLF line breaks stored as LF, as the importer stores them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 6}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")


class ListField(TextField):
    """Strengths or improvement points: one per line, in order; bullets and blank lines dropped."""

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return list(value)
        lines = (
            BULLET_RE.sub("", line.strip()).strip() for line in super().to_python(value).split("\n")
        )
        return [line for line in lines if line]

    def has_changed(self, initial, data):
        return self.to_python(initial or []) != self.to_python(data)


class _Form(Protocol):
    fields: dict[str, forms.Field]

    @property
    def errors(self) -> ErrorDict: ...

    def __getitem__(self, name: str) -> BoundField: ...


class ErrorSummaryMixin:
    """`error_summary`: each error with the id of its field, for the list at the top of the
    page that links to them (the field's own message stays beside it)."""

    def error_summary(self: _Form) -> list[tuple[str, str]]:
        items = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            anchor = self[name].auto_id if field is not None else "error-summary"
            label = f"{field.label}: " if field is not None and field.label else ""
            items += [(anchor, f"{label}{error}") for error in errors]
        return items


class ReasonField(forms.CharField):
    """Why a change is made, kept in the history: up to REASON_MAX_LENGTH characters, with a
    counter as staff type (js/admin-reason-counter.js)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", REASON_MAX_LENGTH)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        messages = {"max_length": REASON_TOO_LONG, **kwargs.pop("error_messages", {})}
        super().__init__(error_messages=messages, **kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "data-counter-text": _("{count} av {limit} tecken"),
        }


class ReasonForm(ErrorSummaryMixin, forms.Form):
    reason = ReasonField(
        label=_("Anledning"),
        help_text=_("Sparas i historiken."),
        error_messages={"required": _("Ange en anledning.")},
    )


# --- Rows: one per area, one per sub-question ------------------------------------------------


class RowForm(forms.Form):
    """A row that belongs to an area or question given by a hidden id; `objects` maps ids."""

    def __init__(self, *args, objects, **kwargs):
        super().__init__(*args, **kwargs)
        self.objects = objects
        self.fields[self.id_field].error_messages["invalid"] = self.unknown_message

    @property
    def target(self):
        """The area or question of this row, bound or not (for display); None if unknown."""
        try:
            return self.objects.get(int(self[self.id_field].value()))
        except (TypeError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        if self.id_field in cleaned:
            target = self.objects.get(cleaned[self.id_field])
            if target is None:
                del cleaned[self.id_field]
                raise ValidationError(self.unknown_message)
            cleaned[self.id_field] = target
        return cleaned


class ScoreForm(RowForm):
    id_field = "question"
    unknown_message = _("Okänd delfråga.")

    question = forms.IntegerField(widget=forms.HiddenInput)
    points = PointsField(label=_("Poäng"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        question = self.target
        if question is not None:
            self.fields["points"].widget.attrs.update(
                {
                    "class": "score-points",
                    "data-code": question.code,
                    "data-max": question.max_points,
                }
            )


class AreaForm(RowForm):
    id_field = "area"
    unknown_message = _("Okänt område.")

    area = forms.IntegerField(widget=forms.HiddenInput)
    points = PointsField(
        label=_("Områdets poäng"),
        help_text=_(
            "Översiktstabellens summa för området. Lämnas fältet tomt räknas summan av "
            "delfrågorna, när alla är ifyllda."
        ),
    )
    header_points = PointsField(
        label=_("Poäng i områdesrubriken"),
        help_text=_("Fyll i om rubriken anger en annan poäng än tabellen."),
    )
    text = TextField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    strengths = ListField(label=_("Styrkor"), help_text=_("En per rad, i rapportens ordning."))
    improvements = ListField(
        label=_("Förbättringsmöjligheter"), help_text=_("En per rad, i rapportens ordning.")
    )
    weaknesses = ListField(
        label=_("Svagheter"),
        help_text=_("En per rad, i rapportens ordning (många rapporter enligt version 2010)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].widget.attrs["class"] = "area-points"


class RowFormSet(forms.BaseFormSet):
    """Rows of one framework version: each row's area or question of that version, once."""

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework

    def clean(self):
        seen, errors = set(), []
        for form in self.forms:
            target = getattr(form, "cleaned_data", {}).get(form.id_field)
            if target is None:
                continue
            if self.framework_of(target) != self.framework:
                errors.append(self.other_version_message(target))
            elif target.pk in seen:
                errors.append(self.twice_message(target))
            seen.add(target.pk)
        if errors:
            raise ValidationError(errors)


class ScoreFormSet(RowFormSet):
    def framework_of(self, question):
        return question.area.framework

    def other_version_message(self, question):
        return _(
            "Delfråga %(code)s hör till ramverksversion %(other)s, men utvärderingen följer "
            "version %(version)s."
        ) % {"code": question.code, "other": question.area.framework, "version": self.framework}

    def twice_message(self, question):
        return _("Delfråga %(code)s är angiven två gånger.") % {"code": question.code}


class AreaFormSet(RowFormSet):
    def framework_of(self, area):
        return area.framework

    def other_version_message(self, area):
        return _(
            "Område %(number)s (%(title)s) hör till ramverksversion %(other)s, men utvärderingen "
            "följer version %(version)s."
        ) % {
            "number": area.number,
            "title": area.title,
            "other": area.framework,
            "version": self.framework,
        }

    def twice_message(self, area):
        return _("Område %(number)s är angivet två gånger.") % {"number": area.number}


def row_formset(form, formset):
    return forms.formset_factory(
        form, formset=formset, extra=0, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
    )


def question_order(question: Question) -> tuple:
    return (
        question.area.number,
        *(int(part) for part in question.code.split(".") if part.isdigit()),
    )


# --- The evaluation ----------------------------------------------------------------------------


class AreaBlock:
    """One area in the grid: its form, its sub-question rows and the sums shown beside them."""

    def __init__(self, area, form, score_forms):
        self.area, self.form, self.score_forms = area, form, score_forms

    @property
    def scores_sum(self) -> Decimal | None:
        given = (parse_number(f["points"].value()) for f in self.score_forms)
        values = [v for v in given if v is not None]
        return sum(values, Decimal(0)) if values else None

    @property
    def scores_sum_display(self) -> str:
        return format_points(self.scores_sum)

    @property
    def points(self) -> Decimal | None:
        entered = parse_number(self.form["points"].value())
        return entered if entered is not None else self.scores_sum


class EvaluationForm(ErrorSummaryMixin, forms.ModelForm):
    """The header fields; `areas` and `scores` hold the per-area rows and the sub-question grid.

    The admin sets `framework` (for a new evaluation: the version chosen before the form) and
    `read_only` (someone who may only view it)."""

    framework: FrameworkVersion | None = None
    read_only = False

    printed_total = PointsField(
        label=_("Totalpoäng i rapporttexten"),
        help_text=_("Totalen som rapporten skriver ut, om den gör det."),
    )
    summary = TextField(
        label=_("Sammanfattande kommentarer"), widget=forms.Textarea(attrs={"rows": 10})
    )
    change_reason = ReasonField(
        label=_("Anledning till ändringen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sparas i historiken. Krävs när en publicerad utvärdering ändras."),
    )

    class Meta:
        model = Evaluation
        fields = [
            "municipality",
            "year",
            "month",
            "report_date",
            "ordinal",
            "previous_year",
            "interviewed",
            "evaluators",
            "printed_total",
            "summary",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.framework = self.framework
        version = self.instance.framework
        areas = {area.pk: area for area in Area.objects.select_related("framework")}
        questions = {q.pk: q for q in Question.objects.select_related("area__framework")}
        self.version_areas = sorted(
            (a for a in areas.values() if a.framework_id == version.pk), key=lambda a: a.number
        )
        self.version_questions = sorted(
            (q for q in questions.values() if q.area.framework_id == version.pk), key=question_order
        )
        area_initial, score_initial = self._initial_rows()
        data = self.data if self.is_bound else None
        self.areas = row_formset(AreaForm, AreaFormSet)(
            data,
            prefix="omrade",
            initial=area_initial,
            form_kwargs={"objects": areas},
            framework=version,
        )
        self.scores = row_formset(ScoreForm, ScoreFormSet)(
            data,
            prefix="delfraga",
            initial=score_initial,
            form_kwargs={"objects": questions},
            framework=version,
        )
        if self.read_only:
            for form in (*self.areas.forms, *self.scores.forms):
                for field in form.fields.values():
                    field.disabled = True

    def _initial_rows(self):
        results, scores = {}, {}
        if self.instance.pk:
            results = {
                r.area_id: r
                for r in AreaResult.objects.filter(evaluation=self.instance).prefetch_related(
                    "list_items"
                )
            }
            scores = {
                s.question_id: plain(s.points)
                for s in QuestionScore.objects.filter(evaluation=self.instance)
            }
        area_rows = []
        for area in self.version_areas:
            row = {"area": area.pk}
            result = results.get(area.pk)
            if result is not None:
                points = sorted(result.list_items.all(), key=lambda p: p.position)
                row.update(
                    points=plain(result.points),
                    header_points=plain(result.header_points),
                    text=result.text,
                    strengths=[p.text for p in points if p.kind == AreaListItem.Kind.STRENGTH],
                    improvements=[
                        p.text for p in points if p.kind == AreaListItem.Kind.IMPROVEMENT
                    ],
                    weaknesses=[p.text for p in points if p.kind == AreaListItem.Kind.WEAKNESS],
                )
            area_rows.append(row)
        score_rows = [
            {"question": q.pk, "points": scores.get(q.pk)} for q in self.version_questions
        ]
        return area_rows, score_rows

    # Display ------------------------------------------------------------------------------

    @cached_property
    def blocks(self) -> list[AreaBlock]:
        by_area = defaultdict(list)
        for form in self.scores.forms:
            question = form.target
            by_area[question.area_id if question else None].append(form)
        blocks, self.stray_forms = [], []
        for form in self.areas.forms:
            area = form.target
            if area is None:
                self.stray_forms.append(form)
            else:
                blocks.append(AreaBlock(area, form, by_area.pop(area.pk, [])))
        # Rows whose area or question is unknown or of another version (a tampered form).
        self.stray_forms += [f for forms_ in by_area.values() for f in forms_]
        return blocks

    @property
    def areas_total_display(self) -> str:
        points = [block.points for block in self.blocks if block.points is not None]
        return format_points(sum(points, Decimal(0))) if points else "–"

    def error_summary(self) -> list[tuple[str, str]]:
        """The header's errors, then each row's, linked to the row's field."""
        items = [(a, m) for a, m in super().error_summary() if a != "error-summary"]
        for formset in (self.areas, self.scores):
            items += [("evaluation-grid", str(error)) for error in formset.non_form_errors()]
            for form in formset.forms:
                for name, errors in form.errors.items():
                    anchor = form[name].auto_id if name in form.fields else "evaluation-grid"
                    items += [(anchor, str(error)) for error in errors]
        return items

    # Validation -----------------------------------------------------------------------------

    def _get_validation_exclusions(self):
        # The trash flag is no field of the form, but the one-per-year rule counts only
        # evaluations outside the trash: the model's constraint must still be checked.
        return super()._get_validation_exclusions() - {"deleted_at"}

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("change_reason", "")
        if self.instance.pk and self.instance.is_published and not reason:
            self.add_error("change_reason", _("Ange varför en publicerad utvärdering ändras."))
        areas_valid, scores_valid = self.areas.is_valid(), self.scores.is_valid()
        if self.areas.non_form_errors() or self.scores.non_form_errors():
            raise ValidationError(_("Rätta felen under ”Områden och delfrågor” nedan."))
        # Rows with an error of their own count as not given, so that the rules on the rest
        # (an area total against its sub-questions) are reported together with them.
        self.content = self._content()
        found = writing.content_problems(self.instance, content=self.content)
        self._add_row_problems(found)
        if found or not (areas_valid and scores_valid):
            raise ValidationError(_("Rätta felen under ”Områden och delfrågor” nedan."))
        return cleaned

    def _add_row_problems(self, found: list[writing.Problem]) -> None:
        areas = {f.cleaned_data["area"].number: f for f in self._valid(self.areas, "area")}
        scores = {f.cleaned_data["question"].code: f for f in self._valid(self.scores, "question")}
        for problem in found:
            form = scores.get(problem.code) if problem.code else areas.get(problem.area)
            if form is None:
                self.add_error(None, str(problem))
                continue
            field = problem.field if problem.field in form.fields else None
            form.add_error(field, str(dataclasses.replace(problem, label="")))

    @staticmethod
    def _valid(formset, id_field: str) -> list:
        return [f for f in formset.forms if f.cleaned_data.get(id_field) is not None]

    def _content(self) -> writing.Content:
        """What the rows say, as the write service saves it. An area left empty gets the sum of
        its sub-questions when all are given; what the form does not show (the printed figures)
        stays as it is."""
        held = writing.content_of(self.instance) if self.instance.pk else writing.Content()
        held_areas = {a.number: a for a in held.areas}
        printed = {s.code: (s.printed_points, s.printed_percent) for s in held.scores}
        scores = [
            writing.ScoreData(f.cleaned_data["question"].code, f.cleaned_data["points"])
            for f in self._valid(self.scores, "question")
            if f.cleaned_data.get("points") is not None and not f.errors
        ]
        sums = self._complete_sums(scores)
        areas = [
            self._area_data(f.cleaned_data, held_areas.get(f.cleaned_data["area"].number), sums)
            for f in self._valid(self.areas, "area")
            if not f.errors
        ]
        return writing.Content(
            areas=tuple(areas),
            scores=tuple(
                writing.ScoreData(s.code, s.points, *printed.get(s.code, (None, None)))
                for s in scores
            ),
        )

    @staticmethod
    def _area_data(data: dict, held: writing.AreaData | None, sums: dict) -> writing.AreaData:
        number = data["area"].number
        points = data["points"] if data["points"] is not None else sums.get(number)
        return writing.AreaData(
            number=number,
            points=points,
            header_points=data["header_points"],
            table_points=held.table_points if held else None,
            text=data["text"],
            strengths=tuple(data["strengths"]),
            improvements=tuple(data["improvements"]),
            weaknesses=tuple(data["weaknesses"]),
        )

    def _complete_sums(self, scores: list[writing.ScoreData]) -> dict[int, Decimal]:
        """The sum of the sub-questions of each area (by number) whose sub-questions are all
        given."""
        given: defaultdict[int, list[Decimal]] = defaultdict(list)
        counts: defaultdict[int, int] = defaultdict(int)
        by_code = {s.code: s.points for s in scores}
        for question in self.version_questions:
            counts[question.area.number] += 1
            if question.code in by_code:
                given[question.area.number].append(by_code[question.code])
        return {
            n: sum(points, Decimal(0)) for n, points in given.items() if len(points) == counts[n]
        }


# --- Reference means ---------------------------------------------------------------------------


class ReferenceAreaForm(RowForm):
    id_field = "area"
    unknown_message = _("Okänt område.")

    area = forms.IntegerField(widget=forms.HiddenInput)
    points = PointsField(label=_("Poäng"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].widget.attrs["class"] = "area-points"

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("area")
        if area is None or "points" not in cleaned:
            return cleaned
        what = _("Område %(n)s") % {"n": area.number}
        if cleaned["points"] is None:
            self.add_error("points", _("%(what)s: ange ett värde.") % {"what": what})
            return cleaned
        try:
            check_points(cleaned["points"], AREA_MAX_POINTS, what=what)
        except ValidationError as error:
            self.add_error("points", error)
        return cleaned


class ReferenceMeanForm(forms.ModelForm):
    """Name, n and source; `areas` holds the version's eight area values, pre-filled."""

    framework: FrameworkVersion | None = None
    read_only = False

    class Meta:
        model = ReferenceMean
        fields = ["name", "n", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.framework = self.framework
        version = self.instance.framework
        areas = {a.pk: a for a in Area.objects.select_related("framework")}
        current = {}
        if self.instance.pk:
            current = {r.area_id: r.points for r in self.instance.areas.all()}
        initial = [
            {"area": a.pk, "points": plain(current.get(a.pk))}
            for a in sorted(areas.values(), key=lambda a: a.number)
            if a.framework_id == version.pk
        ]
        self.areas = row_formset(ReferenceAreaForm, AreaFormSet)(
            self.data if self.is_bound else None,
            prefix="omrade",
            initial=initial,
            form_kwargs={"objects": areas},
            framework=version,
        )
        if self.read_only:
            for form in self.areas.forms:
                for field in form.fields.values():
                    field.disabled = True

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        others = ReferenceMean.objects.filter(framework=self.instance.framework, name=name)
        if name and others.exclude(pk=self.instance.pk).exists():
            self.add_error(
                "name",
                _(
                    "Det finns redan ett referensmedelvärde med namnet ”%(name)s” för "
                    "version %(version)s."
                )
                % {"name": name, "version": self.instance.framework},
            )
        if not self.areas.is_valid():
            raise ValidationError(_("Rätta områdenas värden nedan."))
        given = {form.cleaned_data["area"].pk for form in self.areas.forms}
        if len(given) != AREA_COUNT:
            raise ValidationError(
                _("Ange ett värde för vart och ett av versionens %(count)s områden.")
                % {"count": AREA_COUNT}
            )
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        current = {r.area_id: r for r in self.instance.areas.all()}
        for form in self.areas.forms:
            area, points = form.cleaned_data["area"], form.cleaned_data["points"]
            row = current.get(area.pk)
            if row is not None and row.points == points:
                continue
            row = row or ReferenceMeanArea(reference=self.instance, area=area)
            row.points = points
            row.save()
