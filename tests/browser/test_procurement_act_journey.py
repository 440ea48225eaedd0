"""An officer runs a regulated tender under the Procurement Act 2023 to a signed contract, publishing each notice in
order: the conflicts assessment before the tender notice, the exclusion checks before the award, the assessment
summaries before the contract award notice, the standstill before the contract, the contract details notice after
it; an unsuccessful supplier then reads its own assessment summary, and no one else's.

What comes before the tender (Understand, Plan, the route, the tender and its criteria) and the evaluation (bids,
panel, scores, moderation) are built through the services; every Procurement Act page is driven in the browser."""

import json
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.award import standstill_ends
from commissioning.demo_helpers import first_of_next_month, move, plan, understand
from commissioning.models import AssessmentSummary, AwardDecision, Contract, Notice, NoticeKind, Route
from commissioning.services import commissions as commission_services
from commissioning.services import evaluation as evaluation_services
from commissioning.services import exclusions as exclusion_services
from commissioning.services import notices as notice_services
from commissioning.services import procurement as procurement_services
from commissioning.services import tenders as tender_services
from funding.models import Pot, Stream
from opcc.calendar import financial_year_of, is_working_day
from opcc.demo import demo_email, demo_objectives
from opcc.models import Organisation, User
from opcc.services.demo_accounts import DEMO_PASSWORD
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page

D = Decimal
PROVIDER_ORG = "Severn Valley Women's Aid (demo)"  # the demo provider's organisation: it bids and loses
OTHER_BIDDER = "Young Minds Matter Worcestershire (demo)"  # it wins
DEBARMENT_CSV = (
    "supplier_name,registration_number,cdp_identifier,ground_type,grounds,date_entered,end_date\n"
    "Nobody We Fund Ltd,09999999,,mandatory,Fraud,2026-01-05,\n"
)


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding")


def look(page, axe, name):
    assert_is_accessible(page, axe)
    screenshot(page, f"procurement-act-{name}")


def date_in(page, field, day):
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


def working_days_before(day, count):
    while count:
        day -= timedelta(days=1)
        count -= is_working_day(day)
    return day


def a_regulated_tender_in_do(officer, today):
    """Understand and Plan done, the regulated route chosen (£210,000, not light-touch), the market engagement
    notice published and the tender recorded, published three months ago for thirty days, with its two criteria."""
    c = commission_services.create_commission(
        title="Online counselling for young victims",
        summary="Video and chat counselling for victims aged 13 to 17, West Mercia wide.",
        stream=Stream.VICTIM_SERVICES,
        officer=officer,
        by=officer,
        objectives=demo_objectives("victims-specialist", "victims-cope"),
    )
    c = move(understand(c, officer), ["start_planning"], officer)
    c = move(plan(c, officer, annual=D("105000"), total=D("210000")), ["start_procurement"], officer)
    procurement_services.choose_route(commission=c, route=Route.REGULATED, reason="", by=officer)
    tender_services.save_tender(
        commission=c,
        by=officer,
        funding_envelope=D("210000"),
        quality_weight=70,
        price_weight=30,
        portal_reference="BLC-WMPCC-OC-01",
        published_on=today - timedelta(days=100),
        clarification_deadline=None,
        closes_on=today - timedelta(days=70),
        market_engagement_on=today - timedelta(days=140),
        market_engagement_notes="Seven providers and the youth panel; they asked for evening chat hours.",
    )
    tender_services.set_criteria(
        commission=c,
        by=officer,
        rows=[("Safeguarding online", 60, ""), ("Reaching rural young people", 40, "")],
    )
    # The preliminary market engagement notice (UK2) went out before the tender.
    engagement = c.procurements.get().notices.get(kind=NoticeKind.PRELIMINARY_MARKET_ENGAGEMENT)
    notice_services.record_publication(
        notice=engagement,
        identifier=f"1{engagement.pk:05d}-{today.year}",
        published_on=today - timedelta(days=130),
        by=officer,
    )
    return c


def bids_scored_and_moderated(c, officer, today):
    """Two bids, one panel member from the demo's county council, scored and moderated."""
    bids = [
        tender_services.record_bid(
            commission=c,
            organisation=Organisation.objects.get(name=name),
            price=D(price),
            received_on=today - timedelta(days=71),
            summary="Through the portal.",
            by=officer,
        )
        for name, price in ((PROVIDER_ORG, "176500"), (OTHER_BIDDER, "198000"))
    ]
    member = User.objects.get(email=demo_email("evaluator"))
    evaluation_services.add_panel_member(commission=c, user=member, by=officer)
    tender = bids[0].tender
    evaluation_services.declare(tender=tender, user=member, answers={b.pk: False for b in bids}, details={})
    criteria = list(tender.criteria.all())
    for bid, marks in zip(bids, ((3, 3), (5, 4)), strict=True):
        scores = {
            cr.pk: (m, f"Reasons for {bid.organisation.name}") for cr, m in zip(criteria, marks, strict=True)
        }
        evaluation_services.score_bid(bid=bid, user=member, scores=scores)
        evaluation_services.moderate_bid(commission=c, bid=bid, scores=scores, by=officer)
    return bids


def test_an_officer_runs_a_regulated_tender_to_contract_publishing_each_notice_in_order(
    page, live_server, demo, axe
):
    page.set_default_timeout(10_000)
    base = live_server.url
    today = timezone.localdate()
    officer = User.objects.get(email=demo_email("officer"))
    head = User.objects.get(email=demo_email("head"))
    c = a_regulated_tender_in_do(officer, today)
    procurement = c.procurements.get()
    tender_notice = procurement.notices.get(kind=NoticeKind.TENDER)

    # 1. The conflicts assessment, prepared before the tender notice: each decision-maker declares.
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    page.goto(f"{base}/commissioning/{c.pk}/do/")
    page.get_by_role("link", name="Conflicts assessment").first.click()
    expect(page.locator("h1")).to_have_text("Conflicts assessment")
    look(page, axe, "conflicts-empty")
    record = page.get_by_role("link", name="Record the declaration")
    declared = 0
    while record.count():
        record.first.click()
        if declared == 0:
            page.get_by_role("button", name="Save").click()
            expect(page.locator(".govuk-error-summary")).to_contain_text(
                "Select yes if they have an interest"
            )
            look(page, axe, "declaration-error")
        page.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Save").click()
        declared += 1
    assert declared >= 3  # the lead officer, the head of commissioning and the PCC
    page.get_by_role("link", name="Prepare the assessment").click()
    look(page, axe, "conflicts-confirm")
    page.get_by_label("I have reviewed everyone in the assessment").check()
    page.get_by_role("button", name="Confirm the assessment").click()
    expect(page.locator("body")).to_contain_text("revision 1")
    look(page, axe, "conflicts-prepared")

    # 2. The tender notice (UK4): its checklist, ready, its publication recorded, its open data.
    page.goto(f"{base}/commissioning/{c.pk}/do/")
    page.get_by_role("link", name="Notices", exact=True).first.click()
    expect(page.locator("h1")).to_have_text("Procurement Act notices")
    look(page, axe, "notices-tender")
    page.get_by_role("link", name="Tender notice").first.click()
    expect(page.locator("h1")).to_contain_text("UK4")
    expect(page.locator("#missing ~ p").first).to_contain_text("Nothing")
    look(page, axe, "tender-notice")
    page.get_by_role("button", name="Mark as ready to publish").click()
    expect(page.locator("body")).to_contain_text("Ready")
    page.get_by_role("button", name="Record the publication").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the notice identifier")
    look(page, axe, "tender-notice-error")
    tender_notice.refresh_from_db()
    assert (tender_notice.status, tender_notice.platform_identifier) == ("ready", "")
    identifier = f"0{tender_notice.pk:05d}-{today.year}"
    page.get_by_label("Find a Tender notice identifier").fill(identifier)
    date_in(page, "published_on", today - timedelta(days=100))
    page.get_by_role("button", name="Record the publication").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text(identifier)
    look(page, axe, "tender-notice-published")
    ocds = page.get_by_role("link", name="Download the notice as open data").get_attribute("href")
    response = page.request.get(f"{base}{ocds}")
    assert response.ok and "json" in response.headers["content-type"]
    package = json.loads(response.text())
    assert '"noticeType": "UK4"' in json.dumps(package)
    assert identifier in json.dumps(package)

    # 3. The bids, the panel and the scores (services); the panel member joining asks for a revised assessment.
    bids = bids_scored_and_moderated(c, officer, today)
    page.goto(f"{base}/commissioning/{c.pk}/conflicts/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("needs revising")
    page.get_by_role("link", name="Confirm the revised assessment").click()
    page.get_by_label("I have reviewed everyone in the assessment").check()
    page.get_by_role("button", name="Confirm the assessment").click()
    expect(page.locator("body")).to_contain_text("revision 2")

    # The exclusion checks against the debarment list: one supplier through the page, the other by service.
    exclusion_services.import_list(
        uploaded=SimpleUploadedFile("debarment.csv", DEBARMENT_CSV.encode()),
        list_date=today - timedelta(days=3),
        by=head,
    )
    page.goto(f"{base}/commissioning/{c.pk}/do/")
    page.get_by_role("link", name="Supplier exclusion checks").first.click()
    look(page, axe, "supplier-checks")
    page.get_by_role("link", name=f"Check {PROVIDER_ORG}").click()
    page.get_by_label("I have considered the mandatory exclusion grounds").check()
    page.get_by_label("What you considered on the mandatory grounds").fill(
        "Its declaration; Companies House."
    )
    page.get_by_label("I have considered the discretionary exclusion grounds").check()
    page.get_by_label("What you considered on the discretionary grounds").fill("No performance issues known.")
    page.get_by_label("Central digital platform identifier").fill("GB-PPON-SVWA-2201-ABCD")
    date_in(page, "core_information_shared_on", today - timedelta(days=70))
    page.get_by_label("Not excluded").check()
    look(page, axe, "supplier-check")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("Not excluded")
    exclusion_services.record_check(
        commission=c,
        organisation=bids[1].organisation,
        by=officer,
        mandatory_considered=True,
        mandatory_notes="Its declaration; Companies House.",
        discretionary_considered=True,
        discretionary_notes="No performance issues known.",
        cdp_identifier="GB-PPON-YMMW-3302-EFGH",
        core_information_shared_on=today - timedelta(days=70),
        outcome="not_excluded",
    )
    page.get_by_role("button", name="Sign out").click()

    # The award decision, by the head of commissioning (£210,000 is above the officer's delegation).
    sign_in_through_the_page(page, base, demo_email("head"), DEMO_PASSWORD)
    page.goto(f"{base}/commissioning/{c.pk}/do/")
    page.get_by_role("link", name="Award decision").click()
    page.get_by_label(OTHER_BIDDER).check()
    page.get_by_label("Total value awarded").fill("210000")
    page.get_by_label("Reasons for the decision").fill("The most advantageous tender after moderation.")
    look(page, axe, "decision")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("button", name="Sign out").click()
    # A month passes: the decision was made 30 working days ago, so the standstill can be over by today.
    AwardDecision.objects.filter(procurement=procurement).update(decided_on=working_days_before(today, 30))

    # 4. The award page: the summaries sent first, then the contract award notice (UK6), then the standstill.
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    page.goto(f"{base}/commissioning/{c.pk}/award/")
    look(page, axe, "award")
    expect(page.get_by_role("link", name="Record its publication")).to_have_count(
        0
    )  # the summaries come first
    for _ in range(2):
        page.get_by_role("button", name="Send").or_(
            page.get_by_role("button", name="Record as sent")
        ).first.click()
    assert not AssessmentSummary.objects.filter(procurement=procurement, sent_at=None).exists()
    look(page, axe, "award-summaries-sent")
    published = working_days_before(today, 20)
    # The summaries went out in that month too: the notice is not dated before the day the last was sent.
    AssessmentSummary.objects.filter(procurement=procurement).update(
        sent_at=timezone.make_aware(datetime.combine(published, time(9)))
    )
    page.get_by_role("link", name="Record its publication").click()
    page.get_by_label("Find a Tender notice identifier").fill(
        f"0{procurement.pk + 60000:05d}-{published.year}"
    )
    date_in(page, "published_on", published)
    look(page, axe, "award-notice")
    page.get_by_role("button", name="Record").click()
    ends = standstill_ends(published)
    expect(page.locator("body")).to_contain_text(f"to {ends:%-d %B %Y}")
    look(page, axe, "award-standstill-ended")

    page.goto(f"{base}/commissioning/{c.pk}/do/")
    expect(page.locator("body")).to_contain_text("Standstill ended")
    look(page, axe, "do-award-tasks")

    # The contract: refused on the standstill's last day, accepted on the day after.
    start = first_of_next_month(today)
    pot = Pot.objects.get(year__start_year=financial_year_of(start), key="victim-services")
    page.goto(f"{base}/commissioning/{c.pk}/do/")
    page.get_by_role("link", name="Contract", exact=True).click()
    page.get_by_label("Pot the money comes from").select_option(value=str(pot.pk))
    page.get_by_label("Annual value").fill("105000")
    page.get_by_label("Total value of the initial term").fill("105000")
    date_in(page, "start_date", start)
    page.get_by_label("Initial term (years)").fill("1")
    page.get_by_label("Term and extensions").fill("1+1")
    date_in(page, "signed_on", ends)
    page.get_by_role("button", name="Record the contract").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(f"{ends:%-d %B %Y}")
    look(page, axe, "contract-in-standstill")
    assert not Contract.objects.filter(procurement=procurement).exists()
    date_in(page, "signed_on", ends + timedelta(days=1))
    page.get_by_role("button", name="Record the contract").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("contract has been recorded")
    contract = Contract.objects.get(procurement=procurement)

    # 5. The contract details notice (UK7), due 30 days from the day the contract was entered into.
    details = Notice.objects.get(kind=NoticeKind.CONTRACT_DETAILS, contract=contract)
    assert details.due_by == ends + timedelta(days=30)
    page.goto(f"{base}/commissioning/{c.pk}/notices/")
    expect(page.locator("body")).to_contain_text(f"{details.due_by:%-d %b %Y}")
    look(page, axe, "notices-details")
    page.get_by_role("link", name="Contract details notice").first.click()
    look(page, axe, "details-notice")
    page.get_by_label("Find a Tender notice identifier").fill(f"0{details.pk + 70000:05d}-{today.year}")
    date_in(page, "published_on", today)
    page.get_by_role("button", name="Record the publication").click()
    details.refresh_from_db()
    assert details.status == "published"
    look(page, axe, "details-notice-published")

    # One page at 375 pixels: the award page does not scroll sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/commissioning/{c.pk}/award/")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
    look(page, axe, "award-375")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Sign out").click()

    # 6. The unsuccessful supplier reads its own summary in the portal, and cannot open the winner's.
    own = AssessmentSummary.objects.get(procurement=procurement, bid__organisation__name=PROVIDER_ORG)
    other = AssessmentSummary.objects.get(procurement=procurement, bid__organisation__name=OTHER_BIDDER)
    sign_in_through_the_page(page, base, demo_email("provider"), DEMO_PASSWORD)
    page.goto(f"{base}/commissioning/assessment-summaries/")
    look(page, axe, "provider-summaries")
    expect(page.get_by_role("link", name=c.title)).to_have_count(1)
    page.get_by_role("link", name=c.title).click()
    expect(page.locator("body")).to_contain_text("176,500")
    expect(page.locator("body")).not_to_contain_text("198,000")
    look(page, axe, "provider-summary")
    assert page.request.get(f"{base}/commissioning/assessment-summaries/{other.pk}/").status == 404
    assert own.pk != other.pk
