"""What the grants pages share: loading an application the person may see, or may still change."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from grants import selectors
from grants.models import Application
from opcc.models import Role
from opcc.permissions import require_view_perm


def _application(request, pk) -> Application:
    """The application, if this person may see it. A provider or area decider asking for another's learns nothing."""
    try:
        application = selectors.application_detail(pk)
    except Application.DoesNotExist:
        raise Http404("No such application") from None
    if not request.user.has_perm("grants.view_application", application):
        if request.user.role in (Role.PROVIDER, Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER):
            raise Http404("No such application")
        raise PermissionDenied
    return application


def _editable(request, pk):
    application = _application(request, pk)
    require_view_perm(
        request, "grants.withdraw_application", application
    )  # a member of the applying organisation
    if not application.is_editable:
        messages.info(request, "This application has been submitted, so it cannot be changed now.")
        return application, redirect("grants:application", pk=application.pk)
    return application, None
