"""The Police and Crime Panel report: a commissioning report for a chosen period, made in the background as a PDF
(on the offer letters' letterhead) and shown as a page, with case studies an officer picked from accepted returns.

The report keeps what it said: its figures are frozen in `content` when it is made, so the page and the PDF read
the same numbers, and a return accepted later changes neither until someone makes the report again."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from opcc.calendar import Quarter


class PanelReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Not made yet"
        QUEUED = "queued", "Waiting to start"
        GENERATING = "generating", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    RUNNING = (Status.QUEUED, Status.GENERATING)

    title = models.CharField("Title", max_length=200)
    # The period: quarters of one financial year (named by the year it starts), from the first to the last.
    start_year = models.PositiveSmallIntegerField("Financial year")
    first_quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    last_quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    step = models.CharField("What it is doing", max_length=200, blank=True)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    problem = models.TextField(blank=True)
    # What the report said when it was last made (figures, red awards, case studies); the page reads this.
    content = models.JSONField(default=dict, blank=True)
    # The PDF, stored through the documents service (its SHA-256 is kept with it).
    document = models.ForeignKey(
        "opcc.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When its case studies last changed: after the report was made, it needs making again.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    first_quarter__gte=1, first_quarter__lte=4, last_quarter__gte=1, last_quarter__lte=4
                ),
                name="panel_report_quarters_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(last_quarter__gte=F("first_quarter")), name="panel_report_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(steps_done__lte=F("steps_total")), name="panel_report_progress_in_range"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def first(self) -> Quarter:
        return Quarter(self.start_year, self.first_quarter)

    @property
    def last(self) -> Quarter:
        return Quarter(self.start_year, self.last_quarter)

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(self.start_year, n) for n in range(self.first_quarter, self.last_quarter + 1)]

    @property
    def period_label(self) -> str:
        return period_label(self.start_year, self.first_quarter, self.last_quarter)

    @property
    def period_dates(self) -> str:
        return f"{self.first.start:%-d %B %Y} to {self.last.end:%-d %B %Y}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return min(99, int(self.steps_done * 100 / self.steps_total)) if self.steps_total else 0

    @property
    def is_out_of_date(self) -> bool:
        """Its case studies changed after it was last made."""
        return (
            self.status == self.Status.READY
            and self.edited_at is not None
            and self.started_at is not None
            and self.edited_at > self.started_at
        )


def period_label(start_year: int, first: int, last: int) -> str:
    """2026/27 (the whole year), 2026/27 first half, Q2 2026/27, Q1 to Q3 2026/27."""
    year = f"{start_year}/{str(start_year + 1)[-2:]}"
    if (first, last) == (1, 4):
        return f"{year} (the whole year)"
    if (first, last) == (1, 2):
        return f"{year} first half (Q1 and Q2)"
    if (first, last) == (3, 4):
        return f"{year} second half (Q3 and Q4)"
    if first == last:
        return f"Q{first} {year}"
    return f"Q{first} to Q{last} {year}"


class PanelCaseStudy(models.Model):
    """A case study for the report: the officer's anonymised text, taken from an accepted return's case studies.
    Text only: a return's attachments never reach the report."""

    report = models.ForeignKey(PanelReport, on_delete=models.CASCADE, related_name="case_studies")
    quarterly_return = models.ForeignKey(
        "reporting.QuarterlyReturn", on_delete=models.PROTECT, related_name="+"
    )
    heading = models.CharField("Heading", max_length=120)
    text = models.TextField("Case study")
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "panel case studies"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "quarterly_return"], name="one_case_study_per_return_per_report"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="panel_case_study_has_text"),
        ]

    def __str__(self):
        return self.heading
