from decimal import Decimal

from opcc.models import Role
from tests.permissions import OFFICE, OFFICERS, OTHER_PROVIDER, REDIRECT, only

FINANCE = {Role.FINANCE_OFFICER}
MANAGERS = OFFICERS | FINANCE


def setup(world):
    from tests.funding.factories import IncomeLineFactory, PotFactory, YearFactory, approved_year, award

    world.year = approved_year(2026)
    world.pot = PotFactory(year=world.year, key="cgs", allocated=Decimal("10000"))
    world.award = award(organisation=world.organisation, pot=world.pot, amount="1000")
    world.income_line = world.year.income_lines.first()
    world.draft_year = YearFactory(start_year=2027)
    IncomeLineFactory(year=world.draft_year, amount=Decimal("1000"))
    world.indicative_year = YearFactory(start_year=2028, status="indicative")


MATRIX = {
    "funding:index": (lambda w: {}, only(OFFICE, status_in=REDIRECT)),
    "funding:new-year": (lambda w: {}, only(FINANCE)),
    "funding:awards": (lambda w: {}, only(OFFICE)),
    # Everyone in the office may read what is due; only finance is offered to pay it (tests/funding/test_payments.py).
    "funding:payments-due": (lambda w: {}, only(OFFICE)),
    "funding:award-create": (lambda w: {}, only(MANAGERS)),
    "funding:awards-export": (lambda w: {"fmt": "csv"}, only(OFFICE)),
    "funding:award": (lambda w: {"pk": w.award.pk}, only(OFFICE | {Role.PROVIDER}, **{OTHER_PROVIDER: 404})),
    "funding:payment-create": (lambda w: {"pk": w.award.pk}, only(FINANCE)),
    "funding:award-transition": (
        lambda w: {"pk": w.award.pk, "action": "complete"},
        only(MANAGERS, **{OTHER_PROVIDER: 404}),
    ),
    "funding:overview": (lambda w: {"start_year": 2026}, only(OFFICE)),
    "funding:year-export": (lambda w: {"start_year": 2026, "fmt": "xlsx"}, only(OFFICE)),
    "funding:income-create": (lambda w: {"start_year": 2026}, only(FINANCE)),
    "funding:income-edit": (lambda w: {"start_year": 2026, "pk": w.income_line.pk}, only(FINANCE)),
    "funding:allocation": (lambda w: {"start_year": 2027}, only(FINANCE)),
    "funding:approve": (lambda w: {"start_year": 2027}, only({Role.PCC})),
    "funding:variation": (lambda w: {"start_year": 2026}, only(FINANCE)),
    "funding:pot": (lambda w: {"start_year": 2026, "key": "cgs"}, only(OFFICE)),
    # The medium-term financial plan: everyone in the office reads it; finance adds years and makes them drafts.
    "funding:years-ahead": (lambda w: {}, only(OFFICE)),
    "funding:years-ahead-add": (lambda w: {}, only(FINANCE)),
    "funding:make-draft": (lambda w: {"start_year": 2028}, only(FINANCE)),
    # Moving an award's money between years: finance only (the award's own provider is refused, others not told).
    "funding:award-reprofile": (lambda w: {"pk": w.award.pk}, only(FINANCE, **{OTHER_PROVIDER: 404})),
}
