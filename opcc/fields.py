"""Form fields in the GOV.UK patterns: money, dates and uploaded documents."""

from datetime import date
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.utils import timezone

from opcc.calendar import financial_year_of
from opcc.models import Objective
from opcc.services import documents

MAX_POUNDS = Decimal("999999999.99")


class PoundsField(forms.DecimalField):
    """Pounds and pence, typed as people type them: "£12,500", "12500.5". Never negative, never absurd."""

    prefix = "£"

    def __init__(self, *, label, noun: str | None = None, allow_zero=True, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}))
        super().__init__(label=label, max_digits=14, decimal_places=2, **kwargs)
        # How messages name the amount, e.g. "the total amount" (labels may carry "(optional)").
        label = str(label).replace(" (optional)", "")
        self.label_lower = noun or f"the {label[0].lower()}{label[1:]}"
        self.noun_capital = self.label_lower[0].upper() + self.label_lower[1:]

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("£", "").replace(" ", "")
        if value in self.empty_values:
            return None
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise forms.ValidationError(
                f"Enter {self.label_lower} as a number, like 12500 or 12500.50", code="invalid"
            ) from None
        if not amount.is_finite():
            raise forms.ValidationError(
                f"Enter {self.label_lower} as a number, like 12500 or 12500.50", code="invalid"
            )
        return amount

    def validate(self, value):
        if value in self.empty_values:
            if self.required:
                raise forms.ValidationError(f"Enter {self.label_lower}", code="required")
            return
        if value < 0:
            raise forms.ValidationError(f"{self.noun_capital} cannot be negative", code="negative")
        if not self.allow_zero and value == 0:
            raise forms.ValidationError(f"{self.noun_capital} must be more than £0", code="zero")
        if value > MAX_POUNDS:
            raise forms.ValidationError(
                f"{self.noun_capital} is too large: check the amount", code="too_large"
            )
        if value.as_tuple().exponent < -2:
            raise forms.ValidationError(
                f"{self.noun_capital} can only have pounds and pence, like 12500.50", code="pence"
            )

    def run_validators(self, value):
        # The checks above give the messages people should see; skip Django's generic digit checks.
        return None


class GOVUKDateField(forms.MultiValueField):
    """A GOV.UK date input (day, month, year) whose messages name the date, as the Design System asks.

    `noun` is how messages name it when the label does not read as a noun ("Agreed with the provider on" is
    "the date agreed with the provider"): "Enter the {noun}", "The {noun} must be a real date"."""

    def __init__(self, *, label, noun: str | None = None, **kwargs):

        self._inner = DateInputField(label=label, **kwargs)
        name = noun or str(label).lower()
        self.widget = self._inner.widget
        super().__init__(fields=self._inner.fields, label=label, require_all_fields=False, **kwargs)
        self.widget = self._inner.widget
        self.name = name
        self.error_messages["required"] = f"Enter the {name}"
        self.error_messages["incomplete"] = f"The {name} must include a day, month and year"

    def clean(self, value):
        if not value or not [v for v in value if v not in self.empty_values]:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if any(v in self.empty_values for v in value):
            raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            day, month, year = (int(str(v).strip()) for v in value)
        except ValueError:
            raise forms.ValidationError(
                f"The {self.name} must be a real date, like 27 3 2027", code="invalid"
            ) from None
        if not 1900 <= year <= 2200:
            raise forms.ValidationError(
                f"The {self.name} must have a four-digit year, like 2027", code="invalid"
            )
        try:
            return date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                f"The {self.name} must be a real date, like 27 3 2027", code="invalid"
            ) from None

    def compress(self, data_list):
        return data_list


def year_ahead_examples() -> tuple[str, str]:
    """The GOV.UK hint examples for a start and an end date ("For example, 1 4 2027"): the next financial
    year's first and last days, from today, so the examples never go stale."""

    next_year = financial_year_of(timezone.localdate()) + 1
    return f"For example, 1 4 {next_year}", f"For example, 31 3 {next_year + 1}"


class DocumentField(forms.FileField):
    """A file input whose hint and `accept` say what the documents service takes (every kind, unless `allowed`)."""

    def __init__(self, *, allowed=None, hint_prefix: str = "", **kwargs):

        allowed = allowed or documents.ALL_KINDS
        kwargs.setdefault("help_text", f"{hint_prefix}{documents.upload_hint(allowed)}")
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = documents.accept_attribute(allowed)


class _ObjectiveChoices(forms.models.ModelChoiceIterator):
    def choice(self, obj):

        return Choice(
            forms.models.ModelChoiceIteratorValue(self.field.prepare_value(obj), obj),
            obj.title,
            hint=f"Priority: {obj.priority.title}",
        )


class ObjectivesField(forms.ModelMultipleChoiceField):
    """GOV.UK checkboxes of the current Police and Crime Plan's objectives, each with its priority as a hint."""

    iterator = _ObjectiveChoices

    def __init__(self, *, required: bool = True, **kwargs):

        queryset = (
            Objective.objects.filter(priority__plan__is_current=True)
            .select_related("priority")
            .order_by("priority__position", "priority_id", "position", "id")
        )
        super().__init__(
            queryset=queryset,
            required=required,
            widget=forms.CheckboxSelectMultiple,
            label=kwargs.pop("label", "Police and Crime Plan objectives"),
            help_text=kwargs.pop(
                "help_text", "Select every objective of the Police and Crime Plan it serves"
            ),
            error_messages={
                "required": "Select at least one Police and Crime Plan objective",
                "invalid_choice": "Select objectives from the current Police and Crime Plan",
                "invalid_pk_value": "Select objectives from the current Police and Crime Plan",
            },
            **kwargs,
        )
