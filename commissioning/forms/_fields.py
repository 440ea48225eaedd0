"""Field builders the commissioning forms share."""

from django import forms

from opcc.models import Organisation


def text(label, required=True, rows=5, help_text="", message=None, max_length=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        required=required,
        widget=widget,
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": message or f"Enter {label[0].lower()}{label[1:]}"},
    )


def organisations():
    return Organisation.objects.order_by("name")


def org_field(label, message, queryset=None):
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset if queryset is not None else organisations(),
        empty_label="Choose",
        error_messages={"required": message, "invalid_choice": message},
    )
