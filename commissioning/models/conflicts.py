"""Conflicts of interest and supplier exclusions under the Procurement Act 2023.

- The conflicts assessment (ss.81–83): one per procurement, prepared before the tender or transparency notice,
  revised whenever someone joins or declares a conflict. The evaluation panel's own declarations
  (`PanelMember`, `Declaration`) are read as they are; the decision-makers above the panel (the lead officer,
  the head of commissioning, the PCC) declare here, in a `ConflictDeclaration`.
- Supplier exclusions (ss.57–59, Schedules 6 and 7) and the debarment list (s.62): each version of the list
  the office imports, and one `SupplierCheck` per supplier in a procurement.
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.models.procurement import Procurement

# s.59(2): the notice goes to the appropriate authority (the Cabinet Office's Procurement Review Unit) "before the
# end of the period of 30 days beginning with the day" the supplier was excluded: the exclusion day is day 1.
PRU_NOTICE_DAYS = 30


class ConflictsAssessment(models.Model):
    """The procurement's conflicts assessment. Revision 0 is not yet prepared; each confirmation adds one.
    `changes` lists what happened since the last confirmation (someone joined, someone declared a conflict):
    while it is not empty the assessment needs revising."""

    procurement = models.OneToOneField(
        Procurement, on_delete=models.CASCADE, related_name="conflicts_assessment"
    )
    revision = models.PositiveSmallIntegerField(default=0)
    prepared_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="conflicts_assessment_confirmed_when_revised",
                condition=Q(revision=0) | Q(confirmed_at__isnull=False, prepared_at__isnull=False),
            )
        ]

    def __str__(self):
        return f"Conflicts assessment for {self.procurement}"

    @property
    def is_prepared(self) -> bool:
        return self.revision > 0

    @property
    def needs_revision(self) -> bool:
        return self.is_prepared and bool(self.changes)


class ConflictsRevision(models.Model):
    """One confirmation of the assessment: its number, who confirmed it and what had changed since the last."""

    assessment = models.ForeignKey(ConflictsAssessment, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    confirmed_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField()
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_conflicts_revision_number")
        ]

    def __str__(self):
        return f"Revision {self.number}"


class DecisionRole(models.TextChoices):
    LEAD_OFFICER = "lead_officer", "Lead commissioning officer"
    HEAD = "head", "Head of commissioning"
    PCC = "pcc", "Police and Crime Commissioner (decides above delegation)"


class ConflictDeclaration(models.Model):
    """A decision-maker's declaration for the procurement as a whole. A declared interest carries its mitigation."""

    class Mitigation(models.TextChoices):
        REMOVED = "removed", "Removed from the decision"
        OTHER = "other", "Another mitigation (give the reasons)"

    assessment = models.ForeignKey(ConflictsAssessment, on_delete=models.CASCADE, related_name="declarations")
    user = models.ForeignKey("opcc.User", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("Role in the procurement", max_length=20, choices=DecisionRole.choices)
    interest = models.BooleanField("Declared an interest")
    details = models.TextField("The interest", blank=True)
    mitigation = models.CharField(max_length=10, choices=Mitigation.choices, blank=True)
    mitigation_reasons = models.TextField("How the conflict is mitigated", blank=True)
    recorded_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user"], name="one_conflict_declaration_per_person"
            ),
            models.CheckConstraint(
                name="declared_interest_is_mitigated",
                condition=Q(interest=False)
                | (~Q(details="") & ~Q(mitigation="") & ~Q(mitigation_reasons="")),
                violation_error_message="A declared interest needs its details and its mitigation",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class GroundKind(models.TextChoices):
    MANDATORY = "mandatory", "Mandatory (Schedule 6): excluded"
    DISCRETIONARY = "discretionary", "Discretionary (Schedule 7): excludable"


class DebarmentList(models.Model):
    """One version of the published debarment list, as the office imported it."""

    list_date = models.DateField("Date of the list")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255)
    document = models.ForeignKey(
        "opcc.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-list_date", "-pk"]

    def __str__(self):
        return f"Debarment list of {self.list_date:%-d %B %Y}"


class DebarmentEntry(models.Model):
    debarment_list = models.ForeignKey(DebarmentList, on_delete=models.CASCADE, related_name="entries")
    supplier_name = models.CharField(max_length=200)
    # Companies House or Charity Commission number, and the central digital platform identifier (PPON).
    registration_number = models.CharField(max_length=20, blank=True)
    cdp_identifier = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=15, choices=GroundKind.choices)
    grounds = models.TextField()
    entered_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["supplier_name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="debarment_ends_after_entry",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("entered_on")),
            )
        ]

    def __str__(self):
        return self.supplier_name


class SupplierCheck(models.Model):
    """The exclusion check of one supplier in one procurement (ss.57–59; Procurement Regulations 2024 reg. 6)."""

    class Outcome(models.TextChoices):
        NOT_EXCLUDED = "not_excluded", "Not excluded"
        EXCLUDED = "excluded", "Excluded"

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="supplier_checks")
    organisation = models.ForeignKey("opcc.Organisation", on_delete=models.PROTECT, related_name="+")
    debarment_list = models.ForeignKey(
        DebarmentList, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The entry found on that list, if the supplier is on it.
    debarment_entry = models.ForeignKey(
        DebarmentEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mandatory_considered = models.BooleanField(default=False)
    mandatory_notes = models.TextField(blank=True)
    discretionary_considered = models.BooleanField(default=False)
    discretionary_notes = models.TextField(blank=True)
    cdp_identifier = models.CharField("Central digital platform identifier", max_length=30, blank=True)
    core_information_shared_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    exclusion_grounds = models.TextField(blank=True)
    exclusion_reasons = models.TextField(blank=True)
    excluded_on = models.DateField(null=True, blank=True)
    pru_notified_on = models.DateField("Procurement Review Unit told on", null=True, blank=True)
    checked_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "organisation"], name="one_supplier_check_per_procurement"
            ),
            models.CheckConstraint(
                name="exclusion_has_date_grounds_and_reasons",
                condition=~Q(outcome="excluded")
                | (Q(excluded_on__isnull=False) & ~Q(exclusion_grounds="") & ~Q(exclusion_reasons="")),
                violation_error_message="An exclusion needs its date, grounds and reasons",
            ),
            models.CheckConstraint(
                name="pru_told_after_exclusion",
                condition=Q(pru_notified_on__isnull=True)
                | (Q(outcome="excluded") & Q(pru_notified_on__gte=models.F("excluded_on"))),
                violation_error_message="The Procurement Review Unit is told of an exclusion on or after its date",
            ),
        ]

    def __str__(self):
        return f"Exclusion check of {self.organisation}"

    @property
    def is_excluded(self) -> bool:
        return self.outcome == self.Outcome.EXCLUDED

    @property
    def pru_due_by(self):
        """The last day to tell the Procurement Review Unit: the 30th day counting the exclusion day itself."""
        if not self.is_excluded or self.excluded_on is None:
            return None
        return self.excluded_on + timedelta(days=PRU_NOTICE_DAYS - 1)
