"""Resident population per local authority and year (the ONS mid-year estimates), for crimes per 1,000 residents.

Each local authority's row names its local policing area, so an area's population is the sum of its authorities'.
A year imported again replaces that year's rows; the import that brought them in is kept with its file.
"""

from django.db import models
from django.db.models import Q

# The mid-year estimates ONS publishes for local authorities in England and Wales start in 1981.
FIRST_YEAR, LAST_YEAR = 1981, 2100


class PopulationImport(models.Model):
    """One upload of the ONS mid-year estimates file, for one year."""

    year = models.PositiveSmallIntegerField("Year of the estimates (mid-year)")
    file_name = models.CharField(max_length=255)
    document = models.ForeignKey(
        "opcc.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey("opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    authorities = models.PositiveSmallIntegerField("West Mercia local authorities imported", default=0)
    total = models.PositiveIntegerField("Residents in West Mercia", default=0)
    # Other rows with a figure, left out: other places, and the counties, regions and countries ONS totals.
    outside = models.PositiveIntegerField("Other places in the file", default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="population_import_year_in_range",
            ),
        ]

    def __str__(self):
        return f"Mid-{self.year} population estimates ({self.file_name})"


class LocalAuthorityPopulation(models.Model):
    """A local authority's resident population (all ages) at 30 June of a year, as ONS estimated it."""

    year = models.PositiveSmallIntegerField("Year of the estimate (mid-year)")
    code = models.CharField("ONS code", max_length=9)
    name = models.CharField(max_length=100)
    area = models.ForeignKey("opcc.LocalPolicingArea", on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField("Residents (all ages)")
    source = models.ForeignKey(PopulationImport, on_delete=models.PROTECT, related_name="rows")

    class Meta:
        ordering = ["year", "area", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="unique_population_per_authority_and_year"),
            models.CheckConstraint(condition=Q(population__gt=0), name="population_is_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR), name="population_year_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} mid-{self.year}: {self.population}"
