"""Who may do what in the core. One small predicate per rule; views and services ask `user.has_perm`.

Other apps build on these predicates in their own rules.py.
"""

import rules

from opcc.models import Role


def role_is(*roles: str):
    names = "_or_".join(roles)

    @rules.predicate(name=f"role_is_{names}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)

    return predicate


is_officer = role_is(Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING)
is_head_of_commissioning = role_is(Role.HEAD_OF_COMMISSIONING)
is_pcc = role_is(Role.PCC)
is_finance = role_is(Role.FINANCE_OFFICER)
is_provider = role_is(Role.PROVIDER)
is_ambassador = role_is(Role.COMMUNITY_AMBASSADOR)
is_area_commander = role_is(Role.AREA_COMMANDER)
is_evaluator = role_is(Role.EVALUATOR)
is_auditor = role_is(Role.AUDITOR)

# The office's own people, who may read the whole of the office's records.
is_office = role_is(
    Role.COMMISSIONING_OFFICER, Role.HEAD_OF_COMMISSIONING, Role.PCC, Role.FINANCE_OFFICER, Role.AUDITOR
)
is_area_decider = is_ambassador | is_area_commander


@rules.predicate
def is_member_of(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.memberships.filter(user_id=user.pk).exists()


@rules.predicate
def is_admin_member_of(user, organisation) -> bool:
    if organisation is None or not user.is_authenticated:
        return False
    return organisation.memberships.filter(user_id=user.pk, is_admin=True).exists()


@rules.predicate
def covers_area(user, area) -> bool:
    if area is None or not user.is_authenticated:
        return False
    return user.areas.filter(pk=area.pk).exists()


rules.add_perm("opcc.view_organisation", is_office | (is_provider & is_member_of))
rules.add_perm("opcc.list_organisations", is_office)
rules.add_perm("opcc.add_organisation", is_officer)
rules.add_perm("opcc.change_organisation", is_officer | (is_provider & is_admin_member_of))
rules.add_perm("opcc.invite_contact", is_officer | (is_provider & is_admin_member_of))
rules.add_perm("opcc.view_localpolicingarea", is_office | (is_area_decider & covers_area))
rules.add_perm("opcc.list_localpolicingareas", is_office | is_area_decider)
rules.add_perm("opcc.use_admin", is_officer)
# The Police and Crime Plan: every member of staff reads it; the head of commissioning keeps it; officers tag the
# records made before it with its objectives.
is_staff_member = role_is(*(r for r in Role if r != Role.PROVIDER))
rules.add_perm("opcc.view_policeandcrimeplan", is_staff_member)
rules.add_perm("opcc.change_policeandcrimeplan", is_head_of_commissioning)
rules.add_perm("opcc.tag_objectives", is_officer)
# The records not yet tagged are commissions, rounds and awards: the office's own people read those.
rules.add_perm("opcc.list_untagged", is_office)

# The admin site holds the office's settings (email wording, outbox, schedules): officers only.
for _model in ("messagetemplate", "outboxmessage", "transitionlog"):
    rules.add_perm(f"opcc.view_{_model}", is_officer)
rules.add_perm("opcc.change_messagetemplate", is_officer)
# The admin site lists an app's section only to someone with that app's "module permission" (rules asks
# for a permission named by the app label): officers, for the core and every domain app with settings there.
for _label in ("opcc", "funding", "commissioning", "grants", "reporting"):
    rules.add_perm(_label, is_officer)

# Due diligence: the office reads every organisation's checks, an organisation's people its own; they send evidence
# and bank details for it, officers verify (never their own bank details entry: the service checks) and import the
# registers.
rules.add_perm("opcc.view_due_diligence", is_office | (is_provider & is_member_of))
rules.add_perm("opcc.list_due_diligence", is_office)
rules.add_perm("opcc.submit_evidence", is_officer | (is_provider & is_member_of))
rules.add_perm("opcc.change_bank_details", is_officer | (is_provider & is_admin_member_of))
rules.add_perm("opcc.verify_evidence", is_officer)
rules.add_perm("opcc.import_register", is_officer)
for _model in ("valueband", "checklistitem"):
    rules.add_perm(f"opcc.view_{_model}", is_officer)
    rules.add_perm(f"opcc.change_{_model}", is_head_of_commissioning)
