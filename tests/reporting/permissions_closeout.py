"""Final reports: the award's own provider reads and fills in its report (another organisation's is a 404); the
office reads them all; officers review."""

from opcc.models import Role
from tests.permissions import OFFICE, OFFICERS, OTHER_PROVIDER, only


def setup(world):
    from tests.grants.closeout_factories import paid_grant, submitted

    award = paid_grant(world, title="Ended grant for the matrix")
    world.final_report = submitted(world, award)


def _report(w):
    return {"pk": w.final_report.pk}


MATRIX = {
    "reporting:final-reports": (lambda w: {}, only(OFFICE)),
    "reporting:my-final-reports": (lambda w: {}, only({Role.PROVIDER, OTHER_PROVIDER})),
    "reporting:final-report": (_report, only(OFFICE | {Role.PROVIDER}, **{OTHER_PROVIDER: 404})),
    "reporting:final-report-review": (_report, only(OFFICERS, **{OTHER_PROVIDER: 404})),
}
