"""Default wording of commissioning's emails (staff edit the stored copy in the settings site)."""

from opcc.emails import register

register(
    "contract-expiry-reminder",
    "Contract ending soon (to the lead officer)",
    "{{ reference }} ends on {{ end_date }}: decide what happens next",
    "Dear {{ officer }},\n\nThe contract {{ reference }} ({{ title }}) with {{ provider }} ends on {{ end_date }}.\n"
    "{{ extension }}\n\nReview it and record the decision: continue, extend, re-commission or de-commission.\n\n{{ link }}\n",
    "officer, reference, title, provider, end_date, extension, link",
)
register(
    "contract-notice-reminder",
    "Last date to give notice approaching (to the lead officer)",
    "{{ reference }}: the last date to give notice is {{ notice_date }}",
    "Dear {{ officer }},\n\nTo end or not extend the contract {{ reference }} ({{ title }}) with {{ provider }} "
    "before it ends on {{ end_date }}, notice must be given by {{ notice_date }} ({{ notice_months }} months' notice).\n\n{{ link }}\n",
    "officer, reference, title, provider, end_date, notice_date, notice_months, link",
)
register(
    "panel-invitation",
    "Added to an evaluation panel (to the evaluator)",
    "You have been added to the evaluation panel for {{ title }}",
    "Dear {{ evaluator }},\n\nYou have been added to the multi-agency evaluation panel for {{ title }} "
    "(tender {{ portal_reference }}).\n\nBefore you can see any bid, declare whether you have a conflict of "
    "interest with each bidder. Then score the bids you may see.\n\n{{ link }}\n",
    "evaluator, title, portal_reference, link",
)
register(
    "notice-due-soon",
    "Procurement Act notice due soon (to the lead officer)",
    "{{ reference }}: the {{ notice }} is due by {{ due_by }}",
    "Dear {{ officer }},\n\nThe {{ notice }} for {{ reference }} ({{ title }}) must be published on Find a Tender "
    "by {{ due_by }}.\n\nCheck what is missing, publish it on Find a Tender, then record the identifier it gives.\n\n{{ link }}\n",
    "officer, notice, reference, title, due_by, link",
)
register(
    "notice-overdue",
    "Procurement Act notice overdue (to the lead officer)",
    "Overdue: the {{ notice }} for {{ reference }} was due by {{ due_by }}",
    "Dear {{ officer }},\n\nThe {{ notice }} for {{ reference }} ({{ title }}) was due on Find a Tender by {{ due_by }} "
    "and is not recorded as published.\n\nPublish it now and record the identifier, or, if it is an optional notice, "
    "record why it is not needed.\n\n{{ link }}\n",
    "officer, notice, reference, title, due_by, link",
)
register(
    "assessment-summary",
    "Assessment summary of a tender (to each person at the supplier)",
    "Your assessment summary for {{ title }}",
    "Dear {{ contact }},\n\nThe evaluation of the tenders for {{ title }} is complete. The assessment summary for "
    "{{ organisation }}'s tender sets out its scores against each award criterion, the reasons for them, and the "
    "outcome. Read it or download it as a PDF when you have signed in:\n\n{{ link }}\n\nThe contract award notice "
    "will be published on Find a Tender; the standstill period of eight working days begins on the day it is "
    "published.\n",
    "contact, organisation, title, link",
)
register(
    "pru-notice-overdue",
    "Exclusion not yet reported to the Procurement Review Unit (to the lead officer)",
    "Overdue: tell the Procurement Review Unit that {{ supplier }} was excluded from {{ reference }}",
    "Dear {{ officer }},\n\n{{ supplier }} was excluded from the procurement for {{ reference }} ({{ title }}) on "
    "{{ excluded_on }}. The Procurement Review Unit must be told within 30 days, by {{ due_by }}, and it is not recorded "
    "as told.\n\nTell the unit now, then record the date you did:\n\n{{ link }}\n",
    "officer, supplier, reference, title, excluded_on, due_by, link",
)
