"""What the commissioning demo's stories share: who tells them, on which day, and the steps every commission goes
through (its needs assessment, its plan, a contract recorded from the register)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.models import (
    Commission,
    Contract,
    OutcomeMeasure,
    Procurement,
    Route,
)
from commissioning.services import commissions as commission_services
from funding.models import Stream
from opcc.calendar import financial_year_of, year_start
from opcc.demo import demo_email, demo_objectives
from opcc.demo_utils import demo_today
from opcc.models import Organisation, User
from opcc.services.documents import PDF, store_bytes
from opcc.services.transitions import record_transition

D = Decimal
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def org(name):
    return Organisation.objects.get(name=name)


def attach_pdf(obj, title, purpose, by):
    store_bytes(
        data=DEMO_PDF,
        kind=PDF,
        original_name=f"{title.lower().replace(' ', '-')}.pdf",
        attached_to=obj,
        by=by,
        purpose=purpose,
        title=title,
    )


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def understand(c, by, **extra):
    fy = financial_year_of(demo_today())
    attach_pdf(c, f"{c.title}: needs assessment {fy}", "needs_assessment", by)
    values = {
        "engagement_evidence": "Survey of 212 service users; two partner workshops (councils, health, probation); "
        "the Victims' Board.",
        "outcomes_sought": "Victims are better able to cope and recover; fewer repeat referrals.",
        "existing_provision": "Checked the live awards listed: no service covers this need across West Mercia; the "
        "outreach contracts refer into it rather than duplicate it.",
        "partners_direction": f"Both county councils' domestic abuse strategies {fy - 1}-{str(fy + 2)[-2:]} and the ICB's "
        "trauma-informed plan.",
        "co_dependencies": "Referrals from the Victim Advice Line, IDVAs, MARAC and children's services.",
        "pooled_budget": f"Worcestershire County Council could pool from {fy + 1}; agreed to revisit at the next review.",
    }
    values.update(extra)
    return commission_services.update_commission(commission=c, values=values, by=by)


def plan(c, by, *, annual, total, measures=None):
    c = commission_services.update_commission(
        commission=c,
        by=by,
        values={
            "coverage": "west_mercia",
            "co_commissioning": "No partner can pool money this year; the councils fund "
            "related support directly.",
            "co_design": "Co-designed with a panel of eight service users and the providers' forum.",
            "pin_where": "Blue Light e-tendering portal",
            "pin_published_on": demo_today() - timedelta(days=204),
            "pin_reference": f"PIN-{c.reference}",
            "estimated_annual_value": annual,
            "estimated_total_value": total,
        },
    )
    for name, kind, target, unit, star in measures or [
        ("Referrals received", OutcomeMeasure.Kind.COUNT, D("45"), "referrals", ""),
        ("Service users better able to cope and recover", OutcomeMeasure.Kind.PERCENTAGE, D("80"), "%", ""),
        ("Outcomes Star: progress", OutcomeMeasure.Kind.STAR, D("1"), "points", "Empowerment Star"),
    ]:
        commission_services.add_measure(
            commission=c, by=by, name=name, kind=kind, quarterly_target=target, unit=unit, star_name=star
        )
    return c


def move(c, names, by):
    for name in names:
        c = commission_services.transition(commission=c, name=name, by=by, note="")
    return c


def existing_contract(c, award, *, pattern, notice, signed, route=Route.TENDER):
    """A contract let before this system: its award already exists in funding."""
    procurement = Procurement.objects.create(
        commission=c,
        cycle=1,
        route=route,
        required_route=route,
        value=award.amount,
        route_reason="Let before this system; recorded from the contract register.",
    )
    years = int(pattern.split("+")[0])
    return Contract.objects.create(
        procurement=procurement,
        award=award,
        organisation=award.organisation,
        annual_value=(award.amount / years).quantize(D("1")),
        total_value=award.amount,
        start_date=award.start_date,
        initial_term_years=years,
        extension_pattern=pattern,
        break_notice_months=notice,
        signed_on=signed,
    )


def record_history(c, steps, by):
    """Timeline entries for a commission recorded part way through its cycle."""
    for day, source, target, note in steps:
        entry = record_transition(
            c, transition="recorded", from_state=source, to_state=target, by=by, note=note
        )
        entry.at = timezone.make_aware(datetime.combine(day, time(10, 0)))
        entry.save(update_fields=["at"])


# The Safer West Mercia Plan objectives each demo commission serves (opcc/demo.py's keys).
COMMISSION_OBJECTIVES = {
    "Domestic abuse perpetrator programme": ("victims-specialist", "secure-violence"),
    "Victim Advice Line": ("victims-advice", "victims-cope"),
    "ISVA service for children and young people": ("victims-specialist", "secure-violence"),
    "Modern slavery victim navigator": ("victims-cope", "reform-partners"),
    "Stalking advocacy service": ("victims-specialist", "victims-cope"),  # then left untagged: see load()
    "Translated information for victims": ("victims-advice", "reform-outcomes"),
    "Domestic abuse outreach in North and South Worcestershire": ("victims-specialist", "victims-cope"),
    "Domestic abuse support in Herefordshire": ("victims-specialist", "victims-cope"),
    "IDVA service in Shropshire and Telford": ("victims-specialist", "secure-violence"),
    "Sexual violence support hub": ("victims-specialist", "victims-cope"),
    "Victims' information website and referral portal": ("victims-advice", "reform-partners"),
    "Domestic abuse advisers in hospital emergency departments": ("victims-specialist", "victims-cope"),
    "Case management system for victim services": ("victims-advice", "reform-partners"),
}


@dataclass(frozen=True)
class Cast:
    """The demo's staff and the day its story is told from (the day it is, or was first, loaded)."""

    officer: User
    officer2: User
    head: User
    evaluator: User
    evaluator2: User
    today: date

    @classmethod
    def load(cls) -> "Cast":
        people = {
            name: User.objects.get(email=demo_email(name))
            for name in ("officer", "officer2", "head", "evaluator", "evaluator2")
        }
        return cls(**people, today=demo_today())

    @property
    def fy(self) -> int:
        return financial_year_of(self.today)

    @property
    def contracts_start(self) -> date:
        """The funding demo's 3+1 victim services contracts began then (April of FY-2), ending with this year."""
        return year_start(self.fy - 2)

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def new(self, title: str, summary: str, by: User | None = None) -> Commission:
        by = by or self.officer
        return commission_services.create_commission(
            title=title,
            summary=summary,
            stream=Stream.VICTIM_SERVICES,
            officer=by,
            by=by,
            objectives=demo_objectives(*COMMISSION_OBJECTIVES[title]),
        )
