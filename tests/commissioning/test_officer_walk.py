"""What a commissioning officer walking the demo noticed: a ring-fenced pot chosen for them, coverage that
contradicted itself, a notice published in the future, "90% %", "move to plan done.", forms offered that could
only fail, a contract's errors shown one batch at a time, and performance shown for 8 of 11 quarters."""

import re
from datetime import date
from decimal import Decimal
from html import unescape
from types import SimpleNamespace

import pytest
from freezegun import freeze_time

from commissioning import gates, selectors
from commissioning.models import Commission, Contract, OutcomeMeasure, Route
from commissioning.services import commissions as commission_services
from commissioning.services import decisions as decision_services
from commissioning.services import evaluation as evaluation_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from opcc.models import Role
from tests.commissioning import factories as f
from tests.conftest import sign_in
from tests.funding.factories import PotFactory, approved_year

D = Decimal
TODAY = "2026-12-02 10:00:00"


def page(response) -> str:
    return unescape(response.content.decode())


def error_summary(body: str) -> str:
    start = body.index("govuk-error-summary__list")
    return body[start : body.index("</ul>", start)]


def banner(client, response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    body = page(client.get(response["Location"]))
    start = body.index("govuk-notification-banner--success")
    return re.sub(
        r"\s+",
        " ",
        re.sub(r"<[^>]+>", " ", body[start : body.index("</div>", body.index("__content", start))]),
    )


# ---- 1. The contract's pot -------------------------------------------------------------------


@pytest.fixture
def victim_pots(db):
    """As in the demo: victim services and the ring-fenced ISVA and IDVA pot, in 2026 to 2027 and 2027 to 2028."""
    found = {}
    for start_year in (2026, 2027):
        year = approved_year(start_year, income="10000000", police="5000000")
        found[start_year] = (
            PotFactory(
                year=year,
                key="isva-idva",
                name="ISVA and IDVA services (ring-fenced)",
                stream="victim_services",
                allocated=D("300000"),
            ),
            PotFactory(
                year=year,
                key="victim-services",
                name="Victim services",
                stream="victim_services",
                allocated=D("500000"),
            ),
        )
    return found


def contract_data(pot=None, **overrides):
    data = {
        "pot": pot.pk if pot else "",
        "annual_value": "45000",
        "total_value": "45000",
        "start_date_0": "1",
        "start_date_1": "12",
        "start_date_2": "2026",
        "initial_term_years": "1",
        "extension_pattern": "1+1",
        "break_notice_months": "3",
        "break_clause": "Either party",
        "signed_on_0": "20",
        "signed_on_1": "11",
        "signed_on_2": "2026",
        "schedule_kind": "quarterly_arrears",
        "value_difference_reason": "",
    }
    data.update(overrides)
    return data


@freeze_time("2026-11-25 10:00:00")
def test_no_pot_is_chosen_for_the_officer_when_a_ring_fenced_pot_could_also_pay(client, world, victim_pots):
    c, _ = f.decided_tender(world)  # victim services, West Mercia wide: two pots fit
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/contract/new/"
    response = client.get(url)
    assert response.context["form"]["pot"].value() is None
    body = page(response)
    assert '<option value="" selected>Select the pot</option>' in body
    assert not re.search(
        r'<option value="\d+" selected>',
        body[body.index('name="pot"') : body.index("</select>", body.index('name="pot"'))],
    )

    # Clicking straight through commits nothing: the pot must be chosen.
    body = page(client.post(url, contract_data()))
    assert "Select the pot the money comes from" in error_summary(body)
    assert not Contract.objects.exists()

    isva, victim_services = victim_pots[2026]
    assert client.post(url, contract_data(victim_services)).status_code == 302
    assert Contract.objects.get().award.pot == victim_services


@freeze_time("2026-11-25 10:00:00")
def test_the_pot_is_chosen_only_when_exactly_one_fits_the_stream_and_areas(world):
    c = f.new_commission(world)
    year = approved_year(2026, income="10000000", police="5000000")
    everywhere = PotFactory(
        year=year, key="victim-services", name="Victim services", stream="victim_services"
    )
    PotFactory(
        year=year,
        key="victim-services-hereford",
        name="Victim services: Herefordshire",
        stream="victim_services",
        area=world.area,
    )
    PotFactory(year=year, key="cgs", name="Commissioner's Grant Scheme", stream="cgs")
    pots = selectors.contract_pots(c)
    assert {p.stream for p in pots} == {"victim_services"}  # another stream's pot is not offered
    # West Mercia wide: a pot kept for one area does not fit, so the one for everywhere is chosen.
    assert selectors.default_pot(c, pots, 2026) == everywhere
    # A pilot in Herefordshire could be paid from either: nothing is chosen.
    c.areas.set([world.area])
    assert selectors.default_pot(c, pots, 2026) is None
    # A pilot in Shropshire only fits the pot for everywhere.
    c.areas.set([world.other_area])
    assert selectors.default_pot(c, pots, 2026) == everywhere
    # No pot in the year the contract starts: nothing is chosen.
    assert selectors.default_pot(c, pots, 2027) is None


# ---- 2. West Mercia wide or a pilot ----------------------------------------------------------


def coverage(client, c, coverage_, areas=(), reason=""):
    return client.post(
        f"/commissioning/{c.pk}/edit/coverage/",
        {"coverage": coverage_, "pilot_reason": reason, "areas": [a.pk for a in areas]},
    )


def test_west_mercia_wide_with_an_area_ticked_is_refused_and_says_what_to_do(client, world):
    c = f.new_commission(world)
    sign_in(client, f.officer_of(world))
    body = page(coverage(client, c, "west_mercia", [world.area]))
    assert (
        "A West Mercia wide service covers every area: untick the local policing areas, or choose a pilot if the "
        "service covers only some of them"
    ) in error_summary(body)
    c.refresh_from_db()
    assert c.coverage == "" and not c.areas.exists()

    assert coverage(client, c, "west_mercia").status_code == 302
    body = page(client.get(f"/commissioning/{c.pk}/"))
    assert re.search(r"Areas</dt>\s*<dd[^>]*>West Mercia wide</dd>", body)


def test_a_pilot_needs_its_reason_and_at_least_one_area_and_the_overview_names_them(client, world):
    c = f.new_commission(world)
    sign_in(client, f.officer_of(world))
    summary = error_summary(page(coverage(client, c, "pilot")))
    assert (
        "Enter why this is a pilot" in summary
        and "Select the local policing areas the pilot serves" in summary
    )
    assert not Commission.objects.get(pk=c.pk).coverage

    assert (
        coverage(client, c, "pilot", [world.area], reason="Proof of concept in one county").status_code == 302
    )
    body = page(client.get(f"/commissioning/{c.pk}/"))
    assert re.search(r"Areas</dt>\s*<dd[^>]*>Herefordshire \(pilot\)</dd>", body)


def test_the_plan_task_is_not_complete_while_the_coverage_contradicts_itself(world):
    officer = f.officer_of(world)
    c = f.fill_plan(f.in_plan(world), officer)
    assert gates.plan_gaps(c) == []
    c.areas.set([world.area])  # recorded before the form refused it
    assert any("West Mercia wide or a pilot" in gap for gap in gates.plan_gaps(c))


# ---- 3. The Provider Information Notice cannot be published in the future ---------------------


@freeze_time(TODAY)
def test_a_notice_published_in_the_future_is_refused_with_the_other_errors(client, world):
    c = f.in_plan(world)
    sign_in(client, f.officer_of(world))
    url = f"/commissioning/{c.pk}/edit/pin/"
    future = {"pin_published_on_0": "1", "pin_published_on_1": "1", "pin_published_on_2": "2030"}
    summary = error_summary(page(client.post(url, {"pin_where": "", "pin_reference": "PIN-1", **future})))
    assert "The date the notice was published must be today or in the past" in summary
    assert "Enter where the notice was published" in summary  # listed together, not one after the other
    summary = error_summary(
        page(client.post(url, {"pin_where": "Blue Light portal", "pin_reference": "PIN-1", **future}))
    )
    assert "The date the notice was published must be today or in the past" in summary
    assert Commission.objects.get(pk=c.pk).pin_published_on is None
    body = page(client.get(f"/commissioning/{c.pk}/plan/"))
    assert re.search(r"Provider Information Notice</a>.*?Incomplete", body, re.S)

    today = {"pin_published_on_0": "2", "pin_published_on_1": "12", "pin_published_on_2": "2026"}
    assert (
        client.post(url, {"pin_where": "Blue Light portal", "pin_reference": "PIN-1", **today}).status_code
        == 302
    )
    assert Commission.objects.get(pk=c.pk).pin_published_on == date(2026, 12, 2)


@freeze_time(TODAY)
def test_the_service_refuses_a_future_notice_date_too(world):
    from django.core.exceptions import ValidationError

    c = f.in_plan(world)
    with pytest.raises(ValidationError) as exc:
        commission_services.update_commission(
            commission=c, values={"pin_published_on": date(2030, 1, 1)}, by=f.officer_of(world)
        )
    assert exc.value.message_dict["pin_published_on"] == [
        "The date the notice was published must be today or in the past"
    ]


# ---- 4. Outcome measures in words ------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, target, unit, star, expected",
    [
        ("percentage", "90", "%", "", "90% each quarter"),
        ("percentage", "80", "", "", "80% each quarter"),
        ("percentage", "75.5", "per cent", "", "75.5% each quarter"),
        ("percentage", "60", "service users", "", "60% of service users each quarter"),
        ("count", "45", "referrals", "", "45 referrals each quarter"),
        ("count", "1", "referrals", "", "1 referral each quarter"),
        ("count", "12", "people", "", "12 people each quarter"),
        ("count", "1", "people", "", "1 person each quarter"),
        ("count", "500", "", "", "500 each quarter"),
        ("star", "1", "points", "Empowerment Star", "1 point each quarter"),
        ("narrative", None, "", "", "a narrative each quarter, with no numeric target"),
    ],
)
def test_each_kind_of_measure_reads_as_words(kind, target, unit, star, expected):
    measure = OutcomeMeasure(
        name="M", kind=kind, quarterly_target=D(target) if target else None, unit=unit, star_name=star
    )
    assert measure.target_per_quarter == expected


def test_the_plan_and_measures_pages_show_a_percentage_with_one_percent_sign(client, world):
    officer = f.officer_of(world)
    c = f.in_plan(world)
    for name, kind, target, unit, star in (
        ("Victims assessed within 2 working days", "percentage", D("90"), "%", ""),
        ("Survivors supported", "count", D("12"), "people", ""),
        ("Outcomes Star: progress", "star", D("1"), "points", "Empowerment Star"),
        ("Case studies", "narrative", None, "", ""),
    ):
        commission_services.add_measure(
            commission=c, by=officer, name=name, kind=kind, quarterly_target=target, unit=unit, star_name=star
        )
    sign_in(client, officer)
    body = page(client.get(f"/commissioning/{c.pk}/plan/"))
    assert "Victims assessed within 2 working days: 90% each quarter" in body
    assert "Survivors supported: 12 people each quarter" in body
    assert "Outcomes Star: progress (Empowerment Star): 1 point each quarter" in body
    assert "Case studies: a narrative each quarter, with no numeric target" in body
    assert "% %" not in body and "%%" not in body
    body = page(client.get(f"/commissioning/{c.pk}/outcome-measures/"))
    assert re.search(r'govuk-table__cell--numeric">90%</td>', body)


# ---- 5. Each step's success message is a sentence --------------------------------------------


def test_moving_a_commission_on_says_so_in_a_sentence(client, world):
    officer = f.officer_of(world)
    c = f.fill_understand(f.new_commission(world), officer)
    sign_in(client, officer)
    text = banner(
        client,
        client.post(
            f"/commissioning/{c.pk}/move/start_planning/", {"note": "", "expected_state": "understand"}
        ),
    )
    assert f"{c.reference} has moved to Plan." in text and "done." not in text
    f.fill_plan(c, officer)
    text = banner(
        client,
        client.post(f"/commissioning/{c.pk}/move/start_procurement/", {"note": "", "expected_state": "plan"}),
    )
    assert f"{c.reference} has moved to Do." in text


def test_every_transition_has_a_sentence_naming_the_commission():
    from commissioning.views.commissions import DONE

    assert set(DONE) == set(gates.TRANSITIONS)
    for name, message in DONE.items():
        text = message.format(reference="CM-0009", cycle=2)
        assert text.startswith("CM-0009 ") and text.endswith(".") and "done." not in text, name
    assert DONE["recommission"].format(reference="CM-0009", cycle=2) == (
        "CM-0009 is being re-commissioned: cycle 2 has started in Understand."
    )


# ---- 6. Only what can succeed is offered -----------------------------------------------------


@freeze_time(TODAY)
def sta_in_review(world, pots):
    """A single tender agreement signed off, decided and contracted: now in Review (the demo's CM-0004)."""
    officer, head = f.officer_of(world), world.users[Role.HEAD_OF_COMMISSIONING]
    c = f.in_do(world, estimated_annual_value=D("48000"), estimated_total_value=D("96000"))
    procurement_services.choose_route(
        commission=c, route=Route.SINGLE_TENDER, reason="Continuity of supply", by=officer
    )
    single_tender_services.save_single_tender(
        commission=c,
        organisation=world.other_organisation,
        ground="b",
        value=D("96000"),
        justification="Survivors mid-way through support",
        by=officer,
    )
    single_tender_services.sign_single_tender(commission=c, by=head)
    decision_services.record_decision(
        commission=c,
        organisation=world.other_organisation,
        value=D("96000"),
        rationale="Signed off; price benchmarked",
        by=officer,
    )
    f.contract_for(
        world,
        c,
        pots[2026],
        annual_value=D("48000"),
        total_value=D("48000"),
        start_date=date(2027, 1, 1),
        initial_term_years=1,
        extension_pattern="1+1",
        signed_on=date(2026, 11, 18),
    )
    return commission_services.transition(commission=c, name="start_review", by=officer)


@freeze_time(TODAY)
def test_in_review_the_do_page_links_no_form_and_the_forms_show_the_record_only(client, world, pots):
    c = sta_in_review(world, pots)
    sign_in(client, f.officer_of(world))
    body = page(client.get(f"/commissioning/{c.pk}/do/"))
    for form in ("single-tender/", "decision/", "route/", "contract/new/"):
        assert f'href="/commissioning/{c.pk}/{form}"' not in body, form
    assert "it can no longer change" in body

    body = page(client.get(f"/commissioning/{c.pk}/single-tender/"))
    assert f"{c.reference} is in Review: procurement happens in Do." in body
    assert "Survivors mid-way through support" in body  # the agreement, read-only
    assert "Save the agreement</button>" not in body
    response = client.post(
        f"/commissioning/{c.pk}/single-tender/",
        {"organisation": world.organisation.pk, "ground": "a", "justification": "Changed", "value": "1"},
    )
    assert response.status_code == 200 and "govuk-error-summary" not in page(response)
    assert c.procurements.get().sta.justification == "Survivors mid-way through support"

    body = page(client.get(f"/commissioning/{c.pk}/decision/"))
    assert "Record the decision</button>" not in body
    assert "Signed off; price benchmarked" in body and "£96,000.00" in body  # the decision, read-only
    body = page(client.get(f"/commissioning/{c.pk}/contract/new/"))
    assert "Record the contract</button>" not in body and "The contract has already been recorded." in body


def test_the_decision_form_is_not_offered_while_do_has_work_to_finish(client, world):
    c, tender, bid_a, bid_b, _ = f.tender_ready_for_scoring(world)
    sign_in(client, f.officer_of(world))
    body = page(client.get(f"/commissioning/{c.pk}/decision/"))
    assert "The decision cannot be recorded until:" in body and "Record the decision</button>" not in body
    assert f'href="/commissioning/{c.pk}/do/">Go to the Do tasks</a>' in body


def moderated_tender(world):
    officer = f.officer_of(world)
    c, tender, bid_a, bid_b, (person,) = f.tender_ready_for_scoring(world)
    evaluation_services.declare(
        tender=tender, user=person, answers={bid_a.pk: False, bid_b.pk: False}, details={}
    )
    evaluation_services.score_bid(bid=bid_a, user=person, scores=f.scores_for(tender, (4, 3)))
    evaluation_services.moderate_bid(
        commission=c, bid=bid_a, scores=f.scores_for(tender, (4, 3), "Agreed"), by=officer
    )
    return c, tender, bid_a, bid_b, person


def test_the_results_say_moderated_once_a_bid_is_moderated(client, world):
    c, tender, bid_a, bid_b, person = moderated_tender(world)
    sign_in(client, f.officer_of(world))
    results = f"/commissioning/{c.pk}/tender/results/"
    rows = {
        name: row
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page(client.get(results)), re.S)
        for name in ("Bidder A", "Bidder B")
        if name in row
    }
    assert "Moderated" in rows["Bidder A"] and ">Moderate<" not in rows["Bidder A"]
    assert "View or change" in rows["Bidder A"]
    # Bidder B waits for the panel's scores: moderating it now could only fail.
    assert "Waiting for the panel" in rows["Bidder B"] and "moderate/" not in rows["Bidder B"]
    assert "Record a bid" not in page(
        client.get(f"/commissioning/{c.pk}/tender/bids/")
    )  # moderation has started

    evaluation_services.score_bid(bid=bid_b, user=person, scores=f.scores_for(tender, (3, 5)))
    evaluation_services.moderate_bid(
        commission=c, bid=bid_b, scores=f.scores_for(tender, (3, 5), "Agreed"), by=f.officer_of(world)
    )
    decision_services.record_decision(
        commission=c,
        organisation=bid_b.organisation,
        value=D("90000"),
        rationale="Highest",
        by=f.officer_of(world),
    )
    body = page(client.get(results))
    assert "View or change" not in body and ">Moderate<" not in body
    assert body.count('govuk-tag--green">Moderated</strong>') == 2
    # Decided: the moderation can be read, not changed.
    body = page(client.get(f"/commissioning/{c.pk}/tender/bids/{bid_a.pk}/moderate/"))
    assert "Save the moderated scores</button>" not in body
    assert "Moderated scores" in body and "Agreed" in body
    assert "The award decision has been made: the procurement can no longer be changed." in body


def test_an_evaluator_is_not_offered_the_score_form_once_the_bid_is_moderated(client, world):
    c, tender, bid_a, bid_b, person = moderated_tender(world)
    sign_in(client, person)
    body = page(client.get(f"/commissioning/evaluations/{tender.pk}/"))
    row_a = next(
        r for r in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S) if "Bidder A" in r
    )
    assert "Moderated: your scores are final" in row_a
    body = page(client.get(f"/commissioning/evaluations/bids/{bid_a.pk}/"))
    assert "Save my scores</button>" not in body
    assert "The panel has moderated the scores for this bid: individual scores can no longer change." in body
    assert "4 out of 5" in body  # their own scores, read-only
    response = client.post(
        f"/commissioning/evaluations/bids/{bid_a.pk}/",
        {f"score_{cr.pk}": "0" for cr in tender.criteria.all()}
        | {f"comment_{cr.pk}": "Changed" for cr in tender.criteria.all()},
    )
    assert response.status_code == 200 and set(bid_a.scores.values_list("score", flat=True)) == {4, 3}
    # The other bid is still theirs to score.
    assert "Save my scores</button>" in page(client.get(f"/commissioning/evaluations/bids/{bid_b.pk}/"))


# ---- 7. Every contract error at once ---------------------------------------------------------


@freeze_time("2026-11-25 10:00:00")
def test_every_contract_error_shows_at_once_with_the_pattern_error(client, world, victim_pots):
    c, _ = f.decided_tender(world)
    sign_in(client, f.officer_of(world))
    body = page(
        client.post(
            f"/commissioning/{c.pk}/contract/new/",
            contract_data(None, extension_pattern="1+1+1", signed_on_2="2027", break_clause=""),
        )
    )
    summary = error_summary(body)
    for message in (
        "Select the pot the money comes from",
        "1+1+1 is not allowed",
        "Enter the break clause",
        "The date signed cannot be in the future",
    ):
        assert message in summary, message
    assert not Contract.objects.exists()


@freeze_time("2026-11-25 10:00:00")
def test_the_contract_form_and_the_service_refuse_the_same_things(world, victim_pots):
    c, _ = f.decided_tender(world)
    decision = c.procurements.get().decision
    errors = selectors.contract_errors(
        decision=decision,
        pot=victim_pots[2026][1],
        annual_value=D("30000"),
        total_value=D("20000"),
        start_date=date(2026, 11, 1),
        initial_term_years=2,
        extension_pattern="3+1",
        signed_on=date(2026, 11, 20),
    )
    assert set(errors) == {"extension_pattern", "total_value", "signed_on", "initial_term_years"}
    assert errors["signed_on"] == "The contract must be signed on or before its start date"
    assert selectors.contract_errors(decision=decision) == {}  # nothing to check yet


# ---- 8. Review: how many quarters, and overdue called overdue --------------------------------


@freeze_time(TODAY)
def test_the_review_page_says_how_many_quarters_have_returns_and_which_is_overdue(client, world, pots):
    from reporting.models import QuarterlyReturn
    from reporting.services.returns import ensure_returns

    officer = f.officer_of(world)
    c, _ = f.decided_tender(world)
    contract = f.contract_for(
        world,
        c,
        pots[2026],
        start_date=date(2026, 4, 1),
        signed_on=date(2026, 3, 1),
        initial_term_years=1,
        extension_pattern="1+1",
        total_value=D("30000"),
    )
    c = commission_services.transition(commission=c, name="start_review", by=officer)
    ensure_returns(today=date(2026, 12, 2), award_ids=[contract.award_id])  # Q1 and Q2 ended, Q3 running
    QuarterlyReturn.objects.filter(award=contract.award, quarter=1).update(status="accepted", rag="green")
    sign_in(client, officer)
    body = re.sub(r"\s+", " ", page(client.get(f"/commissioning/{c.pk}/review/")))
    assert (
        "The contract runs for 4 quarters: 3 have quarterly returns (1 accepted, 1 overdue and 1 not yet due). "
        "The remaining quarter has not ended yet, so its return is not yet due."
    ) in body
    assert "The return for Q2 2026/27 is overdue: it was due on 30 October 2026." in body
    q2 = next(r for r in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body) if "Q2 2026/27" in r)
    assert 'govuk-tag--red">Overdue</strong>' in q2 and ">Open<" not in q2


def demo_returns():
    """The stalking advocacy contract's 11 returns on 2 December 2026, newest first, as the hook gives them."""
    rows = [
        ("Q3 2026/27", "not_yet_due", None, date(2027, 1, 30)),
        ("Q2 2026/27", "open", None, date(2026, 10, 30)),
        ("Q1 2026/27", "accepted", "red", date(2026, 7, 30)),
        ("Q4 2025/26", "accepted", "red", date(2026, 4, 30)),
        ("Q3 2025/26", "accepted", "amber", date(2026, 1, 30)),
        ("Q2 2025/26", "accepted", "green", date(2025, 10, 30)),
        ("Q1 2025/26", "accepted", "amber", date(2025, 7, 30)),
        ("Q4 2024/25", "accepted", "green", date(2025, 4, 30)),
        ("Q3 2024/25", "accepted", "green", date(2025, 1, 30)),
        ("Q2 2024/25", "accepted", "green", date(2024, 10, 30)),
        ("Q1 2024/25", "accepted", "green", date(2024, 7, 30)),
    ]
    return {
        "rag": "red",
        "persistently_red": True,
        "summary": "Rated at the latest accepted return.",
        "url": "/monitoring/awards/1/",
        "returns": [
            {
                "quarter": q,
                "status": s,
                "rag": r,
                "due_date": d,
                "id": i,
                "overdue": s in ("not_yet_due", "open") and d < date(2026, 12, 2),
            }
            for i, (q, s, r, d) in enumerate(rows)
        ],
    }


def test_a_long_contract_says_the_table_shows_the_latest_8_of_11_returns(client, world, pots, monkeypatch):
    from funding.models import Award

    c = sta_in_review(world, pots)
    award = c.procurements.get().contract.award
    Award.objects.filter(pk=award.pk).update(start_date=date(2024, 4, 1), end_date=date(2027, 3, 31))
    monkeypatch.setattr("commissioning.views.commissions.award_performance", lambda a: demo_returns())
    sign_in(client, f.officer_of(world))
    with freeze_time(TODAY):
        body = re.sub(r"\s+", " ", page(client.get(f"/commissioning/{c.pk}/review/")))
    assert (
        "The contract runs for 12 quarters: 11 have quarterly returns (9 accepted, 1 overdue and 1 not yet due). "
        "The remaining quarter has not ended yet, so its return is not yet due."
    ) in body
    assert "The latest 8 of 11 quarterly returns" in body
    assert "The 3 earlier returns are on the award's outcome monitoring page." in body
    assert "The return for Q2 2026/27 is overdue: it was due on 30 October 2026." in body


def test_an_overdue_flag_from_the_hook_is_used_as_it_is():
    award = SimpleNamespace(start_date=date(2026, 4, 1), end_date=date(2027, 3, 31))
    performance = {
        "returns": [
            {
                "quarter": "Q1 2026/27",
                "status": "open",
                "rag": None,
                "due_date": date(2026, 7, 30),
                "overdue": False,
            }
        ]
    }
    shaped = selectors.review_performance(award, performance, today=date(2026, 12, 2))
    assert shaped["overdue"] == [] and shaped["rows"][0]["overdue"] is False
    assert "1 open for the provider" in shaped["coverage"]
    assert selectors.review_performance(award, None, today=date(2026, 12, 2)) is None


def test_the_services_refuse_evidence_and_moderation_once_their_stage_has_passed(world):
    """The pages offer no form then; a stale page's post meets the same rule in the service."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = f.officer_of(world)
    c, bid = f.decided_tender(world)
    tender = c.procurements.get().tender
    moderated = tender.bids.get(organisation=bid)
    with pytest.raises(ValidationError, match="award decision has been made"):
        evaluation_services.moderate_bid(
            commission=c, bid=moderated, scores=f.scores_for(tender, (5, 5), "Again"), by=officer
        )
    commission_services.transition(commission=c, name="withdraw", by=officer, note="No longer needed")
    with pytest.raises(ValidationError, match="cannot be changed"):
        commission_services.upload_needs_assessment(
            commission=c, uploaded=SimpleUploadedFile("na.pdf", f.PDF), title="Late", by=officer
        )
