from opcc.models import Role
from tests.permissions import OFFICE, OFFICERS, OTHER_PROVIDER, only


def setup(world):
    from datetime import date

    from reporting.models import GrantVisit
    from tests.reporting.factories import monitored_award, submitted, the_return

    provider = world.users[Role.PROVIDER]
    world.monitored = monitored_award(world.organisation, title="Monitored service")
    world.open_return = the_return(world.monitored, 2)
    world.submitted_return = submitted(the_return(world.monitored, 1), provider)
    world.visit = GrantVisit.objects.create(award=world.monitored, scheduled_for=date(2026, 12, 3))


MATRIX = {
    "reporting:returns": (lambda w: {}, only(OFFICE)),
    "reporting:my-returns": (lambda w: {}, only({Role.PROVIDER, OTHER_PROVIDER})),
    "reporting:return": (
        lambda w: {"pk": w.open_return.pk},
        only(OFFICE | {Role.PROVIDER}, **{OTHER_PROVIDER: 404}),
    ),
    "reporting:return-review": (
        lambda w: {"pk": w.submitted_return.pk},
        only(OFFICERS, **{OTHER_PROVIDER: 404}),
    ),
    "reporting:award": (lambda w: {"pk": w.monitored.pk}, only(OFFICE)),
    "reporting:visit-schedule": (lambda w: {"pk": w.monitored.pk}, only(OFFICERS)),
    "reporting:visit-record-past": (lambda w: {"pk": w.monitored.pk}, only(OFFICERS)),
    "reporting:visit-record": (lambda w: {"pk": w.monitored.pk, "visit_pk": w.visit.pk}, only(OFFICERS)),
    "reporting:award-tier": (lambda w: {"pk": w.monitored.pk}, only(OFFICERS)),
    "reporting:annual-review": (lambda w: {"pk": w.monitored.pk}, only(OFFICERS)),
    "reporting:visits-reviews-due": (lambda w: {}, only(OFFICE)),
}
