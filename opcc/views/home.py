from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from opcc import selectors
from opcc.apps import domain_modules
from opcc.models import Invitation, Organisation, Role

# A home page shows at most this many of any list, with a link to the whole list (a home page never grows with
# the data).
HOME_LIST_LENGTH = 5


def first_few(items) -> tuple[list, int]:
    """The first HOME_LIST_LENGTH of a list (a QuerySet or a list) for a home page, and how many there are in all.
    A QuerySet is always counted, so the page runs the same queries however long the list is."""
    return list(items[:HOME_LIST_LENGTH]), len(items) if isinstance(items, list) else items.count()


def root(request):
    return redirect("home" if request.user.is_authenticated else "sign-in")


@login_required
def home(request):
    """Each role lands on the page that fits its work."""
    user = request.user
    context = {"role": user.role}
    if user.role == Role.PROVIDER:
        context["organisations"] = selectors.provider_organisations(user)
    elif user.role in (Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER):
        context["areas"] = selectors.areas_for(user)
    elif user.role == Role.EVALUATOR:
        pass
    else:
        context["organisation_count"] = Organisation.objects.count()
        context["areas"] = selectors.areas_for(user)
        context["pending_invitations"] = (
            Invitation.objects.filter(accepted_at__isnull=True).select_related("organisation", "invited_by")[
                :10
            ]
            if user.role in (Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING)
            else []
        )
    context["panels"] = panels_for(request)
    return render(request, f"home/{user.role}.html", context)


def panels_for(request) -> list[dict]:
    """Each domain app may add sections to a role's home page: `<app>/home.py` defines
    `panels(request) -> list[{"template": ..., **context}]`, rendered in dependency order, except that
    panels marked `"waiting": True` (what waits for this person's decision or sign-off) come first."""

    panels = []
    for module in domain_modules("home"):
        panels.extend(module.panels(request))
    return sorted(panels, key=lambda panel: not panel.get("waiting", False))
