"""A grant round: its dates, money, criteria and questions."""

from datetime import datetime

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.utils import timezone

from funding import ledger
from funding.models import Pot
from grants import letters, selectors
from grants.models import CriterionKind, Scheme
from grants.services import rounds as round_services
from opcc.fields import GOVUKDateField, ObjectivesField, PoundsField
from opcc.forms import GOVUKForm


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
