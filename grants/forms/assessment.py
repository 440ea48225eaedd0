"""Assessing an application: the conflict of interest declaration, scores and the assessment."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from grants import letters
from grants.forms._fields import YES_NO, to_bool, yes_no
from grants.models import Assessment
from opcc.fields import PoundsField
from opcc.forms import GOVUKForm


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
