import rules

from opcc.rules import (
    is_finance,
    is_head_of_commissioning,
    is_member_of,
    is_office,
    is_officer,
    is_pcc,
    is_provider,
)


@rules.predicate
def is_award_member(user, award) -> bool:
    return award is not None and is_member_of(user, award.organisation)


rules.add_perm("funding.view_funding", is_office)
rules.add_perm("funding.view_financialyear", is_office)
rules.add_perm("funding.view_pot", is_office)
rules.add_perm("funding.prepare_allocation", is_finance)
rules.add_perm("funding.approve_allocation", is_pcc)
rules.add_perm("funding.vary_allocation", is_finance)
rules.add_perm("funding.view_award", is_office | (is_provider & is_award_member))
rules.add_perm("funding.list_awards", is_office)
rules.add_perm("funding.add_award", is_officer | is_finance)
rules.add_perm("funding.manage_award", is_officer | is_finance)
rules.add_perm("funding.end_award", is_head_of_commissioning | is_finance)
rules.add_perm("funding.record_payment", is_finance)
# Moving an award's money between its years (underspend carried forward, delivery delayed).
rules.add_perm("funding.reprofile_award", is_finance)
# Everyone in the office may see payments (award pages show them); finance makes them.
rules.add_perm("funding.view_payments_due", is_office)
rules.add_perm("funding.export", is_office)
# The settings site: which income pays for which pot (read by the Ministry of Justice return).
for _perm in ("view", "add", "change", "delete"):
    rules.add_perm(f"funding.{_perm}_potincome", is_officer)
# Who may decide how much (grants and contract awards): officers read the levels, the head changes them.
rules.add_perm("funding.view_delegationlevel", is_officer)
rules.add_perm("funding.change_delegationlevel", is_head_of_commissioning)
# Money owed back when an award ends: finance records it owed and received; the office reads the list.
rules.add_perm("funding.record_recovery", is_finance)
rules.add_perm("funding.view_recoveries", is_office)
