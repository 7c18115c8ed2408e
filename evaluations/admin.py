from functools import partial

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import (
    admin_history,
    admin_undo,
    admin_users,  # noqa: F401  (registers the staff user and group pages)
    admin_views,
    history,
    workflow,
    writing,
)
from .forms import EvaluationForm, ReferenceMeanForm, format_points
from .models import (
    Area,
    County,
    Evaluation,
    FrameworkVersion,
    Municipality,
    Question,
    ReferenceMean,
    Revision,
)

admin.site.site_header = _("Kompass – administration")
admin.site.site_title = _("Kompass")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


class FoldedNameSearchMixin:
    """Search also the slug with the term folded to ASCII: SQLite compares case-insensitively
    only in ASCII, so "östersund" would not find "Östersund" there."""

    slug_field = "slug"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = slugify(search_term.strip())
        if folded:
            results |= queryset.filter(**{f"{self.slug_field}__contains": folded})
        return results, may_have_duplicates


@admin.register(Municipality)
class MunicipalityAdmin(FoldedNameSearchMixin, admin.ModelAdmin):
    list_display = ["short_name", "code", "county", "slug"]
    list_filter = ["county"]
    search_fields = ["short_name", "name", "code"]
    list_select_related = ["county"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "framework"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    inlines = [QuestionInline]


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    show_change_link = True


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year"]
    inlines = [AreaInline]


class ReadableHistoryMixin:
    """The admin's history page as a table of who changed what, when and why, in Swedish, the
    object's rows included (simple_history's own pages are partly English and offer a revert
    that cannot restore the rows)."""

    def history_changes(self, obj):
        raise NotImplementedError

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return self.history_page(request, obj)

    def history_page(self, request, obj):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Historik: %(object)s") % {"object": obj},
            "changes": self.history_changes(obj),
        }
        return TemplateResponse(request, "admin/evaluations/history.html", context)


class VersionFirstMixin:
    """A new object starts with a choice of framework version (?version=2020); its form is then
    pre-filled with that version's areas (and questions). The version cannot change later."""

    def add_view(self, request, form_url="", extra_context=None):
        if admin_views.chosen_framework(request) is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return admin_views.choose_framework(self, request)
        return super().add_view(request, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attributes = {
            "framework": obj.framework if obj else admin_views.chosen_framework(request),
            "read_only": obj is not None and not self.has_change_permission(request, obj),
        }
        return type(form.__name__, (form,), attributes)


@admin.register(Evaluation)
class EvaluationAdmin(
    FoldedNameSearchMixin, ReadableHistoryMixin, VersionFirstMixin, admin.ModelAdmin
):
    slug_field = "municipality__slug"
    version_question = _(
        "Vilken version av Kommunkompassen följer utvärderingen? Formuläret fylls sedan i "
        "förväg med versionens områden och delfrågor."
    )
    form = EvaluationForm
    list_display = ["municipality", "year", "framework", "status", "total_points", "updated_at"]
    list_filter = ["framework", "status", "year"]
    search_fields = ["municipality__short_name", "municipality__name", "municipality__code"]
    search_help_text = _("Sök på kommunens namn eller kommunkod.")
    list_select_related = ["municipality", "framework"]
    list_per_page = 50
    # Bulk deletion would bypass the rule that published evaluations are not deleted.
    actions = None
    status_fields = ["status", "source_file", "facts", "warnings", "created_at", "updated_at"]
    readonly_fields = ["framework", *status_fields]

    class Media:
        js = ["js/admin-evaluation-entry.js", "js/admin-reason-counter.js"]
        css = {"all": ["css/admin-evaluation-entry.css"]}

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "framework",
                        "municipality",
                        "year",
                        "month",
                        "report_date",
                        "ordinal",
                        "previous_year",
                        "interviewed",
                        "evaluators",
                        "printed_total",
                    ]
                },
            ),
            (_("Sammanfattning"), {"fields": ["summary"]}),
        ]
        if obj is None:
            return fieldsets
        if self.has_change_permission(request, obj):
            fieldsets.append((_("Ändringen"), {"fields": ["change_reason"]}))
        fieldsets.append(
            (
                _("Status och källa"),
                {"fields": self.status_fields},
            )
        )
        return fieldsets

    def get_queryset(self, request):
        return super().get_queryset(request).live().with_total()

    def save_model(self, request, obj, form, change):
        """Through the write service, with the rows the form gives; an unchanged header is not
        saved again (it would only add an empty record to the history)."""
        writing.save_evaluation(
            obj,
            content=form.content,
            reason=form.cleaned_data.get("change_reason", ""),
            user=request.user,
            action=Revision.Action.EDITED if change else Revision.Action.CREATED,
            header_changed=not change or form.has_changed(),
        )

    @admin.display(description=_("Totalt"), ordering="total")
    def total_points(self, obj):
        return format_points(obj.total)

    @admin.display(description=_("Kortfakta (från rapporten)"))
    def facts(self, obj):
        if not obj.kortfakta:
            return "–"
        return format_html(
            "<dl>{}</dl>",
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", obj.kortfakta.items()),
        )

    @admin.display(description=_("Importvarningar"))
    def warnings(self, obj):
        if not obj.import_warnings:
            return "–"
        return format_html_join("\n", "<p>{}</p>", ((w,) for w in obj.import_warnings))

    # Access rules (see workflow.py) ---------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        return workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return workflow.can_delete(request.user, obj)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    # Pages -----------------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("ladda-upp/", wrap(self.upload_view), name="evaluations_evaluation_upload"),
            path(
                "papperskorg/",
                wrap(partial(admin_undo.trash, self)),
                name="evaluations_evaluation_trash",
            ),
            path(
                "papperskorg/<path:object_id>/aterstall/",
                wrap(partial(admin_undo.restore, self)),
                name="evaluations_evaluation_restore",
            ),
            path(
                "<path:object_id>/historik/<int:revision_id>/aterstall/",
                wrap(partial(admin_undo.revert, self)),
                name="evaluations_evaluation_revert",
            ),
            path(
                "<path:object_id>/publicera/",
                wrap(self.publish_view),
                name="evaluations_evaluation_publish",
            ),
            path(
                "<path:object_id>/avpublicera/",
                wrap(self.unpublish_view),
                name="evaluations_evaluation_unpublish",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        return admin_views.upload(self, request)

    def publish_view(self, request, object_id):
        return admin_views.publish(self, request, object_id)

    def unpublish_view(self, request, object_id):
        return admin_views.unpublish(self, request, object_id)

    def delete_view(self, request, object_id, extra_context=None):
        return admin_undo.delete(self, request, object_id)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A published evaluation's edit is shown as a review of what changes publicly first.
        if request.method == "POST" and object_id and "_reviewed" not in request.POST:
            review = admin_undo.review_edit(self, request, object_id)
            if review is not None:
                return review
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_publish": workflow.can_publish(request.user)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        evaluation = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "can_publish": workflow.can_publish(request.user),
            "unpublished": workflow.last_unpublished(evaluation) if evaluation else None,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def history_page(self, request, obj):
        return admin_history.evaluation_history(self, request, obj)


@admin.register(LogEntry)
class LogEntryAdmin(admin.ModelAdmin):
    """Django's own log of what was added, changed and deleted in the admin: read only, for
    those who may publish (the evaluations' own history is on each evaluation)."""

    list_display = ["action_time", "user", "content_type", "object_repr", "action_flag"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "user__username"]
    list_select_related = ["user", "content_type"]

    def has_module_permission(self, request):
        return workflow.can_publish(request.user)

    def has_view_permission(self, request, obj=None):
        return workflow.can_publish(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReferenceMean)
class ReferenceMeanAdmin(ReadableHistoryMixin, VersionFirstMixin, admin.ModelAdmin):
    version_question = _(
        "Vilken version av Kommunkompassen gäller referensmedelvärdet? Formuläret fylls sedan "
        "i förväg med versionens åtta områden."
    )
    form = ReferenceMeanForm
    list_display = ["name", "framework", "n", "source"]
    list_filter = ["framework"]
    list_select_related = ["framework"]
    readonly_fields = ["framework"]
    fields = ["framework", "name", "n", "source"]

    def history_changes(self, obj):
        return history.reference_mean_changes(obj)
