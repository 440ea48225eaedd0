"""The performance assessment of a contract over £5 million starts from the key performance indicators its
contract details notice set out, until an assessment has been recorded."""

from decimal import Decimal

from commissioning import gates
from commissioning.models import ContractKPI
from commissioning.services import performance as performance_services
from tests.commissioning import factories as f

D = Decimal


def test_the_first_assessment_starts_from_the_contracts_kpis(world, pots):
    c = f.direct_award_in_review(world, pots)
    contract = gates.current_contract(c)
    assert performance_services.last_kpis(contract) == []
    for name in ("Referrals seen within 5 days", "Safety improved", "Satisfaction"):
        ContractKPI.objects.create(contract=contract, name=name, target="90%")
    assert performance_services.last_kpis(contract) == [
        "Referrals seen within 5 days",
        "Safety improved",
        "Satisfaction",
    ]
