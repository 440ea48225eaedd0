"""The payments compliance notice's approval: who approved it (reg. 38(2)(e) asks their name and job title)."""

from crispy_forms_gds.layout import Field
from django import forms

from opcc.forms import GOVUKForm


class ApprovalForm(GOVUKForm, forms.Form):
    approver_name = forms.CharField(
        label="Name of the officer who approves the notice",
        help_text="The chief finance officer, or the officer who does that job",
        max_length=120,
        error_messages={"required": "Enter the name of the officer who approves the notice"},
    )
    approver_job_title = forms.CharField(
        label="Their job title",
        max_length=120,
        error_messages={"required": "Enter their job title"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.text("approver_name"), Field.text("approver_job_title", field_width=20))
