"""The evaluation panel, conflict of interest declarations and scores."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from commissioning.services.evaluation import declaration_problems
from opcc.forms import GOVUKForm
from opcc.models import Role, User


class PanelForm(GOVUKForm, forms.Form):
    user = forms.ModelChoiceField(
        label="Panel member",
        queryset=User.objects.none(),
        empty_label="Choose",
        error_messages={"required": "Choose the panel member"},
        help_text="Evaluators from other agencies, and commissioning staff",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        qs = User.objects.filter(
            is_active=True, role__in=[Role.EVALUATOR, Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING]
        ).select_related("agency")
        self.fields["user"].queryset = qs.order_by("role", "full_name")
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name}, {u.agency or u.role_label}"
        self._init_helper(Field.select("user"))


class DeclarationForm(GOVUKForm, forms.Form):
    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        self.bids = bids
        layout = []
        for bid in bids:
            self.fields[f"bid_{bid.pk}"] = forms.TypedChoiceField(
                label=f"Do you have a conflict of interest with {bid.organisation}?",
                choices=[("no", "No"), ("yes", "Yes")],
                coerce=lambda v: v == "yes",
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Say whether you have a conflict of interest with {bid.organisation}"
                },
            )
            self.fields[f"details_{bid.pk}"] = forms.CharField(
                label=f"If yes, describe the conflict with {bid.organisation}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            layout += [
                Field.radios(f"bid_{bid.pk}", legend_size=Size.SMALL, inline=True),
                Field.textarea(f"details_{bid.pk}"),
            ]
        self._init_helper(*layout)

    def clean(self):

        data = super().clean()
        answers, details = self.answers()
        self.add_problems(declaration_problems(bids=self.bids, answers=answers, details=details))
        return data

    def answers(self):
        return (
            {b.pk: self.cleaned_data.get(f"bid_{b.pk}") for b in self.bids},
            {b.pk: self.cleaned_data.get(f"details_{b.pk}") for b in self.bids},
        )


class ScoreForm(GOVUKForm, forms.Form):
    """Scores per criterion, with reasons (rationale when moderating)."""

    def __init__(
        self,
        *args,
        criteria,
        scale_max,
        reason_label="Reasons for your score",
        reason_key="comment",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.criteria, self.reason_key = criteria, reason_key
        layout = []
        for c in criteria:
            # The range is checked here, with the other fields, so every error is listed at once.
            out_of_range = f"The score for {c.name} must be between 0 and {scale_max}"
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"Score for {c.name} (0 to {scale_max})",
                min_value=0,
                max_value=scale_max,
                error_messages={
                    "required": f"Enter a score for {c.name}",
                    "invalid": f"Enter the score for {c.name} as a whole number from 0 to {scale_max}",
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                },
            )
            self.fields[f"{reason_key}_{c.pk}"] = forms.CharField(
                label=f"{reason_label}: {c.name}",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "required": f"Enter the {'rationale' if reason_key == 'rationale' else 'reasons'} for the score for {c.name}"
                },
            )
            layout.append(
                Fieldset(
                    Field.text(f"score_{c.pk}", field_width=2),
                    Field.textarea(f"{reason_key}_{c.pk}"),
                    legend=f"{c.name} ({c.weight}%)",
                    legend_size=Size.SMALL,
                )
            )
        self._init_helper(*layout)

    def scores(self):
        return {
            c.pk: (
                self.cleaned_data.get(f"score_{c.pk}"),
                self.cleaned_data.get(f"{self.reason_key}_{c.pk}") or "",
            )
            for c in self.criteria
        }
