"""Do: the tender, its award criteria and the bids received."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from commissioning import gates, selectors
from commissioning.exclusions import excluded_organisations
from commissioning.forms.tenders import BidForm, CriteriaForm, TenderForm
from commissioning.models import Route
from commissioning.services import tenders as tender_services
from commissioning.views.common import done, form_page, load_commission, stage_url, tasks_link
from opcc.views.forms import posted, run


@login_required
def tender(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    existing = gates._one(procurement, "tender") if procurement else None
    names = list(TenderForm.base_fields)
    closed = gates.route_closed(commission, Route.TENDER, Route.REGULATED)
    form = TenderForm(
        posted(request, closed),
        initial={n: getattr(existing, n) for n in names}
        if existing
        else {"quality_weight": 70, "price_weight": 30},
        procurement=procurement if procurement and procurement.is_tender else None,
        tender=existing,
    )
    ok, _ = run(
        request,
        form,
        lambda d: tender_services.save_tender(commission=commission, by=request.user, **d),
        success="The tender has been saved.",
    )
    if ok:
        return done("do", commission)
    intro = "The funding envelope and the quality/price split are published to bidders with the weighted criteria."
    if procurement and procurement.route == Route.REGULATED:
        intro += " The value reaches the regulated threshold: record the market engagement event."
    return form_page(
        request,
        commission,
        form,
        title="Competitive tender",
        button="Save the tender",
        back=stage_url(pk),
        intro=intro,
        closed=closed,
        closed_link=tasks_link(pk),
        before="commissioning/_tender.html" if closed else None,
        extra={"tender": existing},
    )


def tender_or_404(commission):
    procurement = gates.current_procurement(commission)
    tender = gates._one(procurement, "tender") if procurement else None
    if tender is None:
        raise Http404("Record the tender first")
    return tender


@login_required
def criteria(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender = tender_or_404(commission)
    initial = {}
    for i, c in enumerate(tender.criteria.all(), start=1):
        initial.update({f"name_{i}": c.name, f"weight_{i}": c.weight, f"guidance_{i}": c.guidance})
    closed = gates.criteria_closed(commission, tender)
    form = CriteriaForm(posted(request, closed), initial=initial)
    ok, _ = run(
        request,
        form,
        lambda d: tender_services.set_criteria(commission=commission, rows=form.rows(), by=request.user),
        success="The quality criteria have been saved.",
    )
    if ok:
        return done("do", commission)
    return form_page(
        request,
        commission,
        form,
        title="Weighted quality criteria",
        button="Save the criteria",
        back=stage_url(pk),
        intro=f"The weights must add up to 100%. Evaluators score each criterion from 0 to {tender.score_scale_max}.",
        closed=closed,
        closed_link=tasks_link(pk),
        before="commissioning/_tender.html" if closed else None,
        extra={"tender": tender},
    )


@login_required
def bids(request, pk):
    commission = load_commission(request, pk)
    tender = tender_or_404(commission)
    may_change = request.user.has_perm("commissioning.change_commission")
    bids = selectors.bids_with_documents(tender)
    # Offered only where the service would accept it (the same gates, asked once for the tender).
    changeable = may_change and gates.bid_change_closed(commission, tender) is None
    decidable = may_change and gates.bids_closed(commission, tender) is None
    excluded = excluded_organisations(tender.procurement)
    for bid in bids:
        bid.excluded = bid.organisation_id in excluded
        bid.can_change = changeable and not bid.is_withdrawn
        bid.can_decide_late = decidable and bid.late_waiting
    return render(
        request,
        "commissioning/bids.html",
        {
            "commission": commission,
            "tender": tender,
            "bids": bids,
            "can_add": may_change and gates.bids_closed(commission, tender) is None,
        },
    )


@login_required
def bid_create(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender = tender_or_404(commission)
    closed = gates.bids_closed(commission, tender)
    form = BidForm(posted(request, closed), None if closed else request.FILES or None)
    ok, _ = run(
        request,
        form,
        lambda d: tender_services.record_bid(
            commission=commission,
            organisation=d["organisation"],
            price=d["price"],
            received_on=d["received_on"],
            summary=d["summary"],
            by=request.user,
            files=[d["file"]] if d.get("file") else [],
        ),
        success="The bid has been recorded.",
    )
    if ok:
        return done("bids", commission)
    return form_page(
        request,
        commission,
        form,
        title="Record a bid",
        button="Record the bid",
        multipart=True,
        back=reverse("commissioning:bids", args=[pk]),
        intro=f"Bids received through the portal ({tender.portal_reference}), recorded with their documents.",
        closed=closed,
        closed_link=(reverse("commissioning:bids", args=[pk]), "Go to the bids"),
    )
