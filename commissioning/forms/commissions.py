"""A commission, its Understand and Plan sections, its outcome measures and partners, and moving it on."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from commissioning.forms._fields import org_field, text
from commissioning.models import (
    Coverage,
    OutcomeMeasure,
)
from commissioning.services.commissions import evidence_errors
from commissioning.services.partners import partner_problems
from funding.models import Stream
from opcc.fields import GOVUKDateField, ObjectivesField, PoundsField
from opcc.forms import GOVUKForm
from opcc.models import LocalPolicingArea, Role, User


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
