"""The final report's form (the provider's) and its review (the officer's)."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from opcc.fields import PoundsField
from opcc.forms import GOVUKForm
from opcc.money import gbp
from reporting.models import FinalReport
from reporting.services.closeout import FinalReportContent, content_problems

SAVE, SEND = "save", "submit"


class FinalReportForm(GOVUKForm, forms.Form):
    spend_total = PoundsField(label="Total final spend", required=False)
    service_next = forms.CharField(
        label="What happens to the service next",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example: it continues with other funding, it has closed and people were referred on, or it "
        "is changing. Do not include personal details of any victim or service user.",
    )

    def __init__(self, *args, report: FinalReport, **kwargs):
        self.report = report
        self.lines = list(report.spend_lines.all())
        self.outcomes = list(report.outcomes.all())
        initial = {"spend_total": report.spend_total, "service_next": report.service_next}
        initial.update({f"spend-{line.pk}": line.spent for line in self.lines})
        initial.update({f"achieved-{o.pk}": o.achieved for o in self.outcomes})
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for line in self.lines:
            self.fields[f"spend-{line.pk}"] = PoundsField(
                label=line.label,
                noun=f"the spend on {line.label}",
                required=False,
                help_text=f"Budget {gbp(line.budget)}",
            )
        for outcome in self.outcomes:
            self.fields[f"achieved-{outcome.pk}"] = forms.CharField(
                label=outcome.name,
                max_length=300,
                required=False,
                help_text=f"Agreed: {outcome.agreed}. Say what was achieved over the whole award",
            )
        spend = [Field.text(f"spend-{line.pk}", field_width=10) for line in self.lines]
        achieved = [Field.text(f"achieved-{o.pk}") for o in self.outcomes]
        layout = [
            Fieldset(
                *spend,
                Field.text("spend_total", field_width=10),
                legend="Final spend",
                legend_size=Size.MEDIUM,
            )
        ]
        if achieved:
            layout.append(Fieldset(*achieved, legend="Outcomes achieved", legend_size=Size.MEDIUM))
        layout.append(Field.textarea("service_next", rows=5))
        self._init_helper(*layout)

    def content(self) -> FinalReportContent:
        data = self.cleaned_data
        return FinalReportContent(
            spend={line.pk: data.get(f"spend-{line.pk}") for line in self.lines},
            spend_total=data.get("spend_total"),
            achieved={o.pk: data.get(f"achieved-{o.pk}") or "" for o in self.outcomes},
            service_next=data.get("service_next") or "",
        )

    def clean(self):
        data = super().clean()
        complete = self.data.get("action") == SEND
        # The service's checks with the fields' own, so every problem shows at once.
        self.add_problems(content_problems(self.report, self.content(), complete=complete))
        return data


class FinalReportReviewForm(GOVUKForm, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the final report"), ("return", "Return it for changes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to accept the final report or return it"},
    )
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed when you return it: say what the provider should change. The provider sees these reasons.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("reasons", rows=5)
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Enter why the final report is being returned")
        return data
