"""Forms for outcome monitoring. Fields parse what people type (a clear message for letters in a number
field); the rules (ranges, completeness) live in the services and come back as field errors."""

from decimal import Decimal, InvalidOperation

from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Size
from django import forms
from django.utils import timezone

from opcc.fields import DocumentField, GOVUKDateField, PoundsField
from opcc.forms import GOVUKForm
from opcc.services import documents
from reporting.models import MeasureKind
from reporting.services.performance import target_for
from reporting.services.returns import RateAnswer, answer_field, check_answer
from reporting.services.visits import NO_OFFICER, PLANNED_IN_THE_PAST


class NumberField(forms.CharField):
    """A number as typed ("1,204", "75%"): kept as typed when wrong, so the person can correct it."""

    def __init__(self, *, noun: str, example: str, **kwargs):
        self.noun, self.example = noun, example
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}))
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        value = (value or "").strip().replace(",", "").replace("%", "").strip()
        if value == "":
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError(f"Enter {self.noun} as a number, like {self.example}") from None
        if not number.is_finite() or abs(number) > Decimal("9999999999"):
            raise forms.ValidationError(f"Enter {self.noun} as a number, like {self.example}")
        if number.as_tuple().exponent < -2:
            raise forms.ValidationError(f"Enter {self.noun} with no more than 2 decimal places")
        return number


def measure_field_name(measure) -> str:
    return f"m_{measure.pk}"


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def _noun(measure) -> str:
    name = measure.name
    return name[0].lower() + name[1:]


def _help(measure, quarters: int = 1) -> str:

    parts = [measure.help] if measure.help else []
    if measure.kind == MeasureKind.STAR:
        parts.append(f"{measure.star_name}: a score from {measure.star_min} to {measure.star_max}")
    target = target_for(measure, quarters)
    if target is not None:
        unit = "%" if measure.kind == MeasureKind.PERCENTAGE else f" {measure.unit}" if measure.unit else ""
        label = "Target for the project" if quarters > 1 else "Quarterly target"
        parts.append(f"{label}: {target.normalize():f}{unit}")
    return ". ".join(parts)


def _rate_target(measure, quarters: int = 1) -> str:
    if not measure.has_target:
        return ""
    label = "Target for the project" if quarters > 1 else "Quarterly target"
    return f"{label}: {measure.quarterly_target.normalize():f}% of those in the first answer"


def _for_the_project(text: str) -> str:
    """A measure's words as an end-of-project report asks them: the whole project, not "this quarter"."""
    return text.replace("this quarter", "during the project").replace("This quarter", "During the project")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        # crispy-forms-gds styles a file input by its widget's class name; this one needs telling.
        super().__init__({"class": "govuk-file-upload", **(attrs or {})})


class PhotographsField(forms.FileField):
    """Several photographs in one go (JPEG or PNG), each checked by the documents service when it is stored."""

    def __init__(self, **kwargs):

        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault(
            "help_text", f"Choose one or more. {documents.upload_hint((documents.JPEG, documents.PNG))}"
        )
        super().__init__(required=False, **kwargs)
        self.widget.attrs["accept"] = documents.accept_attribute((documents.JPEG, documents.PNG))

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(PhotographsField, self).clean(f, initial) for f in files if f]


class ReturnForm(GOVUKForm, forms.Form):
    activity = forms.CharField(
        label="What you did this quarter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The service you provided: staffing, where and how people were supported, partnership work",
    )
    case_studies = forms.CharField(
        label="Anonymised case studies (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Describe people's journeys without names, dates of birth, addresses or anything else that could identify them",
    )
    service_user_feedback = forms.CharField(
        label="Service user feedback (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What service users told you, in their words, without identifying them",
    )
    spend_to_date = PoundsField(
        label="Spend to date",
        required=False,
        help_text="Total spent from this award since it started, in pounds",
    )
    attachment = DocumentField(
        label="Attach a document (optional)",
        required=False,
        hint_prefix="For example, an evaluation report. ",
    )
    declaration = forms.CharField(
        label="Your full name",
        required=False,
        max_length=150,
        help_text="Needed only when you submit: by typing your name you declare this return is complete and accurate, "
        "and holds no personal data of any victim or service user",
    )

    def __init__(self, *args, measures, end_of_project: bool = False, quarters: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = list(measures)
        if end_of_project:
            # One report for the whole project (a light monitoring tier): its story, photographs and the figures.
            self.fields["activity"].label = "What the project did"
            self.fields["activity"].help_text = (
                "What happened, who took part and where, and the difference it made. "
                "A few paragraphs are enough."
            )
            self.fields["spend_to_date"].label = "How much the project spent"
            self.fields[
                "spend_to_date"
            ].help_text = "Of this grant, in pounds: any money not spent goes back to the fund"
            self.fields["photographs"] = PhotographsField(label="Photographs (optional)")
            self.fields["declaration"].help_text = self.fields["declaration"].help_text.replace(
                "this return", "this report"
            )
        sections: dict[str, list] = {}
        section_names: dict[str, list] = {}
        for m in self.measures:
            name = measure_field_name(m)
            label = m.name if m.required else f"{m.name} (optional)"
            if end_of_project:
                label = _for_the_project(label)
            if m.is_rate:
                # Two whole numbers in a fieldset named for the measure: how many in all, how many of them.
                denominator, numerator = f"m_{m.pk}_denominator", f"m_{m.pk}_numerator"
                asks_in_all, asks_of_them = m.denominator_question, m.numerator_question
                if end_of_project:
                    asks_in_all, asks_of_them = _for_the_project(asks_in_all), _for_the_project(asks_of_them)
                self.fields[denominator] = NumberField(
                    noun=_lower_first(asks_in_all), example="20", label=asks_in_all, help_text=m.help
                )
                self.fields[numerator] = NumberField(
                    noun=_lower_first(asks_of_them),
                    example="15",
                    label=asks_of_them,
                    help_text=_rate_target(m, quarters),
                )
                layout = Fieldset(
                    Field.text(denominator, field_width=5),
                    Field.text(numerator, field_width=5),
                    legend=label,
                    legend_size=Size.SMALL,
                )
                sections.setdefault(m.section or "Measures", []).append(layout)
                section_names.setdefault(m.section or "Measures", []).extend([denominator, numerator])
                continue
            if m.kind == MeasureKind.NARRATIVE:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    help_text=_help(m, quarters),
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
                layout = Field.textarea(name, rows=4)
            else:
                example = {"count": "12", "percentage": "75", "star": str(m.star_max // 2 + 1)}[m.kind]
                self.fields[name] = NumberField(
                    noun=_noun(m), example=example, label=label, help_text=_help(m, quarters)
                )
                layout = Field.text(name, field_width=5)
            sections.setdefault(m.section or "Measures", []).append(layout)
            section_names.setdefault(m.section or "Measures", []).append(name)
        # The error summary lists errors in the order of self.fields: make it the order of the page.
        self.order_fields(
            [
                "activity",
                "photographs",
                *[n for names in section_names.values() for n in names],
                "case_studies",
                "service_user_feedback",
                "spend_to_date",
                "attachment",
                "declaration",
            ]
        )
        # An end-of-project report's photographs go with its story.
        photographs = [Field("photographs")] if end_of_project else []
        self._init_helper(
            Fieldset(
                Field.textarea("activity", rows=6),
                *photographs,
                legend="The project" if end_of_project else "Activity",
                legend_size=Size.MEDIUM,
            ),
            *[
                Fieldset(*fields, legend=section, legend_size=Size.MEDIUM)
                for section, fields in sections.items()
            ],
            Fieldset(
                Field.textarea("case_studies", rows=6),
                Field.textarea("service_user_feedback", rows=4),
                legend="Case studies and feedback",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("spend_to_date", field_width=10),
                Field("attachment"),
                legend="Spend and documents",
                legend_size=Size.MEDIUM,
            ),
            HTML('<h2 class="govuk-heading-m">Declaration</h2>'),
            Field.text("declaration", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):
        # The rules are the service's; asking them here too lets one page show every problem at once.

        data = super().clean()
        for m in self.measures:
            names = (
                (f"m_{m.pk}_denominator", f"m_{m.pk}_numerator") if m.is_rate else (measure_field_name(m),)
            )
            if all(n in data and n not in self.errors for n in names):
                message = check_answer(m, self._answer(m, data))
                if message:
                    self.add_error(answer_field(m), message)
        return data

    @staticmethod
    def _answer(measure, data):

        if measure.is_rate:
            return RateAnswer(
                numerator=data.get(f"m_{measure.pk}_numerator"),
                denominator=data.get(f"m_{measure.pk}_denominator"),
            )
        return data.get(measure_field_name(measure))

    def answers(self) -> dict:
        return {m.pk: self._answer(m, self.cleaned_data) for m in self.measures}


class ReviewForm(GOVUKForm, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the return"), ("request_changes", "Ask for changes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to accept the return or ask for changes"},
    )
    comments = forms.CharField(
        label="Comments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed when you ask for changes: say what the provider should change. The provider sees these comments.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("comments", rows=5)
        )


def _officer_field():
    # Required by the service; left optional here so a missing officer is reported with the service's other checks.
    return forms.ModelChoiceField(
        label="Officer visiting",
        queryset=None,
        required=False,
        empty_label="Select an officer",
        error_messages={"invalid_choice": "Select the officer visiting"},
    )


class VisitScheduleForm(GOVUKForm, forms.Form):
    scheduled_for = GOVUKDateField(label="Date of the visit", help_text="Today or in the future")
    officer = _officer_field()
    purpose = forms.CharField(label="Purpose (optional)", required=False, max_length=200)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self._init_helper(
            Field("scheduled_for"),
            Field.select("officer"),
            Field.text("purpose", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):

        data = super().clean()
        # The service's rules, with the fields' own errors, so every problem shows at once.
        if data.get("scheduled_for") and data["scheduled_for"] < timezone.localdate():
            self.add_error("scheduled_for", PLANNED_IN_THE_PAST)
        if "officer" not in self.errors and data.get("officer") is None:
            self.add_error("officer", NO_OFFICER)
        return data


class VisitRecordForm(GOVUKForm, forms.Form):
    visited_on = GOVUKDateField(label="Date visited")
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Names and roles of staff; service users as a number only, like '3 service users'",
    )
    findings = forms.CharField(label="Findings", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    service_user_feedback = forms.CharField(
        label="Service user feedback (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    actions = forms.CharField(
        label="Actions agreed (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field("visited_on"),
            Field.textarea("attendees", rows=3),
            Field.textarea("findings", rows=5),
            Field.textarea("service_user_feedback", rows=4),
            Field.textarea("actions", rows=4),
        )


class PastVisitForm(VisitRecordForm):
    """A visit that has happened, recorded in one go: who went and why, then what was found."""

    officer = _officer_field()
    purpose = forms.CharField(label="Purpose (optional)", required=False, max_length=200)

    field_order = [
        "visited_on",
        "officer",
        "purpose",
        "attendees",
        "findings",
        "service_user_feedback",
        "actions",
    ]

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["visited_on"].help_text = "Today or in the past"
        self._init_helper(
            Field("visited_on"),
            Field.select("officer"),
            Field.text("purpose", field_width=Fluid.TWO_THIRDS),
            Field.textarea("attendees", rows=3),
            Field.textarea("findings", rows=5),
            Field.textarea("service_user_feedback", rows=4),
            Field.textarea("actions", rows=4),
        )
