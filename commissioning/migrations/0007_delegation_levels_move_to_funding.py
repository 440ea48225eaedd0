"""Who may decide a contract award of how much moves to funding.DelegationLevel (one model with grants): the
office's limits are copied there, and a decision's level names the role whose level it needed."""

from django.db import migrations, models

LEVEL_TO_ROLE = {"officer": "commissioning_officer", "head": "head_of_commissioning", "pcc": "pcc"}


def forwards(apps, schema_editor):
    Rules = apps.get_model("commissioning", "CommissioningRules")
    Level = apps.get_model("funding", "DelegationLevel")
    rules = Rules.objects.order_by("pk").first()
    if rules is not None:
        for role, limit in (("commissioning_officer", rules.officer_limit), ("head_of_commissioning", rules.head_limit)):
            Level.objects.filter(decides="contract", role=role).update(up_to=limit)
    for name in ("AwardDecision", "HistoricalAwardDecision"):
        model = apps.get_model("commissioning", name)
        for old, new in LEVEL_TO_ROLE.items():
            model.objects.filter(level=old).update(level=new)


def backwards(apps, schema_editor):
    Rules = apps.get_model("commissioning", "CommissioningRules")
    Level = apps.get_model("funding", "DelegationLevel")
    limits = {level.role: level.up_to for level in Level.objects.filter(decides="contract")}
    Rules.objects.update(
        officer_limit=limits.get("commissioning_officer") or 100000,
        head_limit=limits.get("head_of_commissioning") or 500000,
    )
    for name in ("AwardDecision", "HistoricalAwardDecision"):
        model = apps.get_model("commissioning", name)
        for old, new in LEVEL_TO_ROLE.items():
            model.objects.filter(level=new).update(level=old)


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0006_plan_objectives"),
        ("funding", "0005_delegation_levels"),
    ]

    operations = [
        migrations.AlterField(model_name="awarddecision", name="level", field=models.CharField(max_length=32)),
        migrations.AlterField(
            model_name="historicalawarddecision", name="level", field=models.CharField(max_length=32)
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="commissioningrules", name="head_limit"),
        migrations.RemoveField(model_name="commissioningrules", name="officer_limit"),
        migrations.RemoveField(model_name="historicalcommissioningrules", name="head_limit"),
        migrations.RemoveField(model_name="historicalcommissioningrules", name="officer_limit"),
    ]
