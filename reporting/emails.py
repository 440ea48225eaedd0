"""Default wording of monitoring's emails (staff may edit the stored copies in the admin site)."""

from opcc.emails import register

RETURN_PLACEHOLDERS = "organisation, award, quarter, due_date, link, comments"

register(
    "return-reminder",
    "Outcome return: reminder before the due date",
    "Your outcome return for {{ quarter }} is due on {{ due_date }}",
    "Hello,\n\nThe quarterly outcome return for {{ award }} ({{ organisation }}) for {{ quarter }} is due on "
    "{{ due_date }}.\n\nYou can save a draft and come back to it:\n\n{{ link }}\n\nPlease do not include personal "
    "details of any victim or service user.",
    RETURN_PLACEHOLDERS,
)
register(
    "return-due-today",
    "Outcome return: due today",
    "Your outcome return for {{ quarter }} is due today",
    "Hello,\n\nThe quarterly outcome return for {{ award }} ({{ organisation }}) for {{ quarter }} is due today, "
    "{{ due_date }}.\n\n{{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "return-chase",
    "Outcome return: overdue",
    "Your outcome return for {{ quarter }} is overdue",
    "Hello,\n\nThe quarterly outcome return for {{ award }} ({{ organisation }}) for {{ quarter }} was due on "
    "{{ due_date }} and has not reached us. Payments in arrears for the quarter wait until it is accepted.\n\n"
    "{{ link }}\n\nIf something is stopping you, reply to this email and talk to your commissioning officer.",
    RETURN_PLACEHOLDERS,
)
register(
    "return-escalation",
    "Outcome return: escalation to the head of commissioning",
    "Escalation: {{ organisation }}'s outcome return for {{ quarter }} is 21 days overdue",
    "The quarterly outcome return for {{ award }} ({{ organisation }}) for {{ quarter }} was due on {{ due_date }} "
    "and has still not been submitted after reminders and a chase.\n\n{{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "returns-digest",
    "Outcome returns: weekly digest of overdue returns",
    "{{ count }} outcome returns are overdue",
    "Hello {{ name }},\n\nThese quarterly outcome returns are overdue:\n\n{{ lines }}\n\nSee them all: {{ link }}",
    "name, count, lines, link",
)
register(
    "return-submitted",
    "Outcome return: submitted for review",
    "{{ organisation }} has submitted the outcome return for {{ quarter }}",
    "{{ organisation }} has submitted the quarterly outcome return for {{ award }} for {{ quarter }}.\n\n"
    "Review it: {{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "return-accepted",
    "Outcome return: accepted",
    "Your outcome return for {{ quarter }} has been accepted",
    "Hello,\n\nThank you. The quarterly outcome return for {{ award }} for {{ quarter }} has been accepted; any "
    "payment in arrears for the quarter can now be made.\n\n{{ comments }}\n\n{{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "return-changes-requested",
    "Outcome return: changes requested",
    "Changes are needed to your outcome return for {{ quarter }}",
    "Hello,\n\nThe commissioning team has asked for changes to the quarterly outcome return for {{ award }} for "
    "{{ quarter }}:\n\n{{ comments }}\n\nMake the changes and submit it again: {{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "visit-reminder",
    "Grant visit: reminder",
    "Monitoring visit to {{ organisation }} on {{ date }}",
    "Hello {{ name }},\n\nYou are due to visit {{ organisation }} for {{ award }} on {{ date }}. "
    "Record the visit afterwards (who attended, findings, service user feedback, actions):\n\n{{ link }}",
    "name, organisation, award, date, link",
)

# An end-of-project report (a light monitoring tier's one report) is chased and answered in its own words.
register(
    "end-report-reminder",
    "End-of-project report: reminder before the due date",
    "Your end-of-project report for {{ award }} is due on {{ due_date }}",
    "Hello,\n\nThe end-of-project report for {{ award }} ({{ organisation }}) is due on {{ due_date }}: a short "
    "account of what the project did and the difference it made, with photographs if you have them, and the figures "
    "asked for.\n\nYou can save a draft and come back to it:\n\n{{ link }}\n\nPlease do not include personal details "
    "of anyone the project helped.",
    RETURN_PLACEHOLDERS,
)
register(
    "end-report-due-today",
    "End-of-project report: due today",
    "Your end-of-project report for {{ award }} is due today",
    "Hello,\n\nThe end-of-project report for {{ award }} ({{ organisation }}) is due today, {{ due_date }}.\n\n"
    "{{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "end-report-chase",
    "End-of-project report: overdue",
    "Your end-of-project report for {{ award }} is overdue",
    "Hello,\n\nThe end-of-project report for {{ award }} ({{ organisation }}) was due on {{ due_date }} and has not "
    "reached us. Any payment still waiting for it waits until it is accepted.\n\n{{ link }}\n\nIf something is "
    "stopping you, reply to this email and talk to your commissioning officer.",
    RETURN_PLACEHOLDERS,
)
register(
    "end-report-escalation",
    "End-of-project report: escalation to the head of commissioning",
    "Escalation: {{ organisation }}'s end-of-project report for {{ award }} is 21 days overdue",
    "The end-of-project report for {{ award }} ({{ organisation }}) was due on {{ due_date }} and has still not been "
    "submitted after reminders and a chase.\n\n{{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "end-report-submitted",
    "End-of-project report: submitted for review",
    "{{ organisation }} has submitted the end-of-project report for {{ award }}",
    "{{ organisation }} has submitted the end-of-project report for {{ award }}.\n\nReview it: {{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "end-report-accepted",
    "End-of-project report: accepted",
    "Your end-of-project report for {{ award }} has been accepted",
    "Hello,\n\nThank you. The end-of-project report for {{ award }} has been accepted; any payment still waiting for "
    "it can now be made.\n\n{{ comments }}\n\n{{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "end-report-changes-requested",
    "End-of-project report: changes requested",
    "Changes are needed to your end-of-project report for {{ award }}",
    "Hello,\n\nThe commissioning team has asked for changes to the end-of-project report for {{ award }}:\n\n"
    "{{ comments }}\n\nMake the changes and submit it again: {{ link }}",
    RETURN_PLACEHOLDERS,
)
register(
    "payments-notice-due",
    "Payments compliance notice due soon (to finance)",
    "The payments compliance notice for the period ending {{ period }} is due by {{ due_by }}",
    "Dear {{ name }},\n\nThe payments compliance notice for the reporting period ending {{ period }} must be "
    "published on Find a Tender by {{ due_by }}. Check the period's figures and record the approval of the officer "
    "responsible for the office's finances, so the commissioning team can publish it.\n\n{{ link }}\n",
    "name, period, due_by, link",
)
register(
    "payments-notice-overdue",
    "Payments compliance notice overdue (to finance)",
    "Overdue: the payments compliance notice for the period ending {{ period }} was due by {{ due_by }}",
    "Dear {{ name }},\n\nThe payments compliance notice for the reporting period ending {{ period }} was due on "
    "Find a Tender by {{ due_by }} and is not recorded as published. Record the approval now if it is missing, and "
    "ask the commissioning team to publish it.\n\n{{ link }}\n",
    "name, period, due_by, link",
)

FINAL_REPORT_PLACEHOLDERS = "organisation, award, due_date, link, reasons, amount"
register(
    "final-report-due",
    "Final report: the award has ended and its final report is due",
    "The final report for {{ award }} is due on {{ due_date }}",
    "Hello,\n\n{{ award }} ({{ organisation }}) has ended. Please send its final report by {{ due_date }}: what "
    "you spent against each budget line, the outcomes you achieved against those agreed, and what happens to the "
    "service next.\n\nYou can save it and come back to it:\n\n{{ link }}\n\nPlease do not include personal "
    "details of any victim or service user.",
    FINAL_REPORT_PLACEHOLDERS,
)
register(
    "final-report-overdue",
    "Final report: overdue",
    "The final report for {{ award }} is overdue",
    "Hello,\n\nThe final report for {{ award }} ({{ organisation }}) was due on {{ due_date }} and has not reached "
    "us. The award cannot be closed until it is accepted.\n\n{{ link }}\n\nIf something is stopping you, reply to "
    "this email and talk to your commissioning officer.",
    FINAL_REPORT_PLACEHOLDERS,
)
register(
    "final-report-returned",
    "Final report: returned for changes",
    "Your final report for {{ award }} needs changes",
    "Hello,\n\nYour final report for {{ award }} ({{ organisation }}) has been returned for these reasons:\n\n"
    "{{ reasons }}\n\nPlease change it and send it again:\n\n{{ link }}",
    FINAL_REPORT_PLACEHOLDERS,
)
register(
    "final-report-underspend",
    "Final report: accepted with money to recover (to finance)",
    "{{ award }}: {{ amount }} to recover",
    "The final report for {{ award }} ({{ organisation }}) has been accepted. The award was paid {{ amount }} more "
    "than it spent. Record the money owed back, with the invoice reference, here:\n\n{{ link }}",
    FINAL_REPORT_PLACEHOLDERS,
)
