"""Admin pages beside the change form: version choice, publish, unpublish, report upload."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import importing, review, upload_many, upload_preview, workflow
from .forms import ErrorSummaryMixin, ReasonField
from .models import Evaluation, FrameworkVersion

# Below the import's own limit (importing.MAX_REPORT_BYTES, 2 MB): the preview sends the text
# back on confirmation, and the site takes no request over 2 MB (settings.MAX_REQUEST_BYTES).
MAX_UPLOAD_BYTES = 1024 * 1024
MAX_UPLOAD_FILES = 20


def _context(model_admin, request, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        **extra,
    }


def _change_url(evaluation: Evaluation) -> str:
    return reverse("admin:evaluations_evaluation_change", args=[evaluation.pk])


def _evaluation_or_404(model_admin, request, object_id) -> Evaluation:
    evaluation = model_admin.get_object(request, unquote(object_id))
    if evaluation is None:
        raise Http404(_("Utvärderingen finns inte."))
    return evaluation


def chosen_framework(request) -> FrameworkVersion | None:
    code = request.GET.get("version", "")
    return FrameworkVersion.objects.filter(code=code).first() if code else None


def choose_framework(model_admin, request):
    """Before a new evaluation or reference mean: which framework version it follows."""
    return TemplateResponse(
        request,
        "admin/evaluations/choose_framework.html",
        _context(
            model_admin,
            request,
            title=_("Välj ramverksversion"),
            versions=FrameworkVersion.objects.order_by("-year"),
            unknown=bool(request.GET.get("version")),
            question=model_admin.version_question,
        ),
    )


# --- Workflow ----------------------------------------------------------------------------------


def publish(model_admin, request, object_id):
    evaluation = _evaluation_or_404(model_admin, request, object_id)
    if not workflow.can_publish(request.user):
        raise PermissionDenied
    if evaluation.is_published:
        messages.info(
            request, _("%(evaluation)s är redan publicerad.") % {"evaluation": evaluation}
        )
        return redirect(_change_url(evaluation))
    problems = workflow.publish_problems(evaluation, user=request.user)
    if request.method == "POST" and not problems:
        workflow.publish(evaluation, user=request.user)
        messages.success(request, _("%(evaluation)s är publicerad.") % {"evaluation": evaluation})
        return redirect(_change_url(evaluation))
    public = review.last_public(evaluation)
    return TemplateResponse(
        request,
        "admin/evaluations/evaluation/publish.html",
        _context(
            model_admin,
            request,
            title=_("Publicera %(evaluation)s") % {"evaluation": evaluation},
            original=evaluation,
            problems=problems,
            sections=review.differences(public, review.state_of(evaluation)),
            was_public=public is not None,
        ),
    )


class UnpublishForm(ErrorSummaryMixin, forms.Form):
    reason = ReasonField(
        label=gettext_lazy("Anledning"),
        help_text=gettext_lazy("Sparas i historiken och visas på utvärderingen."),
        error_messages={"required": gettext_lazy("Ange varför utvärderingen avpubliceras.")},
    )


def unpublish(model_admin, request, object_id):
    evaluation = _evaluation_or_404(model_admin, request, object_id)
    if not workflow.can_publish(request.user):
        raise PermissionDenied
    if not evaluation.is_published:
        messages.info(
            request, _("%(evaluation)s är redan ett utkast.") % {"evaluation": evaluation}
        )
        return redirect(_change_url(evaluation))
    if evaluation.is_stated:
        messages.error(request, workflow.stated_follows_message(evaluation))
        return redirect(_change_url(evaluation))
    form = UnpublishForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        workflow.unpublish(evaluation, reason=form.cleaned_data["reason"], user=request.user)
        messages.success(
            request,
            _("%(evaluation)s är avpublicerad och är nu ett utkast.") % {"evaluation": evaluation},
        )
        return redirect(_change_url(evaluation))
    return TemplateResponse(
        request,
        "admin/evaluations/evaluation/unpublish.html",
        _context(
            model_admin,
            request,
            title=_("Avpublicera %(evaluation)s") % {"evaluation": evaluation},
            original=evaluation,
            form=form,
        ),
    )


# --- Report upload -----------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReportFilesField(forms.FileField):
    """One or more report files (Django's documented way to take several in one field)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = (data if isinstance(data, list | tuple) else [data]) or [None]
        return [super(ReportFilesField, self).clean(file, initial) for file in files]


class ReportUploadForm(ErrorSummaryMixin, forms.Form):
    report = ReportFilesField(
        label=gettext_lazy("Rapportfiler"),
        help_text=gettext_lazy(
            "Texten ur rapportens PDF, som textfil (UTF-8); en eller flera (högst %(count)s, "
            "1 MB sammanlagt). Inget sparas förrän du har granskat det inlästa och bekräftat."
        )
        % {"count": MAX_UPLOAD_FILES},
        error_messages={"required": gettext_lazy("Välj en rapportfil.")},
    )

    def clean_report(self):
        """[(name, text)] of the files, in the order chosen; every file's error at once."""
        uploads = self.cleaned_data["report"]
        if len(uploads) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(
                _("Välj högst %(count)s filer åt gången.") % {"count": MAX_UPLOAD_FILES}
            )
        if sum(upload.size for upload in uploads) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 1 MB)."))
        files, errors = [], []
        for upload in uploads:
            try:
                files.append((upload.name, importing.decode_report(upload.read())))
            except importing.ReportImportError as error:
                errors.append(f"{upload.name}: {error}" if len(uploads) > 1 else str(error))
        if errors:
            raise forms.ValidationError(errors)
        return files


class ReportConfirmForm(forms.Form):
    """The uploaded text again, carried by the preview page so that nothing is kept on the server
    between preview and confirmation; it is parsed and checked again on confirmation."""

    text = forms.CharField(
        strip=False,
        max_length=MAX_UPLOAD_BYTES,
        widget=forms.Textarea(attrs={"hidden": True}),
    )
    filename = forms.CharField(max_length=255, widget=forms.HiddenInput)
    version = forms.ChoiceField(
        label=gettext_lazy("Ramverksversion"),
        required=False,
        help_text=gettext_lazy(
            "Välj en annan version än rapportens egen bara om rapporten är fel; valet sparas i "
            "historiken."
        ),
    )
    # The version the page shows: a draft is only created from what staff have seen.
    previewed_version = forms.CharField(required=False, widget=forms.HiddenInput)
    keep_stated = forms.BooleanField(
        label=gettext_lazy("Spara den förra utvärderingens resultat som uppgift ur rapporten"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = FrameworkVersion.objects.values_list("code", flat=True)
        self.fields["version"].choices = [("", _("– välj –"))] + [(c, c) for c in codes]


def _parse(text: str, *, version: str | None = None, keep_stated: bool = True):
    """The parsed report (its framework version possibly undecided) and what storing it does,
    or raise ReportImportError with a message for staff."""
    try:
        parsed = importing.parse(text, reference=importing.load_reference(), version=version)
    except importing.VersionUndecidedError as error:
        parsed = error.parsed
    existing = (
        Evaluation.objects.live()
        .filter(municipality__code=parsed.municipality_code, year=parsed.year)
        .exclude(origin=Evaluation.Origin.STATED)
        .first()
    )
    if existing is not None and existing.is_published:
        raise importing.ReportImportError(
            _(
                "Det finns redan en publicerad utvärdering av %(evaluation)s. Ändra den i "
                "stället; den kan inte ersättas med en uppladdning."
            )
            % {"evaluation": existing}
        )
    if existing is not None:
        raise importing.ReportImportError(
            _(
                "Det finns redan en utvärdering av %(evaluation)s (utkast). Ändra den i "
                "stället, eller ta bort utkastet först."
            )
            % {"evaluation": existing}
        )
    return parsed, importing.plan(parsed, keep_stated=keep_stated)


def _preview(request, context, name: str, text: str, *, version=None, keep_stated=True, **notes):
    """The preview page of the uploaded text, parsed with the version staff chose, if any."""
    parsed, plan = _parse(text, version=version, keep_stated=keep_stated)
    # Shown with its box unticked where staff dropped it, so that they may take it back.
    stated = plan.stated if keep_stated else importing.plan(parsed).stated
    confirm = ReportConfirmForm(
        initial={
            "text": text,
            "filename": name,
            "version": parsed.framework_version or "",
            "previewed_version": parsed.framework_version or "",
            "keep_stated": keep_stated,
        }
    )
    return TemplateResponse(
        request,
        "admin/evaluations/evaluation/upload_preview.html",
        {
            **context,
            "title": _("Granska den inlästa rapporten"),
            "parsed": parsed,
            "plan": plan,
            "stated": stated,
            "filename": name,
            "confirm": confirm,
            "version_note": upload_preview.version_note(parsed=parsed),
            "summary_lines": upload_preview.first_lines(parsed.summary)[0],
            "areas": upload_preview.area_previews(parsed=parsed),
            **notes,
        },
    )


def _confirmed(request, context, confirm: ReportConfirmForm):
    """The draft from a confirmed preview; the preview again where staff asked for it, where the
    version they chose is not the one shown, or where none is chosen and the report decides
    none."""
    name = confirm.cleaned_data["filename"]
    text = importing.normalise_line_breaks(confirm.cleaned_data["text"])
    keep_stated = confirm.cleaned_data["keep_stated"]
    version = confirm.cleaned_data["version"] or None
    shown = confirm.cleaned_data["previewed_version"] or None
    if "confirm" not in request.POST or version != shown:
        notice = _(
            "Förhandsgranskningen visar nu ramverksversion %(version)s; granska och bekräfta."
        )
        return _preview(
            request,
            context,
            name,
            text,
            version=version,
            keep_stated=keep_stated,
            notice=notice % {"version": version} if version else "",
        )
    parsed, _plan = _parse(text, version=version, keep_stated=keep_stated)
    if parsed.framework_version is None:
        return _preview(
            request,
            context,
            name,
            text,
            keep_stated=keep_stated,
            error=_("Välj ramverksversion: rapporten avgör den inte."),
        )
    evaluation = importing.store(
        parsed,
        source_file=name,
        keep_stated=keep_stated,
        user=request.user,
    )
    messages.success(
        request,
        _("%(evaluation)s är inläst som utkast. Granska den och publicera.")
        % {"evaluation": evaluation},
    )
    return redirect(_change_url(evaluation))


def upload(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = _context(model_admin, request, title=_("Ladda upp en rapport"))
    form = ReportUploadForm()
    if request.method == "POST" and "rapport-TOTAL_FORMS" in request.POST:
        return upload_many.confirmed(request, context)
    if request.method == "POST" and "text" in request.POST:
        confirm = ReportConfirmForm(request.POST)
        if confirm.is_valid():
            try:
                return _confirmed(request, context, confirm)
            except importing.ReportImportError as error:
                messages.error(request, str(error))
        else:
            messages.error(
                request, _("Förhandsgranskningen kunde inte läsas; ladda upp filen igen.")
            )
    elif request.method == "POST":
        form = ReportUploadForm(request.POST, request.FILES)
        if form.is_valid() and len(form.cleaned_data["report"]) > 1:
            return upload_many.preview(request, context, form.cleaned_data["report"])
        if form.is_valid():
            ((name, text),) = form.cleaned_data["report"]
            try:
                return _preview(request, context, name, text)
            except importing.ReportImportError as error:
                form.add_error("report", str(error))
    return TemplateResponse(
        request, "admin/evaluations/evaluation/upload.html", {**context, "form": form}
    )
