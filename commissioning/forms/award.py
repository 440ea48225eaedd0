"""The contract award notice's publication and the contract's key performance indicators."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from commissioning.services.award import MAX_KPIS, kpi_problems
from commissioning.services.notices import publication_problems
from opcc.fields import GOVUKDateField
from opcc.forms import GOVUKForm


class AwardNoticeForm(GOVUKForm, forms.Form):
    platform_identifier = forms.CharField(
        label="Find a Tender notice identifier",
        max_length=40,
        required=False,
        help_text="Six digits, a hyphen and the year, like 012345-2026",
    )
    published_on = GOVUKDateField(
        label="Date published",
        help_text="The standstill of eight working days begins on this day",
        required=False,
    )

    def __init__(self, *args, notice=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self._init_helper(Field.text("platform_identifier", field_width=10), Field("published_on"))

    def clean(self):
        data = super().clean()
        if "published_on" not in self.errors:
            self.add_problems(
                publication_problems(
                    identifier=data.get("platform_identifier", ""),
                    published_on=data.get("published_on"),
                    notice=self.notice,
                )
            )
        return data


class KPIForm(GOVUKForm, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sets = []
        for number in range(1, MAX_KPIS + 1):
            self.fields[f"name_{number}"] = forms.CharField(label="Indicator", max_length=150, required=False)
            self.fields[f"target_{number}"] = forms.CharField(label="Target", max_length=200, required=False)
            sets.append(
                Fieldset(
                    Field.text(f"name_{number}"),
                    Field.text(f"target_{number}", field_width=20),
                    legend=f"Indicator {number}",
                    legend_size=Size.SMALL,
                )
            )
        self._init_helper(*sets)

    def rows(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(data.get(f"name_{n}", ""), data.get(f"target_{n}", "")) for n in range(1, MAX_KPIS + 1)]

    def clean(self):
        data = super().clean()
        self.add_problems(kpi_problems(self.rows()))
        return data
