"""Re-exports `opcc.emails` for the grants and commissioning wording modules until they import it directly;
delete this module then."""

from opcc.emails import DEFAULTS, DefaultMessage, ensure_all, register  # noqa: F401
