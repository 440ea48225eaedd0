"""The area's deciders (community ambassadors and local policing area commanders) and LPCAF bids."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grants import selectors
from grants.forms.decisions import AreaDecisionForm
from grants.services import decisions as decision_services
from grants.views._common import _application
from grants.views.application import _rerender_with_form
from opcc.paging import page_of
from opcc.permissions import require_view_perm
from opcc.views.forms import run


@login_required
@require_POST
def area_decision(request, pk):
    application = _application(request, pk)
    require_view_perm(request, "grants.decide_area", application)
    form = AreaDecisionForm(request.POST)
    done, _ = run(
        request,
        form,
        lambda data: decision_services.record_area_decision(
            application=application, by=request.user, decision=data["decision"], note=data["note"]
        ),
        success="Your decision has been recorded.",
    )
    if done:
        return redirect("grants:application", pk=application.pk)
    # Show the bid's page again with the errors and what was typed.
    return _rerender_with_form(request, pk, form)


@login_required
def area_bids(request):
    require_view_perm(request, "grants.list_area_bids")
    return render(
        request,
        "grants/area_bids.html",
        {
            "waiting": page_of(
                request, selectors.bids_waiting_for(request.user), per_page=25, param="waiting-page"
            ),
            "bids": page_of(request, selectors.area_bids_for(request.user)),
            "areas": request.user.areas.all(),
        },
    )
