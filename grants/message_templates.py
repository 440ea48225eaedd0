from opcc.message_templates import register

register(
    "grants_message",
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
