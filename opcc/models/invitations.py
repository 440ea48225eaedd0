from django.db import models
from django.utils import timezone

from .users import Role


class Invitation(models.Model):
    """An expiring invitation to create an account, e.g. a provider contact invited by an officer."""

    email = models.EmailField()
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.PROVIDER)
    organisation = models.ForeignKey(
        "opcc.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    make_admin = models.BooleanField(default=False)
    # Only a hash of the token is stored: the link in the email is the only copy.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey("opcc.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "opcc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="accepted_invitations"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and not self.is_expired
