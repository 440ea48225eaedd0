"""The forms finance fills in to record money owed back, and its receipt."""

from crispy_forms_gds.layout import Field
from django import forms

from funding.services.recoveries import receipt_problems, recovery_problems
from opcc.fields import GOVUKDateField, PoundsField
from opcc.forms import GOVUKForm


class RecoveryForm(GOVUKForm, forms.Form):
    final_spend = PoundsField(
        label="Final spend",
        help_text="What the organisation spent of the money it was paid: from the accepted final report, or the "
        "figure agreed when the award ended early",
    )
    amount = PoundsField(label="Amount owed back", noun="the amount owed back", allow_zero=False)
    invoice_reference = forms.CharField(
        label="Invoice reference",
        max_length=60,
        required=False,
        help_text="The reference of the invoice sent to the organisation for the money",
    )

    def __init__(self, *args, award, **kwargs):
        super().__init__(*args, **kwargs)
        self.award = award
        self._init_helper(
            Field.text("final_spend", field_width=10),
            Field.text("amount", field_width=10),
            Field.text("invoice_reference", field_width=20),
        )

    def clean(self):
        data = super().clean()
        # The service's rules, with the fields' own errors, so every problem shows at once.
        self.add_problems(
            recovery_problems(
                self.award,
                amount=data.get("amount"),
                final_spend=data.get("final_spend"),
                invoice_reference=data.get("invoice_reference") or "",
            )
        )
        return data


class ReceiptForm(GOVUKForm, forms.Form):
    received_on = GOVUKDateField(label="Date received")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field("received_on"))

    def clean(self):
        data = super().clean()
        if data.get("received_on") is not None:
            self.add_problems(receipt_problems(data["received_on"]))
        return data
