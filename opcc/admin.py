from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opcc.models import (
    BankAccount,
    ChecklistItem,
    MessageTemplate,
    Objective,
    OutboxMessage,
    PoliceAndCrimePlan,
    Priority,
    TransitionLog,
    ValueBand,
)

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


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0


@admin.register(ValueBand)
class ValueBandAdmin(SimpleHistoryAdmin):
    """The due diligence checklist: bands of award value and the checks each asks for (data the head may edit)."""

    list_display = ("name", "lower", "upper")
    inlines = [ChecklistItemInline]


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    """Read only: bank details change through the due diligence pages, where a change is flagged and verified.
    The account number is never shown: only its last four digits (the hash is left out too)."""

    list_display = (
        "organisation",
        "account_name",
        "account_last4",
        "entered_at",
        "verified_at",
        "replaced_at",
    )
    fields = (
        "organisation",
        "account_name",
        "sort_code",
        "account_last4",
        "entered_by",
        "entered_at",
        "verified_by",
        "verified_at",
        "verification_note",
        "is_change",
        "replaced_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("opcc.verify_evidence")
