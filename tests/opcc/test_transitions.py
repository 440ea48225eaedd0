"""Reading a lifecycle from its @transition decorators: what may run now, what is a step from here, and its label.

The commission's cycle is the example: seven transitions, one of them from every open stage.
"""

from django_fsm import Transition

from commissioning.models import Commission
from opcc.models import Role
from opcc.services.transitions import (
    available_transitions,
    transition_defined,
    transition_label,
    transition_named,
    transitions_from_here,
)
from tests.commissioning import factories as f

Status = Commission.Status


def names(transitions):
    return [t.name for t in transitions]


def test_the_label_is_the_decorators_and_a_transition_without_one_is_named_from_its_method():
    assert transition_label(transition_defined(Commission(), "start_planning")) == "Move to Plan"

    def hand_over(self):
        """A transition with no label."""

    bare = Transition(hand_over, "a", "b", None, None, None, None)
    assert transition_label(bare) == "Hand over"


def test_available_transitions_are_those_whose_gates_are_met_and_the_user_may_run(world):
    officer = f.officer_of(world)
    c = f.new_commission(world)
    # The Understand evidence is missing, so only withdrawing is open.
    assert names(available_transitions(c, officer)) == ["withdraw"]
    c = f.fill_understand(c, officer)
    assert names(available_transitions(c, officer)) == ["start_planning", "withdraw"]
    assert available_transitions(c, world.users[Role.PCC]) == []


def test_steps_from_here_include_those_still_blocked_and_follow_the_models_order(world):
    officer = f.officer_of(world)
    c = f.new_commission(world)
    assert names(transitions_from_here(c, officer)) == ["start_planning", "withdraw"]
    # Declared order, not django-fsm's alphabetical one: a page draws the first as its main button.
    review = Commission(status=Status.REVIEW)
    assert names(transitions_from_here(review, officer)) == [
        "recommission",
        "decommission",
        "close",
        "withdraw",
    ]
    assert transitions_from_here(c, world.users[Role.AUDITOR]) == []


def test_a_closed_commission_has_no_steps_left(world):
    officer = f.officer_of(world)
    for status in (Status.CLOSED, Status.WITHDRAWN, Status.DECOMMISSIONED):
        assert transitions_from_here(Commission(status=status), officer) == []


def test_a_transition_from_several_states_is_described_from_the_current_one():
    step = transition_named(Commission(status=Status.DO), "withdraw")
    assert (step.source, step.target) == (Status.DO, Status.WITHDRAWN)
    assert transition_label(step) == "Withdraw"


def test_a_transition_not_from_here_is_named_but_not_offered():
    understand = Commission(status=Status.UNDERSTAND)
    assert transition_named(understand, "close") is None
    close = transition_defined(understand, "close")
    assert (close.source, close.target, transition_label(close)) == (Status.REVIEW, Status.CLOSED, "Close")


def test_a_name_that_is_no_transition_is_none():
    c = Commission(status=Status.UNDERSTAND)
    assert transition_named(c, "save") is None
    assert transition_defined(c, "save") is None
    assert transition_defined(c, "is_open") is None
