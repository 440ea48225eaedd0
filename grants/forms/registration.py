"""An organisation registering to apply."""

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from opcc.forms import OrganisationForm


class RegisterForm(OrganisationForm):
    """A provider registers its organisation and its first contact, who becomes the organisation's administrator
    once they have created their account from the link emailed to them (grants.registration)."""

    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label="Your email address",
        help_text="We will send the link to create your account to this address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.fields += [
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
        ]
        # A CSP is set up by the office, not by self-registration.
        self.fields["org_type"].choices = [
            c for c in self.fields["org_type"].choices if c[0] not in ("csp", "public_body")
        ]

    def clean_contact_email(self):
        # Whether the address has an account is never said here: see grants.registration.
        return self.cleaned_data["contact_email"].strip().lower()
