"""Staff forms: an evaluation with its areas and sub-question scores; a reference mean.

The sub-question grid and the area rows are formsets held by the evaluation's ModelForm, so the
admin validates and saves them with the evaluation, in its transaction: a form with an error
saves nothing. Rows carry their question or area as a hidden id, never typed; the server checks
that each belongs to the evaluation's framework version and appears once.
"""

import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import (
    AREA_COUNT,
    AREA_MAX_POINTS,
    FIRST_YEAR,
    LAST_YEAR,
    TOTAL_MAX_POINTS,
    Area,
    AreaListItem,
    AreaResult,
    Evaluation,
    FrameworkVersion,
    Question,
    QuestionScore,
    ReferenceMean,
    ReferenceMeanArea,
    has_one_decimal,
)
from .workflow import REASON_MAX_LENGTH, REASON_TOO_LONG

# Each printed sub-question score may be rounded by up to half a point, and so may the printed
# area total: an area total further from the sum than that contradicts its sub-questions.
ROUNDING = Decimal("0.5")
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
    if value is None:
        return
    if not 0 <= value <= maximum:
        raise ValidationError(
            _("%(what)s: poängen måste ligga mellan 0 och %(max)s."),
            params={"what": what, "max": maximum},
            code="range",
        )
    if not has_one_decimal(value):
        raise ValidationError(
            _("%(what)s: ange poäng med högst en decimal."), params={"what": what}, code="decimals"
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

    def clean(self):
        cleaned = super().clean()
        question = cleaned.get("question")
        if question is not None and "points" in cleaned:
            what = _("Delfråga %(code)s") % {"code": question.code}
            try:
                check_points(cleaned["points"], question.max_points, what=what)
            except ValidationError as error:
                self.add_error("points", error)
        return cleaned


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

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("area")
        if area is None:
            return cleaned
        for name in ("points", "header_points"):
            try:
                check_points(
                    cleaned.get(name), AREA_MAX_POINTS, what=_("Område %(n)s") % {"n": area.number}
                )
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned


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
        values = [parse_number(f["points"].value()) for f in self.score_forms]
        values = [v for v in values if v is not None]
        return sum(values) if values else None

    @property
    def scores_sum_display(self) -> str:
        return format_points(self.scores_sum)

    @property
    def points(self) -> Decimal | None:
        entered = parse_number(self.form["points"].value())
        return entered if entered is not None else self.scores_sum


class EvaluationForm(forms.ModelForm):
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
    change_reason = forms.CharField(
        label=_("Anledning till ändringen"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        error_messages={"max_length": REASON_TOO_LONG},
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
        points = [block.points for block in self.blocks]
        points = [p for p in points if p is not None]
        return format_points(sum(points)) if points else "–"

    # Validation -----------------------------------------------------------------------------

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValidationError(
                _("Utvärderingsåret måste ligga mellan %(first)s och %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return year

    def clean_month(self):
        month = self.cleaned_data.get("month")
        if month is not None and not 1 <= month <= 12:
            raise ValidationError(_("Ange månaden som ett tal från 1 till 12."))
        return month

    def clean_ordinal(self):
        ordinal = self.cleaned_data.get("ordinal")
        if ordinal is not None and ordinal < 1:
            raise ValidationError(_("Ange 1 för kommunens första utvärdering, 2 för den andra …"))
        return ordinal

    def clean_printed_total(self):
        total = self.cleaned_data.get("printed_total")
        check_points(total, TOTAL_MAX_POINTS, what=_("Totalpoängen"))
        return total

    def clean(self):
        cleaned = super().clean()
        municipality, year = cleaned.get("municipality"), cleaned.get("year")
        if municipality is not None and year is not None:
            others = Evaluation.objects.filter(municipality=municipality, year=year)
            if others.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "year",
                    _("Det finns redan en utvärdering av %(municipality)s %(year)s.")
                    % {"municipality": municipality, "year": year},
                )
        previous = cleaned.get("previous_year")
        if previous is not None and year is not None and previous >= year:
            self.add_error(
                "previous_year",
                _("Den föregående utvärderingen måste vara från ett tidigare år än %(year)s.")
                % {"year": year},
            )
        reason = cleaned.get("change_reason", "")
        if self.instance.pk and self.instance.is_published and not reason:
            self.add_error("change_reason", _("Ange varför en publicerad utvärdering ändras."))
        areas_valid, scores_valid = self.areas.is_valid(), self.scores.is_valid()
        rows_identified = not (self.areas.non_form_errors() or self.scores.non_form_errors())
        # Rows with an error of their own count as not given, so a contradicting area total is
        # reported together with them.
        if rows_identified and not self._area_totals_agree():
            areas_valid = False
        if rows_identified and self.instance.is_published and not self._published_areas_scored():
            areas_valid = False
        if not (areas_valid and scores_valid):
            raise ValidationError(_("Rätta felen under ”Områden och delfrågor” nedan."))
        self.instance._change_reason = reason
        return cleaned

    def _given_scores(self) -> dict[int, list[tuple[Question, Decimal]]]:
        given = defaultdict(list)
        for form in self.scores.forms:
            if form.errors:
                continue
            question, points = form.cleaned_data.get("question"), form.cleaned_data.get("points")
            if question is not None and points is not None:
                given[question.area_id].append((question, points))
        return given

    def _published_areas_scored(self) -> bool:
        """A published evaluation keeps a score in every area (as publishing demands)."""
        complete = self._complete_sums()
        missing = False
        for form in self.areas.forms:
            area = form.cleaned_data.get("area")
            if area is None or form.errors:
                continue
            if form.cleaned_data.get("points") is None and area.pk not in complete:
                missing = True
                form.add_error(
                    "points",
                    _(
                        "Område %(number)s: en publicerad utvärdering behöver poäng i varje "
                        "område. Avpublicera den först om poängen ska tas bort."
                    )
                    % {"number": area.number},
                )
        return not missing

    def _area_totals_agree(self) -> bool:
        given = self._given_scores()
        contradictions = False
        for form in self.areas.forms:
            area, points = form.cleaned_data.get("area"), form.cleaned_data.get("points")
            scores = given.get(area.pk if area else None)
            if points is None or not scores:
                continue
            total = sum(p for _q, p in scores)
            scored = {q.pk for q, _p in scores}
            open_max = sum(
                q.max_points
                for q in self.version_questions
                if q.area_id == area.pk and q.pk not in scored
            )
            tolerance = ROUNDING * (len(scores) + 1)
            if points < total - tolerance or points > total + open_max + tolerance:
                contradictions = True
                form.add_error(
                    "points",
                    _(
                        "Område %(number)s: områdets poäng %(points)s stämmer inte med "
                        "delfrågornas summa %(sum)s."
                    )
                    % {
                        "number": area.number,
                        "points": format_points(points),
                        "sum": format_points(total),
                    },
                )
        return not contradictions

    # Saving ---------------------------------------------------------------------------------

    def _save_m2m(self):
        super()._save_m2m()
        reason = self.cleaned_data.get("change_reason", "")
        sums = self._complete_sums()
        results = {
            r.area_id: r
            for r in AreaResult.objects.filter(evaluation=self.instance).prefetch_related(
                "list_items"
            )
        }
        for form in self.areas.forms:
            self._save_area(
                form.cleaned_data, results.get(form.cleaned_data["area"].pk), sums, reason
            )
        self._save_scores(reason)

    def _complete_sums(self) -> dict[int, Decimal]:
        """The sum of the sub-questions of each area whose sub-questions are all given."""
        given = self._given_scores()
        counts = defaultdict(int)
        for question in self.version_questions:
            counts[question.area_id] += 1
        return {
            area_id: sum(p for _q, p in scores)
            for area_id, scores in given.items()
            if len(scores) == counts[area_id]
        }

    def _save_area(self, data, result, sums, reason):
        area = data["area"]
        points = data["points"] if data["points"] is not None else sums.get(area.pk)
        values = {"points": points, "header_points": data["header_points"], "text": data["text"]}
        current = [] if result is None else list(result.list_items.all())
        if result is None:
            if not any(v not in (None, "") for v in values.values()) and not (
                data["strengths"] or data["improvements"] or data["weaknesses"]
            ):
                return
            result = AreaResult(evaluation=self.instance, area=area)
        if result.pk is None or any(getattr(result, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(result, name, value)
            result._change_reason = reason
            result.save()
        for kind, texts in (
            (AreaListItem.Kind.STRENGTH, data["strengths"]),
            (AreaListItem.Kind.IMPROVEMENT, data["improvements"]),
            (AreaListItem.Kind.WEAKNESS, data["weaknesses"]),
        ):
            existing = sorted((p for p in current if p.kind == kind), key=lambda p: p.position)
            self._save_points(result, kind, existing, texts, reason)

    @staticmethod
    def _save_points(result, kind, existing, texts, reason):
        """Keep each item's row where it stays, so the history shows what changed in place."""
        for point in existing[len(texts) :]:
            point._change_reason = reason
            point.delete()
        for position, text in enumerate(texts, start=1):
            point = existing[position - 1] if position <= len(existing) else None
            if point is None:
                point = AreaListItem(area_result=result, kind=kind)
            elif point.text == text and point.position == position:
                continue
            point.position, point.text, point._change_reason = position, text, reason
            point.save()

    def _save_scores(self, reason):
        existing = {
            s.question_id: s for s in QuestionScore.objects.filter(evaluation=self.instance)
        }
        for form in self.scores.forms:
            question, points = form.cleaned_data["question"], form.cleaned_data.get("points")
            score = existing.get(question.pk)
            if points is None:
                if score is not None:
                    score._change_reason = reason
                    score.delete()
                continue
            if score is None:
                score = QuestionScore(evaluation=self.instance, question=question)
            elif score.points == points:
                continue
            score.points, score._change_reason = points, reason
            score.save()


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
