"""An application's sections, its attachments and declaration, and a note with a reason."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from grants.forms._fields import YES_NO
from grants.services import applications as application_services
from opcc.fields import DocumentField, GOVUKDateField, PoundsField, year_ahead_examples
from opcc.forms import GOVUKForm
from opcc.models import LocalPolicingArea


class ProjectForm(GOVUKForm, forms.Form):
    title = forms.CharField(label="Project name", max_length=200, required=False)
    summary = forms.CharField(
        label="Summary of the project",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"What you will do, who for and where. Up to {application_services.WORD_LIMITS['summary'][0]} words.",
    )
    area = forms.ModelChoiceField(
        label="Local policing area",
        queryset=LocalPolicingArea.objects.all(),
        required=False,
        empty_label="Choose the area",
        help_text="The area where the project will run",
    )
    start_date = GOVUKDateField(label="Start date", required=False)  # hints set in __init__: never stale
    end_date = GOVUKDateField(label="End date", required=False)

    def __init__(self, *args, show_area=False, **kwargs):
        super().__init__(*args, **kwargs)
        start_example, end_example = year_ahead_examples()
        self.fields["start_date"].help_text = f"Today or later. {start_example}"
        years = application_services.MAX_PROJECT_YEARS
        self.fields["end_date"].help_text = f"The project can run for up to {years} years. {end_example}"
        # The GOV.UK character count tells the applicant as they type; the service refuses a longer answer.
        fields = [
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary", rows=5, max_words=application_services.WORD_LIMITS["summary"][0]),
        ]
        if show_area:
            fields.append(Field.select("area"))
        else:
            del self.fields["area"]
        fields += [Field("start_date"), Field("end_date")]
        self._init_helper(*fields)

    def clean(self):
        data = super().clean()
        # The dates' rules are checked here so every problem shows at once (the service checks again).
        for field, problems in application_services.project_date_problems(
            data.get("start_date"), data.get("end_date")
        ).items():
            self.add_error(field, problems)
        return data


class NeedForm(GOVUKForm, forms.Form):
    need = forms.CharField(
        label="What need will the project meet?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Refer to the needs assessment or local evidence where you can",
    )
    outcomes = forms.CharField(
        label="What outcomes will it achieve, and how will you measure them?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    prevention = forms.ChoiceField(
        label="Is the project about prevention or early intervention?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.textarea("need"),
            Field.textarea("outcomes"),
            Field.radios("prevention", legend_size=Size.SMALL, inline=True),
        )


class BudgetForm(GOVUKForm, forms.Form):
    amount_requested = PoundsField(label="Amount requested", required=False, allow_zero=False)
    budget = forms.CharField(
        label="How will the money be spent?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The main costs, for example staff, venues, equipment",
    )
    match_funding_amount = PoundsField(
        label="Match funding (optional)",
        required=False,
        help_text="Money from other funders for the same project",
    )
    match_funding_source = forms.CharField(
        label="Source of match funding (optional)", max_length=200, required=False
    )

    def __init__(self, *args, max_award=None, **kwargs):
        super().__init__(*args, **kwargs)
        if max_award is not None:
            self.fields["amount_requested"].help_text = f"No more than £{max_award:,.2f}"
        self._init_helper(
            Field.text("amount_requested", field_width=10),
            Field.textarea("budget"),
            Field.text("match_funding_amount", field_width=10),
            Field.text("match_funding_source", field_width=Fluid.TWO_THIRDS),
        )


class ProjectLineForm(GOVUKForm, forms.Form):
    title = forms.CharField(
        label="Project", max_length=200, error_messages={"required": "Enter the project's name"}
    )
    description = forms.CharField(
        label="What it will do",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the project will do"},
    )
    priority = forms.CharField(label="Priority it meets (optional)", max_length=200, required=False)
    amount = PoundsField(label="Cost", allow_zero=False, noun="the project's cost")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("description"),
            Field.text("priority", field_width=Fluid.TWO_THIRDS),
            Field.text("amount", field_width=10),
        )


class AttachmentForm(GOVUKForm, forms.Form):
    title = forms.CharField(
        label="What is this document?",
        max_length=200,
        required=False,
        help_text="For example, latest annual accounts or safeguarding policy",
    )
    file = DocumentField(label="Upload a file", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.text("title", field_width=Fluid.TWO_THIRDS), Field("file"))

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("title"):
            self.add_error("title", "Enter what the document is")
        return data


class DeclarationForm(GOVUKForm, forms.Form):
    confirmed = forms.BooleanField(
        label="I confirm that the information in this application is true and complete, and that I may apply on "
        "behalf of the organisation",
        required=False,
    )
    name = forms.CharField(
        label="Full name",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    role = forms.CharField(label="Role in the organisation", max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.checkbox("confirmed"),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("role", field_width=Fluid.TWO_THIRDS),
        )


class NoteForm(GOVUKForm, forms.Form):
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label="Note", help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].help_text = help_text
        self._init_helper(Field.textarea("note"))
