import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

CHARITY_NUMBER_RE = re.compile(r"^(?:\d{6,7}|SC\d{6}|NIC\d{6})$")
COMPANY_NUMBER_RE = re.compile(r"^(?:\d{8}|(?:SC|NI|OC|SO|NC|CE|CS|IP|RS|SP)\d{6})$")
POSTCODE_RE = re.compile(r"^(GIR 0AA|[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", (value or "").upper())
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real postcode, like WR3 8SP", code="invalid_postcode")


def validate_charity_number(value: str) -> None:
    if value and not CHARITY_NUMBER_RE.match(value.strip().upper()):
        raise ValidationError(
            "Enter a charity number in the correct format, like 1123456 (or SC012345, NIC100123)",
            code="invalid_charity_number",
        )


def validate_company_number(value: str) -> None:
    if value and not COMPANY_NUMBER_RE.match(value.strip().upper()):
        raise ValidationError(
            "Enter a company number in the correct format: 8 digits like 01234567, or 2 letters and 6 digits like SC123456",
            code="invalid_company_number",
        )


class OrganisationType(models.TextChoices):
    REGISTERED_CHARITY = "registered_charity", "Registered charity"
    CIO = "cio", "Charitable incorporated organisation"
    COMPANY = "company", "Company"
    CIC = "cic", "Community interest company"
    PUBLIC_BODY = "public_body", "Public body"
    CSP = "csp", "Community safety partnership"
    UNREGISTERED = "unregistered", "Unregistered group"


CHARITY_TYPES = {OrganisationType.REGISTERED_CHARITY, OrganisationType.CIO}
COMPANY_TYPES = {OrganisationType.COMPANY, OrganisationType.CIC}


class Organisation(models.Model):
    """A provider, partner or public body the office funds or works with."""

    name = models.CharField(max_length=200)
    org_type = models.CharField("Type of organisation", max_length=32, choices=OrganisationType.choices)
    charity_number = models.CharField(
        "Charity number", max_length=10, blank=True, validators=[validate_charity_number]
    )
    company_number = models.CharField(
        "Company number", max_length=8, blank=True, validators=[validate_company_number]
    )
    address_line_1 = models.CharField("Address line 1", max_length=150)
    address_line_2 = models.CharField("Address line 2", max_length=150, blank=True)
    town = models.CharField("Town or city", max_length=100)
    postcode = models.CharField("Postcode", max_length=8, validators=[validate_postcode])
    email = models.EmailField("Contact email", blank=True)
    phone = models.CharField("Phone", max_length=30, blank=True)
    website = models.URLField("Website", blank=True)
    areas_served = models.ManyToManyField(
        "opcc.LocalPolicingArea", blank=True, related_name="organisations", verbose_name="Areas served"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        self.charity_number = (self.charity_number or "").strip().upper()
        self.company_number = (self.company_number or "").strip().upper()
        self.postcode = normalise_postcode(self.postcode)
        errors = {}
        if self.org_type in CHARITY_TYPES and not self.charity_number:
            errors["charity_number"] = "Enter the charity number"
        if self.org_type in COMPANY_TYPES and not self.company_number:
            errors["company_number"] = "Enter the company number"
        if self.org_type == OrganisationType.CIO and self.company_number:
            errors["company_number"] = (
                "A charitable incorporated organisation has no company number: leave it blank"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def org_id(self) -> str:
        """The org-id.guide identifier used in open data (e.g. GB-CHC-1234567, GB-COH-01234567)."""
        charity = (self.charity_number or "").upper()
        if charity.startswith("SC"):
            return f"GB-SC-{charity}"
        if charity.startswith("NIC"):
            return f"GB-NIC-{charity[3:]}"
        if charity:
            return f"GB-CHC-{charity}"
        if self.company_number:
            return f"GB-COH-{self.company_number.upper()}"
        return f"360G-{settings.GRANT_ID_PREFIX}-org-{self.pk}"

    @property
    def address(self) -> str:
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return ", ".join(p for p in parts if p)


class Membership(models.Model):
    """A provider's user belongs to one or more organisations."""

    user = models.ForeignKey("opcc.User", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    # An organisation's administrator may invite colleagues.
    is_admin = models.BooleanField("Can invite colleagues", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} at {self.organisation}"
