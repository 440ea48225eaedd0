"""The grant schemes' wording and outcome measures are data the office edits in the settings site (/admin/): officers may read them, the head of commissioning may change them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from grants.models import Scheme


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "stream")
    fields = ("kind", "stream", "name", "description", "standard_conditions", "measures")
    readonly_fields = ("kind", "stream")

    def has_add_permission(self, request):
        return False  # the schemes are fixed by the strategy; their wording and measures are data

    def has_delete_permission(self, request, obj=None):
        return False
