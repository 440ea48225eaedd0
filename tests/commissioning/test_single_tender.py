"""Single tender agreements above the threshold are direct awards (Procurement Act 2023 s.41, Schedule 5, s.44)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning import gates
from commissioning.forms.procurement import SingleTenderForm
from commissioning.models import Notice, NoticeKind, Route, SingleTenderAgreement
from commissioning.services import decisions as decision_services
from commissioning.services import notices as notice_services
from commissioning.services import procurement as procurement_services
from commissioning.services import single_tender as single_tender_services
from opcc.models import Role
from tests.commissioning import act_factories as act
from tests.commissioning import factories as f

D = Decimal


def _in_do_single_tender(world, value):
    officer = f.officer_of(world)
    c = f.in_do(world, estimated_annual_value=(value / 3).quantize(D("0.01")), estimated_total_value=value)
    procurement_services.choose_route(commission=c, route=Route.SINGLE_TENDER, reason="Only one", by=officer)
    return c


def _save(world, c, *, ground, value, schedule5=""):
    return single_tender_services.save_single_tender(
        commission=c,
        organisation=world.other_organisation,
        ground=ground,
        schedule5=schedule5,
        value=value,
        justification="Survivors mid-way through support",
        by=f.officer_of(world),
    )


def test_continuity_alone_is_refused_above_the_threshold_and_nothing_is_saved(world):
    c = _in_do_single_tender(world, D("250000"))
    with pytest.raises(ValidationError) as exc:
        _save(world, c, ground="b", value=D("250000"))
    assert "not on its own a lawful reason" in exc.value.message_dict["schedule5"][0]
    assert not SingleTenderAgreement.objects.exists()
    assert not Notice.objects.exists()


def test_continuity_with_a_schedule_5_justification_is_accepted_above_the_threshold(world):
    c = _in_do_single_tender(world, D("250000"))
    sta = _save(world, c, ground="b", value=D("250000"), schedule5="7")
    assert sta.schedule5 == "7"
    assert sta.get_schedule5_display().startswith("Paragraph 7: additional or repeat services")


def test_technical_reasons_are_paragraph_6(world):
    c = _in_do_single_tender(world, D("250000"))
    assert _save(world, c, ground="a", value=D("250000")).schedule5 == "6"


def test_below_the_threshold_no_justification_or_notice_is_needed(world):
    c = _in_do_single_tender(world, D("96000"))
    sta = _save(world, c, ground="b", value=D("96000"), schedule5="7")
    assert sta.schedule5 == ""
    assert not Notice.objects.exists()


def test_the_light_touch_threshold_applies_to_light_touch_services(world):
    officer = f.officer_of(world)
    c = f.in_do(
        world, estimated_annual_value=D("100000"), estimated_total_value=D("300000"), light_touch=True
    )
    procurement_services.choose_route(commission=c, route=Route.SINGLE_TENDER, reason="Only one", by=officer)
    assert _save(world, c, ground="b", value=D("300000")).schedule5 == ""


def test_the_transparency_notice_must_be_published_before_the_award_decision(world):
    c = _in_do_single_tender(world, D("250000"))
    _save(world, c, ground="a", value=D("250000"))
    notice = Notice.objects.get(kind=NoticeKind.TRANSPARENCY)
    assert notice.procurement == gates.current_procurement(c)
    single_tender_services.sign_single_tender(commission=c, by=world.users[Role.HEAD_OF_COMMISSIONING])
    single_tender_services.sign_single_tender(commission=c, by=world.users[Role.PCC])
    gaps = gates.decision_gaps(c)
    assert any("Publish the transparency notice" in gap for gap in gaps)

    def decide():
        return decision_services.record_decision(
            commission=c,
            organisation=world.other_organisation,
            value=D("250000"),
            rationale="Direct award",
            decision_record="PCC/1",
            by=world.users[Role.PCC],
        )

    with pytest.raises(ValidationError) as exc:
        decide()
    assert "transparency notice" in str(exc.value)
    # A covered direct award: the conflicts assessment and the supplier's exclusion check come first too.
    act.import_list(world, f.NOBODY_WE_FUND)
    act.prepared(world, c)
    act.clean_check(world, c, world.other_organisation)
    notice_services.record_publication(
        notice=notice, identifier="012345-2026", published_on=date(2026, 11, 2), by=f.officer_of(world)
    )
    assert gates.decision_gaps(c) == []
    assert decide().value == D("250000")


def test_the_form_says_continuity_is_not_enough_and_lists_every_error_at_once(world):
    form = SingleTenderForm(
        {
            "organisation": str(world.other_organisation.pk),
            "ground": "b",
            "value": "250000",
            "justification": "",
        }
    )
    assert not form.is_valid()
    assert "not on its own a lawful reason" in form.errors["schedule5"][0]
    assert form.errors["justification"] == ["Enter the written justification"]
    assert "Continuity of supply, ground (b), is not on its own a justification" in str(
        form.fields["schedule5"].help_text
    )
