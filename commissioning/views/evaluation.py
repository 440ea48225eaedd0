"""An evaluator's pages: only the tenders they sit on, and only the bids they declared no conflict with."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from commissioning import gates, selectors
from commissioning.forms.evaluation import DeclarationForm, ScoreForm
from commissioning.models import Bid, Tender
from commissioning.services import evaluation as evaluation_services
from opcc.forms import errors_to_form
from opcc.permissions import require_view_perm as require
from opcc.services.documents import documents_for


@login_required
def evaluations(request):
    require(request, "commissioning.list_evaluations")
    tenders, _ = selectors.tenders_for_evaluator(request.user)
    return render(request, "commissioning/evaluations.html", {"tenders": list(tenders)})


def _tender(request, tender_pk) -> Tender:
    tender = get_object_or_404(Tender.objects.select_related("procurement__commission"), pk=tender_pk)
    if not request.user.has_perm("commissioning.evaluate_tender", tender):
        # Not on this panel: not even told the tender exists.
        raise Http404
    return tender


@login_required
def evaluate(request, tender_pk):
    tender = _tender(request, tender_pk)
    member, bids = selectors.evaluator_bids(tender, request.user)
    undeclared = [b for b in bids if b.my_declaration is None]
    form = DeclarationForm(request.POST or None, bids=undeclared) if undeclared else None
    if form is not None and request.method == "POST" and form.is_valid():
        answers, details = form.answers()
        try:
            evaluation_services.declare(tender=tender, user=request.user, answers=answers, details=details)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, "Your declarations have been recorded.")
            return redirect("commissioning:evaluate", tender.pk)
    return render(
        request,
        "commissioning/evaluate.html",
        {
            "tender": tender,
            "commission": tender.procurement.commission,
            "bids": bids,
            "form": form,
            "undeclared": undeclared,
            "criteria": list(tender.criteria.all()),
        },
    )


@login_required
def score(request, bid_pk):
    bid = get_object_or_404(
        Bid.objects.select_related("organisation", "tender__procurement__commission"), pk=bid_pk
    )
    tender = _tender(request, bid.tender_id)
    member, bids = selectors.evaluator_bids(tender, request.user)
    mine = next((b for b in bids if b.pk == bid.pk), None)
    if mine is None:
        raise Http404  # not in the evaluation: withdrawn, or late and not accepted by the panel
    if mine.my_declaration is not None and mine.my_declaration.conflict:
        raise Http404  # a declared conflict removes the evaluator from this bid
    criteria = list(tender.criteria.all())
    initial = {}
    for s in bid.scores.filter(member=member):
        initial.update({f"score_{s.criterion_id}": s.score, f"comment_{s.criterion_id}": s.comment})
    closed = gates.scoring_closed(bid)
    form = ScoreForm(
        None if closed else request.POST or None,
        criteria=criteria,
        scale_max=tender.score_scale_max,
        initial=initial,
    )
    # Undeclared: the page says so and nothing posted is used (the service would refuse it too).
    if not closed and mine.my_declaration is not None and request.method == "POST" and form.is_valid():
        try:
            evaluation_services.score_bid(bid=bid, user=request.user, scores=form.scores())
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, f"Your scores for the bid from {bid.organisation} have been saved.")
            return redirect("commissioning:evaluate", tender.pk)

    return render(
        request,
        "commissioning/score.html",
        {
            "tender": tender,
            "bid": bid,
            "form": form,
            "visible": mine.visible_to_me,
            "closed": closed,
            "my_scores": (
                list(bid.scores.filter(member=member).select_related("criterion").order_by("criterion_id"))
                if closed and mine.visible_to_me
                else []
            ),
            "documents": documents_for(bid) if mine.visible_to_me else [],
        },
    )
