"""Street-level crime from police.uk: each crime, a monthly summary the trend pages read, and each import.

A month is stored as its first day. The summary (`CrimeMonthlyCount`) is rewritten by the import for the months it
replaces, so trend pages read a few hundred summary rows rather than a million crimes.
"""

from django.db import models

from reporting.crime.parser import CRIME_TYPES

CRIME_TYPE_CHOICES = [(t, t) for t in sorted(CRIME_TYPES)]


class CrimeImport(models.Model):
    """One upload (a CSV file or a zip of them), its progress, and what it found."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    by = models.ForeignKey("opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    # The uploaded file (documents service); empty for the management command and the demo, which read from disk.
    document = models.ForeignKey(
        "opcc.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField("What it is doing", max_length=200, blank=True)
    files = models.JSONField(default=list)  # the CSV files read
    rows_total = models.PositiveIntegerField("Rows read", default=0)
    rows_done = models.PositiveIntegerField("Rows dealt with", default=0)  # saved, unmapped or malformed
    rows_saved = models.PositiveIntegerField("Crimes saved", default=0)
    unmapped = models.PositiveIntegerField("Rows outside West Mercia's local policing areas", default=0)
    error_count = models.PositiveIntegerField("Malformed rows", default=0)
    row_errors = models.JSONField(default=list)  # [{"file", "line", "message"}], the first MAX_ERRORS_KEPT
    months = models.JSONField("Months replaced", default=list)  # ["2026-09", ...]
    problem = models.TextField(blank=True)

    MAX_ERRORS_KEPT = 500

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"Crime import {self.pk} ({self.file_name})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(self.rows_done * 100 / self.rows_total)) if self.rows_total else 0


class CrimeRecord(models.Model):
    """One crime (or anti-social behaviour incident) as police.uk published it, mapped to a local policing area."""

    month = models.DateField()
    area = models.ForeignKey("opcc.LocalPolicingArea", on_delete=models.PROTECT, related_name="+")
    crime_type = models.CharField(max_length=40, choices=CRIME_TYPE_CHOICES)
    crime_id = models.CharField("Crime ID", max_length=64, blank=True)
    lsoa_code = models.CharField("LSOA code", max_length=9, blank=True)
    lsoa_name = models.CharField("LSOA name", max_length=100, blank=True)
    location = models.CharField(max_length=200, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    outcome = models.CharField("Last outcome category", max_length=120, blank=True)
    source = models.ForeignKey(
        CrimeImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["month", "area", "crime_type"], name="crime_month_area_type"),
            models.Index(fields=["area", "month"], name="crime_area_month"),
        ]

    def __str__(self):
        return f"{self.crime_type} in {self.lsoa_name} ({self.month:%Y-%m})"


class CrimeMonthlyCount(models.Model):
    """How many crimes of a type an area had in a month: kept by the import, read by the trend pages."""

    month = models.DateField()
    area = models.ForeignKey("opcc.LocalPolicingArea", on_delete=models.PROTECT, related_name="+")
    crime_type = models.CharField(max_length=40, choices=CRIME_TYPE_CHOICES)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["month", "area", "crime_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "area", "crime_type"], name="unique_crime_count_per_month"
            ),
        ]
        indexes = [models.Index(fields=["area", "month"], name="crime_count_area_month")]

    def __str__(self):
        return f"{self.count} {self.crime_type} in area {self.area_id} ({self.month:%Y-%m})"
