"""Changing a signed contract and assessing its supplier's performance."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from commissioning.forms._fields import text
from commissioning.models import Rating
from commissioning.services.changes import change_problems
from commissioning.services.performance import KPIS_NEEDED, assessment_problems
from opcc.fields import GOVUKDateField, PoundsField
from opcc.forms import GOVUKForm
from opcc.money import ZERO


class ContractChangeForm(GOVUKForm, forms.Form):
    value_direction = forms.ChoiceField(
        label="Does the contract's value change?",
        choices=[("none", "No"), ("increase", "Yes, it goes up"), ("decrease", "Yes, it comes down")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the contract's value changes"},
    )
    value_amount = PoundsField(
        label="By how much (if it changes)",
        required=False,
        allow_zero=False,
        noun="the amount the value changes by",
        help_text="The difference, not the new total",
    )
    new_end_date = GOVUKDateField(
        label="New end date (if the term changes)",
        noun="new end date",
        required=False,
        help_text="Leave blank if the contract's end date stays the same. Extensions the contract already provides "
        "for are exercised as extensions, not here",
    )
    scope_change = forms.CharField(
        label="Change in scope (if any)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the provider will do differently",
    )
    reason = text("Reason for the change", rows=3, message="Enter the reason for the change")
    agreed_on = GOVUKDateField(label="Agreed with the provider on", noun="date the change was agreed")

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self._init_helper(
            Field.radios("value_direction", legend_size=Size.SMALL, inline=True),
            Field.text("value_amount", field_width=10),
            Field("new_end_date"),
            Field.textarea("scope_change"),
            Field.textarea("reason"),
            Field("agreed_on"),
        )

    def clean(self):
        data = super().clean()
        direction, amount = data.get("value_direction"), data.get("value_amount")
        if direction in ("increase", "decrease") and amount is None and "value_amount" not in self.errors:
            self.add_error("value_amount", "Enter the amount the value changes by")
        if direction == "none" and amount is not None:
            self.add_error(
                "value_direction", "Choose whether the value goes up or comes down, or clear the amount"
            )
        data["value_change"] = (
            ZERO
            if direction == "none" or amount is None
            else (amount if direction == "increase" else -amount)
        )
        if self.contract is not None:
            problems = change_problems(
                contract=self.contract,
                value_change=data["value_change"],
                new_end_date=data.get("new_end_date"),
                scope_change=data.get("scope_change") or "",
                reason=data.get("reason") or "",
                agreed_on=data.get("agreed_on"),
            )
            if "value_change" in problems:
                target = "value_amount" if data["value_change"] else "value_direction"
                problems[target] = problems.pop("value_change")
            self.add_problems(problems)
        return data

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        return {
            "value_change": d["value_change"],
            "new_end_date": d.get("new_end_date"),
            "scope_change": d.get("scope_change") or "",
            "reason": d["reason"],
            "agreed_on": d["agreed_on"],
        }


class ConfirmChangeForm(GOVUKForm, forms.Form):
    """Applying a change that waited for its contract change notice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper()


class AssessmentForm(GOVUKForm, forms.Form):
    period_start = GOVUKDateField(label="Period assessed from", noun="first day of the period assessed")
    period_end = GOVUKDateField(label="Period assessed to", noun="last day of the period assessed")
    assessed_on = GOVUKDateField(label="Date of the assessment", noun="date of the assessment")
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        kpi_fields = []
        for i in range(1, KPIS_NEEDED + 1):
            self.fields[f"kpi_{i}"] = forms.CharField(
                label=f"Key performance indicator {i}",
                max_length=200,
                error_messages={"required": f"Enter key performance indicator {i}"},
            )
            self.fields[f"rating_{i}"] = forms.ChoiceField(
                label=f"Rating for key performance indicator {i}",
                choices=Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose the rating for key performance indicator {i}"},
            )
            kpi_fields.append(
                Fieldset(
                    Field.text(f"kpi_{i}"),
                    Field.radios(f"rating_{i}", legend_size=Size.SMALL),
                    legend=f"Key performance indicator {i}",
                    legend_size=Size.MEDIUM,
                )
            )
        self._init_helper(
            Field("period_start"),
            Field("period_end"),
            Field("assessed_on"),
            *kpi_fields,
            Field.textarea("notes"),
        )

    def ratings(self) -> list[tuple[str, str]]:
        d = self.cleaned_data
        return [(d.get(f"kpi_{i}") or "", d.get(f"rating_{i}") or "") for i in range(1, KPIS_NEEDED + 1)]

    def clean(self):
        data = super().clean()
        if self.contract is not None:
            self.add_problems(
                assessment_problems(
                    contract=self.contract,
                    period_start=data.get("period_start"),
                    period_end=data.get("period_end"),
                    assessed_on=data.get("assessed_on"),
                    ratings=self.ratings(),
                )
            )
        return data
