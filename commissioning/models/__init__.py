"""Commissioning: the Understand/Plan/Do/Review cycle of a commissioned service.

A Commission runs in cycles. Understand and Plan evidence lives on the commission (re-commissioning
revisits it); everything done in Do belongs to that cycle's Procurement: the route, quotes, the tender
and its evaluation, a single tender agreement, the award decision and the contract. The contract
creates its `funding.Award`, and Review is about that contract.

The models live in modules by part of the cycle; this package names them all, so
`from commissioning.models import Contract` works wherever a model is needed.
"""

from commissioning.models._common import (
    PERCENT,
    QUOTE_ROUTES,
    ROUTE_WEIGHT,
    TENDER_ROUTES,
    CommissioningRules,
    ProcurementBand,
    Route,
    money,
)
from commissioning.models.commissions import (
    PERCENT_WORDS,
    SINGULAR,
    CoCommissioningPartner,
    Commission,
    Coverage,
    Gate,
    OutcomeMeasure,
)
from commissioning.models.contracts import (
    BreakNotice,
    Contract,
    DecommissioningPlan,
    Extension,
    ReviewDecision,
)
from commissioning.models.procurement import (
    IN_EVALUATION,
    AwardDecision,
    Bid,
    BidQuerySet,
    Criterion,
    Declaration,
    ModeratedScore,
    PanelMember,
    Procurement,
    Quote,
    Schedule5,
    Score,
    SingleTenderAgreement,
    Tender,
)

__all__ = [
    "AwardDecision",
    "Bid",
    "BidQuerySet",
    "BreakNotice",
    "CoCommissioningPartner",
    "Commission",
    "CommissioningRules",
    "Contract",
    "Coverage",
    "Criterion",
    "Declaration",
    "DecommissioningPlan",
    "Extension",
    "Gate",
    "IN_EVALUATION",
    "ModeratedScore",
    "OutcomeMeasure",
    "PERCENT",
    "PERCENT_WORDS",
    "PanelMember",
    "Procurement",
    "ProcurementBand",
    "QUOTE_ROUTES",
    "Quote",
    "ROUTE_WEIGHT",
    "ReviewDecision",
    "Route",
    "SINGULAR",
    "Schedule5",
    "Score",
    "SingleTenderAgreement",
    "TENDER_ROUTES",
    "Tender",
    "money",
]
from commissioning.models.notices import FORM_CODES, Notice, NoticeKind  # noqa: E402 - after the models it refers to

__all__ += ["FORM_CODES", "Notice", "NoticeKind"]
from commissioning.models.conflicts import (  # noqa: E402 - after the procurement models it refers to
    ConflictDeclaration,
    ConflictsAssessment,
    ConflictsRevision,
    DebarmentEntry,
    DebarmentList,
    DecisionRole,
    GroundKind,
    SupplierCheck,
)

__all__ += [
    "ConflictDeclaration",
    "ConflictsAssessment",
    "ConflictsRevision",
    "DebarmentEntry",
    "DebarmentList",
    "DecisionRole",
    "GroundKind",
    "SupplierCheck",
]

from commissioning.models.changes import (  # noqa: E402 - after the contracts it changes
    ContractChange,
    PerformanceAssessment,
    Rating,
)

__all__ += ["ContractChange", "PerformanceAssessment", "Rating"]

from commissioning.models.award import AssessmentSummary, ContractKPI  # noqa: E402 - after the models it refers to

__all__ += ["AssessmentSummary", "ContractKPI"]
