from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commissioning.models import CommissioningRules, ProcurementBand


@admin.register(ProcurementBand)
class ProcurementBandAdmin(SimpleHistoryAdmin):
    list_display = ("route", "lower_bound", "light_touch_lower_bound")
    fields = ("route", "lower_bound", "light_touch_lower_bound")
    readonly_fields = ("route",)

    def has_add_permission(self, request):
        return False  # the four routes are fixed; their values are data

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommissioningRules)
class CommissioningRulesAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "sta_pcc_threshold", "score_scale_max")

    def has_add_permission(self, request):
        return not CommissioningRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
