"""An offer's acceptance deadline falls before the grant starts; the letter is signed by a named person with their
role."""

import io
import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pypdf import PdfReader

from grants import letters
from grants.models import Application
from grants.services import offers as offer_services
from tests.conftest import sign_in
from tests.grants.factories import approved, cgs_round, offered, roles


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def _text(data: bytes) -> str:
    return " ".join("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def summary(body):
    found = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(0)))).strip() if found else ""


def offer_post(start, end, accept_by, **extra):
    return {
        **_date("start_date", start),
        **_date("end_date", end),
        "schedule_kind": "in_advance",
        **_date("accept_by", accept_by),
        "signatory_name": "Glyn Edwards",
        "signatory_role": "Head of commissioning",
        **extra,
    }


@pytest.fixture
def start():
    return timezone.localdate() + timedelta(days=20)


def test_the_service_refuses_an_acceptance_deadline_on_or_after_the_grant_starts(world, start):
    provider, officer = roles(world)
    application = approved(cgs_round(), provider, officer)
    end = start + timedelta(days=90)
    with pytest.raises(ValidationError) as error:
        offer_services.make_offer(
            application=application,
            by=officer,
            start_date=start,
            end_date=end,
            schedule_kind="in_advance",
            accept_by=start,
        )
    assert error.value.message_dict == {
        "accept_by": [f"The acceptance deadline must be before the grant start date, {start:%-d %B %Y}"]
    }
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED and application.award_id is None
    application = offer_services.make_offer(
        application=application,
        by=officer,
        start_date=start,
        end_date=end,
        schedule_kind="in_advance",
        accept_by=start - timedelta(days=1),
    )
    assert application.status == Application.Status.OFFERED


def test_the_offer_form_refuses_a_deadline_after_the_start_with_its_other_problems(client, world, start):
    provider, officer = roles(world)
    application = approved(cgs_round(), provider, officer)
    sign_in(client, officer)
    url = f"/grants/applications/{application.pk}/offer/"
    body = client.post(
        url,
        offer_post(
            start, start - timedelta(days=1), start + timedelta(days=5), signatory_name="", signatory_role=""
        ),
    ).content.decode()
    found = summary(body)
    assert "The grant end date must be the same as or after the start date" in found
    assert f"The acceptance deadline must be before the grant start date, {start:%-d %B %Y}" in found
    assert "Enter the name of the person signing the letter" in found
    assert "Enter the role of the person signing the letter" in found
    assert (
        found.index("grant end date") < found.index("acceptance deadline") < found.index("name of the person")
    )
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED


def test_the_offer_form_suggests_a_deadline_before_the_start_and_the_signed_in_officer_as_signatory(
    client, world
):
    provider, officer = roles(world)
    officer.full_name, officer.job_title = "Priya Shah", "Commissioning officer"
    officer.save()
    application = approved(cgs_round(), provider, officer)
    soon = timezone.localdate() + timedelta(days=10)
    Application.objects.filter(pk=application.pk).update(start_date=soon)
    sign_in(client, officer)
    page = client.get(f"/grants/applications/{application.pk}/offer/").content.decode()
    # 28 days to accept would run past the start: the suggestion is the day before it.
    before = soon - timedelta(days=1)
    day_input = re.search(r'<input[^>]*name="accept_by_0"[^>]*>', page).group(0)
    month_input = re.search(r'<input[^>]*name="accept_by_1"[^>]*>', page).group(0)
    assert f'value="{before.day}"' in day_input and f'value="{before.month}"' in month_input
    assert 'value="Priya Shah"' in page and 'value="Commissioning officer"' in page


def test_the_letter_is_signed_by_a_named_person_with_their_role(client, world):
    provider, officer = roles(world)
    application = approved(cgs_round(), provider, officer)
    start = date(2027, 1, 4)
    offer_services.make_offer(
        application=application,
        by=officer,
        start_date=start,
        end_date=date(2027, 3, 31),
        schedule_kind="in_advance",
        accept_by=min(start - timedelta(days=1), timezone.localdate() + timedelta(days=28)),
        signatory_name="Glyn Edwards",
        signatory_role="Head of commissioning",
    )
    sign_in(client, provider)
    text = _text(client.get(f"/grants/applications/{application.pk}/offer-letter.pdf").content)
    assert (
        "Yours sincerely, Glyn Edwards Head of commissioning West Mercia Police and Crime Commissioner"
        in text
    )


def test_without_a_named_signatory_the_letter_names_the_officer_who_made_the_offer(world):
    provider, officer = roles(world)
    officer.full_name, officer.job_title = "Priya Shah", "Commissioning officer"
    officer.save()
    application = offered(cgs_round(), provider, officer)
    values = letters.letter_values(application)
    assert values["signatory_name"] == "Priya Shah" and values["signatory_role"] == "Commissioning officer"
    assert str(values["signatory"]) == "Priya Shah<br>Commissioning officer"
    assert "Head of Commissioning" not in str(values["signatory"])
