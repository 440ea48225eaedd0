"""The settings site's part of funding: who may decide how much (grants and contract awards), and which income pays for which pot (the Ministry of Justice return's spend
against each grant line comes from it). Every other money change has its own page and service."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from funding.models import DelegationLevel, PotIncome
from funding.services import allocation


class PotIncomeForm(forms.ModelForm):
    """Checked by the same rules as every other writer (funding.ledger.check_pot_income), every problem at once."""

    class Meta:
        model = PotIncome
        fields = ("pot", "source", "amount")

    def clean(self):
        data = super().clean()
        pot = data.get("pot") or (self.instance.pot if self.instance.pot_id else None)
        source = data.get("source") or self.instance.source
        if pot is not None and source and "amount" not in self.errors:
            for field, message in allocation.pot_income_problems(
                pot=pot, source=source, amount=data.get("amount")
            ).items():
                self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(PotIncome)
class PotIncomeAdmin(SimpleHistoryAdmin):
    form = PotIncomeForm
    list_display = ("pot", "source", "amount")
    list_filter = ("pot__year", "source")
    list_select_related = ("pot__year",)

    def get_readonly_fields(self, request, obj=None):
        # A record is for one pot and one kind of income: to move it, remove it and add another.
        return ("pot", "source") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "pot":
            kwargs["queryset"] = db_field.related_model.objects.select_related("year").order_by(
                "-year__start_year", "stream", "name"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = allocation.set_pot_income(pot=obj.pot, source=obj.source, amount=obj.amount)
        obj.pk = saved.pk if saved is not None else obj.pk


@admin.register(DelegationLevel)
class DelegationLevelAdmin(SimpleHistoryAdmin):
    list_display = ("label", "decides", "role", "up_to")
    list_filter = ("decides",)
    fields = ("decides", "role", "label", "up_to")
    readonly_fields = ("decides", "role")

    def has_add_permission(self, request):
        return False  # one level per kind of decision and role that decides it

    def has_delete_permission(self, request, obj=None):
        return False
