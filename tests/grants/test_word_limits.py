"""A word limit a hint states is a rule: the service refuses a longer answer, and the page says so."""

import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError

from grants.models import Application
from grants.services import applications as application_services
from tests.conftest import sign_in
from tests.grants.factories import cgs_round, draft, roles

WORDS_300 = " ".join(["word"] * 300)
WORDS_301 = WORDS_300 + " more"


def test_the_service_refuses_a_project_summary_over_300_words(world):
    provider, _officer = roles(world)
    application = draft(cgs_round(), provider)
    with pytest.raises(ValidationError) as error:
        application_services.save_section(application=application, by=provider, values={"summary": WORDS_301})
    assert error.value.message_dict == {
        "summary": ["The summary of the project must be 300 words or fewer: it has 301"]
    }
    application.refresh_from_db()
    assert application.summary == "Sanctuary measures for victims of domestic abuse"
    application_services.save_section(application=application, by=provider, values={"summary": WORDS_300})
    application.refresh_from_db()
    assert application.summary == WORDS_300


def test_the_project_page_states_the_limit_and_shows_the_error(client, world):
    provider, _officer = roles(world)
    application = draft(cgs_round(), provider)
    sign_in(client, provider)
    url = f"/grants/applications/{application.pk}/sections/project/"
    page = client.get(url).content.decode()
    assert "Up to 300 words" in page and 'data-maxwords="300"' in page
    body = client.post(url, {"title": "Safe at home", "summary": WORDS_301}).content.decode()
    summary = unescape(re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S).group(0))
    assert "The summary of the project must be 300 words or fewer: it has 301" in summary
    assert 'href="#id_summary"' in summary


def test_a_summary_over_the_limit_saved_before_the_rule_stops_submission(world):
    provider, _officer = roles(world)
    application = draft(cgs_round(), provider)
    Application.objects.filter(pk=application.pk).update(summary=WORDS_301)
    application.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        application_services.submit(
            application=application, by=provider, confirmed=True, name="Lucy Evans", role="Manager"
        )
    assert (
        "The summary of the project must be 300 words or fewer: it has 301"
        in error.value.message_dict["summary"]
    )
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
