"""The conflicts assessment's declarations, the supplier exclusion check and the debarment list upload."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from commissioning.forms._fields import text
from commissioning.models import ConflictDeclaration, SupplierCheck
from commissioning.services.conflicts import declaration_problems
from commissioning.services.exclusions import check_problems
from opcc.fields import DocumentField, GOVUKDateField
from opcc.forms import GOVUKForm
from opcc.services import documents

YES_NO = [("yes", "Yes"), ("no", "No")]


class DeclarationForm(GOVUKForm, forms.Form):
    interest = forms.ChoiceField(
        label="Do they have an interest in the procurement or in any supplier?",
        help_text="A personal, professional or financial interest, direct or indirect (Procurement Act 2023 s.81)",
        widget=forms.RadioSelect,
        choices=YES_NO,
        error_messages={"required": "Select yes if they have an interest in the procurement or a supplier"},
    )
    details = text("The interest", required=False, rows=3)
    mitigation = forms.ChoiceField(
        label="How is the conflict mitigated?",
        widget=forms.RadioSelect,
        choices=ConflictDeclaration.Mitigation.choices,
        required=False,
    )
    mitigation_reasons = text(
        "The mitigation, and why it is enough",
        required=False,
        rows=3,
        help_text="For example: takes no part in the award decision, which goes to the head of commissioning",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.radios("interest", legend_size=Size.MEDIUM, legend_tag="h2", inline=True),
            Field.textarea("details"),
            Field.radios("mitigation", legend_size=Size.SMALL),
            Field.textarea("mitigation_reasons"),
        )

    def clean(self):
        data = super().clean()
        answer = data.get("interest")
        data["interest"] = None if not answer else answer == "yes"
        if answer:
            self.add_problems(
                declaration_problems(
                    interest=data["interest"],
                    details=data.get("details", ""),
                    mitigation=data.get("mitigation", ""),
                    reasons=data.get("mitigation_reasons", ""),
                )
            )
        return data


class ConfirmAssessmentForm(GOVUKForm, forms.Form):
    confirm = forms.BooleanField(
        label="I have reviewed everyone in the assessment, their declarations and the mitigations",
        error_messages={"required": "Confirm that you have reviewed the assessment"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.checkbox("confirm"))


class SupplierCheckForm(GOVUKForm, forms.Form):
    mandatory_considered = forms.BooleanField(
        label="I have considered the mandatory exclusion grounds (Schedule 6)", required=False
    )
    mandatory_notes = text(
        "What you considered on the mandatory grounds, and what you found", required=False, rows=3
    )
    discretionary_considered = forms.BooleanField(
        label="I have considered the discretionary exclusion grounds (Schedule 7)", required=False
    )
    discretionary_notes = text(
        "What you considered on the discretionary grounds, and what you found", required=False, rows=3
    )
    cdp_identifier = forms.CharField(
        label="Central digital platform identifier",
        help_text="The supplier's Public Procurement Organisation Number (PPON), like GB-PPON-ABCD-1234-EFGH",
        required=False,
        max_length=30,
    )
    core_information_shared_on = GOVUKDateField(
        label="Date the supplier shared its core supplier information through the platform",
        noun="date the core supplier information was shared",
        required=False,
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        required=False,
        choices=[
            ("", "Not decided yet"),
            Choice(SupplierCheck.Outcome.NOT_EXCLUDED, "Not excluded"),
            Choice(
                SupplierCheck.Outcome.EXCLUDED,
                "Excluded",
                hint="Its tender is disregarded; the Procurement Review Unit must be told within 30 days",
            ),
        ],
    )
    exclusion_grounds = text("Exclusion grounds that apply", required=False, rows=2)
    exclusion_reasons = text("Reasons for the exclusion", required=False, rows=3)
    excluded_on = GOVUKDateField(label="Date excluded", noun="date the supplier was excluded", required=False)
    pru_notified_on = GOVUKDateField(
        label="Date the Procurement Review Unit was told (if it has been)",
        noun="date the Procurement Review Unit was told",
        required=False,
    )

    def __init__(self, *args, entry=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry, self.today = entry, today
        self._init_helper(
            Field.checkbox("mandatory_considered"),
            Field.textarea("mandatory_notes"),
            Field.checkbox("discretionary_considered"),
            Field.textarea("discretionary_notes"),
            Field.text("cdp_identifier", field_width=Fluid.ONE_HALF),
            Field("core_information_shared_on"),
            Field.radios("outcome", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("exclusion_grounds"),
            Field.textarea("exclusion_reasons"),
            Field("excluded_on"),
            Field("pru_notified_on"),
        )

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.add_problems(check_problems(data, entry=self.entry, today=self.today))
        return data


class PruNoticeForm(GOVUKForm, forms.Form):
    pru_notified_on = GOVUKDateField(
        label="Date the Procurement Review Unit was told", noun="date it was told"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field("pru_notified_on"))


class DebarmentListForm(GOVUKForm, forms.Form):
    list_date = GOVUKDateField(label="Date of the list", noun="date of the list")
    file = DocumentField(
        label="The debarment list (CSV)",
        allowed=(documents.CSV,),
        hint_prefix="Columns: supplier_name, registration_number, cdp_identifier, ground_type, grounds, "
        "date_entered, end_date. ",
        error_messages={"required": "Select the debarment list file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field("list_date"), Field("file"))
