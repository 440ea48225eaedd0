"""Uploading a redacted contract copy, and sending one back."""

from crispy_forms_gds.layout import Field
from django import forms

from opcc.forms import GOVUKForm
from opcc.services import documents


class ContractCopyForm(GOVUKForm, forms.Form):
    file = forms.FileField(
        label="Upload the redacted copy of the signed contract",
        help_text="A PDF, smaller than 20MB, with what should not be published blacked out",
        required=False,
    )
    redactions = forms.CharField(
        label="What was redacted and why",
        help_text="For example: personal data: staff names and signatures; commercially sensitive: pricing "
        "schedule. Write “Nothing” if nothing was.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = documents.accept_attribute((documents.PDF,))
        self._init_helper(Field("file"), Field.textarea("redactions"))


class SendBackForm(GOVUKForm, forms.Form):
    reason = forms.CharField(
        label="Why it is sent back",
        help_text="What still needs redacting, or what was redacted that should be published",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.textarea("reason"))


class ApproveForm(GOVUKForm, forms.Form):
    """Approving asks nothing: the button is the decision (a refusal shows in its error summary)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper()
