from datetime import datetime

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.utils import timezone

from funding import ledger
from funding.models import PaymentScheduleKind, Pot
from grants import letters, selectors
from grants.models import AreaDecision, Assessment, CriterionKind, Scheme
from grants.services import applications as application_services
from grants.services import decisions as decision_services
from grants.services import offers as offer_services
from grants.services import rounds as round_services
from opcc.fields import DocumentField, GOVUKDateField, ObjectivesField, PoundsField, year_ahead_examples
from opcc.forms import GOVUKForm, OrganisationForm
from opcc.models import LocalPolicingArea

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value):
    return {True: "yes", False: "no"}.get(value)


def to_bool(value):
    return {"yes": True, "no": False}.get(value)


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


class AcceptForm(DeclarationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed"].label = (
            "I accept this offer and its conditions on behalf of the organisation, "
            "and I am authorised to do so"
        )


class NoteForm(GOVUKForm, forms.Form):
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label="Note", help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].help_text = help_text
        self._init_helper(Field.textarea("note"))


class ConflictForm(GOVUKForm, forms.Form):
    conflict = forms.ChoiceField(
        label="Do you, or anyone close to you, have an interest in this application or the organisation?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you have an interest to declare"},
    )
    details = forms.CharField(
        label="Describe the interest (if yes)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.radios("conflict", legend_size=Size.SMALL, inline=True), Field.textarea("details")
        )


class ScoreForm(GOVUKForm, forms.Form):
    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.TypedChoiceField(
                label=f"{c.name} ({c.get_kind_display().lower()}, weight {c.weight}%)",
                coerce=int,
                choices=[(str(i), str(i)) for i in range(6)],
                widget=forms.RadioSelect,
                help_text="0 means not met at all, 5 means fully met",
                error_messages={"required": f"Give a score for {c.name}"},
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=f"Comment on {c.name} (optional)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            layout += [
                Field.radios(f"score_{c.pk}", legend_size=Size.SMALL, inline=True),
                Field.textarea(f"comment_{c.pk}"),
            ]
        self._init_helper(*layout)

    def scores(self):
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class AssessmentForm(GOVUKForm, forms.Form):
    eligible = forms.ChoiceField(
        label="Is the application eligible?", choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    eligibility_notes = forms.CharField(
        label="Eligibility notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs_assessment = forms.CharField(
        label="Cross-check with the needs assessment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Is the money going to the areas of greatest need and impact?",
    )
    meets_priorities = forms.ChoiceField(
        label="Does it meet the round's priority areas?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    match_funding_confirmed = forms.ChoiceField(
        label="Is the match funding confirmed?", choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    prevention = forms.ChoiceField(
        label="Is it prevention or early intervention?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        required=False,
    )
    recommendation = forms.ChoiceField(
        label="Recommendation",
        choices=Assessment.Recommendation.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    recommended_amount = PoundsField(
        label="Recommended amount (optional)",
        required=False,
        allow_zero=False,
        help_text="Needed if you recommend a reduced amount. Leave empty to recommend the amount requested",
    )
    recommendation_notes = forms.CharField(
        label="Reasons for the recommendation", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    BOOLS = ("eligible", "meets_priorities", "match_funding_confirmed", "prevention")

    def __init__(self, *args, requested=None, **kwargs):
        super().__init__(*args, **kwargs)
        if requested is not None:
            self.fields["recommended_amount"].help_text = (
                f"Needed if you recommend a reduced amount: less than the {letters.gbp(requested)} requested. "
                "Leave empty to recommend the amount requested"
            )
        self._init_helper(
            Field.radios("eligible", legend_size=Size.SMALL, inline=True),
            Field.textarea("eligibility_notes"),
            Field.textarea("needs_assessment"),
            Field.radios("meets_priorities", legend_size=Size.SMALL, inline=True),
            Field.radios("match_funding_confirmed", legend_size=Size.SMALL, inline=True),
            Field.radios("prevention", legend_size=Size.SMALL, inline=True),
            Field.radios("recommendation", legend_size=Size.SMALL),
            Field.text("recommended_amount", field_width=10),
            Field.textarea("recommendation_notes"),
        )

    def values(self):
        data = dict(self.cleaned_data)
        for name in self.BOOLS:
            data[name] = to_bool(data[name])
        return data

    @classmethod
    def initial_for(cls, assessment):
        if assessment is None:
            return {}
        initial = {
            name: getattr(assessment, name)
            for name in (
                "eligibility_notes",
                "needs_assessment",
                "recommendation",
                "recommended_amount",
                "recommendation_notes",
            )
        }
        initial.update({name: yes_no(getattr(assessment, name)) for name in cls.BOOLS})
        return initial


class DecisionForm(GOVUKForm, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline"},
    )
    note = forms.CharField(
        label="Reasons (the applicant is told these)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self._init_helper(
            Field.radios("decision", legend_size=Size.SMALL, inline=True), Field.textarea("note")
        )

    def clean(self):
        data = super().clean()
        if self.application is not None:
            # The service's reasons a decision cannot be recorded, listed with the form's own (it checks them again).
            self.add_problems(
                decision_services.decision_problems(
                    self.application, decision=data.get("decision") or "", note=data.get("note") or ""
                )
            )
        return data


class AreaDecisionForm(DecisionForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=AreaDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = "Comments (needed if you decline; the applicant is told them)"


class OfferForm(GOVUKForm, forms.Form):
    start_date = GOVUKDateField(label="Grant start date")
    end_date = GOVUKDateField(label="Grant end date")
    schedule_kind = forms.ChoiceField(
        label="Payment schedule", choices=PaymentScheduleKind.choices, widget=forms.RadioSelect
    )
    accept_by = GOVUKDateField(label="Accept by", noun="acceptance deadline")
    conditions = forms.CharField(
        label="Conditions for this grant, besides the scheme's (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line",
    )
    outcomes = forms.CharField(
        label="Outcomes to be reported, besides the scheme's measures (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line",
    )
    # Checked by the service with the other rules, so a missing name is listed with them.
    signatory_name = forms.CharField(
        label="Name of the person signing the letter",
        max_length=150,
        required=False,
        help_text="The letter is signed with their name and role",
    )
    signatory_role = forms.CharField(
        label="Their role", max_length=150, required=False, help_text="For example, Head of Commissioning"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accept_by"].help_text = "Today or later, and before the grant start date"
        self._init_helper(
            Field("start_date"),
            Field("end_date"),
            Field.radios("schedule_kind", legend_size=Size.SMALL),
            Field("accept_by"),
            Field.textarea("conditions"),
            Field.textarea("outcomes"),
            Field.text("signatory_name", field_width=Fluid.TWO_THIRDS),
            Field.text("signatory_role", field_width=Fluid.TWO_THIRDS),
        )

    def clean(self):
        data = super().clean()
        # Every rule the form can check is checked here, so all the errors show at once (the service checks again).
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The grant end date must be the same as or after the start date")
        if data.get("accept_by") and (
            problem := offer_services.accept_by_problem(data["accept_by"], data.get("start_date"))
        ):
            self.add_error("accept_by", problem)
        for field, problems in offer_services.signatory_problems(
            data.get("signatory_name"), data.get("signatory_role")
        ).items():
            self.add_error(field, problems)
        return data


class LetterTemplateForm(GOVUKForm, forms.Form):
    letterhead = forms.CharField(
        label="Letterhead",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The office's name and address, one line each (text only)",
        error_messages={"required": "Enter the letterhead"},
    )
    body = forms.CharField(
        label="Letter",
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        error_messages={"required": "Enter the letter"},
    )

    def __init__(self, *args, placeholders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = (
            "HTML with placeholders in double curly brackets. Available: " + ", ".join(placeholders)
        )
        self._init_helper(Field.textarea("letterhead"), Field.textarea("body"))


class RoundForm(GOVUKForm, forms.Form):
    CRITERIA_ROWS = 5

    scheme = forms.ModelChoiceField(
        label="Scheme",
        queryset=Scheme.objects.all(),
        empty_label="Choose the scheme",
        error_messages={"required": "Choose the scheme"},
    )
    name = forms.CharField(
        label="Name of the round", max_length=150, error_messages={"required": "Enter the round's name"}
    )
    summary = forms.CharField(
        label="What the round funds",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the round funds"},
    )
    eligibility = forms.CharField(
        label="Who can apply",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter who can apply"},
    )
    priorities = forms.CharField(
        label="Priority areas (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="From the needs assessment, one per line",
    )
    opens_date = GOVUKDateField(label="Opening date")
    opens_time = forms.TimeField(
        label="Opening time",
        help_text="UK time, 24-hour clock, like 09:00",
        error_messages={"invalid": "Enter the opening time like 09:00"},
    )
    closes_date = GOVUKDateField(label="Closing date")
    closes_time = forms.TimeField(
        label="Closing time",
        help_text="UK time, 24-hour clock, like 12:00",
        error_messages={"invalid": "Enter the closing time like 12:00"},
    )
    decisions_by = GOVUKDateField(
        label="Decisions expected by (optional)",
        noun="date decisions are expected by",
        required=False,
        help_text="Applicants are told this when they submit",
    )
    max_award = PoundsField(label="Maximum award", allow_zero=False)
    pot = forms.ModelChoiceField(
        label="Pot the grants come from",
        queryset=Pot.objects.none(),
        required=False,
        empty_label="The bid's own area or partnership pot (LPCAF and CSP grants)",
    )
    acceptance_days = forms.IntegerField(
        label="Days to accept an offer", min_value=1, max_value=120, initial=28
    )
    objectives = ObjectivesField(
        help_text="Select every objective of the Police and Crime Plan the round serves"
    )

    def __init__(self, *args, creating: bool = True, **kwargs):
        super().__init__(*args, **kwargs)

        # A round made before the plan was recorded may be saved without objectives (saving keeps it untagged).
        self.fields["objectives"].required = creating

        # Each pot with what it has left to commit: a round's maximum award cannot be more.
        self.fields["pot"].queryset = ledger.pots_with_figures(Pot.objects.all()).order_by(
            "-year__start_year", "name"
        )
        self.fields["pot"].label_from_instance = lambda p: (
            f"{p.name}, {p.year.label} ({letters.gbp(p.allocated - p.committed)} left to commit)"
        )
        self.fields["max_award"].help_text = "No more than the pot has left to commit"
        layout = [
            Field.select("scheme"),
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("summary"),
            Field.textarea("eligibility"),
            Field.textarea("priorities"),
            Field.checkboxes("objectives", legend_size=Size.SMALL, small=True),
            Field("opens_date"),
            Field.text("opens_time", field_width=5),
            Field("closes_date"),
            Field.text("closes_time", field_width=5),
            Field("decisions_by"),
            Field.text("max_award", field_width=10),
            Field.select("pot"),
            Field.text("acceptance_days", field_width=3),
        ]
        for i in range(self.CRITERIA_ROWS):
            self.fields[f"criterion_{i}_name"] = forms.CharField(
                label=f"Criterion {i + 1}", required=False, max_length=150
            )
            self.fields[f"criterion_{i}_kind"] = forms.ChoiceField(
                label=f"Criterion {i + 1} is about",
                choices=[("", "Choose"), *CriterionKind.choices],
                required=False,
            )
            self.fields[f"criterion_{i}_weight"] = forms.IntegerField(
                label=f"Criterion {i + 1} weight (%)", required=False, min_value=1, max_value=100
            )
            layout += [
                Field.text(f"criterion_{i}_name", field_width=Fluid.TWO_THIRDS),
                Field.select(f"criterion_{i}_kind"),
                Field.text(f"criterion_{i}_weight", field_width=3),
            ]
        self._init_helper(*layout)

    # Where a service error about the round as a whole is shown: the field a person changes to put it right.
    ERROR_FIELDS = {
        "closes_at": "closes_date",
        "opens_at": "opens_date",
        "criteria": "criterion_0_weight",
        "year": "closes_date",
    }

    def _criteria_rows(self):
        rows, complete = [], True
        for i in range(self.CRITERIA_ROWS):
            name = self.cleaned_data.get(f"criterion_{i}_name")
            kind = self.cleaned_data.get(f"criterion_{i}_kind")
            weight = self.cleaned_data.get(f"criterion_{i}_weight")
            if f"criterion_{i}_weight" in self.errors:
                complete = False
                continue
            if not name and not weight:
                continue
            if not name:
                self.add_error(f"criterion_{i}_name", f"Enter criterion {i + 1}'s name")
            if not kind:
                self.add_error(f"criterion_{i}_kind", f"Choose what criterion {i + 1} is about")
            if not weight:
                self.add_error(f"criterion_{i}_weight", f"Enter criterion {i + 1}'s weight")
            rows.append({"name": name, "kind": kind, "weight": weight or 0})
        return rows, complete

    def clean(self):

        data = super().clean()
        rows, complete = self._criteria_rows()
        self.round_values = values = {
            "scheme": data.get("scheme"),
            "name": data.get("name"),
            "summary": data.get("summary"),
            "eligibility": data.get("eligibility"),
            "priorities": data.get("priorities", ""),
            "max_award": data.get("max_award"),
            "pot": data.get("pot"),
            "acceptance_days": data.get("acceptance_days"),
            "decisions_by": data.get("decisions_by"),
            "opens_at": None,
            "closes_at": None,
            "year": None,
        }
        for part in ("opens", "closes"):
            day, time = data.get(f"{part}_date"), data.get(f"{part}_time")
            if day and time:
                values[f"{part}_at"] = timezone.make_aware(datetime.combine(day, time))
        if data.get("closes_date") and "pot" not in self.errors:
            values["year"] = selectors.round_year(values["pot"], data["closes_date"])
            if values["year"] is None:
                self.add_error("closes_date", "There is no financial year for that date yet")
        self.criteria_rows = rows
        # Every check the service makes, with the fields' own errors, so the summary lists them all at once, in page
        # order (the weights are judged only once every row's weight is a number).
        problems = round_services.round_errors(criteria=rows if complete else None, **values)
        self.add_round_errors(problems)
        return data

    def add_round_errors(self, problems: dict) -> None:
        for field, messages in problems.items():
            target = self.ERROR_FIELDS.get(field, field)
            target = target if target in self.fields else None
            if target is None or target not in self.errors:
                self.add_error(target, messages)

    def criteria(self):
        return self.criteria_rows


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
