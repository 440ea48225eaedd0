"""Reads for commissioning pages: each shaped for one page, in a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from commissioning.models import Bid, Commission, Declaration, PanelMember, Score, Tender
from funding.models import Award
from funding.selectors import awards_with_totals


def commissions(*, status: str = "", query: str = ""):
    qs = Commission.objects.select_related("officer").prefetch_related("areas")
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(reference__iexact=query))
    return qs.order_by("-created_at", "-id")


def stage_counts() -> dict:
    return dict(Commission.objects.values_list("status").annotate(n=Count("id")).order_by())


def overlapping_awards(commission: Commission):
    """Live awards that might duplicate this service: same stream, or in the same areas."""
    areas = list(commission.areas.values_list("pk", flat=True))
    match = Q(pot__stream=commission.stream)
    if areas:
        match &= Q(pot__area__isnull=True) | Q(pot__area__in=areas) | Q(organisation__areas_served__in=areas)
    qs = Award.objects.filter(match, status__in=[Award.Status.PENDING, Award.Status.ACTIVE])
    return awards_with_totals(qs.distinct()).order_by("-amount")[:50]


def tenders_for_evaluator(user):
    """The tenders this person sits on the panel of, with what is left for them to do."""
    declared = Declaration.objects.filter(member__user=user, bid=OuterRef("pk"))
    return (
        Tender.objects.filter(panel__user=user)
        .select_related("procurement__commission")
        .annotate(
            bid_count=Count("bids", distinct=True),
            undeclared=Count("bids", filter=~Q(bids__declarations__member__user=user), distinct=True),
        )
        .order_by("closes_on", "pk")
    ), declared


def evaluator_bids(tender: Tender, user):
    """The bids with this evaluator's declaration, for the declaration and scoring pages."""
    member = PanelMember.objects.filter(tender=tender, user=user).first()
    bids = list(tender.bids.select_related("organisation").order_by("pk"))
    declarations = {d.bid_id: d for d in Declaration.objects.filter(member=member)} if member else {}
    scored = (set(Score.objects.filter(member=member).values_list("bid_id", flat=True)) if member else set())
    for bid in bids:
        bid.my_declaration = declarations.get(bid.pk)
        bid.visible_to_me = bid.my_declaration is not None and not bid.my_declaration.conflict
        bid.scored_by_me = bid.pk in scored
    return member, bids


def bids_with_documents(tender: Tender):
    from django.contrib.contenttypes.models import ContentType

    from opcc.models import Document

    bid_type = ContentType.objects.get_for_model(Bid)
    bids = list(tender.bids.select_related("organisation").order_by("pk"))
    docs = {}
    for doc in Document.objects.filter(content_type=bid_type, object_id__in=[b.pk for b in bids]):
        docs.setdefault(doc.object_id, []).append(doc)
    for bid in bids:
        bid.documents = docs.get(bid.pk, [])
    return bids


__all__ = ["Exists", "Prefetch"]


def expected_decision_value(commission: Commission, procurement):
    """The value the award decision is likely to be: the agreement's or chosen quote's, else the estimate."""
    from commissioning.gates import _one

    if procurement.is_single_tender and (sta := _one(procurement, "sta")) is not None:
        return sta.value
    if procurement.is_quotes and procurement.chosen_quote_id:
        return procurement.chosen_quote.amount
    return commission.estimated_total_value


WAITING_LOOKS = 12


def waiting_for(user) -> list[dict]:
    """What in commissioning waits for this person's sign-off or decision, oldest commission first.

    Single tender agreements wait for the head of commissioning, then (above the threshold) the PCC. An award
    decision that is ready waits for the delegation level its value needs: the lead officer, the head or the PCC.
    """
    from django.db.models import F
    from django.urls import reverse

    from commissioning import gates
    from commissioning.models import DelegationLevel, Procurement, SingleTenderAgreement
    from commissioning.services import delegation_level
    from opcc.models import Role

    items = []
    stas = SingleTenderAgreement.objects.filter(
        procurement__commission__status=Commission.Status.DO, procurement__cycle=F("procurement__commission__cycle"),
    ).select_related("procurement__commission", "organisation", "head_signed_by")
    if user.role == Role.HEAD_OF_COMMISSIONING:
        stas = stas.filter(head_signed_at__isnull=True)
    elif user.role == Role.PCC:
        stas = stas.filter(needs_pcc=True, head_signed_at__isnull=False, pcc_signed_at__isnull=True)
    else:
        stas = stas.none()
    for sta in stas.order_by("procurement__commission__created_at", "pk"):
        c = sta.procurement.commission
        items.append({"commission": c, "action": "Sign off the single tender agreement",
                      "url": reverse("commissioning:sta-sign", args=[c.pk]),
                      "detail": f"{sta.organisation.name}, £{sta.value:,.0f}. {sta.sign_off_status}."})

    DECIDERS = {DelegationLevel.OFFICER: "the lead officer", DelegationLevel.HEAD: "the head of commissioning",  # noqa: N806
                DelegationLevel.PCC: "the PCC, with a decision record"}
    level_for = {Role.HEAD_OF_COMMISSIONING: DelegationLevel.HEAD, Role.PCC: DelegationLevel.PCC}
    if user.role not in (*level_for, Role.COMMISSIONING_OFFICER):
        return items
    ready = (Procurement.objects.filter(commission__status=Commission.Status.DO, cycle=F("commission__cycle"),
                                        decision__isnull=True)
             .select_related("commission", "chosen_quote__organisation").order_by("commission__created_at", "pk"))
    # The gates cost a few queries each: look at the oldest few ready procurements (a working set, not history),
    # so the home page's cost stays bounded however many there are.
    for procurement in ready[:WAITING_LOOKS]:
        c = procurement.commission
        value = expected_decision_value(c, procurement)
        if value is None or gates.decision_gaps(c):
            continue
        level = delegation_level(value)
        mine = (level == level_for.get(user.role)
                or (level == DelegationLevel.OFFICER and c.officer_id == user.pk and user.role != Role.PCC))
        if mine:
            items.append({"commission": c, "action": "Record the award decision",
                          "url": reverse("commissioning:decision", args=[c.pk]),
                          "detail": f"£{value:,.0f} estimated, for {DECIDERS[level]} to decide"})
    return items
