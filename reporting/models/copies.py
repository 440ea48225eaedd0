"""Copies of contracts published under the Specified Information Order (para. 4(b) as amended: "a copy of each
contract with a value exceeding £10,000").

An officer uploads the signed contract as a PDF with what was redacted and why (personal data, commercially
sensitive terms: information the Freedom of Information Act would exempt need not be published); a second person,
never the uploader, approves it before it goes public, or sends it back with a reason. Only an approved copy is
public, and a newer approved copy replaces the older.

The copy belongs to the funding award, not commissioning's Contract: the public contracts list is built from awards,
and a contract recorded only in funding (with no commissioning record) must be published too.
"""

from django.db import models
from django.db.models import F, Q
from django_fsm import FSMField, FSMModelMixin, transition


class ContractCopy(FSMModelMixin, models.Model):
    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", "Awaiting review"
        APPROVED = "approved", "Published"
        REJECTED = "rejected", "Sent back"
        REPLACED = "replaced", "Replaced"

    award = models.ForeignKey("funding.Award", on_delete=models.CASCADE, related_name="published_copies")
    document = models.OneToOneField("opcc.Document", on_delete=models.PROTECT, related_name="+")
    redactions = models.TextField(
        "What was redacted and why",
        help_text="For example: personal data: staff names and signatures; commercially sensitive: pricing schedule",
    )
    status = FSMField(default=Status.AWAITING_REVIEW, choices=Status.choices, protected=True)
    uploaded_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField("Why it is sent back", blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "published contract copy"
        constraints = [
            models.UniqueConstraint(
                fields=["award"], condition=Q(status="approved"), name="one_published_copy_per_contract"
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("uploaded_by")),
                name="copy_reviewed_by_someone_else",
                violation_error_message="The person who uploaded the copy cannot review it",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejected_copy_has_reason",
                violation_error_message="Enter why the copy is sent back",
            ),
            models.CheckConstraint(condition=~Q(redactions=""), name="copy_says_what_was_redacted"),
        ]

    def __str__(self):
        return f"Copy of {self.award.reference} ({self.get_status_display().lower()})"

    @transition(
        field=status,
        source=Status.AWAITING_REVIEW,
        target=Status.APPROVED,
        custom={"label": "Approve and publish"},
    )
    def approve(self):
        """A second person has read the redacted copy: it goes on the public contracts list."""

    @transition(
        field=status, source=Status.AWAITING_REVIEW, target=Status.REJECTED, custom={"label": "Send back"}
    )
    def reject(self):
        """Something more needs redacting (or less): the uploader is told why and uploads another."""

    @transition(field=status, source=Status.APPROVED, target=Status.REPLACED)
    def replace(self):
        """A newer approved copy (a variation signed, a redaction corrected) takes its place."""
