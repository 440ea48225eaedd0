"""Every link in the error summary moves focus to a field that is on the page (GOV.UK error summary)."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.template import Context, Template

from opcc.fields import GOVUKDateField, PoundsField


class Everything(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=[("approve", "Approve"), ("decline", "Decline")],
                                 widget=forms.RadioSelect)
    areas = forms.MultipleChoiceField(label="Areas", choices=[("a", "A"), ("b", "B")],
                                      widget=forms.CheckboxSelectMultiple)
    amount = PoundsField(label="Amount")
    starts = GOVUKDateField(label="Start date")
    kind = forms.ChoiceField(label="Kind", choices=[("", "Choose"), ("x", "X")])
    name = forms.CharField(label="Name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def test_every_error_summary_link_points_at_an_element_on_the_page():
    form = Everything(data={"starts_0": "1", "starts_1": "", "starts_2": "2027"})
    assert not form.is_valid()
    html = Template("{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}").render(
        Context({"form": form}))
    summary = html[:html.index("</ul>")]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert len(targets) >= 7, targets  # the whole-form error links to the first field: here, radios
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    missing = [t for t in targets if t not in ids]
    assert not missing, missing
