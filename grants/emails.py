from opcc.emails import register

register(
    "application-message",
    "Grants: a message about an application",
    "{{ reference }}: {{ subject }}",
    "Hello {{ name }},\n\n{{ message }}\n\nApplication {{ reference }}: {{ project }}.\n\n"
    "Sign in to the commissioning and grants service to see your application.",
    "name, reference, project, subject, message",
)

register(
    "registration-attempt",
    "Grants: someone tried to register with an address that already has an account",
    "Someone tried to register with your email address",
    "Hello {{ name }},\n\nSomeone tried to register an organisation on the {{ office }}'s commissioning and grants "
    "service with this email address. You already have an account, so no new account was made and nothing about "
    "your account has changed.\n\nIf it was you, sign in instead:\n\n{{ sign_in_link }}\n\nIf you have forgotten your "
    "password, reset it here:\n\n{{ reset_link }}\n\nTo act for another organisation as well, contact the "
    "commissioning team.\n\nIf it was not you, you do not need to do anything.",
    "name, office, sign_in_link, reset_link",
)

register(
    "registration-confirm",
    "Grants: confirm a new organisation's registration",
    "Create your account for {{ organisation }}",
    "Hello {{ name }},\n\nYou registered {{ organisation }} on the {{ office }}'s commissioning and grants "
    "service. Create your account, as the organisation's administrator, by opening this link before "
    "{{ expires }}:\n\n{{ link }}\n\nYou will choose your password there. Until then nobody can sign in "
    "for {{ organisation }}.\n\nIf you did not register, you can ignore this email.",
    "name, organisation, link, expires, office",
)

register(
    "variation-waiting",
    "Grants: a grant variation waits for a decision",
    "{{ reference }}: a variation of {{ award }} waits for your decision",
    "Hello {{ name }},\n\nA variation of grant {{ award }} ({{ project }}, {{ organisation }}) waits for a decision. "
    "It would bring the grant to {{ new_total }}, which is within your delegated authority.\n\n"
    "Sign in to the commissioning and grants service to decide it: {{ link }}",
    "name, reference, award, project, organisation, new_total, link",
)

register(
    "variation-letter-ready",
    "Grants: a grant variation letter is ready to accept",
    "{{ reference }}: your variation letter is ready",
    "Hello {{ name }},\n\nThe variation of your grant {{ award }} ({{ project }}) has been approved. Read the "
    "variation letter and accept it online by {{ accept_by }}. If it is not accepted by then it lapses and your "
    "grant continues unchanged.\n\nSign in to the commissioning and grants service to read and accept it: {{ link }}",
    "name, reference, award, project, accept_by, link",
)

register(
    "variation-refused",
    "Grants: a grant variation was refused",
    "{{ reference }}: the variation of your grant was not approved",
    "Hello {{ name }},\n\nThe variation of your grant {{ award }} ({{ project }}) was not approved, for this "
    "reason:\n\n{{ message }}\n\nYour grant continues unchanged.",
    "name, reference, award, project, message",
)
