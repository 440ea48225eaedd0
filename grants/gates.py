"""The guards of the grants lifecycle that are not about an application's status, as named functions.

Each is at once a transition's condition (grants.models), a check the services make after they lock the
row, and what a page asks before it offers a link, so a page never offers what the service would refuse.
"""

from grants.models import Application, ConflictDeclaration


def decided_by_area(application: Application) -> bool:
    """An LPCAF bid: the area's community ambassador and commander decide it, and the office does not assess it."""
    return application.round.scheme.decided_by_area


def assessed_by_office(application: Application) -> bool:
    """The office assesses every application except those decided by the area."""
    return not decided_by_area(application)


def ready_for_decision(application: Application) -> bool:
    """The office page offers a decision once the assessment has started; an area's deciders decide the bid as
    submitted."""
    return decided_by_area(application) or application.status == Application.Status.IN_ASSESSMENT


def needs_higher_authority(application: Application, user) -> bool:
    """The application waits for a decision above this person's delegated authority."""
    return (
        application.status == Application.Status.IN_ASSESSMENT
        and assessed_by_office(application)
        and not user.has_perm("grants.decide_application", application)
    )


def assessment_open(application: Application) -> bool:
    """The assessment and the assessors' scores can change: the application is in assessment."""
    return application.status == Application.Status.IN_ASSESSMENT


def declared_no_conflict(application: Application, user) -> bool:
    """The assessor has declared their interests and has none in this application: they may score it."""
    declaration = ConflictDeclaration.objects.filter(application=application, assessor=user).first()
    return declaration is not None and not declaration.conflict


def may_remove_attachment(application: Application, document) -> bool:
    """A document can be removed until the office has it: while a draft, or (when the office has asked for more
    information) if it was added since the application was sent."""
    if application.status == Application.Status.DRAFT:
        return True
    return (
        application.status == Application.Status.MORE_INFORMATION
        and application.submitted_at is not None
        and document.uploaded_at > application.submitted_at
    )
