from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opcc.money import gbp
from reporting.models import (
    AwardMonitoring,
    ChaseStep,
    FrameworkTemplate,
    Measure,
    MojReturnField,
    MojReturnSection,
    MonitoringSettings,
    MonitoringTier,
    OutcomeAggregate,
    OutcomeFramework,
    OutcomeIndicator,
    TemplateMeasure,
    TierBand,
)
from reporting.services import outcomes


@admin.register(MonitoringSettings)
class MonitoringSettingsAdmin(SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "due_days_after_quarter_end",
        "green_at_percent",
        "amber_at_percent",
        "persistent_red_quarters",
    )

    def has_add_permission(self, request):
        return not MonitoringSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChaseStep)
class ChaseStepAdmin(SimpleHistoryAdmin):
    list_display = ("name", "days_from_due", "audience", "template_key", "active")


class MeasureMappingForm(forms.ModelForm):
    """A measure's form in the admin: its indicator is checked by the same rule as every other writer's."""

    def clean(self):
        data = super().clean()
        measure = self.instance
        for name in ("kind", "unit", "local_only", "denominator_question", "numerator_question", "name"):
            if name in data:
                setattr(measure, name, data[name])
        for field, message in outcomes.mapping_problems(measure, data.get("indicator")).items():
            self.add_error(field if field in self.fields else None, message)
        return data


class TemplateMeasureInline(admin.TabularInline):
    model = TemplateMeasure
    form = MeasureMappingForm
    extra = 0
    fields = (
        "position",
        "section",
        "name",
        "kind",
        "quarterly_target",
        "unit",
        "star_name",
        "star_min",
        "star_max",
        "required",
        "help",
        "part_of",
        "denominator_question",
        "numerator_question",
        "indicator",
        "local_only",
    )


@admin.register(FrameworkTemplate)
class FrameworkTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("name", "key", "stream", "pot_key")
    inlines = [TemplateMeasureInline]


class MeasureInline(admin.TabularInline):
    model = Measure
    form = MeasureMappingForm
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A measure mapped anew changes what the award's accepted returns add up to.
        outcomes.rebuild_award(form.instance.award_id)


@admin.register(OutcomeIndicator)
class OutcomeIndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "unit", "aggregation", "section")
    list_filter = ("aggregation", "section")
    search_fields = ("name", "key")


@admin.register(OutcomeAggregate)
class OutcomeAggregateAdmin(admin.ModelAdmin):
    """Read-only: written from accepted returns (and by `manage.py rebuild_outcome_aggregates`)."""

    list_display = (
        "award",
        "quarter_start_year",
        "quarter",
        "indicator",
        "value_sum",
        "numerator",
        "denominator",
        "updated_at",
    )
    list_filter = ("quarter_start_year", "quarter", "indicator")
    raw_id_fields = ("award",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MojReturnFieldInline(admin.TabularInline):
    """A section's fields. Each is checked by the model's clean (reporting.services.moj_return): a field mapped to
    nothing, to two figures, or to a position another field has is refused with the reason."""

    model = MojReturnField
    extra = 0
    fields = ("position", "label", "figure", "indicator", "income_source", "confirmed", "source_note")


@admin.register(MojReturnSection)
class MojReturnSectionAdmin(SimpleHistoryAdmin):
    list_display = ("position", "title", "income_source")
    list_display_links = ("title",)
    inlines = [MojReturnFieldInline]


@admin.register(MonitoringTier)
class MonitoringTierAdmin(SimpleHistoryAdmin):
    """What each tier asks. Editing a tier changes what awards given it later are asked: an award keeps the calendar
    it has (an officer changes one award's tier on its monitoring page, with a reason)."""

    list_display = ("name", "key", "reporting", "visits_per_year", "annual_review", "is_default", "position")
    fields = (
        "name",
        "key",
        "description",
        "reporting",
        "report_due_days",
        "visits_per_year",
        "annual_review",
        "is_default",
        "position",
    )


@admin.register(TierBand)
class TierBandAdmin(SimpleHistoryAdmin):
    """Which tier an award gets by its stream and total value. A band runs from its value up to the next band of
    its stream, so bands cannot overlap or leave a gap; each stream's lowest band starts at £0."""

    list_display = ("stream", "from_amount", "up_to_display", "tier")
    list_filter = ("stream", "tier")
    ordering = ("stream", "from_amount")

    @admin.display(description="Up to (not including)")
    def up_to_display(self, obj):
        up_to = obj.up_to()
        return "No upper limit" if up_to is None else gbp(up_to)

    def has_delete_permission(self, request, obj=None):
        # The £0 band of a stream with higher bands holds the rest up: delete those first.
        if (
            obj is not None
            and obj.from_amount == 0
            and TierBand.objects.filter(stream=obj.stream, from_amount__gt=0).exists()
        ):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AwardMonitoring)
class AwardMonitoringAdmin(SimpleHistoryAdmin):
    """Read-only: an award's tier is given when it becomes active and changed on its monitoring page, with a reason."""

    list_display = ("award", "tier", "overridden", "visit_due", "review_due")
    list_filter = ("tier", "overridden")
    search_fields = ("award__reference", "award__title")
    raw_id_fields = ("award", "band", "overridden_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
