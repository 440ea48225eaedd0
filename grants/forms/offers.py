"""The grant offer, its letter's template, and the provider's acceptance."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from funding.models import PaymentScheduleKind
from grants.forms.application import DeclarationForm
from grants.services import offers as offer_services
from opcc.fields import GOVUKDateField
from opcc.forms import GOVUKForm


class AcceptForm(DeclarationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed"].label = (
            "I accept this offer and its conditions on behalf of the organisation, "
            "and I am authorised to do so"
        )


class OfferForm(GOVUKForm, forms.Form):
    start_date = GOVUKDateField(label="Grant start date")
    end_date = GOVUKDateField(label="Grant end date")
    schedule_kind = forms.ChoiceField(
        label="Payment schedule", choices=PaymentScheduleKind.choices, widget=forms.RadioSelect
    )
    accept_by = GOVUKDateField(label="Accept by", noun="acceptance deadline")
    conditions = forms.CharField(
        label="Conditions for this grant, besides the scheme's (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line",
    )
    outcomes = forms.CharField(
        label="Outcomes to be reported, besides the scheme's measures (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line",
    )
    # Checked by the service with the other rules, so a missing name is listed with them.
    signatory_name = forms.CharField(
        label="Name of the person signing the letter",
        max_length=150,
        required=False,
        help_text="The letter is signed with their name and role",
    )
    signatory_role = forms.CharField(
        label="Their role", max_length=150, required=False, help_text="For example, Head of Commissioning"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_by"].help_text = "Today or later, and before the grant start date"
        self._init_helper(
            Field("start_date"),
            Field("end_date"),
            Field.radios("schedule_kind", legend_size=Size.SMALL),
            Field("accept_by"),
            Field.textarea("conditions"),
            Field.textarea("outcomes"),
            Field.text("signatory_name", field_width=Fluid.TWO_THIRDS),
            Field.text("signatory_role", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):
        data = super().clean()
        # Every rule the form can check is checked here, so all the errors show at once (the service checks again).
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The grant end date must be the same as or after the start date")
        if data.get("accept_by") and (
            problem := offer_services.accept_by_problem(data["accept_by"], data.get("start_date"))
        ):
            self.add_error("accept_by", problem)
        for field, problems in offer_services.signatory_problems(
            data.get("signatory_name"), data.get("signatory_role")
        ).items():
            self.add_error(field, problems)
        return data


class LetterTemplateForm(GOVUKForm, forms.Form):
    letterhead = forms.CharField(
        label="Letterhead",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The office's name and address, one line each (text only)",
        error_messages={"required": "Enter the letterhead"},
    )
    body = forms.CharField(
        label="Letter",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        error_messages={"required": "Enter the letter"},
    )

    def __init__(self, *args, placeholders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = (
            "HTML with placeholders in double curly brackets. Available: " + ", ".join(placeholders)
        )
        self._init_helper(Field.textarea("letterhead"), Field.textarea("body"))
