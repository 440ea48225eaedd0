from opcc.message_templates import register

register(
    "grants_message",
    "Grants: a message about an application",
    "{{ reference }}: {{ subject }}",
    "Hello {{ name }},\n\n{{ message }}\n\nApplication {{ reference }}: {{ project }}.\n\n"
    "Sign in to the commissioning and grants service to see your application.",
    "name, reference, project, subject, message",
)
