from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opcc.models import MessageTemplate, Objective, OutboxMessage, PoliceAndCrimePlan, Priority, TransitionLog

admin.site.site_header = "Commissioning and grants: settings"
admin.site.site_title = "Commissioning and grants"


@admin.register(MessageTemplate)
class MessageTemplateAdmin(SimpleHistoryAdmin):
    list_display = ("name", "key", "subject")
    search_fields = ("name", "key", "subject", "body")
    readonly_fields = ("key", "placeholders")
    fields = ("key", "name", "placeholders", "subject", "body")

    def has_add_permission(self, request):
        # Messages are sent by code that knows their key: new keys would never be used.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to_email", "subject", "status", "attempts", "sent_at")
    list_filter = ("status", "template_key")
    search_fields = ("to_email", "subject", "key")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = ("at", "content_type", "object_id", "transition", "from_state", "to_state", "by")
    list_filter = ("content_type", "transition")
    readonly_fields = [f.name for f in TransitionLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PriorityInline(admin.TabularInline):
    model = Priority
    fields = ("position", "title", "description")
    extra = 0


class ObjectiveInline(admin.TabularInline):
    model = Objective
    fields = ("position", "title")
    extra = 0


@admin.register(PoliceAndCrimePlan)
class PoliceAndCrimePlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "period_start", "period_end", "is_current")
    inlines = [PriorityInline]


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "plan", "position")
    list_filter = ("plan",)
    inlines = [ObjectiveInline]


@admin.register(Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ("title", "priority", "position")
    list_filter = ("priority__plan", "priority")
    search_fields = ("title",)
