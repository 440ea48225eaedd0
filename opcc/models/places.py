from django.db import models


class LocalPolicingArea(models.Model):
    """One of West Mercia's local policing areas, each with its community safety partnership."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    # Local authority districts in the area: a police.uk LSOA name starts with one of these.
    local_authorities = models.JSONField(default=list)
    # ONS code of the area's main authority (used as beneficiaryLocation in open data).
    ons_code = models.CharField("ONS code", max_length=9, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommunitySafetyPartnership(models.Model):
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(unique=True)
    area = models.OneToOneField(LocalPolicingArea, on_delete=models.PROTECT, related_name="csp")
    # The partnership as a body that receives grants.
    organisation = models.OneToOneField(
        "opcc.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="csp"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "community safety partnership"

    def __str__(self):
        return self.name
