from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Area,
    AreaPoint,
    AreaResult,
    County,
    Evaluation,
    FrameworkVersion,
    Municipality,
    Question,
    QuestionScore,
    ReferenceMean,
    ReferenceMeanArea,
)


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["short_name", "code", "county", "slug", "kommungrupp"]
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
    inlines = [QuestionInline]


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    show_change_link = True


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "year"]
    inlines = [AreaInline]


class AreaResultInline(admin.StackedInline):
    model = AreaResult
    extra = 0
    fields = ["area", "points", "header_points", "table_points", "text"]
    show_change_link = True


class QuestionScoreInline(admin.TabularInline):
    model = QuestionScore
    extra = 0
    fields = ["question", "points", "printed_points", "printed_percent"]
    autocomplete_fields = []


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["municipality", "year", "framework", "status", "printed_total", "updated_at"]
    list_filter = ["status", "framework", "year"]
    search_fields = ["municipality__short_name", "municipality__code"]
    list_select_related = ["municipality", "framework"]
    readonly_fields = ["warnings", "source_file", "created_at", "updated_at"]
    inlines = [AreaResultInline, QuestionScoreInline]

    @admin.display(description=_("Importvarningar"))
    def warnings(self, obj):
        if not obj.import_warnings:
            return "–"
        return format_html_join("\n", "<p>{}</p>", ((w,) for w in obj.import_warnings))


class AreaPointInline(admin.TabularInline):
    model = AreaPoint
    extra = 0


@admin.register(AreaResult)
class AreaResultAdmin(SimpleHistoryAdmin):
    list_display = ["evaluation", "area", "points"]
    list_select_related = ["evaluation__municipality", "area__framework"]
    inlines = [AreaPointInline]


class ReferenceMeanAreaInline(admin.TabularInline):
    model = ReferenceMeanArea
    extra = 0


@admin.register(ReferenceMean)
class ReferenceMeanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "framework", "n", "source"]
    inlines = [ReferenceMeanAreaInline]
