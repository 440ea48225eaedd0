"""Choosing the route, written quotes and single tender agreements."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from commissioning.forms._fields import org_field, text
from commissioning.models import (
    Route,
    Schedule5,
    SingleTenderAgreement,
)
from commissioning.procurement import is_direct_award
from commissioning.services.procurement import quote_problems
from commissioning.services.single_tender import justification_for
from opcc.fields import GOVUKDateField, PoundsField
from opcc.forms import GOVUKForm


class RouteForm(GOVUKForm, forms.Form):
    route = forms.ChoiceField(
        label="Procurement route",
        widget=forms.RadioSelect,
        choices=Route.choices,
        error_messages={"required": "Choose the procurement route"},
    )
    route_reason = text("Why this route (needed for a single tender agreement)", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.radios("route", legend_size=Size.MEDIUM, legend_tag="h2"), Field.textarea("route_reason")
        )


class QuoteForm(GOVUKForm, forms.Form):
    organisation = org_field("Supplier", "Choose the supplier who quoted")
    amount = PoundsField(label="Amount quoted", allow_zero=False)
    received_on = GOVUKDateField(label="Date received")
    notes = forms.CharField(label="Notes (optional)", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.select("organisation"),
            Field.text("amount", field_width=10),
            Field("received_on"),
            Field.text("notes", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):

        data = super().clean()
        self.add_problems(quote_problems(received_on=data.get("received_on")))
        return data


class ChooseQuoteForm(GOVUKForm, forms.Form):
    quote = forms.ChoiceField(
        label="Chosen supplier", widget=forms.RadioSelect, error_messages={"required": "Choose the supplier"}
    )
    reason = text("Why this supplier", rows=3, message="Enter why this supplier was chosen")

    def __init__(self, *args, quotes, **kwargs):
        super().__init__(*args, **kwargs)
        self.quotes = {str(q.pk): q for q in quotes}
        self.fields["quote"].choices = [(str(q.pk), f"{q.organisation}: £{q.amount:,.2f}") for q in quotes]
        self._init_helper(Field.radios("quote", legend_size=Size.SMALL), Field.textarea("reason"))


class SingleTenderForm(GOVUKForm, forms.Form):
    organisation = org_field("Supplier", "Choose the supplier")
    ground = forms.ChoiceField(
        label="Ground",
        choices=SingleTenderAgreement.Ground.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the ground for the single tender agreement"},
    )
    schedule5 = forms.ChoiceField(
        label="Schedule 5 justification (at or above the threshold)",
        choices=[("", "None: the value is below the threshold"), *Schedule5.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=(
            "At or above the threshold (£207,720, or £663,540 for a light-touch service) a single tender agreement "
            "is a direct award under the Procurement Act 2023 and must rely on a justification in its Schedule 5. "
            "Ground (a) is paragraph 6 unless you choose another. Continuity of supply, ground (b), is not on its "
            "own a justification above the threshold: choose the paragraph it fits, such as paragraph 7, or run a "
            "competitive tender. A transparency notice must then be published before the award decision."
        ),
    )
    justification = text(
        "Justification",
        message="Enter the written justification",
        help_text="The evidence that only this supplier can do it, or the case for continuity of supply",
    )
    value = PoundsField(label="Value of the agreement", allow_zero=False)

    def __init__(self, *args, light_touch: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.light_touch = light_touch
        self._init_helper(
            Field.select("organisation"),
            Field.radios("ground", legend_size=Size.SMALL),
            Field.textarea("justification"),
            Field.text("value", field_width=10),
            Field.radios("schedule5", legend_size=Size.SMALL),
        )

    def clean(self):
        data = super().clean()
        if data.get("ground") and data.get("value") is not None:
            try:
                justification_for(
                    ground=data["ground"],
                    schedule5=data.get("schedule5") or "",
                    above=is_direct_award(data["value"], light_touch=self.light_touch),
                )
            except ValidationError as exc:
                self.add_problems(exc)
        return data


class ConfirmForm(GOVUKForm, forms.Form):
    confirm = forms.BooleanField(
        label="I sign off this single tender agreement",
        error_messages={"required": "Confirm that you sign off the agreement"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.checkbox("confirm"))
