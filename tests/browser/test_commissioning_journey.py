"""An officer takes a commission from Understand to a signed contract; evaluators from other agencies
declare their conflicts and score the bids in between."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.models import Commission, Contract, Declaration, Score
from commissioning.services import commissions as commission_services
from commissioning.services import evaluation as evaluation_services
from opcc.calendar import financial_year_of, year_start
from opcc.demo import demo_email
from opcc.models import Organisation, User
from opcc.services.demo_accounts import DEMO_PASSWORD
from tests import demo_data
from tests.browser.conftest import assert_is_accessible, screenshot, sign_in_through_the_page

D = Decimal
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_data.load("core", "funding")


def look(page, axe, name):
    assert_is_accessible(page, axe)
    screenshot(page, f"commissioning-{name}")


def date_in(page, field, day):
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


def test_officer_takes_a_commission_to_a_signed_contract_while_evaluators_score(
    page, live_server, demo, axe, tmp_path
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = live_server.url
    officer = User.objects.get(email=demo_email("officer"))
    today = timezone.localdate()
    next_year = financial_year_of(today) + 1  # the demo's draft year, where the contract's money comes from

    def ago(days):
        return today - timedelta(days=days)

    # Understand
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    page.get_by_role("link", name="Commissioning", exact=True).click()
    look(page, axe, "index")
    page.get_by_role("link", name="Start a commission").click()
    page.get_by_label("Service", exact=True).fill("Restorative justice for young victims")
    page.get_by_label("What the service is for").fill("Restorative conversations for victims aged 10 to 17.")
    page.get_by_label("Victim Services").check()
    page.get_by_label("Victims are supported to cope and recover").check()  # an objective of the demo's Plan
    page.get_by_role("button", name="Start the commission").click()
    expect(page.locator("h1")).to_contain_text("Understand")
    expect(page.locator("body")).to_contain_text("The next step is blocked until")
    look(page, axe, "understand-empty")
    commission = Commission.objects.get(title="Restorative justice for young victims")

    page.get_by_role("link", name="Needs assessment").click()
    pdf = tmp_path / "needs.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("What is this document?").fill("Young victims needs assessment")
    page.get_by_label("Upload a file").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_role("link", name="Existing provision").click()
    expect(page.locator("h2", has_text="Live awards that may overlap")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what existing provision there is")
    look(page, axe, "existing-provision-error")
    page.get_by_label("Existing provision and whether this duplicates it").fill(
        "The restorative justice contract is for adults only: no duplication."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    commission_services.update_commission(
        commission=commission,
        by=officer,
        values={
            "engagement_evidence": "Youth forum",
            "outcomes_sought": "Young victims recover",
            "partners_direction": "Youth justice plan",
            "co_dependencies": "Youth offending service",
            "pooled_budget": "Not now",
        },
    )
    page.reload()
    look(page, axe, "understand-complete")
    page.get_by_role("link", name="Move to Plan").first.click()
    page.get_by_role("button", name="Move to Plan").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has moved to Plan.")

    # Plan
    commission_services.update_commission(
        commission=commission,
        by=officer,
        values={
            "coverage": "west_mercia",
            "co_commissioning": "None this year",
            "co_design": "Young people's panel",
            "pin_where": "Blue Light portal",
            "pin_published_on": ago(184),
            "pin_reference": "PIN-77",
        },
    )
    page.goto(f"{base}/commissioning/{commission.pk}/plan/")
    page.get_by_role("link", name="Outcome measures").click()
    page.get_by_label("Measure", exact=True).fill("Young victims supported")
    page.get_by_label("A count (output)").check()
    page.get_by_label("Quarterly target").fill("25")
    page.get_by_role("button", name="Add the measure").click()
    look(page, axe, "measures")
    page.goto(f"{base}/commissioning/{commission.pk}/edit/value/")
    page.get_by_label("Estimated annual value").fill("45000")
    page.get_by_label("Estimated total value, including any extensions").fill("90000")
    page.get_by_role("button", name="Save", exact=True).click()
    look(page, axe, "plan-complete")
    page.get_by_role("link", name="Move to Do").first.click()
    page.get_by_role("button", name="Move to Do").click()

    # Do: the route by value, then the tender
    page.goto(f"{base}/commissioning/{commission.pk}/route/")
    expect(page.locator("body")).to_contain_text("require at least: competitive tender")
    page.get_by_label("Three written quotes").check()
    page.get_by_role("button", name="Save the route").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("needs at least: competitive tender")
    look(page, axe, "route-error")
    page.get_by_label("Competitive tender (below-threshold notice)").check()
    page.get_by_role("button", name="Save the route").click()
    page.get_by_role("link", name="Tender published").click()
    page.get_by_label("Funding envelope").fill("90000")
    page.get_by_label("Quality (%)").fill("80")
    page.get_by_label("Price (%)").fill("30")
    page.get_by_label("E-tendering portal reference").fill("BLC-RJ-2026")
    date_in(page, "published_on", ago(92))
    date_in(page, "closes_on", ago(62))
    page.get_by_role("button", name="Save the tender").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be more than 100%")
    expect(page.get_by_label("E-tendering portal reference")).to_have_value("BLC-RJ-2026")
    look(page, axe, "tender-error")
    page.get_by_label("Quality (%)").fill("70")
    page.get_by_role("button", name="Save the tender").click()
    page.get_by_role("link", name="Weighted quality criteria").click()
    page.get_by_label("Criterion 1", exact=True).fill("Approach with young people")
    page.get_by_label("Weight of criterion 1 (%)").fill("60")
    page.get_by_label("Criterion 2", exact=True).fill("Partnership working")
    page.get_by_label("Weight of criterion 2 (%)").fill("30")
    page.get_by_role("button", name="Save the criteria").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The weights add up to 90%")
    page.get_by_label("Weight of criterion 2 (%)").fill("40")
    page.get_by_role("button", name="Save the criteria").click()
    # Two bids, recorded by staff with their documents.
    bidders = ["Restorative Justice Partners West Mercia (demo)", "Young Minds Matter Worcestershire (demo)"]
    for bidder, price in zip(bidders, ("88000", "80000"), strict=True):
        page.goto(f"{base}/commissioning/{commission.pk}/tender/bids/new/")
        page.get_by_label("Bidder").select_option(label=bidder)
        page.get_by_label("Total price").fill(price)
        date_in(page, "received_on", ago(65))
        page.get_by_label("Bid documents (optional)").set_input_files(str(pdf))
        page.get_by_role("button", name="Record the bid").click()
    look(page, axe, "bids")
    page.goto(f"{base}/commissioning/{commission.pk}/tender/panel/")
    page.get_by_label("Panel member", exact=True).select_option(
        label="Dr Sarah Okafor, Worcestershire County Council (demo)"
    )
    page.get_by_role("button", name="Add to the panel").click()
    expect(page.get_by_role("table", name="Panel members and their progress")).to_contain_text("Sarah Okafor")
    page.get_by_label("Panel member", exact=True).select_option(
        label="Gareth Price, National Probation Service West Mercia (demo)"
    )
    page.get_by_role("button", name="Add to the panel").click()
    look(page, axe, "panel")
    page.get_by_role("button", name="Sign out").click()

    # The evaluator from the county council: declares, then scores what she may see.
    sign_in_through_the_page(page, base, demo_email("evaluator"), DEMO_PASSWORD)
    expect(page.locator("body")).to_contain_text("Tenders you are evaluating")
    look(page, axe, "evaluator-home")
    page.get_by_role("link", name="Restorative justice for young victims").first.click()
    expect(page.get_by_role("link", name=bidders[0])).to_have_count(0)  # nothing visible before declaring
    page.get_by_role("button", name="Record my declarations").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say whether you have a conflict of interest"
    )
    look(page, axe, "declare-error")
    page.get_by_role("group", name=f"Do you have a conflict of interest with {bidders[0]}?").get_by_label(
        "No"
    ).check()
    page.get_by_role("group", name=f"Do you have a conflict of interest with {bidders[1]}?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label(f"If yes, describe the conflict with {bidders[1]}").fill(
        "I chair its board of trustees."
    )
    page.get_by_role("button", name="Record my declarations").click()
    expect(page.get_by_role("link", name=bidders[1])).to_have_count(0)
    page.get_by_role("link", name=bidders[0]).click()
    page.get_by_label("Score for Approach with young people (0 to 5)").fill("7")
    page.get_by_label("Reasons for your score: Approach with young people").fill(
        "Strong, trauma-informed model"
    )
    page.get_by_label("Score for Partnership working (0 to 5)").fill("3")
    page.get_by_label("Reasons for your score: Partnership working").fill("Some links with YOS")
    page.get_by_role("button", name="Save my scores").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be between 0 and 5")
    look(page, axe, "score-error")
    page.get_by_label("Score for Approach with young people (0 to 5)").fill("4")
    page.get_by_role("button", name="Save my scores").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your scores")
    look(page, axe, "evaluator-tender")
    page.get_by_role("button", name="Sign out").click()
    evaluator = User.objects.get(email=demo_email("evaluator"))
    assert Declaration.objects.filter(member__user=evaluator, conflict=True).count() == 1
    assert Score.objects.filter(member__user=evaluator).count() == 2

    # The probation evaluator (through the service, to keep the journey short): no conflicts.
    evaluator2 = User.objects.get(email=demo_email("evaluator2"))
    tender = commission.procurements.get().tender
    bids = list(tender.bids.order_by("pk"))
    criteria = list(tender.criteria.all())
    evaluation_services.declare(
        tender=tender, user=evaluator2, answers={b.pk: False for b in bids}, details={}
    )
    for bid, marks in zip(bids, ((4, 4), (3, 5)), strict=True):
        evaluation_services.score_bid(
            bid=bid,
            user=evaluator2,
            scores={c.pk: (m, "Reasons") for c, m in zip(criteria, marks, strict=True)},
        )

    # Moderation, the ranked result, the decision and the contract.
    sign_in_through_the_page(page, base, demo_email("officer"), DEMO_PASSWORD)
    for bid, marks in zip(bids, ((4, 4), (3, 4)), strict=True):
        page.goto(f"{base}/commissioning/{commission.pk}/tender/bids/{bid.pk}/moderate/")
        for criterion, mark in zip(criteria, marks, strict=True):
            page.get_by_label(f"Score for {criterion.name} (0 to 5)").fill(str(mark))
            page.get_by_label(f"Rationale: {criterion.name}").fill("Panel agreed at moderation")
        if bid == bids[0]:
            look(page, axe, "moderate")
        page.get_by_role("button", name="Save the moderated scores").click()
    look(page, axe, "results")
    page.goto(f"{base}/commissioning/{commission.pk}/do/")
    page.get_by_role("link", name="Award decision").click()
    page.get_by_label(bidders[0]).check()
    page.get_by_label("Total value awarded").fill("90000")
    page.get_by_label("Reasons for the decision").fill("Highest score after moderation; within the envelope.")
    look(page, axe, "decision")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="Contract", exact=True).click()
    page.get_by_label("Pot the money comes from").select_option(
        label=f"Victim services, {next_year} to {next_year + 1}"
    )
    page.get_by_label("Annual value").fill("45000")
    page.get_by_label("Total value of the initial term").fill("45000")
    date_in(page, "start_date", year_start(next_year))
    page.get_by_label("Initial term (years)").fill("1")
    page.get_by_label("Term and extensions").fill("1+1+1")
    date_in(page, "signed_on", ago(8))
    page.get_by_role("button", name="Record the contract").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("1+1+1 is not allowed")
    look(page, axe, "contract-error")
    assert not Contract.objects.exists()
    page.get_by_label("Term and extensions").fill("1+1")
    page.get_by_role("button", name="Record the contract").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("contract has been recorded")
    look(page, axe, "do-complete")
    page.get_by_role("link", name="Move to Review").first.click()
    page.get_by_role("button", name="Move to Review").click()
    page.goto(f"{base}/commissioning/{commission.pk}/review/")
    expect(page.locator("body")).to_contain_text("No quarterly returns yet")
    look(page, axe, "review")
    page.get_by_role("link", name="Overview").click()
    expect(page.locator(".moj-timeline")).to_contain_text("Do → Review")
    look(page, axe, "overview")

    contract = Contract.objects.get()
    assert contract.organisation == Organisation.objects.get(name=bidders[0])
    assert (contract.award.status, contract.award.amount) == ("active", D("45000"))
    assert Commission.objects.get(pk=commission.pk).status == "review"
    assert errors == []


__all__ = ["SimpleUploadedFile"]
