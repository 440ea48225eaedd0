"""A standard condition of the Commissioner's Grant Scheme said "set out in this letter", but the scheme's
conditions are also shown on the public transparency pages. Reword it where it is still the default."""

from django.db import migrations

OLD = "Spend the grant only on the purpose set out in this letter."
NEW = "Spend the grant only on the purpose it was awarded for."


def _swap(apps, old, new):
    Scheme = apps.get_model("grants", "Scheme")
    for scheme in Scheme.objects.filter(standard_conditions__contains=old):
        lines = [new if line.strip() == old else line for line in scheme.standard_conditions.splitlines()]
        scheme.standard_conditions = "\n".join(lines)
        scheme.save(update_fields=["standard_conditions"])


def forwards(apps, schema_editor):
    _swap(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _swap(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("grants", "0002_schemes_and_delegation")]
    operations = [migrations.RunPython(forwards, backwards)]
