"""Who may do what with grants. One small predicate per rule; views and transitions ask `user.has_perm`."""

import rules

from funding.models import DecisionKind, DelegationLevel
from grants.models import Assessment
from opcc.rules import (
    is_area_decider,
    is_head_of_commissioning,
    is_member_of,
    is_office,
    is_officer,
    is_provider,
)


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and is_member_of(user, application.organisation)


@rules.predicate
def is_editable(user, application) -> bool:
    return application is not None and application.is_editable


@rules.predicate
def is_draft(user, application) -> bool:
    return application is not None and application.status == application.Status.DRAFT


@rules.predicate
def is_area_bid_for_user(user, application) -> bool:
    """An LPCAF bid, submitted, in one of the user's own areas."""
    if application is None or not user.is_authenticated or application.area_id is None:
        return False
    if not application.round.scheme.decided_by_area or application.status == application.Status.DRAFT:
        return False
    return user.areas.filter(pk=application.area_id).exists()


def decision_amount(application):
    """The value being decided: the recommended amount where there is one, else the amount requested."""

    try:
        recommended = application.assessment.recommended_amount
    except Assessment.DoesNotExist:
        recommended = None
    return recommended if recommended is not None else application.amount


@rules.predicate
def within_delegation(user, application) -> bool:
    """The user's role may decide a grant of this value (delegation levels are data)."""

    if application is None or application.round.scheme.decided_by_area:
        return False
    level = DelegationLevel.for_role(DecisionKind.GRANT, user.role)
    return level is not None and level.covers(decision_amount(application))


@rules.predicate
def has_delegated_authority(user) -> bool:
    """The user's role decides grants up to some value (delegation levels are data)."""

    return (
        user.is_authenticated
        and DelegationLevel.objects.filter(decides=DecisionKind.GRANT, role=user.role).exists()
    )


@rules.predicate
def has_area_decisions(user, application) -> bool:
    # LPCAF bids are decided by the service once both of the area's deciders have spoken.
    return (
        application is not None
        and application.round.scheme.decided_by_area
        and is_area_bid_for_user(user, application)
    )


rules.add_perm("grants.view_grants", is_office)
rules.add_perm("grants.manage_rounds", is_officer)
rules.add_perm("grants.edit_letter_template", is_officer)
rules.add_perm("grants.apply", is_provider)
rules.add_perm(
    "grants.view_application",
    is_office | (is_provider & is_applicant) | (is_area_decider & is_area_bid_for_user),
)
rules.add_perm("grants.edit_application", is_provider & is_applicant & is_editable)
rules.add_perm("grants.withdraw_application", is_provider & is_applicant)
rules.add_perm("grants.delete_application", is_provider & is_applicant & is_draft)
rules.add_perm("grants.assess_application", is_officer)
rules.add_perm("grants.decide_application", within_delegation | (is_area_decider & has_area_decisions))
rules.add_perm("grants.decide_area", is_area_decider & is_area_bid_for_user)
rules.add_perm("grants.list_decisions", is_office & has_delegated_authority)
rules.add_perm("grants.list_area_bids", is_area_decider)
rules.add_perm("grants.make_offer", is_officer)
rules.add_perm("grants.accept_offer", is_provider & is_applicant)

# The settings site (grants/admin.py): the schemes' wording and measures (delegation levels: funding).
for _model in ("scheme",):
    rules.add_perm(f"grants.view_{_model}", is_officer)
    rules.add_perm(f"grants.change_{_model}", is_head_of_commissioning)


# Variations of an active grant: the provider asks on its own award, the office proposes, and whoever's delegated
# authority covers the award's new total decides.


@rules.predicate
def is_award_holder(user, award) -> bool:
    return award is not None and is_member_of(user, award.organisation)


@rules.predicate
def is_variation_holder(user, variation) -> bool:
    return variation is not None and is_member_of(user, variation.award.organisation)


@rules.predicate
def covers_new_total(user, variation) -> bool:
    """The user's role may decide a grant of the award's new total (delegation levels are data)."""
    if variation is None or not user.is_authenticated:
        return False
    level = DelegationLevel.for_role(DecisionKind.GRANT, user.role)
    return level is not None and level.covers(variation.new_total)


@rules.predicate
def asked_by_provider(user, variation) -> bool:
    return variation is not None and variation.from_provider


rules.add_perm("grants.view_variation", is_office | (is_provider & is_variation_holder))
rules.add_perm("grants.request_variation", is_provider & is_award_holder)
rules.add_perm("grants.propose_variation", is_officer)
rules.add_perm("grants.decide_variation", has_delegated_authority & covers_new_total)
rules.add_perm("grants.accept_variation", is_provider & is_variation_holder)
rules.add_perm(
    "grants.withdraw_variation", is_officer | (is_provider & is_variation_holder & asked_by_provider)
)
