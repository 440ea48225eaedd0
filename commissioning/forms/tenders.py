"""A tender's notice and criteria, and the bids it receives."""

from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms

from commissioning.forms._fields import org_field, text
from commissioning.services.tenders import envelope_hint, tender_errors
from opcc.fields import DocumentField, GOVUKDateField, PoundsField
from opcc.forms import GOVUKForm


class TenderForm(GOVUKForm, forms.Form):
    funding_envelope = PoundsField(
        label="Funding envelope", allow_zero=False, help_text="Published to bidders"
    )
    envelope_reason = text(
        "If the envelope is above the estimated value by more than the margin, why (optional)",
        required=False,
        rows=3,
    )
    quality_weight = forms.IntegerField(
        label="Quality (%)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the quality weighting",
            "invalid": "Enter the quality weighting as a whole number, like 70",
            "min_value": "The quality weighting cannot be negative",
            "max_value": "The quality weighting cannot be more than 100%",
        },
    )
    price_weight = forms.IntegerField(
        label="Price (%)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter the price weighting",
            "invalid": "Enter the price weighting as a whole number, like 30",
            "min_value": "The price weighting cannot be negative",
            "max_value": "The price weighting cannot be more than 100%",
        },
    )
    portal_reference = forms.CharField(
        label="E-tendering portal reference",
        max_length=60,
        error_messages={"required": "Enter the e-tendering portal reference"},
    )
    published_on = GOVUKDateField(label="Published on", noun="date the tender was published")
    clarification_deadline = GOVUKDateField(
        label="Clarification questions close (optional)",
        required=False,
        noun="date clarification questions close",
    )
    closes_on = GOVUKDateField(label="Bids close", noun="date bids close")
    market_engagement_on = GOVUKDateField(
        label="Market engagement event (if held)", required=False, noun="date of the market engagement event"
    )
    market_engagement_notes = text(
        "What the market engagement event found (optional)", required=False, rows=3
    )

    def __init__(self, *args, procurement=None, tender=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.procurement, self.tender = procurement, tender
        if procurement is not None:
            self.fields["funding_envelope"].help_text = envelope_hint(procurement)
        self._init_helper(
            Field.text("funding_envelope", field_width=10),
            Field.textarea("envelope_reason"),
            Fieldset(
                Field.text("quality_weight", field_width=3),
                Field.text("price_weight", field_width=3),
                legend="Quality and price split (published, adding up to 100%)",
                legend_size=Size.SMALL,
            ),
            Field.text("portal_reference", field_width=20),
            Field("published_on"),
            Field("clarification_deadline"),
            Field("closes_on"),
            Field("market_engagement_on"),
            Field.textarea("market_engagement_notes"),
        )

    def clean(self):

        data = super().clean()
        # Every check the service makes on these answers, with the fields' own errors, so the summary lists them
        # all at once, in page order (a field that already has an error is left out of the checks that need it).
        if self.procurement is not None:
            for field, message in tender_errors(
                procurement=self.procurement, tender=self.tender, **data
            ).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data


class CriteriaForm(GOVUKForm, forms.Form):
    ROWS = 6

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for i in range(1, self.ROWS + 1):
            self.fields[f"name_{i}"] = forms.CharField(label=f"Criterion {i}", max_length=150, required=False)
            self.fields[f"weight_{i}"] = forms.IntegerField(
                label=f"Weight of criterion {i} (%)",
                required=False,
                min_value=1,
                max_value=100,
                error_messages={
                    "invalid": f"Enter the weight of criterion {i} as a whole number",
                    "min_value": f"The weight of criterion {i} must be at least 1%",
                    "max_value": f"The weight of criterion {i} cannot be more than 100%",
                },
            )
            self.fields[f"guidance_{i}"] = forms.CharField(
                label=f"What a good answer to criterion {i} shows (optional)", max_length=300, required=False
            )
            layout.append(
                Fieldset(
                    Field.text(f"name_{i}", field_width=Fluid.TWO_THIRDS),
                    Field.text(f"weight_{i}", field_width=3),
                    Field.text(f"guidance_{i}", field_width=Fluid.TWO_THIRDS),
                    legend=f"Criterion {i}",
                    legend_size=Size.SMALL,
                )
            )
        self._init_helper(*layout)

    def clean(self):
        data = super().clean()
        for i in range(1, self.ROWS + 1):
            name, weight = data.get(f"name_{i}"), data.get(f"weight_{i}")
            if name and weight is None and f"weight_{i}" not in self.errors:
                self.add_error(f"weight_{i}", f"Enter the weight of criterion {i}")
            if weight is not None and not name:
                self.add_error(f"name_{i}", f"Enter the name of criterion {i}")
        return data

    def rows(self):
        d = self.cleaned_data
        return [
            (d[f"name_{i}"], d[f"weight_{i}"], d.get(f"guidance_{i}") or "")
            for i in range(1, self.ROWS + 1)
            if d.get(f"name_{i}")
        ]


class BidForm(GOVUKForm, forms.Form):
    organisation = org_field("Bidder", "Choose the bidder")
    price = PoundsField(label="Total price", allow_zero=False)
    received_on = GOVUKDateField(label="Received on", noun="date the bid was received")
    summary = text("Summary of the bid (optional)", required=False, rows=3)
    file = DocumentField(label="Bid documents (optional)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.select("organisation"),
            Field.text("price", field_width=10),
            Field("received_on"),
            Field.textarea("summary"),
            Field("file"),
        )


class BidChangeForm(BidForm):
    """Correct a bid as recorded: its documents stay as they are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["file"]
        self.fields["summary"].label = "Summary of the bid (optional)"
        self._init_helper(
            Field.select("organisation"),
            Field.text("price", field_width=10),
            Field("received_on"),
            Field.textarea("summary"),
        )


class WithdrawBidForm(GOVUKForm, forms.Form):
    reason = text(
        "Why the bid is being withdrawn",
        rows=3,
        message="Enter why the bid is being withdrawn",
        help_text="For example, the bidder withdrew it by email. This is recorded on the commission’s timeline",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.textarea("reason"))


class LateBidForm(GOVUKForm, forms.Form):
    decision = forms.ChoiceField(
        label="The panel’s decision",
        widget=forms.RadioSelect,
        choices=[
            ("accepted", "Accept the late bid: it is evaluated with the others"),
            ("rejected", "Reject the late bid: it is not evaluated"),
        ],
        error_messages={"required": "Select whether the panel accepts or rejects the late bid"},
    )
    reason = text(
        "Reason for the panel’s decision",
        rows=3,
        message="Enter the reason for the panel’s decision",
        help_text="For example, the e-tendering portal was unavailable on the closing day",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.radios("decision", legend_size=Size.SMALL), Field.textarea("reason"))
