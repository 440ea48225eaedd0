from .assurance import (
    BankAccount,
    CheckKind,
    ChecklistItem,
    Evidence,
    Register,
    RegisterEntry,
    RegisterImport,
    ValueBand,
)
from .audit import TransitionLog
from .data_version import DataVersion
from .documents import Document
from .invitations import Invitation
from .notifications import MessageTemplate, OutboxMessage
from .organisations import Membership, Organisation, OrganisationType
from .places import CommunitySafetyPartnership, LocalPolicingArea
from .plan import Objective, PoliceAndCrimePlan, Priority
from .users import STAFF_ROLES, Role, User

__all__ = [
    "BankAccount",
    "CheckKind",
    "ChecklistItem",
    "Evidence",
    "Register",
    "RegisterEntry",
    "RegisterImport",
    "ValueBand",
    "STAFF_ROLES",
    "CommunitySafetyPartnership",
    "DataVersion",
    "Document",
    "Invitation",
    "LocalPolicingArea",
    "Membership",
    "MessageTemplate",
    "Objective",
    "Organisation",
    "OrganisationType",
    "OutboxMessage",
    "PoliceAndCrimePlan",
    "Priority",
    "Role",
    "TransitionLog",
    "User",
]
