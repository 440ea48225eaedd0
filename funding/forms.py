from crispy_forms_gds.layout import Field, Fieldset, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from funding.ledger import LineState
from funding.models import STREAM_ORDER, Award, AwardKind, IncomeSource, PaymentScheduleKind, Pot
from funding.services.allocation import variation_problems
from funding.services.awards import (
    PAID_ON_FUTURE,
    ProfileLine,
    invoice_problems,
    paid_on_hint,
    profile_problems,
)
from opcc.fields import GOVUKDateField, ObjectivesField, PoundsField, year_ahead_examples
from opcc.forms import GOVUKForm
from opcc.models import Organisation
from opcc.money import ZERO, gbp


class IncomeLineForm(GOVUKForm, forms.Form):
    source = forms.ChoiceField(
        label="Source",
        choices=[("", "Choose the source")] + IncomeSource.choices,
        error_messages={"required": "Choose where the income comes from"},
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=200,
        help_text="For example, Safer Streets round 5",
    )
    amount = PoundsField(label="Amount")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.select("source"),
            Field.text("description", field_width=Fluid.TWO_THIRDS),
            Field.text("amount", field_width=10),
        )


class DraftAllocationForm(GOVUKForm, forms.Form):
    """The police budget first, then every pot of the four streams, for a draft year."""

    police_budget = PoundsField(
        label="West Mercia Police budget",
        noun="the police budget",
        help_text="Set first: the four funding streams share what is left of the income",
    )

    def __init__(self, *args, pots, **kwargs):
        super().__init__(*args, **kwargs)
        self.pots = list(pots)
        layout = [Field.text("police_budget", field_width=10)]
        for stream in STREAM_ORDER:
            names = []
            for pot in (p for p in self.pots if p.stream == stream):
                name = f"pot_{pot.pk}"
                self.fields[name] = PoundsField(
                    label=pot.name, noun=f"the allocation for {pot.name}", initial=pot.allocated
                )
                names.append(Field.text(name, field_width=10))
            if names:
                layout.append(Fieldset(*names, legend=stream.label, legend_size=Size.MEDIUM, legend_tag="h2"))
        self._init_helper(*layout)

    def pot_amounts(self) -> dict:
        return {pot.pk: self.cleaned_data[f"pot_{pot.pk}"] for pot in self.pots}


class VariationForm(GOVUKForm, forms.Form):
    target = forms.ChoiceField(
        label="What is changing", error_messages={"required": "Choose what is changing"}
    )
    new_amount = PoundsField(label="New amount")
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for this change"},
        help_text="This is recorded with your name and shown on the year's funding page",
    )

    def __init__(self, *args, pots, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.pots = {str(p.pk): p for p in pots}
        self.fields["target"].choices = [("", "Choose"), ("police_budget", "West Mercia Police budget")] + [
            (str(p.pk), f"{p.name} ({p.get_stream_display()})") for p in pots
        ]
        self._init_helper(
            Field.select("target"), Field.text("new_amount", field_width=10), Field.textarea("reason")
        )

    def clean(self):

        data = super().clean()
        target, amount = data.get("target"), data.get("new_amount")
        if self.year is not None and target and amount is not None:
            # The ledger's refusal, listed with the form's own problems (the service checks again).
            self.add_problems(
                variation_problems(
                    year=self.year, pot=self.pots.get(target), amount=amount, field="new_amount"
                )
            )
        return data


class ApproveForm(GOVUKForm, forms.Form):
    confirm = forms.BooleanField(
        label="I approve this allocation of the year's income",
        error_messages={"required": "Confirm that you approve the allocation"},
    )
    note = forms.CharField(
        label="Note for the record (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.checkbox("confirm"), Field.textarea("note"))


class AwardForm(GOVUKForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.order_by("name"),
        empty_label="Choose the organisation",
        error_messages={"required": "Choose the organisation receiving the money"},
    )
    pot = forms.ModelChoiceField(
        label="Pot the money comes from",
        queryset=Pot.objects.none(),
        empty_label="Choose the pot",
        error_messages={"required": "Choose the pot the money comes from"},
        help_text="The pot in the year the award starts; later years come from the same pot in those years",
    )
    kind = forms.ChoiceField(
        label="Kind of award",
        choices=AwardKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether this is a contract or a grant"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    purpose = forms.CharField(
        label="Purpose",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the money is for"},
    )
    start_date = GOVUKDateField(label="Start date")  # hints: year_ahead_examples() in __init__
    end_date = GOVUKDateField(label="End date")
    amount = PoundsField(label="Total amount", allow_zero=False)
    schedule_kind = forms.ChoiceField(
        label="Payment schedule",
        choices=PaymentScheduleKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the award is paid"},
    )
    match_funding_amount = PoundsField(
        label="Match funding (optional)", required=False, help_text="Other money this award draws down"
    )
    match_funding_source = forms.CharField(label="Source of match funding", required=False, max_length=200)
    already_active = forms.BooleanField(
        label="This commitment has already started (it was agreed before this system)", required=False
    )
    objectives = ObjectivesField(
        help_text="Select every objective of the Police and Crime Plan the award serves"
    )

    PROFILE_YEARS = 5

    def __init__(self, *args, pots, first_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].help_text, self.fields["end_date"].help_text = year_ahead_examples()
        self.fields["pot"].queryset = pots
        self.fields["pot"].label_from_instance = lambda p: f"{p.name}, {p.year.label}"
        self.profile_years = list(range(first_year, first_year + self.PROFILE_YEARS))
        profile_fields = []
        for y in self.profile_years:
            name = f"profile_{y}"
            self.fields[name] = PoundsField(
                label=f"Amount in {y} to {y + 1} (optional)",
                noun=f"the amount in {y} to {y + 1}",
                required=False,
            )
            profile_fields.append(Field.text(name, field_width=10))
        self._init_helper(
            Field.select("organisation"),
            Field.select("pot"),
            Field.radios("kind", legend_size=Size.SMALL, inline=True),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("purpose"),
            Field("start_date"),
            Field("end_date"),
            Field.text("amount", field_width=10),
            Field.radios("schedule_kind", legend_size=Size.SMALL),
            *profile_fields,
            Field.text("match_funding_amount", field_width=10),
            Field.text("match_funding_source", field_width=Fluid.TWO_THIRDS),
            Field.checkbox("already_active"),
            Field.checkboxes("objectives", legend_size=Size.SMALL, small=True),
        )

    def clean(self):

        data = super().clean()
        # The award's rules and the yearly amounts' are checked here too, so every problem shows at once (the service
        # checks again); a field that already has an error is left out of the checks that need it.
        award = Award(
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            amount=data.get("amount"),
            match_funding_amount=data.get("match_funding_amount") or ZERO,
            match_funding_source=data.get("match_funding_source") or "",
        )
        try:
            award.clean()
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, problems)
        profile_names = [f"profile_{y}" for y in self.profile_years]
        if not any(name in self.errors for name in profile_names) and "amount" not in self.errors:
            profile = [ProfileLine(y, a) for y, a in sorted(self.profile().items())]
            found = profile_problems(
                start_date=data.get("start_date"),
                end_date=data.get("end_date"),
                amount=data.get("amount"),
                profile=profile,
            )
            if found:
                self.add_error(profile_names[0], found["profile"])
        return data

    def profile(self) -> dict[int, object]:
        return {
            y: self.cleaned_data.get(f"profile_{y}")
            for y in self.profile_years
            if self.cleaned_data.get(f"profile_{y}") not in (None, "")
        }


class ScheduleLineField(forms.ChoiceField):
    """The radios show the scheduled payments still owed; any of the award's lines is a valid answer, so one paid in
    full since the form was shown reaches the ledger, which says so in its own words."""

    def __init__(self, *args, **kwargs):
        self.award_lines: set[str] = set()
        super().__init__(*args, **kwargs)

    def valid_value(self, value):
        return str(value) in self.award_lines or super().valid_value(value)


class PaymentForm(GOVUKForm, forms.Form):
    schedule_line = ScheduleLineField(
        label="Which scheduled payment is this?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the scheduled payment",
            "invalid_choice": "Choose one of the scheduled payments listed",
        },
    )
    amount = PoundsField(label="Amount", allow_zero=False)
    paid_on = GOVUKDateField(label="Date paid")
    invoice_received_on = GOVUKDateField(
        label="Date the invoice was received",
        required=False,
        help_text="The day the supplier's invoice arrived: the 30-day payment term counts from the day after",
    )
    reference = forms.CharField(label="Finance system reference (optional)", required=False, max_length=60)

    def __init__(self, *args, lines, award=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.award = award
        if award is not None:
            self.fields["paid_on"].help_text = paid_on_hint(award)
            self.fields["schedule_line"].award_lines = {str(line.pk) for line in award.schedule.all()}
            if award.kind == AwardKind.GRANT:
                self.fields["invoice_received_on"].label = "Date the invoice or claim was received (optional)"
        choices = []
        for line in lines:
            # `state` is ledger.line_state (set by selectors.award_detail): the same words as the award page.
            status = {
                LineState.NOT_DUE: " (not yet due)",
                LineState.WAITING: " (waiting for the quarter's outcome return)",
                LineState.NOTHING_LEFT: " (nothing left to pay)",
            }.get(getattr(line, "state", None), "")
            choices.append(
                (
                    str(line.pk),
                    f"{line.description}: {gbp(line.amount)} due {line.due_date:%-d %B %Y}{status}",
                )
            )
        choices.append(
            ("", "Not on the schedule (it counts against the oldest scheduled payment that can be paid now)")
        )
        self.fields["schedule_line"].choices = choices
        self.fields["schedule_line"].required = False
        self._init_helper(
            Field.radios("schedule_line", legend_size=Size.SMALL),
            Field.text("amount", field_width=10),
            Field("paid_on"),
            Field("invoice_received_on"),
            Field.text("reference", field_width=20),
        )

    def clean_paid_on(self):
        paid_on = self.cleaned_data.get("paid_on")
        if paid_on and paid_on > timezone.localdate():
            raise forms.ValidationError(PAID_ON_FUTURE, code="future")
        return paid_on

    def clean(self):
        data = super().clean()
        # The service's rule, asked here too so its error shows with the form's own.
        if self.award is not None and "invoice_received_on" not in self.errors:
            for field, message in invoice_problems(
                self.award, invoice_received_on=data.get("invoice_received_on"), paid_on=data.get("paid_on")
            ).items():
                self.add_error(field, message)
        return data


class EndAwardForm(GOVUKForm, forms.Form):
    note = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )
    keep = PoundsField(
        label="Still to be paid (optional)",
        noun="the amount still to be paid",
        required=False,
        help_text="For example, payments due in the notice period. Anything else not yet paid returns to the pot.",
    )

    def __init__(self, *args, show_keep=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_keep:
            del self.fields["keep"]
        self._init_helper(
            *[Field.textarea("note")] + ([Field.text("keep", field_width=10)] if show_keep else [])
        )


class StatusNoteForm(GOVUKForm, forms.Form):
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.textarea("note"))


class PlanYearForm(GOVUKForm, forms.Form):
    """A year ahead for the medium-term financial plan: its expected income, the police budget and each pot's
    indicative allocation, starting from the latest year's figures."""

    police_budget = PoundsField(
        label="West Mercia Police budget",
        noun="the police budget",
        help_text="The four funding streams share what is left of the income",
    )

    def __init__(self, *args, pots, income, police_budget, **kwargs):
        kwargs.setdefault("initial", {})
        super().__init__(*args, **kwargs)
        self.pots = list(pots)
        self.fields["police_budget"].initial = police_budget
        income_fields = []
        for source in IncomeSource:
            name = f"income_{source.value}"
            self.fields[name] = PoundsField(
                label=source.label,
                noun=f"the income from {source.label}",
                required=False,
                initial=income.get(source.value),
            )
            income_fields.append(Field.text(name, field_width=10))
        layout = [
            Fieldset(*income_fields, legend="Expected income", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.text("police_budget", field_width=10),
        ]
        for stream in STREAM_ORDER:
            names = []
            for pot in (p for p in self.pots if p.stream == stream):
                name = f"pot_{pot.key}"
                self.fields[name] = PoundsField(
                    label=pot.name, noun=f"the allocation for {pot.name}", initial=pot.allocated
                )
                names.append(Field.text(name, field_width=10))
            if names:
                layout.append(Fieldset(*names, legend=stream.label, legend_size=Size.MEDIUM, legend_tag="h2"))
        self._init_helper(*layout)

    def income(self) -> dict:
        return {
            source.value: self.cleaned_data[f"income_{source.value}"]
            for source in IncomeSource
            if self.cleaned_data.get(f"income_{source.value}")
        }

    def pot_amounts(self) -> dict:
        return {pot.key: self.cleaned_data[f"pot_{pot.key}"] for pot in self.pots}


class ReprofileForm(GOVUKForm, forms.Form):
    """An award's amount in each of its years, and why it moves."""

    reason = forms.CharField(
        label="Reason for moving the money",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for moving the money"},
        help_text="For example, underspend carried forward, or delivery started late. It is shown on the award's timeline",
    )

    def __init__(self, *args, years, **kwargs):
        """`years`: {start year: funding.services.reprofiling.YearNow}."""
        super().__init__(*args, **kwargs)
        self.years = years
        names = []
        for start_year, now in years.items():
            name = f"year_{start_year}"
            self.fields[name] = PoundsField(
                label=f"{start_year} to {start_year + 1}",
                noun=f"the amount in {start_year} to {start_year + 1}",
                initial=now.amount,
                help_text=f"Now {gbp(now.amount)}; {gbp(now.paid)} paid, which must stay in this year"
                if now.paid
                else f"Now {gbp(now.amount)}; nothing paid yet",
            )
            names.append(Field.text(name, field_width=10))
        self.order_fields([f"year_{y}" for y in years] + ["reason"])
        self._init_helper(
            Fieldset(
                *names, legend="Amount in each financial year", legend_size=Size.MEDIUM, legend_tag="h2"
            ),
            Field.textarea("reason"),
        )

    def profile(self) -> list[ProfileLine]:
        return [ProfileLine(y, self.cleaned_data[f"year_{y}"]) for y in self.years]


class MakeDraftForm(GOVUKForm, forms.Form):
    note = forms.CharField(
        label="Note for the record (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.textarea("note"))
