"""A stage's task list page: its heading is the stage's name, and one task is counted in the singular."""

import re

from commissioning.services import commissions as commission_services
from tests.commissioning import factories as f
from tests.conftest import sign_in


def test_the_stage_heading_does_not_repeat_its_tag_and_one_task_is_singular(client, world, pots):
    officer = f.officer_of(world)
    c = f.new_commission(world)
    sign_in(client, officer)
    body = client.get(f"/commissioning/{c.pk}/understand/").content.decode()
    heading = re.search(r'<h1 class="govuk-heading-l">(.*?)</h1>', body, re.S).group(1)
    assert heading.strip() == "Understand"
    c, _ = f.decided_tender(world)
    f.contract_for(world, c, pots[2026])
    c = commission_services.transition(commission=c, name="start_review", by=officer)
    body = client.get(f"/commissioning/{c.pk}/review/").content.decode()
    assert "You have completed 0 of 1 task." in body
