"""Several report files uploaded at once: each previewed, all created (as drafts) only on one
confirmation, and all or none."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import admin_views, importing, upload_preview
from .report_parser import ParsedReport

PREFIX = "rapport"


@dataclass(frozen=True)
class FilePreview:
    """One file of the upload: what it would create, or why it cannot."""

    filename: str
    parsed: ParsedReport | None
    warnings: list[str]
    error: str = ""

    @property
    def areas(self) -> list[upload_preview.AreaPreview]:
        """Each area's first lines and every list item, as the single upload shows them."""
        return upload_preview.area_previews(parsed=self.parsed) if self.parsed else []


def confirm_formset(**kwargs):
    formset = forms.formset_factory(
        admin_views.ReportConfirmForm,
        extra=0,
        max_num=admin_views.MAX_UPLOAD_FILES,
        absolute_max=admin_views.MAX_UPLOAD_FILES,
        validate_max=True,
    )
    return formset(prefix=PREFIX, **kwargs)


def _preview_one(name: str, text: str) -> FilePreview:
    try:
        parsed, plan = admin_views._parse(text)
    except importing.ReportImportError as error:
        return FilePreview(name, None, [], str(error))
    if parsed.framework_version is None:
        note = _("Rapporten avgör inte sin ramverksversion; ladda upp den för sig och välj den.")
        return FilePreview(name, parsed, plan.warnings, note)
    return FilePreview(name, parsed, plan.warnings)


def preview(request, context, files: list[tuple[str, str]]):
    """Every file parsed and checked as the single upload's preview does; nothing stored. Only
    the files that can be created are carried to the confirmation."""
    previews = [_preview_one(name, text) for name, text in files]
    ready = [
        (p, p.parsed, text)
        for p, (_name, text) in zip(previews, files, strict=True)
        if not p.error and p.parsed is not None
    ]
    confirm = confirm_formset(
        initial=[
            {
                "text": text,
                "filename": p.filename,
                "version": parsed.framework_version,
                "previewed_version": parsed.framework_version,
                "keep_stated": True,
            }
            for p, parsed, text in ready
        ]
    )
    return TemplateResponse(
        request,
        "admin/evaluations/evaluation/upload_preview_many.html",
        {
            **context,
            "title": _("Granska de inlästa rapporterna"),
            "previews": previews,
            "confirm": confirm,
        },
    )


def confirmed(request, context):
    """The drafts of every file of a confirmed preview, in one transaction: if one cannot be
    stored (someone stored the same evaluation meanwhile), none is."""
    confirm = confirm_formset(data=request.POST)
    if not confirm.is_valid() or not confirm.forms:
        messages.error(request, _("Förhandsgranskningen kunde inte läsas; ladda upp filerna igen."))
        return redirect(reverse("admin:evaluations_evaluation_upload"))
    try:
        with transaction.atomic():
            created = [_store(request, form.cleaned_data) for form in confirm.forms]
    except importing.ReportImportError as error:
        messages.error(request, _("Inget sparades: %(error)s") % {"error": error})
        return redirect(reverse("admin:evaluations_evaluation_upload"))
    messages.success(
        request,
        _("Inlästa som utkast: %(evaluations)s. Granska dem och publicera.")
        % {"evaluations": ", ".join(str(e) for e in created)},
    )
    return redirect(reverse("admin:evaluations_evaluation_changelist"))


def _store(request, data: dict):
    name = data["filename"]
    try:
        return _store_file(request, name, data)
    except importing.ReportImportError as error:
        raise importing.ReportImportError(f"{name}: {error}") from error


def _store_file(request, name: str, data: dict):
    text = importing.normalise_line_breaks(data["text"])
    version = data["version"] or None
    parsed, _plan = admin_views._parse(text, version=version, keep_stated=data["keep_stated"])
    if parsed.framework_version is None:
        raise importing.ReportImportError(_("Rapporten avgör inte sin ramverksversion."))
    return importing.store(
        parsed,
        source_file=name,
        keep_stated=data["keep_stated"],
        user=request.user,
    )
