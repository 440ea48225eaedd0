"""Who may do what in commissioning. One small predicate per rule."""

import rules

from opcc.rules import (
    is_evaluator,
    is_head_of_commissioning,
    is_office,
    is_officer,
    is_pcc,
    is_provider,
)


@rules.predicate
def is_on_panel(user, tender) -> bool:
    if tender is None or not user.is_authenticated:
        return False
    return tender.panel.filter(user_id=user.pk).exists()


@rules.predicate
def declared_no_conflict(user, bid) -> bool:
    """An evaluator sees a bid only after declaring no conflict of interest with that bidder."""
    if bid is None or not user.is_authenticated:
        return False
    return bid.declarations.filter(member__user_id=user.pk, conflict=False).exists()


rules.add_perm("commissioning.list_commissions", is_office)
rules.add_perm("commissioning.view_commission", is_office)
rules.add_perm("commissioning.add_commission", is_officer)
rules.add_perm("commissioning.change_commission", is_officer)
rules.add_perm("commissioning.transition_commission", is_officer)
rules.add_perm("commissioning.sign_single_tender", is_head_of_commissioning | is_pcc)
rules.add_perm("commissioning.decide_award", is_officer | is_pcc)
rules.add_perm("commissioning.list_waiting", is_officer | is_pcc)
rules.add_perm("commissioning.view_tender", is_office | (is_evaluator & is_on_panel))
rules.add_perm("commissioning.evaluate_tender", is_on_panel)
rules.add_perm("commissioning.view_bid", is_office | declared_no_conflict)
rules.add_perm("commissioning.list_evaluations", is_evaluator | is_officer)
# Procurement Act notices: prepared, published and recorded by the commissioning officers and the head.
rules.add_perm("commissioning.view_notices", is_officer)

# Procurement bands and the office's numbers are data the head of commissioning keeps (in the settings site).
# Everyone in the office may read the Financial Regulations bands; only the head changes them.
rules.add_perm("commissioning.view_procurementband", is_office)
rules.add_perm("commissioning.change_procurementband", is_head_of_commissioning)
rules.add_perm("commissioning.view_commissioningrules", is_officer)
rules.add_perm("commissioning.change_commissioningrules", is_head_of_commissioning)

# The conflicts assessment: officers record anyone's declaration and confirm it; the PCC declares their own.
rules.add_perm("commissioning.declare_conflict", is_officer | is_pcc)
# The debarment list is the office's data: officers and the head of commissioning import each version.
rules.add_perm("commissioning.import_debarment_list", is_officer)


@rules.predicate
def is_summary_recipient(user, summary) -> bool:
    """Someone in the organisation the summary was sent to (a summary not yet sent is nobody's to read)."""
    if summary is None or not user.is_authenticated or summary.sent_at is None:
        return False
    return summary.bid.organisation.memberships.filter(user_id=user.pk).exists()


# An assessment summary: the office reads every one; a supplier's people read their own, once it is sent.
rules.add_perm("commissioning.view_assessmentsummary", is_office | (is_provider & is_summary_recipient))
rules.add_perm("commissioning.list_my_summaries", is_provider)
