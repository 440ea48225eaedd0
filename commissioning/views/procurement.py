"""Do: the route, quotes, the tender and its evaluation, and the single tender agreement."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning import gates, selectors
from commissioning.exclusions import excluded_organisations
from commissioning.forms.evaluation import PanelForm, ScoreForm
from commissioning.forms.procurement import (
    ChooseQuoteForm,
    ConfirmForm,
    QuoteForm,
    RouteForm,
    SingleTenderForm,
)
from commissioning.forms.tenders import BidForm, CriteriaForm, TenderForm
from commissioning.models import Bid, ModeratedScore, Route, Score
from commissioning.procurement import rank_bids, required_route
from commissioning.services import evaluation as evaluation_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from commissioning.services import tenders as tender_services
from commissioning.views.common import done, form_page, load_commission
from opcc.views.forms import posted, run


def _back(pk, stage="do"):
    return reverse(f"commissioning:{stage}", args=[pk])


def _tasks_link(pk, stage="do"):
    return _back(pk, stage), f"Go to the {stage.capitalize()} tasks"


def _procurement_or_route(request, commission):
    return gates.current_procurement(commission)


@login_required
def route(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    needed = (
        required_route(commission.estimated_total_value, light_touch=commission.light_touch)
        if commission.estimated_total_value is not None
        else None
    )
    initial = (
        {"route": procurement.route, "route_reason": procurement.route_reason}
        if procurement
        else {"route": needed}
    )
    closed = gates.procurement_closed(commission) if procurement else gates.do_closed(commission)
    form = RouteForm(posted(request, closed), initial=initial)
    ok, _ = run(
        request,
        form,
        lambda d: procurement_services.choose_route(
            commission=commission, route=d["route"], reason=d["route_reason"], by=request.user
        ),
        success="The procurement route has been recorded.",
    )
    if ok:
        return done("do", commission)
    intro = ""
    if needed:
        intro = (
            f"The estimated total value is £{commission.estimated_total_value:,.2f}"
            f"{' (a light-touch service)' if commission.light_touch else ''}. The Financial Regulations require at least: "
            f"{Route(needed).label.lower()}. A heavier route is allowed; a lighter one only by a single tender agreement."
        )
    if closed and procurement:
        intro = f"The route chosen is {procurement.get_route_display().lower()}."
    return form_page(
        request,
        commission,
        form,
        title="Procurement route",
        button="Save the route",
        back=_back(pk),
        intro=intro,
        closed=closed,
        closed_link=_tasks_link(pk),
    )


@login_required
def quotes(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    closed = gates.route_closed(commission, Route.ONE_QUOTE, Route.THREE_QUOTES)
    form = QuoteForm(posted(request, closed))
    ok, _ = run(
        request,
        form,
        lambda d: procurement_services.add_quote(commission=commission, by=request.user, **d),
        success="The quote has been recorded.",
    )
    if ok:
        return done("quotes", commission)
    listed = list(procurement.quotes.select_related("organisation")) if procurement else []
    return form_page(
        request,
        commission,
        form,
        title="Written quotes",
        button="Record the quote",
        back=_back(pk),
        before="commissioning/_quotes.html",
        closed=closed,
        closed_link=_tasks_link(pk),
        extra={
            "procurement": procurement,
            "quotes": listed,
            "can_choose": gates.choose_quote_closed(commission) is None,
        },
    )


@login_required
def choose_quote(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    listed = list(procurement.quotes.select_related("organisation")) if procurement else []
    closed = gates.choose_quote_closed(commission)
    form = ChooseQuoteForm(
        posted(request, closed),
        quotes=listed,
        initial={
            "quote": str(procurement.chosen_quote_id or "") if procurement else "",
            "reason": procurement.quote_choice_reason if procurement else "",
        },
    )
    ok, _ = run(
        request,
        form,
        lambda d: procurement_services.choose_quote(
            commission=commission, quote=form.quotes[d["quote"]], reason=d["reason"], by=request.user
        ),
        success="The chosen supplier has been recorded.",
    )
    if ok:
        return done("do", commission)
    return form_page(
        request,
        commission,
        form,
        title="Choose the supplier",
        button="Save",
        back=reverse("commissioning:quotes", args=[pk]),
        closed=closed,
        closed_link=_tasks_link(pk),
    )


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
        back=_back(pk),
        intro=intro,
        closed=closed,
        closed_link=_tasks_link(pk),
        before="commissioning/_tender.html" if closed else None,
        extra={"tender": existing},
    )


def _tender_or_404(commission):
    procurement = gates.current_procurement(commission)
    tender = gates._one(procurement, "tender") if procurement else None
    if tender is None:
        raise Http404("Record the tender first")
    return tender


@login_required
def criteria(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender = _tender_or_404(commission)
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
        back=_back(pk),
        intro=f"The weights must add up to 100%. Evaluators score each criterion from 0 to {tender.score_scale_max}.",
        closed=closed,
        closed_link=_tasks_link(pk),
        before="commissioning/_tender.html" if closed else None,
        extra={"tender": tender},
    )


@login_required
def bids(request, pk):
    commission = load_commission(request, pk)
    tender = _tender_or_404(commission)
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
    tender = _tender_or_404(commission)
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


@login_required
def panel(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender = _tender_or_404(commission)
    closed = gates.route_closed(commission, Route.TENDER, Route.REGULATED)
    form = PanelForm(posted(request, closed))

    def add(d):
        return evaluation_services.add_panel_member(commission=commission, user=d["user"], by=request.user)

    ok, _ = run(request, form, add, success="The panel member has been added.")
    if ok:
        return done("panel", commission)
    status = gates.tender_status(tender)
    rows = []
    scorers = set(Score.objects.filter(member__tender=tender).values_list("member_id", flat=True))
    for member in status["panel"]:
        member.can_remove = not closed and member.pk not in scorers
        cells = []
        for bid in status["bids"]:
            conflict = status["declarations"].get((member.pk, bid.pk))
            scored = all((member.pk, bid.pk, c.pk) in status["scored"] for c in status["criteria"]) and bool(
                status["criteria"]
            )
            cells.append(
                "undeclared"
                if conflict is None
                else "conflict"
                if conflict
                else "scored"
                if scored
                else "to score"
            )
        rows.append((member, cells))
    return form_page(
        request,
        commission,
        form,
        title="Evaluation panel",
        button="Add to the panel",
        back=_back(pk),
        before="commissioning/_panel.html",
        intro="Each member declares any conflict of interest with each bidder before seeing that bid; a "
        "declared conflict removes them from that bid.",
        extra={"tender": tender, "status": status, "rows": rows},
        closed=closed,
        closed_link=_tasks_link(pk),
    )


def _ranking(tender):
    moderated = {
        (m.bid_id, m.criterion_id): m.score for m in ModeratedScore.objects.filter(bid__tender=tender)
    }
    return rank_bids(
        tender,
        tender.bids.in_evaluation().select_related("organisation", "tender").order_by("pk"),
        moderated,
        excluded_organisations(tender.procurement),
    )


@login_required
def results(request, pk):
    commission = load_commission(request, pk)
    tender = _tender_or_404(commission)
    status = gates.tender_status(tender)
    # Moderating (or changing a moderation) is offered only where the service would accept it; once the
    # procurement is settled, a moderation can still be viewed by those who may open the moderation page.
    is_open = gates.route_closed(commission, Route.TENDER, Route.REGULATED) is None
    may_change = request.user.has_perm("commissioning.change_commission")
    ranking = _ranking(tender)
    for row in ranking:
        row.moderated = bool(status["criteria"]) and row.bid not in status["unmoderated"]
        row.waiting = is_open and gates.waiting_to_moderate(status, row.bid) is not None
    return render(
        request,
        "commissioning/results.html",
        {
            "commission": commission,
            "tender": tender,
            "ranking": ranking,
            "criteria": status["criteria"],
            "status": status,
            "can_moderate": may_change and is_open,
            "can_view_moderation": may_change,
        },
    )


@login_required
def moderate(request, pk, bid_pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender = _tender_or_404(commission)
    bid = get_object_or_404(Bid.objects.select_related("organisation"), pk=bid_pk, tender=tender)
    criteria = list(tender.criteria.all())
    initial = {}
    moderated = list(bid.moderated.select_related("criterion", "by").order_by("criterion_id"))
    for m in moderated:
        initial.update({f"score_{m.criterion_id}": m.score, f"rationale_{m.criterion_id}": m.rationale})
    closed = gates.moderation_closed(commission, tender, bid)
    form = ScoreForm(
        posted(request, closed),
        criteria=criteria,
        scale_max=tender.score_scale_max,
        reason_label="Rationale",
        reason_key="rationale",
        initial=initial,
    )
    ok, _ = run(
        request,
        form,
        lambda d: evaluation_services.moderate_bid(
            commission=commission, bid=bid, scores=form.scores(), by=request.user
        ),
        success=f"The moderated scores for {bid.organisation} have been saved.",
    )
    if ok:
        return done("results", commission)
    individual = (
        Score.objects.filter(bid=bid)
        .select_related("member__user", "criterion")
        .order_by("criterion_id", "member_id")
    )
    title = (
        f"Moderated scores for the bid from {bid.organisation}"
        if closed and moderated
        else f"Moderate the bid from {bid.organisation}"
    )
    return form_page(
        request,
        commission,
        form,
        title=title,
        button="Save the moderated scores",
        back=reverse("commissioning:results", args=[pk]),
        before="commissioning/_individual_scores.html",
        extra={"individual": individual, "bid": bid, "moderated": moderated},
        closed=closed,
        closed_link=(reverse("commissioning:results", args=[pk]), "Go to the scores and ranked result"),
    )


@login_required
def single_tender(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    procurement = gates.current_procurement(commission)
    sta = gates._one(procurement, "sta") if procurement else None
    initial = (
        {
            "organisation": sta.organisation_id,
            "ground": sta.ground,
            "justification": sta.justification,
            "value": sta.value,
            "schedule5": sta.schedule5,
        }
        if sta
        else {"value": commission.estimated_total_value}
    )
    closed = gates.single_tender_closed(commission)
    form = SingleTenderForm(posted(request, closed), initial=initial, light_touch=commission.light_touch)
    ok, _ = run(
        request,
        form,
        lambda d: single_tender_services.save_single_tender(commission=commission, by=request.user, **d),
        success="The single tender agreement has been saved. The head of commissioning must sign it off.",
    )
    if ok:
        return done("do", commission)
    return form_page(
        request,
        commission,
        form,
        title="Single tender agreement",
        button="Save the agreement",
        back=_back(pk),
        before="commissioning/_sta.html",
        extra={"sta": sta},
        closed=closed,
        closed_link=_tasks_link(pk),
        intro="A contract without competition, only on ground (a) or (b), with a written justification and sign-off.",
    )


@login_required
def sign_single_tender(request, pk):
    commission = load_commission(request, pk, "commissioning.sign_single_tender")
    procurement = gates.current_procurement(commission)
    sta = gates._one(procurement, "sta") if procurement else None
    form = ConfirmForm(request.POST or None)
    # Only the person the agreement waits for gets the form; anyone else sees where it stands.
    blocked = (
        sta is None
        or sta.next_signer != request.user.role
        or gates.procurement_closed(commission) is not None
    )
    if not blocked:
        ok, _ = run(
            request,
            form,
            lambda d: single_tender_services.sign_single_tender(commission=commission, by=request.user),
            success="You have signed off the single tender agreement.",
        )
        if ok:
            return done("do", commission)
    if sta is None:
        intro = "There is no single tender agreement to sign off yet."
    elif blocked:
        intro = f"{sta.sign_off_status}." if sta.sign_off_status else ""
        if sta.next_signer and sta.next_signer != request.user.role:
            intro += " Nothing here waits for your sign-off now."
    else:
        intro = f"{sta.sign_off_status}."
    return form_page(
        request,
        commission,
        form,
        title="Sign off the single tender agreement",
        button="Sign off",
        back=_back(pk),
        before="commissioning/_sta.html",
        intro=intro.strip(),
        extra={"sta": sta, "blocked": blocked, "blocked_link": (_back(pk), "Go to the Do tasks")},
    )
