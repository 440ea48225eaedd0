"""Forms for the Police and Crime Panel report: its period, and a case study in the officer's words. The rules
(a period that has ended, an end not before its start, word limits) live in the service and come back as errors."""

from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Size
from django import forms

from opcc.forms import GOVUKForm
from reporting.services import panel_report as service

QUARTERS = [
    ("", "Select a quarter"),
    ("1", "Q1 (April to June)"),
    ("2", "Q2 (July to September)"),
    ("3", "Q3 (October to December)"),
    ("4", "Q4 (January to March)"),
]
# A period's shape and the quarters it covers; "quarters" takes them from the two selects.
PERIODS = {"fy": (1, 4), "h1": (1, 2), "h2": (3, 4)}
PERIOD_CHOICES = [
    ("fy", "The whole year (Q1 to Q4)"),
    ("h1", "The first half (Q1 and Q2)"),
    ("h2", "The second half (Q3 and Q4)"),
    ("quarters", "Chosen quarters"),
]


class PanelReportForm(GOVUKForm, forms.Form):
    start_year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=(),
        error_messages={"required": "Select the financial year"},
    )
    period = forms.ChoiceField(
        label="Period",
        choices=PERIOD_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the period the report covers"},
    )
    first_quarter = forms.TypedChoiceField(
        label="First quarter", coerce=int, choices=QUARTERS, required=False, empty_value=None
    )
    last_quarter = forms.TypedChoiceField(
        label="Last quarter", coerce=int, choices=QUARTERS, required=False, empty_value=None
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="Leave blank for “Commissioning report to the Police and Crime Panel” and the period",
        error_messages={"max_length": "The title must be 200 characters or fewer"},
    )

    def __init__(self, *args, years, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["start_year"].choices = [("", "Select a year"), *[(y.start_year, y.label) for y in years]]
        self._init_helper(
            Field.select("start_year"),
            Field.radios("period", legend_size=Size.SMALL),
            # Not a conditional reveal: GOV.UK's sets aria-expanded on a radio, which assistive technology rejects.
            Fieldset(
                HTML(
                    '<p class="govuk-hint">Only if you chose “Chosen quarters”: the first and last quarter '
                    "the report covers</p>"
                ),
                Field.select("first_quarter"),
                Field.select("last_quarter"),
                legend="Chosen quarters",
                legend_size=Size.SMALL,
            ),
            Field.text("title", field_width=Fluid.FULL),
        )
        self.helper.label_size = Size.SMALL

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period in PERIODS:
            data["first_quarter"], data["last_quarter"] = PERIODS[period]
        elif period == "quarters":
            problems = service.period_problems(
                start_year=data.get("start_year"),
                first_quarter=data.get("first_quarter"),
                last_quarter=data.get("last_quarter"),
                today=self.today,
            )
            self.add_problems(problems)
            return data
        if period and data.get("start_year") is not None:
            problems = service.period_problems(
                start_year=data["start_year"],
                first_quarter=data["first_quarter"],
                last_quarter=data["last_quarter"],
                today=self.today,
            )
            # A whole year, half year or chosen quarters: the problem is with the period as a whole.
            self.add_problems(
                {("period" if k in ("first_quarter", "last_quarter") else k): v for k, v in problems.items()}
            )
        return data


class CaseStudyForm(GOVUKForm, forms.Form):
    heading = forms.CharField(
        label="Heading",
        max_length=120,
        help_text="A few words the Panel will read first, like “Feeling safe at home again”",
        error_messages={
            "required": "Enter a heading for the case study",
            "max_length": "The heading must be 120 characters or fewer",
        },
    )
    text = forms.CharField(
        label="Case study",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=f"Edit the provider's words as the report should show them, in up to "
        f"{service.MAX_CASE_STUDY_WORDS} words. Take out anything that could identify "
        f"someone: names, ages, dates, places, family details.",
        error_messages={"required": "Enter the case study as it should appear in the report"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.text("heading", field_width=Fluid.FULL), Field.textarea("text", rows=10))
        self.helper.label_size = Size.SMALL

    def clean(self):
        data = super().clean()
        # The service's own checks (the word limit), with the fields' own errors, all at once.
        self.add_problems(
            service.case_study_problems(heading=data.get("heading", ""), text=data.get("text", ""))
        )
        return data
