"""Review: the decision on a service and its decommissioning plan."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from commissioning.forms._fields import text
from commissioning.models import (
    ReviewDecision,
)
from commissioning.services.review import decommissioning_plan_problems
from opcc.fields import GOVUKDateField, PoundsField
from opcc.forms import GOVUKForm


class ReviewForm(GOVUKForm, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=ReviewDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    reasons = text("Reasons", rows=4, message="Enter the reasons for the decision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.radios("decision", legend_size=Size.MEDIUM, legend_tag="h2"), Field.textarea("reasons")
        )


class DecommissionPlanForm(GOVUKForm, forms.Form):
    support_offered = text(
        "Support offered to the provider", rows=3, message="Enter the support offered to the provider"
    )
    exit_date = GOVUKDateField(label="Exit date")
    service_user_transition = text(
        "How service users move on", rows=3, message="Enter how service users move on"
    )
    agreed_on = GOVUKDateField(label="Agreed with the provider on", noun="date agreed with the provider")
    keep = PoundsField(
        label="Still to be paid up to the exit date (optional)",
        required=False,
        noun="the amount still to be paid",
    )

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self._init_helper(
            Field.textarea("support_offered"),
            Field("exit_date"),
            Field.textarea("service_user_transition"),
            Field("agreed_on"),
            Field.text("keep", field_width=10),
        )

    def clean(self):

        data = super().clean()
        if self.contract is not None:
            self.add_problems(
                decommissioning_plan_problems(
                    contract=self.contract, exit_date=data.get("exit_date"), agreed_on=data.get("agreed_on")
                )
            )
        return data
