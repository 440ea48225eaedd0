"""Types the apps share at their seams."""

from typing import TypeAlias

from opcc.models import User

# The person a service acts for: the signed-in user a view passes on, recorded on what the service writes.
Actor: TypeAlias = User
