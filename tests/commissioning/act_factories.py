"""Procurements under the Procurement Act 2023: a covered (regulated) tender, a debarment list, supplier checks."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning.services import conflicts as conflict_services
from commissioning.services import evaluation as evaluation_services
from commissioning.services import exclusions as exclusion_services
from commissioning.services import tenders as tender_services
from opcc.models import Role
from tests.commissioning import factories as f
from tests.factories import OrganisationFactory

D = Decimal
HEADER = "supplier_name,registration_number,cdp_identifier,ground_type,grounds,date_entered,end_date\n"


def list_file(rows: str = "", name: str = "debarment.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + rows).encode())


def import_list(world, rows: str = "", list_date: date | None = None):
    return exclusion_services.import_list(
        uploaded=list_file(rows),
        list_date=list_date or timezone.localdate() - timedelta(days=1),
        by=world.users[Role.HEAD_OF_COMMISSIONING],
    )


def regulated_tender(world, *, evaluators=None, bidders=("Bidder A", "Bidder B")):
    """A covered procurement: factories.regulated_tender (above the threshold) with one quality criterion, bids
    and a panel, and its conflicts assessment not yet prepared (these tests declare and confirm it themselves)."""
    officer = f.officer_of(world)
    c, procurement = f.regulated_tender(
        world, conflicts_prepared=False, criteria=[("Service delivery", 100, "")]
    )
    bids = [
        tender_services.record_bid(
            commission=c,
            organisation=OrganisationFactory(name=name),
            price=D("250000") - i * D("10000"),
            received_on=date(2026, 7, 20),
            summary="",
            by=officer,
        )
        for i, name in enumerate(bidders)
    ]
    for person in evaluators or [f.evaluator()]:
        evaluation_services.add_panel_member(commission=c, user=person, by=officer)
    return c, procurement, bids


def declare_all(world, c, interest=False):
    """Every decision-maker declares (no interest), so the assessment can be confirmed."""
    from commissioning.conflicts import decision_makers  # noqa: PLC0415

    officer = f.officer_of(world)
    for user, _role in decision_makers(c.procurements.get()):
        conflict_services.declare(commission=c, user=user, interest=interest, by=officer)


def prepared(world, c):
    declare_all(world, c)
    return conflict_services.confirm(commission=c, by=f.officer_of(world))


CLEAN = {
    "mandatory_considered": True,
    "mandatory_notes": "Checked the supplier's declaration and Companies House",
    "discretionary_considered": True,
    "discretionary_notes": "No performance issues on record",
    "cdp_identifier": "GB-PPON-PMZV-7732-XXTT",
    "outcome": "not_excluded",
}


def clean_check(world, c, organisation, **overrides):
    values = {**CLEAN, "core_information_shared_on": timezone.localdate(), **overrides}
    return exclusion_services.record_check(
        commission=c, organisation=organisation, by=f.officer_of(world), **values
    )


def evaluated(world, c, person):
    """The panel member declares no conflicts and scores; the officer moderates every bid."""
    tender = c.procurements.get().tender
    bids = list(tender.bids.all())
    publish_tender_notices(world, c)
    evaluation_services.declare(tender=tender, user=person, answers={b.pk: False for b in bids}, details={})
    for i, bid in enumerate(bids):
        evaluation_services.score_bid(bid=bid, user=person, scores=f.scores_for(tender, [3 + i]))
        evaluation_services.moderate_bid(
            commission=c, bid=bid, scores=f.scores_for(tender, [3 + i], "Agreed"), by=f.officer_of(world)
        )
    return bids


def publish_tender_notices(world, c):
    """The tender's notices published on Find a Tender on the day the tender was (the award waits for the UK4)."""
    from commissioning.models import Notice, NoticeKind  # noqa: PLC0415
    from commissioning.services import notices as notice_services  # noqa: PLC0415

    procurement = c.procurements.get()
    # In the order the Act has them: the market engagement notice before the tender notice, which names it.
    for kind in (NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT, NoticeKind.TENDER):
        notice = Notice.objects.filter(
            procurement=procurement, kind=kind, status__in=[Notice.Status.DRAFT, Notice.Status.READY]
        ).first()
        if notice is None:
            continue
        notice_services.record_publication(
            notice=notice,
            identifier=f"{900000 + notice.pk:06d}-2026",
            published_on=procurement.tender.published_on,
            by=f.officer_of(world),
        )


def complete_for_publication(world, notice, *, published_on: date | None = None):
    """Record what the notice's checklist (`prepare(notice).missing`) still asks, the way an officer would, so its
    publication can be recorded: the market engagement notice published before the tender notice (on
    `published_on`, else the tender's publication day), the conflicts assessment prepared or revised, the
    assessment summaries drawn and sent. An item this does not know fails the test: the checklist grew and the test
    data must follow it."""
    from commissioning.models import Notice, NoticeKind  # noqa: PLC0415
    from commissioning.notice_content import prepare as prepare_notice  # noqa: PLC0415
    from commissioning.services import award as award_services  # noqa: PLC0415
    from commissioning.services import notices as notice_services  # noqa: PLC0415

    officer = f.officer_of(world)
    procurement = notice.procurement
    c = procurement.commission if procurement is not None else None
    for _ in range(10):
        missing = prepare_notice(notice).missing
        if not missing:
            return notice
        for item in missing:
            if item.startswith("Publish the preliminary market engagement notice"):
                engagement = Notice.objects.get(
                    procurement=procurement, kind=NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT
                )
                notice_services.record_publication(
                    notice=engagement,
                    identifier=f"{900000 + engagement.pk:06d}-2026",
                    published_on=published_on or procurement.tender.published_on,
                    by=officer,
                )
            elif item == "Prepare the conflicts assessment":
                prepared(world, c)
            elif item.startswith("Revise the conflicts assessment"):
                conflict_services.confirm(commission=c, by=officer)
            elif item.startswith("Draw the assessment summaries"):
                award_services.redraw(decision=procurement.decision, by=officer)
            elif item.startswith("Send the assessment summary to "):
                send_summaries(world, c)
            else:
                raise AssertionError(f"complete_for_publication does not know how to: {item}")
            break  # one step at a time: each may settle others
    raise AssertionError(f"The notice is still incomplete: {prepare_notice(notice).missing}")


def send_summaries(world, c, *, on: date | None = None):
    """Send every assessment summary not yet sent (the service: emails, the record of who sent it), dated `on`, else
    the day of the award decision: the test data's contract award notices are dated in 2026, and the notice is not
    published before the last summary is sent."""
    from commissioning.models import AssessmentSummary  # noqa: PLC0415
    from commissioning.services import award as award_services  # noqa: PLC0415

    procurement = c.procurements.get()
    unsent = list(AssessmentSummary.objects.filter(procurement=procurement, sent_at__isnull=True))
    for summary in unsent:
        award_services.send_summary(summary=summary, by=f.officer_of(world))
    day = on or procurement.decision.decided_on
    AssessmentSummary.objects.filter(pk__in=[s.pk for s in unsent]).update(
        sent_at=timezone.make_aware(datetime.combine(day, time(12)))
    )
    return unsent


def publish_award_notice(
    world, c, *, published_on: date = date(2026, 11, 16), identifier: str = "012345-2026"
):
    """Every summary sent (on the day of the decision), then the contract award notice published on `published_on`:
    by default Monday 16 November 2026, so the standstill ends on Wednesday 25 November."""
    from commissioning.services import award as award_services  # noqa: PLC0415

    send_summaries(world, c)
    return award_services.record_award_notice(
        commission=c, identifier=identifier, published_on=published_on, by=f.officer_of(world)
    )


def award_contract(world, c, pot, **overrides):
    """The contract of a decided regulated tender (£300,000 over three years), entered into on 26 November 2026,
    the first day after the default award notice's standstill."""
    values = {
        "signed_on": date(2026, 11, 26),
        "start_date": date(2026, 12, 1),
        "total_value": D("300000"),
        "annual_value": D("100000"),
        "extension_pattern": "3",
        "value_difference_reason": "",
        **overrides,
    }
    return f.contract_for(world, c, pot, **values)
