"""Who may decide how much: one model (funding.DelegationLevel) for grants and contract awards."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from funding import delegation
from funding.models import DecisionKind, DelegationLevel


@pytest.fixture
def levels(db):
    delegation.ensure()
    return DelegationLevel.objects.all()


def test_the_defaults_give_each_deciding_role_a_level_for_grants_and_for_contract_awards(levels):
    by_kind = {
        kind: [(level.role, level.up_to) for level in levels.filter(decides=kind)] for kind in DecisionKind
    }
    assert by_kind[DecisionKind.GRANT] == [
        ("commissioning_officer", Decimal("25000")),
        ("head_of_commissioning", Decimal("100000")),
        ("pcc", None),
    ]
    assert by_kind[DecisionKind.CONTRACT] == [
        ("commissioning_officer", Decimal("100000")),
        ("head_of_commissioning", Decimal("500000")),
        ("pcc", None),
    ]


def test_writing_the_defaults_again_keeps_the_offices_edits(levels):
    DelegationLevel.objects.filter(decides=DecisionKind.GRANT, role="commissioning_officer").update(
        up_to=30000
    )
    assert delegation.ensure() == 0
    assert DelegationLevel.for_role(DecisionKind.GRANT, "commissioning_officer").up_to == Decimal("30000")


@pytest.mark.parametrize(
    "kind, amount, role",
    [
        (DecisionKind.GRANT, "25000", "commissioning_officer"),
        (DecisionKind.GRANT, "25000.01", "head_of_commissioning"),
        (DecisionKind.GRANT, "100001", "pcc"),
        (DecisionKind.CONTRACT, "100000", "commissioning_officer"),
        (DecisionKind.CONTRACT, "150000", "head_of_commissioning"),
        (DecisionKind.CONTRACT, "500000.01", "pcc"),
    ],
)
def test_the_level_a_value_needs_is_the_lowest_that_covers_it(levels, kind, amount, role):
    assert DelegationLevel.needed_for(kind, Decimal(amount)).role == role


def test_no_level_covers_a_value_above_every_limit(levels):
    DelegationLevel.objects.filter(decides=DecisionKind.GRANT, role="pcc").update(up_to=1000000)
    assert DelegationLevel.needed_for(DecisionKind.GRANT, Decimal("1000000.01")) is None


def test_the_database_refuses_a_second_level_for_the_same_role_and_kind_or_a_negative_limit(levels):
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationLevel.objects.create(decides=DecisionKind.GRANT, role="pcc", label="Again")
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationLevel.objects.filter(decides=DecisionKind.GRANT, role="pcc").update(up_to=-1)
