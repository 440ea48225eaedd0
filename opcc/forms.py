from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm, SetPasswordMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template import loader
from django_fsm import TransitionNotAllowed

from opcc.fields import DocumentField, GOVUKDateField, ObjectivesField
from opcc.models import Organisation, User
from opcc.models.organisations import normalise_postcode, validate_postcode
from opcc.services.notifications import WITHHELD_LINK
from opcc.services.password_reset import queue_reset_email
from opcc.services.plan import period_errors


class GOVUKForm:
    """Adds a crispy-forms-gds helper; templates write the <form> tag and the buttons."""

    def _init_helper(self, *fields, label_size=None):
        self.helper = FormHelper()
        self.helper.form_tag = False
        if label_size:
            self.helper.label_size = label_size
        if fields:
            self.helper.layout = Layout(*fields)

    def add_problems(self, problems) -> None:
        """Put a service's (or a model's) problems with these answers on the form, from clean(), so the error summary
        lists them with the fields' own at once. A field that already has an error keeps just that one."""

        if isinstance(problems, ValidationError):
            problems = (
                problems.message_dict
                if hasattr(problems, "error_dict")
                else {NON_FIELD_ERRORS: problems.messages}
            )
        for field, messages in problems.items():
            if field in self.fields and field in self.errors:
                continue
            self.add_error(field if field in self.fields else None, messages)


class SignInForm(GOVUKForm, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        # The same words for an unknown email and a wrong password: never reveal who has an account.
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed. Contact the commissioning team if you need access.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self._init_helper(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
        )


class TokenForm(GOVUKForm, forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        min_length=6,
        max_length=8,
        error_messages={
            "required": "Enter the 6-digit security code",
            "min_length": "The security code must be 6 digits",
            "max_length": "The security code must be 6 digits",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        self.device = device
        super().__init__(*args, **kwargs)
        self._init_helper(Field.text("token", field_width=5))

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError("The security code must be 6 digits")
        if self.device is None:
            raise forms.ValidationError("Set up two-factor sign-in first")
        allowed, _ = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError("Too many wrong codes. Wait a minute, then enter the newest code.")
        if not self.device.verify_token(token):
            raise forms.ValidationError("The security code is wrong or has expired. Enter the newest code.")
        return token


class GOVUKPasswordResetForm(GOVUKForm, PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.text("email", field_width=Fluid.TWO_THIRDS))

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Through the outbox like every other message, so it is recorded and retried. Django's token is
        # dropped: the outbox stores the email without its link and makes a fresh one when it sends it.

        context = {k: v for k, v in context.items() if k not in ("token", "uid")} | {
            "reset_link": WITHHELD_LINK
        }
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        queue_reset_email(user=context["user"], to_email=to_email, subject=subject, body=body)


class PasswordPairMixin(SetPasswordMixin):
    """A new password typed twice: the two must match, then the password must pass the validators for this
    person. One error at a time, on the field to correct; Django's SetPasswordMixin does the checking."""

    error_messages = {"password_mismatch": "The passwords do not match"}

    def clean_password_pair(self, user, first: str, second: str) -> None:
        self.validate_passwords(first, second)
        if second not in self.errors:
            self.validate_password_for_user(user, first)


class GOVUKSetPasswordForm(GOVUKForm, PasswordPairMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.fields["new_password2"].help_text = ""
        self._init_helper(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):
        self.clean_password_pair(self.user, "new_password1", "new_password2")
        return forms.Form.clean(self)


class AcceptInvitationForm(GOVUKForm, PasswordPairMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. Avoid common words and your name.",
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        error_messages={"required": "Confirm your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email="", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("password1", field_width=Fluid.TWO_THIRDS),
            Field.text("password2", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):
        data = super().clean()
        self.clean_password_pair(
            User(email=self.email, full_name=data.get("full_name", "")), "password1", "password2"
        )
        return data


class OrganisationForm(GOVUKForm, forms.ModelForm):
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address in the correct format, like https://www.example.org"},
        # A text input: crispy-forms-gds gives URLInput neither govuk-input nor its error style.
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"}),
    )
    # No length limit on what is typed: the postcode is checked once, after normalising, with one clear message.
    postcode = forms.CharField(
        label="Postcode",
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "org_type",
            "charity_number",
            "company_number",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "email",
            "phone",
            "website",
            "areas_served",
        ]
        labels = {"name": "Organisation name"}
        widgets = {"org_type": forms.RadioSelect, "areas_served": forms.CheckboxSelectMultiple}
        error_messages = {
            "name": {"required": "Enter the organisation's name"},
            "org_type": {"required": "Select the type of organisation"},
            "address_line_1": {"required": "Enter the first line of the address"},
            "town": {"required": "Enter the town or city"},
            "postcode": {"required": "Enter the postcode"},
            "email": {"invalid": "Enter an email address in the correct format, like name@example.org"},
            "website": {"invalid": "Enter a web address in the correct format, like https://www.example.org"},
        }
        help_texts = {
            "charity_number": "For a registered charity or CIO, like 1123456",
            "company_number": "For a company or community interest company, like 01234567",
            "areas_served": "Select every local policing area the organisation works in",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radios need no "---------" choice: nothing selected is the empty answer.
        self.fields["org_type"].choices = [c for c in self.fields["org_type"].choices if c[0]]
        self._init_helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("org_type", legend_size=Size.SMALL),
            Field.text("charity_number", field_width=10),
            Field.text("company_number", field_width=10),
            Field.text("address_line_1", field_width=Fluid.TWO_THIRDS),
            Field.text("address_line_2", field_width=Fluid.TWO_THIRDS),
            Field.text("town", field_width=Fluid.ONE_HALF),
            Field.text("postcode", field_width=10),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("phone", field_width=20),
            Field.text("website", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("areas_served", legend_size=Size.SMALL),
        )

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        validate_postcode(postcode)
        return postcode


class InviteContactForm(GOVUKForm, forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter the person's full name"}
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    make_admin = forms.BooleanField(
        label="They can invite other colleagues from this organisation", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("make_admin"),
        )


class DocumentUploadForm(GOVUKForm, forms.Form):
    title = forms.CharField(
        label="What is this document?",
        max_length=200,
        help_text="For example, safeguarding policy or latest annual accounts",
        error_messages={"required": "Enter what the document is"},
    )
    file = DocumentField(
        label="Upload a file",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.text("title", field_width=Fluid.TWO_THIRDS), Field("file"))


class PlanForm(GOVUKForm, forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the plan's title"}
    )
    period_start = GOVUKDateField(label="Start of the plan's period")
    period_end = GOVUKDateField(label="End of the plan's period")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS), Field("period_start"), Field("period_end")
        )

    def clean(self):

        data = super().clean()
        for field, message in period_errors(data.get("period_start"), data.get("period_end")).items():
            self.add_error(field, message)
        return data


class PriorityForm(GOVUKForm, forms.Form):
    title = forms.CharField(
        label="Priority", max_length=200, error_messages={"required": "Enter the priority"}
    )
    description = forms.CharField(
        label="Short description",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The description must be 500 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.text("title", field_width=Fluid.TWO_THIRDS), Field.textarea("description"))


class ObjectiveForm(GOVUKForm, forms.Form):
    title = forms.CharField(
        label="Objective", max_length=200, error_messages={"required": "Enter the objective"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.text("title", field_width=Fluid.TWO_THIRDS))


class TagObjectivesForm(GOVUKForm, forms.Form):
    objectives = ObjectivesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.checkboxes("objectives", legend_size=Size.MEDIUM, small=True))


def errors_to_form(form, exc) -> None:
    """Put a service's refusal on the form, so it shows in the GOV.UK error summary next to the field
    it names (or at the top), and the page is shown again with what was typed."""

    if isinstance(exc, TransitionNotAllowed):
        form.add_error(None, str(exc))
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
