"""The crime pages' forms: the uploads (refusing a file that is not police.uk's, or not ONS's population estimates,
at once) and the trend filters."""

from crispy_forms_gds.layout import Field
from django import forms
from django.core.exceptions import ValidationError

from opcc.forms import GOVUKForm
from opcc.services import documents
from reporting.crime import importer, parser, population
from reporting.models.population import FIRST_YEAR, LAST_YEAR

MONTH_CHOICES = [("6", "6 months"), ("12", "12 months"), ("24", "24 months"), ("36", "36 months")]


class CrimeUploadForm(GOVUKForm, forms.Form):
    file = forms.FileField(
        label="Upload a police.uk street-level crime file",
        help_text="A CSV file such as 2026-09-west-mercia-street.csv, or a zip of several months, smaller than 20MB",
        error_messages={"required": "Select a police.uk crime file", "empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field("file"))
        self.fields["file"].widget.attrs["accept"] = documents.accept_attribute(importer.KINDS)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            checked = importer.check_upload(uploaded)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        except parser.NotACrimeFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.data_bytes, self.file_name = checked.data, checked.name
        return uploaded


class PopulationUploadForm(GOVUKForm, forms.Form):
    year = forms.IntegerField(
        label="Year of the estimates",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="The mid-year the figures are for: 2023 for the mid-2023 estimates",
        error_messages={
            "required": "Enter the year of the estimates, for example 2023",
            "invalid": "The year must be a number, like 2023",
            "min_value": f"The year must be {FIRST_YEAR} or later",
            "max_value": f"The year must be {LAST_YEAR} or earlier",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )
    file = forms.FileField(
        label="Upload the ONS mid-year population estimates",
        help_text="ONS's workbook (its MYE2 - Persons or MYEB1 sheet is read) or a CSV file, smaller than 20MB",
        error_messages={
            "required": "Select the ONS population estimates file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper(Field.text("year", field_width=4), Field("file"))
        self.fields["file"].widget.attrs["accept"] = documents.accept_attribute(population.KINDS)

    def clean(self):
        cleaned = super().clean()
        uploaded, year = cleaned.get("file"), cleaned.get("year")
        if uploaded is None:
            return cleaned
        try:
            checked = documents.check_upload(uploaded, allowed=population.KINDS)
            if year is not None:  # without a year the file cannot be read for one: the year's error says so
                self.estimates = population.check_file(checked, year=year)
        except ValidationError as exc:
            self.add_error("file", exc.messages)
        except population.NotAPopulationFileError as exc:
            self.add_error("file", exc.problems)
        else:
            self.data_bytes, self.file_name = checked.data, checked.name
        return cleaned


class TrendFilterForm(forms.Form):
    area = forms.ChoiceField(label="Local policing area", required=False)
    crime_type = forms.ChoiceField(
        label="Crime type",
        required=False,
        choices=[("", "All crime types")] + [(t, t) for t in sorted(parser.CRIME_TYPES)],
    )
    months = forms.ChoiceField(label="Months", required=False, choices=MONTH_CHOICES, initial="12")
    year = forms.ChoiceField(label="Spend in financial year", required=False)

    def __init__(self, *args, areas, years, default_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All areas")] + [(a.slug, a.name) for a in areas]
        self.fields["year"].choices = [(str(y.start_year), y.label) for y in years] or [
            (str(default_year), f"{default_year} to {default_year + 1}")
        ]
        self.default_year = default_year

    def value(self, name):
        """The cleaned value, or the default when the filter is missing or not one of the choices."""
        if self.is_bound:
            self.is_valid()  # a bad value in one filter does not reset the others
            value = self.cleaned_data.get(name)
            if value:
                return value
        return {"months": "12", "year": str(self.default_year)}.get(name, "")
