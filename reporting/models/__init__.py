"""Reporting's models, one module per part: `monitoring` (frameworks, quarterly returns, chasing, visits), `tiers`
(proportionate monitoring), `outcomes` (indicators and aggregates) and `crime` (police.uk street-level crime)."""

from reporting.models.closeout import (  # noqa: F401
    FinalOutcome,
    FinalReport,
    FinalReportStatus,
    FinalSpendLine,
)
from reporting.models.copies import ContractCopy  # noqa: F401
from reporting.models.crime import CrimeImport, CrimeMonthlyCount, CrimeRecord  # noqa: F401, E402
from reporting.models.descriptions import PublicDescription  # noqa: F401
from reporting.models.moj import MojReturnField, MojReturnSection  # noqa: F401
from reporting.models.monitoring import (  # noqa: F401
    RAG,
    ChaseEvent,
    ChaseStep,
    FrameworkTemplate,
    GrantVisit,
    Measure,
    MeasureKind,
    MonitoringSettings,
    OutcomeFramework,
    QuarterlyReturn,
    ReturnAnswer,
    ReturnKind,
    ReturnStatus,
    TemplateMeasure,
)
from reporting.models.outcomes import Aggregation, OutcomeAggregate, OutcomeIndicator  # noqa: F401
from reporting.models.panel import PanelCaseStudy, PanelReport  # noqa: F401
from reporting.models.payments import PaymentsComplianceApproval  # noqa: F401
from reporting.models.population import LocalAuthorityPopulation, PopulationImport  # noqa: F401
from reporting.models.public_texts import PublicText  # noqa: F401
from reporting.models.tiers import AnnualReview, AwardMonitoring, MonitoringTier, Reporting, TierBand  # noqa: F401
