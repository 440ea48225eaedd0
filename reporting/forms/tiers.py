"""Forms for proportionate monitoring: an officer's choice of an award's tier (with the reason), and an annual
review. The rules live in services.tiers; required answers are left to it so every problem shows at once."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Size
from django import forms

from opcc.fields import GOVUKDateField
from opcc.forms import GOVUKForm
from reporting.models import MonitoringTier


class _TierChoices(forms.models.ModelChoiceIterator):
    def choice(self, obj):

        return Choice(
            forms.models.ModelChoiceIteratorValue(self.field.prepare_value(obj), obj),
            obj.name,
            hint=obj.summary,
        )


class TierField(forms.ModelChoiceField):
    iterator = _TierChoices


class TierOverrideForm(GOVUKForm, forms.Form):
    tier = TierField(
        label="Monitoring tier",
        queryset=MonitoringTier.objects.order_by("position", "id"),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": "Select one of the monitoring tiers"},
    )
    reason = forms.CharField(
        label="Why this tier",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="For example, a new provider the office has not funded before, or a grant whose risk is lower than "
        "its value suggests. It is kept on the award's timeline.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.radios("tier", legend_size=Size.MEDIUM), Field.textarea("reason", rows=4))


class AnnualReviewForm(GOVUKForm, forms.Form):
    reviewed_on = GOVUKDateField(
        label="Date of the review", required=False, help_text="Today or in the past, for example 27 3 2027"
    )
    findings = forms.CharField(
        label="What the review found",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="How the service is doing against its outcomes, what service users say, and any risks",
    )
    actions = forms.CharField(
        label="Actions agreed (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(
            Field("reviewed_on"), Field.textarea("findings", rows=6), Field.textarea("actions", rows=4)
        )
