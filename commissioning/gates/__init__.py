"""The gates of the commissioning cycle, as named guard functions.

Each stage's `<stage>_tasks(commission)` lists its tasks (done or not, what is missing, where to do
it); `<stage>_gaps(commission)` is what is still missing, and is the transition's condition. The task
list pages draw the same tasks, so what a page says blocks the next step is exactly what blocks it.

The Procurement Act's tasks in Do live in gates/act.py; the Task record and the look-ups every gate shares in
gates/task.py (both read here, as `gates.Task`, `gates.current_procurement` and `gates._one`).
"""

from django.utils import timezone

from commissioning.gates.act import (
    award_tasks,
    conflicts_and_exclusions_tasks,
    details_notice_hint,
    standstill_gaps,
    supplier_refusal,
    tender_notice_tasks,
    transparency_tasks,
)
from commissioning.gates.task import Task as Task
from commissioning.gates.task import _one as _one
from commissioning.gates.task import _url as _url
from commissioning.gates.task import current_contract as current_contract
from commissioning.gates.task import current_procurement as current_procurement
from commissioning.models import (
    Commission,
    Coverage,
    Declaration,
    Gate,
    ModeratedScore,
    ReviewDecision,
    Route,
    Score,
)
from opcc.models import Role
from opcc.services.documents import documents_for

# ---- Understand ------------------------------------------------------------------------------


def understand_tasks(c: Commission) -> list[Task]:

    has_assessment = documents_for(c, "needs_assessment").exists()
    section = lambda key: _url("section", c, key)  # noqa: E731
    return [
        Task(
            "Needs assessment",
            has_assessment,
            "Upload the needs assessment",
            _url("upload", c),
            "The evidence base: the needs assessment document or documents",
        ),
        Task(
            "Engagement evidence",
            bool(c.engagement_evidence.strip()),
            "Record the engagement with the public, service users and partners",
            section("engagement"),
        ),
        Task(
            "Outcomes sought",
            bool(c.outcomes_sought.strip()),
            "Record the outcomes sought",
            section("outcomes"),
        ),
        Task(
            "Existing provision",
            bool(c.existing_provision.strip()),
            "Map the existing provision and say whether this would duplicate it",
            section("existing-provision"),
            "Live awards in the same areas or with similar outcomes are listed for you",
        ),
        Task(
            "Partners' strategic direction",
            bool(c.partners_direction.strip()),
            "Record the partners' strategic direction",
            section("partners-direction"),
        ),
        Task(
            "Co-dependencies and pathways",
            bool(c.co_dependencies.strip()),
            "Map the co-dependencies and referral pathways",
            section("co-dependencies"),
        ),
        Task(
            "Pooled budget considered",
            bool(c.pooled_budget.strip()),
            "Record whether a pooled budget could serve",
            section("pooled-budget"),
        ),
    ]


def understand_gaps(c: Commission) -> list[str]:
    return [t.missing for t in understand_tasks(c) if not t.done]


# ---- Plan ------------------------------------------------------------------------------------


def coverage_errors(coverage: str, pilot_reason: str, areas) -> dict:
    """What is inconsistent in the coverage answer, by field: West Mercia wide serves every area, so it has none
    ticked; a pilot says why and where."""
    errors = {}
    if coverage == Coverage.WEST_MERCIA and areas:
        errors["areas"] = (
            "A West Mercia wide service covers every area: untick the local policing areas, or choose "
            "a pilot if the service covers only some of them"
        )
    elif coverage == Coverage.PILOT:
        if not (pilot_reason or "").strip():
            errors["pilot_reason"] = "Enter why this is a pilot"
        if not areas:
            errors["areas"] = "Select the local policing areas the pilot serves"
    return errors


def pin_date_error(published_on) -> str | None:
    if published_on is not None and published_on > timezone.localdate():
        return "The date the notice was published must be today or in the past"
    return None


def plan_tasks(c: Commission) -> list[Task]:
    section = lambda key: _url("section", c, key)  # noqa: E731
    coverage_done = bool(c.coverage) and not coverage_errors(c.coverage, c.pilot_reason, list(c.areas.all()))
    pin_done = (
        bool(c.pin_where and c.pin_published_on and c.pin_reference)
        and pin_date_error(c.pin_published_on) is None
    )
    measures = list(c.measures.all())
    partners = list(c.partners.all())
    return [
        Task(
            "West Mercia wide or a pilot",
            coverage_done,
            "Say whether the service is West Mercia wide or a pilot (a pilot needs its reason and its areas)",
            section("coverage"),
        ),
        Task(
            "Co-commissioning partners",
            bool(c.co_commissioning.strip()) or bool(partners),
            "Record the co-commissioning partners and their contributions, or why there are none",
            _url("partners", c),
        ),
        Task(
            "Co-design with service users",
            bool(c.co_design.strip()),
            "Record the co-design and engagement with service users",
            section("co-design"),
        ),
        Task(
            "Provider Information Notice",
            pin_done,
            "Record where and when the Provider Information Notice was published, and its reference",
            section("pin"),
        ),
        Task(
            "Outcome measures",
            bool(measures),
            "Set at least one outcome measure with its quarterly target",
            _url("measures", c),
            "They become the outcome framework of the contract's award",
        ),
        Task(
            "Estimated value",
            c.estimated_total_value is not None and c.estimated_annual_value is not None,
            "Enter the estimated annual and total value",
            section("value"),
            "The total value decides the procurement route",
        ),
    ]


def plan_gaps(c: Commission) -> list[str]:
    return [t.missing for t in plan_tasks(c) if not t.done]


# ---- Do --------------------------------------------------------------------------------------


def tender_status(tender) -> dict:
    """Counts for the tender's tasks, in a fixed number of queries."""
    everyone = list(tender.bids.all())
    # Late bids wait for the panel's decision, and withdrawn ones are gone: neither is declared on or scored.
    bids = [b for b in everyone if b.in_evaluation]
    panel = list(tender.panel.select_related("user__agency"))
    criteria = list(tender.criteria.all())
    declarations = {
        (d.member_id, d.bid_id): d.conflict for d in Declaration.objects.filter(member__tender=tender)
    }
    scored = set(Score.objects.filter(bid__tender=tender).values_list("member_id", "bid_id", "criterion_id"))
    moderated = set(ModeratedScore.objects.filter(bid__tender=tender).values_list("bid_id", "criterion_id"))
    undeclared = [(m, b) for m in panel for b in bids if (m.pk, b.pk) not in declarations]
    eligible = [(m, b) for m in panel for b in bids if declarations.get((m.pk, b.pk)) is False]
    unscored = [(m, b) for m, b in eligible if any((m.pk, b.pk, c.pk) not in scored for c in criteria)]
    unmoderated = [b for b in bids if any((b.pk, c.pk) not in moderated for c in criteria)]
    return {
        "bids": bids,
        "late": [b for b in everyone if b.is_late and not b.is_withdrawn],
        "late_waiting": [b for b in everyone if b.late_waiting],
        "panel": panel,
        "criteria": criteria,
        "weights_total": sum(c.weight for c in criteria),
        "undeclared": undeclared,
        "unscored": unscored,
        "unmoderated": unmoderated,
        "outside_members": [m for m in panel if m.user.agency_id],
        "declarations": declarations,
        "scored": scored,
        "moderated": moderated,
    }


def _sign_off_task(c: Commission, sta) -> Task:
    """Says who has signed and who is next; links only the one who can sign now, to the sign-off itself."""
    if sta is None:
        return Task(
            "Sign-off", False, "The head of commissioning must sign off the agreement", can_start=False
        )
    nxt = sta.next_signer
    if nxt is None:
        return Task("Sign-off", True, "", hint=sta.sign_off_status)
    if nxt == Role.HEAD_OF_COMMISSIONING:
        missing = "The head of commissioning must sign off the agreement" + (
            ", then the PCC" if sta.needs_pcc else ""
        )
    else:
        missing = (
            f"The PCC must sign off the agreement (the head of commissioning signed it off on "
            f"{timezone.localtime(sta.head_signed_at):%-d %B %Y})"
        )
    return Task(
        "Sign-off", False, missing, _url("sta-sign", c), hint=sta.sign_off_status, actors=frozenset({nxt})
    )


def do_tasks(c: Commission) -> list[Task]:
    p = current_procurement(c)
    tasks = [
        Task(
            "Procurement route",
            p is not None,
            "Choose the procurement route",
            _url("route", c),
            f"Chosen: {p.get_route_display()}"
            if p
            else "The estimated total value decides the lightest route allowed",
        )
    ]
    if p is None:
        tasks += [
            Task("Award decision", False, "Record the award decision", None, can_start=False),
            Task("Contract", False, "Record the signed contract", None, can_start=False),
        ]
        return tasks
    if p.is_quotes:
        n = p.quotes.count()
        need = p.quotes_needed
        tasks.append(
            Task(
                f"{'One written quote' if need == 1 else 'Three written quotes'}",
                n >= need,
                f"Record {need} written quote{'s' if need > 1 else ''} ({n} recorded)",
                _url("quotes", c),
            )
        )
        tasks.append(
            Task(
                "Chosen supplier",
                bool(p.chosen_quote_id and p.quote_choice_reason.strip()),
                "Choose the supplier and say why",
                _url("quotes", c),
                can_start=n >= need,
            )
        )
    elif p.is_tender:
        tender = _one(p, "tender")
        tasks.append(
            Task(
                "Tender published",
                tender is not None,
                "Record the tender: funding envelope, quality/price split, portal reference and dates",
                _url("tender", c),
            )
        )
        if tender is None:
            ready = False
        else:
            s = tender_status(tender)
            ready = True
            tasks += [
                Task(
                    "Weighted quality criteria",
                    bool(s["criteria"]) and s["weights_total"] == 100,
                    f"Set the quality criteria with weights that add up to 100% (now {s['weights_total']}%)",
                    _url("criteria", c),
                ),
            ]
            if p.route == Route.REGULATED:
                tasks.append(
                    Task(
                        "Market engagement event",
                        bool(tender.market_engagement_on),
                        "Record the market engagement event: the value reaches the regulated threshold",
                        _url("tender", c),
                    )
                )
            tasks += [
                Task("Bids received", bool(s["bids"]), "Record the bids received", _url("bids", c)),
            ]
            if s["late"]:
                tasks.append(
                    Task(
                        "Late bids",
                        not s["late_waiting"],
                        f"Record the panel's decision on each late bid ({len(s['late_waiting'])} to do)",
                        _url("bids", c),
                        "A bid received after the closing date is evaluated only if the panel accepts it",
                    )
                )
            tasks += [
                Task(
                    "Multi-agency panel",
                    bool(s["outside_members"]),
                    "Add an evaluator from another agency to the panel",
                    _url("panel", c),
                ),
                Task(
                    "Conflicts of interest declared",
                    bool(s["bids"] and s["panel"]) and not s["undeclared"],
                    f"Every panel member must declare conflicts of interest on every bid ({len(s['undeclared'])} to do)",
                    _url("panel", c),
                ),
                Task(
                    "Individual scores",
                    bool(s["bids"] and s["panel"]) and not s["undeclared"] and not s["unscored"],
                    f"Every panel member must score every bid they may see ({len(s['unscored'])} to do)",
                    _url("panel", c),
                ),
                Task(
                    "Moderated scores and ranking",
                    bool(s["bids"]) and not s["unmoderated"] and s["weights_total"] == 100,
                    f"Moderate the scores of every bid ({len(s['unmoderated'])} to do)",
                    _url("results", c),
                ),
            ]
        if not ready:
            tasks.append(Task("Evaluation", False, "Evaluate the bids", None, can_start=False))
        tasks += tender_notice_tasks(p)
    else:
        sta = _one(p, "sta")
        tasks.append(
            Task(
                "Single tender agreement",
                sta is not None,
                "Record the single tender agreement: ground, supplier and justification",
                _url("sta", c),
            )
        )
        tasks.append(_sign_off_task(c, sta))
        tasks += transparency_tasks(p, sta)
    tasks += conflicts_and_exclusions_tasks(c, p)
    before_decision = all(t.done for t in tasks)
    decision = _one(p, "decision")
    contract = _one(p, "contract")
    tasks.append(
        Task(
            "Award decision",
            decision is not None,
            "Record the award decision at the right delegation level",
            _url("decision", c),
            can_start=before_decision,
        )
    )
    # Once decided the procurement is settled (the services refuse any change), so its pages are not offered.
    for task in tasks if decision is not None else []:
        task.url = None
    award = award_tasks(c, p) if decision is not None else []
    tasks += award
    tasks.append(
        Task(
            "Contract",
            contract is not None,
            "Record the signed contract",
            None if contract is not None else _url("contract-create", c),
            can_start=decision is not None and all(t.done for t in award),
        )
    )
    if contract is not None:
        details_notice_hint(c, contract, tasks[-1])
    return tasks


def do_gaps(c: Commission) -> list[str]:
    return [t.missing for t in do_tasks(c) if not t.done]


def decision_gaps(c: Commission) -> list[str]:
    """What must be done before the award decision: everything in Do up to it."""
    tasks = do_tasks(c)
    gaps = [t.missing for t in tasks if not t.done and t.name not in ("Award decision", "Contract")]
    return gaps + supplier_refusal(c)


def contract_gaps(c: Commission) -> list[str]:
    p = current_procurement(c)
    if p is None or _one(p, "decision") is None:
        return ["Record the award decision first"]
    if _one(p, "contract") is not None:
        return ["The contract has already been recorded"]
    return standstill_gaps(p)


# ---- What can still be done ------------------------------------------------------------------
# Each returns why a page's form would be refused now (None while it would be accepted). The services refuse
# with these same functions after locking the row, so a page never offers a form that can only fail.


def stage_is_workable(c: Commission, stage: str) -> bool:
    """Whether a stage's task pages can change anything now: the evidence while the commission is open,
    Do's work only in Do and Review's only in Review."""
    if stage in (Commission.Status.UNDERSTAND, Commission.Status.PLAN):
        return c.is_open
    return c.status == stage


def evidence_closed(c: Commission) -> str | None:
    if not c.is_open:
        return f"{c.reference} is {c.get_status_display().lower()}: it cannot be changed"
    return None


def do_closed(c: Commission) -> str | None:
    if c.status != Commission.Status.DO:
        return f"{c.reference} is in {c.get_status_display()}: procurement happens in Do"
    return None


def procurement_closed(c: Commission) -> str | None:
    """Why this cycle's procurement (route, quotes, tender, evaluation, agreement, decision) cannot change now."""
    if (reason := do_closed(c)) is not None:
        return reason
    p = current_procurement(c)
    if p is None:
        return "Choose the procurement route first"
    if _one(p, "decision") is not None:
        return "The award decision has been made: the procurement can no longer be changed"
    return None


def route_closed(c: Commission, *routes) -> str | None:
    """As procurement_closed, and the route chosen must be one of these."""
    if (reason := procurement_closed(c)) is not None:
        return reason
    p = current_procurement(c)
    if p.route not in routes:
        return f"The route is {p.get_route_display().lower()}"
    return None


def choose_quote_closed(c: Commission) -> str | None:
    if (reason := route_closed(c, Route.ONE_QUOTE, Route.THREE_QUOTES)) is not None:
        return reason
    p = current_procurement(c)
    if p.quotes.count() < p.quotes_needed:
        return f"Record {p.quotes_needed} quote{'s' if p.quotes_needed > 1 else ''} before choosing"
    return None


def criteria_closed(c: Commission, tender) -> str | None:
    if (reason := route_closed(c, Route.TENDER, Route.REGULATED)) is not None:
        return reason
    if Score.objects.filter(bid__tender=tender).exists():
        return "Bids have been scored against these criteria: they can no longer change"
    return None


def bids_closed(c: Commission, tender) -> str | None:
    if (reason := route_closed(c, Route.TENDER, Route.REGULATED)) is not None:
        return reason
    if ModeratedScore.objects.filter(bid__tender=tender).exists():
        return "Moderation has started: no more bids can be added"
    return None


def bid_change_closed(c: Commission, tender, bid=None) -> str | None:
    """Why a bid cannot be corrected or withdrawn now: once scoring starts, the bids the panel scores stand."""
    if (reason := route_closed(c, Route.TENDER, Route.REGULATED)) is not None:
        return reason
    if bid is not None and bid.is_withdrawn:
        return "This bid has been withdrawn"
    if Score.objects.filter(bid__tender=tender).exists():
        return "Scoring has started: bids can no longer be corrected or withdrawn"
    return None


def late_decision_closed(c: Commission, tender, bid) -> str | None:
    if (reason := bids_closed(c, tender)) is not None:
        return reason
    if not bid.is_late:
        return "This bid was received by the closing date: it needs no decision"
    if bid.is_withdrawn:
        return "This bid has been withdrawn"
    if bid.late_decision:
        return "The panel’s decision on this late bid has been recorded"
    return None


def panel_removal_closed(c: Commission, member) -> str | None:
    if (reason := route_closed(c, Route.TENDER, Route.REGULATED)) is not None:
        return reason
    if member.scores.exists():
        return f"{member.user.full_name} has scored bids: they cannot be removed from the panel"
    return None


def waiting_to_moderate(status: dict, bid) -> str | None:
    """Who must still declare on or score this bid before it can be moderated (status from tender_status)."""
    waiting = [m for m, b in status["undeclared"] + status["unscored"] if b.pk == bid.pk]
    if waiting:
        names = ", ".join(sorted({str(m.user) for m in waiting}))
        return f"Waiting for {names} to declare and score this bid before it can be moderated"
    return None


def moderation_closed(c: Commission, tender, bid, status: dict | None = None) -> str | None:
    if (reason := route_closed(c, Route.TENDER, Route.REGULATED)) is not None:
        return reason
    if not bid.in_evaluation:
        return NOT_EVALUATED
    return waiting_to_moderate(status or tender_status(tender), bid)


NOT_EVALUATED = (
    "This bid is not part of the evaluation: it has been withdrawn, or it was late and the panel has not "
    "accepted it"
)


def scoring_closed(bid) -> str | None:
    """An evaluator's own scores stand until the panel moderates the bid."""
    if not bid.in_evaluation:
        return NOT_EVALUATED
    if bid.moderated.exists():
        return "The panel has moderated the scores for this bid: individual scores can no longer change"
    return None


def single_tender_closed(c: Commission) -> str | None:
    if (reason := route_closed(c, Route.SINGLE_TENDER)) is not None:
        return reason
    sta = _one(current_procurement(c), "sta")
    if sta is not None and sta.head_signed_at:
        return "The agreement has been signed off: it can no longer change"
    return None


def contract_closed(c: Commission) -> list[str]:
    """Why the contract cannot be recorded now (empty when it can)."""
    p = current_procurement(c)
    if p is not None and _one(p, "contract") is not None:
        return ["The contract has already been recorded"]
    if (reason := do_closed(c)) is not None:
        return [reason]
    return contract_gaps(c)


def review_closed(c: Commission) -> str | None:
    if c.status != Commission.Status.REVIEW:
        return f"{c.reference} is in {c.get_status_display()}: decisions are made in Review"
    if current_contract(c) is None:
        return "There is no contract to review"
    return None


def extension_closed(contract) -> str | None:
    if contract.award.status != contract.award.Status.ACTIVE:
        return "The contract's award is not active: it cannot be extended"
    if contract.next_extension_years is None:
        return f"Every extension in {contract.extension_pattern} has been used"
    return None


def break_closed(contract) -> str | None:
    if contract.award.status != contract.award.Status.ACTIVE:
        return "The contract's award is not active: there is nothing to break"
    if contract.break_notices.filter(applied_at__isnull=True).exists():
        return "A break notice has already been served and is running"
    return None


# ---- Review ----------------------------------------------------------------------------------


def latest_review(contract):
    return contract.reviews.first() if contract else None


def review_tasks(c: Commission) -> list[Task]:
    contract = current_contract(c)
    review = latest_review(contract)
    tasks = [
        Task(
            "Review decision",
            review is not None,
            "Review performance and record the decision: continue, extend, re-commission or de-commission",
            _url("review-decision", c),
        )
    ]
    if review and review.decision == ReviewDecision.Decision.DECOMMISSION:
        plan = _one(contract, "decommissioning_plan")
        tasks.append(
            Task(
                "De-commissioning plan",
                plan is not None,
                "Record the de-commissioning plan agreed with the provider",
                _url("decommission-plan", c),
            )
        )
    return tasks


def _decision_is(c, decision):
    review = latest_review(current_contract(c))
    return review is not None and review.decision == decision


def recommission_gaps(c: Commission) -> list[str]:
    if not _decision_is(c, ReviewDecision.Decision.RECOMMISSION):
        return ["Record a review decision to re-commission the service"]
    return []


def decommission_gaps(c: Commission) -> list[str]:
    contract = current_contract(c)
    gaps = []
    if not _decision_is(c, ReviewDecision.Decision.DECOMMISSION):
        gaps.append("Record a review decision to de-commission the service")
    elif _one(contract, "decommissioning_plan") is None:
        gaps.append("Record the de-commissioning plan agreed with the provider")
    if contract is not None and contract.award.status != contract.award.Status.ACTIVE:
        gaps.append("The contract's award is no longer active")
    return gaps


def close_gaps(c: Commission) -> list[str]:
    contract = current_contract(c)
    if contract is None:
        return ["There is no contract to close"]
    award = contract.award
    if award.is_live and award.end_date >= timezone.localdate():
        return [f"The contract runs until {award.end_date:%-d %B %Y}: it can be closed once it has ended"]
    return []


def withdraw_gaps(c: Commission) -> list[str]:
    contract = current_contract(c)
    if contract is not None and contract.award.is_live:
        return ["The contract is live: de-commission the service, or end the contract first"]
    return []


def transition_gaps(c: Commission, t) -> list[str]:
    """What still blocks transition `t` (a django-fsm Transition): what its gate conditions find missing."""
    return [gap for condition in t.conditions if isinstance(condition, Gate) for gap in condition.gaps(c)]


def stage_of(t) -> str | None:
    """The stage whose task page offers `t` as its next step: the state it leaves, unless the decorator says it is
    offered at any stage (`custom={"stage_step": False}`)."""
    return t.source if t.custom.get("stage_step", True) else None


STAGE_TASKS = {
    Commission.Status.UNDERSTAND: understand_tasks,
    Commission.Status.PLAN: plan_tasks,
    Commission.Status.DO: do_tasks,
    Commission.Status.REVIEW: review_tasks,
}
