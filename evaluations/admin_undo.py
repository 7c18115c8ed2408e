"""Admin pages for undoing: deleting a draft to the trash (with a reason), the trash
("Papperskorg") with restore, reverting to an earlier version, and reviewing a published
evaluation's edit before it is saved."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import review, workflow, writing
from .admin_views import _change_url, _context, _evaluation_or_404
from .forms import ReasonForm
from .models import Evaluation, Revision


def _changelist_url() -> str:
    return reverse("admin:evaluations_evaluation_changelist")


def delete(model_admin, request, object_id):
    """A draft goes to the trash with a reason; a Publicerare can restore it."""
    evaluation = _evaluation_or_404(model_admin, request, object_id)
    if not model_admin.has_delete_permission(request, evaluation):
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        writing.move_to_trash(evaluation, reason=form.cleaned_data["reason"], user=request.user)
        messages.success(
            request,
            _("%(evaluation)s ligger nu i papperskorgen. En publicerare kan återställa den.")
            % {"evaluation": evaluation},
        )
        return redirect(_changelist_url())
    return TemplateResponse(
        request,
        "admin/evaluations/evaluation/trash_confirm.html",
        _context(
            model_admin,
            request,
            title=_("Ta bort %(evaluation)s") % {"evaluation": evaluation},
            original=evaluation,
            form=form,
        ),
    )


def trash(model_admin, request):
    if not workflow.can_publish(request.user):
        raise PermissionDenied
    deleted = Evaluation.objects.in_trash().filter(origin=Evaluation.Origin.REPORT)
    rows = [
        (evaluation, evaluation.revisions.filter(action=Revision.Action.DELETED).first())
        for evaluation in deleted.select_related("municipality").order_by("-deleted_at")
    ]
    return TemplateResponse(
        request,
        "admin/evaluations/evaluation/trash.html",
        _context(model_admin, request, title=_("Papperskorg"), rows=rows),
    )


def restore(model_admin, request, object_id):
    if not workflow.can_publish(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    evaluation = get_object_or_404(Evaluation.objects.in_trash(), pk=unquote(object_id))
    try:
        writing.restore(evaluation, user=request.user)
    except writing.EvaluationInvalid as error:
        messages.error(request, str(error))
        return redirect(reverse("admin:evaluations_evaluation_trash"))
    messages.success(request, _("%(evaluation)s är återställd.") % {"evaluation": evaluation})
    return redirect(_change_url(evaluation))


def revert(model_admin, request, object_id, revision_id):
    """The evaluation as it was after an earlier save, with a reason, after a look at what
    changes."""
    evaluation = _evaluation_or_404(model_admin, request, object_id)
    if not model_admin.has_change_permission(request, evaluation):
        raise PermissionDenied
    revision = evaluation.revisions.filter(pk=revision_id).first()
    if revision is None:
        raise Http404(_("Versionen finns inte."))
    earlier = review.state_at(evaluation, revision.created_at)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            reason = form.cleaned_data["reason"]
            writing.revert(evaluation, to=earlier, reason=reason, user=request.user)
        except writing.EvaluationInvalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(evaluation)s är återställd till versionen från %(when)s.")
                % {"evaluation": evaluation, "when": revision.created_at},
            )
            return redirect(_change_url(evaluation))
    return TemplateResponse(
        request,
        "admin/evaluations/evaluation/revert.html",
        _context(
            model_admin,
            request,
            title=_("Återställ %(evaluation)s till en tidigare version")
            % {"evaluation": evaluation},
            original=evaluation,
            revision=revision,
            form=form,
            sections=review.differences(review.state_of(evaluation), earlier),
        ),
    )


def review_edit(model_admin, request, object_id):
    """Before a published evaluation's edit is saved: what it changes publicly. None when the
    change form should go on as usual (not published, not allowed, or errors to show)."""
    evaluation = model_admin.get_object(request, unquote(object_id))
    if evaluation is None or not evaluation.is_published:
        return None
    if not model_admin.has_change_permission(request, evaluation):
        return None
    before = review.state_of(evaluation)
    form_class = model_admin.get_form(request, evaluation, change=True)
    form = form_class(request.POST, request.FILES, instance=evaluation)
    if not form.is_valid():
        return None
    after = review.State(
        header={name: getattr(form.instance, name) for name in review.HEADER_FIELDS},
        content=form.content,
    )
    carried = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "_save", "_continue", "_addanother")
        for value in request.POST.getlist(name)
    ]
    return TemplateResponse(
        request,
        "admin/evaluations/evaluation/review_edit.html",
        _context(
            model_admin,
            request,
            title=_("Granska ändringen av %(evaluation)s") % {"evaluation": evaluation},
            original=evaluation,
            sections=review.differences(before, after),
            carried=carried,
            reason=form.cleaned_data.get("change_reason", ""),
        ),
    )
