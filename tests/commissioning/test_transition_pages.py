"""Moving a commission on: a blocked step lists what blocks it with no button, and each step's banner is a
sentence naming the commission (read from the transition's decorator)."""

import re
from html import unescape

from commissioning import gates
from commissioning.models import Commission
from opcc.services.transitions import transition_named, transitions_from_here
from tests.commissioning import factories as f
from tests.conftest import sign_in


def page(response) -> str:
    return unescape(response.content.decode())


def banner(client, response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    body = page(client.get(response["Location"]))
    start = body.index("govuk-notification-banner--success")
    return re.sub(
        r"\s+",
        " ",
        re.sub(r"<[^>]+>", " ", body[start : body.index("</div>", body.index("__content", start))]),
    )


def test_a_blocked_move_lists_what_blocks_it_with_no_button(client, world):
    c = f.new_commission(world)
    sign_in(client, f.officer_of(world))
    body = client.get(f"/commissioning/{c.pk}/move/start_planning/").content.decode()
    assert "This step is blocked until" in body and "Upload the needs assessment" in body
    assert "Move to Plan</button>" not in body
    assert f'href="/commissioning/{c.pk}/understand/">Go to the Understand tasks</a>' in body

    c = f.fill_understand(c, f.officer_of(world))
    body = client.get(f"/commissioning/{c.pk}/move/start_planning/").content.decode()
    assert "Move to Plan</button>" in body


def test_moving_a_commission_on_says_so_in_a_sentence(client, world):
    officer = f.officer_of(world)
    c = f.fill_understand(f.new_commission(world), officer)
    sign_in(client, officer)
    text = banner(
        client,
        client.post(
            f"/commissioning/{c.pk}/move/start_planning/", {"note": "", "expected_state": "understand"}
        ),
    )
    assert f"{c.reference} has moved to Plan." in text and "done." not in text
    f.fill_plan(c, officer)
    text = banner(
        client,
        client.post(f"/commissioning/{c.pk}/move/start_procurement/", {"note": "", "expected_state": "plan"}),
    )
    assert f"{c.reference} has moved to Do." in text


def test_every_transition_has_a_sentence_naming_the_commission():
    steps = {
        t.name: t.custom.get("done", "")
        for t in Commission._meta.get_field("status").get_all_transitions(Commission)
    }
    assert set(steps) == {
        "start_planning",
        "start_procurement",
        "start_review",
        "recommission",
        "decommission",
        "close",
        "withdraw",
    }
    for name, message in steps.items():
        text = message.format(reference="CM-0009", cycle=2)
        assert text.startswith("CM-0009 ") and text.endswith(".") and "done." not in text, name
    assert steps["recommission"].format(reference="CM-0009", cycle=2) == (
        "CM-0009 is being re-commissioned: cycle 2 has started in Understand."
    )


def test_each_step_is_offered_on_the_stage_it_leaves_and_waits_for_its_own_gate(world):
    officer = f.officer_of(world)
    c = f.new_commission(world)
    steps = {t.name: gates.stage_of(t) for t in transitions_from_here(c, officer)}
    assert steps == {"start_planning": "understand", "withdraw": None}
    step = transition_named(c, "start_planning")
    assert gates.transition_gaps(c, step) == gates.understand_gaps(c) != []
    c = f.fill_understand(c, officer)
    assert gates.transition_gaps(c, step) == []
