from django.apps import apps
from django.core.management import call_command

from opcc.models import LocalPolicingArea, Organisation, Role, User


def snapshot():
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in ("opcc", "funding", "commissioning", "grants", "reporting", "otp_totp"):
            rows[model._meta.label] = sorted(
                tuple(sorted((k, str(v)) for k, v in row.items() if k not in ("last_login",)))
                for row in model.objects.values()
            )
    return rows


def test_seed_demo_loads_west_mercia_and_running_it_twice_changes_nothing(db):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first

    assert set(LocalPolicingArea.objects.values_list("name", flat=True)) == {
        "Herefordshire", "Shropshire", "Telford and Wrekin", "North Worcestershire", "South Worcestershire",
    }
    assert Organisation.objects.count() >= 30
    assert set(User.objects.values_list("role", flat=True)) == {r.value for r in Role}
    for org in Organisation.objects.all():
        org.full_clean()  # plausible, valid charity and company numbers and postcodes
