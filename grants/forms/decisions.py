"""Decisions on applications: the office's and an area's."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from grants.models import AreaDecision
from grants.services import decisions as decision_services
from opcc.forms import GOVUKForm


class DecisionForm(GOVUKForm, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline"},
    )
    note = forms.CharField(
        label="Reasons (the applicant is told these)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self._init_helper(
            Field.radios("decision", legend_size=Size.SMALL, inline=True), Field.textarea("note")
        )

    def clean(self):
        data = super().clean()
        if self.application is not None:
            # The service's reasons a decision cannot be recorded, listed with the form's own (it checks them again).
            self.add_problems(
                decision_services.decision_problems(
                    self.application, decision=data.get("decision") or "", note=data.get("note") or ""
                )
            )
        return data


class AreaDecisionForm(DecisionForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=AreaDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = "Comments (needed if you decline; the applicant is told them)"
