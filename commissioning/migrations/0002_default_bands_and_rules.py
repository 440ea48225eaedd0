from decimal import Decimal

from django.db import migrations

BANDS = [
    ("one_quote", Decimal("0"), None),
    ("three_quotes", Decimal("5000"), None),
    ("tender", Decimal("30000"), None),
    ("regulated", Decimal("207720"), Decimal("663540")),
]


def forwards(apps, schema_editor):
    Band = apps.get_model("commissioning", "ProcurementBand")
    Rules = apps.get_model("commissioning", "CommissioningRules")
    for route, lower, light in BANDS:
        Band.objects.get_or_create(route=route, defaults={"lower_bound": lower, "light_touch_lower_bound": light})
    if not Rules.objects.exists():
        Rules.objects.create()


class Migration(migrations.Migration):
    dependencies = [("commissioning", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
