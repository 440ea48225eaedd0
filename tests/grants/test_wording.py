"""Counts agree with their nouns, and success messages read as sentences."""

from grants.models import Application
from tests.conftest import sign_in
from tests.grants.factories import cgs_round, offered, roles, submitted


def test_one_offer_is_one_offer_on_the_grants_page(client, world):
    provider, officer = roles(world)
    offered(cgs_round(), provider, officer)
    sign_in(client, officer)
    page = client.get("/grants/").content.decode()
    assert "1 offer waiting for acceptance" in page and "1 offers" not in page


def test_starting_the_assessment_and_asking_for_information_say_what_happened(client, world):
    provider, officer = roles(world)
    round_ = cgs_round()
    application = submitted(round_, provider)
    sign_in(client, officer)
    page = client.post(
        f"/grants/applications/{application.pk}/do/start_assessment/", {"note": ""}, follow=True
    ).content.decode()
    assert f"{application.reference}: assessment started." in page and "done." not in page
    page = client.post(
        f"/grants/applications/{application.pk}/do/request_information/",
        {"note": "Send your policy"},
        follow=True,
    ).content.decode()
    assert f"{application.reference}: the applicant has been asked for more information." in page
    application.refresh_from_db()
    assert application.status == Application.Status.MORE_INFORMATION


def test_a_missing_acceptance_deadline_is_asked_for_by_its_name(client, world):
    from tests.grants.factories import approved

    provider, officer = roles(world)
    application = approved(cgs_round(), provider, officer)
    sign_in(client, officer)
    body = client.post(
        f"/grants/applications/{application.pk}/offer/", {"schedule_kind": "in_advance"}
    ).content.decode()
    assert "Enter the acceptance deadline" in body and "Enter the accept by" not in body
