from decimal import Decimal

from django.db import migrations


# The defaults as they were when this migration was written (funding.delegation keeps today's).
DELEGATION = [
    ("commissioning_officer", "Commissioning officer: up to £25,000", "25000"),
    ("head_of_commissioning", "Head of commissioning: up to £100,000", "100000"),
    ("pcc", "Police and Crime Commissioner: any amount", None),
]


def forwards(apps, schema_editor):
    from grants.defaults import SCHEMES
    from grants.letters import DEFAULT_BODY, DEFAULT_LETTERHEAD

    Scheme = apps.get_model("grants", "Scheme")
    DelegationLevel = apps.get_model("grants", "DelegationLevel")
    OfferLetterTemplate = apps.get_model("grants", "OfferLetterTemplate")
    for scheme in SCHEMES:
        Scheme.objects.get_or_create(kind=scheme["kind"], defaults={k: v for k, v in scheme.items() if k != "kind"})
    for role, label, up_to in DELEGATION:
        DelegationLevel.objects.get_or_create(role=role, defaults={"label": label, "up_to": Decimal(up_to) if up_to else None})
    if not OfferLetterTemplate.objects.exists():
        OfferLetterTemplate.objects.create(letterhead=DEFAULT_LETTERHEAD, body=DEFAULT_BODY)


class Migration(migrations.Migration):
    dependencies = [("grants", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
