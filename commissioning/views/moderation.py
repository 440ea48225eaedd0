"""Do: the evaluation panel, the moderated scores and the tender's ranked results."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning import gates
from commissioning.exclusions import excluded_organisations
from commissioning.forms.evaluation import PanelForm, ScoreForm
from commissioning.models import Bid, ModeratedScore, Route, Score
from commissioning.procurement import rank_bids
from commissioning.services import evaluation as evaluation_services
from commissioning.views.common import done, form_page, load_commission, stage_url, tasks_link
from commissioning.views.tenders import tender_or_404
from opcc.views.forms import posted, run


@login_required
def panel(request, pk):
    commission = load_commission(request, pk, "commissioning.change_commission")
    tender = tender_or_404(commission)
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
        back=stage_url(pk),
        before="commissioning/_panel.html",
        intro="Each member declares any conflict of interest with each bidder before seeing that bid; a "
        "declared conflict removes them from that bid.",
        extra={"tender": tender, "status": status, "rows": rows},
        closed=closed,
        closed_link=tasks_link(pk),
    )


def ranked_bids(tender):
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
    tender = tender_or_404(commission)
    status = gates.tender_status(tender)
    # Moderating (or changing a moderation) is offered only where the service would accept it; once the
    # procurement is settled, a moderation can still be viewed by those who may open the moderation page.
    is_open = gates.route_closed(commission, Route.TENDER, Route.REGULATED) is None
    may_change = request.user.has_perm("commissioning.change_commission")
    ranking = ranked_bids(tender)
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
    tender = tender_or_404(commission)
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
