"""Every kind of text-like input is drawn as a GOV.UK input (full size, with the GOV.UK focus style)."""

from crispy_forms.helper import FormHelper
from crispy_forms.utils import render_crispy_form
from django import forms


class Inputs(forms.Form):
    weight = forms.IntegerField(widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))
    website = forms.URLField(assume_scheme="https")
    amount = forms.DecimalField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def test_number_and_url_inputs_are_govuk_inputs():
    html = render_crispy_form(Inputs())
    assert 'type="number" name="weight" class="govuk-input govuk-input--width-3"' in html
    assert 'type="url" name="website" class="govuk-input"' in html
    assert 'type="number" name="amount" step="any" class="govuk-input"' in html
