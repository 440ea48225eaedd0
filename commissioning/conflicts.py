"""Reads for the Procurement Act's conflicts assessment (ss.81–83): who takes part or influences a decision, what
each has declared, and what the assessment still needs. Which procurements the Act's duties reach is here too.

The evaluation panel's declarations are the panel's own records (`PanelMember`, `Declaration`): a member who
declares a conflict with a bidder never sees or scores that bid, which is the mitigation the assessment shows.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from commissioning.models import (
    ConflictDeclaration,
    ConflictsAssessment,
    DecisionRole,
    Declaration,
    Procurement,
    Route,
)
from opcc.models import Role, User

# The Procurement Act 2023 and the Procurement Regulations 2024 govern procurements started on or after this day.
ACT_COMMENCED = date(2025, 2, 24)


def under_the_act(procurement: Procurement) -> bool:
    return timezone.localdate(procurement.chosen_at) >= ACT_COMMENCED


def is_covered(procurement: Procurement) -> bool:
    """A covered procurement under the Act: started under it, and its value reaches the regulated threshold (or the
    office runs it as regulated). The conflicts duties (Part 5) and the exclusions (ss.57–58) apply to these."""
    return under_the_act(procurement) and Route.REGULATED in (procurement.required_route, procurement.route)


def assessment_of(procurement: Procurement) -> ConflictsAssessment | None:
    return ConflictsAssessment.objects.filter(procurement=procurement).first()


@dataclass
class Person:
    """One row of the assessment: someone who takes part in, or influences, a decision in the procurement."""

    user: User
    role: str
    # True or False once declared; None while not yet declared.
    interest: bool | None
    details: str = ""
    mitigation: str = ""
    decision_role: str = ""  # a DecisionRole for the decision-makers; blank for panel members
    declaration: ConflictDeclaration | None = None


def decision_makers(procurement: Procurement) -> list[tuple[User, DecisionRole]]:
    """The lead officer, the head of commissioning and the PCC (who decides above the delegation levels)."""
    people: list[tuple[User, DecisionRole]] = [(procurement.commission.officer, DecisionRole.LEAD_OFFICER)]
    others = User.objects.filter(is_active=True, role__in=[Role.HEAD_OF_COMMISSIONING, Role.PCC]).order_by(
        "role", "full_name"
    )
    for user in others:
        role = DecisionRole.HEAD if user.role == Role.HEAD_OF_COMMISSIONING else DecisionRole.PCC
        if user.pk != procurement.commission.officer_id:
            people.append((user, role))
    return people


def _mitigation_words(declaration: ConflictDeclaration) -> str:
    if declaration.mitigation == ConflictDeclaration.Mitigation.REMOVED:
        return f"Removed from the decision: {declaration.mitigation_reasons}"
    return declaration.mitigation_reasons


def people(procurement: Procurement, assessment: ConflictsAssessment | None) -> list[Person]:
    """Everyone the assessment covers, in a fixed number of queries."""
    declared = {d.user_id: d for d in assessment.declarations.select_related("user")} if assessment else {}
    rows = []
    for user, role in decision_makers(procurement):
        d = declared.get(user.pk)
        rows.append(
            Person(
                user=user,
                role=DecisionRole(role).label,
                interest=d.interest if d else None,
                details=d.details if d else "",
                mitigation=_mitigation_words(d) if d and d.interest else "",
                decision_role=role,
                declaration=d,
            )
        )
    tender = getattr(procurement, "tender", None) if procurement.is_tender else None
    if tender is not None:
        conflicts: dict[int, list[str]] = {}
        declared_members = set()
        for panel_declaration in Declaration.objects.filter(member__tender=tender).select_related(
            "bid__organisation"
        ):
            declared_members.add(panel_declaration.member_id)
            if panel_declaration.conflict:
                conflicts.setdefault(panel_declaration.member_id, []).append(
                    panel_declaration.bid.organisation.name
                )
        for member in tender.panel.select_related("user"):
            with_bidders = conflicts.get(member.pk, [])
            names = ", ".join(with_bidders)
            rows.append(
                Person(
                    user=member.user,
                    role=f"Evaluation panel member (joined {timezone.localtime(member.added_at):%-d %B %Y})",
                    interest=bool(with_bidders) if member.pk in declared_members else None,
                    details=f"Declared a conflict with {names}" if with_bidders else "",
                    mitigation=(
                        f"Does not see or score the bid from {names}: the panel's rule"
                        if with_bidders
                        else ""
                    ),
                )
            )
    return rows


def confirm_problems(procurement: Procurement, assessment: ConflictsAssessment | None) -> list[str]:
    """What stops the officer confirming the assessment: every decision-maker has declared, one way or the other."""
    declared = set(assessment.declarations.values_list("user_id", flat=True)) if assessment else set()
    return [
        f"{user.full_name} ({DecisionRole(role).label.lower()}) must declare whether they have an interest"
        for user, role in decision_makers(procurement)
        if user.pk not in declared
    ]


def assessment_missing(procurement: Procurement) -> list[str]:
    """What the assessment still needs before a tender or transparency notice (and the notices after it)."""
    assessment = assessment_of(procurement)
    if assessment is None or not assessment.is_prepared:
        return ["Prepare the conflicts assessment"]
    return [f"Revise the conflicts assessment: {change}" for change in assessment.changes]


def conflicts_assessment_confirmation(procurement: Procurement) -> str | None:
    """The sentence a later notice carries to confirm the assessment was prepared and revised (None while it is
    not prepared or needs revising)."""
    assessment = assessment_of(procurement)
    if assessment is None or not assessment.is_prepared or assessment.needs_revision:
        return None
    prepared = timezone.localtime(assessment.prepared_at)
    confirmed = timezone.localtime(assessment.confirmed_at)
    if assessment.revision == 1:
        return f"A conflicts assessment was prepared on {prepared:%-d %B %Y} and is up to date"
    return (
        f"A conflicts assessment was prepared on {prepared:%-d %B %Y} and revised "
        f"{assessment.revision - 1} time{'s' if assessment.revision > 2 else ''}, last on {confirmed:%-d %B %Y}"
    )


def status_words(assessment: ConflictsAssessment | None) -> tuple[str, str]:
    """(tag colour, words) for the assessment's status."""
    if assessment is None or not assessment.is_prepared:
        return "grey", "Not prepared"
    if assessment.needs_revision:
        return "orange", "Needs revising"
    return "green", f"Confirmed (revision {assessment.revision})"
