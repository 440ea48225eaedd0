"""What a grant's monitoring asks now follows its value (reporting's monitoring tiers): the offer letter says it
through a `{{ monitoring }}` placeholder, and the schemes' standard conditions no longer promise one way of
reporting (a £1,500 LPCAF grant sends one end-of-project report, not a return each quarter). Changed only where the
wording is still the default: an office's own wording is left alone."""

from django.db import migrations

OLD_LETTER = ("You will send an outcome return each quarter, within 30 days of the quarter's end, and we may visit "
              "the project.")
NEW_LETTER = "{{ monitoring }}"

CONDITIONS = [
    ("Send an outcome return each quarter, within 30 days of the quarter's end.",
     "Report what the grant achieves, as often as the office asks for a grant of its size."),
    ("Send a short report and photographs when the project is finished.",
     "Report what the project achieved, with photographs if you can."),
    ("Send a short report when the project is finished, with the roads or places it covered.",
     "Say in your reports which roads or places the project covered."),
]


def _swap(apps, letter, conditions):
    OfferLetterTemplate = apps.get_model("grants", "OfferLetterTemplate")
    old, new = letter
    for template in OfferLetterTemplate.objects.filter(body__contains=old):
        template.body = template.body.replace(old, new)
        template.save(update_fields=["body"])
    Scheme = apps.get_model("grants", "Scheme")
    for old, new in conditions:
        for scheme in Scheme.objects.filter(standard_conditions__contains=old):
            lines = [new if line.strip() == old else line for line in scheme.standard_conditions.splitlines()]
            scheme.standard_conditions = "\n".join(lines)
            scheme.save(update_fields=["standard_conditions"])


def forwards(apps, schema_editor):
    _swap(apps, (OLD_LETTER, NEW_LETTER), CONDITIONS)


def backwards(apps, schema_editor):
    _swap(apps, (NEW_LETTER, OLD_LETTER), [(new, old) for old, new in CONDITIONS])


class Migration(migrations.Migration):
    dependencies = [("grants", "0006_plan_objectives")]
    operations = [migrations.RunPython(forwards, backwards)]
