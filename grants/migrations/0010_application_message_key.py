"""The email about an application is keyed `application-message`, kebab-case like every other email's key: the
stored wording (an office's edits kept) and the outbox rows that name it follow."""

from django.db import migrations

KEYS = [("grants_message", "application-message")]


def _rename(apps, pairs):
    MessageTemplate = apps.get_model("opcc", "MessageTemplate")
    OutboxMessage = apps.get_model("opcc", "OutboxMessage")
    for old, new in pairs:
        if not MessageTemplate.objects.filter(key=new).exists():
            MessageTemplate.objects.filter(key=old).update(key=new)
        OutboxMessage.objects.filter(template_key=old).update(template_key=new)


def forwards(apps, schema_editor):
    _rename(apps, KEYS)


def backwards(apps, schema_editor):
    _rename(apps, [(new, old) for old, new in KEYS])


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0009_declaration_names_and_score_ranges"),
        ("opcc", "0005_police_and_crime_plan"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
