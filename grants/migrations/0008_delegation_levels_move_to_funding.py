"""Grant delegation levels move to funding.DelegationLevel (one model for who may decide how much), with the
office's edits kept."""

from django.db import migrations


def copy_to_funding(apps, schema_editor):
    old = apps.get_model("grants", "DelegationLevel")
    new = apps.get_model("funding", "DelegationLevel")
    for level in old.objects.all():
        new.objects.update_or_create(
            decides="grant", role=level.role, defaults={"label": level.label, "up_to": level.up_to}
        )


def copy_back(apps, schema_editor):
    old = apps.get_model("grants", "DelegationLevel")
    new = apps.get_model("funding", "DelegationLevel")
    for level in new.objects.filter(decides="grant"):
        old.objects.update_or_create(role=level.role, defaults={"label": level.label, "up_to": level.up_to})


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0007_offer_letter_monitoring_follows_tier"),
        ("funding", "0005_delegation_levels"),
    ]

    operations = [
        migrations.RunPython(copy_to_funding, copy_back),
        migrations.DeleteModel(name="DelegationLevel"),
        migrations.DeleteModel(name="HistoricalDelegationLevel"),
    ]
