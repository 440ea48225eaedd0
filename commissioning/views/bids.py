"""Putting the tender's record right before scoring: correct or withdraw a bid, the panel's decision on a late bid,
and taking someone off the panel who has not scored."""

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse

from commissioning import gates
from commissioning.forms.tenders import BidChangeForm, LateBidForm, WithdrawBidForm
from commissioning.models import Bid, PanelMember
from commissioning.services import evaluation as evaluation_services
from commissioning.services import tenders as tender_services
from commissioning.views.common import done, form_page, load_commission
from commissioning.views.tenders import tender_or_404
from opcc.forms import GOVUKForm
from opcc.views.forms import posted, run


def _bid(commission, bid_pk):
    tender = tender_or_404(commission)
    return tender, get_object_or_404(Bid.objects.select_related("organisation"), pk=bid_pk, tender=tender)


def _bids_link(pk):
    return reverse("commissioning:bids", args=[pk]), "Go to the bids"


@login_required
def bid_change(request, pk, bid_pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender, bid = _bid(commission, bid_pk)
    closed = gates.bid_change_closed(commission, tender, bid)
    form = BidChangeForm(
        posted(request, closed),
        initial={
            "organisation": bid.organisation_id,
            "price": bid.price,
            "received_on": bid.received_on,
            "summary": bid.summary,
        },
    )
    ok, _ = run(
        request,
        form,
        lambda d: tender_services.correct_bid(
            commission=commission,
            bid=bid,
            organisation=d["organisation"],
            price=d["price"],
            received_on=d["received_on"],
            summary=d["summary"],
            by=request.user,
        ),
        success=f"The bid from {bid.organisation} has been corrected.",
    )
    if ok:
        return done("bids", commission)
    return form_page(
        request,
        commission,
        form,
        title=f"Correct the bid from {bid.organisation}",
        button="Save the bid",
        back=reverse("commissioning:bids", args=[pk]),
        closed=closed,
        closed_link=_bids_link(pk),
        intro=f"Bids closed on {tender.closes_on:%-d %B %Y}. The correction is recorded on the commission's "
        "timeline. Bids can be corrected until scoring starts.",
    )


@login_required
def bid_withdraw(request, pk, bid_pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender, bid = _bid(commission, bid_pk)
    closed = gates.bid_change_closed(commission, tender, bid)
    form = WithdrawBidForm(posted(request, closed))
    ok, _ = run(
        request,
        form,
        lambda d: tender_services.withdraw_bid(
            commission=commission, bid=bid, reason=d["reason"], by=request.user
        ),
        success=f"The bid from {bid.organisation} has been withdrawn.",
    )
    if ok:
        return done("bids", commission)
    return form_page(
        request,
        commission,
        form,
        title=f"Withdraw the bid from {bid.organisation}",
        button="Withdraw the bid",
        warning=True,
        back=reverse("commissioning:bids", args=[pk]),
        closed=closed,
        closed_link=_bids_link(pk),
        intro="A withdrawn bid stays on record but is not evaluated, ranked or awarded.",
    )


@login_required
def bid_late(request, pk, bid_pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender, bid = _bid(commission, bid_pk)
    closed = gates.late_decision_closed(commission, tender, bid)
    form = LateBidForm(posted(request, closed))
    ok, _ = run(
        request,
        form,
        lambda d: tender_services.decide_late_bid(
            commission=commission, bid=bid, decision=d["decision"], reason=d["reason"], by=request.user
        ),
        success=f"The panel's decision on the late bid from {bid.organisation} has been recorded.",
    )
    if ok:
        return done("bids", commission)
    intro = (
        f"Bids closed on {tender.closes_on:%-d %B %Y}; this one was received on {bid.received_on:%-d %B %Y}. "
        "It is evaluated only if the panel accepts it."
    )
    if bid.late_decision:
        intro = f"The panel {bid.get_late_decision_display().lower()} this late bid: {bid.late_reason}"
    return form_page(
        request,
        commission,
        form,
        title=f"Late bid from {bid.organisation}",
        button="Record the decision",
        back=reverse("commissioning:bids", args=[pk]),
        closed=closed,
        closed_link=_bids_link(pk),
        intro=intro,
    )


class _ConfirmForm(GOVUKForm, django_forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_helper()


@login_required
def panel_remove(request, pk, member_pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender = tender_or_404(commission)
    member = get_object_or_404(PanelMember.objects.select_related("user"), pk=member_pk, tender=tender)
    closed = gates.panel_removal_closed(commission, member)
    form = _ConfirmForm(posted(request, closed) or ({} if request.method == "POST" and not closed else None))
    ok, _ = run(
        request,
        form,
        lambda d: evaluation_services.remove_panel_member(
            commission=commission, member=member, by=request.user
        ),
        success=f"{member.user.full_name} has been removed from the panel.",
    )
    if ok:
        return done("panel", commission)
    return form_page(
        request,
        commission,
        form,
        title=f"Remove {member.user.full_name} from the panel",
        button="Remove from the panel",
        warning=True,
        back=reverse("commissioning:panel", args=[pk]),
        closed=closed,
        closed_link=(reverse("commissioning:panel", args=[pk]), "Go to the panel"),
        intro="Their declarations of interest are removed with them. Someone who has scored a bid "
        "cannot be removed.",
    )
