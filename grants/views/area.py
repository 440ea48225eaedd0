"""The area's deciders (community ambassadors and local policing area commanders) and LPCAF bids."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from grants import forms, selectors
from grants.services import decisions as decision_services
from grants.views._common import _application
from grants.views.application import _rerender_with_form
from opcc.forms import errors_to_form as _errors_to_form
from opcc.paging import page_of
from opcc.permissions import require_view_perm


@login_required
@require_POST
def area_decision(request, pk):
    application = _application(request, pk)
    require_view_perm(request, "grants.decide_area", application)
    form = forms.AreaDecisionForm(request.POST)
    if form.is_valid():
        try:
            decision_services.record_area_decision(
                application=application,
                by=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Your decision has been recorded.")
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
