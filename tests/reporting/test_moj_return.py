"""The Ministry of Justice return: its figures equal independent sums over the returns and payments written here,
on the page, in its download and in the file `manage.py moj_return` writes; only accepted returns of services the
grant pays for count; returns still missing are flagged; the periods add up (H1 = Q1 + Q2, FY = the four quarters);
the sections and fields refuse a field mapped to nothing or a position taken; a fixed number of queries."""

import html
import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from openpyxl import load_workbook

from funding.models import AwardYear, IncomeSource, Payment, PotIncome, Stream
from funding.services import allocation
from opcc.models import Role
from reporting import moj_defaults
from reporting.models import MojReturnField, MojReturnSection, OutcomeIndicator, ReturnAnswer, ReturnStatus
from reporting.selectors import moj_return as sel
from reporting.services import moj_return as moj_service
from tests.conftest import sign_in
from tests.funding.factories import IncomeLineFactory, PotFactory
from tests.reporting.factories import accepted, monitored_award, submitted, the_return, victims_pot

D = Decimal
CORE, GENERAL, ISVA = IncomeSource.MOJ_CORE, IncomeSource.MOJ_GENERAL, IncomeSource.MOJ_ISVA_IDVA
COPE = "Service users better able to cope and recover"
PAGE = "/dashboard/moj-return/"


@pytest.fixture(autouse=True)
def _today():
    with freeze_time("2026-11-25 10:00:00"):
        yield


class Setting:
    """Three services the Ministry's grant pays for (two from the victim services pot, which the core and general
    lines pay for 60% and 20% of; one from the ring-fenced ISVA and IDVA pot) and one it does not (a CGS grant)."""


@pytest.fixture
def setting(world):
    moj_defaults.ensure_defaults()
    s = Setting()
    s.provider, s.officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    s.victims = victims_pot(allocated="100000")
    year = s.victims.year
    for source, amount in ((CORE, "60000"), (GENERAL, "20000"), (ISVA, "50000")):
        IncomeLineFactory(year=year, source=source, amount=D(amount))
    s.isva = PotFactory(
        year=year, key="isva-idva", stream=Stream.VICTIM_SERVICES, name="ISVA and IDVA", allocated=D("50000")
    )
    s.cgs = PotFactory(year=year, key="cgs", stream=Stream.CGS, name="CGS", allocated=D("50000"))
    allocation.set_pot_income(pot=s.victims, source=CORE, amount=D("60000"))
    allocation.set_pot_income(pot=s.victims, source=GENERAL, amount=D("20000"))
    allocation.set_pot_income(pot=s.isva, source=ISVA, amount=D("50000"))
    org = world.organisation
    s.outreach = monitored_award(org, pot=s.victims, title="Outreach")
    s.helpline = monitored_award(org, pot=s.victims, title="Helpline")
    s.advisers = monitored_award(org, pot=s.isva, title="Advisers")
    s.cgs_grant = monitored_award(org, pot=s.cgs, title="Not MoJ-funded")
    # Q1: every service's return accepted. Q2: the outreach accepted (twice the targets), the helpline's submitted
    # and waiting, the advisers' not sent (overdue); the CGS grant's accepted but not the Ministry's.
    for award in (s.outreach, s.helpline, s.advisers, s.cgs_grant):
        accepted(the_return(award, 1), s.provider, s.officer)
    accepted(the_return(s.outreach, 2), s.provider, s.officer, factor=D("2"))
    submitted(the_return(s.helpline, 2), s.provider, factor=D("3"))
    accepted(the_return(s.cgs_grant, 2), s.provider, s.officer)
    s.counted = [s.outreach, s.helpline, s.advisers]
    return s


def pay(award, amount, paid_on):
    line = AwardYear.objects.get(award=award, pot__year__start_year=2026)
    return Payment.objects.create(award=award, award_year=line, amount=D(amount), paid_on=paid_on)


def answers(awards, quarters, name):
    """The accepted returns' answers to one measure, straight from the returns."""
    return ReturnAnswer.objects.filter(
        quarterly_return__status=ReturnStatus.ACCEPTED,
        quarterly_return__award__in=awards,
        quarterly_return__quarter_start_year=2026,
        quarterly_return__quarter__in=quarters,
        measure__name=name,
    )


def count(awards, quarters, name):
    return sum((a.value for a in answers(awards, quarters, name)), D("0"))


def rate(awards, quarters, name):
    found = list(answers(awards, quarters, name))
    return sum((a.numerator for a in found), D("0")), sum((a.denominator for a in found), D("0"))


def figure(ret, section_key, label) -> sel.FieldFigure:
    return next(f for s, f in ret.figures() if s.key == section_key and f.label == label)


def field(section_key, label) -> MojReturnField:
    return MojReturnField.objects.get(section__key=section_key, label=label)


QUARTERS = {"Q1": (1,), "Q2": (2,), "H1": (1, 2), "FY": (1, 2, 3, 4)}


@pytest.mark.parametrize("code", list(QUARTERS))
def test_every_outcome_figure_is_the_sum_of_the_accepted_returns_of_the_services_counted(setting, code):
    s, quarters = setting, QUARTERS[code]
    ret = sel.build(sel.period(2026, code))
    assert figure(ret, "victims-supported", "Referrals received").value == count(
        s.counted, quarters, "Referrals received"
    )
    assert figure(ret, "victims-supported", "Victims supported").value == count(
        s.counted, quarters, "People supported"
    )
    assert figure(ret, "crime-types", "Referrals: domestic abuse").value == count(
        s.counted, quarters, "Domestic abuse"
    )
    cope = figure(ret, "cope-and-recover", "Better able to cope and recover")
    assert (cope.numerator, cope.denominator) == rate(s.counted, quarters, COPE)
    numerator, denominator = rate(s.counted, quarters, COPE)
    assert cope.rate == (numerator / denominator * 100).quantize(D("0.1"), rounding=ROUND_HALF_UP)
    # The ISVA and IDVA section counts only the service the ring-fenced line pays for.
    assert (figure(ret, "isva-idva", "Referrals received").value or 0) == count(
        [s.advisers], quarters, "Referrals received"
    )


def test_only_accepted_returns_count_and_never_a_service_the_grant_does_not_pay_for(setting):
    s = setting
    ret = sel.build(sel.period(2026, "Q2"))
    referrals = figure(ret, "victims-supported", "Referrals received")
    # Q2: only the outreach's accepted return; the helpline's submitted one (three times the targets) and the CGS
    # grant's accepted one are left out.
    assert referrals.value == count([s.outreach], (2,), "Referrals received") == D("600")
    assert referrals.services == 1
    assert count([s.helpline], (2,), "Referrals received") == D("0")  # not accepted: not in the sums above
    assert ReturnAnswer.objects.filter(
        quarterly_return__award=s.helpline, quarterly_return__quarter=2, measure__name="Referrals received"
    ).get().value == D("900")
    assert figure(ret, "isva-idva", "Referrals received").text == "None reported"


def test_h1_is_q1_plus_q2_and_the_year_is_its_four_quarters(setting):
    s = setting
    pay(s.outreach, "10000.05", date(2026, 5, 10))
    pay(s.advisers, "7000", date(2026, 8, 3))
    pay(s.helpline, "3333.33", date(2026, 9, 30))
    built = {code: sel.build(sel.period(2026, code)) for code in ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "FY")}
    for (section, first), (_same, second), (_again, half) in zip(
        built["Q1"].figures(), built["Q2"].figures(), built["H1"].figures(), strict=True
    ):
        if first.figure == MojReturnField.Figure.GRANT:
            assert first.value == second.value == half.value  # the year's grant, whatever the period
        elif first.is_rate:
            assert half.numerator == (first.numerator or 0) + (second.numerator or 0), first.label
            assert half.denominator == (first.denominator or 0) + (second.denominator or 0), first.label
        else:
            assert (half.value or 0) == (first.value or 0) + (second.value or 0), (section.title, first.label)
    for code in ("H1", "H2", "FY"):
        parts = {"H1": ("Q1", "Q2"), "H2": ("Q3", "Q4"), "FY": ("Q1", "Q2", "Q3", "Q4")}[code]
        for line in sel.MOJ_LINES:
            assert sel.spent(sel.period(2026, code))[line] == sum(
                sel.spent(sel.period(2026, q))[line] for q in parts
            )
    assert built["FY"].completeness.expected == sum(
        built[q].completeness.expected for q in ("Q1", "Q2", "Q3", "Q4")
    )


def test_spend_against_each_grant_line_is_its_part_of_each_pot_paid_in_the_period(setting):
    s = setting
    pay(s.outreach, "10000.05", date(2026, 5, 10))
    pay(s.helpline, "2500", date(2026, 6, 30))
    pay(s.advisers, "7000", date(2026, 8, 3))
    pay(s.cgs_grant, "4000", date(2026, 5, 10))  # a pot no grant line pays for
    pay(s.outreach, "999", date(2026, 7, 1))  # the next quarter
    ret = sel.build(sel.period(2026, "Q1"))
    victims_paid = D("10000.05") + D("2500")
    assert figure(ret, "spend", "Core grant spent in the period").value == (victims_paid * D("0.6")).quantize(
        D("0.01")
    )
    assert figure(ret, "spend", "General grant spent in the period").value == (
        victims_paid * D("0.2")
    ).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert figure(ret, "spend", "ISVA and IDVA grant (ring-fenced) spent in the period").value == D("0")
    assert figure(ret, "spend", "Core grant for the year").value == D("60000")
    assert figure(ret, "spend", "ISVA and IDVA grant (ring-fenced) for the year").value == D("50000")
    q2 = sel.build(sel.period(2026, "Q2"))
    assert figure(q2, "spend", "ISVA and IDVA grant (ring-fenced) spent in the period").value == D("7000")
    assert figure(q2, "spend", "Core grant spent in the period").value == (D("999") * D("0.6")).quantize(
        D("0.01")
    )


def _page_figures(page: str) -> dict:
    """{field id: the figure's text} as the page shows them."""
    import re

    found = {}
    for field_id, text in re.findall(r'data-field="(\d+)">.*?data-figure>([^<]*)<', page, re.S):
        found[int(field_id)] = text.strip()
    return found


def _xlsx_figures(content: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(content))["MoJ return"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return {
        (r[header.index("Section")], r[header.index("Field")]): dict(zip(header, r, strict=True))
        for r in rows[1:]
    }


def test_the_page_the_download_and_the_command_give_the_returns_totals(setting, client, world, tmp_path):
    s = setting
    pay(s.outreach, "10000.05", date(2026, 8, 10))
    sign_in(client, world.users[Role.PCC])
    page = client.get(PAGE, {"year": 2026, "period": "H1"}).content.decode()
    shown = _page_figures(page)
    referrals = field("victims-supported", "Referrals received")
    expected_referrals = count(s.counted, (1, 2), "Referrals received")
    assert shown[referrals.pk] == f"{expected_referrals:,.0f} referrals"
    numerator, denominator = rate(s.counted, (1, 2), COPE)
    assert shown[field("cope-and-recover", "Better able to cope and recover").pk] == (
        f"{numerator:,.0f} of {denominator:,.0f} service users "
        f"({(numerator / denominator * 100).quantize(D('0.1'), rounding=ROUND_HALF_UP)}%)"
    )
    assert shown[field("spend", "Core grant spent in the period").pk] == "£6,000.03"

    downloaded = client.get("/dashboard/moj-return/export.xlsx", {"year": 2026, "period": "H1"})
    assert downloaded["Content-Type"].startswith("application/vnd.openxmlformats")
    out = tmp_path / "moj.xlsx"
    call_command("moj_return", "--year", "2026", "--period", "H1", "--out", str(out), stdout=io.StringIO())
    for content in (downloaded.content, out.read_bytes()):
        rows = _xlsx_figures(content)
        assert (
            rows[("Victims referred and supported", "Referrals received")]["Count or amount"]
            == expected_referrals
        )
        cope = rows[("Needs-based outcomes", "Better able to cope and recover")]
        assert (cope["Numerator"], cope["Denominator"]) == (numerator, denominator)
        assert rows[("Spend against the Ministry of Justice grant", "Core grant spent in the period")][
            "Count or amount"
        ] == pytest.approx(6000.03)
        # Every figure the page shows is in the file, with the same value.
        ret = sel.build(sel.period(2026, "H1"))
        assert len(rows) == len(ret.figures()) == len(shown)
        for section, f in ret.figures():
            row = rows[(section.title, f.label)]
            if f.is_rate:
                assert (row["Numerator"], row["Denominator"]) == (f.numerator, f.denominator)
            else:
                assert row["Count or amount"] == (
                    pytest.approx(float(f.value)) if f.value is not None else None
                )
            assert shown[f.field_id] == f.text
    about = dict(load_workbook(io.BytesIO(downloaded.content))["Completeness"].iter_rows(values_only=True))
    assert (about["Returns expected"], about["Returns accepted"], about["Returns still missing"]) == (6, 4, 2)


def test_every_figure_links_to_the_returns_behind_it_and_the_list_adds_up_to_it(setting, client, world):
    s = setting
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    referrals = field("victims-supported", "Referrals received")
    page = client.get(PAGE, {"year": 2026, "period": "H1"}).content.decode()
    assert f'href="/dashboard/moj-return/fields/{referrals.pk}/?year=2026&amp;period=H1"' in page
    listed = client.get(f"/dashboard/moj-return/fields/{referrals.pk}/", {"year": 2026, "period": "H1"})
    body = listed.content.decode()
    total = count(s.counted, (1, 2), "Referrals received")
    assert f'data-total="total">{total:,.0f}<' in body
    for award in s.counted:
        assert f'href="/monitoring/returns/{the_return(award, 1).pk}/"' in body
    assert (
        f'href="/monitoring/returns/{the_return(s.helpline, 2).pk}/"' not in body
    )  # submitted, not accepted
    assert f'href="/monitoring/returns/{the_return(s.cgs_grant, 1).pk}/"' not in body  # not the Ministry's
    cope = field("cope-and-recover", "Better able to cope and recover")
    body = client.get(
        f"/dashboard/moj-return/fields/{cope.pk}/", {"year": 2026, "period": "Q1"}
    ).content.decode()
    numerator, denominator = rate(s.counted, (1,), COPE)
    assert (
        f'data-total="of them">{numerator:,.0f}<' in body
        and f'data-total="in all">{denominator:,.0f}<' in body
    )
    export = client.get(f"/dashboard/moj-return/fields/{cope.pk}/export.csv", {"year": 2026, "period": "Q1"})
    assert export.status_code == 200 and len(export.content.decode("utf-8-sig").strip().splitlines()) == 1 + 3


def test_the_spend_list_shows_the_payments_and_adds_up_to_the_figure(setting, client, world):
    s = setting
    pay(s.outreach, "10000.05", date(2026, 5, 10))
    pay(s.helpline, "2500", date(2026, 6, 30))
    pay(s.cgs_grant, "4000", date(2026, 5, 10))
    sign_in(client, world.users[Role.FINANCE_OFFICER])
    core = field("spend", "Core grant spent in the period")
    body = client.get(
        f"/dashboard/moj-return/fields/{core.pk}/", {"year": 2026, "period": "Q1"}
    ).content.decode()
    assert 'data-total="paid from these pots">£12,500.05<' in body
    assert "£7,500.03<" in body  # 60% of £12,500.05, as on the page
    assert "60.0%" in body and "Not MoJ-funded" not in body
    grant = field("spend", "Core grant for the year")
    body = client.get(
        f"/dashboard/moj-return/fields/{grant.pk}/", {"year": 2026, "period": "Q1"}
    ).content.decode()
    assert 'data-total="total">£60,000.00<' in body


def test_returns_still_missing_are_flagged_with_a_completeness_line(setting, client, world):
    s = setting
    sign_in(client, world.users[Role.AUDITOR])
    page = client.get(PAGE, {"year": 2026, "period": "Q2"}).content.decode()
    assert "1 of 3 returns accepted" in page
    assert "2 returns due for Q2 2026/27 have not been accepted" in page
    helpline, advisers = the_return(s.helpline, 2), the_return(s.advisers, 2)
    assert f'data-return="{helpline.pk}"' in page and f'data-return="{advisers.pk}"' in page
    assert f'data-return="{the_return(s.outreach, 2).pk}"' not in page
    # The advisers' return was never sent and is past its due date (30 October): overdue. The helpline's is with
    # the office.
    row = page.split(f'data-return="{advisers.pk}"')[1].split("</tr>")[0]
    assert "Overdue" in row
    assert "Overdue" not in page.split(f'data-return="{helpline.pk}"')[1].split("</tr>")[0]
    q1 = client.get(PAGE, {"year": 2026, "period": "Q1"}).content.decode()
    assert "3 of 3 returns accepted" in q1 and 'id="missing-returns"' not in q1


def test_the_missing_list_on_the_page_is_capped_and_the_full_list_has_them_all(
    setting, client, world, monkeypatch
):
    s = setting
    monkeypatch.setattr(sel, "MISSING_SHOWN", 1)
    sign_in(client, world.users[Role.PCC])
    page = client.get(PAGE, {"year": 2026, "period": "Q2"}).content.decode()
    table = page.split('id="missing-returns"')[1].split("</table>")[0]
    assert table.count("data-return=") == 1 and "The first 1 of 2" in table
    assert (
        'href="/dashboard/moj-return/missing/?year=2026&amp;period=Q2"' in page
        and "View all 2 returns" in page
    )
    full = client.get("/dashboard/moj-return/missing/", {"year": 2026, "period": "Q2"}).content.decode()
    for award in (s.helpline, s.advisers):
        assert f'href="/monitoring/returns/{the_return(award, 2).pk}/"' in full
    assert "2 rows" in full


def test_the_filters_ignore_what_they_do_not_offer(setting, client, world):
    sign_in(client, world.users[Role.PCC])
    page = client.get(PAGE, {"year": "1999", "period": "Q9"}).content.decode()
    # The current year (2026/27) and its last quarter to have ended (Q2 on 25 November).
    assert "Ministry of Justice return: Q2 2026/27" in page


def test_the_page_runs_the_same_queries_for_one_service_or_many(setting, client, world):
    from opcc.aggregates import new_version

    s = setting
    sign_in(client, world.users[Role.PCC])

    def queries():
        new_version()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(PAGE, {"year": 2026, "period": "H1"}).status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    few = queries()
    for i in range(6):
        award = monitored_award(
            world.organisation, pot=s.isva if i % 2 else s.victims, title=f"More {i}", amount="1000"
        )
        accepted(the_return(award, 1), s.provider, s.officer)
        pay(award, "100", date(2026, 5, 1))
    many = queries()
    assert len(many) == len(few), "\n".join(many)


# ---- Keeping the sections and fields ------------------------------------------------------------------


def test_a_field_mapped_to_nothing_or_to_a_position_taken_is_refused_and_nothing_saved(setting):
    section = MojReturnSection.objects.get(key="victims-supported")
    before = MojReturnField.objects.count()
    with pytest.raises(ValidationError) as caught:
        moj_service.save_field(
            field=MojReturnField(
                section=section, position=99, label="Repeat victims", figure=MojReturnField.Figure.INDICATOR
            )
        )
    assert "a field mapped to nothing cannot be reported" in caught.value.message_dict["indicator"][0]
    with pytest.raises(ValidationError) as caught:
        moj_service.save_field(
            field=MojReturnField(
                section=section, position=99, label="Spend", figure=MojReturnField.Figure.SPENT
            )
        )
    assert "Choose the Ministry of Justice grant line" in caught.value.message_dict["income_source"][0]
    taken = section.fields.order_by("position").first()
    indicator = OutcomeIndicator.objects.get(key="people-supported")
    with pytest.raises(ValidationError) as caught:
        moj_service.save_field(
            field=MojReturnField(
                section=section,
                position=taken.position,
                label="Again",
                figure=MojReturnField.Figure.INDICATOR,
                indicator=indicator,
            )
        )
    assert caught.value.message_dict["position"] == [
        f"Position {taken.position} in this section is already taken by ‘{taken.label}’: choose another"
    ]
    with pytest.raises(ValidationError) as caught:
        moj_service.save_field(
            field=MojReturnField(
                section=section,
                position=98,
                label="Both",
                figure=MojReturnField.Figure.INDICATOR,
                indicator=indicator,
                income_source=CORE,
            )
        )
    assert "income_source" in caught.value.message_dict
    assert MojReturnField.objects.count() == before
    other = MojReturnSection.objects.exclude(pk=section.pk).first()
    with pytest.raises(ValidationError) as caught:
        moj_service.save_section(section=MojReturnSection(key="new", title="New", position=other.position))
    assert f"already taken by the section ‘{other.title}’" in caught.value.message_dict["position"][0]
    saved = moj_service.save_field(
        field=MojReturnField(
            section=section,
            position=99,
            label="Repeat victims",
            figure=MojReturnField.Figure.INDICATOR,
            indicator=indicator,
        )
    )
    assert saved.pk and sel.build(sel.period(2026, "Q1")).figures()


def test_the_head_of_commissionings_settings_form_lists_every_problem(setting, client, world):
    section = MojReturnSection.objects.get(key="victims-supported")
    first = section.fields.order_by("position").first()
    sign_in(client, world.users[Role.HEAD_OF_COMMISSIONING])
    url = f"/admin/reporting/mojreturnsection/{section.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "key": section.key,
        "title": section.title,
        "position": section.position,
        "income_source": "",
        "description": section.description,
        "fields-TOTAL_FORMS": "1",
        "fields-INITIAL_FORMS": "0",
        "fields-MIN_NUM_FORMS": "0",
        "fields-MAX_NUM_FORMS": "1000",
        "fields-0-position": str(first.position),
        "fields-0-label": "Nothing",
        "fields-0-figure": "indicator",
        "fields-0-indicator": "",
        "fields-0-income_source": "",
        "fields-0-source_note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "a field mapped to nothing cannot be reported" in body
    assert f"is already taken by ‘{first.label}’" in body
    assert not MojReturnField.objects.filter(label="Nothing").exists()


def test_the_defaults_are_written_once_and_an_edit_is_kept():
    moj_defaults.ensure_defaults()
    section = MojReturnSection.objects.get(key="spend")
    section.title = "Grant spend"
    section.save()
    assert moj_defaults.ensure_defaults() == 0
    assert MojReturnSection.objects.get(key="spend").title == "Grant spend"
    assert MojReturnField.objects.filter(section__key="spend").count() == 6
    assert not MojReturnField.objects.filter(figure=MojReturnField.Figure.INDICATOR, confirmed=True).exists()


# ---- Which income pays for a pot ------------------------------------------------------------------------


def test_a_grant_line_cannot_pay_for_more_than_the_pot_or_than_the_year_receives(setting):
    s = setting
    with pytest.raises(ValidationError) as caught:
        allocation.set_pot_income(pot=s.victims, source=GENERAL, amount=D("40001"))
    assert caught.value.message_dict["amount"] == [
        "Victim services in 2026 to 2027 is allocated £100,000.00 and other income already pays for £60,000.00 of "
        "it: Ministry of Justice victims' services grant: general can pay for at most £40,000.00"
    ]
    with pytest.raises(ValidationError) as caught:
        allocation.set_pot_income(pot=s.cgs, source=CORE, amount=D("1"))
    assert caught.value.message_dict["amount"] == [
        "2026 to 2027 has £60,000.00 of Ministry of Justice victims' services grant: core, of which £60,000.00 "
        "already pays for other pots: £1.00 is £1.00 more than is left"
    ]
    assert PotIncome.objects.get(pot=s.victims, source=GENERAL).amount == D("20000")
    assert not PotIncome.objects.filter(pot=s.cgs).exists()
    allocation.set_pot_income(pot=s.victims, source=GENERAL, amount=D("0"))
    assert not PotIncome.objects.filter(pot=s.victims, source=GENERAL).exists()


def test_the_settings_site_refuses_income_beyond_the_pot_and_saves_what_fits(setting, client, world):
    s = setting
    sign_in(client, world.users[Role.COMMISSIONING_OFFICER])
    response = client.post(
        "/admin/funding/potincome/add/", {"pot": s.cgs.pk, "source": ISVA, "amount": "60000"}
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "CGS in 2026 to 2027 is allocated £50,000.00" in body
    assert not PotIncome.objects.filter(pot=s.cgs).exists()
    IncomeLineFactory(year=s.cgs.year, source=ISVA, amount=D("10000"))
    response = client.post(
        "/admin/funding/potincome/add/", {"pot": s.cgs.pk, "source": ISVA, "amount": "10000"}
    )
    assert response.status_code == 302
    assert PotIncome.objects.get(pot=s.cgs, source=ISVA).amount == D("10000")


def test_a_grant_line_with_income_and_no_pot_is_pointed_out(setting, client, world):
    PotIncome.objects.filter(source=GENERAL).delete()
    sign_in(client, world.users[Role.PCC])
    page = html.unescape(client.get(PAGE, {"year": 2026, "period": "Q1"}).content.decode())
    assert (
        "has income from the Ministry of Justice victims' services grant: general, but no pot is recorded as "
        "paid for by it"
    ) in page


# ---- The command ---------------------------------------------------------------------------------------


def test_the_command_refuses_a_period_or_year_it_does_not_know(setting, tmp_path):
    out = str(tmp_path / "r.xlsx")
    with pytest.raises(CommandError, match="Choose the period as one of Q1, Q2, Q3, Q4, H1, H2, FY, not Q5"):
        call_command("moj_return", "--year", "2026", "--period", "Q5", "--out", out)
    with pytest.raises(CommandError, match="There is no financial year 2019/20"):
        call_command("moj_return", "--year", "2019", "--period", "Q1", "--out", out)
    with pytest.raises(CommandError, match="must end in .xlsx"):
        call_command("moj_return", "--year", "2026", "--period", "Q1", "--out", str(tmp_path / "r.csv"))
    written = io.StringIO()
    call_command("moj_return", "--year", "2026", "--period", "q2", "--out", out, stdout=written)
    assert "1 of 3 returns accepted for Q2 2026/27, 2 still missing" in written.getvalue()
    missing = list(load_workbook(out)["Returns still missing"].iter_rows(values_only=True))[1:]
    assert sorted(r[0] for r in missing) == sorted(
        [s.reference for s in (setting.helpline, setting.advisers)]
    )


def test_a_year_with_no_grant_line_recorded_reports_nothing_and_says_so(db):
    moj_defaults.ensure_defaults()
    year = victims_pot().year
    IncomeLineFactory(year=year, source=CORE, amount=D("1000"))
    ret = sel.build(sel.period(2026, "FY"))
    assert ret.completeness.expected == 0
    assert all(
        f.value in (None, D("0")) for _s, f in ret.figures() if f.figure != MojReturnField.Figure.GRANT
    )
    assert ret.lines_without_pots == ["Ministry of Justice victims' services grant: core"]
