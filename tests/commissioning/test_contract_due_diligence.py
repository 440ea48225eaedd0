"""A contract is not recorded with an organisation whose due diligence is missing or expired."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import Contract
from funding.models import Award
from opcc.models import BankAccount, Evidence
from tests.commissioning import factories as f


def test_a_contract_with_an_organisation_whose_checks_lapsed_is_refused_with_the_list(world, pots):
    c, org = f.decided_tender(world)
    Evidence.objects.filter(organisation=org, kind="accounts").update(
        expires_on=timezone.localdate() - timedelta(days=3)
    )
    BankAccount.objects.filter(organisation=org).delete()
    with pytest.raises(ValidationError) as refused:
        f.contract_for(world, c, pots[2026])
    message = " ".join(refused.value.messages)
    assert "Latest accounts and income: expired on" in message
    assert "Bank details verified: missing" in message
    assert not Contract.objects.exists() and not Award.objects.exists()
