"""Permission checks: the one way a view or a service refuses someone. The rules themselves are `rules`
predicates in each app's `rules.py`."""

from django.core.exceptions import PermissionDenied

REFUSED = "You do not have permission to do this."


def require_perm(user, perm: str, obj=None, *, refusal: str = REFUSED) -> None:
    """In a service: refuse (with a sentence a form can show: `refusal`) unless `user` has `perm`, on `obj` if
    given. Nobody (None) has any permission."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(refusal)


def require_view_perm(request, perm: str, obj=None) -> None:
    """In a view: a plain 403 page unless the signed-in person has `perm`, on `obj` if given."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
