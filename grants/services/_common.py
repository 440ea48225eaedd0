"""What every grants service shares: the permission check the services make before they write."""

from django.core.exceptions import PermissionDenied


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied("You do not have permission to do this.")
