"""Reporting's models, one module per part of the issue: `monitoring` (issue 6: frameworks, quarterly
returns, chasing, visits) and `crime` (police.uk street-level crime). Dashboards and transparency (issue 7) add their own modules here."""

from reporting.models.crime import CrimeImport, CrimeMonthlyCount, CrimeRecord  # noqa: F401, E402
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
    ReturnStatus,
    TemplateMeasure,
)
from reporting.models.outcomes import Aggregation, OutcomeAggregate, OutcomeIndicator  # noqa: F401
from reporting.models.panel import PanelCaseStudy, PanelReport  # noqa: F401
from reporting.models.population import LocalAuthorityPopulation, PopulationImport  # noqa: F401
