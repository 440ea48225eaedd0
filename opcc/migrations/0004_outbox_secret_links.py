import re

from django.db import migrations, models

# The same words as opcc.services.notifications.WITHHELD_LINK when this migration was written.
WITHHELD_LINK = "[link withheld: it is made when the email is sent, and only the recipient's copy holds it]"
LINKS = {
    "password-reset": re.compile(r"\S*/password-reset/[^/\s]+/[^/\s]+/?"),
    "invitation": re.compile(r"\S*/invitations/[^/\s]+/?"),
}


def withhold_stored_links(apps, schema_editor):
    """Messages stored before links were withheld: take the links out, and let those still waiting get new ones."""
    OutboxMessage = apps.get_model("opcc", "OutboxMessage")
    for kind, pattern in LINKS.items():
        for message in OutboxMessage.objects.filter(key__startswith=f"{kind}:").iterator():
            message.body = pattern.sub(WITHHELD_LINK, message.body)
            if message.status == "pending":
                message.secret_link = kind
            message.save(update_fields=["body", "secret_link"])


class Migration(migrations.Migration):

    dependencies = [
        ('opcc', '0003_data_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboxmessage',
            name='secret_link',
            field=models.CharField(blank=True, choices=[('', 'None'), ('password-reset', 'Password reset link'), ('invitation', 'Invitation link')], default='', help_text='The body holds a placeholder where this link goes; the link is made when the email is sent.', max_length=20),
        ),
        migrations.RunPython(withhold_stored_links, migrations.RunPython.noop),
    ]
