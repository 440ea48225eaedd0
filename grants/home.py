"""Grants' sections of the home pages."""

from grants import selectors
from grants.models import Application
from opcc.models import Role
from opcc.views.home import first_few


def panels(request):
    user = request.user
    if user.role == Role.PROVIDER:
        mine = selectors.applications_for_provider(user)
        applications, count = first_few(mine)
        offers = list(mine.filter(status=Application.Status.OFFERED))
        # An offer to accept is what waits for the provider: ahead of everything else on the page.
        return [
            {
                "template": "grants/panels/provider.html",
                "applications": applications,
                "count": count,
                "offers": offers,
                "waiting": bool(offers),
            }
        ]
    if user.role in (Role.COMMUNITY_AMBASSADOR, Role.AREA_COMMANDER):
        bids, count = first_few(selectors.bids_waiting_for(user))
        return [{"template": "grants/panels/area.html", "bids": bids, "count": count}]
    found = []
    # Whoever holds a delegated authority sees the grants whose decision falls to them.
    waiting = selectors.decisions_waiting_for(user.role)
    if waiting is not None:
        shown, count = first_few(waiting)
        found.append(
            {
                "template": "grants/panels/decisions.html",
                "applications": shown,
                "count": count,
                "waiting": bool(shown),
            }
        )
    if user.role in (Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING):
        shown, count = first_few(selectors.applications_to_assess())
        if shown:
            found.append(
                {
                    "template": "grants/panels/to_assess.html",
                    "applications": shown,
                    "count": count,
                    "waiting": True,
                }
            )
        counts = selectors.office_counts()
        if any(counts.values()):
            found.append({"template": "grants/panels/office.html", "counts": counts})
    return found
