from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reporting.models import (
    ChaseStep,
    FrameworkTemplate,
    Measure,
    MonitoringSettings,
    OutcomeFramework,
    TemplateMeasure,
)


@admin.register(MonitoringSettings)
class MonitoringSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "due_days_after_quarter_end", "green_at_percent", "amber_at_percent",
                    "persistent_red_quarters")

    def has_add_permission(self, request):
        return not MonitoringSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChaseStep)
class ChaseStepAdmin(SimpleHistoryAdmin):
    list_display = ("name", "days_from_due", "audience", "template_key", "active")


class TemplateMeasureInline(admin.TabularInline):
    model = TemplateMeasure
    extra = 0
    fields = ("position", "section", "name", "kind", "quarterly_target", "unit", "star_name", "star_min", "star_max",
              "required", "help", "part_of")


@admin.register(FrameworkTemplate)
class FrameworkTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("name", "key", "stream", "pot_key")
    inlines = [TemplateMeasureInline]


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    fields = TemplateMeasureInline.fields


@admin.register(OutcomeFramework)
class OutcomeFrameworkAdmin(admin.ModelAdmin):
    list_display = ("award", "source", "template", "created_at")
    search_fields = ("award__reference", "award__title")
    raw_id_fields = ("award",)
    inlines = [MeasureInline]

    def has_delete_permission(self, request, obj=None):
        return False
