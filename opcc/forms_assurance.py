"""Forms of the due diligence pages: evidence, its verification, bank details and register files."""

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from opcc.fields import DocumentField, GOVUKDateField
from opcc.forms import GOVUKForm
from opcc.models import Register


class EvidenceForm(GOVUKForm, forms.Form):
    file = DocumentField(
        label="Upload the document",
        error_messages={"required": "Select the document to upload", "empty": "The selected file is empty"},
    )
    expires_on = GOVUKDateField(
        label="When does it expire?",
        noun="expiry date",
        required=False,
        help_text="For example, the end date on the insurance certificate, or when the policy is next reviewed. "
        "Leave blank if it does not expire.",
    )
    note = forms.CharField(
        label="Anything the office should know (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field("file"), Field("expires_on"), Field.textarea("note"))


class VerifyEvidenceForm(GOVUKForm, forms.Form):
    expires_on = GOVUKDateField(
        label="Expiry date",
        noun="expiry date",
        required=False,
        help_text="Correct it if the document says otherwise. Leave blank if it does not expire.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field("expires_on"))


class UnechoedInput(forms.TextInput):
    """A text input that never writes its value back into the page: a refused form asks for the account number
    again rather than showing it."""

    def format_value(self, value):
        return None


class BankDetailsForm(GOVUKForm, forms.Form):
    account_name = forms.CharField(
        label="Name on the account",
        max_length=140,
        error_messages={"required": "Enter the name on the account"},
    )
    sort_code = forms.CharField(
        label="Sort code",
        max_length=8,
        help_text="Must be 6 digits long",
        error_messages={"required": "Enter a sort code"},
    )
    account_number = forms.CharField(
        label="Account number",
        max_length=12,
        help_text="Must be 8 digits long",
        error_messages={"required": "Enter an account number"},
        widget=UnechoedInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort_code"].widget.attrs.update(
            inputmode="numeric", spellcheck="false", autocomplete="off"
        )
        self.fields["account_number"].widget.attrs.update(
            inputmode="numeric", spellcheck="false", autocomplete="off"
        )
        self._init_helper(
            Field.text("account_name", field_width=Fluid.TWO_THIRDS),
            Field.text("sort_code", field_width=5),
            Field.text("account_number", field_width=10),
        )


class VerifyBankForm(GOVUKForm, forms.Form):
    note = forms.CharField(
        label="How did you verify the account?",
        max_length=300,
        help_text="For example: called the finance manager on the number we already held, who confirmed it",
        error_messages={"required": "Say how you verified the account"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.textarea("note"))


class RegisterImportForm(GOVUKForm, forms.Form):
    register = forms.ChoiceField(
        label="Which register is the file from?",
        choices=Register.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which register the file is from"},
    )
    file = forms.FileField(
        label="Upload the register file",
        help_text="The charity table of the Charity Commission's register extract (publicextract.charity.txt, or "
        "its zip), or Companies House's BasicCompanyData CSV (or its zip)",
        error_messages={"required": "Select the register file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.radios("register"), Field("file"))
