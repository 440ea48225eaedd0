"""A new password typed twice, as the reset page and the invitation page ask for it: one rule, one wording."""

import pytest

from opcc.forms import AcceptInvitationForm, GOVUKSetPasswordForm
from opcc.models import User

GOOD = "a long pass phrase 2026"


def _reset(first, second):
    return GOVUKSetPasswordForm(
        User(email="sam@example.org"), {"new_password1": first, "new_password2": second}
    )


def _invitation(first, second):
    return AcceptInvitationForm(
        {"full_name": "Sam Price", "password1": first, "password2": second}, email="sam@example.org"
    )


@pytest.mark.parametrize(
    ("make", "first", "second"),
    [(_reset, "new_password1", "new_password2"), (_invitation, "password1", "password2")],
)
def test_both_pages_check_a_password_pair_alike(make, first, second):
    assert make(GOOD, GOOD).is_valid()

    mismatched = make(GOOD, GOOD + "!")
    assert not mismatched.is_valid()
    assert mismatched.errors == {second: ["The passwords do not match"]}

    weak = make("password", "password")
    assert not weak.is_valid()
    assert list(weak.errors) == [first]
