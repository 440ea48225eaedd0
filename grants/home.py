"""Grants' sections of the home pages."""

from grants import selectors
from opcc.models import Role


def panels(request):
    user = request.user
    if user.role == Role.PROVIDER:
        applications = list(selectors.applications_for_provider(user)[:10])
        offers = [a for a in applications if a.status == a.Status.OFFERED]
        # An offer to accept is what waits for the provider: ahead of everything else on the page.
        return [{"template": "grants/panels/provider.html", "applications": applications, "offers": offers,
                 "waiting": bool(offers)}]
    if user.role in (Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER):
        waiting = list(selectors.bids_waiting_for(user))
        return [{"template": "grants/panels/area.html", "bids": waiting}]
    found = []
    # Whoever holds a delegated authority sees the grants whose decision falls to them.
    waiting = selectors.decisions_waiting_for(user.role)
    if waiting is not None:
        waiting = list(waiting)
        found.append({"template": "grants/panels/decisions.html", "applications": waiting, "waiting": bool(waiting)})
    if user.role in (Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING):
        counts = selectors.office_counts()
        if any(counts.values()):
            found.append({"template": "grants/panels/office.html", "counts": counts})
    return found
