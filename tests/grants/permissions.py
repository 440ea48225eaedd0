from opcc.models import Role
from tests.permissions import AREA_DECIDERS, OFFICE, OFFICERS, OTHER_PROVIDER, REDIRECT, expect, only

PROVIDERS = {Role.PROVIDER, OTHER_PROVIDER}
HIDDEN = {OTHER_PROVIDER: 404, "community_ambassador": 404, "area_commander": 404}


def setup(world):
    from grants.models import Application, Round, Scheme, SchemeKind
    from grants.services import assessment as assessment_services
    from tests.grants.factories import approved, cgs_round, draft, lpcaf_round, offered, submitted

    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    pot = None
    from funding.models import Pot

    pot = Pot.objects.filter(key="cgs", year__start_year=2026).first()
    if pot is not None:
        from decimal import Decimal

        Pot.objects.filter(pk=pot.pk).update(allocated=Decimal("200000"))
        pot.refresh_from_db()
    world.grant_round = cgs_round(pot=pot)
    world.grant_assessing = assessment_services.start_assessment(
        application=submitted(world.grant_round, provider, amount="2000"), by=officer
    )
    world.grant_approved = approved(world.grant_round, provider, officer, amount="3000")
    world.grant_offered = offered(world.grant_round, provider, officer, amount="4000")
    # Last: an organisation has one draft per round, which each of the above continued and submitted.
    world.grant_draft = draft(world.grant_round, provider, amount="1000")
    # A bid in the other area: the deciders of area one must not even learn it exists.
    bid_round = lpcaf_round(world.grant_round.year, areas=[world.other_area])
    world.other_area_bid = submitted(bid_round, world.other_provider, amount="900", area=world.other_area)
    csp_round = Round.objects.create(
        scheme=Scheme.objects.get(kind=SchemeKind.CSP),
        year=world.grant_round.year,
        name="CSP grants",
        summary="Plans",
        eligibility="CSPs",
        opens_at=world.grant_round.opens_at,
        closes_at=world.grant_round.closes_at,
        max_award=5000,
    )
    world.csp_draft = Application.objects.create(
        round=csp_round, organisation=world.organisation, reference="GA26-9999", created_by=provider
    )
    variations_setup(world, pot)


def variations_setup(world, pot):
    """Two active grants of the provider's organisation: one with a variation waiting for a decision (within an
    officer's limit), one whose variation letter waits for the provider."""
    from datetime import timedelta

    from django.utils import timezone

    from grants.services import variations as variation_services
    from tests.funding.factories import PotFactory, approved_year
    from tests.funding.factories import award as make_award

    provider, officer = world.users[Role.PROVIDER], world.users[Role.COMMISSIONING_OFFICER]
    pot = pot or PotFactory(year=approved_year(2026), key="cgs", allocated=200000)
    world.variation_award = make_award(organisation=world.organisation, pot=pot, amount="9000", by=officer)
    world.variation_requested = variation_services.start_variation(
        award=world.variation_award, by=provider, reason="More referrals", new_amount=10000
    )
    sent_award = make_award(organisation=world.organisation, pot=pot, amount="8000", by=officer)
    world.variation_sent = variation_services.decide_variation(
        variation=variation_services.start_variation(
            award=sent_award, by=officer, reason="Less needed", new_amount=7000
        ),
        by=officer,
        decision="approve",
        note="Agreed",
        accept_by=timezone.localdate() + timedelta(days=10),
    )


def _draft(w):
    return {"pk": w.grant_draft.pk}


def _assessing(w):
    return {"pk": w.grant_assessing.pk}


APPLICANT_ONLY = only({Role.PROVIDER}, status_out=403, **HIDDEN)

MATRIX = {
    "grants:index": (lambda w: {}, only(OFFICE)),
    "grants:round-create": (lambda w: {}, only(OFFICERS)),
    "grants:round": (lambda w: {"pk": w.grant_round.pk}, only(OFFICE)),
    "grants:round-edit": (lambda w: {"pk": w.grant_round.pk}, only(OFFICERS)),
    "grants:round-letters": (lambda w: {"pk": w.grant_round.pk}, only(OFFICERS)),
    "grants:letter-template": (lambda w: {}, only(OFFICERS)),
    "grants:letter-template-preview": (lambda w: {}, only(OFFICERS)),
    "grants:register": (lambda w: {}, expect(REDIRECT, anonymous=200)),
    "grants:register-sent": (lambda w: {}, expect(REDIRECT, anonymous=200)),
    "grants:apply": (lambda w: {}, only(PROVIDERS)),
    "grants:start": (lambda w: {"round_pk": w.grant_round.pk}, only(PROVIDERS)),
    "grants:mine": (lambda w: {}, only(PROVIDERS)),
    "grants:application": (_assessing, only(OFFICE | {Role.PROVIDER}, **HIDDEN)),
    "grants:section": (lambda w: {"pk": w.grant_draft.pk, "slug": "budget"}, APPLICANT_ONLY),
    "grants:plan": (lambda w: {"pk": w.csp_draft.pk}, APPLICANT_ONLY),
    "grants:attachments": (_draft, APPLICANT_ONLY),
    "grants:submit": (_draft, APPLICANT_ONLY),
    "grants:withdraw": (_draft, APPLICANT_ONLY),
    "grants:delete": (_draft, APPLICANT_ONLY),
    # The confirmation after submitting: the applicant's own; a draft is sent back to its page.
    "grants:submitted": (_assessing, APPLICANT_ONLY),
    "grants:offer-letter": (lambda w: {"pk": w.grant_offered.pk}, only(OFFICE | {Role.PROVIDER}, **HIDDEN)),
    "grants:accept": (lambda w: {"pk": w.grant_offered.pk}, APPLICANT_ONLY),
    "grants:conflict": (_assessing, only(OFFICERS, **HIDDEN)),
    # Scoring waits for the declaration of interests: officers are sent to declare first.
    "grants:score": (_assessing, only(OFFICERS, status_in=REDIRECT, **HIDDEN)),
    "grants:assessment": (_assessing, only(OFFICERS, **HIDDEN)),
    "grants:action": (
        lambda w: {"pk": w.grant_assessing.pk, "name": "request_information"},
        only(OFFICERS, **HIDDEN),
    ),
    "grants:decide": (_assessing, only(OFFICERS | {Role.PCC}, **HIDDEN)),
    # POST only; who may decide which area's bids is tested in tests/grants/test_lpcaf.py.
    "grants:area-decision": (lambda w: {"pk": w.other_area_bid.pk}, expect(405)),
    "grants:offer": (lambda w: {"pk": w.grant_approved.pk}, only(OFFICERS, **HIDDEN)),
    "grants:area-bids": (lambda w: {}, only(AREA_DECIDERS)),
    "grants:decisions": (lambda w: {}, only(OFFICERS | {Role.PCC})),
    # Variations: the provider for its own organisation's grants only; deciders per the delegation of the new total.
    "grants:award-variations": (
        lambda w: {"award_pk": w.variation_award.pk},
        only(OFFICE | {Role.PROVIDER}, **HIDDEN),
    ),
    "grants:variation-new": (
        lambda w: {"award_pk": w.variation_award.pk},
        only(OFFICERS | {Role.PROVIDER}, **HIDDEN),
    ),
    "grants:variations": (lambda w: {}, only(OFFICERS | {Role.PCC})),
    "grants:variation": (
        lambda w: {"pk": w.variation_requested.pk},
        only(OFFICE | {Role.PROVIDER}, **HIDDEN),
    ),
    "grants:variation-decide": (
        lambda w: {"pk": w.variation_requested.pk},
        only(OFFICERS | {Role.PCC}, **HIDDEN),
    ),
    "grants:variation-letter": (
        lambda w: {"pk": w.variation_sent.pk},
        only(OFFICE | {Role.PROVIDER}, **HIDDEN),
    ),
    "grants:variation-accept": (lambda w: {"pk": w.variation_sent.pk}, APPLICANT_ONLY),
    "grants:variation-withdraw": (
        lambda w: {"pk": w.variation_requested.pk},
        only(OFFICERS | {Role.PROVIDER}, **HIDDEN),
    ),
}
