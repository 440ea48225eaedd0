"""A scheme's standard conditions show in the offer letter and on the public pages, so they read right in both."""

from importlib import import_module

from django.apps import apps

from grants.defaults import SCHEMES
from grants.models import Scheme, SchemeKind
from tests.grants.factories import cgs_round, offered, roles


def test_no_standard_condition_speaks_as_the_letter():
    for scheme in SCHEMES:
        assert "this letter" not in scheme["standard_conditions"].lower(), scheme["kind"]


def test_the_public_round_and_grant_pages_show_conditions_without_letter_wording(client, world):
    provider, officer = roles(world)
    round_ = cgs_round()
    award = offered(round_, provider, officer).award
    from grants.services import offers as offer_services

    offer_services.accept_offer(
        application=award.grant_application, by=provider, name="Lucy Evans", role="Manager", confirmed=True
    )
    for url in (f"/transparency/grant-rounds/{round_.pk}/", f"/transparency/grants/{award.reference}/"):
        page = client.get(url).content.decode()
        assert "Spend the grant only on the purpose it was awarded for." in page, url
        assert "this letter" not in page, url


def test_a_stored_scheme_still_carrying_the_old_wording_is_reworded_and_edits_are_kept(db):
    migration = import_module("grants.migrations.0003_condition_wording")
    scheme, _ = Scheme.objects.get_or_create(kind=SchemeKind.CGS, defaults={"stream": "cgs", "name": "CGS"})
    scheme.standard_conditions = (
        f"Send a return each quarter.\n{migration.OLD}\nA condition the office added."
    )
    scheme.save()
    migration.forwards(apps, None)
    scheme.refresh_from_db()
    assert scheme.condition_lines() == [
        "Send a return each quarter.",
        migration.NEW,
        "A condition the office added.",
    ]
