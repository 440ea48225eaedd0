from .audit import TransitionLog
from .data_version import DataVersion
from .documents import Document
from .invitations import Invitation
from .notifications import MessageTemplate, OutboxMessage
from .organisations import Membership, Organisation, OrganisationType
from .places import CommunitySafetyPartnership, LocalPolicingArea
from .users import STAFF_ROLES, Role, User

__all__ = [
    "STAFF_ROLES",
    "CommunitySafetyPartnership",
    "DataVersion",
    "Document",
    "Invitation",
    "LocalPolicingArea",
    "Membership",
    "MessageTemplate",
    "Organisation",
    "OrganisationType",
    "OutboxMessage",
    "Role",
    "TransitionLog",
    "User",
]
