"""The Police and Crime Plan as data: every member of staff reads it, the head of commissioning keeps it, and the
office's commissions, rounds and awards say which of its objectives they serve."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from commissioning.models import Commission
from funding.models import Award, Stream
from grants.models import Round, Scheme, SchemeKind
from opcc.models import Objective, Priority, Role
from tests import demo_data
from tests.commissioning import factories as cf
from tests.conftest import sign_in
from tests.factories import ObjectiveFactory, PriorityFactory
from tests.funding.factories import PotFactory, approved_year, award
from tests.grants import factories as gf

D = Decimal
STAFF = [r for r in Role if r != Role.PROVIDER]


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def plain(response) -> str:
    """The page's words, without its markup."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def error_summary(response) -> list[str]:
    body = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert summary, "no error summary on the page"
    return [
        unescape(re.sub(r"<[^>]+>|\s+", " ", item)).strip()
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.mark.parametrize("role", STAFF)
def test_every_member_of_staff_reads_the_plan_and_only_the_head_is_offered_changes(client, world, role):
    ObjectiveFactory(priority=world.priority, title="Improve support for repeat victims")
    sign_in(client, world.users[role])
    response = client.get("/plan/")
    assert response.status_code == 200
    page = text(response)
    assert "Safer West Mercia Plan" in page and "1 April 2021 to 31 March 2029" in page
    assert "1. Putting victims and survivors first" in page
    assert "Support victims to cope and recover" in page and "Improve support for repeat victims" in page
    assert ('href="/plan/edit/"' in page) == (role == Role.HEAD_OF_COMMISSIONING)
    assert ("Add a priority" in page) == (role == Role.HEAD_OF_COMMISSIONING)
    assert '<a href="/plan/" class="govuk-service-navigation__link"' in page or 'href="/plan/"' in page


def test_providers_are_refused_the_plan_and_visitors_are_sent_to_sign_in(client, world):
    assert client.get("/plan/").status_code == 302
    assert client.get("/plan/")["Location"].startswith("/sign-in/")
    sign_in(client, world.users[Role.PROVIDER])
    assert client.get("/plan/").status_code == 403
    assert client.get("/plan/untagged/").status_code == 403


def test_the_untagged_list_is_for_the_office_whose_records_it_links_to(client, world):
    sign_in(client, world.users[Role.EVALUATOR])
    assert client.get("/plan/untagged/").status_code == 403
    assert 'href="/plan/untagged/"' not in client.get("/plan/").content.decode()
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    assert client.get("/plan/untagged/").status_code == 200
    assert 'href="/plan/untagged/"' in client.get("/plan/").content.decode()


def test_the_plan_is_in_the_staff_navigation_not_the_providers(client, world):
    sign_in(client, world.users[Role.AUDITOR])
    assert ">Plan<" in client.get("/home/").content.decode()
    sign_in(client, world.users[Role.PROVIDER])
    assert ">Plan<" not in client.get("/home/").content.decode()


def test_the_head_edits_a_priority_and_an_objective_and_history_keeps_both_versions(client, world):
    head = world.users[Role.HEAD_OF_COMMISSIONING]
    sign_in(client, head)
    response = client.post(
        f"/plan/priorities/{world.priority.pk}/edit/",
        {"title": "Victims and survivors first", "description": "Support that helps people cope"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/plan/objectives/{world.objective.pk}/edit/", {"title": "Help victims cope and recover"}
    )
    assert response.status_code == 302
    page = text(client.get("/plan/"))
    assert "1. Victims and survivors first" in page and "Support that helps people cope" in page
    assert "Help victims cope and recover" in page and "Support victims to cope and recover" not in page
    priority_history = list(world.priority.history.order_by("history_date"))
    assert [h.title for h in priority_history] == [
        "Putting victims and survivors first",
        "Victims and survivors first",
    ]
    assert priority_history[-1].history_user == head
    objective_history = list(world.objective.history.order_by("history_date"))
    assert [h.title for h in objective_history] == [
        "Support victims to cope and recover",
        "Help victims cope and recover",
    ]
    assert objective_history[-1].history_user == head


def test_the_head_adds_and_reorders_priorities_and_objectives(client, world):
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    assert (
        client.post(
            "/plan/priorities/new/", {"title": "Reforming West Mercia", "description": ""}
        ).status_code
        == 302
    )
    second = Priority.objects.get(title="Reforming West Mercia")
    client.post(
        f"/plan/priorities/{second.pk}/objectives/new/", {"title": "Value for money from the police budget"}
    )
    client.post(f"/plan/priorities/{world.priority.pk}/objectives/new/", {"title": "Faster referrals"})
    page = text(client.get("/plan/"))
    assert page.index("1. Putting victims and survivors first") < page.index("2. Reforming West Mercia")
    assert page.index("Support victims to cope and recover") < page.index("Faster referrals")
    client.post(f"/plan/priorities/{second.pk}/move/", {"direction": "up"})
    faster = Objective.objects.get(title="Faster referrals")
    client.post(f"/plan/objectives/{faster.pk}/move/", {"direction": "up"})
    page = text(client.get("/plan/"))
    assert page.index("1. Reforming West Mercia") < page.index("2. Putting victims and survivors first")
    assert page.index("Faster referrals") < page.index("Support victims to cope and recover")


def test_the_plan_form_shows_every_problem_at_once(client, world):
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    response = client.post(
        "/plan/edit/",
        {"title": "", **_date("period_start", date(2025, 4, 1)), **_date("period_end", date(2024, 3, 31))},
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter the plan's title",
        "The end of the period must be after its start",
    ]
    world.plan.refresh_from_db()
    assert world.plan.title == "Safer West Mercia Plan"


def test_an_officer_cannot_change_the_plan(client, world):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    assert client.post(f"/plan/priorities/{world.priority.pk}/edit/", {"title": "Changed"}).status_code == 403
    assert client.post(f"/plan/objectives/{world.objective.pk}/remove/").status_code == 403
    assert client.post("/plan/priorities/new/", {"title": "New"}).status_code == 403
    world.priority.refresh_from_db()
    assert world.priority.title == "Putting victims and survivors first"
    assert Objective.objects.filter(pk=world.objective.pk).exists() and Priority.objects.count() == 1


def test_an_objective_in_use_cannot_be_removed_and_the_page_says_how_many_records_use_it(client, world):
    cf.new_commission(world, objectives=[world.objective])
    cf.new_commission(world, title="Second service", objectives=[world.objective])
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    response = client.post(f"/plan/objectives/{world.objective.pk}/remove/")
    assert response.status_code == 400
    assert error_summary(response) == [
        "You cannot remove this objective: 2 records use it. Tag them with other objectives first"
    ]
    response = client.post(f"/plan/priorities/{world.priority.pk}/remove/")
    assert error_summary(response) == [
        "You cannot remove this priority: 2 records use it. Tag them with other objectives first"
    ]
    assert Objective.objects.filter(pk=world.objective.pk).exists()
    unused = ObjectiveFactory(priority=world.priority, title="Unused objective")
    assert client.post(f"/plan/objectives/{unused.pk}/remove/").status_code == 302
    assert not Objective.objects.filter(pk=unused.pk).exists()
    page = text(client.get("/plan/"))
    assert "Unused objective has been removed" in page
    assert '<dd class="govuk-summary-list__value">Unused objective</dd>' not in page


def test_a_new_commission_without_an_objective_is_refused_with_the_govuk_error(client, world):
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    data = {
        "title": "Perpetrator programme",
        "summary": "To change behaviour",
        "stream": Stream.VICTIM_SERVICES,
        "officer": world.users[Role.COMMISSIONING_OFFICER].pk,
    }
    response = client.post("/commissioning/new/", data)
    assert error_summary(response) == ["Select at least one Police and Crime Plan objective"]
    assert "Priority: Putting victims and survivors first" in text(
        response
    )  # the priority is each box's hint
    assert not Commission.objects.exists()
    response = client.post("/commissioning/new/", {**data, "objectives": [world.objective.pk]})
    assert response.status_code == 302
    commission = Commission.objects.get()
    assert list(commission.objectives.all()) == [world.objective]
    page = plain(client.get(f"/commissioning/{commission.pk}/"))
    assert (
        "Police and Crime Plan objectives Support victims to cope and recover Putting victims and survivors first"
        in page
    )


def test_a_new_round_without_an_objective_is_refused_but_an_older_round_saves_without_one(client, world):
    from grants import defaults

    defaults.ensure()
    pot = PotFactory(
        year=approved_year(2026), key="cgs", name="Commissioner's Grant Scheme", allocated=D("100000")
    )
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    data = {
        "scheme": Scheme.objects.get(kind=SchemeKind.CGS).pk,
        "name": "CGS spring round",
        "summary": "Projects for victims",
        "eligibility": "Charities",
        "priorities": "",
        **_date("opens_date", date(2027, 1, 4)),
        "opens_time": "09:00",
        **_date("closes_date", date(2027, 2, 26)),
        "closes_time": "12:00",
        "max_award": "25000",
        "pot": pot.pk,
        "acceptance_days": "28",
        "criterion_0_name": "Quality of outcomes",
        "criterion_0_kind": "quality",
        "criterion_0_weight": "70",
        "criterion_1_name": "Cost",
        "criterion_1_kind": "cost",
        "criterion_1_weight": "30",
    }
    response = client.post("/grants/rounds/new/", {**data, "name": ""})
    assert error_summary(response) == [
        "Enter the round's name",
        "Select at least one Police and Crime Plan objective",
    ]
    assert not Round.objects.exists()
    assert client.post("/grants/rounds/new/", {**data, "objectives": [world.objective.pk]}).status_code == 302
    assert list(Round.objects.get().objectives.all()) == [world.objective]
    older = gf.cgs_round(pot=pot, name="Older round")
    assert (
        client.post(f"/grants/rounds/{older.pk}/edit/", {**data, "name": "Older round, renamed"}).status_code
        == 302
    )
    older.refresh_from_db()
    assert older.name == "Older round, renamed" and not older.objectives.exists()


def test_the_award_a_contract_makes_carries_its_commissions_objectives(client, world):
    second = ObjectiveFactory(priority=world.priority, title="Reduce repeat victimisation")
    pot = PotFactory(
        year=approved_year(2026), key="victim-services", stream="victim_services", allocated=D("200000")
    )
    commission, _org = cf.decided_tender(world)
    commission.objectives.set([world.objective, second])
    contract = cf.contract_for(
        world,
        commission,
        pot,
        start_date=date(2026, 4, 1),
        signed_on=date(2026, 3, 1),
        initial_term_years=1,
        extension_pattern="1+1",
        total_value=D("30000"),
    )
    assert set(contract.award.objectives.all()) == {world.objective, second}
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    page = text(client.get(f"/funding/awards/{contract.award.pk}/"))
    assert "Support victims to cope and recover" in page and "Reduce repeat victimisation" in page


def test_the_award_a_grant_offer_makes_carries_its_rounds_objectives(world):
    round_ = gf.cgs_round()
    round_.objectives.set([world.objective])
    officer = world.users[Role.COMMISSIONING_OFFICER]
    application = gf.offered(round_, world.users[Role.PROVIDER], officer)
    assert list(application.award.objectives.all()) == [world.objective]


def _untagged_world(world, extra=0):
    """Tagged and untagged commissions, rounds and awards; returns the labels of the untagged ones."""
    tagged_commission = cf.new_commission(world, title="Tagged service", objectives=[world.objective])
    untagged_commission = cf.new_commission(world, title="Untagged service")
    untagged_commission.objectives.clear()
    pot = PotFactory(
        year=approved_year(2026), key="cgs", name="Commissioner's Grant Scheme", allocated=D("900000")
    )
    tagged_round = gf.cgs_round(pot=pot, name="Tagged round")
    tagged_round.objectives.set([world.objective])
    gf.cgs_round(pot=pot, name="Untagged round")
    tagged_award = award(
        organisation=world.organisation, pot=pot, title="Tagged award", objectives=[world.objective]
    )
    untagged_award = award(organisation=world.organisation, pot=pot, title="Untagged award")
    for i in range(extra):
        award(organisation=world.organisation, pot=pot, title=f"Older award {i}")
    return {
        "tagged": [
            f"{tagged_commission.reference} Tagged service",
            "Tagged round, 2026 to 2027",
            f"{tagged_award.reference}: Tagged award",
        ],
        "untagged": [
            f"{untagged_commission.reference} Untagged service",
            "Untagged round, 2026 to 2027",
            f"{untagged_award.reference}: Untagged award",
        ],
    }


def test_the_untagged_list_shows_exactly_the_records_without_an_objective_grouped_by_kind(client, world):
    labels = _untagged_world(world)
    sign_in(client, world.users[Role.PCC])
    page = text(client.get("/plan/untagged/"))
    assert "3 records" in page
    for label in labels["untagged"]:
        assert label in page
    for label in labels["tagged"]:
        assert label not in page
    assert page.index('<h2 class="govuk-heading-m">Awards</h2>') < page.index(labels["untagged"][2])
    assert page.index('<h2 class="govuk-heading-m">Commissions</h2>') < page.index(labels["untagged"][0])
    assert "Tag with objectives" not in page  # the PCC reads; officers tag
    assert 'href="/plan/untagged/"' in text(client.get("/plan/"))


def test_an_officer_tags_a_record_and_it_leaves_the_list(client, world):
    labels = _untagged_world(world)
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    untagged = Commission.objects.get(title="Untagged service")
    url = f"/plan/untagged/commission/{untagged.pk}/tag/?from=untagged"
    assert "Tag with objectives" in text(client.get("/plan/untagged/"))
    response = client.post(url, {})
    assert error_summary(response) == ["Select at least one Police and Crime Plan objective"]
    response = client.post(url, {"objectives": [world.objective.pk]})
    assert response.status_code == 302 and response["Location"] == "/plan/untagged/"
    page = text(client.get("/plan/untagged/"))
    assert f">{labels['untagged'][0]}</a>" not in page and f">{labels['untagged'][1]}</a>" in page
    assert "The Police and Crime Plan objectives of " + labels["untagged"][0] + " have been saved" in page
    assert list(untagged.objectives.all()) == [world.objective]


def test_the_untagged_list_pages_through_many_records_in_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    _untagged_world(world, extra=40)
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    with django_assert_max_num_queries(14):
        first = text(client.get("/plan/untagged/"))
    with django_assert_max_num_queries(14):
        second = text(client.get("/plan/untagged/?page=2"))
    assert "43 records" in first and 'class="govuk-pagination"' in first
    assert first.count("Tag with objectives<") == 25 and second.count("Tag with objectives<") == 18
    assert "Untagged service" in second and "Untagged round" in second


def test_the_plan_page_runs_a_fixed_number_of_queries_however_many_objectives(
    client, world, django_assert_max_num_queries
):
    for _priority in range(6):
        priority = PriorityFactory(plan=world.plan)
        for _ in range(5):
            ObjectiveFactory(priority=priority)
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    with django_assert_max_num_queries(10):
        page = text(client.get("/plan/"))
    assert page.count('class="govuk-summary-card"') == 7


def test_the_demo_loads_the_safer_west_mercia_plan_and_tags_most_records(db):
    from django.core.management import call_command

    from opcc.models import PoliceAndCrimePlan

    demo_data.load("seed_demo")
    plan = PoliceAndCrimePlan.objects.get(is_current=True)
    assert list(plan.priorities.values_list("title", flat=True)) == [
        "Putting victims and survivors first",
        "Building a more secure West Mercia",
        "Reforming West Mercia",
        "Reassuring West Mercia's communities",
    ]
    for priority in plan.priorities.all():
        assert 2 <= priority.objectives.count() <= 4
    assert Commission.objects.filter(objectives__isnull=False).exists()
    assert Round.objects.filter(objectives__isnull=False).exists()
    assert Award.objects.filter(objectives__isnull=False).exists()
    untagged = (
        Commission.objects.filter(objectives__isnull=True).count()
        + Round.objects.filter(objectives__isnull=True).count()
        + Award.objects.filter(objectives__isnull=True).count()
    )
    assert 1 <= untagged <= 3
    # Running it again writes nothing (the whole demo's idempotence is tests/opcc/test_seed_demo.py's).
    before = PoliceAndCrimePlan.history.count() + Priority.history.count() + Objective.history.count()
    call_command("seed_demo")
    assert PoliceAndCrimePlan.history.count() + Priority.history.count() + Objective.history.count() == before


def test_the_services_refuse_a_new_commission_or_round_without_an_objective(world):
    from django.core.exceptions import ValidationError

    from commissioning.services import commissions as commission_services
    from grants.services import rounds as round_services

    officer = world.users[Role.COMMISSIONING_OFFICER]
    with pytest.raises(ValidationError) as refused:
        commission_services.create_commission(
            title="Service", summary="For", stream=Stream.VICTIM_SERVICES, officer=officer, by=officer
        )
    assert refused.value.message_dict == {
        "objectives": ["Select at least one Police and Crime Plan objective"]
    }
    gf._defaults()
    pot = PotFactory(
        year=approved_year(2026), key="cgs", name="Commissioner's Grant Scheme", allocated=D("100000")
    )
    now = timezone.now()
    values = dict(
        scheme=Scheme.objects.get(kind=SchemeKind.CGS),
        year=pot.year,
        name="Round",
        summary="Projects",
        eligibility="Charities",
        priorities="",
        opens_at=now,
        closes_at=now + timedelta(days=9),
        max_award=D("1000"),
        pot=pot,
        acceptance_days=28,
    )
    criteria = [
        {"name": "Quality", "kind": "quality", "weight": 70},
        {"name": "Cost", "kind": "cost", "weight": 30},
    ]
    with pytest.raises(ValidationError) as refused:
        round_services.save_round(criteria=criteria, by=officer, **values)
    assert refused.value.message_dict == {
        "objectives": ["Select at least one Police and Crime Plan objective"]
    }
    assert not Commission.objects.exists() and not Round.objects.exists()
