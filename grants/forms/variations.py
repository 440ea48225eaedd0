"""Grant variations: asking for (or proposing) one, deciding it, and accepting its letter."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from grants.forms.application import DeclarationForm
from grants.services import variations as variation_services
from opcc.fields import GOVUKDateField, PoundsField
from opcc.forms import GOVUKForm
from opcc.models import Role


class VariationForm(GOVUKForm, forms.Form):
    new_amount = PoundsField(
        label="New total amount (optional)",
        noun="the new total amount",
        required=False,
        allow_zero=False,
        help_text="The whole grant after the change, not the difference. Leave empty to keep the amount.",
    )
    new_end_date = GOVUKDateField(label="New end date (optional)", noun="new end date", required=False)
    new_purpose = forms.CharField(
        label="New purpose (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave empty to keep the purpose",
    )
    new_conditions = forms.CharField(
        label="New conditions specific to this grant (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line; they replace the grant's own conditions (the scheme's standard ones stay)",
    )
    reason = forms.CharField(
        label="Reason for the variation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has changed and why the grant should change with it. Do not include anything that could "
        "identify a victim.",
    )

    def __init__(self, *args, award, **kwargs):
        super().__init__(*args, **kwargs)
        self.award = award
        self.fields["new_end_date"].help_text = (
            f"Now {award.end_date:%-d %B %Y}. For example, {award.end_date.day} {award.end_date.month} "
            f"{award.end_date.year + 1}"
        )
        self._init_helper(
            Field.text("new_amount", field_width=Fluid.ONE_THIRD),
            Field("new_end_date"),
            Field.textarea("new_purpose"),
            Field.textarea("new_conditions"),
            Field.textarea("reason"),
        )

    def clean(self):
        data = super().clean()
        # Every rule is checked here, so all the errors show at once (the service checks again under a lock).
        self.add_problems(
            variation_services.variation_problems(
                self.award,
                reason=data.get("reason", ""),
                new_amount=data.get("new_amount"),
                new_end_date=data.get("new_end_date"),
                new_purpose=data.get("new_purpose", ""),
                new_conditions=data.get("new_conditions", ""),
            )
        )
        return data


class DecideVariationForm(GOVUKForm, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve and send the variation letter"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select approve or refuse"},
    )
    note = forms.CharField(
        label="Reasons for the decision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The provider is told them",
    )
    accept_by = GOVUKDateField(label="Accept by (if approved)", noun="acceptance deadline", required=False)
    decision_record = forms.CharField(
        label="PCC decision record reference (for decisions by the PCC)", max_length=60, required=False
    )

    def __init__(self, *args, variation, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.variation, self.by = variation, by
        self.fields["accept_by"].help_text = "The date the provider must accept the variation letter by"
        layout = [
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("note"),
            Field("accept_by"),
        ]
        # The PCC's decisions are published with a decision record; nobody else is asked for one.
        if by.role == Role.PCC:
            self.fields["decision_record"].label = "PCC decision record reference"
            layout.append(Field.text("decision_record", field_width=20))
        else:
            del self.fields["decision_record"]
        self._init_helper(*layout)

    def clean(self):
        data = super().clean()
        if data.get("decision"):
            self.add_problems(
                variation_services.decision_problems(
                    self.variation,
                    by=self.by,
                    decision=data["decision"],
                    note=data.get("note", ""),
                    decision_record=data.get("decision_record", ""),
                    accept_by=data.get("accept_by"),
                )
            )
        return data


class AcceptVariationForm(DeclarationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "confirmed"
        ].label = (
            "I accept this variation of the grant on behalf of the organisation, and I am authorised to do so"
        )


class WithdrawVariationForm(GOVUKForm, forms.Form):
    note = forms.CharField(
        label="Why is the variation withdrawn?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.textarea("note"))
