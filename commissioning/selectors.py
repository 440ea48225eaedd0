"""Reads for commissioning: each page's rows in a fixed number of queries, and the figures and checks that only
read (the delegation level a value needs, who an award may go to, what is wrong with a contract's answers)."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from commissioning import gates
from commissioning.models import (
    AwardDecision,
    Bid,
    Commission,
    CommissioningRules,
    Declaration,
    ModeratedScore,
    Notice,
    NoticeKind,
    PanelMember,
    Procurement,
    Score,
    SingleTenderAgreement,
    Tender,
)
from commissioning.procurement import parse_pattern
from funding.hooks import AwardPerformance
from funding.models import Award, DecisionKind, DelegationLevel, Pot
from funding.selectors import awards_with_totals, open_pots
from opcc.calendar import add_years, financial_year_of, quarters_between, year_end
from opcc.models import Document, Role
from opcc.money import gbp


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
    """Live awards that might duplicate this service: same stream, or in the same areas; the largest first."""
    areas = list(commission.areas.values_list("pk", flat=True))
    match = Q(pot__stream=commission.stream)
    if areas:
        match &= Q(pot__area__isnull=True) | Q(pot__area__in=areas) | Q(organisation__areas_served__in=areas)
    qs = Award.objects.filter(match, status__in=[Award.Status.PENDING, Award.Status.ACTIVE])
    return awards_with_totals(qs.distinct()).order_by("-amount", "pk")


def tenders_for_evaluator(user):
    """The tenders this person sits on the panel of, with what is left for them to do."""
    declared = Declaration.objects.filter(member__user=user, bid=OuterRef("pk"))
    # Only the bids in the evaluation (not withdrawn; late ones once the panel has accepted them).
    evaluated = Q(bids__withdrawn_at__isnull=True) & (
        Q(bids__received_on__lte=F("closes_on")) | Q(bids__late_decision=Bid.LateDecision.ACCEPTED)
    )
    return (
        Tender.objects.filter(panel__user=user)
        .select_related("procurement__commission")
        .annotate(
            bid_count=Count("bids", filter=evaluated, distinct=True),
            undeclared=Count(
                "bids", filter=evaluated & ~Q(bids__declarations__member__user=user), distinct=True
            ),
        )
        .order_by("closes_on", "pk")
    ), declared


def evaluator_bids(tender: Tender, user):
    """The bids with this evaluator's declaration, for the declaration and scoring pages."""
    member = PanelMember.objects.filter(tender=tender, user=user).first()
    bids = list(tender.bids.in_evaluation().select_related("organisation").order_by("pk"))
    declarations = {d.bid_id: d for d in Declaration.objects.filter(member=member)} if member else {}
    scored = set(Score.objects.filter(member=member).values_list("bid_id", flat=True)) if member else set()
    moderated = set(ModeratedScore.objects.filter(bid__tender=tender).values_list("bid_id", flat=True))
    for bid in bids:
        bid.my_declaration = declarations.get(bid.pk)
        bid.visible_to_me = bid.my_declaration is not None and not bid.my_declaration.conflict
        bid.scored_by_me = bid.pk in scored
        # Moderated: the panel's scores stand, and an evaluator's own can only be read.
        bid.is_moderated = bid.pk in moderated
    return member, bids


def bids_with_documents(tender: Tender):

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
    if procurement.is_single_tender and (sta := gates._one(procurement, "sta")) is not None:
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

    items = []
    stas = SingleTenderAgreement.objects.filter(
        procurement__commission__status=Commission.Status.DO,
        procurement__cycle=F("procurement__commission__cycle"),
    ).select_related("procurement__commission", "organisation", "head_signed_by")
    if user.role == Role.HEAD_OF_COMMISSIONING:
        stas = stas.filter(head_signed_at__isnull=True)
    elif user.role == Role.PCC:
        stas = stas.filter(needs_pcc=True, head_signed_at__isnull=False, pcc_signed_at__isnull=True)
    else:
        stas = stas.none()
    for sta in stas.order_by("procurement__commission__created_at", "pk"):
        c = sta.procurement.commission
        items.append(
            {
                "commission": c,
                "action": "Sign off the single tender agreement",
                "url": reverse("commissioning:sta-sign", args=[c.pk]),
                "detail": f"{sta.organisation.name}, £{sta.value:,.0f}. {sta.sign_off_status}.",
            }
        )

    deciders = {
        Role.COMMISSIONING_OFFICER: "the lead officer",
        Role.HEAD_OF_COMMISSIONING: "the head of commissioning",
        Role.PCC: "the PCC, with a decision record",
    }
    if user.role not in deciders:
        return items
    levels = list(DelegationLevel.objects.filter(decides=DecisionKind.CONTRACT))
    ready = (
        Procurement.objects.filter(
            commission__status=Commission.Status.DO, cycle=F("commission__cycle"), decision__isnull=True
        )
        .select_related("commission", "chosen_quote__organisation")
        .order_by("commission__created_at", "pk")
    )
    # The gates cost a few queries each: look at the oldest few ready procurements (a working set, not history),
    # so the home page's cost stays bounded however many there are.
    for procurement in ready[:WAITING_LOOKS]:
        c = procurement.commission
        value = expected_decision_value(c, procurement)
        if value is None or gates.decision_gaps(c):
            continue
        needed = DelegationLevel.needed_for(DecisionKind.CONTRACT, value, levels=levels)
        if needed is None:
            continue
        level = needed.role
        # The head and the PCC see what needs their level; an officer-level decision waits on its lead officer.
        mine = (user.role != Role.COMMISSIONING_OFFICER and level == user.role) or (
            level == Role.COMMISSIONING_OFFICER and c.officer_id == user.pk and user.role != Role.PCC
        )
        if mine:
            items.append(
                {
                    "commission": c,
                    "action": "Record the award decision",
                    "url": reverse("commissioning:decision", args=[c.pk]),
                    "detail": f"£{value:,.0f} estimated, for {deciders.get(level, level)} to decide",
                }
            )
    return items


# ---- The contract's pot --------------------------------------------------------------------


def contract_pots(commission: Commission):
    """The pots a contract can be paid from: the commission's stream's open pots (every open pot if it has none)."""

    pots = open_pots()
    in_stream = pots.filter(stream=commission.stream)
    return in_stream if in_stream.exists() else pots


def fitting_pots(commission: Commission, pots, start_year: int) -> list:
    """The pots that fit the commission in the year its contract starts: its stream, and a pot kept for one area only
    when the commission serves that area (a West Mercia wide commission fits only pots for all of West Mercia)."""
    areas = set(commission.areas.values_list("pk", flat=True))
    return [
        p
        for p in pots.filter(stream=commission.stream, year__start_year=start_year)
        if p.area_id is None or p.area_id in areas
    ]


def default_pot(commission: Commission, pots, start_year: int):
    """The pot to pre-select, or None. Only when exactly one pot clearly fits: with two (say victim services and a
    ring-fenced ISVA and IDVA pot) the officer must choose, so nobody commits ring-fenced money by clicking through."""
    fitting = fitting_pots(commission, pots, start_year)
    return fitting[0] if len(fitting) == 1 else None


# ---- Review: what monitoring knows about the contract ----------------------------------------

PERFORMANCE_ROWS = 8


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def review_performance(award, performance: AwardPerformance | None, *, today):
    """funding.hooks.award_performance's answer shaped for the Review page, or None when monitoring has no returns:
    how many of the contract's quarters have a return and where each stands, with overdue returns called overdue,
    and the newest rows for the table (the rest are on the award's monitoring page)."""
    if performance is None:
        return None

    rows = [
        dict(row) for row in performance.get("returns", [])
    ]  # each says whether it is overdue (monitoring's rule)
    by_status = {}
    for row in rows:
        by_status.setdefault("overdue" if row["overdue"] else row["status"], []).append(row)
    parts = []
    for key, words in (
        ("accepted", "accepted"),
        ("submitted", "waiting for the office's review"),
        ("changes_requested", "with the provider for changes"),
        ("overdue", "overdue"),
        ("open", "open for the provider"),
        ("not_yet_due", "not yet due"),
    ):
        if by_status.get(key):
            parts.append(f"{len(by_status[key])} {words}")
    quarters = quarters_between(award.start_date, award.end_date)
    with_returns = {row["quarter"] for row in rows}
    without = [q for q in quarters if q.short_label not in with_returns]
    sentences = [
        f"The contract runs for {_count(len(quarters), 'quarter')}: "
        f"{len(rows)} {'has a quarterly return' if len(rows) == 1 else 'have quarterly returns'} "
        f"({_join(parts)})."
        if parts
        else ""
    ]
    future = [q for q in without if q.end > today]
    past = [q for q in without if q.end <= today]
    if len(future) == 1:
        sentences.append("The remaining quarter has not ended yet, so its return is not yet due.")
    elif future:
        sentences.append(
            f"The remaining {len(future)} quarters have not ended yet, so their returns are not yet due."
        )
    if past:
        sentences.append(
            f"{_count(len(past), 'quarter')} that {'has' if len(past) == 1 else 'have'} ended "
            f"{'has' if len(past) == 1 else 'have'} no return on record: "
            f"{', '.join(q.short_label for q in past)}."
        )
    overdue = by_status.get("overdue", [])
    return {
        **performance,
        "coverage": " ".join(s for s in sentences if s),
        "overdue": overdue,
        "rows": rows[:PERFORMANCE_ROWS],
        "total_returns": len(rows),
        "more": max(0, len(rows) - PERFORMANCE_ROWS),
    }


def envelope_limit(procurement: Procurement, rules: CommissioningRules | None = None) -> Decimal:
    """The largest funding envelope the estimated total value allows without a reason: the value plus the margin."""
    margin = (rules or CommissioningRules.current()).envelope_margin_percent
    return (procurement.value * (100 + margin) / 100).quantize(Decimal("0.01"))


def delegation_level(value: Decimal) -> DelegationLevel:
    """The lowest contract-award delegation level that covers `value` (funding.DelegationLevel)."""
    level = DelegationLevel.needed_for(DecisionKind.CONTRACT, value)
    if level is None:
        raise ValidationError(
            {"value": "No delegation level covers this value: the head of commissioning sets the levels"}
        )
    return level


def eligible_providers(procurement: Procurement):
    """Who the award can go to under this route."""
    if procurement.is_quotes:
        return [procurement.chosen_quote.organisation] if procurement.chosen_quote_id else []
    if procurement.is_single_tender:
        sta = gates._one(procurement, "sta")
        return [sta.organisation] if sta else []
    tender = gates._one(procurement, "tender")
    return (
        [b.organisation for b in tender.bids.in_evaluation().select_related("organisation")] if tender else []
    )


def whole_value(annual_value: Decimal, total_value: Decimal, extensions: list[int]) -> Decimal:
    """The initial term's value plus each extension year at the annual value: what the decision's value covers."""
    return total_value + annual_value * sum(extensions)


def longest_term(pot, start_date: date) -> tuple[int, int]:
    """(the most whole years from start_date the pots allow (at most 10), the first financial year with no pot)."""

    first = financial_year_of(start_date)
    have = set(
        Pot.objects.filter(key=pot.key, year__start_year__gte=first).values_list(
            "year__start_year", flat=True
        )
    )
    missing = first
    while missing in have:
        missing += 1
    years = 0
    while years < 10 and add_years(start_date, years + 1) - timedelta(days=1) <= year_end(missing - 1):
        years += 1
    return years, missing


def term_without_pot(pot, start_date: date, end_date: date) -> str | None:
    """Why the pots cannot carry a term from start_date to end_date, in words with what to do; None if they can."""

    years, missing = longest_term(pot, start_date)
    if financial_year_of(end_date) < missing:
        return None
    last_day = year_end(missing - 1)
    if years:
        shorten = (
            f"shorten the initial term to {years} year{'s' if years != 1 else ''} so it ends by "
            f"{last_day:%-d %B %Y}, or "
        )
    elif missing > financial_year_of(start_date):
        shorten = f"start the contract earlier so a year's term ends by {last_day:%-d %B %Y}, or "
    else:
        shorten = ""
    return (
        f"There is no {pot.name} pot in {missing} to {missing + 1} yet, so a term from {start_date:%-d %B %Y} to "
        f"{end_date:%-d %B %Y} cannot be committed: {shorten}ask finance to prepare the {missing} to "
        f"{missing + 1} allocation first"
    )


def contract_errors(
    *,
    decision: AwardDecision,
    pot=None,
    annual_value: Decimal | None = None,
    total_value: Decimal | None = None,
    start_date: date | None = None,
    initial_term_years: int | None = None,
    extension_pattern: str | None = None,
    signed_on: date | None = None,
    value_difference_reason: str = "",
    **_other,
) -> dict:
    """Everything wrong with a contract's answers, by field, all at once. A value left out (or that its form field
    already refused) skips the checks that need it, so the form lists these beside its own errors and
    create_contract refuses exactly the same."""
    errors = {}
    pattern = None
    if extension_pattern:
        try:
            pattern = parse_pattern(extension_pattern)
        except ValidationError as exc:
            errors.update({field: messages[0] for field, messages in exc.message_dict.items()})
    if pattern is not None and initial_term_years is not None and pattern[0] != initial_term_years:
        errors["extension_pattern"] = (
            f"The pattern starts with {pattern[0]} years but the initial term is {initial_term_years}"
        )
    if pot is not None and start_date is not None and initial_term_years is not None:
        end_date = add_years(start_date, initial_term_years) - timedelta(days=1)
        if (missing := term_without_pot(pot, start_date, end_date)) is not None:
            errors["initial_term_years"] = missing
    if total_value is not None and annual_value is not None and total_value < annual_value:
        errors["total_value"] = "The total value cannot be less than the annual value"
    if total_value is not None and total_value > decision.value:
        errors["total_value"] = f"The total value is more than the {gbp(decision.value)} awarded"
    elif (
        total_value is not None
        and annual_value is not None
        and pattern is not None
        and "extension_pattern" not in errors
        and not (value_difference_reason or "").strip()
    ):
        extensions = pattern[1]
        whole = whole_value(annual_value, total_value, extensions)
        if whole != decision.value:
            errors["value_difference_reason"] = (
                f"The contract's whole value, {gbp(whole)} ({gbp(total_value)} for the initial term"
                + (
                    f" and {gbp(whole - total_value)} for {sum(extensions)} extension year"
                    f"{'s' if sum(extensions) != 1 else ''} at the annual value"
                    if extensions
                    else ""
                )
                + f"), is {'less' if whole < decision.value else 'more'} than the {gbp(decision.value)} awarded: "
                "enter why it differs, or change the values to match the decision"
            )
    if signed_on is not None and (problem := signed_on_error(decision, signed_on, start_date)):
        errors["signed_on"] = problem
    return errors


# ---- Procurement Act notices -----------------------------------------------------------------------------------

NOTICES_SHOWN = 100


# The Act's sequence: a procurement's notices are listed in the order they are published.
NOTICE_SEQUENCE = Case(
    *(When(kind=kind, then=Value(i)) for i, kind in enumerate(NoticeKind.values)),
    default=Value(len(NoticeKind.values)),
    output_field=IntegerField(),
)


def notices_of(commission: Commission):
    """The commission's notices, cycle by cycle in the order the Act publishes them (market engagement to
    termination), then as they were drafted: one query, capped."""
    return (
        Notice.objects.filter(
            Q(procurement__commission=commission) | Q(contract__procurement__commission=commission)
        )
        .select_related("procurement")
        .order_by("procurement__cycle", NOTICE_SEQUENCE, "pk")[:NOTICES_SHOWN]
    )


def notices_due(user, *, today: date, within_days: int):
    """Notices not yet published or set aside that are overdue or due within the next `within_days`: the lead
    officer's own (the head of commissioning sees every commission's, and the office's own notices)."""
    qs = Notice.objects.filter(
        status__in=[Notice.Status.DRAFT, Notice.Status.READY],
        due_by__isnull=False,
        due_by__lte=today + timedelta(days=within_days),
    )
    if user.role != Role.HEAD_OF_COMMISSIONING:
        qs = qs.filter(
            Q(procurement__commission__officer=user) | Q(contract__procurement__commission__officer=user)
        )
    return qs.select_related("procurement__commission").order_by("due_by", "pk")


def signed_on_error(decision: AwardDecision, signed_on: date, start_date: date | None) -> str | None:
    if signed_on > timezone.localdate():
        return "The date signed cannot be in the future"
    if start_date is not None and signed_on > start_date:
        return "The contract must be signed on or before its start date"
    return standstill_error(decision, signed_on)


def standstill_error(decision: AwardDecision, signed_on: date) -> str | None:
    """Why a public contract entered into on `signed_on` would break its standstill (commissioning/award.py)."""
    from commissioning.award import award_stage  # noqa: PLC0415 - award.py reads the bands, as this module does

    return award_stage(decision.procurement).signed_on_error(signed_on)
