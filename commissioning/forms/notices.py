"""Recording a notice's publication on Find a Tender, or why an optional notice is not needed."""

from crispy_forms_gds.layout import Field
from django import forms

from commissioning.forms._fields import text
from commissioning.services.notices import publication_problems
from opcc.fields import GOVUKDateField
from opcc.forms import GOVUKForm


class PublicationForm(GOVUKForm, forms.Form):
    # A notice still incomplete is no answer's fault: the error summary leads to the page's checklist of what is missing.
    non_field_anchor = "missing"

    platform_identifier = forms.CharField(
        label="Find a Tender notice identifier",
        max_length=40,
        help_text="Shown on the notice's page on Find a Tender, like 012345-2026 or 2026/S 000-012345",
        error_messages={
            "required": "Enter the notice identifier Find a Tender gave the notice, like 012345-2026"
        },
    )
    published_on = GOVUKDateField(
        label="Date published",
        noun="date the notice was published",
        help_text="For example, 27 3 2026",
    )

    def __init__(self, *args, notice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self._init_helper(Field.text("platform_identifier", field_width=20), Field("published_on"))

    def clean(self):
        data = super().clean()
        # The service's checks with the fields' own, so the summary lists every problem at once.
        problems = publication_problems(
            identifier=data.get("platform_identifier", ""),
            published_on=data.get("published_on"),
            notice=self.notice,
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data


class SetAsideForm(GOVUKForm, forms.Form):
    reason = text(
        "Why this notice is not needed",
        rows=4,
        message="Enter why this notice is not needed",
        help_text="For example, the office decided not to advertise this below-threshold contract. "
        "This is kept with the notice and on its timeline",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.textarea("reason"))
