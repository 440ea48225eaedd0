"""Decisions: the list waiting for a decider's authority and the decision itself."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from funding.models import DecisionKind, DelegationLevel
from grants import selectors
from grants.forms.decisions import DecisionForm
from grants.rules import decision_amount
from grants.services import decisions as decision_services
from grants.views._common import _application
from opcc.permissions import require_view_perm
from opcc.views.forms import run

DECISIONS_PER_PAGE = 50


@login_required
def decisions(request):
    """Every grant decision waiting for this person's delegated authority (the home page shows the first few)."""
    require_view_perm(request, "grants.list_decisions")

    page = Paginator(selectors.decisions_waiting_for(request.user.role), DECISIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "grants/decisions.html",
        {
            "page": page,
            "level": DelegationLevel.objects.get(decides=DecisionKind.GRANT, role=request.user.role),
        },
    )


@login_required
def decide(request, pk):
    application = _application(request, pk)
    require_view_perm(request, "grants.decide_application", application)
    form = DecisionForm(request.POST or None, application=application)
    done, _ = run(
        request,
        form,
        lambda data: decision_services.decide(
            application=application,
            by=request.user,
            decision=data["decision"],
            note=data["note"],
            expected_state=request.POST.get("expected_state") or None,
        ),
        success=lambda _: f"{application.reference} has been {form.cleaned_data['decision']}d.",
    )
    if done:
        return redirect("grants:application", pk=application.pk)
    return render(
        request,
        "grants/action.html",
        {
            "application": application,
            "form": form,
            "title": "Decide",
            "button": "Record the decision",
            "show_answers": True,
            "decision_amount": decision_amount(application),
            "weighted_score": selectors.weighted_score(application),
        },
    )
