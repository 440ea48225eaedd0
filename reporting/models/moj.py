"""The Ministry of Justice return, as data: its sections and fields, each field one figure the office reports to
the Ministry on the victims' grant. A field adds up a catalogue indicator over the accepted returns of the
services the grant pays for, or is a grant line's money (the year's grant, or what was spent in the period).

The Ministry changes its template, and what it asks for now could not all be confirmed (README: "The Ministry of
Justice return"), so the head of commissioning keeps these rows; `reporting.moj_defaults` seeds the defaults.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from funding.models import MOJ_SOURCES

MOJ_SOURCE_CHOICES = [(source.value, source.label) for source in MOJ_SOURCES]
MOJ_LINES = [source.value for source in MOJ_SOURCES]


class MojReturnSection(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(help_text="Sections are shown and written in this order")
    income_source = models.CharField(
        "Services counted",
        max_length=20,
        choices=MOJ_SOURCE_CHOICES,
        blank=True,
        help_text="Only the services this grant line pays for; leave blank for every service any Ministry of "
        "Justice grant line pays for. Money fields always report their own grant line.",
    )
    description = models.TextField(blank=True, help_text="Shown under the section's heading")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "Ministry of Justice return section"
        constraints = [
            models.UniqueConstraint(
                fields=["position"],
                name="moj_section_position_unique",
                violation_error_message="Another section already has this position",
            ),
            models.CheckConstraint(
                condition=Q(income_source__in=["", *MOJ_LINES]),
                name="moj_section_counts_a_grant_line",
                violation_error_message="Choose a Ministry of Justice grant line, or none",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        from reporting.services.moj_return import check_section  # noqa: PLC0415 - the service imports these models

        check_section(self)


class MojReturnField(models.Model):
    class Figure(models.TextChoices):
        INDICATOR = "indicator", "An outcome indicator, added up over accepted returns"
        GRANT = "grant", "A grant line's income for the year"
        SPENT = "spent", "A grant line's spend in the period"

    MONEY = (Figure.GRANT, Figure.SPENT)

    section = models.ForeignKey(MojReturnSection, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField(help_text="Fields are shown and written in this order")
    label = models.CharField(max_length=200, help_text="As the Ministry's template words it")
    figure = models.CharField("What it reports", max_length=12, choices=Figure.choices)
    indicator = models.ForeignKey(
        "reporting.OutcomeIndicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moj_fields",
        verbose_name="Outcome indicator",
        help_text="For an outcome indicator: the one it adds up",
    )
    income_source = models.CharField(
        "Grant line",
        max_length=20,
        choices=MOJ_SOURCE_CHOICES,
        blank=True,
        help_text="For a grant line's income or spend: the line",
    )
    confirmed = models.BooleanField("Confirmed against a published Ministry of Justice source", default=False)
    source_note = models.CharField("Source, or what could not be confirmed", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section__position", "position", "pk"]
        verbose_name = "Ministry of Justice return field"
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"],
                name="moj_field_position_unique_in_section",
                violation_error_message="Another field in this section already has this position",
            ),
            models.CheckConstraint(
                condition=(
                    Q(figure="indicator", indicator__isnull=False, income_source="")
                    | Q(figure__in=["grant", "spent"], indicator__isnull=True, income_source__in=MOJ_LINES)
                ),
                name="moj_field_maps_to_one_figure",
                violation_error_message="A field reports either an outcome indicator or a grant line's money",
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        from reporting.services.moj_return import check_field  # noqa: PLC0415 - the service imports these models

        check_field(self)

    @property
    def is_money(self) -> bool:
        return self.figure in self.MONEY
