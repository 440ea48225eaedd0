"""The award decision, the contract, its extensions and break notices."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from commissioning.forms._fields import text
from commissioning.models import (
    BreakNotice,
)
from commissioning.selectors import contract_errors
from commissioning.services.contracts import break_notice_problems
from commissioning.services.decisions import decision_problems
from funding.models import PaymentScheduleKind
from opcc.fields import GOVUKDateField, PoundsField
from opcc.forms import GOVUKForm


class DecisionForm(GOVUKForm, forms.Form):
    organisation = forms.ChoiceField(
        label="Provider", widget=forms.RadioSelect, error_messages={"required": "Choose the provider"}
    )
    value = PoundsField(label="Total value awarded", allow_zero=False, help_text="Including any extensions")
    rationale = text("Reasons for the decision", rows=3, message="Enter the reasons for the decision")
    decision_record = forms.CharField(
        label="PCC decision record reference (for decisions by the PCC)", max_length=60, required=False
    )

    def __init__(self, *args, providers, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.providers = {str(o.pk): o for o in providers}
        self.fields["organisation"].choices = [(str(o.pk), str(o)) for o in providers]
        self._init_helper(
            Field.radios("organisation", legend_size=Size.SMALL),
            Field.text("value", field_width=10),
            Field.textarea("rationale"),
            Field.text("decision_record", field_width=20),
        )

    def clean(self):

        data = super().clean()
        if self.by is not None:
            self.add_problems(
                decision_problems(
                    value=data.get("value"), decision_record=data.get("decision_record", ""), by=self.by
                )
            )
        return data


class ContractForm(GOVUKForm, forms.Form):
    pot = forms.ModelChoiceField(
        label="Pot the money comes from",
        queryset=None,
        empty_label="Select the pot",
        error_messages={
            "required": "Select the pot the money comes from",
            "invalid_choice": "Select the pot the money comes from",
        },
        help_text="The pot in the year the contract starts; later years come from the same pot in those years",
    )
    annual_value = PoundsField(label="Annual value", allow_zero=False)
    total_value = PoundsField(
        label="Total value of the initial term", allow_zero=False, noun="the total value"
    )
    start_date = GOVUKDateField(label="Start date")
    initial_term_years = forms.IntegerField(
        label="Initial term (years)",
        min_value=1,
        max_value=10,
        error_messages={
            "required": "Enter the initial term in years",
            "invalid": "Enter the initial term as a whole number of years",
            "min_value": "The initial term must be at least 1 year",
            "max_value": "The initial term cannot be more than 10 years",
        },
    )
    extension_pattern = forms.CharField(
        label="Term and extensions",
        max_length=20,
        help_text="The initial term then each extension option in years, like 3+1 or 2+1+1. "
        "The extensions together may not exceed the initial term",
        error_messages={"required": "Enter the term and extensions, like 3+1"},
    )
    value_difference_reason = forms.CharField(
        label="If the contract's value differs from the award decision, why (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only when the initial term plus its extensions at the annual value is not the value awarded",
    )
    break_notice_months = forms.IntegerField(
        label="Break clause notice period (months)",
        min_value=1,
        max_value=24,
        error_messages={
            "required": "Enter the break clause notice period",
            "invalid": "Enter the notice period as a whole number of months",
            "min_value": "The notice period must be at least 1 month",
            "max_value": "The notice period cannot be more than 24 months",
        },
    )
    break_clause = text("Break clause (for both parties)", rows=3, message="Enter the break clause")
    signed_on = GOVUKDateField(
        label="Date signed",
        help_text="The day the contract was entered into: for a public contract, after the standstill has ended",
    )
    schedule_kind = forms.ChoiceField(
        label="Payment schedule",
        choices=PaymentScheduleKind.choices,
        widget=forms.RadioSelect,
        initial=PaymentScheduleKind.QUARTERLY_ARREARS,
        error_messages={"required": "Choose how the contract is paid"},
    )

    def __init__(self, *args, pots, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.fields["pot"].queryset = pots
        self.fields["pot"].label_from_instance = lambda p: f"{p.name}, {p.year.label}"
        if decision is not None:
            self.fields["value_difference_reason"].help_text = (
                f"Needed only when the initial term plus its extensions at the annual value is not the £{decision.value:,.2f} "
                "awarded: for example, a price agreed lower, or a shorter term"
            )
        self._init_helper(
            Field.select("pot"),
            Field.text("annual_value", field_width=10),
            Field.text("total_value", field_width=10),
            Field("start_date"),
            Field.text("initial_term_years", field_width=3),
            Field.text("extension_pattern", field_width=5),
            Field.textarea("value_difference_reason"),
            Field.text("break_notice_months", field_width=3),
            Field.textarea("break_clause"),
            Field("signed_on"),
            Field.radios("schedule_kind", legend_size=Size.SMALL),
        )

    def clean(self):

        data = super().clean()
        # Every check the service makes on these answers, with the fields' own errors, so the summary lists them
        # all at once (a field that already has an error is left out of the checks that need it).
        if self.decision is not None:
            for field, message in contract_errors(decision=self.decision, **data).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data


class ExtensionForm(GOVUKForm, forms.Form):
    additional = PoundsField(
        label="Extra amount for the extension", allow_zero=False, noun="the extra amount"
    )
    agreed_on = GOVUKDateField(label="Agreed with the provider on", noun="date agreed with the provider")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.text("additional", field_width=10), Field("agreed_on"), Field.textarea("note")
        )


class BreakNoticeForm(GOVUKForm, forms.Form):
    served_by = forms.ChoiceField(
        label="Who served notice",
        choices=BreakNotice.Party.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who served notice"},
    )
    served_on = GOVUKDateField(label="Date notice was served")
    reason = text("Reason", rows=3, message="Enter the reason for the break notice")
    keep = PoundsField(
        label="Still to be paid for the notice period (optional)",
        required=False,
        noun="the amount still to be paid",
    )

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self._init_helper(
            Field.radios("served_by", legend_size=Size.SMALL, inline=True),
            Field("served_on"),
            Field.textarea("reason"),
            Field.text("keep", field_width=10),
        )

    def clean(self):

        data = super().clean()
        if self.contract is not None:
            self.add_problems(
                break_notice_problems(
                    contract=self.contract, served_on=data.get("served_on"), reason=data.get("reason") or ""
                )
            )
        return data
