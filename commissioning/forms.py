from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from commissioning.models import (
    BreakNotice,
    Coverage,
    OutcomeMeasure,
    ReviewDecision,
    Route,
    SingleTenderAgreement,
)
from commissioning.selectors import contract_errors
from commissioning.services.commissions import evidence_errors
from commissioning.services.contracts import break_notice_problems
from commissioning.services.decisions import decision_problems
from commissioning.services.evaluation import declaration_problems
from commissioning.services.partners import partner_problems
from commissioning.services.procurement import quote_problems
from commissioning.services.review import decommissioning_plan_problems
from commissioning.services.tenders import envelope_hint, tender_errors
from funding.models import PaymentScheduleKind, Stream
from opcc.fields import DocumentField, GOVUKDateField, ObjectivesField, PoundsField
from opcc.forms import GOVUKForm
from opcc.models import LocalPolicingArea, Organisation, Role, User


def text(label, required=True, rows=5, help_text="", message=None, max_length=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        required=required,
        widget=widget,
        help_text=help_text,
        max_length=max_length,
        error_messages={"required": message or f"Enter {label[0].lower()}{label[1:]}"},
    )


def organisations():
    return Organisation.objects.order_by("name")


def org_field(label, message, queryset=None):
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset if queryset is not None else organisations(),
        empty_label="Choose",
        error_messages={"required": message, "invalid_choice": message},
    )


class CommissionForm(GOVUKForm, forms.Form):
    title = forms.CharField(
        label="Service",
        max_length=200,
        error_messages={"required": "Enter the service being commissioned"},
        help_text="For example, domestic abuse perpetrator programme",
    )
    summary = text("What the service is for", message="Enter what the service is for")
    stream = forms.ChoiceField(
        label="Funding stream",
        choices=Stream.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the funding stream"},
    )
    officer = forms.ModelChoiceField(label="Lead officer", queryset=User.objects.none(), empty_label=None)
    objectives = ObjectivesField(
        help_text="Select every objective of the Police and Crime Plan the service serves"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.filter(
            role__in=[Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING], is_active=True
        ).order_by("full_name")
        self._init_helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary"),
            Field.radios("stream", legend_size=Size.SMALL),
            Field.select("officer"),
            Field.checkboxes("objectives", legend_size=Size.SMALL, small=True),
        )


# Each section of the Understand and Plan evidence: (title, stage, intro, field builders)
def _section_fields(key):
    if key == "engagement":
        return {
            "engagement_evidence": text(
                "Engagement with the public, service users and partners",
                help_text="Who was asked, how, and what they said",
                message="Enter the engagement evidence",
            )
        }
    if key == "outcomes":
        return {
            "outcomes_sought": text(
                "Outcomes sought",
                help_text="What should be different for people because of this service",
                message="Enter the outcomes sought",
            )
        }
    if key == "existing-provision":
        return {
            "existing_provision": text(
                "Existing provision and whether this duplicates it",
                help_text="Look at the live awards listed above: would this service duplicate any of them? "
                "Could re-commissioning or bolstering one deliver these outcomes?",
                message="Enter what existing provision there is and whether this duplicates it",
            )
        }
    if key == "partners-direction":
        return {
            "partners_direction": text(
                "Partners' strategic direction",
                message="Enter the partners' strategic direction",
                help_text="For example, the councils' and health partners' plans",
            )
        }
    if key == "co-dependencies":
        return {
            "co_dependencies": text(
                "Co-dependencies and referral pathways",
                message="Enter the co-dependencies and referral pathways",
                help_text="Referring agencies and specialist services, for a seamless pathway",
            )
        }
    if key == "pooled-budget":
        return {
            "pooled_budget": text(
                "Could a pooled budget serve?",
                message="Enter whether a pooled budget could serve",
                help_text="Would pooling budgets with partners join up provision or give economies of scale?",
            )
        }
    if key == "coverage":
        return {
            "coverage": forms.ChoiceField(
                label="Is the service West Mercia wide or a pilot?",
                choices=Coverage.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose whether the service is West Mercia wide or a pilot"},
            ),
            "pilot_reason": text("Why a pilot (if it is one)", required=False, rows=3),
            "areas": forms.ModelMultipleChoiceField(
                label="Local policing areas the pilot serves",
                help_text="Only for a pilot. A West Mercia wide service serves every "
                "area: leave these unticked",
                queryset=LocalPolicingArea.objects.order_by("name"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            ),
        }
    if key == "co-commissioning":
        return {
            "co_commissioning": text(
                "Co-commissioning",
                message="Enter who co-commissions this with the office, or why nobody does",
                help_text="Pooled budgets with partners, within the region or across boundaries",
            )
        }
    if key == "co-design":
        return {
            "co_design": text(
                "Co-design and engagement with service users",
                message="Enter the co-design and engagement with service users",
            )
        }
    if key == "pin":
        return {
            "pin_where": forms.CharField(
                label="Where the Provider Information Notice was published",
                max_length=200,
                help_text="For example, the Blue Light e-tendering portal or the Commissioner's website",
                error_messages={"required": "Enter where the notice was published"},
            ),
            "pin_published_on": GOVUKDateField(label="Date published"),
            "pin_reference": forms.CharField(
                label="Notice reference",
                max_length=60,
                error_messages={"required": "Enter the notice reference"},
            ),
        }
    if key == "value":
        return {
            "estimated_annual_value": PoundsField(label="Estimated annual value", allow_zero=False),
            "estimated_total_value": PoundsField(
                label="Estimated total value, including any extensions",
                allow_zero=False,
                noun="the estimated total value",
                help_text="Including VAT. This decides the procurement route",
            ),
            "light_touch": forms.BooleanField(
                label="This is a light-touch social service, such as victim support", required=False
            ),
        }
    raise KeyError(key)


SECTIONS = {
    # key: (heading, stage)
    "engagement": ("Engagement evidence", "understand"),
    "outcomes": ("Outcomes sought", "understand"),
    "existing-provision": ("Existing provision", "understand"),
    "partners-direction": ("Partners' strategic direction", "understand"),
    "co-dependencies": ("Co-dependencies and pathways", "understand"),
    "pooled-budget": ("Pooled budget", "understand"),
    "coverage": ("West Mercia wide or a pilot", "plan"),
    "co-commissioning": ("Co-commissioning", "plan"),
    "co-design": ("Co-design with service users", "plan"),
    "pin": ("Provider Information Notice", "plan"),
    "value": ("Estimated value", "plan"),
}


class SectionForm(GOVUKForm, forms.Form):
    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_section_fields(section))
        layout = []
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField) and isinstance(field.widget, forms.RadioSelect):
                layout.append(Field.radios(name, legend_size=Size.SMALL))
            elif isinstance(field.widget, forms.CheckboxSelectMultiple):
                layout.append(Field.checkboxes(name, legend_size=Size.SMALL))
            elif isinstance(field, forms.BooleanField):
                layout.append(Field.checkbox(name))
            elif isinstance(field.widget, forms.Textarea):
                layout.append(Field.textarea(name))
            elif isinstance(field, PoundsField):
                layout.append(Field.text(name, field_width=10))
            elif isinstance(field, GOVUKDateField):
                layout.append(Field(name))
            else:
                layout.append(Field.text(name, field_width=Fluid.TWO_THIRDS))
        self._init_helper(*layout)

    def clean(self):

        data = super().clean()
        # The service's checks on these answers, listed with the fields' own errors.
        for field, message in evidence_errors(data).items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class MeasureForm(GOVUKForm, forms.Form):
    name = forms.CharField(
        label="Measure",
        max_length=200,
        error_messages={"required": "Enter the measure"},
        help_text="For example, referrals received, or service users better able to cope and recover",
    )
    kind = forms.ChoiceField(
        label="Kind of measure",
        choices=OutcomeMeasure.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of measure"},
    )
    quarterly_target = forms.DecimalField(
        label="Quarterly target",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Not needed for a narrative",
        error_messages={
            "invalid": "Enter the quarterly target as a number, like 40",
            "min_value": "The quarterly target cannot be negative",
        },
    )
    unit = forms.CharField(
        label="Unit (optional)", max_length=40, required=False, help_text="For example, referrals or people"
    )
    star_name = forms.CharField(
        label="Outcomes Star used (for a star reading)", max_length=80, required=False
    )
    help = forms.CharField(label="Guidance for the provider (optional)", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("quarterly_target", field_width=5),
            Field.text("unit", field_width=10),
            Field.text("star_name", field_width=Fluid.ONE_HALF),
            Field.text("help", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):
        data = super().clean()
        # The measure's own rules, listed with the fields' errors (the service checks them again).
        try:
            OutcomeMeasure(
                kind=data.get("kind") or "",
                quarterly_target=data.get("quarterly_target"),
                star_name=data.get("star_name") or "",
            ).clean()
        except ValidationError as exc:
            self.add_problems(exc)
        return data


class PartnerForm(GOVUKForm, forms.Form):
    organisation = org_field("Partner", "Choose the partner organisation")
    contribution = PoundsField(label="Contribution each year", noun="the contribution")
    notes = forms.CharField(label="Notes (optional)", max_length=300, required=False)

    def __init__(self, *args, commission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.commission = commission
        self._init_helper(
            Field.select("organisation"),
            Field.text("contribution", field_width=10),
            Field.text("notes", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):

        data = super().clean()
        if self.commission is not None:
            self.add_problems(
                partner_problems(commission=self.commission, organisation=data.get("organisation"))
            )
        return data


class TransitionForm(GOVUKForm, forms.Form):
    note = forms.CharField(
        label="Note for the timeline", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if required:
            self.fields["note"].required = True
            self.fields["note"].label = "Reason"
            self.fields["note"].error_messages["required"] = "Enter the reason"
        else:
            self.fields["note"].label = "Note for the timeline (optional)"
        self._init_helper(Field.textarea("note"))


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


class PanelForm(GOVUKForm, forms.Form):
    user = forms.ModelChoiceField(
        label="Panel member",
        queryset=User.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the panel member"},
        help_text="Evaluators from other agencies, and commissioning staff",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = User.objects.filter(
            is_active=True, role__in=[Role.EVALUATOR, Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING]
        ).select_related("agency")
        self.fields["user"].queryset = qs.order_by("role", "full_name")
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name}, {u.agency or u.role_label}"
        self._init_helper(Field.select("user"))


class DeclarationForm(GOVUKForm, forms.Form):
    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        self.bids = bids
        layout = []
        for bid in bids:
            self.fields[f"bid_{bid.pk}"] = forms.TypedChoiceField(
                label=f"Do you have a conflict of interest with {bid.organisation}?",
                choices=[("no", "No"), ("yes", "Yes")],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Say whether you have a conflict of interest with {bid.organisation}"
                },
            )
            self.fields[f"details_{bid.pk}"] = forms.CharField(
                label=f"If yes, describe the conflict with {bid.organisation}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            layout += [
                Field.radios(f"bid_{bid.pk}", legend_size=Size.SMALL, inline=True),
                Field.textarea(f"details_{bid.pk}"),
            ]
        self._init_helper(*layout)

    def clean(self):

        data = super().clean()
        answers, details = self.answers()
        self.add_problems(declaration_problems(bids=self.bids, answers=answers, details=details))
        return data

    def answers(self):
        return (
            {b.pk: self.cleaned_data.get(f"bid_{b.pk}") for b in self.bids},
            {b.pk: self.cleaned_data.get(f"details_{b.pk}") for b in self.bids},
        )


class ScoreForm(GOVUKForm, forms.Form):
    """Scores per criterion, with reasons (rationale when moderating)."""

    def __init__(
        self,
        *args,
        criteria,
        scale_max,
        reason_label="Reasons for your score",
        reason_key="comment",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.criteria, self.reason_key = criteria, reason_key
        layout = []
        for c in criteria:
            # The range is checked here, with the other fields, so every error is listed at once.
            out_of_range = f"The score for {c.name} must be between 0 and {scale_max}"
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"Score for {c.name} (0 to {scale_max})",
                min_value=0,
                max_value=scale_max,
                error_messages={
                    "required": f"Enter a score for {c.name}",
                    "invalid": f"Enter the score for {c.name} as a whole number from 0 to {scale_max}",
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                },
            )
            self.fields[f"{reason_key}_{c.pk}"] = forms.CharField(
                label=f"{reason_label}: {c.name}",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "required": f"Enter the {'rationale' if reason_key == 'rationale' else 'reasons'} for the score for {c.name}"
                },
            )
            layout.append(
                Fieldset(
                    Field.text(f"score_{c.pk}", field_width=2),
                    Field.textarea(f"{reason_key}_{c.pk}"),
                    legend=f"{c.name} ({c.weight}%)",
                    legend_size=Size.SMALL,
                )
            )
        self._init_helper(*layout)

    def scores(self):
        return {
            c.pk: (
                self.cleaned_data.get(f"score_{c.pk}"),
                self.cleaned_data.get(f"{self.reason_key}_{c.pk}") or "",
            )
            for c in self.criteria
        }


class SingleTenderForm(GOVUKForm, forms.Form):
    organisation = org_field("Supplier", "Choose the supplier")
    ground = forms.ChoiceField(
        label="Ground",
        choices=SingleTenderAgreement.Ground.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the ground for the single tender agreement"},
    )
    justification = text(
        "Justification",
        message="Enter the written justification",
        help_text="The evidence that only this supplier can do it, or the case for continuity of supply",
    )
    value = PoundsField(label="Value of the agreement", allow_zero=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.select("organisation"),
            Field.radios("ground", legend_size=Size.SMALL),
            Field.textarea("justification"),
            Field.text("value", field_width=10),
        )


class ConfirmForm(GOVUKForm, forms.Form):
    confirm = forms.BooleanField(
        label="I sign off this single tender agreement",
        error_messages={"required": "Confirm that you sign off the agreement"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.checkbox("confirm"))


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
    signed_on = GOVUKDateField(label="Date signed")
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
